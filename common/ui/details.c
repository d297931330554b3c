/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The details of a namespace, a process, a thread. Each line is one fact,
 * built from the view's helpers (which quote and escape what other users
 * name), in the style of nsdiscover's property lines: a namespace's
 * lines start with its type:[inode], so that grep finds them all; a
 * process's and a thread's with the name of the fact.
 */
#include "ui/details.h"

#include "lib/hashmap.h"
#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/util.h"

#include <pwd.h>
#include <unistd.h>

/* Each property line starts with its namespace, so that grep finds it. */
static struct strbuf prop_start(const struct view *v, const struct ns *ns)
{
	struct strbuf sb = STRBUF_INIT;

	view_add_ns_id(&sb, v, ns);
	strbuf_addc(&sb, ' ');
	return sb;
}

static void add_relation_prop(struct tree_node *node, const struct view *v,
			      const struct ns *ns, const char *what,
			      const struct ns *other)
{
	struct strbuf sb = prop_start(v, ns);

	strbuf_adds(&sb, what);
	view_add_ns_id(&sb, v, other);
	tree_add_prop(node, view_take(&sb));
}

static void add_source_prop(struct tree_node *node, const struct view *v,
			    const struct ns *ns, const struct ns_source *s)
{
	const struct ns *other = model_ns(v->m, s->of);
	struct strbuf sb = prop_start(v, ns);

	switch (s->kind) {
	case SOURCE_BINDMOUNT:
		view_add_bindmount(&sb, v, s, true);
		break;
	case SOURCE_FD:
	case SOURCE_SOCKET:
		view_add_fd_holder(&sb, v, s);
		break;
	case SOURCE_LISTED:
		strbuf_adds(&sb, VIEW_LISTED);
		break;
	case SOURCE_TASK:
		strbuf_adds(&sb, "entered by ");
		view_add_holder(&sb, v, s->pid, s->tid);
		break;
	case SOURCE_FOR_CHILDREN:
		view_add_for_children(&sb, v, s);
		break;
	case SOURCE_PARENT:
	case SOURCE_OWNER:
		strbuf_adds(&sb, s->kind == SOURCE_PARENT ? "parent of "
							  : "owner of ");
		if (other)
			view_add_ns_id(&sb, v, other);
		break;
	default:
		strbuf_release(&sb);
		return;
	}
	tree_add_prop(node, view_take(&sb));
}

static char *ns_label(const struct view *v, const struct ns *ns)
{
	struct strbuf sb = STRBUF_INIT;

	view_add_ns_label(&sb, v, ns);
	view_add_nprocs(&sb, v, ns);
	return view_take(&sb);
}

/* Its owner, its creator and where it was found, each a property line. */
static void add_ns_props(struct tree_node *node, const struct view *v,
			 const struct ns *ns)
{
	struct strbuf sb;

	if (ns->owner) {
		add_relation_prop(node, v, ns, "owned by ", ns->owner);
	} else if (ns->type != NS_USER) {
		sb = prop_start(v, ns);
		view_add_unknown_owner(&sb, v);
		tree_add_prop(node, view_take(&sb));
	}
	if (ns->has_creator) {
		sb = prop_start(v, ns);
		view_add_creator(&sb, v, "created by ", ns);
		tree_add_prop(node, view_take(&sb));
	}
	for (size_t i = 0; i < ns->nsources; i++)
		add_source_prop(node, v, ns, &ns->sources[i]);
}

/* A thread's namespace of type; a link not read per thread is its process's. */
static const struct ns *task_ns(const struct task *task, enum ns_type type)
{
	const struct ns *its = task->ns[type];

	return its ? its : task->proc->ns[type];
}

/* Whether thread task sits in ns. */
static bool task_in(const struct task *task, const struct ns *ns)
{
	return task_ns(task, ns->type) == ns;
}

/* A process in ns, with its threads in ns as property lines. */
static struct tree_node *member_node(const struct view *v,
				     const struct ns *ns, const struct proc *p)
{
	struct tree_node *node = tree_node_new(view_process_node(v, p));

	node->key = view_proc_key(p);
	for (size_t i = 0; i < p->ntasks; i++) {
		struct strbuf sb = STRBUF_INIT;

		if (!task_in(&p->tasks[i], ns))
			continue;
		view_add_holder(&sb, v, p->pid, p->tasks[i].tid);
		tree_add_prop(node, view_take(&sb));
		tree_set_prop_key(node, view_task_key(&p->tasks[i]));
	}
	return node;
}

