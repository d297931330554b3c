/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/procfs.h"

#include "lib/number.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The record getdents64 fills in; glibc declares it only under another name. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

enum procfs_failure procfs_failure_of(int err)
{
	if (err == ENOENT || err == ESRCH)
		return PROCFS_GONE;
	if (err == EACCES || err == EPERM)
		return PROCFS_DENIED;
	return PROCFS_FAILED;
}

void procfs_buf_release(struct procfs_buf *buf)
{
	free(buf->data);
	*buf = (struct procfs_buf)PROCFS_BUF_INIT;
}

/*
 * procfs generates these files whole on the first read, so a read that
 * leaves room in the buffer has seen the end: that saves the extra read()
 * that would only return 0, one system call per file.
 */
static int read_all(int fd, struct procfs_buf *buf)
{
	buf->len = 0;
	for (;;) {
		size_t room;
		ssize_t n;

		grow_array((void **)&buf->data, &buf->alloc,
			   buf->len + 1024, 1);
		room = buf->alloc - buf->len - 1;
		n = read(fd, buf->data + buf->len, room);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf->len += (size_t)n;
		if ((size_t)n < room)
			break;
	}
	buf->data[buf->len] = '\0';
	return 0;
}

/*
 * getdents64 directly: fdopendir() would cost an fstat and an fcntl per
 * directory, and there is one per process (its fds). procfs fills the
 * buffer until the next entry no longer fits, so a call that leaves room
 * for the longest entry has seen the end, which saves the call that would
 * only return 0.
 */
int procfs_for_each_entry(int fd, void (*fn)(void *ctx, const char *name),
			  void *ctx)
{
	enum { LONGEST_ENTRY = 280 };
	union {
		char bytes[16384];
		uint64_t align;
	} buf;

	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf.bytes, sizeof(buf));

		if (n < 0)
			return -errno;
		for (long pos = 0; pos < n;) {
			const struct linux_dirent64 *d =
				(const void *)(buf.bytes + pos);

			if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
				fn(ctx, d->d_name);
			pos += d->d_reclen;
		}
		if (n == 0 || (size_t)n + LONGEST_ENTRY <= sizeof(buf))
			return 0;
	}
}

int procfs_read_open_at(int dirfd, const char *name, struct procfs_buf *buf)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	int ret;

	if (fd < 0)
		return -errno;
	ret = read_all(fd, buf);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	return fd;
}

