/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "hearth-function-item.h"
#include "test-app-common.h"

typedef struct
{
  HearthApplication *app;
  HearthWindow      *window;
  HearthExplorer    *explorer;
  HearthFlameView   *view;
  HearthSession     *session;
  char              *tmpdir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->tmpdir = g_dir_make_tmp ("hearth-app-XXXXXX", NULL);
  g_assert_nonnull (f->tmpdir);
  f->app = test_app_new ();
  f->window = test_window_with_folded (f->app, data ? data : KNOWN_FOLDED);
  f->explorer = hearth_window_get_explorer (f->window);
  f->view = hearth_explorer_get_flame_view (f->explorer);
  f->session = hearth_window_get_session (f->window);
  /* Animations are tested on their own; the rest wants instant zooms. */
  hearth_flame_view_set_animate (f->view, FALSE);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_spin (20);
  g_clear_object (&f->app);
  remove_dir (f->tmpdir);
  g_free (f->tmpdir);
}

static guint32
node (Fixture *f, const char *a, const char *b, const char *c)
{
  const char *names[] = { a, b, c, NULL };
  return test_find_node (hearth_session_get_call_tree (f->session), names);
}

static void
test_aggregate (Fixture *f, gconstpointer data)
{
  HearthCallTree *tree = hearth_session_get_call_tree (f->session);
  GArray *top = hearth_session_get_top_functions (f->session);

  g_assert_cmpuint (hearth_call_tree_get_total_a (tree), ==, 160);
  g_assert_cmpuint (hearth_call_tree_get_node (tree, node (f, "main", "compute", NULL))->total_a, ==, 100);
  g_assert_nonnull (top);
  g_assert_cmpuint (top->len, ==, 9);
  g_assert_cmpstr (hearth_window_get_status_text (f->window), ==, "160 samples · 1 threads · 1.6 s");
}

static gboolean
not_animating (gpointer data)
{
  return !hearth_flame_view_is_animating (data);
}

static void
test_zoom (Fixture *f, gconstpointer data)
{
  guint32 compute = node (f, "main", "compute", NULL);
  guint32 matmul = node (f, "main", "compute", "matmul");
  double width = gtk_widget_get_width (GTK_WIDGET (f->view));
  graphene_rect_t rect, before;
  g_autofree char *crumbs = NULL;

  g_assert_true (hearth_flame_view_get_node_rect (f->view, matmul, &before));
  g_assert_cmpfloat_with_epsilon (before.size.width, width * 40 / 160, 0.5);

  /* Animated, as a click does: it must end at the right geometry. */
  hearth_flame_view_set_animate (f->view, TRUE);
  hearth_flame_view_zoom_to (f->view, compute);
  g_assert_cmpuint (hearth_flame_view_get_zoom_node (f->view), ==, compute);
  test_wait_for (not_animating, f->view, 5000, "the zoom animation");

  g_assert_true (hearth_flame_view_get_node_rect (f->view, compute, &rect));
  g_assert_cmpfloat_with_epsilon (rect.size.width, width, 0.5);
  g_assert_true (hearth_flame_view_get_node_rect (f->view, matmul, &rect));
  g_assert_cmpfloat_with_epsilon (rect.size.width, width * 40 / 100, 0.5);
  g_assert_cmpuint (hearth_flame_view_node_at (f->view, rect.origin.x + 2, rect.origin.y + 2), ==, matmul);
  /* parse is outside the zoom */
  g_assert_false (hearth_flame_view_get_node_rect (f->view, node (f, "main", "parse", NULL), &rect));

  crumbs = hearth_explorer_dup_breadcrumbs_text (f->explorer);
  g_assert_cmpstr (crumbs, ==, "All samples › main › compute");

  /* Home (bound on the view) resets. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "flame.reset-zoom", NULL));
  g_assert_cmpuint (hearth_flame_view_get_zoom_node (f->view), ==, 0);
}

static void
test_back_forward (Fixture *f, gconstpointer data)
{
  guint32 main_node = node (f, "main", NULL, NULL);
  guint32 compute = node (f, "main", "compute", NULL);
  guint32 matmul = node (f, "main", "compute", "matmul");

  hearth_flame_view_zoom_to (f->view, compute);
  hearth_flame_view_zoom_to (f->view, matmul);
  g_assert_true (hearth_flame_view_can_go_back (f->view));
  g_assert_false (hearth_flame_view_can_go_forward (f->view));

  /* Alt+Left / Alt+Right are the window actions' accelerators. */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "zoom-back", NULL);
  g_assert_cmpuint (hearth_flame_view_get_zoom_node (f->view), ==, compute);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "zoom-back", NULL);
  g_assert_cmpuint (hearth_flame_view_get_zoom_node (f->view), ==, 0);
  g_assert_false (hearth_flame_view_can_go_back (f->view));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "zoom-forward", NULL);
  g_assert_cmpuint (hearth_flame_view_get_zoom_node (f->view), ==, compute);

  /* A new zoom clears the forward history. */
  hearth_flame_view_zoom_to (f->view, main_node);
  g_assert_false (hearth_flame_view_can_go_forward (f->view));

  /* The zoom survives a re-aggregation (live sessions replace the tree). */
  hearth_flame_view_zoom_to (f->view, compute);
  hearth_session_queue_reload (f->session);
  test_spin (30);
  test_wait_for (session_ready, f->session, 5000, "the reload");
  g_assert_cmpstr (hearth_call_tree_get_name (hearth_flame_view_get_tree (f->view),
                                              hearth_flame_view_get_zoom_node (f->view)), ==, "compute");
}

