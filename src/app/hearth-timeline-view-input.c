/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <math.h>

#include <glib/gi18n.h>

#include "hearth-timeline-view-private.h"

/*
 * Input of HearthTimelineView: brushing, edges, thread filter, markers,
 * zoom and pan by mouse, touchpad and keyboard; tooltips; and the text a
 * screen reader gets for the ranges.
 */

#define ZOOM_STEP   1.5
#define SCROLL_STEP 30.0

void
_hearth_timeline_brush (HearthSession *session,
                        gboolean       range_b,
                        gint64         t0,
                        gint64         t1)
{
  gint64 start = MIN (t0, t1);
  gint64 end = MAX (t0, t1);

  g_return_if_fail (HEARTH_IS_SESSION (session));

  if (range_b)
    {
      hearth_session_brush_range_b (session, start, end);
      hearth_session_set_compare (session, TRUE);
    }
  else
    hearth_session_brush_range_a (session, start, end);
}

char *
_hearth_timeline_format_time (gint64 time_ns,
                              gint64 span_ns)
{
  /* About a thousandth of the span: enough digits to tell edges apart. */
  return hearth_time_format (time_ns, hearth_time_axis_step (MAX (span_ns, 1000), 1000, 1));
}

static gint64
clamp_time (HearthTimelineView *self,
            gint64              t)
{
  return CLAMP (t, 0, self->duration);
}

static gint64
time_at (HearthTimelineView *self,
         double              x)
{
  HearthTimeScale scale;

  hearth_timeline_view_get_scale (self, &scale);
  return clamp_time (self, hearth_time_scale_x_to_time (&scale, x));
}

/* A click on a lane's name: that thread alone (again: all threads);
 * with Ctrl, add or remove it. The total lane means all threads. */
static void
filter_lane (HearthTimelineView *self,
             guint               index,
             gboolean            toggle)
{
  const HearthTimelineRow *row;
  g_autoptr(GArray) threads = g_array_new (FALSE, FALSE, sizeof (guint32));
  const guint32 *current;
  guint n = 0;
  gboolean found = FALSE;

  if (index >= self->lanes->len)
    return;
  row = &g_array_index (self->lanes, HearthTimelineRow, index);
  if (row->thread == HEARTH_NO_ID)
    {
      hearth_session_set_threads (self->session, NULL, 0);
      return;
    }

  current = hearth_session_get_threads (self->session, &n);
  for (guint i = 0; i < n; i++)
    {
      if (current[i] == row->thread)
        found = TRUE;
      else if (toggle)
        g_array_append_val (threads, current[i]);
    }

  if (!toggle && !(found && n == 1))
    g_array_append_val (threads, row->thread);
  else if (toggle && !found)
    g_array_append_val (threads, row->thread);

  hearth_session_set_threads (self->session, (const guint32 *) threads->data, threads->len);
}

/* Which edge of which range lies under x, if any. */
static gboolean
edge_at (HearthTimelineView *self,
         double              x,
         gboolean           *range_b,
         gint64             *anchor)
{
  HearthTimeScale scale;

  hearth_timeline_view_get_scale (self, &scale);
  for (int b = 1; b >= 0; b--)
    {
      gint64 start, end;

      if (b)
        {
          if (!hearth_session_get_compare (self->session))
            continue;
          hearth_session_get_range_b (self->session, &start, &end);
        }
      else
        hearth_session_get_range_a (self->session, &start, &end);
      if (end <= start)
        continue;

      if (fabs (hearth_time_scale_time_to_x (&scale, start) - x) <= HEARTH_TIMELINE_EDGE_SLOP)
        {
          *range_b = b;
          *anchor = end;
          return TRUE;
        }
      if (fabs (hearth_time_scale_time_to_x (&scale, end) - x) <= HEARTH_TIMELINE_EDGE_SLOP)
        {
          *range_b = b;
          *anchor = start;
          return TRUE;
        }
    }
  return FALSE;
}

