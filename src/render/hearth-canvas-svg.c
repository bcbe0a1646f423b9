/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hearth-canvas-private.h"

/* Locale-independent "%.2f" without trailing zeros; g_ascii_formatd is
 * several times slower and this runs for every coordinate. */
static void
append_num (GString *out,
            double   v)
{
  gint64 cents;
  gint64 whole;
  guint frac;

  if (!isfinite (v))
    v = 0;

  cents = (gint64) llround (v * 100.0);
  if (cents < 0)
    {
      g_string_append_c (out, '-');
      cents = -cents;
    }

  whole = cents / 100;
  frac = (guint) (cents % 100);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, whole);

  if (frac != 0)
    {
      g_string_append_c (out, '.');
      g_string_append_c (out, '0' + frac / 10);
      if (frac % 10)
        g_string_append_c (out, '0' + frac % 10);
    }
}

static void
append_attr_num (GString    *out,
                 const char *name,
                 double      v)
{
  g_string_append_c (out, ' ');
  g_string_append (out, name);
  g_string_append (out, "=\"");
  append_num (out, v);
  g_string_append_c (out, '"');
}

/* text must already be valid UTF-8 without control characters
 * (_hearth_text_sanitize). */
static void
append_escaped (GString    *out,
                const char *text)
{
  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&apos;"); break;
        default: g_string_append_c (out, *p); break;
        }
    }
}

static void
append_paint (GString    *out,
              const char *attr,
              HearthRgba  color)
{
  char hex[8];

  hearth_color_to_hex (color, hex);
  g_string_append_printf (out, " %s=\"%s\"", attr, hex);
  if (color.alpha < 1.0)
    {
      g_string_append_printf (out, " %s-opacity=\"", attr);
      append_num (out, CLAMP (color.alpha, 0.0, 1.0));
      g_string_append_c (out, '"');
    }
}

static void
indent (HearthCanvas *self)
{
  for (guint i = 0; i <= self->group_depth; i++)
    g_string_append_c (self->svg, ' ');
}

static void
svg_fill_rect (HearthCanvas *self,
               double        x,
               double        y,
               double        w,
               double        h,
               HearthRgba    color)
{
  indent (self);
  g_string_append (self->svg, "<rect");
  append_attr_num (self->svg, "x", x);
  append_attr_num (self->svg, "y", y);
  append_attr_num (self->svg, "width", w);
  append_attr_num (self->svg, "height", h);
  append_paint (self->svg, "fill", color);
  g_string_append (self->svg, "/>\n");
}

static void
svg_stroke_rect (HearthCanvas *self,
                 double        x,
                 double        y,
                 double        w,
                 double        h,
                 double        line_width,
                 HearthRgba    color)
{
  double half = line_width / 2.0;

  indent (self);
  g_string_append (self->svg, "<rect");
  append_attr_num (self->svg, "x", x + half);
  append_attr_num (self->svg, "y", y + half);
  append_attr_num (self->svg, "width", MAX (0.0, w - line_width));
  append_attr_num (self->svg, "height", MAX (0.0, h - line_width));
  g_string_append (self->svg, " fill=\"none\"");
  append_paint (self->svg, "stroke", color);
  append_attr_num (self->svg, "stroke-width", line_width);
  g_string_append (self->svg, "/>\n");
}

static void
append_point (GString *out,
              double   cx,
              double   cy,
              double   r,
              double   a)
{
  append_num (out, cx + r * sin (a));
  g_string_append_c (out, ' ');
  append_num (out, cy - r * cos (a));
}

static void
append_arc_to (GString *out,
               double   cx,
               double   cy,
               double   r,
               double   a_from,
               double   a_to)
{
  gboolean large = fabs (a_to - a_from) > G_PI;
  gboolean clockwise = a_to > a_from;

  g_string_append (out, " A");
  append_num (out, r);
  g_string_append_c (out, ' ');
  append_num (out, r);
  g_string_append_printf (out, " 0 %d %d ", large, clockwise);
  append_point (out, cx, cy, r, a_to);
}

