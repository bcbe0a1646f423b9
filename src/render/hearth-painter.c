/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hearth-canvas-private.h"
#include "hearth-painter.h"
#include "hearth-painter-private.h"
#include "hearth-style-private.h"

#define LABEL_PAD      3.0
#define DIM_AMOUNT     0.78
#define OUTLINE_WIDTH  2.0

typedef struct
{
  /* borrowed for one paint */
  HearthCanvas            *canvas;
  HearthLayout            *layout;
  HearthCallTree          *tree;
  HearthTreeCache         *cache;
  guint32                 *label_widths;
  const HearthStyle       *style;
  const HearthThemeColors *colors;

  /* state */
  double                   range;      /* diff legend range */
  double                   min_label;  /* narrowest box worth a label */
  double                   ascent;
  double                   descent;
  gboolean                 svg;
} Paint;

/* Which side the layout's width column is, after any swap. */
gboolean
_hearth_painter_width_is_b (HearthLayout *layout)
{
  const HearthLayoutOptions *o = hearth_layout_get_options (layout);
  gboolean by_b = o->scale_a == 0 && o->scale_b > 0;

  return hearth_layout_get_swapped (layout) ? !by_b : by_b;
}

HearthRgba
hearth_painter_text_color_for (const HearthStyle *style,
                               HearthRgba         fill)
{
  const HearthThemeColors *colors = hearth_theme_get_colors (style->theme);
  /* Gamma 2 instead of sRGB's curve: the same black/white choice for
   * every palette colour here, without three pow() calls per frame. */
  double luminance = 0.2126 * fill.red * fill.red + 0.7152 * fill.green * fill.green
                   + 0.0722 * fill.blue * fill.blue;

  return luminance > 0.30 ? colors->frame_text_dark : colors->frame_text_light;
}

static gboolean
is_dimmed (Paint                  *p,
           const HearthLayoutItem *item)
{
  const HearthStyle *s = p->style;

  if (s->matches == NULL)
    return FALSE;
  if (item->flags & HEARTH_LAYOUT_ITEM_MERGED)
    return TRUE;

  return item->node >= s->n_matches || !s->matches[item->node];
}

static void
item_colors (Paint                  *p,
             const HearthLayoutItem *item,
             HearthRgba             *fill,
             HearthRgba             *text)
{
  *fill = _hearth_style_item_color_cached (p->style, p->cache, item, p->range);

  /* Dimmed labels stay readable: pick the text colour for the pale fill,
   * then fade it part of the way. */
  if (is_dimmed (p, item))
    {
      *fill = hearth_color_mix (*fill, p->colors->background, DIM_AMOUNT);
      *text = hearth_color_mix (hearth_painter_text_color_for (p->style, *fill), *fill, 0.35);
    }
  else
    {
      *text = hearth_painter_text_color_for (p->style, *fill);
    }
}

static void
begin_item (Paint                  *p,
            const HearthLayoutItem *item)
{
  g_autofree char *title = NULL;

  /* Titles cost a printf each: only SVG keeps them. */
  if (!p->svg)
    return;

  title = hearth_painter_describe_item (p->layout, item, p->style);
  hearth_canvas_begin_group (p->canvas,
                             (item->flags & HEARTH_LAYOUT_ITEM_MERGED) ? "merged" : "frame",
                             title);
}

static void
end_item (Paint *p)
{
  if (p->svg)
    hearth_canvas_end_group (p->canvas);
}

static void
label_in_box (Paint                  *p,
              const HearthLayoutItem *item,
              double                  w,
              double                  h,
              HearthRgba              color)
{
  const char *name;
  g_autofree char *fitted = NULL;
  double baseline = item->y + (h + p->ascent - p->descent) / 2.0;

  if (w < p->min_label || h < p->ascent)
    return;

  /* Most labels either fit whole or not at all: decide from the cached
   * width before cutting anything. */
  name = _hearth_tree_cache_function_name (p->cache, item->function);
  if (_hearth_tree_cache_label_width (p->cache, p->label_widths, item->function,
                                      p->canvas->font) <= w - 2 * LABEL_PAD)
    {
      hearth_canvas_text (p->canvas, item->x + LABEL_PAD, baseline, name, HEARTH_TEXT_ALIGN_START, color);
      return;
    }

  fitted = hearth_canvas_fit_text (p->canvas, name, w - 2 * LABEL_PAD);
  if (fitted != NULL)
    hearth_canvas_text (p->canvas, item->x + LABEL_PAD, baseline, fitted, HEARTH_TEXT_ALIGN_START, color);
}

