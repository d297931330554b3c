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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C
#endif
#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

/* Socket inodes, in links and in the tables of /proc/PID/net. */
static const struct number_range socket_inode = { 1, UINT64_MAX, 0 };

/* Stored in the socket cache for sockets that could not be asked. */
static struct ns unknown_netns;

struct fd_way;

/*
 * One fd table being read: whose it is, where, which way, and a pidfd,
 * opened when needed.
 */
struct fd_table {
	struct proc *p;
	pid_t tid;          /* 0: the process's own table */
	struct ns *netns;   /* the network namespace of its holder */
	int pidfd;          /* -1: not opened yet; -2: cannot be had */
	int pidfd_err;      /* why not: -errno */
	int dirfd;          /* the process's directory, or its task/ */
	const char *prefix; /* "" or "TID/", relative to dirfd */
	const struct fd_way *way;
	long long limit;    /* no fd at or above it: FDSize */
	int err;            /* what left it unread: the first -errno */
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
	intmap_release(&s->socket_cookies);
	free(s->cookie_sockets);
	s->cookie_sockets = NULL;
	s->ncookie_sockets = s->cookie_sockets_alloc = 0;
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

/*
 * A pidfd of a process, or of a thread (tid): the copies of a thread's fds
 * come from the fd table of the thread the pidfd names, and a plain
 * pidfd_open of a thread that is not its process's leader fails, where
 * PIDFD_THREAD (Linux 6.9) takes it. Returns the pidfd or -errno.
 */
static int open_pidfd(pid_t pid, pid_t tid)
{
	int fd = tid ? (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD)
		     : (int)syscall(SYS_pidfd_open, pid, 0);

	return fd < 0 ? -errno : fd;
}

static int table_pidfd(struct fd_table *t)
{
	if (t->pidfd == -1) {
		t->pidfd = open_pidfd(t->p->pid, t->tid);
		if (t->pidfd < 0) {
			t->pidfd_err = t->pidfd;
			t->pidfd = -2;
		}
	}
	return t->pidfd;
}

/* A copy of fd of the process pidfd names (pidfd_getfd, Linux 5.6); -errno. */
static int pidfd_copy(int pidfd, int fd)
{
	int copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);

	return copy < 0 ? -errno : copy;
}

/* A copy of the holder's fd, or -errno. */
static int copy_fd(struct fd_table *t, int fd)
{
	int pidfd = table_pidfd(t);

	return pidfd < 0 ? t->pidfd_err : pidfd_copy(pidfd, fd);
}

/* A socket's SO_NETNS_COOKIE (Linux 5.14); 0 and -errno on failure. */
static int read_cookie(int sock, uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);

	*cookie = 0;
	if (getsockopt(sock, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len) < 0)
		return -errno;
	return len == sizeof(*cookie) && *cookie ? 0 : -EINVAL;
}

/*
 * Since Linux 6.18 a network namespace's cookie is its ID (NS_GET_ID);
 * before, the two were counted apart, and no version number is trusted
 * to say which: the cookie of a socket of our own, equal to the ID of our
 * own network namespace, tells. A fallback only (NSTOOLS_FALLBACKS_ONLY)
 * leaves it unasked.
 */
void scan_find_netns_cookies(struct scan *s)
{
	uint64_t id = 0, cookie = 0;
	int netfd, sock;

	if (s->fallbacks_only || !scan_runs(s, PASS_SOCKETS))
		return;
	netfd = openat(s->procfd, "self/ns/net", O_RDONLY | O_CLOEXEC);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	s->cookie_is_id = netfd >= 0 && sock >= 0 && !ns_get_id(netfd, &id) &&
			  !read_cookie(sock, &cookie) && cookie == id;
	if (netfd >= 0)
		close(netfd);
	if (sock >= 0)
		close(sock);
}

/* Whether the cookie of sock (0 if not) names its network namespace. */
static bool cookie_of(const struct scan *s, int sock, uint64_t *cookie)
{
	*cookie = 0;
	return s->cookie_is_id && !read_cookie(sock, cookie);
}

/*
 * Asks the kernel for a socket's network namespace: a copy of the fd
 * (pidfd_getfd, Linux 5.6), then SIOCGSKNS. Where that needs
 * CAP_NET_ADMIN we lack, the copy's cookie still names the namespace, by
 * its ID: *cookie gets it, for scan_resolve_cookies. Any other failure
 * (an old kernel, no right to the copy, the fd closed meanwhile) leaves it
 * unknown.
 */
