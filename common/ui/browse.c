/* SPDX-License-Identifier: Apache-2.0 */
#include "ui/browse.h"

#include "lib/strbuf.h"
#include "lib/util.h"
#include "ui/style.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void browse_init(struct browse *b, enum tree_style style)
{
	memset(b, 0, sizeof(*b));
	b->style = style;
	b->cursor = BROWSE_NONE;
}

static void release_lines(struct browse *b)
{
	for (size_t i = 0; i < b->nlines; i++)
		free(b->lines[i].prefix);
	b->nlines = 0;
	b->nvisible = 0;
}

static void release_trees(struct tree_node **roots, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tree_free(roots[i]);
	free(roots);
}

void browse_release(struct browse *b)
{
	release_lines(b);
	release_trees(b->roots, b->nroots);
	free(b->lines);
	free(b->visible);
	free(b->search);
	memset(b, 0, sizeof(*b));
}

/* --- identities ------------------------------------------------------- */

/* FNV-1a, 64 bits: identities need spread, not secrecy. */
static uint64_t mix(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define MIX_START 0xcbf29ce484222325ULL

static uint64_t nonzero(uint64_t h)
{
	return h ? h : 1;
}

/*
 * A keyed node is itself wherever it hangs; one that stands for nothing
 * is its label under its parent.
 */
static uint64_t key_identity(const struct tree_key *k)
{
	uint64_t h = mix(MIX_START, &k->kind, sizeof(k->kind));

	h = mix(h, &k->a, sizeof(k->a));
	return nonzero(mix(h, &k->b, sizeof(k->b)));
}

static uint64_t node_identity(const struct tree_node *node, uint64_t parent)
{
	struct strbuf plain = STRBUF_INIT;
	uint64_t h = MIX_START;

	if (node->key.kind != TREE_KEY_NONE)
		return key_identity(&node->key);
	style_add_unmarked(&plain, node->label);
	h = mix(h, &parent, sizeof(parent));
	h = nonzero(mix(h, plain.buf, plain.len));
	strbuf_release(&plain);
	return h;
}

/* A property line is what it stands for, else its place below its node. */
static uint64_t prop_identity(const struct tree_node *node, uint64_t owner,
			      int prop)
{
	uint64_t h = mix(MIX_START, &owner, sizeof(owner));

	if (node->prop_keys[prop].kind != TREE_KEY_NONE)
		return key_identity(&node->prop_keys[prop]);
	return nonzero(mix(h, &prop, sizeof(prop)));
}

/* --- flattening --------------------------------------------------------- */

/* The open label lines while the walk goes down, by depth. */
struct flatten {
	struct browse *b;
	size_t *open;
	size_t nopen, open_alloc;
};

/* Closes the label lines at depth and deeper: they end here. */
static void close_to_depth(struct flatten *f, size_t depth)
{
	while (f->nopen > depth) {
		f->nopen--;
		f->b->lines[f->open[f->nopen]].end = f->b->nlines;
	}
}

static int add_line(const struct tree_line *tl, void *ctx)
{
	struct flatten *f = ctx;
	struct browse *b = f->b;
	struct browse_line l = { .node = tl->node, .prop = tl->prop,
				 .prefix = xstrdup(tl->prefix),
				 .text = tl->text, .parent = BROWSE_NONE };

	if (tl->prop < 0) {
		close_to_depth(f, tl->depth);
		if (f->nopen)
			l.parent = f->open[f->nopen - 1];
		l.owner = b->nlines;
		l.id = node_identity(tl->node, l.parent == BROWSE_NONE ? 0 :
					       b->lines[l.parent].id);
		VEC_PUSH(f->open, f->nopen, f->open_alloc, b->nlines);
	} else {
		l.owner = f->open[f->nopen - 1];
		l.parent = b->lines[l.owner].parent;
		l.id = prop_identity(tl->node, b->lines[l.owner].id, tl->prop);
	}
	VEC_PUSH(b->lines, b->nlines, b->lines_alloc, l);
	return 0;
}

static void flatten(struct browse *b)
{
	struct flatten f = { .b = b };

	release_lines(b);
	for (size_t i = 0; i < b->nroots; i++) {
		close_to_depth(&f, 0);
		tree_walk(b->roots[i], b->style, add_line, &f);
	}
	close_to_depth(&f, 0);
	free(f.open);
}

bool browse_foldable(const struct browse *b, size_t line)
{
	const struct browse_line *l = &b->lines[line];

	return l->prop < 0 && l->end > line + 1;
}

static void find_visible(struct browse *b)
{
	b->nvisible = 0;
	for (size_t i = 0; i < b->nlines;) {
		VEC_PUSH(b->visible, b->nvisible, b->visible_alloc, i);
		i = b->lines[i].folded ? b->lines[i].end : i + 1;
	}
}

/* --- the cursor --------------------------------------------------------- */

size_t browse_cursor_row(const struct browse *b)
{
	size_t lo = 0, hi = b->nvisible;

	/* visible holds line indexes in order */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->visible[mid] < b->cursor)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < b->nvisible ? lo : (b->nvisible ? b->nvisible - 1 : 0);
}

