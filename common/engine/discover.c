/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/discover_internal.h"

#include "engine/caps.h"
#include "lib/procpath.h"
#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* What the files of /proc/PID (or of a task) say, before it is added. */
struct thread_info {
	struct procfs_stat stat;
	struct procfs_status status;
	struct ns *ns[NS_TYPE_COUNT];
	struct ns *for_children[NS_TYPE_COUNT];
	bool denied;
	bool status_read;
	int link_err; /* a link that failed, neither gone nor denied: -errno */
};

/* The user namespace first: when it is denied, every other link is too. */
static const enum ns_type link_order[NS_TYPE_COUNT] = {
	NS_USER, NS_PID, NS_CGROUP, NS_IPC, NS_MNT, NS_NET, NS_TIME, NS_UTS,
};

/*
 * A thread cannot have a user, PID or time namespace of its own: a
 * multi-threaded process may not unshare or enter a user namespace, and
 * a PID or time namespace changes only what its children get (the
 * *_for_children links). Its links of those are its process's.
 */
#define SHARED_BY_THREADS                                                      \
	(NS_TYPE_BIT(NS_USER) | NS_TYPE_BIT(NS_PID) | NS_TYPE_BIT(NS_TIME))

/*
 * Reads one namespace link, prefix/ns/NAME relative to dirfd: the link
 * text names the namespace, which is cheaper than a stat; only a namespace
 * seen for the first time is opened.
 */
static int read_ns_link(struct reader *r, int dirfd, const char *prefix,
			const char *name, enum ns_type type, struct ns **out)
{
	char path[64], text[64];
	ssize_t n;
	enum ns_type found;
	uint64_t ino;

	if (!str_join(path, sizeof(path), prefix, "ns/", name, NULL))
		return -ENAMETOOLONG;
	n = readlinkat(dirfd, path, text, sizeof(text));
	if (n < 0)
		return -errno;
	if (ns_id_parse(text, (size_t)n, &found, &ino) < 0 || found != type)
		return -EINVAL;
	*out = reader_ns(r, type, ino, dirfd, path);
	return 0;
}

/*
 * A link that failed (ret: -errno) neither because the thread is gone nor
 * because we may not look makes it count as unread, whatever else of it
 * was read.
 */
static void note_link_failure(struct thread_info *ti, int ret)
{
	if (ret < 0 && procfs_failure_of(-ret) == PROCFS_FAILED &&
	    !ti->link_err)
		ti->link_err = ret;
}

/* The PID and time namespaces a process's next children will be in. */
static void read_for_children(struct reader *r, int dirfd,
			      struct thread_info *ti)
{
	static const enum ns_type types[] = { NS_PID, NS_TIME };
	const struct scan *s = r->s;
	char name[32];

	if (s->scope->no_for_children)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		enum ns_type t = types[i];
		int ret;

		if (!(s->links & NS_TYPE_BIT(t)) ||
		    !str_join(name, sizeof(name), ns_type_name(t),
			      "_for_children", NULL))
			continue;
		ret = read_ns_link(r, dirfd, "", name, t, &ti->for_children[t]);
		note_link_failure(ti, ret);
	}
}

/*
 * Reads the namespace links of types (NS_TYPE_BITs) of a process (prefix
 * "") or a task (prefix "TID/" relative to its task directory). Returns 0
 * when at least one was read, else the -errno that tells why none was:
 * that of the first link we may not follow (the others will not follow
 * either), of a link that failed otherwise, or -ENOENT: it is gone (a
 * zombie keeps some links, a reaped process none), or none was asked.
 */
static int read_ns_links(struct reader *r, int dirfd, const char *prefix,
			 unsigned types, struct thread_info *ti)
{
	int found = 0;

	for (size_t i = 0; i < ARRAY_SIZE(link_order); i++) {
		enum ns_type t = link_order[i];
		int ret;

		if (!(types & NS_TYPE_BIT(t)))
			continue;
		ret = read_ns_link(r, dirfd, prefix, ns_type_name(t), t,
				   &ti->ns[t]);
		if (!ret)
			found++;
		else if (!found && procfs_failure_of(-ret) == PROCFS_DENIED)
			return ret;
		else
			note_link_failure(ti, ret);
	}
	if (found)
		return 0;
	return ti->link_err ? ti->link_err : -ENOENT;
}

