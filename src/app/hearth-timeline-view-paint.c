/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "hearth-canvas.h"
#include "hearth-timeline-painter.h"
#include "hearth-timeline-view-private.h"

/*
 * Drawing of HearthTimelineView: the buckets of each visible lane come
 * from hearth_profile_timeline() once per window and width, and every
 * frame is painted by the render library (lanes, axis) on a canvas; only
 * the gutter, the marker flags and the keyboard cursor are drawn here.
 */


gboolean
_hearth_timeline_view_is_dark (HearthTimelineView *self)
{
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
}

static int
compare_guint64 (gconstpointer a,
                 gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return x < y ? -1 : x > y;
}

static guint64
bucket_sum (const HearthBucket *bucket)
{
  guint64 sum = 0;

  for (guint s = 0; s < HEARTH_N_THREAD_STATES; s++)
    sum += bucket->weight[s];
  return sum;
}

/* A lane's full height: a high percentile of its buckets rather than the
 * largest, so one bucket where the sampler caught up does not flatten
 * the rest of the lane (taller buckets are clipped when painted). */
static guint64
robust_max (const HearthBucket *buckets,
            guint               n)
{
  g_autofree guint64 *sums = g_new (guint64, MAX (n, 1));
  guint64 p98;

  for (guint i = 0; i < n; i++)
    sums[i] = bucket_sum (&buckets[i]);
  qsort (sums, n, sizeof (guint64), compare_guint64);
  p98 = n ? sums[MIN (n - 1, n * 98 / 100)] : 0;
  return n ? MIN (sums[n - 1], p98 + p98 / 4 + 1) : 0;
}

/* Buckets are made for the visible lanes only, once per window and
 * width: each costs O(buckets) whatever the number of samples. */
static void
ensure_buckets (HearthTimelineView    *self,
                const HearthTimeScale *scale)
{
  if (self->cached_width == scale->width && self->cached_start == scale->start_ns &&
      self->cached_end == scale->end_ns)
    return;

  for (guint i = 0; i < self->lanes->len; i++)
    {
      HearthTimelineRow *lane = &g_array_index (self->lanes, HearthTimelineRow, i);

      g_clear_pointer (&lane->buckets, g_free);
      lane->n_buckets = 0;
    }
  self->cached_width = scale->width;
  self->cached_start = scale->start_ns;
  self->cached_end = scale->end_ns;
}

static void
ensure_lane_buckets (HearthTimelineView    *self,
                     HearthTimelineRow     *lane,
                     const HearthTimeScale *scale)
{
  HearthProfile *profile = _hearth_timeline_view_get_profile (self);
  /* Two pixels per bucket: dense enough, and half the queries. */
  guint n = (guint) MAX (1.0, floor (scale->width / 2));

  if (lane->buckets != NULL || profile == NULL || lane->height <= 0)
    return;
  lane->buckets = g_new (HearthBucket, n);
  lane->n_buckets = n;
  hearth_profile_timeline (profile, lane->thread, scale->start_ns, scale->end_ns, lane->buckets, n);
  lane->full_height = robust_max (lane->buckets, n);
}

/* A copy of the lane's buckets with each capped at the lane's height,
 * keeping its split between states. */
static HearthBucket *
clipped_buckets (const HearthTimelineRow *lane)
{
  HearthBucket *out = g_memdup2 (lane->buckets, sizeof (HearthBucket) * lane->n_buckets);

  for (guint i = 0; i < lane->n_buckets; i++)
    {
      guint64 sum = bucket_sum (&out[i]);

      if (sum > lane->full_height && sum > 0)
        for (guint s = 0; s < HEARTH_N_THREAD_STATES; s++)
          out[i].weight[s] = out[i].weight[s] * lane->full_height / sum;
    }
  return out;
}

static gboolean
thread_selected (HearthTimelineView *self,
                 guint32             thread,
                 gboolean           *filtered)
{
  guint n = 0;
  const guint32 *threads = hearth_session_get_threads (self->session, &n);

  *filtered = threads != NULL;
  if (thread == HEARTH_NO_ID)
    return threads == NULL;
  for (guint i = 0; i < n; i++)
    if (threads[i] == thread)
      return TRUE;
  return FALSE;
}

