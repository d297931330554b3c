/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The discovery engine: reads /proc and the namespaces it leads to, and
 * fills a model. It never prints; what the user should hear about (missing
 * privileges, processes that could not be inspected) goes into the model's
 * warnings for the tool to say.
 */
#ifndef NSTOOLS_DISCOVER_H
#define NSTOOLS_DISCOVER_H

#include "model.h"

#include <stdbool.h>

/* What a discovery leaves out; zeroed, it does everything. */
struct discover_opts {
	bool skip[PASS_COUNT];
};

/*
 * Discovers everything visible from here into m (initialised, empty) and
 * finishes it. Returns 0, or -errno when /proc cannot be read at all, or
 * -ESRCH when /proc does not show this process (a procfs of a PID
 * namespace that this process is not in).
 */
int discover(struct model *m, const struct discover_opts *opts);

#endif