/*
 * The nearest ancestor of p that is in ns too (in nodes, by PID), or
 * NULL. Parents are checked for cycles by the model; the steps are
 * bounded all the same.
 */
static struct tree_node *anchor_of(const struct model *m,
				   const struct hashmap *nodes,
				   const struct proc *p)
{
	size_t steps = 0;

	for (p = p->parent; p && steps <= m->nprocs; p = p->parent, steps++) {
		struct tree_node *node = hashmap_get(nodes, (uint64_t)p->pid);

		if (node)
			return node;
	}
	return NULL;
}

/*
 * Every process in ns below node, as a tree: each below its nearest
 * ancestor that is in ns too, by PID.
 */
static void add_members(struct tree_node *node, const struct view *v,
			const struct ns *ns)
{
	const struct model *m = v->m;
	struct hashmap nodes = HASHMAP_INIT;

	for (size_t i = 0; i < m->nprocs; i++)
		if (m->procs[i]->ns[ns->type] == ns)
			hashmap_put(&nodes, (uint64_t)m->procs[i]->pid,
				    member_node(v, ns, m->procs[i]));
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct proc *p = m->procs[i];
		struct tree_node *own = hashmap_get(&nodes, (uint64_t)p->pid);
		struct tree_node *up;

		if (!own)
			continue;
		up = anchor_of(m, &nodes, p);
		tree_add_child(up ? up : node, own);
	}
	hashmap_release(&nodes);
}

/*
 * `netnsid N`, as lsns's NETNSID column shows it; lsns's word for -1,
 * where our network namespace has none for it.
 */
static void add_netnsid_prop(struct tree_node *node, const struct view *v,
			     const struct ns *ns)
{
	struct strbuf sb = prop_start(v, ns);

	if (ns->netnsid < 0)
		strbuf_adds(&sb, "netnsid unassigned");
	else
		strbuf_addf(&sb, "netnsid %d", ns->netnsid);
	tree_add_prop(node, view_take(&sb));
}


struct tree_node *details_ns_summary(const struct view *v,
				     const struct ns *ns)
{
	struct tree_node *node = tree_node_new(ns_label(v, ns));

	node->key = view_ns_key(ns);
	add_ns_props(node, v, ns);
	return node;
}

/*
 * Its ID, a network namespace's nsid and its parent come before what
 * details_ns_summary says, and the processes and threads in it below.
 */
struct tree_node *details_of_ns(const struct view *v, const struct ns *ns)
{
	struct tree_node *node = tree_node_new(ns_label(v, ns));
	struct strbuf sb;

	node->key = view_ns_key(ns);
	if (ns->id) {
		sb = prop_start(v, ns);
		strbuf_addf(&sb, "ID %llu", (unsigned long long)ns->id);
		tree_add_prop(node, view_take(&sb));
	}
	if (ns->has_netnsid)
		add_netnsid_prop(node, v, ns);
	if (ns->parent)
		add_relation_prop(node, v, ns, "child of ", ns->parent);
	add_ns_props(node, v, ns);
	add_members(node, v, ns);
	return node;
}

/* A finished property line of node. */
static void add_line(struct tree_node *node, struct strbuf *sb)
{
	tree_add_prop(node, view_take(sb));
}

/* WHAT and a PID or TID, in the colour of PIDs. */
static void add_pid_fact(struct strbuf *sb, const struct view *v,
			 const char *what, pid_t pid)
{
	strbuf_adds(sb, what);
	style_begin(sb, &v->style, STYLE_PID);
	strbuf_addf(sb, "%d", (int)pid);
	style_end(sb, &v->style, STYLE_PID);
}

/*
 * `PID N in pid:[INODE]` for each level of NSpid, outermost first; `PID
 * N` alone, as /proc shows it, where NSpid was not read (before Linux
 * 4.1), since the PID namespace of /proc is not known then.
 */
