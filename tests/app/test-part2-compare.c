/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "hearth-function-item.h"
#include "hearth-painter.h"
#include "test-part2-common.h"

/*
 * Comparing two ranges of the two-phase profile (test-part2-common.h):
 * A is the first 5 s, B the last 5 s. Per range, main has 500 samples
 * and helper 50, so each side weighs 550:
 *
 *            A     B
 *   work    400   100   shrank
 *   wait    100   300   grew
 *   fresh     0   100   new in B
 *   helper   50    50   unchanged
 */

typedef struct
{
  HearthApplication *app;
  HearthWindow      *window;
  HearthProfile     *profile;
  HearthSession     *session;
  HearthExplorer    *explorer;
  HearthComparePage *page;
  HearthGraphView   *diff;
  char              *tmpdir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->tmpdir = g_dir_make_tmp ("hearth-compare-XXXXXX", NULL);
  f->app = test_app_new ();
  f->profile = part2_profile_new ();
  f->window = part2_window_new (f->app, f->profile);
  f->session = hearth_window_get_session (f->window);
  f->explorer = hearth_window_get_explorer (f->window);
  f->page = hearth_explorer_get_compare_page (f->explorer);
  f->diff = hearth_compare_page_get_diff_view (f->page);

  hearth_session_set_range_a (f->session, 0, MS (5000));
  hearth_session_set_range_b (f->session, MS (5000), MS (10000));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "compare", NULL);
  part2_wait_reload (f->session);
  test_spin (100);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  part2_reset_settings (f->app);
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_spin (20);
  g_clear_object (&f->profile);
  g_clear_object (&f->app);
  part2_remove_tree (f->tmpdir);
  g_free (f->tmpdir);
}

static guint32
node (HearthCallTree *tree,
      const char     *a,
      const char     *b)
{
  const char *names[] = { a, b, NULL };
  return test_find_node (tree, names);
}

static HearthRgba
item_color (Fixture    *f,
            const char *a,
            const char *b)
{
  HearthLayout *layout = hearth_graph_view_get_layout (f->diff);
  const HearthLayoutItem *item = hearth_layout_find_node (layout, node (hearth_graph_view_get_tree (f->diff), a, b));
  HearthStyle style;

  g_assert_nonnull (item);
  hearth_graph_view_get_style (f->diff, &style);
  return hearth_style_item_color (&style, layout, item,
                                  hearth_diff_compute_range (hearth_graph_view_get_tree (f->diff), &style.diff_options));
}

static void
test_trees_match_model (Fixture *f, gconstpointer data)
{
  HearthSelection a, b;
  g_autoptr(HearthCallTree) diff = NULL;
  g_autoptr(HearthCallTree) tree_b = NULL;
  g_autofree char *want = NULL, *got = NULL, *want_b = NULL, *got_b = NULL;

  g_assert_true (hearth_session_get_comparing (f->session));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (f->page)))), ==, "compare");

  hearth_session_get_selection (f->session, &a);
  hearth_session_get_selection_b (f->session, &b);
  diff = hearth_call_tree_new_diff (f->profile, &a, &b);
  tree_b = hearth_call_tree_new (f->profile, &b, HEARTH_CALL_TREE_TOP_DOWN);
  want = part2_tree_text (diff);
  got = part2_tree_text (hearth_session_get_diff_tree (f->session));
  want_b = part2_tree_text (tree_b);
  got_b = part2_tree_text (hearth_session_get_call_tree_b (f->session));
  g_assert_cmpstr (got, ==, want);
  g_assert_cmpstr (got_b, ==, want_b);
  g_assert_true (hearth_graph_view_get_tree (f->diff) == hearth_session_get_diff_tree (f->session));
  g_assert_cmpuint (hearth_call_tree_get_total_a (hearth_session_get_diff_tree (f->session)), ==, 550);
  g_assert_cmpuint (hearth_call_tree_get_total_b (hearth_session_get_diff_tree (f->session)), ==, 550);
}

