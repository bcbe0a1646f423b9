/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * bench-brush: brushing latency in a real window — from a drag step on
 * the timeline (the brush handler updating the session's range A) to the
 * first frame painted whose flame graph shows that range — on the shared
 * synthetic session (10 M samples, 8 threads, 1250 s), for ranges that
 * hold about 1 k, 100 k, 1 M and 10 M samples. Targets: ≤ 16 ms up to
 * 1 M samples, ≤ 100 ms at 10 M.
 *
 *   tests/app/run-with-xvfb.sh build/bench/app/bench-brush [--samples N] [--runs N] [--size N] [--no-table]
 *
 * Two measures per range size:
 *   step   one drag step at a time, the app idle before it: the latency
 *          of a single move;
 *   drag   a drag moving every 16 ms (a 60 Hz pointer) for 1 s: for each
 *          step, the time until a frame shows that step's range or a
 *          later one (the reload queue drops stale aggregations, so a
 *          slow aggregation skips steps instead of lagging behind them).
 * Also printed: the aggregation alone (tree + top functions) on this
 * thread, to show what the latency is made of. No peer tool brushes a
 * 10 M-sample recording in a desktop window, so there is no ratio.
 */

#include <stdlib.h>

#include <glib/gstdio.h>

#include "hearth-application.h"
#include "hearth-synthetic.h"
#include "hearth-timeline-view-private.h"
#include "hearth-window.h"

static guint64 opt_samples = 10000000;
static guint   opt_runs = 15;
static guint64 opt_size;     /* only this range size; 0: all four */
static gboolean opt_no_table;  /* hide the functions table, to see its share */

typedef struct
{
  HearthWindow    *window;
  HearthSession   *session;
  HearthFlameView *view;
  gint64           sent_at[256];     /* monotonic µs of each step */
  guint64          total[256];       /* samples in the step's range, to recognise it */
  guint            n_sent;
  gint64           shown_at[256];    /* first frame showing step i or later */
  guint            n_shown;          /* steps 0..n_shown-1 have been shown */
  gint64           tree_at;          /* last new call tree from the session */
  gint64           last_tree_at;     /* the one behind the step last shown */
  gint64           painted_at;       /* last after-paint */
  gint64           layout_at;        /* this frame's layout phase began */
  GArray          *frame_ms;         /* layout → after-paint of each frame */
} Run;

static void
layout_cb (GdkFrameClock *clock,
           Run           *run)
{
  run->layout_at = g_get_monotonic_time ();
}

static void
tree_cb (Run *run)
{
  run->tree_at = g_get_monotonic_time ();
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
spin (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (200);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_double);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (p * values->len)));
}

/* After each painted frame: which step does the flame graph show? Every
 * step adds samples to the range (weights are 1), so the tree's total
 * tells; that step and the earlier ones not yet shown are shown now. */
static void
after_paint_cb (GdkFrameClock *clock,
                Run           *run)
{
  HearthCallTree *tree = hearth_flame_view_get_tree (run->view);
  guint64 total;

  run->painted_at = g_get_monotonic_time ();
  if (run->frame_ms != NULL && run->layout_at != 0)
    {
      double ms = (run->painted_at - run->layout_at) / 1000.0;
      g_array_append_val (run->frame_ms, ms);
    }
  if (tree == NULL)
    return;
  total = hearth_call_tree_get_total_a (tree);
  for (guint i = run->n_sent; i-- > run->n_shown;)
    if (run->total[i] == total)
      {
        for (guint k = run->n_shown; k <= i; k++)
          run->shown_at[k] = g_get_monotonic_time ();
        run->last_tree_at = run->tree_at;
        run->n_shown = i + 1;
        return;
      }
}

static void
step (Run    *run,
      gint64  start,
      gint64  end)
{
  HearthSelection sel = { .start_ns = start, .end_ns = end };

  g_assert (run->n_sent < G_N_ELEMENTS (run->sent_at));
  run->total[run->n_sent] = hearth_profile_count_samples (hearth_session_get_profile (run->session), &sel);
  run->sent_at[run->n_sent++] = g_get_monotonic_time ();
  /* What the timeline's drag-update handler does with each move. */
  _hearth_timeline_brush (run->session, FALSE, start, end);
}

static gboolean
all_shown (Run *run)
{
  return run->n_shown == run->n_sent;
}

static void
wait_shown (Run *run)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!all_shown (run) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (100);
  if (!all_shown (run))
    g_error ("a step was never shown");
}

static void
reset (Run *run)
{
  run->n_sent = 0;
  run->n_shown = 0;
}

