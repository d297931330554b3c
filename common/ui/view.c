/* SPDX-License-Identifier: Apache-2.0 */
#include "ui/view.h"

#include "lib/text.h"

#include <stddef.h>
#include <string.h>

/*
 * The types of namespace whose process counts may miss processes: every
 * type when some processes are not in the model at all (unread, but not
 * marked inaccessible), else those of which an inaccessible process's
 * namespace is unknown (its PID namespace may be known from NSpid).
 */
static unsigned partial_types(const struct model *m)
{
	unsigned types = 0;

	if (m->discovery.unread.processes > m->discovery.inaccessible)
		return ~0u;
	for (size_t i = 0; m->discovery.inaccessible && i < m->nprocs; i++)
		for (int type = 0; m->procs[i]->inaccessible &&
				   type < NS_TYPE_COUNT; type++)
			if (!m->procs[i]->ns[type])
				types |= NS_TYPE_BIT(type);
	return types;
}

/* Where the tool itself is: its mount namespace, its PID namespace's level. */
static void view_place(struct view *v, const struct model *m)
{
	const struct proc *self = model_proc(m, m->discovery.pid);

	v->m = m;
	v->own_mntns = self ? self->ns[NS_MNT] : NULL;
	v->root_level = self && self->nspid_len ? self->nspid_len - 1 : 0;
	v->partial_types = partial_types(m);
}

void view_init(struct view *v, const struct model *m, enum color_when when)
{
	view_place(v, m);
	v->fitted = false;
	style_init(&v->style, when);
}

void view_init_marks(struct view *v, const struct model *m,
		     enum color_when when)
{
	view_place(v, m);
	v->fitted = false;
	style_init_marks(&v->style, when);
}

void view_init_fitted(struct view *v, const struct model *m,
		      enum color_when when)
{
	view_init_marks(v, m, when);
	v->fitted = true;
}

struct tree_key view_ns_key(const struct ns *ns)
{
	return (struct tree_key){ TREE_KEY_NS, ns->ino, ns->id };
}

struct tree_key view_proc_key(const struct proc *p)
{
	return (struct tree_key){ TREE_KEY_PROC, (uint64_t)p->pid,
				  p->starttime };
}

struct tree_key view_task_key(const struct task *t)
{
	return (struct tree_key){ TREE_KEY_TASK, (uint64_t)t->tid,
				  t->starttime };
}

void view_release(struct view *v)
{
	style_release(&v->style);
}

char *view_take(struct strbuf *sb)
{
	return strbuf_detach(sb);
}

void view_add_quoted(struct strbuf *sb, const struct view *v,
		     enum style_role role, const char *text)
{
	style_begin(sb, &v->style, role);
	if (v->fitted)
		strbuf_addc(sb, STYLE_CUT);
	text_add_quoted(sb, text);
	if (v->fitted)
		strbuf_addc(sb, STYLE_CUT_END);
	style_end(sb, &v->style, role);
}

void view_add_ns_id(struct strbuf *sb, const struct view *v,
		    const struct ns *ns)
{
	enum style_role role = style_role_of_type(ns->type);
	char text[NS_ID_TEXT_MAX];

	style_begin(sb, &v->style, role);
	strbuf_adds(sb, ns_id_format(text, ns->type, ns->ino, ns->id));
	style_end(sb, &v->style, role);
}

void view_add_unknown_ns(struct strbuf *sb, const struct view *v,
			 enum ns_type type)
{
	style_begin(sb, &v->style, STYLE_UNKNOWN);
	strbuf_addf(sb, "%s:[???]", ns_type_name(type));
	style_end(sb, &v->style, STYLE_UNKNOWN);
}

static void add_pid(struct strbuf *sb, const struct view *v, pid_t pid)
{
	style_begin(sb, &v->style, STYLE_PID);
	strbuf_addf(sb, "%d", (int)pid);
	style_end(sb, &v->style, STYLE_PID);
}

/* `"NAME" (PID)`: how a process or task is named everywhere. */
static void add_name_pid(struct strbuf *sb, const struct view *v,
			 const char *name, pid_t pid)
{
	view_add_quoted(sb, v, STYLE_PROCESS, name);
	strbuf_adds(sb, " (");
	add_pid(sb, v, pid);
	strbuf_addc(sb, ')');
}