static void
paint_gutter (HearthTimelineView       *self,
              HearthCanvas             *canvas,
              const HearthTimelineRow *lane,
              guint                     index,
              double                    y,
              const HearthThemeColors  *colors)
{
  g_autofree char *text = NULL;
  gboolean filtered, selected = thread_selected (self, lane->thread, &filtered);
  HearthRgba color = selected || !filtered ? colors->text : colors->text_dim;
  double h = lane->height;

  text = hearth_canvas_fit_text (canvas, lane->label, HEARTH_TIMELINE_GUTTER - 16);
  if (text != NULL)
    hearth_canvas_text (canvas, 10, y + MIN (h / 2, 11) + hearth_canvas_get_ascent (canvas) / 2 - 1,
                        text, HEARTH_TEXT_ALIGN_START, color);
  if (selected && filtered)
    hearth_canvas_fill_rect (canvas, 2, y + 2, 3, h - 4, colors->accent);
  if (gtk_widget_has_focus (GTK_WIDGET (self)) && index == self->focus_lane)
    hearth_canvas_stroke_rect (canvas, 1.5, y + 1.5, HEARTH_TIMELINE_GUTTER - 4, h - 3, 1.0, colors->accent);
  /* Threads left out by the filter are drawn faded. */
  if (filtered && !selected)
    {
      HearthRgba veil = colors->background;

      veil.alpha = 0.6;
      hearth_canvas_fill_rect (canvas, HEARTH_TIMELINE_GUTTER, y, gtk_widget_get_width (GTK_WIDGET (self)), h, veil);
    }
}

/* The lanes' bars, names and marker lines: everything but the ranges,
 * which a brush moves on every frame (see paint_ranges). */
static void
paint_lanes (HearthTimelineView      *self,
             HearthCanvas            *canvas,
             const HearthTimeScale   *scale,
             const HearthStyle       *style,
             const HearthThemeColors *colors)
{
  double top = _hearth_timeline_view_lanes_top (self);
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  g_autoptr(GArray) markers = _hearth_timeline_view_marker_times (self);

  /* Thread lanes first, so the pinned total lane covers what scrolls under it. */
  for (guint i = self->lanes->len; i-- > 0;)
    {
      const HearthTimelineRow *row = &g_array_index (self->lanes, HearthTimelineRow, i);
      double y = top + row->y - (i > 0 ? self->scroll : 0);
      HearthTimelineLane lane = { 0 };
      HearthBucket *clipped;

      if (row->height <= 0 || y >= height || y + row->height <= top)
        continue;

      if (i == 0)
        hearth_canvas_fill_rect (canvas, 0, y, width, row->height, colors->background);

      /* The render library's lane: density by state and marker lines. */
      ensure_lane_buckets (self, (HearthTimelineRow *) row, scale);
      clipped = row->buckets ? clipped_buckets (row) : NULL;
      lane.buckets = clipped;
      lane.n_buckets = row->n_buckets;
      lane.max_weight = row->full_height;
      lane.markers = (const gint64 *) markers->data;
      lane.n_markers = markers->len;
      hearth_timeline_paint_lane (canvas, scale, y, row->height - 1, &lane, style);
      g_free (clipped);
      paint_gutter (self, canvas, row, i, y, colors);
    }
}

/* Fade what lies outside the ranges, so the selected time stands out
 * even where the lanes are full (a wall-clock recording samples every
 * thread all the time). */
