/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lsuserns: the user namespace hierarchy; with -d, what each one owns.
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
	bool details;
	struct typeset types;
	struct focus focus;
};

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Show the hierarchy of user namespaces, each with the process that\n"
	       "best identifies it and the user that created it.\n"
	       "\n"
	       "Options:\n"
	       "  -p, --pid=PID       only the branches down to the user namespace\n"
	       "                      of process PID (with -d, and to the owners of\n"
	       "                      its other namespaces); container:NAME or\n"
	       "                      container:ID-PREFIX: its init process\n"
	       "      --task=PID      the same as --pid, a PID only\n"
	       "  -n, --ns=PIDNS      the PID namespace PID counts in: pid:[INODE],\n"
	       "                      INODE or id:ID (default: as /proc shows it)\n"
	       "  -d, --details       under each user namespace, the namespaces it\n"
	       "                      owns\n"
	       "  -t, --type=LIST     -d, but only these types (comma-separated:\n"
	       "                      cgroup,ipc,mnt,net,pid,time,uts)\n",
	       cli_tool_name());
	cli_common_help();
}

/* The tool's own options, for cli_parse_options. */
static bool take_option(int c, const char *arg, void *ctx)
{
	struct options *o = ctx;

	switch (c) {
	case 'd':
		o->details = true;
		return true;
	case 't':
		cli_parse_types(&o->types, arg);
		/* user namespaces are the tree, never a detail */
		if (o->types.has[NS_USER])
			cli_usage_error("-t takes the types a user namespace "
					"owns, not user");
		o->details = true;
		return true;
	case 'n':
		focus_set_pidns(&o->focus, arg);
		return true;
	default:
		return focus_option(&o->focus, c, arg);
	}
}

static const struct option longopts[] = {
	{ "details", no_argument, NULL, 'd' },
	{ "type", required_argument, NULL, 't' },
	FOCUS_PID_LONGOPTS,
	{ "ns", required_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 },
};

static const struct cli_tool this_tool = {
	.shortopts = "dt:p:n:",
	.notruncate_u = true,
	.longopts = longopts,
	.option = take_option,
};

/* The types shown: user namespaces, and with -d what they own. */
static unsigned types_shown(const struct options *o)
{
	unsigned bits = NS_TYPE_BIT(NS_USER);

	for (int type = 0; o->details && type < NS_TYPE_COUNT; type++)
		if (typeset_has(&o->types, type))
			bits |= NS_TYPE_BIT(type);
	return bits;
}

/* A user namespace drawn: with -p, one on the way to what is in focus. */
static bool user_shown(const struct options *o, const struct ns *ns)
{
	return focus_leads_to(&o->focus, ns, types_shown(o));
}

/* What a user namespace owns, listed with -d: with -p, the process's. */
static bool owned_shown(const struct options *o, const struct ns *ns)
{
	return o->details && typeset_has(&o->types, ns->type) &&
	       focus_includes(&o->focus, ns);
}

static struct tree_node *user_tree(const struct view *v,
				   const struct options *o,
				   const struct ns *ns)
{
	struct tree_node *node = tree_node_new(view_ns_node(v, ns));

	node->key = view_ns_key(ns);
	for (size_t i = 0; i < ns->nowned; i++) {
		const struct ns *owned = ns->owned[i];
		struct strbuf sb = STRBUF_INIT;

		if (!owned_shown(o, owned))
			continue;
		view_add_ns_label(&sb, v, owned);
		tree_add_prop(node, view_take(&sb));
		tree_set_prop_key(node, view_ns_key(owned));
	}
	for (size_t i = 0; i < ns->nchildren; i++)
		if (user_shown(o, ns->children[i]))
			tree_add_child(node, user_tree(v, o, ns->children[i]));
	return node;
}

/* Whether ns is listed under the owner-unknown node (its count, without -d). */
static bool owner_unknown(const struct options *o, const struct ns *ns)
{
	return ns->type != NS_USER && !ns->owner &&
	       typeset_has(&o->types, ns->type) &&
	       focus_includes(&o->focus, ns);
}

/*
 * The namespaces whose owner could not be learned, after the user
 * namespaces: they must not vanish (HACKING.md, "The namespace label").
 * NULL when there are none.
 */
static struct tree_node *unknown_owner_tree(const struct view *v,
					    const struct options *o)
{
	const struct model *m = v->m;
	struct tree_node *node;
	size_t n = 0;

	for (size_t i = 0; i < m->nns; i++)
		n += owner_unknown(o, m->nss[i]);
	if (!n)
		return NULL;
	node = tree_node_new(view_unknown_owner_node(v, n));
	for (size_t i = 0; o->details && i < m->nns; i++) {
		struct strbuf sb = STRBUF_INIT;

		if (!owner_unknown(o, m->nss[i]))
			continue;
		view_add_ns_label(&sb, v, m->nss[i]);
		tree_add_prop(node, view_take(&sb));
		tree_set_prop_key(node, view_ns_key(m->nss[i]));
	}
	return node;
}

/* The view of v's model, resolving -p in it: for the text and the screen. */
static void build(struct interactive_frame *f, const struct view *v,
		  void *ctx)
{
	struct options *o = ctx;
	const struct model *m = v->m;
	size_t n = 0;

	focus_resolve(&o->focus, m);
	f->roots = xcalloc(m->nuser_roots + 1, sizeof(*f->roots));
	for (size_t i = 0; i < m->nuser_roots; i++)
		if (user_shown(o, m->user_roots[i]))
			f->roots[n++] = user_tree(v, o, m->user_roots[i]);
	if ((f->roots[n] = unknown_owner_tree(v, o)))
		n++;
	f->nroots = n;
}

int main(int argc, char **argv)
{
	struct options o = { .common = CLI_COMMON_INIT };

	cli_init("lsuserns", usage);
	cli_parse_options(argc, argv, &this_tool, &o.common, &o);
	focus_check_options(&o.focus);
	focus_check_live(&o.focus, &o.common, false);
	/* every type: a user namespace may be known only as an owner */
	cli_for_labels_only(&o.common);
	focus_scope(&o.focus, &o.common.scope);
	interactive_or_print(&o.common, build, &o);
	focus_release(&o.focus);
	cli_exit(EXIT_DONE);
}
