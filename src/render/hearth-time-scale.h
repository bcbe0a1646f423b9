/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * HearthTimeScale: the linear map between profile time (ns from the
 * profile start) and x (logical pixels) used by the timeline, its axis,
 * brushing and export. [start_ns, end_ns) maps onto [x, x + width).
 */
typedef struct
{
  gint64 start_ns;
  gint64 end_ns;
  double x;
  double width;
} HearthTimeScale;

typedef struct
{
  gint64   time_ns;
  double   x;
  gboolean major;      /* every fifth (or tenth) tick, labelled */
} HearthTimeTick;

/* Not clamped: points outside the range map outside [x, x + width). An
 * empty or reversed scale maps everything to x. */
double   hearth_time_scale_time_to_x   (const HearthTimeScale *scale,
                                        gint64                 time_ns);
/* Inverse of time_to_x, rounded to the nearest nanosecond. */
gint64   hearth_time_scale_x_to_time   (const HearthTimeScale *scale,
                                        double                 x);
/* Nanoseconds per pixel (0 for an empty scale). */
double   hearth_time_scale_ns_per_px   (const HearthTimeScale *scale);

/* A "nice" tick step (1, 2 or 5 × 10^k ns; whole minutes past a minute)
 * so that ticks are at least min_spacing pixels apart. */
gint64   hearth_time_axis_step         (gint64                 span_ns,
                                        double                 width,
                                        double                 min_spacing);
/* Ticks at multiples of the step inside the scale; returns a GArray of
 * HearthTimeTick (caller frees). Labelled ticks are flagged major and are
 * at least 4 × min_spacing apart. */
GArray  *hearth_time_axis_ticks        (const HearthTimeScale *scale,
                                        double                 min_spacing,
                                        gint64                *label_step);
/* "2.5 s", "250 ms", "12 µs", "90 s": precise enough for step. */
char    *hearth_time_format            (gint64                 time_ns,
                                        gint64                 step_ns);

G_END_DECLS
