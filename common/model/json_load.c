/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading a dump: the raw facts are read and checked, everything derived
 * is left to model_finish(), so that a loaded model is the model the dump
 * was written from. A dump is untrusted input: every value is checked for
 * type and range, every reference for a target, and chains for cycles.
 */
#include "model/json.h"

#include "lib/number.h"
#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/util.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The deepest hierarchy the kernel allows is 32 levels; a margin more. */
#define MAX_DEPTH 64
#define MAX_NSPID 33

struct loader {
	struct model *m;
	char *err;
	size_t errlen;
};

/*
 * Records why the dump is refused. Keys and values quoted from the dump
 * are untrusted: the message is escaped as any text from outside is, so
 * that it cannot reach the terminal (escaping twice changes nothing).
 */
__attribute__((format(printf, 2, 3)))
static int fail(struct loader *ld, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	char raw[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	text_add_escaped(&sb, raw);
	snprintf(ld->err, ld->errlen, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

/* Puts "WHERE: " before the message of a failure found further down. */
__attribute__((format(printf, 2, 3)))
static int context(struct loader *ld, const char *fmt, ...)
{
	char inner[256], where[128];
	va_list ap;

	snprintf(inner, sizeof(inner), "%s", ld->err);
	va_start(ap, fmt);
	vsnprintf(where, sizeof(where), fmt, ap);
	va_end(ap);
	return fail(ld, "%s: %s", where, inner);
}

/* Typed getters: 0 when present and valid, -1 (with message) otherwise. */

static int get_int(struct loader *ld, json_t *obj, const char *key,
		   long long min, long long max, bool optional, long long *v)
{
	json_t *j = json_object_get(obj, key);

	if (!j && optional)
		return 0;
	if (!json_is_integer(j))
		return fail(ld, "\"%s\" is missing or not an integer", key);
	*v = json_integer_value(j);
	if (*v < min || *v > max)
		return fail(ld, "\"%s\" is out of range: %lld", key, *v);
	return 0;
}

static int get_string(struct loader *ld, json_t *obj, const char *key,
		      bool optional, const char **v)
{
	json_t *j = json_object_get(obj, key);

	if (!j && optional)
		return 0;
	if (!json_is_string(j))
		return fail(ld, "\"%s\" is missing or not a string", key);
	*v = json_string_value(j);
	return 0;
}

static int get_bool(struct loader *ld, json_t *obj, const char *key, bool *v)
{
	json_t *j = json_object_get(obj, key);

	if (!j)
		return 0;
	if (!json_is_boolean(j))
		return fail(ld, "\"%s\" is not a boolean", key);
	*v = json_is_true(j);
	return 0;
}

static json_t *get_container(struct loader *ld, json_t *obj, const char *key,
			     bool array, bool optional, int *ret)
{
	json_t *j = json_object_get(obj, key);

	*ret = 0;
	if (!j && optional)
		return NULL;
	if (array ? !json_is_array(j) : !json_is_object(j))
		*ret = fail(ld, "\"%s\" is missing or not an %s", key,
			    array ? "array" : "object");
	return *ret ? NULL : j;
}

/* A reference to a namespace of the dump, of the given type. */
static int get_ns_ref(struct loader *ld, json_t *obj, const char *key,
		      enum ns_type type, bool optional, struct ns **out)
{
	long long ino = 0;

	*out = NULL;
	if (get_int(ld, obj, key, 1, LLONG_MAX, optional, &ino) < 0)
		return -1;
	if (!ino)
		return 0;
	*out = model_ns(ld->m, (uint64_t)ino);
	if (!*out)
		return fail(ld, "\"%s\" refers to namespace %lld, which is not "
				"in the dump", key, ino);
	if (type != NS_TYPE_NONE && (*out)->type != type)
		return fail(ld, "\"%s\" refers to %s:[%lld], not a %s namespace",
			    key, ns_type_name((*out)->type), ino,
			    ns_type_name(type));
	return 0;
}

/* Namespaces: first all of them, then their references to each other */

static json_t *namespaces_of(struct loader *ld, json_t *root)
{
	int ret;

	return get_container(ld, root, "namespaces", false, false, &ret);
}

/*
 * The namespace a key of "namespaces" names, if it is one already added:
 * an inode, or "id:ID" for a namespace known only by its ID. A key of
 * another form names none; add_namespace then refuses it, as its nsid or
 * id is written otherwise.
 */
static struct ns *ns_of_key(struct loader *ld, const char *key)
{
	static const struct number_range nsid = { 1, LLONG_MAX, 0 };
	uint64_t n;
	struct ns *ns;

	if (!strncmp(key, "id:", 3)) {
		if (number_parse_str(key + 3, nsid, &n) < 0)
			return NULL;
		ns = model_ns_by_id(ld->m, n);
		return ns && !ns->ino ? ns : NULL;
	}
	if (number_parse_str(key, nsid, &n) < 0)
		return NULL;
	return model_ns(ld->m, n);
}

/*
 * The key must be the one the writer gives (json_ns_key), and an ID is
 * one namespace's: two with one ID would be one namespace twice.
 */
static int check_ns_key(struct loader *ld, const char *key, long long ino,
			long long id)
{
	struct ns named = { .ino = (uint64_t)ino, .id = (uint64_t)id };
	char expect[JSON_NS_KEY_MAX];

	if (!ino && !id)
		return fail(ld, "namespace %s has neither nsid nor id", key);
	if (strcmp(json_ns_key(expect, &named), key)) {
		if (ino)
			return fail(ld, "namespace %s has nsid %lld", key, ino);
		return fail(ld, "namespace %s has id %lld and no nsid", key,
			    id);
	}
	if (id && model_ns_by_id(ld->m, (uint64_t)id))
		return fail(ld, "namespace %s has the id of another: %lld",
			    key, id);
	return 0;
}

/*
 * A namespace with an inode, or one known only by its ID (no "nsid": the
 * dump invents no inode), which nothing can name by inode.
 */
static int add_namespace(struct loader *ld, const char *key, json_t *j)
{
	long long ino = 0, id = 0;
	const char *type_name;
	enum ns_type type;
	struct ns *ns;

	if (!json_is_object(j))
		return fail(ld, "namespace %s is not an object", key);
	if (ns_of_key(ld, key))
		return fail(ld, "namespace %s appears twice", key);
	if (get_int(ld, j, "nsid", 1, LLONG_MAX, true, &ino) < 0 ||
	    get_int(ld, j, "id", 1, LLONG_MAX, true, &id) < 0 ||
	    get_string(ld, j, "type", false, &type_name) < 0)
		return context(ld, "namespace %s", key);
	if (check_ns_key(ld, key, ino, id) < 0)
		return -1;
	type = ns_type_from_name(type_name, strlen(type_name));
	if (type == NS_TYPE_NONE)
		return fail(ld, "namespace %s has an unknown type \"%s\"", key,
			    type_name);
	if (!ino) {
		model_add_ns_by_id(ld->m, type, (uint64_t)id);
		return 0;
	}
	ns = model_add_ns(ld->m, type, (uint64_t)ino);
	if (id)
		model_set_ns_id(ld->m, ns, (uint64_t)id);
	return 0;
}

/*
 * Optional; only a network namespace that could be opened was asked for
 * its nsid (-1: none assigned).
 */
static int load_netnsid(struct loader *ld, struct ns *ns, json_t *j)
{
	long long nsid;

	if (!json_object_get(j, "netnsid"))
		return 0;
	if (ns->type != NS_NET)
		return fail(ld, "a %s namespace has no netnsid",
			    ns_type_name(ns->type));
	if (!ns->ino)
		return fail(ld, "a namespace known only by its id has no "
				"netnsid");
	if (get_int(ld, j, "netnsid", -1, INT32_MAX, false, &nsid) < 0)
		return -1;
	ns->has_netnsid = true;
	ns->netnsid = (int)nsid;
	return 0;
}

static int load_user_facts(struct loader *ld, struct ns *ns, json_t *j)
{
	long long uid = -1;
	const char *name = NULL;

	if (get_int(ld, j, "user-id", 0, UINT32_MAX, true, &uid) < 0 ||
	    get_string(ld, j, "user-name", true, &name) < 0)
		return -1;
	if (uid < 0)
		return 0;
	ns->has_creator = true;
	ns->creator_uid = (uid_t)uid;
	ns->creator_name = xstrdup(name ? name : "");
	return 0;
}

/*
 * Children are derived from parents; a list that disagrees is a bad dump:
 * every child listed has this parent, and as many as have it are listed
 * (which with the first also rules out a child listed twice).
 */
static int check_children(struct loader *ld, struct ns *ns, json_t *j,
			  const struct intmap *child_counts)
{
	int ret;
	json_t *children = get_container(ld, j, "children", true, true, &ret);
	size_t i;
	json_t *c;

	if (ret < 0)
		return -1;
	json_array_foreach(children, i, c) {
		struct ns *child = NULL;

		if (json_is_integer(c) && json_integer_value(c) > 0)
			child = model_ns(ld->m,
					 (uint64_t)json_integer_value(c));
		if (!child || child->parent != ns)
			return fail(ld, "\"children\" lists a namespace whose "
					"parent it is not");
	}
	if (children && json_array_size(children) !=
				intmap_get(child_counts, ns->ino))
		return fail(ld, "\"children\" lists %zu namespaces, %zu have "
				"it as their parent",
			    json_array_size(children),
			    (size_t)intmap_get(child_counts, ns->ino));
	return 0;
}

/* How many namespaces name each one as their parent. */
static void count_children(const struct model *m, struct intmap *counts)
{
	for (size_t i = 0; i < m->nns; i++) {
		const struct ns *parent = m->nss[i]->parent;

		if (parent)
			intmap_put(counts, parent->ino,
				   intmap_get(counts, parent->ino) + 1);
	}
}

static int load_source(struct loader *ld, struct ns *ns, json_t *j);

static int load_ns_relations(struct loader *ld, struct ns *ns, json_t *j)
{
	int ret;
	json_t *sources = get_container(ld, j, "sources", true, true, &ret);
	size_t i;
	json_t *src;

	if (ret < 0 ||
	    get_ns_ref(ld, j, "owner", NS_USER, true, &ns->owner) < 0 ||
	    get_ns_ref(ld, j, "parent", ns->type, true, &ns->parent) < 0)
		return -1;
	if (ns->parent && !ns_type_is_hierarchical(ns->type))
		return fail(ld, "a %s namespace has no parent",
			    ns_type_name(ns->type));
	/* nothing can be asked of it: it could not be opened */
	if (!ns->ino && (ns->owner || ns->parent))
		return fail(ld, "a namespace known only by its id has no owner "
				"or parent");
	if (ns->type == NS_USER && load_user_facts(ld, ns, j) < 0)
		return -1;
	if (load_netnsid(ld, ns, j) < 0)
		return -1;
	json_array_foreach(sources, i, src)
		if (load_source(ld, ns, src) < 0)
			return -1;
	return 0;
}

/* Parent chains must end: a cycle would send every view round forever. */
static int check_ns_chains(struct loader *ld)
{
	for (size_t i = 0; i < ld->m->nns; i++) {
		const struct ns *ns = ld->m->nss[i];
		int depth = 0;

		for (const struct ns *p = ns->parent; p; p = p->parent)
			if (++depth > MAX_DEPTH)
				return fail(ld, "namespace %llu: its parents "
						"form a cycle or are too deep",
					    (unsigned long long)ns->ino);
	}
	return 0;
}

/* Every namespace first, so that references can be resolved in any order. */
static int add_namespaces(struct loader *ld, json_t *root)
{
	json_t *nss = namespaces_of(ld, root);
	const char *key;
	json_t *j;

	if (!nss)
		return -1;
	json_object_foreach(nss, key, j)
		if (add_namespace(ld, key, j) < 0)
			return -1;
	return 0;
}

static int load_ns_references(struct loader *ld, json_t *root)
{
	struct intmap counts = INTMAP_INIT;
	json_t *nss = namespaces_of(ld, root);
	const char *key;
	json_t *j;

	json_object_foreach(nss, key, j)
		if (load_ns_relations(ld, ns_of_key(ld, key), j) < 0)
			return context(ld, "namespace %s", key);
	if (check_ns_chains(ld) < 0)
		return -1;
	count_children(ld->m, &counts);
	json_object_foreach(nss, key, j) {
		if (check_children(ld, ns_of_key(ld, key), j, &counts) < 0) {
			intmap_release(&counts);
			return context(ld, "namespace %s", key);
		}
	}
	intmap_release(&counts);
	return 0;
}

/* Processes */

static int load_ns_map(struct loader *ld, json_t *j, const char *key,
		       struct ns *ns[])
{
	int ret;
	json_t *map = get_container(ld, j, key, false, false, &ret);

	if (ret < 0)
		return -1;
	for (int t = 0; t < NS_TYPE_COUNT; t++)
		if (get_ns_ref(ld, map, ns_type_name(t), t, true, &ns[t]) < 0)
			return -1;
	return 0;
}

static int get_state(struct loader *ld, json_t *j, char *state)
{
	const char *s;

	if (get_string(ld, j, "state", false, &s) < 0)
		return -1;
	if (strlen(s) != 1)
		return fail(ld, "\"state\" is not one letter");
	*state = s[0];
	return 0;
}

static int load_task(struct loader *ld, struct proc *p, json_t *j)
{
	long long tid, start;
	const char *name;
	struct task *t;
	char state;

	if (!json_is_object(j))
		return fail(ld, "a task is not an object");
	if (get_int(ld, j, "tid", 1, INT32_MAX, false, &tid) < 0 ||
	    get_string(ld, j, "name", false, &name) < 0 ||
	    get_state(ld, j, &state) < 0 ||
	    get_int(ld, j, "starttime", 0, LLONG_MAX, false, &start) < 0)
		return -1;
	t = proc_add_task(p, (pid_t)tid);
	t->name = xstrdup(name);
	t->state = state;
	t->starttime = (uint64_t)start;
	return load_ns_map(ld, j, "namespaces", t->ns);
}

/* The arguments, NUL-separated as in /proc, split by the same parser. */
static int load_cmdline(struct loader *ld, struct proc *p, json_t *j)
{
	int ret;
	json_t *argv = get_container(ld, j, "cmdline", true, false, &ret);
	struct strbuf text = STRBUF_INIT;
	size_t i;
	json_t *arg;

	if (ret < 0)
		return -1;
	json_array_foreach(argv, i, arg) {
		if (!json_is_string(arg)) {
			strbuf_release(&text);
			return fail(ld, "\"cmdline\" holds a non-string");
		}
		strbuf_add(&text, json_string_value(arg),
			   json_string_length(arg));
		strbuf_addc(&text, '\0');
	}
	if (text.len)
		p->cmdline = strv_split_nul(text.buf, text.len, &p->argc);
	strbuf_release(&text);
	return 0;
}

static int load_nspid(struct loader *ld, struct proc *p, json_t *j)
{
	int ret;
	json_t *chain = get_container(ld, j, "nspid", true, false, &ret);
	size_t i;
	json_t *v;

	if (ret < 0)
		return -1;
	if (json_array_size(chain) > MAX_NSPID)
		return fail(ld, "\"nspid\" is longer than %d", MAX_NSPID);
	p->nspid_len = json_array_size(chain);
	p->nspid = xcalloc(p->nspid_len, sizeof(*p->nspid));
	json_array_foreach(chain, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > INT32_MAX)
			return fail(ld, "\"nspid\" holds an invalid PID");
		p->nspid[i] = (pid_t)json_integer_value(v);
	}
	return 0;
}

static int load_tasks(struct loader *ld, struct proc *p, json_t *j)
{
	int ret;
	json_t *tasks = get_container(ld, j, "tasks", true, true, &ret);
	size_t i;
	json_t *t;

	if (ret < 0)
		return -1;
	json_array_foreach(tasks, i, t)
		if (load_task(ld, p, t) < 0)
			return -1;
	return 0;
}

/* An optional string that, where present, is not empty. */
static int get_nonempty(struct loader *ld, json_t *obj, const char *key,
			bool optional, const char **v)
{
	*v = NULL;
	if (get_string(ld, obj, key, optional, v) < 0)
		return -1;
	if (*v && !**v)
		return fail(ld, "\"%s\" is empty", key);
	return 0;
}

/* Fills what c does not know yet; the first process to tell wins. */
static void set_unknown(char **field, const char *value)
{
	if (value && !*field)
		*field = xstrdup(value);
}

/*
 * "container": the engine and ID name it; a container is one in the model,
 * whichever of its processes tells its name, image and pod.
 */
static int load_container(struct loader *ld, struct proc *p, json_t *j)
{
	const char *engine, *id, *name, *image, *pod, *pod_ns;
	struct container *c;
	int ret;
	json_t *o = get_container(ld, j, "container", false, true, &ret);

	if (ret < 0 || !o)
		return ret;
	if (get_nonempty(ld, o, "engine", false, &engine) < 0 ||
	    get_nonempty(ld, o, "id", false, &id) < 0 ||
	    get_nonempty(ld, o, "name", true, &name) < 0 ||
	    get_nonempty(ld, o, "image", true, &image) < 0 ||
	    get_nonempty(ld, o, "pod", true, &pod) < 0 ||
	    get_nonempty(ld, o, "pod-namespace", true, &pod_ns) < 0)
		return context(ld, "container");
	c = model_container(ld->m, engine, id);
	set_unknown(&c->name, name);
	set_unknown(&c->image, image);
	set_unknown(&c->pod, pod);
	set_unknown(&c->pod_namespace, pod_ns);
	p->container = c;
	return 0;
}

static int load_process_fields(struct loader *ld, struct proc *p, json_t *j)
{
	long long ppid, start, uid;
	long long pidfd_ino = 0;
	const char *name, *cgroup = NULL, *unit = NULL;

	if (get_int(ld, j, "ppid", 0, INT32_MAX, false, &ppid) < 0 ||
	    get_int(ld, j, "pidfd-ino", 1, LLONG_MAX, true, &pidfd_ino) < 0 ||
	    get_string(ld, j, "name", false, &name) < 0 ||
	    get_state(ld, j, &p->state) < 0 ||
	    get_int(ld, j, "starttime", 0, LLONG_MAX, false, &start) < 0 ||
	    get_int(ld, j, "uid", 0, UINT32_MAX, false, &uid) < 0 ||
	    get_string(ld, j, "cpucgroup", true, &cgroup) < 0 ||
	    get_nonempty(ld, j, "unit", true, &unit) < 0 ||
	    get_bool(ld, j, "inaccessible", &p->inaccessible) < 0 ||
	    load_container(ld, p, j) < 0)
		return -1;
	p->ppid = (pid_t)ppid;
	p->name = xstrdup(name);
	p->starttime = (uint64_t)start;
	p->uid = (uid_t)uid;
	p->pidfd_ino = (uint64_t)pidfd_ino;
	if (cgroup && *cgroup)
		p->cgroup = xstrdup(cgroup);
	if (unit)
		p->unit = xstrdup(unit);
	return 0;
}

static int load_process(struct loader *ld, const char *key, json_t *j)
{
	long long pid;
	char expect[32];
	struct proc *p;

	if (!json_is_object(j))
		return fail(ld, "process %s is not an object", key);
	if (get_int(ld, j, "pid", 1, INT32_MAX, false, &pid) < 0)
		return context(ld, "process %s", key);
	snprintf(expect, sizeof(expect), "%lld", pid);
	if (strcmp(expect, key))
		return fail(ld, "process %s has pid %lld", key, pid);
	if (model_proc(ld->m, (pid_t)pid))
		return fail(ld, "process %s appears twice", key);
	p = model_add_proc(ld->m, (pid_t)pid);
	if (load_process_fields(ld, p, j) < 0 || load_cmdline(ld, p, j) < 0 ||
	    load_ns_map(ld, j, "namespaces", p->ns) < 0 ||
	    load_nspid(ld, p, j) < 0 || load_tasks(ld, p, j) < 0)
		return context(ld, "process %s", key);
	return 0;
}

/*
 * Parent PIDs must not loop back: the process tree has to be a tree. Each
 * walk up marks what it passes; meeting a mark of the same walk is a
 * cycle, meeting one of an earlier walk ends it: linear, however deep.
 */
enum { WALKING = 1, DONE = 2 };

static int check_process_chains(struct loader *ld)
{
	struct intmap marks = INTMAP_INIT;
	int ret = 0;

	for (size_t i = 0; i < ld->m->nprocs && !ret; i++) {
		const struct proc *q = ld->m->procs[i];
		uint64_t mark;

		for (; q; q = q->ppid != q->pid ? model_proc(ld->m, q->ppid)
						 : NULL) {
			mark = intmap_get(&marks, (uint64_t)q->pid);
			if (mark == WALKING)
				ret = fail(ld, "process %d: its parents form a "
					       "cycle", (int)q->pid);
			if (mark)
				break;
			intmap_put(&marks, (uint64_t)q->pid, WALKING);
		}
		for (q = ld->m->procs[i]; q; q = model_proc(ld->m, q->ppid)) {
			if (intmap_get(&marks, (uint64_t)q->pid) != WALKING)
				break;
			intmap_put(&marks, (uint64_t)q->pid, DONE);
		}
	}
	intmap_release(&marks);
	return ret;
}

static int load_processes(struct loader *ld, json_t *root)
{
	int ret;
	json_t *procs = get_container(ld, root, "processes", false, false, &ret);
	const char *key;
	json_t *j;

	if (ret < 0)
		return -1;
	json_object_foreach(procs, key, j)
		if (load_process(ld, key, j) < 0)
			return -1;
	return check_process_chains(ld);
}

/* Sources: only those that are facts, not derived from processes */

static struct task *find_task(struct proc *p, pid_t tid)
{
	for (size_t i = 0; i < p->ntasks; i++)
		if (p->tasks[i].tid == tid)
			return &p->tasks[i];
	return NULL;
}

/* Whether PID (and TID, when not 0) are a process and task of the dump. */
static bool holder_in_dump(struct loader *ld, long long pid, long long tid)
{
	struct proc *p = model_proc(ld->m, (pid_t)pid);

	return p && (!tid || find_task(p, (pid_t)tid));
}

/* A for-children source restores the *_for_children link it came from. */
static int load_for_children(struct loader *ld, struct ns *ns, long long pid,
			     long long tid)
{
	struct proc *p = model_proc(ld->m, (pid_t)pid);
	struct task *t = p && tid ? find_task(p, (pid_t)tid) : NULL;

	if (ns->type != NS_PID && ns->type != NS_TIME)
		return fail(ld, "a for-children source of a %s namespace",
			    ns_type_name(ns->type));
	if (!p || (tid && !t))
		return fail(ld, "a for-children source names a process or task "
				"that is not in the dump");
	if (t)
		t->for_children[ns->type] = ns;
	else
		p->for_children[ns->type] = ns;
	return 0;
}

static int load_fd_source(struct loader *ld, struct ns *ns, json_t *j,
			  enum source_kind kind, long long pid, long long tid)
{
	long long fd;

	if (get_int(ld, j, "fd", 0, INT32_MAX, false, &fd) < 0)
		return -1;
	if (!holder_in_dump(ld, pid, tid))
		return fail(ld, "a%s source names a process or task that is "
				"not in the dump",
			    kind == SOURCE_SOCKET ? " socket" : "n fd");
	if (kind == SOURCE_SOCKET && ns->type != NS_NET)
		return fail(ld, "a socket source of a %s namespace",
			    ns_type_name(ns->type));
	ns_add_source(ns, (struct ns_source){ .kind = kind,
					      .pid = (pid_t)pid,
					      .tid = (pid_t)tid,
					      .fd = (int)fd });
	return 0;
}

static int load_bindmount_source(struct loader *ld, struct ns *ns, json_t *j)
{
	const char *path;
	struct ns *mntns;

	if (get_string(ld, j, "path", false, &path) < 0 ||
	    get_ns_ref(ld, j, "mntns", NS_MNT, false, &mntns) < 0)
		return -1;
	ns_add_source(ns, (struct ns_source){ .kind = SOURCE_BINDMOUNT,
					      .path = xstrdup(path),
					      .mntns = mntns->ino });
	return 0;
}

static int load_source(struct loader *ld, struct ns *ns, json_t *j)
{
	const char *kind_name;
	enum source_kind kind;
	long long pid = 0, tid = 0;

	if (!json_is_object(j) || get_string(ld, j, "kind", false, &kind_name) < 0)
		return fail(ld, "a source without a kind");
	kind = source_kind_from_name(kind_name);
	if (kind == SOURCE_KIND_COUNT)
		return fail(ld, "a source of unknown kind \"%s\"", kind_name);
	if (kind == SOURCE_BINDMOUNT)
		return load_bindmount_source(ld, ns, j);
	if (kind == SOURCE_PARENT || kind == SOURCE_OWNER)
		return 0; /* derived */
	if (kind == SOURCE_LISTED) {
		ns_add_source(ns, (struct ns_source){ .kind = kind });
		return 0;
	}
	if (get_int(ld, j, "pid", 1, INT32_MAX, false, &pid) < 0 ||
	    get_int(ld, j, "tid", 1, INT32_MAX, true, &tid) < 0)
		return -1;
	if (kind == SOURCE_FOR_CHILDREN)
		return load_for_children(ld, ns, pid, tid);
	if (kind == SOURCE_FD || kind == SOURCE_SOCKET)
		return load_fd_source(ld, ns, j, kind, pid, tid);
	return 0; /* process and task sources are derived */
}

/* How the dump was made */

static int load_passes(struct loader *ld, json_t *d)
{
	int ret;
	json_t *passes = get_container(ld, d, "passes", false, true, &ret);

	if (ret < 0)
		return -1;
	for (int pass = 0; pass < PASS_COUNT; pass++)
		if (get_bool(ld, passes, discovery_pass_name(pass),
			     &ld->m->discovery.passes[pass]) < 0)
			return -1;
	return 0;
}

/* Their text is the writer's words: checked, not kept (see json.h). */
static int check_warnings(struct loader *ld, json_t *d)
{
	int ret;
	json_t *warnings = get_container(ld, d, "warnings", true, true, &ret);
	size_t i;
	json_t *w;

	if (ret < 0)
		return -1;
	json_array_foreach(warnings, i, w)
		if (!json_is_string(w))
			return fail(ld, "\"warnings\" holds a non-string");
	return 0;
}

static int get_count(struct loader *ld, json_t *obj, const char *key,
		     size_t *count)
{
	long long v = 0;

	if (get_int(ld, obj, key, 0, INT32_MAX, true, &v) < 0)
		return -1;
	*count = (size_t)v;
	return 0;
}

/*
 * A dump from before "unread" knew only the inaccessible processes: they
 * stand for the unread ones, the rest counts as read.
 */
static int load_unread(struct loader *ld, json_t *d)
{
	struct discovery_unread *u = &ld->m->discovery.unread;
	int ret;
	json_t *o = get_container(ld, d, "unread", false, true, &ret);

	if (ret < 0)
		return -1;
	if (!o) {
		u->processes = ld->m->discovery.inaccessible;
		return 0;
	}
	if (get_count(ld, o, "processes", &u->processes) < 0 ||
	    get_count(ld, o, "fd-tables", &u->fd_tables) < 0 ||
	    get_count(ld, o, "sockets", &u->sockets) < 0 ||
	    get_count(ld, o, "mount-namespaces", &u->mount_namespaces) < 0 ||
	    get_count(ld, o, "containers", &u->containers) < 0)
		return context(ld, "unread");
	return 0;
}

/* A dump from before "mount-namespaces-tried" tells no way: both 0. */
static int load_mntns_tried(struct loader *ld, json_t *d)
{
	struct discovery_mntns_tried *t = &ld->m->discovery.mntns_tried;
	int ret;
	json_t *o = get_container(ld, d, "mount-namespaces-tried", false, true,
				  &ret);

	if (ret < 0)
		return -1;
	if (o && (get_count(ld, o, "listmount", &t->listmount) < 0 ||
		  get_count(ld, o, "entering", &t->entering) < 0))
		return context(ld, "mount-namespaces-tried");
	return 0;
}

static int load_discovery(struct loader *ld, json_t *root)
{
	struct discovery_info *info = &ld->m->discovery;
	int ret;
	json_t *d = get_container(ld, root, "discovery", false, false, &ret);
	long long pid;

	if (ret < 0 || get_int(ld, d, "pid", 1, INT32_MAX, false, &pid) < 0 ||
	    get_ns_ref(ld, d, "pidns", NS_PID, false, &info->pidns) < 0 ||
	    get_bool(ld, d, "cap-sys-ptrace", &info->cap_sys_ptrace) < 0 ||
	    get_count(ld, d, "inaccessible", &info->inaccessible) < 0 ||
	    load_unread(ld, d) < 0 || load_mntns_tried(ld, d) < 0 ||
	    load_passes(ld, d) < 0 ||
	    check_warnings(ld, d) < 0)
		return context(ld, "discovery");
	info->pid = (pid_t)pid;
	if (!model_proc(ld->m, info->pid))
		return fail(ld, "discovery: process %lld is not in the dump", pid);
	return 0;
}

/* Reading, bounded */

struct bounded_reader {
	FILE *in;
	size_t total;
	bool too_large;
	bool nul;            /* a NUL byte was read, at offset nul_at */
	size_t nul_at;
};

/*
 * jansson takes a NUL byte in the text for its end, and then says that
 * '[' or '{' was expected "near end of file": no JSON text holds one, so
 * the reading stops there, and the message says what was found.
 */
static size_t read_bounded(void *buffer, size_t size, void *data)
{
	struct bounded_reader *r = data;
	size_t n = fread(buffer, 1, size, r->in);
	const char *nul = memchr(buffer, 0, n);

	if (nul) {
		r->nul = true;
		r->nul_at = r->total + (size_t)(nul - (const char *)buffer);
		return (size_t)-1;
	}
	r->total += n;
	if (r->total > JSON_LOAD_MAX_BYTES) {
		r->too_large = true;
		return (size_t)-1;
	}
	return n;
}

/*
 * jansson's message, in our words where its own names a flag of its API
 * (JSON_ALLOW_NUL) or says "near end of file" for a file with nothing in it.
 */
static int fail_json(struct loader *ld, const struct bounded_reader *r,
		     const json_error_t *error)
{
	if (r->nul)
		return fail(ld, "not valid JSON: a NUL byte at offset %zu",
			    r->nul_at);
	if (!r->total)
		return fail(ld, "empty: not a dump");
	if (json_error_code(error) == json_error_null_character)
		return fail(ld, "not valid JSON: a string holds a NUL byte "
				"(\\u0000) (line %d, column %d)",
			    error->line, error->column);
	return fail(ld, "not valid JSON: %s (line %d, column %d)", error->text,
		    error->line, error->column);
}

/* A file says its size: one too large is refused before any of it is read. */
static bool known_too_large(FILE *in)
{
	struct stat st;

	return !fstat(fileno(in), &st) && S_ISREG(st.st_mode) &&
	       (uint64_t)st.st_size > JSON_LOAD_MAX_BYTES;
}

/*
 * jansson's allocations are ours too: out of memory while reading a dump
 * is the tool's one message and exit, not a "not valid JSON" that would
 * blame the dump. Set on every load, which costs nothing: the functions
 * are global, and no other code of nstools uses jansson.
 */
static json_t *parse(struct loader *ld, FILE *in)
{
	struct bounded_reader r = { .in = in };
	json_error_t error;
	json_t *root = NULL;

	json_set_alloc_funcs(xmalloc, free);
	r.too_large = known_too_large(in);
	if (!r.too_large)
		root = json_load_callback(read_bounded, &r,
					  JSON_REJECT_DUPLICATES, &error);
	if (r.too_large)
		fail(ld, "larger than %u MiB", JSON_LOAD_MAX_BYTES >> 20);
	else if (ferror(in))
		fail(ld, "cannot read it");
	else if (!root || r.nul)
		fail_json(ld, &r, &error);
	else if (!json_is_object(root))
		fail(ld, "not a dump: the top level is not an object");
	else
		return root;
	json_decref(root);
	return NULL;
}

int json_load_model(struct model *m, FILE *in, char *err, size_t errlen)
{
	struct loader ld = { .m = m, .err = err, .errlen = errlen };
	json_t *root = parse(&ld, in);
	int ret;

	if (!root)
		return -1;
	/* processes point at namespaces, for-children sources at processes */
	ret = add_namespaces(&ld, root);
	if (!ret)
		ret = load_processes(&ld, root);
	if (!ret)
		ret = load_ns_references(&ld, root);
	if (!ret)
		ret = load_discovery(&ld, root);
	json_decref(root);
	if (!ret)
		model_finish(m);
	return ret;
}
