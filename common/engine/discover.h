/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The discovery engine: reads /proc and the namespaces it leads to, and
 * fills a model. It never prints; what the user should hear about (missing
 * privileges, what could not be read) goes into the model as numbers
 * (discovery.unread), for the interface to say (ui/warning.h).
 */
#ifndef NSTOOLS_DISCOVER_H
#define NSTOOLS_DISCOVER_H

#include "model/model.h"

#include <stdbool.h>

/*
 * The open files a discovery needs at once, at the least: /proc, a
 * process's directory, task/ and files, a socket's copy, a namespace with
 * its owner and parent (or, before those, the netlink socket that asks a
 * network namespace's nsid), with room to spare.
 */
#define DISCOVER_MIN_FDS 16

/*
 * Discovers everything visible from here into m (initialised, empty) and
 * finishes it. Returns 0, or -errno when /proc cannot be read at all,
 * -ESRCH when /proc does not show this process (a procfs of a PID
 * namespace that this process is not in), or -EMFILE when RLIMIT_NOFILE
 * allows fewer than DISCOVER_MIN_FDS open files (what could not be opened
 * would be missing without a word).
 */
int discover(struct model *m, const struct discovery_scope *scope);

/*
 * What /proc tells of pid before a discovery, as it shows it: 0 with
 * *tgid its process (pid itself, or the process pid is a thread of),
 * -ENOENT when /proc has no such PID, or another -errno when it cannot
 * tell: /proc does not show this process, or (own_pidns, for a PID that
 * counts in the caller's PID namespace) /proc is of another PID namespace.
 */
int discover_pid_lookup(pid_t pid, bool own_pidns, pid_t *tgid);

#endif
