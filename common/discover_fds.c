/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Namespaces held by open file descriptors: nsfs files (a runtime keeping
 * a namespace alive by an fd) and sockets (a socket keeps the network
 * namespace it was created in alive, even after its process went home).
 */
#include "discover_internal.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/* Stored in the socket cache for sockets that could not be asked. */
static struct ns unknown_netns;

/* One fd table being read: whose it is and a pidfd, opened when needed. */
struct fd_table {
	struct proc *p;
	pid_t tid;    /* 0: the process's own table */
	int pidfd;    /* -1: not opened yet; -2: cannot be had */
};

static void add_fd_source(struct ns *ns, enum source_kind kind,
			  const struct fd_table *t, int fd)
{
	ns_add_source(ns, (struct ns_source){ .kind = kind,
					      .pid = t->p->pid,
					      .tid = t->tid,
					      .fd = fd });
}

static int table_pidfd(struct fd_table *t)
{
	pid_t who = t->tid ? t->tid : t->p->pid;

	if (t->pidfd == -1) {
		t->pidfd = (int)syscall(SYS_pidfd_open, who, 0);
		if (t->pidfd < 0)
			t->pidfd = -2;
	}
	return t->pidfd;
}

/*
 * Asks the kernel for a socket's network namespace: a copy of the fd
 * (pidfd_getfd, Linux 5.6), then SIOCGSKNS. Any failure (an old kernel,
 * no right to the copy, the fd closed meanwhile) leaves it unknown.
 */
static struct ns *ask_socket_netns(struct scan *s, struct fd_table *t, int fd)
{
	int pidfd = table_pidfd(t);
	int sock, netfd;
	struct ns *ns = NULL;

	if (pidfd < 0)
		return NULL;
	sock = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (sock < 0)
		return NULL;
	netfd = ioctl(sock, SIOCGSKNS);
	close(sock);
	if (netfd < 0)
		return NULL;
	ns = scan_ns_from_fd(s, NS_NET, netfd);
	close(netfd);
	return ns;
}

/*
 * A socket counts as a source of its network namespace only when that is
 * not the namespace its holder sits in: that is what keeps a namespace
 * alive behind a process's back. Each socket inode is asked about once.
 */
static void note_socket(struct scan *s, struct fd_table *t, int fd,
			uint64_t ino)
{
	struct ns *ns = hashmap_get(&s->sockets, ino);
	struct ns *own = t->p->ns[NS_NET];

	if (!ns) {
		ns = ask_socket_netns(s, t, fd);
		hashmap_put(&s->sockets, ino, ns ? ns : &unknown_netns);
	}
	if (ns && ns != &unknown_netns && ns != own)
		add_fd_source(ns, SOURCE_SOCKET, t, fd);
}

static bool parse_socket_link(const char *text, size_t len, uint64_t *ino)
{
	static const char prefix[] = "socket:[";
	char digits[24];
	size_t n = len - (sizeof(prefix) - 1) - 1;
	char *end;

	if (len <= sizeof(prefix) || memcmp(text, prefix, sizeof(prefix) - 1) ||
	    text[len - 1] != ']' || n >= sizeof(digits))
		return false;
	memcpy(digits, text + sizeof(prefix) - 1, n);
	digits[n] = '\0';
	errno = 0;
	*ino = strtoull(digits, &end, 10);
	return !errno && *end == '\0' && *ino;
}

static void note_fd(struct scan *s, struct fd_table *t, int fdfd,
		    const char *name)
{
	char text[64];
	ssize_t n = readlinkat(fdfd, name, text, sizeof(text));
	enum ns_type type;
	uint64_t ino;
	char *end;
	long fd = strtol(name, &end, 10);

	if (n <= 0 || *end || fd < 0 || fd > INT32_MAX)
		return;
	if (!ns_id_parse(text, (size_t)n, &type, &ino)) {
		if (s->links & NS_TYPE_BIT(type))
			add_fd_source(scan_ns(s, type, ino, fdfd, name),
				      SOURCE_FD, t, (int)fd);
		return;
	}
	if (scan_runs(s, PASS_SOCKETS) && (s->links & NS_TYPE_BIT(NS_NET)) &&
	    parse_socket_link(text, (size_t)n, &ino))
		note_socket(s, t, (int)fd, ino);
}

struct fd_scan {
	struct scan *s;
	struct fd_table *t;
	int fdfd;
};

static void note_fd_entry(void *ctx, const char *name)
{
	struct fd_scan *fs = ctx;

	note_fd(fs->s, fs->t, fs->fdfd, name);
}

void scan_fds(struct scan *s, struct proc *p, pid_t tid, int dirfd,
	      const char *path)
{
	struct fd_table t = { .p = p, .tid = tid, .pidfd = -1 };
	struct fd_scan fs = { .s = s, .t = &t };

	fs.fdfd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fs.fdfd < 0)
		return;
	procfs_for_each_entry(fs.fdfd, note_fd_entry, &fs);
	close(fs.fdfd);
	if (t.pidfd >= 0)
		close(t.pidfd);
}
