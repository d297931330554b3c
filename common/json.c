/* SPDX-License-Identifier: Apache-2.0 */
#include "json.h"

#include "strbuf.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* jansson refuses invalid UTF-8; the contract says it becomes U+FFFD. */
static json_t *json_text(const char *s)
{
	char *clean = utf8_sanitize(s, strlen(s));
	json_t *v = json_string(clean);

	free(clean);
	return v;
}

static json_t *json_int(long long v)
{
	return json_integer(v);
}

static void set(json_t *obj, const char *key, json_t *value)
{
	json_object_set_new(obj, key, value);
}

static json_t *pid_array(const pid_t *pids, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_int(pids[i]));
	return a;
}

static json_t *ns_array(struct ns *const *nss, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_int((long long)nss[i]->ino));
	return a;
}

static json_t *source_json(const struct ns_source *src)
{
	json_t *o = json_object();

	set(o, "kind", json_string(source_kind_name(src->kind)));
	switch (src->kind) {
	case SOURCE_PARENT:
	case SOURCE_OWNER:
		set(o, "of", json_int((long long)src->of));
		break;
	case SOURCE_BINDMOUNT:
		set(o, "path", json_text(src->path));
		set(o, "mntns", json_int((long long)src->mntns));
		break;
	default:
		set(o, "pid", json_int(src->pid));
		if (src->tid)
			set(o, "tid", json_int(src->tid));
		if (src->kind == SOURCE_FD || src->kind == SOURCE_SOCKET)
			set(o, "fd", json_int(src->fd));
		break;
	}
	return o;
}

static void set_user_facts(json_t *o, const struct ns *ns)
{
	if (!ns->has_creator)
		return;
	set(o, "user-id", json_int(ns->creator_uid));
	set(o, "user-name", json_text(ns->creator_name ? ns->creator_name : ""));
}

static json_t *namespace_json(const struct ns *ns)
{
	json_t *o = json_object();
	json_t *refs = json_array();
	json_t *sources = json_array();

	set(o, "nsid", json_int((long long)ns->ino));
	set(o, "type", json_string(ns_type_name(ns->type)));
	if (ns->owner)
		set(o, "owner", json_int((long long)ns->owner->ino));
	if (ns->parent)
		set(o, "parent", json_int((long long)ns->parent->ino));
	if (ns_type_is_hierarchical(ns->type))
		set(o, "children", ns_array(ns->children, ns->nchildren));
	if (ns->type == NS_USER)
		set_user_facts(o, ns);
	for (size_t i = 0; i < ns->nreference; i++)
		json_array_append_new(refs, json_text(ns->reference[i]));
	set(o, "reference", refs);
	set(o, "leaders", pid_array(ns->leaders, ns->nleaders));
	if (ns->ealdorman)
		set(o, "ealdorman", json_int(ns->ealdorman));
	set(o, "loose-threads", pid_array(ns->loose_threads, ns->nloose));
	set(o, "nprocs", json_int((long long)ns->nprocs));
	if (ns->hidden)
		set(o, "hidden", json_true());
	for (size_t i = 0; i < ns->nsources; i++)
		json_array_append_new(sources, source_json(&ns->sources[i]));
	set(o, "sources", sources);
	return o;
}

/* What was read; a PID namespace inferred from NSpid is derived again. */
static json_t *ns_map_json(struct ns *const ns[], bool pidns_inferred)
{
	json_t *o = json_object();

	for (int t = 0; t < NS_TYPE_COUNT; t++)
		if (ns[t] && !(t == NS_PID && pidns_inferred))
			set(o, ns_type_name(t), json_int((long long)ns[t]->ino));
	return o;
}

static json_t *state_json(char state)
{
	char s[2] = { state, '\0' };

	return json_text(s);
}

static json_t *task_json(const struct task *t)
{
	json_t *o = json_object();

	set(o, "tid", json_int(t->tid));
	set(o, "name", json_text(t->name));
	set(o, "state", state_json(t->state));
	set(o, "starttime", json_int((long long)t->starttime));
	set(o, "namespaces", ns_map_json(t->ns, false));
	return o;
}

