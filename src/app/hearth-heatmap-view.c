/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "hearth-canvas.h"
#include "hearth-heatmap-view-private.h"
#include "hearth-timeline-painter.h"

#define MIN_COLUMN_PX 4.0
#define LIVE_REFRESH_US G_USEC_PER_SEC
#define TOP_PAD       2.0


enum {
  PROP_0,
  PROP_SESSION,
  PROP_VIEW_START,
  PROP_VIEW_END,
  PROP_ROWS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (HearthHeatmapView, hearth_heatmap_view, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

void
_hearth_heatmap_view_plot_rect (HearthHeatmapView *self,
           graphene_rect_t   *rect)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double top = self->axis_height + TOP_PAD;

  graphene_rect_init (rect, HEARTH_TIMELINE_GUTTER, top,
                      MAX (1.0, width - HEARTH_TIMELINE_GUTTER - HEARTH_TIMELINE_RIGHT_PAD),
                      MAX (1.0, height - top - TOP_PAD));
}

gint64
_hearth_heatmap_view_cell_ns (HearthHeatmapView *self)
{
  return HEARTH_HEATMAP_NS_PER_S / self->rows;
}

static void
refresh_cb (gpointer data)
{
  HearthHeatmapView *self = data;

  self->refresh_id = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
invalidate (HearthHeatmapView *self)
{
  self->counts_width = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Columns are whole seconds covering the window; several seconds share a
 * column when one each would be narrower than MIN_COLUMN_PX. */
static void
ensure_counts (HearthHeatmapView *self)
{
  HearthProfile *profile = self->session ? hearth_session_get_profile (self->session) : NULL;
  graphene_rect_t plot;
  g_autofree HearthBucket *buckets = NULL;
  const guint32 *threads;
  guint n_threads = 0;
  gint64 last_second;
  guint n_seconds, max_columns;

  _hearth_heatmap_view_plot_rect (self, &plot);
  if (profile == NULL)
    return;
  if (self->counts != NULL && self->counts_width == plot.size.width &&
      self->counts_start == self->view_start && self->counts_end == self->view_end)
    {
      gint64 age = g_get_monotonic_time () - self->counts_time;

      if (self->generation == hearth_profile_get_generation (profile))
        return;
      /* A recording adds samples all the time: remake the cells of a
       * long session (O(cells), or O(samples) for cells finer than the
       * model's buckets) at most once a second. */
      if (age < LIVE_REFRESH_US)
        {
          if (self->refresh_id == 0)
            self->refresh_id = g_timeout_add_once ((LIVE_REFRESH_US - age) / 1000 + 1, refresh_cb, self);
          return;
        }
    }

  self->counts_time = g_get_monotonic_time ();

  self->generation = hearth_profile_get_generation (profile);
  self->counts_width = plot.size.width;
  self->counts_start = self->view_start;
  self->counts_end = self->view_end;

  self->first_second = self->view_start / HEARTH_HEATMAP_NS_PER_S;
  last_second = MAX (self->first_second + 1, (self->view_end + HEARTH_HEATMAP_NS_PER_S - 1) / HEARTH_HEATMAP_NS_PER_S);
  n_seconds = (guint) MIN (last_second - self->first_second, G_MAXINT32 / self->rows);
  max_columns = (guint) MAX (1.0, plot.size.width / MIN_COLUMN_PX);
  self->seconds_per_column = (n_seconds + max_columns - 1) / max_columns;
  self->n_columns = (n_seconds + self->seconds_per_column - 1) / self->seconds_per_column;

  g_clear_pointer (&self->counts, g_free);
  self->counts = g_new0 (guint64, (gsize) self->n_columns * self->rows);
  buckets = g_new (HearthBucket, (gsize) n_seconds * self->rows);

  /* One query gives every cell: cells of a second are consecutive in time. */
  threads = hearth_session_get_threads (self->session, &n_threads);
  for (guint t = 0; t < MAX (n_threads, 1); t++)
    {
      hearth_profile_timeline (profile, threads ? threads[t] : HEARTH_NO_ID,
                               self->first_second * HEARTH_HEATMAP_NS_PER_S,
                               (self->first_second + n_seconds) * HEARTH_HEATMAP_NS_PER_S,
                               buckets, n_seconds * self->rows);
      for (guint s = 0; s < n_seconds; s++)
        for (guint r = 0; r < self->rows; r++)
          {
            const HearthBucket *b = &buckets[(gsize) s * self->rows + r];
            guint64 *cell = &self->counts[(gsize) (s / self->seconds_per_column) * self->rows + r];

            /* On-CPU samples only: a wall-clock recording samples every
             * thread all the time, so all samples would colour every
             * cell alike; what was running shows when work happened. */
            *cell += b->weight[HEARTH_THREAD_STATE_RUNNING];
          }
    }

  self->max_count = 0;
  for (gsize i = 0; i < (gsize) self->n_columns * self->rows; i++)
    self->max_count = MAX (self->max_count, self->counts[i]);
}

gint64
_hearth_heatmap_view_column_start (HearthHeatmapView *self,
              guint              column)
{
  return (self->first_second + (gint64) column * self->seconds_per_column) * HEARTH_HEATMAP_NS_PER_S;
}

/* Start of the cell under (x, y), clamped to the grid. */
gint64
_hearth_heatmap_view_time_at (HearthHeatmapView *self,
         double             x,
         double             y,
         gboolean           end)
{
  graphene_rect_t plot;
  int col, row;
  gint64 t;

  _hearth_heatmap_view_plot_rect (self, &plot);
  col = (int) floor ((x - plot.origin.x) / plot.size.width * self->n_columns);
  row = (int) floor ((y - plot.origin.y) / plot.size.height * self->rows);
  col = CLAMP (col, 0, (int) self->n_columns - 1);
  row = CLAMP (row, 0, (int) self->rows - 1);

  if (self->seconds_per_column > 1)
    t = _hearth_heatmap_view_column_start (self, (guint) col + (end ? 1 : 0));
  else
    t = _hearth_heatmap_view_column_start (self, (guint) col) + (row + (end ? 1 : 0)) * _hearth_heatmap_view_cell_ns (self);
  return MAX (t, 0);
}

static HearthRgba
cell_color (HearthHeatmapView       *self,
            guint64                  count,
            const HearthThemeColors *colors)
{
  double t;

  if (count == 0 || self->max_count == 0)
    return hearth_color_mix (colors->background, colors->grid, 0.25);
  /* A square root keeps one stray sample visible next to a hot cell. */
  t = 0.15 + 0.85 * sqrt ((double) count / (double) self->max_count);
  return hearth_color_mix (colors->background, colors->running, t);
}

static void
paint_range (HearthHeatmapView     *self,
             HearthCanvas          *canvas,
             const graphene_rect_t *plot,
             gint64                 start,
             gint64                 end,
             HearthRgba             fill,
             HearthRgba             edge)
{
  double cw = plot->size.width / self->n_columns;
  double rh = plot->size.height / self->rows;

  if (end <= start)
    return;
  for (guint c = 0; c < self->n_columns; c++)
    {
      gint64 c0 = _hearth_heatmap_view_column_start (self, c);
      gint64 c1 = _hearth_heatmap_view_column_start (self, c + 1);
      double r0 = 0, r1 = self->rows;

      if (end <= c0 || start >= c1)
        continue;
      if (self->seconds_per_column == 1)
        {
          r0 = floor ((double) (MAX (start, c0) - c0) / _hearth_heatmap_view_cell_ns (self));
          r1 = ceil ((double) (MIN (end, c1) - c0) / _hearth_heatmap_view_cell_ns (self));
        }
      hearth_canvas_fill_rect (canvas, plot->origin.x + c * cw, plot->origin.y + r0 * rh,
                               cw, (r1 - r0) * rh, fill);
      hearth_canvas_stroke_rect (canvas, plot->origin.x + c * cw + 0.5, plot->origin.y + r0 * rh + 0.5,
                                 cw - 1, (r1 - r0) * rh - 1, 1.0, edge);
    }
}

static void
paint_offsets (HearthHeatmapView       *self,
               HearthCanvas            *canvas,
               const graphene_rect_t   *plot,
               const HearthThemeColors *colors)
{
  static const int marks_ms[] = { 0, 250, 500, 750 };
  double ascent = hearth_canvas_get_ascent (canvas);

  hearth_canvas_text (canvas, 10, plot->origin.y + ascent, _("offset in second"),
                      HEARTH_TEXT_ALIGN_START, colors->text_dim);
  for (guint i = 1; i < G_N_ELEMENTS (marks_ms); i++)
    {
      double y = plot->origin.y + plot->size.height * marks_ms[i] / 1000.0;
      g_autofree char *label = g_strdup_printf (_("%d ms"), marks_ms[i]);

      hearth_canvas_line (canvas, HEARTH_TIMELINE_GUTTER - 6, y, HEARTH_TIMELINE_GUTTER - 1, y, 1.0,
                          colors->text_dim);
      hearth_canvas_text (canvas, HEARTH_TIMELINE_GUTTER - 9, y + ascent / 2 - 1, label,
                          HEARTH_TEXT_ALIGN_END, colors->text_dim);
    }
}

static gboolean
is_dark (GtkWidget *widget)
{
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
}

static void
hearth_heatmap_view_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  HearthHeatmapView *self = HEARTH_HEATMAP_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  g_autoptr(HearthCanvas) canvas = NULL;
  const HearthThemeColors *colors;
  graphene_rect_t plot;
  HearthTimeScale scale;
  HearthStyle style;
  gint64 a0, a1, b0, b1;
  double cw, rh;
  cairo_t *cr;

  if (self->session == NULL || width <= HEARTH_TIMELINE_GUTTER || height <= 0)
    return;

  ensure_counts (self);
  _hearth_heatmap_view_plot_rect (self, &plot);
  hearth_style_init (&style);
  style.theme = is_dark (widget) ? HEARTH_THEME_DARK : HEARTH_THEME_LIGHT;
  colors = hearth_theme_get_colors (style.theme);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  canvas = hearth_canvas_new_cairo (cr, gtk_widget_get_scale_factor (widget), NULL, HEARTH_TIMELINE_FONT_SIZE);

  scale.start_ns = _hearth_heatmap_view_column_start (self, 0);
  scale.end_ns = _hearth_heatmap_view_column_start (self, self->n_columns);
  scale.x = plot.origin.x;
  scale.width = plot.size.width;
  self->axis_height = hearth_timeline_paint_axis (canvas, &scale, 0, &style);
  _hearth_heatmap_view_plot_rect (self, &plot);

  cw = plot.size.width / self->n_columns;
  rh = plot.size.height / self->rows;
  hearth_canvas_begin_group (canvas, "heatmap", NULL);
  for (guint c = 0; c < self->n_columns; c++)
    for (guint r = 0; r < self->rows; r++)
      hearth_canvas_fill_rect (canvas, plot.origin.x + c * cw, plot.origin.y + r * rh,
                               MAX (cw - (cw > 3 ? 1 : 0), 1), MAX (rh, 1),
                               cell_color (self, self->counts[(gsize) c * self->rows + r], colors));
  hearth_canvas_end_group (canvas);

  hearth_session_get_range_a (self->session, &a0, &a1);
  hearth_session_get_range_b (self->session, &b0, &b1);
  paint_range (self, canvas, &plot, a0, a1, colors->range_a, colors->accent);
  if (hearth_session_get_compare (self->session))
    {
      HearthRgba edge = colors->range_b;

      edge.alpha = 1.0;
      paint_range (self, canvas, &plot, b0, b1, colors->range_b, edge);
    }
  paint_offsets (self, canvas, &plot, colors);

  if (gtk_widget_has_focus (widget) && self->cursor_col < self->n_columns)
    hearth_canvas_stroke_rect (canvas, plot.origin.x + self->cursor_col * cw, plot.origin.y + self->cursor_row * rh,
                               cw, rh, 1.5, colors->accent);

  g_clear_pointer (&canvas, hearth_canvas_free);
  cairo_destroy (cr);
}

/* Ranges and new samples: redraw (the cells are remade if the data
 * changed); the thread filter: remake the cells. */
static void
session_changed_cb (HearthHeatmapView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
filter_changed_cb (HearthHeatmapView *self)
{
  invalidate (self);
}

static void
hearth_heatmap_view_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) HEARTH_TIMELINE_GUTTER + 120;
      *natural = 800;
    }
  else
    {
      *minimum = 120;
      *natural = 200;
    }
}