void browse_move_to_row(struct browse *b, size_t row)
{
	if (!b->nvisible) {
		b->cursor = BROWSE_NONE;
		return;
	}
	if (row >= b->nvisible)
		row = b->nvisible - 1;
	b->cursor = b->visible[row];
}

void browse_move(struct browse *b, long delta)
{
	long row = (long)browse_cursor_row(b) + delta;

	browse_move_to_row(b, row < 0 ? 0 : (size_t)row);
}

/* The first line at or above line that no fold hides. */
static size_t in_sight(const struct browse *b, size_t line)
{
	size_t shown = line;

	for (size_t p = b->lines[line].parent; p != BROWSE_NONE;
	     p = b->lines[p].parent)
		if (b->lines[p].folded)
			shown = p;
	if (shown == line && line != b->lines[line].owner &&
	    b->lines[b->lines[line].owner].folded)
		shown = b->lines[line].owner;
	return shown;
}

void browse_fold(struct browse *b, size_t line, bool fold)
{
	if (!browse_foldable(b, line))
		return;
	b->lines[line].folded = fold;
	find_visible(b);
	if (b->cursor != BROWSE_NONE)
		b->cursor = in_sight(b, b->cursor);
}

void browse_toggle(struct browse *b)
{
	if (b->cursor == BROWSE_NONE)
		return;
	size_t owner = b->lines[b->cursor].owner;

	browse_fold(b, owner, !b->lines[owner].folded);
}

void browse_left(struct browse *b)
{
	const struct browse_line *l;

	if (b->cursor == BROWSE_NONE)
		return;
	l = &b->lines[b->cursor];
	if (l->prop >= 0)
		b->cursor = l->owner;
	else if (browse_foldable(b, b->cursor) && !l->folded)
		browse_fold(b, b->cursor, true);
	else if (l->parent != BROWSE_NONE)
		b->cursor = l->parent;
}

void browse_right(struct browse *b)
{
	const struct browse_line *l;

	if (b->cursor == BROWSE_NONE || !browse_foldable(b, b->cursor))
		return;
	l = &b->lines[b->cursor];
	if (l->folded)
		browse_fold(b, b->cursor, false);
	else
		b->cursor++;
}

void browse_fold_all(struct browse *b, bool fold)
{
	for (size_t i = 0; i < b->nlines; i++)
		if (browse_foldable(b, i))
			b->lines[i].folded = fold;
	find_visible(b);
	if (b->cursor != BROWSE_NONE)
		b->cursor = in_sight(b, b->cursor);
}

const struct tree_node *browse_selected(const struct browse *b)
{
	return b->cursor == BROWSE_NONE ? NULL : b->lines[b->cursor].node;
}

struct tree_key browse_selected_key(const struct browse *b)
{
	const struct browse_line *l;

	if (b->cursor == BROWSE_NONE)
		return (struct tree_key){ TREE_KEY_NONE, 0, 0 };
	l = &b->lines[b->cursor];
	if (l->prop >= 0 && l->node->prop_keys[l->prop].kind != TREE_KEY_NONE)
		return l->node->prop_keys[l->prop];
	return l->node->key;
}

enum browse_mark browse_selected_mark(const struct browse *b)
{
	if (b->cursor == BROWSE_NONE)
		return BROWSE_SAME;
	return b->lines[b->lines[b->cursor].owner].mark;
}

/* --- search --------------------------------------------------------------- */

