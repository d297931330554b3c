/* SPDX-License-Identifier: Apache-2.0 */
/*
 * loosethread READYFILE: a process with one thread that is alone in
 * namespaces of its own.
 *
 * Starts a thread that unshares its net and uts namespaces (which leaves
 * the main thread, and so the process, where they were), writes its TID to
 * READYFILE (atomically, through a rename) and then sleeps forever, as
 * does the main thread.
 */
#include "ready.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *ready;

static void *loose(void *arg)
{
	(void)arg;
	if (unshare(CLONE_NEWNET | CLONE_NEWUTS) < 0) {
		fprintf(stderr, "loosethread: unshare: %s\n", strerror(errno));
		_exit(1);
	}
	if (write_ready(ready, "%d\n", (int)gettid()) < 0) {
		fprintf(stderr, "loosethread: %s: %s\n", ready, strerror(errno));
		_exit(1);
	}
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t thread;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: loosethread READYFILE\n");
		return 2;
	}
	ready = argv[1];
	err = pthread_create(&thread, NULL, loose, NULL);
	if (err) {
		fprintf(stderr, "loosethread: pthread_create: %s\n",
			strerror(err));
		return 1;
	}
	for (;;)
		pause();
}
