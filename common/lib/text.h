/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text from the system (process names, command lines, paths, cgroups,
 * user names) is untrusted: made valid UTF-8 for JSON, quoted and escaped
 * for a terminal.
 */
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

struct strbuf;

/*
 * Appends s as a double-quoted string that is safe on any terminal and in
 * any tree line: `"` and `\` are escaped, control characters become \n,
 * \t, \r or \xNN, bytes that are not valid UTF-8 \xNN, and the C1
 * controls and the Unicode marks that reorder or break lines (bidi
 * overrides, line separators) \uNNNN. Everything else is kept.
 */
void text_add_quoted(struct strbuf *sb, const char *s);

/*
 * Appends s with the same escapes as text_add_quoted, but without quotes
 * and leaving `"` and `\` alone: for messages that quote as they see fit.
 */
void text_add_escaped(struct strbuf *sb, const char *s);

/*
 * Splits NUL-separated text (a cmdline) of len bytes into a malloc'd, NULL-ended
 * argv whose strings live in one allocation with it; *argc gets the count.
 * A final argument without a NUL still counts. Never fails.
 */
char **strv_split_nul(const char *buf, size_t len, size_t *argc);

#endif
