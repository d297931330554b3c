/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the discovery passes (discover*.c); not part of the API.
 */
#ifndef NSTOOLS_DISCOVER_INTERNAL_H
#define NSTOOLS_DISCOVER_INTERNAL_H

#include "engine/discover.h"
#include "engine/nsfs.h"
#include "engine/procfs.h"
#include "lib/hashmap.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* An fd that names a path: maybe a namespace opened through a bind mount. */
struct path_fd {
	pid_t pid;
	pid_t tid;
	int fd;
	char *path;
};

/*
 * A socket whose network namespace is known only by its cookie (which is
 * the namespace's ID, see discover_fds.c), for scan_resolve_cookies.
 */
struct cookie_socket {
	pid_t pid;
	pid_t tid;
	int fd;
	uint64_t cookie;
	struct ns *home; /* the holder's network namespace, or NULL */
};

/*
 * A process in a container, as a reader found it in its cgroup: the
 * model's struct container is made for it after the readers
 * (reader_finish), when the model is no longer shared.
 */
struct found_container {
	struct proc *p;
	const char *engine; /* a static string of cgroupname.h */
	char *id;
};

/* A UID and its name, once looked up. */
struct user_name {
	uid_t uid;
	char *name;
};

/*
 * What the engine keeps of a namespace while it discovers, beside the
 * model's struct ns, which holds only what a dump carries. A namespace
 * joins the model only through scan_record, so that every one has a
 * record, and one lookup by inode finds both.
 */
struct ns_record {
	struct ns *ns;
	int fact_attempts;  /* opens through a path, see discover_ns.c */
	bool facts_known;
	bool facts_claimed; /* a reader is learning them right now */
	pid_t some_pid;     /* mnt: an inspectable process attached to it */
	bool mounts_read;   /* mnt: its nsfs mounts were read */
	bool listed;        /* mnt: the kernel listed it (scan_listed_mntns) */
};

/*
 * What the passes over /proc carry around. The process pass runs in
 * several threads (readers, below); while it does, everything here that
 * changes, and the model, is touched only with lock held. The other
 * passes run alone.
 */
struct scan {
	struct model *m;
	const struct discovery_scope *scope;
	pthread_mutex_t lock;
	struct hashmap records;   /* ns inode -> struct ns_record * */
	struct ns_record **record_list; /* in the order found, as m->nss */
	size_t nrecords, records_alloc;
	int procfd;               /* /proc, pinned */
	struct procfs_buf buf;    /* the other passes' buffer for file reads */
	size_t denied;            /* processes whose namespaces were denied */
	size_t procs_failed;      /* processes, tasks: PROCFS_FAILED reads */
	struct hashmap sockets;   /* socket inode -> struct ns * (net) */
	struct hashmap netns_sockets; /* net ns inode -> what its tables list */
	struct intmap mnt_fds;    /* mnt ns inode -> open fd, to enter */
	/* mount namespaces without processes whose mounts stayed unread: */
	size_t mntns_unopened;    /* no fd of it could be had */
	size_t mntns_unentered;   /* the child could not enter it, */
	size_t mntns_refused;     /* of which listmount refused */
	size_t mntns_failed;      /* mount namespaces: PROCFS_FAILED mountinfo */
	bool may_setns;           /* CAP_SYS_ADMIN is permitted: see may_enter */
	size_t fds_denied;        /* fd tables we may not read */
	size_t fd_tables_failed;  /* fd tables: PROCFS_FAILED reads */
	size_t sockets_unasked;   /* sockets we may not ask for their netns */
	bool cookie_is_id;        /* a socket's netns cookie is its netns's ID */
	struct intmap socket_cookies; /* socket inode -> its netns cookie */
	struct cookie_socket *cookie_sockets; /* for scan_resolve_cookies */
	size_t ncookie_sockets, cookie_sockets_alloc;
	bool pidfd_inos;          /* pidfds are pidfs files: read their inodes */
	dev_t nsfs_dev;           /* the device of every namespace file */
	bool fd_dir_counts;       /* an fd directory's size counts its fds */
	uint64_t nsfs_mnt_id;     /* nsfs's own mount, in fdinfo's mnt_id */
	uint64_t sockfs_mnt_id;   /* sockfs's */
	bool fd_mounts_known;     /* both: fd tables may be read by fdinfo */
	bool fallbacks_only;      /* the newer interfaces are not to be used */
	struct path_fd *path_fds; /* fds that name a path, for scan_path_fds */
	size_t npath_fds, path_fds_alloc;
	struct intmap nsfs_mountpoints; /* the set of path hashes */
	struct user_name *user_names;
	size_t nuser_names, user_names_alloc;
	unsigned links;           /* NS_TYPE_BITs of the links read */
	struct ns *procfs_pidns;  /* the PID namespace of /proc, when ours */
};

