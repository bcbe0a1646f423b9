/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Colours are plain sRGB doubles in [0, 1]. */
typedef struct
{
  double red;
  double green;
  double blue;
  double alpha;
} HearthRgba;

#define HEARTH_RGBA_INIT(r, g, b) ((HearthRgba) { (r) / 255.0, (g) / 255.0, (b) / 255.0, 1.0 })

typedef enum
{
  HEARTH_COLOR_SCHEME_HASH,     /* warm palette keyed by function name (flamegraph.pl "hot") */
  HEARTH_COLOR_SCHEME_MODULE,   /* one hue per module (binary, library, Python file) */
  HEARTH_COLOR_SCHEME_KIND,     /* native / python / kernel / unknown */
  HEARTH_COLOR_SCHEME_STATE,    /* share of running samples: see HearthStyle.running_share */
} HearthColorScheme;

typedef enum
{
  HEARTH_THEME_LIGHT,
  HEARTH_THEME_DARK,
} HearthTheme;

typedef enum
{
  HEARTH_DIFF_PALETTE_RED_BLUE,     /* red grows, blue shrinks */
  HEARTH_DIFF_PALETTE_COLORBLIND,   /* orange grows, blue shrinks (Okabe-Ito) */
} HearthDiffPalette;

/* Stable 32-bit FNV-1a hash; the same name gets the same colour in every
 * run, view and export. */
guint32    hearth_color_hash            (const char        *str);

/* Warm flamegraph.pl-like colour for a function name. */
HearthRgba hearth_color_for_name        (const char        *name);
/* A hue per module; module NULL or "" gives grey. */
HearthRgba hearth_color_for_module      (const char        *module);
/* Kind colour, varied slightly by name so neighbours stay distinct. */
HearthRgba hearth_color_for_kind        (guint              kind,
                                         const char        *name);
/* Running share 1.0 → warm (on CPU), 0.0 → cool (waiting). */
HearthRgba hearth_color_for_running     (double             running_share);

/* Colour for a normalised diff intensity in [-1, 1] (already divided by
 * the legend's range): 0 is neutral grey, +1 full "grew", -1 full
 * "shrank", with a square-root ramp between. Values outside are clamped. */
HearthRgba hearth_color_for_delta       (double             intensity,
                                         HearthDiffPalette  palette,
                                         HearthTheme        theme);

HearthRgba hearth_color_mix             (HearthRgba         a,
                                         HearthRgba         b,
                                         double             t);
/* Relative luminance (WCAG), used to pick black or white text. */
double     hearth_color_luminance       (HearthRgba         c);
/* "#rrggbb" (alpha ignored) into buf of at least 8 bytes. */
void       hearth_color_to_hex          (HearthRgba         c,
                                         char              *buf);

G_END_DECLS
