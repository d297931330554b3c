/* SPDX-License-Identifier: Apache-2.0 */
#include "discover_internal.h"

#include "caps.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* What the files of /proc/PID (or of a task) say, before it is added. */
struct thread_info {
	struct procfs_stat stat;
	struct procfs_status status;
	struct ns *ns[NS_TYPE_COUNT];
	struct ns *for_children[NS_TYPE_COUNT];
	bool denied;
};

static const char *const ns_links[NS_TYPE_COUNT] = {
	[NS_CGROUP] = "ns/cgroup", [NS_IPC] = "ns/ipc",   [NS_MNT] = "ns/mnt",
	[NS_NET] = "ns/net",       [NS_PID] = "ns/pid",   [NS_TIME] = "ns/time",
	[NS_USER] = "ns/user",     [NS_UTS] = "ns/uts",
};

/* The user namespace first: when it is denied, every other link is too. */
static const enum ns_type link_order[NS_TYPE_COUNT] = {
	NS_USER, NS_PID, NS_CGROUP, NS_IPC, NS_MNT, NS_NET, NS_TIME, NS_UTS,
};

/*
 * Reads one namespace link: the link text names the namespace, which is
 * cheaper than a stat; only a namespace seen for the first time is opened.
 */
static int read_ns_link(struct scan *s, int dirfd, const char *link,
			enum ns_type type, struct ns **out)
{
	char text[64];
	ssize_t n = readlinkat(dirfd, link, text, sizeof(text));
	enum ns_type found;
	uint64_t ino;

	if (n < 0)
		return -errno;
	if (ns_id_parse(text, (size_t)n, &found, &ino) < 0 || found != type)
		return -EINVAL;
	*out = scan_ns(s, type, ino, dirfd, link);
	return 0;
}

/*
 * Reads all namespace links of a process or task. Returns 0 when at least
 * one was read, -EACCES when we may not look, -ENOENT when it is gone (a
 * zombie keeps some links, a reaped process none).
 */
static int read_ns_links(struct scan *s, int dirfd, struct thread_info *ti)
{
	int found = 0;

	for (size_t i = 0; i < ARRAY_SIZE(link_order); i++) {
		enum ns_type t = link_order[i];
		int ret = read_ns_link(s, dirfd, ns_links[t], t, &ti->ns[t]);

		if (!ret)
			found++;
		else if (!found && errno_means_denied(-ret))
			return -EACCES;
	}
	if (!found)
		return -ENOENT;
	read_ns_link(s, dirfd, "ns/pid_for_children", NS_PID,
		     &ti->for_children[NS_PID]);
	read_ns_link(s, dirfd, "ns/time_for_children", NS_TIME,
		     &ti->for_children[NS_TIME]);
	return 0;
}

/* Processes and tasks */

static int read_stat(struct scan *s, int dirfd, struct procfs_stat *st)
{
	int ret = procfs_read_at(dirfd, "stat", &s->buf);

	if (ret < 0)
		return ret;
	return procfs_parse_stat(s->buf.data, s->buf.len, st);
}

/*
 * stat, status and the namespace links of a process; returns -ENOENT
 * when it is gone (or unreadable in a way that tells nothing).
 */
static int read_process_info(struct scan *s, int dirfd, struct thread_info *ti)
{
	int ret;

	memset(ti, 0, sizeof(*ti));
	if (read_stat(s, dirfd, &ti->stat) < 0)
		return -ENOENT;
	if (procfs_read_at(dirfd, "status", &s->buf) < 0 ||
	    procfs_parse_status(s->buf.data, &ti->status) < 0)
		return -ENOENT;
	ret = read_ns_links(s, dirfd, ti);
	if (ret == -ENOENT) {
		procfs_status_release(&ti->status);
		return ret;
	}
	ti->denied = ret == -EACCES;
	return 0;
}

static void read_cmdline(struct scan *s, int dirfd, struct proc *p)
{
	if (procfs_read_at(dirfd, "cmdline", &s->buf) < 0)
		return;
	p->cmdline = procfs_parse_cmdline(s->buf.data, s->buf.len, &p->argc);
}