int procfs_read_at(int dirfd, const char *name, struct procfs_buf *buf)
{
	int fd = procfs_read_open_at(dirfd, name, buf);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/*
 * Opening mountinfo takes the mount namespace of its process: one that has
 * exited, a zombie or reaped, has none, and the kernel says EINVAL.
 */
int procfs_read_mountinfo_at(int dirfd, const char *name,
			     struct procfs_buf *buf)
{
	int ret = procfs_read_at(dirfd, name, buf);

	return ret == -EINVAL ? -ESRCH : ret;
}

/*
 * The numbers procfs writes. The kernel writes no leading zeros, but the
 * fields inside files never refused them: only the names of entries do,
 * where "01" would be another file than "1".
 */
static const struct number_range pid_name = { 1, INT32_MAX,
					       NUMBER_CANONICAL };
static const struct number_range pid_field = { 1, INT32_MAX, 0 };
static const struct number_range int_field = { 0, INT32_MAX, 0 };
static const struct number_range uid_field = { 0, UINT32_MAX, 0 };
static const struct number_range u64_field = { 0, UINT64_MAX, 0 };

bool procfs_parse_pid_name(const char *name, pid_t *pid)
{
	uint64_t v;

	if (number_parse_str(name, pid_name, &v) < 0)
		return false;
	*pid = (pid_t)v;
	return true;
}

/* Field i (0: state) of the space-separated text after the last ")". */
static const char *stat_field(const char *p, const char *limit, int i)
{
	while (i-- > 0) {
		p = memchr(p, ' ', (size_t)(limit - p));
		if (!p)
			return NULL;
		p++;
	}
	return p < limit ? p : NULL;
}

static int stat_number(const char *rest, const char *limit, int i,
		       struct number_range range, uint64_t *v)
{
	const char *p = stat_field(rest, limit, i);
	const char *end;

	if (!p || number_parse_prefix(p, limit, range, v, &end) < 0)
		return -EINVAL;
	return 0;
}

enum {
	STAT_STATE = 0,
	STAT_PPID = 1,
	STAT_THREADS = 17,
	STAT_STARTTIME = 19,
};

int procfs_parse_stat(const char *buf, size_t len, struct procfs_stat *st)
{
	const char *limit = buf + len;
	const char *open = memchr(buf, '(', len);
	const char *close = NULL;
	const char *end;
	uint64_t v;

	for (const char *p = limit; p > buf; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (!open || !close || close < open || limit - close < 3 ||
	    close[1] != ' ')
		return -EINVAL;
	if (number_parse_prefix(buf, open, pid_field, &v, &end) < 0 ||
	    *end != ' ')
		return -EINVAL;
	st->pid = (pid_t)v;
	len = (size_t)(close - open - 1);
	if (len >= sizeof(st->name))
		len = sizeof(st->name) - 1;
	memcpy(st->name, open + 1, len);
	st->name[len] = '\0';

	const char *rest = close + 2;

	st->state = *rest;
	if (stat_number(rest, limit, STAT_PPID, int_field, &v) < 0)
		return -EINVAL;
	st->ppid = (pid_t)v;
	if (stat_number(rest, limit, STAT_THREADS, int_field, &v) < 0)
		return -EINVAL;
	st->threads = (long)v;
	if (stat_number(rest, limit, STAT_STARTTIME, u64_field,
			&st->starttime) < 0)
		return -EINVAL;
	return 0;
}

/* The value of the line "key:\t..." of a status or fdinfo text, or NULL. */
static const char *status_value(const char *buf, const char *key)
{
	size_t klen = strlen(key);

	for (const char *line = buf; line && *line;) {
		if (!strncmp(line, key, klen) && line[klen] == ':')
			return line + klen + 1;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return NULL;
}

/* The first number of a status value; what follows it does not matter. */
static int parse_first_number(const char *p, struct number_range range,
			      uint64_t *v)
{
	const char *end;

	if (!p)
		return -EINVAL;
	p += strspn(p, " \t");
	return number_parse_prefix(p, p + strlen(p), range, v, &end);
}

/* NSpid: tab-separated PIDs to the end of the line, at most 33 levels. */
static void parse_nspid(const char *p, struct procfs_status *st)
{
	pid_t chain[33];
	size_t n = 0;

	if (!p)
		return;
	for (;;) {
		const char *end;
		uint64_t v;

		p += strspn(p, " \t");
		if (*p == '\n' || !*p)
			break;
		if (n == ARRAY_SIZE(chain) ||
		    number_parse_prefix(p, p + strlen(p), pid_field, &v,
					&end) < 0)
			return;
		chain[n++] = (pid_t)v;
		p = end;
	}
	if (!n)
		return;
	st->nspid = xmalloc(n * sizeof(*st->nspid));
	memcpy(st->nspid, chain, n * sizeof(*chain));
	st->nspid_len = n;
}

int procfs_parse_status(const char *buf, struct procfs_status *st)
{
	uint64_t v;

	*st = (struct procfs_status){ 0 };
	if (parse_first_number(status_value(buf, "Uid"), uid_field, &v) < 0)
		return -EINVAL;
	st->uid = (uid_t)v;
	if (!parse_first_number(status_value(buf, "Tgid"), pid_field, &v))
		st->tgid = (pid_t)v;
	if (!parse_first_number(status_value(buf, "Threads"), int_field, &v))
		st->threads = (long)v;
	if (!parse_first_number(status_value(buf, "FDSize"), int_field, &v))
		st->fdsize = (long)v;
	parse_nspid(status_value(buf, "NSpid"), st);
	return 0;
}

int procfs_parse_fdinfo(const char *buf, struct procfs_fdinfo *fi)
{
	*fi = (struct procfs_fdinfo){ 0 };
	if (parse_first_number(status_value(buf, "mnt_id"), u64_field,
			       &fi->mnt_id) < 0)
		return -EINVAL;
	if (parse_first_number(status_value(buf, "ino"), u64_field,
			       &fi->ino) < 0)
		fi->ino = 0;
	return 0;
}

/*
 * Copies the Name value up to the newline, undoing the kernel's escapes:
 * backslash-n for a newline, two backslashes for one.
 */
static void unescape_name(const char *p, char *name, size_t size)
{
	size_t n = 0;

	while (*p && *p != '\n' && n + 1 < size) {
		if (p[0] == '\\' && (p[1] == 'n' || p[1] == '\\')) {
			name[n++] = p[1] == 'n' ? '\n' : '\\';
			p += 2;
			continue;
		}
		name[n++] = *p++;
	}
	name[n] = '\0';
}

int procfs_parse_status_as_stat(const char *buf, pid_t pid,
				struct procfs_stat *st)
{
	const char *name = status_value(buf, "Name");
	const char *state = status_value(buf, "State");
	uint64_t v;

	if (!name || !state ||
	    parse_first_number(status_value(buf, "PPid"), int_field, &v) < 0)
		return -EINVAL;
	st->pid = pid;
	st->ppid = (pid_t)v;
	unescape_name(name + strspn(name, " \t"), st->name, sizeof(st->name));
	st->state = state[strspn(state, " \t")];
	st->threads = 0;
	if (!parse_first_number(status_value(buf, "Threads"), int_field, &v))
		st->threads = (long)v;
	st->starttime = 0;
	return 0;
}

void procfs_status_release(struct procfs_status *st)
{
	free(st->nspid);
	*st = (struct procfs_status){ 0 };
}

/* True when the comma-separated list [p, end) has the element "cpu". */
static int has_cpu_controller(const char *p, const char *end)
{
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;

		if (stop - p == 3 && !memcmp(p, "cpu", 3))
			return 1;
		p = stop + 1;
	}
	return 0;
}

char *procfs_parse_cgroup(const char *buf)
{
	char *v2 = NULL;

	for (const char *line = buf; *line;) {
		const char *eol = strchr(line, '\n');
		const char *end = eol ? eol : line + strlen(line);
		const char *c1 = memchr(line, ':', (size_t)(end - line));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1))
				    : NULL;

		if (c2 && has_cpu_controller(c1 + 1, c2)) {
			free(v2);
			return xstrndup(c2 + 1, (size_t)(end - c2 - 1));
		}
		if (c2 && c2 == c1 + 1 && !v2 && c1 - line == 1 && *line == '0')
			v2 = xstrndup(c2 + 1, (size_t)(end - c2 - 1));
		if (!eol)
			break;
		line = eol + 1;
	}
	return v2;
}

