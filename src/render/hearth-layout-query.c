/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "hearth-layout-private.h"

static inline void
polar (double  cx,
       double  cy,
       double  r,
       double  a,
       double *x,
       double *y)
{
  *x = cx + r * sin (a);
  *y = cy - r * cos (a);
}

void
_hearth_arc_bounds (double  cx,
                    double  cy,
                    double  r0,
                    double  r1,
                    double  a0,
                    double  a1,
                    double *x,
                    double *y,
                    double *width,
                    double *height)
{
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE;
  double max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  double radii[2] = { r0, r1 };
  double angles[2] = { a0, a1 };

#define ADD_POINT(px, py) G_STMT_START { \
    min_x = MIN (min_x, px); max_x = MAX (max_x, px); \
    min_y = MIN (min_y, py); max_y = MAX (max_y, py); } G_STMT_END

  for (guint i = 0; i < 2; i++)
    for (guint j = 0; j < 2; j++)
      {
        double px, py;

        polar (cx, cy, radii[i], angles[j], &px, &py);
        ADD_POINT (px, py);
      }

  /* The outer edge bulges past its end points where it crosses an axis. */
  for (guint k = 0; k <= 4; k++)
    {
      double a = k * G_PI_2;

      if (a > a0 && a < a1)
        {
          double px, py;

          polar (cx, cy, r1, a, &px, &py);
          ADD_POINT (px, py);
        }
    }

#undef ADD_POINT

  *x = min_x;
  *y = min_y;
  *width = max_x - min_x;
  *height = max_y - min_y;
}

/* Last item in [begin, end) whose span starts at or before pos, if pos
 * is inside it. */
static const HearthLayoutItem *
search_span (HearthLayout *self,
             guint         begin,
             guint         end,
             double        pos,
             gboolean      angular)
{
  const HearthLayoutItem *items = (const HearthLayoutItem *) (gpointer) self->items->data;
  guint lo = begin, hi = end;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      double start = angular ? items[mid].a0 : items[mid].x;

      if (start <= pos)
        lo = mid + 1;
      else
        hi = mid;
    }

  if (lo == begin)
    return NULL;

  lo--;
  if (angular ? pos < items[lo].a1 : pos < items[lo].x + items[lo].width)
    return &items[lo];

  return NULL;
}

const HearthLayoutItem *
hearth_layout_hit_test (HearthLayout *self,
                        double        x,
                        double        y)
{
  const HearthLayoutOptions *o;
  guint row;

  g_return_val_if_fail (self != NULL, NULL);

  o = &self->options;

  if (isnan (x) || isnan (y))
    return NULL;

  if (self->has_strip &&
      y >= self->strip_y && y < self->strip_y + self->strip_height)
    return search_span (self, self->strip_first, self->items->len, x, FALSE);

  if (o->view == HEARTH_VIEW_SUNBURST)
    {
      double dx = x - self->cx, dy = y - self->cy;
      double r = hypot (dx, dy);
      double a;

      if (self->ring_width <= 0 || r >= self->n_rows * self->ring_width)
        return NULL;

      row = (guint) (r / self->ring_width);
      a = atan2 (dx, -dy);
      if (a < 0)
        a += 2 * G_PI;

      return search_span (self,
                          g_array_index (self->row_starts, guint, row),
                          g_array_index (self->row_starts, guint, row + 1),
                          a, TRUE);
    }

  if (y < self->main_y0 || y >= self->main_y1)
    return NULL;

  if (o->view == HEARTH_VIEW_FLAME)
    row = (guint) floor ((self->main_y1 - y) / o->row_height);
  else
    row = (guint) floor ((y - self->main_y0) / o->row_height);

  if (row >= self->n_rows)
    return NULL;

  return search_span (self,
                      g_array_index (self->row_starts, guint, row),
                      g_array_index (self->row_starts, guint, row + 1),
                      x, FALSE);
}

