/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "hearth-function-item.h"
#include "hearth-heatmap-view.h"
#include "hearth-timeline-view-private.h"
#include "test-part2-common.h"

/*
 * The timeline under Xvfb, driven by real pointer and keyboard events:
 * brushing maps pixels to time at several zoom levels, the views then
 * show exactly the samples of the range, edges, clicks, the thread
 * filter, zoom and pan, markers, the heat map, keyboard selection and
 * following a growing recording.
 */

typedef struct
{
  HearthApplication  *app;
  HearthWindow       *window;
  HearthProfile      *profile;
  HearthSession      *session;
  HearthExplorer     *explorer;
  HearthTimelinePanel *panel;
  HearthTimelineView *lanes;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->app = test_app_new ();
  f->profile = part2_profile_new ();
  f->window = part2_window_new (f->app, f->profile);
  f->session = hearth_window_get_session (f->window);
  f->explorer = hearth_window_get_explorer (f->window);
  f->panel = hearth_explorer_get_timeline_panel (f->explorer);
  f->lanes = hearth_timeline_panel_get_lanes (f->panel);
  hearth_timeline_panel_set_mode (f->panel, "lanes");
  test_spin (50);
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
}

static double
lane_middle (Fixture *f,
             guint32  thread)
{
  graphene_rect_t rect;

  g_assert_true (hearth_timeline_view_get_lane_rect (f->lanes, thread, &rect));
  return rect.origin.y + rect.size.height / 2;
}

/* Pixels to time as documented, without HearthTimeScale: the lanes span
 * the widget after the name gutter and before a right margin. */
static gint64
expected_time (Fixture *f,
               int      x)
{
  double plot_w = gtk_widget_get_width (GTK_WIDGET (f->lanes)) - HEARTH_TIMELINE_GUTTER - HEARTH_TIMELINE_RIGHT_PAD;
  gint64 start, end;
  double t;

  hearth_timeline_view_get_window (f->lanes, &start, &end);
  t = start + (x - HEARTH_TIMELINE_GUTTER) / plot_w * (double) (end - start);
  return CLAMP ((gint64) llround (t), 0, hearth_profile_get_duration_ns (f->profile));
}

static const struct
{
  gint64 view_start;
  gint64 view_end;    /* -1: the end of the recording (9.99 s + 1 ns) */
  double from;        /* fractions of the lanes' width */
  double to;
} brush_cases[] = {
  { 0, -1, 0.10, 0.35 },                   /* whole recording */
  { MS (2000), MS (4000), 0.25, 0.75 },    /* 2 s */
  { MS (3000), MS (3050), 0.20, 0.90 },    /* 50 ms: sub-sample resolution */
  { MS (9000), -1, 0.80, 0.10 },           /* right to left */
  { MS (8000), -1, 0.50, 1.20 },           /* past the end: clamped */
};

static void
test_brush_pixels (Fixture *f, gconstpointer data)
{
  if (!part2_has_xdotool ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (brush_cases); i++)
    {
      double plot_w = gtk_widget_get_width (GTK_WIDGET (f->lanes)) - HEARTH_TIMELINE_GUTTER - HEARTH_TIMELINE_RIGHT_PAD;
      int x0, x1;
      gint64 a0, a1, e0, e1, slop, view_start, view_end;
      gint64 want_end = brush_cases[i].view_end < 0 ? hearth_profile_get_duration_ns (f->profile)
                                                    : brush_cases[i].view_end;

      hearth_timeline_view_set_window (f->lanes, brush_cases[i].view_start, want_end);
      test_spin (30);
      hearth_timeline_view_get_window (f->lanes, &view_start, &view_end);
      g_assert_cmpint (view_start, ==, brush_cases[i].view_start);
      g_assert_cmpint (view_end, ==, want_end);

      x0 = (int) floor (HEARTH_TIMELINE_GUTTER + brush_cases[i].from * plot_w);
      x1 = (int) floor (HEARTH_TIMELINE_GUTTER + brush_cases[i].to * plot_w);
      part2_drag (GTK_WIDGET (f->lanes), x0, lane_middle (f, HEARTH_NO_ID), x1, NULL);

      hearth_session_get_range_a (f->session, &a0, &a1);
      e0 = MIN (expected_time (f, x0), expected_time (f, x1));
      e1 = MAX (expected_time (f, x0), expected_time (f, x1));
      /* Pointer positions are whole pixels: half a pixel of time. */
      slop = (gint64) ((view_end - view_start) / plot_w / 2) + 1;
      g_test_message ("case %u: window %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT ", x %d→%d: A %" G_GINT64_FORMAT
                      "–%" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT,
                      i, view_start, view_end, x0, x1, a0, a1, e0, e1);
      g_assert_cmpint (ABS (a0 - e0), <=, slop);
      g_assert_cmpint (ABS (a1 - e1), <=, slop);
      g_assert_cmpint (a1, <=, hearth_profile_get_duration_ns (f->profile));
    }
}

