/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/safefile.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * O_NONBLOCK: a FIFO laid where a file should be opens at once instead of
 * waiting for a writer (and is then refused: not a regular file).
 * O_NOCTTY: a terminal laid there does not become ours.
 */
#define SAFE_FLAGS (O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)

/* openat2 (Linux 5.6) is called by its number: glibc had no wrapper. */
static int open_resolved(const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)flags,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

/* The next component of *path (cut off with a NUL), or NULL at its end. */
static char *next_component(char **path)
{
	char *name;

	while (**path == '/')
		(*path)++;
	if (!**path)
		return NULL;
	name = *path;
	*path = strchrnul(name, '/');
	if (**path)
		*(*path)++ = '\0';
	return name;
}

/*
 * One directory of the walk, by O_PATH and O_NOFOLLOW: a symlink opens
 * as itself, and is refused as openat2 refuses it (ELOOP).
 */
static int walk_dir(int dirfd, const char *name)
{
	struct stat st;
	int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	if (!S_ISDIR(st.st_mode)) {
		close(fd);
		return S_ISLNK(st.st_mode) ? -ELOOP : -ENOTDIR;
	}
	return fd;
}

/*
 * What older kernels (and NSTOOLS_FALLBACKS_ONLY) take: the path opened a
 * component at a time from "/", none of them followed if a symlink.
 */
static int open_walked(const char *path, int flags)
{
	char *copy = xstrdup(path), *rest = copy, *name, *next;
	int dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), fd;

	if (dirfd < 0)
		dirfd = -errno;
	name = next_component(&rest);
	while (dirfd >= 0 && name && (next = next_component(&rest))) {
		fd = walk_dir(dirfd, name);
		close(dirfd);
		dirfd = fd;
		name = next;
	}
	fd = dirfd;
	if (dirfd >= 0) {
		fd = openat(dirfd, name ? name : ".", flags | O_NOFOLLOW);
		if (fd < 0)
			fd = -errno;
		close(dirfd);
	}
	free(copy);
	return fd;
}

/* No "." or "..": a walk that could climb out is no walk of ours. */
static bool plain_path(const char *path)
{
	const char *p = path;

	if (*path != '/')
		return false;
	while ((p = strstr(p, "/."))) {
		p += 2;
		if (*p == '/' || !*p || (*p == '.' && (p[1] == '/' || !p[1])))
			return false;
	}
	return true;
}

static int safe_open(const char *path, int flags, bool fallbacks_only)
{
	int fd;

	if (!plain_path(path))
		return -EINVAL;
	if (!fallbacks_only) {
		fd = open_resolved(path, flags);
		if (fd != -ENOSYS)
			return fd;
	}
	return open_walked(path, flags);
}

int safefile_opendir(const char *path, bool fallbacks_only)
{
	return safe_open(path, SAFE_FLAGS | O_DIRECTORY, fallbacks_only);
}

/* Reads fd to its end, at most max bytes (one more tells it is larger). */
static int read_capped(int fd, size_t size_hint, size_t max,
		       struct safefile *f)
{
	size_t alloc = (size_hint < max ? size_hint : max) + 2;
	ssize_t n;

	f->data = xmalloc(alloc);
	f->len = 0;
	for (;;) {
		if (f->len + 1 == alloc) {
			if (alloc > max + 1)
				return -EFBIG;
			alloc = alloc * 2 > max + 2 ? max + 2 : alloc * 2;
			f->data = xrealloc(f->data, alloc);
		}
		n = read(fd, f->data + f->len, alloc - 1 - f->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		f->len += (size_t)n;
	}
	f->data[f->len] = '\0';
	return f->len > max ? -EFBIG : 0;
}

int safefile_read(const char *path, size_t max, bool fallbacks_only,
		  struct safefile *f)
{
	struct stat st;
	int fd = safe_open(path, SAFE_FLAGS, fallbacks_only), ret;

	f->data = NULL;
	f->len = 0;
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		ret = -errno;
	else if (!S_ISREG(st.st_mode))
		ret = -EINVAL;
	else if ((unsigned long long)st.st_size > max)
		ret = -EFBIG;
	else
		ret = read_capped(fd, (size_t)st.st_size, max, f);
	close(fd);
	if (ret < 0)
		safefile_release(f);
	return ret;
}

void safefile_release(struct safefile *f)
{
	free(f->data);
	f->data = NULL;
	f->len = 0;
}
