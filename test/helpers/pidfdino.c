/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pidfdino PID...: the inode of a pidfd of each PID (pidfd_open, then
 * fstat; a pidfs inode since Linux 6.9), one a line. Exits 1 when a PID
 * has none (gone, or pidfd_open refused).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: pidfdino PID...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);
		struct stat st;
		int fd;

		if (*end || pid <= 0) {
			fprintf(stderr, "pidfdino: invalid PID '%s'\n", argv[i]);
			return 2;
		}
		fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
		if (fd < 0 || fstat(fd, &st) < 0) {
			fprintf(stderr, "pidfdino: %ld: %s\n", pid,
				strerror(errno));
			return 1;
		}
		printf("%llu\n", (unsigned long long)st.st_ino);
		close(fd);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
