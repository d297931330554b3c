/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pidtree: the process tree across PID namespaces, each process with its
 * PID in every PID namespace from the tool's own down to its own.
 */
#include "ui/cli.h"
#include "ui/focus.h"
#include "ui/interactive.h"
#include "lib/hashmap.h"
#include "ui/view.h"
#include "lib/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct options {
	struct cli_common common;
	struct focus focus;    /* -p, -n; its PIDs count in the tool's own */
	bool tasks;
};

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Show the process tree across PID namespaces, each process with\n"
	       "its PID as seen from every PID namespace down to its own.\n"
	       "\n"
	       "Options:\n"
	       "  -p, --pid=PID       only the branch from the top down to PID\n"
	       "                      (container:NAME or container:ID-PREFIX:\n"
	       "                      down to its init process)\n"
	       "  -n, --ns=PIDNS      the PID namespace PID counts in: pid:[INODE],\n"
	       "                      INODE or id:ID (default: the tool's own)\n"
	       "  -t, --tasks         show the threads of processes, marking those\n"
	       "                      in other namespaces than their process\n",
	       cli_tool_name());
	cli_common_help();
}

/* The tool's own options, for cli_parse_options. */
static bool take_option(int c, const char *arg, void *ctx)
{
	struct options *o = ctx;

	switch (c) {
	case 'n':
		focus_set_pidns(&o->focus, arg);
		return true;
	case 't':
		o->tasks = true;
		return true;
	default:
		return focus_option(&o->focus, c, arg);
	}
}

static const struct option longopts[] = {
	/* no --task: it would take the abbreviation of --tasks */
	{ "pid", required_argument, NULL, 'p' },
	{ "ns", required_argument, NULL, 'n' },
	{ "tasks", no_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 },
};

static const struct cli_tool this_tool = {
	.shortopts = "p:n:t",
	.notruncate_u = true,
	.longopts = longopts,
	.option = take_option,
};

/* What building the tree needs at every node. */
struct pidtree {
	const struct view *v;
	const struct model *m;
	const struct ns *own;  /* the tool's PID namespace, where it starts */
	size_t root_level;     /* NSpid index of the tool's PID namespace */
	bool tasks;
	bool narrowed;         /* -p: only the branch is shown */
	struct intmap branch;  /* -p: the PIDs on the branch */
};

/*
 * Whether p has a PID in the tool's PID namespace: it sits there or below.
 * From a /proc of that namespace every process does; from a /proc of an
 * ancestor, those that NSpid pairs with it at its level, and those whose
 * own namespace is not known below a process that does (a child sits in
 * its parent's PID namespace or below).
 */
static bool in_view(const struct pidtree *t, const struct proc *p)
{
	size_t steps = 0;

	if (!t->root_level)
		return true;
	for (; p && steps <= t->m->nprocs; p = p->parent, steps++) {
		if (p->nspid_len <= t->root_level)
			return false;
		if (p->nspid_ns[t->root_level])
			return p->nspid_ns[t->root_level] == t->own;
	}
	return false;
}

/*
 * Whether p is drawn below its parent process rather than at the top: the
 * parent is in view, and p's PID namespace is not above the parent's (a
 * dump could say so), so that no namespace is drawn inside its descendant.
 */
static bool under_parent(const struct pidtree *t, const struct proc *p)
{
	const struct ns *ns = p->ns[NS_PID];
	const struct proc *up = p->parent;

	return up && in_view(t, up) &&
	       !(ns && up->ns[NS_PID] && ns_is_below(up->ns[NS_PID], ns));
}

/* Whether p is drawn at the top (top) or below its parent (!top). */
static bool shown(const struct pidtree *t, const struct proc *p, bool top)
{
	if (t->narrowed &&
	    !intmap_has(&t->branch, (uint64_t)p->pid))
		return false;
	return in_view(t, p) && under_parent(t, p) != top;
}

static char *pidns_label(const struct pidtree *t, const struct ns *ns)
{
	struct strbuf sb = STRBUF_INIT;

	view_add_ns_id(&sb, t->v, ns);
	view_add_creator(&sb, t->v, ", owned by ", ns->owner);
	return view_take(&sb);
}

/* ` in net:[X], uts:[Y]`: where a thread differs from its process. */
static void add_task_namespaces(struct strbuf *sb, const struct pidtree *t,
				const struct task *task)
{
	const char *sep = " in ";

	for (int type = 0; type < NS_TYPE_COUNT; type++) {
		const struct ns *ns = task->ns[type];

		if (!ns || ns == task->proc->ns[type])
			continue;
		strbuf_adds(sb, sep);
		view_add_ns_id(sb, t->v, ns);
		sep = ", ";
	}
}

static void add_tasks(struct tree_node *node, const struct pidtree *t,
		      const struct proc *p)
{
	for (size_t i = 0; t->tasks && i < p->ntasks; i++) {
		struct strbuf sb = STRBUF_INIT;

		view_add_holder(&sb, t->v, p->pid, p->tasks[i].tid);
		add_task_namespaces(&sb, t, &p->tasks[i]);
		tree_add_prop(node, view_take(&sb));
		tree_set_prop_key(node, view_task_key(&p->tasks[i]));
	}
}

/* Siblings to draw: the tops of the tree (top), or a process's children. */
struct siblings {
	struct proc *const *procs;
	size_t n;
	bool top;
};

static struct tree_node *pidns_node(const struct pidtree *t,
				    const struct ns *ns,
				    const struct siblings *sib);

/* True when an earlier one of sib[0..i) sits in the same PID namespace. */
static bool pidns_seen_before(const struct pidtree *t,
			      const struct siblings *sib, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (shown(t, sib->procs[k], sib->top) &&
		    sib->procs[k]->ns[NS_PID] == sib->procs[i]->ns[NS_PID])
			return true;
	return false;
}

