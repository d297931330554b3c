/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every tool does the same way: its name in messages, the shared
 * options, exit statuses, errors and warnings on stderr, getting the model
 * (live or from a dump), and checking that the output was written.
 */
#ifndef NSTOOLS_CLI_H
#define NSTOOLS_CLI_H

#include "model/model.h"
#include "ui/style.h"
#include "ui/tree.h"
#include "model/typelist.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdnoreturn.h>

enum {
	EXIT_DONE = 0,    /* also when partial for lack of privileges */
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
};

#ifndef NSTOOLS_VERSION
#define NSTOOLS_VERSION "unknown"
#endif

/*
 * Sets the name messages start with, the SIGPIPE behaviour and the usage
 * function that -h/--help calls (it prints to stdout and exits 0).
 */
void cli_init(const char *tool_name, void (*usage)(void));
const char *cli_tool_name(void);

/*
 * fn is called before an error is written to stderr: the interactive
 * interface gives the terminal back first, so that an error that ends
 * the tool is seen. While fn is set, warnings are not written: the
 * interface shows its own. NULL: none.
 */
void cli_before_messages(void (*fn)(void));

/* "TOOL: message" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The misuse message and exit 2. */
noreturn void cli_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* "TOOL VERSION" on stdout, then exit as cli_exit does. */
noreturn void cli_print_version(void);

/* Remembers why a write to stdout failed, for cli_exit's message. */
void cli_output_failed(int err);

/*
 * Flushes and closes stdout and exits with status, or with 1 and a message
 * if the output could not be written. A closed pipe never gets here: the
 * default SIGPIPE ends the tool quietly.
 */
noreturn void cli_exit(int status);

/* What the terminal must have for -i to be of use. */
#define CLI_INTERACTIVE_MIN_COLS 40
#define CLI_INTERACTIVE_MIN_LINES 10

/* The default of --interval, in seconds, and its range. */
#define CLI_INTERVAL 2.0
#define CLI_INTERVAL_MIN 0.1
#define CLI_INTERVAL_MAX 86400.0

/* The options all four tools share. */
struct cli_common {
	enum color_when color;
	int treestyle;            /* enum tree_style, or -1: by the locale */
	const char *load;         /* --load FILE, "-" for stdin */
	bool interactive;         /* -i: ui/interactive.h */
	double interval;          /* --interval, seconds */
	bool interval_given;
	bool notruncate;          /* --notruncate: lines never fitted */
	struct discovery_scope scope;
};

#define CLI_COMMON_INIT                                                        \
	{ .color = COLOR_AUTO, .treestyle = -1, .interval = CLI_INTERVAL }

/* A tool's long-only options take values from here up. */
#define CLI_OPT_TOOL 0x180
/* The long-only options of ui/focus.h take these, below a tool's. */
#define CLI_OPT_FOCUS 0x170

/* What a tool adds to the shared options; see cli_parse_options. */
struct cli_tool {
	const char *shortopts;          /* as getopt takes them: "dt:" */
	const struct option *longopts;  /* ends with a zeroed entry */
	/*
	 * Takes option c (its short letter or long-only value) with its
	 * value arg (NULL when it has none) into ctx; false when c is none
	 * of the tool's. May exit with cli_usage_error for a bad value.
	 */
	bool (*option)(int c, const char *arg, void *ctx);
	int max_operands;               /* arguments after the options */
	bool notruncate_u;              /* -u is --notruncate (lspidns: no) */
};

/*
 * Parses argv with getopt_long: the shared options into common, the
 * tool's through tool->option(c, arg, tool_options). Exits 0 after
 * --help or --version, 2 with a message for an unknown option, a missing
 * or bad value, or more operands than the tool takes, for --load with a
 * --no-* switch or --interval (a dump is shown as it was made), and for
 * -i where it cannot work (not a terminal, one too small, --interval
 * without -i).
 * Returns the index in argv of the first operand (argc when there is
 * none).
 */
int cli_parse_options(int argc, char **argv, const struct cli_tool *tool,
		      struct cli_common *common, void *tool_options);

/*
 * " (did you mean --color=WHEN?)" when operand is auto, always or never
 * and came right after a bare -c or --color (whose value must be joined
 * to it: -cWHEN, --color=WHEN), else "": for a message about an operand.
 */
const char *cli_operand_hint(const char *operand);

/*
 * For a view whose labels are all it shows of processes: no command
 * lines, no UIDs, no pidfd inodes, the cgroups of ealdormen only; and no
 * network namespace's nsid, which no label shows.
 */
void cli_for_labels_only(struct cli_common *o);

/* -t, --type=LIST: adds the types of arg to ts; a usage error if unknown. */
void cli_parse_types(struct typeset *ts, const char *arg);

/* The --help lines of the shared options. */
void cli_common_help(void);

/*
 * The model the view renders: loaded from --load, or discovered live;
 * exits 1 when there is no model to be had. The warning is the caller's
 * to print (cli_warn_about), once what the command line named is found
 * in m: an error about it is said alone.
 */
void cli_get_model(const struct cli_common *o, struct model *m);

/*
 * For the interactive interface: the model as cli_get_model gets it,
 * without the warning (the interface shows it), and after a live
 * discovery with its capabilities still permitted, none effective, for
 * cli_rediscover(). From a dump, every capability is dropped as always.
 */
void cli_get_model_kept(const struct cli_common *o, struct model *m);

/*
 * Discovers again into m (initialised here), the capabilities of
 * cli_get_model_kept effective only while it runs. Returns 0, or what
 * discover() returned (-errno; m then released).
 */
int cli_rediscover(const struct cli_common *o, struct model *m);

/*
 * What /proc shows of pid before a discovery (see discover_pid_lookup in
 * engine/discover.h): 0 with *tgid the process pid is, or is a thread
 * of; -ENOENT when /proc has no such PID; another -errno when it cannot
 * tell (own_pidns: the PID counts in the tool's own PID namespace).
 */
int cli_pid_lookup(pid_t pid, bool own_pidns, pid_t *tgid);

/* Prints the one warning about what the discovery of m could not read. */
void cli_warn_about(const struct model *m);

/* The tree style the options and the locale ask for. */
enum tree_style cli_tree_style(const struct cli_common *o);

/*
 * The columns the text view's lines are fitted to (ui/fit.h): those of
 * the terminal on stdout (COLUMNS where set to a number, else the
 * kernel's), or 0 when lines are written whole: stdout is no terminal,
 * --notruncate, or the width is not known. The one place that decides.
 */
size_t cli_fit_width(const struct cli_common *o);

/*
 * Writes each tree to stdout in the chosen style, and frees them; with a
 * width (cli_fit_width), each line fitted to it, from the labels of a
 * view made by view_init_fitted.
 */
void cli_print_trees(const struct cli_common *o, struct tree_node **roots,
		     size_t n, size_t width);

#endif
