/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hearth-color.h"
#include "hearth-types.h"

/* Three independent values in [0, 1) from one name, so similar names
 * ("foo", "foo2") still land on visibly different colours. */
static void
hash_values (const char *str,
             double     *v1,
             double     *v2,
             double     *v3)
{
  guint32 h = hearth_color_hash (str);
  guint32 h2 = h * 2654435761u;
  guint32 h3 = (h ^ (h >> 15)) * 2246822519u;

  *v1 = (h & 0xffff) / 65536.0;
  *v2 = (h2 >> 16) / 65536.0;
  *v3 = (h3 >> 16) / 65536.0;
}

static HearthRgba
rgb (double r,
     double g,
     double b)
{
  return (HearthRgba) { r / 255.0, g / 255.0, b / 255.0, 1.0 };
}

static HearthRgba
from_hsl (double h,
          double s,
          double l)
{
  double c = (1.0 - fabs (2.0 * l - 1.0)) * s;
  double hp = fmod (h, 360.0) / 60.0;
  double x = c * (1.0 - fabs (fmod (hp, 2.0) - 1.0));
  double m = l - c / 2.0;
  double r = 0, g = 0, b = 0;

  if (hp < 1)      { r = c; g = x; }
  else if (hp < 2) { r = x; g = c; }
  else if (hp < 3) { g = c; b = x; }
  else if (hp < 4) { g = x; b = c; }
  else if (hp < 5) { r = x; b = c; }
  else             { r = c; b = x; }

  return (HearthRgba) { r + m, g + m, b + m, 1.0 };
}

guint32
hearth_color_hash (const char *str)
{
  guint32 h = 2166136261u;

  if (str == NULL)
    return h;

  for (const guchar *p = (const guchar *) str; *p; p++)
    {
      h ^= *p;
      h *= 16777619u;
    }

  return h;
}

HearthRgba
hearth_color_for_name (const char *name)
{
  double v1, v2, v3;

  hash_values (name, &v1, &v2, &v3);

  /* flamegraph.pl's "hot" palette */
  return rgb (205 + 50 * v3, 230 * v1, 55 * v2);
}

HearthRgba
hearth_color_for_module (const char *module)
{
  const char *base;
  double v1, v2, v3;

  if (module == NULL || *module == '\0')
    return rgb (180, 180, 180);

  /* Colour by file name so /usr/lib/x/libc.so.6 and a rebuilt copy match. */
  base = strrchr (module, '/');
  base = base ? base + 1 : module;

  hash_values (base, &v1, &v2, &v3);

  return from_hsl (360.0 * v1, 0.55 + 0.2 * v2, 0.62 + 0.1 * v3);
}

HearthRgba
hearth_color_for_kind (guint       kind,
                       const char *name)
{
  double v1, v2, v3;

  hash_values (name, &v1, &v2, &v3);

  switch (kind)
    {
    case HEARTH_FRAME_KIND_NATIVE:
      return rgb (225 + 25 * v1, 185 + 35 * v2, 70 + 40 * v3);
    case HEARTH_FRAME_KIND_PYTHON:
      return rgb (85 + 40 * v1, 175 + 40 * v2, 90 + 40 * v3);
    case HEARTH_FRAME_KIND_KERNEL:
      return rgb (230 + 20 * v1, 105 + 40 * v2, 50 + 30 * v3);
    case HEARTH_FRAME_KIND_UNKNOWN:
    default:
      {
        double g = 165 + 30 * v1;
        return rgb (g, g, g);
      }
    }
}

HearthRgba
hearth_color_for_running (double running_share)
{
  HearthRgba waiting = rgb (105, 150, 215);
  HearthRgba running = rgb (238, 110, 45);

  return hearth_color_mix (waiting, running, CLAMP (running_share, 0.0, 1.0));
}

HearthRgba
hearth_color_for_delta (double            intensity,
                        HearthDiffPalette palette,
                        HearthTheme       theme)
{
  HearthRgba neutral = theme == HEARTH_THEME_DARK ? rgb (120, 120, 120) : rgb (208, 208, 208);
  HearthRgba grew, shrank;

  if (palette == HEARTH_DIFF_PALETTE_COLORBLIND)
    {
      grew = rgb (230, 159, 0);
      shrank = rgb (0, 114, 178);
    }
  else
    {
      grew = rgb (222, 45, 38);
      shrank = rgb (49, 110, 220);
    }

  if (isnan (intensity))
    return neutral;

  intensity = CLAMP (intensity, -1.0, 1.0);

  /* A square-root ramp: a change of a tenth of the legend's range is
   * still visibly tinted instead of lost in the neutral grey. */
  if (intensity >= 0)
    return hearth_color_mix (neutral, grew, sqrt (intensity));
  else
    return hearth_color_mix (neutral, shrank, sqrt (-intensity));
}

HearthRgba
hearth_color_mix (HearthRgba a,
                  HearthRgba b,
                  double     t)
{
  return (HearthRgba) {
    a.red + (b.red - a.red) * t,
    a.green + (b.green - a.green) * t,
    a.blue + (b.blue - a.blue) * t,
    a.alpha + (b.alpha - a.alpha) * t,
  };
}

static double
linear (double c)
{
  return c <= 0.03928 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

double
hearth_color_luminance (HearthRgba c)
{
  return 0.2126 * linear (c.red) + 0.7152 * linear (c.green) + 0.0722 * linear (c.blue);
}

void
hearth_color_to_hex (HearthRgba  c,
                     char       *buf)
{
  static const char digits[] = "0123456789abcdef";
  double ch[3] = { c.red, c.green, c.blue };

  buf[0] = '#';
  for (guint i = 0; i < 3; i++)
    {
      guint v = (guint) (CLAMP (ch[i], 0.0, 1.0) * 255.0 + 0.5);
      buf[1 + 2 * i] = digits[v >> 4];
      buf[2 + 2 * i] = digits[v & 0xf];
    }
  buf[7] = '\0';
}
