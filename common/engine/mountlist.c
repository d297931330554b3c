/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kernel's headers here may predate listmount and statmount: what we
 * use of their ABI (include/uapi/linux/mount.h) is spelt out below.
 */
#include "engine/mountlist.h"

#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_statmount
#define __NR_statmount 457
#endif
#ifndef __NR_listmount
#define __NR_listmount 458
#endif

/*
 * Version 1 (Linux 6.11) added mnt_ns_id; the field after size is
 * mnt_ns_fd since Linux 6.18, and must be 0 before it (EINVAL otherwise).
 */
struct mnt_id_req_v1 {
	uint32_t size;
	uint32_t mnt_ns_fd;
	uint64_t mnt_id;
	uint64_t param;
	uint64_t mnt_ns_id;
};

#define LSMT_ROOT 0xffffffffffffffffULL
#define STATMOUNT_SB_BASIC 0x00000001U
#define STATMOUNT_MNT_ROOT 0x00000008U
#define STATMOUNT_MNT_POINT 0x00000010U
#define NSFS_MAGIC 0x6e736673

/* The head of struct statmount, as far as we read it. */
struct statmount_head {
	uint32_t size;
	uint32_t mnt_opts;
	uint64_t mask;
	uint32_t sb_dev_major;
	uint32_t sb_dev_minor;
	uint64_t sb_magic;
	uint32_t sb_flags;
	uint32_t fs_type;
	uint64_t mnt_id;
	uint64_t mnt_parent_id;
	uint32_t mnt_id_old;
	uint32_t mnt_parent_id_old;
	uint64_t mnt_attr;
	uint64_t mnt_propagation;
	uint64_t mnt_peer_group;
	uint64_t mnt_master;
	uint64_t propagate_from;
	uint32_t mnt_root;
	uint32_t mnt_point;
};

/* sizeof(struct statmount), the same since Linux 6.8: its strings follow. */
#define STATMOUNT_STRINGS 512
/* Room for a root and a mount point: paths of at most PATH_MAX. */
#define STATMOUNT_BUF (STATMOUNT_STRINGS + 2 * 4096)
/* Mount IDs asked for at a time. */
#define LISTMOUNT_BATCH 256

/* The IDs of every mount of the namespace; their count, or -errno. */
static ssize_t list_mounts(int mntns_fd, uint64_t **ids)
{
	struct mnt_id_req_v1 req = { .size = sizeof(req),
				     .mnt_ns_fd = (uint32_t)mntns_fd,
				     .mnt_id = LSMT_ROOT };
	size_t n = 0, alloc = 0;

	*ids = NULL;
	for (;;) {
		long got;

		if (alloc - n < LISTMOUNT_BATCH) {
			alloc = alloc ? 2 * alloc : LISTMOUNT_BATCH;
			*ids = xrealloc(*ids, alloc * sizeof(**ids));
		}
		got = syscall(__NR_listmount, &req, *ids + n,
			      (size_t)LISTMOUNT_BATCH, 0);
		if (got < 0) {
			free(*ids);
			*ids = NULL;
			return -errno;
		}
		n += (size_t)got;
		if (got < LISTMOUNT_BATCH)
			return (ssize_t)n;
		req.param = (*ids)[n - 1]; /* the next batch starts after it */
	}
}

static int stat_mount(int mntns_fd, uint64_t id, uint64_t mask, char *buf)
{
	struct mnt_id_req_v1 req = { .size = sizeof(req),
				     .mnt_ns_fd = (uint32_t)mntns_fd,
				     .mnt_id = id, .param = mask };

	if (syscall(__NR_statmount, &req, buf, (size_t)STATMOUNT_BUF, 0) < 0)
		return -errno;
	buf[STATMOUNT_BUF] = '\0'; /* the buffer has a byte more: see below */
	return 0;
}

/* Whether the string at offset off of a statmount answer is in it. */
static bool has_string(const struct statmount_head *sm, uint32_t off)
{
	return sm->size > STATMOUNT_STRINGS &&
	       off < sm->size - STATMOUNT_STRINGS;
}

/*
 * Most mounts are not nsfs: the superblock's magic, without strings,
 * tells them apart, and only nsfs mounts are asked for their paths.
 */
static bool stat_nsfs_mount(int mntns_fd, uint64_t id, char *buf,
			    struct procfs_mount *mount)
{
	static char nsfs[] = "nsfs";
	const struct statmount_head *sm = (const void *)buf;
	char *strings = buf + STATMOUNT_STRINGS;

	if (stat_mount(mntns_fd, id, STATMOUNT_SB_BASIC, buf) < 0 ||
	    sm->sb_magic != NSFS_MAGIC)
		return false;
	if (stat_mount(mntns_fd, id, STATMOUNT_MNT_ROOT | STATMOUNT_MNT_POINT,
		       buf) < 0 ||
	    (~sm->mask & (STATMOUNT_MNT_ROOT | STATMOUNT_MNT_POINT)) ||
	    !has_string(sm, sm->mnt_root) || !has_string(sm, sm->mnt_point))
		return false;
	*mount = (struct procfs_mount){ .root = strings + sm->mnt_root,
					.mountpoint = strings + sm->mnt_point,
					.fstype = nsfs };
	return true;
}

static int read_nsfs_mounts(int mntns_fd,
			    void (*fn)(void *ctx,
				       const struct procfs_mount *mount),
			    void *ctx)
{
	uint64_t *ids;
	ssize_t n = list_mounts(mntns_fd, &ids);
	char *buf;

	if (n < 0)
		return (int)n;
	buf = xmalloc(STATMOUNT_BUF + 1);
	for (ssize_t i = 0; i < n; i++) {
		struct procfs_mount mount;

		if (stat_nsfs_mount(mntns_fd, ids[i], buf, &mount))
			fn(ctx, &mount);
	}
	free(buf);
	free(ids);
	return 0;
}

/*
 * A mnt_ns_fd of 0 means the caller's own mount namespace to the kernel:
 * fd 0 (stdin closed, and reused) is asked under another number.
 */
int mountlist_nsfs(int mntns_fd,
		   void (*fn)(void *ctx, const struct procfs_mount *mount),
		   void *ctx)
{
	int fd, ret;

	if (mntns_fd != 0)
		return read_nsfs_mounts(mntns_fd, fn, ctx);
	fd = fcntl(mntns_fd, F_DUPFD_CLOEXEC, 1);
	if (fd < 0)
		return -errno;
	ret = read_nsfs_mounts(fd, fn, ctx);
	close(fd);
	return ret;
}
