/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The details of a namespace. Each line is one fact, built from the
 * view's helpers (which quote and escape what other users name), in the
 * style of nsdiscover's property lines: a namespace's lines start with
 * its type:[inode], so that grep finds them all.
 */
#include "ui/details.h"

#include "lib/hashmap.h"
#include "lib/strbuf.h"

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
	strbuf_addf(&sb, ", %zu process%s", ns->nprocs,
		    ns->nprocs == 1 ? "" : "es");
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

	for (size_t i = 0; i < p->ntasks; i++) {
		struct strbuf sb = STRBUF_INIT;

		if (!task_in(&p->tasks[i], ns))
			continue;
		view_add_holder(&sb, v, p->pid, p->tasks[i].tid);
		tree_add_prop(node, view_take(&sb));
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
