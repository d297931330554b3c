/* SPDX-License-Identifier: Apache-2.0 */
#include "model/model.h"

#include "lib/procpath.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const source_kind_names[SOURCE_KIND_COUNT] = {
	[SOURCE_PROCESS] = "process",
	[SOURCE_TASK] = "task",
	[SOURCE_FOR_CHILDREN] = "for-children",
	[SOURCE_FD] = "fd",
	[SOURCE_SOCKET] = "socket",
	[SOURCE_BINDMOUNT] = "bindmount",
	[SOURCE_LISTED] = "listed",
	[SOURCE_PARENT] = "parent",
	[SOURCE_OWNER] = "owner",
};

const char *source_kind_name(enum source_kind kind)
{
	return source_kind_names[kind];
}

enum source_kind source_kind_from_name(const char *name)
{
	for (int k = 0; k < SOURCE_KIND_COUNT; k++)
		if (!strcmp(source_kind_names[k], name))
			return k;
	return SOURCE_KIND_COUNT;
}

bool source_kind_is_derived(enum source_kind kind)
{
	return kind != SOURCE_FD && kind != SOURCE_SOCKET &&
	       kind != SOURCE_BINDMOUNT && kind != SOURCE_LISTED;
}

static const char *const pass_names[PASS_COUNT] = {
	[PASS_TASKS] = "tasks",
	[PASS_FDS] = "fds",
	[PASS_SOCKETS] = "sockets",
	[PASS_MOUNTS] = "mounts",
	[PASS_CONTAINERS] = "containers",
};

const char *discovery_pass_name(enum discovery_pass pass)
{
	return pass_names[pass];
}

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
	hashmap_init(&m->ns_by_ino);
	hashmap_init(&m->ns_by_id);
	hashmap_init(&m->proc_by_pid);
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void ns_free(struct ns *ns)
{
	free(ns->children);
	free(ns->owned);
	free(ns->creator_name);
	free_strings(ns->reference, ns->nreference);
	free(ns->leaders);
	free(ns->loose_threads);
	for (size_t i = 0; i < ns->nsources; i++)
		free(ns->sources[i].path);
	free(ns->sources);
	free(ns);
}

static void proc_free(struct proc *p)
{
	for (size_t i = 0; i < p->ntasks; i++)
		free(p->tasks[i].name);
	free(p->tasks);
	free(p->name);
	free(p->cmdline);
	free(p->cgroup);
	free(p->unit);
	free(p->nspid);
	free(p->nspid_ns);
	free(p->children);
	free(p);
}

static void container_free(struct container *c)
{
	free(c->engine);
	free(c->id);
	free(c->name);
	free(c->image);
	free(c->pod);
	free(c->pod_namespace);
	free(c);
}

struct container *model_container(struct model *m, const char *engine,
				  const char *id)
{
	struct container *c;

	for (size_t i = 0; i < m->ncontainers; i++) {
		c = m->containers[i];
		if (!strcmp(c->engine, engine) && !strcmp(c->id, id))
			return c;
	}
	c = xcalloc(1, sizeof(*c));
	c->engine = xstrdup(engine);
	c->id = xstrdup(id);
	VEC_PUSH(m->containers, m->ncontainers, m->containers_alloc, c);
	return c;
}

void model_release(struct model *m)
{
	for (size_t i = 0; i < m->nns; i++)
		ns_free(m->nss[i]);
	free(m->nss);
	for (size_t i = 0; i < m->nprocs; i++)
		proc_free(m->procs[i]);
	free(m->procs);
	for (size_t i = 0; i < m->ncontainers; i++)
		container_free(m->containers[i]);
	free(m->containers);
	hashmap_release(&m->ns_by_ino);
	hashmap_release(&m->ns_by_id);
	hashmap_release(&m->proc_by_pid);
	free(m->user_roots);
	free(m->pid_roots);
	model_init(m);
}

struct ns *model_ns(const struct model *m, uint64_t ino)
{
	return hashmap_get(&m->ns_by_ino, ino);
}

static struct ns *new_ns(struct model *m, enum ns_type type)
{
	struct ns *ns = xcalloc(1, sizeof(*ns));

