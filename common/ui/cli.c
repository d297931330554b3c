/* SPDX-License-Identifier: Apache-2.0 */
#include "ui/cli.h"

#include "engine/caps.h"
#include "engine/discover.h"
#include "model/json.h"
#include "lib/number.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "ui/fit.h"
#include "ui/warning.h"
#include "lib/util.h"

#include <langinfo.h>
#include <locale.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static void (*tool_usage)(void);
/* errno of the first failed write to stdout, which ferror() forgets */
static int output_errno;
/* glibc takes a buffer size only together with a buffer */
static char stdout_buffer[1 << 16];

void cli_init(const char *name, void (*usage)(void))
{
	set_program_name(name);
	tool_usage = usage;
	/* written in large pieces: a view can be thousands of lines */
	setvbuf(stdout, stdout_buffer, _IOFBF, sizeof(stdout_buffer));
	/* `| head -1` must end us quietly, even if our parent ignored it */
	signal(SIGPIPE, SIG_DFL);
}

const char *cli_tool_name(void)
{
	return program_name();
}

static void (*before_messages)(void);

void cli_before_messages(void (*fn)(void))
{
	before_messages = fn;
}

__attribute__((format(printf, 2, 0)))
static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", program_name(), prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	if (before_messages)
		before_messages();
	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;

	/* the screen shows its own */
	if (before_messages)
		return;
	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

noreturn void cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	if (before_messages)
		before_messages();
	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n",
		program_name());
	exit(EXIT_USAGE);
}

noreturn void cli_print_version(void)
{
	printf("%s %s\n", program_name(), NSTOOLS_VERSION);
	cli_exit(EXIT_DONE);
}

void cli_output_failed(int err)
{
	if (!output_errno)
		output_errno = err;
}

noreturn void cli_exit(int status)
{
	int err = 0;

	/* an earlier failed write leaves the error flag, not its errno */
	if (fflush(stdout) != 0)
		err = errno ? errno : EIO;
	else if (ferror(stdout))
		err = output_errno ? output_errno : EIO;
	if (fclose(stdout) != 0 && !err)
		err = errno ? errno : EIO;
	if (err) {
		cli_error("write error: %s", strerror(err));
		_exit(EXIT_FAILED);
	}
	exit(status);
}

/* The shared long-only options; a tool's start at CLI_OPT_TOOL. */
enum {
	OPT_TREESTYLE = 0x100,
	OPT_LOAD,
	OPT_NO_TASKS,
	OPT_NO_FDS,
	OPT_NO_SOCKETS,
	OPT_NO_MOUNTS,
	OPT_NO_CONTAINERS,
	OPT_INTERVAL,
	OPT_NOTRUNCATE,
	OPT_END_OF_SHARED,
};
_Static_assert(OPT_END_OF_SHARED <= CLI_OPT_FOCUS &&
		       CLI_OPT_FOCUS + 0x10 <= CLI_OPT_TOOL,
	       "the shared, focus and tool long-only values would overlap");

static const char common_shortopts[] = "c::hVi";
static const struct option common_longopts[] = {
	{ "color", optional_argument, NULL, 'c' },
	{ "treestyle", required_argument, NULL, OPT_TREESTYLE },
	{ "load", required_argument, NULL, OPT_LOAD },
	{ "no-tasks", no_argument, NULL, OPT_NO_TASKS },
	{ "no-fds", no_argument, NULL, OPT_NO_FDS },
	{ "no-sockets", no_argument, NULL, OPT_NO_SOCKETS },
	{ "no-mounts", no_argument, NULL, OPT_NO_MOUNTS },
	{ "no-containers", no_argument, NULL, OPT_NO_CONTAINERS },
	{ "interactive", no_argument, NULL, 'i' },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "notruncate", no_argument, NULL, OPT_NOTRUNCATE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};

/*
 * With opterr off getopt is quiet and says '?'; optopt is then the
 * unknown letter, or 0 (or a long-only value) for a long option.
 */
static noreturn void bad_option(char **argv)
{
	const char *opt = argv[optind - 1];

	if (optopt && optopt < 0x100)
		cli_usage_error("invalid option -- '%c'", optopt);
	cli_usage_error("unrecognized option '%s'", opt);
}