/* After a brush, the views show the model's aggregation of that range. */
static void
test_views_show_range (Fixture *f, gconstpointer data)
{
  HearthTimeScale scale;
  HearthSelection sel;
  g_autoptr(HearthCallTree) expected = NULL;
  g_autofree char *want = NULL, *got = NULL, *count = NULL;
  g_autoptr(GArray) top = NULL;
  GListModel *rows;
  gint64 a0, a1;

  if (!part2_has_xdotool ())
    return;

  /* From about 4 s to 6 s: both phases. */
  hearth_timeline_view_get_scale (f->lanes, &scale);
  part2_drag (GTK_WIDGET (f->lanes), hearth_time_scale_time_to_x (&scale, MS (4000)), lane_middle (f, HEARTH_NO_ID),
              hearth_time_scale_time_to_x (&scale, MS (6000)), NULL);
  part2_wait_reload (f->session);

  hearth_session_get_range_a (f->session, &a0, &a1);
  g_assert_cmpint (a1 - a0, >, MS (1900));
  hearth_session_get_selection (f->session, &sel);
  expected = hearth_call_tree_new (f->profile, &sel, HEARTH_CALL_TREE_TOP_DOWN);
  want = part2_tree_text (expected);
  got = part2_tree_text (hearth_session_get_call_tree (f->session));
  g_assert_cmpstr (got, ==, want);

  /* Every view of the explorer draws that tree. */
  g_assert_true (hearth_flame_view_get_tree (hearth_explorer_get_flame_view (f->explorer)) ==
                 hearth_session_get_call_tree (f->session));
  g_assert_true (hearth_graph_view_get_tree (hearth_sunburst_view_get_graph (hearth_explorer_get_sunburst_view (f->explorer))) ==
                 hearth_session_get_call_tree (f->session));

  /* The functions table holds the model's top functions of the range. */
  top = hearth_profile_top_functions (f->profile, &sel, NULL);
  rows = hearth_functions_table_get_model (hearth_explorer_get_functions_table (f->explorer));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, top->len);
  for (guint i = 0; i < top->len; i++)
    {
      const HearthFunctionStats *st = &g_array_index (top, HearthFunctionStats, i);
      gboolean found = FALSE;

      for (guint r = 0; r < g_list_model_get_n_items (rows); r++)
        {
          g_autoptr(HearthFunctionItem) item = g_list_model_get_item (rows, r);

          if (hearth_function_item_get_function (item) == st->function)
            {
              g_assert_cmpuint (hearth_function_item_get_total (item), ==, st->total_a);
              found = TRUE;
            }
        }
      g_assert_true (found);
    }

  /* The range label: start, end, duration and the sample count. */
  count = g_strdup_printf ("%'" G_GUINT64_FORMAT " samples", hearth_profile_count_samples (f->profile, &sel));
  g_assert_nonnull (strstr (hearth_timeline_panel_get_range_text (f->panel), count));
  g_assert_true (g_str_has_prefix (hearth_timeline_panel_get_range_text (f->panel), "A "));
}