	ns->type = type;
	VEC_PUSH(m->nss, m->nns, m->nns_alloc, ns);
	return ns;
}

struct ns *model_add_ns(struct model *m, enum ns_type type, uint64_t ino)
{
	struct ns *ns = new_ns(m, type);

	ns->ino = ino;
	hashmap_put(&m->ns_by_ino, ino, ns);
	return ns;
}

struct ns *model_ns_by_id(const struct model *m, uint64_t id)
{
	return hashmap_get(&m->ns_by_id, id);
}

void model_set_ns_id(struct model *m, struct ns *ns, uint64_t id)
{
	ns->id = id;
	hashmap_put(&m->ns_by_id, id, ns);
}

/* Its inode is 0 and stays out of ns_by_ino: no link can name it. */
struct ns *model_add_ns_by_id(struct model *m, enum ns_type type,
			      uint64_t id)
{
	struct ns *ns = new_ns(m, type);

	model_set_ns_id(m, ns, id);
	return ns;
}

struct ns *model_ns_by_ref(const struct model *m, const struct ns_ref *ref)
{
	struct ns *ns = ref->ino ? model_ns(m, ref->ino)
				 : model_ns_by_id(m, ref->id);

	if (ns && ref->type != NS_TYPE_NONE && ns->type != ref->type)
		return NULL;
	return ns;
}

struct proc *model_proc(const struct model *m, pid_t pid)
{
	return pid > 0 ? hashmap_get(&m->proc_by_pid, (uint64_t)pid) : NULL;
}

struct proc *proc_new(pid_t pid)
{
	struct proc *p = xcalloc(1, sizeof(*p));

	p->pid = pid;
	return p;
}

void model_insert_proc(struct model *m, struct proc *p)
{
	VEC_PUSH(m->procs, m->nprocs, m->nprocs_alloc, p);
	hashmap_put(&m->proc_by_pid, (uint64_t)p->pid, p);
}

struct proc *model_add_proc(struct model *m, pid_t pid)
{
	struct proc *p = proc_new(pid);

	model_insert_proc(m, p);
	return p;
}

struct task *proc_add_task(struct proc *p, pid_t tid)
{
	struct task t = { .tid = tid };

	VEC_PUSH(p->tasks, p->ntasks, p->tasks_alloc, t);
	return &p->tasks[p->ntasks - 1];
}

void ns_add_source(struct ns *ns, struct ns_source src)
{
	VEC_PUSH(ns->sources, ns->nsources, ns->sources_alloc, src);
}

/* Sorting */

/* qsort with an empty (NULL) array is undefined behaviour. */
static void sort_array(void *base, size_t n, size_t size,
		       int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

static int cmp_proc_ptr(const void *a, const void *b)
{
	return cmp_pid(&(*(struct proc *const *)a)->pid,
		       &(*(struct proc *const *)b)->pid);
}

static int cmp_u64(uint64_t x, uint64_t y)
{
	return (x > y) - (x < y);
}

/* By inode; those known only by their ID after the others, by ID. */
static int cmp_ns_ino(const void *a, const void *b)
{
	const struct ns *x = *(struct ns *const *)a, *y = *(struct ns *const *)b;

	if (!x->ino != !y->ino)
		return x->ino ? -1 : 1;
	return x->ino ? cmp_u64(x->ino, y->ino) : cmp_u64(x->id, y->id);
}

static int cmp_ns_type_ino(const void *a, const void *b)
{
	const struct ns *x = *(struct ns *const *)a, *y = *(struct ns *const *)b;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return cmp_ns_ino(a, b);
}

/* By kind, then holder, fd, mount namespace, path, related namespace. */
static int cmp_source(const void *a, const void *b)
{
	const struct ns_source *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = cmp_pid(&x->pid, &y->pid)) || (c = cmp_pid(&x->tid, &y->tid)) ||
	    (c = cmp_u64((uint64_t)x->fd, (uint64_t)y->fd)) ||
	    (c = cmp_u64(x->mntns, y->mntns)))
		return c;
	if (x->path && y->path && (c = strcmp(x->path, y->path)))
		return c;
	return cmp_u64(x->of, y->of);
}

