/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The list view: one namespace a line, in columns chosen by name, as a
 * table, raw or as JSON (libsmartcols, as lsns prints). The columns lsns
 * has keep lsns's names and meanings; nstools adds its own.
 */
#ifndef NSTOOLS_NSLIST_H
#define NSTOOLS_NSLIST_H

#include "model/model.h"
#include "model/typelist.h"
#include "ui/tree.h"
#include "ui/view.h"

#include <stdbool.h>
#include <stdio.h>

/* The most columns one list shows (a name may be given more than once). */
#define NSLIST_MAX_COLUMNS 64

enum nslist_format {
	NSLIST_TABLE,
	NSLIST_RAW,
	NSLIST_JSON,
};

struct nslist {
	int cols[NSLIST_MAX_COLUMNS]; /* column numbers, in the order shown */
	size_t ncols;
	enum nslist_format format;
	bool noheadings;   /* -n */
	bool notruncate;   /* -u, --notruncate (cli_common) */
	bool nowrap;       /* -W: multi-line cells joined with commas */
};

/*
 * Appends the comma-separated column names of list (case-insensitive) to
 * l. Returns 0; -EINVAL for an unknown or empty name, which bad (of
 * size badsize) gets; -E2BIG past NSLIST_MAX_COLUMNS.
 */
int nslist_add_columns(struct nslist *l, const char *list, char *bad,
		       size_t badsize);

/*
 * lsns's default columns: NS,TYPE,NPROCS,PID,USER,COMMAND, and
 * NS,TYPE,NPROCS,PID,USER,NETNSID,NSFS,COMMAND when only network
 * namespaces are listed. Replaces what l has.
 */
void nslist_default_columns(struct nslist *l, const struct typeset *types);

/* Every column, in the order of --list-columns. Replaces what l has. */
void nslist_all_columns(struct nslist *l);

/*
 * Narrows scope to what the columns of l need read (command lines, UIDs,
 * cgroups, network namespace IDs); every namespace is read.
 */
void nslist_scope(const struct nslist *l, struct discovery_scope *scope);

/* Every column's name and description, one a line (--list-columns). */
void nslist_print_columns(FILE *out);

/* Which namespaces the list shows; ctx is the caller's. */
typedef bool nslist_filter(const struct ns *ns, const void *ctx);

/*
 * Prints one line for each namespace of v's model that shows(ns, ctx)
 * lets through, sorted by inode (those known only by their ID last, by
 * ID), to stdout. Returns 0, or -ENOMEM or -EIO from libsmartcols.
 */
int nslist_print(const struct nslist *l, const struct view *v,
		 nslist_filter *shows, const void *ctx);

/* The list as the interactive interface shows it. */
struct nslist_rows {
	char *header;              /* the columns' names (malloc'd), or NULL */
	struct tree_node **nodes;  /* one a namespace, keyed (malloc'd) */
	size_t n;
};

/*
 * The lines nslist_print would print as a table, each of one namespace
 * (a cell of several lines joined as -W joins them), none cut short:
 * the head apart (none with -n), and a node for each line. Returns 0 or
 * -ENOMEM.
 */
int nslist_rows(const struct nslist *l, const struct view *v,
		nslist_filter *shows, const void *ctx,
		struct nslist_rows *rows);

#endif
