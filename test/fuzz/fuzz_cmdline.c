/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: /proc/PID/cmdline bytes. */
#include "lib/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t argc, total = 0;
	char **argv = strv_split_nul((const char *)data, size, &argc);

	for (size_t i = 0; i < argc; i++)
		total += strlen(argv[i]) + 1;
	if (argv[argc] || total > size + 1)
		__builtin_trap();
	free(argv);
	return 0;
}
