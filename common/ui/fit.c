/* SPDX-License-Identifier: Apache-2.0 */
#include "ui/fit.h"

#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/*
 * The bytes of the character at s and its columns: a valid UTF-8
 * sequence as wide as the locale says (a column where it cannot tell),
 * any other byte one byte of one column. Labels are escaped: no control
 * character is left to measure.
 */
static size_t char_at(const char *s, size_t *cols)
{
	size_t n = utf8_sequence_length((const unsigned char *)s,
					strnlen(s, 4));
	mbstate_t st;
	wchar_t wc;
	int w;

	memset(&st, 0, sizeof(st));
	if (!n)
		n = 1;
	if (mbrtowc(&wc, s, n, &st) != n || (w = wcwidth(wc)) < 0)
		w = 1;
	*cols = (size_t)w;
	return n;
}

static size_t width_of(const char *s, size_t len)
{
	size_t width = 0, cols;

	for (size_t i = 0; i < len; width += cols)
		i += char_at(s + i, &cols);
	return width;
}

/*
 * The columns of text outside the cut spans (the prefix's among them),
 * and of each span.
 */
struct measure {
	size_t fixed, fixed_prefix;
	size_t *spans;
	size_t nspans, alloc;
};

/* The length of the cut span whose text starts at s. */
static size_t span_len(const char *s)
{
	const char *end = strchr(s, STYLE_CUT_END);

	return end ? (size_t)(end - s) : strlen(s);
}

static void measure(const char *text, struct measure *me)
{
	const char *s = text;
	size_t cols;
	int role;

	while (*s) {
		const char *after = style_mark_at(s, &role);

		if (after) {
			s = after;
		} else if (*s == STYLE_CUT) {
			size_t len = span_len(s + 1);

			VEC_PUSH(me->spans, me->nspans, me->alloc,
				 width_of(s + 1, len));
			s += 1 + len + (s[1 + len] == STYLE_CUT_END);
		} else {
			s += char_at(s, &cols);
			me->fixed += cols;
		}
	}
}

/* What shortening every span wider than limit to limit saves. */
static size_t saved_at(const struct measure *me, size_t limit)
{
	size_t saved = 0;

	for (size_t i = 0; i < me->nspans; i++)
		if (me->spans[i] > limit)
			saved += me->spans[i] - limit;
	return saved;
}

/*
 * The widest a span may stay: the largest limit that saves excess
 * columns, the widest spans shortened first; FIT_MIN_SPAN at the least.
 */
static size_t span_limit(const struct measure *me, size_t excess)
{
	size_t limit = 0;

	for (size_t i = 0; i < me->nspans; i++)
		if (me->spans[i] > limit)
			limit = me->spans[i];
	while (limit > FIT_MIN_SPAN && saved_at(me, limit) < excess)
		limit--;
	return limit;
}

/* The bytes of s from which the last cols columns of its len bytes start. */
static size_t tail_start(const char *s, size_t len, size_t width,
			 size_t cols)
{
	size_t i = 0, used = 0, c;

	while (i < len && width - used > cols) {
		i += char_at(s + i, &c);
		used += c;
	}
	return i;
}

/*
 * Where the text goes: room is the columns left for it, the line cut at
 * the end (the ellipsis after the last that fits) once they are used up:
 * the last resort, when shortening every span leaves the line too wide.
 */
struct out {
	struct strbuf *sb;
	const struct fit *f;
	size_t room;
	bool cut;
};

static void put_text(struct out *o, const char *s, size_t len)
{
	size_t i = 0, c, n;

	while (i < len && !o->cut) {
		n = char_at(s + i, &c);
		if (c > o->room) {
			strbuf_adds(o->sb, o->f->ellipsis);
			o->cut = true;
			return;
		}
		strbuf_add(o->sb, s + i, n);
		o->room -= c;
		i += n;
	}
}

/* The span s (len bytes, width columns) in at most limit columns. */
static void put_span(struct out *o, const char *s, size_t len, size_t width,
		     size_t limit)
{
	const char *ellipsis = o->f->ellipsis;
	size_t keep, head, i = 0, used = 0, c, n, from;

	if (width <= limit) {
		put_text(o, s, len);
		return;
	}
	keep = limit - width_of(ellipsis, strlen(ellipsis));
	head = (keep + 1) / 2;
	while (i < len && (n = char_at(s + i, &c)) && used + c <= head) {
		i += n;
		used += c;
	}
	put_text(o, s, i);
	put_text(o, ellipsis, strlen(ellipsis));
	from = tail_start(s, len, width, keep - head);
	if (from < i)
		from = i;
	put_text(o, s + from, len - from);
}

/* A colour mark as the terminal's sequence, or nothing. */
static void add_mark(struct strbuf *sb, const struct style *term, int role)
{
	if (role >= 0)
		style_begin(sb, term, (enum style_role)role);
	else if (term->enabled)
		strbuf_adds(sb, term->reset);
}

/* The columns left for the text: all of them where it fits once shortened. */
static size_t room_for(const struct measure *me, size_t limit,
		       const struct fit *f)
{
	size_t total = me->fixed + saved_at(me, 0);
	size_t shortened = total - (limit == SIZE_MAX ? 0 : saved_at(me, limit));
	size_t ellipsis = width_of(f->ellipsis, strlen(f->ellipsis));

	if (shortened <= f->width)
		return SIZE_MAX;
	return f->width > me->fixed_prefix + ellipsis ?
		       f->width - me->fixed_prefix - ellipsis : 0;
}

void fit_line(struct strbuf *sb, const char *prefix, const char *text,
	      const struct fit *f)
{
	size_t pw = width_of(prefix, strlen(prefix));
	struct measure me = { pw, pw, NULL, 0, 0 };
	struct out o = { sb, f, 0, false };
	size_t total, limit, k = 0;
	const char *s = text;
	int role;

	measure(text, &me);
	total = me.fixed + saved_at(&me, 0);
	limit = total > f->width ? span_limit(&me, total - f->width) : SIZE_MAX;
	o.room = room_for(&me, limit, f);
	strbuf_adds(sb, prefix);
	while (*s) {
		const char *after = style_mark_at(s, &role);
		size_t len;

		if (after) {
			add_mark(sb, f->term, role);
			s = after;
		} else if (*s == STYLE_CUT) {
			len = span_len(s + 1);
			put_span(&o, s + 1, len, me.spans[k++], limit);
			s += 1 + len + (s[1 + len] == STYLE_CUT_END);
		} else {
			len = strcspn(s, (char[]){ STYLE_MARK, STYLE_MARK_END,
						   STYLE_CUT, '\0' });
			put_text(&o, s, len ? len : 1);
			s += len ? len : 1;
		}
	}
	free(me.spans);
}
