/* SPDX-License-Identifier: Apache-2.0 */
/*
 * listmount(2) and statmount(2) (Linux 6.8), with the mount namespace
 * given by an fd (Linux 6.18): the mounts of another mount namespace, read
 * without entering it.
 */
#ifndef NSTOOLS_MOUNTLIST_H
#define NSTOOLS_MOUNTLIST_H

#include "engine/procfs.h"

#include <errno.h>
#include <stdbool.h>

/*
 * Calls fn for every nsfs mount of the mount namespace that mntns_fd
 * refers to: its root ("net:[4026532175]") and its mount point, as seen in
 * that namespace; fstype is "nsfs". A mount gone meanwhile is skipped.
 * Returns 0, or -errno before fn was called at all: -ENOSYS where the
 * kernel lacks listmount, -EINVAL where it lacks namespaces given by fd
 * (before Linux 6.18), -EPERM or -ENOENT where it refuses.
 */
int mountlist_nsfs(int mntns_fd,
		   void (*fn)(void *ctx, const struct procfs_mount *mount),
		   void *ctx);

/*
 * Whether an error of mountlist_nsfs says the kernel lacks the interface
 * (rather than refusing this namespace to this caller).
 */
static inline bool mountlist_missing(int err)
{
	return err == -ENOSYS || err == -EINVAL;
}

#endif
