/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A small open-addressing hash map from non-zero-able 64-bit keys to
 * 32-bit values. Stack interning and call-tree building look up millions
 * of (parent, frame) pairs; GHashTable with boxed keys is several times
 * slower for that. Key G_MAXUINT64 is reserved as "empty". */
typedef struct
{
  guint64 *keys;
  guint32 *values;
  gsize    mask;
  gsize    n_items;
} HearthIdMap;

void     _hearth_id_map_init    (HearthIdMap *map,
                                 gsize        expected);
void     _hearth_id_map_clear   (HearthIdMap *map);
/* Returns TRUE and sets *value if key is present. */
gboolean _hearth_id_map_lookup  (const HearthIdMap *map,
                                 guint64            key,
                                 guint32           *value);
void     _hearth_id_map_insert  (HearthIdMap *map,
                                 guint64      key,
                                 guint32      value);

static inline guint64
_hearth_id_map_hash (guint64 key)
{
  /* splitmix64 finaliser: cheap and mixes both halves */
  key ^= key >> 30;
  key *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  key ^= key >> 27;
  key *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  key ^= key >> 31;
  return key;
}

G_END_DECLS
