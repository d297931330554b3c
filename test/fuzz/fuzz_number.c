/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the decimal number parser, against a slow reference.
 * The input is a range and flags (17 bytes), then the text.
 */
#include "lib/number.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What number_parse must answer, digit by digit with 128 bits. */
static int reference(const char *s, size_t len, struct number_range r,
		     uint64_t *v)
{
	unsigned __int128 n = 0;

	if (!len || ((r.flags & NUMBER_CANONICAL) && s[0] == '0' && len > 1))
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (n <= UINT64_MAX)
			n = n * 10 + (unsigned)(s[i] - '0');
	}
	if (n > UINT64_MAX || n < r.min || n > r.max)
		return -ERANGE;
	*v = (uint64_t)n;
	return 0;
}

/* The digits the prefix parser must stop after. */
static size_t digits(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

static void check_prefix(const char *s, size_t len, struct number_range r)
{
	size_t n = digits(s, len);
	const char *end;
	uint64_t v = 0, want = 0;
	int ret = number_parse_prefix(s, s + len, r, &v, &end);

	if ((size_t)(end - s) != n || ret != reference(s, n, r, &want) ||
	    (!ret && v != want))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct number_range r;
	const char *s = (const char *)data + 17;
	uint64_t v = 0, want = 0;
	int ret;

	if (size < 17)
		return 0;
	memcpy(&r.min, data, 8);
	memcpy(&r.max, data + 8, 8);
	r.flags = data[16] & NUMBER_CANONICAL;
	ret = number_parse(s, size - 17, r, &v);
	if (ret != reference(s, size - 17, r, &want) || (!ret && v != want))
		__builtin_trap();
	check_prefix(s, size - 17, r);
	return 0;
}
