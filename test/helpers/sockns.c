/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sockns READY-FILE [UID]: creates a UDP socket in a fresh network
 * namespace and returns to the original one, so that the new namespace is
 * held only by the socket. With UID, then becomes that user (UID and GID,
 * no groups), keeping itself dumpable so that the user may read its /proc:
 * its socket stays in a namespace that root made. Then writes "PID FD
 * NETNS-INODE NETNS-ID\n" to READY-FILE (atomically, through a temporary
 * file and rename; the ID is NS_GET_ID's, Linux 6.18, 0 without it) and
 * sleeps until killed.
 */
#include "ready.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NS_GET_ID
#define NS_GET_ID _IOR(0xb7, 13, __u64)
#endif

static void die(const char *what)
{
	fprintf(stderr, "sockns: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* setuid makes a process undumpable: its /proc would be root's. */
static void become(const char *arg)
{
	char *end;
	long uid = strtol(arg, &end, 10);

	if (*end || uid < 0) {
		fprintf(stderr, "sockns: invalid UID '%s'\n", arg);
		exit(2);
	}
	if (setgroups(0, NULL) < 0 || setgid((gid_t)uid) < 0 ||
	    setuid((uid_t)uid) < 0)
		die("become the user");
	if (prctl(PR_SET_DUMPABLE, 1) < 0)
		die("prctl(PR_SET_DUMPABLE)");
}

int main(int argc, char **argv)
{
	struct stat st;
	__u64 id = 0;
	int oldns, newns, sock;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: sockns READY-FILE [UID]\n");
		return 2;
	}
	oldns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (oldns < 0)
		die("open /proc/self/ns/net");
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare(CLONE_NEWNET)");
	newns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (newns < 0 || fstat(newns, &st) < 0)
		die("open the new net namespace");
	if (ioctl(newns, NS_GET_ID, &id) < 0)
		id = 0;
	close(newns);
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		die("socket");
	if (setns(oldns, CLONE_NEWNET) < 0)
		die("setns back to the original net namespace");
	close(oldns);
	if (argc == 3)
		become(argv[2]);

	if (write_ready(argv[1], "%d %d %llu %llu\n", (int)getpid(), sock,
			(unsigned long long)st.st_ino,
			(unsigned long long)id) < 0)
		die(argv[1]);
	for (;;)
		pause();
}
