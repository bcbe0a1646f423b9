/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "hearth-frame-nav.h"
#include "hearth-graph-view-private.h"
#include "hearth-painter.h"

/* Mouse buttons 8 and 9: the "back" and "forward" side buttons. */
#define BUTTON_BACK    8
#define BUTTON_FORWARD 9

/* --- zoom history -------------------------------------------------------- */

/* Change the zoom without touching the history. */
static void
set_zoom (HearthGraphView *self,
          guint32          node)
{
  if (self->tree == NULL || node >= hearth_call_tree_get_n_nodes (self->tree))
    node = 0;
  g_clear_pointer (&self->zoom_path, g_array_unref);
  self->zoom_path = hearth_frame_nav_path_for_node (self->tree, node);
  if (node != self->zoom_node)
    _hearth_graph_view_set_zoom_node (self, node);
}

void
hearth_graph_view_zoom_to (HearthGraphView *self,
                           guint32          node)
{
  g_return_if_fail (HEARTH_IS_GRAPH_VIEW (self));

  if (self->tree == NULL || node == self->zoom_node || node >= hearth_call_tree_get_n_nodes (self->tree))
    return;
  g_ptr_array_add (self->back, g_array_copy (self->zoom_path));
  g_ptr_array_set_size (self->forward, 0);
  set_zoom (self, node);
  _hearth_graph_view_notify_history (self);
}

void
hearth_graph_view_reset_zoom (HearthGraphView *self)
{
  hearth_graph_view_zoom_to (self, 0);
}

static gboolean
step_history (HearthGraphView *self,
              GPtrArray       *from,
              GPtrArray       *to)
{
  g_autoptr(GArray) path = NULL;
  guint32 node;

  if (from->len == 0)
    return FALSE;
  path = g_ptr_array_steal_index (from, from->len - 1);
  g_ptr_array_add (to, g_array_copy (self->zoom_path));
  node = hearth_frame_nav_node_for_path (self->tree, path);
  set_zoom (self, node == HEARTH_NO_ID ? 0 : node);
  _hearth_graph_view_notify_history (self);
  return TRUE;
}

gboolean
hearth_graph_view_go_back (HearthGraphView *self)
{
  g_return_val_if_fail (HEARTH_IS_GRAPH_VIEW (self), FALSE);
  return step_history (self, self->back, self->forward);
}

gboolean
hearth_graph_view_go_forward (HearthGraphView *self)
{
  g_return_val_if_fail (HEARTH_IS_GRAPH_VIEW (self), FALSE);
  return step_history (self, self->forward, self->back);
}

/* --- pointer and keys ------------------------------------------------------ */

static const HearthLayoutItem *
item_at (HearthGraphView *self,
         double           x,
         double           y)
{
  HearthLayout *layout = _hearth_graph_view_ensure_layout (self);

  if (layout == NULL)
    return NULL;
  return hearth_layout_hit_test (layout, x, y - _hearth_graph_view_top (self));
}

guint32
hearth_graph_view_node_at (HearthGraphView *self,
                           double           x,
                           double           y)
{
  const HearthLayoutItem *item;

  g_return_val_if_fail (HEARTH_IS_GRAPH_VIEW (self), HEARTH_NO_ID);

  item = item_at (self, x, y);
  return item ? item->node : HEARTH_NO_ID;
}

gboolean
hearth_graph_view_get_node_rect (HearthGraphView *self,
                                 guint32          node,
                                 graphene_rect_t *rect)
{
  HearthLayout *layout;
  const HearthLayoutItem *item;

  g_return_val_if_fail (HEARTH_IS_GRAPH_VIEW (self), FALSE);

  if (!(layout = _hearth_graph_view_ensure_layout (self)) || !(item = hearth_layout_find_node (layout, node)))
    return FALSE;
  graphene_rect_init (rect, item->x, item->y + _hearth_graph_view_top (self), item->width, item->height);
  return TRUE;
}

gboolean
hearth_graph_view_get_node_point (HearthGraphView  *self,
                                  guint32           node,
                                  graphene_point_t *point)
{
  HearthLayout *layout;
  const HearthLayoutItem *item;
  double cx, cy, ring, r, a;

  g_return_val_if_fail (HEARTH_IS_GRAPH_VIEW (self), FALSE);

  if (!(layout = _hearth_graph_view_ensure_layout (self)) || !(item = hearth_layout_find_node (layout, node)))
    return FALSE;

  if (self->view != HEARTH_VIEW_SUNBURST)
    {
      graphene_point_init (point, item->x + item->width / 2,
                           item->y + item->height / 2 + _hearth_graph_view_top (self));
      return TRUE;
    }

  /* Mid-radius, mid-angle; angles run clockwise from twelve o'clock. */
  hearth_layout_get_sunburst_geometry (layout, &cx, &cy, &ring);
  r = (item->r0 + item->r1) / 2;
  a = (item->a0 + item->a1) / 2;
  graphene_point_init (point, cx + r * sin (a), cy - r * cos (a) + _hearth_graph_view_top (self));
  return TRUE;
}