static double
node_width (Fixture    *f,
            const char *a,
            const char *b)
{
  graphene_rect_t rect;

  if (!hearth_graph_view_get_node_rect (f->diff, node (hearth_graph_view_get_tree (f->diff), a, b), &rect))
    return -1;
  return rect.size.width;
}

static void
set_setting (Fixture    *f,
             const char *key,
             const char *value)
{
  g_action_group_activate_action (G_ACTION_GROUP (f->window), key, g_variant_new_string (value));
  test_spin (30);
}

static void
test_shapes (Fixture *f, gconstpointer data)
{
  double w = gtk_widget_get_width (GTK_WIDGET (f->diff));
  HearthLayout *layout;
  const HearthLayoutItem *item;

  /* Shaped like B (the default): widths are B's samples. */
  g_assert_cmpfloat_with_epsilon (node_width (f, "main", "work"), w * 100 / 550, 1.0);
  g_assert_cmpfloat_with_epsilon (node_width (f, "main", "wait"), w * 300 / 550, 1.0);
  g_assert_cmpfloat_with_epsilon (node_width (f, "main", "fresh"), w * 100 / 550, 1.0);

  /* Shaped like A: fresh has no width, and sits in the elided strip. */
  set_setting (f, "diff-shape", "a");
  g_assert_cmpfloat_with_epsilon (node_width (f, "main", "work"), w * 400 / 550, 1.0);
  g_assert_cmpfloat_with_epsilon (node_width (f, "main", "wait"), w * 100 / 550, 1.0);
  layout = hearth_graph_view_get_layout (f->diff);
  item = hearth_layout_find_node (layout, node (hearth_graph_view_get_tree (f->diff), "main", "fresh"));
  g_assert_nonnull (item);
  g_assert_true (item->flags & HEARTH_LAYOUT_ITEM_ELIDED);

  /* The union: each side by its share, the mean of the two. */
  set_setting (f, "diff-shape", "union");
  g_assert_cmpfloat_with_epsilon (node_width (f, "main", "work"), w * (400 + 100) / 1100.0, 1.0);
  g_assert_cmpfloat_with_epsilon (node_width (f, "main", "fresh"), w * 100 / 1100.0, 1.0);
  set_setting (f, "diff-shape", "b");
}

static void
test_colors (Fixture *f, gconstpointer data)
{
  HearthRgba grew, shrank, same, grew_cb;
  g_autofree char *tip = NULL;

  grew = item_color (f, "main", "wait");
  shrank = item_color (f, "main", "work");
  same = item_color (f, "helper_main", NULL);
  /* Red grows, blue shrinks, grey for no change. */
  g_assert_cmpfloat (grew.red, >, grew.blue + 0.3);
  g_assert_cmpfloat (shrank.blue, >, shrank.red + 0.3);
  g_assert_cmpfloat (fabs (same.red - same.blue), <, 0.1);

  /* The colour-blind palette: still warm for growth, but not the same red. */
  set_setting (f, "diff-palette", "colorblind");
  grew_cb = item_color (f, "main", "wait");
  g_assert_cmpfloat (grew_cb.red, >, grew_cb.blue);
  g_assert_cmpfloat (fabs (grew_cb.green - grew.green) + fabs (grew_cb.blue - grew.blue), >, 0.05);
  set_setting (f, "diff-palette", "red-blue");

  /* Self change: work has no self samples of its own, so it is neutral;
   * its callee compute carries the change. */
  set_setting (f, "diff-change", "self");
  shrank = item_color (f, "main", "work");
  g_assert_cmpfloat (fabs (shrank.red - shrank.blue), <, 0.1);
  set_setting (f, "diff-change", "total");

  /* The tooltip: A, B and the change; per second when normalised so. */
  tip = hearth_graph_view_dup_tooltip_text (f->diff, node (hearth_graph_view_get_tree (f->diff), "main", "wait"));
  g_assert_nonnull (strstr (tip, "A: 100 (18.2%)"));
  g_assert_nonnull (strstr (tip, "B: 300 (54.5%)"));
  g_assert_nonnull (strstr (tip, "Δ +36.4%"));
  g_clear_pointer (&tip, g_free);
  set_setting (f, "diff-normalization", "rate");
  tip = hearth_graph_view_dup_tooltip_text (f->diff, node (hearth_graph_view_get_tree (f->diff), "main", "wait"));
  g_assert_nonnull (strstr (tip, "/s"));
  set_setting (f, "diff-normalization", "share");
}

