/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The parsers of container engines' files on the host (HACKING.md,
 * "Containers and units"): pure functions over a buffer, so that they can
 * be tested and fuzzed without an engine. JSON goes through jansson; a
 * file whose shape is not the engine's (a key of the wrong type) fails as
 * a whole: -EPROTO. A string that is empty counts as absent.
 */
#ifndef NSTOOLS_ENGINEFILES_H
#define NSTOOLS_ENGINEFILES_H

#include <stddef.h>

/* What a file tells of one container; NULL where it tells nothing. */
struct engine_names {
	char *name;
	char *image;
	char *pod;
	char *pod_namespace;
};

void engine_names_release(struct engine_names *n);

/* One entry of containers/storage's containers.json or images.json. */
struct storage_entry {
	char *id;
	char *name;  /* the first of "names"; NULL: none */
	char *image; /* containers.json: the image's ID; NULL: none */
};

struct storage_list {
	struct storage_entry *items;
	size_t n, alloc;
};

/*
 * Parses containers.json or images.json (len bytes): an array of objects
 * with a string "id", and optional "names" (an array of strings) and
 * "image" (a string). Appends to list. Returns 0 or -EPROTO.
 */
int enginefiles_parse_storage(const char *buf, size_t len,
			      struct storage_list *list);
/* The entry of that ID, or NULL. */
const struct storage_entry *enginefiles_storage_find(
	const struct storage_list *list, const char *id);
void enginefiles_storage_release(struct storage_list *list);

/*
 * Parses Docker's config.v2.json: "Name" (its "/" dropped) and
 * "Config"."Image". Returns 0 or -EPROTO.
 */
int enginefiles_parse_docker(const char *buf, size_t len,
			     struct engine_names *out);

/* The annotations of an OCI bundle's config.json that tell the names. */
struct oci_keys {
	const char *name;
	const char *image;
	const char *pod;
	const char *pod_namespace;
};

/*
 * Parses an OCI runtime config.json, filling out from the "annotations"
 * named by keys. Returns 0 or -EPROTO.
 */
int enginefiles_parse_oci(const char *buf, size_t len,
			  const struct oci_keys *keys, struct engine_names *out);

/*
 * Parses Docker's daemon.json: *data_root gets "data-root" (malloc'd) or
 * NULL. Returns 0 or -EPROTO.
 */
int enginefiles_parse_daemon_json(const char *buf, size_t len,
				  char **data_root);

/*
 * The string value of key in the table section ("storage"; NULL: the
 * keys before any table) of TOML text (NUL-terminated), as
 * storage.conf, containerd's config.toml and crio.conf write it: a line
 * `key = "value"` (or 'value'). Only the plain strings these files hold
 * are understood: one with an escape is left out. Returns a malloc'd
 * string, or NULL.
 */
char *enginefiles_toml_string(const char *text, const char *section,
			      const char *key);

/*
 * The home folder of uid in /etc/passwd text (NUL-terminated): the sixth
 * field of the first line whose third is uid. Returns a malloc'd absolute
 * path, or NULL.
 */
char *enginefiles_passwd_home(const char *text, unsigned long uid);

/*
 * The value of the last option of a command line that has one of the
 * names (NULL-ended; "--root", "-b"): "NAME VALUE" or "NAME=VALUE".
 * Returns a pointer into argv, or NULL.
 */
const char *enginefiles_option(char *const *argv, size_t argc,
			       const char *const *names);

#endif