void view_add_cgroup(struct strbuf *sb, const struct view *v,
		     const struct proc *p)
{
	if (!p->cgroup)
		return;
	strbuf_adds(sb, " controlled by ");
	view_add_quoted(sb, v, STYLE_PATH, p->cgroup);
}

void view_add_short_id(struct strbuf *sb, const struct container *c)
{
	strbuf_addf(sb, "%.*s", VIEW_SHORT_ID, c->id);
}

/* `, pod "POD" in "NAMESPACE"`, as far as they are known. */
static void add_pod(struct strbuf *sb, const struct view *v,
		    const struct container *c)
{
	if (!c->pod)
		return;
	strbuf_adds(sb, ", pod ");
	view_add_quoted(sb, v, STYLE_CONTAINER, c->pod);
	if (!c->pod_namespace)
		return;
	strbuf_adds(sb, " in ");
	view_add_quoted(sb, v, STYLE_CONTAINER, c->pod_namespace);
}

/*
 * The engine and ID come from a cgroup path (a few words of the engine's,
 * and hex), so they go unquoted; a dump may hold anything in them, so
 * they are escaped all the same.
 */
void view_add_container(struct strbuf *sb, const struct view *v,
			const struct container *c)
{
	struct strbuf id = STRBUF_INIT;

	strbuf_adds(sb, "container ");
	if (c->name) {
		view_add_quoted(sb, v, STYLE_CONTAINER, c->name);
		strbuf_addc(sb, ' ');
	}
	strbuf_addc(sb, '(');
	text_add_escaped(sb, c->engine);
	strbuf_addc(sb, ' ');
	view_add_short_id(&id, c);
	text_add_escaped(sb, id.buf);
	strbuf_release(&id);
	add_pod(sb, v, c);
	strbuf_addc(sb, ')');
}

const struct container *view_entered_container(const struct proc *p)
{
	const struct proc *up = p->parent;

	if (!p->container || (up && up->container == p->container))
		return NULL;
	return p->container;
}

const char *view_changed_unit(const struct proc *p)
{
	const char *up = p->parent ? p->parent->unit : NULL;

	if (!p->unit || (up && !strcmp(up, p->unit)))
		return NULL;
	return p->unit;
}

void view_add_entered(struct strbuf *sb, const struct view *v,
		      const struct proc *p)
{
	const struct container *c = view_entered_container(p);
	const char *unit = view_changed_unit(p);

	if (c) {
		strbuf_adds(sb, " in ");
		view_add_container(sb, v, c);
	} else if (unit && !p->container) {
		strbuf_adds(sb, " in unit ");
		view_add_quoted(sb, v, STYLE_CONTAINER, unit);
	}
}

void view_add_process(struct strbuf *sb, const struct view *v,
		      const struct proc *p)
{
	strbuf_adds(sb, "process ");
	add_name_pid(sb, v, p->name, p->pid);
	view_add_cgroup(sb, v, p);
}

void view_add_pid_chain(struct strbuf *sb, const struct view *v,
			const struct proc *p)
{
	size_t first = v->root_level < p->nspid_len ? v->root_level : 0;

	strbuf_addc(sb, '(');
	style_begin(sb, &v->style, STYLE_PID);
	if (!p->nspid_len)
		strbuf_addf(sb, "%d", (int)p->pid);
	for (size_t k = first; k < p->nspid_len; k++)
		strbuf_addf(sb, "%s%d", k > first ? "/" : "", (int)p->nspid[k]);
	style_end(sb, &v->style, STYLE_PID);
	strbuf_addc(sb, ')');
}

char *view_process_node(const struct view *v, const struct proc *p)
{
	struct strbuf sb = STRBUF_INIT;

	if (!p->ns[NS_PID]) {
		view_add_unknown_ns(&sb, v, NS_PID);
		strbuf_addc(&sb, ' ');
	}
	view_add_quoted(&sb, v, STYLE_PROCESS, p->name);
	strbuf_addc(&sb, ' ');
	view_add_pid_chain(&sb, v, p);
	view_add_cgroup(&sb, v, p);
	view_add_entered(&sb, v, p);
	return view_take(&sb);
}

/*
 * The task TID of process PID; NULL when either is not in the model (a
 * source names a thread that was gone by the time it was read).
 */
static const struct task *find_task(const struct view *v, pid_t pid,
				    pid_t tid)
{
	const struct proc *p = model_proc(v->m, pid);

	for (size_t i = 0; p && i < p->ntasks; i++)
		if (p->tasks[i].tid == tid)
			return &p->tasks[i];
	return NULL;
}

