/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: an OCI bundle's config.json, with CRI-O's annotations. */
#include "engine/enginefiles.h"
#include "lib/util.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct oci_keys keys = {
		"io.kubernetes.container.name", "io.kubernetes.cri-o.ImageName",
		"io.kubernetes.pod.name", "io.kubernetes.pod.namespace",
	};
	struct engine_names n = { 0 };

	if (!enginefiles_parse_oci((const char *)data, size, &keys, &n))
		engine_names_release(&n);
	return 0;
}
