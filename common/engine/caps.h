/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Capabilities, with libcap: what we have, and least privilege. The tools
 * hold only what discovery needs while it runs, and nothing after it, so
 * that nothing a user controls (environment, terminfo, locale, a --load
 * file) is ever read with privileges.
 */
#ifndef NSTOOLS_CAPS_H
#define NSTOOLS_CAPS_H

#include <stdbool.h>
#include <sys/capability.h>

/* True when cap is in this process's effective set. */
bool caps_effective_has(cap_value_t cap);

/* True when cap is in this process's permitted set. */
bool caps_permitted_has(cap_value_t cap);

/*
 * Keeps, of what is permitted, only what discovery needs: CAP_SYS_PTRACE
 * (namespace links, fds, mountinfo, pidfd_getfd of other users'
 * processes), CAP_DAC_READ_SEARCH (their fd directories, bind mounts
 * under directories we may not search) and CAP_NET_ADMIN (SIOCGSKNS, which
 * asks a socket for its network namespace) effective; CAP_SYS_ADMIN and
 * CAP_SYS_CHROOT permitted only, for caps_raise_for_setns(). Clears the
 * inheritable and ambient sets. Returns 0 or -errno.
 */
int caps_limit_to_discovery(void);

/*
 * In the short-lived child that enters a mount namespace: makes
 * CAP_SYS_ADMIN and CAP_SYS_CHROOT effective, when permitted.
 */
int caps_raise_for_setns(void);

/*
 * Makes CAP_SYS_ADMIN effective in the calling thread (when permitted),
 * or, with on false, no longer effective: only for the kernel's list of
 * mount namespaces (NS_MNT_GET_NEXT), which asks for it. Returns 0 or
 * -errno.
 */
int caps_admin_effective(bool on);

/*
 * Makes nothing effective and keeps what is permitted: between two
 * discoveries of the interactive interface, which raises them again with
 * caps_limit_to_discovery() for each. Returns 0 or -errno.
 */
int caps_lower_all(void);

/* Drops every capability for good: all sets and the ambient set. */
int caps_drop_all(void);

#endif