static void
hearth_heatmap_view_dispose (GObject *object)
{
  HearthHeatmapView *self = (HearthHeatmapView *)object;

  hearth_heatmap_view_set_session (self, NULL);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->counts, g_free);

  G_OBJECT_CLASS (hearth_heatmap_view_parent_class)->dispose (object);
}

static void
hearth_heatmap_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HearthHeatmapView *self = HEARTH_HEATMAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    case PROP_VIEW_START: g_value_set_int64 (value, self->view_start); break;
    case PROP_VIEW_END: g_value_set_int64 (value, self->view_end); break;
    case PROP_ROWS: g_value_set_uint (value, self->rows); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_heatmap_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HearthHeatmapView *self = HEARTH_HEATMAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION: hearth_heatmap_view_set_session (self, g_value_get_object (value)); break;
    case PROP_VIEW_START:
    case PROP_VIEW_END:
      {
        gint64 *field = prop_id == PROP_VIEW_START ? &self->view_start : &self->view_end;

        if (*field == g_value_get_int64 (value))
          return;
        *field = g_value_get_int64 (value);
        invalidate (self);
        g_object_notify_by_pspec (object, pspec);
      }
      break;
    case PROP_ROWS: hearth_heatmap_view_set_rows (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_heatmap_view_class_init (HearthHeatmapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hearth_heatmap_view_dispose;
  object_class->get_property = hearth_heatmap_view_get_property;
  object_class->set_property = hearth_heatmap_view_set_property;

  widget_class->snapshot = hearth_heatmap_view_snapshot;
  widget_class->measure = hearth_heatmap_view_measure;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, HEARTH_TYPE_SESSION, rw);
  properties[PROP_VIEW_START] = g_param_spec_int64 ("view-start", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_VIEW_END] = g_param_spec_int64 ("view-end", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_ROWS] = g_param_spec_uint ("rows", NULL, NULL, 1, 1000, 50, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "heatmapview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hearth_heatmap_view_init (HearthHeatmapView *self)
{
  self->rows = 50;
  self->seconds_per_column = 1;
  self->axis_height = 24;
  self->key_anchor = -1;
  self->counts_width = -1;

  _hearth_heatmap_view_init_input (self);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Subsecond heat map"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("One column per second, the offset within the second going down; "
                                    "darker cells hold more samples of running threads. Arrows move "
                                    "between cells, Shift+arrows select a range."),
                                  -1);
}

