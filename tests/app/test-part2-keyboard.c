/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "test-part2-common.h"

/*
 * Keyboard and accessibility of the graphs, and the sunburst, with real
 * key presses and clicks. The tree of the two-phase profile over the
 * whole recording, children in name order:
 *
 *   all ─┬─ helper_main ── poll
 *        └─ main ─┬─ fresh
 *                 ├─ wait ── sleep
 *                 └─ work ── compute
 */

typedef struct
{
  HearthApplication *app;
  HearthWindow      *window;
  HearthProfile     *profile;
  HearthSession     *session;
  HearthExplorer    *explorer;
  GPtrArray         *visited;   /* names of the frames focused, in order */
  char              *tmpdir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->tmpdir = g_dir_make_tmp ("hearth-keys-XXXXXX", NULL);
  f->app = test_app_new ();
  f->profile = part2_profile_new ();
  f->window = part2_window_new (f->app, f->profile);
  f->session = hearth_window_get_session (f->window);
  f->explorer = hearth_window_get_explorer (f->window);
  f->visited = g_ptr_array_new_with_free_func (g_free);
  hearth_flame_view_set_animate (hearth_explorer_get_flame_view (f->explorer), FALSE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  part2_reset_settings (f->app);
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_spin (20);
  g_clear_pointer (&f->visited, g_ptr_array_unref);
  g_clear_object (&f->profile);
  g_clear_object (&f->app);
  part2_remove_tree (f->tmpdir);
  g_free (f->tmpdir);
}

static void
flame_selected_cb (HearthFlameView *view,
                   GParamSpec      *pspec,
                   Fixture         *f)
{
  guint32 node = hearth_flame_view_get_selected_node (view);

  if (node != HEARTH_NO_ID)
    g_ptr_array_add (f->visited, g_strdup (hearth_call_tree_get_name (hearth_flame_view_get_tree (view), node)));
}

static void
graph_selected_cb (HearthGraphView *view,
                   GParamSpec      *pspec,
                   Fixture         *f)
{
  guint32 node = hearth_graph_view_get_selected_node (view);

  if (node != HEARTH_NO_ID)
    g_ptr_array_add (f->visited, g_strdup (hearth_call_tree_get_name (hearth_graph_view_get_tree (view), node)));
}

static char *
visited (Fixture *f)
{
  g_ptr_array_add (f->visited, NULL);
  return g_strjoinv (" ", (char **) f->visited->pdata);
}

static void
test_flame_arrows (Fixture *f, gconstpointer data)
{
  HearthFlameView *view = hearth_explorer_get_flame_view (f->explorer);
  HearthCallTree *tree = hearth_flame_view_get_tree (view);
  g_autofree char *order = NULL;
  g_autofree char *wrong = NULL;

  if (!part2_has_xdotool ())
    return;

  g_signal_connect (view, "notify::selected-node", G_CALLBACK (flame_selected_cb), f);
  /* Icicle: Down to a child, Right/Left between siblings, Up to the
   * parent. */
  /* With no frame focused yet, the first arrow focuses the zoom root. */
  part2_keys (GTK_WIDGET (view), "Down Down Right Down Right Right Down Up Left");
  order = visited (f);
  g_assert_cmpstr (order, ==, "all helper_main main fresh wait work compute work wait");

  /* Enter zooms into the focused frame, Backspace goes back. */
  part2_keys (GTK_WIDGET (view), "Return");
  g_assert_cmpstr (hearth_call_tree_get_name (tree, hearth_flame_view_get_zoom_node (view)), ==, "wait");
  part2_keys (GTK_WIDGET (view), "BackSpace");
  g_assert_cmpuint (hearth_flame_view_get_zoom_node (view), ==, 0);

  /* The screen reader hears the focused frame and its share:
   * wait has 100 + 300 of 1100 samples. */
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "Icicle graph: wait, 36.4% of the selection, 400 samples");
  if (wrong != NULL)
    g_test_message ("label: %s", wrong);
  g_assert_null (wrong);

  /* A flame graph grows upwards: Up goes to a child. */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "view-orientation", g_variant_new_string ("flame"));
  test_spin (50);
  g_ptr_array_set_size (f->visited, 0);
  part2_keys (GTK_WIDGET (view), "Up Down Down");
  g_clear_pointer (&order, g_free);
  order = visited (f);
  g_assert_cmpstr (order, ==, "sleep wait main");
}

