/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reaper PIDFILE CMD [ARG...]: a fixture runner for the test suites.
 *
 * Starts a session of its own (so that it needs no setsid(1), which would
 * fork when run as a process group leader) and runs CMD as its child, in a
 * process group of its own, and writes the
 * child's PID to PIDFILE (atomically, through a rename). As the child
 * subreaper of everything CMD starts, it inherits and reaps whatever is
 * orphaned below it, so that a killed fixture leaves no zombie to the
 * machine's init. It exits only once it has no descendant left, with the
 * status of CMD (128 + signal when CMD was killed).
 *
 * SIGTERM, SIGINT or SIGHUP kill CMD's process group; kill_started in
 * common.bash kills every descendant explicitly and then waits for this.
 */
#include "ready.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t child;

static void on_signal(int sig)
{
	(void)sig;
	if (child > 0)
		kill(-child, SIGKILL);
}

static int write_pidfile(const char *path, pid_t pid)
{
	return write_ready(path, "%d\n", (int)pid);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int status = 0, result = 1;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: reaper PIDFILE CMD [ARG...]\n");
		return 2;
	}
	/* fails only for a process group leader, which is detached enough */
	setsid();
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		perror("reaper: PR_SET_CHILD_SUBREAPER");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("reaper: fork");
		return 1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "reaper: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	/* either this or the child's own call puts it in its group first */
	setpgid(pid, pid);
	child = pid;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (write_pidfile(argv[1], pid) < 0) {
		perror("reaper: writing the PID file");
		kill(-pid, SIGKILL);
	}
	for (;;) {
		pid_t done = wait(&status);

		if (done < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (done != pid)
			continue;
		if (WIFEXITED(status))
			result = WEXITSTATUS(status);
		else if (WIFSIGNALED(status))
			result = 128 + WTERMSIG(status);
	}
	return result;
}
