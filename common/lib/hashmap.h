/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Maps from non-zero 64-bit keys (PIDs, namespace inodes) to pointers
 * (struct hashmap) or to integers (struct intmap), open addressing with
 * linear probing. Lookups by PID and by namespace inode are what keep the
 * discovery linear in the number of processes.
 *
 * The structs are declared here so that maps can live in other structs;
 * their fields are the map's own: callers use the functions, and walk a
 * map with its iterator.
 */
#ifndef NSTOOLS_HASHMAP_H
#define NSTOOLS_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hashmap_slot {
	uint64_t key; /* 0: empty */
	union {
		void *ptr;    /* struct hashmap */
		uint64_t num; /* struct intmap */
	} value;
};

struct hashmap {
	struct hashmap_slot *slots;
	size_t size;     /* number of slots, a power of two, or 0 */
	size_t count;    /* number of keys stored */
};

#define HASHMAP_INIT { NULL, 0, 0 }

void hashmap_init(struct hashmap *map);
/* Frees the table, not the values. */
void hashmap_release(struct hashmap *map);

/* The number of keys stored. */
size_t hashmap_count(const struct hashmap *map);

/* The value stored under key, or NULL. Key 0 is never stored. */
void *hashmap_get(const struct hashmap *map, uint64_t key);

/* Stores value under key (key != 0), replacing what was there. */
void hashmap_put(struct hashmap *map, uint64_t key, void *value);

/*
 * A walk over a map, in no particular order:
 *
 *	struct hashmap_iter it = HASHMAP_ITER_INIT;
 *
 *	while (hashmap_next(&map, &it))
 *		use(it.key, it.value);
 *
 * The map must not change during the walk.
 */
struct hashmap_iter {
	size_t pos; /* the slot to look at next */
	uint64_t key;
	void *value;
};

#define HASHMAP_ITER_INIT { 0, 0, NULL }

/* Moves it to the next entry and returns true; false after the last. */
bool hashmap_next(const struct hashmap *map, struct hashmap_iter *it);

/*
 * A map from non-zero keys to integers (fds, counts, marks), with no cast
 * through a pointer. A set is an intmap whose values are left 0:
 * intmap_put(&set, key, 0), then intmap_has(&set, key).
 */
struct intmap {
	struct hashmap map;
};

#define INTMAP_INIT { HASHMAP_INIT }

void intmap_init(struct intmap *map);
void intmap_release(struct intmap *map);

/* Whether key is stored (with whatever value, 0 included). */
bool intmap_has(const struct intmap *map, uint64_t key);

/* The value stored under key, or 0 when there is none. */
uint64_t intmap_get(const struct intmap *map, uint64_t key);

/* Stores value under key (key != 0), replacing what was there. */
void intmap_put(struct intmap *map, uint64_t key, uint64_t value);

/* As struct hashmap_iter, with intmap_next. */
struct intmap_iter {
	size_t pos;
	uint64_t key;
	uint64_t value;
};

#define INTMAP_ITER_INIT { 0, 0, 0 }

bool intmap_next(const struct intmap *map, struct intmap_iter *it);

#endif