/* Processes and tasks */

/* Whether a failed read (ret: -errno) was one we may not make. */
static bool was_denied(int ret)
{
	return ret < 0 && procfs_failure_of(-ret) == PROCFS_DENIED;
}

/*
 * A process or task that is gone by now is skipped without a word, and
 * one whose stat we may not read as before; one that could not be read
 * (ret: -errno, 0 when it was) for another reason counts as unread.
 */
static void note_unread_process(struct reader *r, int ret)
{
	if (ret < 0 && procfs_failure_of(-ret) == PROCFS_FAILED)
		r->procs_failed++;
}

/* Reads a file of /proc into r->buf; the file is closed with the batch. */
static int reader_read(struct reader *r, int dirfd, const char *path)
{
	int fd = procfs_read_open_at(dirfd, path, &r->buf);

	if (fd < 0)
		return fd;
	reader_done_fd(r, fd);
	return 0;
}

static int read_stat(struct reader *r, int dirfd, const char *path,
		     struct procfs_stat *st)
{
	int ret = reader_read(r, dirfd, path);

	if (ret < 0)
		return ret;
	return procfs_parse_stat(r->buf.data, r->buf.len, st);
}

/*
 * status tells the UID and the NSpid chain. A view that shows no UID needs
 * it only where the chain is not just the PID: for processes outside the
 * PID namespace of /proc, or where that could not be read.
 */
static bool needs_status(const struct scan *s, const struct thread_info *ti)
{
	bool uids = !s->scope->no_uids && !s->scope->lowest_details;

	return uids || !s->procfs_pidns || !ti->ns[NS_PID] ||
	       ti->ns[NS_PID] != s->procfs_pidns;
}

static int read_status(struct reader *r, int dirfd, struct thread_info *ti)
{
	int ret;

	if (ti->status_read)
		return 0;
	if (!needs_status(r->s, ti)) {
		ti->status.uid = UID_UNKNOWN;
		ti->status.nspid = xmalloc(sizeof(pid_t));
		ti->status.nspid[0] = ti->stat.pid;
		ti->status.nspid_len = 1;
		return 0;
	}
	ret = reader_read(r, dirfd, "status");
	if (ret < 0)
		return ret;
	return procfs_parse_status(r->buf.data, &ti->status);
}

/* A view without start times reads status alone, for both. */
static int read_status_as_stat(struct reader *r, int dirfd, pid_t pid,
			       struct thread_info *ti)
{
	int ret = reader_read(r, dirfd, "status");

	if (!ret)
		ret = procfs_parse_status_as_stat(r->buf.data, pid, &ti->stat);
	if (!ret)
		ret = procfs_parse_status(r->buf.data, &ti->status);
	ti->status_read = !ret;
	return ret;
}

/*
 * stat, the namespace links and status of a process. Returns 0, or the
 * -errno of the read that failed; links we may not follow make it
 * inaccessible, not unread.
 */
static int read_process_info(struct reader *r, int dirfd, pid_t pid,
			     struct thread_info *ti)
{
	struct scan *s = r->s;
	int ret;

	memset(ti, 0, sizeof(*ti));
	if (s->scope->no_starttimes)
		ret = read_status_as_stat(r, dirfd, pid, ti);
	else
		ret = read_stat(r, dirfd, "stat", &ti->stat);
	if (ret < 0)
		return ret;
	ret = read_ns_links(r, dirfd, "", s->links, ti);
	ti->denied = was_denied(ret);
	if (ret < 0 && !ti->denied) {
		procfs_status_release(&ti->status);
		return ret;
	}
	if (!ti->denied)
		read_for_children(r, dirfd, ti);
	return read_status(r, dirfd, ti);
}

/* Whether the process pass reads every process's cgroup. */
static bool reads_cgroups_in_pass(const struct discovery_scope *scope)
{
	return !scope->no_cgroups && !scope->ealdormen_cgroups &&
	       !scope->lowest_details;
}

/* Returns 0, or -errno when the file could not be read. */
static int read_cmdline(struct reader *r, int dirfd, struct proc *p)
{
	int ret = reader_read(r, dirfd, "cmdline");

	if (ret < 0)
		return ret;
	p->cmdline = strv_split_nul(r->buf.data, r->buf.len, &p->argc);
	return 0;
}

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef PIDFS_MAGIC
#define PIDFS_MAGIC 0x50494446
#endif

