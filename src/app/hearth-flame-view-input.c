/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-flame-view-private.h"
#include "hearth-frame-nav.h"

/* Mouse buttons 8 and 9: the "back" and "forward" side buttons. */
#define BUTTON_BACK    8
#define BUTTON_FORWARD 9

enum {
  SIGNAL_FOCUS_FUNCTION,
  SIGNAL_HIDE_FUNCTION,
  SIGNAL_NODE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const HearthLayoutItem *
item_at (HearthFlameView *self,
         double           x,
         double           y)
{
  HearthLayout *layout = _hearth_flame_view_ensure_layout (self);

  if (layout == NULL || hearth_flame_view_is_animating (self))
    return NULL;
  return hearth_layout_hit_test (layout, x, y + _hearth_flame_view_get_scroll (self));
}

guint32
hearth_flame_view_node_at (HearthFlameView *self,
                           double           x,
                           double           y)
{
  const HearthLayoutItem *item;

  g_return_val_if_fail (HEARTH_IS_FLAME_VIEW (self), HEARTH_NO_ID);

  if (!(item = item_at (self, x, y)))
    return HEARTH_NO_ID;
  return item->node;
}

gboolean
hearth_flame_view_get_node_rect (HearthFlameView *self,
                                 guint32          node,
                                 graphene_rect_t *rect)
{
  HearthLayout *layout;
  const HearthLayoutItem *item;

  g_return_val_if_fail (HEARTH_IS_FLAME_VIEW (self), FALSE);

  if (!(layout = _hearth_flame_view_ensure_layout (self)) ||
      !(item = hearth_layout_find_node (layout, node)))
    return FALSE;

  graphene_rect_init (rect, item->x, item->y - _hearth_flame_view_get_scroll (self),
                      item->width, item->height);
  return TRUE;
}

static char *
format_percent (guint64 part,
                guint64 whole)
{
  return g_strdup_printf ("%.1f%%", whole ? 100.0 * (double) part / (double) whole : 0.0);
}

char *
hearth_flame_view_dup_tooltip_markup (HearthFlameView *self,
                                      guint32          node)
{
  g_autoptr(GString) str = g_string_new (NULL);
  g_autofree char *name = NULL;
  g_autofree char *of_selection = NULL;
  g_autofree char *of_zoom = NULL;
  const HearthCallNode *n, *zoom;
  HearthProfile *profile;
  HearthFunction fn;

  g_return_val_if_fail (HEARTH_IS_FLAME_VIEW (self), NULL);

  if (self->tree == NULL || node >= hearth_call_tree_get_n_nodes (self->tree))
    return NULL;

  n = hearth_call_tree_get_node (self->tree, node);
  zoom = hearth_call_tree_get_node (self->tree, self->zoom_node);
  profile = hearth_call_tree_get_profile (self->tree);
  name = g_markup_escape_text (hearth_call_tree_get_name (self->tree, node), -1);

  g_string_append_printf (str, "<b>%s</b>", name);
  if (n->function != HEARTH_NO_ID && hearth_profile_get_function (profile, n->function, &fn))
    {
      const char *module = hearth_profile_get_string (profile, fn.module);
      const char *file = hearth_profile_get_string (profile, fn.file);

      if (module != NULL && *module)
        {
          g_autofree char *m = g_markup_escape_text (module, -1);
          g_string_append_printf (str, "\n%s %s", _("Module:"), m);
        }
      if (file != NULL && *file)
        {
          g_autofree char *f = g_markup_escape_text (file, -1);
          if (fn.line > 0)
            g_string_append_printf (str, "\n%s %s:%u", _("Source:"), f, fn.line);
          else
            g_string_append_printf (str, "\n%s %s", _("Source:"), f);
        }
    }

  of_selection = format_percent (n->total_a, hearth_call_tree_get_total_a (self->tree));
  of_zoom = format_percent (n->total_a, zoom->total_a);
  g_string_append_printf (str, "\n%s %" G_GUINT64_FORMAT "   %s %" G_GUINT64_FORMAT,
                          _("Self samples:"), n->self_a, _("Total samples:"), n->total_a);
  g_string_append_printf (str, "\n%s %s   %s %s",
                          _("Of selection:"), of_selection, _("Of zoom:"), of_zoom);

  return g_string_free (g_steal_pointer (&str), FALSE);
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (widget);
  const HearthLayoutItem *item;
  g_autofree char *markup = NULL;
  GdkRectangle area;

  if (keyboard_mode && self->selected_node != HEARTH_NO_ID)
    markup = hearth_flame_view_dup_tooltip_markup (self, self->selected_node);
  else if ((item = item_at (self, x, y)) && !(item->flags & HEARTH_LAYOUT_ITEM_MERGED))
    {
      markup = hearth_flame_view_dup_tooltip_markup (self, item->node);
      /* Re-query when the pointer leaves this frame. */
      area.x = (int) item->x;
      area.y = (int) (item->y - _hearth_flame_view_get_scroll (self));
      area.width = MAX (1, (int) item->width);
      area.height = MAX (1, (int) item->height);
      gtk_tooltip_set_tip_area (tooltip, &area);
    }
  else if (item != NULL)
    {
      markup = g_markup_printf_escaped (ngettext ("%u small frame merged", "%u small frames merged",
                                                  item->n_merged),
                                        item->n_merged);
    }

  if (markup == NULL)
    return FALSE;
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}

static void
popup_menu (HearthFlameView *self,
            guint32          node,
            double           x,
            double           y)
{
  gboolean has_function = node != HEARTH_NO_ID && node != 0;

  self->menu_node = node;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.zoom-in", has_function);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.copy-name", has_function);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.copy-stack", has_function);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.focus-function", has_function);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.hide-function", has_function);

  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  HearthFlameView *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  const HearthLayoutItem *item;

  switch (button)
    {
    case BUTTON_BACK:
      hearth_flame_view_go_back (self);
      break;

    case BUTTON_FORWARD:
      hearth_flame_view_go_forward (self);
      break;

    case GDK_BUTTON_SECONDARY:
      item = item_at (self, x, y);
      popup_menu (self, item && !(item->flags & HEARTH_LAYOUT_ITEM_MERGED) ? item->node : HEARTH_NO_ID, x, y);
      break;

    case GDK_BUTTON_PRIMARY:
      gtk_widget_grab_focus (GTK_WIDGET (self));
      if (!(item = item_at (self, x, y)))
        break;
      /* A merged block zooms to its parent, which spreads the small
       * siblings out; everything else zooms to itself. */
      hearth_flame_view_zoom_to (self, item->node);
      g_signal_emit (self, signals[SIGNAL_NODE_ACTIVATED], 0, item->node);
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
           HearthFlameView          *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), item_at (self, x, y) ? "pointer" : NULL);
}

