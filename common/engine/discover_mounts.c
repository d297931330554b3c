/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Namespaces bind-mounted (`ip netns add`, `unshare --net=FILE`) in any
 * mount namespace. A mount namespace with a process is read through it:
 * /proc/PID/mountinfo, and paths opened under /proc/PID/root. One without
 * a process (itself held by a bind mount or an fd) is read by listmount
 * and statmount, given an fd of it (Linux 6.18), with no more than
 * CAP_SYS_PTRACE; where the kernel lacks them or refuses, or where they
 * leave a namespace whose facts only an fd can tell, a short-lived child
 * enters it, reads its mountinfo, opens the nsfs mounts and hands them
 * back over a socket with SCM_RIGHTS; the tool itself never leaves its
 * namespaces. Every new mount namespace found joins the list, until no
 * new one turns up; with CAP_SYS_ADMIN the kernel lists them all as well
 * (NS_MNT_GET_NEXT, Linux 6.12).
 *
 * Why mountinfo stays the way for a mount namespace with a process:
 * measured on Linux 6.18 (2 CPUs, a loop of 2000 reads), listmount and
 * statmount (one statmount for the superblock's magic per mount, one more
 * for an nsfs mount's paths) took 33 us for 21 mounts against 42 us for
 * reading mountinfo, but 510 us for 341 mounts against 418 us: a call per
 * mount costs more than the kernel's text, and a host's busy mount
 * namespaces are the large ones. It would also need an fd of the
 * namespace, and mount points seen from the process's root.
 */
#include "engine/discover_internal.h"

#include "engine/caps.h"
#include "engine/mountlist.h"
#include "lib/procpath.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdnoreturn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Mount points are paths; 4096 is PATH_MAX, plus the root text. */
#define MSG_MAX (4096 + 64)

static void add_bindmount_source(struct ns *ns, const struct ns *mntns,
				 const char *path)
{
	ns_add_source(ns, (struct ns_source){ .kind = SOURCE_BINDMOUNT,
					      .path = xstrdup(path),
					      .mntns = mntns->ino });
}

/* Calls fn for every nsfs mount in a mountinfo text (modified in place). */
static void for_each_nsfs_mount(char *text, size_t len,
				void (*fn)(void *ctx,
					   const struct procfs_mount *mount),
				void *ctx)
{
	char *limit = text + len;

	for (char *line = text; line < limit;) {
		char *eol = memchr(line, '\n', (size_t)(limit - line));
		size_t n = (size_t)((eol ? eol : limit) - line);
		struct procfs_mount mount;

		if (!procfs_parse_mountinfo_line(line, n, &mount) &&
		    !strcmp(mount.fstype, "nsfs"))
			fn(ctx, &mount);
		line += n + 1;
	}
}

/* Reading through a process of the mount namespace */

struct process_view {
	struct scan *s;
	struct ns *mntns;
	pid_t pid; /* whose root the mount points are seen through */
};

static void note_process_mount(void *ctx, const struct procfs_mount *mount)
{
	struct process_view *v = ctx;
	char path[4200];
	enum ns_type type;
	uint64_t ino;
	struct ns *ns;

	scan_note_nsfs_mountpoint(v->s, mount->mountpoint);
	if (ns_id_parse(mount->root, strlen(mount->root), &type, &ino) < 0 ||
	    !(v->s->links & NS_TYPE_BIT(type)))
		return;
	if (!procpath(path, sizeof(path), v->pid, 0, "root",
		      mount->mountpoint, NULL))
		return;
	ns = scan_ns(v->s, type, ino, v->s->procfd, path);
	if (ns)
		add_bindmount_source(ns, v->mntns, mount->mountpoint);
}

static void read_through_process(struct scan *s, const struct ns_record *mntns)
{
	struct process_view v = { .s = s, .mntns = mntns->ns,
				  .pid = mntns->some_pid };
	char path[32];
	char *text;
	size_t len;
	int ret;

	if (!procpath(path, sizeof(path), v.pid, 0, "mountinfo", NULL))
		return;
	ret = procfs_read_mountinfo_at(s->procfd, path, &s->buf);
	if (ret < 0) {
		if (procfs_failure_of(-ret) == PROCFS_FAILED)
			s->mntns_failed++;
		return;
	}
	/* the callbacks read files through s->buf: work on a copy */
	len = s->buf.len;
	text = xstrndup(s->buf.data, len);
	for_each_nsfs_mount(text, len, note_process_mount, &v);
	free(text);
}

/* What listmount found */

/* The nsfs mounts listmount found, until it is decided how to read them. */
struct listed_mount {
	char *root;
	char *mountpoint;
};

struct listed_mounts {
	struct listed_mount *items;
	size_t n, alloc;
};

static void collect_mount(void *ctx, const struct procfs_mount *mount)
{
	struct listed_mounts *l = ctx;
	struct listed_mount lm = { .root = xstrdup(mount->root),
				   .mountpoint = xstrdup(mount->mountpoint) };

	VEC_PUSH(l->items, l->n, l->alloc, lm);
}

static void listed_mounts_release(struct listed_mounts *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].root);
		free(l->items[i].mountpoint);
	}
	free(l->items);
}

