/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The nsfs ioctls (ioctl_ns(2)): what the kernel tells of a namespace
 * through an open file of it.
 */
#ifndef NSTOOLS_NSFS_H
#define NSTOOLS_NSFS_H

#include "model/nstype.h"

#include <stdint.h>
#include <sys/types.h>

/*
 * The ioctls. Each takes an open nsfs file descriptor. The *_fd ones
 * return a new file descriptor, or -errno: EPERM means "none that the
 * caller may see" (the kernel does not tell the two apart), EINVAL or
 * ENOTTY that the question does not apply.
 */
int ns_get_userns_fd(int fd);
int ns_get_parent_fd(int fd);
int ns_get_owner_uid(int fd, uid_t *uid);
int ns_get_type(int fd, enum ns_type *type);

/* The inode of an open nsfs file descriptor, 0 on failure (errno set). */
uint64_t ns_fd_inode(int fd);

#endif
