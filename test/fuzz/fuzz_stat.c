/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: /proc/PID/stat lines. */
#include "engine/procfs.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procfs_stat st;

	if (!procfs_parse_stat((const char *)data, size, &st) &&
	    strlen(st.name) >= sizeof(st.name))
		__builtin_trap();
	return 0;
}
