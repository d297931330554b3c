/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The list view, drawn by libsmartcols: the library lsns prints with, so
 * that the table's truncation and wrapping, the raw mode's escapes and
 * the JSON's quoting are the ones lsns users know (and so that a script
 * written for `lsns -r` or `lsns -J` reads ours).
 *
 * The columns lsns has mean what they mean there (lsns(8), checked
 * against lsns 2.38 by test/list.bats): PID is the lowest PID of the
 * processes in the namespace, as /proc shows it; PATH its link; PPID,
 * COMMAND, UID and USER are that process's; PNS the parent (user and PID
 * namespaces, else 0), ONS the owner (of a user namespace: its parent,
 * which is what NS_GET_USERNS answers); NSFS the namespace's bind mounts
 * in the tool's own mount namespace. A column whose value is unknown is
 * empty (null in JSON), as in lsns. CONTAINER, ENGINE and UNIT come from
 * the PID's cgroup (HACKING.md, "Containers and units"), so they need it
 * read.
 */
#include "ui/nslist.h"
#include "lib/hashmap.h"
#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/util.h"

#include <errno.h>
#include <libsmartcols/libsmartcols.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What one line is made from. */
struct row {
	const struct view *v;
	const struct nslist *l;
	const struct ns *ns;
	const struct proc *p;    /* the lowest PID in it, or NULL */
	struct hashmap *users;   /* UID + 1 -> user name, "" for none */
};

/* What a column needs read beyond the namespaces (nslist_scope). */
enum {
	NEEDS_CMDLINES = 1 << 0,
	NEEDS_UIDS = 1 << 1,
	NEEDS_CGROUPS = 1 << 2,
	NEEDS_NETNSIDS = 1 << 3,
};

struct column {
	const char *name;
	const char *help;
	double whint;            /* libsmartcols' width hint */
	int flags;               /* SCOLS_FL_* */
	int json_type;           /* SCOLS_JSON_* */
	unsigned needs;
	/* Appends the cell of r; nothing for an empty one. */
	void (*cell)(struct strbuf *sb, const struct row *r);
};

static void add_number(struct strbuf *sb, uint64_t n)
{
	strbuf_addf(sb, "%llu", (unsigned long long)n);
}

/* Text that another user chose, escaped for the list's format. */
static void add_untrusted(struct strbuf *sb, const struct row *r,
			  const char *text)
{
	char *clean;

	switch (r->l->format) {
	case NSLIST_TABLE:
		/* the one escaper of the tree views; libsmartcols' is off */
		text_add_escaped(sb, text);
		return;
	case NSLIST_RAW:
		/* libsmartcols' raw escapes: every byte but printable ASCII */
		strbuf_adds(sb, text);
		return;
	case NSLIST_JSON:
		/* libsmartcols quotes; valid UTF-8 is ours to see to */
		clean = utf8_sanitize(text, strlen(text));
		strbuf_adds(sb, clean);
		free(clean);
		return;
	}
}

static void cell_ns(struct strbuf *sb, const struct row *r)
{
	if (r->ns->ino)
		add_number(sb, r->ns->ino);
}

static void cell_type(struct strbuf *sb, const struct row *r)
{
	strbuf_adds(sb, ns_type_name(r->ns->type));
}

/* A bind mount of ns in the tool's own mount namespace, or NULL. */
static const char *own_bindmount(const struct row *r, size_t *from)
{
	for (; *from < r->ns->nsources; (*from)++) {
		const struct ns_source *s = &r->ns->sources[*from];

		if (s->kind == SOURCE_BINDMOUNT && r->v->own_mntns &&
		    s->mntns == r->v->own_mntns->ino) {
			(*from)++;
			return s->path;
		}
	}
	return NULL;
}

/*
 * Whether the model's one-path reference opens ns itself: a link of a
 * thread or for children, a bind mount, an fd of it. A socket's fd opens
 * the socket, not the namespace.
 */
static bool reference_opens(const struct ns *ns)
{
	if (ns->nreference != 1)
		return false;
	for (size_t i = 0; i < ns->nsources; i++) {
		switch (ns->sources[i].kind) {
		case SOURCE_TASK:
		case SOURCE_FOR_CHILDREN:
		case SOURCE_BINDMOUNT:
		case SOURCE_FD:
			return true;
		default:
			break;
		}
	}
	return false;
}

/*
 * The link of the PID column's process; without one, a path that opens
 * the namespace: a bind mount here, else the model's reference.
 */
