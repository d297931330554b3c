/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sockns READY-FILE: creates a UDP socket in a fresh network namespace and
 * returns to the original one, so that the new namespace is held only by
 * the socket. Then writes "PID FD NETNS-INODE\n" to READY-FILE (atomically,
 * through a temporary file and rename) and sleeps until killed.
 */
#include "ready.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "sockns: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	struct stat st;
	int oldns, sock;

	if (argc != 2) {
		fprintf(stderr, "usage: sockns READY-FILE\n");
		return 2;
	}
	oldns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (oldns < 0)
		die("open /proc/self/ns/net");
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare(CLONE_NEWNET)");
	if (stat("/proc/self/ns/net", &st) < 0)
		die("stat the new net namespace");
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		die("socket");
	if (setns(oldns, CLONE_NEWNET) < 0)
		die("setns back to the original net namespace");
	close(oldns);

	if (write_ready(argv[1], "%d %d %llu\n", (int)getpid(), sock,
			(unsigned long long)st.st_ino) < 0)
		die(argv[1]);
	for (;;)
		pause();
}
