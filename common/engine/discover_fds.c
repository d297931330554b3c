/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Namespaces held by open file descriptors: nsfs files (a runtime keeping
 * a namespace alive by an fd) and sockets (a socket keeps the network
 * namespace it was created in alive, even after its process went home).
 */
#include "engine/discover_internal.h"

#include "lib/number.h"
#include "lib/procpath.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
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

/* Socket inodes, in links and in the tables of /proc/PID/net. */
static const struct number_range socket_inode = { 1, UINT64_MAX, 0 };

/* Stored in the socket cache for sockets that could not be asked. */
static struct ns unknown_netns;

/* One fd table being read: whose it is and a pidfd, opened when needed. */
struct fd_table {
	struct proc *p;
	pid_t tid;          /* 0: the process's own table */
	struct ns *netns;   /* the network namespace of its holder */
	int pidfd;          /* -1: not opened yet; -2: cannot be had */
};

/*
 * The tables in /proc/PID/net that list a network namespace's sockets,
 * with the (0-based, blank-separated) field that holds the inode, in the
 * order they are worth reading: the TCP tables walk the kernel's whole
 * connection hash (milliseconds on a large machine, however few sockets
 * a namespace has), the others are cheap.
 */
static const struct {
	const char *name;
	int inode_field;
	int level; /* read once a namespace has this many unlisted sockets */
} socket_tables[] = {
	{ "unix", 6, 16 },     { "netlink", 9, 16 }, { "packet", 8, 16 },
	{ "udp", 9, 16 },      { "udp6", 9, 16 },    { "raw", 9, 16 },
	{ "raw6", 9, 16 },     { "udplite", 9, 16 }, { "udplite6", 9, 16 },
	{ "icmp", 9, 16 },     { "icmp6", 9, 16 },   { "tcp", 9, 256 },
	{ "tcp6", 9, 256 },
};

/* What a network namespace's tables told so far. */
struct netns_sockets {
	struct intmap inodes;  /* the set of the sockets listed */
	size_t misses;         /* its sockets not listed in what was read */
	size_t tables_read;    /* socket_tables[0..tables_read) are in */
};

/* Field i of a line, blanks skipped; NULL when the line is shorter. */
static const char *line_field(const char *line, const char *eol, int i)
{
	const char *p = line;

	for (;;) {
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= eol)
			return NULL;
		if (i-- == 0)
			return p;
		while (p < eol && *p != ' ' && *p != '\t')
			p++;
	}
}

static void add_table_inodes(struct intmap *set, const char *text,
			     int field)
{
	const char *eol;

	/* the first line is a header */
	for (const char *line = strchr(text, '\n'); line; line = eol) {
		const char *f, *end;
		uint64_t ino;

		line++;
		eol = strchr(line, '\n');
		if (!eol)
			eol = line + strlen(line);
		f = line_field(line, eol, field);
		if (f && !number_parse_prefix(f, eol, socket_inode, &ino, &end))
			intmap_put(set, ino, 0);
		if (!*eol)
			break;
	}
}

static void read_socket_table(struct reader *r, const struct fd_table *t,
			      struct netns_sockets *ns, size_t i)
{
	char path[96];

	if (procpath(path, sizeof(path), t->p->pid, t->tid, "net/",
		     socket_tables[i].name, NULL) &&
	    !procfs_read_at(r->procfd, path, &r->buf))
		add_table_inodes(&ns->inodes, r->buf.data,
				 socket_tables[i].inode_field);
}

/*
 * Whether the holder's network namespace lists the socket, read through
 * the holder (it sits in it). The tables are read only once a namespace
 * has had enough sockets to ask about to be worth it, the costly ones
 * last: a namespace with a few sockets costs a few questions, one with
 * thousands a few table reads. The lock held: the tables are read once
 * for all readers.
 */