static void
veil_outside (HearthCanvas          *canvas,
              const HearthTimeScale *scale,
              double                 y,
              double                 height,
              const HearthTimeRange *a,
              const HearthTimeRange *b,
              HearthRgba             background)
{
  double edges[4];
  guint n = 0;
  double x = scale->x;

  if (a != NULL)
    {
      edges[n++] = hearth_time_scale_time_to_x (scale, a->start_ns);
      edges[n++] = hearth_time_scale_time_to_x (scale, a->end_ns);
    }
  if (b != NULL)
    {
      edges[n++] = hearth_time_scale_time_to_x (scale, b->start_ns);
      edges[n++] = hearth_time_scale_time_to_x (scale, b->end_ns);
    }
  /* Two ranges: start with the earlier one. */
  if (n == 4 && edges[2] < edges[0])
    {
      double t0 = edges[0], t1 = edges[1];
      edges[0] = edges[2], edges[1] = edges[3], edges[2] = t0, edges[3] = t1;
    }

  background.alpha = 0.55;
  for (guint i = 0; i < n; i += 2)
    {
      double x0 = CLAMP (edges[i], scale->x, scale->x + scale->width);

      if (x0 > x)
        hearth_canvas_fill_rect (canvas, x, y, x0 - x, height, background);
      x = MAX (x, CLAMP (edges[i + 1], scale->x, scale->x + scale->width));
    }
  if (x < scale->x + scale->width)
    hearth_canvas_fill_rect (canvas, x, y, scale->x + scale->width - x, height, background);
}

/* Ranges A and B over every visible lane, by the same lane painter with
 * no buckets; thread lanes are clipped below the pinned total lane. */
static void
paint_ranges (HearthTimelineView    *self,
              cairo_t               *cr,
              const HearthTimeScale *scale,
              const HearthStyle     *style)
{
  double top = _hearth_timeline_view_lanes_top (self);
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  HearthTimeRange a, b;
  gboolean has_a, has_b;

  hearth_session_get_range_a (self->session, &a.start_ns, &a.end_ns);
  hearth_session_get_range_b (self->session, &b.start_ns, &b.end_ns);
  has_a = a.end_ns > a.start_ns;
  has_b = b.end_ns > b.start_ns && hearth_session_get_compare (self->session);
  if (!has_a && !has_b)
    return;

  for (guint i = 0; i < self->lanes->len; i++)
    {
      const HearthTimelineRow *row = &g_array_index (self->lanes, HearthTimelineRow, i);
      double y = top + row->y - (i > 0 ? self->scroll : 0);
      double clip_top = i > 0 ? top + HEARTH_TIMELINE_TOTAL_HEIGHT : top;
      HearthTimelineLane lane = { 0 };

      if (row->height <= 0 || y >= height || y + row->height <= clip_top)
        continue;

      cairo_save (cr);
      cairo_rectangle (cr, 0, clip_top, width, height - clip_top);
      cairo_clip (cr);
      {
        g_autoptr(HearthCanvas) canvas = hearth_canvas_new_cairo (cr, gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                                                                  NULL, HEARTH_TIMELINE_FONT_SIZE);
        veil_outside (canvas, scale, y, row->height - 1, has_a ? &a : NULL, has_b ? &b : NULL,
                      hearth_theme_get_colors (style->theme)->background);
        lane.range_a = has_a ? &a : NULL;
        lane.range_b = has_b ? &b : NULL;
        hearth_timeline_paint_lane (canvas, scale, y, row->height - 1, &lane, style);
      }
      cairo_restore (cr);
    }
}

static void
paint_cursor (HearthTimelineView      *self,
              HearthCanvas            *canvas,
              const HearthTimeScale   *scale,
              const HearthThemeColors *colors)
{
  double x = hearth_time_scale_time_to_x (scale, self->cursor);
  double top = _hearth_timeline_view_lanes_top (self);

  if (!gtk_widget_has_focus (GTK_WIDGET (self)) || x < scale->x || x > scale->x + scale->width)
    return;
  hearth_canvas_line (canvas, x, top, x, gtk_widget_get_height (GTK_WIDGET (self)), 1.0, colors->accent);
}

/* The bars are drawn once into a render node and reused until the
 * window, the data, the size, the theme or the lanes change; a frame of
 * brushing then only paints the ranges over them. */
