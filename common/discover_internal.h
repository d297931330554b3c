/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the discovery passes (discover*.c); not part of the API.
 */
#ifndef NSTOOLS_DISCOVER_INTERNAL_H
#define NSTOOLS_DISCOVER_INTERNAL_H

#include "discover.h"
#include "hashmap.h"
#include "procfs.h"

#include <stdbool.h>
#include <stddef.h>

/* An fd that names a path: maybe a namespace opened through a bind mount. */
struct path_fd {
	pid_t pid;
	pid_t tid;
	int fd;
	char *path;
};

/* A UID and its name, once looked up. */
struct user_name {
	uid_t uid;
	char *name;
};

/* What the passes over /proc carry around. */
struct scan {
	struct model *m;
	const struct discover_opts *opts;
	int procfd;               /* /proc, pinned */
	struct procfs_buf buf;    /* reused for every file read */
	size_t denied;            /* processes whose namespaces were denied */
	struct hashmap sockets;   /* socket inode -> struct ns * (net) */
	struct hashmap netns_sockets; /* net ns inode -> what its tables list */
	struct hashmap mnt_fds;   /* mnt ns inode -> open fd + 1, to enter */
	size_t unentered;         /* mount namespaces we could not enter */
	size_t fds_denied;        /* fd tables we may not read */
	size_t sockets_unasked;   /* sockets we may not ask for their netns */
	dev_t nsfs_dev;           /* the device of every namespace file */
	struct path_fd *path_fds; /* fds that name a path, for scan_path_fds */
	size_t npath_fds, path_fds_alloc;
	struct hashmap nsfs_mountpoints; /* path hash -> non-NULL */
	struct user_name *user_names;
	size_t nuser_names, user_names_alloc;
	unsigned links;           /* NS_TYPE_BITs of the links read */
	struct ns *procfs_pidns;  /* the PID namespace of /proc, when ours */
};

static inline bool scan_runs(const struct scan *s, enum discovery_pass pass)
{
	return !s->opts->skip[pass];
}

/*
 * The namespace of that type and inode, added when new. While its facts
 * are not known, path (relative to dirfd) is opened, checked to be that
 * namespace, and the kernel asked: owner, parent, creator.
 */
struct ns *scan_ns(struct scan *s, enum ns_type type, uint64_t ino,
		   int dirfd, const char *path);

/* The namespace an open nsfs fd refers to, its facts learnt through it. */
struct ns *scan_ns_from_fd(struct scan *s, enum ns_type type, int fd);

/*
 * Records the namespaces that open fds of a process (tid 0) or of a task
 * with an fd table of its own refer to: nsfs files and sockets. path,
 * relative to dirfd, is the fd directory.
 */
void scan_fds(struct scan *s, struct proc *p, pid_t tid, int dirfd,
	      const char *path);

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

/* Bind mounts of namespaces in every mount namespace, until no new one. */
void scan_mounts(struct scan *s);

/* Closes the fds scan_mounts kept and frees the tables. */
void scan_release(struct scan *s);

#endif
