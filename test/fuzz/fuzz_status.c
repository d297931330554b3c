/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: /proc/PID/status text. */
#include "procfs.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct procfs_status st;

	if (!procfs_parse_status(text, &st)) {
		if (st.nspid_len > 33)
			__builtin_trap();
		procfs_status_release(&st);
	}
	free(text);
	return 0;
}
