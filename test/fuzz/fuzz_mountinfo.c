/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: one /proc/PID/mountinfo line. */
#include "engine/procfs.h"
#include "lib/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the parser writes at line[len]: give it the byte it may use */
	char *line = xstrndup((const char *)data, size);
	struct procfs_mount mount;

	if (!procfs_parse_mountinfo_line(line, size, &mount) &&
	    (!mount.root || !mount.mountpoint || !mount.fstype))
		__builtin_trap();
	free(line);
	return 0;
}
