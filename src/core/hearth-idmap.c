/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-idmap-private.h"

#define EMPTY G_MAXUINT64

static void
alloc_slots (HearthIdMap *map,
             gsize        n_slots)
{
  map->keys = g_new (guint64, n_slots);
  map->values = g_new (guint32, n_slots);
  memset (map->keys, 0xff, n_slots * sizeof (guint64));
  map->mask = n_slots - 1;
  map->n_items = 0;
}

void
_hearth_id_map_init (HearthIdMap *map,
                     gsize        expected)
{
  gsize n = 16;

  while (n < expected * 2)
    n <<= 1;
  alloc_slots (map, n);
}

void
_hearth_id_map_clear (HearthIdMap *map)
{
  g_clear_pointer (&map->keys, g_free);
  g_clear_pointer (&map->values, g_free);
  map->mask = 0;
  map->n_items = 0;
}

gboolean
_hearth_id_map_lookup (const HearthIdMap *map,
                       guint64            key,
                       guint32           *value)
{
  gsize i;

  if (map->keys == NULL)
    return FALSE;

  for (i = _hearth_id_map_hash (key) & map->mask;; i = (i + 1) & map->mask)
    {
      if (map->keys[i] == key)
        {
          *value = map->values[i];
          return TRUE;
        }
      if (map->keys[i] == EMPTY)
        return FALSE;
    }
}

static void
grow (HearthIdMap *map)
{
  guint64 *old_keys = map->keys;
  guint32 *old_values = map->values;
  gsize old_n = map->mask + 1;

  alloc_slots (map, old_n * 2);
  for (gsize j = 0; j < old_n; j++)
    if (old_keys[j] != EMPTY)
      _hearth_id_map_insert (map, old_keys[j], old_values[j]);
  g_free (old_keys);
  g_free (old_values);
}

void
_hearth_id_map_insert (HearthIdMap *map,
                       guint64      key,
                       guint32      value)
{
  gsize i;

  g_assert (key != EMPTY);

  if (map->keys == NULL)
    alloc_slots (map, 16);
  if ((map->n_items + 1) * 4 > (map->mask + 1) * 3)
    grow (map);

  for (i = _hearth_id_map_hash (key) & map->mask;; i = (i + 1) & map->mask)
    {
      if (map->keys[i] == key)
        {
          map->values[i] = value;
          return;
        }
      if (map->keys[i] == EMPTY)
        {
          map->keys[i] = key;
          map->values[i] = value;
          map->n_items++;
          return;
        }
    }
}
