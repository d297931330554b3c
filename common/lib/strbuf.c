/* SPDX-License-Identifier: Apache-2.0 */
#include "lib/strbuf.h"

#include "lib/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char strbuf_empty[1];

/* Room for extra bytes more and the NUL; the first call leaves strbuf_empty. */
static void ensure(struct strbuf *sb, size_t extra)
{
	if (!sb->alloc)
		sb->buf = NULL;
	grow_array((void **)&sb->buf, &sb->alloc, sb->len + extra + 1, 1);
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	*sb = (struct strbuf)STRBUF_INIT;
}

char *strbuf_detach(struct strbuf *sb)
{
	char *s;

	ensure(sb, 0);
	sb->buf[sb->len] = '\0';
	s = sb->buf;
	*sb = (struct strbuf)STRBUF_INIT;
	return s;
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (len > sb->len)
		return;
	sb->len = len;
	/* strbuf_empty is shared between threads: not even a NUL into it */
	if (sb->alloc)
		sb->buf[len] = '\0';
}

void strbuf_add(struct strbuf *sb, const char *data, size_t len)
{
	ensure(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addc(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	ensure(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}
