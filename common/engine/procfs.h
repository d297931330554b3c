/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading /proc: the parsers (pure functions over a buffer, so that they
 * can be tested and fuzzed without a live /proc) and one reader that reads
 * a whole file relative to a pinned directory fd.
 */
#ifndef NSTOOLS_PROCFS_H
#define NSTOOLS_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What a failed read of a process's or a task's files says of it. */
enum procfs_failure {
	PROCFS_GONE,   /* it has exited meanwhile: ENOENT, ESRCH */
	PROCFS_DENIED, /* we may not look: EACCES, EPERM */
	PROCFS_FAILED, /* neither: counted as unread, never taken for either */
};

/*
 * What err, a positive errno from reading a process's or a task's files,
 * means. Races with exiting processes are decided here and nowhere else;
 * the caller keeps err.
 */
enum procfs_failure procfs_failure_of(int err);

/* A reusable read buffer; grows as needed, always NUL-terminated. */
struct procfs_buf {
	char *data;
	size_t len;
	size_t alloc;
};

#define PROCFS_BUF_INIT { NULL, 0, 0 }

void procfs_buf_release(struct procfs_buf *buf);

/*
 * Reads the whole file name (relative to dirfd) into buf. Returns 0, or
 * -errno of the failing open or read.
 */
int procfs_read_at(int dirfd, const char *name, struct procfs_buf *buf);

/* procfs_read_at, the file left open: returns its fd, or -errno. */
int procfs_read_open_at(int dirfd, const char *name, struct procfs_buf *buf);

/*
 * procfs_read_at for a mountinfo file, whose process, once it has exited,
 * fails as others do: -ESRCH (the kernel says EINVAL there).
 */
int procfs_read_mountinfo_at(int dirfd, const char *name,
			     struct procfs_buf *buf);

/*
 * Calls fn(ctx, name) for each entry of the directory open at fd, "." and
 * ".." left out; the fd stays open. Returns 0, or -errno of getdents64.
 */
int procfs_for_each_entry(int fd, void (*fn)(void *ctx, const char *name),
			  void *ctx);

/*
 * True when name is a /proc entry of a process or task: a decimal PID
 * without sign or leading zero that fits pid_t; *pid gets it.
 */
bool procfs_parse_pid_name(const char *name, pid_t *pid);

/* What /proc/PID/stat tells. name is NUL-terminated, at most 64 bytes. */
struct procfs_stat {
	pid_t pid;
	char name[65];
	char state;
	pid_t ppid;
	long threads;
	uint64_t starttime;
};

/*
 * Parses a stat line: the name lies between the first "(" and the last ")",
 * so that names with spaces, parentheses and newlines parse; the fields
 * counted from after the last ")". Returns 0 or -EINVAL.
 */
int procfs_parse_stat(const char *buf, size_t len, struct procfs_stat *st);

/* What /proc/PID/status tells that stat does not. */
struct procfs_status {
	pid_t tgid;       /* Tgid: its process; 0 when absent */
	uid_t uid;        /* real UID */
	long threads;     /* Threads:, 0 when absent */
	long fdsize;      /* FDSize: the fd table's room, 0 when absent */
	pid_t *nspid;     /* NSpid chain, outermost first; malloc'd */
	size_t nspid_len;
};

/*
 * Parses status text (NUL-terminated). The NSpid chain is left empty when
 * the line is missing or malformed. Returns 0, or -EINVAL without a Uid.
 */
int procfs_parse_status(const char *buf, struct procfs_status *st);
void procfs_status_release(struct procfs_status *st);

/* What /proc/PID/fdinfo/N tells of an open file, without touching it. */
struct procfs_fdinfo {
	uint64_t mnt_id; /* the mount it was opened through */
	uint64_t ino;    /* its inode; 0 where the kernel does not say it */
};

/*
 * Parses fdinfo text (NUL-terminated): the mnt_id: and ino: lines, which
 * the kernel writes before the lines of the file's own kind. Returns 0,
 * or -EINVAL without a mnt_id.
 */
int procfs_parse_fdinfo(const char *buf, struct procfs_fdinfo *fi);

/*
 * What stat tells but the start time, from status text (NUL-terminated):
 * Name (the kernel escapes only newline and backslash there), State, PPid
 * and Threads; st->pid is set to pid, st->starttime to 0. For a view that
 * shows no start time, one file read less. Returns 0 or -EINVAL.
 */
int procfs_parse_status_as_stat(const char *buf, pid_t pid,
				struct procfs_stat *st);

/*
 * The cgroup path from /proc/PID/cgroup text (NUL-terminated): the v1 line
 * whose controllers include "cpu", else the v2 "0::" line. Returns a
 * malloc'd path, or NULL when there is neither.
 */
char *procfs_parse_cgroup(const char *buf);

/* One line of /proc/PID/mountinfo, the fields nstools needs. */
struct procfs_mount {
	char *root;        /* e.g. "net:[4026532455]" for an nsfs mount */
	char *mountpoint;  /* unescaped */
	char *fstype;
};

/*
 * Parses one mountinfo line of len bytes; line[len] (its newline or the
 * final NUL) must be writable. The strings point into line, which is
 * modified: fields are cut apart and the octal escapes (\040) of the root
 * and the mount point decoded in place. Returns 0 or -EINVAL.
 */
int procfs_parse_mountinfo_line(char *line, size_t len,
				struct procfs_mount *mount);

#endif
