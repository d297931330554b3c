/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Namespace facts: asked of the kernel once per namespace, through
 * whatever fd first opened it, and followed upward through parents and
 * owners, which may be hidden namespaces that nothing else leads to.
 */
#include "discover_internal.h"

#include "util.h"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

/* a few tries: the first process may vanish before the open */
#define MAX_FACT_ATTEMPTS 3

static void learn_facts(struct scan *s, struct ns *ns, int fd);
static bool is_settled(const struct ns *ns);

/*
 * The name of uid in this machine's user database, "" if it has none.
 * Each lookup reads the database anew, and a host has many user
 * namespaces but few creators: the answers are kept for the scan.
 */
static char *user_name(struct scan *s, uid_t uid)
{
	struct passwd *pw;
	struct user_name un;

	for (size_t i = 0; i < s->nuser_names; i++)
		if (s->user_names[i].uid == uid)
			return xstrdup(s->user_names[i].name);
	pw = getpwuid(uid);
	un.uid = uid;
	un.name = xstrdup(pw && pw->pw_name ? pw->pw_name : "");
	VEC_PUSH(s->user_names, s->nuser_names, s->user_names_alloc, un);
	return xstrdup(un.name);
}

/* scan_ns_from_fd, the lock held. */
static struct ns *ns_from_fd(struct scan *s, enum ns_type type, int fd)
{
	uint64_t ino = ns_fd_inode(fd);
	struct ns *ns;

	if (!ino)
		return NULL;
	ns = model_ns(s->m, ino);
	if (!ns)
		ns = model_add_ns(s->m, type, ino);
	if (!ns->facts_known)
		learn_facts(s, ns, fd);
	return ns;
}

static void learn_parent(struct scan *s, struct ns *ns, int fd)
{
	int pfd = ns_get_parent_fd(fd);

	/* EPERM: none, or none we may see; the kernel says no more. */
	if (pfd < 0)
		return;
	ns->parent = ns_from_fd(s, ns->type, pfd);
	close(pfd);
}

static void learn_owner(struct scan *s, struct ns *ns, int fd)
{
	int ufd = ns_get_userns_fd(fd);

	if (ufd < 0)
		return;
	ns->owner = ns_from_fd(s, NS_USER, ufd);
	close(ufd);
}

static void learn_creator(struct scan *s, struct ns *ns, int fd)
{
	uid_t uid = 0; /* valgrind does not know this ioctl writes it */

	if (ns_get_owner_uid(fd, &uid) < 0)
		return;
	ns->has_creator = true;
	ns->creator_uid = uid;
	ns->creator_name = user_name(s, uid);
}

/* A user namespace's owner is its parent; the others have an owner. */
static void learn_facts(struct scan *s, struct ns *ns, int fd)
{
	ns->facts_known = true;
	if (ns->type == NS_USER)
		learn_creator(s, ns, fd);
	else
		learn_owner(s, ns, fd);
	if (ns_type_is_hierarchical(ns->type))
		learn_parent(s, ns, fd);
}

struct ns *scan_ns_from_fd(struct scan *s, enum ns_type type, int fd)
{
	struct ns *ns;

	scan_lock(s);
	ns = ns_from_fd(s, type, fd);
	scan_unlock(s);
	return ns;
}

/*
 * The facts are learnt with the lock held: it happens once a namespace,
 * and no reader should take a namespace whose facts are half known.
 */
static struct ns *ns_from_link(struct scan *s, enum ns_type type,
			       uint64_t ino, int dirfd, const char *path)
{
	struct ns *ns = model_ns(s->m, ino);
	int fd;

	if (!ns)
		ns = model_add_ns(s->m, type, ino);
	if (is_settled(ns))
		return ns;
	ns->fact_attempts++;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return ns;
	/* the path may lead elsewhere by now: a setns, an overmount */
	if (ns_fd_inode(fd) == ino)
		learn_facts(s, ns, fd);
	close(fd);
	return ns;
}

struct ns *scan_ns(struct scan *s, enum ns_type type, uint64_t ino,
		   int dirfd, const char *path)
{
	struct ns *ns;

	scan_lock(s);
	ns = ns_from_link(s, type, ino, dirfd, path);
	scan_unlock(s);
	return ns;
}

/* Nothing more will be learnt of it: ns_from_link's condition. */
static bool is_settled(const struct ns *ns)
{
	return ns->facts_known || ns->fact_attempts >= MAX_FACT_ATTEMPTS;
}

struct ns *reader_ns(struct reader *r, enum ns_type type, uint64_t ino,
		     int dirfd, const char *path)
{
	struct ns *ns = hashmap_get(&r->settled, ino);
	bool settled;

	if (ns)
		return ns;
	scan_lock(r->s);
	ns = ns_from_link(r->s, type, ino, dirfd, path);
	settled = is_settled(ns);
	scan_unlock(r->s);
	if (settled)
		hashmap_put(&r->settled, ino, ns);
	return ns;
}
