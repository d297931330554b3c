/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every fact of one namespace, as a tree of labels: what `nsdiscover
 * NS...` prints of it, and what the interactive interface's details pane
 * shows of the node selected. Each property line is short and says one
 * fact; every name, path and cgroup in it is quoted and escaped by the
 * view's helpers (ui/view.h), so no line holds a control byte. Built
 * from a finished model alone: nothing here reads /proc.
 */
#ifndef NSTOOLS_DETAILS_H
#define NSTOOLS_DETAILS_H

#include "ui/tree.h"
#include "ui/view.h"

/*
 * The node nsdiscover's tree draws for ns: `LABEL, N processes`, then a
 * property line each for its owner (or `owner unknown`), the creator of
 * a user namespace, and every place it was found, each line starting
 * with the namespace's type:[inode]. No children.
 */
struct tree_node *details_ns_summary(const struct view *v,
				     const struct ns *ns);

/*
 * Everything `nsdiscover NS` prints of ns: the node of
 * details_ns_summary with, before the owner, its ID (`ID N`, where
 * known), a network namespace's nsid (`netnsid N`, `netnsid unassigned`,
 * where asked) and its parent (`child of type:[inode]`); and below it
 * every process in ns, each under its nearest ancestor in ns (as
 * view_process_node names it), with its threads in ns as property lines.
 */
struct tree_node *details_of_ns(const struct view *v, const struct ns *ns);

#endif
