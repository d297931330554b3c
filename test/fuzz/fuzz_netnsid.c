/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the kernel's answer to RTM_GETNSID, netlink messages
 * read from a socket (question 1).
 */
#include "engine/netnsid.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* as a socket's reply lands: in a buffer aligned for its header */
	void *buf = malloc(size ? size : 1);
	int nsid = -2, ret;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	ret = netnsid_read_reply(buf, size, 1, &nsid);
	if ((!ret && nsid < -1) || (ret && nsid != -2) || ret > 1 ||
	    ret < -4095)
		__builtin_trap();
	free(buf);
	return 0;
}
