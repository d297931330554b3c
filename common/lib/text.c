/* SPDX-License-Identifier: Apache-2.0 */
#include "lib/text.h"

#include "lib/strbuf.h"
#include "lib/util.h"

#include <stdbool.h>
#include <string.h>

size_t utf8_sequence_length(const unsigned char *s, size_t len)
{
	unsigned c = s[0];
	size_t n;
	unsigned min, cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

char *utf8_sanitize(const char *s, size_t len)
{
	static const char replacement[] = "\xef\xbf\xbd";
	/* each byte becomes at most three */
	char *out = xmalloc(len * 3 + 1);
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence_length((const unsigned char *)s + i,
						len - i);

		if (!n || !s[i]) {
			memcpy(out + o, replacement, 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	return out;
}

/* The code point of a valid sequence of n bytes. */
static unsigned decode(const unsigned char *s, size_t n)
{
	static const unsigned lead_mask[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	unsigned cp = s[0] & lead_mask[n];

	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	return cp;
}

/*
 * Code points a terminal acts on rather than shows: C1 controls (0x9b is
 * CSI on some terminals), bidi embeddings, overrides and isolates, which
 * reorder the rest of a line, and the line and paragraph separators.
 */
static bool must_escape_code_point(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static void add_escaped_byte(struct strbuf *sb, unsigned char c)
{
	switch (c) {
	case '\n':
		strbuf_adds(sb, "\\n");
		break;
	case '\t':
		strbuf_adds(sb, "\\t");
		break;
	case '\r':
		strbuf_adds(sb, "\\r");
		break;
	default:
		strbuf_addf(sb, "\\x%02x", c);
		break;
	}
}

static void add_escaped(struct strbuf *sb, const char *s, bool quotes)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence_length(p + i, len - i);

		if (quotes && n == 1 && (p[i] == '"' || p[i] == '\\')) {
			strbuf_addc(sb, '\\');
			strbuf_addc(sb, (char)p[i]);
		} else if (n == 1 && (p[i] < 0x20 || p[i] == 0x7f)) {
			add_escaped_byte(sb, p[i]);
		} else if (n == 0) {
			add_escaped_byte(sb, p[i]);
			n = 1;
		} else if (n > 1 && must_escape_code_point(decode(p + i, n))) {
			strbuf_addf(sb, "\\u%04x", decode(p + i, n));
		} else {
			strbuf_add(sb, s + i, n);
		}
		i += n;
	}
}

void text_add_quoted(struct strbuf *sb, const char *s)
{
	strbuf_addc(sb, '"');
	add_escaped(sb, s, true);
	strbuf_addc(sb, '"');
}

void text_add_escaped(struct strbuf *sb, const char *s)
{
	add_escaped(sb, s, false);
}

char **strv_split_nul(const char *buf, size_t len, size_t *argc)
{
	size_t n = 0;
	char **argv;
	char *copy;

	for (size_t i = 0; i < len; i++)
		if (!buf[i] || i == len - 1)
			n++;
	/* the pointers, then a copy of the text with a final NUL */
	argv = xmalloc((n + 1) * sizeof(char *) + len + 1);
	copy = (char *)(argv + n + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';
	n = 0;
	for (size_t i = 0; i < len;) {
		argv[n++] = copy + i;
		i += strlen(copy + i) + 1;
	}
	argv[n] = NULL;
	*argc = n;
	return argv;
}
