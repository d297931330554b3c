/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/cgroupname.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/*
 * Every process's cgroup file is parsed (a few hundred bytes, ten lines on
 * a hybrid host): nothing here allocates, and each line is walked once,
 * in place.
 */

/* A piece of the text: not NUL-terminated. */
struct span {
	const char *p;
	size_t len;
};

/* A container found in a path, as the engine names it. */
struct match {
	const char *engine; /* NULL: none */
	char id[CGROUPNAME_MAX + 1];
};

#define HEX_ID_LEN 64
#define MACHINE_NAME_MAX 64

static bool span_is(struct span s, const char *word)
{
	return s.len == strlen(word) && !memcmp(s.p, word, s.len);
}

static bool has_prefix(struct span s, const char *prefix)
{
	size_t n = strlen(prefix);

	return s.len >= n && !memcmp(s.p, prefix, n);
}

static bool has_suffix(struct span s, const char *suffix)
{
	size_t n = strlen(suffix);

	return s.len >= n && !memcmp(s.p + s.len - n, suffix, n);
}

/* s without prefix and, where it has it, suffix. */
static struct span inner(struct span s, const char *prefix, const char *suffix)
{
	size_t n = strlen(prefix);
	struct span in = { s.p + n, s.len - n };

	if (has_suffix(in, suffix))
		in.len -= strlen(suffix);
	return in;
}

/* Every engine here writes its IDs as 64 lower-case hex digits. */
static bool is_hex_id(struct span s)
{
	if (s.len != HEX_ID_LEN)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (!((s.p[i] >= '0' && s.p[i] <= '9') ||
		      (s.p[i] >= 'a' && s.p[i] <= 'f')))
			return false;
	return true;
}

/*
 * PREFIXID, or PREFIXID.scope where the systemd cgroup driver made it a
 * scope unit; the ID in *id. The conmon of podman and CRI-O
 * (libpod-conmon-ID, crio-conmon-ID) is no ID: not the container.
 */
static bool prefixed_id(struct span c, const char *prefix, struct span *id)
{
	if (!has_prefix(c, prefix))
		return false;
	*id = inner(c, prefix, ".scope");
	return is_hex_id(*id);
}

/* A name of LXC's: any bytes but control characters. */
static bool is_lxc_name(struct span s)
{
	if (!s.len || s.len > CGROUPNAME_MAX)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f)
			return false;
	return true;
}

static bool take(struct match *m, const char *engine, struct span id)
{
	if (id.len > CGROUPNAME_MAX)
		return false;
	memcpy(m->id, id.p, id.len);
	m->id[id.len] = '\0';
	m->engine = engine;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * systemd escapes a unit name's bytes as \xNN ('-' as \x2d); a bare '-'
 * would stand for '/', which no machine name has. Returns the length of
 * the unescaped name in out (size MACHINE_NAME_MAX + 1), or 0.
 */
static size_t unescape_machine(struct span s, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (c == '\\' && i + 3 < s.len && s.p[i + 1] == 'x' &&
		    hex_digit(s.p[i + 2]) >= 0 && hex_digit(s.p[i + 3]) >= 0) {
			c = (char)(hex_digit(s.p[i + 2]) * 16 +
				   hex_digit(s.p[i + 3]));
			i += 3;
		} else if (c == '-' || c == '\\') {
			return 0;
		}
		if (n == MACHINE_NAME_MAX)
			return 0;
		out[n++] = c;
	}
	return n;
}

/* machined's names are host names: letters, digits, '-', '_', '.'. */
static bool is_machine_name(const char *name, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '-' ||
		      name[i] == '_' || name[i] == '.'))
			return false;
	return true;
}

/*
 * libvirt registers its guests with machined too, as qemu-N-NAME and
 * lxc-N-NAME: no container of systemd-nspawn.
 */
static bool is_libvirt_guest(const char *name, size_t n)
{
	size_t i;

	if (n > 5 && !memcmp(name, "qemu-", 5))
		i = 5;
	else if (n > 4 && !memcmp(name, "lxc-", 4))
		i = 4;
	else
		return false;
	while (i < n && name[i] >= '0' && name[i] <= '9')
		i++;
	return i < n && name[i] == '-';
}

/* machine-NAME.scope: a container of systemd-nspawn, registered by name. */
static bool machine_scope(struct span c, struct match *m)
{
	char name[MACHINE_NAME_MAX + 1];
	size_t n;

	if (!has_prefix(c, "machine-") || !has_suffix(c, ".scope"))
		return false;
	n = unescape_machine(inner(c, "machine-", ".scope"), name);
	if (!is_machine_name(name, n) || is_libvirt_guest(name, n))
		return false;
	return take(m, "nspawn", (struct span){ name, n });
}

/*
 * What component c names, after the component prev; kube: a kubepods
 * component is above it, where containerd's cgroupfs driver names a
 * container by its bare ID (the kubelet's layout: kubepods/QOS/podUID/ID).
 */
static bool match_component(struct span c, struct span prev, bool kube,
			    struct match *m)
{
	struct span id;

