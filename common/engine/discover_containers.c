/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The containers and units of processes (HACKING.md, "Containers and
 * units"): named by the cgroup file the process pass reads anyway, and
 * by the engines' own files, asked once per container after the pass.
 */
#include "engine/discover_internal.h"

#include "engine/cgroupname.h"
#include "engine/containerstate.h"
#include "lib/util.h"

#include <errno.h>
#include <stdlib.h>

void reader_identify(struct reader *r, struct proc *p, const char *cgroup_text)
{
	struct cgroupname cn;
	struct found_container fc;

	cgroupname_parse(cgroup_text, &cn);
	if (cn.unit[0] && !p->unit)
		p->unit = xstrdup(cn.unit);
	if (!cn.engine)
		return;
	fc = (struct found_container){ .p = p, .engine = cn.engine,
				       .id = xstrdup(cn.id) };
	VEC_PUSH(r->containers, r->ncontainers, r->containers_alloc, fc);
}

void reader_finish_containers(struct reader *r)
{
	for (size_t i = 0; i < r->ncontainers; i++) {
		struct found_container *fc = &r->containers[i];

		fc->p->container = model_container(r->s->m, fc->engine, fc->id);
		free(fc->id);
	}
	free(r->containers);
	r->containers = NULL;
	r->ncontainers = r->containers_alloc = 0;
}

/*
 * No state found (-ENOENT) is no loss: the container is known by its
 * engine and ID as its cgroup names them, and no privilege would find
 * more (an engine that keeps no files, a runtime this host has not, a
 * cgroup whose container is gone). What could not be read (-EACCES) or
 * was not understood (-EPROTO, or anything else) is counted.
 */
static bool lookup_lost(int ret)
{
	return ret < 0 && ret != -ENOENT;
}

void scan_containers(struct scan *s)
{
	struct model *m = s->m;
	struct containerstate *cs;
	size_t unread = 0;

	if (!m->ncontainers)
		return;
	cs = containerstate_new(m);
	if (s->fallbacks_only)
		containerstate_fallbacks_only(cs);
	for (size_t i = 0; i < m->ncontainers; i++)
		if (lookup_lost(containerstate_lookup(cs, m->containers[i])))
			unread++;
	containerstate_free(cs);
	m->discovery.unread.containers = unread;
}
