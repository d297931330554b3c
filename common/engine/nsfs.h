/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The nsfs ioctls (ioctl_ns(2)): what the kernel tells of a namespace
 * through an open file of it.
 */
#ifndef NSTOOLS_NSFS_H
#define NSTOOLS_NSFS_H

#include "model/nstype.h"

#include <stdbool.h>
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

/*
 * NS_MNT_GET_NEXT, or NS_MNT_GET_PREV when prev (Linux 6.12): a new fd of
 * the mount namespace after (before) the one fd refers to, in the order
 * of their IDs, among those the caller may see; or -errno: -ENOENT at the
 * end, -EPERM without CAP_SYS_ADMIN, -ENOTTY or -EINVAL on older kernels.
 */
int ns_mnt_next_fd(int fd, bool prev);

/*
 * NS_GET_ID (Linux 6.18): the namespace's 64-bit ID, unique while the
 * machine runs. Returns 0, or -errno: ENOTTY or EINVAL where the kernel
 * lacks it.
 */
int ns_get_id(int fd, uint64_t *id);

/* The inode of an open nsfs file descriptor, 0 on failure (errno set). */
uint64_t ns_fd_inode(int fd);

#endif
