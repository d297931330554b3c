/* SPDX-License-Identifier: Apache-2.0 */
#include "ui/focus.h"

#include "lib/number.h"
#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/*
 * Every tool names the same misuse of -p, --ns and the operands in the
 * same words, and exits through ui/cli (HACKING.md, "Conventions").
 */

static pid_t parse_pid(const char *arg)
{
	static const struct number_range pid = { 1, INT_MAX, 0 };
	uint64_t v;

	if (number_parse_str(arg, pid, &v) < 0)
		cli_usage_error("invalid PID '%s'", arg);
	return (pid_t)v;
}

#define CONTAINER_PREFIX "container:"

/*
 * What another user named: a container's name or ID, or a mistyped one,
 * goes into a message escaped. The text is kept until the next call: the
 * message is the last thing the tool says before it exits.
 */
static const char *escaped(const char *text)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_setlen(&sb, 0);
	text_add_escaped(&sb, text);
	return sb.buf;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/*
 * The NAME of container:NAME, or NULL when arg is not one. No engine
 * names a container with nothing or with a control character: such a
 * NAME is a usage error.
 */
static const char *container_arg(const char *arg)
{
	const char *name;

	if (strncmp(arg, CONTAINER_PREFIX, strlen(CONTAINER_PREFIX)))
		return NULL;
	name = arg + strlen(CONTAINER_PREFIX);
	if (!*name || has_control(name))
		cli_usage_error("invalid container '%s' (container:NAME or "
				"container:ID-PREFIX)", escaped(arg));
	return name;
}

void focus_set_pidns(struct focus *f, const char *arg)
{
	if (f->pidns_text)
		cli_usage_error("--ns given twice");
	if (ns_ref_parse(arg, &f->pidns_ref) < 0)
		cli_usage_error("invalid PID namespace '%s' (pid:[INODE], "
				"INODE or id:ID)", arg);
	if (f->pidns_ref.type != NS_TYPE_NONE && f->pidns_ref.type != NS_PID)
		cli_usage_error("'%s' is not a PID namespace", arg);
	f->pidns_text = arg;
}

bool focus_option(struct focus *f, int c, const char *arg)
{
	switch (c) {
	case 'p':
	case FOCUS_OPT_TASK:
		if (f->pid || f->container)
			cli_usage_error("-p given twice");
		if (c == 'p' && (f->container = container_arg(arg)))
			return true;
		f->pid = parse_pid(arg);
		return true;
	case FOCUS_OPT_NS:
		focus_set_pidns(f, arg);
		return true;
	default:
		return false;
	}
}

void focus_add_operands(struct focus *f, int argc, char **argv, int first)
{
	for (int i = first; i < argc; i++) {
		struct focus_operand op = { .text = argv[i] };

		op.container = container_arg(argv[i]);
		if (!op.container && ns_ref_parse(argv[i], &op.ref) < 0)
			cli_usage_error("invalid namespace '%s' (type:[INODE], "
					"INODE or id:ID)%s", argv[i],
					cli_operand_hint(argv[i]));
		VEC_PUSH(f->operands, f->noperands, f->operands_alloc, op);
	}
}

void focus_check_options(const struct focus *f)
{
	if (f->pidns_text && f->container)
		cli_usage_error("--ns counts a PID, not a container");
	if (f->pidns_text && !f->pid)
		cli_usage_error("--ns needs --pid");
}

static bool names_container(const struct focus *f)
{
	for (size_t i = 0; i < f->noperands; i++)
		if (f->operands[i].container)
			return true;
	return f->container;
}

/* Each view reads what it shows (HACKING.md, "Design notes"). */
void focus_scope(const struct focus *f, struct discovery_scope *scope)
{
	if (!names_container(f))
		return;
	scope->no_cgroups = false;
	scope->ealdormen_cgroups = false;
	scope->lowest_details = false;
}

bool focus_narrows(const struct focus *f)
{
	return f->pid || f->container || f->noperands;
}

