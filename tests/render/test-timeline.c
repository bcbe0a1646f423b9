/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "hearth-painter.h"
#include "hearth-timeline-painter.h"
#include "render-test-util.h"

#define S G_GINT64_CONSTANT (1000000000)
#define MS G_GINT64_CONSTANT (1000000)

static void
test_time_to_x (void)
{
  static const struct {
    HearthTimeScale scale;
    gint64          time_ns;
    double          x;
  } cases[] = {
    { { 1 * S, 3 * S, 10, 200 }, 1 * S,        10 },
    { { 1 * S, 3 * S, 10, 200 }, 2 * S,        110 },
    { { 1 * S, 3 * S, 10, 200 }, 3 * S,        210 },
    { { 1 * S, 3 * S, 10, 200 }, 1500 * MS,    60 },
    { { 1 * S, 3 * S, 10, 200 }, 0,            -90 },      /* not clamped */
    { { 0, 10 * MS, 0, 1000 },   2500000,      250 },
    { { 0, 3600 * S, 0, 1920 },  1800 * S,     960 },
    { { 5 * S, 5 * S, 42, 100 }, 7 * S,        42 },       /* empty scale */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const HearthTimeScale *s = &cases[i].scale;
      double x = hearth_time_scale_time_to_x (s, cases[i].time_ns);

      g_assert_cmpfloat_with_epsilon (x, cases[i].x, 1e-9);
      if (s->end_ns > s->start_ns)
        g_assert_cmpint (hearth_time_scale_x_to_time (s, x), ==, cases[i].time_ns);
    }

  /* Round trips at every pixel of a long recording. */
  {
    HearthTimeScale s = { 123456789, 3600 * S + 987, 17.5, 1733 };

    for (double x = s.x; x < s.x + s.width; x += 1)
      {
        gint64 t = hearth_time_scale_x_to_time (&s, x);

        g_assert_cmpfloat (fabs (hearth_time_scale_time_to_x (&s, t) - x), <, 1e-3);
      }
    g_assert_cmpfloat_with_epsilon (hearth_time_scale_ns_per_px (&s),
                                    (double) (s.end_ns - s.start_ns) / s.width, 1e-6);
  }
}

static void
test_axis_steps (void)
{
  static const struct {
    gint64 span_ns;
    double width;
    double spacing;
    gint64 step;
  } cases[] = {
    { 10 * S,     1000, 50, 500 * MS },
    { 10 * S,     1000, 80, 1 * S },
    { 1 * MS,     1000, 50, 50000 },
    { 7200 * S,   800,  80, 15 * 60 * S },
    { 60 * S,     600,  20, 2 * S },
    { 1000,       1000, 10, 10 },
    { 1,          1000, 10, 1 },
  };
  g_autoptr(GArray) ticks = NULL;
  HearthTimeScale scale = { 250 * MS, 2750 * MS, 0, 500 };
  gint64 label_step = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (hearth_time_axis_step (cases[i].span_ns, cases[i].width, cases[i].spacing),
                     ==, cases[i].step);

  /* 2.5 s over 500 px, ticks ≥ 20 px apart: every 100 ms from 300 ms,
   * labelled every 500 ms. */
  ticks = hearth_time_axis_ticks (&scale, 20, &label_step);
  g_assert_cmpint (label_step, ==, 500 * MS);
  g_assert_cmpuint (ticks->len, ==, 25);
  g_assert_cmpint (g_array_index (ticks, HearthTimeTick, 0).time_ns, ==, 300 * MS);
  g_assert_cmpfloat_with_epsilon (g_array_index (ticks, HearthTimeTick, 0).x, 10, 1e-9);
  for (guint i = 0; i < ticks->len; i++)
    {
      const HearthTimeTick *tick = &g_array_index (ticks, HearthTimeTick, i);

      g_assert_cmpint (tick->major, ==, tick->time_ns % (500 * MS) == 0);
      if (i > 0)
        g_assert_cmpfloat (tick->x - g_array_index (ticks, HearthTimeTick, i - 1).x, >=, 20 - 1e-9);
    }
}

static void
test_time_format (void)
{
  static const struct {
    gint64      time_ns;
    gint64      step_ns;
    const char *text;
  } cases[] = {
    { 0,            500 * MS,  "0 s" },
    { 2 * S,        1 * S,     "2 s" },
    { 90 * S,       30 * S,    "90 s" },
    { 2500 * MS,    500 * MS,  "2.5 s" },
    { 250 * MS,     50 * MS,   "0.25 s" },
    { 12 * MS,      2 * MS,    "12 ms" },
    { 1500000,      500000,    "1.5 ms" },
    { 12000,        2000,      "12 µs" },
    { 7,            1,         "7 ns" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = hearth_time_format (cases[i].time_ns, cases[i].step_ns);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_lane_pixels (void)
{
  HearthBucket buckets[4] = {0};
  HearthTimeRange range_a = { 2 * S, 3 * S };
  HearthTimelineLane lane = { .buckets = buckets, .n_buckets = 4, .range_a = &range_a };
  HearthTimeScale scale = { 0, 4 * S, 0, 400 };
  const HearthThemeColors *colors = hearth_theme_get_colors (HEARTH_THEME_LIGHT);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 100);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(HearthCanvas) canvas = hearth_canvas_new_cairo (cr, 1, "Sans", 12);
  HearthStyle style;
  HearthRgba shaded;

  buckets[0].weight[HEARTH_THREAD_STATE_RUNNING] = 10;                 /* full height, running */
  buckets[1].weight[HEARTH_THREAD_STATE_SLEEPING] = 5;                 /* half height, sleeping */
  buckets[3].weight[HEARTH_THREAD_STATE_RUNNING] = 5;
  buckets[3].weight[HEARTH_THREAD_STATE_DISK_WAIT] = 5;                /* stacked */

  hearth_style_init (&style);
  hearth_painter_paint_background (canvas, 400, 100, &style);
  hearth_timeline_paint_lane (canvas, &scale, 0, 100, &lane, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  g_assert_true (rt_color_near (rt_pixel (surface, 50, 90), colors->running, 1));
  g_assert_true (rt_color_near (rt_pixel (surface, 50, 20), colors->running, 1));
  g_assert_true (rt_color_near (rt_pixel (surface, 150, 90), colors->sleeping, 1));
  g_assert_true (rt_color_near (rt_pixel (surface, 150, 20), colors->background, 1));
  g_assert_true (rt_color_near (rt_pixel (surface, 350, 90), colors->running, 1));
  g_assert_true (rt_color_near (rt_pixel (surface, 350, 20), colors->disk_wait, 1));

  /* The empty bucket under range A: background tinted with A's colour. */
  shaded = hearth_color_mix (colors->background, colors->range_a, colors->range_a.alpha);
  g_assert_true (rt_color_near (rt_pixel (surface, 250, 60), shaded, 2));
  g_assert_false (rt_color_near (rt_pixel (surface, 250, 60), colors->background, 2));

  cairo_surface_destroy (surface);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/render/timeline/time-to-x", test_time_to_x);
  g_test_add_func ("/hearth/render/timeline/axis-steps", test_axis_steps);
  g_test_add_func ("/hearth/render/timeline/time-format", test_time_format);
  g_test_add_func ("/hearth/render/timeline/lane-pixels", test_lane_pixels);

  return g_test_run ();
}
