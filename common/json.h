/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The model as JSON, in the shape of lxkns' dumpns plus our own keys (see
 * nsdiscover(1)). Every namespace and every process is one line of the
 * output, so that grep finds them.
 */
#ifndef NSTOOLS_JSON_H
#define NSTOOLS_JSON_H

#include "model.h"

#include <stdio.h>

/* Writes m to out. Returns 0, or -EIO when a write failed. */
int json_dump_model(const struct model *m, FILE *out);

#endif
