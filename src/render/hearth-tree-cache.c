/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-tree-cache-private.h"

static GQuark cache_key_quark (void);
G_DEFINE_QUARK (hearth-render-tree-cache, cache_key)

typedef struct
{
  const char *name;
  const char *module;    /* NULL: none */
  guint32     kind;
} FunctionInfo;

struct _HearthTreeCache
{
  /* borrowed: the cache lives as long as the tree */
  HearthCallTree       *tree;
  HearthProfile        *profile;
  const HearthCallNode *nodes;

  /* owned */
  FunctionInfo        **functions;     /* lazily filled, one pointer per function */
  /* Hot per-frame data in flat arrays, one cache miss each:  */
  const char          **names;         /* lazily filled; NULL: not yet */
  guint32              *colors;        /* hash colour 0xRRGGBB | 1 << 24; 0: not yet */
  GHashTable           *label_widths;  /* HearthFont* → guint32[n_functions] */
  GArray               *elided;        /* memo: guint32 nodes */
  GBytes               *value_key;     /* memo: key of value */

  /* state */
  guint32               elided_zoom;
  guint                 elided_mask;
  double                value;
  guint64               total_a;
  guint64               total_b;
  guint                 n_nodes;
  guint                 n_functions;
};

static GMutex cache_lock;

static void
hearth_tree_cache_free (gpointer data)
{
  HearthTreeCache *self = data;

  for (guint i = 0; i < self->n_functions; i++)
    g_free (self->functions[i]);
  g_free (self->functions);
  g_free (self->names);
  g_free (self->colors);
  g_hash_table_unref (self->label_widths);
  g_clear_pointer (&self->elided, g_array_unref);
  g_clear_pointer (&self->value_key, g_bytes_unref);
  g_free (self);
}

HearthTreeCache *
_hearth_tree_cache_get (HearthCallTree *tree)
{
  HearthTreeCache *self;

  g_mutex_lock (&cache_lock);
  self = g_object_get_qdata (G_OBJECT (tree), cache_key_quark ());
  if (self == NULL)
    {
      self = g_new0 (HearthTreeCache, 1);
      self->tree = tree;
      self->profile = hearth_call_tree_get_profile (tree);
      self->n_nodes = hearth_call_tree_get_n_nodes (tree);
      self->total_a = hearth_call_tree_get_total_a (tree);
      self->total_b = hearth_call_tree_get_total_b (tree);
      /* The contract keeps nodes in one array, node 0 first. */
      self->nodes = hearth_call_tree_get_node (tree, 0);
      /* Functions only ever get appended: every id in the tree is below this. */
      self->n_functions = hearth_profile_get_n_functions (self->profile);
      self->functions = g_new0 (FunctionInfo *, MAX (self->n_functions, 1));
      self->names = g_new0 (const char *, MAX (self->n_functions, 1));
      self->colors = g_new0 (guint32, MAX (self->n_functions, 1));
      self->label_widths = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      g_object_set_qdata_full (G_OBJECT (tree), cache_key_quark (), self, hearth_tree_cache_free);
    }
  g_mutex_unlock (&cache_lock);

  return self;
}

const HearthCallNode *
_hearth_tree_cache_nodes (HearthTreeCache *cache)
{
  return cache->nodes;
}

guint64
_hearth_tree_cache_total_a (HearthTreeCache *cache)
{
  return cache->total_a;
}

guint64
_hearth_tree_cache_total_b (HearthTreeCache *cache)
{
  return cache->total_b;
}

guint
_hearth_tree_cache_n_nodes (HearthTreeCache *cache)
{
  return cache->n_nodes;
}

static const FunctionInfo *
function_info (HearthTreeCache *cache,
               guint32          f)
{
  FunctionInfo *info;
  HearthFunction fn;

  if (f >= cache->n_functions)
    return NULL;

  info = g_atomic_pointer_get (&cache->functions[f]);
  if (info != NULL)
    return info;

  info = g_new0 (FunctionInfo, 1);
  if (hearth_profile_get_function (cache->profile, f, &fn))
    {
      const char *module = hearth_profile_get_string (cache->profile, fn.module);

      info->name = hearth_profile_get_string (cache->profile, fn.name);
      info->module = module != NULL && *module != '\0' ? module : NULL;
      info->kind = fn.kind;
    }
  else
    {
      info->name = "";
      info->kind = HEARTH_FRAME_KIND_UNKNOWN;
    }

  /* Another thread may have won the race with identical contents. */
  if (!g_atomic_pointer_compare_and_exchange (&cache->functions[f], NULL, info))
    {
      g_free (info);
      info = g_atomic_pointer_get (&cache->functions[f]);
    }

  return info;
}

static inline guint32
node_function (HearthTreeCache *cache,
               guint32          node)
{
  return node < cache->n_nodes ? cache->nodes[node].function : HEARTH_NO_ID;
}

const char *
_hearth_tree_cache_function_name (HearthTreeCache *cache,
                                  guint32          f)
{
  const char *name;

  if (f == HEARTH_NO_ID)
    return "all";
  if (f >= cache->n_functions)
    return "";

  name = g_atomic_pointer_get (&cache->names[f]);
  if (name == NULL)
    {
      const FunctionInfo *info = function_info (cache, f);

      name = info->name;
      g_atomic_pointer_set (&cache->names[f], name);
    }

  return name;
}