static struct tree_node *process_node(const struct pidtree *t,
				      const struct proc *p);

/*
 * Adds the siblings shown (by PID) below node: those in pidns as
 * processes, those in another known PID namespace below a node of that
 * namespace (once for all of them), those in an unknown one as processes.
 */
static void add_processes(struct tree_node *node, const struct pidtree *t,
			  const struct ns *pidns, const struct siblings *sib)
{
	for (size_t i = 0; i < sib->n; i++) {
		const struct ns *ns = sib->procs[i]->ns[NS_PID];

		if (!shown(t, sib->procs[i], sib->top))
			continue;
		if (!ns || ns == pidns)
			tree_add_child(node, process_node(t, sib->procs[i]));
		else if (!pidns_seen_before(t, sib, i))
			tree_add_child(node, pidns_node(t, ns, sib));
	}
}

static struct tree_node *process_node(const struct pidtree *t,
				      const struct proc *p)
{
	struct tree_node *node = tree_node_new(view_process_node(t->v, p));
	struct siblings children = { p->children, p->nchildren, false };

	node->key = view_proc_key(p);
	add_tasks(node, t, p);
	add_processes(node, t, p->ns[NS_PID], &children);
	return node;
}

/* A PID namespace node over those of the siblings that sit in it. */
static struct tree_node *pidns_node(const struct pidtree *t,
				    const struct ns *ns,
				    const struct siblings *sib)
{
	struct tree_node *node = tree_node_new(pidns_label(t, ns));

	node->key = view_ns_key(ns);
	for (size_t i = 0; sib && i < sib->n; i++)
		if (sib->procs[i]->ns[NS_PID] == ns &&
		    shown(t, sib->procs[i], sib->top))
			tree_add_child(node, process_node(t, sib->procs[i]));
	return node;
}

/*
 * The process that is PID in pidns (the tool's own when NULL), among those
 * the tree can show.
 */
static struct proc *find_process(const struct pidtree *t,
				 const struct ns *pidns, pid_t pid)
{
	for (size_t i = 0; i < t->m->nprocs; i++) {
		struct proc *p = t->m->procs[i];

		if (!in_view(t, p))
			continue;
		if (pidns ? proc_pid_in(p, pidns) == pid
			  : t->root_level < p->nspid_len &&
				    p->nspid[t->root_level] == pid)
			return p;
	}
	return NULL;
}

/*
 * -p, -n: marks the process (a container's init for -p container:NAME)
 * and its ancestors; exits 1 when not found.
 */
static void select_branch(struct pidtree *t, const struct options *o)
{
	const struct ns *pidns = focus_pidns(&o->focus, t->m);
	const struct proc *p;
	pid_t tid = o->focus.thread;

	if (o->focus.container)
		p = focus_container_init(t->m, o->focus.container);
	else
		p = find_process(t, pidns, o->focus.pid);
	/* a thread's TID counts as /proc shows it: here, at the top level */
	if (!p && !o->focus.container && !pidns && !t->root_level &&
	    (p = focus_thread_process(t->m, o->focus.pid)))
		tid = o->focus.pid;
	if (!p)
		focus_no_process(&o->focus);
	if (tid)
		focus_say_thread(tid, p);
	t->narrowed = true;
	for (; p; p = p->parent)
		intmap_put(&t->branch, (uint64_t)p->pid, 0);
}

/*
 * Processes and their PID namespaces; every type only to mark threads
 * with -t. Namespaces held by fds, sockets or bind mounts have no process
 * to show. Every process shows its cgroup.
 */
static void needs(struct options *o)
{
	struct discovery_scope *d = &o->common.scope;

	d->types = o->tasks ? 0 : NS_TYPE_BIT(NS_PID);
	d->skip[PASS_TASKS] |= !o->tasks;
	d->skip[PASS_FDS] = d->skip[PASS_SOCKETS] = d->skip[PASS_MOUNTS] = true;
	d->no_cmdlines = d->no_uids = d->no_for_children = true;
	d->no_pidfd_inos = d->no_netnsids = true;
	/* with -t, thread labels need no start time either */
	d->no_starttimes = true;
}

/*
 * The view of v's model, resolving -p in it: for the text and the
 * screen. One tree, from the tool's own PID namespace.
 */
static void build(struct interactive_frame *f, const struct view *v,
		  void *ctx)
{
	const struct options *o = ctx;
	const struct model *m = v->m;
	struct pidtree t = { .v = v, .m = m, .own = m->discovery.pidns,
			     .root_level = v->root_level, .tasks = o->tasks,
			     .branch = INTMAP_INIT };
	struct siblings tops = { m->procs, m->nprocs, true };

	if (o->focus.pid || o->focus.container)
		select_branch(&t, o);
	/* every process, for those shown at the top: no parent in view */
	f->roots = xcalloc(1, sizeof(*f->roots));
	f->roots[0] = pidns_node(&t, t.own, NULL);
	f->nroots = 1;
	add_processes(f->roots[0], &t, t.own, &tops);
	intmap_release(&t.branch);
}

int main(int argc, char **argv)
{
	struct options o = { .common = CLI_COMMON_INIT };

	cli_init("pidtree", usage);
	cli_parse_options(argc, argv, &this_tool, &o.common, &o);
	if (o.tasks && o.common.scope.skip[PASS_TASKS])
		cli_usage_error("-t shows the threads, and --no-tasks does not "
				"read them: one or the other");
	focus_check_options(&o.focus);
	focus_check_live(&o.focus, &o.common, true);
	needs(&o);
	focus_scope(&o.focus, &o.common.scope);
	interactive_or_print(&o.common, build, &o);
	focus_release(&o.focus);
	cli_exit(EXIT_DONE);
}
