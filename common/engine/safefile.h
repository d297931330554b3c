/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a file that anyone may have written, by a path that anyone may
 * have laid out (a rootless engine's storage is in its user's home): no
 * symlink is followed in any component, nothing but a regular file is
 * read, nothing blocks on opening (a FIFO), and the size is capped.
 */
#ifndef NSTOOLS_SAFEFILE_H
#define NSTOOLS_SAFEFILE_H

#include <stdbool.h>
#include <stddef.h>

/* A file's whole contents, NUL-terminated after len bytes. */
struct safefile {
	char *data; /* malloc'd; NULL before a read */
	size_t len;
};

/*
 * Reads the file at path (absolute, without "." or ".." components) into
 * f, at most max bytes. With fallbacks_only, the walk that older kernels
 * take. Returns 0, or -errno: -ENOENT or -ENOTDIR (no such file), -EACCES
 * or -EPERM (not allowed), -ELOOP (a symlink on the way), -EINVAL (not a
 * regular file, or not such a path), -EFBIG (larger than max), or what
 * open or read said.
 */
int safefile_read(const char *path, size_t max, bool fallbacks_only,
		  struct safefile *f);
void safefile_release(struct safefile *f);

/*
 * Opens the directory at path as safefile_read opens a file, for listing
 * (O_RDONLY | O_DIRECTORY). Returns the fd, or -errno as safefile_read.
 */
int safefile_opendir(const char *path, bool fallbacks_only);

#endif