static void
test_sunburst (Fixture *f, gconstpointer data)
{
  HearthSunburstView *sunburst = hearth_explorer_get_sunburst_view (f->explorer);
  HearthGraphView *graph = hearth_sunburst_view_get_graph (sunburst);
  g_autofree char *svg_path = g_build_filename (f->tmpdir, "sunburst.svg", NULL);
  g_autofree char *png_path = g_build_filename (f->tmpdir, "sunburst.png", NULL);
  g_autofree char *svg = NULL;
  g_autofree char *tip = NULL;
  g_autofree char *order = NULL;
  g_autoptr(GError) error = NULL;
  graphene_point_t p;
  guint32 main_node;

  if (!part2_has_xdotool ())
    return;

  /* Ctrl+3 shows the sunburst of the selection. */
  part2_keys (GTK_WIDGET (hearth_explorer_get_flame_view (f->explorer)), "ctrl+3");
  test_spin (100);
  g_assert_cmpint (hearth_session_get_view (f->session), ==, HEARTH_VIEW_SUNBURST);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (graph)));
  g_assert_true (hearth_graph_view_get_tree (graph) == hearth_session_get_call_tree (f->session));

  /* Click a ring: zoom into it; click the centre: back out. */
  main_node = test_find_node (hearth_graph_view_get_tree (graph), (const char *[]) { "main", NULL });
  g_assert_true (hearth_graph_view_get_node_point (graph, main_node, &p));
  part2_click (GTK_WIDGET (graph), p.x, p.y, NULL);
  g_assert_cmpuint (hearth_graph_view_get_zoom_node (graph), ==, main_node);
  g_assert_true (hearth_graph_view_get_node_point (graph, main_node, &p));
  part2_click (GTK_WIDGET (graph), p.x, p.y, NULL);
  g_assert_cmpuint (hearth_graph_view_get_zoom_node (graph), ==, 0);

  tip = hearth_graph_view_dup_tooltip_text (graph, main_node);
  g_assert_nonnull (strstr (tip, "main"));
  g_assert_nonnull (strstr (tip, "1,000 samples"));

  /* Search highlight reaches the sunburst. */
  hearth_session_set_search_text (f->session, "sleep");
  test_spin (30);
  {
    HearthStyle style;

    hearth_graph_view_get_style (graph, &style);
    g_assert_nonnull (style.matches);
  }
  hearth_session_set_search_text (f->session, NULL);

  /* Arrows: Up goes outwards, Down inwards. */
  g_signal_connect (graph, "notify::selected-node", G_CALLBACK (graph_selected_cb), f);
  hearth_graph_view_select_node (graph, 0);
  g_ptr_array_set_size (f->visited, 0);
  part2_keys (GTK_WIDGET (graph), "Up Right Up Down");
  order = visited (f);
  g_assert_cmpstr (order, ==, "helper_main main fresh main");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (graph), GTK_ACCESSIBLE_ROLE_IMG);
  {
    g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (graph), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                 "Sunburst: main, 90.9% of the selection, 1000 samples");
    if (wrong != NULL)
      g_test_message ("label: %s", wrong);
    g_assert_null (wrong);
  }

  /* Export as shown, through the explorer's export. */
  g_assert_true (hearth_explorer_export (f->explorer, HEARTH_EXPORT_FORMAT_SVG, svg_path, &error));
  g_assert_no_error (error);
  g_assert_true (hearth_explorer_export (f->explorer, HEARTH_EXPORT_FORMAT_PNG, png_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, NULL));
  g_assert_nonnull (strstr (svg, "<title>main"));
  g_assert_nonnull (strstr (svg, "<path"));
  g_assert_true (g_file_test (png_path, G_FILE_TEST_IS_REGULAR));
}

static void
test_actions_have_keys (Fixture *f, gconstpointer data)
{
  static const char * const actions[] = {
    "win.compare", "win.toggle-compare-layout", "win.toggle-timeline-mode", "win.focus-timeline",
    "win.focus-graph", "win.view-orientation::sunburst", "win.find", "win.export", "win.zoom-back",
  };
  GtkApplication *app = GTK_APPLICATION (f->app);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, actions[i]);

      g_test_message ("%s: %s", actions[i], accels && accels[0] ? accels[0] : "(none)");
      g_assert_true (accels != NULL && accels[0] != NULL);
    }
}

static void
test_keys_reach_everything (Fixture *f, gconstpointer data)
{
  HearthTimelinePanel *panel = hearth_explorer_get_timeline_panel (f->explorer);

  if (!part2_has_xdotool ())
    return;

  /* Ctrl+L: the timeline; Ctrl+Shift+H: the heat map and back. */
  part2_keys (GTK_WIDGET (hearth_explorer_get_flame_view (f->explorer)), "ctrl+l");
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (hearth_timeline_panel_get_lanes (panel))));
  part2_xdo ("key ctrl+shift+h");
  g_assert_cmpstr (hearth_timeline_panel_get_mode (panel), ==, "heatmap");
  part2_xdo ("key ctrl+shift+h");
  g_assert_cmpstr (hearth_timeline_panel_get_mode (panel), ==, "lanes");

  /* Ctrl+D compares, Ctrl+Shift+D switches to side by side, Ctrl+K
   * focuses the graph shown. */
  part2_xdo ("key ctrl+d");
  g_assert_true (hearth_session_get_compare (f->session));
  part2_xdo ("key ctrl+shift+d");
  g_assert_cmpstr (hearth_compare_page_get_layout (hearth_explorer_get_compare_page (f->explorer)), ==, "side-by-side");
  part2_xdo ("key ctrl+shift+d ctrl+k");
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (hearth_compare_page_get_diff_view (hearth_explorer_get_compare_page (f->explorer)))));
  part2_xdo ("key ctrl+d");
  g_assert_false (hearth_session_get_compare (f->session));

  /* Ctrl+? opens the shortcuts window, listing the comparison keys. */
  part2_xdo ("key ctrl+question");
  test_spin (200);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */
    GtkWidget *shortcuts = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

        if (GTK_IS_SHORTCUTS_WINDOW (w) && gtk_widget_get_visible (w))
          shortcuts = w;
      }
    g_assert_nonnull (shortcuts);
    gtk_window_close (GTK_WINDOW (shortcuts));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = part2_test_init (&argc, &argv);
  int ret;

#define ADD(path, func) \
  g_test_add ("/hearth/app/part2/keyboard/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("flame-arrows-order", test_flame_arrows);
  ADD ("sunburst", test_sunburst);
  ADD ("actions-have-keys", test_actions_have_keys);
  ADD ("keys-reach-everything", test_keys_reach_everything);
#undef ADD

  ret = g_test_run ();
  part2_remove_tree (xdg);
  return ret;
}