char *
hearth_graph_view_dup_tooltip_text (HearthGraphView *self,
                                    guint32          node)
{
  HearthLayout *layout;
  const HearthLayoutItem *item;
  HearthStyle style;

  g_return_val_if_fail (HEARTH_IS_GRAPH_VIEW (self), NULL);

  if (!(layout = _hearth_graph_view_ensure_layout (self)) || !(item = hearth_layout_find_node (layout, node)))
    return NULL;
  hearth_graph_view_get_style (self, &style);
  return hearth_painter_describe_item (layout, item, &style);
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  HearthGraphView *self = HEARTH_GRAPH_VIEW (widget);
  const HearthLayoutItem *item = NULL;
  g_autofree char *text = NULL;
  HearthStyle style;

  if (keyboard_mode && self->selected_node != HEARTH_NO_ID && self->layout != NULL)
    item = hearth_layout_find_node (self->layout, self->selected_node);
  else if (!keyboard_mode)
    item = item_at (self, x, y);
  if (item == NULL)
    return FALSE;

  hearth_graph_view_get_style (self, &style);
  text = hearth_painter_describe_item (self->layout, item, &style);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  HearthGraphView *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  const HearthLayoutItem *item;

  switch (button)
    {
    case BUTTON_BACK:
      hearth_graph_view_go_back (self);
      break;

    case BUTTON_FORWARD:
      hearth_graph_view_go_forward (self);
      break;

    case GDK_BUTTON_PRIMARY:
      gtk_widget_grab_focus (GTK_WIDGET (self));
      if (!(item = item_at (self, x, y)))
        break;
      hearth_graph_view_select_node (self, item->node);
      /* The sunburst's centre is the zoom root: clicking it zooms out. */
      if ((item->flags & HEARTH_LAYOUT_ITEM_ZOOM_ROOT) && self->view == HEARTH_VIEW_SUNBURST)
        {
          const HearthCallNode *n = hearth_call_tree_get_node (self->tree, item->node);
          if (n->parent != HEARTH_NO_ID)
            hearth_graph_view_zoom_to (self, n->parent);
        }
      else
        hearth_graph_view_zoom_to (self, item->node);
      break;

    default:
      return;
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           HearthGraphView          *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), item_at (self, x, y) ? "pointer" : NULL);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  HearthGraphView *self = HEARTH_GRAPH_VIEW (widget);
  HearthLayout *layout = _hearth_graph_view_ensure_layout (self);
  HearthFrameNav move;
  guint32 next;

  if (layout == NULL || !hearth_frame_nav_from_key (self->view, g_variant_get_uint32 (param), &move))
    return;
  next = hearth_frame_nav_step (layout, self->selected_node, move);
  if (next != HEARTH_NO_ID)
    hearth_graph_view_select_node (self, next);
  else
    gtk_widget_error_bell (widget);
}

static void
activate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  HearthGraphView *self = HEARTH_GRAPH_VIEW (widget);

  if (self->selected_node != HEARTH_NO_ID)
    hearth_graph_view_zoom_to (self, self->selected_node);
}

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  HearthGraphView *self = HEARTH_GRAPH_VIEW (widget);

  if (g_str_equal (action_name, "graph.back"))
    hearth_graph_view_go_back (self);
  else if (g_str_equal (action_name, "graph.forward"))
    hearth_graph_view_go_forward (self);
  else
    hearth_graph_view_reset_zoom (self);
}

static void
focus_changed_cb (GtkEventControllerFocus *controller,
                  HearthGraphView         *self)
{
  /* Arriving by keyboard with nothing focused: start at the zoom root,
   * so a screen reader has a frame to announce. */
  if (self->selected_node == HEARTH_NO_ID && self->tree != NULL)
    hearth_graph_view_select_node (self, self->zoom_node);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_hearth_graph_view_init_input (HearthGraphView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (focus, "enter", G_CALLBACK (focus_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}

void
_hearth_graph_view_class_init_input (GtkWidgetClass *widget_class)
{
  static const guint arrows[] = { GDK_KEY_Up, GDK_KEY_Down, GDK_KEY_Left, GDK_KEY_Right };

  gtk_widget_class_install_action (widget_class, "graph.move", "u", move_action);
  gtk_widget_class_install_action (widget_class, "graph.activate", NULL, activate_action);
  gtk_widget_class_install_action (widget_class, "graph.back", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "graph.forward", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "graph.reset-zoom", NULL, history_action);

  for (guint i = 0; i < G_N_ELEMENTS (arrows); i++)
    gtk_widget_class_add_binding_action (widget_class, arrows[i], 0, "graph.move", "u", arrows[i]);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "graph.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "graph.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "graph.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "graph.reset-zoom", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "graph.reset-zoom", NULL);
}
