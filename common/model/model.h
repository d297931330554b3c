/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The model: every namespace and process found, and how they relate.
 *
 * The engine (discover.h) or the JSON loader builds it with the model_add_*
 * calls and then calls model_finish(), which derives everything that
 * follows from the raw facts: process parent/child links, leaders,
 * ealdormen, loose threads, namespace children, roots, hidden marks,
 * references and PID translation. Views only read a finished model.
 */
#ifndef NSTOOLS_MODEL_H
#define NSTOOLS_MODEL_H

#include "lib/hashmap.h"
#include "model/nstype.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Where a namespace was found. */
enum source_kind {
	SOURCE_PROCESS,      /* pid: a leader process sits in it */
	SOURCE_TASK,         /* pid, tid: a loose thread sits in it */
	SOURCE_FOR_CHILDREN, /* pid (tid when a task): *_for_children link */
	SOURCE_FD,           /* pid, fd (tid: a task's own fd table) */
	SOURCE_SOCKET,       /* pid, fd (tid): a socket fd in this netns */
	SOURCE_BINDMOUNT,    /* path, mntns: an nsfs mount */
	SOURCE_LISTED,       /* mnt: listed by the kernel, found no other way */
	SOURCE_PARENT,       /* of: known only as parent of that namespace */
	SOURCE_OWNER,        /* of: known only as owner of that namespace */
	SOURCE_KIND_COUNT,
};

struct ns_source {
	enum source_kind kind;
	pid_t pid;
	pid_t tid;      /* of a task, when it is not the main thread; else 0 */
	int fd;         /* SOURCE_FD, SOURCE_SOCKET */
	char *path;     /* SOURCE_BINDMOUNT: mount point, owned */
	uint64_t mntns; /* SOURCE_BINDMOUNT: the mount namespace it is in */
	uint64_t of;    /* SOURCE_PARENT, SOURCE_OWNER */
};

/*
 * True for the kinds that model_finish() derives from processes and
 * relations; the others (fd, socket, bind mount) are facts of their own.
 */
bool source_kind_is_derived(enum source_kind kind);

const char *source_kind_name(enum source_kind kind);
enum source_kind source_kind_from_name(const char *name);

/*
 * A namespace. One known only by its ID (ino 0: a network namespace met
 * as a socket's cookie, which could not be opened) is in nss and
 * ns_by_id, never in ns_by_ino; it has no owner, parent or children.
 */
struct ns {
	uint64_t ino;           /* nsfs inode; 0: known only by its ID */
	uint64_t id;            /* NS_GET_ID; 0: unknown */
	enum ns_type type;
	struct ns *owner;       /* owning user namespace (not for user) */
	struct ns *parent;      /* user and pid: visible parent, or NULL */
	struct ns **children;   /* user and pid: sorted by inode */
	size_t nchildren, children_alloc;
	struct ns **owned;      /* user: what it owns, by type, then inode */
	size_t nowned, owned_alloc;
	bool has_creator;       /* user: creator UID known */
	uid_t creator_uid;
	char *creator_name;     /* user: "" when the UID has no name */
	bool has_netnsid;       /* net: the tool's network namespace was asked */
	int netnsid;            /* its nsid there (RTM_GETNSID); -1: none */
	char **reference;       /* path chain that opens it, may be empty */
	size_t nreference;
	pid_t *leaders;         /* sorted */
	size_t nleaders, leaders_alloc;
	pid_t ealdorman;        /* 0: none */
	pid_t lowest_pid;       /* its process with the lowest PID; 0: none */
	pid_t *loose_threads;   /* TIDs, sorted */
	size_t nloose, loose_alloc;
	size_t nprocs;          /* processes attached */
	bool hidden;            /* only seen as a parent or owner */
	struct ns_source *sources;
	size_t nsources, sources_alloc;
};

struct task {
	pid_t tid;
	char *name;
	char state;
	uint64_t starttime;
	struct ns *ns[NS_TYPE_COUNT];
	struct ns *for_children[NS_TYPE_COUNT]; /* pid and time only */
	struct proc *proc;
};

/*
 * A container that processes belong to: its engine and ID, as its cgroup
 * names them, and what the engine's own files on the host tell of it
 * (HACKING.md, "Containers and units"). One per container in the model,
 * shared by its processes.
 */
