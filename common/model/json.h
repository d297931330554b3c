/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The model as JSON, in the shape of lxkns' dumpns plus our own keys (see
 * nsdiscover(1)). Every namespace and every process is one line of the
 * output, so that grep finds them.
 */
#ifndef NSTOOLS_JSON_H
#define NSTOOLS_JSON_H

#include "model/model.h"

#include <stdio.h>

/*
 * Writes m to out, with the warnings the interface gave about it (the
 * model holds facts, the interface their words). Returns 0, or -EIO when
 * a write failed.
 */
int json_dump_model(const struct model *m, char *const *warnings,
		    size_t nwarnings, FILE *out);

/* Room for the longest key json_ns_key writes, NUL included. */
#define JSON_NS_KEY_MAX 32

/*
 * The key of ns in the dump's "namespaces", into key, returned: its inode
 * in decimal, or "id:ID" for a namespace known only by its ID.
 */
char *json_ns_key(char key[JSON_NS_KEY_MAX], const struct ns *ns);

/*
 * The largest dump json_load_model reads, in bytes: some 80,000 processes,
 * and a bound on the memory a hostile dump can make the loader take.
 */
#define JSON_LOAD_MAX_BYTES (64u << 20)

/*
 * Reads a dump written by json_dump_model into m (initialised, empty) and
 * finishes it. Everything the model derives (leaders, children, hidden
 * marks, references, ...) is derived again, not read, and so are the
 * warnings: their text is checked for its shape only, and the interface
 * words them anew from discovery.unread. Returns 0, or -1
 * with a message in err: not JSON, too large, a wrong shape or type, a
 * reference to a namespace or process that is not in the dump, a cycle.
 */
int json_load_model(struct model *m, FILE *in, char *err, size_t errlen);

#endif