static void cell_path(struct strbuf *sb, const struct row *r)
{
	size_t from = 0;
	const char *mount = own_bindmount(r, &from);

	if (r->p)
		strbuf_addf(sb, "/proc/%d/ns/%s", (int)r->p->pid,
			    ns_type_name(r->ns->type));
	else if (mount)
		add_untrusted(sb, r, mount);
	else if (reference_opens(r->ns))
		add_untrusted(sb, r, r->ns->reference[0]);
}

static void cell_nprocs(struct strbuf *sb, const struct row *r)
{
	add_number(sb, r->ns->nprocs);
}

static void cell_pid(struct strbuf *sb, const struct row *r)
{
	if (r->p)
		add_number(sb, (uint64_t)r->p->pid);
}

static void cell_ppid(struct strbuf *sb, const struct row *r)
{
	if (r->p)
		add_number(sb, (uint64_t)r->p->ppid);
}

/* The command line, space-separated; the name where it has none. */
static void cell_command(struct strbuf *sb, const struct row *r)
{
	struct strbuf line = STRBUF_INIT;

	if (!r->p)
		return;
	for (size_t i = 0; i < r->p->argc; i++) {
		if (i)
			strbuf_addc(&line, ' ');
		strbuf_adds(&line, r->p->cmdline[i]);
	}
	add_untrusted(sb, r, line.len ? line.buf : r->p->name);
	strbuf_release(&line);
}

static bool knows_uid(const struct row *r)
{
	return r->p && r->p->uid != UID_UNKNOWN;
}

static void cell_uid(struct strbuf *sb, const struct row *r)
{
	if (knows_uid(r))
		add_number(sb, r->p->uid);
}

/* The name of uid from the user database, once a list; "" for none. */
static const char *user_name(struct hashmap *users, uid_t uid)
{
	char *name = hashmap_get(users, (uint64_t)uid + 1);
	struct passwd pw, *found = NULL;
	char buf[4096];

	if (name)
		return name;
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &found) || !found)
		name = xstrdup("");
	else
		name = xstrdup(found->pw_name);
	hashmap_put(users, (uint64_t)uid + 1, name);
	return name;
}

static void cell_user(struct strbuf *sb, const struct row *r)
{
	if (knows_uid(r))
		add_untrusted(sb, r, user_name(r->users, r->p->uid));
}

/* lsns's words: the number, or "unassigned" where the kernel has none. */
static void cell_netnsid(struct strbuf *sb, const struct row *r)
{
	if (!r->ns->has_netnsid)
		return;
	if (r->ns->netnsid < 0)
		strbuf_adds(sb, "unassigned");
	else
		add_number(sb, (uint64_t)r->ns->netnsid);
}

/*
 * A multi-line cell: lines in a table (wrapped by libsmartcols), commas
 * in raw mode and with -W, as lsns.
 */
static const char *line_separator(const struct row *r)
{
	if (r->l->format == NSLIST_RAW ||
	    (r->l->format == NSLIST_TABLE && r->l->nowrap))
		return ",";
	return "\n";
}

static void cell_nsfs(struct strbuf *sb, const struct row *r)
{
	size_t from = 0;
	const char *path;

	for (int i = 0; (path = own_bindmount(r, &from)); i++) {
		if (i)
			strbuf_adds(sb, line_separator(r));
		add_untrusted(sb, r, path);
	}
}

/* Of a user namespace both are its parent, as in lsns. */
static void cell_pns(struct strbuf *sb, const struct row *r)
{
	const struct ns *parent = r->ns->parent;

	add_number(sb, parent ? parent->ino : 0);
}

static void cell_ons(struct strbuf *sb, const struct row *r)
{
	const struct ns *owner =
		r->ns->type == NS_USER ? r->ns->parent : r->ns->owner;

	add_number(sb, owner ? owner->ino : 0);
}

/* How it is held: the kinds of its sources, each once, comma-separated. */
static void cell_holders(struct strbuf *sb, const struct row *r)
{
	bool seen[SOURCE_KIND_COUNT] = { false };
	const char *sep = "";

	for (size_t i = 0; i < r->ns->nsources; i++)
		seen[r->ns->sources[i].kind] = true;
	for (int k = 0; k < SOURCE_KIND_COUNT; k++) {
		if (!seen[k])
			continue;
		strbuf_adds(sb, sep);
		strbuf_adds(sb, source_kind_name(k));
		sep = ",";
	}
}

static void cell_hidden(struct strbuf *sb, const struct row *r)
{
	strbuf_addc(sb, r->ns->hidden ? '1' : '0');
}