/* fds a reader may leave open for closing together (see reader_done_fd) */
#define READER_DONE_FDS 64

/*
 * One thread's way into /proc during the process pass: /proc (in a
 * reader thread's own fd table, see discover_readers.c), its own buffer,
 * the namespaces it has seen settled, so that most links it reads need no
 * lock, and what it found that is not a namespace, kept apart until the
 * pass is over: what is shared is locked for rarely.
 */
struct reader {
	struct scan *s;
	int procfd;
	struct procfs_buf buf;
	struct hashmap settled;   /* inode -> struct ns *, facts done with */
	struct proc **procs;      /* for the model, after the pass */
	size_t nprocs, procs_alloc;
	struct path_fd *path_fds; /* for scan->path_fds, after the pass */
	size_t npath_fds, path_fds_alloc;
	size_t denied, fds_denied, sockets_unasked; /* for scan's counts */
	size_t procs_failed, fd_tables_failed;      /* likewise */
	struct found_container *containers; /* for the model, after the pass */
	size_t ncontainers, containers_alloc;
	int done_fds[READER_DONE_FDS]; /* to close together: reader_done_fd */
	size_t ndone_fds, max_done_fds;
};

/*
 * Files a reader has done with are closed a process at a time, with one
 * close_range for each run of consecutive fds: in a reader's own fd table
 * (reader threads unshare theirs) a process's files are one run, one call
 * where there were five or more. At most READER_DONE_FDS wait, fewer (or
 * none) when RLIMIT_NOFILE is low.
 */
void reader_done_fd(struct reader *r, int fd);
void reader_close_done_fds(struct reader *r);

/*
 * Calls read_process for every PID listed in /proc, from as many reader
 * threads as pay (one a CPU, a few at most, none for a small host),
 * this one among them, and hands what they found over (reader_finish).
 * Returns 0, or -errno when /proc cannot be listed.
 */
int read_processes(struct scan *s,
		   void (*read_process)(struct reader *r, pid_t pid));

/* A reader on the scan's own /proc; end it with reader_finish. */
struct reader reader_for_caller(struct scan *s);

/*
 * Hands the processes, path fds and counts r found over to the model and
 * the scan, once no other reader runs, and frees the rest.
 */
void reader_finish(struct reader *r);

/*
 * What cgroup_text, the /proc/PID/cgroup of p, names (engine/cgroupname.h):
 * p's unit, and its container, which r keeps until reader_finish.
 */
void reader_identify(struct reader *r, struct proc *p, const char *cgroup_text);

/* The containers r found, made in the model (by reader_finish). */
void reader_finish_containers(struct reader *r);

/*
 * Asks each container of the model what its engine's files tell
 * (engine/containerstate.h), once, after every cgroup was read; those
 * that could not be read count in discovery.unread.containers.
 */
void scan_containers(struct scan *s);

static inline bool scan_runs(const struct scan *s, enum discovery_pass pass)
{
	return !s->scope->skip[pass];
}

static inline void scan_lock(struct scan *s)
{
	pthread_mutex_lock(&s->lock);
}

static inline void scan_unlock(struct scan *s)
{
	pthread_mutex_unlock(&s->lock);
}

/*
 * The record of the namespace with that inode, or NULL. While readers
 * run, with the lock held.
 */
struct ns_record *scan_lookup_record(const struct scan *s, uint64_t ino);

/*
 * The record of the namespace of that type and inode, added with its
 * namespace in the model when new; NULL when the inode is known as
 * another type: a namespace met earlier in the scan is gone, and the
 * kernel gave its inode to this new one (discover_ns.c). While readers
 * run, with the lock held.
 */