/* The inode of pidfd, 0 where it cannot be had (none: -1). */
static uint64_t pidfd_inode(int pidfd)
{
	struct stat st;

	return pidfd >= 0 && !fstat(pidfd, &st) ? (uint64_t)st.st_ino : 0;
}

/*
 * The command line, and the inode of a pidfd of the process (pidfs, Linux
 * 6.9): its identity, which no reuse of its PID can fool. The pidfd is
 * opened by PID, while dirfd holds /proc/PID: a read through dirfd after
 * it that succeeds proves that the process was not reaped meanwhile (a
 * zombie's files still read), so that the pidfd is the same process's.
 * The command line is that read, where it is wanted: a look for the
 * pidfd's sake alone would be one more path lookup a process (with the
 * open and fstat, 3,000 calls more on 1,000 processes, where a dump made
 * 47,500). Returns the pidfd, for the process's fd table (scan_fds), or
 * -1.
 */
static int read_cmdline_pidfd(struct reader *r, int dirfd, struct proc *p)
{
	const struct scan *s = r->s;
	int pidfd = s->pidfd_inos ? (int)syscall(SYS_pidfd_open, p->pid, 0)
				  : -1;
	uint64_t ino = pidfd_inode(pidfd);
	bool there;

	if (!s->scope->no_cmdlines && !s->scope->lowest_details)
		there = !read_cmdline(r, dirfd, p);
	else
		there = ino && !faccessat(dirfd, "stat", F_OK, 0);
	if (there)
		p->pidfd_ino = ino;
	return pidfd < 0 ? -1 : pidfd;
}

static void read_cgroup(struct reader *r, int dirfd, struct proc *p)
{
	if (reader_read(r, dirfd, "cgroup") < 0)
		return;
	p->cgroup = procfs_parse_cgroup(r->buf.data);
	/* identified from the same read: no file more a process */
	if (scan_runs(r->s, PASS_CONTAINERS))
		reader_identify(r, p, r->buf.data);
}

/*
 * Threads share their process's fd table unless they were cloned without
 * CLONE_FILES or unshared it; kcmp tells, one system call a thread.
 */
static bool has_own_fd_table(pid_t pid, pid_t tid)
{
	return syscall(SYS_kcmp, pid, tid, KCMP_FILES, 0, 0) > 0;
}

static void add_task(struct proc *p, const struct thread_info *ti)
{
	struct task *task = proc_add_task(p, ti->stat.pid);

	task->name = xstrdup(ti->stat.name);
	task->state = ti->stat.state;
	task->starttime = ti->stat.starttime;
	memcpy(task->ns, ti->ns, sizeof(task->ns));
	memcpy(task->for_children, ti->for_children, sizeof(task->for_children));
}

struct task_scan {
	struct reader *r;
	struct proc *p;
	int taskfd;
};

/*
 * The links a thread's own: not those it shares with its process, unless
 * that is a zombie leader whose links are gone. Nor its *_for_children
 * links: a PID or time namespace a thread made for children it has not
 * made yet is a moment's state, and would cost two calls a thread.
 */
static unsigned thread_links(const struct task_scan *ts)
{
	if (ts->p->state == 'Z')
		return ts->r->s->links;
	return ts->r->s->links & ~SHARED_BY_THREADS;
}

static void share_process_links(const struct task_scan *ts,
				struct thread_info *ti)
{
	for (int t = 0; t < NS_TYPE_COUNT; t++)
		if ((NS_TYPE_BIT(t) & SHARED_BY_THREADS) && !ti->ns[t])
			ti->ns[t] = ts->p->ns[t];
}

/*
 * stat and the links of a task, prefix "TID/" relative to task/. Returns
 * 0, or the -errno of the read that failed; links we may not follow leave
 * it with its process's.
 */
static int read_task_info(const struct task_scan *ts, const char *prefix,
			  struct thread_info *ti)
{
	char path[48];
	int ret;

	if (!str_join(path, sizeof(path), prefix, "stat", NULL))
		return -ENAMETOOLONG;
	ret = read_stat(ts->r, ts->taskfd, path, &ti->stat);
	if (ret < 0 || ts->p->inaccessible)
		return ret;
	ret = read_ns_links(ts->r, ts->taskfd, prefix, thread_links(ts), ti);
	return was_denied(ret) ? 0 : ret;
}

