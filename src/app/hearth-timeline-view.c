/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "hearth-timeline-view-private.h"

/* Live recordings: look for new samples this often. */
#define LIVE_POLL_MS 250
/* The narrowest window a zoom may reach. */
#define MIN_WINDOW_NS G_GINT64_CONSTANT (20000)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_VIEW_START,
  PROP_VIEW_END,
  PROP_SORT_BY_ACTIVITY,
  PROP_THREADS_COLLAPSED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (HearthTimelineView, hearth_timeline_view, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
clear_lane (gpointer data)
{
  HearthTimelineRow *lane = data;

  g_clear_pointer (&lane->label, g_free);
  g_clear_pointer (&lane->buckets, g_free);
}

HearthProfile *
_hearth_timeline_view_get_profile (HearthTimelineView *self)
{
  return self->session ? hearth_session_get_profile (self->session) : NULL;
}


static void
invalidate_buckets (HearthTimelineView *self)
{
  self->cached_width = -1;
  _hearth_timeline_view_invalidate_bars (self);
}

static int
compare_activity (gconstpointer a,
                  gconstpointer b)
{
  const HearthTimelineRow *la = a;
  const HearthTimelineRow *lb = b;

  if (la->activity != lb->activity)
    return la->activity < lb->activity ? 1 : -1;
  return la->thread < lb->thread ? -1 : la->thread > lb->thread;
}

/* The lanes: all threads, then one per thread, in the chosen order. */
static void
rebuild_lanes (HearthTimelineView *self)
{
  HearthProfile *profile = _hearth_timeline_view_get_profile (self);
  HearthTimelineRow total = { HEARTH_NO_ID, g_strdup (_("All threads")), 0 };
  guint n = profile ? hearth_profile_get_n_threads (profile) : 0;
  double y;

  g_array_set_size (self->lanes, 0);
  g_array_append_val (self->lanes, total);

  for (guint32 t = 0; t < n; t++)
    {
      HearthThread thread;
      HearthTimelineRow lane = { t, NULL, 0 };
      const char *name = NULL;

      if (hearth_profile_get_thread (profile, t, &thread))
        name = hearth_profile_get_string (profile, thread.name);
      lane.label = g_strdup_printf ("%s (%d)", name && *name ? name : _("thread"), thread.tid);
      lane.activity = hearth_profile_get_n_thread_samples (profile, t);
      g_array_append_val (self->lanes, lane);
    }

  if (self->sort_by_activity && self->lanes->len > 2)
    qsort (&g_array_index (self->lanes, HearthTimelineRow, 1), self->lanes->len - 1,
           sizeof (HearthTimelineRow), compare_activity);

  y = 0;
  for (guint i = 0; i < self->lanes->len; i++)
    {
      HearthTimelineRow *lane = &g_array_index (self->lanes, HearthTimelineRow, i);

      lane->y = y;
      lane->height = i == 0 ? HEARTH_TIMELINE_TOTAL_HEIGHT
                            : (self->threads_collapsed ? 0 : HEARTH_TIMELINE_LANE_HEIGHT);
      y += lane->height;
    }

  self->n_threads = n;
  self->focus_lane = MIN (self->focus_lane, self->lanes->len - 1);
  invalidate_buckets (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

double
_hearth_timeline_view_lanes_top (HearthTimelineView *self)
{
  return self->axis_height + HEARTH_TIMELINE_MARKER_STRIP;
}

double
_hearth_timeline_view_content_height (HearthTimelineView *self)
{
  const HearthTimelineRow *last;

  if (self->lanes->len == 0)
    return _hearth_timeline_view_lanes_top (self) + HEARTH_TIMELINE_TOTAL_HEIGHT;
  last = &g_array_index (self->lanes, HearthTimelineRow, self->lanes->len - 1);
  return _hearth_timeline_view_lanes_top (self) + last->y + last->height + 1;
}

void
_hearth_timeline_view_clamp_window (HearthTimelineView *self,
                                    gint64             *start,
                                    gint64             *end)
{
  gint64 limit = MAX (self->duration, MIN_WINDOW_NS);
  gint64 span = CLAMP (*end - *start, MIN_WINDOW_NS, limit);

  *start = CLAMP (*start, 0, limit - span);
  *end = *start + span;
}

static void
set_window (HearthTimelineView *self,
            gint64              start,
            gint64              end)
{
  _hearth_timeline_view_clamp_window (self, &start, &end);
  if (start == self->view_start && end == self->view_end)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (start != self->view_start)
    {
      self->view_start = start;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_START]);
    }
  if (end != self->view_end)
    {
      self->view_end = end;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_END]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  invalidate_buckets (self);
}

/* New samples (live) or a new session: extend the window if following. */
static void
profile_changed (HearthTimelineView *self)
{
  HearthProfile *profile = _hearth_timeline_view_get_profile (self);
  gint64 old_duration = self->duration;
  gint64 span;

  if (profile == NULL)
    return;

  self->generation = hearth_profile_get_generation (profile);
  self->duration = hearth_profile_get_duration_ns (profile);
  if (hearth_profile_get_n_threads (profile) != self->n_threads || self->lanes->len == 0)
    rebuild_lanes (self);
  else
    for (guint i = 1; i < self->lanes->len; i++)
      {
        HearthTimelineRow *lane = &g_array_index (self->lanes, HearthTimelineRow, i);
        lane->activity = hearth_profile_get_n_thread_samples (profile, lane->thread);
      }

  if (!self->zoomed)
    set_window (self, 0, MAX (self->duration, MIN_WINDOW_NS));
  else if (hearth_timeline_view_get_following (self) || self->view_end >= old_duration)
    {
      /* Keep the window's length and slide it with the recording. */
      span = self->view_end - self->view_start;
      set_window (self, self->duration - span, self->duration);
    }
  invalidate_buckets (self);
  _hearth_timeline_view_update_accessible (self);
}

static void
poll_now (HearthTimelineView *self)
{
  HearthProfile *profile = _hearth_timeline_view_get_profile (self);

  if (profile != NULL && hearth_profile_get_generation (profile) != self->generation)
    profile_changed (self);
}

static gboolean
poll_cb (gpointer user_data)
{
  HearthTimelineView *self = user_data;

  poll_now (self);
  if (self->session == NULL || !hearth_session_get_live (self->session))
    {
      self->poll_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
live_changed_cb (HearthTimelineView *self)
{
  /* Only the timeout may return G_SOURCE_REMOVE: a direct call that
   * zeroed poll_id would orphan a running timeout past dispose. */
  if (self->session != NULL && hearth_session_get_live (self->session))
    {
      if (self->poll_id == 0)
        self->poll_id = g_timeout_add (LIVE_POLL_MS, poll_cb, self);
    }
  else
    g_clear_handle_id (&self->poll_id, g_source_remove);
  /* The last samples after a stop. */
  poll_now (self);
}

static void
ranges_changed_cb (HearthTimelineView *self)
{
  /* Only the ranges over the lanes change: the bars are kept. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
  _hearth_timeline_view_update_accessible (self);
}

static void
threads_changed_cb (HearthTimelineView *self)
{
  /* The lane names show the thread filter. */
  _hearth_timeline_view_invalidate_bars (self);
  _hearth_timeline_view_update_accessible (self);
}

static void
hearth_timeline_view_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  HearthTimelineView *self = HEARTH_TIMELINE_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) HEARTH_TIMELINE_GUTTER + 120;
      *natural = 800;
      return;
    }
  *minimum = (int) (_hearth_timeline_view_lanes_top (self) + HEARTH_TIMELINE_TOTAL_HEIGHT + 1);
  *natural = (int) MIN (_hearth_timeline_view_content_height (self), HEARTH_TIMELINE_MAX_HEIGHT);
  *natural = MAX (*natural, *minimum);
}

