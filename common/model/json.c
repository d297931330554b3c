/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The dump is written by hand rather than built with jansson: on a large
 * host jansson spent more time allocating, hashing and freeing objects
 * that live for one line than the discovery spent in user space at all
 * (about a tenth of nsdiscover --json's time at 1,000 processes). The
 * text is byte for byte what jansson's compact output was; reading a dump
 * (json_load.c) is jansson's.
 */
#include "model/json.h"

#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/*
 * A JSON object or array being written into a line: whether a comma is
 * due before the next member.
 */
struct jvalue {
	struct strbuf *sb;
	bool any;
};

static struct jvalue j_open(struct strbuf *sb, char bracket)
{
	strbuf_addc(sb, bracket);
	return (struct jvalue){ .sb = sb };
}

static void j_close(struct jvalue *v, char bracket)
{
	strbuf_addc(v->sb, bracket);
}

/* Before the next array element. */
static struct strbuf *j_next(struct jvalue *v)
{
	if (v->any)
		strbuf_addc(v->sb, ',');
	v->any = true;
	return v->sb;
}

static void j_uint(struct strbuf *sb, unsigned long long n)
{
	char digits[24];

	strbuf_adds(sb, str_uint(digits, n));
}

static void j_int(struct strbuf *sb, long long n)
{
	if (n < 0) {
		strbuf_addc(sb, '-');
		j_uint(sb, 0ULL - (unsigned long long)n);
	} else {
		j_uint(sb, (unsigned long long)n);
	}
}

/* Whether text is plain ASCII that JSON takes as it is: most names are. */
static bool is_plain_ascii(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch < 0x20 || ch >= 0x80 || ch == '"' || ch == '\\')
			return false;
	}
	return true;
}

/*
 * A string as JSON: invalid UTF-8 (and NUL) becomes U+FFFD, as
 * nsdiscover(1) promises (HACKING.md, "Contracts"); quotes, backslashes
 * and control characters are escaped the way jansson does, everything
 * else is kept as it is.
 */
static void j_string(struct strbuf *sb, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(text);
	char *clean;
	const char *run;

	if (is_plain_ascii(text, len)) {
		strbuf_addc(sb, '"');
		strbuf_add(sb, text, len);
		strbuf_addc(sb, '"');
		return;
	}
	clean = utf8_sanitize(text, len);
	run = clean;
	strbuf_addc(sb, '"');
	for (const char *c = clean; *c; c++) {
		unsigned char ch = (unsigned char)*c;
		char esc[7] = { '\\', 0 };
		size_t n = 2;

		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		strbuf_add(sb, run, (size_t)(c - run));
		run = c + 1;
		switch (ch) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[ch >> 4];
			esc[5] = hex[ch & 0xf];
			n = 6;
			break;
		}
		strbuf_add(sb, esc, n);
	}
	strbuf_adds(sb, run);
	strbuf_addc(sb, '"');
	free(clean);
}

/* "KEY": before an object member's value. */
static struct strbuf *j_key(struct jvalue *o, const char *key)
{
	j_next(o);
	j_string(o->sb, key);
	strbuf_addc(o->sb, ':');
	return o->sb;
}

static void j_bool(struct strbuf *sb, bool b)
{
	strbuf_adds(sb, b ? "true" : "false");
}

static void pid_array(struct strbuf *sb, const pid_t *pids, size_t n)
{
	struct jvalue a = j_open(sb, '[');

	for (size_t i = 0; i < n; i++)
		j_int(j_next(&a), pids[i]);
	j_close(&a, ']');
}

static void ns_array(struct strbuf *sb, struct ns *const *nss, size_t n)
{
	struct jvalue a = j_open(sb, '[');

	for (size_t i = 0; i < n; i++)
		j_uint(j_next(&a), nss[i]->ino);
	j_close(&a, ']');
}

static void text_array(struct strbuf *sb, char *const *texts, size_t n)
{
	struct jvalue a = j_open(sb, '[');

	for (size_t i = 0; i < n; i++)
		j_string(j_next(&a), texts[i]);
	j_close(&a, ']');
}

static void write_source(struct strbuf *sb, const struct ns_source *src)
{
	struct jvalue o = j_open(sb, '{');

	j_string(j_key(&o, "kind"), source_kind_name(src->kind));
	switch (src->kind) {
	case SOURCE_PARENT:
	case SOURCE_OWNER:
		j_uint(j_key(&o, "of"), src->of);
		break;
	case SOURCE_BINDMOUNT:
		j_string(j_key(&o, "path"), src->path);
		j_uint(j_key(&o, "mntns"), src->mntns);
		break;
	case SOURCE_LISTED:
		break;
	default:
		j_int(j_key(&o, "pid"), src->pid);
		if (src->tid)
			j_int(j_key(&o, "tid"), src->tid);
		if (src->kind == SOURCE_FD || src->kind == SOURCE_SOCKET)
			j_int(j_key(&o, "fd"), src->fd);
		break;
	}
	j_close(&o, '}');
}

