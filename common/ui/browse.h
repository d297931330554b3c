/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The lines of the interactive interface: the view's trees drawn line by
 * line as the text view draws them, and what a user does to them: which
 * nodes are folded, which line is selected, what a search matches, and,
 * after a new discovery, what is new and what went away. No curses here
 * (ui/screen draws it, ui/interactive drives it), so that all of it
 * follows from the trees and the keys alone.
 *
 * A node is known across discoveries by its identity: its tree_key (a
 * namespace's inode, a process's PID and start time), or for a node that
 * stands for nothing in the model its label (without colours) under its
 * parent's identity.
 */
#ifndef NSTOOLS_BROWSE_H
#define NSTOOLS_BROWSE_H

#include "lib/hashmap.h"
#include "ui/tree.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* No line: a root's parent, a cursor in no tree. */
#define BROWSE_NONE ((size_t)-1)

enum browse_mark {
	BROWSE_SAME,
	BROWSE_NEW,     /* not in the previous discovery */
	BROWSE_GONE,    /* in the previous discovery, not in this one */
};

struct browse_line {
	const struct tree_node *node;
	int prop;              /* a property line of node; -1: its label */
	char *prefix;          /* the glyphs left of text (malloc'd) */
	const char *text;      /* the node's, with colour marks (ui/style.h) */
	size_t owner;          /* the label line of node */
	size_t parent;         /* the label line of node's parent, or BROWSE_NONE */
	size_t end;            /* a label line: the line after all below it */
	uint64_t id;           /* the identity; never 0 */
	bool folded;           /* a label line whose lines below are hidden */
	bool match;            /* the search matches it */
	enum browse_mark mark;
};

struct browse {
	struct tree_node **roots;   /* owned */
	size_t nroots;
	enum tree_style style;
	struct browse_line *lines;  /* every line, folded or not */
	size_t nlines, lines_alloc;
	size_t *visible;            /* indexes into lines of what shows */
	size_t nvisible, visible_alloc;
	size_t cursor;              /* a visible line's index in lines */
	char *search;               /* the text searched for, or NULL */
	size_t nmatches;
};

void browse_init(struct browse *b, enum tree_style style);
void browse_release(struct browse *b);

/*
 * Takes the trees of a discovery (and the array; both owned from now on)
 * in place of the ones before: folds, the selection and the search are
 * kept by identity. With mark, a node not in the previous trees is
 * BROWSE_NEW, and one of them that is not in these stays, copied, below
 * its parent (or as a root), BROWSE_GONE, until the next call.
 */
void browse_set_trees(struct browse *b, struct tree_node **roots, size_t n,
		      bool mark);

/* Whether a label line has lines below it to fold. */
bool browse_foldable(const struct browse *b, size_t line);

/* The row of the cursor among the visible lines. */
size_t browse_cursor_row(const struct browse *b);

/* Moves the cursor by delta visible lines, stopping at either end. */
void browse_move(struct browse *b, long delta);

/* Moves the cursor to a visible row (clamped). */
void browse_move_to_row(struct browse *b, size_t row);

/* Folds (or unfolds) the node of line; the cursor stays in sight. */
void browse_fold(struct browse *b, size_t line, bool fold);

/* Enter, Space: folds or unfolds the node of the cursor. */
void browse_toggle(struct browse *b);

/* Left: folds the node of the cursor, or goes to its parent. */
void browse_left(struct browse *b);

/* Right: unfolds the node of the cursor, or goes to its first child. */
void browse_right(struct browse *b);

/* + and -: every node unfolded, or folded. */
void browse_fold_all(struct browse *b, bool fold);

/*
 * Searches every line, folded or not, for text (a case-insensitive
 * substring of what the line says, without its glyphs); NULL or "" ends
 * the search. Moves to the first match from the cursor on (unfolding
 * what hides it). Returns the number of matching lines.
 */
size_t browse_search(struct browse *b, const char *text);

/*
 * n and N: the next (or previous) matching line after the cursor,
 * wrapping around, unfolded into sight. False when nothing matches.
 */
bool browse_next_match(struct browse *b, bool forward);

/* The index (1-based) among the matches of the match at or before the cursor. */
size_t browse_match_ordinal(const struct browse *b);

/* The node of the cursor's line (its owner for a property line), or NULL. */
const struct tree_node *browse_selected(const struct browse *b);

/*
 * What the cursor's line stands for: a property line's own key where it
 * has one, else its node's.
 */
struct tree_key browse_selected_key(const struct browse *b);

/* The mark of the node of the cursor's line. */
enum browse_mark browse_selected_mark(const struct browse *b);

#endif