void view_add_holder(struct strbuf *sb, const struct view *v, pid_t pid,
		     pid_t tid)
{
	const struct proc *p = model_proc(v->m, pid);

	if (tid) {
		const struct task *t = find_task(v, pid, tid);

		strbuf_adds(sb, "task ");
		view_add_quoted(sb, v, STYLE_PROCESS, t ? t->name : "?");
		strbuf_adds(sb, " [");
		add_pid(sb, v, tid);
		strbuf_adds(sb, "] of ");
	}
	add_name_pid(sb, v, p ? p->name : "?", pid);
}

void view_add_for_children(struct strbuf *sb, const struct view *v,
			   const struct ns_source *s)
{
	strbuf_adds(sb, "for the children of ");
	view_add_holder(sb, v, s->pid, s->tid);
}

void view_add_uid(struct strbuf *sb, const struct view *v, uid_t uid,
		  const char *name)
{
	strbuf_adds(sb, "UID ");
	style_begin(sb, &v->style, STYLE_USER);
	strbuf_addf(sb, "%u", (unsigned)uid);
	style_end(sb, &v->style, STYLE_USER);
	if (name && *name) {
		strbuf_adds(sb, " (");
		view_add_quoted(sb, v, STYLE_USER, name);
		strbuf_addc(sb, ')');
	}
}

/* The loose thread that started first, then the lowest TID. */
static const struct ns_source *oldest_task_source(const struct view *v,
						  const struct ns *ns)
{
	const struct ns_source *best = NULL;
	uint64_t best_start = 0;

	for (size_t i = 0; i < ns->nsources; i++) {
		const struct ns_source *s = &ns->sources[i];
		const struct task *t;

		if (s->kind != SOURCE_TASK)
			continue;
		t = find_task(v, s->pid, s->tid);
		if (t && (!best || t->starttime < best_start ||
			  (t->starttime == best_start && t->tid < best->tid))) {
			best = s;
			best_start = t->starttime;
		}
	}
	return best;
}

static const struct ns_source *first_source(const struct ns *ns,
					    enum source_kind kind)
{
	for (size_t i = 0; i < ns->nsources; i++)
		if (ns->sources[i].kind == kind)
			return &ns->sources[i];
	return NULL;
}

void view_add_bindmount(struct strbuf *sb, const struct view *v,
			const struct ns_source *s, bool name_own)
{
	const struct ns *mnt = model_ns(v->m, s->mntns);

	strbuf_adds(sb, "bind-mounted at ");
	view_add_quoted(sb, v, STYLE_PATH, s->path);
	if (mnt && (name_own || mnt != v->own_mntns)) {
		strbuf_adds(sb, " in ");
		view_add_ns_id(sb, v, mnt);
	}
}

void view_add_fd_holder(struct strbuf *sb, const struct view *v,
			const struct ns_source *s)
{
	strbuf_addf(sb, "held by %sfd %d of ",
		    s->kind == SOURCE_SOCKET ? "socket " : "", s->fd);
	view_add_holder(sb, v, s->pid, s->tid);
}

void view_add_creator(struct strbuf *sb, const struct view *v,
		      const char *prefix, const struct ns *userns)
{
	if (!userns || !userns->has_creator)
		return;
	strbuf_adds(sb, prefix);
	view_add_uid(sb, v, userns->creator_uid, userns->creator_name);
}

/* Whether a bind mount of ns before sources[i] has the same path. */
static bool path_seen(const struct ns *ns, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (ns->sources[k].kind == SOURCE_BINDMOUNT &&
		    !strcmp(ns->sources[k].path, ns->sources[i].path))
			return true;
	return false;
}

/*
 * The bind mount that names ns: the first in the tool's own mount
 * namespace (the path a user there can open, as lsns's NSFS column), else
 * the first of any; NULL when it has none. *n counts their paths: a mount
 * under a shared /run/netns is seen again in every mount namespace that
 * copied it, and is still one name.
 */
static const struct ns_source *naming_bindmount(const struct view *v,
						const struct ns *ns,
						size_t *n)
{
	const struct ns_source *best = NULL;

	*n = 0;
	for (size_t i = 0; i < ns->nsources; i++) {
		const struct ns_source *s = &ns->sources[i];

		if (s->kind != SOURCE_BINDMOUNT)
			continue;
		*n += !path_seen(ns, i);
		if (!best || (v->own_mntns && best->mntns != v->own_mntns->ino &&
			      s->mntns == v->own_mntns->ino))
			best = s;
	}
	return best;
}

