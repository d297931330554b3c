/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/enginefiles.h"
#include "lib/number.h"
#include "lib/util.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void engine_names_release(struct engine_names *n)
{
	free(n->name);
	free(n->image);
	free(n->pod);
	free(n->pod_namespace);
	memset(n, 0, sizeof(*n));
}

/*
 * The engines write these files with Go's encoding/json: never a
 * duplicate key, never a NUL inside a string (JSON_ALLOW_NUL stays off, so
 * every string is a C string). jansson allocates through xmalloc, as for
 * --load (model/json_load.c).
 */
static json_t *parse(const char *buf, size_t len)
{
	json_error_t error;

	json_set_alloc_funcs(xmalloc, free);
	return json_loadb(buf, len, JSON_REJECT_DUPLICATES, &error);
}

/*
 * The string of key in obj: *v gets a copy, or NULL where it is absent,
 * null or empty. False when it is there as another type.
 */
static bool take_string(json_t *obj, const char *key, char **v)
{
	json_t *j = json_object_get(obj, key);

	*v = NULL;
	if (!j || json_is_null(j))
		return true;
	if (!json_is_string(j))
		return false;
	if (*json_string_value(j))
		*v = xstrdup(json_string_value(j));
	return true;
}

/* The first of an array of strings, every one of them a string. */
static bool take_first_name(json_t *obj, const char *key, char **v)
{
	json_t *names = json_object_get(obj, key), *j;
	size_t i;

	*v = NULL;
	if (!names || json_is_null(names))
		return true;
	if (!json_is_array(names))
		return false;
	json_array_foreach(names, i, j) {
		if (!json_is_string(j))
			return false;
	}
	j = json_array_get(names, 0);
	if (j && *json_string_value(j))
		*v = xstrdup(json_string_value(j));
	return true;
}

static void storage_entry_release(struct storage_entry *e)
{
	free(e->id);
	free(e->name);
	free(e->image);
}

static bool parse_storage_entry(json_t *j, struct storage_entry *e)
{
	memset(e, 0, sizeof(*e));
	if (!json_is_object(j) || !take_string(j, "id", &e->id) || !e->id ||
	    !take_first_name(j, "names", &e->name) ||
	    !take_string(j, "image", &e->image)) {
		storage_entry_release(e);
		return false;
	}
	return true;
}

int enginefiles_parse_storage(const char *buf, size_t len,
			      struct storage_list *list)
{
	json_t *root = parse(buf, len), *j;
	struct storage_entry e;
	size_t i;
	int ret = 0;

	if (!json_is_array(root)) {
		json_decref(root);
		return -EPROTO;
	}
	json_array_foreach(root, i, j) {
		if (!parse_storage_entry(j, &e)) {
			ret = -EPROTO;
			break;
		}
		VEC_PUSH(list->items, list->n, list->alloc, e);
	}
	json_decref(root);
	return ret;
}

const struct storage_entry *enginefiles_storage_find(
	const struct storage_list *list, const char *id)
{
	for (size_t i = 0; i < list->n; i++) {
		if (!strcmp(list->items[i].id, id))
			return &list->items[i];
	}
	return NULL;
}

