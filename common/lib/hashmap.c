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

/* PIDs and inodes are dense runs of numbers: mix them before masking. */
static size_t slot_of(uint64_t key, size_t size)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (size - 1);
}

static struct hashmap_slot *find_slot(const struct hashmap *map, uint64_t key)
{
	size_t i = slot_of(key, map->size);

	while (map->slots[i].key && map->slots[i].key != key)
		i = (i + 1) & (map->size - 1);
	return &map->slots[i];
}

void *hashmap_get(const struct hashmap *map, uint64_t key)
{
	if (!map->size || !key)
		return NULL;
	return find_slot(map, key)->value;
}

static void rehash(struct hashmap *map, size_t size)
{
	struct hashmap old = *map;

	map->slots = xcalloc(size, sizeof(*map->slots));
	map->size = size;
	map->count = 0;
	for (size_t i = 0; i < old.size; i++)
		if (old.slots[i].key)
			hashmap_put(map, old.slots[i].key, old.slots[i].value);
	free(old.slots);
}

void hashmap_put(struct hashmap *map, uint64_t key, void *value)
{
	struct hashmap_slot *slot;

	/* Keep the load at most one half so probe runs stay short. */
	if ((map->count + 1) * 2 > map->size)
		rehash(map, map->size ? map->size * 2 : 64);
	slot = find_slot(map, key);
	if (!slot->key) {
		slot->key = key;
		map->count++;
	}
	slot->value = value;
}
