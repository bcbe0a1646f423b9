/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "hearth-canvas-private.h"

/* --- cairo backend ---------------------------------------------------------- */

static inline void
set_source (cairo_t    *cr,
            HearthRgba  c)
{
  if (c.alpha >= 1.0)
    cairo_set_source_rgb (cr, c.red, c.green, c.blue);
  else
    cairo_set_source_rgba (cr, c.red, c.green, c.blue, c.alpha);
}

/* Round to device pixels: adjacent frames then share exact edges, and
 * cairo takes its fast path for pixel-aligned rectangles. */
static inline double
snap (HearthCanvas *self,
      double        v)
{
  return round (v * self->pixel_scale) / self->pixel_scale;
}

static void
cairo_fill_rect (HearthCanvas *self,
                 double        x,
                 double        y,
                 double        w,
                 double        h,
                 HearthRgba    color)
{
  double x0 = snap (self, x), y0 = snap (self, y);
  double x1 = snap (self, x + w), y1 = snap (self, y + h);

  /* Keep a sliver visible rather than rounding it away. */
  if (x1 <= x0)
    x1 = x0 + 1.0 / self->pixel_scale;
  if (y1 <= y0)
    y1 = y0 + 1.0 / self->pixel_scale;

  set_source (self->cr, color);
  cairo_rectangle (self->cr, x0, y0, x1 - x0, y1 - y0);
  cairo_fill (self->cr);
}

static void
cairo_stroke_rect (HearthCanvas *self,
                   double        x,
                   double        y,
                   double        w,
                   double        h,
                   double        line_width,
                   HearthRgba    color)
{
  double half = line_width / 2.0;

  set_source (self->cr, color);
  cairo_set_line_width (self->cr, line_width);
  cairo_rectangle (self->cr, snap (self, x) + half, snap (self, y) + half,
                   MAX (0.0, snap (self, x + w) - snap (self, x) - line_width),
                   MAX (0.0, snap (self, y + h) - snap (self, y) - line_width));
  cairo_stroke (self->cr);
}

static void
cairo_sector (HearthCanvas *self,
              double        cx,
              double        cy,
              double        r0,
              double        r1,
              double        a0,
              double        a1,
              gboolean      fill,
              double        line_width,
              HearthRgba    color)
{
  cairo_t *cr = self->cr;
  gboolean full = a1 - a0 >= 2 * G_PI - 1e-9;

  cairo_new_path (cr);
  if (full)
    {
      cairo_arc (cr, cx, cy, r1, 0, 2 * G_PI);
      if (r0 > 0)
        {
          cairo_new_sub_path (cr);
          cairo_arc_negative (cr, cx, cy, r0, 2 * G_PI, 0);
        }
    }
  else
    {
      /* Straight segments that stay within a quarter of a device pixel of
       * the arc: cheaper than cairo_arc()'s Béziers, which cairo then
       * flattens far more finely than a slice a few pixels long needs. */
      double tolerance = 0.25 / self->pixel_scale;
      double step = r1 > tolerance ? 2 * acos (1 - tolerance / r1) : G_PI_2;
      guint n = (guint) MIN (ceil ((a1 - a0) / step), 512.0);

      n = MAX (n, 1u);
      for (guint i = 0; i <= n; i++)
        {
          double a = a0 + (a1 - a0) * i / n;

          cairo_line_to (cr, cx + r1 * sin (a), cy - r1 * cos (a));
        }
      if (r0 > 0)
        for (guint i = 0; i <= n; i++)
          {
            double a = a1 - (a1 - a0) * i / n;

            cairo_line_to (cr, cx + r0 * sin (a), cy - r0 * cos (a));
          }
      else
        cairo_line_to (cr, cx, cy);
    }
  cairo_close_path (cr);

  set_source (cr, color);
  if (fill)
    {
      /* Antialiasing a sliver a pixel or two wide changes nothing visible
       * but costs most of a sunburst's paint time. */
      if (!full && (a1 - a0) * (r0 + r1) / 2.0 * self->pixel_scale < 4.0)
        {
          cairo_antialias_t aa = cairo_get_antialias (cr);

          cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
          cairo_fill (cr);
          cairo_set_antialias (cr, aa);
        }
      else
        {
          cairo_fill (cr);
        }
    }
  else
    {
      cairo_set_line_width (cr, line_width);
      cairo_stroke (cr);
    }
}

