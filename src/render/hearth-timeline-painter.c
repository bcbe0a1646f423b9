/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "hearth-timeline-painter.h"

#define TICK_SPACING 12.0
#define TICK_LENGTH   4.0

static void
paint_range (HearthCanvas          *canvas,
             const HearthTimeScale *scale,
             double                 y,
             double                 height,
             const HearthTimeRange *range,
             HearthRgba             color,
             const char            *name,
             const HearthStyle     *style)
{
  double x0 = hearth_time_scale_time_to_x (scale, range->start_ns);
  double x1 = hearth_time_scale_time_to_x (scale, range->end_ns);
  HearthRgba edge = color;
  double ascent = hearth_canvas_get_ascent (canvas);

  x0 = CLAMP (x0, scale->x, scale->x + scale->width);
  x1 = CLAMP (x1, scale->x, scale->x + scale->width);
  if (x1 < x0)
    return;

  edge.alpha = 1.0;
  hearth_canvas_begin_group (canvas, "range", name);
  hearth_canvas_fill_rect (canvas, x0, y, MAX (x1 - x0, 1.0), height, color);
  hearth_canvas_line (canvas, x0, y, x0, y + height, 1.0, edge);
  hearth_canvas_line (canvas, x1, y, x1, y + height, 1.0, edge);
  /* Top-right corner: the lane's own title sits top-left. */
  if (x1 - x0 > 14 && height > ascent + 2)
    hearth_canvas_text (canvas, x1 - 3, y + ascent + 1, name, HEARTH_TEXT_ALIGN_END, edge);
  hearth_canvas_end_group (canvas);
}

void
hearth_timeline_paint_lane (HearthCanvas             *canvas,
                            const HearthTimeScale    *scale,
                            double                    y,
                            double                    height,
                            const HearthTimelineLane *lane,
                            const HearthStyle        *style)
{
  const HearthThemeColors *colors;
  HearthRgba state_colors[HEARTH_N_THREAD_STATES];
  guint64 max = 0;
  double bucket_w;

  g_return_if_fail (canvas != NULL);
  g_return_if_fail (scale != NULL);
  g_return_if_fail (lane != NULL);
  g_return_if_fail (style != NULL);

  colors = hearth_theme_get_colors (style->theme);
  state_colors[HEARTH_THREAD_STATE_RUNNING] = colors->running;
  state_colors[HEARTH_THREAD_STATE_SLEEPING] = colors->sleeping;
  state_colors[HEARTH_THREAD_STATE_DISK_WAIT] = colors->disk_wait;
  state_colors[HEARTH_THREAD_STATE_OTHER] = colors->other;

  hearth_canvas_begin_group (canvas, "lane", lane->label);
  hearth_canvas_line (canvas, scale->x, y + height - 0.5, scale->x + scale->width,
                      y + height - 0.5, 1.0, colors->grid);

  max = lane->max_weight;
  if (max == 0)
    for (guint i = 0; i < lane->n_buckets; i++)
      {
        guint64 sum = 0;

        for (guint s = 0; s < HEARTH_N_THREAD_STATES; s++)
          sum += lane->buckets[i].weight[s];
        max = MAX (max, sum);
      }

  bucket_w = lane->n_buckets ? scale->width / lane->n_buckets : 0;

  if (max > 0 && lane->buckets != NULL)
    for (guint i = 0; i < lane->n_buckets; i++)
      {
        double base = y + height - 1;
        double x = scale->x + i * bucket_w;

        for (guint s = 0; s < HEARTH_N_THREAD_STATES; s++)
          {
            double h = (double) lane->buckets[i].weight[s] / (double) max * (height - 2);

            if (h <= 0)
              continue;
            /* Keep a single sample visible. */
            h = MAX (h, 1.0);
            hearth_canvas_fill_rect (canvas, x, base - h, MAX (bucket_w, 1.0), h, state_colors[s]);
            base -= h;
          }
      }

  if (lane->range_a != NULL)
    paint_range (canvas, scale, y, height, lane->range_a, colors->range_a, "A", style);
  if (lane->range_b != NULL)
    paint_range (canvas, scale, y, height, lane->range_b, colors->range_b, "B", style);

  for (guint i = 0; i < lane->n_markers && lane->markers != NULL; i++)
    {
      double x = hearth_time_scale_time_to_x (scale, lane->markers[i]);

      if (x >= scale->x && x <= scale->x + scale->width)
        hearth_canvas_line (canvas, x, y, x, y + height, 1.5, colors->marker);
    }

  if (lane->label != NULL)
    {
      g_autofree char *fitted = hearth_canvas_fit_text (canvas, lane->label, scale->width / 3);

      if (fitted != NULL)
        hearth_canvas_text (canvas, scale->x + 4, y + hearth_canvas_get_ascent (canvas) + 2,
                            fitted, HEARTH_TEXT_ALIGN_START, colors->text);
    }

  hearth_canvas_end_group (canvas);
}

double
hearth_timeline_paint_axis (HearthCanvas          *canvas,
                            const HearthTimeScale *scale,
                            double                 y,
                            const HearthStyle     *style)
{
  const HearthThemeColors *colors = hearth_theme_get_colors (style->theme);
  double ascent = hearth_canvas_get_ascent (canvas);
  double descent = hearth_canvas_get_descent (canvas);
  double label_w = hearth_canvas_measure_text (canvas, "00.00 ms") + 8;
  g_autoptr(GArray) ticks = NULL;
  gint64 label_step = 0;

  g_return_val_if_fail (canvas != NULL, 0);
  g_return_val_if_fail (scale != NULL, 0);

  /* Labels need room: choose the label step from their width. */
  ticks = hearth_time_axis_ticks (scale, MAX (TICK_SPACING, label_w / 4), &label_step);

  hearth_canvas_begin_group (canvas, "axis", NULL);
  hearth_canvas_line (canvas, scale->x, y + 0.5, scale->x + scale->width, y + 0.5, 1.0, colors->grid);

  for (guint i = 0; i < ticks->len; i++)
    {
      const HearthTimeTick *tick = &g_array_index (ticks, HearthTimeTick, i);
      double len = tick->major ? 2 * TICK_LENGTH : TICK_LENGTH;

      hearth_canvas_line (canvas, tick->x, y, tick->x, y + len, 1.0, colors->text_dim);

      if (tick->major)
        {
          g_autofree char *text = hearth_time_format (tick->time_ns, label_step);
          HearthTextAlign align = HEARTH_TEXT_ALIGN_CENTER;
          double tx = tick->x;

          /* Keep the end labels inside the axis. */
          if (tick->x - scale->x < label_w / 2)
            {
              align = HEARTH_TEXT_ALIGN_START;
              tx = MAX (tick->x, scale->x) + 1;
            }
          else if (scale->x + scale->width - tick->x < label_w / 2)
            {
              align = HEARTH_TEXT_ALIGN_END;
              tx = tick->x - 1;
            }

          hearth_canvas_text (canvas, tx, y + 2 * TICK_LENGTH + ascent + 1, text, align,
                              colors->text_dim);
        }
    }

  hearth_canvas_end_group (canvas);

  return 2 * TICK_LENGTH + ascent + descent + 2;
}
