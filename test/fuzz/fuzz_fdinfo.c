/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: /proc/PID/fdinfo/N text. */
#include "engine/procfs.h"
#include "lib/util.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct procfs_fdinfo fi;

	if (procfs_parse_fdinfo(text, &fi) < 0 && (fi.mnt_id || fi.ino))
		__builtin_trap();
	free(text);
	return 0;
}
