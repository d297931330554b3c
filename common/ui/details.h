/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every fact of one namespace, one process or one thread, as a tree of
 * labels: what `nsdiscover NS...` prints of a namespace, and what the
 * interactive interface's details pane shows of the node selected. Each
 * property line is short and says one fact; every name, path, cgroup and
 * command line in it is quoted and escaped by the view's helpers
 * (ui/view.h), so no line holds a control byte. Built from a finished
 * model alone: nothing here reads /proc (a UID's name comes from the
 * user database, as the list's USER column takes it).
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

/*
 * Everything the model holds of process p. The label `process "NAME"
 * (PID)`, PID as /proc shows it; then a property line each, where known:
 *
 *   PID 300 in pid:[4026531836]     each level of NSpid, outermost first
 *                                   (pid:[???] where that namespace is
 *                                   not known; `PID N` alone without NSpid)
 *   pidfd inode 1300                (pidfs; only in a full discovery)
 *   parent "NAME" (PPID)            none for a PPID of 0
 *   state S
 *   started 3.00 s after boot       its start time, from clock ticks
 *   UID 0 ("root")                  the name from this host's user database
 *   command line "sleep" "1000"     each argument quoted
 *   cgroup "/user.slice"
 *   container "NAME" (ENGINE SHORT-ID, pod ...)   view_add_container
 *   container ID FULL-ID
 *   container image "IMAGE"
 *   unit "UNIT"
 *   its namespaces could not be read            an inaccessible process
 *   its PID namespace is inferred from NSpid    pidns_inferred
 *   LABEL                           one line per type, the label of its
 *                                   namespace (view_add_ns_label), or
 *                                   `type:[???]` when not known
 *   for children: LABEL             where *_for_children differs
 *
 * A start time of 0 counts as not read. Below it, a child node per thread
 * other than the main one (p->tasks), named `task "NAME" [TID] of "NAME"
 * (PID)` as everywhere, with a property line per namespace in which the
 * thread differs from p (its label, or `for children: LABEL`).
 */
struct tree_node *details_of_proc(const struct view *v,
				  const struct proc *p);

/*
 * A thread's own facts: the label `task "NAME" [TID] of "NAME" (PID)`,
 * which names its process, then `state S`, `started ... after boot`,
 * and the label of each namespace in which it differs from its process
 * (`for children: LABEL` for its *_for_children links), or `in every
 * namespace of its process` when none does. The process's own facts are
 * details_of_proc(v, t->proc)'s, not repeated here.
 */
struct tree_node *details_of_task(const struct view *v,
				  const struct task *t);

#endif
