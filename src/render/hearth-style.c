/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hearth-style-private.h"

static const HearthThemeColors light_colors = {
  .background       = { 0.98, 0.98, 0.98, 1.0 },
  .text             = { 0.10, 0.10, 0.10, 1.0 },
  .text_dim         = { 0.40, 0.40, 0.40, 1.0 },
  .frame_text_dark  = { 0.08, 0.08, 0.08, 1.0 },
  .frame_text_light = { 0.98, 0.98, 0.98, 1.0 },
  .merged           = { 0.72, 0.72, 0.72, 1.0 },
  .accent           = { 0.11, 0.44, 0.85, 1.0 },
  .grid             = { 0.80, 0.80, 0.80, 1.0 },
  .running          = { 0.90, 0.42, 0.15, 1.0 },
  .sleeping         = { 0.45, 0.62, 0.85, 1.0 },
  .disk_wait        = { 0.60, 0.45, 0.80, 1.0 },
  .other            = { 0.65, 0.65, 0.65, 1.0 },
  .range_a          = { 0.11, 0.44, 0.85, 0.18 },
  .range_b          = { 0.90, 0.50, 0.05, 0.18 },
  .marker           = { 0.75, 0.10, 0.10, 1.0 },
};

static const HearthThemeColors dark_colors = {
  .background       = { 0.12, 0.12, 0.12, 1.0 },
  .text             = { 0.92, 0.92, 0.92, 1.0 },
  .text_dim         = { 0.62, 0.62, 0.62, 1.0 },
  .frame_text_dark  = { 0.08, 0.08, 0.08, 1.0 },
  .frame_text_light = { 0.96, 0.96, 0.96, 1.0 },
  .merged           = { 0.38, 0.38, 0.38, 1.0 },
  .accent           = { 0.47, 0.68, 0.93, 1.0 },
  .grid             = { 0.30, 0.30, 0.30, 1.0 },
  .running          = { 0.95, 0.50, 0.20, 1.0 },
  .sleeping         = { 0.35, 0.52, 0.78, 1.0 },
  .disk_wait        = { 0.58, 0.42, 0.78, 1.0 },
  .other            = { 0.45, 0.45, 0.45, 1.0 },
  .range_a          = { 0.47, 0.68, 0.93, 0.22 },
  .range_b          = { 0.98, 0.62, 0.20, 0.22 },
  .marker           = { 0.95, 0.35, 0.35, 1.0 },
};

void
hearth_style_init (HearthStyle *style)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  style->scheme = HEARTH_COLOR_SCHEME_HASH;
  style->theme = HEARTH_THEME_LIGHT;
  style->font_family = "Sans";
  style->font_size = 12.0;
  style->selected_node = HEARTH_NO_ID;
  hearth_diff_options_init (&style->diff_options);
}

void
hearth_diff_options_init (HearthDiffOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->normalize = HEARTH_DIFF_NORMALIZE_SHARE;
  options->measure = HEARTH_DIFF_MEASURE_TOTAL;
  options->palette = HEARTH_DIFF_PALETTE_RED_BLUE;
  options->threshold = 0.02;
}

const HearthThemeColors *
hearth_theme_get_colors (HearthTheme theme)
{
  return theme == HEARTH_THEME_DARK ? &dark_colors : &light_colors;
}

HearthRgba
_hearth_style_node_color_cached (const HearthStyle *style,
                                 HearthTreeCache   *cache,
                                 guint32            node)
{
  const HearthCallNode *n = &_hearth_tree_cache_nodes (cache)[node];

  if (n->function == HEARTH_NO_ID || style->scheme == HEARTH_COLOR_SCHEME_HASH)
    return _hearth_tree_cache_name_color (cache, node);

  switch (style->scheme)
    {
    case HEARTH_COLOR_SCHEME_MODULE:
      return hearth_color_for_module (_hearth_tree_cache_module (cache, node));

    case HEARTH_COLOR_SCHEME_STATE:
      if (style->running_share != NULL && node < style->n_running_share)
        return hearth_color_for_running (style->running_share[node]);
      return hearth_color_for_kind (_hearth_tree_cache_kind (cache, node),
                                    _hearth_tree_cache_name (cache, node));

    case HEARTH_COLOR_SCHEME_KIND:
    case HEARTH_COLOR_SCHEME_HASH:
    default:
      return hearth_color_for_kind (_hearth_tree_cache_kind (cache, node),
                                    _hearth_tree_cache_name (cache, node));
    }
}

