/* SPDX-License-Identifier: Apache-2.0 */
#include "ui/warning.h"

#include "lib/strbuf.h"

/*
 * How to run with only the capability the discovery needs: capsh gives it
 * to USER only when root runs it (it needs CAP_SETUID, CAP_SETGID and
 * CAP_SETPCAP to change user and keep the capability).
 */
#define CAPSH_ADVICE                                                           \
	"; run as root, or as USER with only CAP_SYS_PTRACE, from a root "     \
	"shell: "                                                              \
	"capsh --caps='cap_sys_ptrace+eip cap_setpcap,cap_setuid,cap_setgid+ep' " \
	"--keep=1 --user=USER --addamb=cap_sys_ptrace -- -c COMMAND"

/* Appends ", WHAT N ONE|MANY" (without the comma when sb is empty). */
static void add_part(struct strbuf *sb, const char *what, size_t n,
		     const char *one, const char *many)
{
	if (n)
		strbuf_addf(sb, "%s%s%zu %s", sb->len ? ", " : "", what, n,
			    n == 1 ? one : many);
}

/*
 * What would have read the fd tables left unread. Their links need
 * CAP_DAC_READ_SEARCH; their fdinfo and the copies of the few fds worth
 * asking need only CAP_SYS_PTRACE, on a kernel that gives fdinfo to
 * whoever may ptrace (Linux 5.14): with CAP_SYS_PTRACE held, the table
 * was refused anyway on such a kernel only by a security module.
 */
static const char *fd_advice(bool ptrace)
{
	return ptrace ? " (CAP_DAC_READ_SEARCH would read them, or Linux 5.14)"
		      : " (CAP_SYS_PTRACE would read them, or "
			"CAP_DAC_READ_SEARCH)";
}

/*
 * What would have asked the sockets left unasked for their network
 * namespace. SIOCGSKNS needs CAP_NET_ADMIN; a copy of the socket needs
 * CAP_SYS_PTRACE, and with it SO_NETNS_COOKIE names the namespace by its
 * ID on a kernel whose cookies are those IDs (Linux 6.18): with
 * CAP_SYS_PTRACE held, a socket stays unasked only on an older kernel.
 */
static const char *socket_advice(bool ptrace)
{
	return ptrace ? " (CAP_NET_ADMIN would ask them, or Linux 6.18)"
		      : " (CAP_SYS_PTRACE would ask them, or CAP_NET_ADMIN)";
}

/*
 * " (tried entering: ...)": how the unread mount namespaces were tried,
 * and what would have read them. Entering needs CAP_SYS_ADMIN; listmount
 * by fd, where it was not refused but missing, Linux 6.18. A namespace
 * tried neither way could not be opened: nothing is said of it.
 */
static void add_mntns_ways(struct strbuf *sb, const struct model *m)
{
	const struct discovery_mntns_tried *t = &m->discovery.mntns_tried;

	if (!m->discovery.unread.mount_namespaces || !t->entering)
		return;
	strbuf_addf(sb, " (tried %sentering: CAP_SYS_ADMIN would read them%s)",
		    t->listmount ? "listmount and " : "",
		    t->entering > t->listmount ? ", or Linux 6.18 for listmount"
					       : "");
}

/* The most inaccessible processes named by their PIDs, not counted. */
#define FEW_PIDS 3

/*
 * "the namespaces of PID 1" ("PIDs 1 and 7", "PIDs 1, 2 and 7"): a user can
 * look at a few PIDs, not at a count. False (nothing added) when there
 * are more, or when the model does not mark as many as it counts.
 */
static bool add_denied_pids(struct strbuf *sb, const struct model *m)
{
	size_t denied = m->discovery.inaccessible, n = 0;
	pid_t pids[FEW_PIDS];

	if (denied > FEW_PIDS)
		return false;
	for (size_t i = 0; i < m->nprocs; i++)
		if (m->procs[i]->inaccessible && n++ < FEW_PIDS)
			pids[n - 1] = m->procs[i]->pid;
	if (n != denied)
		return false;
	strbuf_addf(sb, "the namespaces of PID%s ", n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, "%s%d", !i ? "" : i + 1 < n ? ", " : " and ",
			    (int)pids[i]);
	return true;
}

/*
 * "the namespaces of N of M processes, the open fds of ...", or "". The
 * unread processes are the inaccessible ones, in the model, and those that
 * could not be read at all (or threads of them), which are not.
 */
static void add_unread(struct strbuf *sb, const struct model *m)
{
	const struct discovery_unread *u = &m->discovery.unread;
	size_t denied = m->discovery.inaccessible;

	if (denied && !add_denied_pids(sb, m))
		strbuf_addf(sb, "the namespaces of %zu of %zu processes", denied,
			    m->nprocs);
	if (u->processes > denied)
		add_part(sb, "", u->processes - denied, "other process or thread",
			 "other processes or threads");
	add_part(sb, "the open fds of ", u->fd_tables, "process", "processes");
	if (u->fd_tables)
		strbuf_adds(sb, fd_advice(m->discovery.cap_sys_ptrace));
	add_part(sb, "the network namespaces of ", u->sockets, "socket",
		 "sockets");
	if (u->sockets)
		strbuf_adds(sb, socket_advice(m->discovery.cap_sys_ptrace));
	add_part(sb, "the bind mounts in ", u->mount_namespaces,
		 "mount namespace without processes",
		 "mount namespaces without processes");
	add_mntns_ways(sb, m);
}

/*
 * "; the names of N containers could not be read (...)". Their engines'
 * files are root's (podman's and Docker's state directories are closed to
 * others), or a rootless user's in their home: CAP_DAC_READ_SEARCH reads
 * them. The model does not tell a refused file from one of a format not
 * known (a newer engine), for which no capability helps: both are said.
 * Their engine and ID are shown all the same, from the cgroup.
 */
static void add_containers(struct strbuf *sb, const struct model *m)
{
	size_t n = m->discovery.unread.containers;

	if (!n)
		return;
	strbuf_addf(sb, "%sthe names of %zu %s could not be read "
			"(CAP_DAC_READ_SEARCH would read the engines' files, "
			"unless their format is new)",
		    sb->len ? "; " : "", n, n == 1 ? "container" : "containers");
}

/*
 * Without CAP_SYS_PTRACE the sentence says so even when nothing was
 * missed (a host where every process is the user's own), since the same
 * run elsewhere would miss other users' processes.
 */
char *warning_text(const struct model *m)
{
	bool ptrace = m->discovery.cap_sys_ptrace;
	size_t containers = m->discovery.unread.containers;
	struct strbuf what = STRBUF_INIT, text = STRBUF_INIT;

	add_unread(&what, m);
	if (ptrace && !what.len && !containers)
		return NULL;
	if (!ptrace)
		strbuf_adds(&text, "without CAP_SYS_PTRACE, ");
	if (what.len)
		strbuf_addf(&text, "could not read %s, and what they hold is "
				   "missing", what.buf);
	else if (!ptrace)
		strbuf_adds(&text, "other users' processes would not be read");
	add_containers(&text, m);
	if (!ptrace)
		strbuf_adds(&text, CAPSH_ADVICE);
	strbuf_release(&what);
	return strbuf_detach(&text);
}
