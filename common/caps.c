/* SPDX-License-Identifier: Apache-2.0 */
#include "caps.h"

bool caps_effective_has(cap_value_t cap)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t value = CAP_CLEAR;

	if (!caps)
		return false;
	if (cap_get_flag(caps, cap, CAP_EFFECTIVE, &value) < 0)
		value = CAP_CLEAR;
	cap_free(caps);
	return value == CAP_SET;
}
