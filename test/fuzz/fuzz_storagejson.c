/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: containers/storage's containers.json and images.json. */
#include "engine/enginefiles.h"
#include "lib/util.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct storage_list list = { 0 };

	enginefiles_parse_storage((const char *)data, size, &list);
	if (list.n)
		enginefiles_storage_find(&list, list.items[list.n - 1].id);
	enginefiles_storage_release(&list);
	return 0;
}
