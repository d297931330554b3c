/* SPDX-License-Identifier: Apache-2.0 */
#include "lib/number.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * By hand rather than strtoull: strtoull takes blanks, a sign (and
 * negates!), and needs a NUL after the number, which fields in a buffer
 * read from /proc do not have; this loop also runs once per field of
 * every process, where a call into the locale-aware strtoull cost more.
 * Overflow is found before it happens, and becomes -ERANGE like any other
 * value out of range.
 */
int number_parse_prefix(const char *s, const char *limit,
			struct number_range range, uint64_t *v,
			const char **end)
{
	const char *p = s;
	uint64_t n = 0;
	bool overflow = false;

	for (; p < limit && is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (n > (UINT64_MAX - d) / 10)
			overflow = true;
		n = n * 10 + d;
	}
	*end = p;
	if (p == s ||
	    ((range.flags & NUMBER_CANONICAL) && s[0] == '0' && p - s > 1))
		return -EINVAL;
	if (overflow || n < range.min || n > range.max)
		return -ERANGE;
	*v = n;
	return 0;
}

int number_parse(const char *s, size_t len, struct number_range range,
		 uint64_t *v)
{
	const char *end;
	uint64_t n;
	int ret = number_parse_prefix(s, s + len, range, &n, &end);

	/* a stray byte makes it no number, whatever the digits before say */
	if (end != s + len)
		return -EINVAL;
	if (!ret)
		*v = n;
	return ret;
}

int number_parse_str(const char *s, struct number_range range, uint64_t *v)
{
	return number_parse(s, strlen(s), range, v);
}
