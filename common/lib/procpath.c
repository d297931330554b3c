/* SPDX-License-Identifier: Apache-2.0 */
#include "lib/procpath.h"

#include "lib/util.h"

#include <stdarg.h>
#include <string.h>

/* A path being built: where it goes, and how much of it is there. */
struct path {
	char *buf;
	size_t size;
	size_t len;
};

/* Appends s and a NUL; false when they do not fit. */
static bool append(struct path *p, const char *s)
{
	size_t n = strlen(s);

	if (n >= p->size - p->len)
		return false;
	memcpy(p->buf + p->len, s, n + 1);
	p->len += n;
	return true;
}

/* "PID" or "PID/task/TID", decimal by str_uint. */
static bool append_dir(struct path *p, pid_t pid, pid_t tid)
{
	char number[24];

	if (!append(p, str_uint(number, (unsigned)pid)))
		return false;
	return !tid || (append(p, "/task/") &&
			append(p, str_uint(number, (unsigned)tid)));
}

/* "/" and the parts up to a NULL, when there are any. */
static bool append_rest(struct path *p, va_list ap)
{
	const char *part = va_arg(ap, const char *);

	if (part && !append(p, "/"))
		return false;
	for (; part; part = va_arg(ap, const char *))
		if (!append(p, part))
			return false;
	return true;
}

/* prefix, the directory of pid (and tid), then the parts of ap. */
static bool build(char *buf, size_t size, const char *prefix, pid_t pid,
		  pid_t tid, va_list ap)
{
	struct path p = { .buf = buf, .size = size };

	return size && append(&p, prefix) && append_dir(&p, pid, tid) &&
	       append_rest(&p, ap);
}

bool procpath(char *buf, size_t size, pid_t pid, pid_t tid, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, tid);
	ok = build(buf, size, "", pid, tid, ap);
	va_end(ap);
	return ok;
}

bool procpath_abs(char *buf, size_t size, pid_t pid, pid_t tid, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, tid);
	ok = build(buf, size, "/proc/", pid, tid, ap);
	va_end(ap);
	return ok;
}
