/* SPDX-License-Identifier: Apache-2.0 */
/*
 * -i, --interactive: a view as a full-screen interface (ncursesw). The
 * tool makes its trees from a model, as for the text view; this module
 * shows them, and does what the keys ask: moving, folding, searching, the
 * details of a node, discovering again (by hand, or every --interval).
 *
 * Privileges: the terminal, terminfo and the locale are touched only
 * after the first discovery, with no capability effective; a later
 * discovery raises the discovery's capabilities for its run alone
 * (cli_rediscover). With --load, every capability is gone at the start.
 */
#ifndef NSTOOLS_INTERACTIVE_H
#define NSTOOLS_INTERACTIVE_H

#include "ui/cli.h"
#include "ui/tree.h"
#include "ui/view.h"

#include <stdbool.h>

/* One frame of a view: its trees, and a line above them (a list's head). */
struct interactive_frame {
	struct tree_node **roots;   /* malloc'd, as the nodes */
	size_t nroots;
	char *header;               /* malloc'd, or NULL */
};

/*
 * How a tool makes its frame from a model: v is a view of it whose style
 * marks colours for the screen (style_init_marks). Fills f; may exit with
 * a message (the screen is ended first).
 */
typedef void interactive_build(struct interactive_frame *f,
			       const struct view *v, void *ctx);

/*
 * -i: gets the model (cli_get_model_kept), with o's scope widened to
 * what finds a process again (its start time) and to the nsids of
 * network namespaces, which the details show (otherwise the details show
 * what the view's discovery read); shows the frame that build makes of
 * it until the user quits, and releases all it made. Exits 2 when the
 * terminal cannot be used.
 */
void interactive_run(struct cli_common *o, interactive_build *build,
		     void *ctx);

/*
 * Steps 3 to 5 of a tool whose view is its frame: with -i,
 * interactive_run; else the model (cli_get_model) and the frame build
 * makes of it, written (cli_print_trees). Releases all it made.
 */
void interactive_or_print(struct cli_common *o, interactive_build *build,
			  void *ctx);

#endif
