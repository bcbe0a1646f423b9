/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "hearth-export.h"
#include "hearth-font-private.h"
#include "hearth-painter.h"

#define HEADER_PAD      6.0
#define LANE_HEIGHT    44.0
#define LANE_PAD        4.0
/* hearth_timeline_paint_axis() uses a line height plus its ticks */
#define AXIS_EXTRA      6.0
#define MAX_IMAGE_SIDE 32767

G_DEFINE_QUARK (hearth-export-error-quark, hearth_export_error)

gboolean
hearth_export_format_from_path (const char         *path,
                                HearthExportFormat *format)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".png"))
    *format = HEARTH_EXPORT_FORMAT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *format = HEARTH_EXPORT_FORMAT_SVG;
  else if (g_str_has_suffix (lower, ".folded") || g_str_has_suffix (lower, ".txt"))
    *format = HEARTH_EXPORT_FORMAT_FOLDED;
  else
    return FALSE;

  return TRUE;
}

static double
line_height (const HearthStyle *style)
{
  HearthFont *font = _hearth_font_get (style->font_family, style->font_size);

  return _hearth_font_get_ascent (font) + _hearth_font_get_descent (font) + 4;
}

static gboolean
has_legend (const HearthExportScene *scene)
{
  return scene->legend && scene->style->diff;
}

double
hearth_export_scene_header_height (const HearthExportScene *scene)
{
  double lh, h = 0;

  g_return_val_if_fail (scene != NULL, 0);
  g_return_val_if_fail (scene->style != NULL, 0);

  lh = line_height (scene->style);

  if (scene->title != NULL)
    h += lh + 2;
  if (scene->details != NULL)
    h += lh;
  if (has_legend (scene))
    h += lh;
  if (scene->lane != NULL)
    h += LANE_PAD + LANE_HEIGHT + lh + AXIS_EXTRA;
  if (h > 0)
    h += 2 * HEADER_PAD;

  return h;
}

static void
paint_header (HearthCanvas            *canvas,
              const HearthExportScene *scene,
              double                   width)
{
  const HearthStyle *style = scene->style;
  const HearthThemeColors *colors = hearth_theme_get_colors (style->theme);
  double lh = line_height (style);
  double ascent = hearth_canvas_get_ascent (canvas);
  double y = HEADER_PAD;

  if (scene->title != NULL)
    {
      g_autofree char *fitted = hearth_canvas_fit_text (canvas, scene->title, width - 2 * HEADER_PAD);

      if (fitted != NULL)
        hearth_canvas_text (canvas, width / 2, y + ascent + 2, fitted,
                            HEARTH_TEXT_ALIGN_CENTER, colors->text);
      y += lh + 2;
    }

  if (scene->details != NULL)
    {
      g_autofree char *fitted = hearth_canvas_fit_text (canvas, scene->details, width - 2 * HEADER_PAD);

      if (fitted != NULL)
        hearth_canvas_text (canvas, HEADER_PAD, y + ascent + 2, fitted,
                            HEARTH_TEXT_ALIGN_START, colors->text_dim);
      y += lh;
    }

  if (has_legend (scene))
    {
      double range = style->diff_options.range > 0
                   ? style->diff_options.range
                   : hearth_diff_compute_range (hearth_layout_get_tree (scene->layout), &style->diff_options);

      hearth_painter_paint_diff_legend (canvas, HEADER_PAD, y, width - 2 * HEADER_PAD, style, range);
      y += lh;
    }

  if (scene->lane != NULL)
    {
      HearthTimeScale scale = scene->lane_scale;

      scale.x = HEADER_PAD;
      scale.width = width - 2 * HEADER_PAD;
      y += LANE_PAD;
      hearth_timeline_paint_lane (canvas, &scale, y, LANE_HEIGHT, scene->lane, style);
      hearth_timeline_paint_axis (canvas, &scale, y + LANE_HEIGHT, style);
    }
}