	if (prefixed_id(c, "libpod-", &id))
		return take(m, "podman", id);
	if ((has_suffix(c, ".scope") && prefixed_id(c, "docker-", &id)) ||
	    (span_is(prev, "docker") && is_hex_id(id = c)))
		return take(m, "docker", id);
	if (prefixed_id(c, "cri-containerd-", &id) || (kube && is_hex_id(id = c)))
		return take(m, "containerd", id);
	if (prefixed_id(c, "crio-", &id))
		return take(m, "cri-o", id);
	if ((has_prefix(c, "lxc.payload.") &&
	     is_lxc_name(id = inner(c, "lxc.payload.", ""))) ||
	    (span_is(prev, "lxc") && is_lxc_name(id = c)))
		return take(m, "lxc", id);
	return machine_scope(c, m);
}

/* The next '/'-separated component of [*cur, end), empty ones skipped. */
static bool next_component(const char **cur, const char *end, struct span *c)
{
	const char *p = *cur, *slash;

	while (p < end && *p == '/')
		p++;
	if (p == end)
		return false;
	slash = memchr(p, '/', (size_t)(end - p));
	c->p = p;
	c->len = (size_t)((slash ? slash : end) - p);
	*cur = p + c->len;
	return true;
}

/*
 * The innermost container that path names, in *m; false when none. The
 * nspawn process itself sits in the machine's scope too, in its
 * "supervisor" cgroup: not the container.
 */
static bool find_container(struct span path, struct match *m)
{
	const char *cur = path.p, *end = path.p + path.len;
	struct span c, prev = { "", 0 };
	bool kube = false, matched_prev = false;

	m->engine = NULL;
	while (next_component(&cur, end, &c)) {
		struct match here;
		bool matched = match_component(c, prev, kube, &here);

		if (matched)
			*m = here;
		else if (matched_prev && m->engine &&
			 !strcmp(m->engine, "nspawn") && span_is(c, "supervisor"))
			m->engine = NULL;
		matched_prev = matched;
		kube = kube || has_prefix(c, "kubepods");
		prev = c;
	}
	return m->engine != NULL;
}

/* systemd's unit names: letters, digits and ":-_.\@". */
static bool is_unit_name(struct span c)
{
	static const char *const suffixes[] = { ".service", ".scope",
						".slice" };
	bool typed = false;

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++)
		typed = typed || (c.len > strlen(suffixes[i]) &&
				  has_suffix(c, suffixes[i]));
	if (!typed || c.len > CGROUPNAME_MAX)
		return false;
	for (size_t i = 0; i < c.len; i++)
		if (!((c.p[i] >= 'a' && c.p[i] <= 'z') ||
		      (c.p[i] >= 'A' && c.p[i] <= 'Z') ||
		      (c.p[i] >= '0' && c.p[i] <= '9') || strchr(":-_.\\@", c.p[i])))
			return false;
	return true;
}

/* The innermost unit of path, in unit ("" when none). */
static void find_unit(struct span path, char *unit)
{
	const char *cur = path.p, *end = path.p + path.len;
	struct span c, found = { "", 0 };

	while (next_component(&cur, end, &c))
		if (is_unit_name(c))
			found = c;
	memcpy(unit, found.p, found.len);
	unit[found.len] = '\0';
}

/* Where a line's path is looked at first: the lower, the sooner. */
enum line_rank {
	RANK_SYSTEMD, /* v1 name=systemd: systemd's own tree on a hybrid host */
	RANK_V2,      /* 0::PATH */
	RANK_V1,      /* a v1 controller's */
	RANK_NONE,
};

/* The rank and path of the line [line, end); RANK_NONE when it is none. */
static enum line_rank parse_line(const char *line, const char *end,
				 struct span *path)
{
	const char *c1 = memchr(line, ':', (size_t)(end - line));
	const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
	struct span controllers;

	if (!c2)
		return RANK_NONE;
	*path = (struct span){ c2 + 1, (size_t)(end - c2 - 1) };
	controllers = (struct span){ c1 + 1, (size_t)(c2 - c1 - 1) };
	if (span_is(controllers, "name=systemd"))
		return RANK_SYSTEMD;
	if (!controllers.len && c1 - line == 1 && *line == '0')
		return RANK_V2;
	return RANK_V1;
}

void cgroupname_parse(const char *text, struct cgroupname *cn)
{
	enum line_rank found = RANK_NONE, unit_rank = RANK_NONE;
	struct span unit_path = { "", 0 };
	struct match m;

	cn->engine = NULL;
	for (const char *line = text; *line;) {
		const char *eol = strchr(line, '\n');
		const char *end = eol ? eol : line + strlen(line);
		struct span path;
		enum line_rank rank = parse_line(line, end, &path);

		if (rank < unit_rank && rank != RANK_V1) {
			unit_rank = rank;
			unit_path = path;
		}
		if (rank < found && find_container(path, &m)) {
			found = rank;
			cn->engine = m.engine;
			memcpy(cn->id, m.id, strlen(m.id) + 1);
		}
		line = eol ? eol + 1 : end;
	}
	cn->unit[0] = '\0';
	if (cn->engine)
		return;
	cn->id[0] = '\0';
	find_unit(unit_path, cn->unit);
}