static void
set_clipboard_text (HearthFlameView *self,
                    const char      *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static guint32
menu_function (HearthFlameView *self)
{
  if (self->tree == NULL || self->menu_node == HEARTH_NO_ID ||
      self->menu_node >= hearth_call_tree_get_n_nodes (self->tree))
    return HEARTH_NO_ID;
  return hearth_call_tree_get_node (self->tree, self->menu_node)->function;
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (widget);

  if (menu_function (self) != HEARTH_NO_ID)
    hearth_flame_view_zoom_to (self, self->menu_node);
}

static void
copy_name_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (widget);

  if (menu_function (self) != HEARTH_NO_ID)
    set_clipboard_text (self, hearth_call_tree_get_name (self->tree, self->menu_node));
}

static void
copy_stack_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (widget);
  g_autoptr(GString) str = g_string_new (NULL);
  HearthProfile *profile;

  if (menu_function (self) == HEARTH_NO_ID)
    return;

  /* Innermost frame first, as a debugger prints a backtrace. */
  profile = hearth_call_tree_get_profile (self->tree);
  for (guint32 node = self->menu_node; node != 0 && node != HEARTH_NO_ID;
       node = hearth_call_tree_get_node (self->tree, node)->parent)
    {
      const HearthCallNode *n = hearth_call_tree_get_node (self->tree, node);
      HearthFunction fn;
      const char *module = NULL;

      if (hearth_profile_get_function (profile, n->function, &fn))
        module = hearth_profile_get_string (profile, fn.module);
      g_string_append (str, hearth_call_tree_get_name (self->tree, node));
      if (module != NULL && *module)
        g_string_append_printf (str, " [%s]", module);
      g_string_append_c (str, '\n');
    }

  set_clipboard_text (self, str->str);
}

static void
focus_function_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (widget);
  guint32 function = menu_function (self);

  if (function != HEARTH_NO_ID)
    g_signal_emit (self, signals[SIGNAL_FOCUS_FUNCTION], 0, function);
}

static void
hide_function_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (widget);
  guint32 function = menu_function (self);

  if (function != HEARTH_NO_ID)
    g_signal_emit (self, signals[SIGNAL_HIDE_FUNCTION], 0, function);
}

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (widget);

  if (g_str_equal (action_name, "flame.back"))
    hearth_flame_view_go_back (self);
  else if (g_str_equal (action_name, "flame.forward"))
    hearth_flame_view_go_forward (self);
  else
    hearth_flame_view_reset_zoom (self);
}

