/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: the string keys of storage.conf, config.toml, crio.conf. */
#include "engine/enginefiles.h"
#include "lib/util.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);

	free(enginefiles_toml_string(text, "storage", "graphroot"));
	free(enginefiles_toml_string(text, NULL, "state"));
	free(text);
	return 0;
}