const struct ns *focus_pidns(const struct focus *f, const struct model *m)
{
	const struct ns *ns;

	if (!f->pidns_text)
		return NULL;
	ns = model_ns_by_ref(m, &f->pidns_ref);
	if (!ns || ns->type != NS_PID) {
		cli_error("unknown PID namespace %s", f->pidns_text);
		cli_exit(EXIT_FAILED);
	}
	return ns;
}

noreturn void focus_no_process(const struct focus *f)
{
	int pid = (int)(f->thread ? f->thread : f->pid);

	if (f->pidns_text)
		cli_error("no process %d in %s", pid, f->pidns_text);
	else
		cli_error("no process %d", pid);
	cli_exit(EXIT_FAILED);
}

/*
 * /proc shows a thread at /proc/TID too (not listed, but there): its
 * status says its process. A discovery reads threads only where a view
 * shows them, so the TID is mapped here, before it.
 */
void focus_check_live(struct focus *f, const struct cli_common *o,
		      bool own_pidns)
{
	pid_t tgid;
	int ret;

	if (!f->pid || f->pidns_text || o->load)
		return;
	ret = cli_pid_lookup(f->pid, own_pidns, &tgid);
	if (ret == -ENOENT)
		focus_no_process(f);
	if (ret < 0 || tgid == f->pid)
		return;
	f->thread = f->pid;
	f->pid = tgid;
}

const struct proc *focus_thread_process(const struct model *m, pid_t tid)
{
	for (size_t i = 0; i < m->nprocs; i++)
		for (size_t k = 0; k < m->procs[i]->ntasks; k++)
			if (m->procs[i]->tasks[k].tid == tid)
				return m->procs[i];
	return NULL;
}

void focus_say_thread(pid_t tid, const struct proc *p)
{
	cli_warning("%d is a thread of process %d (\"%s\"): showing that "
		    "process", (int)tid, (int)p->pid,
		    escaped(p->name ? p->name : ""));
}

/* The process that is PID in pidns, or as /proc shows it (as lsns). */
static const struct proc *find_process(const struct model *m,
				       const struct ns *pidns, pid_t pid)
{
	if (!pidns)
		return model_proc(m, pid);
	for (size_t i = 0; i < m->nprocs; i++)
		if (proc_pid_in(m->procs[i], pidns) == pid)
			return m->procs[i];
	return NULL;
}

/*
 * The process of -p in m: the PID's, else (as /proc shows it) the one it
 * is a thread of; exits 1 when neither is there.
 */
static const struct proc *find_pid(const struct focus *f,
				   const struct model *m)
{
	const struct ns *pidns = focus_pidns(f, m);
	const struct proc *p = find_process(m, pidns, f->pid);
	pid_t tid = f->thread;

	if (!p && !pidns && (p = focus_thread_process(m, f->pid)))
		tid = f->pid;
	if (!p)
		focus_no_process(f);
	if (tid)
		focus_say_thread(tid, p);
	return p;
}

/* The containers called name, else those whose ID starts with name. */
static size_t match_containers(const struct model *m, const char *name,
			       const struct container **found)
{
	size_t n = 0, len = strlen(name);

	for (size_t i = 0; i < m->ncontainers; i++)
		if (m->containers[i]->name &&
		    !strcmp(m->containers[i]->name, name) && !n++)
			*found = m->containers[i];
	if (n)
		return n;
	for (size_t i = 0; i < m->ncontainers; i++)
		if (!strncmp(m->containers[i]->id, name, len) && !n++)
			*found = m->containers[i];
	return n;
}

/* The first of c's processes to start whose parent is not in c. */
static const struct proc *container_init(const struct model *m,
					 const struct container *c)
{
	const struct proc *best = NULL;

	for (size_t i = 0; i < m->nprocs; i++) {
		const struct proc *p = m->procs[i];

		if (p->container != c ||
		    (p->parent && p->parent->container == c))
			continue;
		/* procs are sorted by PID: the lowest wins a tie */
		if (!best || p->starttime < best->starttime)
			best = p;
	}
	return best;
}

const struct proc *focus_container_init(const struct model *m,
					const char *name)
{
	const struct container *c = NULL;
	const struct proc *init = NULL;
	size_t n = match_containers(m, name, &c);

	if (n == 1)
		init = container_init(m, c);
	if (init)
		return init;
	if (n > 1)
		cli_error("container '%s' is ambiguous: %zu containers match",
			  escaped(name), n);
	else
		cli_error("no container '%s'", escaped(name));
	cli_exit(EXIT_FAILED);
}

