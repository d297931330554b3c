/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Colours, from terminfo: whether to use them (--color=auto|always|never,
 * NO_COLOR, what the terminal says it can) and the sequences that set and
 * reset them. Nothing here is a hard-coded escape sequence.
 */
#ifndef NSTOOLS_STYLE_H
#define NSTOOLS_STYLE_H

#include "model/nstype.h"

#include <stdbool.h>

struct strbuf;

enum color_when {
	COLOR_AUTO,
	COLOR_ALWAYS,
	COLOR_NEVER,
};

/* What gets a colour of its own. */
enum style_role {
	STYLE_NS_FIRST,                       /* one per namespace type */
	STYLE_PROCESS = STYLE_NS_FIRST + NS_TYPE_COUNT, /* process and task names */
	STYLE_PID,                            /* PIDs and TIDs */
	STYLE_USER,                           /* user names and UIDs */
	STYLE_PATH,                           /* paths and cgroups */
	STYLE_UNKNOWN,                        /* what could not be found out */
	STYLE_CONTAINER,                      /* containers and units */
	STYLE_ROLE_COUNT,
};

struct style {
	bool enabled;
	char *start[STYLE_ROLE_COUNT]; /* malloc'd, NULL: role plain */
	char *reset;
};

/*
 * Decides and sets up colours for stdout. auto: stdout is a terminal,
 * NO_COLOR is unset, and terminfo for TERM knows colours. always: colours
 * even into a pipe, with TERM's terminfo or, failing that, "ansi"'s.
 */
void style_init(struct style *st, enum color_when when);
void style_release(struct style *st);

/*
 * For the interactive interface, which draws colours itself (curses
 * attributes): instead of the terminal's sequences, STYLE_MARK and the
 * role's byte (STYLE_MARK_ROLE(role)) start a role, STYLE_MARK_END ends
 * it. No text of a label holds these bytes otherwise: every untrusted
 * string is escaped. Off (no marks) with --color=never or NO_COLOR.
 */
#define STYLE_MARK '\x01'
#define STYLE_MARK_END '\x02'
#define STYLE_MARK_ROLE(role) ((char)('A' + (role)))
void style_init_marks(struct style *st, enum color_when when);

/*
 * What a line fitted to the terminal may shorten (ui/fit.h): the text
 * between these bytes. Only a view made for fitting writes them, and only
 * fit_line reads them.
 */
#define STYLE_CUT '\x03'
#define STYLE_CUT_END '\x04'

/*
 * When s starts with a mark: the text after it, with *role the role it
 * starts (-1: the end of one). NULL when s starts with text.
 */
const char *style_mark_at(const char *s, int *role);

/* Appends text without its marks. */
void style_add_unmarked(struct strbuf *sb, const char *text);

/*
 * The colour of role on a terminal of that many colours (a terminfo or
 * curses colour number), and whether it is bold: the one palette, for
 * the sequences above and for curses.
 */
void style_role_color(enum style_role role, int colors, short *color,
		      bool *bold);

/* The role of a namespace type's name. */
enum style_role style_role_of_type(enum ns_type type);

/* Appends text in the colour of role (plain when colours are off). */
void style_add(struct strbuf *sb, const struct style *st,
	       enum style_role role, const char *text);

/* Starts and ends role around what the caller appends in between. */
void style_begin(struct strbuf *sb, const struct style *st,
		 enum style_role role);
void style_end(struct strbuf *sb, const struct style *st,
	       enum style_role role);

/*
 * Parses "auto", "always" or "never" (bare -c: NULL, meaning always).
 * Returns 0 or -1.
 */
int style_parse_when(const char *arg, enum color_when *when);

#endif
