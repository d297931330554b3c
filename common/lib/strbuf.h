/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A growable, always NUL-terminated string (after git's strbuf). buf is
 * never NULL: a strbuf that has not allocated yet points at a shared
 * empty string, so that sb.buf is a string to print from the start.
 */
#ifndef NSTOOLS_STRBUF_H
#define NSTOOLS_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;    /* never NULL; strbuf_empty until the first add */
	size_t len;
	size_t alloc; /* 0: buf is strbuf_empty, which nothing writes to */
};

/* The empty string of every strbuf with nothing allocated. */
extern char strbuf_empty[1];

#define STRBUF_INIT { strbuf_empty, 0, 0 }

void strbuf_release(struct strbuf *sb);
/* Hands the string over to the caller (malloc'd, never NULL) and resets sb. */
char *strbuf_detach(struct strbuf *sb);
void strbuf_setlen(struct strbuf *sb, size_t len);

void strbuf_add(struct strbuf *sb, const char *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
