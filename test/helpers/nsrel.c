/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nsrel PATH [parent|owner|uid|id]...: what the kernel says about a
 * namespace.
 *
 * Opens the namespace link PATH (e.g. /proc/PID/ns/pid) and prints its
 * inode, then follows each step in turn with the NS_GET_PARENT or
 * NS_GET_USERNS ioctl and prints the inode of each namespace reached, one
 * a line; "uid" prints instead the UID of the creator of the user
 * namespace reached (NS_GET_OWNER_UID), "id" the 64-bit ID of the
 * namespace reached (NS_GET_ID, Linux 6.18). Exits 1 when a step fails
 * (EPERM: no parent, or none visible; ENOTTY: no NS_GET_ID).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NS_GET_ID
#define NS_GET_ID _IOR(0xb7, 13, __u64)
#endif

static int print_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	printf("%llu\n", (unsigned long long)st.st_ino);
	return 0;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc < 2) {
		fprintf(stderr,
			"usage: nsrel PATH [parent|owner|uid|id]...\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || print_inode(fd) < 0) {
		fprintf(stderr, "nsrel: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		unsigned long req;
		int next;

		if (!strcmp(argv[i], "id")) {
			__u64 id;

			if (ioctl(fd, NS_GET_ID, &id) < 0) {
				fprintf(stderr, "nsrel: id: %s\n",
					strerror(errno));
				return 1;
			}
			printf("%llu\n", (unsigned long long)id);
			continue;
		}
		if (!strcmp(argv[i], "uid")) {
			uid_t uid;

			if (ioctl(fd, NS_GET_OWNER_UID, &uid) < 0) {
				fprintf(stderr, "nsrel: uid: %s\n",
					strerror(errno));
				return 1;
			}
			printf("%u\n", (unsigned)uid);
			continue;
		}
		if (!strcmp(argv[i], "parent"))
			req = NS_GET_PARENT;
		else if (!strcmp(argv[i], "owner"))
			req = NS_GET_USERNS;
		else {
			fprintf(stderr, "nsrel: unknown step '%s'\n", argv[i]);
			return 2;
		}
		next = ioctl(fd, req);
		if (next < 0) {
			fprintf(stderr, "nsrel: %s: %s\n", argv[i],
				strerror(errno));
			return 1;
		}
		close(fd);
		fd = next;
		if (print_inode(fd) < 0)
			return 1;
	}
	close(fd);
	return fflush(stdout) == 0 ? 0 : 1;
}
