/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nsdiscover: everything found, and where: every namespace with every
 * place that holds it; --json dumps the whole model.
 */
#include "ui/cli.h"
#include "model/json.h"
#include "ui/view.h"
#include "ui/warning.h"
#include "lib/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

struct options {
	struct cli_common common;
	bool json;
	struct typeset types;
};

enum { OPT_JSON = CLI_OPT_TOOL };

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Find every Linux namespace visible from here and show where each\n"
	       "one was found: processes, threads, open file descriptors,\n"
	       "sockets, bind mounts in any mount namespace, or only as the\n"
	       "parent or owner of another.\n"
	       "\n"
	       "Options:\n"
	       "  -t, --type=LIST     only these types (comma-separated: cgroup,\n"
	       "                      ipc,mnt,net,pid,time,user,uts)\n"
	       "      --json          dump the whole model as JSON instead\n",
	       cli_tool_name());
	cli_common_help();
}

/* The tool's own options, for cli_parse_options. */
static bool take_option(int c, const char *arg, void *ctx)
{
	struct options *o = ctx;

	switch (c) {
	case 't':
		cli_parse_types(&o->types, arg);
		return true;
	case OPT_JSON:
		o->json = true;
		return true;
	default:
		return false;
	}
}

static const struct option longopts[] = {
	{ "type", required_argument, NULL, 't' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

static const struct cli_tool this_tool = {
	.shortopts = "t:",
	.longopts = longopts,
	.option = take_option,
};

/* Each property line starts with its namespace, so that grep finds it. */
static struct strbuf prop_start(const struct view *v, const struct ns *ns)
{
	struct strbuf sb = STRBUF_INIT;

	view_add_ns_id(&sb, v, ns);
	strbuf_addc(&sb, ' ');
	return sb;
}

static void add_relation_prop(struct tree_node *node, const struct view *v,
			      const struct ns *ns, const char *what,
			      const struct ns *other)
{
	struct strbuf sb = prop_start(v, ns);

	strbuf_adds(&sb, what);
	view_add_ns_id(&sb, v, other);
	tree_add_prop(node, view_take(&sb));
}

static void add_source_prop(struct tree_node *node, const struct view *v,
			    const struct ns *ns, const struct ns_source *s)
{
	const struct ns *other = model_ns(v->m, s->of);
	struct strbuf sb = prop_start(v, ns);

	switch (s->kind) {
	case SOURCE_BINDMOUNT:
		view_add_bindmount(&sb, v, s, true);
		break;
	case SOURCE_FD:
	case SOURCE_SOCKET:
		view_add_fd_holder(&sb, v, s);
		break;
	case SOURCE_LISTED:
		strbuf_adds(&sb, VIEW_LISTED);
		break;
	case SOURCE_TASK:
		strbuf_adds(&sb, "entered by ");
		view_add_holder(&sb, v, s->pid, s->tid);
		break;
	case SOURCE_FOR_CHILDREN:
		view_add_for_children(&sb, v, s);
		break;
	case SOURCE_PARENT:
	case SOURCE_OWNER:
		strbuf_adds(&sb, s->kind == SOURCE_PARENT ? "parent of "
							  : "owner of ");
		if (other)
			view_add_ns_id(&sb, v, other);
		break;
	default:
		strbuf_release(&sb);
		return;
	}
	tree_add_prop(node, view_take(&sb));
}

static char *ns_label(const struct view *v, const struct ns *ns)
{
	struct strbuf sb = STRBUF_INIT;

	view_add_ns_label(&sb, v, ns);
	strbuf_addf(&sb, ", %zu process%s", ns->nprocs,
		    ns->nprocs == 1 ? "" : "es");
	return view_take(&sb);
}

static struct tree_node *ns_node(const struct view *v, const struct ns *ns)
{
	struct tree_node *node = tree_node_new(ns_label(v, ns));
	struct strbuf sb;

	if (ns->owner) {
		add_relation_prop(node, v, ns, "owned by ", ns->owner);
	} else if (ns->type != NS_USER) {
		sb = prop_start(v, ns);
		view_add_unknown_owner(&sb, v);
		tree_add_prop(node, view_take(&sb));
	}
	if (ns->has_creator) {
		sb = prop_start(v, ns);
		view_add_creator(&sb, v, "created by ", ns);
		tree_add_prop(node, view_take(&sb));
	}
	for (size_t i = 0; i < ns->nsources; i++)
		add_source_prop(node, v, ns, &ns->sources[i]);
	for (size_t i = 0; i < ns->nchildren; i++)
		tree_add_child(node, ns_node(v, ns->children[i]));
	return node;
}

/* Namespaces by type; user and PID namespaces as their hierarchies. */
static void render(const struct options *o, const struct view *v)
{
	const struct model *m = v->m;
	struct tree_node **roots = xcalloc(m->nns + 1, sizeof(*roots));
	size_t n = 0;

	for (size_t i = 0; i < m->nns; i++) {
		const struct ns *ns = m->nss[i];

		if (typeset_has(&o->types, ns->type) && !ns->parent)
			roots[n++] = ns_node(v, ns);
	}
	cli_print_trees(&o->common, roots, n);
	free(roots);
}

/* The dump carries the warning the tool printed. */
static void dump(const struct model *m)
{
	char *warning = warning_text(m);

	if (json_dump_model(m, &warning, warning ? 1 : 0, stdout) < 0)
		cli_output_failed(errno);
	free(warning);
}

int main(int argc, char **argv)
{
	struct options o = { .common = CLI_COMMON_INIT };
	struct model m;
	struct view v;

	cli_init("nsdiscover", usage);
	cli_parse_options(argc, argv, &this_tool, &o.common, &o);
	if (!o.json)
		cli_for_labels_only(&o.common);
	cli_get_model(&o.common, &m);
	if (o.json) {
		dump(&m);
	} else {
		view_init(&v, &m, o.common.color);
		render(&o, &v);
		view_release(&v);
	}
	model_release(&m);
	cli_exit(EXIT_DONE);
}
