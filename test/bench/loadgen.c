/* SPDX-License-Identifier: Apache-2.0 */
/*
 * loadgen: a reproducible busy host for `make bench` (test/bench/run).
 *
 *   loadgen -p PROCS [-n SETS] [-t THREADS] [-f FDS] [-s SOCKETS]
 *           [-b BINDMOUNTS] [-r READYFILE]
 *
 * Makes PROCS processes in all (itself included), named "nstload*":
 * a share of them in the namespaces of this process, the rest spread over
 * SETS sets of a user, a network and a PID namespace each. A set is
 * made by a child ("nstload-ns") that unshares a user and a network
 * namespace, then a PID namespace, and forks that namespace's init
 * ("nstload-init"), which forks the rest of the set's share. THREADS extra
 * threads (beyond the first of each process) are spread over every fourth
 * process; each process holds FDS duplicates of /dev/null and SOCKETS UDP
 * sockets (in the network namespace it sits in), besides its standard
 * input, output and error. BINDMOUNTS network namespaces, each made by a
 * short-lived child, are kept alive only by a bind mount onto a file in a
 * private tmpfs mounted on a fresh directory under $TMPDIR (or /tmp).
 *
 * Every process reports on a pipe once it is set up; when all have, the
 * generator writes READYFILE (key=value lines: its PID and the sizes) and
 * waits. SIGTERM, SIGINT or SIGHUP make it kill everything it made, reap
 * it (it is the child subreaper of its load), unmount and remove what it
 * mounted, remove READYFILE and exit 0. Its children die with it through
 * PR_SET_PDEATHSIG even when it is killed outright; only the mounts then
 * stay behind (test/bench/run runs it in a mount namespace of its own).
 *
 * Exit status: 0 after a clean stop, 1 when the load could not be made,
 * 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

/* In every child, the write end of the ready pipe. */
#define READY_FD 3
#define THREAD_STACK (64 * 1024)

struct plan {
	long procs;	/* all processes, the generator included */
	long sets;	/* user+PID+net namespace sets */
	long threads;	/* extra threads over all processes */
	long fds;	/* /dev/null duplicates per process */
	long sockets;	/* UDP sockets per process */
	long binds;	/* bind-mounted network namespaces */
	long share;	/* processes per set: setter, init, workers */
	long host;	/* workers in the generator's namespaces */
	const char *readyfile;
};

static struct plan plan = {.procs = 100, .sets = 10};
static pid_t generator;
static pid_t *kids;
static long nkids;
/* room for "/net.N" after it */
static char mountdir[PATH_MAX - 32];
static long nmounted;

static void usage(FILE *f)
{
	fprintf(f, "usage: loadgen -p PROCS [-n SETS] [-t THREADS] [-f FDS]"
		   " [-s SOCKETS] [-b BINDMOUNTS] [-r READYFILE]\n");
}

static int parse_count(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 1000000)
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv)
{
	static const char counts[] = "pntfsb";
	long *target[] = {&plan.procs, &plan.sets, &plan.threads, &plan.fds,
			  &plan.sockets, &plan.binds};
	const char *which;
	int c;

	while ((c = getopt(argc, argv, "p:n:t:f:s:b:r:h")) != -1) {
		if (c == 'r') {
			plan.readyfile = optarg;
			continue;
		}
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		which = c == '?' ? NULL : strchr(counts, c);
		if (!which) {
			usage(stderr);
			return -1;
		}
		if (parse_count(optarg, target[which - counts]) < 0) {
			fprintf(stderr, "loadgen: -%c: not a count: %s\n", c,
				optarg);
			return -1;
		}
	}
	if (optind != argc || plan.procs < 1) {
		usage(stderr);
		return -1;
	}
	/* the others spread evenly over the host and the sets */
	plan.share = (plan.procs - 1) / (plan.sets + 1);
	if (plan.share < 2)
		plan.share = 2;
	plan.host = plan.procs - 1 - plan.sets * plan.share;
	if (plan.host < 0) {
		fprintf(stderr, "loadgen: %ld sets need at least %ld "
				"processes\n", plan.sets, 1 + 2 * plan.sets);
		return -1;
	}
	return 0;
}