static void add_pid_props(struct tree_node *node, const struct view *v,
			  const struct proc *p)
{
	struct strbuf sb = STRBUF_INIT;

	if (!p->nspid_len) {
		add_pid_fact(&sb, v, "PID ", p->pid);
		add_line(node, &sb);
	}
	for (size_t i = 0; i < p->nspid_len; i++) {
		const struct ns *ns = p->nspid_ns ? p->nspid_ns[i] : NULL;

		add_pid_fact(&sb, v, "PID ", p->nspid[i]);
		strbuf_adds(&sb, " in ");
		if (ns)
			view_add_ns_id(&sb, v, ns);
		else
			view_add_unknown_ns(&sb, v, NS_PID);
		add_line(node, &sb);
	}
}

/* `state S`: a letter from /proc, escaped all the same (a dump holds any). */
static void add_state_prop(struct tree_node *node, char state)
{
	struct strbuf sb = STRBUF_INIT;
	char text[2] = { state, '\0' };

	if (!state)
		return;
	strbuf_adds(&sb, "state ");
	text_add_escaped(&sb, text);
	add_line(node, &sb);
}

/*
 * `started 3.00 s after boot`: the start time counts clock ticks
 * (USER_HZ, which sysconf tells without reading anything); 0 is what a
 * discovery that did not read it holds.
 */
static void add_start_prop(struct tree_node *node, uint64_t ticks)
{
	struct strbuf sb = STRBUF_INIT;
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t per = hz > 0 ? (uint64_t)hz : 100;

	if (!ticks)
		return;
	strbuf_addf(&sb, "started %llu.%02llu s after boot",
		    (unsigned long long)(ticks / per),
		    (unsigned long long)(ticks % per * 100 / per));
	add_line(node, &sb);
}

/*
 * `UID N ("NAME")`, the name from this host's user database, as the
 * list's USER column takes it; none when the UID was not read.
 */
static void add_uid_prop(struct tree_node *node, const struct view *v,
			 uid_t uid)
{
	struct strbuf sb = STRBUF_INIT;
	struct passwd pw, *found = NULL;
	char buf[4096];

	if (uid == UID_UNKNOWN)
		return;
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &found))
		found = NULL;
	view_add_uid(&sb, v, uid, found ? found->pw_name : NULL);
	add_line(node, &sb);
}

/*
 * `command line "ARG" "ARG"`: each argument quoted on its own, so that
 * one with a blank in it stays one; none when it was not read or is
 * empty (a kernel thread, a zombie).
 */
static void add_cmdline_prop(struct tree_node *node, const struct view *v,
			     const struct proc *p)
{
	struct strbuf sb = STRBUF_INIT;

	if (!p->argc)
		return;
	strbuf_adds(&sb, "command line");
	for (size_t i = 0; i < p->argc; i++) {
		strbuf_addc(&sb, ' ');
		view_add_quoted(&sb, v, STYLE_PROCESS, p->cmdline[i]);
	}
	add_line(node, &sb);
}

/* `WHAT "TEXT"`, text untrusted; none when text is NULL. */
static void add_quoted_prop(struct tree_node *node, const struct view *v,
			    const char *what, enum style_role role,
			    const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	if (!text)
		return;
	strbuf_adds(&sb, what);
	view_add_quoted(&sb, v, role, text);
	add_line(node, &sb);
}

/* The container as labels name it, then its full ID and its image. */
static void add_container_props(struct tree_node *node, const struct view *v,
				const struct container *c)
{
	struct strbuf sb = STRBUF_INIT;

	if (!c)
		return;
	view_add_container(&sb, v, c);
	add_line(node, &sb);
	strbuf_adds(&sb, "container ID ");
	text_add_escaped(&sb, c->id);
	add_line(node, &sb);
	add_quoted_prop(node, v, "container image ", STYLE_CONTAINER, c->image);
}

/* What could not be read, in the colour of the unknown. */
static void add_unknown_prop(struct tree_node *node, const struct view *v,
			     const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	style_add(&sb, &v->style, STYLE_UNKNOWN, text);
	add_line(node, &sb);
}

/* PREFIX and the label of ns, or `type:[???]` where it is not known. */
static void add_ns_line(struct tree_node *node, const struct view *v,
			const char *prefix, enum ns_type type,
			const struct ns *ns)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, prefix);
	if (ns)
		view_add_ns_label(&sb, v, ns);
	else
		view_add_unknown_ns(&sb, v, type);
	add_line(node, &sb);
}

/* For children: a process's *_for_children link, or its own namespace. */
static const struct ns *proc_for_children(const struct proc *p,
					  enum ns_type type)
{
	return p->for_children[type] ? p->for_children[type] : p->ns[type];
}

