/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "hearth-color.h"

G_BEGIN_DECLS

/*
 * HearthCanvas: the few drawing operations the painters need, with two
 * backends: a cairo_t (screen, PNG) and SVG text written by hand (so each
 * frame can be a <g> with a <title> and selectable <text>, which cairo's
 * SVG surface cannot do). Painters only ever draw through a canvas, so the
 * screen, the PNG and the SVG cannot drift apart.
 *
 * Coordinates are logical pixels; angles are radians, 0 at twelve
 * o'clock, clockwise. Text is measured with the same font data in both
 * backends (see hearth-font-private.h).
 */

typedef struct _HearthCanvas HearthCanvas;

typedef enum
{
  HEARTH_TEXT_ALIGN_START,
  HEARTH_TEXT_ALIGN_CENTER,
  HEARTH_TEXT_ALIGN_END,
} HearthTextAlign;

/* The canvas borrows cr; pixel_scale is device pixels per logical pixel
 * (the HiDPI factor already applied to cr), used to snap edges. */
HearthCanvas *hearth_canvas_new_cairo      (cairo_t          *cr,
                                            double            pixel_scale,
                                            const char       *font_family,
                                            double            font_size);
HearthCanvas *hearth_canvas_new_svg        (double            width,
                                            double            height,
                                            const char       *font_family,
                                            double            font_size);
/* SVG: closes the document and returns it (caller owns); NULL for cairo. */
GString      *hearth_canvas_finish         (HearthCanvas     *self);
void          hearth_canvas_free           (HearthCanvas     *self);

gboolean      hearth_canvas_is_svg         (HearthCanvas     *self);
double        hearth_canvas_get_pixel_scale (HearthCanvas    *self);

/* Offset every later operation (nested offsets add up). */
void          hearth_canvas_translate      (HearthCanvas     *self,
                                            double            dx,
                                            double            dy);

void          hearth_canvas_fill_rect      (HearthCanvas     *self,
                                            double            x,
                                            double            y,
                                            double            width,
                                            double            height,
                                            HearthRgba        color);
void          hearth_canvas_stroke_rect    (HearthCanvas     *self,
                                            double            x,
                                            double            y,
                                            double            width,
                                            double            height,
                                            double            line_width,
                                            HearthRgba        color);
/* Annular sector between radii r0 < r1 and angles a0 < a1; r0 = 0 and a
 * full turn give a disc. */
void          hearth_canvas_fill_sector    (HearthCanvas     *self,
                                            double            cx,
                                            double            cy,
                                            double            r0,
                                            double            r1,
                                            double            a0,
                                            double            a1,
                                            HearthRgba        color);
void          hearth_canvas_stroke_sector  (HearthCanvas     *self,
                                            double            cx,
                                            double            cy,
                                            double            r0,
                                            double            r1,
                                            double            a0,
                                            double            a1,
                                            double            line_width,
                                            HearthRgba        color);
void          hearth_canvas_line           (HearthCanvas     *self,
                                            double            x0,
                                            double            y0,
                                            double            x1,
                                            double            y1,
                                            double            line_width,
                                            HearthRgba        color);

double        hearth_canvas_get_font_size  (HearthCanvas     *self);
double        hearth_canvas_get_ascent     (HearthCanvas     *self);
double        hearth_canvas_get_descent    (HearthCanvas     *self);
double        hearth_canvas_measure_text   (HearthCanvas     *self,
                                            const char       *text);
/* Text cut to max_width with "…" (never wider); NULL if nothing fits.
 * text may be any bytes: it is sanitised first. */
char         *hearth_canvas_fit_text       (HearthCanvas     *self,
                                            const char       *text,
                                            double            max_width);
/* Draw text (already fitted) with its baseline at y; x is the start,
 * centre or end per align. */
void          hearth_canvas_text           (HearthCanvas     *self,
                                            double            x,
                                            double            y,
                                            const char       *text,
                                            HearthTextAlign   align,
                                            HearthRgba        color);

/* Group the following drawing as one described element (SVG <g> with
 * <title>; ignored by cairo). Groups may nest. css_class may be NULL. */
void          hearth_canvas_begin_group    (HearthCanvas     *self,
                                            const char       *css_class,
                                            const char       *title);
void          hearth_canvas_end_group      (HearthCanvas     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthCanvas, hearth_canvas_free)

G_END_DECLS