/* A frame that exists only in B, with the graph shaped like A: its
 * elided block can be clicked into, and the view then draws it by B. */
static void
test_absent_frames_reachable (Fixture *f, gconstpointer data)
{
  graphene_point_t p;
  guint32 fresh = node (hearth_session_get_diff_tree (f->session), "main", "fresh");

  if (!part2_has_xdotool ())
    return;

  set_setting (f, "diff-shape", "a");
  g_assert_true (hearth_graph_view_get_node_point (f->diff, fresh, &p));
  part2_click (GTK_WIDGET (f->diff), p.x, p.y, NULL);
  g_assert_cmpuint (hearth_graph_view_get_zoom_node (f->diff), ==, fresh);
  g_assert_true (hearth_layout_get_swapped (hearth_graph_view_get_layout (f->diff)));
  g_assert_true (hearth_graph_view_go_back (f->diff));
  g_assert_cmpuint (hearth_graph_view_get_zoom_node (f->diff), ==, 0);
}

static void
test_export_svg (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->tmpdir, "diff.svg", NULL);
  g_autofree char *png = g_build_filename (f->tmpdir, "diff.png", NULL);
  g_autofree char *svg = NULL;
  g_autoptr(GError) error = NULL;
  const char *p;
  unsigned r, g, b;

  g_assert_true (hearth_explorer_export (f->explorer, HEARTH_EXPORT_FORMAT_SVG, path, &error));
  g_assert_no_error (error);
  g_assert_true (hearth_explorer_export (f->explorer, HEARTH_EXPORT_FORMAT_PNG, png, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));

  /* The legend, and the frame that grew filled red. */
  g_assert_nonnull (strstr (svg, "grew"));
  p = strstr (svg, "<title>wait");
  g_assert_nonnull (p);
  p = strstr (p, "fill=\"#");
  g_assert_nonnull (p);
  g_assert_cmpint (sscanf (p, "fill=\"#%02x%02x%02x", &r, &g, &b), ==, 3);
  g_assert_cmpuint (r, >, b + 60);
}