/*
 * Sources come in the order the engine met them, which several reading
 * threads make arbitrary: sorted, the same host gives the same model.
 */
static void sort_sources(struct model *m)
{
	for (size_t i = 0; i < m->nns; i++)
		sort_array(m->nss[i]->sources, m->nss[i]->nsources,
			   sizeof(struct ns_source), cmp_source);
}

static int cmp_task(const void *a, const void *b)
{
	return cmp_pid(&((const struct task *)a)->tid,
		       &((const struct task *)b)->tid);
}

/* Processes */

static void link_processes(struct model *m)
{
	for (size_t i = 0; i < m->nprocs; i++) {
		struct proc *p = m->procs[i];
		struct proc *parent = p->ppid != p->pid ? model_proc(m, p->ppid)
							: NULL;

		p->parent = parent;
		if (parent)
			VEC_PUSH(parent->children, parent->nchildren,
				 parent->children_alloc, p);
		for (size_t t = 0; t < p->ntasks; t++)
			p->tasks[t].proc = p;
	}
}

/*
 * The PID namespace every single-level process sits in: that of /proc,
 * or NULL when none of them could be read.
 */
static struct ns *procfs_pidns(const struct model *m)
{
	for (size_t i = 0; i < m->nprocs; i++)
		if (m->procs[i]->nspid_len == 1 && m->procs[i]->ns[NS_PID])
			return m->procs[i]->ns[NS_PID];
	return NULL;
}

/*
 * NSpid counts levels from the PID namespace of /proc: a process with a
 * single entry sits in it, whether or not its namespace links could be
 * read. Any inspectable single-level process names that namespace.
 */
static void infer_procfs_pidns(struct model *m)
{
	struct ns *procfs = procfs_pidns(m);

	if (!procfs)
		return;
	for (size_t i = 0; i < m->nprocs; i++) {
		struct proc *p = m->procs[i];

		if (!p->ns[NS_PID] && p->nspid_len == 1) {
			p->ns[NS_PID] = procfs;
			p->pidns_inferred = true;
		}
	}
}

/* A leader is attached to ns while its parent, if visible, is not. */
static bool is_leader(const struct proc *p, enum ns_type type)
{
	return !p->parent || p->parent->ns[type] != p->ns[type];
}

static bool older(const struct proc *a, const struct proc *b)
{
	if (a->starttime != b->starttime)
		return a->starttime < b->starttime;
	return a->pid < b->pid;
}

static void collect_leaders(struct model *m)
{
	for (size_t i = 0; i < m->nprocs; i++) {
		struct proc *p = m->procs[i];

		for (int t = 0; t < NS_TYPE_COUNT; t++) {
			struct ns *ns = p->ns[t];
			struct proc *e;

			if (!ns)
				continue;
			ns->nprocs++;
			if (!ns->lowest_pid || p->pid < ns->lowest_pid)
				ns->lowest_pid = p->pid;
			if (!is_leader(p, t))
				continue;
			VEC_PUSH(ns->leaders, ns->nleaders, ns->leaders_alloc,
				 p->pid);
			ns_add_source(ns, (struct ns_source){
						  .kind = SOURCE_PROCESS,
						  .pid = p->pid });
			e = model_proc(m, ns->ealdorman);
			if (!e || older(p, e))
				ns->ealdorman = p->pid;
		}
	}
}

static void note_for_children(struct ns *const own[], struct ns *const fc[],
			      pid_t pid, pid_t tid)
{
	static const enum ns_type types[] = { NS_PID, NS_TIME };

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		struct ns *ns = fc[types[i]];

		if (ns && ns != own[types[i]])
			ns_add_source(ns, (struct ns_source){
						  .kind = SOURCE_FOR_CHILDREN,
						  .pid = pid,
						  .tid = tid });
	}
}

