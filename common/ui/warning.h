/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one warning a tool prints about a discovery: what could not be read,
 * that what it holds is missing, and how to run instead. Built from the
 * model's facts (discovery.unread, cap-sys-ptrace) alone, so that a live
 * run and a dump loaded with --load say the same.
 */
#ifndef NSTOOLS_WARNING_H
#define NSTOOLS_WARNING_H

#include "model/model.h"

/* The warning's text (malloc'd), or NULL when there is nothing to say. */
char *warning_text(const struct model *m);

#endif
