/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: /proc/PID/cgroup text. */
#include "engine/procfs.h"
#include "lib/util.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);

	free(procfs_parse_cgroup(text));
	free(text);
	return 0;
}