static void
test_side_by_side (Fixture *f, gconstpointer data)
{
  HearthFlameView *a = hearth_compare_page_get_side_view (f->page, FALSE);
  HearthFlameView *b = hearth_compare_page_get_side_view (f->page, TRUE);
  g_autofree char *path = g_build_filename (f->tmpdir, "sides.svg", NULL);
  g_autoptr(GError) error = NULL;
  const guint32 *matches;
  guint n = 0;

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "toggle-compare-layout", NULL);
  test_spin (100);
  g_assert_cmpstr (hearth_compare_page_get_layout (f->page), ==, "side-by-side");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (a)));
  g_assert_true (hearth_flame_view_get_tree (a) == hearth_session_get_call_tree (f->session));
  g_assert_true (hearth_flame_view_get_tree (b) == hearth_session_get_call_tree_b (f->session));

  /* Zooming one side zooms the other to the same frame. */
  hearth_flame_view_set_animate (a, FALSE);
  hearth_flame_view_set_animate (b, FALSE);
  hearth_flame_view_zoom_to (a, node (hearth_flame_view_get_tree (a), "main", "work"));
  g_assert_cmpuint (hearth_flame_view_get_zoom_node (b), ==, node (hearth_flame_view_get_tree (b), "main", "work"));
  hearth_flame_view_zoom_to (b, node (hearth_flame_view_get_tree (b), "main", NULL));
  g_assert_cmpuint (hearth_flame_view_get_zoom_node (a), ==, node (hearth_flame_view_get_tree (a), "main", NULL));

  /* One search for both sides (and the diff). */
  hearth_session_set_search_text (f->session, "sleep");
  test_spin (30);
  matches = hearth_flame_view_get_match_nodes (a, &n);
  g_assert_nonnull (matches);
  g_assert_cmpuint (n, ==, 1);
  matches = hearth_flame_view_get_match_nodes (b, &n);
  g_assert_nonnull (matches);
  g_assert_cmpuint (n, ==, 1);

  g_assert_true (hearth_explorer_export (f->explorer, HEARTH_EXPORT_FORMAT_SVG, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_functions_delta (Fixture *f, gconstpointer data)
{
  HearthFunctionsTable *table = hearth_explorer_get_functions_table (f->explorer);
  GListModel *rows = hearth_functions_table_get_model (table);
  g_autoptr(HearthFunctionItem) first = NULL;
  g_autoptr(HearthFunctionItem) last = NULL;
  gboolean fresh = FALSE;

  hearth_functions_table_sort_by (table, "delta", TRUE);
  test_spin (30);
  first = g_list_model_get_item (rows, 0);
  last = g_list_model_get_item (rows, g_list_model_get_n_items (rows) - 1);
  /* wait and sleep grew by 36.4 points; work and compute shrank by 54.5. */
  g_assert_true (g_str_equal (hearth_function_item_get_name (first), "wait") ||
                 g_str_equal (hearth_function_item_get_name (first), "sleep"));
  g_assert_cmpfloat_with_epsilon (hearth_function_item_get_delta (first), 100.0 * 200 / 550, 0.01);
  g_assert_cmpfloat_with_epsilon (hearth_function_item_get_delta (last), -100.0 * 300 / 550, 0.01);

  /* A function seen only in B has its row. */
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(HearthFunctionItem) item = g_list_model_get_item (rows, i);
      fresh |= g_str_equal (hearth_function_item_get_name (item), "fresh");
    }
  g_assert_true (fresh);

  /* Not comparing: the B rows go. */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "compare", NULL);
  part2_wait_reload (f->session);
  g_assert_false (hearth_session_get_compare (f->session));
  g_assert_null (hearth_session_get_diff_tree (f->session));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(HearthFunctionItem) item = g_list_model_get_item (rows, i);
      g_assert_false (g_str_equal (hearth_function_item_get_name (item), "fresh"));
    }
}

static void
test_diff_accessible (Fixture *f, gconstpointer data)
{
  g_autofree char *wrong = NULL;

  hearth_graph_view_select_node (f->diff, node (hearth_graph_view_get_tree (f->diff), "main", "wait"));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (f->diff), GTK_ACCESSIBLE_ROLE_IMG);
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (f->diff), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "Differential flame graph: wait, A 18.2%, B 54.5%, change +36.4%");
  if (wrong != NULL)
    g_test_message ("label: %s", wrong);
  g_assert_null (wrong);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = part2_test_init (&argc, &argv);
  int ret;

#define ADD(path, func) \
  g_test_add ("/hearth/app/part2/compare/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("trees-match-model", test_trees_match_model);
  ADD ("shapes", test_shapes);
  ADD ("colors-and-tooltip", test_colors);
  ADD ("absent-frames-reachable", test_absent_frames_reachable);
  ADD ("export-svg", test_export_svg);
  ADD ("side-by-side", test_side_by_side);
  ADD ("functions-delta", test_functions_delta);
  ADD ("accessible", test_diff_accessible);
#undef ADD

  ret = g_test_run ();
  part2_remove_tree (xdg);
  return ret;
}