static bool listed_at_home(struct reader *r, const struct fd_table *t,
			   uint64_t ino)
{
	struct scan *s = r->s;
	struct netns_sockets *ns = hashmap_get(&s->netns_sockets,
					       t->netns->ino);

	if (!ns) {
		ns = xcalloc(1, sizeof(*ns));
		intmap_init(&ns->inodes);
		hashmap_put(&s->netns_sockets, t->netns->ino, ns);
	}
	if (intmap_has(&ns->inodes, ino))
		return true;
	ns->misses++;
	while (ns->tables_read < ARRAY_SIZE(socket_tables) &&
	       ns->misses >= (size_t)socket_tables[ns->tables_read].level) {
		read_socket_table(r, t, ns, ns->tables_read++);
		if (intmap_has(&ns->inodes, ino))
			return true;
	}
	return false;
}

void scan_release_sockets(struct scan *s)
{
	for (struct hashmap_iter it = HASHMAP_ITER_INIT;
	     hashmap_next(&s->netns_sockets, &it);) {
		struct netns_sockets *ns = it.value;

		intmap_release(&ns->inodes);
		free(ns);
	}
	hashmap_release(&s->netns_sockets);
	hashmap_release(&s->sockets);
}

static void add_fd_source(struct scan *s, struct ns *ns,
			  enum source_kind kind, const struct fd_table *t,
			  int fd)
{
	if (!ns)
		return; /* its inode reused: see scan_ns */
	scan_lock(s);
	ns_add_source(ns, (struct ns_source){ .kind = kind,
					      .pid = t->p->pid,
					      .tid = t->tid,
					      .fd = fd });
	scan_unlock(s);
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
static struct ns *ask_socket_netns(struct reader *r, struct fd_table *t,
				    int fd)
{
	int pidfd = table_pidfd(t);
	int sock, netfd;
	struct ns *ns = NULL;

	if (pidfd < 0)
		return NULL;
	sock = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (sock < 0 && procfs_failure_of(errno) == PROCFS_DENIED)
		r->sockets_unasked++;
	if (sock < 0)
		return NULL;
	netfd = ioctl(sock, SIOCGSKNS);
	if (netfd < 0 && procfs_failure_of(errno) == PROCFS_DENIED)
		r->sockets_unasked++;
	reader_done_fd(r, sock);
	if (netfd < 0)
		return NULL;
	ns = scan_ns_from_fd(r->s, NS_NET, netfd);
	reader_done_fd(r, netfd);
	return ns;
}

/*
 * A socket counts as a source of its network namespace only when that is
 * not the namespace its holder sits in: that is what keeps a namespace
 * alive behind a process's back. A socket its holder's namespace lists is
 * at home; any other inode is asked about, once (two readers that both
 * hold a socket may both ask, and learn the same).
 */
static void note_socket(struct reader *r, struct fd_table *t, int fd,
			uint64_t ino)
{
	struct scan *s = r->s;
	struct ns *ns;

	scan_lock(s);
	ns = hashmap_get(&s->sockets, ino);
	if (!ns && t->netns && listed_at_home(r, t, ino))
		ns = t->netns;
	scan_unlock(s);
	if (!ns) {
		ns = ask_socket_netns(r, t, fd);
		if (!ns)
			ns = &unknown_netns;
		scan_lock(s);
		hashmap_put(&s->sockets, ino, ns);
		scan_unlock(s);
	}
	if (ns != &unknown_netns && ns != t->netns)
		add_fd_source(s, ns, SOURCE_SOCKET, t, fd);
}

static bool parse_socket_link(const char *text, size_t len, uint64_t *ino)
{
	static const char prefix[] = "socket:[";
	size_t skip = sizeof(prefix) - 1;

	if (len <= sizeof(prefix) || memcmp(text, prefix, skip) ||
	    text[len - 1] != ']')
		return false;
	return !number_parse(text + skip, len - skip - 1, socket_inode, ino);
}

/* FNV-1a, never 0: a path's key in the mount point set. */
static uint64_t path_key(const char *path)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *path; path++)
		h = (h ^ (unsigned char)*path) * 0x100000001b3ULL;
	return h ? h : 1;
}