static json_t *process_json(const struct proc *p)
{
	json_t *o = json_object();
	json_t *argv = json_array();
	json_t *tasks = json_array();

	set(o, "pid", json_int(p->pid));
	set(o, "ppid", json_int(p->ppid));
	set(o, "name", json_text(p->name));
	for (size_t i = 0; i < p->argc; i++)
		json_array_append_new(argv, json_text(p->cmdline[i]));
	set(o, "cmdline", argv);
	set(o, "state", state_json(p->state));
	set(o, "starttime", json_int((long long)p->starttime));
	set(o, "uid", json_int(p->uid));
	set(o, "cpucgroup", json_text(p->cgroup ? p->cgroup : ""));
	set(o, "namespaces", ns_map_json(p->ns, p->pidns_inferred));
	set(o, "nspid", pid_array(p->nspid, p->nspid_len));
	if (p->inaccessible)
		set(o, "inaccessible", json_true());
	for (size_t i = 0; i < p->ntasks; i++)
		json_array_append_new(tasks, task_json(&p->tasks[i]));
	set(o, "tasks", tasks);
	return o;
}

static json_t *discovery_json(const struct discovery_info *d)
{
	json_t *o = json_object();
	json_t *warnings = json_array();
	json_t *passes = json_object();

	for (int pass = 0; pass < PASS_COUNT; pass++)
		set(passes, discovery_pass_name(pass),
		    json_boolean(d->passes[pass]));
	set(o, "passes", passes);
	set(o, "pid", json_int(d->pid));
	if (d->pidns)
		set(o, "pidns", json_int((long long)d->pidns->ino));
	set(o, "cap-sys-ptrace", json_boolean(d->cap_sys_ptrace));
	set(o, "inaccessible", json_int((long long)d->inaccessible));
	for (size_t i = 0; i < d->nwarnings; i++)
		json_array_append_new(warnings, json_text(d->warnings[i]));
	set(o, "warnings", warnings);
	return o;
}

static int append_to_strbuf(const char *data, size_t len, void *ctx)
{
	strbuf_add(ctx, data, len);
	return 0;
}

/*
 * Writes "  "KEY": VALUE" with VALUE on one line; jansson frees value.
 * Streaming entry by entry keeps memory flat however large the host. The
 * line is made whole first: jansson writes a stream token by token, and a
 * token is a call into stdio.
 */
static int write_member(FILE *out, const char *indent, const char *key,
			json_t *value, bool first)
{
	struct strbuf line = STRBUF_INIT;
	int ret;

	if (!value)
		return -ENOMEM;
	strbuf_addf(&line, "%s\n%s\"%s\": ", first ? "" : ",", indent, key);
	ret = json_dump_callback(value, append_to_strbuf, &line,
				 JSON_COMPACT | JSON_PRESERVE_ORDER |
					 JSON_ENCODE_ANY);
	json_decref(value);
	if (!ret)
		fwrite(line.buf, 1, line.len, out);
	strbuf_release(&line);
	return ret < 0 ? -EIO : 0;
}

static int write_namespaces(const struct model *m, FILE *out)
{
	char key[32];
	int ret = 0;

	fputs("{\n  \"namespaces\": {", out);
	for (size_t i = 0; i < m->nns && !ret; i++) {
		snprintf(key, sizeof(key), "%llu",
			 (unsigned long long)m->nss[i]->ino);
		ret = write_member(out, "    ", key, namespace_json(m->nss[i]),
				   i == 0);
	}
	fputs("\n  },\n  \"processes\": {", out);
	return ret;
}

static int write_processes(const struct model *m, FILE *out)
{
	char key[32];
	int ret = 0;

	for (size_t i = 0; i < m->nprocs && !ret; i++) {
		snprintf(key, sizeof(key), "%d", (int)m->procs[i]->pid);
		ret = write_member(out, "    ", key, process_json(m->procs[i]),
				   i == 0);
	}
	fputs("\n  }", out);
	return ret;
}

int json_dump_model(const struct model *m, FILE *out)
{
	int ret = write_namespaces(m, out);

	if (!ret)
		ret = write_processes(m, out);
	if (!ret)
		ret = write_member(out, "  ", "user-ns-roots",
				   ns_array(m->user_roots, m->nuser_roots),
				   false);
	if (!ret)
		ret = write_member(out, "  ", "pid-ns-roots",
				   ns_array(m->pid_roots, m->npid_roots), false);
	if (!ret)
		ret = write_member(out, "  ", "discovery",
				   discovery_json(&m->discovery), false);
	fputs("\n}\n", out);
	if (!ret && ferror(out))
		ret = -EIO;
	return ret;
}
