/* SPDX-License-Identifier: Apache-2.0 */
#include "discover.h"

#include "caps.h"
#include "procfs.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What one pass over /proc needs to carry around. */
struct scan {
	struct model *m;
	const struct discover_opts *opts;
	int procfd;
	struct procfs_buf buf;
	size_t denied;
};

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

/* Namespace facts, asked once per namespace */

static void learn_facts(struct scan *s, struct ns *ns, int fd);

/* The name of uid in this machine's user database, "" if it has none. */
static char *user_name(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	return xstrdup(pw && pw->pw_name ? pw->pw_name : "");
}

/*
 * The namespace an ioctl answered with: known already, or new and then
 * hidden until some other source turns up. Its facts are learnt through
 * the same fd, so that a hidden namespace needs no path at all.
 */
static struct ns *ns_from_fd(struct scan *s, enum ns_type type, int fd)
{
	uint64_t ino = ns_fd_inode(fd);
	struct ns *ns;

	if (!ino)
		return NULL;
	ns = model_ns(s->m, ino);
	if (!ns)
		ns = model_add_ns(s->m, type, ino);
	if (!ns->facts_known)
		learn_facts(s, ns, fd);
	return ns;
}

static void learn_parent(struct scan *s, struct ns *ns, int fd)
{
	int pfd = ns_get_parent_fd(fd);

	/* EPERM: none, or none we may see; the kernel says no more. */
	if (pfd < 0)
		return;
	ns->parent = ns_from_fd(s, ns->type, pfd);
	close(pfd);
}

static void learn_owner(struct scan *s, struct ns *ns, int fd)
{
	int ufd = ns_get_userns_fd(fd);

	if (ufd < 0)
		return;
	ns->owner = ns_from_fd(s, NS_USER, ufd);
	close(ufd);
}

static void learn_creator(struct ns *ns, int fd)
{
	uid_t uid = 0; /* valgrind does not know this ioctl writes it */

	if (ns_get_owner_uid(fd, &uid) < 0)
		return;
	ns->has_creator = true;
	ns->creator_uid = uid;
	ns->creator_name = user_name(uid);
}

/* A user namespace's owner is its parent; the others have an owner. */
static void learn_facts(struct scan *s, struct ns *ns, int fd)
{
	ns->facts_known = true;
	if (ns->type == NS_USER)
		learn_creator(ns, fd);
	else
		learn_owner(s, ns, fd);
	if (ns_type_is_hierarchical(ns->type))
		learn_parent(s, ns, fd);
}

/* Opens the link once more to ask the kernel about a namespace new to us. */
static void learn_facts_at(struct scan *s, struct ns *ns, int dirfd,
			   const char *link)
{
	int fd = openat(dirfd, link, O_RDONLY | O_CLOEXEC);

	ns->fact_attempts++;
	if (fd < 0)
		return;
	/* the thread may have moved on between readlink and open */
	if (ns_fd_inode(fd) == ns->ino)
		learn_facts(s, ns, fd);
	close(fd);
}

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
	struct ns *ns;

	if (n < 0)
		return -errno;
	if (ns_id_parse(text, (size_t)n, &found, &ino) < 0 || found != type)
		return -EINVAL;
	ns = model_ns(s->m, ino);
	if (!ns)
		ns = model_add_ns(s->m, type, ino);
	if (!ns->facts_known && ns->fact_attempts < 3)
		learn_facts_at(s, ns, dirfd, link);
	*out = ns;
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

static void scan_task(struct scan *s, struct proc *p, int taskfd,
		      const char *name)
{
	int dirfd = openat(taskfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct thread_info ti = { 0 };
	struct task *task;

	if (dirfd < 0)
		return;
	if (read_stat(s, dirfd, &ti.stat) < 0 ||
	    (!p->inaccessible && read_ns_links(s, dirfd, &ti) == -ENOENT)) {
		close(dirfd);
		return;
	}
	close(dirfd);
	task = proc_add_task(p, ti.stat.pid);
	task->name = xstrdup(ti.stat.name);
	task->state = ti.stat.state;
	task->starttime = ti.stat.starttime;
	memcpy(task->ns, ti.ns, sizeof(task->ns));
	memcpy(task->for_children, ti.for_children, sizeof(task->for_children));
}

static bool is_pid_name(const char *name, pid_t *pid)
{
	char *end;
	long v;

	if (*name < '1' || *name > '9')
		return false;
	errno = 0;
	v = strtol(name, &end, 10);
	if (*end || errno || v > INT32_MAX)
		return false;
	*pid = (pid_t)v;
	return true;
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

		if (is_pid_name(d->d_name, &tid) && tid != p->pid)
			scan_task(s, p, taskfd, d->d_name);
	}
	closedir(dir);
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
	/* the status count saves listing task/ for single-threaded ones */
	if (s->opts->tasks && ti->status.threads > 1)
		scan_tasks(s, p, dirfd);
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

		if (is_pid_name(d->d_name, &pid))
			scan_process(s, d->d_name, pid);
	}
	closedir(dir);
	return 0;
}

/* The one warning: what is missing and what to do about it. */
static void warn_missing(struct scan *s)
{
	struct discovery_info *d = &s->m->discovery;
	char text[512];

	if (d->cap_sys_ptrace && !s->denied)
		return;
	if (!d->cap_sys_ptrace)
		snprintf(text, sizeof(text),
			 "without CAP_SYS_PTRACE, the namespaces of %zu of %zu "
			 "processes could not be read and are missing; run as "
			 "root, or with only CAP_SYS_PTRACE: capsh "
			 "--caps='cap_sys_ptrace+eip cap_setpcap,cap_setuid,"
			 "cap_setgid+ep' --keep=1 --user=USER "
			 "--addamb=cap_sys_ptrace -- -c COMMAND",
			 s->denied, s->m->nprocs);
	else
		snprintf(text, sizeof(text),
			 "the namespaces of %zu of %zu processes could not be "
			 "read (permission denied) and are missing",
			 s->denied, s->m->nprocs);
	model_add_warning(s->m, text);
}

static int read_self(struct scan *s, pid_t *pid)
{
	char text[32];
	ssize_t n = readlinkat(s->procfd, "self", text, sizeof(text) - 1);

	if (n < 0)
		return errno_means_gone(errno) ? -ESRCH : -errno;
	text[n] = '\0';
	return is_pid_name(text, pid) ? 0 : -ESRCH;
}

int discover(struct model *m, const struct discover_opts *opts)
{
	struct scan s = { .m = m, .opts = opts, .buf = PROCFS_BUF_INIT };
	struct proc *self;
	int ret;

	s.procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s.procfd < 0)
		return -errno;
	m->discovery.cap_sys_ptrace = caps_effective_has(CAP_SYS_PTRACE);
	ret = read_self(&s, &m->discovery.pid);
	if (!ret)
		ret = scan_processes(&s);
	close(s.procfd);
	procfs_buf_release(&s.buf);
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
