/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hearth-layout-private.h"
#include "hearth-tree-cache-private.h"

G_DEFINE_BOXED_TYPE (HearthLayout, hearth_layout, hearth_layout_ref, hearth_layout_unref)

#define DEFAULT_ROW_HEIGHT        18.0
#define DEFAULT_MIN_WIDTH          1.0
#define DEFAULT_STRIP_LABEL_WIDTH 110.0
#define DEFAULT_MIN_RING_WIDTH    14.0
#define SUNBURST_MARGIN            2.0

static inline double
node_weight (const HearthCallNode *n,
             double                ka,
             double                kb)
{
  return ka * (double) n->total_a + kb * (double) n->total_b;
}

void
hearth_layout_options_init (HearthLayoutOptions *options,
                            HearthViewKind       view,
                            double               width,
                            double               height)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->view = view;
  options->width = width;
  options->height = height;
  options->row_height = DEFAULT_ROW_HEIGHT;
  options->min_width = DEFAULT_MIN_WIDTH;
  options->scale_a = 1.0;
  options->scale_b = 0.0;
  options->strip_label_width = DEFAULT_STRIP_LABEL_WIDTH;
  options->min_ring_width = DEFAULT_MIN_RING_WIDTH;
}

void
hearth_layout_options_set_width_by (HearthLayoutOptions *options,
                                    HearthCallTree      *tree,
                                    HearthWidthBy        width_by,
                                    double               seconds_a,
                                    double               seconds_b)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (HEARTH_IS_CALL_TREE (tree));

  switch (width_by)
    {
    case HEARTH_WIDTH_BY_A:
      options->scale_a = 1.0;
      options->scale_b = 0.0;
      break;

    case HEARTH_WIDTH_BY_B:
      options->scale_a = 0.0;
      options->scale_b = 1.0;
      break;

    case HEARTH_WIDTH_BY_UNION:
    default:
      if (seconds_a > 0 && seconds_b > 0)
        {
          options->scale_a = 1.0 / seconds_a;
          options->scale_b = 1.0 / seconds_b;
        }
      else
        {
          guint64 ta = hearth_call_tree_get_total_a (tree);
          guint64 tb = hearth_call_tree_get_total_b (tree);

          options->scale_a = ta ? 1.0 / (double) ta : 0.0;
          options->scale_b = tb ? 1.0 / (double) tb : 0.0;
        }
      break;
    }
}

/* Fill geometry from (row, span) for the layout's view. */
static void
set_geometry (HearthLayout     *self,
              HearthLayoutItem *item,
              double            s0,
              double            s1)
{
  const HearthLayoutOptions *o = &self->options;

  if (o->view == HEARTH_VIEW_SUNBURST)
    {
      item->r0 = item->row == 0 ? 0.0 : item->row * self->ring_width;
      item->r1 = (item->row + 1) * self->ring_width;
      item->a0 = s0;
      item->a1 = s1;
      _hearth_arc_bounds (self->cx, self->cy, item->r0, item->r1, s0, s1,
                          &item->x, &item->y, &item->width, &item->height);
    }
  else
    {
      item->x = s0;
      item->width = s1 - s0;
      item->height = o->row_height;
      if (o->view == HEARTH_VIEW_FLAME)
        item->y = self->main_y1 - (item->row + 1) * o->row_height;
      else
        item->y = self->main_y0 + item->row * o->row_height;
    }
}

static guint
emit (HearthLayout *self,
      guint32       node,
      guint         flags,
      guint         n_merged,
      guint32       row,
      guint32       parent_item,
      double        s0,
      double        s1)
{
  HearthLayoutItem item = {0};

  item.node = node;
  item.function = (flags & HEARTH_LAYOUT_ITEM_MERGED) ? HEARTH_NO_ID : self->nodes[node].function;
  item.flags = flags;
  item.n_merged = MIN (n_merged, G_MAXUINT16);
  item.row = row;
  item.parent_item = parent_item;
  set_geometry (self, &item, s0, s1);
  g_array_append_val (self->items, item);

  return self->items->len - 1;
}

static gboolean
row_fits (HearthLayout *self,
          guint32       row)
{
  const HearthLayoutOptions *o = &self->options;

  if (o->view == HEARTH_VIEW_SUNBURST)
    return (row + 1) * self->ring_width <= self->radius + 1e-6;

  return self->main_y0 + (row + 1) * o->row_height <= self->main_y1 + 1e-6;
}

/* Narrowest span (px, or radians for rings) an item of this row may have. */
static double
min_span (HearthLayout *self,
          guint32       row)
{
  if (self->options.view == HEARTH_VIEW_SUNBURST)
    return self->options.min_width / ((row + 0.5) * self->ring_width);

  return self->options.min_width;
}

