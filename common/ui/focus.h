/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What narrows a view: a process (-p, --pid, --task), the PID namespace its
 * PID counts in (--ns), and namespaces named as operands. One parser and
 * one set of messages for every tool; a view asks focus_includes() and
 * focus_leads_to() what to show.
 *
 * The options and operands are taken before the model is got (a misuse
 * exits 2, as cli_usage_error), and resolved once it is (what is not
 * found exits 1 with a message naming it).
 */
#ifndef NSTOOLS_FOCUS_H
#define NSTOOLS_FOCUS_H

#include "model/model.h"
#include "ui/cli.h"

#include <stdbool.h>
#include <stdnoreturn.h>

/*
 * A namespace operand: as parsed, and as given (for messages); or
 * container:NAME, the namespaces of that container's init process.
 */
struct focus_operand {
	struct ns_ref ref;
	const char *text;
	const char *container;     /* NAME or ID-PREFIX; NULL: a namespace */
};

struct focus {
	/* as given */
	pid_t pid;                 /* -p, --task; 0: none */
	pid_t thread;              /* -p named this thread; pid: its process */
	const char *container;     /* -p container:NAME: NAME; NULL: none */
	struct ns_ref pidns_ref;   /* --ns */
	const char *pidns_text;    /* --ns as given; NULL: none */
	struct focus_operand *operands;
	size_t noperands, operands_alloc;
	/* resolved by focus_resolve */
	const struct proc *proc;   /* the process of -p, or NULL */
	const struct ns **in;      /* in focus: as named, else by type */
	size_t nin, in_alloc;
};

#define FOCUS_INIT { 0 }

/* The long-only values of --task and --ns (where --ns has no letter). */
enum {
	FOCUS_OPT_TASK = CLI_OPT_FOCUS,
	FOCUS_OPT_NS,
};

/* -p, --pid and --task, for a tool's longopts. */
#define FOCUS_PID_LONGOPTS                                                     \
	{ "pid", required_argument, NULL, 'p' },                               \
	{ "task", required_argument, NULL, FOCUS_OPT_TASK }

/*
 * Takes option c of a tool's handler when it is one of focus's: 'p' and
 * FOCUS_OPT_TASK (the PID, given once; -p also container:NAME or
 * container:ID-PREFIX, the container's init process), FOCUS_OPT_NS (the
 * PID namespace, given once). False for any other c. A malformed value
 * or a second -p or --ns is a usage error (exit 2).
 */
bool focus_option(struct focus *f, int c, const char *arg);

/* --ns=PIDNS (a tool with -n calls it for 'n'); as focus_option. */
void focus_set_pidns(struct focus *f, const char *arg);

/*
 * The operands argv[first..argc) as namespaces (type:[INODE], INODE,
 * id:ID, type:id:ID, or container:NAME: the namespaces of the container's
 * init process); a malformed one is a usage error naming it.
 */
void focus_add_operands(struct focus *f, int argc, char **argv, int first);

/*
 * What no single option can check: --ns without -p, or with -p
 * container:NAME, is a usage error.
 */
void focus_check_options(const struct focus *f);

/*
 * What /proc tells of -p before a discovery (HACKING.md, "Contracts"):
 * a PID it does not have exits 1 (focus_no_process) at once, and a
 * thread's TID becomes its process's PID (said by focus_say_thread once
 * the model names it). Nothing is checked with --load or --ns (the PID
 * does not count in this /proc), nor where /proc cannot tell; own_pidns:
 * the PID counts in the tool's own PID namespace (pidtree), which this
 * /proc must then be of.
 */
void focus_check_live(struct focus *f, const struct cli_common *o,
		      bool own_pidns);

/*
 * Widens scope where a container is named: which process is a
 * container's init needs every process's container, so every cgroup is
 * read. A tool calls it after narrowing its scope.
 */
void focus_scope(const struct focus *f, struct discovery_scope *scope);

/*
 * The init process of the container NAME names in m: the container whose
 * name is NAME, else the one whose ID starts with NAME; of its processes,
 * one whose parent is not in it, the one that started first (then the
 * lowest PID). Exits 1 with a message when none or several match.
 */
const struct proc *focus_container_init(const struct model *m,
					const char *name);

/* True when -p or an operand narrows the view. */
bool focus_narrows(const struct focus *f);

/*
 * The PID namespace of --ns in m, NULL when --ns was not given; exits 1
 * with `unknown PID namespace X` when m has none by that reference.
 */
const struct ns *focus_pidns(const struct focus *f, const struct model *m);

/* `no process N` (`no process N in X` with --ns), and exit 1. */
noreturn void focus_no_process(const struct focus *f);

/*
 * The process of which tid is a thread in m, tid counted as /proc shows
 * it (the model knows threads where its tasks pass ran); NULL if none.
 */
const struct proc *focus_thread_process(const struct model *m, pid_t tid);

/*
 * `TID is a thread of process PID ("NAME"): showing that process`, as a
 * warning; tid is what -p named, p what is shown.
 */
void focus_say_thread(pid_t tid, const struct proc *p);

/*
 * Resolves what was given against m: the process of -p (its PID in the
 * --ns namespace, else as /proc shows it; a container's init) and the
 * namespace operands.
 * Exits 1 with a message for a PID, PID namespace or namespace m does not
 * have, and for a process none of whose namespaces could be read (it
 * warns when only some could). Does nothing when nothing narrows. May be
 * called again for another model (the interactive interface's next
 * discovery).
 */
void focus_resolve(struct focus *f, const struct model *m);

/*
 * True when nothing narrows; else when ns is one of the process's
 * namespaces (with -p) and one of those named (with operands): both when
 * both were given.
 */
bool focus_includes(const struct focus *f, const struct ns *ns);

/*
 * True when nothing narrows; else when a namespace focus_includes, of one
 * of the types (NS_TYPE_BITs; 0: all), is anc or below it: a user or PID
 * namespace below by its parents, and for a user namespace anc also a
 * namespace whose owner is anc or below it. The branches of a tree that
 * lead to what is in focus.
 */
bool focus_leads_to(const struct focus *f, const struct ns *anc,
		    unsigned types);

void focus_release(struct focus *f);

#endif
