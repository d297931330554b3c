/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A network namespace's NETNSID: the number by which the network
 * subsystem of one network namespace knows another (rtnetlink(7),
 * RTM_GETNSID; what `ip netns list-id` and `ip netns set NAME ID` show and
 * set, and lsns's NETNSID column).
 */
#ifndef NSTOOLS_NETNSID_H
#define NSTOOLS_NETNSID_H

#include <stddef.h>
#include <stdint.h>

/*
 * The nsid that the network namespace of the calling thread gives to the
 * network namespace that netns_fd (an nsfs file) refers to, asked over a
 * netlink socket of its own, so that threads may ask at once. Sets *nsid
 * to it (0 to INT32_MAX), or to -1 (NETNSA_NSID_NOT_ASSIGNED) when none is
 * assigned; the question assigns none. Returns 0, or -errno: what the
 * socket calls fail with, what the kernel answers (-EINVAL: netns_fd is
 * not a network namespace), -EIO for a reply that is not one (truncated,
 * malformed, no nsid in it).
 */
int netnsid_ask(int netns_fd, int *nsid);

/*
 * What the len bytes of buf (aligned as a struct nlmsghdr), read from the
 * socket after question seq was sent, say of it: 0 with *nsid set as
 * above, -errno as the kernel answered it, -EIO where a message or
 * attribute does not fit or the answer holds no nsid, or 1 when no
 * message answers seq. Used by netnsid_ask; public for its fuzz harness.
 */
int netnsid_read_reply(const void *buf, size_t len, uint32_t seq, int *nsid);

#endif
