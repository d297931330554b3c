/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How a test helper says it is ready: it writes what the test needs to a
 * file, atomically (a temporary file renamed over it), so that a test that
 * waits for the file never reads half of it.
 */
#ifndef NSTOOLS_TEST_READY_H
#define NSTOOLS_TEST_READY_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

/* Writes the formatted text to path atomically; 0, or -1 with errno. */
__attribute__((format(printf, 2, 3), unused))
static int write_ready(const char *path, const char *fmt, ...)
{
	char tmp[4096];
	va_list ap;
	FILE *f;
	int n;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f) != 0 || n < 0)
		return -1;
	return rename(tmp, path);
}

#endif