static void write_user_facts(struct jvalue *o, const struct ns *ns)
{
	if (!ns->has_creator)
		return;
	j_int(j_key(o, "user-id"), ns->creator_uid);
	j_string(j_key(o, "user-name"),
		 ns->creator_name ? ns->creator_name : "");
}

static void write_namespace(struct strbuf *sb, const struct ns *ns)
{
	struct jvalue o = j_open(sb, '{');
	struct jvalue sources;

	/* a namespace known only by its ID has no inode to invent */
	if (ns->ino)
		j_uint(j_key(&o, "nsid"), ns->ino);
	j_string(j_key(&o, "type"), ns_type_name(ns->type));
	if (ns->id)
		j_uint(j_key(&o, "id"), ns->id);
	if (ns->has_netnsid)
		j_int(j_key(&o, "netnsid"), ns->netnsid);
	if (ns->owner)
		j_uint(j_key(&o, "owner"), ns->owner->ino);
	if (ns->parent)
		j_uint(j_key(&o, "parent"), ns->parent->ino);
	if (ns_type_is_hierarchical(ns->type))
		ns_array(j_key(&o, "children"), ns->children, ns->nchildren);
	if (ns->type == NS_USER)
		write_user_facts(&o, ns);
	text_array(j_key(&o, "reference"), ns->reference, ns->nreference);
	pid_array(j_key(&o, "leaders"), ns->leaders, ns->nleaders);
	if (ns->ealdorman)
		j_int(j_key(&o, "ealdorman"), ns->ealdorman);
	pid_array(j_key(&o, "loose-threads"), ns->loose_threads, ns->nloose);
	j_uint(j_key(&o, "nprocs"), ns->nprocs);
	if (ns->hidden)
		j_bool(j_key(&o, "hidden"), true);
	sources = j_open(j_key(&o, "sources"), '[');
	for (size_t i = 0; i < ns->nsources; i++)
		write_source(j_next(&sources), &ns->sources[i]);
	j_close(&sources, ']');
	j_close(&o, '}');
}

/* What was read; a PID namespace inferred from NSpid is derived again. */
static void write_ns_map(struct strbuf *sb, struct ns *const ns[],
			 bool pidns_inferred)
{
	struct jvalue o = j_open(sb, '{');

	for (int t = 0; t < NS_TYPE_COUNT; t++)
		if (ns[t] && !(t == NS_PID && pidns_inferred))
			j_uint(j_key(&o, ns_type_name(t)), ns[t]->ino);
	j_close(&o, '}');
}

static void write_state(struct strbuf *sb, char state)
{
	char s[2] = { state, '\0' };

	j_string(sb, s);
}

static void write_task(struct strbuf *sb, const struct task *t)
{
	struct jvalue o = j_open(sb, '{');

	j_int(j_key(&o, "tid"), t->tid);
	j_string(j_key(&o, "name"), t->name);
	write_state(j_key(&o, "state"), t->state);
	j_int(j_key(&o, "starttime"), (long long)t->starttime);
	write_ns_map(j_key(&o, "namespaces"), t->ns, false);
	j_close(&o, '}');
}

/* A key and its string, where the string is known. */
static void j_string_if(struct jvalue *o, const char *key, const char *text)
{
	if (text)
		j_string(j_key(o, key), text);
}

static void write_container(struct strbuf *sb, const struct container *c)
{
	struct jvalue o = j_open(sb, '{');

	j_string(j_key(&o, "engine"), c->engine);
	j_string(j_key(&o, "id"), c->id);
	j_string_if(&o, "name", c->name);
	j_string_if(&o, "image", c->image);
	j_string_if(&o, "pod", c->pod);
	j_string_if(&o, "pod-namespace", c->pod_namespace);
	j_close(&o, '}');
}

static void write_process(struct strbuf *sb, const struct proc *p)
{
	struct jvalue o = j_open(sb, '{');
	struct jvalue tasks;

	j_int(j_key(&o, "pid"), p->pid);
	if (p->pidfd_ino)
		j_uint(j_key(&o, "pidfd-ino"), p->pidfd_ino);
	j_int(j_key(&o, "ppid"), p->ppid);
	j_string(j_key(&o, "name"), p->name);
	text_array(j_key(&o, "cmdline"), p->cmdline, p->argc);
	write_state(j_key(&o, "state"), p->state);
	j_int(j_key(&o, "starttime"), (long long)p->starttime);
	j_int(j_key(&o, "uid"), p->uid);
	j_string(j_key(&o, "cpucgroup"), p->cgroup ? p->cgroup : "");
	if (p->container)
		write_container(j_key(&o, "container"), p->container);
	j_string_if(&o, "unit", p->unit);
	write_ns_map(j_key(&o, "namespaces"), p->ns, p->pidns_inferred);
	pid_array(j_key(&o, "nspid"), p->nspid, p->nspid_len);
	if (p->inaccessible)
		j_bool(j_key(&o, "inaccessible"), true);
	tasks = j_open(j_key(&o, "tasks"), '[');
	for (size_t i = 0; i < p->ntasks; i++)
		write_task(j_next(&tasks), &p->tasks[i]);
	j_close(&tasks, ']');
	j_close(&o, '}');
}

