/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small shared plumbing: allocation that never returns NULL, growable
 * arrays, and building short strings.
 */
#ifndef NSTOOLS_UTIL_H
#define NSTOOLS_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The name messages start with: the tool's ("pidtree"), which ui/cli_init
 * sets; until then the base name nstools was run by. name must live as
 * long as the program.
 */
void set_program_name(const char *name);
const char *program_name(void);

/*
 * Allocation failure is the one error common/ does not return: these
 * print "NAME: out of memory" (program_name()) and exit 1, for every tool
 * alike. Everything nstools allocates goes through them, jansson's
 * allocations included (json_load.c).
 */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * Grow *items (each of item_size bytes) so that it holds at least need
 * items; *alloc is the current capacity, doubled as needed.
 */
void grow_array(void **items, size_t *alloc, size_t need, size_t item_size);

/* Append one item to a growable array declared as T *items; size_t n, alloc. */
#define VEC_PUSH(items, n, alloc, value)                                       \
	do {                                                                   \
		grow_array((void **)&(items), &(alloc), (n) + 1,               \
			   sizeof(*(items)));                                  \
		(items)[(n)++] = (value);                                      \
	} while (0)

/*
 * Joins the strings up to a NULL into buf of size bytes; false (buf
 * undefined) when they do not fit. For the paths built once per link or
 * fd read, where snprintf's parsing of its format was a quarter of the
 * engine's own instructions.
 */
bool str_join(char *buf, size_t size, ...) __attribute__((sentinel));

/* The decimal digits of n in buf (at least 21 bytes); returns buf. */
char *str_uint(char *buf, unsigned long long n);

#endif