static bool contains_folded(const char *hay, size_t hlen, const char *needle)
{
	size_t nlen = strlen(needle);

	for (size_t i = 0; nlen && i + nlen <= hlen; i++) {
		size_t j = 0;

		while (j < nlen && tolower((unsigned char)hay[i + j]) ==
					   tolower((unsigned char)needle[j]))
			j++;
		if (j == nlen)
			return true;
	}
	return false;
}

static void mark_matches(struct browse *b)
{
	struct strbuf plain = STRBUF_INIT;

	b->nmatches = 0;
	for (size_t i = 0; i < b->nlines; i++) {
		struct browse_line *l = &b->lines[i];

		l->match = false;
		if (!b->search)
			continue;
		strbuf_setlen(&plain, 0);
		style_add_unmarked(&plain, l->text);
		l->match = contains_folded(plain.buf, plain.len, b->search);
		b->nmatches += l->match;
	}
	strbuf_release(&plain);
}

/* Unfolds what hides line, and puts the cursor on it. */
static void bring_into_sight(struct browse *b, size_t line)
{
	struct browse_line *l = &b->lines[line];

	if (l->prop >= 0)
		b->lines[l->owner].folded = false;
	for (size_t p = l->parent; p != BROWSE_NONE; p = b->lines[p].parent)
		b->lines[p].folded = false;
	find_visible(b);
	b->cursor = line;
}

/* The next matching line from start on (or back), wrapping around. */
static size_t find_match(const struct browse *b, size_t start, bool forward)
{
	for (size_t n = 0; n < b->nlines; n++) {
		size_t i = forward ? (start + n) % b->nlines
				   : (start + b->nlines - n) % b->nlines;

		if (b->lines[i].match)
			return i;
	}
	return BROWSE_NONE;
}

size_t browse_search(struct browse *b, const char *text)
{
	size_t found;

	free(b->search);
	b->search = text && *text ? xstrdup(text) : NULL;
	mark_matches(b);
	if (!b->nmatches)
		return 0;
	found = find_match(b, b->cursor == BROWSE_NONE ? 0 : b->cursor, true);
	bring_into_sight(b, found);
	return b->nmatches;
}

bool browse_next_match(struct browse *b, bool forward)
{
	size_t start, found;

	if (!b->nmatches || !b->nlines)
		return false;
	start = b->cursor == BROWSE_NONE ? 0 : b->cursor;
	start = forward ? (start + 1) % b->nlines
			: (start + b->nlines - 1) % b->nlines;
	found = find_match(b, start, forward);
	bring_into_sight(b, found);
	return true;
}

size_t browse_match_ordinal(const struct browse *b)
{
	size_t n = 0;

	for (size_t i = 0; b->cursor != BROWSE_NONE && i <= b->cursor; i++)
		n += b->lines[i].match;
	return n;
}

/* --- a new discovery ------------------------------------------------------ */

/* What the trees before showed, by identity, for the ones after. */
struct before {
	struct intmap folded;       /* label lines folded */
	struct intmap shown;        /* label lines, not those already gone */
	uint64_t cursor_id;         /* 0: no cursor */
	size_t cursor_row;
};

static void remember(const struct browse *b, struct before *old)
{
	intmap_init(&old->folded);
	intmap_init(&old->shown);
	old->cursor_id = b->cursor == BROWSE_NONE ? 0 : b->lines[b->cursor].id;
	old->cursor_row = browse_cursor_row(b);
	for (size_t i = 0; i < b->nlines; i++) {
		const struct browse_line *l = &b->lines[i];

		if (l->prop >= 0)
			continue;
		if (l->folded)
			intmap_put(&old->folded, l->id, 0);
		if (l->mark != BROWSE_GONE)
			intmap_put(&old->shown, l->id, i + 1);
	}
}

static void forget(struct before *old)
{
	intmap_release(&old->folded);
	intmap_release(&old->shown);
}

/* A copy of the old node of line and of what below it is gone too. */
static struct tree_node *copy_gone(const struct browse *b, size_t line,
				   const struct intmap *now)
{
	const struct tree_node *old = b->lines[line].node;
	struct tree_node *copy = tree_node_new(xstrdup(old->label));

	copy->key = old->key;
	for (size_t i = 0; i < old->nprops; i++) {
		tree_add_prop(copy, xstrdup(old->props[i]));
		tree_set_prop_key(copy, old->prop_keys[i]);
	}
	for (size_t c = line + 1, end = b->lines[line].end; c < end;) {
		const struct browse_line *l = &b->lines[c];

		if (l->prop < 0 && !intmap_has(now, l->id))
			tree_add_child(copy, copy_gone(b, c, now));
		c = l->prop < 0 ? l->end : c + 1;
	}
	return copy;
}

