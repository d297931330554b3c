/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lspidns: the PID namespace hierarchy; with -u, interleaved with the user
 * namespaces that own them.
 */
#include "ui/cli.h"
#include "ui/focus.h"
#include "ui/interactive.h"
#include "ui/view.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>

struct options {
	struct cli_common common;
	bool users;
	struct focus focus;
};

/* What building the tree needs at every node. */
struct pidns_tree {
	const struct view *v;
	const struct focus *focus;
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
	       "  -p, --pid=PID       only the branch down to the PID namespace of\n"
	       "                      process PID; container:NAME or\n"
	       "                      container:ID-PREFIX: its init process\n"
	       "      --task=PID      the same as --pid, a PID only\n"
	       "  -n, --ns=PIDNS      the PID namespace PID counts in: pid:[INODE],\n"
	       "                      INODE or id:ID (default: as /proc shows it)\n"
	       "  -u, --user          show the owning user namespaces in between,\n"
	       "                      wherever ownership changes going down\n",
	       cli_tool_name());
	cli_common_help();
}

/* The tool's own options, for cli_parse_options. */
static bool take_option(int c, const char *arg, void *ctx)
{
	struct options *o = ctx;

	switch (c) {
	case 'u':
		o->users = true;
		return true;
	case 'n':
		focus_set_pidns(&o->focus, arg);
		return true;
	default:
		return focus_option(&o->focus, c, arg);
	}
}

static const struct option longopts[] = {
	{ "user", no_argument, NULL, 'u' },
	FOCUS_PID_LONGOPTS,
	{ "ns", required_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 },
};

static const struct cli_tool this_tool = {
	.shortopts = "up:n:",
	.longopts = longopts,
	.option = take_option,
};

static struct tree_node *pid_tree(const struct pidns_tree *t,
				  const struct ns *ns);

/* Whether ns is drawn: -p shows only the branch to its PID namespace. */
static bool shown(const struct pidns_tree *t, const struct ns *ns)
{
	return focus_leads_to(t->focus, ns, NS_TYPE_BIT(NS_PID));
}

/*
 * With -u, those of the sibling PID namespaces nss that another user
 * namespace owns hang below that user namespace, one node for all of them.
 */
static struct tree_node *owner_node(const struct pidns_tree *t,
				    struct ns *const *nss, size_t n,
				    const struct ns *owner)
{
	struct tree_node *node = tree_node_new(view_ns_node(t->v, owner));

	node->key = view_ns_key(owner);
	for (size_t i = 0; i < n; i++)
		if (nss[i]->owner == owner && shown(t, nss[i]))
			tree_add_child(node, pid_tree(t, nss[i]));
	return node;
}

/* True when one of nss[0..i) shown has the same owner as nss[i]. */
static bool owner_seen_before(const struct pidns_tree *t,
			      struct ns *const *nss, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (nss[k]->owner == nss[i]->owner && shown(t, nss[k]))
			return true;
	return false;
}

static struct tree_node *pid_tree(const struct pidns_tree *t,
				  const struct ns *ns)
{
	struct tree_node *node = tree_node_new(view_ns_node(t->v, ns));

	node->key = view_ns_key(ns);
	for (size_t i = 0; i < ns->nchildren; i++) {
		const struct ns *child = ns->children[i];

		if (!shown(t, child))
			continue;
		if (!t->users || child->owner == ns->owner || !child->owner)
			tree_add_child(node, pid_tree(t, child));
		else if (!owner_seen_before(t, ns->children, i))
			tree_add_child(node, owner_node(t, ns->children,
							ns->nchildren,
							child->owner));
	}
	return node;
}

/*
 * The roots: the root PID namespaces shown, and with -u their owners
 * instead, one node for those of one owner.
 */
static size_t roots_of(const struct pidns_tree *t, const struct model *m,
		       struct tree_node **roots)
{
	struct ns *const *pidns = m->pid_roots;
	size_t n = 0;

	for (size_t i = 0; i < m->npid_roots; i++) {
		const struct ns *owner = pidns[i]->owner;

		if (!shown(t, pidns[i]))
			continue;
		if (!t->users || !owner)
			roots[n++] = pid_tree(t, pidns[i]);
		else if (!owner_seen_before(t, pidns, i))
			roots[n++] = owner_node(t, pidns, m->npid_roots, owner);
	}
	return n;
}

/* The view of v's model, resolving -p in it: for the text and the screen. */
static void build(struct interactive_frame *f, const struct view *v,
		  void *ctx)
{
	struct options *o = ctx;
	struct pidns_tree t = { .v = v, .focus = &o->focus, .users = o->users };

	focus_resolve(&o->focus, v->m);
	f->roots = xcalloc(v->m->npid_roots + 1, sizeof(*f->roots));
	f->nroots = roots_of(&t, v->m, f->roots);
}

int main(int argc, char **argv)
{
	struct options o = { .common = CLI_COMMON_INIT };

	cli_init("lspidns", usage);
	cli_parse_options(argc, argv, &this_tool, &o.common, &o);
	focus_check_options(&o.focus);
	focus_check_live(&o.focus, &o.common, false);
	/* PID namespaces and their owners; no socket holds a PID namespace */
	o.common.scope.types = NS_TYPE_BIT(NS_PID) | NS_TYPE_BIT(NS_USER);
	o.common.scope.skip[PASS_SOCKETS] = true;
	cli_for_labels_only(&o.common);
	focus_scope(&o.focus, &o.common.scope);
	interactive_or_print(&o.common, build, &o);
	focus_release(&o.focus);
	cli_exit(EXIT_DONE);
}