static void
hearth_timeline_view_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  HearthTimelineView *self = HEARTH_TIMELINE_VIEW (widget);
  double max_scroll = MAX (0.0, _hearth_timeline_view_content_height (self) - height);

  double scroll = CLAMP (self->scroll, 0, max_scroll);

  /* The bars know their size; only a scroll clamped here changes them. */
  if (scroll != self->scroll)
    {
      self->scroll = scroll;
      _hearth_timeline_view_invalidate_bars (self);
    }
}

static void
hearth_timeline_view_dispose (GObject *object)
{
  HearthTimelineView *self = (HearthTimelineView *)object;

  hearth_timeline_view_set_session (self, NULL);
  g_clear_handle_id (&self->poll_id, g_source_remove);

  G_OBJECT_CLASS (hearth_timeline_view_parent_class)->dispose (object);
}

static void
hearth_timeline_view_finalize (GObject *object)
{
  HearthTimelineView *self = (HearthTimelineView *)object;

  g_clear_pointer (&self->lanes, g_array_unref);
  g_clear_pointer (&self->bars, gsk_render_node_unref);

  G_OBJECT_CLASS (hearth_timeline_view_parent_class)->finalize (object);
}

static void
hearth_timeline_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HearthTimelineView *self = HEARTH_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    case PROP_VIEW_START: g_value_set_int64 (value, self->view_start); break;
    case PROP_VIEW_END: g_value_set_int64 (value, self->view_end); break;
    case PROP_SORT_BY_ACTIVITY: g_value_set_boolean (value, self->sort_by_activity); break;
    case PROP_THREADS_COLLAPSED: g_value_set_boolean (value, self->threads_collapsed); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_timeline_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  HearthTimelineView *self = HEARTH_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION: hearth_timeline_view_set_session (self, g_value_get_object (value)); break;
    case PROP_VIEW_START:
      hearth_timeline_view_set_window (self, g_value_get_int64 (value), self->view_end);
      break;
    case PROP_VIEW_END:
      hearth_timeline_view_set_window (self, self->view_start, g_value_get_int64 (value));
      break;
    case PROP_SORT_BY_ACTIVITY: hearth_timeline_view_set_sort_by_activity (self, g_value_get_boolean (value)); break;
    case PROP_THREADS_COLLAPSED: hearth_timeline_view_set_threads_collapsed (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_timeline_view_class_init (HearthTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hearth_timeline_view_dispose;
  object_class->finalize = hearth_timeline_view_finalize;
  object_class->get_property = hearth_timeline_view_get_property;
  object_class->set_property = hearth_timeline_view_set_property;

  widget_class->snapshot = _hearth_timeline_view_snapshot;
  widget_class->measure = hearth_timeline_view_measure;
  widget_class->size_allocate = hearth_timeline_view_size_allocate;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, HEARTH_TYPE_SESSION, rw);
  properties[PROP_VIEW_START] = g_param_spec_int64 ("view-start", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_VIEW_END] = g_param_spec_int64 ("view-end", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_SORT_BY_ACTIVITY] = g_param_spec_boolean ("sort-by-activity", NULL, NULL, TRUE, rw);
  properties[PROP_THREADS_COLLAPSED] = g_param_spec_boolean ("threads-collapsed", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "timelineview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hearth_timeline_view_init (HearthTimelineView *self)
{
  self->lanes = g_array_new (FALSE, TRUE, sizeof (HearthTimelineRow));
  g_array_set_clear_func (self->lanes, clear_lane);
  self->sort_by_activity = TRUE;
  self->key_anchor = -1;
  self->axis_height = 24;
  self->view_end = MIN_WINDOW_NS;
  self->cached_width = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timeline"),
                                  -1);
  _hearth_timeline_view_init_input (self);
}

GtkWidget *
hearth_timeline_view_new (void)
{
  return g_object_new (HEARTH_TYPE_TIMELINE_VIEW, NULL);
}

HearthSession *
hearth_timeline_view_get_session (HearthTimelineView *self)
{
  g_return_val_if_fail (HEARTH_IS_TIMELINE_VIEW (self), NULL);
  return self->session;
}

void
hearth_timeline_view_set_session (HearthTimelineView *self,
                                  HearthSession      *session)
{
  static const char * const redraw_on[] = {
    "notify::range-a-start", "notify::range-a-end", "notify::range-b-start",
    "notify::range-b-end", "notify::compare",
  };

  g_return_if_fail (HEARTH_IS_TIMELINE_VIEW (self));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_set_object (&self->session, session);

  self->zoomed = FALSE;
  self->scroll = 0;
  self->cursor = 0;
  self->key_anchor = -1;
  self->generation = G_MAXUINT64;
  self->n_threads = 0;
  g_array_set_size (self->lanes, 0);

  if (session != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (redraw_on); i++)
        g_signal_connect_object (session, redraw_on[i], G_CALLBACK (ranges_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::threads", G_CALLBACK (threads_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::live", G_CALLBACK (live_changed_cb), self, G_CONNECT_SWAPPED);
      /* A finished reload may have seen new samples (opened files, stops). */
      g_signal_connect_object (session, "notify::call-tree", G_CALLBACK (poll_now), self, G_CONNECT_SWAPPED);
      profile_changed (self);
      live_changed_cb (self);
    }

  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
hearth_timeline_view_get_window (HearthTimelineView *self,
                                 gint64             *start_ns,
                                 gint64             *end_ns)
{
  g_return_if_fail (HEARTH_IS_TIMELINE_VIEW (self));

  if (start_ns != NULL)
    *start_ns = self->view_start;
  if (end_ns != NULL)
    *end_ns = self->view_end;
}

void
hearth_timeline_view_set_window (HearthTimelineView *self,
                                 gint64              start_ns,
                                 gint64              end_ns)
{
  g_return_if_fail (HEARTH_IS_TIMELINE_VIEW (self));

  self->zoomed = TRUE;
  set_window (self, start_ns, end_ns);
  /* The whole session again: back to following a live recording. */
  if (self->view_start == 0 && self->view_end >= self->duration)
    self->zoomed = FALSE;
}

void
hearth_timeline_view_reset_window (HearthTimelineView *self)
{
  g_return_if_fail (HEARTH_IS_TIMELINE_VIEW (self));

  self->zoomed = FALSE;
  set_window (self, 0, MAX (self->duration, MIN_WINDOW_NS));
}

void
hearth_timeline_view_zoom (HearthTimelineView *self,
                           double              factor,
                           double              x)
{
  HearthTimeScale scale;
  gint64 t, start, end;
  double span;

  g_return_if_fail (HEARTH_IS_TIMELINE_VIEW (self));

  if (!(factor > 0))
    return;
  hearth_timeline_view_get_scale (self, &scale);
  x = CLAMP (x, scale.x, scale.x + scale.width);
  t = hearth_time_scale_x_to_time (&scale, x);
  span = (double) (self->view_end - self->view_start) / factor;
  start = t - (gint64) ((x - scale.x) / scale.width * span);
  end = start + (gint64) span;
  hearth_timeline_view_set_window (self, start, end);
}

void
hearth_timeline_view_pan (HearthTimelineView *self,
                          double              dx)
{
  HearthTimeScale scale;
  gint64 delta;

  g_return_if_fail (HEARTH_IS_TIMELINE_VIEW (self));

  hearth_timeline_view_get_scale (self, &scale);
  delta = (gint64) (dx * hearth_time_scale_ns_per_px (&scale));
  hearth_timeline_view_set_window (self, self->view_start + delta, self->view_end + delta);
}

gboolean
hearth_timeline_view_get_following (HearthTimelineView *self)
{
  g_return_val_if_fail (HEARTH_IS_TIMELINE_VIEW (self), FALSE);
  return !self->zoomed || self->view_end >= self->duration;
}

gboolean
hearth_timeline_view_get_sort_by_activity (HearthTimelineView *self)
{
  g_return_val_if_fail (HEARTH_IS_TIMELINE_VIEW (self), FALSE);
  return self->sort_by_activity;
}

void
hearth_timeline_view_set_sort_by_activity (HearthTimelineView *self,
                                           gboolean            sort)
{
  g_return_if_fail (HEARTH_IS_TIMELINE_VIEW (self));

  if (self->sort_by_activity == !!sort)
    return;
  self->sort_by_activity = !!sort;
  rebuild_lanes (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_BY_ACTIVITY]);
}

gboolean
hearth_timeline_view_get_threads_collapsed (HearthTimelineView *self)
{
  g_return_val_if_fail (HEARTH_IS_TIMELINE_VIEW (self), FALSE);
  return self->threads_collapsed;
}

void
hearth_timeline_view_set_threads_collapsed (HearthTimelineView *self,
                                            gboolean            collapsed)
{
  g_return_if_fail (HEARTH_IS_TIMELINE_VIEW (self));

  if (self->threads_collapsed == !!collapsed)
    return;
  self->threads_collapsed = !!collapsed;
  self->scroll = 0;
  rebuild_lanes (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREADS_COLLAPSED]);
}