/*
 * Extra threads per process index, set before the first fork. Every
 * fourth process has some; not a set maker: once it has unshared its PID
 * namespace, the kernel lets it make no thread (EINVAL).
 */
static long *nthreads;

static int is_setter(long idx)
{
	return idx > plan.host && (idx - 1 - plan.host) % plan.share == 0;
}

static int plan_threads(void)
{
	long idx, n = 0, k = 0;

	nthreads = calloc((size_t)plan.procs, sizeof(*nthreads));
	if (!nthreads)
		return -1;
	for (idx = 1; idx < plan.procs; idx++)
		n += idx % 4 == 1 && !is_setter(idx);
	for (idx = 1; idx < plan.procs && n > 0; idx++) {
		if (idx % 4 != 1 || is_setter(idx))
			continue;
		nthreads[idx] = plan.threads / n + (k < plan.threads % n);
		k++;
	}
	if (n == 0 && plan.threads > 0) {
		fprintf(stderr, "loadgen: too few processes for threads\n");
		return -1;
	}
	return 0;
}

/* In a child: tell the generator that the load cannot be made, and go. */
static void __attribute__((noreturn)) fail(long idx, const char *what)
{
	int err = errno;

	fprintf(stderr, "loadgen: process %ld: %s: %s\n", idx, what,
		strerror(err));
	if (write(READY_FD, "E", 1) < 0)
		_exit(1);
	_exit(1);
}

/*
 * First thing in every child: die with the parent, take a recognisable
 * name, unblock signals and keep no fd but stdio and the ready pipe.
 * PARENT is the PID expected as parent, 0 when it is not visible.
 */
static void child_setup(const char *name, pid_t parent, int ready)
{
	sigset_t none;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		_exit(1);
	if (parent && getppid() != parent)
		_exit(1);
	prctl(PR_SET_NAME, name, 0, 0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (ready != READY_FD && dup2(ready, READY_FD) < 0)
		_exit(1);
	close_range(READY_FD + 1, ~0U, 0);
}

static void *thread_main(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "nstload-t", 0, 0, 0);
	for (;;)
		pause();
	return NULL;
}

/* The process's own load: its threads, fds and sockets. */
static int make_own_load(long idx, const char **what)
{
	pthread_attr_t attr;
	pthread_t tid;
	long i, n = nthreads[idx];
	int fd = -1, err;

	*what = "/dev/null";
	if (plan.fds > 0 && (fd = open("/dev/null", O_RDWR)) < 0)
		return -1;
	*what = "dup";
	for (i = 1; i < plan.fds; i++)
		if (dup(fd) < 0)
			return -1;
	*what = "socket";
	for (i = 0; i < plan.sockets; i++)
		if (socket(AF_INET, SOCK_DGRAM, 0) < 0)
			return -1;
	*what = "pthread_create";
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	for (i = 0; i < n; i++) {
		err = pthread_create(&tid, &attr, thread_main, NULL);
		if (err) {
			errno = err;
			return -1;
		}
	}
	pthread_attr_destroy(&attr);
	return 0;
}

/* The end of every child: its own load, report ready, wait to be killed. */
static void __attribute__((noreturn)) settle(long idx)
{
	const char *what;

	if (make_own_load(idx, &what) < 0)
		fail(idx, what);
	if (write(READY_FD, "R", 1) != 1)
		_exit(1);
	close(READY_FD);
	for (;;)
		pause();
}

static void __attribute__((noreturn)) run_worker(long idx, pid_t parent,
						       int ready)
{
	child_setup("nstload", parent, ready);
	settle(idx);
}

/* PID 1 of a set's PID namespace: forks the rest of the set's share. */
static void __attribute__((noreturn)) run_init(long idx)
{
	long i;
	pid_t pid;

	child_setup("nstload-init", 0, READY_FD);
	for (i = 2; i < plan.share; i++) {
		pid = fork();
		if (pid < 0)
			fail(idx, "fork");
		if (pid == 0)
			run_worker(idx + i - 1, 1, READY_FD);
	}
	settle(idx);
}

