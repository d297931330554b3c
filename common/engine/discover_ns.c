/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Namespace facts: asked of the kernel once per namespace, through
 * whatever fd first opened it, and followed upward through parents and
 * owners, which may be hidden namespaces that nothing else leads to.
 *
 * Readers run at once: the lock is held only to find or add a namespace,
 * to claim the learning of its facts, and to record them. The kernel is
 * asked with the lock released, so that a reader never waits while
 * another one asks; a reader that finds a namespace claimed takes it as
 * it is and goes on.
 */
#include "engine/discover_internal.h"
#include "engine/netnsid.h"

#include "lib/util.h"

#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

/* a few tries through paths: the first process may vanish before the open */
#define MAX_FACT_ATTEMPTS 3

/*
 * The name of uid in this machine's user database, "" if it has none.
 * Each lookup reads the database anew, and a host has many user
 * namespaces but few creators: the answers are kept for the scan. Takes
 * the lock (getpwuid is not reentrant either).
 */
static char *user_name(struct scan *s, uid_t uid)
{
	struct passwd *pw;
	struct user_name un;
	char *name = NULL;

	scan_lock(s);
	for (size_t i = 0; i < s->nuser_names && !name; i++)
		if (s->user_names[i].uid == uid)
			name = xstrdup(s->user_names[i].name);
	if (!name) {
		pw = getpwuid(uid);
		un.uid = uid;
		un.name = xstrdup(pw && pw->pw_name ? pw->pw_name : "");
		VEC_PUSH(s->user_names, s->nuser_names, s->user_names_alloc,
			 un);
		name = xstrdup(un.name);
	}
	scan_unlock(s);
	return name;
}

struct ns_record *scan_lookup_record(const struct scan *s, uint64_t ino)
{
	return hashmap_get(&s->records, ino);
}

/*
 * An inode names one namespace only while it lives: the kernel gives a
 * freed one to the next namespace made, of whatever type, at once. Met
 * during a scan as another type than before, it is a new namespace, and
 * the one met first is gone; the model cannot hold both under one inode,
 * so the new one is left out, as if what led to it had been read a moment
 * earlier. Merged, a process's uts link would name a cgroup namespace.
 */
static bool inode_reused(const struct ns *ns, enum ns_type type)
{
	return ns && ns->type != type;
}

/*
 * The engine's map is the one a link read looks in: the model's is
 * added to only when the namespace is new.
 */
struct ns_record *scan_record(struct scan *s, enum ns_type type, uint64_t ino)
{
	struct ns_record *rec = scan_lookup_record(s, ino);

	if (rec)
		return inode_reused(rec->ns, type) ? NULL : rec;
	rec = xcalloc(1, sizeof(*rec));
	rec->ns = model_add_ns(s->m, type, ino);
	hashmap_put(&s->records, ino, rec);
	VEC_PUSH(s->record_list, s->nrecords, s->records_alloc, rec);
	return rec;
}

void scan_release_records(struct scan *s)
{
	for (size_t i = 0; i < s->nrecords; i++)
		free(s->record_list[i]);
	free(s->record_list);
	s->record_list = NULL;
	s->nrecords = s->records_alloc = 0;
	hashmap_release(&s->records);
}

/* Nothing more will be learnt of it through a path. */
static bool is_settled(const struct ns_record *rec)
{
	return rec->facts_known || rec->fact_attempts >= MAX_FACT_ATTEMPTS;
}

/*
 * The lock held: the record of that inode, added when new, or NULL when
 * the inode is known as another type (see inode_reused). *claim tells
 * whether the caller is to learn its facts: nobody has or is, and
 * (through a path) tries are left.
 */
static struct ns_record *get_record(struct scan *s, enum ns_type type,
				    uint64_t ino, bool through_path,
				    bool *claim)
{
	struct ns_record *rec = scan_record(s, type, ino);

	*claim = false;
	if (!rec)
		return NULL;
	*claim = !rec->facts_known && !rec->facts_claimed &&
		 !(through_path && is_settled(rec));
	if (*claim) {
		rec->facts_claimed = true;
		if (through_path)
			rec->fact_attempts++;
	}
	return rec;
}

/* What the kernel says of a namespace: asked without the lock. */
struct kernel_facts {
	bool has_creator;
	uid_t creator_uid;
	char *creator_name;
	uint64_t id;             /* 0: the kernel has no NS_GET_ID */
	bool has_netnsid;
	int netnsid;             /* net: -1, none assigned */
	int owner_fd, parent_fd; /* -1: none, or none we may see */
	uint64_t owner_ino, parent_ino;
};

/* An upward fd (owner, parent) and the inode it opens, 0 if none. */
static uint64_t upward_inode(int fd)
{
	return fd < 0 ? 0 : ns_fd_inode(fd);
}

/*
 * A network namespace's nsid, as our own network namespace knows it: what
 * `ip netns list-id` and lsns show. Asked of every one we can open, also
 * without processes; a kernel that cannot answer leaves it unknown.
 */
static void ask_netnsid(struct scan *s, int fd, struct kernel_facts *k)
{
	if (!s->scope->no_netnsids && !netnsid_ask(fd, &k->netnsid))
		k->has_netnsid = true;
}

