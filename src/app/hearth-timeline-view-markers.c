/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "hearth-timeline-view-private.h"

/*
 * The session's markers on HearthTimelineView: process exits, lost
 * connections and pauses, drawn as flags under the axis (and as lines
 * through the lanes by the lane painter); a click on one, or ] and [ on
 * the keyboard, selects its span as range A.
 */

void
_hearth_timeline_view_paint_markers (HearthTimelineView      *self,
               HearthCanvas            *canvas,
               const HearthTimeScale   *scale,
               const HearthThemeColors *colors)
{
  HearthProfile *profile = _hearth_timeline_view_get_profile (self);
  double y = self->axis_height;
  guint n = profile ? hearth_profile_get_n_markers (profile) : 0;

  for (guint i = 0; i < n; i++)
    {
      HearthMarker m;
      double x0, x1;
      HearthRgba fill = colors->marker;
      g_autofree char *label = NULL;

      if (!hearth_profile_get_marker (profile, i, &m))
        continue;
      x0 = hearth_time_scale_time_to_x (scale, m.time_ns);
      x1 = hearth_time_scale_time_to_x (scale, m.end_ns);
      if (x1 < scale->x || x0 > scale->x + scale->width)
        continue;
      x0 = MAX (x0, scale->x);
      x1 = MIN (x1, scale->x + scale->width);

      hearth_canvas_begin_group (canvas, "marker", hearth_profile_get_string (profile, m.text));
      fill.alpha = 0.35;
      if (x1 - x0 >= 2)
        hearth_canvas_fill_rect (canvas, x0, y + 2, x1 - x0, HEARTH_TIMELINE_MARKER_STRIP - 4, fill);
      hearth_canvas_fill_rect (canvas, x0 - 1, y + 1, 3, HEARTH_TIMELINE_MARKER_STRIP - 2, colors->marker);
      label = hearth_canvas_fit_text (canvas, hearth_profile_get_string (profile, m.kind), 110);
      if (label != NULL)
        hearth_canvas_text (canvas, x0 + 4, y + HEARTH_TIMELINE_MARKER_STRIP - 3, label,
                            HEARTH_TEXT_ALIGN_START, colors->marker);
      hearth_canvas_end_group (canvas);
    }
}

/* Marker times for the lane painter: starts and, for spans, ends. */

GArray *
_hearth_timeline_view_marker_times (HearthTimelineView *self)
{
  HearthProfile *profile = _hearth_timeline_view_get_profile (self);
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n = profile ? hearth_profile_get_n_markers (profile) : 0;

  for (guint i = 0; i < n; i++)
    {
      HearthMarker m;

      if (!hearth_profile_get_marker (profile, i, &m))
        continue;
      g_array_append_val (times, m.time_ns);
      if (m.end_ns > m.time_ns)
        g_array_append_val (times, m.end_ns);
    }
  return times;
}

int
_hearth_timeline_view_marker_at (HearthTimelineView *self,
                                 double              x)
{
  HearthProfile *profile = _hearth_timeline_view_get_profile (self);
  guint n = profile ? hearth_profile_get_n_markers (profile) : 0;
  int best = -1;
  double best_d = 6;

  for (guint i = 0; i < n; i++)
    {
      double mx = hearth_timeline_view_get_marker_x (self, i);
      HearthMarker m;
      HearthTimeScale scale;

      if (mx < 0 || !hearth_profile_get_marker (profile, i, &m))
        continue;
      hearth_timeline_view_get_scale (self, &scale);
      /* Inside a span's bar, or near an instant's flag. */
      if (x >= mx && x <= hearth_time_scale_time_to_x (&scale, m.end_ns))
        return (int) i;
      if (fabs (x - mx) < best_d)
        best = (int) i, best_d = fabs (x - mx);
    }
  return best;
}

double
hearth_timeline_view_get_marker_x (HearthTimelineView *self,
                                   guint               marker)
{
  HearthProfile *profile = _hearth_timeline_view_get_profile (self);
  HearthTimeScale scale;
  HearthMarker m;
  double x;

  g_return_val_if_fail (HEARTH_IS_TIMELINE_VIEW (self), -1);

  if (profile == NULL || !hearth_profile_get_marker (profile, marker, &m))
    return -1;
  hearth_timeline_view_get_scale (self, &scale);
  x = hearth_time_scale_time_to_x (&scale, m.time_ns);
  return x >= scale.x && x <= scale.x + scale.width ? x : -1;
}

gboolean
hearth_timeline_view_select_marker (HearthTimelineView *self,
                                    guint               marker)
{
  HearthProfile *profile = _hearth_timeline_view_get_profile (self);
  HearthMarker m;
  gint64 start = 0;

  g_return_val_if_fail (HEARTH_IS_TIMELINE_VIEW (self), FALSE);

  if (profile == NULL || !hearth_profile_get_marker (profile, marker, &m))
    return FALSE;

  if (m.end_ns > m.time_ns)
    start = m.time_ns;
  else
    /* An instant (an exit, a lost connection): what led up to it. */
    for (guint i = 0; i < hearth_profile_get_n_markers (profile); i++)
      {
        HearthMarker other;

        if (i != marker && hearth_profile_get_marker (profile, i, &other))
          {
            gint64 t = other.end_ns > other.time_ns ? other.end_ns : other.time_ns;
            if (t < m.time_ns && t > start)
              start = t;
          }
      }

  _hearth_timeline_brush (self->session, FALSE, start, MAX (m.end_ns, m.time_ns));
  return TRUE;
}

gboolean
_hearth_timeline_view_step_marker (HearthTimelineView *self,
             gboolean            forward)
{
  HearthProfile *profile = _hearth_timeline_view_get_profile (self);
  int best = -1;
  gint64 best_t = 0;

  for (guint i = 0; profile != NULL && i < hearth_profile_get_n_markers (profile); i++)
    {
      HearthMarker m;

      if (!hearth_profile_get_marker (profile, i, &m))
        continue;
      if (forward ? (m.time_ns > self->cursor && (best < 0 || m.time_ns < best_t))
                  : (m.time_ns < self->cursor && (best < 0 || m.time_ns > best_t)))
        best = (int) i, best_t = m.time_ns;
    }
  if (best < 0)
    return FALSE;
  self->cursor = best_t;
  _hearth_timeline_view_reveal_cursor (self);
  return hearth_timeline_view_select_marker (self, (guint) best);
}
