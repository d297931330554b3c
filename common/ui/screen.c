/* SPDX-License-Identifier: Apache-2.0 */
#define NCURSES_WIDECHAR 1
#include "ui/screen.h"

#include "lib/strbuf.h"
#include "lib/util.h"
#include "ui/style.h"

#include <curses.h>
#include <term.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

/* Colour pairs: one per style role from 1, then these. */
enum {
	PAIR_MATCH = STYLE_ROLE_COUNT + 1,
	PAIR_WARN,
	PAIR_NEW,
};

static SCREEN *terminal;
static bool has_colours;

/*
 * Roles take the palette's colours on the terminal's own background
 * (use_default_colors), so that the screen looks like the text view.
 */
static void start_colours(void)
{
	bool bold;
	short c;

	if (start_color() == ERR)
		return;
	use_default_colors();
	for (int r = 0; r < STYLE_ROLE_COUNT; r++) {
		style_role_color((enum style_role)r, COLORS, &c, &bold);
		init_pair((short)(r + 1), c < COLORS ? c : COLOR_WHITE, -1);
	}
	init_pair(PAIR_MATCH, COLOR_BLACK, COLOR_YELLOW);
	init_pair(PAIR_WARN, COLOR_RED, -1);
	init_pair(PAIR_NEW, COLOR_GREEN, -1);
	has_colours = true;
}

/*
 * Whether terminfo knows TERM: asked apart, for newterm() leaves what it
 * allocated behind when it does not.
 */
static bool terminal_known(void)
{
	int err;

	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return false;
	del_curterm(cur_term);
	return true;
}

int screen_start(bool colors)
{
	if (!terminal_known())
		return -1;
	terminal = newterm(NULL, stdout, stdin);
	if (!terminal)
		return -1;
	set_term(terminal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	/* the first screen is drawn even when a key is already waiting */
	typeahead(-1);
	set_escdelay(25);
	curs_set(0);
	if (colors && has_colors())
		start_colours();
	return 0;
}

void screen_end(void)
{
	if (!terminal)
		return;
	endwin();
	delscreen(terminal);
	terminal = NULL;
	has_colours = false;
	fflush(stdout);
}

int screen_lines(void)
{
	return LINES;
}

int screen_cols(void)
{
	return COLS;
}

void screen_clear(void)
{
	erase();
}

/* The attributes of role (-1: none), as the text view colours it. */
static attr_t role_attrs(int role, short *pair)
{
	short c;  /* the pair has it */
	bool bold;

	*pair = 0;
	if (role < 0 || !has_colours)
		return A_NORMAL;
	style_role_color((enum style_role)role, COLORS, &c, &bold);
	*pair = (short)(role + 1);
	return bold ? A_BOLD : A_NORMAL;
}

static attr_t look_attrs(unsigned look, short *pair)
{
	attr_t a = A_NORMAL;

	*pair = 0;
	if (look & (SCREEN_SELECTED | SCREEN_BAR))
		a |= A_REVERSE;
	if (look & SCREEN_GONE)
		a |= A_DIM;
	if (look & SCREEN_WARN) {
		a |= A_BOLD;
		*pair = has_colours ? PAIR_WARN : 0;
	}
	return a;
}

/* Where the line is drawn, and how far it may go. */
struct pen {
	int y, x, width;
	int last_y;        /* a long line goes on down to here */
	int indent;        /* where it goes on */
	attr_t base;       /* of the line's look */
	short base_pair;
};

static void fill(struct pen *p)
{
	attr_set(p->base, p->base_pair, NULL);
	if (p->x < p->width)
		mvhline(p->y, p->x, ' ', p->width - p->x);
}

/*
 * The character at s (of len bytes), into wc; a byte that starts none
 * is a '?' (and st starts afresh). Returns how many bytes it took.
 */
static size_t next_char(const char *s, size_t len, mbstate_t *st,
			wchar_t *wc)
{
	size_t n = mbrtowc(wc, s, len, st);

	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		memset(st, 0, sizeof(*st));
		*wc = L'?';
		n = 1;
	}
	return n;
}

/* Draws one character; false when the line is full. */
static bool put_char(struct pen *p, wchar_t wc, attr_t a, short pair)
{
	int w = wcwidth(wc);

	if (w < 0) {
		wc = L'?';
		w = 1;
	}
	if (p->x + w > p->width) {
		if (p->y >= p->last_y)
			return false;
		fill(p);
		p->y++;
		p->x = p->indent;
	}
	attr_set(a, pair, NULL);
	mvaddnwstr(p->y, p->x, &wc, 1);
	p->x += w;
	return true;
}