/* A user namespace's owner is its parent; the others have an owner. */
static void ask_kernel(struct scan *s, enum ns_type type, int fd,
		       struct kernel_facts *k)
{
	uid_t uid = 0; /* valgrind does not know the ioctl writes it */

	*k = (struct kernel_facts){ .owner_fd = -1, .parent_fd = -1 };
	/* ENOTTY, EINVAL: older than Linux 6.18; the ID stays unknown */
	if (!s->fallbacks_only && ns_get_id(fd, &k->id) < 0)
		k->id = 0;
	if (type == NS_USER && !ns_get_owner_uid(fd, &uid)) {
		k->has_creator = true;
		k->creator_uid = uid;
		k->creator_name = user_name(s, uid);
	}
	if (type == NS_NET)
		ask_netnsid(s, fd, k);
	if (type != NS_USER) {
		k->owner_fd = ns_get_userns_fd(fd);
		k->owner_ino = upward_inode(k->owner_fd);
	}
	/* EPERM: no parent, or none we may see; the kernel says no more */
	if (ns_type_is_hierarchical(type)) {
		k->parent_fd = ns_get_parent_fd(fd);
		k->parent_ino = upward_inode(k->parent_fd);
	}
}

/*
 * Learns the facts of rec's namespace, claimed by the caller, through fd,
 * then those of its owner and parent that nobody has claimed, through the
 * fds the kernel gave for them.
 */
static void learn_facts(struct scan *s, struct ns_record *rec, int fd)
{
	struct ns *ns = rec->ns;
	struct ns_record *owner = NULL, *parent = NULL;
	struct kernel_facts k;
	bool owner_claimed = false, parent_claimed = false;

	ask_kernel(s, ns->type, fd, &k);
	scan_lock(s);
	ns->has_creator = k.has_creator;
	ns->creator_uid = k.creator_uid;
	ns->creator_name = k.creator_name;
	ns->has_netnsid = k.has_netnsid;
	ns->netnsid = k.netnsid;
	if (k.id && !model_ns_by_id(s->m, k.id))
		model_set_ns_id(s->m, ns, k.id);
	if (k.owner_ino) {
		owner = get_record(s, NS_USER, k.owner_ino, false,
				   &owner_claimed);
		ns->owner = owner ? owner->ns : NULL;
	}
	if (k.parent_ino) {
		parent = get_record(s, ns->type, k.parent_ino, false,
				    &parent_claimed);
		ns->parent = parent ? parent->ns : NULL;
	}
	rec->facts_known = true;
	rec->facts_claimed = false;
	scan_unlock(s);
	if (owner_claimed)
		learn_facts(s, owner, k.owner_fd);
	if (parent_claimed)
		learn_facts(s, parent, k.parent_fd);
	if (k.owner_fd >= 0)
		close(k.owner_fd);
	if (k.parent_fd >= 0)
		close(k.parent_fd);
}

/* Gives a claim up: what the path opened was gone, or another namespace. */
static void unclaim(struct scan *s, struct ns_record *rec)
{
	scan_lock(s);
	rec->facts_claimed = false;
	scan_unlock(s);
}

struct ns *scan_ns_from_fd(struct scan *s, enum ns_type type, int fd)
{
	uint64_t ino = ns_fd_inode(fd);
	struct ns_record *rec;
	bool claimed;

	if (!ino)
		return NULL;
	scan_lock(s);
	rec = get_record(s, type, ino, false, &claimed);
	scan_unlock(s);
	if (!rec)
		return NULL;
	if (claimed)
		learn_facts(s, rec, fd);
	return rec->ns;
}

/*
 * scan_ns; *settled tells whether nothing more will be learnt of the
 * namespace through a path, as far as this call knows.
 */
static struct ns *ns_from_link(struct scan *s, enum ns_type type,
			       uint64_t ino, int dirfd, const char *path,
			       bool *settled)
{
	struct ns_record *rec;
	bool claimed;
	int fd;

	scan_lock(s);
	rec = get_record(s, type, ino, true, &claimed);
	*settled = rec && !claimed && is_settled(rec);
	scan_unlock(s);
	if (!claimed)
		return rec ? rec->ns : NULL;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	/* the path may lead elsewhere by now: a setns, an overmount */
	if (fd >= 0 && ns_fd_inode(fd) == ino) {
		learn_facts(s, rec, fd);
		*settled = true;
	} else {
		unclaim(s, rec);
	}
	if (fd >= 0)
		close(fd);
	return rec->ns;
}

struct ns *scan_ns(struct scan *s, enum ns_type type, uint64_t ino,
		   int dirfd, const char *path)
{
	bool settled;

	return ns_from_link(s, type, ino, dirfd, path, &settled);
}

struct ns *reader_ns(struct reader *r, enum ns_type type, uint64_t ino,
		     int dirfd, const char *path)
{
	struct ns *ns = hashmap_get(&r->settled, ino);
	bool settled;

	if (ns)
		return inode_reused(ns, type) ? NULL : ns;
	ns = ns_from_link(r->s, type, ino, dirfd, path, &settled);
	if (settled)
		hashmap_put(&r->settled, ino, ns);
	return ns;
}