/*
 * The nodes of b's current lines that are not in the new trees: copied
 * below the new node of their parent, or as roots. now maps the new
 * trees' identities to their nodes.
 */
static void keep_gone(const struct browse *b, struct tree_node ***roots,
		      size_t *n, const struct hashmap *now_nodes,
		      const struct intmap *now)
{
	for (size_t i = 0; i < b->nlines; i++) {
		const struct browse_line *l = &b->lines[i];
		struct tree_node *parent = NULL;

		if (l->prop >= 0 || l->mark == BROWSE_GONE || intmap_has(now, l->id))
			continue;
		if (l->parent != BROWSE_NONE) {
			if (!intmap_has(now, b->lines[l->parent].id))
				continue; /* copied with its parent */
			parent = hashmap_get(now_nodes, b->lines[l->parent].id);
		}
		if (parent) {
			tree_add_child(parent, copy_gone(b, i, now));
		} else {
			*roots = xrealloc(*roots, (*n + 1) * sizeof(**roots));
			(*roots)[(*n)++] = copy_gone(b, i, now);
		}
	}
}

static void apply_before(struct browse *b, const struct before *old,
			 const struct intmap *gone, bool mark)
{
	size_t cursor = BROWSE_NONE;

	for (size_t i = 0; i < b->nlines; i++) {
		struct browse_line *l = &b->lines[i];

		if (l->id == old->cursor_id && cursor == BROWSE_NONE)
			cursor = i;
		if (l->prop >= 0)
			continue;
		l->folded = intmap_has(&old->folded, l->id) &&
			    browse_foldable(b, i);
		if (gone && intmap_has(gone, l->id))
			l->mark = BROWSE_GONE;
		else if (mark && !intmap_has(&old->shown, l->id))
			l->mark = BROWSE_NEW;
	}
	find_visible(b);
	if (cursor != BROWSE_NONE)
		b->cursor = in_sight(b, cursor);
	else
		browse_move_to_row(b, old->cursor_row);
}

/* The identities of a new tree, and their nodes, as flatten() finds them. */
static void index_nodes(struct tree_node *node, uint64_t parent,
			struct intmap *ids, struct hashmap *nodes)
{
	uint64_t id = node_identity(node, parent);

	intmap_put(ids, id, 0);
	if (!hashmap_get(nodes, id))
		hashmap_put(nodes, id, node);
	for (size_t i = 0; i < node->nchildren; i++)
		index_nodes(node->children[i], id, ids, nodes);
}

/* The identities in the old lines, not gone, that the new trees lack. */
static void find_gone(const struct browse *old, const struct intmap *now,
		      struct intmap *gone)
{
	intmap_init(gone);
	for (size_t i = 0; i < old->nlines; i++) {
		const struct browse_line *l = &old->lines[i];

		if (l->prop < 0 && l->mark != BROWSE_GONE &&
		    !intmap_has(now, l->id))
			intmap_put(gone, l->id, 0);
	}
}

void browse_set_trees(struct browse *b, struct tree_node **roots, size_t n,
		      bool mark)
{
	struct browse old = *b;
	struct intmap now, gone;
	struct hashmap nodes;
	struct before before;

	remember(&old, &before);
	b->lines = NULL;
	b->nlines = b->lines_alloc = 0;
	b->visible = NULL;
	b->nvisible = b->visible_alloc = 0;
	b->roots = roots;
	b->nroots = n;
	intmap_init(&now);
	hashmap_init(&nodes);
	for (size_t i = 0; i < n; i++)
		index_nodes(roots[i], 0, &now, &nodes);
	find_gone(&old, &now, &gone);
	if (mark)
		keep_gone(&old, &b->roots, &b->nroots, &nodes, &now);
	flatten(b);
	apply_before(b, &before, mark ? &gone : NULL, mark);
	old.search = NULL;
	mark_matches(b);
	intmap_release(&now);
	intmap_release(&gone);
	hashmap_release(&nodes);
	forget(&before);
	browse_release(&old);
}
