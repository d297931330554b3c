/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The process pass's readers: the PIDs in /proc, read by a few threads at
 * once. Nearly all of a discovery's time is spent in the kernel, making
 * /proc's files, and the kernel makes them for two threads as fast as for
 * one: on two CPUs, two readers take half the time. A thread is worth
 * starting for a few dozen processes; beyond four, the gain was not
 * measured.
 */
#include "engine/discover_internal.h"

#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#define MAX_READERS 4
#define PROCS_PER_READER 32
/* PIDs a reader takes at a time: few enough to end together */
#define PIDS_PER_TAKE 8
#define READER_ARENA_STEP (1 << 20)

struct pid_queue {
	pid_t *pids;
	size_t n, alloc;
	atomic_size_t next;
	void (*read_process)(struct reader *r, pid_t pid);
};

static void queue_pid(void *ctx, const char *name)
{
	struct pid_queue *q = ctx;
	pid_t pid;

	if (procfs_parse_pid_name(name, &pid))
		VEC_PUSH(q->pids, q->n, q->alloc, pid);
}

static void read_queue(struct reader *r, struct pid_queue *q)
{
	for (;;) {
		size_t i = atomic_fetch_add(&q->next, PIDS_PER_TAKE);
		size_t end = i + PIDS_PER_TAKE < q->n ? i + PIDS_PER_TAKE : q->n;

		if (i >= q->n)
			return;
		for (; i < end; i++)
			q->read_process(r, q->pids[i]);
	}
}

/* The CPUs this process may run on, at least 1. */
static size_t usable_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 1;
	return CPU_COUNT(&set) > 0 ? (size_t)CPU_COUNT(&set) : 1;
}

static size_t reader_count(size_t nprocs)
{
	size_t n = nprocs / PROCS_PER_READER;
	size_t cpus = usable_cpus();

	if (n > cpus)
		n = cpus;
	if (n > MAX_READERS)
		n = MAX_READERS;
	return n ? n : 1;
}

/*
 * How many done fds may wait: what RLIMIT_NOFILE leaves beside the
 * DISCOVER_MIN_FDS a reader needs at once to read a process.
 */
static size_t done_fds_allowed(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= DISCOVER_MIN_FDS + READER_DONE_FDS)
		return READER_DONE_FDS;
	if (rl.rlim_cur <= DISCOVER_MIN_FDS)
		return 0;
	return (size_t)(rl.rlim_cur - DISCOVER_MIN_FDS);
}

struct reader reader_for_caller(struct scan *s)
{
	return (struct reader){ .s = s, .procfd = s->procfd,
				.buf = PROCFS_BUF_INIT,
				.settled = HASHMAP_INIT,
				.max_done_fds = done_fds_allowed() };
}

void reader_finish(struct reader *r)
{
	struct scan *s = r->s;

	reader_close_done_fds(r);
	for (size_t i = 0; i < r->nprocs; i++)
		model_insert_proc(s->m, r->procs[i]);
	reader_finish_containers(r);
	for (size_t i = 0; i < r->npath_fds; i++)
		VEC_PUSH(s->path_fds, s->npath_fds, s->path_fds_alloc,
			 r->path_fds[i]);
	s->denied += r->denied;
	s->procs_failed += r->procs_failed;
	s->fds_denied += r->fds_denied;
	s->fd_tables_failed += r->fd_tables_failed;
	s->sockets_unasked += r->sockets_unasked;
	free(r->procs);
	free(r->path_fds);
	procfs_buf_release(&r->buf);
	hashmap_release(&r->settled);
}

void reader_done_fd(struct reader *r, int fd)
{
	if (!r->max_done_fds) {
		close(fd);
		return;
	}
	if (r->ndone_fds >= r->max_done_fds)
		reader_close_done_fds(r);
	r->done_fds[r->ndone_fds++] = fd;
}

static void close_fd_run(int first, int last)
{
	if (first < last && !close_range((unsigned)first, (unsigned)last, 0))
		return;
	/* a single fd, or a kernel before 5.9 */
	for (int fd = first; fd <= last; fd++)
		close(fd);
}

void reader_close_done_fds(struct reader *r)
{
	int *fds = r->done_fds;
	size_t n = r->ndone_fds;

	/* they come nearly in order: insertion sort */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			int t = fds[j];

			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && fds[j] == fds[j - 1] + 1; j++)
			;
		close_fd_run(fds[i], fds[j - 1]);
	}
	r->ndone_fds = 0;
}

/* Where a reader thread keeps /proc in its own fd table. */
#define READER_PROCFD 3

/*
 * A reader thread takes an fd table of its own, with nothing in it but
 * standard input, output and error (copies) and /proc: its files then
 * number up from 4 in one run (see reader_done_fd), and the kernel takes
 * an fd from an unshared table without counting a reference, where
 * threads sharing a table all count on the same /proc file. Without it
 * (unshare failed) the reader works in the shared table, only slower.
 */
static void reader_own_fd_table(struct reader *r)
{
	if (unshare(CLONE_FILES) < 0)
		return;
	if (r->procfd != READER_PROCFD &&
	    dup3(r->procfd, READER_PROCFD, O_CLOEXEC) < 0)
		return;
	r->procfd = READER_PROCFD;
	close_range(READER_PROCFD + 1, ~0U, 0);
}

struct reader_thread {
	struct reader r;
	struct pid_queue *q;
	pthread_t thread;
};

static void *run_reader_thread(void *arg)
{
	struct reader_thread *rt = arg;

	reader_own_fd_table(&rt->r);
	read_queue(&rt->r, rt->q);
	/* its fd table may be its own: the numbers mean nothing elsewhere */
	reader_close_done_fds(&rt->r);
	return NULL;
}

/*
 * This thread reads too. A thread that cannot be had leaves its share to
 * the others: the queue is done by whoever runs.
 */
static void read_in_threads(struct scan *s, struct pid_queue *q)
{
	size_t n = reader_count(q->n), started = 0;
	struct reader_thread *rts = xcalloc(n, sizeof(*rts));
	struct reader self = reader_for_caller(s);

	/*
	 * Another thread's malloc arena grows a page per mprotect, hundreds
	 * of calls on a large host, unless it is told to grow in larger steps.
	 */
	if (n > 1)
		mallopt(M_TOP_PAD, READER_ARENA_STEP);
	for (size_t i = 0; i + 1 < n; i++) {
		struct reader_thread *rt = &rts[started];

		rt->r = reader_for_caller(s);
		rt->q = q;
		if (pthread_create(&rt->thread, NULL, run_reader_thread, rt))
			break;
		started++;
	}
	read_queue(&self, q);
	for (size_t i = 0; i < started; i++)
		pthread_join(rts[i].thread, NULL);
	reader_finish(&self);
	for (size_t i = 0; i < started; i++)
		reader_finish(&rts[i].r);
	free(rts);
}

int read_processes(struct scan *s,
		   void (*read_process)(struct reader *r, pid_t pid))
{
	struct pid_queue q = { .read_process = read_process };
	int ret = procfs_for_each_entry(s->procfd, queue_pid, &q);

	if (!ret)
		read_in_threads(s, &q);
	free(q.pids);
	return ret;
}