static void collect_threads(struct model *m)
{
	for (size_t i = 0; i < m->nprocs; i++) {
		struct proc *p = m->procs[i];

		note_for_children(p->ns, p->for_children, p->pid, 0);
		for (size_t k = 0; k < p->ntasks; k++) {
			struct task *task = &p->tasks[k];

			note_for_children(task->ns, task->for_children, p->pid,
					  task->tid);
			for (int t = 0; t < NS_TYPE_COUNT; t++) {
				struct ns *ns = task->ns[t];

				if (!ns || ns == p->ns[t])
					continue;
				VEC_PUSH(ns->loose_threads, ns->nloose,
					 ns->loose_alloc, task->tid);
				ns_add_source(ns, (struct ns_source){
							  .kind = SOURCE_TASK,
							  .pid = p->pid,
							  .tid = task->tid });
			}
		}
	}
}

/* Namespaces */

/*
 * Parent chains end: the loader checks those of a dump, the kernel's have
 * no loops, and no parent is derived that would close one.
 */
bool ns_is_below(const struct ns *ns, const struct ns *anc)
{
	for (ns = ns->parent; ns; ns = ns->parent)
		if (ns == anc)
			return true;
	return false;
}

/*
 * NSpid lists a PID per level from the PID namespace of /proc down: a
 * namespace's level is one less than its processes' NSpid length, 0 for
 * that of /proc. A process's parent sits in its PID namespace or in an
 * ancestor (a child is made in its parent's namespace or below, an orphan
 * handed to a process of its old parent's namespace), so the nearest
 * process up the tree one level higher sits in the parent namespace.
 */
static struct ns *pidns_one_level_up(const struct model *m,
				     const struct proc *leader)
{
	size_t level = leader->nspid_len;
	size_t steps = 0;

	for (const struct proc *q = leader->parent; q && steps < m->nprocs;
	     q = q->parent, steps++) {
		if (q->nspid_len + 1 < level || q->nspid_len > level)
			return NULL;
		if (q->nspid_len + 1 == level && q->ns[NS_PID])
			return q->ns[NS_PID];
	}
	return NULL;
}

/* The parent of PID namespace ns from its leaders' NSpid, or NULL. */
static struct ns *pidns_parent_from_nspid(const struct model *m,
					  const struct ns *ns,
					  struct ns *procfs)
{
	for (size_t i = 0; i < ns->nleaders; i++) {
		const struct proc *p = model_proc(m, ns->leaders[i]);
		struct ns *up;

		if (!p || p->ns[NS_PID] != ns || p->nspid_len < 2)
			continue;
		up = p->nspid_len == 2 && procfs ? procfs
						  : pidns_one_level_up(m, p);
		if (up && up != ns && !ns_is_below(up, ns))
			return up;
	}
	return NULL;
}

/*
 * NS_GET_PARENT refuses a parent outside the caller's PID namespace, which
 * a /proc of an ancestor namespace shows all the same (a child PID
 * namespace without a /proc of its own, a container given the host's):
 * there NSpid tells the parent (HACKING.md, "A PID namespace's parent from
 * NSpid"), and the tool's own namespace hangs below it, not beside it.
 */
static void derive_pidns_parents(struct model *m)
{
	struct ns *procfs = procfs_pidns(m);

	for (size_t i = 0; i < m->nns; i++) {
		struct ns *ns = m->nss[i];

		if (ns->type == NS_PID && !ns->parent)
			ns->parent = pidns_parent_from_nspid(m, ns, procfs);
	}
}

static void link_namespaces(struct model *m)
{
	for (size_t i = 0; i < m->nns; i++) {
		struct ns *ns = m->nss[i];

		if (ns->parent)
			VEC_PUSH(ns->parent->children, ns->parent->nchildren,
				 ns->parent->children_alloc, ns);
		if (ns->owner)
			VEC_PUSH(ns->owner->owned, ns->owner->nowned,
				 ns->owner->owned_alloc, ns);
	}
}

static void collect_roots(struct model *m)
{
	size_t user_alloc = 0, pid_alloc = 0;

	for (size_t i = 0; i < m->nns; i++) {
		struct ns *ns = m->nss[i];

		if (ns->parent)
			continue;
		if (ns->type == NS_USER)
			VEC_PUSH(m->user_roots, m->nuser_roots, user_alloc, ns);
		else if (ns->type == NS_PID)
			VEC_PUSH(m->pid_roots, m->npid_roots, pid_alloc, ns);
	}
}