GtkWidget *
hearth_heatmap_view_new (void)
{
  return g_object_new (HEARTH_TYPE_HEATMAP_VIEW, NULL);
}

HearthSession *
hearth_heatmap_view_get_session (HearthHeatmapView *self)
{
  g_return_val_if_fail (HEARTH_IS_HEATMAP_VIEW (self), NULL);
  return self->session;
}

void
hearth_heatmap_view_set_session (HearthHeatmapView *self,
                                 HearthSession     *session)
{
  static const char * const redraw_on[] = {
    "notify::range-a-start", "notify::range-a-end", "notify::range-b-start",
    "notify::range-b-end", "notify::compare", "notify::call-tree",
  };

  g_return_if_fail (HEARTH_IS_HEATMAP_VIEW (self));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (redraw_on); i++)
      g_signal_connect_object (session, redraw_on[i], G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  if (session != NULL)
    g_signal_connect_object (session, "notify::threads", G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_clear_pointer (&self->counts, g_free);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

guint
hearth_heatmap_view_get_rows (HearthHeatmapView *self)
{
  g_return_val_if_fail (HEARTH_IS_HEATMAP_VIEW (self), 0);
  return self->rows;
}

void
hearth_heatmap_view_set_rows (HearthHeatmapView *self,
                              guint              rows)
{
  g_return_if_fail (HEARTH_IS_HEATMAP_VIEW (self));

  rows = CLAMP (rows, 1, 1000);
  if (self->rows == rows)
    return;
  self->rows = rows;
  self->cursor_row = MIN (self->cursor_row, rows - 1);
  g_clear_pointer (&self->counts, g_free);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROWS]);
}

