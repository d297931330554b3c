/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: namespace references as options take them,
 * "pid:[4026531836]", "4026531836", "id:6", "pid:id:6"; what is parsed is
 * printed again and must read back the same.
 */
#include "model/nstype.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A reference with a type, printed and parsed again, is the same. */
static void check_round_trip(const struct ns_ref *ref)
{
	char text[NS_ID_TEXT_MAX];
	struct ns_ref again;

	if (ref->type == NS_TYPE_NONE)
		return;
	ns_id_format(text, ref->type, ref->ino, ref->id);
	if (ns_ref_parse(text, &again) || again.type != ref->type ||
	    again.ino != ref->ino || again.id != ref->id)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct ns_ref ref;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!ns_ref_parse(text, &ref)) {
		if (!ref.ino == !ref.id ||
		    ref.type < NS_TYPE_NONE || ref.type >= NS_TYPE_COUNT)
			__builtin_trap();
		check_round_trip(&ref);
	}
	free(text);
	return 0;
}