static size_t known_namespaces(const struct proc *p)
{
	size_t n = 0;

	for (int type = 0; type < NS_TYPE_COUNT; type++)
		n += !!p->ns[type];
	return n;
}

/*
 * An inaccessible process may still sit in a known PID namespace (NSpid
 * tells it): the view shows what is known, and says what is not.
 */
static void check_readable(const struct proc *p)
{
	if (!p->inaccessible)
		return;
	if (!known_namespaces(p)) {
		cli_error("the namespaces of process %d could not be read",
			  (int)p->pid);
		cli_exit(EXIT_FAILED);
	}
	cli_warning("the namespaces of process %d could not be read: "
		    "showing only those known", (int)p->pid);
}

static const struct ns *resolve_operand(const struct focus *f,
					const struct model *m, size_t i)
{
	const struct ns *ns = model_ns_by_ref(m, &f->operands[i].ref);

	if (!ns) {
		cli_error("unknown namespace %s", f->operands[i].text);
		cli_exit(EXIT_FAILED);
	}
	return ns;
}

static bool of_process(const struct focus *f, const struct ns *ns)
{
	return !f->proc || f->proc->ns[ns->type] == ns;
}

static bool listed(const struct focus *f, const struct ns *ns)
{
	for (size_t i = 0; i < f->nin; i++)
		if (f->in[i] == ns)
			return true;
	return false;
}

static void add_in(struct focus *f, const struct ns *ns)
{
	if (of_process(f, ns) && !listed(f, ns))
		VEC_PUSH(f->in, f->nin, f->in_alloc, ns);
}

/* container:NAME as an operand: every namespace of its init process. */
static void add_container_operand(struct focus *f, const struct model *m,
				  size_t i)
{
	const struct proc *init =
		focus_container_init(m, f->operands[i].container);

	check_readable(init);
	for (int type = 0; type < NS_TYPE_COUNT; type++)
		if (init->ns[type])
			add_in(f, init->ns[type]);
}

/* The namespaces in focus: those named (of the process), or the process's. */
static void collect(struct focus *f, const struct model *m)
{
	for (size_t i = 0; i < f->noperands; i++) {
		if (f->operands[i].container)
			add_container_operand(f, m, i);
		else
			add_in(f, resolve_operand(f, m, i));
	}
	for (int type = 0; !f->noperands && f->proc && type < NS_TYPE_COUNT;
	     type++)
		if (f->proc->ns[type])
			VEC_PUSH(f->in, f->nin, f->in_alloc, f->proc->ns[type]);
}

void focus_resolve(struct focus *f, const struct model *m)
{
	f->proc = NULL;
	f->nin = 0;
	if (f->container) {
		f->proc = focus_container_init(m, f->container);
		check_readable(f->proc);
	}
	if (f->pid) {
		f->proc = find_pid(f, m);
		check_readable(f->proc);
	}
	collect(f, m);
}

bool focus_includes(const struct focus *f, const struct ns *ns)
{
	return !focus_narrows(f) || listed(f, ns);
}

/* x is anc or below it; for a user namespace anc, also by x's owner. */
static bool below_or_at(const struct ns *x, const struct ns *anc)
{
	for (size_t steps = 0; x && steps < 2; steps++) {
		if (x == anc || (x->type == anc->type && ns_is_below(x, anc)))
			return true;
		if (anc->type != NS_USER || x->type == NS_USER)
			return false;
		x = x->owner;
	}
	return false;
}

bool focus_leads_to(const struct focus *f, const struct ns *anc,
		    unsigned types)
{
	if (!focus_narrows(f))
		return true;
	for (size_t i = 0; i < f->nin; i++)
		if ((!types || (types & NS_TYPE_BIT(f->in[i]->type))) &&
		    below_or_at(f->in[i], anc))
			return true;
	return false;
}

void focus_release(struct focus *f)
{
	free(f->operands);
	free(f->in);
	*f = (struct focus)FOCUS_INIT;
}