struct ns_record *scan_record(struct scan *s, enum ns_type type, uint64_t ino);

/* Frees the records (not their namespaces: the model's). */
void scan_release_records(struct scan *s);

/*
 * The namespace of that type and inode, added when new; NULL when the
 * inode is known as another type (see scan_record). While its facts are
 * not known, path (relative to dirfd) is opened, checked to be that
 * namespace, and the kernel asked: owner, parent, creator. Takes the lock.
 */
struct ns *scan_ns(struct scan *s, enum ns_type type, uint64_t ino,
		   int dirfd, const char *path);

/*
 * scan_ns for a reader: a namespace it has seen settled (its facts known,
 * or given up on) costs it no lock.
 */
struct ns *reader_ns(struct reader *r, enum ns_type type, uint64_t ino,
		     int dirfd, const char *path);

/*
 * The namespace an open nsfs fd refers to, its facts learnt through it;
 * NULL as for scan_ns. Takes the lock.
 */
struct ns *scan_ns_from_fd(struct scan *s, enum ns_type type, int fd);

/*
 * Records the namespaces that open fds of a process (tid 0) or of a task
 * with an fd table of its own refer to: nsfs files and sockets. dirfd is
 * the process's directory, or its task/ with prefix "TID/" ("" for a
 * process); fdsize its status's FDSize, 0 when not read. Where the fd
 * links are refused, the fds are read through fdinfo and copies of the
 * few that need asking (HACKING.md, "An fd table is read without listing
 * it"). pidfd, a pidfd of the holder already open or -1, is the table's
 * to close. During the pass, only the reader that added p touches it.
 */
void scan_fds(struct reader *r, struct proc *p, pid_t tid, int dirfd,
	      const char *prefix, long fdsize, int pidfd);

/*
 * Learns the mounts that fdinfo names for nsfs and sockfs, for scan_fds;
 * without them (or with NSTOOLS_FALLBACKS_ONLY) fd tables whose links are
 * refused stay unread. Call before the process pass.
 */
void scan_find_fd_mounts(struct scan *s);

/*
 * Keeps in mnt_fds a copy of an fd of every mount namespace that has no
 * process and is held by an fd, for the mount pass. Call after the
 * process pass, before scan_mounts.
 */
void scan_keep_fd_mntns(struct scan *s);

/*
 * Decides which fds that name a path are namespaces: those whose path is
 * an nsfs mount point somewhere (or "/", what one reads as once
 * unmounted), or all of them when no mounts were read. Call after
 * scan_mounts; frees the list.
 */
void scan_path_fds(struct scan *s);

/* Frees the list scan_path_fds would have read. */
void scan_path_fds_release(struct scan *s);

/* Remembers an nsfs mount point, for scan_path_fds. */
void scan_note_nsfs_mountpoint(struct scan *s, const char *path);

/* Frees what scan_fds learnt of sockets. */
void scan_release_sockets(struct scan *s);

/*
 * The mount namespaces the kernel lists (Linux 6.12, with CAP_SYS_ADMIN),
 * each recorded with its facts, and an fd kept of those without a process,
 * for scan_mounts. Call after the process pass.
 */
void scan_listed_mntns(struct scan *s);

/*
 * Whether a socket's SO_NETNS_COOKIE is its network namespace's ID, as
 * since Linux 6.18: asked once, of a socket of our own. Sets
 * s->cookie_is_id, which lets scan_fds learn the network namespace of a
 * socket it may not ask SIOCGSKNS. Call before the process pass.
 */
void scan_find_netns_cookies(struct scan *s);

/*
 * Gives the sockets known only by their cookie to the namespaces with
 * that ID, adding a network namespace known only by its ID where none
 * has it. Call after every pass that finds namespaces.
 */
void scan_resolve_cookies(struct scan *s);

/* Bind mounts of namespaces in every mount namespace, until no new one. */
void scan_mounts(struct scan *s);

/*
 * Gives the mount namespaces that only the kernel's list led to (no
 * other source, no process or thread in them) their "listed" source.
 * Call after every pass, before the model is finished.
 */
void scan_add_listed_sources(struct scan *s);

/* Closes the fds scan_mounts kept and frees the tables. */
void scan_release(struct scan *s);

#endif
