/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: Docker's daemon.json. */
#include "engine/enginefiles.h"
#include "lib/util.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *root = NULL;

	enginefiles_parse_daemon_json((const char *)data, size, &root);
	free(root);
	return 0;
}