/* Its namespaces, a line each, and those for its children that differ. */
static void add_proc_ns_props(struct tree_node *node, const struct view *v,
			      const struct proc *p)
{
	for (int type = 0; type < NS_TYPE_COUNT; type++) {
		const struct ns *kids = proc_for_children(p, type);

		/* a type the view did not read, unless none could be */
		if (!p->ns[type] && !p->inaccessible)
			continue;
		add_ns_line(node, v, "", type, p->ns[type]);
		if (kids && kids != p->ns[type])
			add_ns_line(node, v, "for children: ", type, kids);
	}
}

/*
 * The namespaces in which task differs from its process, a line each;
 * how many.
 */
static size_t add_task_ns_props(struct tree_node *node, const struct view *v,
				const struct task *task)
{
	const struct proc *p = task->proc;
	size_t n = 0;

	for (int type = 0; type < NS_TYPE_COUNT; type++) {
		const struct ns *its = task_ns(task, type);
		const struct ns *kids = task->for_children[type];

		if (its && its != p->ns[type]) {
			add_ns_line(node, v, "", type, its);
			n++;
		}
		if (kids && kids != proc_for_children(p, type)) {
			add_ns_line(node, v, "for children: ", type, kids);
			n++;
		}
	}
	return n;
}

/* `task "NAME" [TID] of "NAME" (PID)`, as threads are named everywhere. */
static struct tree_node *task_node(const struct view *v,
				   const struct task *task)
{
	struct strbuf sb = STRBUF_INIT;
	struct tree_node *node;

	view_add_holder(&sb, v, task->proc->pid, task->tid);
	node = tree_node_new(view_take(&sb));
	node->key = view_task_key(task);
	return node;
}

/* Who it is: its PIDs, parent, state, start, user and command line. */
static void add_identity_props(struct tree_node *node, const struct view *v,
			       const struct proc *p)
{
	struct strbuf sb = STRBUF_INIT;

	add_pid_props(node, v, p);
	if (p->pidfd_ino) {
		strbuf_addf(&sb, "pidfd inode %llu",
			    (unsigned long long)p->pidfd_ino);
		add_line(node, &sb);
	}
	if (p->ppid) {
		strbuf_adds(&sb, "parent ");
		view_add_holder(&sb, v, p->ppid, 0);
		add_line(node, &sb);
	}
	add_state_prop(node, p->state);
	add_start_prop(node, p->starttime);
	add_uid_prop(node, v, p->uid);
	add_cmdline_prop(node, v, p);
}

/* Where it runs: cgroup, container, unit, and what could not be read. */
static void add_place_props(struct tree_node *node, const struct view *v,
			    const struct proc *p)
{
	add_quoted_prop(node, v, "cgroup ", STYLE_PATH, p->cgroup);
	add_container_props(node, v, p->container);
	add_quoted_prop(node, v, "unit ", STYLE_CONTAINER, p->unit);
	if (p->inaccessible)
		add_unknown_prop(node, v, "its namespaces could not be read");
	if (p->pidns_inferred)
		tree_add_prop(node,
			      xstrdup("its PID namespace is inferred from NSpid"));
}

struct tree_node *details_of_proc(const struct view *v,
				  const struct proc *p)
{
	struct strbuf sb = STRBUF_INIT;
	struct tree_node *node;

	strbuf_adds(&sb, "process ");
	view_add_holder(&sb, v, p->pid, 0);
	node = tree_node_new(view_take(&sb));
	node->key = view_proc_key(p);
	add_identity_props(node, v, p);
	add_place_props(node, v, p);
	add_proc_ns_props(node, v, p);
	for (size_t i = 0; i < p->ntasks; i++) {
		struct tree_node *task = task_node(v, &p->tasks[i]);

		add_task_ns_props(task, v, &p->tasks[i]);
		tree_add_child(node, task);
	}
	return node;
}

struct tree_node *details_of_task(const struct view *v,
				  const struct task *t)
{
	struct tree_node *node = task_node(v, t);

	add_state_prop(node, t->state);
	add_start_prop(node, t->starttime);
	if (!add_task_ns_props(node, v, t))
		tree_add_prop(node, xstrdup("in every namespace of its process"));
	return node;
}
