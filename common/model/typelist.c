/* SPDX-License-Identifier: Apache-2.0 */
#include "model/typelist.h"

#include <stdio.h>
#include <string.h>

int typeset_parse(struct typeset *ts, const char *list, char bad[32])
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		enum ns_type type = ns_type_from_name(p, len);

		if (type == NS_TYPE_NONE) {
			snprintf(bad, 32, "%.*s", (int)(len < 31 ? len : 31), p);
			return -1;
		}
		ts->set = true;
		ts->has[type] = true;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

bool typeset_has(const struct typeset *ts, enum ns_type type)
{
	return !ts->set || ts->has[type];
}
