/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: /etc/passwd, for a rootless user's home. */
#include "engine/enginefiles.h"
#include "lib/util.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);

	free(enginefiles_passwd_home(text, 1000));
	free(text);
	return 0;
}
