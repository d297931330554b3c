/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rename NAME READYFILE [ARG...]: a process with a hostile name.
 *
 * Sets its comm to the bytes of NAME with PR_SET_NAME (the kernel keeps
 * the first 15), writes its PID to READYFILE (atomically, through a
 * rename) and then sleeps forever. The ARGs only lengthen its cmdline.
 */
#include "ready.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: rename NAME READYFILE [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NAME, argv[1], 0, 0, 0) < 0) {
		perror("rename: PR_SET_NAME");
		return 1;
	}
	if (write_ready(argv[2], "%d\n", (int)getpid()) < 0) {
		fprintf(stderr, "rename: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	for (;;)
		pause();
}
