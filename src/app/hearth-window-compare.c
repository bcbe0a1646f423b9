/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-window-private.h"

/*
 * The window's actions for part 2 of the explorer: comparing two ranges,
 * the timeline mode, the diff settings, the view shortcuts and focus
 * moves. Accelerators are declared here once, with their actions; the
 * shortcuts window (gtk/help-overlay.ui, Ctrl+?) lists them.
 */

static const struct
{
  const char *action;
  const char *accels[3];
} accels[] = {
  { "win.compare", { "<Control>d", NULL } },
  { "win.toggle-compare-layout", { "<Control><Shift>d", NULL } },
  { "win.toggle-timeline-mode", { "<Control><Shift>h", NULL } },
  { "win.focus-timeline", { "<Control>l", NULL } },
  { "win.focus-graph", { "<Control>k", NULL } },
  { "win.view-orientation::icicle", { "<Control>1", NULL } },
  { "win.view-orientation::flame", { "<Control>2", NULL } },
  { "win.view-orientation::sunburst", { "<Control>3", NULL } },
};

static void
compare_change_state (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  HearthWindow *self = user_data;

  if (self->session != NULL)
    hearth_session_set_compare (self->session, g_variant_get_boolean (value));
  g_simple_action_set_state (action, value);
}

static void
toggle_compare_layout_action (GSimpleAction *action,
                              GVariant      *param,
                              gpointer       user_data)
{
  HearthWindow *self = user_data;
  HearthComparePage *page = hearth_explorer_get_compare_page (self->explorer);

  hearth_compare_page_set_layout (page, g_strcmp0 (hearth_compare_page_get_layout (page), "diff") == 0
                                        ? "side-by-side" : "diff");
}

static void
toggle_timeline_mode_action (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  HearthWindow *self = user_data;
  HearthTimelinePanel *panel = hearth_explorer_get_timeline_panel (self->explorer);
  const char *next = g_strcmp0 (hearth_timeline_panel_get_mode (panel), "heatmap") == 0 ? "lanes" : "heatmap";

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "timeline-mode", next);
  else
    hearth_timeline_panel_set_mode (panel, next);
}

static void
focus_timeline_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  HearthWindow *self = user_data;

  hearth_timeline_panel_grab_focus (hearth_explorer_get_timeline_panel (self->explorer));
}

static void
focus_graph_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  HearthWindow *self = user_data;

  hearth_explorer_focus_graph (self->explorer);
}

static void
compare_notify_cb (HearthWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "compare");
  gboolean compare = self->session != NULL && hearth_session_get_compare (self->session);

  if (G_IS_SIMPLE_ACTION (action))
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (compare));
}

void
_hearth_window_init_compare_actions (HearthWindow *self)
{
  static const GActionEntry entries[] = {
    { "compare", NULL, NULL, "false", compare_change_state },
    { "toggle-compare-layout", toggle_compare_layout_action },
    { "toggle-timeline-mode", toggle_timeline_mode_action },
    { "focus-timeline", focus_timeline_action },
    { "focus-graph", focus_graph_action },
  };
  static const struct { const char *key; const char *property; } page_keys[] = {
    { "diff-shape", "shape" },
    { "diff-normalization", "normalization" },
    { "diff-change", "change" },
    { "diff-palette", "palette" },
  };
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  HearthComparePage *page = hearth_explorer_get_compare_page (self->explorer);

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);

  if (app != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
      gtk_application_set_accels_for_action (app, accels[i].action, accels[i].accels);

  if (self->settings == NULL)
    return;

  /* Settings-backed choices: the toggles and menus, every window and the
   * next start agree. */
  {
    g_autoptr(GAction) mode = g_settings_create_action (self->settings, "timeline-mode");

    g_action_map_add_action (G_ACTION_MAP (self), mode);
    g_settings_bind (self->settings, "timeline-mode", hearth_explorer_get_timeline_panel (self->explorer),
                     "mode", G_SETTINGS_BIND_GET);
  }
  for (guint i = 0; i < G_N_ELEMENTS (page_keys); i++)
    {
      g_autoptr(GAction) action = g_settings_create_action (self->settings, page_keys[i].key);

      g_action_map_add_action (G_ACTION_MAP (self), action);
      g_settings_bind (self->settings, page_keys[i].key, page, page_keys[i].property, G_SETTINGS_BIND_GET);
    }
}

void
_hearth_window_watch_compare (HearthWindow *self)
{
  if (self->session != NULL)
    g_signal_connect_object (self->session, "notify::compare", G_CALLBACK (compare_notify_cb),
                             self, G_CONNECT_SWAPPED);
  compare_notify_cb (self);
}