const HearthLayoutItem *
hearth_layout_find_node (HearthLayout *self,
                         guint32       node)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (node >= hearth_call_tree_get_n_nodes (self->tree) ||
      self->node_items[node] == G_MAXUINT32)
    return NULL;

  return &g_array_index (self->items, HearthLayoutItem, self->node_items[node]);
}

HearthCallTree *
hearth_layout_get_tree (HearthLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->tree;
}

const HearthLayoutOptions *
hearth_layout_get_options (HearthLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->options;
}

const HearthLayoutItem *
hearth_layout_get_items (HearthLayout *self,
                         guint        *n_items)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_items)
    *n_items = self->items->len;

  return (const HearthLayoutItem *) (gpointer) self->items->data;
}

guint
hearth_layout_get_n_items (HearthLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->items->len;
}

const HearthLayoutItem *
hearth_layout_get_item (HearthLayout *self,
                        guint         index)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (index >= self->items->len)
    return NULL;

  return &g_array_index (self->items, HearthLayoutItem, index);
}

double
hearth_layout_get_node_weight (HearthLayout *self,
                               guint32       node)
{
  const HearthCallNode *n;

  g_return_val_if_fail (self != NULL, 0);

  if (node >= hearth_call_tree_get_n_nodes (self->tree))
    return 0;

  n = hearth_call_tree_get_node (self->tree, node);
  return self->ka * (double) n->total_a + self->kb * (double) n->total_b;
}

double
hearth_layout_get_node_other_weight (HearthLayout *self,
                                     guint32       node)
{
  const HearthCallNode *n;

  g_return_val_if_fail (self != NULL, 0);

  if (node >= hearth_call_tree_get_n_nodes (self->tree))
    return 0;

  n = hearth_call_tree_get_node (self->tree, node);
  return self->oa * (double) n->total_a + self->ob * (double) n->total_b;
}

double
hearth_layout_get_zoom_weight (HearthLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->zoom_weight;
}

guint32
hearth_layout_get_zoom_root (HearthLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->zoom_root;
}

gboolean
hearth_layout_get_swapped (HearthLayout *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->swapped;
}

guint
hearth_layout_get_n_rows (HearthLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_rows;
}

gboolean
hearth_layout_get_strip (HearthLayout *self,
                         double       *x,
                         double       *y,
                         double       *width,
                         double       *height)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (x) *x = self->strip_x;
  if (y) *y = self->strip_y;
  if (width) *width = self->strip_width;
  if (height) *height = self->strip_height;

  return self->has_strip;
}

void
hearth_layout_get_sunburst_geometry (HearthLayout *self,
                                     double       *cx,
                                     double       *cy,
                                     double       *ring_width)
{
  g_return_if_fail (self != NULL);

  if (cx) *cx = self->cx;
  if (cy) *cy = self->cy;
  if (ring_width) *ring_width = self->ring_width;
}

guint32
_hearth_subtree_max_depth (HearthCallTree *tree,
                           guint32         root)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 max_depth = hearth_call_tree_get_node (tree, root)->depth;

  g_array_append_val (stack, root);
  while (stack->len > 0)
    {
      guint32 id = g_array_index (stack, guint32, stack->len - 1);
      const HearthCallNode *n = hearth_call_tree_get_node (tree, id);

      g_array_set_size (stack, stack->len - 1);
      max_depth = MAX (max_depth, n->depth);
      for (guint i = 0; i < n->n_children; i++)
        {
          guint32 child = hearth_call_tree_get_child (tree, id, i);
          g_array_append_val (stack, child);
        }
    }

  return max_depth;
}

double
hearth_layout_measure_height (HearthCallTree *tree,
                              guint32         zoom_root,
                              double          row_height)
{
  g_return_val_if_fail (HEARTH_IS_CALL_TREE (tree), 0);

  if (zoom_root >= hearth_call_tree_get_n_nodes (tree))
    zoom_root = 0;
  if (!(row_height > 0))
    row_height = 18.0;

  if (zoom_root == 0)
    return (hearth_call_tree_get_max_depth (tree) + 1) * row_height;

  return (_hearth_subtree_max_depth (tree, zoom_root) + 1) * row_height;
}
