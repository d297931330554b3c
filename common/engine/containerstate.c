/* SPDX-License-Identifier: Apache-2.0 */
#include "engine/containerstate.h"
#include "engine/enginefiles.h"
#include "engine/procfs.h"
#include "engine/safefile.h"
#include "lib/procpath.h"
#include "lib/text.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The caps on what is read, each file once per discovery. containers.json
 * holds every container of a storage (about 1 KiB each, most of it the
 * "metadata" podman keeps there), images.json every image: 8 MiB is some
 * thousands of them. A per-container file (config.v2.json, an OCI bundle's
 * config.json, with its mounts and seccomp profile) is tens of KiB: 1 MiB.
 * A configuration file or /etc/passwd: 4 MiB.
 */
enum {
	STORAGE_MAX = 8 << 20,
	CONTAINER_MAX = 1 << 20,
	CONFIG_MAX = 4 << 20,
};

/* The storage drivers of containers/storage, whose folders are DRIVER-. */
static const char *const storage_drivers[] = { "overlay", "vfs", "btrfs",
					       "zfs" };

/* One containers/storage root, its two lists read at its first lookup. */
struct storage_root {
	char *path;
	int err; /* of the lists' reads: 0, -EACCES or -EPROTO */
	struct storage_list containers;
	struct storage_list images;
};

/* A list of paths: the state folders of one engine. */
struct paths {
	char **items;
	size_t n, alloc;
};

struct containerstate {
	const struct model *m;
	bool fallbacks_only;
	bool found;                /* the daemons' command lines were read */
	struct paths podman_roots; /* podman's storage roots */
	struct paths docker_roots; /* Docker's data roots */
	struct paths containerd_states;
	struct paths crio_runroots;
	bool crio_running;         /* a crio process was met */
	char *passwd;              /* /etc/passwd; NULL: not read (yet) */
	bool passwd_read;
	struct paths containerd_tasks; /* STATE/io.containerd.runtime.v2.task/NS */
	bool containerd_listed;
	struct storage_root *storages; /* read, or to read, as met */
	size_t nstorages, storages_alloc;
};

struct containerstate *containerstate_new(const struct model *m)
{
	struct containerstate *cs = xcalloc(1, sizeof(*cs));

	cs->m = m;
	return cs;
}

void containerstate_fallbacks_only(struct containerstate *cs)
{
	cs->fallbacks_only = true;
}

static void paths_release(struct paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i]);
	free(p->items);
}

/* Adds path (taken over) unless it is there already or NULL. */
static void paths_take(struct paths *p, char *path)
{
	if (!path)
		return;
	for (size_t i = 0; i < p->n; i++) {
		if (!strcmp(p->items[i], path)) {
			free(path);
			return;
		}
	}
	VEC_PUSH(p->items, p->n, p->alloc, path);
}

static void paths_add(struct paths *p, const char *path)
{
	if (path)
		paths_take(p, xstrdup(path));
}

void containerstate_free(struct containerstate *cs)
{
	if (!cs)
		return;
	paths_release(&cs->podman_roots);
	paths_release(&cs->docker_roots);
	paths_release(&cs->containerd_states);
	paths_release(&cs->crio_runroots);
	paths_release(&cs->containerd_tasks);
	free(cs->passwd);
	for (size_t i = 0; i < cs->nstorages; i++) {
		free(cs->storages[i].path);
		enginefiles_storage_release(&cs->storages[i].containers);
		enginefiles_storage_release(&cs->storages[i].images);
	}
	free(cs->storages);
	free(cs);
}

/* --- what a read's failure says ------------------------------------- */

/*
 * A file that is not there tells nothing; one we may not read counts as
 * unread for lack of privilege; anything else (a symlink, a FIFO, a file
 * too large, one that is no JSON of the engine's) as not recognised.
 */
static int failure_of(int err)
{
	if (err == -ENOENT || err == -ENOTDIR)
		return -ENOENT;
	if (err == -EACCES || err == -EPERM)
		return -EACCES;
	return -EPROTO;
}

/* The worse of two outcomes of a lookup that found nothing yet. */
static int worse(int a, int b)
{
	if (a == -EACCES || b == -EACCES)
		return -EACCES;
	if (a == -EPROTO || b == -EPROTO)
		return -EPROTO;
	return -ENOENT;
}

/* A configuration file's text, or NULL when it cannot be read. */
static char *read_text(struct containerstate *cs, const char *path)
{
	struct safefile f;

	if (safefile_read(path, CONFIG_MAX, cs->fallbacks_only, &f) < 0)
		return NULL;
	return f.data;
}

