/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trees of text: each node a label, property lines and children, drawn
 * with line glyphs (├─ └─ │ ⋄─) or their ASCII stand-ins, one node a line.
 */
#ifndef NSTOOLS_TREE_H
#define NSTOOLS_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct tree_node {
	char *label;
	char **props;
	size_t nprops, props_alloc;
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
void tree_add_child(struct tree_node *node, struct tree_node *child);
/* Frees a node and everything below it. */
void tree_free(struct tree_node *node);

/*
 * Writes the tree rooted at root, root at column 0. Returns 0, or -1 when
 * a write failed (errno set).
 */
int tree_print(FILE *out, const struct tree_node *root, enum tree_style style);

#endif