HearthRgba
_hearth_tree_cache_function_color (HearthTreeCache *cache,
                                   guint32          f)
{
  guint32 packed;

  if (f >= cache->n_functions)
    return hearth_color_for_name (_hearth_tree_cache_function_name (cache, f));

  packed = (guint32) g_atomic_int_get ((gint *) &cache->colors[f]);
  if (packed == 0)
    {
      HearthRgba c = hearth_color_for_name (_hearth_tree_cache_function_name (cache, f));

      packed = 1u << 24
             | (guint32) (c.red * 255 + 0.5) << 16
             | (guint32) (c.green * 255 + 0.5) << 8
             | (guint32) (c.blue * 255 + 0.5);
      g_atomic_int_set ((gint *) &cache->colors[f], (gint) packed);
    }

  return (HearthRgba) { ((packed >> 16) & 0xff) / 255.0, ((packed >> 8) & 0xff) / 255.0,
                        (packed & 0xff) / 255.0, 1.0 };
}

const char *
_hearth_tree_cache_name (HearthTreeCache *cache,
                         guint32          node)
{
  if (node >= cache->n_nodes)
    return "";

  return _hearth_tree_cache_function_name (cache, node_function (cache, node));
}

const char *
_hearth_tree_cache_module (HearthTreeCache *cache,
                           guint32          node)
{
  const FunctionInfo *info = function_info (cache, node_function (cache, node));

  return info ? info->module : NULL;
}

guint
_hearth_tree_cache_kind (HearthTreeCache *cache,
                         guint32          node)
{
  const FunctionInfo *info = function_info (cache, node_function (cache, node));

  return info ? info->kind : HEARTH_FRAME_KIND_UNKNOWN;
}

HearthRgba
_hearth_tree_cache_name_color (HearthTreeCache *cache,
                               guint32          node)
{
  return _hearth_tree_cache_function_color (cache, node_function (cache, node));
}

guint32 *
_hearth_tree_cache_label_widths (HearthTreeCache *cache,
                                 HearthFont      *font)
{
  guint32 *widths;

  g_mutex_lock (&cache_lock);
  widths = g_hash_table_lookup (cache->label_widths, font);
  if (widths == NULL)
    {
      widths = g_new0 (guint32, MAX (cache->n_functions, 1));
      g_hash_table_insert (cache->label_widths, font, widths);
    }
  g_mutex_unlock (&cache_lock);

  return widths;
}

double
_hearth_tree_cache_label_width (HearthTreeCache *cache,
                                guint32         *widths,
                                guint32          f,
                                HearthFont      *font)
{
  guint32 bits;
  float width;

  if (f >= cache->n_functions)
    return _hearth_font_measure (font, _hearth_tree_cache_function_name (cache, f), -1);

  bits = (guint32) g_atomic_int_get ((gint *) &widths[f]);
  if (bits != 0)
    {
      memcpy (&width, &bits, sizeof width);
      return width;
    }

  width = (float) _hearth_font_measure (font, _hearth_tree_cache_function_name (cache, f), -1);
  memcpy (&bits, &width, sizeof bits);
  g_atomic_int_set ((gint *) &widths[f], (gint) bits);

  return width;
}

GArray *
_hearth_tree_cache_lookup_elided (HearthTreeCache *cache,
                                  guint32          zoom_root,
                                  guint            mask)
{
  GArray *ret = NULL;

  g_mutex_lock (&cache_lock);
  if (cache->elided != NULL && cache->elided_zoom == zoom_root && cache->elided_mask == mask)
    ret = g_array_ref (cache->elided);
  g_mutex_unlock (&cache_lock);

  return ret;
}

void
_hearth_tree_cache_store_elided (HearthTreeCache *cache,
                                 guint32          zoom_root,
                                 guint            mask,
                                 GArray          *nodes)
{
  g_mutex_lock (&cache_lock);
  g_clear_pointer (&cache->elided, g_array_unref);
  cache->elided = g_array_ref (nodes);
  cache->elided_zoom = zoom_root;
  cache->elided_mask = mask;
  g_mutex_unlock (&cache_lock);
}

gboolean
_hearth_tree_cache_lookup_value (HearthTreeCache *cache,
                                 gconstpointer    key,
                                 gsize            key_size,
                                 double          *value)
{
  gboolean found = FALSE;

  g_mutex_lock (&cache_lock);
  if (cache->value_key != NULL && g_bytes_get_size (cache->value_key) == key_size &&
      memcmp (g_bytes_get_data (cache->value_key, NULL), key, key_size) == 0)
    {
      *value = cache->value;
      found = TRUE;
    }
  g_mutex_unlock (&cache_lock);

  return found;
}

void
_hearth_tree_cache_store_value (HearthTreeCache *cache,
                                gconstpointer    key,
                                gsize            key_size,
                                double           value)
{
  g_mutex_lock (&cache_lock);
  g_clear_pointer (&cache->value_key, g_bytes_unref);
  cache->value_key = g_bytes_new (key, key_size);
  cache->value = value;
  g_mutex_unlock (&cache_lock);
}
