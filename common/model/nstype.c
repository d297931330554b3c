/* SPDX-License-Identifier: Apache-2.0 */
#include "model/nstype.h"

#include "lib/number.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct {
	const char *name;
	int clone_flag;
} ns_types[NS_TYPE_COUNT] = {
	[NS_CGROUP] = { "cgroup", CLONE_NEWCGROUP },
	[NS_IPC] = { "ipc", CLONE_NEWIPC },
	[NS_MNT] = { "mnt", CLONE_NEWNS },
	[NS_NET] = { "net", CLONE_NEWNET },
	[NS_PID] = { "pid", CLONE_NEWPID },
	[NS_TIME] = { "time", CLONE_NEWTIME },
	[NS_USER] = { "user", CLONE_NEWUSER },
	[NS_UTS] = { "uts", CLONE_NEWUTS },
};

const char *ns_type_name(enum ns_type type)
{
	if (type < 0 || type >= NS_TYPE_COUNT)
		return "unknown";
	return ns_types[type].name;
}

enum ns_type ns_type_from_name(const char *name, size_t len)
{
	for (int t = 0; t < NS_TYPE_COUNT; t++)
		if (strlen(ns_types[t].name) == len &&
		    !memcmp(ns_types[t].name, name, len))
			return t;
	return NS_TYPE_NONE;
}

int ns_type_clone_flag(enum ns_type type)
{
	return ns_types[type].clone_flag;
}

enum ns_type ns_type_from_clone_flag(int flag)
{
	for (int t = 0; t < NS_TYPE_COUNT; t++)
		if (ns_types[t].clone_flag == flag)
			return t;
	return NS_TYPE_NONE;
}

bool ns_type_is_hierarchical(enum ns_type type)
{
	return type == NS_USER || type == NS_PID;
}

/*
 * Strict: digits only, no sign, no blanks, no overflow, not 0. Leading
 * zeros were always taken ("pid:[01]" is 1): the kernel writes none, and
 * refusing them now would turn a user's -n 01 into another error.
 */
static int parse_inode(const char *s, size_t len, uint64_t *ino)
{
	static const struct number_range inode = { 1, UINT64_MAX, 0 };

	return number_parse(s, len, inode, ino) < 0 ? -EINVAL : 0;
}

int ns_id_parse(const char *text, size_t len, enum ns_type *type,
		uint64_t *ino)
{
	const char *colon = memchr(text, ':', len);
	size_t name_len;

	if (!colon)
		return -EINVAL;
	name_len = (size_t)(colon - text);
	/* at least "[", one digit and "]" after the colon */
	if (len - name_len < 4 || colon[1] != '[' || text[len - 1] != ']')
		return -EINVAL;
	*type = ns_type_from_name(text, name_len);
	if (*type == NS_TYPE_NONE)
		return -EINVAL;
	return parse_inode(colon + 2, len - name_len - 3, ino);
}

char *ns_id_format(char buf[NS_ID_TEXT_MAX], enum ns_type type, uint64_t ino,
		   uint64_t id)
{
	if (ino)
		snprintf(buf, NS_ID_TEXT_MAX, "%s:[%llu]", ns_type_name(type),
			 (unsigned long long)ino);
	else
		snprintf(buf, NS_ID_TEXT_MAX, "%s:id:%llu", ns_type_name(type),
			 (unsigned long long)id);
	return buf;
}

/* "id:ID", the ID non-zero: a namespace's 64-bit ID, as for an inode. */
static int parse_id(const char *s, size_t len, uint64_t *id)
{
	if (len < 3 || memcmp(s, "id:", 3))
		return -EINVAL;
	return parse_inode(s + 3, len - 3, id);
}

/* "TYPE:id:ID", the type a known one. */
static int parse_typed_id(const char *text, size_t len, struct ns_ref *ref)
{
	const char *colon = memchr(text, ':', len);

	if (!colon)
		return -EINVAL;
	ref->type = ns_type_from_name(text, (size_t)(colon - text));
	if (ref->type == NS_TYPE_NONE)
		return -EINVAL;
	return parse_id(colon + 1, len - (size_t)(colon + 1 - text), &ref->id);
}

int ns_ref_parse(const char *text, struct ns_ref *ref)
{
	size_t len = strlen(text);

	*ref = (struct ns_ref){ .type = NS_TYPE_NONE };
	if (text[0] >= '0' && text[0] <= '9')
		return parse_inode(text, len, &ref->ino);
	if (!parse_id(text, len, &ref->id))
		return 0;
	if (len && text[len - 1] == ']')
		return ns_id_parse(text, len, &ref->type, &ref->ino);
	return parse_typed_id(text, len, ref);
}