static struct ns *ask_socket_netns(struct reader *r, struct fd_table *t,
				    int fd, uint64_t *cookie)
{
	int sock, netfd;
	struct ns *ns = NULL;

	*cookie = 0;
	if (table_pidfd(t) < 0)
		return NULL;
	sock = copy_fd(t, fd);
	if (sock < 0 && procfs_failure_of(-sock) == PROCFS_DENIED)
		r->sockets_unasked++;
	if (sock < 0)
		return NULL;
	netfd = ioctl(sock, SIOCGSKNS);
	if (netfd < 0 && procfs_failure_of(errno) == PROCFS_DENIED &&
	    !cookie_of(r->s, sock, cookie))
		r->sockets_unasked++;
	reader_done_fd(r, sock);
	if (netfd < 0)
		return NULL;
	ns = scan_ns_from_fd(r->s, NS_NET, netfd);
	reader_done_fd(r, netfd);
	return ns;
}

/* A socket of t's holder, known by its cookie: resolved after the passes. */
static void keep_cookie_socket(struct scan *s, const struct fd_table *t,
			       int fd, uint64_t cookie)
{
	struct cookie_socket cs = { .pid = t->p->pid, .tid = t->tid,
				    .fd = fd, .cookie = cookie,
				    .home = t->netns };

	scan_lock(s);
	VEC_PUSH(s->cookie_sockets, s->ncookie_sockets,
		 s->cookie_sockets_alloc, cs);
	scan_unlock(s);
}

/*
 * A socket counts as a source of its network namespace only when that is
 * not the namespace its holder sits in: that is what keeps a namespace
 * alive behind a process's back. A socket its holder's namespace lists is
 * at home; any other inode is asked about, once (two readers that both
 * hold a socket may both ask, and learn the same), and what is learnt is
 * kept by socket inode: the namespace, or its cookie.
 */
static void note_socket(struct reader *r, struct fd_table *t, int fd,
			uint64_t ino)
{
	struct scan *s = r->s;
	struct ns *ns;
	uint64_t cookie;

	scan_lock(s);
	ns = hashmap_get(&s->sockets, ino);
	cookie = intmap_get(&s->socket_cookies, ino);
	if (!ns && !cookie && t->netns && listed_at_home(r, t, ino))
		ns = t->netns;
	scan_unlock(s);
	if (!ns && !cookie) {
		ns = ask_socket_netns(r, t, fd, &cookie);
		if (!ns && !cookie)
			ns = &unknown_netns;
		scan_lock(s);
		if (cookie)
			intmap_put(&s->socket_cookies, ino, cookie);
		else
			hashmap_put(&s->sockets, ino, ns);
		scan_unlock(s);
	}
	if (cookie)
		keep_cookie_socket(s, t, fd, cookie);
	else if (ns != &unknown_netns && ns != t->netns)
		add_fd_source(s, ns, SOURCE_SOCKET, t, fd);
}

/*
 * A network namespace found only by a socket's cookie may have been
 * found by inode since (a process in it, a bind mount, an fd), with its
 * ID: the socket is then its source, by the rule of note_socket. Else it
 * is known by its ID alone, and the model says so (HACKING.md, "The
 * model"): several sockets with one cookie make one namespace.
 */