static void
test_tooltip (Fixture *f, gconstpointer data)
{
  guint32 compute = node (f, "main", "compute", NULL);
  guint32 matmul = node (f, "main", "compute", "matmul");
  g_autofree char *tip = NULL;
  g_autofree char *zoomed = NULL;

  tip = hearth_flame_view_dup_tooltip_markup (f->view, matmul);
  g_assert_nonnull (strstr (tip, "<b>matmul</b>"));
  g_assert_nonnull (strstr (tip, "Self samples: 40"));
  g_assert_nonnull (strstr (tip, "Total samples: 40"));
  g_assert_nonnull (strstr (tip, "Of selection: 25.0%"));
  g_assert_nonnull (strstr (tip, "Of zoom: 25.0%"));

  hearth_flame_view_zoom_to (f->view, compute);
  zoomed = hearth_flame_view_dup_tooltip_markup (f->view, matmul);
  g_assert_nonnull (strstr (zoomed, "Of selection: 25.0%"));
  g_assert_nonnull (strstr (zoomed, "Of zoom: 40.0%"));
}

static void
test_search (Fixture *f, gconstpointer data)
{
  const guint32 *matches;
  guint n_matches;

  hearth_session_set_search_text (f->session, "retry");
  g_assert_cmpfloat_with_epsilon (hearth_session_get_search_match_share (f->session), 60.0 / 160, 1e-9);
  g_assert_cmpstr (hearth_explorer_get_match_text (f->explorer), ==, "37.5% of samples match");

  hearth_session_set_search_regex (f->session, TRUE);
  g_assert_true (hearth_session_get_search_regex (f->session));
  hearth_session_set_search_text (f->session, "^(matmul|tokenize)$");
  g_assert_null (hearth_session_get_search_error (f->session));
  g_assert_cmpstr (hearth_session_get_search_text (f->session), ==, "^(matmul|tokenize)$");
  g_assert_cmpfloat_with_epsilon (hearth_session_get_search_match_share (f->session), 60.0 / 160, 1e-9);

  /* A nested match counts its samples once: main;compute;retry_backoff;nanosleep. */
  hearth_session_set_search_text (f->session, "retry|nanosleep");
  g_assert_cmpfloat_with_epsilon (hearth_session_get_search_match_share (f->session), 60.0 / 160, 1e-9);

  /* Enter cycles through matching frames, outer ones first, and wraps. */
  matches = hearth_flame_view_get_match_nodes (f->view, &n_matches);
  g_assert_cmpuint (n_matches, ==, 2);
  g_assert_true (hearth_explorer_next_match (f->explorer, FALSE));
  g_assert_cmpuint (hearth_flame_view_get_selected_node (f->view), ==, matches[0]);
  g_assert_cmpstr (hearth_explorer_get_match_text (f->explorer), ==, "37.5% of samples match · match 1 of 2");
  g_assert_true (hearth_explorer_next_match (f->explorer, FALSE));
  g_assert_cmpuint (hearth_flame_view_get_selected_node (f->view), ==, matches[1]);
  g_assert_true (hearth_explorer_next_match (f->explorer, FALSE));
  g_assert_cmpuint (hearth_flame_view_get_selected_node (f->view), ==, matches[0]);

  hearth_session_set_search_text (f->session, "(");
  g_assert_cmpstr (hearth_explorer_get_match_text (f->explorer), ==, "Invalid regular expression");
  g_assert_nonnull (hearth_session_get_search_error (f->session));

  hearth_session_set_search_text (f->session, NULL);
  g_assert_null (hearth_explorer_get_match_text (f->explorer));
}

