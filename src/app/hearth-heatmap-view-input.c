/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <math.h>

#include <glib/gi18n.h>

#include "hearth-heatmap-view-private.h"

/* Input of HearthHeatmapView: brushing by cells, keyboard, tooltips. */

static void
drag_begin_cb (GtkGestureDrag    *gesture,
               double             x,
               double             y,
               HearthHeatmapView *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  graphene_rect_t plot;

  _hearth_heatmap_view_plot_rect (self, &plot);
  if (self->session == NULL || self->n_columns == 0 || x < plot.origin.x || y < plot.origin.y)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_x0 = x;
  self->drag_y0 = y;
  self->drag_moved = FALSE;
  self->drag_b = ((state & GDK_SHIFT_MASK) != 0) != hearth_session_get_compare (self->session);
  self->drag_anchor = _hearth_heatmap_view_time_at (self, x, y, FALSE);
  self->key_anchor = -1;
}

/* From the start of the first cell to the end of the current one, in
 * whichever order the drag went. */
static void
drag_update_cb (GtkGestureDrag    *gesture,
                double             dx,
                double             dy,
                HearthHeatmapView *self)
{
  double x = self->drag_x0 + dx, y = self->drag_y0 + dy;
  gint64 start = _hearth_heatmap_view_time_at (self, x, y, FALSE);
  gint64 end = _hearth_heatmap_view_time_at (self, x, y, TRUE);

  if (!self->drag_moved && fabs (dx) < HEARTH_TIMELINE_CLICK_SLOP && fabs (dy) < HEARTH_TIMELINE_CLICK_SLOP)
    return;
  self->drag_moved = TRUE;

  if (start >= self->drag_anchor)
    _hearth_timeline_brush (self->session, self->drag_b, self->drag_anchor, end);
  else
    _hearth_timeline_brush (self->session, self->drag_b, start,
                            _hearth_heatmap_view_time_at (self, self->drag_x0, self->drag_y0, TRUE));
}

static void
drag_end_cb (GtkGestureDrag    *gesture,
             double             dx,
             double             dy,
             HearthHeatmapView *self)
{
  if (self->drag_moved || self->session == NULL)
    return;
  /* A click clears the range, as on the lanes. */
  if (self->drag_b)
    hearth_session_set_range_b (self->session, 0, 0);
  else
    hearth_session_set_range_a (self->session, 0, 0);
}

static gint64
cursor_time (HearthHeatmapView *self,
             gboolean           end)
{
  graphene_rect_t plot;

  _hearth_heatmap_view_plot_rect (self, &plot);
  return _hearth_heatmap_view_time_at (self,
                  plot.origin.x + (self->cursor_col + 0.5) * plot.size.width / MAX (self->n_columns, 1),
                  plot.origin.y + (self->cursor_row + 0.5) * plot.size.height / self->rows, end);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                HearthHeatmapView     *self)
{
  gboolean shift = (state & GDK_SHIFT_MASK) != 0;
  int col = (int) self->cursor_col, row = (int) self->cursor_row;
  gint64 a0, a1;

  if (self->session == NULL || self->n_columns == 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left: col--; break;
    case GDK_KEY_Right: col++; break;
    case GDK_KEY_Up: row--; break;
    case GDK_KEY_Down: row++; break;
    case GDK_KEY_Escape:
      hearth_session_get_range_a (self->session, &a0, &a1);
      if (a1 <= a0)
        return FALSE;
      hearth_session_set_range_a (self->session, 0, 0);
      self->key_anchor = -1;
      return TRUE;
    default:
      return FALSE;
    }

  /* Moving off the bottom of a second continues at the top of the next. */
  if (row < 0 && col > 0)
    row = (int) self->rows - 1, col--;
  else if (row >= (int) self->rows && col + 1 < (int) self->n_columns)
    row = 0, col++;
  self->cursor_col = (guint) CLAMP (col, 0, (int) self->n_columns - 1);
  self->cursor_row = (guint) CLAMP (row, 0, (int) self->rows - 1);

  if (shift)
    {
      gint64 start = cursor_time (self, FALSE);
      gboolean range_b = ((state & GDK_ALT_MASK) != 0) != hearth_session_get_compare (self->session);

      if (self->key_anchor < 0)
        {
          self->key_anchor = start;
          self->key_b = range_b;
        }
      if (start >= self->key_anchor)
        _hearth_timeline_brush (self->session, self->key_b, self->key_anchor, cursor_time (self, TRUE));
      else
        _hearth_timeline_brush (self->session, self->key_b, start, self->key_anchor);
    }
  else
    self->key_anchor = -1;

  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  HearthHeatmapView *self = HEARTH_HEATMAP_VIEW (widget);
  g_autofree char *second = NULL;
  g_autofree char *markup = NULL;
  graphene_rect_t plot;
  guint col, row;

  _hearth_heatmap_view_plot_rect (self, &plot);
  if (self->counts == NULL || (!keyboard_mode && (x < plot.origin.x || y < plot.origin.y)))
    return FALSE;

  if (keyboard_mode)
    col = self->cursor_col, row = self->cursor_row;
  else
    {
      col = (guint) CLAMP ((x - plot.origin.x) / plot.size.width * self->n_columns, 0, self->n_columns - 1);
      row = (guint) CLAMP ((y - plot.origin.y) / plot.size.height * self->rows, 0, self->rows - 1);
    }

  second = _hearth_timeline_format_time (_hearth_heatmap_view_column_start (self, col), HEARTH_HEATMAP_NS_PER_S);
  markup = g_markup_printf_escaped (_("<b>%s</b> + %.0f ms\n%" PRIu64 " samples"), second,
                                    (double) row * _hearth_heatmap_view_cell_ns (self) / 1e6,
                                    self->counts[(gsize) col * self->rows + row]);
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}

void
_hearth_heatmap_view_init_input (HearthHeatmapView *self)
{
  GtkGesture *drag;
  GtkEventController *key;

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}