static void
svg_sector (HearthCanvas *self,
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
  GString *out = self->svg;
  gboolean full = a1 - a0 >= 2 * G_PI - 1e-9;

  indent (self);
  g_string_append (out, "<path d=\"M");

  if (full)
    {
      /* An SVG arc cannot close on itself: two halves per circle. */
      append_point (out, cx, cy, r1, 0);
      append_arc_to (out, cx, cy, r1, 0, G_PI);
      append_arc_to (out, cx, cy, r1, G_PI, 2 * G_PI);
      g_string_append (out, " Z");
      if (r0 > 0)
        {
          g_string_append (out, " M");
          append_point (out, cx, cy, r0, 0);
          append_arc_to (out, cx, cy, r0, 2 * G_PI, G_PI);
          append_arc_to (out, cx, cy, r0, G_PI, 0);
          g_string_append (out, " Z");
        }
    }
  else
    {
      append_point (out, cx, cy, r1, a0);
      append_arc_to (out, cx, cy, r1, a0, a1);
      g_string_append (out, " L");
      append_point (out, cx, cy, r0, a1);
      if (r0 > 0)
        append_arc_to (out, cx, cy, r0, a1, a0);
      g_string_append (out, " Z");
    }

  g_string_append_c (out, '"');
  if (fill)
    {
      append_paint (out, "fill", color);
      if (full && r0 > 0)
        g_string_append (out, " fill-rule=\"evenodd\"");
    }
  else
    {
      g_string_append (out, " fill=\"none\"");
      append_paint (out, "stroke", color);
      append_attr_num (out, "stroke-width", line_width);
    }
  g_string_append (out, "/>\n");
}

static void
svg_line (HearthCanvas *self,
          double        x0,
          double        y0,
          double        x1,
          double        y1,
          double        line_width,
          HearthRgba    color)
{
  indent (self);
  g_string_append (self->svg, "<line");
  append_attr_num (self->svg, "x1", x0);
  append_attr_num (self->svg, "y1", y0);
  append_attr_num (self->svg, "x2", x1);
  append_attr_num (self->svg, "y2", y1);
  append_paint (self->svg, "stroke", color);
  append_attr_num (self->svg, "stroke-width", line_width);
  g_string_append (self->svg, "/>\n");
}

static void
svg_text (HearthCanvas *self,
          double        x,
          double        y,
          const char   *text,
          HearthRgba    color)
{
  indent (self);
  g_string_append (self->svg, "<text");
  append_attr_num (self->svg, "x", x);
  append_attr_num (self->svg, "y", y);
  append_paint (self->svg, "fill", color);
  g_string_append_c (self->svg, '>');
  append_escaped (self->svg, text);
  g_string_append (self->svg, "</text>\n");
}

static void
svg_begin_group (HearthCanvas *self,
                 const char   *css_class,
                 const char   *title)
{
  /* depth was already raised: indent as the parent */
  for (guint i = 1; i < self->group_depth; i++)
    g_string_append_c (self->svg, ' ');
  g_string_append (self->svg, " <g");
  if (css_class != NULL)
    {
      g_autofree char *clean = _hearth_text_sanitize (css_class);

      g_string_append (self->svg, " class=\"");
      append_escaped (self->svg, clean);
      g_string_append_c (self->svg, '"');
    }
  g_string_append (self->svg, ">");

  if (title != NULL)
    {
      g_autofree char *clean = _hearth_text_sanitize (title);

      g_string_append (self->svg, "<title>");
      append_escaped (self->svg, clean);
      g_string_append (self->svg, "</title>");
    }
  g_string_append_c (self->svg, '\n');
}

static void
svg_end_group (HearthCanvas *self)
{
  indent (self);
  g_string_append (self->svg, "</g>\n");
}

static GString *
svg_finish (HearthCanvas *self)
{
  GString *out = g_steal_pointer (&self->svg);

  if (out != NULL)
    g_string_append (out, "</svg>\n");

  return out;
}

static void
svg_free (HearthCanvas *self)
{
  if (self->svg != NULL)
    g_string_free (g_steal_pointer (&self->svg), TRUE);
}

static const HearthCanvasBackend svg_backend = {
  svg_fill_rect,
  svg_stroke_rect,
  svg_sector,
  svg_line,
  svg_text,
  svg_begin_group,
  svg_end_group,
  svg_finish,
  svg_free,
};

void
_hearth_canvas_svg_init (HearthCanvas *self,
                         double        width,
                         double        height)
{
  g_autofree char *family = _hearth_text_sanitize (_hearth_font_get_family (self->font));
  GString *out = g_string_sized_new (64 * 1024);

  self->backend = &svg_backend;
  self->svg = out;

  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
  g_string_append (out, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"");
  append_attr_num (out, "width", width);
  append_attr_num (out, "height", height);
  g_string_append (out, " viewBox=\"0 0 ");
  append_num (out, width);
  g_string_append_c (out, ' ');
  append_num (out, height);
  g_string_append (out, "\" font-family=\"");
  append_escaped (out, family);
  g_string_append (out, ", Verdana, sans-serif\"");
  append_attr_num (out, "font-size", _hearth_font_get_size (self->font));
  g_string_append (out, ">\n");
}