void scan_resolve_cookies(struct scan *s)
{
	for (size_t i = 0; i < s->ncookie_sockets; i++) {
		const struct cookie_socket *cs = &s->cookie_sockets[i];
		struct ns *ns = model_ns_by_id(s->m, cs->cookie);

		if (!ns)
			ns = model_add_ns_by_id(s->m, NS_NET, cs->cookie);
		if (ns->type == NS_NET && ns != cs->home)
			ns_add_source(ns, (struct ns_source){
						  .kind = SOURCE_SOCKET,
						  .pid = cs->pid,
						  .tid = cs->tid,
						  .fd = cs->fd });
	}
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
 * A table that could not be read whole: the first failure, other than its
 * holder being gone, is what it counts as (note_unread_fd_table).
 */
static void table_failed(struct fd_table *t, int ret)
{
	if (!t->err && procfs_failure_of(-ret) != PROCFS_GONE)
		t->err = ret;
}

/*
 * Reads the link of fd number fd, path relative to the table's dirfd, and
 * notes what it holds. Returns 0, or -errno of the read (ENOENT: no such
 * fd).
 */
static int note_fd_link(struct reader *r, struct fd_table *t,
			const char *path, int fd)
{
	struct scan *s = r->s;
	char text[4097];
	ssize_t n = readlinkat(t->dirfd, path, text, sizeof(text) - 1);
	enum ns_type type;
	uint64_t ino;

	if (n < 0)
		return -errno;
	text[n] = '\0';
	if (!ns_id_parse(text, (size_t)n, &type, &ino)) {
		if (s->links & NS_TYPE_BIT(type))
			add_fd_source(s, scan_ns(s, type, ino, t->dirfd, path),
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
 * Namespace inodes are proc inode numbers: the initial namespaces have
 * fixed ones just below 0xF0000000 (0xEFFFFFF8 to 0xEFFFFFFF on Linux
 * 6.18, one per type, counting down as types were added), every other one
 * is allocated from 0xF0000000 up, and they are 32-bit. The range only
 * decides which fds are worth a copy (note_nsfs_copy), and is safe either
 * way: nothing outside it is a namespace, and a file of another file
 * system inside it costs a copy (a pipe's or a FUSE file's, rarely), whose
 * fstat then leaves it out.
 */
#define NSFS_INO_FIRST 0xEFFFFF00ULL
#define NSFS_INO_LAST 0xFFFFFFFFULL

/*
 * An fd on nsfs's own mount (opened through /proc/PID/ns) of a namespace
 * whose facts are known: a source, and nothing to ask. Its type is the
 * record's: an inode freed and given to a namespace of another type
 * since it was recorded would be taken for the first one, as a link read
 * a moment earlier would. False when the namespace is not known so.
 */
static bool note_known_ns(struct reader *r, struct fd_table *t, int fd,
			  uint64_t ino)
{
	struct scan *s = r->s;
	struct ns_record *rec;
	struct ns *ns = NULL;

	scan_lock(s);
	rec = scan_lookup_record(s, ino);
	if (rec && rec->facts_known)
		ns = rec->ns;
	scan_unlock(s);
	if (!ns)
		return false;
	if (s->links & NS_TYPE_BIT(ns->type))
		add_fd_source(s, ns, SOURCE_FD, t, fd);
	return true;
}

/*
 * An fd that may be a namespace, asked through a copy: the copy is one
 * when it is on nsfs's device with the inode fdinfo named (the fd may
 * have been closed and reused since), and its facts are learnt through
 * it. A namespace opened through a bind mount is found so too, even once
 * the mount is gone. The copy is closed at once (see note_file_info).
 */
static void note_nsfs_copy(struct reader *r, struct fd_table *t, int fd,
			   uint64_t ino)
{
	struct scan *s = r->s;
	int copy = copy_fd(t, fd);
	enum ns_type type;
	struct stat st;

	if (copy < 0) {
		if (copy != -EBADF) /* EBADF: closed since */
			table_failed(t, copy);
		return;
	}
	if (!fstat(copy, &st) && st.st_dev == s->nsfs_dev &&
	    (uint64_t)st.st_ino == ino && !ns_get_type(copy, &type) &&
	    (s->links & NS_TYPE_BIT(type)))
		add_fd_source(s, scan_ns_from_fd(s, type, copy), SOURCE_FD,
			      t, fd);
	close(copy);
}

/*
 * What an fd is, from its fdinfo: the mount it was opened through and its
 * inode, read without touching the file. A socket is noted as through its
 * link; an inode in the namespaces' range is one unless it shows
 * otherwise; anything else is left alone. A copy of the fd is taken only
 * where the namespace must be asked through it, because the copy is not
 * free for its holder: every close of a file runs its flush (a FUSE
 * daemon gets a FLUSH request, and may hang; NFS may write back), and a
 * copy of a pipe's write end held open delays its reader's end of file.
 * fdinfo reads nothing of the file, and nsfs files and sockets flush
 * nothing.
 */
static void note_file_info(struct reader *r, struct fd_table *t, int fd,
			   const struct procfs_fdinfo *fi)
{
	struct scan *s = r->s;

	if (!fi->ino)
		return; /* a kernel that does not say it: scan_find_fd_mounts */
	if (fi->mnt_id == s->sockfs_mnt_id) {
		if (scan_runs(s, PASS_SOCKETS) &&
		    (s->links & NS_TYPE_BIT(NS_NET)))
			note_socket(r, t, fd, fi->ino);
		return;
	}
	if (fi->ino < NSFS_INO_FIRST || fi->ino > NSFS_INO_LAST)
		return;
	if (fi->mnt_id == s->nsfs_mnt_id && note_known_ns(r, t, fd, fi->ino))
		return;
	note_nsfs_copy(r, t, fd, fi->ino);
}

/*
 * Reads fdinfo of fd number fd, path relative to the table's dirfd, and
 * notes what it holds; as note_fd_link. The fdinfo files of a table are
 * closed together (reader_done_fd): one call in three saved.
 */
static int note_fd_info(struct reader *r, struct fd_table *t,
			const char *path, int fd)
{
	struct procfs_fdinfo fi;
	int info = procfs_read_open_at(t->dirfd, path, &r->buf);

	if (info < 0)
		return info;
	reader_done_fd(r, info);
	if (procfs_parse_fdinfo(r->buf.data, &fi) < 0)
		return -EINVAL;
	note_file_info(r, t, fd, &fi);
	return 0;
}

/*
 * A way of reading an fd table: the directory that lists its fds, and how
 * one fd is read and noted (0, or -errno of the read; ENOENT: no such fd).
 */
struct fd_way {
	const char *dir;
	int (*note)(struct reader *r, struct fd_table *t, const char *path,
		    int fd);
};

/*
 * The links of another user's fds need CAP_DAC_READ_SEARCH; their fdinfo
 * needs only what the namespace links need, ptrace access (Linux 5.14).
 */
static const struct fd_way by_link = { "fd", note_fd_link };
static const struct fd_way by_fdinfo = { "fdinfo", note_fd_info };

/*
 * Whether a table whose links were refused (ret: -errno) is to be read
 * through fdinfo instead: the one place that decides it. The way is
 * switched then, for the rest of the table.
 */
static bool fdinfo_instead(const struct scan *s, struct fd_table *t, int ret)
{
	if (t->way != &by_link || procfs_failure_of(-ret) != PROCFS_DENIED ||
	    s->fallbacks_only || !s->fd_mounts_known)
		return false;
	t->way = &by_fdinfo;
	return true;
}

/* Reads fd number fd, the table's way; as struct fd_way's note. */
static int read_fd(struct reader *r, struct fd_table *t, int fd)
{
	char path[64], number[24];
	int ret;

	for (;;) {
		if (!str_join(path, sizeof(path), t->prefix, t->way->dir, "/",
			      str_uint(number, (unsigned)fd), NULL))
			return -ENAMETOOLONG;
		ret = t->way->note(r, t, path, fd);
		if (!ret || !fdinfo_instead(r->s, t, ret))
			return ret;
	}
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
	int from; /* fds below were read already */
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
	ret = read_fd(fl->r, fl->t, (int)fd);
	if (ret < 0)
		table_failed(fl->t, ret);
}

/*
 * The fds from `from` on, by listing the table's directory. The table
 * counts once as unread when the listing or an fd in it failed.
 */
static void list_fds(struct reader *r, struct fd_table *t, int from)
{
	struct fd_listing fl = { .r = r, .t = t, .from = from };
	char dir[32];
	int fdfd, ret;

	do {
		if (!str_join(dir, sizeof(dir), t->prefix, t->way->dir, NULL)) {
			table_failed(t, -ENAMETOOLONG);
			return;
		}
		fdfd = openat(t->dirfd, dir,
			      O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ret = fdfd < 0 ? -errno : 0;
	} while (ret < 0 && fdinfo_instead(r->s, t, ret));
	if (ret < 0) {
		table_failed(t, ret);
		return;
	}
	ret = procfs_for_each_entry(fdfd, note_listed_fd, &fl);
	if (ret < 0)
		table_failed(t, ret);
	reader_done_fd(r, fdfd);
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
 * found costs a call per fd (three through fdinfo); a table with more
 * holes is listed from where the reading stopped. Bounded either way: at
 * most n + MAX_PROBE_MISSES + 1 reads, and none at or above the table's
 * size (FDSize), where no fd can be.
 */
static void probe_fds(struct reader *r, struct fd_table *t, long long nfds)
{
	int misses = 0;

	for (int fd = 0; nfds > 0 && fd < t->limit; fd++) {
		int ret = read_fd(r, t, fd);

		if (!ret) {
			nfds--;
		} else if (ret != -ENOENT) {
			/* denied, the process gone (ESRCH), or failed */
			table_failed(t, ret);
			return;
		} else if (++misses > MAX_PROBE_MISSES) {
			list_fds(r, t, fd + 1);
			return;
		}
	}
}

void scan_fds(struct reader *r, struct proc *p, pid_t tid, int dirfd,
	      const char *prefix, long fdsize, int pidfd)
{
	struct fd_table t = { .p = p, .tid = tid, .pidfd = pidfd,
			      .dirfd = dirfd, .prefix = prefix,
			      .way = &by_link,
			      .limit = fdsize > 0 ? fdsize : INT32_MAX };
	char path[32];
	struct stat st;

	/* a task is scanned right after it was added: it is the last one */
	t.netns = tid ? p->tasks[p->ntasks - 1].ns[NS_NET] : p->ns[NS_NET];
	if (!str_join(path, sizeof(path), prefix, "fd", NULL))
		return;
	if (!r->s->fd_dir_counts)
		list_fds(r, &t, 0);
	else if (!fstatat(dirfd, path, &st, 0))
		probe_fds(r, &t, (long long)st.st_size);
	else
		table_failed(&t, -errno);
	if (t.err)
		note_unread_fd_table(r, t.err);
	if (t.pidfd >= 0)
		reader_done_fd(r, t.pidfd);
}

/* The mount an fd of ours is on, from its fdinfo; 0 if unknown. Closes it. */
static uint64_t own_mnt_id(struct scan *s, int fd)
{
	char path[48], number[24];
	struct procfs_fdinfo fi = { 0 };

	if (fd < 0)
		return 0;
	if (str_join(path, sizeof(path), "thread-self/fdinfo/",
		     str_uint(number, (unsigned)fd), NULL) &&
	    !procfs_read_at(s->procfd, path, &s->buf))
		procfs_parse_fdinfo(s->buf.data, &fi);
	close(fd);
	return fi.mnt_id;
}

/*
 * fdinfo tells an fd's mount, not its file system: every namespace opened
 * through /proc/PID/ns is on nsfs's own mount, and every socket on
 * sockfs's; those two are learnt from fds of our own. A kernel whose
 * fdinfo does not say the inode (before 5.14) refuses it to others anyway.
 */
void scan_find_fd_mounts(struct scan *s)
{
	if (s->fallbacks_only || !scan_runs(s, PASS_FDS))
		return;
	s->nsfs_mnt_id = own_mnt_id(s, openat(s->procfd, "thread-self/ns/net",
					      O_RDONLY | O_CLOEXEC));
	s->sockfs_mnt_id = own_mnt_id(s, socket(AF_UNIX, SOCK_DGRAM |
							  SOCK_CLOEXEC, 0));
	s->fd_mounts_known = s->nsfs_mnt_id && s->sockfs_mnt_id &&
			     s->nsfs_mnt_id != s->sockfs_mnt_id;
}

/* A copy of a source's fd, kept when it is still that mount namespace. */
static bool keep_mntns_copy(struct scan *s, const struct ns *mntns,
			    const struct ns_source *src)
{
	int pidfd = open_pidfd(src->pid, src->tid);
	int copy;
	struct stat st;

	if (pidfd < 0)
		return false;
	copy = pidfd_copy(pidfd, src->fd);
	close(pidfd);
	if (copy < 0)
		return false;
	if (fstat(copy, &st) < 0 || st.st_dev != s->nsfs_dev ||
	    (uint64_t)st.st_ino != mntns->ino) {
		close(copy);
		return false;
	}
	intmap_put(&s->mnt_fds, mntns->ino, (uint64_t)copy);
	return true;
}

/*
 * Which mount namespaces have no process is known only once the process
 * pass is over, and the readers' copies were in fd tables of their own
 * (discover_readers.c), gone with them: the copy kept is taken here.
 */
void scan_keep_fd_mntns(struct scan *s)
{
	if (s->fallbacks_only)
		return;
	for (size_t i = 0; i < s->nrecords; i++) {
		const struct ns_record *rec = s->record_list[i];
		const struct ns *ns = rec->ns;

		if (ns->type != NS_MNT || rec->some_pid ||
		    intmap_has(&s->mnt_fds, ns->ino))
			continue;
		for (size_t j = 0; j < ns->nsources; j++)
			if (ns->sources[j].kind == SOURCE_FD &&
			    keep_mntns_copy(s, ns, &ns->sources[j]))
				break;
	}
}