/* Makes a set: a user and a network namespace, then a PID namespace. */
static void __attribute__((noreturn)) run_setter(long idx, int ready)
{
	pid_t pid;

	child_setup("nstload-ns", generator, ready);
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		fail(idx, "unshare(CLONE_NEWUSER|CLONE_NEWNET)");
	if (unshare(CLONE_NEWPID) < 0)
		fail(idx, "unshare(CLONE_NEWPID)");
	pid = fork();
	if (pid < 0)
		fail(idx, "fork");
	if (pid == 0)
		run_init(idx + 1);
	settle(idx);
}

/* A network namespace kept alive only by a bind mount onto PATH. */
static int bind_netns(const char *path)
{
	int up[2], hold[2], fd, rc = -1, err;
	char src[64], c;
	pid_t pid;

	fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0 || close(fd) < 0)
		return -1;
	if (pipe2(up, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(hold, O_CLOEXEC) < 0)
		goto out_up;
	pid = fork();
	if (pid < 0)
		goto out_hold;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		prctl(PR_SET_NAME, "nstload-bind", 0, 0, 0);
		close(up[0]);
		close(hold[1]);
		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		if (write(up[1], "R", 1) != 1)
			_exit(1);
		/* until the mount is made: EOF when the generator closes */
		while (read(hold[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(up[1]);
	up[1] = -1;
	if (read(up[0], &c, 1) == 1) {
		snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)pid);
		rc = mount(src, path, NULL, MS_BIND, NULL);
	} else {
		errno = ECHILD;
	}
	err = errno;
	close(hold[1]);
	hold[1] = -1;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	errno = err;
out_hold:
	if (hold[1] >= 0)
		close(hold[1]);
	close(hold[0]);
out_up:
	if (up[1] >= 0)
		close(up[1]);
	close(up[0]);
	return rc;
}

static int make_binds(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[PATH_MAX];
	long i;

	if (plan.binds == 0)
		return 0;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (snprintf(mountdir, sizeof(mountdir), "%s/nstload.XXXXXX", tmp) >=
	    (int)sizeof(mountdir)) {
		fprintf(stderr, "loadgen: TMPDIR too long\n");
		mountdir[0] = 0;
		return -1;
	}
	if (!mkdtemp(mountdir)) {
		perror("loadgen: mkdtemp");
		mountdir[0] = 0;
		return -1;
	}
	if (mount("nstload", mountdir, "tmpfs", MS_NOSUID | MS_NODEV |
		  MS_NOEXEC, "size=64k,mode=0700") < 0) {
		perror("loadgen: mounting a tmpfs");
		rmdir(mountdir);
		mountdir[0] = 0;
		return -1;
	}
	/* the bind mounts stay here, in no other mount namespace */
	if (mount(NULL, mountdir, NULL, MS_PRIVATE, NULL) < 0) {
		perror("loadgen: making the tmpfs private");
		return -1;
	}
	for (i = 0; i < plan.binds; i++) {
		snprintf(path, sizeof(path), "%s/net.%ld", mountdir, i);
		if (bind_netns(path) < 0) {
			fprintf(stderr, "loadgen: bind mount %s: %s\n", path,
				strerror(errno));
			return -1;
		}
		nmounted++;
	}
	return 0;
}

static void remove_binds(void)
{
	char path[PATH_MAX];
	long i;

	if (!mountdir[0])
		return;
	for (i = 0; i < nmounted; i++) {
		snprintf(path, sizeof(path), "%s/net.%ld", mountdir, i);
		if (umount2(path, MNT_DETACH) < 0)
			fprintf(stderr, "loadgen: umount %s: %s\n", path,
				strerror(errno));
	}
	if (umount2(mountdir, MNT_DETACH) < 0)
		fprintf(stderr, "loadgen: umount %s: %s\n", mountdir,
			strerror(errno));
	if (rmdir(mountdir) < 0)
		fprintf(stderr, "loadgen: rmdir %s: %s\n", mountdir,
			strerror(errno));
}

/* Forks the host workers and the set makers. */
static int fork_load(int ready)
{
	long i, idx = 1;
	pid_t pid;

	kids = calloc((size_t)(plan.host + plan.sets), sizeof(*kids));
	if (!kids)
		return -1;
	for (i = 0; i < plan.host + plan.sets; i++) {
		pid = fork();
		if (pid < 0) {
			perror("loadgen: fork");
			return -1;
		}
		if (pid == 0 && i < plan.host)
			run_worker(idx, generator, ready);
		if (pid == 0)
			run_setter(idx, ready);
		kids[nkids++] = pid;
		idx += i < plan.host ? 1 : plan.share;
	}
	return 0;
}

/* Kills every child, also orphans reparented to us as subreaper. */
static void kill_children(void)
{
	char path[64];
	FILE *f;
	long i;
	int pid;

	for (i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	snprintf(path, sizeof(path), "/proc/self/task/%d/children",
		 (int)generator);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fscanf(f, "%d", &pid) == 1)
		kill(pid, SIGKILL);
	fclose(f);
}

/* Kills and reaps everything below us (SIGCHLD is blocked). */
static void reap_all(void)
{
	struct timespec tick = {0, 100 * 1000 * 1000};
	sigset_t chld;
	pid_t pid;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (;;) {
		kill_children();
		while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
			;
		if (pid < 0 && errno == ECHILD)
			return;
		sigtimedwait(&chld, NULL, &tick);
	}
}

static int write_readyfile(void)
{
	char tmp[PATH_MAX];
	FILE *f;

	if (!plan.readyfile)
		return 0;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", plan.readyfile) >=
	    (int)sizeof(tmp))
		return -1;
	f = fopen(tmp, "we");
	if (!f)
		return -1;
	fprintf(f, "pid=%d\nprocs=%ld\nsets=%ld\nshare=%ld\nhost=%ld\n"
		   "threads=%ld\nfds=%ld\nsockets=%ld\nbinds=%ld\nmountdir=%s\n",
		(int)generator, plan.procs, plan.sets, plan.share, plan.host,
		plan.threads, plan.fds, plan.sockets, plan.binds, mountdir);
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, plan.readyfile);
}