gint64
hearth_heatmap_view_get_first_second (HearthHeatmapView *self)
{
  g_return_val_if_fail (HEARTH_IS_HEATMAP_VIEW (self), 0);
  ensure_counts (self);
  return self->first_second;
}

guint
hearth_heatmap_view_get_n_columns (HearthHeatmapView *self)
{
  g_return_val_if_fail (HEARTH_IS_HEATMAP_VIEW (self), 0);
  ensure_counts (self);
  return self->n_columns;
}

gboolean
hearth_heatmap_view_get_cell_rect (HearthHeatmapView *self,
                                   guint              column,
                                   guint              row,
                                   graphene_rect_t   *rect)
{
  graphene_rect_t plot;

  g_return_val_if_fail (HEARTH_IS_HEATMAP_VIEW (self), FALSE);

  ensure_counts (self);
  if (column >= self->n_columns || row >= self->rows)
    return FALSE;
  _hearth_heatmap_view_plot_rect (self, &plot);
  graphene_rect_init (rect, plot.origin.x + column * plot.size.width / self->n_columns,
                      plot.origin.y + row * plot.size.height / self->rows,
                      plot.size.width / self->n_columns, plot.size.height / self->rows);
  return TRUE;
}

guint64
hearth_heatmap_view_get_cell_count (HearthHeatmapView *self,
                                    guint              column,
                                    guint              row)
{
  g_return_val_if_fail (HEARTH_IS_HEATMAP_VIEW (self), 0);

  ensure_counts (self);
  if (self->counts == NULL || column >= self->n_columns || row >= self->rows)
    return 0;
  return self->counts[(gsize) column * self->rows + row];
}
