/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: namespace ids in text, "net:[4026531833]". */
#include "model/nstype.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum ns_type type;
	uint64_t ino;

	if (!ns_id_parse((const char *)data, size, &type, &ino) &&
	    (type < 0 || type >= NS_TYPE_COUNT || !ino))
		__builtin_trap();
	return 0;
}