static void
bench_size (Run    *run,
            guint64 n_samples,
            gint64  duration,
            guint64 total_samples)
{
  gint64 span = (gint64) ((double) duration * n_samples / total_samples);
  gint64 start = (duration - span) / 2;
  g_autoptr(GArray) single = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) drag = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) to_tree = g_array_new (FALSE, FALSE, sizeof (double));
  HearthProfile *profile = hearth_session_get_profile (run->session);
  HearthSelection sel = { 0 };
  double agg_ms, t0;
  guint in_range, skipped = 0;

  /* The real count of the range (the synthetic session has jitter). */
  sel.start_ns = start;
  sel.end_ns = start + span;
  in_range = (guint) hearth_profile_count_samples (profile, &sel);

  t0 = now_ms ();
  g_object_unref (hearth_call_tree_new (profile, &sel, HEARTH_CALL_TREE_TOP_DOWN));
  g_array_unref (hearth_profile_top_functions (profile, &sel, NULL));
  agg_ms = now_ms () - t0;

  /* Single steps: nudge the end by 1 ms each time so every step is new. */
  for (guint i = 0; i < opt_runs; i++)
    {
      double ms;

      reset (run);
      step (run, start, start + span - (gint64) (i + 1) * 2000000);
      wait_shown (run);
      ms = (run->shown_at[0] - run->sent_at[0]) / 1000.0;
      g_array_append_val (single, ms);
      ms = (run->last_tree_at - run->sent_at[0]) / 1000.0;
      g_array_append_val (to_tree, ms);
      spin (0.05);
    }

  /* A 1 s drag at 60 Hz: the end moves by 0.1% of the span per step
   * (at least 1 ms, so that every step adds samples). */
  reset (run);
  for (guint i = 0; i < 60; i++)
    {
      gint64 next = g_get_monotonic_time () + 16000;
      gint64 move = MAX (span / 1000, 1000000);

      step (run, start, start + span - move * (60 - i));
      while (g_get_monotonic_time () < next)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (200);
    }
  wait_shown (run);
  for (guint i = 0; i < run->n_sent; i++)
    {
      double ms = (run->shown_at[i] - run->sent_at[i]) / 1000.0;

      g_array_append_val (drag, ms);
      /* Shown together with the next step's range: never drawn itself. */
      if (i + 1 < run->n_sent && run->shown_at[i] == run->shown_at[i + 1])
        skipped++;
    }

  g_print ("   (frames: layout+paint p50 %.1f ms, p90 %.1f ms over %u frames)\n",
           percentile (run->frame_ms, 0.5), percentile (run->frame_ms, 0.9), run->frame_ms->len);
  g_array_set_size (run->frame_ms, 0);
  g_print ("%-8s %9u  %7.1f %7.1f  %7.1f %7.1f  %7.1f %7.1f  %3u/60   %s\n",
           n_samples >= 10000000 ? "10M" : n_samples >= 1000000 ? "1M" : n_samples >= 100000 ? "100k" : "1k",
           in_range, agg_ms, percentile (to_tree, 0.5), percentile (single, 0.5), percentile (single, 0.9),
           percentile (drag, 0.5), percentile (drag, 0.9), skipped,
           percentile (single, 0.5) <= (n_samples >= 10000000 ? 100 : 16) ? "ok" : "OVER");
}

/* The timeline itself: a zoom step (Ctrl+scroll) on the 10 M-sample
 * session recomputes the visible lanes' buckets from the prefix sums and
 * repaints; time from the step to the frame. */
static void
bench_timeline_zoom (Run *run)
{
  HearthTimelineView *lanes =
    hearth_timeline_panel_get_lanes (hearth_explorer_get_timeline_panel (hearth_window_get_explorer (run->window)));
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  double x = gtk_widget_get_width (GTK_WIDGET (lanes)) / 2;

  for (guint i = 0; i < 2 * opt_runs; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double ms;

      run->painted_at = 0;
      hearth_timeline_view_zoom (lanes, i % 2 ? 1 / 1.5 : 1.5, x);
      while (run->painted_at == 0)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (100);
      ms = (run->painted_at - t0) / 1000.0;
      g_array_append_val (times, ms);
      spin (0.03);
    }
  g_print ("\ntimeline zoom step → frame (all %u lanes, %u threads): p50 %.1f ms, p90 %.1f ms\n",
           hearth_profile_get_n_threads (hearth_session_get_profile (run->session)) + 1,
           hearth_profile_get_n_threads (hearth_session_get_profile (run->session)),
           percentile (times, 0.5), percentile (times, 0.9));
}

/* The heat map of the whole recording: switching to it makes every cell
 * (1250 s × 50 rows, 5 s to a column at this width) from the timeline
 * query, then paints; time from the switch to the frame. */