/* Entering a mount namespace without processes */

/* The child's half: one message per nsfs mount, "ROOT\0MOUNTPOINT", + fd. */
static void send_mount(int sock, const char *root, const char *mountpoint,
		       int fd)
{
	char buf[MSG_MAX];
	size_t rlen = strlen(root) + 1, mlen = strlen(mountpoint);
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control = { 0 };
	struct iovec iov = { .iov_base = buf };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (rlen + mlen > sizeof(buf))
		return;
	memcpy(buf, root, rlen);
	memcpy(buf + rlen, mountpoint, mlen);
	iov.iov_len = rlen + mlen;
	if (fd >= 0) {
		struct cmsghdr *c;

		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	sendmsg(sock, &msg, MSG_NOSIGNAL);
}

static void child_send_mount(void *ctx, const struct procfs_mount *mount)
{
	int sock = *(int *)ctx;
	int fd = open(mount->mountpoint, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	send_mount(sock, mount->root, mount->mountpoint, fd);
	if (fd >= 0)
		close(fd);
}

/*
 * setns into the mount namespace; where the caller lacks CAP_SYS_ADMIN
 * over it, into its owning user namespace first.
 */
static int enter_mntns(int mntfd)
{
	int userfd;

	if (!setns(mntfd, CLONE_NEWNS))
		return 0;
	userfd = ns_get_userns_fd(mntfd);
	if (userfd < 0 || setns(userfd, CLONE_NEWUSER) < 0)
		return -1;
	close(userfd);
	return setns(mntfd, CLONE_NEWNS);
}

/* The mount points listmount found are in the child's copy of our memory. */
static void child_send_listed(int sock, const struct listed_mounts *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct listed_mount *lm = &l->items[i];
		struct procfs_mount mount = { .root = lm->root,
					      .mountpoint = lm->mountpoint };

		child_send_mount(&sock, &mount);
	}
}

/*
 * The child opens the nsfs mounts that listmount found (l), or else those
 * its mountinfo shows. /proc/self is opened before setns: the mount
 * namespace entered may have no procfs, and mountinfo shows the namespace
 * the task is in at open.
 */
static noreturn void child_read_mounts(int sock, int mntfd,
				       const struct listed_mounts *l)
{
	int self = -1;
	struct procfs_buf buf = PROCFS_BUF_INIT;

	if (!l)
		self = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if ((!l && self < 0) || caps_raise_for_setns() < 0 ||
	    enter_mntns(mntfd) < 0)
		_exit(1);
	if (l) {
		child_send_listed(sock, l);
		_exit(0);
	}
	if (procfs_read_at(self, "mountinfo", &buf) < 0)
		_exit(1);
	for_each_nsfs_mount(buf.data, buf.len, child_send_mount, &sock);
	_exit(0);
}

/* The parent's half: one message, its fd if any. Returns the length or -1. */
static ssize_t receive_mount(int sock, char *buf, size_t size, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *c;
	ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);

	*fd = -1;
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	return n;
}

