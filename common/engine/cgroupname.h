/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a process's cgroup paths name (HACKING.md, "Containers and
 * units"): the container it runs in, as its engine names the cgroup (the
 * engine and the container's ID), or else its systemd unit. A pure parser
 * of the text of /proc/PID/cgroup, fuzzed (test/fuzz/fuzz_cgroupname.c).
 */
#ifndef NSTOOLS_CGROUPNAME_H
#define NSTOOLS_CGROUPNAME_H

/* The longest ID or unit told: a path component's longest (NAME_MAX). */
#define CGROUPNAME_MAX 255

struct cgroupname {
	/*
	 * "podman", "docker", "containerd", "cri-o", "lxc", "nspawn" (the
	 * names of struct container's engine); NULL: in no container.
	 */
	const char *engine;
	/*
	 * The container's ID: 64 lower-case hex digits; for lxc and nspawn its
	 * name (nspawn's unescaped). "" when in no container.
	 */
	char id[CGROUPNAME_MAX + 1];
	/*
	 * The innermost systemd unit (NAME.service, NAME.scope, NAME.slice) of
	 * the systemd hierarchy (the v1 name=systemd line, else the v2 line);
	 * "" when there is none, or when the process is in a container (whose
	 * scope is the engine's, not a unit of the process's own).
	 */
	char unit[CGROUPNAME_MAX + 1];
};

/*
 * Reads cn from text, the whole of a /proc/PID/cgroup (NUL-terminated;
 * v2 "0::PATH", v1 "N:CONTROLLERS:PATH" lines). A container is the
 * innermost path component that names one the way its engine does
 * (libpod-ID[.scope], docker-ID.scope, /docker/ID, cri-containerd-ID[.scope],
 * a bare ID under kubepods, crio-ID[.scope], lxc.payload.NAME, /lxc/NAME,
 * machine-NAME.scope), looked for first on the systemd line, then on the
 * v2 line, then on the others; IDs and names that are not what the engine
 * writes name nothing. Never fails: what it does not recognise names
 * nothing.
 */
void cgroupname_parse(const char *text, struct cgroupname *cn);

#endif