static void
drag_begin_cb (GtkGestureDrag     *gesture,
               double              x,
               double              y,
               HearthTimelineView *self)
{
  HearthTimeScale scale;

  if (self->session == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (self));
  hearth_timeline_view_get_scale (self, &scale);
  self->drag_x0 = x;
  self->drag_y0 = y;
  self->drag_moved = FALSE;
  self->drag_state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  /* Shift+drag selects the other range: B normally, A while comparing
   * (the Compare toggle makes plain drags pick B). */
  self->drag_b = ((self->drag_state & GDK_SHIFT_MASK) != 0) != hearth_session_get_compare (self->session);
  self->key_anchor = -1;

  if (y < self->axis_height)
    {
      self->drag = DRAG_PAN;
      self->pan_start = self->view_start;
      self->pan_ns_per_px = hearth_time_scale_ns_per_px (&scale);
    }
  else if (y < _hearth_timeline_view_lanes_top (self))
    self->drag = DRAG_MARKER;
  else if (x < HEARTH_TIMELINE_GUTTER)
    self->drag = DRAG_GUTTER;
  else if (edge_at (self, x, &self->drag_b, &self->drag_anchor))
    self->drag = DRAG_EDGE;
  else
    {
      self->drag = DRAG_SELECT;
      self->drag_anchor = time_at (self, x);
    }
}

static void
drag_update_cb (GtkGestureDrag     *gesture,
                double              dx,
                double              dy,
                HearthTimelineView *self)
{
  gint64 t;

  if (!self->drag_moved && fabs (dx) < HEARTH_TIMELINE_CLICK_SLOP && fabs (dy) < HEARTH_TIMELINE_CLICK_SLOP)
    return;
  self->drag_moved = TRUE;

  switch (self->drag)
    {
    case DRAG_PAN:
      {
        gint64 span = self->view_end - self->view_start;
        gint64 start = self->pan_start - (gint64) (dx * self->pan_ns_per_px);

        hearth_timeline_view_set_window (self, start, start + span);
      }
      break;

    case DRAG_SELECT:
    case DRAG_EDGE:
      /* Every move updates the session; its reload queue coalesces them
       * and drops stale aggregations, so the views follow the brush. */
      t = time_at (self, self->drag_x0 + dx);
      self->cursor = t;
      _hearth_timeline_brush (self->session, self->drag_b, self->drag_anchor, t);
      break;

    case DRAG_NONE:
    case DRAG_GUTTER:
    case DRAG_MARKER:
    default:
      break;
    }
}

static void
drag_end_cb (GtkGestureDrag     *gesture,
             double              dx,
             double              dy,
             HearthTimelineView *self)
{
  int lane, marker;

  if (!self->drag_moved)
    switch (self->drag)
      {
      case DRAG_GUTTER:
        if ((lane = _hearth_timeline_view_lane_at (self, self->drag_y0)) >= 0)
          {
            self->focus_lane = (guint) lane;
            _hearth_timeline_view_invalidate_bars (self);
            filter_lane (self, (guint) lane, (self->drag_state & GDK_CONTROL_MASK) != 0);
          }
        break;

      case DRAG_MARKER:
        if ((marker = _hearth_timeline_view_marker_at (self, self->drag_x0)) >= 0)
          hearth_timeline_view_select_marker (self, (guint) marker);
        break;

      case DRAG_SELECT:
        /* A click clears the range (Shift: range B). */
        self->cursor = time_at (self, self->drag_x0);
        if (self->drag_b)
          hearth_session_set_range_b (self->session, 0, 0);
        else
          hearth_session_set_range_a (self->session, 0, 0);
        break;

      case DRAG_NONE:
      case DRAG_EDGE:
      case DRAG_PAN:
      default:
        break;
      }

  self->drag = DRAG_NONE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           HearthTimelineView       *self)
{
  gboolean range_b;
  gint64 anchor;
  const char *cursor = NULL;

  self->pointer_x = x;
  if (self->session == NULL)
    return;
  if (y < self->axis_height)
    cursor = "grab";
  else if (y < _hearth_timeline_view_lanes_top (self) || x < HEARTH_TIMELINE_GUTTER)
    cursor = "pointer";
  else if (edge_at (self, x, &range_b, &anchor))
    cursor = "col-resize";
  else
    cursor = "crosshair";
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), cursor);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           HearthTimelineView       *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double max_scroll = MAX (0.0, _hearth_timeline_view_content_height (self) - height);
  double old = self->scroll;

  if (state & GDK_CONTROL_MASK)
    {
      hearth_timeline_view_zoom (self, pow (ZOOM_STEP, -dy), self->pointer_x);
      return TRUE;
    }
  if ((state & GDK_SHIFT_MASK) || dx != 0)
    {
      hearth_timeline_view_pan (self, SCROLL_STEP * ((state & GDK_SHIFT_MASK) ? dy : dx));
      return TRUE;
    }

  self->scroll = CLAMP (self->scroll + dy * SCROLL_STEP, 0, max_scroll);
  if (self->scroll != old)
    _hearth_timeline_view_invalidate_bars (self);
  /* Nothing to scroll: let the page scroll instead. */
  return self->scroll != old;
}