static void
cairo_line (HearthCanvas *self,
            double        x0,
            double        y0,
            double        x1,
            double        y1,
            double        line_width,
            HearthRgba    color)
{
  set_source (self->cr, color);
  cairo_set_line_width (self->cr, line_width);
  cairo_move_to (self->cr, x0, y0);
  cairo_line_to (self->cr, x1, y1);
  cairo_stroke (self->cr);
}

static void
cairo_text (HearthCanvas *self,
            double        x,
            double        y,
            const char   *text,
            HearthRgba    color)
{
  set_source (self->cr, color);
  _hearth_font_show (self->font, self->cr, x, y, text);
}

static void
cairo_begin_group (HearthCanvas *self,
                   const char   *css_class,
                   const char   *title)
{
}

static void
cairo_end_group (HearthCanvas *self)
{
}

static GString *
cairo_finish (HearthCanvas *self)
{
  return NULL;
}

static void
cairo_free (HearthCanvas *self)
{
}

static const HearthCanvasBackend cairo_backend = {
  cairo_fill_rect,
  cairo_stroke_rect,
  cairo_sector,
  cairo_line,
  cairo_text,
  cairo_begin_group,
  cairo_end_group,
  cairo_finish,
  cairo_free,
};

/* --- public API --------------------------------------------------------------- */

HearthCanvas *
hearth_canvas_new_cairo (cairo_t    *cr,
                         double      pixel_scale,
                         const char *font_family,
                         double      font_size)
{
  HearthCanvas *self;

  g_return_val_if_fail (cr != NULL, NULL);

  self = g_new0 (HearthCanvas, 1);
  self->backend = &cairo_backend;
  self->cr = cr;
  self->pixel_scale = pixel_scale > 0 ? pixel_scale : 1.0;
  self->font = _hearth_font_get (font_family, font_size);

  return self;
}

HearthCanvas *
hearth_canvas_new_svg (double      width,
                       double      height,
                       const char *font_family,
                       double      font_size)
{
  HearthCanvas *self = g_new0 (HearthCanvas, 1);

  self->pixel_scale = 1.0;
  self->font = _hearth_font_get (font_family, font_size);
  _hearth_canvas_svg_init (self, width, height);

  return self;
}

GString *
hearth_canvas_finish (HearthCanvas *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  while (self->group_depth > 0)
    hearth_canvas_end_group (self);

  return self->backend->finish (self);
}

void
hearth_canvas_free (HearthCanvas *self)
{
  if (self == NULL)
    return;

  self->backend->free (self);
  g_free (self);
}

gboolean
hearth_canvas_is_svg (HearthCanvas *self)
{
  return self->cr == NULL;
}

double
hearth_canvas_get_pixel_scale (HearthCanvas *self)
{
  return self->pixel_scale;
}

void
hearth_canvas_translate (HearthCanvas *self,
                         double        dx,
                         double        dy)
{
  self->dx += dx;
  self->dy += dy;
}

void
hearth_canvas_fill_rect (HearthCanvas *self,
                         double        x,
                         double        y,
                         double        width,
                         double        height,
                         HearthRgba    color)
{
  if (!(width > 0 && height > 0))
    return;

  self->backend->fill_rect (self, x + self->dx, y + self->dy, width, height, color);
}