static void write_unread(struct strbuf *sb, const struct discovery_unread *u)
{
	struct jvalue o = j_open(sb, '{');

	j_uint(j_key(&o, "processes"), u->processes);
	j_uint(j_key(&o, "fd-tables"), u->fd_tables);
	j_uint(j_key(&o, "sockets"), u->sockets);
	j_uint(j_key(&o, "mount-namespaces"), u->mount_namespaces);
	j_uint(j_key(&o, "containers"), u->containers);
	j_close(&o, '}');
}

static void write_mntns_tried(struct strbuf *sb,
			      const struct discovery_mntns_tried *t)
{
	struct jvalue o = j_open(sb, '{');

	j_uint(j_key(&o, "listmount"), t->listmount);
	j_uint(j_key(&o, "entering"), t->entering);
	j_close(&o, '}');
}

static void write_discovery(struct strbuf *sb, const struct discovery_info *d,
			    char *const *warnings, size_t nwarnings)
{
	struct jvalue o = j_open(sb, '{');
	struct jvalue passes = j_open(j_key(&o, "passes"), '{');

	for (int pass = 0; pass < PASS_COUNT; pass++)
		j_bool(j_key(&passes, discovery_pass_name(pass)),
		       d->passes[pass]);
	j_close(&passes, '}');
	j_int(j_key(&o, "pid"), d->pid);
	if (d->pidns)
		j_uint(j_key(&o, "pidns"), d->pidns->ino);
	j_bool(j_key(&o, "cap-sys-ptrace"), d->cap_sys_ptrace);
	j_uint(j_key(&o, "inaccessible"), d->inaccessible);
	write_unread(j_key(&o, "unread"), &d->unread);
	write_mntns_tried(j_key(&o, "mount-namespaces-tried"), &d->mntns_tried);
	text_array(j_key(&o, "warnings"), warnings, nwarnings);
	j_close(&o, '}');
}

/*
 * Writes "  "KEY": VALUE" with VALUE on one line, made whole first.
 * Streaming entry by entry keeps memory flat however large the host.
 */
static void write_member(FILE *out, struct strbuf *line, const char *indent,
			 const char *key, bool first)
{
	fprintf(out, "%s\n%s\"%s\": ", first ? "" : ",", indent, key);
	fwrite(line->buf, 1, line->len, out);
	strbuf_setlen(line, 0);
}

char *json_ns_key(char key[JSON_NS_KEY_MAX], const struct ns *ns)
{
	if (ns->ino)
		snprintf(key, JSON_NS_KEY_MAX, "%llu",
			 (unsigned long long)ns->ino);
	else
		snprintf(key, JSON_NS_KEY_MAX, "id:%llu",
			 (unsigned long long)ns->id);
	return key;
}

static void write_namespaces(const struct model *m, FILE *out,
			     struct strbuf *line)
{
	char key[JSON_NS_KEY_MAX];

	fputs("{\n  \"namespaces\": {", out);
	for (size_t i = 0; i < m->nns; i++) {
		json_ns_key(key, m->nss[i]);
		write_namespace(line, m->nss[i]);
		write_member(out, line, "    ", key, i == 0);
	}
	fputs("\n  },\n  \"processes\": {", out);
}

static void write_processes(const struct model *m, FILE *out,
			    struct strbuf *line)
{
	char key[32];

	for (size_t i = 0; i < m->nprocs; i++) {
		snprintf(key, sizeof(key), "%d", (int)m->procs[i]->pid);
		write_process(line, m->procs[i]);
		write_member(out, line, "    ", key, i == 0);
	}
	fputs("\n  }", out);
}

int json_dump_model(const struct model *m, char *const *warnings,
		    size_t nwarnings, FILE *out)
{
	struct strbuf line = STRBUF_INIT;

	write_namespaces(m, out, &line);
	write_processes(m, out, &line);
	ns_array(&line, m->user_roots, m->nuser_roots);
	write_member(out, &line, "  ", "user-ns-roots", false);
	ns_array(&line, m->pid_roots, m->npid_roots);
	write_member(out, &line, "  ", "pid-ns-roots", false);
	write_discovery(&line, &m->discovery, warnings, nwarnings);
	write_member(out, &line, "  ", "discovery", false);
	fputs("\n}\n", out);
	strbuf_release(&line);
	return ferror(out) ? -EIO : 0;
}