/*
 * A namespace that nothing holds but its children or what it owns is
 * hidden; those relations become its sources, so that the dump says why
 * it is there at all.
 */
static void mark_hidden(struct model *m)
{
	for (size_t i = 0; i < m->nns; i++)
		m->nss[i]->hidden = m->nss[i]->nsources == 0;
	for (size_t i = 0; i < m->nns; i++) {
		struct ns *ns = m->nss[i];

		if (ns->parent && ns->parent->hidden)
			ns_add_source(ns->parent,
				      (struct ns_source){ .kind = SOURCE_PARENT,
							  .of = ns->ino });
		if (ns->owner && ns->owner->hidden)
			ns_add_source(ns->owner,
				      (struct ns_source){ .kind = SOURCE_OWNER,
							  .of = ns->ino });
	}
}

static void push_reference(struct ns *ns, const char *path)
{
	ns->reference = xrealloc(ns->reference,
				 (ns->nreference + 1) * sizeof(char *));
	ns->reference[ns->nreference++] = xstrdup(path);
}

/* Which source names the reference: lower ranks first, 0 never. */
static int reference_rank(enum source_kind kind)
{
	switch (kind) {
	case SOURCE_TASK:
		return 1;
	case SOURCE_FOR_CHILDREN:
		return 2;
	case SOURCE_BINDMOUNT:
		return 3;
	case SOURCE_FD:
		return 4;
	case SOURCE_SOCKET:
		return 5;
	default:
		return 0;
	}
}

static const struct ns_source *reference_source(const struct ns *ns)
{
	const struct ns_source *best = NULL;

	for (size_t i = 0; i < ns->nsources; i++) {
		int rank = reference_rank(ns->sources[i].kind);

		if (rank && (!best || rank < reference_rank(best->kind)))
			best = &ns->sources[i];
	}
	return best;
}

static void derive_reference(struct model *m, struct ns *ns, int depth);

/*
 * The ealdorman, unless its links could not be read (it may be known to
 * sit in a PID namespace all the same): then the oldest leader whose
 * links open.
 */
static const struct proc *oldest_readable_leader(const struct model *m,
						 const struct ns *ns)
{
	const struct proc *best = NULL;

	for (size_t i = 0; i < ns->nleaders; i++) {
		const struct proc *p = model_proc(m, ns->leaders[i]);

		if (p && !p->inaccessible && (!best || older(p, best)))
			best = p;
	}
	return best;
}

/* A bind mount opens from the reference of its mount namespace, then the path. */
static void bindmount_reference(struct model *m, struct ns *ns,
				const struct ns_source *s, int depth)
{
	struct ns *mnt = model_ns(m, s->mntns);

	if (mnt && mnt != ns) {
		derive_reference(m, mnt, depth + 1);
		for (size_t i = 0; i < mnt->nreference; i++)
			push_reference(ns, mnt->reference[i]);
	}
	push_reference(ns, s->path);
}

/*
 * The path chain that opens ns: its ealdorman's link, else a loose
 * thread's, a *_for_children link, a bind mount (through the mount
 * namespace it is in), an fd, a socket. Bind mounts chain through mount
 * namespaces; the kernel refuses loops, the depth limit guards a dump.
 */
static void derive_reference(struct model *m, struct ns *ns, int depth)
{
	const char *type = ns_type_name(ns->type);
	const struct proc *opener = oldest_readable_leader(m, ns);
	const struct ns_source *s;
	char number[24], buf[160];
	bool fits;

	if (ns->nreference || depth > 32)
		return;
	if (opener) {
		if (procpath_abs(buf, sizeof(buf), opener->pid, 0, "ns/", type,
				 NULL))
			push_reference(ns, buf);
		return;
	}
	s = reference_source(ns);
	if (!s)
		return;
	switch (s->kind) {
	case SOURCE_TASK:
		fits = procpath_abs(buf, sizeof(buf), s->pid, s->tid, "ns/",
				    type, NULL);
		break;
	case SOURCE_FOR_CHILDREN:
		fits = procpath_abs(buf, sizeof(buf), s->pid, s->tid, "ns/",
				    type, "_for_children", NULL);
		break;
	case SOURCE_BINDMOUNT:
		bindmount_reference(m, ns, s, depth);
		return;
	default:
		fits = procpath_abs(buf, sizeof(buf), s->pid, s->tid, "fd/",
				    str_uint(number, (unsigned)s->fd), NULL);
		break;
	}
	if (fits)
		push_reference(ns, buf);
}