/* `bind-mounted at "PATH"` and, of several paths, ` and N more`. */
static void add_bound_name(struct strbuf *sb, const struct view *v,
			   const struct ns_source *s, size_t n)
{
	view_add_bindmount(sb, v, s, false);
	if (n > 1)
		strbuf_addf(sb, " and %zu more", n - 1);
}

/*
 * A process or thread in ns, or the one whose children enter it: the
 * first three of the header's order. False when none names it.
 */
static bool add_member(struct strbuf *sb, const struct view *v,
		       const struct ns *ns)
{
	const struct proc *e = model_proc(v->m, ns->ealdorman);
	const struct ns_source *s;

	if (e) {
		/*
		 * Any container of the ealdorman, not only where it entered
		 * one: the label views read the ealdormen's cgroups alone,
		 * and a label must not depend on its parent's, which a
		 * full dump knows and they do not.
		 */
		if (e->container) {
			view_add_container(sb, v, e->container);
			strbuf_addc(sb, ' ');
		}
		view_add_process(sb, v, e);
	} else if ((s = oldest_task_source(v, ns))) {
		view_add_holder(sb, v, s->pid, s->tid);
	} else if ((s = first_source(ns, SOURCE_FOR_CHILDREN))) {
		view_add_for_children(sb, v, s);
	} else {
		return false;
	}
	return true;
}

/*
 * What names a namespace to a human; see the header for the order. A
 * bind mount is the name a user gave it (`ip netns add`): it follows a
 * member too, so that the name stays where people look.
 */
static void add_identity(struct strbuf *sb, const struct view *v,
			 const struct ns *ns)
{
	const struct ns_source *s;
	size_t nbound;
	const struct ns_source *bound = naming_bindmount(v, ns, &nbound);

	if (add_member(sb, v, ns)) {
		if (bound) {
			strbuf_adds(sb, ", ");
			add_bound_name(sb, v, bound, nbound);
		}
	} else if (bound) {
		add_bound_name(sb, v, bound, nbound);
	} else if ((s = first_source(ns, SOURCE_FD)) ||
		   (s = first_source(ns, SOURCE_SOCKET))) {
		view_add_fd_holder(sb, v, s);
	} else if (first_source(ns, SOURCE_LISTED)) {
		strbuf_adds(sb, VIEW_LISTED);
	} else {
		style_begin(sb, &v->style, STYLE_UNKNOWN);
		strbuf_adds(sb, "hidden");
		style_end(sb, &v->style, STYLE_UNKNOWN);
	}
}

void view_add_ns_label(struct strbuf *sb, const struct view *v,
		       const struct ns *ns)
{
	view_add_ns_id(sb, v, ns);
	strbuf_addc(sb, ' ');
	add_identity(sb, v, ns);
}

void view_add_ns_node(struct strbuf *sb, const struct view *v,
		      const struct ns *ns)
{
	view_add_ns_label(sb, v, ns);
	view_add_creator(sb, v, " created by ", ns);
}

void view_add_unknown_owner(struct strbuf *sb, const struct view *v)
{
	style_begin(sb, &v->style, STYLE_UNKNOWN);
	strbuf_adds(sb, "owner unknown");
	style_end(sb, &v->style, STYLE_UNKNOWN);
}

void view_add_nprocs(struct strbuf *sb, const struct view *v,
		     const struct ns *ns)
{
	size_t n = ns->nprocs;

	if (!(v->partial_types & NS_TYPE_BIT(ns->type)))
		strbuf_addf(sb, ", %zu process%s", n, n == 1 ? "" : "es");
	else if (n)
		strbuf_addf(sb, ", at least %zu process%s", n,
			    n == 1 ? "" : "es");
	else
		strbuf_adds(sb, ", no process known");
}

char *view_unknown_owner_node(const struct view *v, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	view_add_unknown_owner(&sb, v);
	strbuf_addf(&sb, ", %zu namespace%s", n, n == 1 ? "" : "s");
	return view_take(&sb);
}

char *view_ns_node(const struct view *v, const struct ns *ns)
{
	struct strbuf sb = STRBUF_INIT;

	view_add_ns_node(&sb, v, ns);
	return view_take(&sb);
}
