/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/caps.h"

#include "lib/util.h"

#include <errno.h>

static const cap_value_t discovery_effective[] = {
	CAP_SYS_PTRACE,
	CAP_DAC_READ_SEARCH,
	CAP_NET_ADMIN,
};

static const cap_value_t setns_only[] = {
	CAP_SYS_ADMIN,
	CAP_SYS_CHROOT,
};

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

static bool permitted(cap_t caps, cap_value_t cap)
{
	cap_flag_value_t value = CAP_CLEAR;

	return cap_get_flag(caps, cap, CAP_PERMITTED, &value) == 0 &&
	       value == CAP_SET;
}

bool caps_permitted_has(cap_value_t cap)
{
	cap_t caps = cap_get_proc();
	bool ret;

	if (!caps)
		return false;
	ret = permitted(caps, cap);
	cap_free(caps);
	return ret;
}

/* Sets flag for each of caps[] that the current set permits. */
static void keep(cap_t next, cap_t now, const cap_value_t *caps, size_t n,
		 cap_flag_t flag)
{
	for (size_t i = 0; i < n; i++)
		if (permitted(now, caps[i]))
			cap_set_flag(next, flag, 1, &caps[i], CAP_SET);
}

static int set_proc(cap_t next)
{
	int ret = cap_set_proc(next) < 0 ? -errno : 0;

	cap_free(next);
	return ret;
}

/*
 * Builds the new sets from the current ones: permitted is what is
 * permitted now of effective[] and permitted_only[]; effective is what is
 * permitted now of effective[].
 */
static int limit(const cap_value_t *effective, size_t neff,
		 const cap_value_t *permitted_only, size_t nperm)
{
	cap_t now = cap_get_proc();
	cap_t next = cap_init();
	int ret;

	if (!now || !next) {
		ret = -errno;
		cap_free(now);
		cap_free(next);
		return ret;
	}
	keep(next, now, effective, neff, CAP_PERMITTED);
	keep(next, now, effective, neff, CAP_EFFECTIVE);
	keep(next, now, permitted_only, nperm, CAP_PERMITTED);
	cap_free(now);
	return set_proc(next);
}

int caps_limit_to_discovery(void)
{
	/* ambient capabilities only matter across execve, which we never do */
	if (CAP_AMBIENT_SUPPORTED())
		cap_reset_ambient();
	return limit(discovery_effective, ARRAY_SIZE(discovery_effective),
		     setns_only, ARRAY_SIZE(setns_only));
}

int caps_raise_for_setns(void)
{
	cap_t now = cap_get_proc();
	int ret;

	if (!now)
		return -errno;
	keep(now, now, setns_only, ARRAY_SIZE(setns_only), CAP_EFFECTIVE);
	ret = cap_set_proc(now) < 0 ? -errno : 0;
	cap_free(now);
	return ret;
}

int caps_admin_effective(bool on)
{
	cap_value_t admin = CAP_SYS_ADMIN;
	cap_t now = cap_get_proc();
	int ret;

	if (!now)
		return -errno;
	if (!on)
		cap_set_flag(now, CAP_EFFECTIVE, 1, &admin, CAP_CLEAR);
	else if (permitted(now, admin))
		cap_set_flag(now, CAP_EFFECTIVE, 1, &admin, CAP_SET);
	ret = cap_set_proc(now) < 0 ? -errno : 0;
	cap_free(now);
	return ret;
}

int caps_lower_all(void)
{
	cap_t now = cap_get_proc();

	if (!now)
		return -errno;
	cap_clear_flag(now, CAP_EFFECTIVE);
	return set_proc(now);
}

int caps_drop_all(void)
{
	cap_t none = cap_init();

	if (!none)
		return -errno;
	if (CAP_AMBIENT_SUPPORTED())
		cap_reset_ambient();
	return set_proc(none);
}