static noreturn void missing_value(char **argv)
{
	if (optopt && optopt < 0x100)
		cli_usage_error("option requires an argument -- '%c'", optopt);
	cli_usage_error("option '%s' requires an argument", argv[optind - 1]);
}

/* --help, --version, and getopt's answers to a misuse: they end the tool. */
static void exit_option(int c, char **argv)
{
	switch (c) {
	case 'h':
		tool_usage();
		cli_exit(EXIT_DONE);
	case 'V':
		cli_print_version();
	case ':':
		missing_value(argv);
	case '?':
		bad_option(argv);
	}
}

static int parse_tree_style(const char *arg)
{
	if (!strcmp(arg, "line"))
		return TREE_STYLE_LINE;
	if (!strcmp(arg, "ascii"))
		return TREE_STYLE_ASCII;
	cli_usage_error("invalid --treestyle '%s' (line, ascii)", arg);
}

static double parse_interval(const char *arg)
{
	char *end;
	double secs;

	errno = 0;
	secs = strtod(arg, &end);
	if (errno || end == arg || *end || !(secs >= CLI_INTERVAL_MIN) ||
	    !(secs <= CLI_INTERVAL_MAX))
		cli_usage_error("invalid --interval '%s' (seconds, from %g to "
				"%g)", arg, CLI_INTERVAL_MIN, CLI_INTERVAL_MAX);
	return secs;
}

/* -i and --interval: the interactive interface. */
static bool interactive_option(struct cli_common *o, int c, const char *arg)
{
	if (c == 'i') {
		o->interactive = true;
	} else if (c == OPT_INTERVAL) {
		o->interval = parse_interval(arg);
		o->interval_given = true;
	} else {
		return false;
	}
	return true;
}

/* Whether the tool's -u is --notruncate: for --help too. */
static bool notruncate_u;

/* --notruncate, and -u where the tool gives it that letter. */
static bool notruncate_option(struct cli_common *o, int c)
{
	if (c != OPT_NOTRUNCATE && !(c == 'u' && notruncate_u))
		return false;
	o->notruncate = true;
	return true;
}

/* --color, --treestyle and --load: how to show, and what. */
static bool value_option(struct cli_common *o, int c, const char *arg)
{
	switch (c) {
	case 'c':
		if (style_parse_when(arg, &o->color) < 0)
			cli_usage_error("invalid --color '%s' (auto, always, "
					"never)", arg);
		return true;
	case OPT_TREESTYLE:
		o->treestyle = parse_tree_style(arg);
		return true;
	case OPT_LOAD:
		if (!*arg)
			cli_usage_error("--load needs a file name (- for "
					"standard input)");
		o->load = arg;
		return true;
	default:
		return false;
	}
}

/* --no-*: the passes a discovery leaves out. */
static bool scope_option(struct discovery_scope *scope, int c)
{
	switch (c) {
	case OPT_NO_TASKS:
		scope->skip[PASS_TASKS] = true;
		return true;
	case OPT_NO_FDS:
		/* sockets are found through the fds */
		scope->skip[PASS_FDS] = true;
		scope->skip[PASS_SOCKETS] = true;
		return true;
	case OPT_NO_SOCKETS:
		scope->skip[PASS_SOCKETS] = true;
		return true;
	case OPT_NO_MOUNTS:
		scope->skip[PASS_MOUNTS] = true;
		return true;
	case OPT_NO_CONTAINERS:
		scope->skip[PASS_CONTAINERS] = true;
		return true;
	default:
		return false;
	}
}

/* True when c was a shared option; exits for those that end the tool. */
static bool common_option(struct cli_common *o, int c, const char *arg,
			  char **argv)
{
	exit_option(c, argv);
	return value_option(o, c, arg) || scope_option(&o->scope, c) ||
	       interactive_option(o, c, arg) || notruncate_option(o, c);
}

/*
 * -i where it cannot work, told before a discovery: the terminal's size
 * is asked of the kernel, not of terminfo, which is read only later,
 * without privileges.
 */
static void check_interactive(const struct cli_common *o)
{
	struct winsize ws;

	if (o->interval_given && !o->interactive)
		cli_usage_error("--interval is for the interactive interface "
				"(-i)");
	if (!o->interactive)
		return;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		cli_usage_error("-i needs a terminal on standard input and "
				"output");
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col &&
	    (ws.ws_col < CLI_INTERACTIVE_MIN_COLS ||
	     ws.ws_row < CLI_INTERACTIVE_MIN_LINES))
		cli_usage_error("the terminal is too small for -i: %ux%u, at "
				"least %dx%d are needed", ws.ws_col, ws.ws_row,
				CLI_INTERACTIVE_MIN_COLS,
				CLI_INTERACTIVE_MIN_LINES);
}

