/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ptytime: the time of an interactive command's first screen, for
 * `make bench` (test/bench/run).
 *
 *   ptytime [-x COLS] [-y LINES] [-t SECONDS] -- COMMAND [ARG...]
 *
 * Opens a pseudo-terminal of COLS x LINES (default 160 x 50), writes "q"
 * into it before COMMAND starts, then runs COMMAND as the leader of a new
 * session with the terminal as its controlling terminal and as its
 * standard input, output and error (TERM=xterm-256color unless TERM is
 * set). A full-screen tool that discovers, draws its first screen and
 * only then reads keys finds the "q" waiting and quits: the time from
 * just before the fork to the reaping of COMMAND is the time of its first
 * screen, start-up and exit included, as the text view's time is when
 * its output goes to /dev/null. The terminal is cooked, as a shell leaves
 * it: the "q" waits in the line discipline until the tool leaves
 * canonical mode, and is read then.
 *
 * While COMMAND runs, everything it writes is read and thrown away (the
 * last 2 KiB are kept), so that it never blocks on a full terminal. The
 * end is seen on a signalfd for SIGCHLD rather than as EIO on the master,
 * so that a process COMMAND left behind holding the terminal neither
 * delays nor hangs the measurement. After SECONDS (default 60) COMMAND's
 * process group is killed.
 *
 * Prints "SECONDS exit STATUS" (or "signal N") on stdout, the seconds
 * with %.6f from CLOCK_MONOTONIC. Exit status: 0 when COMMAND exited 0;
 * 1 when it did not (timed out, killed, another status: the status and
 * the last 2 KiB of its output, control bytes escaped, go to stderr) or
 * the terminal could not be made; 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define TAIL_SIZE 2048

struct options {
	unsigned short cols;
	unsigned short lines;
	double timeout;		/* seconds */
	char **argv;		/* the command */
};

/* The last TAIL_SIZE bytes the command wrote, a ring. */
struct tail {
	char buf[TAIL_SIZE];
	size_t len;		/* bytes kept, at most TAIL_SIZE */
	size_t head;		/* where the next byte goes */
};

struct run {
	int master;
	int sigfd;
	pid_t pid;
	int status;
	int timed_out;
	struct timespec start;
	struct timespec end;
	struct tail tail;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ptytime [-x COLS] [-y LINES] [-t SECONDS] -- "
		   "COMMAND [ARG...]\n");
}

static int parse_size(const char *s, unsigned short *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 65535)
		return -1;
	*out = (unsigned short)v;
	return 0;
}

static int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 86400)
		return -1;
	*out = v;
	return 0;
}

static int parse_option(int c, const char *arg, struct options *o)
{
	switch (c) {
	case 'x':
		return parse_size(arg, &o->cols);
	case 'y':
		return parse_size(arg, &o->lines);
	case 't':
		return parse_seconds(arg, &o->timeout);
	case 'h':
		usage(stdout);
		exit(0);
	}
	return -1;
}

/* "+": stop at the command, whose options are its own. */
static int parse_args(int argc, char **argv, struct options *o)
{
	int c;

	while ((c = getopt(argc, argv, "+x:y:t:h")) != -1) {
		if (parse_option(c, optarg, o) < 0) {
			if (c != '?')
				fprintf(stderr, "ptytime: -%c: bad value: %s\n",
					c, optarg);
			usage(stderr);
			return -1;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return -1;
	}
	o->argv = argv + optind;
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void tail_add(struct tail *t, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		t->buf[t->head] = buf[i];
		t->head = (t->head + 1) % TAIL_SIZE;
		if (t->len < TAIL_SIZE)
			t->len++;
	}
}

/* The tail on stderr, with control bytes as \ooo: it is a terminal's
 * output, escape sequences included, and stderr may be a terminal. */
static void tail_print(const struct tail *t)
{
	size_t i, at = (t->head + TAIL_SIZE - t->len) % TAIL_SIZE;
	unsigned char c;

	for (i = 0; i < t->len; i++) {
		c = (unsigned char)t->buf[(at + i) % TAIL_SIZE];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			fprintf(stderr, "\\%03o", c);
		else
			fputc(c, stderr);
	}
	if (t->len)
		fputc('\n', stderr);
}

/*
 * The master, and the slave opened once here: the window size is set on
 * it, and the child inherits it (a slave opened in the child only after
 * the "q" was written would do as well on Linux, but need not).
 */
static int open_pty(const struct options *o, int *master, int *slave)
{
	struct winsize ws = {.ws_col = o->cols, .ws_row = o->lines};
	char name[128];

	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0)
		return -1;
	if (grantpt(*master) < 0 || unlockpt(*master) < 0 ||
	    ptsname_r(*master, name, sizeof(name)) != 0)
		return -1;
	*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		return -1;
	if (ioctl(*slave, TIOCSWINSZ, &ws) < 0)
		return -1;
	return 0;
}

