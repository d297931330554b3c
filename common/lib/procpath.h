/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one builder of the paths of processes and threads below /proc:
 * "PID", "PID/task/TID", and either with "/REST" after. Without snprintf:
 * the engine builds one per process, fd and link it reads, and parsing a
 * format was once a quarter of its own instructions.
 */
#ifndef NSTOOLS_PROCPATH_H
#define NSTOOLS_PROCPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Builds in buf (size bytes) the path of a process (tid 0) or of one of
 * its threads, relative to /proc, then "/" and the parts of REST up to a
 * NULL, joined as they are:
 *
 *	procpath(buf, size, pid, 0, NULL)               "PID"
 *	procpath(buf, size, pid, tid, "fd/", "3", NULL) "PID/task/TID/fd/3"
 *
 * Returns false (buf undefined) when it does not fit.
 */
bool procpath(char *buf, size_t size, pid_t pid, pid_t tid, ...)
	__attribute__((sentinel));

/* procpath with "/proc/" before: a path to show, or to open from "/". */
bool procpath_abs(char *buf, size_t size, pid_t pid, pid_t tid, ...)
	__attribute__((sentinel));

#endif