/*
 * --load shows the dump as it was made: its passes are the dump's, and
 * nothing is discovered again. A switch that would change a discovery is
 * refused rather than ignored. Only the user's switches are set here: a
 * tool narrows its scope after parsing.
 */
static void check_load(const struct cli_common *o)
{
	if (!o->load)
		return;
	for (int pass = 0; pass < PASS_COUNT; pass++)
		if (o->scope.skip[pass])
			cli_usage_error("--load shows the dump as it was made: "
					"--no-%s leaves out a pass of a "
					"discovery, and there is none",
					discovery_pass_name(pass));
	if (o->interval_given)
		cli_usage_error("--load shows the dump as it was made: "
				"--interval is for discovering again, and "
				"there is no discovery");
}

/* ':' first: a missing value is then ':', told apart from an unknown '?'. */
static char *merged_shortopts(const struct cli_tool *tool)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addc(&sb, ':');
	strbuf_adds(&sb, common_shortopts);
	if (tool->notruncate_u)
		strbuf_addc(&sb, 'u');
	if (tool->shortopts)
		strbuf_adds(&sb, tool->shortopts);
	return strbuf_detach(&sb);
}

/* The shared long options, then the tool's, then the zeroed end. */
static struct option *merged_longopts(const struct option *tool)
{
	size_t ncommon = ARRAY_SIZE(common_longopts);
	size_t ntool = 0;
	struct option *all;

	while (tool && tool[ntool].name)
		ntool++;
	all = xcalloc(ncommon + ntool + 1, sizeof(*all));
	memcpy(all, common_longopts, sizeof(common_longopts));
	if (ntool)
		memcpy(all + ncommon, tool, ntool * sizeof(*tool));
	return all;
}

/*
 * The word after a bare -c or --color: an optional value must be joined
 * to its option, and `-c always` leaves `always` an operand. getopt moves
 * the operands, not the strings: the pointer finds it again.
 */
static const char *after_bare_color;

static void note_bare_color(int c, int argc, char **argv)
{
	if (c == 'c' && !optarg && optind < argc && argv[optind][0] != '-')
		after_bare_color = argv[optind];
}

const char *cli_operand_hint(const char *operand)
{
	static char hint[64];
	enum color_when when;

	if (operand != after_bare_color ||
	    style_parse_when(operand, &when) < 0)
		return "";
	snprintf(hint, sizeof(hint), " (did you mean --color=%s?)", operand);
	return hint;
}

/*
 * The merged options live while the tool does: a bad value ends it from
 * inside the loop, and what it allocated must still be reachable then.
 */
static char *shortopts;
static struct option *longopts;

int cli_parse_options(int argc, char **argv, const struct cli_tool *tool,
		      struct cli_common *common, void *tool_options)
{
	int c;

	notruncate_u = tool->notruncate_u;
	shortopts = merged_shortopts(tool);
	longopts = merged_longopts(tool->longopts);
	/* the messages are ours, in the tool's name */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		note_bare_color(c, argc, argv);
		if (common_option(common, c, optarg, argv))
			continue;
		if (!tool->option || !tool->option(c, optarg, tool_options))
			bad_option(argv);
	}
	free(shortopts);
	free(longopts);
	shortopts = NULL;
	longopts = NULL;
	if (argc - optind > tool->max_operands)
		cli_usage_error("unexpected argument '%s'%s",
				argv[optind + tool->max_operands],
				cli_operand_hint(
					argv[optind + tool->max_operands]));
	check_interactive(common);
	check_load(common);
	return optind;
}

void cli_for_labels_only(struct cli_common *o)
{
	o->scope.no_cmdlines = true;
	o->scope.no_uids = true;
	o->scope.ealdormen_cgroups = true;
	o->scope.no_pidfd_inos = true;
	o->scope.no_netnsids = true;
}

void cli_parse_types(struct typeset *ts, const char *arg)
{
	char bad[32];

	if (typeset_parse(ts, arg, bad) < 0)
		cli_usage_error("unknown namespace type '%s'", bad);
}

