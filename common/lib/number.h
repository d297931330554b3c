/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one parser of decimal numbers, for every number nstools reads from
 * text: /proc (PIDs, fields, fd names), namespace ids, a dump's keys and
 * the command line. Strict: decimal digits only, so no sign, no blank, no
 * "0x", no exponent; a value outside the caller's range, overflow
 * included, is refused. Every number nstools reads is non-negative, hence
 * no signed variant.
 */
#ifndef NSTOOLS_NUMBER_H
#define NSTOOLS_NUMBER_H

#include <stddef.h>
#include <stdint.h>

enum number_flags {
	/*
	 * Only the form printf gives: no leading zero ("0" itself is fine).
	 * Without it "007" is 7, as strtol reads it.
	 */
	NUMBER_CANONICAL = 1 << 0,
};

/* The values a number may take, bounds included, and enum number_flags. */
struct number_range {
	uint64_t min;
	uint64_t max;
	unsigned flags;
};

/*
 * Parses the whole of the len bytes at s as a number in range. Returns 0
 * and sets *v, or -EINVAL when the bytes are not a number (empty, or any
 * byte not a digit, or a leading zero refused) and -ERANGE when the number
 * is outside the range; *v is left alone then.
 */
int number_parse(const char *s, size_t len, struct number_range range,
		 uint64_t *v);

/* number_parse over the NUL-terminated string s. */
int number_parse_str(const char *s, struct number_range range, uint64_t *v);

/*
 * Parses the digits that start [s, limit), for fields in a longer text:
 * *end gets the first byte after them (limit, or one that is not a
 * digit), which the caller checks. At least one digit is needed.
 */
int number_parse_prefix(const char *s, const char *limit,
			struct number_range range, uint64_t *v,
			const char **end);

#endif
