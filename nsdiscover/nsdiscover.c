/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nsdiscover: everything found, and where: every namespace with every
 * place that holds it; --json dumps the whole model.
 */
#include "ui/cli.h"
#include "ui/details.h"
#include "ui/focus.h"
#include "ui/interactive.h"
#include "model/json.h"
#include "ui/nslist.h"
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
	struct focus focus;
	bool list;                /* -l, or an option only a list has */
	const char *output;       /* -o as given; NULL: the default columns */
	bool output_all;
	bool list_columns;
	struct nslist table;      /* the format options of the list */
};

enum {
	OPT_JSON = CLI_OPT_TOOL,
	OPT_OUTPUT_ALL,
	OPT_LIST_COLUMNS,
};

/* More than a command line can hold: every operand is a namespace. */
#define MAX_OPERANDS (1 << 20)

static void usage(void)
{
	printf("Usage: %s [options] [NS...]\n"
	       "\n"
	       "Find every Linux namespace visible from here and show where each\n"
	       "one was found: processes, threads, open file descriptors,\n"
	       "sockets, bind mounts in any mount namespace, or only as the\n"
	       "parent or owner of another. NS (type:[INODE], INODE or id:ID;\n"
	       "container:NAME: the namespaces of its init process): only these,\n"
	       "each with the processes and threads in it.\n"
	       "\n"
	       "Options:\n"
	       "  -t, --type=LIST     only these types (comma-separated: cgroup,\n"
	       "                      ipc,mnt,net,pid,time,user,uts)\n"
	       "  -p, --pid=PID       only the namespaces of process PID;\n"
	       "                      container:NAME or container:ID-PREFIX: of\n"
	       "                      its init process\n"
	       "      --task=PID      the same as --pid, a PID only\n"
	       "      --ns=PIDNS      the PID namespace PID counts in: pid:[INODE],\n"
	       "                      INODE or id:ID (default: as /proc shows it)\n"
	       "      --json          dump the whole model as JSON instead\n"
	       "\n"
	       "List (one namespace a line, lsns's columns and more):\n"
	       "  -l, --list          a list instead of the tree\n"
	       "  -o, --output=LIST   the columns (+LIST: the default and LIST)\n"
	       "      --output-all    every column\n"
	       "      --list-columns  the name and meaning of every column\n"
	       "  -n, --noheadings    no line of headings\n"
	       "  -r, --raw           raw: one space between columns, escaped\n"
	       "  -J                  the list as JSON (--json is the model)\n"
	       "  -W, --nowrap        never wrap a column over lines\n"
	       "  Each of -o, --output-all, -n, -r, -J, -W implies -l.\n",
	       cli_tool_name());
	cli_common_help();
}

/* The options of the list's format; each one asks for a list. */
static bool take_list_option(int c, const char *arg, struct options *o)
{
	struct nslist *l = &o->table;

	switch (c) {
	case 'o':
		o->output = arg;
		break;
	case OPT_OUTPUT_ALL:
		o->output_all = true;
		break;
	case 'n':
		l->noheadings = true;
		break;
	case 'r':
		l->format = NSLIST_RAW;
		break;
	case 'J':
		l->format = NSLIST_JSON;
		break;
	case 'W':
		l->nowrap = true;
		break;
	default:
		return false;
	}
	o->list = true;
	return true;
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
	case 'l':
		o->list = true;
		return true;
	case OPT_LIST_COLUMNS:
		o->list_columns = true;
		return true;
	default:
		return focus_option(&o->focus, c, arg) ||
		       take_list_option(c, arg, o);
	}
}