/*
 * Our own process is the engine at work: its other threads are the
 * readers, with fd tables of their own full of what they are reading, and
 * its own fd table holds for a moment what the reader in the main thread
 * reads (a namespace, a copy of another process's socket) while another
 * reader may be listing it. Its threads and fds are not part of what is
 * discovered; the process itself is (the views start from it).
 */
static bool is_engine(const struct scan *s, pid_t pid)
{
	return pid == s->m->discovery.pid;
}

/* A task is read relative to task/ of its process: no directory of its own. */
static void scan_task(void *ctx, const char *name)
{
	struct task_scan *ts = ctx;
	struct scan *s = ts->r->s;
	struct thread_info ti = { 0 };
	char prefix[32];
	pid_t tid;
	int ret;

	if (!procfs_parse_pid_name(name, &tid) || tid == ts->p->pid ||
	    is_engine(s, ts->p->pid) ||
	    !str_join(prefix, sizeof(prefix), name, "/", NULL))
		return;
	ret = read_task_info(ts, prefix, &ti);
	note_unread_process(ts->r, ret < 0 ? ret : ti.link_err);
	if (ret < 0)
		return;
	share_process_links(ts, &ti);
	add_task(ts->p, &ti);
	if (!ts->p->inaccessible && scan_runs(s, PASS_FDS) &&
	    has_own_fd_table(ts->p->pid, tid))
		scan_fds(ts->r, ts->p, tid, ts->taskfd, prefix, 0, -1);
}

/* Threads that cannot be listed count as unread, unless they are gone. */
static void scan_tasks(struct reader *r, struct proc *p, int dirfd)
{
	struct task_scan ts = { .r = r, .p = p };
	int ret;

	ts.taskfd = openat(dirfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ts.taskfd < 0) {
		note_unread_process(r, -errno);
		return;
	}
	ret = procfs_for_each_entry(ts.taskfd, scan_task, &ts);
	if (ret < 0)
		note_unread_process(r, ret);
	reader_done_fd(r, ts.taskfd);
}

/*
 * Mount namespaces are read later through one process attached to them:
 * the lowest PID, in whatever order the readers hand them over.
 */
static void note_attached(struct scan *s, const struct proc *p)
{
	struct ns_record *rec;

	if (p->inaccessible || p->state == 'Z' || !p->ns[NS_MNT])
		return;
	rec = scan_lookup_record(s, p->ns[NS_MNT]->ino);
	if (!rec->some_pid || p->pid < rec->some_pid)
		rec->some_pid = p->pid;
}

/*
 * A process whose main thread has exited while others run on shows as a
 * zombie with only its user and pid links left. It lives on in its
 * threads: taking the first one's namespaces and state keeps them from
 * all looking loose, and the process from looking dead.
 */
static void adopt_task_namespaces(struct proc *p)
{
	if (p->state != 'Z' || !p->ntasks)
		return;
	for (int t = 0; t < NS_TYPE_COUNT; t++)
		if (!p->ns[t])
			p->ns[t] = p->tasks[0].ns[t];
	p->state = p->tasks[0].state;
}

static void add_process(struct reader *r, int dirfd, pid_t pid,
			struct thread_info *ti)
{
	struct scan *s = r->s;
	struct proc *p = proc_new(pid);
	int pidfd;

	VEC_PUSH(r->procs, r->nprocs, r->procs_alloc, p);
	if (ti->denied)
		r->denied++;
	p->ppid = ti->stat.ppid;
	p->name = xstrdup(ti->stat.name);
	p->state = ti->stat.state;
	p->starttime = ti->stat.starttime;
	p->uid = ti->status.uid;
	p->nspid = ti->status.nspid;
	p->nspid_len = ti->status.nspid_len;
	p->inaccessible = ti->denied;
	memcpy(p->ns, ti->ns, sizeof(p->ns));
	memcpy(p->for_children, ti->for_children, sizeof(p->for_children));
	pidfd = read_cmdline_pidfd(r, dirfd, p);
	if (reads_cgroups_in_pass(s->scope))
		read_cgroup(r, dirfd, p);
	if (!p->inaccessible && scan_runs(s, PASS_FDS) && !is_engine(s, pid))
		scan_fds(r, p, 0, dirfd, "", ti->status.fdsize, pidfd);
	else if (pidfd >= 0)
		reader_done_fd(r, pidfd);
	/* the thread count saves listing task/ for single-threaded ones */
	if (scan_runs(s, PASS_TASKS) && ti->stat.threads > 1) {
		scan_tasks(r, p, dirfd);
		adopt_task_namespaces(p);
	}
}

