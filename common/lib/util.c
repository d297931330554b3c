/* SPDX-License-Identifier: Apache-2.0 */
#include "lib/util.h"

#include <errno.h> /* program_invocation_short_name */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *name_in_messages;

void set_program_name(const char *name)
{
	name_in_messages = name;
}

/* glibc's base name of argv[0]: lib/ cannot ask ui/ for the tool's name. */
const char *program_name(void)
{
	return name_in_messages ? name_in_messages
				: program_invocation_short_name;
}

/*
 * Out of memory is not something a namespace lister can work around. The
 * message is put together on the stack and written at once: nothing may
 * allocate here.
 */
static void out_of_memory(void)
{
	char msg[128];

	if (!str_join(msg, sizeof(msg), program_name(), ": out of memory\n",
		      NULL))
		str_join(msg, sizeof(msg), "out of memory\n", NULL);
	fputs(msg, stderr);
	exit(1);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void grow_array(void **items, size_t *alloc, size_t need, size_t item_size)
{
	size_t n = *alloc ? *alloc : 4;

	if (need <= *alloc)
		return;
	while (n < need) {
		if (n > ((size_t)-1) / 2 / item_size)
			out_of_memory();
		n *= 2;
	}
	*items = xrealloc(*items, n * item_size);
	*alloc = n;
}

bool str_join(char *buf, size_t size, ...)
{
	va_list ap;
	const char *part;
	size_t len = 0;

	va_start(ap, size);
	while ((part = va_arg(ap, const char *))) {
		size_t n = strlen(part);

		if (n >= size - len) {
			va_end(ap);
			return false;
		}
		memcpy(buf + len, part, n);
		len += n;
	}
	va_end(ap);
	if (len >= size)
		return false;
	buf[len] = '\0';
	return true;
}

char *str_uint(char *buf, unsigned long long n)
{
	char digits[21];
	size_t i = sizeof(digits);

	do
		digits[--i] = (char)('0' + n % 10);
	while (n /= 10);
	memcpy(buf, digits + i, sizeof(digits) - i);
	buf[sizeof(digits) - i] = '\0';
	return buf;
}