static cairo_surface_t *
export_png (Fixture *f, const char *name)
{
  g_autofree char *path = g_build_filename (f->tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;

  g_assert_true (hearth_explorer_export (f->explorer, HEARTH_EXPORT_FORMAT_PNG, path, &error));
  g_assert_no_error (error);
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

static double
node_saturation (Fixture *f, cairo_surface_t *png, guint32 n)
{
  graphene_rect_t rect;

  g_assert_true (hearth_flame_view_get_node_rect (f->view, n, &rect));
  /* a few pixels in from the left, clear of the label text */
  return test_png_saturation (png, (int) rect.origin.x + 2, (int) (rect.origin.y + rect.size.height / 2));
}

static void
test_search_highlight (Fixture *f, gconstpointer data)
{
  guint32 matmul = node (f, "main", "compute", "matmul");
  guint32 read_file = node (f, "main", "parse", "read_file");
  cairo_surface_t *plain, *searched;

  plain = export_png (f, "plain.png");
  hearth_session_set_search_text (f->session, "matmul");
  searched = export_png (f, "searched.png");

  /* The match keeps its colour, the rest is dimmed towards the background. */
  g_assert_cmpfloat_with_epsilon (node_saturation (f, searched, matmul), node_saturation (f, plain, matmul), 0.02);
  g_assert_cmpfloat (node_saturation (f, searched, read_file), <, node_saturation (f, plain, read_file) * 0.7);

  cairo_surface_destroy (plain);
  cairo_surface_destroy (searched);
}

static const char *
row_name (GListModel *model, guint i)
{
  g_autoptr(HearthFunctionItem) item = g_list_model_get_item (model, i);
  return item ? g_intern_string (hearth_function_item_get_name (item)) : NULL;
}

static void
test_table (Fixture *f, gconstpointer data)
{
  HearthFunctionsTable *table = hearth_explorer_get_functions_table (f->explorer);
  GListModel *model = hearth_functions_table_get_model (table);
  guint32 tokenize = node (f, "main", "parse", "tokenize");
  g_autoptr(HearthFunctionItem) first = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 9);
  /* default: total, largest first */
  g_assert_cmpstr (row_name (model, 0), ==, "main");
  g_assert_cmpstr (row_name (model, 1), ==, "compute");

  hearth_functions_table_sort_by (table, "self", TRUE);
  g_assert_cmpstr (row_name (model, 0), ==, "nanosleep");
  g_assert_cmpstr (row_name (model, 1), ==, "matmul");
  hearth_functions_table_sort_by (table, "self", FALSE);
  g_assert_cmpstr (row_name (model, 8), ==, "nanosleep");
  hearth_functions_table_sort_by (table, "name", FALSE);
  g_assert_cmpstr (row_name (model, 0), ==, "compute");
  g_assert_cmpstr (row_name (model, 8), ==, "tokenize");

  first = g_list_model_get_item (model, 0);
  g_assert_cmpuint (hearth_function_item_get_total (first), ==, 100);

  /* The search filters the table. */
  hearth_session_set_search_text (f->session, "read");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (row_name (model, 0), ==, "read_file");
  hearth_session_set_search_text (f->session, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 9);

  /* Selecting a row highlights that function in the graph. */
  {
    cairo_surface_t *png;
    guint32 matmul = node (f, "main", "compute", "matmul");
    HearthFunction fn;
    guint32 tokenize_fn = hearth_call_tree_get_node (hearth_session_get_call_tree (f->session), tokenize)->function;

    hearth_functions_table_select_function (table, tokenize_fn);
    g_assert_cmpuint (hearth_functions_table_get_selected_function (table), ==, tokenize_fn);
    png = export_png (f, "highlight.png");
    g_assert_cmpfloat (node_saturation (f, png, tokenize), >, node_saturation (f, png, matmul) * 1.3);
    g_assert_true (hearth_profile_get_function (hearth_session_get_profile (f->session), tokenize_fn, &fn));
    cairo_surface_destroy (png);
  }
}

static void
test_export (Fixture *f, gconstpointer data)
{
  g_autofree char *svg_path = g_build_filename (f->tmpdir, "view.svg", NULL);
  g_autofree char *folded_path = g_build_filename (f->tmpdir, "view.folded", NULL);
  g_autofree char *svg = NULL;
  g_autofree char *folded = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *png;
  guint n_frames = 0;

  png = export_png (f, "view.png");
  g_assert_cmpint (cairo_image_surface_get_width (png), ==,
                   gtk_widget_get_width (GTK_WIDGET (f->view)) * gtk_widget_get_scale_factor (GTK_WIDGET (f->view)));
  g_assert_cmpint (cairo_image_surface_get_height (png), >=, gtk_widget_get_height (GTK_WIDGET (f->view)));
  cairo_surface_destroy (png);

  /* Zoomed: the SVG holds the zoomed subtree and its ancestors only. */
  hearth_flame_view_zoom_to (f->view, node (f, "main", "compute", NULL));
  g_assert_true (hearth_explorer_export (f->explorer, HEARTH_EXPORT_FORMAT_SVG, svg_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, NULL));
  g_assert_true (g_str_has_prefix (svg, "<?xml") || g_str_has_prefix (svg, "<svg"));
  for (const char *p = svg; (p = strstr (p, "class=\"frame\"")); p++)
    n_frames++;
  g_assert_cmpuint (n_frames, ==, 6);   /* all, main, compute, matmul, retry_backoff, nanosleep */
  g_assert_nonnull (strstr (svg, "<title>matmul"));
  g_assert_null (strstr (svg, "<title>tokenize"));

  g_assert_true (hearth_explorer_export (f->explorer, HEARTH_EXPORT_FORMAT_FOLDED, folded_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (folded_path, &folded, NULL, NULL));
  g_assert_nonnull (strstr (folded, "main;compute;retry_backoff;nanosleep 60"));
}

static void
test_sandwich (Fixture *f, gconstpointer data)
{
  HearthProfile *profile = hearth_session_get_profile (f->session);
  guint32 retry = node (f, "main", "compute", "retry_backoff");
  guint32 fn = hearth_call_tree_get_node (hearth_session_get_call_tree (f->session), retry)->function;
  HearthCallTree *callers, *callees;
  const char *callers_path[] = { "retry_backoff", "compute", "main", NULL };
  const char *callees_path[] = { "retry_backoff", "nanosleep", NULL };

  (void) profile;
  hearth_session_set_focus_function (f->session, fn);
  test_spin (30);
  test_wait_for (session_ready, f->session, 5000, "the sandwich trees");

  callers = hearth_session_get_callers_tree (f->session);
  callees = hearth_session_get_callees_tree (f->session);
  g_assert_nonnull (callers);
  g_assert_nonnull (callees);
  g_assert_cmpuint (hearth_call_tree_get_total_a (callers), ==, 60);
  g_assert_cmpuint (test_find_node (callers, callers_path), !=, HEARTH_NO_ID);
  g_assert_cmpuint (test_find_node (callees, callees_path), !=, HEARTH_NO_ID);
  g_assert_true (hearth_explorer_get_active_view (f->explorer) != f->view);

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "unfocus-function", NULL);
  g_assert_true (hearth_explorer_get_active_view (f->explorer) == f->view);
}

static void
test_hide (Fixture *f, gconstpointer data)
{
  guint32 retry = node (f, "main", "compute", "retry_backoff");
  guint32 fn = hearth_call_tree_get_node (hearth_session_get_call_tree (f->session), retry)->function;

  hearth_session_hide_function (f->session, fn);
  test_spin (30);
  test_wait_for (session_ready, f->session, 5000, "the reload");
  g_assert_cmpuint (hearth_call_tree_get_total_a (hearth_session_get_call_tree (f->session)), ==, 100);
  g_assert_cmpuint (node (f, "main", "compute", "retry_backoff"), ==, HEARTH_NO_ID);

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "show-all-functions", NULL);
  test_spin (30);
  test_wait_for (session_ready, f->session, 5000, "the reload");
  g_assert_cmpuint (hearth_call_tree_get_total_a (hearth_session_get_call_tree (f->session)), ==, 160);
}