static void scan_process(struct reader *r, pid_t pid)
{
	struct thread_info ti;
	char name[24];
	int dirfd, ret;

	if (!procpath(name, sizeof(name), pid, 0, NULL))
		return;
	dirfd = openat(r->procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		note_unread_process(r, -errno);
		return;
	}
	ret = read_process_info(r, dirfd, pid, &ti);
	if (!ret)
		add_process(r, dirfd, pid, &ti);
	note_unread_process(r, ret < 0 ? ret : ti.link_err);
	reader_done_fd(r, dirfd);
	reader_close_done_fds(r);
}

static int scan_processes(struct scan *s)
{
	int ret = read_processes(s, scan_process);

	for (size_t i = 0; i < s->m->nprocs; i++)
		note_attached(s, s->m->procs[i]);
	return ret;
}

/*
 * /proc/PID of p, when p is still the process that was seen (the same
 * start time); -1 when not.
 */
static int open_same_process(struct reader *r, const struct proc *p)
{
	struct procfs_stat st;
	char name[16];
	int dirfd;

	if (!procpath(name, sizeof(name), p->pid, 0, NULL))
		return -1;
	dirfd = openat(r->procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -1;
	if (read_stat(r, dirfd, "stat", &st) < 0 ||
	    st.starttime != p->starttime) {
		close(dirfd);
		return -1;
	}
	return dirfd;
}

/*
 * A view that shows cgroups only in namespace labels needs only those of
 * the ealdormen; they are read once the model has derived them, and only
 * when the process is still the one that was seen.
 */
static void read_ealdormen_cgroups(struct scan *s)
{
	struct reader r = reader_for_caller(s);

	for (size_t i = 0; i < s->m->nns; i++) {
		struct proc *p = model_proc(s->m, s->m->nss[i]->ealdorman);
		int dirfd;

		if (!p || p->cgroup || (dirfd = open_same_process(&r, p)) < 0)
			continue;
		read_cgroup(&r, dirfd, p);
		close(dirfd);
	}
	reader_finish(&r);
}

/* The UID from status, where it can be read. */
static void read_uid(struct reader *r, int dirfd, struct proc *p)
{
	struct procfs_status st;

	if (reader_read(r, dirfd, "status") < 0 ||
	    procfs_parse_status(r->buf.data, &st) < 0)
		return;
	p->uid = st.uid;
	procfs_status_release(&st);
}

/*
 * A list shows the command line, the UID and the cgroup of each
 * namespace's lowest PID alone (nsdiscover -l): read after the passes,
 * of those processes only, a few hundred files instead of two or three
 * for every process. Measured on the benchmark's load of 1,000 processes:
 * a third of the list's time.
 */
static void read_lowest_details(struct scan *s)
{
	struct reader r = reader_for_caller(s);
	struct intmap done = INTMAP_INIT;

	for (size_t i = 0; i < s->m->nns; i++) {
		struct proc *p = model_proc(s->m, s->m->nss[i]->lowest_pid);
		int dirfd;

		if (!p || intmap_has(&done, (uint64_t)p->pid))
			continue;
		intmap_put(&done, (uint64_t)p->pid, 0);
		if ((dirfd = open_same_process(&r, p)) < 0)
			continue;
		if (!s->scope->no_cmdlines)
			read_cmdline(&r, dirfd, p);
		if (!s->scope->no_uids)
			read_uid(&r, dirfd, p);
		if (!s->scope->no_cgroups)
			read_cgroup(&r, dirfd, p);
		close(dirfd);
	}
	intmap_release(&done);
	reader_finish(&r);
}

static int read_self(struct scan *s, pid_t *pid)
{
	char text[32];
	ssize_t n = readlinkat(s->procfd, "self", text, sizeof(text) - 1);

	if (n < 0)
		return procfs_failure_of(errno) == PROCFS_GONE ? -ESRCH
							       : -errno;
	text[n] = '\0';
	return procfs_parse_pid_name(text, pid) ? 0 : -ESRCH;
}

/*
 * The PID namespace of /proc is ours when our NSpid has one level; its
 * processes need no status for their NSpid chain (see needs_status).
 */
static void find_procfs_pidns(struct scan *s)
{
	struct reader r = reader_for_caller(s);
	struct procfs_status st;
	struct ns *pidns = NULL;

	if (procfs_read_at(r.procfd, "self/status", &r.buf) < 0 ||
	    procfs_parse_status(r.buf.data, &st) < 0) {
		reader_finish(&r);
		return;
	}
	if (st.nspid_len == 1 &&
	    !read_ns_link(&r, r.procfd, "self/", "pid", NS_PID, &pidns))
		s->procfs_pidns = pidns;
	procfs_status_release(&st);
	reader_finish(&r);
}

/* nsfs is one device: asked once, it tells namespace files by their stat. */
static void find_nsfs_dev(struct scan *s)
{
	struct stat st;

	if (!fstatat(s->procfd, "self/ns/user", &st, 0))
		s->nsfs_dev = st.st_dev;
}

/*
 * Since Linux 6.2 the size of /proc/PID/fd is the number of open fds; we
 * have some, so a size of 0 says the kernel is older.
 */
static void find_fd_dir_counts(struct scan *s)
{
	struct stat st;

	s->fd_dir_counts = !fstatat(s->procfd, "self/fd", &st, 0) &&
			   st.st_size > 0;
}

/*
 * Before Linux 6.9 a pidfd was an anonymous inode, one for all: its inode
 * names no process. Our own pidfd's file system tells.
 */
static void find_pidfd_inos(struct scan *s)
{
	struct statfs sfs;
	int pidfd;

	if (s->fallbacks_only || s->scope->no_pidfd_inos)
		return;
	pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd < 0)
		return;
	s->pidfd_inos = !fstatfs(pidfd, &sfs) && sfs.f_type == PIDFS_MAGIC;
	close(pidfd);
}

