/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lsuserns: the user namespace hierarchy; with -d, what each one owns.
 */
#include "ui/cli.h"
#include "ui/view.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

struct options {
	struct cli_common common;
	bool details;
	struct typeset types;
};

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Show the hierarchy of user namespaces, each with the process that\n"
	       "best identifies it and the user that created it.\n"
	       "\n"
	       "Options:\n"
	       "  -d, --details       under each user namespace, the namespaces it\n"
	       "                      owns\n"
	       "  -t, --type=LIST     -d, but only these types (comma-separated:\n"
	       "                      cgroup,ipc,mnt,net,pid,time,uts)\n",
	       cli_tool_name());
	cli_common_help();
}

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "details", no_argument, NULL, 'd' },
		{ "type", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CLI_COMMON_SHORTOPTS "dt:",
				longopts, NULL)) != -1) {
		if (cli_common_option(&o->common, c, optarg, argv))
			continue;
		switch (c) {
		case 'd':
			o->details = true;
			break;
		case 't':
			cli_parse_types(&o->types, optarg);
			/* user namespaces are the tree, never a detail */
			if (o->types.has[NS_USER])
				cli_usage_error("-t takes the types a user "
						"namespace owns, not user");
			o->details = true;
			break;
		default:
			cli_bad_option(argv);
		}
	}
	if (optind < argc)
		cli_usage_error("unexpected argument '%s'", argv[optind]);
}

static char *user_label(const struct view *v, const struct ns *ns)
{
	struct strbuf sb = STRBUF_INIT;

	view_add_ns_node(&sb, v, ns);
	return view_take(&sb);
}

static struct tree_node *user_tree(const struct view *v,
				   const struct options *o,
				   const struct ns *ns)
{
	struct tree_node *node = tree_node_new(user_label(v, ns));

	for (size_t i = 0; o->details && i < ns->nowned; i++) {
		const struct ns *owned = ns->owned[i];
		struct strbuf sb = STRBUF_INIT;

		if (!typeset_has(&o->types, owned->type))
			continue;
		view_add_ns_label(&sb, v, owned);
		tree_add_prop(node, view_take(&sb));
	}
	for (size_t i = 0; i < ns->nchildren; i++)
		tree_add_child(node, user_tree(v, o, ns->children[i]));
	return node;
}

int main(int argc, char **argv)
{
	struct options o = { .common = CLI_COMMON_INIT };
	struct tree_node **roots;
	struct model m;
	struct view v;

	cli_init("lsuserns", usage);
	parse_options(argc, argv, &o);
	/* every type: a user namespace may be known only as an owner */
	cli_for_labels_only(&o.common);
	cli_get_model(&o.common, &m);
	view_init(&v, &m, o.common.color);
	roots = calloc(m.nuser_roots + 1, sizeof(*roots));
	for (size_t i = 0; i < m.nuser_roots; i++)
		roots[i] = user_tree(&v, &o, m.user_roots[i]);
	cli_print_trees(&o.common, roots, m.nuser_roots);
	free(roots);
	view_release(&v);
	model_release(&m);
	cli_exit(EXIT_DONE);
}