void cli_common_help(void)
{
	fputs("  -c, --color[=WHEN]  colour the output: auto (the default: on a\n"
	      "                      terminal that has colours, NO_COLOR unset),\n"
	      "                      always (a bare -c), never\n"
	      "      --treestyle=STYLE  line (the default in a UTF-8 locale) or\n"
	      "                      ascii\n"
	      "      --load=FILE     render a dump of nsdiscover --json instead of\n"
	      "                      discovering (- for standard input)\n"
	      "      --no-tasks      do not read the threads of processes\n"
	      "      --no-fds        do not read open file descriptors (nor\n"
	      "                      sockets)\n"
	      "      --no-sockets    do not ask sockets for their network\n"
	      "                      namespace\n"
	      "      --no-mounts     do not read the bind mounts of mount\n"
	      "                      namespaces\n"
	      "      --no-containers  do not name the containers and systemd\n"
	      "                      units of processes\n"
	      "  -i, --interactive   browse the view full-screen: fold, search,\n"
	      "                      details, discover again (? shows the keys)\n"
	      "      --interval=SECONDS  with -i, how often w discovers again\n"
	      "                      (default 2)\n",
	      stdout);
	fputs(notruncate_u ? "  -u, --notruncate    " : "      --notruncate    ",
	      stdout);
	fputs("never shorten a line or a column to fit the\n"
	      "                      terminal\n"
	      "  -h, --help          show this help and exit\n"
	      "  -V, --version       show the version and exit\n",
	      stdout);
}

/*
 * Root that may not open a file: every capability, CAP_DAC_OVERRIDE too,
 * is gone before the dump is opened, so that a dump cannot name a file
 * the user could not read (HACKING.md, "Design notes"). The shell that
 * redirects standard input still has them.
 */
static noreturn void cannot_open(const char *path, int err)
{
	if ((err == EACCES || err == EPERM) && geteuid() == 0)
		cli_error("cannot open %s: %s (every capability is dropped "
			  "before a dump is read: give it on standard input, "
			  "--load=- <%s)", path, strerror(err), path);
	else
		cli_error("cannot open %s: %s", path, strerror(err));
	cli_exit(EXIT_FAILED);
}

/*
 * Why a file cannot be a dump, told before any of it is read: a regular
 * file or a pipe (a FIFO, <(nsdiscover --json)) can be one; a device such
 * as /dev/zero never ends, a terminal waits for typing. Standard input
 * may also be a socket. NULL when it can be read.
 */
static const char *not_a_dump(int fd, bool named)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return strerror(errno);
	if (S_ISDIR(st.st_mode))
		return "is a directory";
	if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))
		return NULL;
	if (!named && S_ISSOCK(st.st_mode))
		return NULL;
	return "not a regular file nor a pipe";
}

/*
 * A named file is opened without blocking: opening a FIFO waits for a
 * writer, where reading one that has none ends at once (an empty file).
 * It is checked before it is read; O_NONBLOCK is then cleared.
 */