static void
paint_rect_item (Paint                  *p,
                 const HearthLayoutItem *item)
{
  HearthRgba fill, text;
  double w = item->width, h = item->height;

  item_colors (p, item, &fill, &text);

  /* A one-pixel gap separates neighbours, unless the frame is so thin
   * the gap would swallow it. */
  if (w >= 3)
    w -= 1;
  if (h >= 3)
    h -= 1;

  begin_item (p, item);
  hearth_canvas_fill_rect (p->canvas, item->x, item->y, w, h, fill);

  if (!(item->flags & HEARTH_LAYOUT_ITEM_MERGED))
    label_in_box (p, item, w, h, text);
  else if (w >= p->min_label && h >= p->ascent)
    hearth_canvas_text (p->canvas, item->x + w / 2.0, item->y + (h + p->ascent - p->descent) / 2.0,
                        "…", HEARTH_TEXT_ALIGN_CENTER, text);

  end_item (p);
}

static gboolean
in_sector (const HearthLayoutItem *item,
           double                  dx,
           double                  dy)
{
  double r = hypot (dx, dy);
  double a = atan2 (dx, -dy);

  if (a < 0)
    a += 2 * G_PI;

  return r >= item->r0 && r <= item->r1 && a >= item->a0 && a <= item->a1;
}

/* Widest horizontal label centred at mid-radius and at angle: first from
 * treating the slice as a box (arc length × ring width) turned by the
 * angle, then shrunk until the text box's corners and edge midpoints lie
 * inside the slice, so a label never spills over the ring's curve. */
static double
sector_label_width_at (const HearthLayoutItem *item,
                       double                  text_height,
                       double                  angle)
{
  double radius = (item->r0 + item->r1) / 2.0;
  double along = 2 * MIN (angle - item->a0, item->a1 - angle) * radius - 2 * LABEL_PAD;
  double across = item->r1 - item->r0 - 2;
  double c = fabs (cos (angle)), s = fabs (sin (angle));
  double h2 = text_height / 2.0;
  double px = radius * sin (angle), py = -radius * cos (angle);
  double w = MIN (c > 1e-6 ? (along - text_height * s) / c : G_MAXDOUBLE,
                  s > 1e-6 ? (across - text_height * c) / s : G_MAXDOUBLE);

  w = MIN (w, 2 * item->r1);

  for (guint tries = 0; tries < 24 && w > 0; tries++)
    {
      double w2 = w / 2.0;

      if (in_sector (item, px - w2, py - h2) && in_sector (item, px + w2, py - h2) &&
          in_sector (item, px - w2, py + h2) && in_sector (item, px + w2, py + h2) &&
          in_sector (item, px, py - h2) && in_sector (item, px, py + h2))
        return w;
      w *= 0.85;
    }

  return 0;
}

/* Where a horizontal label fits best in a ring slice: at its middle, or
 * nearer twelve or six o'clock where the ring runs horizontally. */
static double
sector_label_place (const HearthLayoutItem *item,
                    double                  text_height,
                    double                 *angle)
{
  static const double horizontal[] = { 0, G_PI, 2 * G_PI };
  double quarter = (item->a1 - item->a0) / 4.0;
  double best_angle = (item->a0 + item->a1) / 2.0;
  double best = sector_label_width_at (item, text_height, best_angle);

  for (guint i = 0; i < G_N_ELEMENTS (horizontal); i++)
    {
      double candidate = CLAMP (horizontal[i], item->a0 + quarter, item->a1 - quarter);
      double w;

      if (candidate == best_angle)
        continue;
      w = sector_label_width_at (item, text_height, candidate);
      if (w > best)
        {
          best = w;
          best_angle = candidate;
        }
    }

  *angle = best_angle;
  return best;
}

static void
paint_sector_item (Paint                  *p,
                   const HearthLayoutItem *item,
                   double                  cx,
                   double                  cy)
{
  HearthRgba fill, text;
  double text_height = p->ascent + p->descent;
  double max_width;

  item_colors (p, item, &fill, &text);

  begin_item (p, item);
  if (item->row == 0)
    {
      hearth_canvas_fill_sector (p->canvas, cx, cy, 0, item->r1 - 0.5, 0, 2 * G_PI, fill);
    }
  else
    {
      /* A one-pixel gap separates rings and, where a slice is wide
       * enough to spare it, neighbouring slices: cheaper than stroking
       * an outline, and thin slices keep their colour. */
      double mid = (item->r0 + item->r1) / 2.0;
      double inset = (item->a1 - item->a0) * mid >= 3.0 ? 0.5 / mid : 0.0;

      hearth_canvas_fill_sector (p->canvas, cx, cy, item->r0 + 0.5, item->r1 - 0.5,
                                 item->a0 + inset, item->a1 - inset, fill);
    }

  if (!(item->flags & HEARTH_LAYOUT_ITEM_MERGED))
    {
      double angle = 0, radius = 0;

      if (item->row == 0)
        max_width = 2 * sqrt (MAX (0.0, item->r1 * item->r1 - text_height * text_height / 4)) - 2 * LABEL_PAD;
      else
        {
          max_width = sector_label_place (item, text_height, &angle);
          radius = (item->r0 + item->r1) / 2.0;
        }

      if (max_width >= p->min_label - 2 * LABEL_PAD)
        {
          g_autofree char *fitted = hearth_canvas_fit_text (p->canvas,
                                                            _hearth_tree_cache_function_name (p->cache, item->function),
                                                            max_width);
          if (fitted != NULL)
            hearth_canvas_text (p->canvas, cx + radius * sin (angle),
                                cy - radius * cos (angle) + (p->ascent - p->descent) / 2.0,
                                fitted, HEARTH_TEXT_ALIGN_CENTER, text);
        }
    }

  end_item (p);
}

