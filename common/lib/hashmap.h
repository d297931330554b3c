/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A map from non-zero 64-bit keys (PIDs, namespace inodes) to pointers,
 * open addressing with linear probing. Lookups by PID and by namespace
 * inode are what keep the discovery linear in the number of processes.
 */
#ifndef NSTOOLS_HASHMAP_H
#define NSTOOLS_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

struct hashmap_slot {
	uint64_t key; /* 0: empty */
	void *value;
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

/* The value stored under key, or NULL. Key 0 is never stored. */
void *hashmap_get(const struct hashmap *map, uint64_t key);

/* Stores value under key (key != 0), replacing what was there. */
void hashmap_put(struct hashmap *map, uint64_t key, void *value);

#endif