/* The PID column's NSpid, outermost first: "4242/1". */
static void cell_nspid(struct strbuf *sb, const struct row *r)
{
	for (size_t i = 0; r->p && i < r->p->nspid_len; i++)
		strbuf_addf(sb, "%s%d", i ? "/" : "", (int)r->p->nspid[i]);
}

static void cell_cgroup(struct strbuf *sb, const struct row *r)
{
	if (r->p && r->p->cgroup)
		add_untrusted(sb, r, r->p->cgroup);
}

static void cell_id(struct strbuf *sb, const struct row *r)
{
	if (r->ns->id)
		add_number(sb, r->ns->id);
}

static void cell_creator(struct strbuf *sb, const struct row *r)
{
	if (r->ns->has_creator)
		add_number(sb, r->ns->creator_uid);
}

/* The container's name, else its short ID, as the labels name it. */
static void cell_container(struct strbuf *sb, const struct row *r)
{
	const struct container *c = r->p ? r->p->container : NULL;
	struct strbuf id = STRBUF_INIT;

	if (!c)
		return;
	if (c->name) {
		add_untrusted(sb, r, c->name);
		return;
	}
	view_add_short_id(&id, c);
	add_untrusted(sb, r, id.buf);
	strbuf_release(&id);
}

static void cell_engine(struct strbuf *sb, const struct row *r)
{
	if (r->p && r->p->container)
		add_untrusted(sb, r, r->p->container->engine);
}

static void cell_unit(struct strbuf *sb, const struct row *r)
{
	if (r->p && r->p->unit)
		add_untrusted(sb, r, r->p->unit);
}

#define RIGHT SCOLS_FL_RIGHT
#define NUMBER SCOLS_JSON_NUMBER
#define STRING SCOLS_JSON_STRING

static const struct column columns[] = {
	/* lsns's, with its names, meanings, order and JSON types */
	{ "NS", "namespace identifier (inode number)", 10, RIGHT, NUMBER, 0,
	  cell_ns },
	{ "TYPE", "kind of namespace", 5, 0, STRING, 0, cell_type },
	{ "PATH", "path to the namespace", 0, SCOLS_FL_NOEXTREMES, STRING, 0,
	  cell_path },
	{ "NPROCS", "number of processes in the namespace", 5, RIGHT, NUMBER,
	  0, cell_nprocs },
	{ "PID", "lowest PID in the namespace", 5, RIGHT, NUMBER, 0,
	  cell_pid },
	{ "PPID", "PPID of the PID", 5, RIGHT, NUMBER, 0, cell_ppid },
	{ "COMMAND", "command line of the PID", 0, SCOLS_FL_TRUNC, STRING,
	  NEEDS_CMDLINES, cell_command },
	{ "UID", "UID of the PID", 0, RIGHT, NUMBER, NEEDS_UIDS, cell_uid },
	{ "USER", "username of the PID", 0, 0, STRING, NEEDS_UIDS,
	  cell_user },
	{ "NETNSID", "namespace ID as used by network subsystem", 0, RIGHT,
	  STRING, NEEDS_NETNSIDS, cell_netnsid },
	{ "NSFS", "nsfs mountpoint (usually used network subsystem)", 0,
	  SCOLS_FL_NOEXTREMES | SCOLS_FL_WRAP, STRING, 0, cell_nsfs },
	{ "PNS", "parent namespace identifier (inode number)", 10, RIGHT,
	  NUMBER, 0, cell_pns },
	{ "ONS", "owner namespace identifier (inode number)", 10, RIGHT,
	  NUMBER, 0, cell_ons },
	/* nstools' own */
	{ "HOLDERS", "how it is held: process, task, fd, socket, ...", 0, 0,
	  STRING, 0, cell_holders },
	{ "HIDDEN", "known only as the parent or owner of another", 1, RIGHT,
	  SCOLS_JSON_BOOLEAN, 0, cell_hidden },
	{ "NSPID", "the PIDs of the PID in every PID namespace", 0, 0, STRING,
	  0, cell_nspid },
	{ "CGROUP", "cgroup of the PID", 0, SCOLS_FL_TRUNC, STRING,
	  NEEDS_CGROUPS, cell_cgroup },
	{ "ID", "64-bit namespace ID (NS_GET_ID)", 0, RIGHT, NUMBER, 0,
	  cell_id },
	{ "CREATOR", "UID of the user namespace's creator", 0, RIGHT, NUMBER,
	  0, cell_creator },
	{ "CONTAINER", "container of the PID: its name, else short ID", 0,
	  SCOLS_FL_TRUNC, STRING, NEEDS_CGROUPS, cell_container },
	{ "ENGINE", "container engine of the PID", 0, 0, STRING, NEEDS_CGROUPS,
	  cell_engine },
	{ "UNIT", "systemd unit of the PID", 0, SCOLS_FL_TRUNC, STRING,
	  NEEDS_CGROUPS, cell_unit },
};