/*
 * Draws the multibyte text s (no marks in it) in a and pair; where
 * highlight is given, the bytes it flags (from offset on) as a match.
 * Returns false when the line is full.
 */
static bool put_text(struct pen *p, const char *s, size_t len, attr_t a,
		     short pair, const bool *highlight)
{
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < len;) {
		wchar_t wc;
		size_t n = next_char(s + i, len - i, &st, &wc);
		bool hi = highlight && highlight[i];

		if (!put_char(p, wc, hi ? (a | A_BOLD) & ~A_REVERSE : a,
			      hi && has_colours ? PAIR_MATCH : pair))
			return false;
		if (hi && !has_colours)
			mvchgat(p->y, p->x - 1, 1, a | A_UNDERLINE, pair, NULL);
		i += n;
	}
	return true;
}

/* The bytes of plain that search matches, case-insensitively. */
static bool *find_highlights(const char *plain, size_t len,
			     const char *search)
{
	size_t n = search ? strlen(search) : 0;
	bool *hi;

	if (!n || n > len)
		return NULL;
	hi = xcalloc(len, sizeof(*hi));
	for (size_t i = 0; i + n <= len; i++)
		if (!strncasecmp(plain + i, search, n))
			memset(hi + i, true, n);
	return hi;
}

/* Draws marked text: the marks switch colours, the rest is drawn. */
static void put_marked(struct pen *p, const char *text, const char *search)
{
	struct strbuf plain = STRBUF_INIT;
	size_t offset = 0;
	bool *hi;
	int role = -1;

	style_add_unmarked(&plain, text);
	hi = find_highlights(plain.buf, plain.len, search);
	for (const char *s = text; *s;) {
		const char *after = style_mark_at(s, &role);
		size_t n = 0;
		short pair;
		attr_t a;

		if (after) {
			s = after;
			continue;
		}
		while (s[n] && !style_mark_at(s + n, &(int){ 0 }))
			n++;
		a = role_attrs(role, &pair) | p->base;
		if (p->base_pair)
			pair = p->base_pair;
		if (!put_text(p, s, n, a, pair, hi ? hi + offset : NULL))
			break;
		offset += n;
		s += n;
	}
	free(hi);
	strbuf_release(&plain);
}

void screen_draw_line(int y, const char *prefix, const char *text,
		      const char *suffix, const char *search, unsigned look)
{
	struct pen p = { .y = y, .width = COLS, .last_y = y };

	p.base = look_attrs(look, &p.base_pair);
	put_text(&p, prefix, strlen(prefix), p.base, p.base_pair, NULL);
	put_marked(&p, text, search);
	if (suffix)
		put_text(&p, suffix, strlen(suffix), p.base | A_BOLD,
			 look & SCREEN_NEW && has_colours ? PAIR_NEW :
							    p.base_pair, NULL);
	fill(&p);
	attr_set(A_NORMAL, 0, NULL);
}

/* How many columns s takes (a character curses cannot show: one). */
static int display_width(const char *s)
{
	size_t len = strlen(s);
	mbstate_t st;
	int width = 0;

	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < len;) {
		wchar_t wc;

		i += next_char(s + i, len - i, &st, &wc);
		width += wcwidth(wc) < 0 ? 1 : wcwidth(wc);
	}
	return width;
}

int screen_draw_wrapped(int y, int last_y, const char *prefix,
			const char *text)
{
	struct pen p = { .y = y, .width = COLS, .last_y = last_y,
			 .indent = display_width(prefix) + 2 };

	if (p.indent > COLS / 2)
		p.indent = 2;
	put_text(&p, prefix, strlen(prefix), A_NORMAL, 0, NULL);
	put_marked(&p, text, NULL);
	fill(&p);
	attr_set(A_NORMAL, 0, NULL);
	return p.y - y + 1;
}

void screen_draw_bar(int y, const char *left, const char *right,
		     unsigned look)
{
	struct pen p = { .y = y, .width = COLS, .last_y = y };
	int right_width = right ? (int)strlen(right) : 0;

	p.base = look_attrs(look, &p.base_pair);
	put_text(&p, left, strlen(left), p.base, p.base_pair, NULL);
	fill(&p);
	if (right && right_width < COLS - p.x) {
		p.x = COLS - right_width;
		put_text(&p, right, strlen(right), p.base, p.base_pair, NULL);
	}
	attr_set(A_NORMAL, 0, NULL);
}

void screen_redraw(void)
{
	clearok(stdscr, TRUE);
}

void screen_show(void)
{
	refresh();
}

int screen_key(int timeout_ms)
{
	int ch;

	timeout(timeout_ms);
	ch = getch();
	return ch == ERR ? -1 : ch;
}