/* Decodes the \ooo escapes the kernel writes for space, tab, \n and \\. */
static void unescape_octal(char *s)
{
	char *out = s;

	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' &&
		    p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			*out++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 +
					(p[3] - '0'));
			p += 3;
			continue;
		}
		*out++ = *p;
	}
	*out = '\0';
}

/* Splits off the next space-separated field; NULL at the end. */
static char *next_field(char **cursor, char *limit)
{
	char *start = *cursor;
	char *space;

	if (start >= limit)
		return NULL;
	space = memchr(start, ' ', (size_t)(limit - start));
	if (space) {
		*space = '\0';
		*cursor = space + 1;
	} else {
		*cursor = limit;
	}
	return start;
}

/*
 * "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE
 * SUPER": the optional fields end with a lone "-".
 */
int procfs_parse_mountinfo_line(char *line, size_t len,
				struct procfs_mount *mount)
{
	char *limit = line + len;
	char *cursor = line;
	char *field;

	*limit = '\0';
	for (int i = 0; i < 3; i++)
		if (!next_field(&cursor, limit))
			return -EINVAL;
	mount->root = next_field(&cursor, limit);
	mount->mountpoint = next_field(&cursor, limit);
	if (!mount->mountpoint || !next_field(&cursor, limit))
		return -EINVAL;
	while ((field = next_field(&cursor, limit)) && strcmp(field, "-"))
		;
	mount->fstype = next_field(&cursor, limit);
	if (!field || !mount->fstype)
		return -EINVAL;
	unescape_octal(mount->root);
	unescape_octal(mount->mountpoint);
	return 0;
}