void scan_note_nsfs_mountpoint(struct scan *s, const char *path)
{
	intmap_put(&s->nsfs_mountpoints, path_key(path), 0);
}

/*
 * A namespace file opened through a bind mount reads as the mount point
 * ("/run/netns/x", or "/" once unmounted), not as "net:[...]". Such an fd
 * is kept for scan_path_fds, which needs the mount points; devices are
 * left out: every process has a few, and no namespace is bind-mounted
 * there in earnest.
 */
static void keep_path_fd(struct reader *r, const struct fd_table *t, int fd,
			 const char *text)
{
	struct path_fd pf = { .pid = t->p->pid, .tid = t->tid, .fd = fd };

	if (text[0] != '/' || !strncmp(text, "/dev/", 5))
		return;
	pf.path = xstrdup(text);
	VEC_PUSH(r->path_fds, r->npath_fds, r->path_fds_alloc, pf);
}

/* Whether a kept fd is a namespace file: nsfs is one device. */
static void check_path_fd(struct scan *s, const struct path_fd *pf)
{
	char number[24], path[64];
	struct stat st;
	enum ns_type type;
	const struct ns_record *rec;
	struct ns *ns;
	int fd;

	if (!procpath(path, sizeof(path), pf->pid, pf->tid, "fd/",
		      str_uint(number, (unsigned)pf->fd), NULL) ||
	    fstatat(s->procfd, path, &st, 0) < 0 || st.st_dev != s->nsfs_dev)
		return;
	fd = openat(s->procfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return;
	if (!ns_get_type(fd, &type) && (s->links & NS_TYPE_BIT(type))) {
		rec = scan_lookup_record(s, (uint64_t)st.st_ino);
		ns = rec && rec->facts_known && rec->ns->type == type
			     ? rec->ns
			     : scan_ns_from_fd(s, type, fd);
		if (ns)
			ns_add_source(ns, (struct ns_source){
						  .kind = SOURCE_FD,
						  .pid = pf->pid,
						  .tid = pf->tid,
						  .fd = pf->fd });
	}
	close(fd);
}

void scan_path_fds_release(struct scan *s)
{
	for (size_t i = 0; i < s->npath_fds; i++)
		free(s->path_fds[i].path);
	free(s->path_fds);
	s->path_fds = NULL;
	s->npath_fds = s->path_fds_alloc = 0;
	intmap_release(&s->nsfs_mountpoints);
}

void scan_path_fds(struct scan *s)
{
	bool all = !scan_runs(s, PASS_MOUNTS);

	for (size_t i = 0; i < s->npath_fds; i++) {
		struct path_fd *pf = &s->path_fds[i];

		if (all || !strcmp(pf->path, "/") ||
		    intmap_has(&s->nsfs_mountpoints, path_key(pf->path)))
			check_path_fd(s, pf);
	}
	scan_path_fds_release(s);
}

/*
 * Reads the link of fd number fd, path relative to dirfd, and notes what
 * it holds. Returns 0, or -errno of the read (ENOENT: no such fd).
 */
static int note_fd(struct reader *r, struct fd_table *t, int dirfd,
		   const char *path, int fd)
{
	struct scan *s = r->s;
	char text[4097];
	ssize_t n = readlinkat(dirfd, path, text, sizeof(text) - 1);
	enum ns_type type;
	uint64_t ino;

	if (n < 0)
		return -errno;
	text[n] = '\0';
	if (!ns_id_parse(text, (size_t)n, &type, &ino)) {
		if (s->links & NS_TYPE_BIT(type))
			add_fd_source(s, scan_ns(s, type, ino, dirfd, path),
				      SOURCE_FD, t, fd);
		return 0;
	}
	if (text[0] == '/') {
		keep_path_fd(r, t, fd, text);
		return 0;
	}
	if (scan_runs(s, PASS_SOCKETS) && (s->links & NS_TYPE_BIT(NS_NET)) &&
	    parse_socket_link(text, (size_t)n, &ino))
		note_socket(r, t, fd, ino);
	return 0;
}

/*
 * An fd table that could not be read (ret: -errno) counts as denied or
 * as unread; one whose holder is gone is no loss.
 */
static void note_unread_fd_table(struct reader *r, int ret)
{
	switch (procfs_failure_of(-ret)) {
	case PROCFS_GONE:
		break;
	case PROCFS_DENIED:
		r->fds_denied++;
		break;
	case PROCFS_FAILED:
		r->fd_tables_failed++;
		break;
	}
}

struct fd_listing {
	struct reader *r;
	struct fd_table *t;
	int fdfd;
	int from; /* fds below were read already */
	int err;  /* the first fd that failed, other than by closing: -errno */
};

static void note_listed_fd(void *ctx, const char *name)
{
	struct fd_listing *fl = ctx;
	struct number_range unread = { (uint64_t)fl->from, INT32_MAX,
				       NUMBER_CANONICAL };
	uint64_t fd;
	int ret;

	if (number_parse_str(name, unread, &fd) < 0)
		return;
	ret = note_fd(fl->r, fl->t, fl->fdfd, name, (int)fd);
	if (ret < 0 && !fl->err && procfs_failure_of(-ret) != PROCFS_GONE)
		fl->err = ret;
}

/*
 * The fds from `from` on, by listing the fd directory dir. The table
 * counts once as unread when the listing or an fd in it failed.
 */
static void list_fds(struct reader *r, struct fd_table *t, int dirfd,
		     const char *dir, int from)
{
	struct fd_listing fl = { .r = r, .t = t, .from = from };
	int ret;

	fl.fdfd = openat(dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fl.fdfd < 0) {
		note_unread_fd_table(r, -errno);
		return;
	}
	ret = procfs_for_each_entry(fl.fdfd, note_listed_fd, &fl);
	if (ret < 0 || fl.err < 0)
		note_unread_fd_table(r, ret < 0 ? ret : fl.err);
	reader_done_fd(r, fl.fdfd);
}

/*
 * Holes in a table that probe_fds steps over before it lists the rest:
 * each costs a call, and a listing three.
 */
#define MAX_PROBE_MISSES 2

/*
 * The fds of a table without listing it: the fd directory's size is the
 * number of open fds (Linux 6.2), and the kernel gives out the lowest fd
 * free, so a table is mostly 0..n-1. Reading fd 0, 1, ... until n were
 * found costs a call per fd; a table with more holes is listed from where
 * the reading stopped.
 */
static void probe_fds(struct reader *r, struct fd_table *t, int dirfd,
		      const char *dir, long long nfds)
{
	char path[64], number[24];
	int misses = 0;

	for (int fd = 0; nfds > 0; fd++) {
		int ret;

		if (!str_join(path, sizeof(path), dir, "/",
			      str_uint(number, (unsigned)fd), NULL))
			return;
		ret = note_fd(r, t, dirfd, path, fd);
		if (!ret) {
			nfds--;
		} else if (ret != -ENOENT) {
			/* denied, the process gone (ESRCH), or failed */
			note_unread_fd_table(r, ret);
			return;
		} else if (++misses > MAX_PROBE_MISSES) {
			list_fds(r, t, dirfd, dir, fd + 1);
			return;
		}
	}
}

void scan_fds(struct reader *r, struct proc *p, pid_t tid, int dirfd,
	      const char *path)
{
	struct fd_table t = { .p = p, .tid = tid, .pidfd = -1 };
	struct stat st;

	/* a task is scanned right after it was added: it is the last one */
	t.netns = tid ? p->tasks[p->ntasks - 1].ns[NS_NET] : p->ns[NS_NET];
	if (!r->s->fd_dir_counts)
		list_fds(r, &t, dirfd, path, 0);
	else if (!fstatat(dirfd, path, &st, 0))
		probe_fds(r, &t, dirfd, path, (long long)st.st_size);
	else
		note_unread_fd_table(r, -errno);
	if (t.pidfd >= 0)
		reader_done_fd(r, t.pidfd);
}
