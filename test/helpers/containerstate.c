/* SPDX-License-Identifier: Apache-2.0 */
/*
 * containerstate [-f] ENGINE ID [PID...]: what engine/containerstate.c
 * reads of container ID of ENGINE, the processes of /proc in its model
 * (their names and UIDs: the daemons are found by their names), the PIDs
 * given in the container. Prints "STATUS name=... image=... pod=...
 * pod-namespace=..." (STATUS 0, or the errno's name; a field only where
 * known). -f: as under NSTOOLS_FALLBACKS_ONLY. For the tests of the
 * engines' files (test/containerstate.bats) before and beside the pass
 * that calls it.
 */
#include "engine/containerstate.h"
#include "engine/procfs.h"
#include "lib/procpath.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct scan {
	struct model *m;
	int procfd;
	struct procfs_buf buf;
};

static void add_proc(void *ctx, const char *name)
{
	struct scan *s = ctx;
	struct procfs_status st = { 0 };
	struct procfs_stat pst;
	char path[64];
	pid_t pid;
	struct proc *p;

	if (!procfs_parse_pid_name(name, &pid) ||
	    !procpath(path, sizeof(path), pid, 0, "status", NULL) ||
	    procfs_read_at(s->procfd, path, &s->buf) < 0 ||
	    procfs_parse_status_as_stat(s->buf.data, pid, &pst) < 0 ||
	    procfs_parse_status(s->buf.data, &st) < 0)
		return;
	p = model_add_proc(s->m, pid);
	p->name = xstrdup(pst.name);
	p->uid = st.uid;
	procfs_status_release(&st);
}

static const char *status_name(int ret)
{
	switch (ret) {
	case 0: return "0";
	case -EACCES: return "EACCES";
	case -EPROTO: return "EPROTO";
	case -ENOENT: return "ENOENT";
	default: return "other";
	}
}

static void field(const char *key, const char *value)
{
	if (value)
		printf(" %s=%s", key, value);
}

int main(int argc, char **argv)
{
	struct model m;
	struct scan s = { &m, -1, PROCFS_BUF_INIT };
	struct containerstate *cs;
	struct container *c;
	int i = 1, ret;
	bool fallbacks = argc > 1 && !strcmp(argv[1], "-f");

	i += fallbacks;
	if (argc - i < 2) {
		fprintf(stderr, "usage: containerstate [-f] ENGINE ID [PID...]\n");
		return 2;
	}
	model_init(&m);
	s.procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	procfs_for_each_entry(s.procfd, add_proc, &s);
	c = model_container(&m, argv[i], argv[i + 1]);
	for (int j = i + 2; j < argc; j++) {
		struct proc *p = model_proc(&m, atoi(argv[j]));

		if (p)
			p->container = c;
	}
	model_finish(&m);
	cs = containerstate_new(&m);
	if (fallbacks)
		containerstate_fallbacks_only(cs);
	ret = containerstate_lookup(cs, c);
	printf("%s", status_name(ret));
	field("name", c->name);
	field("image", c->image);
	field("pod", c->pod);
	field("pod-namespace", c->pod_namespace);
	printf("\n");
	containerstate_free(cs);
	procfs_buf_release(&s.buf);
	model_release(&m);
	return 0;
}