/* Namespace types read from links: what the view shows, and what passes need. */
static unsigned links_to_read(const struct discovery_scope *scope)
{
	unsigned types = scope->types ? scope->types : ~0u;

	/* bind mounts are found through the mount namespaces */
	if (!scope->skip[PASS_MOUNTS])
		types |= NS_TYPE_BIT(NS_MNT);
	return types & (NS_TYPE_BIT(NS_TYPE_COUNT) - 1);
}

/* The mount pass, with an fd kept of each fd-held one without processes. */
static void read_mounts(struct scan *s)
{
	scan_keep_fd_mntns(s);
	scan_mounts(s);
}

static void note_passes(struct scan *s)
{
	for (int pass = 0; pass < PASS_COUNT; pass++)
		s->m->discovery.passes[pass] = scan_runs(s, pass);
}

/* Everything the passes find, in m; returns 0 or -errno. */
static int run_passes(struct scan *s)
{
	struct model *m = s->m;
	struct proc *self;
	int ret;

	note_passes(s);
	m->discovery.cap_sys_ptrace = caps_effective_has(CAP_SYS_PTRACE);
	s->may_setns = caps_permitted_has(CAP_SYS_ADMIN);
	ret = read_self(s, &m->discovery.pid);
	if (ret < 0)
		return ret;
	find_procfs_pidns(s);
	find_nsfs_dev(s);
	find_fd_dir_counts(s);
	scan_find_fd_mounts(s);
	find_pidfd_inos(s);
	scan_find_netns_cookies(s);
	ret = scan_processes(s);
	if (ret < 0)
		return ret;
	if (scan_runs(s, PASS_MOUNTS)) {
		scan_listed_mntns(s);
		read_mounts(s);
	}
	if (s->npath_fds) {
		scan_path_fds(s);
		/* a mount namespace held by such an fd is read in its turn */
		if (scan_runs(s, PASS_MOUNTS))
			read_mounts(s);
	}
	if (scan_runs(s, PASS_MOUNTS))
		scan_add_listed_sources(s);
	scan_resolve_cookies(s);
	self = model_proc(m, m->discovery.pid);
	if (!self || !self->ns[NS_PID])
		return -ESRCH;
	m->discovery.pidns = self->ns[NS_PID];
	m->discovery.inaccessible = s->denied;
	m->discovery.unread = (struct discovery_unread){
		.processes = s->denied + s->procs_failed,
		.fd_tables = s->fds_denied + s->fd_tables_failed,
		.sockets = s->sockets_unasked,
		.mount_namespaces = s->mntns_unopened + s->mntns_unentered +
				    s->mntns_failed,
	};
	m->discovery.mntns_tried = (struct discovery_mntns_tried){
		.listmount = s->mntns_refused,
		.entering = s->mntns_unentered,
	};
	return 0;
}

