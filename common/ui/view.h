/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the four views share: the labels of namespaces, processes and
 * users, coloured and safely quoted. One place decides how a namespace is
 * named to a human (HACKING.md, "The namespace label").
 */
#ifndef NSTOOLS_VIEW_H
#define NSTOOLS_VIEW_H

#include "model/model.h"
#include "lib/strbuf.h"
#include "ui/style.h"
#include "ui/tree.h"

#include <stdbool.h>

struct view {
	const struct model *m;
	struct style style;
	const struct ns *own_mntns;  /* the tool's; bind mounts elsewhere say so */
	size_t root_level;           /* NSpid index of the tool's PID namespace */
	bool fitted;                 /* quoted strings marked STYLE_CUT */
	unsigned partial_types;      /* NS_TYPE_BITs whose process counts are partial */
};

void view_init(struct view *v, const struct model *m, enum color_when when);

/*
 * As view_init, for the interactive interface: colours as marks that the
 * screen draws (style_init_marks), not as the terminal's sequences.
 */
void view_init_marks(struct view *v, const struct model *m,
		     enum color_when when);

/*
 * As view_init_marks, for the text view fitted to a terminal (ui/fit.h):
 * every quoted string also between STYLE_CUT and STYLE_CUT_END, which
 * fit_line alone reads. Never for a pipe or a file.
 */
void view_init_fitted(struct view *v, const struct model *m,
		      enum color_when when);
void view_release(struct view *v);

/*
 * ", N processes" in ns; ", at least N processes" (", no process known"
 * for none) where processes that could not be read may be in it: some
 * were not read at all, or an inaccessible one's namespace of that type is
 * unknown. HACKING.md, "The namespace label".
 */
void view_add_nprocs(struct strbuf *sb, const struct view *v,
		     const struct ns *ns);

/*
 * Untrusted text, quoted and escaped, in the colour of role; what a line
 * fitted to the terminal may shorten (view_init_fitted).
 */
void view_add_quoted(struct strbuf *sb, const struct view *v,
		     enum style_role role, const char *text);

/*
 * "type:[inode]" in the type's colour; "type:id:ID" for a namespace known
 * only by its ID (ns_id_format).
 */
void view_add_ns_id(struct strbuf *sb, const struct view *v,
		    const struct ns *ns);

/* "pid:[???]": a namespace that could not be found out. */
void view_add_unknown_ns(struct strbuf *sb, const struct view *v,
			 enum ns_type type);

/*
 * "type:[inode] WHAT" (the id as view_add_ns_id) where WHAT is the first
 * that applies: its ealdorman process (after its container, where it is
 * in one), its oldest loose thread, a *_for_children link, a bind mount,
 * an fd or socket holding it, the kernel's list of mount namespaces
 * (VIEW_LISTED), else the mark that it is hidden. A bind mount also
 * follows the first three: `..., bind-mounted at "PATH"`, the one in the
 * tool's mount namespace first, ` and N more` where there are others.
 */
void view_add_ns_label(struct strbuf *sb, const struct view *v,
		       const struct ns *ns);

/* How many characters of a container's ID name it: `95a74531ef0d`. */
#define VIEW_SHORT_ID 12

/* Appends the first VIEW_SHORT_ID characters of c's ID, as they are. */
void view_add_short_id(struct strbuf *sb, const struct container *c);

/*
 * `container "NAME" (ENGINE SHORT-ID, pod "POD" in "NAMESPACE")`: the
 * name quoted (`container (ENGINE SHORT-ID)` when not known), the engine
 * and short ID escaped, the pod and its namespace where known.
 */
void view_add_container(struct strbuf *sb, const struct view *v,
			const struct container *c);

/*
 * p's container when p entered it: its parent process is not in it (or p
 * has none in the model); NULL when p is in no container or in its
 * parent's. Where a tree or a label shows a container, this decides.
 */
const struct container *view_entered_container(const struct proc *p);

/*
 * p's systemd unit where it differs from its parent process's (or p has
 * no parent in the model); NULL when none is known, or the same.
 */