HearthRgba
hearth_style_node_color (const HearthStyle *style,
                         HearthCallTree    *tree,
                         guint32            node)
{
  g_return_val_if_fail (style != NULL, hearth_color_for_name (NULL));
  g_return_val_if_fail (HEARTH_IS_CALL_TREE (tree), hearth_color_for_name (NULL));
  g_return_val_if_fail (node < hearth_call_tree_get_n_nodes (tree), hearth_color_for_name (NULL));

  return _hearth_style_node_color_cached (style, _hearth_tree_cache_get (tree), node);
}

double
_hearth_diff_node_delta_cached (HearthTreeCache         *cache,
                                guint32                  node,
                                const HearthDiffOptions *options)
{
  const HearthCallNode *n = &_hearth_tree_cache_nodes (cache)[node];
  gboolean self = options->measure == HEARTH_DIFF_MEASURE_SELF;
  guint64 a = self ? n->self_a : n->total_a;
  guint64 b = self ? n->self_b : n->total_b;

  if (options->normalize == HEARTH_DIFF_NORMALIZE_RATE)
    {
      double ra = options->seconds_a > 0 ? a / options->seconds_a : 0;
      double rb = options->seconds_b > 0 ? b / options->seconds_b : 0;

      return rb - ra;
    }

  return hearth_diff_delta (a, _hearth_tree_cache_total_a (cache),
                            b, _hearth_tree_cache_total_b (cache));
}

double
hearth_diff_node_delta (HearthCallTree          *tree,
                        guint32                  node,
                        const HearthDiffOptions *options)
{
  g_return_val_if_fail (HEARTH_IS_CALL_TREE (tree), 0);
  g_return_val_if_fail (options != NULL, 0);
  g_return_val_if_fail (node < hearth_call_tree_get_n_nodes (tree), 0);

  return _hearth_diff_node_delta_cached (_hearth_tree_cache_get (tree), node, options);
}

double
hearth_diff_compute_range (HearthCallTree          *tree,
                           const HearthDiffOptions *options)
{
  HearthTreeCache *cache;
  guint n_nodes;
  double range = 0;

  g_return_val_if_fail (HEARTH_IS_CALL_TREE (tree), 1e-9);
  g_return_val_if_fail (options != NULL, 1e-9);

  cache = _hearth_tree_cache_get (tree);
  n_nodes = _hearth_tree_cache_n_nodes (cache);

  /* A whole-tree pass: remembered per tree for the last options. Only the
   * fields that change deltas make the key (memcmp-safe: no padding). */
  {
    double key[4] = { options->normalize, options->measure, options->seconds_a, options->seconds_b };

    if (_hearth_tree_cache_lookup_value (cache, key, sizeof key, &range))
      return range;

    /* The root's total always balances out under SHARE; skip it. */
    for (guint i = 1; i < n_nodes; i++)
      range = MAX (range, fabs (_hearth_diff_node_delta_cached (cache, i, options)));
    range = range > 0 ? range : 1e-9;

    _hearth_tree_cache_store_value (cache, key, sizeof key, range);
  }

  return range;
}

HearthRgba
hearth_diff_color (double                   delta,
                   double                   range,
                   const HearthDiffOptions *options,
                   HearthTheme              theme)
{
  double intensity;

  if (!(range > 0) || isnan (delta))
    return hearth_color_for_delta (0, options->palette, theme);

  intensity = delta / range;
  if (fabs (intensity) < options->threshold)
    intensity = 0;

  return hearth_color_for_delta (intensity, options->palette, theme);
}