static void read_cgroup(struct scan *s, int dirfd, struct proc *p)
{
	if (procfs_read_at(dirfd, "cgroup", &s->buf) < 0)
		return;
	p->cgroup = procfs_parse_cgroup(s->buf.data);
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

static void scan_task(struct scan *s, struct proc *p, int taskfd,
		      const char *name)
{
	int dirfd = openat(taskfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct thread_info ti = { 0 };

	if (dirfd < 0)
		return;
	if (read_stat(s, dirfd, &ti.stat) < 0 ||
	    (!p->inaccessible && read_ns_links(s, dirfd, &ti) == -ENOENT)) {
		close(dirfd);
		return;
	}
	add_task(p, &ti);
	if (!p->inaccessible && scan_runs(s, PASS_FDS) &&
	    has_own_fd_table(p->pid, ti.stat.pid))
		scan_fds(s, p, ti.stat.pid, dirfd);
	close(dirfd);
}

static void scan_tasks(struct scan *s, struct proc *p, int dirfd)
{
	int taskfd = openat(dirfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = taskfd >= 0 ? fdopendir(taskfd) : NULL;
	struct dirent *d;

	if (!dir) {
		if (taskfd >= 0)
			close(taskfd);
		return;
	}
	while ((d = readdir(dir))) {
		pid_t tid;

		if (procfs_parse_pid_name(d->d_name, &tid) && tid != p->pid)
			scan_task(s, p, taskfd, d->d_name);
	}
	closedir(dir);
}

/* Mount namespaces are read later through one process attached to them. */
static void note_attached(struct proc *p)
{
	for (int t = 0; t < NS_TYPE_COUNT; t++)
		if (p->ns[t] && !p->ns[t]->some_pid)
			p->ns[t]->some_pid = p->pid;
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

static void add_process(struct scan *s, int dirfd, pid_t pid,
			struct thread_info *ti)
{
	struct proc *p = model_add_proc(s->m, pid);

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
	if (p->inaccessible)
		s->denied++;
	read_cmdline(s, dirfd, p);
	read_cgroup(s, dirfd, p);
	if (!p->inaccessible && scan_runs(s, PASS_FDS))
		scan_fds(s, p, 0, dirfd);
	/* the status count saves listing task/ for single-threaded ones */
	if (scan_runs(s, PASS_TASKS) && ti->status.threads > 1) {
		scan_tasks(s, p, dirfd);
		adopt_task_namespaces(p);
	}
	if (!p->inaccessible && p->state != 'Z')
		note_attached(p);
}

static void scan_process(struct scan *s, const char *name, pid_t pid)
{
	int dirfd = openat(s->procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct thread_info ti;

	if (dirfd < 0)
		return;
	/* a process that is gone by now is skipped without a word */
	if (!read_process_info(s, dirfd, &ti))
		add_process(s, dirfd, pid, &ti);
	close(dirfd);
}

static int scan_processes(struct scan *s)
{
	int fd = dup(s->procfd);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *d;

	if (!dir) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		return -err;
	}
	while ((d = readdir(dir))) {
		pid_t pid;

		if (procfs_parse_pid_name(d->d_name, &pid))
			scan_process(s, d->d_name, pid);
	}
	closedir(dir);
	return 0;
}

/* The one warning: what is missing and what to do about it. */
static void warn_missing(struct scan *s)
{
	struct discovery_info *d = &s->m->discovery;
	char text[640], mounts[160] = "";

	if (d->cap_sys_ptrace && !s->denied && !s->unentered)
		return;
	if (s->unentered)
		snprintf(mounts, sizeof(mounts),
			 "%s%zu mount namespaces without processes could not "
			 "be entered (needs CAP_SYS_ADMIN and CAP_SYS_CHROOT) "
			 "and their bind mounts are missing",
			 s->denied || !d->cap_sys_ptrace ? "; " : "",
			 s->unentered);
	if (!d->cap_sys_ptrace)
		snprintf(text, sizeof(text),
			 "without CAP_SYS_PTRACE, the namespaces of %zu of %zu "
			 "processes could not be read and are missing%s; run "
			 "as root, or with only CAP_SYS_PTRACE: capsh "
			 "--caps='cap_sys_ptrace+eip cap_setpcap,cap_setuid,"
			 "cap_setgid+ep' --keep=1 --user=USER "
			 "--addamb=cap_sys_ptrace -- -c COMMAND",
			 s->denied, s->m->nprocs, mounts);
	else if (s->denied)
		snprintf(text, sizeof(text),
			 "the namespaces of %zu of %zu processes could not be "
			 "read (permission denied) and are missing%s",
			 s->denied, s->m->nprocs, mounts);
	else
		snprintf(text, sizeof(text), "%s", mounts);
	model_add_warning(s->m, text);
}

static int read_self(struct scan *s, pid_t *pid)
{
	char text[32];
	ssize_t n = readlinkat(s->procfd, "self", text, sizeof(text) - 1);

	if (n < 0)
		return errno_means_gone(errno) ? -ESRCH : -errno;
	text[n] = '\0';
	return procfs_parse_pid_name(text, pid) ? 0 : -ESRCH;
}

static void note_passes(struct scan *s)
{
	for (int pass = 0; pass < PASS_COUNT; pass++)
		s->m->discovery.passes[pass] = scan_runs(s, pass);
}

int discover(struct model *m, const struct discover_opts *opts)
{
	struct scan s = { .m = m, .opts = opts, .buf = PROCFS_BUF_INIT };
	struct proc *self;
	int ret;

	s.procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s.procfd < 0)
		return -errno;
	note_passes(&s);
	m->discovery.cap_sys_ptrace = caps_effective_has(CAP_SYS_PTRACE);
	ret = read_self(&s, &m->discovery.pid);
	if (!ret)
		ret = scan_processes(&s);
	if (!ret && scan_runs(&s, PASS_MOUNTS))
		scan_mounts(&s);
	scan_release(&s);
	if (ret < 0)
		return ret;
	self = model_proc(m, m->discovery.pid);
	if (!self || !self->ns[NS_PID])
		return -ESRCH;
	m->discovery.pidns = self->ns[NS_PID];
	m->discovery.inaccessible = s.denied;
	warn_missing(&s);
	model_finish(m);
	return 0;
}

void scan_release(struct scan *s)
{
	close(s->procfd);
	procfs_buf_release(&s->buf);
	hashmap_release(&s->sockets);
	for (size_t i = 0; i < s->mnt_fds.size; i++)
		if (s->mnt_fds.slots[i].key)
			close((int)(intptr_t)s->mnt_fds.slots[i].value - 1);
	hashmap_release(&s->mnt_fds);
}
