/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "hearth-canvas.h"
#include "hearth-layout.h"
#include "hearth-style.h"

G_BEGIN_DECLS

/*
 * The painter: draws a HearthLayout with a HearthStyle on a HearthCanvas.
 * The app's widgets, PNG export and SVG export all come through here.
 *
 * Frames are filled in their scheme colour (or by delta for a diff) with
 * a one-pixel gap, labelled with their function name cut to fit. With a
 * search, frames that do not match are dimmed. The selected node gets an
 * accent outline. A diff's elided strip gets its title ("Gone in B" /
 * "New in B"). The background is not painted (see
 * hearth_painter_paint_background) so widgets can use their own.
 */

void    hearth_painter_paint              (HearthCanvas           *canvas,
                                           HearthLayout           *layout,
                                           const HearthStyle      *style);
/* Convenience for widgets: a temporary cairo canvas. pixel_scale is the
 * device scale already applied to cr (GTK's scale factor). */
void    hearth_painter_paint_cairo        (cairo_t                *cr,
                                           double                  pixel_scale,
                                           HearthLayout           *layout,
                                           const HearthStyle      *style);
void    hearth_painter_paint_background   (HearthCanvas           *canvas,
                                           double                  width,
                                           double                  height,
                                           const HearthStyle      *style);

/* One-line description of an item, as used for SVG <title>s and
 * tooltips: "name (module) — 1,234 samples, 12.5%"; for a diff
 * "name (module) — A: 10 (1.0%), B: 30 (3.0%), Δ +2.0%". New string. */
char   *hearth_painter_describe_item      (HearthLayout           *layout,
                                           const HearthLayoutItem *item,
                                           const HearthStyle      *style);

/* Text colour that reads on a fill. */
HearthRgba hearth_painter_text_color_for  (const HearthStyle      *style,
                                           HearthRgba              fill);

/* Diff legend: "shrank −x [gradient] +x grew" with the measure and
 * normalisation named, starting at (x, y) (top-left), at most width wide.
 * range as from hearth_diff_compute_range(). Returns the height used. */
double  hearth_painter_paint_diff_legend  (HearthCanvas           *canvas,
                                           double                  x,
                                           double                  y,
                                           double                  width,
                                           const HearthStyle      *style,
                                           double                  range);
/* "1,234,567": sample counts in titles and headers, locale-independent. */
char   *hearth_painter_format_count       (guint64                 n);
/* Human form of a delta: "+1.25%" for shares, "+12.5/s" for rates. */
char   *hearth_painter_format_delta       (double                  delta,
                                           HearthDiffNormalize     normalize);

G_END_DECLS
