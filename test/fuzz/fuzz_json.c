/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: the --load dump reader, and a view over what it reads. */
#include "model/json.h"
#include "model/model.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in = fmemopen((void *)(uintptr_t)data, size, "r");
	FILE *out = fopen("/dev/null", "w");
	struct model m;
	char err[256];

	if (!in || !out)
		return 0;
	model_init(&m);
	/* a dump that loads must dump again: every derivation runs */
	if (!json_load_model(&m, in, err, sizeof(err)))
		json_dump_model(&m, NULL, 0, out);
	model_release(&m);
	fclose(in);
	fclose(out);
	return 0;
}
