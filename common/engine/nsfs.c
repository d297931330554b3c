/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/nsfs.h"

#include <errno.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

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

uint64_t ns_fd_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return 0;
	return (uint64_t)st.st_ino;
}