static char *toml_of_file(struct containerstate *cs, const char *path,
			  const char *section, const char *key)
{
	char *text = read_text(cs, path), *value;

	if (!text)
		return NULL;
	value = enginefiles_toml_string(text, section, key);
	free(text);
	return value;
}

static char *join(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = xmalloc(na + nb + 1);

	memcpy(s, a, na);
	memcpy(s + na, b, nb + 1);
	return s;
}

/* --- where the engines keep their state -------------------------------- */

static const char *const root_opts[] = { "--root", NULL };
static const char *const bundle_opts[] = { "-b", "--bundle", NULL };
static const char *const data_root_opts[] = { "--data-root", "-g", NULL };
static const char *const docker_config_opts[] = { "--config-file", NULL };
static const char *const state_opts[] = { "--state", NULL };
static const char *const config_opts[] = { "--config", "-c", NULL };
static const char *const runroot_opts[] = { "--runroot", NULL };

/* The option of a daemon's command line (argv NULL: none runs), or NULL. */
static const char *option(char **argv, size_t argc, const char *const *names)
{
	return argv ? enginefiles_option(argv, argc, names) : NULL;
}

/* The option's value, else the file's (default when no option names it). */
static const char *config_path(char **argv, size_t argc,
			       const char *const *names, const char *fallback)
{
	const char *path = option(argv, argc, names);

	return path ? path : fallback;
}

/*
 * The storage root of a bundle that conmon was given (-b), for podman
 * ROOT/DRIVER-containers/ID/userdata, for CRI-O the same below its
 * runroot: a rootless user's storage too, wherever it is.
 */
static char *root_of_bundle(const char *bundle)
{
	char pattern[32];
	const char *at, *last = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(storage_drivers); i++) {
		if (!str_join(pattern, sizeof(pattern), "/", storage_drivers[i],
			      "-containers/", NULL))
			continue;
		for (at = bundle; (at = strstr(at, pattern)); at++)
			last = at;
		if (last)
			return last == bundle ? NULL : xstrndup(bundle, (size_t)(last - bundle));
	}
	return NULL;
}

static void found_conmon(struct containerstate *cs, char **argv, size_t argc)
{
	const char *bundle = option(argv, argc, bundle_opts);
	char *root = bundle ? root_of_bundle(bundle) : NULL;

	paths_add(&cs->crio_runroots, root);
	paths_take(&cs->podman_roots, root);
}

/* dockerd --data-root (or -g), else its daemon.json's, else the default. */
static void found_dockerd(struct containerstate *cs, char **argv, size_t argc)
{
	const char *root = option(argv, argc, data_root_opts);
	struct safefile f;
	char *from_file = NULL;

	if (root) {
		paths_add(&cs->docker_roots, root);
		return;
	}
	if (!safefile_read(config_path(argv, argc, docker_config_opts,
				       "/etc/docker/daemon.json"),
			   CONFIG_MAX, cs->fallbacks_only, &f)) {
		enginefiles_parse_daemon_json(f.data, f.len, &from_file);
		safefile_release(&f);
	}
	paths_take(&cs->docker_roots,
		   from_file ? from_file : xstrdup("/var/lib/docker"));
}

/* containerd --state, else its config.toml's "state", else the default. */
static void found_containerd(struct containerstate *cs, char **argv,
			     size_t argc)
{
	const char *state = option(argv, argc, state_opts);
	char *from_file = NULL;

	if (!state)
		from_file = toml_of_file(cs, config_path(argv, argc, config_opts,
					  "/etc/containerd/config.toml"),
					 NULL, "state");
	if (!state && !from_file)
		state = "/run/containerd";
	paths_add(&cs->containerd_states, state);
	paths_take(&cs->containerd_states, from_file);
}

/* crio --runroot, else its crio.conf's [crio] runroot, else the default. */
static void found_crio(struct containerstate *cs, char **argv, size_t argc)
{
	const char *runroot = option(argv, argc, runroot_opts);
	char *from_file = NULL;

	cs->crio_running |= argv != NULL;
	if (!runroot)
		from_file = toml_of_file(cs, config_path(argv, argc, config_opts,
					  "/etc/crio/crio.conf"),
					 "crio", "runroot");
	if (!runroot && !from_file)
		runroot = "/run/containers/storage";
	paths_add(&cs->crio_runroots, runroot);
	paths_take(&cs->crio_runroots, from_file);
}

static void found_podman(struct containerstate *cs, char **argv, size_t argc)
{
	paths_add(&cs->podman_roots, option(argv, argc, root_opts));
}

