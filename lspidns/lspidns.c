/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lspidns: the PID namespace hierarchy; with -u, interleaved with the user
 * namespaces that own them.
 */
#include "ui/cli.h"
#include "ui/view.h"

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
 * With -u, the children of a PID namespace owned by another user namespace
 * hang below that user namespace, inserted once for all of them.
 */
static struct tree_node *owner_node(const struct view *v,
				    const struct ns *parent,
				    const struct ns *owner)
{
	struct tree_node *node = tree_node_new(view_ns_node(v, owner));

	for (size_t i = 0; i < parent->nchildren; i++)
		if (parent->children[i]->owner == owner)
			tree_add_child(node,
				       pid_tree(v, parent->children[i], true));
	return node;
}

/* True when an earlier child of parent has the same foreign owner. */
static bool owner_seen_before(const struct ns *parent, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (parent->children[k]->owner == parent->children[i]->owner)
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
		else if (!owner_seen_before(ns, i))
			tree_add_child(node, owner_node(v, ns, child->owner));
	}
	return node;
}

/* -u: the owners of the root PID namespaces become the roots. */
static size_t user_roots(const struct view *v, const struct model *m,
			 struct tree_node **roots)
{
	size_t n = 0;

	for (size_t i = 0; i < m->npid_roots; i++) {
		const struct ns *pidns = m->pid_roots[i];
		const struct ns *owner = pidns->owner;
		struct tree_node *node;
		bool seen = false;

		for (size_t k = 0; k < i; k++)
			seen |= owner && m->pid_roots[k]->owner == owner;
		if (seen)
			continue;
		if (!owner) {
			roots[n++] = pid_tree(v, pidns, true);
			continue;
		}
		node = tree_node_new(view_ns_node(v, owner));
		for (size_t k = i; k < m->npid_roots; k++)
			if (m->pid_roots[k]->owner == owner)
				tree_add_child(node,
					       pid_tree(v, m->pid_roots[k], true));
		roots[n++] = node;
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
	roots = calloc(m.npid_roots + 1, sizeof(*roots));
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