static void
test_edges_and_click (Fixture *f, gconstpointer data)
{
  HearthTimeScale scale;
  double y = lane_middle (f, HEARTH_NO_ID);
  gint64 a0, a1, b0, b1;

  if (!part2_has_xdotool ())
    return;

  hearth_session_set_range_a (f->session, MS (2000), MS (5000));
  test_spin (30);
  hearth_timeline_view_get_scale (f->lanes, &scale);

  /* Grab the end edge and move it to 7 s; the start stays. */
  part2_drag (GTK_WIDGET (f->lanes), hearth_time_scale_time_to_x (&scale, MS (5000)), y,
              hearth_time_scale_time_to_x (&scale, MS (7000)), NULL);
  hearth_session_get_range_a (f->session, &a0, &a1);
  g_assert_cmpint (a0, ==, MS (2000));
  g_assert_cmpint (ABS (a1 - MS (7000)), <=, hearth_time_scale_ns_per_px (&scale));

  /* The start edge, dragged past the end, swaps them. */
  part2_drag (GTK_WIDGET (f->lanes), hearth_time_scale_time_to_x (&scale, MS (2000)), y,
              hearth_time_scale_time_to_x (&scale, MS (8000)), NULL);
  hearth_session_get_range_a (f->session, &a0, &a1);
  g_assert_cmpint (ABS (a0 - MS (7000)), <=, hearth_time_scale_ns_per_px (&scale));
  g_assert_cmpint (ABS (a1 - MS (8000)), <=, hearth_time_scale_ns_per_px (&scale));

  /* Shift+drag selects range B and turns comparing on. */
  part2_drag (GTK_WIDGET (f->lanes), hearth_time_scale_time_to_x (&scale, MS (1000)), y,
              hearth_time_scale_time_to_x (&scale, MS (3000)), "shift");
  hearth_session_get_range_b (f->session, &b0, &b1);
  g_assert_true (hearth_session_get_compare (f->session));
  g_assert_cmpint (ABS (b0 - MS (1000)), <=, hearth_time_scale_ns_per_px (&scale));
  g_assert_cmpint (ABS (b1 - MS (3000)), <=, hearth_time_scale_ns_per_px (&scale));

  /* While comparing a click clears B, Shift+click clears A. */
  part2_click (GTK_WIDGET (f->lanes), hearth_time_scale_time_to_x (&scale, MS (9500)), y, NULL);
  hearth_session_get_range_b (f->session, &b0, &b1);
  g_assert_cmpint (b1, <=, b0);
  part2_click (GTK_WIDGET (f->lanes), hearth_time_scale_time_to_x (&scale, MS (9500)), y, "shift");
  hearth_session_get_range_a (f->session, &a0, &a1);
  g_assert_cmpint (a0, ==, 0);
  g_assert_cmpint (a1, ==, 0);
}

static void
assert_threads (Fixture       *f,
                const guint32 *want,
                guint          n_want)
{
  guint n = 0;
  const guint32 *threads = hearth_session_get_threads (f->session, &n);

  g_assert_cmpuint (n, ==, n_want);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (threads[i], ==, want[i]);
}

static void
test_thread_lanes (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) order = hearth_timeline_view_dup_lane_order (f->lanes);
  HearthSelection sel;

  if (!part2_has_xdotool ())
    return;

  /* Sorted by activity: main (1000 samples) above helper (100). */
  g_assert_cmpuint (order->len, ==, 2);
  g_assert_cmpuint (g_array_index (order, guint32, 0), ==, 0);
  g_assert_cmpuint (g_array_index (order, guint32, 1), ==, 1);

  part2_click (GTK_WIDGET (f->lanes), 40, lane_middle (f, 1), NULL);
  assert_threads (f, (guint32[]) { 1 }, 1);
  part2_wait_reload (f->session);
  hearth_session_get_selection (f->session, &sel);
  g_assert_cmpuint (hearth_call_tree_get_total_a (hearth_session_get_call_tree (f->session)), ==,
                    hearth_profile_count_samples (f->profile, &sel));
  g_assert_cmpuint (hearth_call_tree_get_total_a (hearth_session_get_call_tree (f->session)), ==, 100);

  part2_click (GTK_WIDGET (f->lanes), 40, lane_middle (f, 0), "ctrl");
  assert_threads (f, (guint32[]) { 1, 0 }, 2);
  part2_click (GTK_WIDGET (f->lanes), 40, lane_middle (f, 1), "ctrl");
  assert_threads (f, (guint32[]) { 0 }, 1);
  part2_click (GTK_WIDGET (f->lanes), 40, lane_middle (f, HEARTH_NO_ID), NULL);
  assert_threads (f, NULL, 0);

  /* Collapsed, only the total lane is left. */
  hearth_timeline_view_set_threads_collapsed (f->lanes, TRUE);
  test_spin (50);
  {
    graphene_rect_t rect;
    g_assert_false (hearth_timeline_view_get_lane_rect (f->lanes, 0, &rect));
  }
  hearth_timeline_view_set_sort_by_activity (f->lanes, FALSE);
  hearth_timeline_view_set_threads_collapsed (f->lanes, FALSE);
}