#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

static int column_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < NCOLUMNS; i++)
		if (strlen(columns[i].name) == len &&
		    !strncasecmp(columns[i].name, name, len))
			return (int)i;
	return -1;
}

int nslist_add_columns(struct nslist *l, const char *list, char *bad,
		       size_t badsize)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		int col = column_by_name(p, len);

		if (col < 0) {
			snprintf(bad, badsize, "%.*s", (int)len, p);
			return -EINVAL;
		}
		if (l->ncols == NSLIST_MAX_COLUMNS)
			return -E2BIG;
		l->cols[l->ncols++] = col;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static void set_columns(struct nslist *l, const char *list)
{
	char bad[2];

	l->ncols = 0;
	nslist_add_columns(l, list, bad, sizeof(bad));
}

void nslist_default_columns(struct nslist *l, const struct typeset *types)
{
	bool net_only = types->set;

	for (int t = 0; t < NS_TYPE_COUNT; t++)
		net_only &= types->has[t] == (t == NS_NET);
	set_columns(l, net_only ? "NS,TYPE,NPROCS,PID,USER,NETNSID,NSFS,COMMAND"
				: "NS,TYPE,NPROCS,PID,USER,COMMAND");
}

void nslist_all_columns(struct nslist *l)
{
	l->ncols = 0;
	for (size_t i = 0; i < NCOLUMNS; i++)
		l->cols[l->ncols++] = (int)i;
}

void nslist_scope(const struct nslist *l, struct discovery_scope *scope)
{
	unsigned needs = 0;

	for (size_t i = 0; i < l->ncols; i++)
		needs |= columns[l->cols[i]].needs;
	scope->no_cmdlines = !(needs & NEEDS_CMDLINES);
	scope->no_uids = !(needs & NEEDS_UIDS);
	scope->no_cgroups = !(needs & NEEDS_CGROUPS);
	scope->ealdormen_cgroups = false;
	scope->no_netnsids = !(needs & NEEDS_NETNSIDS);
	scope->lowest_details = true;
	scope->no_pidfd_inos = true;
}

void nslist_print_columns(FILE *out)
{
	for (size_t i = 0; i < NCOLUMNS; i++)
		fprintf(out, "%12s  %s\n", columns[i].name, columns[i].help);
}

/* lsns's order: by inode; those known only by their ID last, by ID. */
static int by_inode(const void *a, const void *b)
{
	const struct ns *x = *(const struct ns *const *)a;
	const struct ns *y = *(const struct ns *const *)b;

	if (!x->ino != !y->ino)
		return x->ino ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (int)x->type - (int)y->type;
}

/* The lowercase name lsns's JSON keys have. */
static char *json_key(const char *name)
{
	char *key = xstrdup(name);

	for (char *c = key; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return key;
}

static int add_column(struct libscols_table *tb, const struct nslist *l,
		      const struct column *c)
{
	int flags = c->flags;
	struct libscols_column *cl;
	char *key = NULL;

	if (l->notruncate)
		flags &= ~SCOLS_FL_TRUNC;
	if (l->nowrap || l->format != NSLIST_TABLE)
		flags &= ~SCOLS_FL_WRAP;
	if (l->format == NSLIST_JSON)
		key = json_key(c->name);
	cl = scols_table_new_column(tb, key ? key : c->name, c->whint, flags);
	free(key);
	if (!cl)
		return -ENOMEM;
	if (flags & SCOLS_FL_WRAP)
		scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
					  scols_wrapnl_nextchunk, NULL);
	return scols_column_set_json_type(cl, c->json_type) ? -ENOMEM : 0;
}

static struct libscols_table *new_table(const struct nslist *l)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		return NULL;
	scols_table_enable_raw(tb, l->format == NSLIST_RAW);
	scols_table_enable_json(tb, l->format == NSLIST_JSON);
	scols_table_enable_noheadings(tb, l->noheadings);
	scols_table_enable_nowrap(tb, l->nowrap);
	/* a table's text is escaped by add_untrusted, once */
	scols_table_enable_noencoding(tb, l->format == NSLIST_TABLE);
	scols_table_set_name(tb, "namespaces");
	scols_table_set_stream(tb, stdout);
	for (size_t i = 0; i < l->ncols; i++) {
		if (add_column(tb, l, &columns[l->cols[i]]) < 0) {
			scols_unref_table(tb);
			return NULL;
		}
	}
	return tb;
}