static GskRenderNode *
ensure_bars (HearthTimelineView      *self,
             const HearthTimeScale   *scale,
             const HearthStyle       *style,
             const HearthThemeColors *colors)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  g_autoptr(HearthCanvas) canvas = NULL;
  GtkSnapshot *snapshot;
  cairo_t *cr;

  if (self->bars != NULL && !self->bars_dirty && self->bars_width == width &&
      self->bars_height == height && self->bars_theme == style->theme)
    return self->bars;

  ensure_buckets (self, scale);
  snapshot = gtk_snapshot_new ();
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  canvas = hearth_canvas_new_cairo (cr, gtk_widget_get_scale_factor (widget), NULL, HEARTH_TIMELINE_FONT_SIZE);
  paint_lanes (self, canvas, scale, style, colors);
  /* Axis and markers on top, pinned. */
  hearth_canvas_fill_rect (canvas, 0, 0, width, _hearth_timeline_view_lanes_top (self), colors->background);
  self->axis_height = hearth_timeline_paint_axis (canvas, scale, 0, style);
  _hearth_timeline_view_paint_markers (self, canvas, scale, colors);
  g_clear_pointer (&canvas, hearth_canvas_free);
  cairo_destroy (cr);

  g_clear_pointer (&self->bars, gsk_render_node_unref);
  self->bars = gtk_snapshot_free_to_node (snapshot);
  self->bars_dirty = FALSE;
  self->bars_width = width;
  self->bars_height = height;
  self->bars_theme = style->theme;
  return self->bars;
}

void
_hearth_timeline_view_invalidate_bars (HearthTimelineView *self)
{
  self->bars_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_hearth_timeline_view_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  HearthTimelineView *self = HEARTH_TIMELINE_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  g_autoptr(HearthCanvas) canvas = NULL;
  const HearthThemeColors *colors;
  HearthTimeScale scale;
  HearthStyle style;
  GskRenderNode *bars;
  cairo_t *cr;

  if (width <= HEARTH_TIMELINE_GUTTER || height <= 0 || self->session == NULL)
    return;

  hearth_style_init (&style);
  style.theme = _hearth_timeline_view_is_dark (self) ? HEARTH_THEME_DARK : HEARTH_THEME_LIGHT;
  colors = hearth_theme_get_colors (style.theme);
  hearth_timeline_view_get_scale (self, &scale);

  if ((bars = ensure_bars (self, &scale, &style, colors)) != NULL)
    gtk_snapshot_append_node (snapshot, bars);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  paint_ranges (self, cr, &scale, &style);
  canvas = hearth_canvas_new_cairo (cr, gtk_widget_get_scale_factor (widget), NULL, HEARTH_TIMELINE_FONT_SIZE);
  paint_cursor (self, canvas, &scale, colors);
  g_clear_pointer (&canvas, hearth_canvas_free);
  cairo_destroy (cr);
}

/* --- geometry and tooltips ------------------------------------------------ */

void
hearth_timeline_view_get_scale (HearthTimelineView *self,
                                HearthTimeScale    *scale)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));

  g_return_if_fail (HEARTH_IS_TIMELINE_VIEW (self));

  scale->start_ns = self->view_start;
  scale->end_ns = self->view_end;
  scale->x = HEARTH_TIMELINE_GUTTER;
  scale->width = MAX (1.0, width - HEARTH_TIMELINE_GUTTER - HEARTH_TIMELINE_RIGHT_PAD);
}

int
_hearth_timeline_view_lane_at (HearthTimelineView *self,
                               double              y)
{
  double top = _hearth_timeline_view_lanes_top (self);

  if (y < top)
    return -1;
  /* The total lane does not scroll; thread lanes scroll under it. */
  for (guint i = 0; i < self->lanes->len; i++)
    {
      const HearthTimelineRow *lane = &g_array_index (self->lanes, HearthTimelineRow, i);
      double ly = top + lane->y - (i > 0 ? self->scroll : 0);

      if (i > 0 && ly < top + HEARTH_TIMELINE_TOTAL_HEIGHT)
        continue;
      if (lane->height > 0 && y >= ly && y < ly + lane->height)
        return (int) i;
    }
  return -1;
}

