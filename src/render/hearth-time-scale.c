/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "hearth-time-scale.h"

#define NS_PER_S   G_GINT64_CONSTANT (1000000000)

double
hearth_time_scale_time_to_x (const HearthTimeScale *scale,
                             gint64                 time_ns)
{
  g_return_val_if_fail (scale != NULL, 0);

  if (scale->end_ns <= scale->start_ns)
    return scale->x;

  return scale->x + (double) (time_ns - scale->start_ns) * scale->width
                    / (double) (scale->end_ns - scale->start_ns);
}

gint64
hearth_time_scale_x_to_time (const HearthTimeScale *scale,
                             double                 x)
{
  double t;

  g_return_val_if_fail (scale != NULL, 0);

  if (!(scale->width > 0) || scale->end_ns <= scale->start_ns)
    return scale->start_ns;

  t = (x - scale->x) / scale->width * (double) (scale->end_ns - scale->start_ns);
  t = CLAMP (t, (double) G_MININT64 / 2, (double) G_MAXINT64 / 2);

  return scale->start_ns + (gint64) llround (t);
}

double
hearth_time_scale_ns_per_px (const HearthTimeScale *scale)
{
  g_return_val_if_fail (scale != NULL, 0);

  if (!(scale->width > 0) || scale->end_ns <= scale->start_ns)
    return 0;

  return (double) (scale->end_ns - scale->start_ns) / scale->width;
}

gint64
hearth_time_axis_step (gint64 span_ns,
                       double width,
                       double min_spacing)
{
  static const gint64 minutes[] = { 1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 720, 1440 };
  double min_step;
  gint64 decade = 1;

  if (span_ns <= 0 || !(width > 0))
    return NS_PER_S;
  if (!(min_spacing > 0))
    min_spacing = 1;

  min_step = (double) span_ns * min_spacing / width;

  if (min_step > 30 * NS_PER_S)
    {
      for (guint i = 0; i < G_N_ELEMENTS (minutes); i++)
        if (minutes[i] * 60 * NS_PER_S >= min_step)
          return minutes[i] * 60 * NS_PER_S;
      return (gint64) ceil (min_step / (86400.0 * NS_PER_S)) * 86400 * NS_PER_S;
    }

  for (;;)
    {
      if (decade >= min_step)
        return decade;
      if (2 * decade >= min_step)
        return 2 * decade;
      if (5 * decade >= min_step)
        return 5 * decade;
      decade *= 10;
    }
}

GArray *
hearth_time_axis_ticks (const HearthTimeScale *scale,
                        double                 min_spacing,
                        gint64                *label_step)
{
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (HearthTimeTick));
  gint64 span, step, major, first;

  g_return_val_if_fail (scale != NULL, ticks);

  span = scale->end_ns - scale->start_ns;
  step = hearth_time_axis_step (span, scale->width, min_spacing);
  major = hearth_time_axis_step (span, scale->width, 4 * MAX (min_spacing, 1.0));
  if (major % step != 0)
    major = step * ((major + step - 1) / step);

  if (label_step)
    *label_step = major;

  if (span <= 0 || !(scale->width > 0))
    return ticks;

  /* First multiple of step at or after start (floor division for negatives). */
  first = scale->start_ns / step * step;
  if (first < scale->start_ns)
    first += step;

  for (gint64 t = first; t < scale->end_ns && ticks->len < 10000; t += step)
    {
      HearthTimeTick tick = {
        .time_ns = t,
        .x = hearth_time_scale_time_to_x (scale, t),
        .major = t % major == 0,
      };
      g_array_append_val (ticks, tick);
    }

  return ticks;
}

char *
hearth_time_format (gint64 time_ns,
                    gint64 step_ns)
{
  double t = (double) time_ns;
  gint64 abs_step = step_ns < 0 ? -step_ns : step_ns;

  if (abs_step == 0)
    abs_step = 1;

  if (abs_step >= NS_PER_S || time_ns == 0)
    {
      if (abs_step % NS_PER_S == 0 || time_ns == 0)
        return g_strdup_printf ("%.0f s", t / 1e9);
    }

  if (abs_step >= 100000000)
    return g_strdup_printf ("%.1f s", t / 1e9);
  if (abs_step >= 10000000)
    return g_strdup_printf ("%.2f s", t / 1e9);
  if (abs_step >= 1000000)
    return g_strdup_printf ("%.0f ms", t / 1e6);
  if (abs_step >= 100000)
    return g_strdup_printf ("%.1f ms", t / 1e6);
  if (abs_step >= 10000)
    return g_strdup_printf ("%.2f ms", t / 1e6);
  if (abs_step >= 1000)
    return g_strdup_printf ("%.0f µs", t / 1e3);

  return g_strdup_printf ("%.0f ns", t);
}
