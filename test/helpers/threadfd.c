/* SPDX-License-Identifier: Apache-2.0 */
/*
 * threadfd PATH READY-FILE: starts a thread that unshares its fd table
 * (CLONE_FILES) and opens PATH (a namespace file) there, so that only that
 * thread's fd table holds it. Then writes "PID TID FD\n" to READY-FILE
 * (atomically, through a temporary file and rename) and sleeps until
 * killed.
 */
#include "ready.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *ns_path;
static const char *ready_path;

static void die(const char *what, int err)
{
	fprintf(stderr, "threadfd: %s: %s\n", what, strerror(err));
	exit(1);
}

static void *holder(void *arg)
{
	int fd;

	(void)arg;
	if (unshare(CLONE_FILES) < 0)
		die("unshare(CLONE_FILES)", errno);
	fd = open(ns_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(ns_path, errno);
	if (write_ready(ready_path, "%d %d %d\n", (int)getpid(), (int)gettid(),
			fd) < 0)
		die(ready_path, errno);
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t thread;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: threadfd NS-PATH READY-FILE\n");
		return 2;
	}
	ns_path = argv[1];
	ready_path = argv[2];
	err = pthread_create(&thread, NULL, holder, NULL);
	if (err)
		die("pthread_create", err);
	for (;;)
		pause();
}
