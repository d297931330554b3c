/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lspidns: the PID namespace hierarchy; with -u, interleaved with the user
 * namespaces that own them.
 */
#include "ui/cli.h"
#include "ui/view.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>

struct options {
	struct cli_common common;
	bool users;
};

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Show the hierarchy of PID namespaces, each with the process that\n"
	       "best identifies it.\n"
	       "\n"
	       "Options:\n"
	       "  -u, --user          show the owning user namespaces in between,\n"
	       "                      wherever ownership changes going down\n",
	       cli_tool_name());
	cli_common_help();
}

/* The tool's own options, for cli_parse_options. */
static bool take_option(int c, const char *arg, void *ctx)
{
	struct options *o = ctx;

	(void)arg;
	if (c != 'u')
		return false;
	o->users = true;
	return true;
}

static const struct option longopts[] = {
	{ "user", no_argument, NULL, 'u' },
	{ NULL, 0, NULL, 0 },
};

static const struct cli_tool this_tool = {
	.shortopts = "u",
	.longopts = longopts,
	.option = take_option,
};

static struct tree_node *pid_tree(const struct view *v, const struct ns *ns,
				  bool users);

/*
 * With -u, those of the sibling PID namespaces nss that another user
 * namespace owns hang below that user namespace, one node for all of them.
 */
static struct tree_node *owner_node(const struct view *v,
				    struct ns *const *nss, size_t n,
				    const struct ns *owner)
{
	struct tree_node *node = tree_node_new(view_ns_node(v, owner));

	for (size_t i = 0; i < n; i++)
		if (nss[i]->owner == owner)
			tree_add_child(node, pid_tree(v, nss[i], true));
	return node;
}

/* True when one of nss[0..i) has the same owner as nss[i]. */
static bool owner_seen_before(struct ns *const *nss, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (nss[k]->owner == nss[i]->owner)
			return true;
	return false;
}

static struct tree_node *pid_tree(const struct view *v, const struct ns *ns,
				  bool users)
{
	struct tree_node *node = tree_node_new(view_ns_node(v, ns));

	for (size_t i = 0; i < ns->nchildren; i++) {
		const struct ns *child = ns->children[i];

		if (!users || child->owner == ns->owner || !child->owner)
			tree_add_child(node, pid_tree(v, child, users));
		else if (!owner_seen_before(ns->children, i))
			tree_add_child(node, owner_node(v, ns->children,
							ns->nchildren,
							child->owner));
	}
	return node;
}

/* -u: the owners of the root PID namespaces become the roots. */
static size_t user_roots(const struct view *v, const struct model *m,
			 struct tree_node **roots)
{
	struct ns *const *pidns = m->pid_roots;
	size_t n = 0;

	for (size_t i = 0; i < m->npid_roots; i++) {
		const struct ns *owner = pidns[i]->owner;

		if (!owner)
			roots[n++] = pid_tree(v, pidns[i], true);
		else if (!owner_seen_before(pidns, i))
			roots[n++] = owner_node(v, pidns, m->npid_roots, owner);
	}
	return n;
}

int main(int argc, char **argv)
{
	struct options o = { .common = CLI_COMMON_INIT };
	struct tree_node **roots;
	struct model m;
	struct view v;
	size_t n = 0;

	cli_init("lspidns", usage);
	cli_parse_options(argc, argv, &this_tool, &o.common, &o);
	/* PID namespaces and their owners; no socket holds a PID namespace */
	o.common.scope.types = NS_TYPE_BIT(NS_PID) | NS_TYPE_BIT(NS_USER);
	o.common.scope.skip[PASS_SOCKETS] = true;
	cli_for_labels_only(&o.common);
	cli_get_model(&o.common, &m);
	view_init(&v, &m, o.common.color);
	roots = xcalloc(m.npid_roots + 1, sizeof(*roots));
	if (o.users)
		n = user_roots(&v, &m, roots);
	else
		for (; n < m.npid_roots; n++)
			roots[n] = pid_tree(&v, m.pid_roots[n], false);
	cli_print_trees(&o.common, roots, n);
	free(roots);
	view_release(&v);
	model_release(&m);
	cli_exit(EXIT_DONE);
}