/* A mount namespace handed back stays open, to be entered in its turn. */
static void keep_mntns_fd(struct scan *s, const struct ns *ns, int *fd)
{
	if (ns->type != NS_MNT || scan_lookup_record(s, ns->ino)->some_pid ||
	    intmap_has(&s->mnt_fds, ns->ino))
		return;
	intmap_put(&s->mnt_fds, ns->ino, (uint64_t)*fd);
	*fd = -1;
}

static void note_received_mount(struct scan *s, struct ns *mntns,
				const char *root, const char *mountpoint,
				int fd)
{
	const struct ns_record *rec;
	enum ns_type type;
	uint64_t ino;
	struct ns *ns;

	scan_note_nsfs_mountpoint(s, mountpoint);
	if (ns_id_parse(root, strlen(root), &type, &ino) < 0 ||
	    !(s->links & NS_TYPE_BIT(type))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	if (fd >= 0 && ns_fd_inode(fd) == ino) {
		ns = scan_ns_from_fd(s, type, fd);
		if (ns)
			keep_mntns_fd(s, ns, &fd);
	} else {
		rec = scan_record(s, type, ino);
		ns = rec ? rec->ns : NULL; /* its inode reused: see scan_ns */
	}
	if (ns)
		add_bindmount_source(ns, mntns, mountpoint);
	if (fd >= 0)
		close(fd);
}

/*
 * The child only reads /proc and opens mount points, but a mount point
 * can hang (a dead network filesystem): a child silent for that long is
 * killed, and the namespace counts as not entered.
 */
#define CHILD_SILENCE_MS 5000

static void receive_mounts(struct scan *s, struct ns *mntns, int sock,
			   pid_t child)
{
	char *buf = xmalloc(MSG_MAX + 1);
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	int fd;

	for (;;) {
		int ready = poll(&pfd, 1, CHILD_SILENCE_MS);

		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0) {
			kill(child, SIGKILL);
			break;
		}
		if (receive_mount(sock, buf, MSG_MAX + 1, &fd) <= 0)
			break;
		note_received_mount(s, mntns, buf, buf + strlen(buf) + 1, fd);
	}
	free(buf);
}

/* The path, relative to /proc, that opens a source of a mount namespace. */
static bool source_path(struct scan *s, const struct ns_source *src,
			char *path, size_t size)
{
	const struct ns_record *holder = scan_lookup_record(s, src->mntns);
	char number[24];

	if (src->kind == SOURCE_FD)
		return procpath(path, size, src->pid, src->tid, "fd/",
				str_uint(number, (unsigned)src->fd), NULL);
	if (src->kind == SOURCE_BINDMOUNT && holder && holder->some_pid)
		return procpath(path, size, holder->some_pid, 0, "root",
				src->path, NULL);
	return false;
}

/* An fd of a mount namespace that has no process: kept, or reopened. */
static int open_mntns(struct scan *s, const struct ns *mntns)
{
	char path[4200];

	if (intmap_has(&s->mnt_fds, mntns->ino))
		return fcntl((int)intmap_get(&s->mnt_fds, mntns->ino),
			     F_DUPFD_CLOEXEC, 0);
	for (size_t i = 0; i < mntns->nsources; i++) {
		int fd;

		if (!source_path(s, &mntns->sources[i], path, sizeof(path)))
			continue;
		fd = openat(s->procfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd >= 0 && ns_fd_inode(fd) == mntns->ino)
			return fd;
		if (fd >= 0)
			close(fd);
	}
	return -1;
}

