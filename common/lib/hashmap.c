/* SPDX-License-Identifier: Apache-2.0 */
#include "lib/hashmap.h"

#include "lib/util.h"

#include <stdlib.h>

void hashmap_init(struct hashmap *map)
{
	*map = (struct hashmap)HASHMAP_INIT;
}

void hashmap_release(struct hashmap *map)
{
	free(map->slots);
	hashmap_init(map);
}

size_t hashmap_count(const struct hashmap *map)
{
	return map->count;
}

/* PIDs and inodes are dense runs of numbers: mix them before masking. */
static size_t slot_of(uint64_t key, size_t size)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (size - 1);
}

/* The slot of key, or the empty one where it would go; map->size != 0. */
static struct hashmap_slot *probe(const struct hashmap *map, uint64_t key)
{
	size_t i = slot_of(key, map->size);

	while (map->slots[i].key && map->slots[i].key != key)
		i = (i + 1) & (map->size - 1);
	return &map->slots[i];
}

/*
 * The slot of key, or an empty one. An empty slot's value is all zero
 * bits (the table is calloc'd and nothing is ever removed), so that a
 * miss reads as NULL or 0 without a test more on the lookups of the
 * engine's every link.
 */
static const struct hashmap_slot *find_slot(const struct hashmap *map,
					    uint64_t key)
{
	static const struct hashmap_slot none;

	if (!map->size || !key)
		return &none;
	return probe(map, key);
}

void *hashmap_get(const struct hashmap *map, uint64_t key)
{
	return find_slot(map, key)->value.ptr;
}

static struct hashmap_slot *claim_slot(struct hashmap *map, uint64_t key);

static void rehash(struct hashmap *map, size_t size)
{
	struct hashmap old = *map;

	map->slots = xcalloc(size, sizeof(*map->slots));
	map->size = size;
	map->count = 0;
	for (size_t i = 0; i < old.size; i++)
		if (old.slots[i].key)
			claim_slot(map, old.slots[i].key)->value =
				old.slots[i].value;
	free(old.slots);
}

/* The slot of key, added (with a zero value) when it was not there. */
static struct hashmap_slot *claim_slot(struct hashmap *map, uint64_t key)
{
	struct hashmap_slot *slot;

	/* Keep the load at most one half so probe runs stay short. */
	if ((map->count + 1) * 2 > map->size)
		rehash(map, map->size ? map->size * 2 : 64);
	slot = probe(map, key);
	if (!slot->key) {
		slot->key = key;
		map->count++;
	}
	return slot;
}

void hashmap_put(struct hashmap *map, uint64_t key, void *value)
{
	claim_slot(map, key)->value.ptr = value;
}

/* The next used slot from it->pos on, or NULL after the last. */
static const struct hashmap_slot *next_slot(const struct hashmap *map,
					    size_t *pos)
{
	while (*pos < map->size) {
		const struct hashmap_slot *slot = &map->slots[(*pos)++];

		if (slot->key)
			return slot;
	}
	return NULL;
}

bool hashmap_next(const struct hashmap *map, struct hashmap_iter *it)
{
	const struct hashmap_slot *slot = next_slot(map, &it->pos);

	if (!slot)
		return false;
	it->key = slot->key;
	it->value = slot->value.ptr;
	return true;
}

void intmap_init(struct intmap *map)
{
	hashmap_init(&map->map);
}

void intmap_release(struct intmap *map)
{
	hashmap_release(&map->map);
}

bool intmap_has(const struct intmap *map, uint64_t key)
{
	return find_slot(&map->map, key)->key != 0;
}

uint64_t intmap_get(const struct intmap *map, uint64_t key)
{
	return find_slot(&map->map, key)->value.num;
}

void intmap_put(struct intmap *map, uint64_t key, uint64_t value)
{
	claim_slot(&map->map, key)->value.num = value;
}

bool intmap_next(const struct intmap *map, struct intmap_iter *it)
{
	const struct hashmap_slot *slot = next_slot(&map->map, &it->pos);

	if (!slot)
		return false;
	it->key = slot->key;
	it->value = slot->value.num;
	return true;
}