/* The daemons whose command lines tell where their engine's state is. */
static const struct daemon {
	const char *name;
	void (*found)(struct containerstate *cs, char **argv, size_t argc);
} daemons[] = {
	{ "conmon", found_conmon },
	{ "dockerd", found_dockerd },
	{ "containerd", found_containerd },
	{ "crio", found_crio },
	{ "podman", found_podman },
};

static const struct daemon *daemon_named(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(daemons); i++) {
		if (!strcmp(daemons[i].name, name))
			return &daemons[i];
	}
	return NULL;
}

/*
 * The command line of process pid, read here: the views that need no
 * command line leave them unread (no_cmdlines). NULL when it is gone,
 * not ours to read, or a kernel thread's.
 */
static char **read_cmdline(int procfd, pid_t pid, size_t *argc)
{
	struct procfs_buf buf = PROCFS_BUF_INIT;
	char path[64], **argv = NULL;

	if (procpath(path, sizeof(path), pid, 0, "cmdline", NULL) &&
	    !procfs_read_at(procfd, path, &buf) && buf.len)
		argv = strv_split_nul(buf.data, buf.len, argc);
	procfs_buf_release(&buf);
	return argv;
}

static void find_daemons(struct containerstate *cs, int procfd)
{
	const struct daemon *d;
	char **argv;
	size_t argc;

	for (size_t i = 0; procfd >= 0 && i < cs->m->nprocs; i++) {
		d = daemon_named(cs->m->procs[i]->name);
		if (!d || !(argv = read_cmdline(procfd, cs->m->procs[i]->pid,
						&argc)))
			continue;
		d->found(cs, argv, argc);
		free(argv);
	}
}

/*
 * Once, at the first lookup: the running daemons' state, then what each
 * engine's own configuration (or default) says where none runs. podman
 * runs no daemon: its configured root is always looked at.
 */
static void find_state(struct containerstate *cs)
{
	char *graphroot;
	int procfd;

	if (cs->found)
		return;
	cs->found = true;
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	find_daemons(cs, procfd);
	if (procfd >= 0)
		close(procfd);
	if (!cs->docker_roots.n)
		found_dockerd(cs, NULL, 0);
	if (!cs->containerd_states.n)
		found_containerd(cs, NULL, 0);
	if (!cs->crio_running)
		found_crio(cs, NULL, 0);
	graphroot = toml_of_file(cs, "/etc/containers/storage.conf", "storage",
				 "graphroot");
	paths_take(&cs->podman_roots,
		   graphroot ? graphroot : xstrdup("/var/lib/containers/storage"));
}

/* --- the lookups ------------------------------------------------------- */

/*
 * An ID as the cgroup names it goes into a path: one plain component,
 * nothing that could climb out of the engine's folder.
 */
static bool plain_id(const char *id)
{
	size_t n = strspn(id, "0123456789abcdefghijklmnopqrstuvwxyz"
			      "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.");

	return *id && *id != '.' && !id[n] && n <= 128;
}

/* What the file told and c did not know yet; the rest is dropped. */
static void take_names(struct container *c, struct engine_names *n)
{
	char **have[] = { &c->name, &c->image, &c->pod, &c->pod_namespace };
	char **told[] = { &n->name, &n->image, &n->pod, &n->pod_namespace };

	for (size_t i = 0; i < ARRAY_SIZE(have); i++) {
		if (!*have[i]) {
			*have[i] = *told[i];
			*told[i] = NULL;
		}
	}
	engine_names_release(n);
}

static void set_unknown(char **field, const char *value)
{
	if (value && !*field)
		*field = xstrdup(value);
}

/*
 * Reads the storage's list FILE of each driver (DRIVER-KIND/FILE): 0 when
 * one was read, else the worst failure.
 */
static int read_storage_list(struct containerstate *cs, const char *root,
			     const char *kind, const char *file,
			     struct storage_list *list)
{
	char path[4096];
	struct safefile f;
	int ret = -ENOENT, r;

	for (size_t i = 0; i < ARRAY_SIZE(storage_drivers); i++) {
		if (!str_join(path, sizeof(path), root, "/", storage_drivers[i],
			      "-", kind, "/", file, NULL))
			continue;
		r = safefile_read(path, STORAGE_MAX, cs->fallbacks_only, &f);
		if (!r) {
			r = enginefiles_parse_storage(f.data, f.len, list);
			safefile_release(&f);
		}
		ret = !r || !ret ? 0 : worse(ret, failure_of(r));
	}
	return ret;
}

