/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <pango/pangocairo.h>

#include "hearth-font-private.h"

#define FIRST_ASCII 32
#define LAST_ASCII  126
#define ELLIPSIS    "\xe2\x80\xa6"
#define ELLIPSIS_LEN 3

struct _HearthFont
{
  /* owned, immutable after creation */
  char                 *family;
  double                size;
  double                ascent;
  double                descent;
  PangoFontDescription *desc;
  PangoFontMap         *font_map;
  PangoContext         *context;
  cairo_scaled_font_t  *scaled_font;

  /* Fast path: printable ASCII and "…", shaped in the primary font. */
  gboolean              fast;
  unsigned long         glyph[LAST_ASCII + 1];
  double                advance[LAST_ASCII + 1];
  unsigned long         ellipsis_glyph;
  double                ellipsis_advance;
};

/* Pango objects are not thread-safe; every Pango call in this file holds it. */
G_LOCK_DEFINE_STATIC (pango);
static GHashTable *fonts;

/* Shape one string; returns the font and glyph if it became a single glyph. */
static gboolean
shape_one (HearthFont    *self,
           const char    *text,
           PangoFont    **font,
           unsigned long *glyph,
           double        *advance)
{
  g_autoptr(PangoLayout) layout = pango_layout_new (self->context);
  PangoLayoutLine *line;
  PangoGlyphItem *run;

  pango_layout_set_font_description (layout, self->desc);
  pango_layout_set_text (layout, text, -1);
  line = pango_layout_get_line_readonly (layout, 0);

  if (line == NULL || line->runs == NULL || line->runs->next != NULL)
    return FALSE;

  run = line->runs->data;
  if (run->glyphs->num_glyphs != 1)
    return FALSE;

  *font = run->item->analysis.font;
  *glyph = run->glyphs->glyphs[0].glyph;
  *advance = run->glyphs->glyphs[0].geometry.width / (double) PANGO_SCALE;

  return (*glyph & PANGO_GLYPH_UNKNOWN_FLAG) == 0;
}

static void
load_fast_path (HearthFont *self)
{
  PangoFont *primary = NULL;
  PangoFont *font;

  for (guint c = FIRST_ASCII; c <= LAST_ASCII; c++)
    {
      char text[2] = { (char) c, 0 };

      if (!shape_one (self, text, &font, &self->glyph[c], &self->advance[c]))
        return;
      if (primary == NULL)
        primary = font;
      else if (font != primary)
        return;
    }

  if (!shape_one (self, ELLIPSIS, &font, &self->ellipsis_glyph, &self->ellipsis_advance) ||
      font != primary)
    return;

  self->scaled_font = cairo_scaled_font_reference (pango_cairo_font_get_scaled_font (PANGO_CAIRO_FONT (primary)));
  self->fast = self->scaled_font != NULL;
}

static HearthFont *
hearth_font_new (const char *family,
                 double      size_px)
{
  HearthFont *self = g_new0 (HearthFont, 1);
  g_autoptr(PangoFont) font = NULL;

  self->size = size_px;
  self->font_map = pango_cairo_font_map_new ();
  self->context = pango_font_map_create_context (self->font_map);
  self->desc = pango_font_description_new ();
  pango_font_description_set_family (self->desc, family);
  pango_font_description_set_absolute_size (self->desc, size_px * PANGO_SCALE);

  font = pango_font_map_load_font (self->font_map, self->context, self->desc);
  if (font != NULL)
    {
      g_autoptr(PangoFontDescription) real = pango_font_describe (font);
      PangoFontMetrics *metrics = pango_font_get_metrics (font, NULL);

      self->family = g_strdup (pango_font_description_get_family (real));
      self->ascent = pango_font_metrics_get_ascent (metrics) / (double) PANGO_SCALE;
      self->descent = pango_font_metrics_get_descent (metrics) / (double) PANGO_SCALE;
      pango_font_metrics_unref (metrics);
    }
  else
    {
      self->ascent = size_px * 0.8;
      self->descent = size_px * 0.2;
    }

  if (self->family == NULL)
    self->family = g_strdup (family);

  load_fast_path (self);

  return self;
}

HearthFont *
_hearth_font_get (const char *family,
                  double      size_px)
{
  g_autofree char *key = NULL;
  HearthFont *font;

  if (family == NULL || *family == '\0')
    family = "Sans";
  if (!(size_px >= 1 && size_px <= 200))
    size_px = 12;

  key = g_strdup_printf ("%s|%.2f", family, size_px);

  G_LOCK (pango);
  if (fonts == NULL)
    fonts = g_hash_table_new (g_str_hash, g_str_equal);
  font = g_hash_table_lookup (fonts, key);
  if (font == NULL)
    {
      font = hearth_font_new (family, size_px);
      g_hash_table_insert (fonts, g_steal_pointer (&key), font);
    }
  G_UNLOCK (pango);

  return font;
}

double
_hearth_font_get_size (HearthFont *font)
{
  return font->size;
}

double
_hearth_font_get_ascent (HearthFont *font)
{
  return font->ascent;
}

double
_hearth_font_get_descent (HearthFont *font)
{
  return font->descent;
}

const char *
_hearth_font_get_family (HearthFont *font)
{
  return font->family;
}

/* Number of leading ASCII bytes the fast path can draw; *ellipsis is set
 * when the rest is exactly "…". */