void
hearth_canvas_stroke_rect (HearthCanvas *self,
                           double        x,
                           double        y,
                           double        width,
                           double        height,
                           double        line_width,
                           HearthRgba    color)
{
  if (!(width > 0 && height > 0))
    return;

  self->backend->stroke_rect (self, x + self->dx, y + self->dy, width, height, line_width, color);
}

void
hearth_canvas_fill_sector (HearthCanvas *self,
                           double        cx,
                           double        cy,
                           double        r0,
                           double        r1,
                           double        a0,
                           double        a1,
                           HearthRgba    color)
{
  if (!(r1 > r0 && a1 > a0))
    return;

  self->backend->sector (self, cx + self->dx, cy + self->dy, r0, r1, a0, a1, TRUE, 0, color);
}

void
hearth_canvas_stroke_sector (HearthCanvas *self,
                             double        cx,
                             double        cy,
                             double        r0,
                             double        r1,
                             double        a0,
                             double        a1,
                             double        line_width,
                             HearthRgba    color)
{
  if (!(r1 > r0 && a1 > a0))
    return;

  self->backend->sector (self, cx + self->dx, cy + self->dy, r0, r1, a0, a1, FALSE, line_width, color);
}

void
hearth_canvas_line (HearthCanvas *self,
                    double        x0,
                    double        y0,
                    double        x1,
                    double        y1,
                    double        line_width,
                    HearthRgba    color)
{
  self->backend->line (self, x0 + self->dx, y0 + self->dy, x1 + self->dx, y1 + self->dy,
                       line_width, color);
}

double
hearth_canvas_get_font_size (HearthCanvas *self)
{
  return _hearth_font_get_size (self->font);
}

double
hearth_canvas_get_ascent (HearthCanvas *self)
{
  return _hearth_font_get_ascent (self->font);
}

double
hearth_canvas_get_descent (HearthCanvas *self)
{
  return _hearth_font_get_descent (self->font);
}

double
hearth_canvas_measure_text (HearthCanvas *self,
                            const char   *text)
{
  g_autofree char *clean = _hearth_text_sanitize (text);

  return _hearth_font_measure (self->font, clean, -1);
}

/* Identifiers are almost always printable ASCII (or a fitted label
 * ending in "…"): skip the sanitising copy then. */
static gboolean
is_clean (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      if (*p < 0x20 || *p == 0x7f)
        return FALSE;
      if (*p > 0x7f)
        return g_str_equal ((const char *) p, "\xe2\x80\xa6");
    }

  return TRUE;
}

char *
hearth_canvas_fit_text (HearthCanvas *self,
                        const char   *text,
                        double        max_width)
{
  g_autofree char *clean = NULL;

  if (text == NULL || !(max_width > 0))
    return NULL;

  if (is_clean (text))
    return _hearth_font_fit (self->font, text, max_width);

  clean = _hearth_text_sanitize (text);
  return _hearth_font_fit (self->font, clean, max_width);
}

void
hearth_canvas_text (HearthCanvas    *self,
                    double           x,
                    double           y,
                    const char      *text,
                    HearthTextAlign  align,
                    HearthRgba       color)
{
  g_autofree char *clean = NULL;

  if (text == NULL || *text == '\0')
    return;

  if (!is_clean (text))
    text = clean = _hearth_text_sanitize (text);

  if (align != HEARTH_TEXT_ALIGN_START)
    {
      double width = _hearth_font_measure (self->font, text, -1);

      x -= align == HEARTH_TEXT_ALIGN_CENTER ? width / 2.0 : width;
    }

  self->backend->text (self, x + self->dx, y + self->dy, text, color);
}

void
hearth_canvas_begin_group (HearthCanvas *self,
                           const char   *css_class,
                           const char   *title)
{
  self->group_depth++;
  self->backend->begin_group (self, css_class, title);
}

void
hearth_canvas_end_group (HearthCanvas *self)
{
  g_return_if_fail (self->group_depth > 0);

  self->group_depth--;
  self->backend->end_group (self);
}