/* The storage at path, its lists read at the first lookup there. */
static struct storage_root *storage_at(struct containerstate *cs,
				       const char *path)
{
	struct storage_root sr = { 0 }, *s;

	for (size_t i = 0; i < cs->nstorages; i++) {
		if (!strcmp(cs->storages[i].path, path))
			return &cs->storages[i];
	}
	sr.path = xstrdup(path);
	VEC_PUSH(cs->storages, cs->nstorages, cs->storages_alloc, sr);
	s = &cs->storages[cs->nstorages - 1];
	s->err = read_storage_list(cs, s->path, "containers", "containers.json",
				   &s->containers);
	/* without images.json, the image stays unknown */
	if (!s->err)
		read_storage_list(cs, s->path, "images", "images.json",
				  &s->images);
	return s;
}

/*
 * podman keeps its containers in containers/storage's containers.json:
 * the name is the first of "names", "image" the image's ID, whose name
 * is the first of its "names" in images.json.
 */
static int podman_in_root(struct containerstate *cs, const char *root,
			  struct container *c)
{
	const struct storage_root *s = storage_at(cs, root);
	const struct storage_entry *e, *image;

	if (s->err)
		return s->err;
	e = enginefiles_storage_find(&s->containers, c->id);
	if (!e)
		return -ENOENT;
	set_unknown(&c->name, e->name);
	image = e->image ? enginefiles_storage_find(&s->images, e->image) :
			   NULL;
	if (image)
		set_unknown(&c->image, image->name);
	return 0;
}

/* /etc/passwd, read at the first rootless lookup; NULL: unreadable. */
static const char *passwd_text(struct containerstate *cs)
{
	if (!cs->passwd_read) {
		cs->passwd = read_text(cs, "/etc/passwd");
		cs->passwd_read = true;
	}
	return cs->passwd;
}

/*
 * A rootless podman's storage is ~USER/.local/share/containers/storage,
 * USER the owner of the container's processes (its root, mapped). Where
 * that user set $XDG_DATA_HOME, the storage is elsewhere: the environment
 * of a podman long gone cannot be known; conmon's bundle (-b) still tells
 * it while the container runs. The home is read from /etc/passwd, not
 * through getpwuid(): NSS may ask a directory server, which can hang.
 */
static void rootless_roots(struct containerstate *cs,
			   const struct container *c, struct paths *roots)
{
	const char *passwd = NULL;
	uid_t seen[8];
	size_t nseen = 0, j;
	char *home;

	for (size_t i = 0; i < cs->m->nprocs && nseen < ARRAY_SIZE(seen); i++) {
		const struct proc *p = cs->m->procs[i];

		if (p->container != c || !p->uid || p->uid == UID_UNKNOWN)
			continue;
		for (j = 0; j < nseen && seen[j] != p->uid; j++)
			;
		if (j < nseen || !(passwd = passwd ? passwd : passwd_text(cs)))
			continue;
		seen[nseen++] = p->uid;
		home = enginefiles_passwd_home(passwd, p->uid);
		if (home)
			paths_take(roots, join(home, "/.local/share/containers/storage"));
		free(home);
	}
}

/* Calls fn for each path of roots until one finds c: 0, or the worst. */
static int in_each(struct containerstate *cs, const struct paths *roots,
		   struct container *c,
		   int (*fn)(struct containerstate *cs, const char *root,
			     struct container *c))
{
	int ret = -ENOENT, r;

	for (size_t i = 0; i < roots->n; i++) {
		r = fn(cs, roots->items[i], c);
		if (!r)
			return 0;
		ret = worse(ret, r);
	}
	return ret;
}

static int lookup_podman(struct containerstate *cs, struct container *c)
{
	struct paths homes = { 0 };
	int ret = in_each(cs, &cs->podman_roots, c, podman_in_root), r;

	if (ret) {
		rootless_roots(cs, c, &homes);
		r = in_each(cs, &homes, c, podman_in_root);
		ret = r ? worse(ret, r) : 0;
	}
	paths_release(&homes);
	return ret;
}

/* A file of the container's that names it, read and parsed by parse. */
static int read_names(struct containerstate *cs, const char *path,
		      const struct oci_keys *keys, struct container *c)
{
	struct engine_names n = { 0 };
	struct safefile f;
	int r = safefile_read(path, CONTAINER_MAX, cs->fallbacks_only, &f);

	if (r)
		return failure_of(r);
	if (keys)
		r = enginefiles_parse_oci(f.data, f.len, keys, &n);
	else
		r = enginefiles_parse_docker(f.data, f.len, &n);
	safefile_release(&f);
	if (!r)
		take_names(c, &n);
	return r;
}