static const struct option longopts[] = {
	{ "type", required_argument, NULL, 't' },
	{ "json", no_argument, NULL, OPT_JSON },
	FOCUS_PID_LONGOPTS,
	{ "ns", required_argument, NULL, FOCUS_OPT_NS },
	{ "list", no_argument, NULL, 'l' },
	{ "output", required_argument, NULL, 'o' },
	{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
	{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "raw", no_argument, NULL, 'r' },
	{ "nowrap", no_argument, NULL, 'W' },
	{ NULL, 0, NULL, 0 },
};

static const struct cli_tool this_tool = {
	.shortopts = "t:p:lo:nrJW",
	.notruncate_u = true,
	.longopts = longopts,
	.option = take_option,
	.max_operands = MAX_OPERANDS,
};

/*
 * The list's columns: -o (after the defaults with +LIST), --output-all,
 * else lsns's defaults for the types asked for.
 */
static void choose_columns(struct options *o)
{
	const char *list = o->output;
	char bad[32];
	int ret;

	if (o->output_all) {
		nslist_all_columns(&o->table);
		return;
	}
	if (!list || *list == '+')
		nslist_default_columns(&o->table, &o->types);
	if (!list)
		return;
	if (*list == '+')
		list++;
	else
		o->table.ncols = 0;
	ret = nslist_add_columns(&o->table, list, bad, sizeof(bad));
	if (ret == -E2BIG)
		cli_usage_error("more than %d columns", NSLIST_MAX_COLUMNS);
	if (ret < 0 && !*bad)
		cli_usage_error("empty column name in '%s'", o->output);
	if (ret < 0)
		cli_usage_error("unknown column '%s'", bad);
}

/* What no single option can check; the list's columns. */
static void check_options(struct options *o)
{
	if (o->list_columns) {
		nslist_print_columns(stdout);
		cli_exit(EXIT_DONE);
	}
	focus_check_options(&o->focus);
	if (o->json && focus_narrows(&o->focus))
		cli_usage_error("--json dumps the whole model: no -p, no "
				"namespace arguments");
	if (o->json && o->list)
		cli_usage_error("--json dumps the model and --list lists "
				"namespaces: one or the other (-J is the list "
				"as JSON)");
	if (o->output && o->output_all)
		cli_usage_error("--output and --output-all: one or the other");
	if (o->common.interactive && o->json)
		cli_usage_error("-i shows a view and --json dumps the model: "
				"one or the other");
	if (o->common.interactive && o->table.format != NSLIST_TABLE)
		cli_usage_error("-i shows the list as a table: no -r, no -J");
	if (o->list)
		choose_columns(o);
}

/* A namespace, and below it the namespaces it is the parent of. */
static struct tree_node *ns_node(const struct view *v, const struct ns *ns)
{
	struct tree_node *node = details_ns_summary(v, ns);

	for (size_t i = 0; i < ns->nchildren; i++)
		tree_add_child(node, ns_node(v, ns->children[i]));
	return node;
}

/*
 * -p and namespace arguments: the namespaces in focus, by type (those
 * of the process) or as named. Those of the process show where they
 * were found; those named, also what is in them.
 */
static size_t focus_roots(const struct options *o, const struct view *v,
			  struct tree_node **roots)
{
	const struct focus *f = &o->focus;
	size_t n = 0;

	for (size_t i = 0; i < f->nin; i++) {
		const struct ns *ns = f->in[i];

		if (!typeset_has(&o->types, ns->type))
			continue;
		roots[n++] = f->noperands ? details_of_ns(v, ns)
					  : details_ns_summary(v, ns);
	}
	return n;
}

/* Namespaces by type; user and PID namespaces as their hierarchies. */
static void build_trees(struct interactive_frame *f, const struct options *o,
			const struct view *v)
{
	const struct model *m = v->m;
	size_t n = 0;

	f->roots = xcalloc(m->nns + 1, sizeof(*f->roots));
	if (focus_narrows(&o->focus))
		n = focus_roots(o, v, f->roots);
	for (size_t i = 0; !focus_narrows(&o->focus) && i < m->nns; i++) {
		const struct ns *ns = m->nss[i];

		if (typeset_has(&o->types, ns->type) && !ns->parent)
			f->roots[n++] = ns_node(v, ns);
	}
	f->nroots = n;
}

/* -t, -p and namespace arguments narrow the list as they do the tree. */
static bool list_shows(const struct ns *ns, const void *ctx)
{
	const struct options *o = ctx;

	return typeset_has(&o->types, ns->type) &&
	       focus_includes(&o->focus, ns);
}

static noreturn void out_of_memory(void)
{
	cli_error("out of memory");
	cli_exit(EXIT_FAILED);
}

static void list(const struct options *o, const struct model *m)
{
	struct view v;
	int ret;

	view_init(&v, m, o->common.color);
	ret = nslist_print(&o->table, &v, list_shows, o);
	view_release(&v);

	if (ret == -ENOMEM)
		out_of_memory();
	if (ret < 0)
		cli_output_failed(-ret);
}

/* The list on the screen: a line a namespace under the columns' names. */
static void build_list(struct interactive_frame *f, const struct options *o,
		       const struct view *v)
{
	struct nslist_rows rows;

	if (nslist_rows(&o->table, v, list_shows, o, &rows) < 0)
		out_of_memory();
	f->roots = rows.nodes;
	f->nroots = rows.n;
	f->header = rows.header;
}

/*
 * The view of v's model, resolving -p and namespace arguments in it: for
 * the text and the screen.
 */
static void build(struct interactive_frame *f, const struct view *v,
		  void *ctx)
{
	struct options *o = ctx;

	focus_resolve(&o->focus, v->m);
	if (o->list)
		build_list(f, o, v);
	else
		build_trees(f, o, v);
}

/* The dump carries the warning the tool printed. */
static void dump(const struct model *m)
{
	char *warning = warning_text(m);

	if (json_dump_model(m, &warning, warning ? 1 : 0, stdout) < 0)
		cli_output_failed(errno);
	free(warning);
}

/*
 * The dump needs everything; the list what its columns show; the tree
 * shows processes only in labels, but namespace arguments show every
 * process in them, with its cgroup, and its threads, and a network
 * namespace's nsid.
 */
static void needs(struct options *o)
{
	struct discovery_scope *d = &o->common.scope;

	if (o->json)
		return;
	if (o->list) {
		nslist_scope(&o->table, d);
		return;
	}
	cli_for_labels_only(&o->common);
	if (o->focus.noperands) {
		d->ealdormen_cgroups = false;
		d->no_netnsids = false;
	}
}

int main(int argc, char **argv)
{
	struct options o = { .common = CLI_COMMON_INIT };
	struct model m;
	int first;

	cli_init("nsdiscover", usage);
	first = cli_parse_options(argc, argv, &this_tool, &o.common, &o);
	o.table.notruncate = o.common.notruncate;
	focus_add_operands(&o.focus, argc, argv, first);
	check_options(&o);
	focus_check_live(&o.focus, &o.common, false);
	needs(&o);
	focus_scope(&o.focus, &o.common.scope);
	if (o.common.interactive || !(o.json || o.list)) {
		interactive_or_print(&o.common, build, &o);
	} else {
		cli_get_model(&o.common, &m);
		focus_resolve(&o.focus, &m);
		cli_warn_about(&m);
		if (o.json)
			dump(&m);
		else
			list(&o, &m);
		model_release(&m);
	}
	focus_release(&o.focus);
	cli_exit(EXIT_DONE);
}