static void
paint_strip_title (Paint *p)
{
  const HearthLayoutOptions *o = hearth_layout_get_options (p->layout);
  double x, y, w, h;
  g_autofree char *fitted = NULL;

  if (!hearth_layout_get_strip (p->layout, &x, &y, &w, &h))
    return;

  fitted = hearth_canvas_fit_text (p->canvas,
                                   _hearth_painter_width_is_b (p->layout) ? "Gone in B:" : "New in B:",
                                   o->strip_label_width - 2 * LABEL_PAD);
  if (fitted != NULL)
    hearth_canvas_text (p->canvas, x + o->strip_label_width - LABEL_PAD,
                        y + (h + p->ascent - p->descent) / 2.0,
                        fitted, HEARTH_TEXT_ALIGN_END, p->colors->text);
}

static void
paint_selection (Paint  *p,
                 double  cx,
                 double  cy)
{
  const HearthLayoutItem *item;

  if (p->style->selected_node == HEARTH_NO_ID)
    return;

  item = hearth_layout_find_node (p->layout, p->style->selected_node);
  if (item == NULL)
    return;

  if (hearth_layout_get_options (p->layout)->view == HEARTH_VIEW_SUNBURST)
    hearth_canvas_stroke_sector (p->canvas, cx, cy, item->r0, item->r1, item->a0, item->a1,
                                 OUTLINE_WIDTH, p->colors->accent);
  else
    hearth_canvas_stroke_rect (p->canvas, item->x, item->y,
                               item->width >= 3 ? item->width - 1 : item->width,
                               item->height >= 3 ? item->height - 1 : item->height,
                               OUTLINE_WIDTH, p->colors->accent);
}

void
hearth_painter_paint (HearthCanvas      *canvas,
                      HearthLayout      *layout,
                      const HearthStyle *style)
{
  Paint p = {0};
  const HearthLayoutItem *items;
  guint n_items;
  double cx = 0, cy = 0;
  gboolean sunburst;

  g_return_if_fail (canvas != NULL);
  g_return_if_fail (layout != NULL);
  g_return_if_fail (style != NULL);

  p.canvas = canvas;
  p.layout = layout;
  p.tree = hearth_layout_get_tree (layout);
  p.cache = _hearth_tree_cache_get (p.tree);
  p.label_widths = _hearth_tree_cache_label_widths (p.cache, canvas->font);
  p.style = style;
  p.colors = hearth_theme_get_colors (style->theme);
  p.ascent = hearth_canvas_get_ascent (canvas);
  p.descent = hearth_canvas_get_descent (canvas);
  p.min_label = hearth_canvas_get_font_size (canvas) * 1.5 + 2 * LABEL_PAD;
  p.svg = hearth_canvas_is_svg (canvas);

  if (style->diff)
    p.range = style->diff_options.range > 0 ? style->diff_options.range
                                            : hearth_diff_compute_range (p.tree, &style->diff_options);

  sunburst = hearth_layout_get_options (layout)->view == HEARTH_VIEW_SUNBURST;
  if (sunburst)
    hearth_layout_get_sunburst_geometry (layout, &cx, &cy, NULL);

  items = hearth_layout_get_items (layout, &n_items);
  for (guint i = 0; i < n_items; i++)
    {
      if (sunburst && !(items[i].flags & HEARTH_LAYOUT_ITEM_ELIDED))
        paint_sector_item (&p, &items[i], cx, cy);
      else
        paint_rect_item (&p, &items[i]);
    }

  paint_strip_title (&p);
  paint_selection (&p, cx, cy);
}

void
hearth_painter_paint_cairo (cairo_t           *cr,
                            double             pixel_scale,
                            HearthLayout      *layout,
                            const HearthStyle *style)
{
  g_autoptr(HearthCanvas) canvas = NULL;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  canvas = hearth_canvas_new_cairo (cr, pixel_scale, style->font_family, style->font_size);
  hearth_painter_paint (canvas, layout, style);
}

void
hearth_painter_paint_background (HearthCanvas      *canvas,
                                 double             width,
                                 double             height,
                                 const HearthStyle *style)
{
  hearth_canvas_fill_rect (canvas, 0, 0, width, height,
                           hearth_theme_get_colors (style->theme)->background);
}
