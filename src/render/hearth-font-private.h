/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/*
 * _HearthFont: a font loaded once through Pango and shared by every canvas
 * (screen, PNG, SVG) so text is measured the same way everywhere.
 *
 * Labels are mostly ASCII identifiers, and laying each out through a
 * PangoLayout costs tens of microseconds; thousands of labels per frame
 * would blow the frame budget. So the printable ASCII glyphs and "…" are
 * shaped once, and ASCII labels are measured by summing advances and drawn
 * with cairo_show_glyphs(). Anything else takes the PangoLayout path
 * (font fallback, shaping) under a global lock: Pango objects are not
 * thread-safe and export runs in worker threads.
 *
 * Fonts are cached for the life of the process and never freed.
 */

typedef struct _HearthFont HearthFont;

/* family: fontconfig family ("Sans", "DejaVu Sans"); size in pixels. */
HearthFont  *_hearth_font_get             (const char  *family,
                                           double       size_px);
double       _hearth_font_get_size        (HearthFont  *font);
double       _hearth_font_get_ascent      (HearthFont  *font);
double       _hearth_font_get_descent     (HearthFont  *font);
/* Resolved family name, for SVG's font-family. */
const char  *_hearth_font_get_family      (HearthFont  *font);
/* Any bytes; invalid UTF-8 and control characters are measured as the
 * U+FFFD that hearth_canvas_text() would draw. */
double       _hearth_font_measure         (HearthFont  *font,
                                           const char  *text,
                                           gssize       length);
/* The longest prefix of text that fits max_width followed by "…", or the
 * whole text if it fits; NULL when not even one character and "…" fit.
 * text must be valid UTF-8. */
char        *_hearth_font_fit             (HearthFont  *font,
                                           const char  *text,
                                           double       max_width);
/* Draw text with its baseline's left end at (x, y) in the current source. */
void         _hearth_font_show            (HearthFont  *font,
                                           cairo_t     *cr,
                                           double       x,
                                           double       y,
                                           const char  *text);

/* Valid UTF-8 without control characters (each replaced by U+FFFD), safe
 * for labels and for XML 1.0. Returns a new string. */
char        *_hearth_text_sanitize        (const char  *text);

G_END_DECLS