static void
test_zoom_pan (Fixture *f, gconstpointer data)
{
  HearthTimeScale scale;
  gulong xid = part2_xid (GTK_WINDOW (f->window));
  double x, y = lane_middle (f, HEARTH_NO_ID);
  gint64 t_before, start, end;
  int wx, wy;

  if (!part2_has_xdotool ())
    return;

  /* Ctrl+wheel up zooms in by 1.5 around the pointer. */
  hearth_timeline_view_get_scale (f->lanes, &scale);
  x = hearth_time_scale_time_to_x (&scale, MS (3000));
  t_before = hearth_time_scale_x_to_time (&scale, floor (x));
  part2_to_window (GTK_WIDGET (f->lanes), floor (x), y, &wx, &wy);
  part2_xdo ("mousemove --window %lu %d %d", xid, wx, wy);
  part2_xdo ("keydown ctrl click 4 keyup ctrl");
  hearth_timeline_view_get_window (f->lanes, &start, &end);
  g_assert_cmpint (ABS ((end - start) - (gint64) (hearth_profile_get_duration_ns (f->profile) / 1.5)), <=, MS (1));
  hearth_timeline_view_get_scale (f->lanes, &scale);
  g_assert_cmpint (ABS (hearth_time_scale_x_to_time (&scale, floor (x)) - t_before), <=,
                   hearth_time_scale_ns_per_px (&scale));
  g_assert_false (hearth_timeline_view_get_following (f->lanes));

  /* Dragging the axis 100 px to the left shows later times. */
  hearth_timeline_view_set_window (f->lanes, MS (2000), MS (4000));
  test_spin (20);
  hearth_timeline_view_get_scale (f->lanes, &scale);
  part2_drag (GTK_WIDGET (f->lanes), 700, 8, 600, NULL);
  hearth_timeline_view_get_window (f->lanes, &start, &end);
  g_assert_cmpint (end - start, ==, MS (2000));
  g_assert_cmpint (ABS (start - (MS (2000) + (gint64) (100 * hearth_time_scale_ns_per_px (&scale)))), <=, MS (1));

  /* 0 on the keyboard shows everything again. */
  part2_keys (GTK_WIDGET (f->lanes), "0");
  hearth_timeline_view_get_window (f->lanes, &start, &end);
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, hearth_profile_get_duration_ns (f->profile));
  g_assert_true (hearth_timeline_view_get_following (f->lanes));
}

static void
test_markers (Fixture *f, gconstpointer data)
{
  gint64 a0, a1;
  double strip = HEARTH_TIMELINE_MARKER_STRIP / 2;
  graphene_rect_t total;

  if (!part2_has_xdotool ())
    return;

  g_assert_true (hearth_timeline_view_get_lane_rect (f->lanes, HEARTH_NO_ID, &total));
  strip = total.origin.y - HEARTH_TIMELINE_MARKER_STRIP / 2;

  /* The pause: its span. */
  part2_click (GTK_WIDGET (f->lanes), hearth_timeline_view_get_marker_x (f->lanes, 0) + 3, strip, NULL);
  hearth_session_get_range_a (f->session, &a0, &a1);
  g_assert_cmpint (a0, ==, MS (6000));
  g_assert_cmpint (a1, ==, MS (6500));

  /* The lost connection: what led up to it, since the pause ended. */
  part2_click (GTK_WIDGET (f->lanes), hearth_timeline_view_get_marker_x (f->lanes, 1), strip, NULL);
  hearth_session_get_range_a (f->session, &a0, &a1);
  g_assert_cmpint (a0, ==, MS (6500));
  g_assert_cmpint (a1, ==, MS (8000));
}

