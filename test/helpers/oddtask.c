/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oddtask READYFILE NAME LOOSENAME [THREADNAME...]: a process with an
 * empty command line and threads with hostile names.
 *
 * Empties its /proc/PID/cmdline (PR_SET_MM_MAP with arg_end = arg_start:
 * unlike PR_SET_MM_ARG_END, it needs no CAP_SYS_RESOURCE), sets its comm
 * to NAME, starts a thread named LOOSENAME that unshares its net and uts namespaces (a loose thread),
 * and one thread per THREADNAME, named so; the kernel keeps 15 bytes of
 * each name. Once all are named, writes "PID LOOSETID" to READYFILE
 * (atomically, through a rename) and sleeps forever.
 */
#include "ready.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/prctl.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t named = PTHREAD_COND_INITIALIZER;
static int pending;
static pid_t loose_tid;

static void die(const char *what)
{
	fprintf(stderr, "oddtask: %s: %s\n", what, strerror(errno));
	exit(1);
}

struct thread_arg {
	const char *name;
	bool loose;
};

static void *thread(void *p)
{
	const struct thread_arg *arg = p;

	if (arg->loose && unshare(CLONE_NEWNET | CLONE_NEWUTS) < 0)
		die("unshare");
	if (prctl(PR_SET_NAME, arg->name, 0, 0, 0) < 0)
		die("PR_SET_NAME");
	pthread_mutex_lock(&lock);
	if (arg->loose)
		loose_tid = gettid();
	pending--;
	pthread_cond_signal(&named);
	pthread_mutex_unlock(&lock);
	for (;;)
		pause();
	return NULL;
}

/*
 * The fields of /proc/self/stat, numbered from 1 as in proc(5); those
 * after the command name, which holds no ")" of its own here.
 */
static void read_stat(unsigned long long field[static 53])
{
	char buf[4096], *p, *tok;
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n;
	int i = 3;

	if (!f)
		die("/proc/self/stat");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		die("/proc/self/stat");
	for (tok = strtok(p + 2, " "); tok && i < 53; tok = strtok(NULL, " "))
		field[i++] = strtoull(tok, NULL, 10);
	if (i < 52) {
		errno = EINVAL;
		die("/proc/self/stat");
	}
}

/* The memory map as it is, but for an empty argument area. */
static void empty_cmdline(void)
{
	unsigned long long f[53] = { 0 };
	struct prctl_mm_map map;

	read_stat(f);
	map = (struct prctl_mm_map){
		.start_code = f[26], .end_code = f[27], .start_stack = f[28],
		.start_data = f[45], .end_data = f[46], .start_brk = f[47],
		.brk = (uintptr_t)sbrk(0), .arg_start = f[48], .arg_end = f[48],
		.env_start = f[50], .env_end = f[51], .exe_fd = (__u32)-1,
	};
	if (prctl(PR_SET_MM, PR_SET_MM_MAP, &map, sizeof(map), 0) < 0)
		die("PR_SET_MM_MAP");
}

static void say_ready(const char *path)
{
	if (write_ready(path, "%d %d\n", (int)getpid(), (int)loose_tid) < 0)
		die(path);
}

int main(int argc, char **argv)
{
	struct thread_arg *args;
	pthread_t t;

	if (argc < 4) {
		fprintf(stderr, "usage: oddtask READYFILE NAME LOOSENAME "
				"[THREADNAME...]\n");
		return 2;
	}
	empty_cmdline();
	if (prctl(PR_SET_NAME, argv[2], 0, 0, 0) < 0)
		die("PR_SET_NAME");
	args = calloc((size_t)argc, sizeof(*args));
	if (!args)
		die("calloc");
	pending = argc - 3;
	for (int i = 3; i < argc; i++) {
		args[i] = (struct thread_arg){ .name = argv[i], .loose = i == 3 };
		errno = pthread_create(&t, NULL, thread, &args[i]);
		if (errno)
			die("pthread_create");
	}
	pthread_mutex_lock(&lock);
	while (pending > 0)
		pthread_cond_wait(&named, &lock);
	pthread_mutex_unlock(&lock);
	say_ready(argv[1]);
	for (;;)
		pause();
}
