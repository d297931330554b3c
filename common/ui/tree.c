/* SPDX-License-Identifier: Apache-2.0 */
#include "ui/tree.h"

#include "lib/strbuf.h"
#include "lib/util.h"

#include <stdlib.h>

struct glyphs {
	const char *branch;   /* a child that has siblings below it */
	const char *last;     /* the last child */
	const char *vertical; /* below a child that has siblings below it */
	const char *blank;    /* below the last child */
	const char *prop;     /* a property line */
};

static const struct glyphs glyph_sets[] = {
	[TREE_STYLE_LINE] = { "├─ ", "└─ ", "│  ", "   ", "⋄─ " },
	[TREE_STYLE_ASCII] = { "|- ", "`- ", "|  ", "   ", "o- " },
};

struct tree_node *tree_node_new(char *label)
{
	struct tree_node *node = xcalloc(1, sizeof(*node));

	node->label = label;
	return node;
}

void tree_add_prop(struct tree_node *node, char *text)
{
	VEC_PUSH(node->props, node->nprops, node->props_alloc, text);
}

void tree_add_child(struct tree_node *node, struct tree_node *child)
{
	VEC_PUSH(node->children, node->nchildren, node->children_alloc, child);
}

void tree_free(struct tree_node *node)
{
	if (!node)
		return;
	for (size_t i = 0; i < node->nprops; i++)
		free(node->props[i]);
	for (size_t i = 0; i < node->nchildren; i++)
		tree_free(node->children[i]);
	free(node->props);
	free(node->children);
	free(node->label);
	free(node);
}

/*
 * prefix holds what stands left of the lines of node's parent; first is
 * what stands left of node's label (a branch glyph, nothing for a root),
 * indent what stands left of everything below it.
 */
static void print_subtree(FILE *out, const struct tree_node *node,
			  struct strbuf *prefix, const char *first,
			  const char *indent, const struct glyphs *g);

int tree_print(FILE *out, const struct tree_node *root, enum tree_style style)
{
	struct strbuf prefix = STRBUF_INIT;

	print_subtree(out, root, &prefix, "", "", &glyph_sets[style]);
	strbuf_release(&prefix);
	return ferror(out) ? -1 : 0;
}

static void print_subtree(FILE *out, const struct tree_node *node,
			  struct strbuf *prefix, const char *first,
			  const char *indent, const struct glyphs *g)
{
	size_t len = prefix->len;

	fprintf(out, "%s%s%s\n", prefix->buf, first, node->label);
	strbuf_adds(prefix, indent);
	for (size_t i = 0; i < node->nprops; i++)
		fprintf(out, "%s%s%s%s\n", prefix->buf,
			node->nchildren ? g->vertical : g->blank, g->prop,
			node->props[i]);
	for (size_t i = 0; i < node->nchildren; i++) {
		bool last = i + 1 == node->nchildren;

		print_subtree(out, node->children[i], prefix,
			      last ? g->last : g->branch,
			      last ? g->blank : g->vertical, g);
	}
	strbuf_setlen(prefix, len);
}