/* True when the child entered the namespace and read it. */
static bool child_succeeded(pid_t child)
{
	int status;

	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * Whether the child entered mntns (mntfd, kept open) and read it: the
 * mounts listmount found (l), or when it found none (NULL), all.
 */
static bool read_by_entering(struct scan *s, struct ns *mntns, int mntfd,
			     const struct listed_mounts *l)
{
	int sv[2];
	pid_t child;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return false;
	child = fork();
	if (child == 0) {
		close(sv[0]);
		child_read_mounts(sv[1], mntfd, l);
	}
	close(sv[1]);
	if (child > 0)
		receive_mounts(s, mntns, sv[0], child);
	close(sv[0]);
	return child > 0 && child_succeeded(child);
}

/* Reading by listmount, without entering */

/* Whether the namespace mounted there has facts nothing has told yet. */
static bool lacks_facts(const struct scan *s, const char *root)
{
	const struct ns_record *rec;
	enum ns_type type;
	uint64_t ino;

	if (ns_id_parse(root, strlen(root), &type, &ino) < 0 ||
	    !(s->links & NS_TYPE_BIT(type)))
		return false;
	rec = scan_lookup_record(s, ino);
	return !rec || (!rec->facts_known && rec->ns->type == type);
}

static bool any_lacks_facts(const struct scan *s,
			    const struct listed_mounts *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (lacks_facts(s, l->items[i].root))
			return true;
	return false;
}

/* Whether ns has that bind mount among its sources already. */
static bool has_bindmount(const struct scan *s, const char *root,
			  const struct ns *mntns, const char *path)
{
	enum ns_type type;
	uint64_t ino;
	const struct ns_record *rec;

	if (ns_id_parse(root, strlen(root), &type, &ino) < 0)
		return false;
	rec = scan_lookup_record(s, ino);
	for (size_t i = 0; rec && i < rec->ns->nsources; i++) {
		const struct ns_source *src = &rec->ns->sources[i];

		if (src->kind == SOURCE_BINDMOUNT && src->mntns == mntns->ino &&
		    !strcmp(src->path, path))
			return true;
	}
	return false;
}

/*
 * Records what listmount found, with no fd: a namespace new to the scan
 * is known by its inode alone. After a child that failed half-way
 * (again), what it handed back is not recorded twice.
 */
static void note_listed_mounts(struct scan *s, struct ns *mntns,
			       const struct listed_mounts *l, bool again)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct listed_mount *lm = &l->items[i];

		if (again && has_bindmount(s, lm->root, mntns, lm->mountpoint))
			continue;
		note_received_mount(s, mntns, lm->root, lm->mountpoint, -1);
	}
}

/*
 * Whether the child may enter mntns: with CAP_SYS_ADMIN, or through its
 * owner, a user namespace that our user made (enter_mntns). Elsewhere it
 * would only fail, after a fork.
 */
static bool may_enter(const struct scan *s, const struct ns *mntns)
{
	const struct ns *owner = mntns->owner;

	return s->may_setns || (owner && owner->has_creator &&
				owner->creator_uid == geteuid());
}

/*
 * When the child could not enter: what listmount read stays (only the
 * facts it would have added are missing); without it, the namespace
 * counts as unread, and how it was tried with it.
 */
static void note_unentered(struct scan *s, struct ns *mntns,
			   const struct listed_mounts *l, int listed)
{
	if (!listed) {
		note_listed_mounts(s, mntns, l, true);
		return;
	}
	s->mntns_unentered++;
	if (!mountlist_missing(listed))
		s->mntns_refused++;
}

/*
 * A mount namespace without processes. listmount reads it without a
 * child and without CAP_SYS_ADMIN, but gives no fd of what is mounted in
 * it, and only an fd tells a namespace's owner, parent and creator: where
 * it finds a namespace whose facts nothing told yet, and the child may
 * enter, the child reads the mount namespace instead, for the fds. Most
 * of what is mounted in such a namespace (a copy of another) is known
 * already, and it costs no fork. Where the kernel lacks listmount by fd
 * or refuses it, the child reads it, as before.
 */
static void read_without_process(struct scan *s, struct ns *mntns)
{
	struct listed_mounts l = { 0 };
	int fd = open_mntns(s, mntns);
	int listed = -ENOSYS; /* as where the kernel lacks it */

	if (fd < 0) {
		s->mntns_unopened++;
		return;
	}
	if (!s->fallbacks_only)
		listed = mountlist_nsfs(fd, collect_mount, &l);
	if (!listed && !(any_lacks_facts(s, &l) && may_enter(s, mntns)))
		note_listed_mounts(s, mntns, &l, false);
	else if (!read_by_entering(s, mntns, fd, listed ? NULL : &l))
		note_unentered(s, mntns, &l, listed);
	close(fd);
	listed_mounts_release(&l);
}

