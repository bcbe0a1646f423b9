/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-canvas.h"
#include "hearth-font-private.h"

G_BEGIN_DECLS

/* One backend. Coordinates reaching it already include the offset. */
typedef struct
{
  void (*fill_rect)     (HearthCanvas *self, double x, double y, double w, double h,
                         HearthRgba color);
  void (*stroke_rect)   (HearthCanvas *self, double x, double y, double w, double h,
                         double line_width, HearthRgba color);
  void (*sector)        (HearthCanvas *self, double cx, double cy, double r0, double r1,
                         double a0, double a1, gboolean fill, double line_width,
                         HearthRgba color);
  void (*line)          (HearthCanvas *self, double x0, double y0, double x1, double y1,
                         double line_width, HearthRgba color);
  void (*text)          (HearthCanvas *self, double x, double y, const char *text,
                         HearthRgba color);
  void (*begin_group)   (HearthCanvas *self, const char *css_class, const char *title);
  void (*end_group)     (HearthCanvas *self);
  GString *(*finish)    (HearthCanvas *self);
  void (*free)          (HearthCanvas *self);
} HearthCanvasBackend;

struct _HearthCanvas
{
  const HearthCanvasBackend *backend;

  /* borrowed */
  HearthFont                *font;
  cairo_t                   *cr;           /* cairo backend */

  /* owned */
  GString                   *svg;          /* SVG backend */

  /* state */
  double                     dx, dy;
  double                     pixel_scale;
  guint                      group_depth;
};

void _hearth_canvas_svg_init (HearthCanvas *self,
                              double        width,
                              double        height);

G_END_DECLS