static void
zoom_begin_cb (GtkGesture         *gesture,
               GdkEventSequence   *sequence,
               HearthTimelineView *self)
{
  self->zoom_scale0 = 1.0;
}

static void
zoom_scale_changed_cb (GtkGestureZoom     *gesture,
                       double              scale,
                       HearthTimelineView *self)
{
  double x, y;

  if (!(scale > 0) || !(self->zoom_scale0 > 0))
    return;
  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    x = self->pointer_x;
  hearth_timeline_view_zoom (self, scale / self->zoom_scale0, x);
  self->zoom_scale0 = scale;
}

static double
cursor_x (HearthTimelineView *self)
{
  HearthTimeScale scale;

  hearth_timeline_view_get_scale (self, &scale);
  return hearth_time_scale_time_to_x (&scale, self->cursor);
}

/* Keep the keyboard cursor in the window, panning as needed. */
void
_hearth_timeline_view_reveal_cursor (HearthTimelineView *self)
{
  gint64 span = self->view_end - self->view_start;

  if (self->cursor < self->view_start)
    hearth_timeline_view_set_window (self, self->cursor, self->cursor + span);
  else if (self->cursor > self->view_end)
    hearth_timeline_view_set_window (self, self->cursor - span, self->cursor);
}

static void
reveal_lane (HearthTimelineView *self)
{
  const HearthTimelineRow *row = &g_array_index (self->lanes, HearthTimelineRow, self->focus_lane);
  double visible = gtk_widget_get_height (GTK_WIDGET (self)) - _hearth_timeline_view_lanes_top (self);

  if (self->focus_lane == 0)
    return;
  if (row->y - self->scroll < HEARTH_TIMELINE_TOTAL_HEIGHT)
    self->scroll = row->y - HEARTH_TIMELINE_TOTAL_HEIGHT;
  else if (row->y + row->height - self->scroll > visible)
    self->scroll = row->y + row->height - visible;
  self->scroll = MAX (self->scroll, 0);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                HearthTimelineView    *self)
{
  gint64 step = MAX ((self->view_end - self->view_start) / 100, 1);
  gboolean shift = (state & GDK_SHIFT_MASK) != 0;
  gboolean range_b = ((state & GDK_ALT_MASK) != 0) != hearth_session_get_compare (self->session);
  gint64 a0, a1, b0, b1;

  if (self->session == NULL)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_Right:
    case GDK_KEY_KP_Left:
    case GDK_KEY_KP_Right:
      /* Which range is decided when the selection starts: picking B turns
       * comparing on, which would flip the meaning of Alt halfway. */
      if (shift && self->key_anchor < 0)
        {
          self->key_anchor = self->cursor;
          self->key_b = range_b;
        }
      else if (!shift)
        self->key_anchor = -1;
      if (state & GDK_CONTROL_MASK)
        step *= 10;
      self->cursor = clamp_time (self, self->cursor + (keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left ? -step : step));
      _hearth_timeline_view_reveal_cursor (self);
      if (shift)
        _hearth_timeline_brush (self->session, self->key_b, self->key_anchor, self->cursor);
      break;

    case GDK_KEY_Home:
    case GDK_KEY_End:
      self->key_anchor = -1;
      self->cursor = keyval == GDK_KEY_Home ? 0 : self->duration;
      _hearth_timeline_view_reveal_cursor (self);
      break;

    case GDK_KEY_Up:
    case GDK_KEY_Down:
      if (keyval == GDK_KEY_Up && self->focus_lane > 0)
        self->focus_lane--;
      else if (keyval == GDK_KEY_Down && self->focus_lane + 1 < self->lanes->len &&
               g_array_index (self->lanes, HearthTimelineRow, self->focus_lane + 1).height > 0)
        self->focus_lane++;
      else
        return FALSE;
      reveal_lane (self);
      _hearth_timeline_view_invalidate_bars (self);
      break;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      filter_lane (self, self->focus_lane, (state & GDK_CONTROL_MASK) != 0);
      break;

    case GDK_KEY_Escape:
      hearth_session_get_range_a (self->session, &a0, &a1);
      hearth_session_get_range_b (self->session, &b0, &b1);
      self->key_anchor = -1;
      if (a1 > a0)
        hearth_session_set_range_a (self->session, 0, 0);
      else if (b1 > b0)
        hearth_session_set_range_b (self->session, 0, 0);
      else
        return FALSE;
      break;

    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      hearth_timeline_view_zoom (self, ZOOM_STEP, cursor_x (self));
      break;

    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      hearth_timeline_view_zoom (self, 1 / ZOOM_STEP, cursor_x (self));
      break;

    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      hearth_timeline_view_reset_window (self);
      break;

    case GDK_KEY_bracketright:
    case GDK_KEY_bracketleft:
      if (!_hearth_timeline_view_step_marker (self, keyval == GDK_KEY_bracketright))
        return FALSE;
      break;

    default:
      return FALSE;
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
  _hearth_timeline_view_update_accessible (self);
  return TRUE;
}