void scan_mounts(struct scan *s)
{
	/* new mount namespaces are appended to the records while this runs */
	for (size_t i = 0; i < s->nrecords; i++) {
		struct ns_record *rec = s->record_list[i];

		if (rec->ns->type != NS_MNT || rec->mounts_read)
			continue;
		rec->mounts_read = true;
		if (rec->some_pid)
			read_through_process(s, rec);
		else
			read_without_process(s, rec->ns);
	}
}

/* Mount namespaces listed by the kernel */

struct fd_list {
	int *items;
	size_t n, alloc;
};

/*
 * The kernel walks the mount namespaces in the order of their IDs, from
 * the one given: ours, whose ID may be anywhere in it, so both ways. An
 * error ends the walk: ENOENT at its end, EPERM without CAP_SYS_ADMIN,
 * ENOTTY or EINVAL before Linux 6.12; none of them is a loss to count.
 * A namespace met twice (the walk went round, which its order should
 * never let happen) ends it too. Each fd is the next step's start.
 */
static void walk_mntns(int own, bool prev, struct intmap *seen,
		       struct fd_list *fds)
{
	int fd = own;

	for (;;) {
		int next = ns_mnt_next_fd(fd, prev);
		uint64_t ino;

		if (next < 0)
			return;
		ino = ns_fd_inode(next);
		if (!ino || intmap_has(seen, ino)) {
			close(next);
			return;
		}
		intmap_put(seen, ino, 0);
		VEC_PUSH(fds->items, fds->n, fds->alloc, next);
		fd = next;
	}
}

/*
 * Records a mount namespace the kernel listed, with its facts; its fd is
 * kept, to read its mounts, when no process leads to it, else closed.
 */
static void note_listed_mntns(struct scan *s, int fd)
{
	struct ns *ns = scan_ns_from_fd(s, NS_MNT, fd);
	struct ns_record *rec = ns ? scan_lookup_record(s, ns->ino) : NULL;

	if (rec)
		rec->listed = true;
	if (rec && !rec->some_pid && !intmap_has(&s->mnt_fds, ns->ino))
		intmap_put(&s->mnt_fds, ns->ino, (uint64_t)fd);
	else
		close(fd);
}

/*
 * The kernel lists only the mount namespaces the caller has CAP_SYS_ADMIN
 * over: it is effective for the walk alone (HACKING.md, "Capabilities
 * only while discovery runs"), in the one thread that runs at the time,
 * and the facts are asked without it.
 */
void scan_listed_mntns(struct scan *s)
{
	struct fd_list fds = { 0 };
	struct intmap seen;
	int own;

	if (s->fallbacks_only)
		return;
	own = openat(s->procfd, "self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (own < 0)
		return;
	intmap_init(&seen);
	intmap_put(&seen, ns_fd_inode(own), 0);
	if (s->may_setns)
		caps_admin_effective(true);
	walk_mntns(own, false, &seen, &fds);
	walk_mntns(own, true, &seen, &fds);
	if (s->may_setns)
		caps_admin_effective(false);
	close(own);
	intmap_release(&seen);
	for (size_t i = 0; i < fds.n; i++)
		note_listed_mntns(s, fds.items[i]);
	free(fds.items);
}

/* The set of the mount namespaces a process or thread of the model is in. */
static void mntns_in_use(const struct model *m, struct intmap *set)
{
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct proc *p = m->procs[i];

		if (p->ns[NS_MNT])
			intmap_put(set, p->ns[NS_MNT]->ino, 0);
		for (size_t j = 0; j < p->ntasks; j++)
			if (p->tasks[j].ns[NS_MNT])
				intmap_put(set, p->tasks[j].ns[NS_MNT]->ino, 0);
	}
}

/* Process and task sources are derived later: the processes tell them. */
void scan_add_listed_sources(struct scan *s)
{
	struct intmap in_use;

	intmap_init(&in_use);
	mntns_in_use(s->m, &in_use);
	for (size_t i = 0; i < s->nrecords; i++) {
		struct ns *ns = s->record_list[i]->ns;

		if (s->record_list[i]->listed && !ns->nsources &&
		    !intmap_has(&in_use, ns->ino))
			ns_add_source(ns, (struct ns_source){
						  .kind = SOURCE_LISTED });
	}
	intmap_release(&in_use);
}
