/* SPDX-License-Identifier: Apache-2.0 */
/* Capability checks, with libcap. */
#ifndef NSTOOLS_CAPS_H
#define NSTOOLS_CAPS_H

#include <stdbool.h>
#include <sys/capability.h>

/* True when cap is in this process's effective set. */
bool caps_effective_has(cap_value_t cap);

#endif