static gsize
fast_prefix (HearthFont *font,
             const char *text,
             gsize       length,
             gboolean   *ellipsis)
{
  gsize i = 0;

  *ellipsis = FALSE;
  if (!font->fast)
    return 0;

  while (i < length && (guchar) text[i] >= FIRST_ASCII && (guchar) text[i] <= LAST_ASCII)
    i++;

  if (i + ELLIPSIS_LEN == length && memcmp (text + i, ELLIPSIS, ELLIPSIS_LEN) == 0)
    *ellipsis = TRUE;

  return i;
}

static double
pango_measure_locked (HearthFont *font,
                      const char *text,
                      gsize       length)
{
  g_autoptr(PangoLayout) layout = pango_layout_new (font->context);
  PangoRectangle logical;

  pango_layout_set_font_description (layout, font->desc);
  pango_layout_set_text (layout, text, length);
  pango_layout_get_extents (layout, NULL, &logical);

  return logical.width / (double) PANGO_SCALE;
}

double
_hearth_font_measure (HearthFont *font,
                      const char *text,
                      gssize      length)
{
  gboolean ellipsis;
  gsize len = length < 0 ? strlen (text) : (gsize) length;
  gsize n = fast_prefix (font, text, len, &ellipsis);
  double width = 0;

  if (n == len || (ellipsis && n + ELLIPSIS_LEN == len))
    {
      for (gsize i = 0; i < n; i++)
        width += font->advance[(guchar) text[i]];
      if (ellipsis)
        width += font->ellipsis_advance;
      return width;
    }

  /* Names come from untrusted files: Pango must only see valid UTF-8. */
  {
    g_autofree char *copy = g_strndup (text, len);
    g_autofree char *clean = _hearth_text_sanitize (copy);

    G_LOCK (pango);
    width = pango_measure_locked (font, clean, strlen (clean));
    G_UNLOCK (pango);
  }

  return width;
}

static char *
with_ellipsis (const char *text,
               gsize       prefix)
{
  char *out = g_malloc (prefix + ELLIPSIS_LEN + 1);

  memcpy (out, text, prefix);
  memcpy (out + prefix, ELLIPSIS, ELLIPSIS_LEN + 1);

  return out;
}

char *
_hearth_font_fit (HearthFont *font,
                  const char *text,
                  double      max_width)
{
  gboolean ellipsis;
  gsize len = strlen (text);
  gsize n = fast_prefix (font, text, len, &ellipsis);

  if (len == 0 || !(max_width > 0))
    return NULL;

  if (n == len)
    {
      double width = 0;
      gsize fit = 0;
      double room = max_width - font->ellipsis_advance;

      for (gsize i = 0; i < n; i++)
        {
          width += font->advance[(guchar) text[i]];
          if (width <= room)
            fit = i + 1;
        }

      if (width <= max_width)
        return g_strndup (text, len);
      if (fit == 0)
        return NULL;
      return with_ellipsis (text, fit);
    }

  /* Slow path: binary search on whole characters. */
  {
    glong n_chars = g_utf8_strlen (text, len);
    glong lo = 0, hi = n_chars - 1;
    char *result = NULL;

    G_LOCK (pango);
    if (pango_measure_locked (font, text, len) <= max_width)
      {
        result = g_strndup (text, len);
      }
    else
      {
        while (lo < hi)
          {
            glong mid = (lo + hi + 1) / 2;
            gsize bytes = g_utf8_offset_to_pointer (text, mid) - text;
            g_autofree char *candidate = with_ellipsis (text, bytes);

            if (pango_measure_locked (font, candidate, strlen (candidate)) <= max_width)
              lo = mid;
            else
              hi = mid - 1;
          }
        if (lo > 0)
          result = with_ellipsis (text, g_utf8_offset_to_pointer (text, lo) - text);
      }
    G_UNLOCK (pango);

    return result;
  }
}

void
_hearth_font_show (HearthFont *font,
                   cairo_t    *cr,
                   double      x,
                   double      y,
                   const char *text)
{
  gboolean ellipsis;
  gsize len = strlen (text);
  gsize n = fast_prefix (font, text, len, &ellipsis);

  if (n == len || ellipsis)
    {
      cairo_glyph_t stack_glyphs[128];
      g_autofree cairo_glyph_t *heap_glyphs = NULL;
      cairo_glyph_t *glyphs = stack_glyphs;
      gsize n_glyphs = n + (ellipsis ? 1 : 0);
      double pen = x;

      if (n_glyphs > G_N_ELEMENTS (stack_glyphs))
        glyphs = heap_glyphs = g_new (cairo_glyph_t, n_glyphs);

      for (gsize i = 0; i < n; i++)
        {
          guchar c = (guchar) text[i];

          glyphs[i].index = font->glyph[c];
          glyphs[i].x = pen;
          glyphs[i].y = y;
          pen += font->advance[c];
        }
      if (ellipsis)
        {
          glyphs[n].index = font->ellipsis_glyph;
          glyphs[n].x = pen;
          glyphs[n].y = y;
        }

      cairo_set_scaled_font (cr, font->scaled_font);
      cairo_show_glyphs (cr, glyphs, n_glyphs);
      return;
    }

  G_LOCK (pango);
  {
    g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);

    pango_layout_set_font_description (layout, font->desc);
    pango_layout_set_text (layout, text, len);
    cairo_move_to (cr, x, y - pango_layout_get_baseline (layout) / (double) PANGO_SCALE);
    pango_cairo_show_layout (cr, layout);
  }
  G_UNLOCK (pango);
}

char *
_hearth_text_sanitize (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0xFFFE || c == 0xFFFF)
        g_string_append (out, "\xef\xbf\xbd");
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }

  return g_string_free (out, FALSE);
}