/* SIGCHLD blocked and read from a signalfd; *old is the mask to exec
 * with. */
static int open_sigfd(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, old) < 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static void __attribute__((noreturn))
child(int slave, char **argv, const sigset_t *mask)
{
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0 ||
	    dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0) {
		perror("ptytime: the terminal");
		_exit(127);
	}
	sigprocmask(SIG_SETMASK, mask, NULL);
	setenv("TERM", "xterm-256color", 0);
	execvp(argv[0], argv);
	fprintf(stderr, "ptytime: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static double seconds_between(const struct timespec *a,
			      const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Milliseconds left before the deadline, at least 0, for poll(). */
static int ms_left(const struct run *r, double timeout)
{
	struct timespec now;
	double left;

	clock_gettime(CLOCK_MONOTONIC, &now);
	left = timeout - seconds_between(&r->start, &now);
	return left <= 0 ? 0 : (int)(left * 1000) + 1;
}

/* Reads what the master has. Returns 1 at its end (EIO when no process
 * holds the slave any more, or EOF), 0 when it has no more for now. */
static int drain(struct run *r)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(r->master, buf, sizeof(buf));
		if (n > 0) {
			tail_add(&r->tail, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		return 1;
	}
}

/* Reaps the child if it has exited: 1 then, with the end time taken. */
static int try_reap(struct run *r)
{
	struct signalfd_siginfo si;
	pid_t p;

	while (read(r->sigfd, &si, sizeof(si)) > 0)
		;
	do
		p = waitpid(r->pid, &r->status, WNOHANG);
	while (p < 0 && errno == EINTR);
	if (p != r->pid)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &r->end);
	return 1;
}

static void kill_child(struct run *r)
{
	pid_t p;

	r->timed_out = 1;
	kill(-r->pid, SIGKILL);
	kill(r->pid, SIGKILL);
	do
		p = waitpid(r->pid, &r->status, 0);
	while (p < 0 && errno == EINTR);
	clock_gettime(CLOCK_MONOTONIC, &r->end);
}

/* Drains the master and waits for the child, until the deadline. Once
 * the master has ended, only the signalfd is polled. */
static void supervise(struct run *r, double timeout)
{
	struct pollfd fds[2] = {{.fd = r->sigfd, .events = POLLIN},
				{.fd = r->master, .events = POLLIN}};
	int n, nfds = 2, ms;

	for (;;) {
		ms = ms_left(r, timeout);
		if (ms == 0) {
			kill_child(r);
			return;
		}
		n = poll(fds, (nfds_t)nfds, ms);
		if (n < 0 && errno != EINTR)
			perror("ptytime: poll");
		if (n <= 0)
			continue;
		if (nfds == 2 && fds[1].revents && drain(r))
			nfds = 1;
		if (fds[0].revents && try_reap(r))
			return;
	}
}

static int report(struct run *r)
{
	double secs = seconds_between(&r->start, &r->end);
	int ok = WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0;

	if (WIFEXITED(r->status))
		printf("%.6f exit %d\n", secs, WEXITSTATUS(r->status));
	else
		printf("%.6f signal %d\n", secs, WTERMSIG(r->status));
	fflush(stdout);
	if (ok)
		return 0;
	if (r->timed_out)
		fprintf(stderr, "ptytime: timed out, killed\n");
	else if (WIFEXITED(r->status))
		fprintf(stderr, "ptytime: exit status %d\n",
			WEXITSTATUS(r->status));
	else
		fprintf(stderr, "ptytime: killed by signal %d\n",
			WTERMSIG(r->status));
	fprintf(stderr, "ptytime: the last of its output:\n");
	tail_print(&r->tail);
	return 1;
}

/* Everything up to the fork; the clock starts just before it. */
static int start(struct run *r, const struct options *o)
{
	sigset_t mask;
	int slave;

	if (open_pty(o, &r->master, &slave) < 0) {
		perror("ptytime: the pseudo-terminal");
		return -1;
	}
	if (write_all(r->master, "q", 1) < 0 ||
	    fcntl(r->master, F_SETFL, O_NONBLOCK) < 0) {
		perror("ptytime: the master");
		return -1;
	}
	r->sigfd = open_sigfd(&mask);
	if (r->sigfd < 0) {
		perror("ptytime: signalfd");
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	r->pid = fork();
	if (r->pid < 0) {
		perror("ptytime: fork");
		return -1;
	}
	if (r->pid == 0)
		child(slave, o->argv, &mask);
	close(slave);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = {.cols = 160, .lines = 50, .timeout = 60};
	static struct run r;

	if (parse_args(argc, argv, &o) < 0)
		return 2;
	if (start(&r, &o) < 0)
		return 1;
	supervise(&r, o.timeout);
	drain(&r);
	return report(&r);
}