/*
 * What is read of the ealdormen goes in before the model is finished:
 * nothing changes a finished model. The containers are looked up once
 * every cgroup is read.
 */
static void finish_model(struct scan *s)
{
	if (s->scope->ealdormen_cgroups || s->scope->lowest_details)
		model_derive_leaders(s->m);
	if (s->scope->ealdormen_cgroups)
		read_ealdormen_cgroups(s);
	if (s->scope->lowest_details)
		read_lowest_details(s);
	if (scan_runs(s, PASS_CONTAINERS))
		scan_containers(s);
	model_finish(s->m);
}

/*
 * Where the kernel offers a newer way (fdinfo and pidfd_getfd,
 * SO_NETNS_COOKIE, listmount), the engine keeps the older one as its
 * fallback.
 * NSTOOLS_FALLBACKS_ONLY, set to anything, makes it take the fallbacks
 * alone, as on an older kernel: the tests compare both ways on this one
 * (HACKING.md, "A test"). It can only make a discovery read less.
 */
static bool fallbacks_only(void)
{
	return getenv("NSTOOLS_FALLBACKS_ONLY") != NULL;
}

static bool enough_fds(void)
{
	struct rlimit rl;

	return getrlimit(RLIMIT_NOFILE, &rl) < 0 ||
	       rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= DISCOVER_MIN_FDS;
}

int discover(struct model *m, const struct discovery_scope *scope)
{
	struct scan s = { .m = m, .scope = scope, .buf = PROCFS_BUF_INIT,
			  .links = links_to_read(scope),
			  .fallbacks_only = fallbacks_only(),
			  .lock = PTHREAD_MUTEX_INITIALIZER };
	int ret;

	if (!enough_fds())
		return -EMFILE;
	s.procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s.procfd < 0)
		return -errno;
	ret = run_passes(&s);
	if (!ret)
		finish_model(&s);
	scan_release(&s);
	return ret;
}

void scan_release(struct scan *s)
{
	pthread_mutex_destroy(&s->lock);
	close(s->procfd);
	procfs_buf_release(&s->buf);
	scan_release_sockets(s);
	scan_path_fds_release(s);
	scan_release_records(s);
	for (size_t i = 0; i < s->nuser_names; i++)
		free(s->user_names[i].name);
	free(s->user_names);
	for (struct intmap_iter it = INTMAP_ITER_INIT;
	     intmap_next(&s->mnt_fds, &it);)
		close((int)it.value);
	intmap_release(&s->mnt_fds);
}

/* The status of pid as /proc shows it; pid 0: this process's, "self". */
static int read_status_of(pid_t pid, struct procfs_status *st)
{
	struct procfs_buf buf = PROCFS_BUF_INIT;
	char path[64] = "/proc/self/status";
	int ret;

	if (pid && !procpath_abs(path, sizeof(path), pid, 0, "status", NULL))
		return -ENAMETOOLONG;
	ret = procfs_read_at(AT_FDCWD, path, &buf);
	if (!ret && procfs_parse_status(buf.data, st) < 0)
		ret = -EINVAL;
	procfs_buf_release(&buf);
	return ret;
}

/*
 * NSpid counts from the PID namespace of the procfs that shows it: one
 * level in /proc/self/status is a /proc of this process's own.
 */
int discover_pid_lookup(pid_t pid, bool own_pidns, pid_t *tgid)
{
	struct procfs_status st;
	int ret = read_status_of(0, &st);

	if (ret < 0)
		return ret == -ENOENT ? -ESRCH : ret;
	ret = own_pidns && st.nspid_len != 1 ? -EXDEV : 0;
	procfs_status_release(&st);
	if (ret < 0)
		return ret;
	ret = read_status_of(pid, &st);
	if (ret < 0)
		return ret == -ESRCH ? -ENOENT : ret;
	*tgid = st.tgid ? st.tgid : pid;
	procfs_status_release(&st);
	return 0;
}