HearthRgba
_hearth_style_item_color_cached (const HearthStyle      *style,
                                 HearthTreeCache        *cache,
                                 const HearthLayoutItem *item,
                                 double                  range)
{
  if (item->flags & HEARTH_LAYOUT_ITEM_MERGED)
    return hearth_theme_get_colors (style->theme)->merged;

  if (style->diff)
    return hearth_diff_color (_hearth_diff_node_delta_cached (cache, item->node, &style->diff_options),
                              range, &style->diff_options, style->theme);

  /* The common case without touching the node itself. */
  if (style->scheme == HEARTH_COLOR_SCHEME_HASH)
    return _hearth_tree_cache_function_color (cache, item->function);

  return _hearth_style_node_color_cached (style, cache, item->node);
}

HearthRgba
hearth_style_item_color (const HearthStyle      *style,
                         HearthLayout           *layout,
                         const HearthLayoutItem *item,
                         double                  range)
{
  HearthCallTree *tree = hearth_layout_get_tree (layout);

  return _hearth_style_item_color_cached (style, _hearth_tree_cache_get (tree), item, range);
}

/* Pair up the nodes of two trees built from the same samples: siblings
 * are sorted the same way, so the i-th children correspond. */
static gboolean
walk_pair (HearthCallTree *tree,
           HearthCallTree *split,
           float          *share)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint32) * 2);
  guint32 roots[2] = { 0, 0 };

  g_array_append_val (stack, roots);
  while (stack->len > 0)
    {
      guint32 pair[2];
      const HearthCallNode *n, *m;

      memcpy (pair, (guint32 *) (gpointer) stack->data + 2 * (stack->len - 1), sizeof pair);
      g_array_set_size (stack, stack->len - 1);

      n = hearth_call_tree_get_node (tree, pair[0]);
      m = hearth_call_tree_get_node (split, pair[1]);
      if (n->function != m->function || n->n_children != m->n_children)
        return FALSE;

      share[pair[0]] = m->total_a > 0 ? (float) ((double) m->total_b / (double) m->total_a) : 0.0f;

      for (guint i = 0; i < n->n_children; i++)
        {
          guint32 child[2] = {
            hearth_call_tree_get_child (tree, pair[0], i),
            hearth_call_tree_get_child (split, pair[1], i),
          };
          g_array_append_val (stack, child);
        }
    }

  return TRUE;
}

float *
hearth_style_running_share_new (HearthProfile         *profile,
                                const HearthSelection *selection,
                                HearthCallTree        *tree)
{
  HearthSelection all = {0};
  HearthSelection running;
  guint n_stacks;
  g_autofree guint64 *counts_all = NULL;
  g_autofree guint64 *counts_running = NULL;
  g_autoptr(HearthCallTree) split = NULL;
  g_autofree float *share = NULL;

  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (HEARTH_IS_CALL_TREE (tree), NULL);

  if (selection != NULL)
    all = *selection;
  all.running_only = FALSE;
  running = all;
  running.running_only = TRUE;

  n_stacks = hearth_profile_get_n_stacks (profile);
  counts_all = g_new0 (guint64, MAX (n_stacks, 1));
  counts_running = g_new0 (guint64, MAX (n_stacks, 1));
  hearth_profile_accumulate_stacks (profile, &all, counts_all, n_stacks);
  hearth_profile_accumulate_stacks (profile, &running, counts_running, n_stacks);

  /* B holds the running samples: a subset of A, so the shapes match. */
  split = hearth_call_tree_new_from_counts (profile, counts_all, counts_running, n_stacks,
                                            hearth_call_tree_get_kind (tree));
  if (split == NULL ||
      hearth_call_tree_get_n_nodes (split) != hearth_call_tree_get_n_nodes (tree))
    return NULL;

  share = g_new0 (float, hearth_call_tree_get_n_nodes (tree));
  if (!walk_pair (tree, split, share))
    return NULL;

  return g_steal_pointer (&share);
}
