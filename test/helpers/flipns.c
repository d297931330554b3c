/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flipns READYFILE: a process that makes new uts, ipc and cgroup
 * namespaces of its own, one after the other, as fast as it can.
 *
 * Each unshare ends the namespace of that type it was in, and the kernel
 * gives the freed inode to the next namespace made, whatever its type:
 * the uts link that a discovery reads a moment after the ipc link may name
 * the very inode the ipc link did. Writes its PID to READYFILE (atomically,
 * through a rename) once the loop runs, and runs until killed.
 */
#include "ready.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const int flags[] = { CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWCGROUP };

static int flip(unsigned long i)
{
	if (unshare(flags[i % (sizeof(flags) / sizeof(flags[0]))]) == 0)
		return 0;
	fprintf(stderr, "flipns: unshare: %s\n", strerror(errno));
	return -1;
}

int main(int argc, char **argv)
{
	unsigned long i;

	if (argc != 2) {
		fprintf(stderr, "usage: flipns READYFILE\n");
		return 2;
	}
	for (i = 0; i < 3; i++)
		if (flip(i) < 0)
			return 1;
	if (write_ready(argv[1], "%d\n", (int)getpid()) < 0) {
		fprintf(stderr, "flipns: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (;; i++)
		if (flip(i) < 0)
			return 1;
}