static int add_line(struct libscols_table *tb, const struct row *r)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);

	if (!ln)
		return -ENOMEM;
	for (size_t i = 0; i < r->l->ncols; i++) {
		struct strbuf sb = STRBUF_INIT;

		columns[r->l->cols[i]].cell(&sb, r);
		/* libsmartcols takes the string: an empty cell stays NULL */
		if (sb.len && scols_line_refer_data(ln, i, strbuf_detach(&sb)))
			return -ENOMEM;
		strbuf_release(&sb);
	}
	return 0;
}

static void free_user_names(struct hashmap *users)
{
	struct hashmap_iter it = HASHMAP_ITER_INIT;

	while (hashmap_next(users, &it))
		free(it.value);
	hashmap_release(users);
}

static int add_lines(struct libscols_table *tb, const struct nslist *l,
		     const struct view *v, struct ns **nss, size_t n)
{
	struct hashmap users = HASHMAP_INIT;
	int ret = 0;

	for (size_t i = 0; i < n && !ret; i++) {
		struct row r = { .v = v, .l = l, .ns = nss[i],
				 .p = model_proc(v->m, nss[i]->lowest_pid),
				 .users = &users };

		ret = add_line(tb, &r);
	}
	free_user_names(&users);
	return ret;
}

/*
 * The table of the namespaces of v's model that shows() lets through,
 * sorted (their order in *nss, of *n); NULL for want of memory.
 */
static struct libscols_table *filled_table(const struct nslist *l,
					   const struct view *v,
					   nslist_filter *shows,
					   const void *ctx, struct ns ***nss,
					   size_t *n)
{
	const struct model *m = v->m;
	struct libscols_table *tb = new_table(l);

	*nss = xcalloc(m->nns + 1, sizeof(**nss));
	*n = 0;
	for (size_t i = 0; i < m->nns; i++)
		if (shows(m->nss[i], ctx))
			(*nss)[(*n)++] = m->nss[i];
	qsort(*nss, *n, sizeof(**nss), by_inode);
	if (tb && add_lines(tb, l, v, *nss, *n) < 0) {
		scols_unref_table(tb);
		tb = NULL;
	}
	return tb;
}

int nslist_print(const struct nslist *l, const struct view *v,
		 nslist_filter *shows, const void *ctx)
{
	struct ns **nss;
	size_t n;
	struct libscols_table *tb = filled_table(l, v, shows, ctx, &nss, &n);
	int ret = tb ? 0 : -ENOMEM;

	if (tb && scols_print_table(tb))
		ret = -EIO;
	scols_unref_table(tb);
	free(nss);
	return ret;
}

/* Splits the table's text into its head and a node for each namespace. */
static void split_rows(char *text, struct ns **nss, size_t n, bool head,
		       struct nslist_rows *rows)
{
	char *line = text, *next;
	size_t i = 0;

	rows->nodes = xcalloc(n + 1, sizeof(*rows->nodes));
	for (; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (head) {
			rows->header = xstrdup(line);
			head = false;
			continue;
		}
		if (i == n)
			break;
		rows->nodes[i] = tree_node_new(xstrdup(line));
		rows->nodes[i]->key = view_ns_key(nss[i]);
		i++;
	}
	rows->n = i;
}

int nslist_rows(const struct nslist *l, const struct view *v,
		nslist_filter *shows, const void *ctx,
		struct nslist_rows *rows)
{
	struct nslist whole = *l;
	struct libscols_table *tb;
	struct ns **nss;
	char *text = NULL;
	size_t n;

	/* one line a namespace, as wide as it is: the screen cuts */
	whole.format = NSLIST_TABLE;
	whole.notruncate = whole.nowrap = true;
	memset(rows, 0, sizeof(*rows));
	tb = filled_table(&whole, v, shows, ctx, &nss, &n);
	if (tb)
		scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	if (!tb || scols_print_table_to_string(tb, &text)) {
		scols_unref_table(tb);
		free(nss);
		return -ENOMEM;
	}
	split_rows(text, nss, n, !l->noheadings, rows);
	free(text);
	scols_unref_table(tb);
	free(nss);
	return 0;
}
