/* SPDX-License-Identifier: Apache-2.0 */
#include "model/nstype.h"

#include "lib/number.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
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
