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
	size_t nkeys = node->nprops;

	VEC_PUSH(node->props, node->nprops, node->props_alloc, text);
	grow_array((void **)&node->prop_keys, &node->prop_keys_alloc,
		   nkeys + 1, sizeof(*node->prop_keys));
	node->prop_keys[nkeys] = (struct tree_key){ TREE_KEY_NONE, 0, 0 };
}

void tree_set_prop_key(struct tree_node *node, struct tree_key key)
{
	if (node->nprops)
		node->prop_keys[node->nprops - 1] = key;
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
	free(node->prop_keys);
	free(node->children);
	free(node->label);
	free(node);
}

struct walk {
	struct strbuf prefix;  /* what stands left of the current node's lines */
	const struct glyphs *g;
	tree_line_fn *fn;
	void *ctx;
};

/* One line: the prefix so far, then glyph and more glyph, then text. */
static int emit(struct walk *w, const struct tree_line *line,
		const char *glyph, const char *glyph2)
{
	size_t len = w->prefix.len;
	struct tree_line out = *line;
	int ret;

	strbuf_adds(&w->prefix, glyph);
	strbuf_adds(&w->prefix, glyph2);
	out.prefix = w->prefix.buf;
	ret = w->fn(&out, w->ctx);
	strbuf_setlen(&w->prefix, len);
	return ret;
}

static int walk_props(struct walk *w, const struct tree_node *node,
		      size_t depth)
{
	const char *left = node->nchildren ? w->g->vertical : w->g->blank;
	int ret = 0;

	for (size_t i = 0; !ret && i < node->nprops; i++) {
		struct tree_line line = { .node = node, .prop = (int)i,
					  .text = node->props[i],
					  .depth = depth };

		ret = emit(w, &line, left, w->g->prop);
	}
	return ret;
}

/*
 * first is what stands left of node's label (a branch glyph, nothing for
 * a root), indent what stands left of everything below it.
 */
static int walk_subtree(struct walk *w, const struct tree_node *node,
			const char *first, const char *indent, size_t depth)
{
	struct tree_line line = { .node = node, .prop = -1,
				  .text = node->label, .depth = depth };
	size_t len = w->prefix.len;
	int ret = emit(w, &line, first, "");

	strbuf_adds(&w->prefix, indent);
	if (!ret)
		ret = walk_props(w, node, depth);
	for (size_t i = 0; !ret && i < node->nchildren; i++) {
		bool last = i + 1 == node->nchildren;

		ret = walk_subtree(w, node->children[i],
				   last ? w->g->last : w->g->branch,
				   last ? w->g->blank : w->g->vertical,
				   depth + 1);
	}
	strbuf_setlen(&w->prefix, len);
	return ret;
}

int tree_walk(const struct tree_node *root, enum tree_style style,
	      tree_line_fn *fn, void *ctx)
{
	struct walk w = { STRBUF_INIT, &glyph_sets[style], fn, ctx };
	int ret = walk_subtree(&w, root, "", "", 0);

	strbuf_release(&w.prefix);
	return ret;
}

static int print_line(const struct tree_line *line, void *ctx)
{
	FILE *out = ctx;

	fputs(line->prefix, out);
	fputs(line->text, out);
	putc('\n', out);
	return 0;
}

int tree_print(FILE *out, const struct tree_node *root, enum tree_style style)
{
	tree_walk(root, style, print_line, out);
	return ferror(out) ? -1 : 0;
}
