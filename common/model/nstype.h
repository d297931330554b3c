/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Namespace types and identity.
 *
 * A namespace is identified by the inode of its nsfs file; nsfs is a single
 * device, so the inode alone tells namespaces apart within one discovery.
 * Its text form is the one the kernel prints in /proc/PID/ns/TYPE links:
 * "net:[4026531833]". Since Linux 6.18 a namespace also has a 64-bit ID
 * (NS_GET_ID), never reused while the machine runs; a namespace known
 * only by its ID (a network namespace found through a socket's cookie,
 * without the right to open it) reads "net:id:30122077" instead.
 */
#ifndef NSTOOLS_NSTYPE_H
#define NSTOOLS_NSTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* In lexical order, the order in which every view lists types. */
enum ns_type {
	NS_CGROUP,
	NS_IPC,
	NS_MNT,
	NS_NET,
	NS_PID,
	NS_TIME,
	NS_USER,
	NS_UTS,
	NS_TYPE_COUNT,
	NS_TYPE_NONE = -1,
};

/* The bit of a namespace type in discovery_scope.types. */
#define NS_TYPE_BIT(type) (1u << (type))

/* "cgroup", "ipc", ... for a valid type. */
const char *ns_type_name(enum ns_type type);

/* The type named by the first len bytes of name, or NS_TYPE_NONE. */
enum ns_type ns_type_from_name(const char *name, size_t len);

/* The CLONE_NEW* flag of a type (what NS_GET_NSTYPE answers). */
int ns_type_clone_flag(enum ns_type type);

/* The type whose CLONE_NEW* flag is flag, or NS_TYPE_NONE. */
enum ns_type ns_type_from_clone_flag(int flag);

/* True for the two types that form hierarchies (NS_GET_PARENT). */
bool ns_type_is_hierarchical(enum ns_type type);

/*
 * Parses "TYPE:[INODE]" (the whole of the first len bytes): a known type,
 * a colon, a bracketed decimal inode that is non-zero and fits 64 bits.
 * Returns 0, or -EINVAL.
 */
int ns_id_parse(const char *text, size_t len, enum ns_type *type,
		uint64_t *ino);

/* Room for the longest text ns_id_format writes, NUL included. */
#define NS_ID_TEXT_MAX 40

/*
 * A namespace's text id into buf, returned: "TYPE:[INODE]", or
 * "TYPE:id:ID" for one known only by its ID (ino 0). The one place that
 * decides how a namespace is named (HACKING.md, "The namespace label").
 */
char *ns_id_format(char buf[NS_ID_TEXT_MAX], enum ns_type type, uint64_t ino,
		   uint64_t id);

/*
 * A namespace as a user names it on the command line: by inode, with or
 * without its type, or by its 64-bit ID.
 */
struct ns_ref {
	enum ns_type type; /* NS_TYPE_NONE: not said */
	uint64_t ino;      /* 0: by ID */
	uint64_t id;       /* 0: by inode */
};

/*
 * Parses the forms every option that takes a namespace accepts:
 * "TYPE:[INODE]", "INODE", "id:ID" and "TYPE:id:ID" (what ns_id_format
 * prints for a namespace known only by its ID). Numbers are non-zero
 * and fit 64 bits. Returns 0, or -EINVAL.
 */
int ns_ref_parse(const char *text, struct ns_ref *ref);

#endif
