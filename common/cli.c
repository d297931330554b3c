/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *tool_name = "nstools";

void cli_init(const char *name)
{
	tool_name = name;
	/* `| head -1` must end us quietly, even if our parent ignored it */
	signal(SIGPIPE, SIG_DFL);
}

const char *cli_tool_name(void)
{
	return tool_name;
}

__attribute__((format(printf, 2, 0)))
static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", tool_name, prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

noreturn void cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", tool_name);
	exit(EXIT_USAGE);
}

noreturn void cli_print_version(void)
{
	printf("%s %s\n", tool_name, NSTOOLS_VERSION);
	cli_exit(EXIT_DONE);
}

noreturn void cli_exit(int status)
{
	int err = 0;

	/* an earlier failed write leaves the error flag, not its errno */
	if (fflush(stdout) != 0)
		err = errno ? errno : EIO;
	else if (ferror(stdout))
		err = EIO;
	if (fclose(stdout) != 0 && !err)
		err = errno ? errno : EIO;
	if (err) {
		cli_error("write error: %s", strerror(err));
		_exit(EXIT_FAILED);
	}
	exit(status);
}
