/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lines that fit the terminal: the text view on a terminal shortens what
 * is long (the quoted strings of a label: cgroup paths, mount points,
 * names) in the middle, marked with an ellipsis, so that each line of a
 * tree fits the width and never wraps. Only there: never into a pipe or
 * a file, nor with --notruncate (ui/cli.h, cli_fit_width, decides).
 *
 * The labels say what may be shortened, and the line is fitted when it
 * is written, where its prefix and the width are known: a view made with
 * view_init_fitted (ui/view.h) wraps every quoted string between
 * STYLE_CUT and STYLE_CUT_END, and its colours are marks (as for the
 * interactive interface, style_init_marks), so that the width is
 * measured on the text alone; fit_line turns the marks into the
 * terminal's sequences.
 */
#ifndef NSTOOLS_FIT_H
#define NSTOOLS_FIT_H

#include "ui/style.h"

#include <stddef.h>

struct strbuf;

/* A span shorter than this many columns is never shortened. */
#define FIT_MIN_SPAN 16

struct fit {
	size_t width;              /* the terminal's columns */
	const struct style *term;  /* the colours to draw the marks in */
	const char *ellipsis;      /* "…", or "..." for ASCII trees */
};

/*
 * Appends prefix and text to sb: text's colour marks as f->term's
 * sequences (nothing where colours are off), its STYLE_CUT spans as they
 * are when the line fits f->width, else the longest of them shortened in
 * the middle, each to no fewer than FIT_MIN_SPAN columns, as far as it
 * takes; a line still wider than the terminal is cut at its end, marked
 * with the same ellipsis.
 */
void fit_line(struct strbuf *sb, const char *prefix, const char *text,
	      const struct fit *f);

#endif