static void
bench_heatmap (Run *run)
{
  HearthTimelinePanel *panel = hearth_explorer_get_timeline_panel (hearth_window_get_explorer (run->window));
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  hearth_timeline_view_reset_window (hearth_timeline_panel_get_lanes (panel));
  for (guint i = 0; i < 5; i++)
    {
      gint64 t0;
      double ms;

      hearth_timeline_panel_set_mode (panel, "lanes");
      spin (0.1);
      /* A new window, so the cells are made again. */
      hearth_timeline_view_zoom (hearth_timeline_panel_get_lanes (panel), i % 2 ? 1 / 1.01 : 1.01, 600);
      spin (0.1);
      t0 = g_get_monotonic_time ();
      run->painted_at = 0;
      hearth_timeline_panel_set_mode (panel, "heatmap");
      while (run->painted_at == 0)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (100);
      ms = (run->painted_at - t0) / 1000.0;
      g_array_append_val (times, ms);
    }
  g_print ("heat map of the whole recording → frame: p50 %.1f ms, p90 %.1f ms\n",
           percentile (times, 0.5), percentile (times, 0.9));
  hearth_timeline_panel_set_mode (panel, "lanes");
}

static gboolean
ready (gpointer data)
{
  Run *run = data;
  GtkWidget *view = GTK_WIDGET (run->view);

  return hearth_session_get_call_tree (run->session) != NULL && !hearth_session_get_busy (run->session) &&
         gtk_widget_get_mapped (view) && gtk_widget_get_width (view) > 100;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = g_dir_make_tmp ("hearth-bench-XXXXXX", NULL);
  g_autoptr(HearthApplication) app = NULL;
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(HearthSession) session = NULL;
  static const guint64 sizes[] = { 1000, 100000, 1000000, 10000000 };
  Run run = { 0 };
  gint64 duration, deadline;
  double t0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--samples") && i + 1 < argc)
        opt_samples = g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--no-table"))
        opt_no_table = TRUE;
      else if (g_str_equal (argv[i], "--size") && i + 1 < argc)
        opt_size = g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--runs") && i + 1 < argc)
        {
          int runs = atoi (argv[++i]);
          opt_runs = (guint) CLAMP (runs, 1, 1000);
        }
    }

  g_setenv ("XDG_DATA_HOME", xdg, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_init ();

  app = hearth_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    g_error ("cannot register the application");

  t0 = now_ms ();
  profile = hearth_synthetic_profile (opt_samples, 8, 20000, 64, 42);
  duration = hearth_profile_get_duration_ns (profile);
  g_print ("session: %" G_GUINT64_FORMAT " samples, %u threads, %u stacks, %.0f s (made in %.1f s)\n",
           hearth_profile_get_n_samples (profile), hearth_profile_get_n_threads (profile),
           hearth_profile_get_n_stacks (profile), duration / 1e9, (now_ms () - t0) / 1000);

  if (opt_no_table)
    g_settings_set_boolean (hearth_application_get_settings (app), "show-functions-table", FALSE);
  session = hearth_session_new (profile, NULL);
  run.session = session;
  run.window = hearth_application_new_window (app);
  hearth_window_set_session (run.window, session);
  gtk_window_set_default_size (GTK_WINDOW (run.window), 1200, 800);
  gtk_window_present (GTK_WINDOW (run.window));
  run.view = hearth_explorer_get_flame_view (hearth_window_get_explorer (run.window));
  hearth_flame_view_set_animate (run.view, FALSE);

  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (!ready (&run) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!ready (&run))
    g_error ("the window never showed the session");
  spin (0.5);
  g_signal_connect_swapped (session, "notify::call-tree", G_CALLBACK (tree_cb), &run);
  run.frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (run.window)), "layout", G_CALLBACK (layout_cb), &run);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (run.window)), "after-paint",
                    G_CALLBACK (after_paint_cb), &run);

  g_print ("renderer: %s, %u runs per size\n\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (run.window))),
           opt_runs);
  g_print ("range    samples     aggreg.  →tree   step p50 p90   drag p50 p90   skipped  target\n");
  g_print ("                        ms      ms        ms      ms       ms      ms\n");
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    if (sizes[i] <= opt_samples && (opt_size == 0 || opt_size == sizes[i]))
      bench_size (&run, sizes[i], duration, hearth_profile_get_n_samples (profile));

  if (opt_size == 0)
    {
      bench_timeline_zoom (&run);
      bench_heatmap (&run);
    }

  gtk_window_destroy (GTK_WINDOW (run.window));
  spin (0.2);
  g_rmdir (xdg);
  return 0;
}
