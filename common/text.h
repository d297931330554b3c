/* SPDX-License-Identifier: Apache-2.0 */
/* Text from the system is untrusted: make it valid UTF-8 before use. */
#ifndef NSTOOLS_TEXT_H
#define NSTOOLS_TEXT_H

#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at s (at most len bytes), or 0 when
 * the bytes there are not one (overlong, surrogate, beyond U+10FFFF,
 * truncated, or a stray continuation byte).
 */
size_t utf8_sequence_length(const unsigned char *s, size_t len);

/*
 * A malloc'd copy of the len bytes at s in which every byte that is not
 * part of a valid UTF-8 sequence, and every NUL, became U+FFFD.
 */
char *utf8_sanitize(const char *s, size_t len);

#endif
