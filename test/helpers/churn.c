/* SPDX-License-Identifier: Apache-2.0 */
/*
 * churn READYFILE STATSFILE [SECONDS]: creates and ends processes, threads
 * and namespaces as fast as it can, for the churn tests.
 *
 * Two workers (this process and a child) loop over rounds of: a child that
 * exits at once (a zombie until reaped), a thread that exits, a thread
 * that unshares its net and uts namespaces (a loose thread), children that
 * unshare net, uts+ipc, user, mount+cgroup, pid (then fork the init of the
 * new PID namespace) and time (then fork), each living for a moment so
 * that discovery meets it alive, in a dying state or gone.
 *
 * READYFILE gets this process's PID once the first round is done; every
 * 20 rounds STATSFILE is rewritten with "ROUNDS PROCESSES THREADS
 * NAMESPACES" (totals of both workers). Both are written atomically,
 * through a rename.
 *
 * Bounded: it runs until killed, or for SECONDS (300 by default) should
 * nobody kill it; every process it forks dies with its parent
 * (PR_SET_PDEATHSIG), so that killing this one ends them all.
 */
#include "ready.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct counters {
	unsigned long rounds, processes, threads, namespaces;
};

static struct counters *shared;
static pid_t top;

static void count(unsigned long *what, unsigned long n)
{
	__atomic_add_fetch(what, n, __ATOMIC_RELAXED);
}

/* A moment of life: 0 to 2 ms. */
static void moment(unsigned seed)
{
	struct timespec ts = { 0, (long)(seed % 3) * 1000000L };

	nanosleep(&ts, NULL);
}

/* In a child: dies with its parent, even one that died before this. */
static void die_with(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
}

static pid_t spawn(int flags, bool fork_init, unsigned seed)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	die_with(parent);
	if (flags && unshare(flags) < 0)
		_exit(1);
	if (fork_init) {
		pid_t me = getpid();
		pid_t init = fork();

		if (init == 0) {
			die_with(me);
			moment(seed);
			_exit(0);
		}
		if (init > 0)
			waitpid(init, NULL, 0);
	}
	moment(seed);
	_exit(0);
}

static void *exits(void *arg)
{
	(void)arg;
	return NULL;
}

static void *loose(void *arg)
{
	/* CLONE_FS is shared by threads: net and uts only */
	if (unshare(CLONE_NEWNET | CLONE_NEWUTS) == 0)
		count(&shared->namespaces, 2);
	moment((unsigned)(uintptr_t)arg);
	return NULL;
}

static void threads(unsigned seed)
{
	pthread_t a, b;
	bool have_a = pthread_create(&a, NULL, exits, NULL) == 0;
	bool have_b = pthread_create(&b, NULL, loose,
				     (void *)(uintptr_t)seed) == 0;

	if (have_a)
		pthread_join(a, NULL);
	if (have_b)
		pthread_join(b, NULL);
	count(&shared->threads, (unsigned long)have_a + have_b);
}

static void round_of(unsigned seed)
{
	static const struct {
		int flags;
		bool fork_init;
		unsigned long namespaces;
	} kinds[] = {
		{ 0, false, 0 },
		{ CLONE_NEWNET, false, 1 },
		{ CLONE_NEWUTS | CLONE_NEWIPC, false, 2 },
		{ CLONE_NEWUSER, false, 1 },
		{ CLONE_NEWNS | CLONE_NEWCGROUP, false, 2 },
		{ CLONE_NEWPID, true, 1 },
		{ CLONE_NEWTIME, true, 1 },
	};
	pid_t pids[sizeof(kinds) / sizeof(kinds[0])];
	size_t n = sizeof(kinds) / sizeof(kinds[0]);

	for (size_t i = 0; i < n; i++) {
		pids[i] = spawn(kinds[i].flags, kinds[i].fork_init, seed + i);
		if (pids[i] > 0) {
			count(&shared->processes, 1 + kinds[i].fork_init);
			count(&shared->namespaces, kinds[i].namespaces);
		}
	}
	threads(seed);
	for (size_t i = 0; i < n; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
}

static void write_stats(const char *path)
{
	char text[256];

	snprintf(text, sizeof(text), "%lu %lu %lu %lu\n",
		 __atomic_load_n(&shared->rounds, __ATOMIC_RELAXED),
		 __atomic_load_n(&shared->processes, __ATOMIC_RELAXED),
		 __atomic_load_n(&shared->threads, __ATOMIC_RELAXED),
		 __atomic_load_n(&shared->namespaces, __ATOMIC_RELAXED));
	write_ready(path, "%s", text);
}

static noreturn void work(const char *ready, const char *stats)
{
	char text[32];

	for (unsigned r = 0;; r++) {
		round_of(r * 7 + (unsigned)getpid());
		count(&shared->rounds, 1);
		if (ready && r == 0) {
			snprintf(text, sizeof(text), "%d\n", (int)top);
			if (write_ready(ready, "%s", text) < 0) {
				perror("churn: READYFILE");
				exit(1);
			}
		}
		if (stats && r % 20 == 0)
			write_stats(stats);
	}
}

int main(int argc, char **argv)
{
	unsigned seconds = argc > 3 ? (unsigned)atoi(argv[3]) : 300;
	pid_t worker;

	if (argc < 3 || argc > 4 || !seconds) {
		fprintf(stderr, "usage: churn READYFILE STATSFILE [SECONDS]\n");
		return 2;
	}
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("churn: mmap");
		return 1;
	}
	top = getpid();
	/* the bound: SIGALRM ends this one, and so every child */
	alarm(seconds);
	worker = fork();
	if (worker < 0) {
		perror("churn: fork");
		return 1;
	}
	if (worker == 0) {
		die_with(top);
		work(NULL, NULL);
	}
	work(argv[1], argv[2]);
}
