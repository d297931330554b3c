/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every tool does the same way: its name in messages, exit statuses,
 * errors and warnings on stderr, and checking that the output was written.
 */
#ifndef NSTOOLS_CLI_H
#define NSTOOLS_CLI_H

#include <stdnoreturn.h>

enum {
	EXIT_DONE = 0,    /* also when partial for lack of privileges */
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
};

#ifndef NSTOOLS_VERSION
#define NSTOOLS_VERSION "unknown"
#endif

/* Sets the name messages start with and the SIGPIPE behaviour. */
void cli_init(const char *tool_name);
const char *cli_tool_name(void);

/* "TOOL: message" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The misuse message and exit 2. */
noreturn void cli_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* "TOOL VERSION" on stdout, then exit as cli_exit does. */
noreturn void cli_print_version(void);

/*
 * Flushes and closes stdout and exits with status, or with 1 and a message
 * if the output could not be written. A closed pipe never gets here: the
 * default SIGPIPE ends the tool quietly.
 */
noreturn void cli_exit(int status);

#endif
