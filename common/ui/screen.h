/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The terminal of the interactive interface, with ncursesw: starting and
 * ending it, and drawing one line of text at a time, its colour marks
 * (ui/style.h) as curses colours. What goes on which line is
 * ui/interactive's to decide; how a line looks is decided here.
 */
#ifndef NSTOOLS_SCREEN_H
#define NSTOOLS_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

/* How a line is drawn besides its own colours. */
enum screen_look {
	SCREEN_PLAIN = 0,
	SCREEN_SELECTED = 1 << 0,  /* the cursor's line */
	SCREEN_NEW = 1 << 1,       /* appeared with the last discovery */
	SCREEN_GONE = 1 << 2,      /* went away with it: dimmed */
	SCREEN_BAR = 1 << 3,       /* the status line, a pane's title */
	SCREEN_WARN = 1 << 4,      /* the warning, an error */
};

/*
 * Takes over the terminal on standard input and output (the alternate
 * screen, no echo, keys one by one, the cursor hidden); colours when the
 * terminal has them and colours are on. Returns 0, or -1 when the
 * terminal cannot be used (TERM unknown): nothing changed then.
 */
int screen_start(bool colors);

/* Gives the terminal back as it was; harmless when not started. */
void screen_end(void);

/* The screen's size now. */
int screen_lines(void);
int screen_cols(void);

/* Clears what is drawn, for a new frame. */
void screen_clear(void);

/*
 * Draws line y: prefix (glyphs) then text (with colour marks), cut at the
 * screen's width; with search, what matches it (case-insensitive) is
 * highlighted; suffix, plain, after the text. look applies to the whole
 * line, which is filled to the width.
 */
void screen_draw_line(int y, const char *prefix, const char *text,
		      const char *suffix, const char *search, unsigned look);

/*
 * As screen_draw_line, plain, but what does not fit goes on in the lines
 * below, indented, down to line last_y. Returns the lines it took.
 */
int screen_draw_wrapped(int y, int last_y, const char *prefix,
			const char *text);

/* Line y: left at the left, right at the right edge (both plain text). */
void screen_draw_bar(int y, const char *left, const char *right,
		     unsigned look);

/* The next screen_show() draws everything anew (Ctrl-L). */
void screen_redraw(void);

/* Puts the drawn frame on the terminal. */
void screen_show(void);

/*
 * Waits for a key for at most timeout_ms (-1: no limit). Returns the key
 * (a curses KEY_* for special keys, KEY_RESIZE when the terminal's size
 * changed), or -1 when the time ran out or a signal came.
 */
int screen_key(int timeout_ms);

#endif