void enginefiles_storage_release(struct storage_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		storage_entry_release(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

/* Docker names a container "/NAME": the "/" is the root of its links. */
static void drop_slash(char **name)
{
	char *s = *name;

	if (!s || s[0] != '/')
		return;
	*name = s[1] ? xstrdup(s + 1) : NULL;
	free(s);
}

static bool parse_docker_root(json_t *root, struct engine_names *out)
{
	json_t *config;

	if (!json_is_object(root) || !take_string(root, "Name", &out->name))
		return false;
	drop_slash(&out->name);
	config = json_object_get(root, "Config");
	if (!config || json_is_null(config))
		return true;
	return json_is_object(config) &&
	       take_string(config, "Image", &out->image);
}

int enginefiles_parse_docker(const char *buf, size_t len,
			     struct engine_names *out)
{
	json_t *root = parse(buf, len);
	bool ok = parse_docker_root(root, out);

	json_decref(root);
	if (!ok)
		engine_names_release(out);
	return ok ? 0 : -EPROTO;
}

static bool take_annotation(json_t *annotations, const char *key, char **v)
{
	return !key || take_string(annotations, key, v);
}

static bool parse_oci_root(json_t *root, const struct oci_keys *keys,
			   struct engine_names *out)
{
	json_t *a;

	if (!json_is_object(root))
		return false;
	a = json_object_get(root, "annotations");
	if (!a || json_is_null(a))
		return true;
	return json_is_object(a) && take_annotation(a, keys->name, &out->name) &&
	       take_annotation(a, keys->image, &out->image) &&
	       take_annotation(a, keys->pod, &out->pod) &&
	       take_annotation(a, keys->pod_namespace, &out->pod_namespace);
}

int enginefiles_parse_oci(const char *buf, size_t len,
			  const struct oci_keys *keys, struct engine_names *out)
{
	json_t *root = parse(buf, len);
	bool ok = parse_oci_root(root, keys, out);

	json_decref(root);
	if (!ok)
		engine_names_release(out);
	return ok ? 0 : -EPROTO;
}

int enginefiles_parse_daemon_json(const char *buf, size_t len,
				  char **data_root)
{
	json_t *root = parse(buf, len);
	bool ok = json_is_object(root) &&
		  take_string(root, "data-root", data_root);

	json_decref(root);
	if (!ok)
		*data_root = NULL;
	return ok ? 0 : -EPROTO;
}

static const char *skip_blank(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* A table header "[name]" (the line's blanks skipped): is it section? */
static bool toml_header_is(const char *p, const char *end,
			   const char *section)
{
	size_t n = section ? strlen(section) : 0;

	p = skip_blank(p + 1, end);
	if (!section || (size_t)(end - p) < n || memcmp(p, section, n))
		return false;
	p = skip_blank(p + n, end);
	return p < end && *p == ']';
}

/* The quoted string at p (one line, up to end), or NULL. */
static char *toml_quoted(const char *p, const char *end)
{
	const char *close;
	char quote;

	if (p >= end || (*p != '"' && *p != '\''))
		return NULL;
	quote = *p++;
	close = memchr(p, quote, (size_t)(end - p));
	if (!close || close == p || (quote == '"' && memchr(p, '\\', (size_t)(close - p))))
		return NULL;
	return xstrndup(p, (size_t)(close - p));
}

/* The value of "key = ..." on the line from p to end, or NULL. */
static char *toml_line_value(const char *p, const char *end, const char *key)
{
	size_t n = strlen(key);

	if ((size_t)(end - p) <= n || memcmp(p, key, n))
		return NULL;
	p = skip_blank(p + n, end);
	if (p >= end || *p != '=')
		return NULL;
	return toml_quoted(skip_blank(p + 1, end), end);
}

char *enginefiles_toml_string(const char *text, const char *section,
			      const char *key)
{
	bool in = !section;
	char *value = NULL, *v;
	const char *p = text, *end;

	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		p = skip_blank(p, end);
		if (p < end && *p == '[') {
			in = toml_header_is(p, end, section);
			continue;
		}
		if (in && (v = toml_line_value(p, end, key))) {
			free(value);
			value = v;
		}
	}
	return value;
}

/* Field i (0: the first) of a passwd line from p to end; *len its length. */
static const char *passwd_field(const char *p, const char *end, int i,
				size_t *len)
{
	const char *colon;

	for (; i > 0; i--) {
		colon = memchr(p, ':', (size_t)(end - p));
		if (!colon)
			return NULL;
		p = colon + 1;
	}
	colon = memchr(p, ':', (size_t)(end - p));
	*len = (size_t)((colon ? colon : end) - p);
	return p;
}

static const struct number_range uid_range = { 0, UINT32_MAX - 1, 0 };

char *enginefiles_passwd_home(const char *text, unsigned long uid)
{
	const char *p, *end, *f;
	uint64_t v;
	size_t len;

	for (p = text; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		f = passwd_field(p, end, 2, &len);
		if (!f || number_parse(f, len, uid_range, &v) < 0 || v != uid)
			continue;
		f = passwd_field(p, end, 5, &len);
		if (!f || !len || *f != '/')
			return NULL;
		return xstrndup(f, len);
	}
	return NULL;
}

/* The value of argv[*i] if it is the option name, moving *i past it. */
static const char *option_value(char *const *argv, size_t argc, size_t *i,
				const char *name)
{
	size_t n = strlen(name);
	const char *arg = argv[*i];

	if (strncmp(arg, name, n))
		return NULL;
	if (arg[n] == '=')
		return arg + n + 1;
	if (arg[n] || *i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

const char *enginefiles_option(char *const *argv, size_t argc,
			       const char *const *names)
{
	const char *value = NULL, *v;

	for (size_t i = 1; i < argc; i++) {
		for (const char *const *name = names; *name; name++) {
			v = option_value(argv, argc, &i, *name);
			if (v) {
				value = *v ? v : NULL;
				break;
			}
		}
	}
	return value;
}
