/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rename NAME READYFILE [ARG...]: a process with a hostile name.
 *
 * Sets its comm to the bytes of NAME with PR_SET_NAME (the kernel keeps
 * the first 15), writes its PID to READYFILE (atomically, through a
 * rename) and then sleeps forever. The ARGs only lengthen its cmdline.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char tmp[4096];
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: rename NAME READYFILE [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NAME, argv[1], 0, 0, 0) < 0) {
		perror("rename: PR_SET_NAME");
		return 1;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]) >= (int)sizeof(tmp))
		return 1;
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0 ||
	    rename(tmp, argv[2]) < 0) {
		fprintf(stderr, "rename: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	for (;;)
		pause();
}