static void
test_orientation (Fixture *f, gconstpointer data)
{
  guint32 main_node = node (f, "main", NULL, NULL);
  graphene_rect_t icicle, flame;

  g_assert_true (hearth_flame_view_get_node_rect (f->view, main_node, &icicle));
  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "view-orientation", g_variant_new_string ("flame"));
  g_assert_cmpint (hearth_session_get_view (f->session), ==, HEARTH_VIEW_FLAME);
  test_spin (30);
  g_assert_true (hearth_flame_view_get_node_rect (f->view, main_node, &flame));
  /* icicle: second row from the top; flame: second row from the bottom */
  g_assert_cmpfloat (icicle.origin.y, <, 40);
  g_assert_cmpfloat (flame.origin.y + flame.size.height, >, gtk_widget_get_height (GTK_WIDGET (f->view)) - 40);
  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "view-orientation", g_variant_new_string ("icicle"));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = g_dir_make_tmp ("hearth-xdg-XXXXXX", NULL);

  g_setenv ("XDG_DATA_HOME", xdg, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* No accessibility bus in the test X server. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/hearth/app/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("explorer/aggregate", test_aggregate);
  ADD ("explorer/zoom", test_zoom);
  ADD ("explorer/back-forward", test_back_forward);
  ADD ("explorer/tooltip", test_tooltip);
  ADD ("explorer/search", test_search);
  ADD ("explorer/search-highlight", test_search_highlight);
  ADD ("explorer/functions-table", test_table);
  ADD ("explorer/export", test_export);
  ADD ("explorer/sandwich", test_sandwich);
  ADD ("explorer/hide-function", test_hide);
  ADD ("explorer/orientation", test_orientation);
#undef ADD

  {
    int ret = g_test_run ();
    g_autofree char *sessions = g_build_filename (xdg, "hearth", "sessions", NULL);
    g_autofree char *hearth = g_build_filename (xdg, "hearth", NULL);

    remove_dir (sessions);
    g_rmdir (hearth);
    g_rmdir (xdg);
    return ret;
  }
}
