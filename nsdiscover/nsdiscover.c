/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nsdiscover: everything found, and where; --json dumps the whole model.
 */
#include "cli.h"
#include "discover.h"
#include "json.h"
#include "model.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct options {
	bool json;
	struct discover_opts discover;
};

static noreturn void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Find every Linux namespace visible from here and show where each\n"
	       "one was found.\n"
	       "\n"
	       "Options:\n"
	       "      --json        dump the whole model as JSON\n"
	       "      --no-tasks    do not read the threads of processes\n"
	       "      --no-fds      do not read open file descriptors (nor sockets)\n"
	       "      --no-sockets  do not ask sockets for their network namespace\n"
	       "      --no-mounts   do not read the bind mounts of mount namespaces\n"
	       "  -h, --help        show this help and exit\n"
	       "  -V, --version     show the version and exit\n",
	       cli_tool_name());
	cli_exit(EXIT_DONE);
}

enum { OPT_JSON = 256, OPT_NO_TASKS, OPT_NO_FDS, OPT_NO_SOCKETS, OPT_NO_MOUNTS };

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "no-tasks", no_argument, NULL, OPT_NO_TASKS },
		{ "no-fds", no_argument, NULL, OPT_NO_FDS },
		{ "no-sockets", no_argument, NULL, OPT_NO_SOCKETS },
		{ "no-mounts", no_argument, NULL, OPT_NO_MOUNTS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_NO_TASKS:
			o->discover.skip[PASS_TASKS] = true;
			break;
		case OPT_NO_FDS:
			o->discover.skip[PASS_FDS] = true;
			o->discover.skip[PASS_SOCKETS] = true;
			break;
		case OPT_NO_SOCKETS:
			o->discover.skip[PASS_SOCKETS] = true;
			break;
		case OPT_NO_MOUNTS:
			o->discover.skip[PASS_MOUNTS] = true;
			break;
		case 'h':
			usage();
		case 'V':
			cli_print_version();
		case ':':
			cli_usage_error("option '%s' needs a value",
					argv[optind - 1]);
		default:
			cli_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		cli_usage_error("unexpected argument '%s'", argv[optind]);
}

/* Until the tree view lands: one namespace a line. */
static void print_list(const struct model *m)
{
	for (size_t i = 0; i < m->nns; i++) {
		const struct ns *ns = m->nss[i];
		const struct proc *e = model_proc(m, ns->ealdorman);

		printf("%s:[%llu] %zu", ns_type_name(ns->type),
		       (unsigned long long)ns->ino, ns->nprocs);
		if (e)
			printf(" %d %s\n", (int)e->pid, e->name);
		else
			printf(" %s\n", ns->hidden ? "hidden" : "-");
	}
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct model m;
	int ret;

	cli_init("nsdiscover");
	parse_options(argc, argv, &o);
	model_init(&m);
	ret = discover(&m, &o.discover);
	if (ret == -ESRCH) {
		cli_error("/proc does not show this process: mount a procfs of "
			  "this PID namespace");
		cli_exit(EXIT_FAILED);
	}
	if (ret < 0) {
		cli_error("cannot read /proc: %s", strerror(-ret));
		cli_exit(EXIT_FAILED);
	}
	for (size_t i = 0; i < m.discovery.nwarnings; i++)
		cli_warning("%s", m.discovery.warnings[i]);
	if (o.json)
		json_dump_model(&m, stdout);
	else
		print_list(&m);
	model_release(&m);
	cli_exit(EXIT_DONE);
}