gboolean
hearth_timeline_view_get_lane_rect (HearthTimelineView *self,
                                    guint32             thread,
                                    graphene_rect_t    *rect)
{
  double top;

  g_return_val_if_fail (HEARTH_IS_TIMELINE_VIEW (self), FALSE);

  top = _hearth_timeline_view_lanes_top (self);
  for (guint i = 0; i < self->lanes->len; i++)
    {
      const HearthTimelineRow *row = &g_array_index (self->lanes, HearthTimelineRow, i);
      double y = top + row->y - (i > 0 ? self->scroll : 0);

      if (row->thread != thread)
        continue;
      if (row->height <= 0 || (i > 0 && y < top + HEARTH_TIMELINE_TOTAL_HEIGHT) ||
          y + row->height > gtk_widget_get_height (GTK_WIDGET (self)))
        return FALSE;
      graphene_rect_init (rect, 0, y, gtk_widget_get_width (GTK_WIDGET (self)), row->height);
      return TRUE;
    }
  return FALSE;
}

GArray *
hearth_timeline_view_dup_lane_order (HearthTimelineView *self)
{
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_return_val_if_fail (HEARTH_IS_TIMELINE_VIEW (self), order);

  for (guint i = 1; i < self->lanes->len; i++)
    g_array_append_val (order, g_array_index (self->lanes, HearthTimelineRow, i).thread);
  return order;
}


static char *
lane_tooltip (HearthTimelineView *self,
              guint               index,
              double              x)
{
  const HearthTimelineRow *row = &g_array_index (self->lanes, HearthTimelineRow, index);
  g_autofree char *when = NULL;
  HearthTimeScale scale;
  guint64 running, waiting = 0;
  guint k;

  hearth_timeline_view_get_scale (self, &scale);
  if (x < scale.x || row->buckets == NULL || row->n_buckets == 0)
    return g_markup_printf_escaped (ngettext ("<b>%s</b>\n%" PRIu64 " sample",
                                              "<b>%s</b>\n%" PRIu64 " samples", row->activity),
                                    row->label, row->activity);

  k = (guint) MIN ((x - scale.x) / scale.width * row->n_buckets, row->n_buckets - 1);
  running = row->buckets[k].weight[HEARTH_THREAD_STATE_RUNNING];
  for (guint s = HEARTH_THREAD_STATE_SLEEPING; s < HEARTH_N_THREAD_STATES; s++)
    waiting += row->buckets[k].weight[s];
  when = _hearth_timeline_format_time (hearth_time_scale_x_to_time (&scale, x), scale.end_ns - scale.start_ns);

  return g_markup_printf_escaped (_("<b>%s</b> at %s\n%" PRIu64 " running, %" PRIu64 " waiting"),
                                  row->label, when, running, waiting);
}

gboolean
_hearth_timeline_view_query_tooltip (GtkWidget          *widget,
                  int                 x,
                  int                 y,
                  gboolean            keyboard_mode,
                  GtkTooltip         *tooltip,
                  gpointer            user_data)
{
  HearthTimelineView *self = HEARTH_TIMELINE_VIEW (widget);
  HearthProfile *profile = _hearth_timeline_view_get_profile (self);
  g_autofree char *markup = NULL;
  HearthTimeScale scale;
  int lane, marker;

  if (profile == NULL)
    return FALSE;

  hearth_timeline_view_get_scale (self, &scale);
  if (keyboard_mode)
    lane = (int) self->focus_lane, x = (int) hearth_time_scale_time_to_x (&scale, self->cursor);
  else
    lane = _hearth_timeline_view_lane_at (self, y);

  if (!keyboard_mode && y >= self->axis_height && y < _hearth_timeline_view_lanes_top (self) &&
      (marker = _hearth_timeline_view_marker_at (self, x)) >= 0)
    {
      HearthMarker m;

      if (hearth_profile_get_marker (profile, (guint) marker, &m))
        markup = g_markup_printf_escaped (_("<b>%s</b>\n%s\nClick to select its span"),
                                          hearth_profile_get_string (profile, m.kind),
                                          hearth_profile_get_string (profile, m.text));
    }
  else if (lane >= 0)
    markup = lane_tooltip (self, (guint) lane, x);

  if (markup == NULL)
    return FALSE;
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}
