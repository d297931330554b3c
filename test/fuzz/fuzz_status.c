/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: /proc/PID/status text, read for itself and as stat. */
#include "engine/procfs.h"
#include "lib/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct procfs_status st;
	struct procfs_stat as_stat;

	if (!procfs_parse_status(text, &st)) {
		if (st.nspid_len > 33)
			__builtin_trap();
		procfs_status_release(&st);
	}
	if (!procfs_parse_status_as_stat(text, 1, &as_stat) &&
	    strlen(as_stat.name) >= sizeof(as_stat.name))
		__builtin_trap();
	free(text);
	return 0;
}
