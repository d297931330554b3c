/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a container engine's own files on the host tell of a container:
 * its name, image and pod (HACKING.md, "Containers and units"). Read from
 * local state only, each file at most once per discovery, never through
 * a daemon. The files may be written by any user (a rootless engine's
 * storage is in its user's home): no symlink is followed, nothing but a
 * regular file is opened, sizes are capped, and the parsers are fuzzed.
 */
#ifndef NSTOOLS_CONTAINERSTATE_H
#define NSTOOLS_CONTAINERSTATE_H

#include "model/model.h"

/* What one discovery has found of the engines' state, kept between lookups. */
struct containerstate;

/*
 * A new lookup for the processes of m (whose engines' command lines tell
 * where each keeps its state). Never fails.
 */
struct containerstate *containerstate_new(const struct model *m);
void containerstate_free(struct containerstate *cs);

/*
 * Makes cs open files as older kernels must (a walk of the path, one
 * component at a time), as NSTOOLS_FALLBACKS_ONLY asks of the engine.
 */
void containerstate_fallbacks_only(struct containerstate *cs);

/*
 * Fills what c does not know yet (name, image, pod, pod_namespace) from
 * the files of c->engine about c->id. Returns 0 when the engine's state
 * was read (even if it told nothing more), -EACCES when it could not be
 * read for lack of privilege, -EPROTO when its format was not
 * recognised, -ENOENT when no state of that container was found; never
 * guesses a name.
 */
int containerstate_lookup(struct containerstate *cs, struct container *c);

#endif
