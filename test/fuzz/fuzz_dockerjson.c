/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: Docker's config.v2.json. */
#include "engine/enginefiles.h"
#include "lib/util.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine_names n = { 0 };

	if (!enginefiles_parse_docker((const char *)data, size, &n))
		engine_names_release(&n);
	return 0;
}