struct container {
	char *engine;        /* "podman", "docker", "containerd", "cri-o", */
			     /* "lxc", "nspawn" */
	char *id;            /* as the cgroup names it: a hex ID, or (lxc, */
			     /* nspawn) the container's name */
	char *name;          /* NULL: not known */
	char *image;         /* NULL: not known */
	char *pod;           /* Kubernetes: the pod's name; NULL: none known */
	char *pod_namespace; /* Kubernetes: the pod's namespace */
};

/* The UID of a process whose status was not read (no real UID is -1). */
#define UID_UNKNOWN ((uid_t)-1)

struct proc {
	pid_t pid;
	pid_t ppid;
	char *name;
	char **cmdline;        /* NULL-ended; one allocation */
	size_t argc;
	char state;
	uint64_t starttime;
	uid_t uid;             /* UID_UNKNOWN: not read */
	uint64_t pidfd_ino;    /* inode of a pidfd of it (pidfs); 0: unknown */
	char *cgroup;          /* NULL: unknown */
	struct container *container; /* NULL: none, or not known */
	char *unit;            /* its systemd unit; NULL: none, or not known */
	/*
	 * NULL: unknown. An inaccessible process whose NSpid has one level
	 * sits in the PID namespace of /proc all the same; that one is known.
	 */
	struct ns *ns[NS_TYPE_COUNT];
	struct ns *for_children[NS_TYPE_COUNT]; /* pid and time only */
	bool pidns_inferred;   /* ns[NS_PID] known from NSpid, not read */
	pid_t *nspid;          /* outermost first */
	size_t nspid_len;
	struct ns **nspid_ns;  /* the PID namespace of each nspid entry, or NULL */
	bool inaccessible;     /* its namespaces could not be read */
	struct task *tasks;    /* other threads than the main one */
	size_t ntasks, tasks_alloc;
	struct proc *parent;
	struct proc **children; /* sorted by PID */
	size_t nchildren, children_alloc;
};

/* The passes a discovery can leave out; all run by default. */
enum discovery_pass {
	PASS_TASKS,
	PASS_FDS,
	PASS_SOCKETS,
	PASS_MOUNTS,
	PASS_CONTAINERS,
	PASS_COUNT,
};

const char *discovery_pass_name(enum discovery_pass pass);

/*
 * What the model must hold for the view at hand: a discovery may leave
 * out what nothing will show. Zeroed, it holds everything (what
 * nsdiscover --json needs). The interface fills it in, the engine reads it.
 */
struct discovery_scope {
	bool skip[PASS_COUNT];
	unsigned types;          /* NS_TYPE_BITs of the namespaces shown; 0: all */
	bool no_cmdlines;        /* no command line is shown */
	bool no_uids;            /* no process's UID is shown */
	bool no_for_children;    /* no *_for_children link is shown */
	bool no_starttimes;      /* no start time counts: no ealdorman shown */
	bool ealdormen_cgroups;  /* only ealdormen's cgroups are shown */
	bool no_pidfd_inos;      /* no process's pidfd inode is shown */
	bool no_netnsids;        /* no network namespace's nsid is shown */
	bool no_cgroups;         /* no process's cgroup is shown */
	/*
	 * Command lines, UIDs and cgroups are shown only of each namespace's
	 * process with the lowest PID (ns->lowest_pid, the PID column of a
	 * list), as far as the fields above ask for them.
	 */
	bool lowest_details;
};

/*
 * What a discovery could not read, as numbers: the interface puts them in
 * words (ui/warning.h), for a live run and a loaded dump alike. Each one
 * counts what we were denied and what failed for another reason than
 * having gone meanwhile (what is gone is no loss); a thread counts as a
 * process.
 */
struct discovery_unread {
	size_t processes;        /* processes whose namespaces could not be read */
	size_t fd_tables;        /* processes (or tasks) whose fds could not be listed */
	size_t sockets;          /* sockets not asked for their network namespace */
	size_t mount_namespaces; /* mount namespaces whose bind mounts stayed unread */
	size_t containers;       /* containers whose engine's files were not read */
};