static inline double
span_start (HearthLayout           *self,
            const HearthLayoutItem *item)
{
  return self->options.view == HEARTH_VIEW_SUNBURST ? item->a0 : item->x;
}

/* Level order: items of one row are emitted left to right from the
 * items of the previous row, so the array is sorted by (row, start)
 * without a sort. */
static void
layout_descendants (HearthLayout *self,
                    guint         first,
                    double        span_per_weight)
{
  guint row_begin = first;
  guint row_end = self->items->len;
  guint32 row = g_array_index (self->items, HearthLayoutItem, first).row + 1;

  while (row_begin < row_end && row_fits (self, row))
    {
      double min = min_span (self, row);

      for (guint i = row_begin; i < row_end; i++)
        {
          HearthLayoutItem parent = g_array_index (self->items, HearthLayoutItem, i);
          const HearthCallNode *pn;
          double cursor, run_start = 0, run_span = 0;
          guint run_n = 0;

          if (parent.flags & HEARTH_LAYOUT_ITEM_MERGED)
            continue;

          pn = &self->nodes[parent.node];
          cursor = span_start (self, &parent);

          for (guint c = 0; c < pn->n_children; c++)
            {
              guint32 child = hearth_call_tree_get_child (self->tree, parent.node, c);
              const HearthCallNode *cn = &self->nodes[child];
              double span = node_weight (cn, self->ka, self->kb) * span_per_weight;

              if (span <= 0)
                continue;

              if (span >= min)
                {
                  if (run_n > 0 && run_span >= min)
                    emit (self, parent.node, HEARTH_LAYOUT_ITEM_MERGED, run_n, row, i,
                          run_start, run_start + run_span);
                  run_n = 0;
                  run_span = 0;
                  emit (self, child, 0, 0, row, i, cursor, cursor + span);
                }
              else
                {
                  if (run_n == 0)
                    run_start = cursor;
                  run_n++;
                  run_span += span;
                }

              cursor += span;
            }

          if (run_n > 0 && run_span >= min)
            emit (self, parent.node, HEARTH_LAYOUT_ITEM_MERGED, run_n, row, i,
                  run_start, run_start + run_span);
        }

      if (self->items->len > row_end)
        {
          g_array_append_val (self->row_starts, row_end);
          self->n_rows = row + 1;
        }

      row_begin = row_end;
      row_end = self->items->len;
      row++;
    }
}

typedef struct
{
  guint32 node;
  double  weight;
} Elided;

static int
compare_elided (gconstpointer a,
                gconstpointer b)
{
  const Elided *ea = a, *eb = b;

  if (ea->weight != eb->weight)
    return ea->weight > eb->weight ? -1 : 1;
  return ea->node < eb->node ? -1 : ea->node > eb->node;
}

/* Outermost frames of the zoom subtree that weigh nothing in the width
 * column but something on the other side. A subtree that weighs nothing
 * on the other side cannot hold one and is skipped. The list only
 * depends on which columns are zero, so it is remembered per tree. */
static GArray *
collect_elided (HearthLayout *self)
{
  HearthTreeCache *cache = _hearth_tree_cache_get (self->tree);
  guint mask = (self->ka > 0) | (self->kb > 0) << 1 | (self->oa > 0) << 2 | (self->ob > 0) << 3;
  GArray *nodes = _hearth_tree_cache_lookup_elided (cache, self->zoom_root, mask);
  g_autoptr(GArray) stack = NULL;

  if (nodes != NULL)
    return nodes;

  nodes = g_array_new (FALSE, FALSE, sizeof (guint32));
  stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (stack, self->zoom_root);
  while (stack->len > 0)
    {
      guint32 id = g_array_index (stack, guint32, stack->len - 1);
      const HearthCallNode *n = &self->nodes[id];

      g_array_set_size (stack, stack->len - 1);

      if (node_weight (n, self->oa, self->ob) <= 0)
        continue;

      if (node_weight (n, self->ka, self->kb) <= 0)
        {
          g_array_append_val (nodes, id);
          continue;
        }

      for (guint i = 0; i < n->n_children; i++)
        {
          guint32 child = hearth_call_tree_get_child (self->tree, id, i);
          g_array_append_val (stack, child);
        }
    }

  _hearth_tree_cache_store_elided (cache, self->zoom_root, mask, nodes);
  return nodes;
}

/* The strip: elided frames at their width on the other side, biggest
 * first. Only frames that get a pixel or more are sorted (at most a few
 * thousand however many there are); the rest become one "…" block. */