/* Docker: DATA-ROOT/containers/ID/config.v2.json. */
static int docker_in_root(struct containerstate *cs, const char *root,
			  struct container *c)
{
	char path[4096];

	if (!str_join(path, sizeof(path), root, "/containers/", c->id,
		      "/config.v2.json", NULL))
		return -ENOENT;
	return read_names(cs, path, NULL, c);
}

/* The annotations the CRI plugin of containerd gives a container. */
static const struct oci_keys containerd_keys = {
	.name = "io.kubernetes.cri.container-name",
	.image = "io.kubernetes.cri.image-name",
	.pod = "io.kubernetes.cri.sandbox-name",
	.pod_namespace = "io.kubernetes.cri.sandbox-namespace",
};

/* CRI-O's: the kubelet's names, and its own for the image. */
static const struct oci_keys crio_keys = {
	.name = "io.kubernetes.container.name",
	.image = "io.kubernetes.cri-o.ImageName",
	.pod = "io.kubernetes.pod.name",
	.pod_namespace = "io.kubernetes.pod.namespace",
};

/* containerd: TASKS/NS/ID/config.json, the bundle of its task. */
static int containerd_in_ns(struct containerstate *cs, const char *ns_dir,
			    struct container *c)
{
	char path[4096];

	if (!str_join(path, sizeof(path), ns_dir, "/", c->id, "/config.json",
		      NULL))
		return -ENOENT;
	return read_names(cs, path, &containerd_keys, c);
}

struct ns_listing {
	struct paths *dirs;
	const char *tasks;
};

static void add_ns_dir(void *ctx, const char *name)
{
	struct ns_listing *l = ctx;

	paths_take(l->dirs, join(l->tasks, name));
}

/*
 * containerd keeps a task's bundle below its state, in a folder per
 * containerd namespace ("k8s.io" for the CRI plugin, "moby" for Docker):
 * listed once per discovery.
 */
static void list_containerd_tasks(struct containerstate *cs)
{
	struct ns_listing l = { &cs->containerd_tasks, NULL };
	char *tasks;
	int fd;

	cs->containerd_listed = true;
	for (size_t i = 0; i < cs->containerd_states.n; i++) {
		tasks = join(cs->containerd_states.items[i],
			     "/io.containerd.runtime.v2.task/");
		fd = safefile_opendir(tasks, cs->fallbacks_only);
		l.tasks = tasks;
		if (fd >= 0) {
			procfs_for_each_entry(fd, add_ns_dir, &l);
			close(fd);
		}
		free(tasks);
	}
}

static int lookup_containerd(struct containerstate *cs, struct container *c)
{
	if (!cs->containerd_listed)
		list_containerd_tasks(cs);
	return in_each(cs, &cs->containerd_tasks, c, containerd_in_ns);
}

/* CRI-O: RUNROOT/DRIVER-containers/ID/userdata/config.json. */
static int crio_in_runroot(struct containerstate *cs, const char *runroot,
			   struct container *c)
{
	char path[4096];
	int ret = -ENOENT, r;

	for (size_t i = 0; i < ARRAY_SIZE(storage_drivers); i++) {
		if (!str_join(path, sizeof(path), runroot, "/",
			      storage_drivers[i], "-containers/", c->id,
			      "/userdata/config.json", NULL))
			continue;
		r = read_names(cs, path, &crio_keys, c);
		if (!r)
			return 0;
		ret = worse(ret, r);
	}
	return ret;
}

/*
 * LXC and systemd-nspawn name the container in its cgroup: the ID is the
 * name, and there is nothing more to read.
 */
static bool named_by_cgroup(const struct container *c)
{
	return !strcmp(c->engine, "lxc") || !strcmp(c->engine, "nspawn");
}

int containerstate_lookup(struct containerstate *cs, struct container *c)
{
	if (named_by_cgroup(c)) {
		set_unknown(&c->name, c->id);
		return 0;
	}
	if (!plain_id(c->id))
		return -ENOENT;
	find_state(cs);
	if (!strcmp(c->engine, "podman"))
		return lookup_podman(cs, c);
	if (!strcmp(c->engine, "docker"))
		return in_each(cs, &cs->docker_roots, c, docker_in_root);
	if (!strcmp(c->engine, "containerd"))
		return lookup_containerd(cs, c);
	if (!strcmp(c->engine, "cri-o"))
		return in_each(cs, &cs->crio_runroots, c, crio_in_runroot);
	return -ENOENT;
}
