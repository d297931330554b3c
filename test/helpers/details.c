/* SPDX-License-Identifier: Apache-2.0 */
/*
 * details DUMP: the details (ui/details.h) of every process of the dump
 * DUMP, each followed by those of its threads, as trees with line glyphs
 * and no colours. No tool prints them yet (the interactive interface's
 * details pane will): this shows them to the tests (views-golden.bats).
 * Exits 0, or 1 with a message when the dump does not load.
 */
#include "model/json.h"
#include "ui/details.h"

#include <stdio.h>
#include <stdlib.h>

static void print(struct tree_node *node)
{
	tree_print(stdout, node, TREE_STYLE_LINE);
	tree_free(node);
}

int main(int argc, char **argv)
{
	FILE *in = argc == 2 ? fopen(argv[1], "r") : NULL;
	struct model m;
	struct view v;
	char err[256];

	model_init(&m);
	if (!in) {
		fprintf(stderr, "usage: details DUMP (a readable file)\n");
		return 1;
	}
	if (json_load_model(&m, in, err, sizeof(err)) < 0) {
		fprintf(stderr, "details: %s: %s\n", argv[1], err);
		return 1;
	}
	fclose(in);
	view_init(&v, &m, COLOR_NEVER);
	for (size_t i = 0; i < m.nprocs; i++) {
		print(details_of_proc(&v, m.procs[i]));
		for (size_t k = 0; k < m.procs[i]->ntasks; k++)
			print(details_of_task(&v, &m.procs[i]->tasks[k]));
	}
	view_release(&v);
	model_release(&m);
	return fflush(stdout) ? 1 : 0;
}