/* Arrow keys: parent, first child, siblings (see hearth-frame-nav.h). */
static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (widget);
  HearthLayout *layout = _hearth_flame_view_ensure_layout (self);
  HearthFrameNav move;
  guint32 next;

  if (layout == NULL || hearth_flame_view_is_animating (self) ||
      !hearth_frame_nav_from_key (self->view, g_variant_get_uint32 (param), &move))
    return;
  next = hearth_frame_nav_step (layout, self->selected_node, move);
  if (next != HEARTH_NO_ID)
    hearth_flame_view_select_node (self, next);
  else
    gtk_widget_error_bell (widget);
}

static void
activate_selected_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (widget);

  if (self->selected_node != HEARTH_NO_ID)
    hearth_flame_view_zoom_to (self, self->selected_node);
}

/* What a screen reader says about the focused frame. */
void
_hearth_flame_view_announce (HearthFlameView *self)
{
  g_autofree char *text = NULL;

  if (self->tree != NULL)
    text = hearth_frame_nav_describe (self->tree, self->selected_node, NULL);
  hearth_frame_nav_announce (GTK_WIDGET (self),
                             self->view == HEARTH_VIEW_FLAME ? _("Flame graph") : _("Icicle graph"), text);
}

static void
focus_enter_cb (GtkEventControllerFocus *controller,
                HearthFlameView         *self)
{
  /* Arriving by keyboard with nothing focused: start at the zoom root. */
  if (self->selected_node == HEARTH_NO_ID && self->tree != NULL)
    hearth_flame_view_select_node (self, self->zoom_node);
}

static GMenuModel *
build_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) copy = g_menu_new ();
  g_autoptr(GMenu) view = g_menu_new ();

  g_menu_append (view, _("_Zoom to Frame"), "flame.zoom-in");
  g_menu_append (view, _("_Focus on Function"), "flame.focus-function");
  g_menu_append (view, _("_Hide Function"), "flame.hide-function");
  g_menu_append (view, _("_Show Hidden Functions"), "win.show-all-functions");
  g_menu_append (copy, _("_Copy Function Name"), "flame.copy-name");
  g_menu_append (copy, _("Copy _Stack"), "flame.copy-stack");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (view));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (copy));

  return G_MENU_MODEL (menu);
}

void
_hearth_flame_view_init_input (HearthFlameView *self)
{
  GtkGesture *click;
  GtkEventController *motion, *focus;
  g_autoptr(GMenuModel) model = build_menu ();

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "enter", G_CALLBACK (focus_enter_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  self->menu = gtk_popover_menu_new_from_model (model);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
}

void
_hearth_flame_view_dispose_input (HearthFlameView *self)
{
  g_clear_pointer (&self->menu, gtk_widget_unparent);
}

void
_hearth_flame_view_class_init_input (GtkWidgetClass *widget_class)
{
  static const guint arrows[] = { GDK_KEY_Up, GDK_KEY_Down, GDK_KEY_Left, GDK_KEY_Right };

  signals[SIGNAL_FOCUS_FUNCTION] =
    g_signal_new ("focus-function", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_HIDE_FUNCTION] =
    g_signal_new ("hide-function", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_NODE_ACTIVATED] =
    g_signal_new ("node-activated", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "flame.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "flame.copy-name", NULL, copy_name_action);
  gtk_widget_class_install_action (widget_class, "flame.copy-stack", NULL, copy_stack_action);
  gtk_widget_class_install_action (widget_class, "flame.focus-function", NULL, focus_function_action);
  gtk_widget_class_install_action (widget_class, "flame.hide-function", NULL, hide_function_action);
  gtk_widget_class_install_action (widget_class, "flame.back", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "flame.forward", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "flame.reset-zoom", NULL, history_action);

  /* Keys that only make sense with the graph focused; Alt+Left/Right work
   * window-wide and are declared as application accels instead. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "flame.reset-zoom", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "flame.reset-zoom", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "flame.back", NULL);

  /* Keyboard exploration: arrows move the focused frame, Enter zooms. */
  gtk_widget_class_install_action (widget_class, "flame.move", "u", move_action);
  gtk_widget_class_install_action (widget_class, "flame.zoom-selected", NULL, activate_selected_action);
  for (guint i = 0; i < G_N_ELEMENTS (arrows); i++)
    gtk_widget_class_add_binding_action (widget_class, arrows[i], 0, "flame.move", "u", arrows[i]);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "flame.zoom-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "flame.zoom-selected", NULL);
}