static void
layout_strip (HearthLayout *self,
              GArray       *elided)
{
  const HearthLayoutOptions *o = &self->options;
  double other_total = node_weight (&self->nodes[self->zoom_root], self->oa, self->ob);
  double x0 = self->strip_x + o->strip_label_width;
  double avail = MAX (0.0, self->strip_x + self->strip_width - x0);
  double scale = other_total > 0 ? avail / other_total : 0;
  g_autoptr(GArray) wide = g_array_new (FALSE, FALSE, sizeof (Elided));
  double cursor = x0;
  double rest = 0;
  guint n_rest = 0;

  for (guint i = 0; i < elided->len; i++)
    {
      guint32 id = g_array_index (elided, guint32, i);
      Elided e = { id, node_weight (&self->nodes[id], self->oa, self->ob) };

      if (e.weight * scale >= o->min_width)
        {
          g_array_append_val (wide, e);
        }
      else
        {
          rest += e.weight * scale;
          n_rest++;
        }
    }
  g_array_sort (wide, compare_elided);

  self->strip_first = self->items->len;

  for (guint i = 0; i < wide->len; i++)
    {
      const Elided *e = &g_array_index (wide, Elided, i);
      HearthLayoutItem item = {0};

      item.node = e->node;
      item.function = self->nodes[e->node].function;
      item.flags = HEARTH_LAYOUT_ITEM_ELIDED;
      item.row = G_MAXUINT32;
      item.parent_item = G_MAXUINT32;
      item.x = cursor;
      item.y = self->strip_y;
      item.width = e->weight * scale;
      item.height = self->strip_height;
      g_array_append_val (self->items, item);
      cursor += item.width;
    }

  /* Everything too narrow to show on its own becomes one "…" block, at
   * least a few pixels wide so it stays visible and clickable. */
  if (n_rest > 0)
    {
      HearthLayoutItem item = {0};

      item.node = self->zoom_root;
      item.function = HEARTH_NO_ID;
      item.flags = HEARTH_LAYOUT_ITEM_ELIDED | HEARTH_LAYOUT_ITEM_MERGED;
      item.n_merged = MIN (n_rest, G_MAXUINT16);
      item.row = G_MAXUINT32;
      item.parent_item = G_MAXUINT32;
      item.x = cursor;
      item.y = self->strip_y;
      item.width = MIN (MAX (rest, 4.0), MAX (0.0, x0 + avail - cursor));
      item.height = self->strip_height;
      if (item.width > 0)
        g_array_append_val (self->items, item);
    }
}

static void
choose_columns (HearthLayout *self)
{
  const HearthCallNode *z = &self->nodes[self->zoom_root];
  double ka = self->options.scale_a, kb = self->options.scale_b;

  self->ka = ka;
  self->kb = kb;
  /* Only a one-sided width has an "other side" to elide. */
  self->oa = (ka == 0 || kb == 0) ? kb : 0;
  self->ob = (ka == 0 || kb == 0) ? ka : 0;

  if (node_weight (z, ka, kb) <= 0 && node_weight (z, self->oa, self->ob) > 0)
    {
      self->ka = self->oa;
      self->kb = self->ob;
      self->oa = ka;
      self->ob = kb;
      self->swapped = TRUE;
    }
}

