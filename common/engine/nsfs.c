/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/nsfs.h"

#include <errno.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

/* Debian 12's headers are older than Linux 6.18 */
#ifndef NS_GET_ID
#define NS_GET_ID _IOR(0xb7, 13, __u64)
#endif

static int fd_or_errno(int ret)
{
	return ret < 0 ? -errno : ret;
}

int ns_get_userns_fd(int fd)
{
	return fd_or_errno(ioctl(fd, NS_GET_USERNS));
}

int ns_get_parent_fd(int fd)
{
	return fd_or_errno(ioctl(fd, NS_GET_PARENT));
}

int ns_get_owner_uid(int fd, uid_t *uid)
{
	return ioctl(fd, NS_GET_OWNER_UID, uid) < 0 ? -errno : 0;
}

int ns_get_type(int fd, enum ns_type *type)
{
	int flag = ioctl(fd, NS_GET_NSTYPE);

	if (flag < 0)
		return -errno;
	*type = ns_type_from_clone_flag(flag);
	return *type == NS_TYPE_NONE ? -EINVAL : 0;
}

/*
 * struct mnt_ns_info and its ioctls, of linux/nsfs.h since Linux 6.12,
 * which the headers here may predate: under names of our own.
 */
struct walk_mnt_ns_info {
	uint32_t size;
	uint32_t nr_mounts;
	uint64_t mnt_ns_id;
};

#define WALK_MNT_NEXT _IOR(NSIO, 11, struct walk_mnt_ns_info)
#define WALK_MNT_PREV _IOR(NSIO, 12, struct walk_mnt_ns_info)

int ns_mnt_next_fd(int fd, bool prev)
{
	struct walk_mnt_ns_info info = { .size = sizeof(info) };

	return fd_or_errno(ioctl(fd, prev ? WALK_MNT_PREV : WALK_MNT_NEXT,
				 &info));
}

int ns_get_id(int fd, uint64_t *id)
{
	__u64 v = 0;

	if (ioctl(fd, NS_GET_ID, &v) < 0)
		return -errno;
	*id = v;
	return 0;
}

uint64_t ns_fd_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return 0;
	return (uint64_t)st.st_ino;
}