static void
test_keyboard_brush (Fixture *f, gconstpointer data)
{
  gint64 step = hearth_profile_get_duration_ns (f->profile) / 100;
  gint64 a0, a1;

  if (!part2_has_xdotool ())
    return;

  /* The cursor moves by a hundredth of the window. */
  part2_keys (GTK_WIDGET (f->lanes), "Home Right Right shift+Right shift+Right shift+Right");
  hearth_session_get_range_a (f->session, &a0, &a1);
  g_assert_cmpint (a0, ==, 2 * step);
  g_assert_cmpint (a1, ==, 5 * step);

  /* Alt+Shift: range B; Escape clears A first. */
  part2_keys (GTK_WIDGET (f->lanes), "Right alt+shift+Right alt+shift+Right");
  hearth_session_get_range_b (f->session, &a0, &a1);
  g_assert_cmpint (a0, ==, 6 * step);
  g_assert_cmpint (a1, ==, 8 * step);
  part2_keys (GTK_WIDGET (f->lanes), "Escape");
  hearth_session_get_range_a (f->session, &a0, &a1);
  g_assert_cmpint (a1, ==, 0);

  /* Down to the helper lane, Return filters to it. */
  part2_keys (GTK_WIDGET (f->lanes), "Down Down Return");
  assert_threads (f, (guint32[]) { 1 }, 1);
}

static void
test_heatmap (Fixture *f, gconstpointer data)
{
  HearthHeatmapView *heatmap = hearth_timeline_panel_get_heatmap (f->panel);
  graphene_rect_t from, to;
  gint64 a0, a1;

  if (!part2_has_xdotool ())
    return;

  hearth_timeline_panel_set_mode (f->panel, "heatmap");
  test_spin (100);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (heatmap)));
  g_assert_cmpint (hearth_heatmap_view_get_first_second (heatmap), ==, 0);
  g_assert_cmpuint (hearth_heatmap_view_get_n_columns (heatmap), ==, 10);
  g_assert_cmpuint (hearth_heatmap_view_get_rows (heatmap), ==, 50);

  /* Running samples per 20 ms cell. main: in the first 5 s rows 5k..5k+3
   * run (work) and row 5k+4 sleeps (wait); in the last 5 s row 5k runs
   * (work), 5k+1..5k+3 sleep, 5k+4 runs (fresh). helper runs 2 samples a
   * cell in the first 100 ms of every second: the stripe at the top. */
  for (guint c = 0; c < 10; c++)
    {
      gboolean late = c >= 5;

      g_assert_cmpuint (hearth_heatmap_view_get_cell_count (heatmap, c, 0), ==, 4);
      g_assert_cmpuint (hearth_heatmap_view_get_cell_count (heatmap, c, 1), ==, late ? 2 : 4);
      g_assert_cmpuint (hearth_heatmap_view_get_cell_count (heatmap, c, 4), ==, late ? 4 : 2);
      g_assert_cmpuint (hearth_heatmap_view_get_cell_count (heatmap, c, 5), ==, 2);
      g_assert_cmpuint (hearth_heatmap_view_get_cell_count (heatmap, c, 6), ==, late ? 0 : 2);
      g_assert_cmpuint (hearth_heatmap_view_get_cell_count (heatmap, c, 49), ==, late ? 2 : 0);
    }

  /* From cell (2 s, row 5) to cell (3 s, row 10): 2.100 s to 3.220 s. */
  g_assert_true (hearth_heatmap_view_get_cell_rect (heatmap, 2, 5, &from));
  g_assert_true (hearth_heatmap_view_get_cell_rect (heatmap, 3, 10, &to));
  {
    gulong xid = part2_xid (GTK_WINDOW (f->window));
    int ax, ay, bx, by;

    part2_to_window (GTK_WIDGET (heatmap), from.origin.x + from.size.width / 2, from.origin.y + from.size.height / 2, &ax, &ay);
    part2_to_window (GTK_WIDGET (heatmap), to.origin.x + to.size.width / 2, to.origin.y + to.size.height / 2, &bx, &by);
    part2_xdo ("mousemove --window %lu %d %d mousedown 1 mousemove --window %lu %d %d mousemove --window %lu %d %d mouseup 1",
               xid, ax, ay, xid, (ax + bx) / 2, (ay + by) / 2, xid, bx, by);
  }
  hearth_session_get_range_a (f->session, &a0, &a1);
  g_assert_cmpint (a0, ==, MS (2100));
  g_assert_cmpint (a1, ==, MS (3220));

  /* The same range on the lanes, which share the heat map's window. */
  hearth_timeline_panel_set_mode (f->panel, "lanes");
  test_spin (50);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->lanes)));
}

