/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Namespaces bind-mounted (`ip netns add`, `unshare --net=FILE`) in any
 * mount namespace. A mount namespace with a process is read through it:
 * /proc/PID/mountinfo, and paths opened under /proc/PID/root. One without
 * a process (itself held by a bind mount or an fd) is entered by a
 * short-lived child, which reads its mountinfo, opens the nsfs mounts and
 * hands them back over a socket with SCM_RIGHTS; the tool itself never
 * leaves its namespaces. Every new mount namespace found joins the list,
 * until no new one turns up.
 */
#include "engine/discover_internal.h"

#include "engine/caps.h"
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

/*
 * /proc/self is opened before setns: the mount namespace entered may have
 * no procfs, and mountinfo shows the namespace the task is in at open.
 */
static noreturn void child_read_mounts(int sock, int mntfd)
{
	int self = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct procfs_buf buf = PROCFS_BUF_INIT;

	if (self < 0 || caps_raise_for_setns() < 0 || enter_mntns(mntfd) < 0)
		_exit(1);
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

static void read_by_entering(struct scan *s, struct ns *mntns)
{
	int mntfd = open_mntns(s, mntns);
	int sv[2];
	pid_t child;

	if (mntfd < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		if (mntfd >= 0)
			close(mntfd);
		s->unentered++;
		return;
	}
	child = fork();
	if (child == 0) {
		close(sv[0]);
		child_read_mounts(sv[1], mntfd);
	}
	close(sv[1]);
	close(mntfd);
	if (child > 0)
		receive_mounts(s, mntns, sv[0], child);
	close(sv[0]);
	if (child < 0 || !child_succeeded(child))
		s->unentered++;
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
			read_by_entering(s, rec->ns);
	}
}
