/* SPDX-License-Identifier: Apache-2.0 */
/* -t, --type=LIST: a set of namespace types, shared by the tools. */
#ifndef NSTOOLS_TYPELIST_H
#define NSTOOLS_TYPELIST_H

#include "model/nstype.h"

#include <stdbool.h>

struct typeset {
	bool set;                  /* false: no -t given, every type counts */
	bool has[NS_TYPE_COUNT];
};

/*
 * Adds the comma-separated types of list to ts (repeatable). Returns 0, or
 * -1 with the offending name (up to 31 bytes) in bad.
 */
int typeset_parse(struct typeset *ts, const char *list, char bad[32]);

bool typeset_has(const struct typeset *ts, enum ns_type type);

#endif
