/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/containerstate.h"
#include "lib/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct containerstate {
	const struct model *m;
};

struct containerstate *containerstate_new(const struct model *m)
{
	struct containerstate *cs = xcalloc(1, sizeof(*cs));

	cs->m = m;
	return cs;
}

void containerstate_free(struct containerstate *cs)
{
	free(cs);
}

/*
 * LXC and systemd-nspawn name the container in its cgroup: the ID is the
 * name, and there is nothing more to read.
 */
static bool named_by_cgroup(const struct container *c)
{
	return !strcmp(c->engine, "lxc") || !strcmp(c->engine, "nspawn");
}

int containerstate_lookup(struct containerstate *cs, struct container *c)
{
	(void)cs;
	if (!named_by_cgroup(c))
		return -ENOENT;
	if (!c->name)
		c->name = xstrdup(c->id);
	return 0;
}