static void
describe_range (HearthTimelineView *self,
                GString            *out,
                const char         *name,
                gint64              start,
                gint64              end,
                gboolean            b)
{
  HearthSelection sel;
  g_autofree char *from = NULL, *to = NULL;
  guint64 n;

  if (b)
    hearth_session_get_selection_b (self->session, &sel);
  else
    hearth_session_get_selection (self->session, &sel);
  n = hearth_profile_count_samples (hearth_session_get_profile (self->session), &sel);
  from = _hearth_timeline_format_time (start, self->duration);
  to = _hearth_timeline_format_time (end, self->duration);
  g_string_append_printf (out, _("Range %s from %s to %s, %" PRIu64 " samples. "), name, from, to, n);
}

void
_hearth_timeline_view_update_accessible (HearthTimelineView *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *from = NULL, *to = NULL, *cursor = NULL;
  gint64 a0, a1, b0, b1;

  if (self->session == NULL)
    return;

  hearth_session_get_range_a (self->session, &a0, &a1);
  hearth_session_get_range_b (self->session, &b0, &b1);
  if (a1 > a0)
    describe_range (self, text, "A", a0, a1, FALSE);
  else
    g_string_append (text, _("No range selected: the views show every sample. "));
  if (b1 > b0 && hearth_session_get_compare (self->session))
    describe_range (self, text, "B", b0, b1, TRUE);

  from = _hearth_timeline_format_time (self->view_start, self->duration);
  to = _hearth_timeline_format_time (self->view_end, self->duration);
  cursor = _hearth_timeline_format_time (self->cursor, self->duration);
  g_string_append_printf (text, _("Showing %s to %s; cursor at %s."), from, to, cursor);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

void
_hearth_timeline_view_init_input (HearthTimelineView *self)
{
  GtkGesture *drag, *zoom;
  GtkEventController *motion, *scroll, *key, *focus;

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  /* The focused lane's name is outlined only while the view has focus. */
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (_hearth_timeline_view_invalidate_bars), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (_hearth_timeline_view_invalidate_bars), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (_hearth_timeline_view_query_tooltip), NULL);
}