void
hearth_export_scene_paint (HearthCanvas            *canvas,
                           const HearthExportScene *scene)
{
  const HearthLayoutOptions *o;
  double header;

  g_return_if_fail (canvas != NULL);
  g_return_if_fail (scene != NULL);
  g_return_if_fail (scene->layout != NULL);

  o = hearth_layout_get_options (scene->layout);
  header = hearth_export_scene_header_height (scene);

  hearth_painter_paint_background (canvas, o->width, header + o->height, scene->style);
  if (header > 0)
    paint_header (canvas, scene, o->width);

  hearth_canvas_translate (canvas, 0, header);
  hearth_painter_paint (canvas, scene->layout, scene->style);
  hearth_canvas_translate (canvas, 0, -header);
}

static void
scene_size (const HearthExportScene *scene,
            double                  *width,
            double                  *height)
{
  const HearthLayoutOptions *o = hearth_layout_get_options (scene->layout);

  *width = o->width;
  *height = o->height + hearth_export_scene_header_height (scene);
}

cairo_surface_t *
hearth_export_scene_render_image (const HearthExportScene  *scene,
                                  double                    scale,
                                  GError                  **error)
{
  g_autoptr(HearthCanvas) canvas = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width, height;
  int pw, ph;

  g_return_val_if_fail (scene != NULL, NULL);

  if (!(scale > 0))
    scale = 1.0;

  scene_size (scene, &width, &height);
  if (width * scale > MAX_IMAGE_SIDE || height * scale > MAX_IMAGE_SIDE)
    {
      g_set_error (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_RENDER,
                   "The image would be %.0f × %.0f pixels; PNG export is limited to %d on a side. "
                   "Use a smaller --width/--height/--scale, or export SVG",
                   width * scale, height * scale, MAX_IMAGE_SIDE);
      return NULL;
    }

  pw = MAX (1, (int) (width * scale + 0.5));
  ph = MAX (1, (int) (height * scale + 0.5));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_RENDER,
                   "Cannot create a %d × %d image: %s", pw, ph,
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }

  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  canvas = hearth_canvas_new_cairo (cr, scale, scene->style->font_family, scene->style->font_size);
  hearth_export_scene_paint (canvas, scene);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

GString *
hearth_export_scene_render_svg (const HearthExportScene *scene)
{
  g_autoptr(HearthCanvas) canvas = NULL;
  double width, height;

  g_return_val_if_fail (scene != NULL, NULL);

  scene_size (scene, &width, &height);
  canvas = hearth_canvas_new_svg (width, height, scene->style->font_family, scene->style->font_size);
  hearth_export_scene_paint (canvas, scene);

  return hearth_canvas_finish (canvas);
}

gboolean
hearth_export_scene_write (const HearthExportScene  *scene,
                           HearthExportFormat        format,
                           double                    scale,
                           const char               *path,
                           GError                  **error)
{
  g_return_val_if_fail (scene != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (format == HEARTH_EXPORT_FORMAT_PNG)
    {
      cairo_surface_t *surface = hearth_export_scene_render_image (scene, scale, error);
      cairo_status_t status;

      if (surface == NULL)
        return FALSE;

      status = cairo_surface_write_to_png (surface, path);
      cairo_surface_destroy (surface);
      if (status != CAIRO_STATUS_SUCCESS)
        {
          g_set_error (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_IO,
                       "Cannot write %s: %s. Check that the folder exists and is writable",
                       path, status == CAIRO_STATUS_WRITE_ERROR ? g_strerror (errno)
                                                                : cairo_status_to_string (status));
          return FALSE;
        }
      return TRUE;
    }

  if (format == HEARTH_EXPORT_FORMAT_SVG)
    {
      g_autoptr(GString) svg = hearth_export_scene_render_svg (scene);
      g_autoptr(GError) local_error = NULL;

      if (!g_file_set_contents (path, svg->str, svg->len, &local_error))
        {
          g_set_error (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_IO,
                       "Cannot write %s: %s", path, local_error->message);
          return FALSE;
        }
      return TRUE;
    }

  g_set_error (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_USAGE,
               "A scene can only be written as PNG or SVG, not folded stacks (%s)", path);
  return FALSE;
}