static void
layout_main (HearthLayout *self,
             gboolean      with_strip)
{
  const HearthLayoutOptions *o = &self->options;
  const HearthCallNode *z = &self->nodes[self->zoom_root];
  double strip_h = with_strip ? o->row_height : 0;
  guint zoom_item;

  self->main_y0 = 0;
  self->main_y1 = o->height;
  self->strip_x = 0;
  self->strip_width = o->width;
  self->strip_height = strip_h;

  /* The strip takes the far edge: below an icicle or sunburst, above a flame. */
  if (o->view == HEARTH_VIEW_FLAME)
    {
      self->strip_y = 0;
      self->main_y0 = strip_h;
    }
  else
    {
      self->strip_y = o->height - strip_h;
      self->main_y1 = o->height - strip_h;
    }

  g_array_set_size (self->items, 0);
  g_array_set_size (self->row_starts, 0);
  self->n_rows = 0;

  if (o->view == HEARTH_VIEW_SUNBURST)
    {
      guint32 rel_depth = (self->zoom_root == 0 ? hearth_call_tree_get_max_depth (self->tree)
                                                : _hearth_subtree_max_depth (self->tree, self->zoom_root))
                          - z->depth;
      double avail_h = self->main_y1 - self->main_y0;

      self->radius = MAX (0.0, MIN (o->width, avail_h) / 2.0 - SUNBURST_MARGIN);
      self->cx = o->width / 2.0;
      self->cy = self->main_y0 + avail_h / 2.0;
      self->ring_width = MAX (self->radius / (rel_depth + 1), o->min_ring_width);

      if (self->ring_width > self->radius)
        return;

      g_array_append_val (self->row_starts, self->items->len);
      zoom_item = emit (self, self->zoom_root, HEARTH_LAYOUT_ITEM_ZOOM_ROOT, 0, 0,
                        G_MAXUINT32, 0, 2 * G_PI);
      self->n_rows = 1;
      if (self->zoom_weight > 0)
        layout_descendants (self, zoom_item, 2 * G_PI / self->zoom_weight);
      return;
    }

  {
    g_autofree guint32 *chain = g_new (guint32, z->depth + 1);
    guint32 parent_item = G_MAXUINT32;
    guint32 id = self->zoom_root;

    for (gint d = z->depth; d >= 0; d--)
      {
        chain[d] = id;
        id = self->nodes[id].parent;
      }

    for (guint32 d = 0; d <= z->depth; d++)
      {
        guint flags = d == z->depth ? HEARTH_LAYOUT_ITEM_ZOOM_ROOT : HEARTH_LAYOUT_ITEM_ANCESTOR;

        if (!row_fits (self, d))
          return;

        g_array_append_val (self->row_starts, self->items->len);
        parent_item = emit (self, chain[d], flags, 0, d, parent_item, 0, o->width);
        self->n_rows = d + 1;
      }

    zoom_item = parent_item;
  }

  if (self->zoom_weight > 0)
    layout_descendants (self, zoom_item, o->width / self->zoom_weight);
}

static void
build_node_index (HearthLayout *self)
{
  guint n_nodes = hearth_call_tree_get_n_nodes (self->tree);

  self->node_items = g_new (guint32, n_nodes);
  memset (self->node_items, 0xff, n_nodes * sizeof (guint32));

  for (guint i = 0; i < self->items->len; i++)
    {
      const HearthLayoutItem *item = &g_array_index (self->items, HearthLayoutItem, i);

      if (!(item->flags & HEARTH_LAYOUT_ITEM_MERGED) && item->node < n_nodes)
        self->node_items[item->node] = i;
    }
}

HearthLayout *
hearth_layout_new (HearthCallTree            *tree,
                   const HearthLayoutOptions *options)
{
  HearthLayout *self;
  g_autoptr(GArray) elided = NULL;

  g_return_val_if_fail (HEARTH_IS_CALL_TREE (tree), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self = g_atomic_rc_box_new0 (HearthLayout);
  self->tree = g_object_ref (tree);
  self->nodes = _hearth_tree_cache_nodes (_hearth_tree_cache_get (tree));
  self->options = *options;
  self->items = g_array_new (FALSE, FALSE, sizeof (HearthLayoutItem));
  self->row_starts = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!(self->options.row_height > 0))
    self->options.row_height = DEFAULT_ROW_HEIGHT;
  if (!(self->options.min_width > 0))
    self->options.min_width = DEFAULT_MIN_WIDTH;
  if (!(self->options.strip_label_width >= 0))
    self->options.strip_label_width = DEFAULT_STRIP_LABEL_WIDTH;
  if (!(self->options.min_ring_width > 0))
    self->options.min_ring_width = DEFAULT_MIN_RING_WIDTH;
  if (!(self->options.width > 0))
    self->options.width = 0;
  if (!(self->options.height > 0))
    self->options.height = 0;

  self->zoom_root = options->zoom_root;
  if (self->zoom_root >= hearth_call_tree_get_n_nodes (tree))
    self->zoom_root = 0;

  choose_columns (self);
  self->zoom_weight = node_weight (&self->nodes[self->zoom_root],
                                   self->ka, self->kb);

  if (node_weight (&self->nodes[self->zoom_root], self->oa, self->ob) > 0)
    elided = collect_elided (self);

  self->has_strip = elided != NULL && elided->len > 0;
  layout_main (self, self->has_strip);

  self->strip_first = self->items->len;
  if (self->has_strip)
    layout_strip (self, elided);

  g_array_append_val (self->row_starts, self->strip_first);
  build_node_index (self);

  return self;
}

HearthLayout *
hearth_layout_ref (HearthLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
hearth_layout_clear (HearthLayout *self)
{
  g_clear_object (&self->tree);
  g_clear_pointer (&self->items, g_array_unref);
  g_clear_pointer (&self->row_starts, g_array_unref);
  g_clear_pointer (&self->node_items, g_free);
}

void
hearth_layout_unref (HearthLayout *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) hearth_layout_clear);
}