static void
test_follow_growth (Fixture *f, gconstpointer data)
{
  gint64 start, end;

  /* Not zoomed: the window grows with the recording. */
  for (guint i = 0; i < 200; i++)
    hearth_profile_append_sample (f->profile, 0, &(HearthSample) { MS (10000) + MS (10) * i, 0, 1, 0 });
  hearth_session_queue_reload (f->session);
  part2_wait_reload (f->session);
  hearth_timeline_view_get_window (f->lanes, &start, &end);
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, hearth_profile_get_duration_ns (f->profile));
  g_assert_cmpint (end, >=, MS (11990));

  /* Zoomed away from the end: it stays put. */
  hearth_timeline_view_set_window (f->lanes, MS (2000), MS (4000));
  for (guint i = 200; i < 400; i++)
    hearth_profile_append_sample (f->profile, 0, &(HearthSample) { MS (10000) + MS (10) * i, 0, 1, 0 });
  hearth_session_queue_reload (f->session);
  part2_wait_reload (f->session);
  hearth_timeline_view_get_window (f->lanes, &start, &end);
  g_assert_cmpint (start, ==, MS (2000));
  g_assert_cmpint (end, ==, MS (4000));

  /* Zoomed at the end: it slides along. */
  hearth_timeline_view_set_window (f->lanes, hearth_profile_get_duration_ns (f->profile) - MS (3000),
                                   hearth_profile_get_duration_ns (f->profile));
  for (guint i = 400; i < 600; i++)
    hearth_profile_append_sample (f->profile, 0, &(HearthSample) { MS (10000) + MS (10) * i, 0, 1, 0 });
  hearth_session_queue_reload (f->session);
  part2_wait_reload (f->session);
  hearth_timeline_view_get_window (f->lanes, &start, &end);
  g_assert_cmpint (end, ==, hearth_profile_get_duration_ns (f->profile));
  g_assert_cmpint (end - start, ==, MS (3000));
}

static void
test_accessible (Fixture *f, gconstpointer data)
{
  g_autofree char *label = NULL;

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (f->lanes), GTK_ACCESSIBLE_ROLE_GROUP);
  /* The range summary above describes the lanes and the heat map. */
  g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (f->lanes), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY));
  g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (hearth_timeline_panel_get_heatmap (f->panel)),
                                                   GTK_ACCESSIBLE_RELATION_DESCRIBED_BY));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (hearth_timeline_panel_get_heatmap (f->panel)), GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (f->lanes), GTK_ACCESSIBLE_PROPERTY_LABEL, "Timeline");
  hearth_session_set_range_a (f->session, MS (1000), MS (2000));
  test_spin (30);
  /* The description reads the range and its samples. */
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (f->lanes), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  label = gtk_test_accessible_check_property (GTK_ACCESSIBLE (f->lanes), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                              "Range A from 1.00 s to 2.00 s, 110 samples. "
                                              "Showing 0 s to 9.99 s; cursor at 0 s.");
  if (label != NULL)
    g_test_message ("description: %s", label);
  g_assert_null (label);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = part2_test_init (&argc, &argv);
  int ret;

#define ADD(path, func) \
  g_test_add ("/hearth/app/part2/timeline/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("brush-pixels-at-zoom-levels", test_brush_pixels);
  ADD ("views-show-the-range", test_views_show_range);
  ADD ("edges-shift-and-click", test_edges_and_click);
  ADD ("thread-lanes-filter", test_thread_lanes);
  ADD ("zoom-and-pan", test_zoom_pan);
  ADD ("markers-select-spans", test_markers);
  ADD ("keyboard-brush", test_keyboard_brush);
  ADD ("heatmap", test_heatmap);
  ADD ("follows-growing-recording", test_follow_growth);
  ADD ("accessible", test_accessible);
#undef ADD

  ret = g_test_run ();
  part2_remove_tree (xdg);
  return ret;
}