/* Waits for PROCS-1 reports; 0 when ready, 1 on a signal, -1 failed. */
static int wait_ready(int rfd, int sfd)
{
	struct pollfd pfd[2] = {{.fd = rfd, .events = POLLIN},
				{.fd = sfd, .events = POLLIN}};
	long want = plan.procs - 1;
	char buf[512];
	ssize_t n, i;

	while (want > 0) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pfd[1].revents)
			return 1;
		n = read(rfd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "loadgen: %ld processes did not "
					"start\n", want);
			return -1;
		}
		for (i = 0; i < n; i++) {
			if (buf[i] != 'R')
				return -1;
			want--;
		}
	}
	return 0;
}

static void keep_stdio_open(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
}

int main(int argc, char **argv)
{
	struct signalfd_siginfo si;
	int ready[2], sfd, rc = 1, got = 0;
	sigset_t sigs;
	const char *what;

	if (parse_args(argc, argv) < 0)
		return 2;
	keep_stdio_open();
	if (plan_threads() < 0)
		return 1;
	generator = getpid();
	prctl(PR_SET_NAME, "nstload", 0, 0, 0);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		perror("loadgen: PR_SET_CHILD_SUBREAPER");
		return 1;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGCHLD);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sigdelset(&sigs, SIGCHLD);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sfd < 0) {
		perror("loadgen: signalfd");
		return 1;
	}
	if (make_binds() < 0)
		goto out;
	if (pipe(ready) < 0) {
		perror("loadgen: pipe");
		goto out;
	}
	if (fork_load(ready[1]) < 0)
		goto out;
	close(ready[1]);
	if (make_own_load(0, &what) < 0) {
		fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
		goto out;
	}
	got = wait_ready(ready[0], sfd);
	close(ready[0]);
	if (got < 0)
		goto out;
	if (got == 0 && write_readyfile() < 0) {
		perror("loadgen: writing the ready file");
		goto out;
	}
	while (got == 0) {
		if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			got = 1;
		else if (errno != EINTR)
			goto out;
	}
	rc = 0;
out:
	reap_all();
	remove_binds();
	if (plan.readyfile)
		unlink(plan.readyfile);
	return rc;
}