static void derive_references(struct model *m)
{
	for (size_t i = 0; i < m->nns; i++)
		derive_reference(m, m->nss[i], 0);
}

static size_t pidns_depth(const struct ns *ns)
{
	size_t depth = 0;

	for (; ns; ns = ns->parent)
		depth++;
	return depth;
}

/*
 * NSpid lists a PID per level, outermost first; the innermost belongs to
 * the process's own PID namespace and each one before it to the next
 * ancestor up. Pairing them from the inside out names the namespace of
 * every entry that a visible ancestor accounts for.
 */
static void translate_pids(struct model *m)
{
	for (size_t i = 0; i < m->nprocs; i++) {
		struct proc *p = m->procs[i];
		struct ns *ns = p->ns[NS_PID];

		if (!p->nspid_len)
			continue;
		p->nspid_ns = xcalloc(p->nspid_len, sizeof(*p->nspid_ns));
		if (!ns || pidns_depth(ns) > p->nspid_len + 64)
			continue;
		for (size_t k = p->nspid_len; k > 0 && ns; k--, ns = ns->parent)
			p->nspid_ns[k - 1] = ns;
	}
}

pid_t proc_pid_in(const struct proc *p, const struct ns *pidns)
{
	if (!p->nspid_ns)
		return 0;
	for (size_t k = 0; k < p->nspid_len; k++)
		if (p->nspid_ns[k] == pidns)
			return p->nspid[k];
	return 0;
}

static void sort_all(struct model *m)
{
	sort_array(m->procs, m->nprocs, sizeof(*m->procs), cmp_proc_ptr);
	sort_array(m->nss, m->nns, sizeof(*m->nss), cmp_ns_type_ino);
	for (size_t i = 0; i < m->nprocs; i++) {
		struct proc *p = m->procs[i];

		sort_array(p->children, p->nchildren, sizeof(*p->children),
			   cmp_proc_ptr);
		sort_array(p->tasks, p->ntasks, sizeof(*p->tasks), cmp_task);
	}
	for (size_t i = 0; i < m->nns; i++) {
		struct ns *ns = m->nss[i];

		sort_array(ns->children, ns->nchildren, sizeof(*ns->children),
			   cmp_ns_ino);
		sort_array(ns->owned, ns->nowned, sizeof(*ns->owned),
			   cmp_ns_type_ino);
		sort_array(ns->leaders, ns->nleaders, sizeof(pid_t), cmp_pid);
		sort_array(ns->loose_threads, ns->nloose, sizeof(pid_t),
			   cmp_pid);
	}
	sort_array(m->user_roots, m->nuser_roots, sizeof(*m->user_roots),
		   cmp_ns_ino);
	sort_array(m->pid_roots, m->npid_roots, sizeof(*m->pid_roots),
		   cmp_ns_ino);
}

/*
 * The leaders and ealdormen are all that the engine still reads for
 * (their cgroups): derived apart, they let it do so before the model is
 * finished, and the model stays what model_finish left.
 */
void model_derive_leaders(struct model *m)
{
	if (m->leaders_derived)
		return;
	/* processes by PID first, so that leaders and sources come in order */
	sort_array(m->procs, m->nprocs, sizeof(*m->procs), cmp_proc_ptr);
	sort_sources(m);
	link_processes(m);
	infer_procfs_pidns(m);
	collect_leaders(m);
	m->leaders_derived = true;
}

void model_finish(struct model *m)
{
	model_derive_leaders(m);
	collect_threads(m);
	derive_pidns_parents(m);
	link_namespaces(m);
	collect_roots(m);
	mark_hidden(m);
	derive_references(m);
	translate_pids(m);
	sort_all(m);
	sort_sources(m);
}