static FILE *open_dump(const char *path, const char *name)
{
	int fd = STDIN_FILENO;
	const char *why;
	FILE *in;

	if (strcmp(path, "-")) {
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			cannot_open(path, errno);
	}
	why = not_a_dump(fd, fd != STDIN_FILENO);
	if (!why && fd != STDIN_FILENO &&
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
		why = strerror(errno);
	if (why) {
		cli_error("%s: %s", name, why);
		cli_exit(EXIT_FAILED);
	}
	in = fd == STDIN_FILENO ? stdin : fdopen(fd, "r");
	if (!in)
		cannot_open(path, errno);
	return in;
}

static void load_model(const char *path, struct model *m)
{
	const char *name = strcmp(path, "-") ? path : "standard input";
	FILE *in = open_dump(path, name);
	char err[256];
	int ret;

	ret = json_load_model(m, in, err, sizeof(err));
	if (in != stdin)
		fclose(in);
	if (ret < 0) {
		cli_error("%s: %s", name, err);
		cli_exit(EXIT_FAILED);
	}
}

/* Why a discovery found nothing: ret is what discover() returned. */
static void say_why_not_discovered(int ret)
{
	if (ret == -ESRCH)
		cli_error("/proc does not show this process: mount a procfs of "
			  "this PID namespace");
	else if (ret == -EMFILE)
		cli_error("too few open files allowed: at least %d are needed "
			  "(ulimit -n)", DISCOVER_MIN_FDS);
	else
		cli_error("cannot read /proc: %s", strerror(-ret));
}

/*
 * A discovery with the capabilities it needs effective, and none after:
 * dropped for good, or (keep) still permitted for another discovery.
 */
static int discover_limited(const struct cli_common *o, struct model *m,
			    bool keep)
{
	int ret;

	model_init(m);
	/* failing to limit is no reason to stop: discovery needs none */
	caps_limit_to_discovery();
	ret = discover(m, &o->scope);
	if (keep ? caps_lower_all() < 0 : caps_drop_all() < 0) {
		cli_error("cannot drop capabilities: %s", strerror(errno));
		cli_exit(EXIT_FAILED);
	}
	return ret;
}

/* What the user controls is read only after this; see caps.h. */
static void drop_privileges(void)
{
	if (caps_drop_all() < 0) {
		cli_error("cannot drop capabilities: %s", strerror(errno));
		cli_exit(EXIT_FAILED);
	}
}

static void fetch_model(const struct cli_common *o, struct model *m,
			bool keep)
{
	int ret;

	if (o->load) {
		model_init(m);
		drop_privileges();
		load_model(o->load, m);
		return;
	}
	ret = discover_limited(o, m, keep);
	if (ret < 0) {
		say_why_not_discovered(ret);
		cli_exit(EXIT_FAILED);
	}
}

void cli_get_model(const struct cli_common *o, struct model *m)
{
	fetch_model(o, m, false);
}

int cli_pid_lookup(pid_t pid, bool own_pidns, pid_t *tgid)
{
	return discover_pid_lookup(pid, own_pidns, tgid);
}

void cli_get_model_kept(const struct cli_common *o, struct model *m)
{
	fetch_model(o, m, true);
}

int cli_rediscover(const struct cli_common *o, struct model *m)
{
	int ret = discover_limited(o, m, true);

	if (ret < 0)
		model_release(m);
	return ret;
}

void cli_warn_about(const struct model *m)
{
	char *text = warning_text(m);

	if (text)
		cli_warning("%s", text);
	free(text);
}

enum tree_style cli_tree_style(const struct cli_common *o)
{
	const char *codeset;

	if (o->treestyle >= 0)
		return (enum tree_style)o->treestyle;
	setlocale(LC_CTYPE, "");
	codeset = nl_langinfo(CODESET);
	return codeset && !strcmp(codeset, "UTF-8") ? TREE_STYLE_LINE
						     : TREE_STYLE_ASCII;
}

size_t cli_fit_width(const struct cli_common *o)
{
	static const struct number_range columns = { 1, 100000, 0 };
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	uint64_t cols;

	if (o->notruncate || !isatty(STDOUT_FILENO))
		return 0;
	if (env && number_parse_str(env, columns, &cols) == 0)
		return (size_t)cols;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		return ws.ws_col;
	return 0;
}

static int print_fitted(const struct tree_line *line, void *ctx)
{
	const struct fit *f = ctx;
	struct strbuf sb = STRBUF_INIT;

	fit_line(&sb, line->prefix, line->text, f);
	strbuf_addc(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
	return 0;
}

/* Each tree's lines fitted to width, in the colours of --color. */
static void print_trees_fitted(const struct cli_common *o,
			       struct tree_node **roots, size_t n, size_t width)
{
	enum tree_style style = cli_tree_style(o);
	struct style term;
	struct fit f = { width, &term,
			 style == TREE_STYLE_LINE ? "\xe2\x80\xa6" : "..." };

	style_init(&term, o->color);
	for (size_t i = 0; i < n; i++)
		tree_walk(roots[i], style, print_fitted, &f);
	style_release(&term);
	if (ferror(stdout))
		cli_output_failed(errno);
}

void cli_print_trees(const struct cli_common *o, struct tree_node **roots,
		     size_t n, size_t width)
{
	enum tree_style style = cli_tree_style(o);

	if (width)
		print_trees_fitted(o, roots, n, width);
	for (size_t i = 0; i < n; i++) {
		if (!width && tree_print(stdout, roots[i], style) < 0)
			cli_output_failed(errno);
		tree_free(roots[i]);
	}
}
