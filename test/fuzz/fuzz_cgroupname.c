/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: a container and a unit from /proc/PID/cgroup text. */
#include "engine/cgroupname.h"
#include "lib/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An ID is never empty, never a path, never a control character. */
static int bad_id(const char *id)
{
	if (!*id || strlen(id) > CGROUPNAME_MAX || strchr(id, '/'))
		return 1;
	for (const char *p = id; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

/* A unit only outside a container, and of a unit's characters. */
static int bad_unit(const struct cgroupname *cn)
{
	const char *u = cn->unit;

	if (!*u)
		return 0;
	return cn->engine || strchr(u, '/') || strlen(u) > CGROUPNAME_MAX ||
	       strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789:-_.\\@") != strlen(u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct cgroupname cn;

	cgroupname_parse(text, &cn);
	if ((cn.engine && bad_id(cn.id)) || (!cn.engine && *cn.id) ||
	    bad_unit(&cn))
		__builtin_trap();
	free(text);
	return 0;
}