const char *view_changed_unit(const struct proc *p);

/*
 * ` in container ...` (view_add_container) where p entered one, else
 * ` in unit "UNIT"` where its unit changed (view_changed_unit); nothing
 * else. A process in a container shows that, not the container's unit.
 */
void view_add_entered(struct strbuf *sb, const struct view *v,
		      const struct proc *p);

/* `process "NAME" (PID)`, and ` controlled by "CGROUP"` when known. */
void view_add_process(struct strbuf *sb, const struct view *v,
		      const struct proc *p);

/*
 * `(PID/…/PID)`: p's PIDs from the tool's PID namespace down to its own
 * (all of them when p has none there; its PID in /proc without NSpid).
 */
void view_add_pid_chain(struct strbuf *sb, const struct view *v,
			const struct proc *p);

/*
 * `"NAME" (PID/…/PID) controlled by "CGROUP"` and what view_add_entered
 * says, with `pid:[???] ` first when its PID namespace is not known: a
 * node of a tree of processes (malloc'd).
 */
char *view_process_node(const struct view *v, const struct proc *p);

/* ` controlled by "CGROUP"`, the cgroup of p; nothing when not known. */
void view_add_cgroup(struct strbuf *sb, const struct view *v,
		     const struct proc *p);

/* `UID N ("NAME")`, or `UID N` when the UID has no name. */
void view_add_uid(struct strbuf *sb, const struct view *v, uid_t uid,
		  const char *name);

/*
 * `PREFIX UID N ("NAME")`: the user who made user namespace userns, as
 * in "created by " or ", owned by "; nothing when userns is NULL or its
 * creator is not known.
 */
void view_add_creator(struct strbuf *sb, const struct view *v,
		      const char *prefix, const struct ns *userns);

/*
 * The label, and for a user namespace ` created by UID N ("NAME")`: a
 * node of a hierarchy of namespaces.
 */
void view_add_ns_node(struct strbuf *sb, const struct view *v,
		      const struct ns *ns);

/* The label of view_add_ns_node on its own (malloc'd), for tree_node_new. */
char *view_ns_node(const struct view *v, const struct ns *ns);

/*
 * `owner unknown`: a namespace other than a user namespace whose owner
 * could not be learned (NS_GET_USERNS refuses an owner outside the
 * caller's user namespace).
 */
void view_add_unknown_owner(struct strbuf *sb, const struct view *v);

/*
 * `owner unknown, N namespaces` (malloc'd): the node of a hierarchy of
 * user namespaces for the n namespaces whose owner could not be learned.
 */
char *view_unknown_owner_node(const struct view *v, size_t n);

/*
 * `bind-mounted at "PATH" in mnt:[INODE]`, the mount namespace left out
 * when it is the tool's own, unless name_own is set.
 */
void view_add_bindmount(struct strbuf *sb, const struct view *v,
			const struct ns_source *s, bool name_own);

/* A mount namespace that only the kernel's list of them led to. */
#define VIEW_LISTED "listed by the kernel"

/* `held by [socket ]fd N of "NAME" (PID)`. */
void view_add_fd_holder(struct strbuf *sb, const struct view *v,
			const struct ns_source *s);

/*
 * `"NAME" (PID)`: a process as a holder of something; with a TID,
 * `task "NAME" [TID] of "NAME" (PID)`. "?" for a name not in the model.
 */
void view_add_holder(struct strbuf *sb, const struct view *v, pid_t pid,
		     pid_t tid);

/* `for the children of ` and the holder of s, a *_for_children link. */
void view_add_for_children(struct strbuf *sb, const struct view *v,
			   const struct ns_source *s);

/*
 * What a node or a property line of a tree stands for (tree_key): a
 * namespace, a process, a thread. The interactive interface finds it
 * again by this, and shows its details.
 */
struct tree_key view_ns_key(const struct ns *ns);
struct tree_key view_proc_key(const struct proc *p);
struct tree_key view_task_key(const struct task *t);

/* A finished label, handed over (malloc'd). */
char *view_take(struct strbuf *sb);

#endif