/*
 * How the mount namespaces without processes counted in
 * unread.mount_namespaces were tried: how many listmount refused (the
 * kernel has it, but said no), and how many could not be entered (which
 * needs CAP_SYS_ADMIN). Those counted in neither could not be opened, and
 * where listmount was not refused the kernel lacks it (by fd: Linux 6.18).
 */
struct discovery_mntns_tried {
	size_t listmount;
	size_t entering;
};

struct discovery_info {
	bool passes[PASS_COUNT]; /* which passes ran */
	pid_t pid;              /* the tool's own PID, as /proc shows it */
	struct ns *pidns;       /* the tool's own PID namespace */
	bool cap_sys_ptrace;
	size_t inaccessible;    /* processes whose namespaces could not be read */
	struct discovery_unread unread;
	struct discovery_mntns_tried mntns_tried;
};

struct model {
	struct ns **nss;        /* after model_finish: sorted by type, inode */
	size_t nns, nns_alloc;
	struct hashmap ns_by_ino;
	struct hashmap ns_by_id; /* the namespaces whose ID is known */
	struct proc **procs;    /* after model_finish: sorted by PID */
	size_t nprocs, nprocs_alloc;
	struct hashmap proc_by_pid;
	struct container **containers; /* in the order first met */
	size_t ncontainers, containers_alloc;
	struct ns **user_roots; /* sorted by inode */
	size_t nuser_roots;
	struct ns **pid_roots;
	size_t npid_roots;
	struct discovery_info discovery;
	bool leaders_derived;   /* model_derive_leaders has run */
};

void model_init(struct model *m);
void model_release(struct model *m);

/* The namespace with that inode, or NULL. */
struct ns *model_ns(const struct model *m, uint64_t ino);
/* Adds a namespace; the inode must not be known yet. */
struct ns *model_add_ns(struct model *m, enum ns_type type, uint64_t ino);
/* The namespace with that ID, or NULL. */
struct ns *model_ns_by_id(const struct model *m, uint64_t id);
/* Sets the ID of ns, not known yet, and no other namespace's (non-zero). */
void model_set_ns_id(struct model *m, struct ns *ns, uint64_t id);
/* Adds a namespace known only by its ID, which no namespace has yet. */
struct ns *model_add_ns_by_id(struct model *m, enum ns_type type,
			      uint64_t id);
/*
 * The namespace a user named (model/nstype.h), or NULL when the model has
 * none by that inode or ID, or it is of another type than the one named.
 */
struct ns *model_ns_by_ref(const struct model *m, const struct ns_ref *ref);

/* The process with that PID, or NULL. */
struct proc *model_proc(const struct model *m, pid_t pid);
/* Adds a zeroed process with that PID; the PID must not be known yet. */
struct proc *model_add_proc(struct model *m, pid_t pid);
/*
 * A zeroed process with that PID in no model yet, for a reader that fills
 * it apart and hands it over with model_insert_proc.
 */
struct proc *proc_new(pid_t pid);
/* Adds p (from proc_new); its PID must not be known yet. */
void model_insert_proc(struct model *m, struct proc *p);
/*
 * The container of that engine and ID, added (with nothing else known)
 * when the model has none yet. Containers are few: a linear search.
 */
struct container *model_container(struct model *m, const char *engine,
				  const char *id);

/* Adds a zeroed task to p. */
struct task *proc_add_task(struct proc *p, pid_t tid);

void ns_add_source(struct ns *ns, struct ns_source src);

/*
 * The first part of model_finish: derives the processes' parent/child
 * links, the PID namespace of those inferred to sit in that of /proc,
 * and every namespace's leaders and ealdorman, from the processes added.
 * For a builder that reads more of the ealdormen (the engine: their
 * cgroups) before it finishes the model. Call after every process was
 * added; a second call does nothing.
 */
void model_derive_leaders(struct model *m);

/*
 * Derives the relations from the raw facts (see the top of this file),
 * running model_derive_leaders first unless it ran. Call once, after
 * everything was added: nothing changes a finished model.
 */
void model_finish(struct model *m);

/* True when anc is above ns (user and PID namespaces), by known parents. */
bool ns_is_below(const struct ns *ns, const struct ns *anc);

/* The PID of p as seen from PID namespace pidns, or 0 if not known. */
pid_t proc_pid_in(const struct proc *p, const struct ns *pidns);

#endif
