/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trees of text: each node a label, property lines and children, drawn
 * with line glyphs (├─ └─ │ ⋄─) or their ASCII stand-ins, one node a line.
 */
#ifndef NSTOOLS_TREE_H
#define NSTOOLS_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * What a node stands for, so that the interactive interface can find it
 * again in the tree of a later discovery (folds, the selection, what is
 * new and what went away) and show its details: a namespace (a: inode,
 * b: ID), a process (a: PID, b: start time) or a thread (a: TID, b: start
 * time). TREE_KEY_NONE: a node that stands for nothing in the model; its
 * label is its identity.
 */
enum tree_key_kind {
	TREE_KEY_NONE,
	TREE_KEY_NS,
	TREE_KEY_PROC,
	TREE_KEY_TASK,
};

struct tree_key {
	enum tree_key_kind kind;
	uint64_t a, b;
};

struct tree_node {
	struct tree_key key;
	char *label;
	char **props;
	struct tree_key *prop_keys;  /* what each property line stands for */
	size_t nprops, props_alloc, prop_keys_alloc;
	struct tree_node **children;
	size_t nchildren, children_alloc;
};

enum tree_style {
	TREE_STYLE_LINE,
	TREE_STYLE_ASCII,
};

/* A node owning label (malloc'd). */
struct tree_node *tree_node_new(char *label);
/* Adds a property line (malloc'd text, owned from now on). */
void tree_add_prop(struct tree_node *node, char *text);

/* The key of the last property line added (TREE_KEY_NONE until set). */
void tree_set_prop_key(struct tree_node *node, struct tree_key key);
void tree_add_child(struct tree_node *node, struct tree_node *child);
/* Frees a node and everything below it. */
void tree_free(struct tree_node *node);

/* One line of a drawn tree: a node's label, or one of its property lines. */
struct tree_line {
	const struct tree_node *node;
	int prop;            /* the index of a property line; -1: the label */
	const char *prefix;  /* the glyphs left of the text */
	const char *text;
	size_t depth;        /* 0: the root */
};

/* Called for each line; a non-zero return stops the walk and is returned. */
typedef int tree_line_fn(const struct tree_line *line, void *ctx);

/*
 * Calls fn for every line of the tree rooted at root in the order they
 * are drawn, root at column 0: the label, the property lines, then each
 * child's lines. The one place that decides the glyphs. Returns 0 or
 * what fn returned to stop.
 */
int tree_walk(const struct tree_node *root, enum tree_style style,
	      tree_line_fn *fn, void *ctx);

/*
 * Writes the tree rooted at root, root at column 0. Returns 0, or -1 when
 * a write failed (errno set).
 */
int tree_print(FILE *out, const struct tree_node *root, enum tree_style style);

#endif
