/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hearth-painter-private.h"
#include "hearth-style-private.h"

/* The painter's words: SVG titles, tooltips, the diff legend. */

static void
append_count (GString *out,
              guint64  n)
{
  char digits[32];
  int len = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, n);

  for (int i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
}

char *
hearth_painter_format_count (guint64 n)
{
  GString *out = g_string_new (NULL);

  append_count (out, n);
  return g_string_free (out, FALSE);
}

static void
append_percent (GString *out,
                double   share)
{
  double p = share * 100.0;

  if (p != 0 && fabs (p) < 0.1)
    g_string_append_printf (out, "%.3f%%", p);
  else
    g_string_append_printf (out, "%.1f%%", p);
}

char *
hearth_painter_format_delta (double              delta,
                             HearthDiffNormalize normalize)
{
  if (normalize == HEARTH_DIFF_NORMALIZE_RATE)
    return g_strdup_printf ("%+.1f/s", delta);

  if (delta != 0 && fabs (delta) < 0.01)
    return g_strdup_printf ("%+.2f%%", delta * 100.0);
  return g_strdup_printf ("%+.1f%%", delta * 100.0);
}

static const char *
node_module (HearthCallTree *tree,
             guint32         node)
{
  const HearthCallNode *n = hearth_call_tree_get_node (tree, node);
  HearthProfile *profile = hearth_call_tree_get_profile (tree);
  HearthFunction fn;
  const char *module, *slash;

  if (n->function == HEARTH_NO_ID || !hearth_profile_get_function (profile, n->function, &fn))
    return NULL;

  module = hearth_profile_get_string (profile, fn.module);
  if (module == NULL || *module == '\0')
    return NULL;

  slash = strrchr (module, '/');
  return slash && slash[1] ? slash + 1 : module;
}

char *
hearth_painter_describe_item (HearthLayout           *layout,
                              const HearthLayoutItem *item,
                              const HearthStyle      *style)
{
  HearthCallTree *tree;
  const HearthCallNode *n;
  const char *module;
  GString *out;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (item != NULL, NULL);
  g_return_val_if_fail (style != NULL, NULL);

  tree = hearth_layout_get_tree (layout);
  n = hearth_call_tree_get_node (tree, item->node);
  out = g_string_new (NULL);

  if (item->flags & HEARTH_LAYOUT_ITEM_MERGED)
    {
      g_string_append_printf (out, "%u small frames under %s", item->n_merged,
                              hearth_call_tree_get_name (tree, item->node));
      return g_string_free (out, FALSE);
    }

  g_string_append (out, hearth_call_tree_get_name (tree, item->node));
  module = node_module (tree, item->node);
  if (module != NULL)
    g_string_append_printf (out, " (%s)", module);
  g_string_append (out, " — ");

  if (!style->diff)
    {
      guint64 total = hearth_call_tree_get_total_a (tree);

      append_count (out, n->total_a);
      g_string_append (out, n->total_a == 1 ? " sample, " : " samples, ");
      append_percent (out, total ? (double) n->total_a / (double) total : 0);
    }
  else
    {
      guint64 ta = hearth_call_tree_get_total_a (tree);
      guint64 tb = hearth_call_tree_get_total_b (tree);
      gboolean self = style->diff_options.measure == HEARTH_DIFF_MEASURE_SELF;
      guint64 a = self ? n->self_a : n->total_a;
      guint64 b = self ? n->self_b : n->total_b;
      g_autofree char *delta = hearth_painter_format_delta (
          hearth_diff_node_delta (tree, item->node, &style->diff_options),
          style->diff_options.normalize);

      g_string_append (out, self ? "self A: " : "A: ");
      append_count (out, a);
      g_string_append (out, " (");
      append_percent (out, ta ? (double) a / (double) ta : 0);
      g_string_append (out, self ? "), self B: " : "), B: ");
      append_count (out, b);
      g_string_append (out, " (");
      append_percent (out, tb ? (double) b / (double) tb : 0);
      g_string_append_printf (out, "), Δ %s", delta);

      if (item->flags & HEARTH_LAYOUT_ITEM_ELIDED)
        g_string_append (out, _hearth_painter_width_is_b (layout) ? " — gone in B" : " — new in B");
    }

  return g_string_free (out, FALSE);
}

double
hearth_painter_paint_diff_legend (HearthCanvas      *canvas,
                                  double             x,
                                  double             y,
                                  double             width,
                                  const HearthStyle *style,
                                  double             range)
{
  const HearthDiffOptions *o = &style->diff_options;
  const HearthThemeColors *colors = hearth_theme_get_colors (style->theme);
  double ascent = hearth_canvas_get_ascent (canvas);
  double descent = hearth_canvas_get_descent (canvas);
  double h = ascent + descent + 4;
  double baseline = y + 2 + ascent;
  g_autofree char *lo = hearth_painter_format_delta (-range, o->normalize);
  g_autofree char *hi = hearth_painter_format_delta (range, o->normalize);
  g_autofree char *left = g_strdup_printf ("shrank %s", lo);
  g_autofree char *right = g_strdup_printf ("%s grew", hi);
  g_autofree char *caption = g_strdup_printf ("Δ %s %s, B vs A",
                                              o->measure == HEARTH_DIFF_MEASURE_SELF ? "self" : "total",
                                              o->normalize == HEARTH_DIFF_NORMALIZE_RATE ? "samples/s" : "share");
  double left_w = hearth_canvas_measure_text (canvas, left);
  double right_w = hearth_canvas_measure_text (canvas, right);
  double caption_w = hearth_canvas_measure_text (canvas, caption);
  double bar_w = MIN (200.0, width - left_w - right_w - caption_w - 4 * 8);
  const guint n_cells = 21;
  double cx;

  hearth_canvas_begin_group (canvas, "legend", caption);

  if (bar_w < 40)
    bar_w = 40;

  cx = x;
  hearth_canvas_text (canvas, cx, baseline, left, HEARTH_TEXT_ALIGN_START, colors->text);
  cx += left_w + 8;

  for (guint i = 0; i < n_cells; i++)
    {
      double t = -1.0 + 2.0 * i / (n_cells - 1);
      HearthRgba c = hearth_diff_color (t * range, range, o, style->theme);

      hearth_canvas_fill_rect (canvas, cx + i * bar_w / n_cells, y + 2,
                               bar_w / n_cells + 0.5, h - 4, c);
    }
  cx += bar_w + 8;

  hearth_canvas_text (canvas, cx, baseline, right, HEARTH_TEXT_ALIGN_START, colors->text);
  cx += right_w + 16;
  hearth_canvas_text (canvas, cx, baseline, caption, HEARTH_TEXT_ALIGN_START, colors->text_dim);

  hearth_canvas_end_group (canvas);

  return h;
}
