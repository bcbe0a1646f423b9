/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * bench-app: the app's three figures, in a real window (run it in an X
 * server, e.g. tests/app/run-with-xvfb.sh build/bench/app/bench-app):
 *
 *   open    a 10 M-sample .profsession from "Open" to the first frame
 *           painted with its graph (target ≤ 2 s)
 *   zoom    frame times of the explorer while zoom animations run on a
 *           ~100k-node call tree (target ≤ 16 ms a frame)
 *   stream  main-loop stalls while a collector streams 10 000 samples/s
 *           into a live session (target ≤ 50 ms)
 *
 *   bench-app [open|zoom|stream]... [--samples N] [--dir DIR]
 *
 * The session file is the shared synthetic one (bench/common), written
 * once to DIR (default: the temp dir) and reused.
 */

#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hearth-application.h"
#include "hearth-painter.h"
#include "hearth-session-store.h"
#include "hearth-synthetic.h"
#include "hearth-window.h"

static guint64 opt_samples = 10000000;
static char *opt_dir;

typedef gboolean (*Condition) (gpointer data);

static void
wait_for (Condition cond,
          gpointer  data,
          double    timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out");
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
spin (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (500);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values, double p)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_double);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (p * values->len)));
}

static double
mean (GArray *values)
{
  double sum = 0;
  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  return values->len ? sum / values->len : 0;
}

static HearthApplication *
new_app (void)
{
  HearthApplication *app = hearth_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    g_error ("cannot register the application");
  return app;
}

static const char *
renderer_name (GtkWidget *widget)
{
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  return renderer ? G_OBJECT_TYPE_NAME (renderer) : "?";
}

/* --- open ---------------------------------------------------------------- */

typedef struct
{
  HearthWindow *window;
  gint64        t_session;
  gint64        t_tree;
  gint64        t_paint;
} OpenRun;

static void
after_paint_cb (GdkFrameClock *clock,
                OpenRun       *run)
{
  HearthSession *session = hearth_window_get_session (run->window);

  if (run->t_paint == 0 && session != NULL && hearth_session_get_call_tree (session) != NULL &&
      run->t_tree != 0)
    run->t_paint = g_get_monotonic_time ();
}

static gboolean
painted (gpointer data)
{
  OpenRun *run = data;
  HearthSession *session = hearth_window_get_session (run->window);

  if (run->t_session == 0 && session != NULL)
    run->t_session = g_get_monotonic_time ();
  if (run->t_tree == 0 && session != NULL && hearth_session_get_call_tree (session) != NULL)
    {
      run->t_tree = g_get_monotonic_time ();
      gtk_widget_queue_draw (GTK_WIDGET (run->window));
    }
  return run->t_paint != 0;
}

static char *
session_path (void)
{
  g_autofree char *name = g_strdup_printf ("hearth-bench-app-%" G_GUINT64_FORMAT ".profsession", opt_samples);
  char *path = g_build_filename (opt_dir ? opt_dir : g_get_tmp_dir (), name, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(HearthProfile) profile = NULL;
      g_autoptr(GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();

      g_print ("writing %s (%" G_GUINT64_FORMAT " samples)…\n", path, opt_samples);
      profile = hearth_synthetic_profile (opt_samples, 8, 20000, 64, 42);
      if (!hearth_session_save (profile, path, &error))
        g_error ("%s", error->message);
      g_print ("  written in %.1f s\n", (g_get_monotonic_time () - t0) / 1e6);
    }
  return path;
}

static void
bench_open (HearthApplication *app)
{
  g_autofree char *path = session_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GArray *totals = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < 3; i++)
    {
      OpenRun run = { 0 };
      GdkFrameClock *clock;
      gint64 t0;
      double total;

      run.window = hearth_application_new_window (app);
      gtk_window_set_default_size (GTK_WINDOW (run.window), 1280, 800);
      gtk_window_present (GTK_WINDOW (run.window));
      spin (0.5);
      clock = gtk_widget_get_frame_clock (GTK_WIDGET (run.window));
      g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &run);

      t0 = g_get_monotonic_time ();
      hearth_window_open_file (run.window, file);
      wait_for (painted, &run, 120);

      total = (run.t_paint - t0) / 1e3;
      g_array_append_val (totals, total);
      g_print ("open run %u: load %.0f ms, aggregate %.0f ms, first paint %.0f ms after open (%s)\n",
               i + 1, (run.t_session - t0) / 1e3, (run.t_tree - run.t_session) / 1e3, total,
               renderer_name (GTK_WIDGET (run.window)));
      g_signal_handlers_disconnect_by_data (clock, &run);
      gtk_window_destroy (GTK_WINDOW (run.window));
      spin (0.3);
    }

  g_print ("OPEN %" G_GUINT64_FORMAT " samples → first paint: median %.0f ms, best %.0f ms (target ≤ 2000 ms)\n",
           opt_samples, percentile (totals, 0.5), percentile (totals, 0.0));
  g_array_unref (totals);
}

/* --- zoom ---------------------------------------------------------------- */

typedef struct
{
  gint64  start;
  GArray *frames;   /* ms from "update" to "after-paint" */
  GArray *gaps;     /* ms between frames */
  gint64  last_end;
  gboolean recording;
} FrameTimes;

static void
frame_update_cb (GdkFrameClock *clock, FrameTimes *ft)
{
  ft->start = g_get_monotonic_time ();
}

static void
frame_after_paint_cb (GdkFrameClock *clock, FrameTimes *ft)
{
  gint64 now = g_get_monotonic_time ();

  if (ft->recording && ft->start != 0)
    {
      double ms = (now - ft->start) / 1e3;
      g_array_append_val (ft->frames, ms);
      if (ft->last_end != 0)
        {
          double gap = (now - ft->last_end) / 1e3;
          g_array_append_val (ft->gaps, gap);
        }
    }
  ft->last_end = now;
  ft->start = 0;
}

static gboolean
session_ready (gpointer data)
{
  HearthSession *session = hearth_window_get_session (data);
  return session && hearth_session_get_call_tree (session) && !hearth_session_get_busy (session);
}

static gboolean
not_animating (gpointer data)
{
  return !hearth_flame_view_is_animating (data);
}

static void
bench_zoom (HearthApplication *app)
{
  g_autoptr(HearthProfile) profile = hearth_synthetic_profile (2000000, 8, 36000, 64, 7);
  g_autoptr(HearthSession) session = hearth_session_new (profile, NULL);
  HearthWindow *window = hearth_application_new_window (app);
  HearthFlameView *view = hearth_explorer_get_flame_view (hearth_window_get_explorer (window));
  FrameTimes ft = { 0 };
  HearthCallTree *tree;
  GRand *rand = g_rand_new_with_seed (3);
  GdkFrameClock *clock;
  guint n_zooms = 0;

  hearth_window_set_session (window, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (session_ready, window, 60);
  spin (1.0);

  tree = hearth_session_get_call_tree (session);
  ft.frames = g_array_new (FALSE, FALSE, sizeof (double));
  ft.gaps = g_array_new (FALSE, FALSE, sizeof (double));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "update", G_CALLBACK (frame_update_cb), &ft);
  g_signal_connect (clock, "after-paint", G_CALLBACK (frame_after_paint_cb), &ft);

  /* Zoom in to a random shallow frame, then back out: both directions. */
  ft.recording = TRUE;
  for (guint i = 0; i < 30; i++)
    {
      guint32 node = 0;

      for (guint d = 0, depth = 1 + g_rand_int_range (rand, 0, 4); d < depth; d++)
        {
          const HearthCallNode *n = hearth_call_tree_get_node (tree, node);
          if (n->n_children == 0)
            break;
          node = hearth_call_tree_get_child (tree, node, g_rand_int_range (rand, 0, MIN (n->n_children, 3)));
        }
      hearth_flame_view_zoom_to (view, i % 2 ? 0 : node);
      if (hearth_flame_view_is_animating (view))
        n_zooms++;
      wait_for (not_animating, view, 10);
    }
  ft.recording = FALSE;

  g_print ("ZOOM tree of %u nodes (depth %u), %u animated zooms, %u frames, %s, %dx%d:\n",
           hearth_call_tree_get_n_nodes (tree), hearth_call_tree_get_max_depth (tree), n_zooms,
           ft.frames->len, renderer_name (GTK_WIDGET (window)),
           gtk_widget_get_width (GTK_WIDGET (view)), gtk_widget_get_height (GTK_WIDGET (view)));
  g_print ("  frame work (update → after-paint): mean %.1f ms, p95 %.1f ms, max %.1f ms (target ≤ 16 ms)\n",
           mean (ft.frames), percentile (ft.frames, 0.95), percentile (ft.frames, 1.0));
  g_print ("  frame interval: median %.1f ms, p95 %.1f ms\n",
           percentile (ft.gaps, 0.5), percentile (ft.gaps, 0.95));

  /* Where a frame's time goes: the layout and the painter alone, into an
   * image surface of the view's size, as snapshot() does them. */
  {
    int w = gtk_widget_get_width (GTK_WIDGET (view));
    int h = gtk_widget_get_height (GTK_WIDGET (view));
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
    double widths[] = { 1, 4, 16 };

    for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
      {
        GArray *lay = g_array_new (FALSE, FALSE, sizeof (double));
        GArray *paint = g_array_new (FALSE, FALSE, sizeof (double));

        for (guint i = 0; i < 10; i++)
          {
            HearthLayoutOptions options;
            HearthStyle style;
            g_autoptr(HearthLayout) layout = NULL;
            cairo_t *cr = cairo_create (surface);
            gint64 t0, t1, t2;
            double ms;

            hearth_flame_view_get_paint_state (view, &options, &style);
            options.width = w * widths[k];
            t0 = g_get_monotonic_time ();
            layout = hearth_layout_new (tree, &options);
            t1 = g_get_monotonic_time ();
            hearth_painter_paint_cairo (cr, 1, layout, &style);
            t2 = g_get_monotonic_time ();
            cairo_destroy (cr);
            ms = (t1 - t0) / 1e3;
            g_array_append_val (lay, ms);
            ms = (t2 - t1) / 1e3;
            g_array_append_val (paint, ms);
          }
        g_print ("  layout %.0f× wide: median %.1f ms; painter: median %.1f ms (%u items)\n",
                 widths[k], percentile (lay, 0.5), percentile (paint, 0.5), 0u);
        g_array_unref (lay);
        g_array_unref (paint);
      }
    cairo_surface_destroy (surface);
  }

  g_signal_handlers_disconnect_by_data (clock, &ft);
  g_array_unref (ft.frames);
  g_array_unref (ft.gaps);
  g_rand_free (rand);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (0.3);
}

/* --- stream -------------------------------------------------------------- */

static const char *
load_average (void)
{
  static char buf[64];
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return "?\n";
  g_snprintf (buf, sizeof buf, "%s", text);
  return buf;
}

typedef struct
{
  gint64  last;
  GArray *stalls;   /* ms beyond the 2 ms period */
  guint   n_trees;
} Watchdog;

static gboolean
watchdog_cb (gpointer data)
{
  Watchdog *w = data;
  gint64 now = g_get_monotonic_time ();

  if (w->last != 0)
    {
      double late = (now - w->last) / 1e3 - 2.0;
      g_array_append_val (w->stalls, late);
    }
  w->last = now;
  return G_SOURCE_CONTINUE;
}

static void
tree_changed_cb (Watchdog *w)
{
  w->n_trees++;
}

static void
bench_stream (HearthApplication *app)
{
  HearthWindow *window = hearth_application_new_window (app);
  g_autoptr(HearthCollectorHost) host = NULL;
  Watchdog w = { 0 };
  HearthSession *session;
  HearthProfile *profile;
  guint watchdog;
  guint64 n0, n1;
  const double seconds = 15;
  struct rusage ru0, ru1;
  double busy_s;

  /* The fake collector speaks the real wire protocol at any rate:
   * 50 threads × 200 Hz = 10 000 samples/s. */
  g_setenv ("HEARTH_FAKE_THREADS", "50", TRUE);
  g_setenv ("HEARTH_FAKE_BEHAVIOUR", "normal", TRUE);
  host = g_object_new (HEARTH_TYPE_COLLECTOR_HOST, "collector-path", FAKE_COLLECTOR, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  spin (0.5);
  if (!hearth_window_attach (window, host, getpid (), "bench", "wall", 200))
    g_error ("attach failed");
  session = hearth_window_get_session (window);
  profile = hearth_session_get_profile (session);
  g_signal_connect_swapped (session, "notify::call-tree", G_CALLBACK (tree_changed_cb), &w);

  spin (2.0);  /* warm up */
  w.stalls = g_array_new (FALSE, FALSE, sizeof (double));
  watchdog = g_timeout_add_full (G_PRIORITY_HIGH, 2, watchdog_cb, &w, NULL);
  n0 = hearth_profile_get_n_samples (profile);
  w.n_trees = 0;
  getrusage (RUSAGE_THREAD, &ru0);
  spin (seconds);
  getrusage (RUSAGE_THREAD, &ru1);
  n1 = hearth_profile_get_n_samples (profile);
  g_source_remove (watchdog);

  g_print ("STREAM %.0f samples/s for %.0f s (%" G_GUINT64_FORMAT " samples in the session), %.1f view refreshes/s:\n",
           (n1 - n0) / seconds, seconds, n1, w.n_trees / seconds);
  g_print ("  main-loop stalls: p99 %.1f ms, max %.1f ms (target ≤ 50 ms)\n",
           percentile (w.stalls, 0.99), percentile (w.stalls, 1.0));
  /* The main thread's own CPU time (the watchdog's 2 ms wake-ups included):
   * stalls beyond it are waits for a CPU, not our work. */
  busy_s = (ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec + ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec)
           + (ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec + ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
  g_print ("  main thread busy %.1f%% of the time (%.0f ms CPU over %.0f s); load average %s",
           100.0 * busy_s / seconds, busy_s * 1e3, seconds, load_average ());

  hearth_recorder_stop (hearth_session_get_recorder (session));
  spin (1.5);
  {
    g_autofree char *path = g_strdup (hearth_session_get_path (session));
    gtk_window_destroy (GTK_WINDOW (window));
    spin (0.3);
    g_unlink (path);
  }
  g_array_unref (w.stalls);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(HearthApplication) app = NULL;
  g_autofree char *xdg = g_dir_make_tmp ("hearth-bench-XXXXXX", NULL);
  gboolean all = TRUE;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--samples") && i + 1 < argc)
        opt_samples = g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--dir") && i + 1 < argc)
        opt_dir = argv[++i];
      else
        all = FALSE;
    }

  g_setenv ("XDG_DATA_HOME", xdg, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_init ();
  app = new_app ();

  for (int i = 1; i < argc || (all && i == 1); i++)
    {
      const char *what = all ? NULL : argv[i];

      if (what != NULL && (g_str_equal (what, "--samples") || g_str_equal (what, "--dir")))
        {
          i++;
          continue;
        }
      if (what == NULL || g_str_equal (what, "open"))
        bench_open (app);
      if (what == NULL || g_str_equal (what, "zoom"))
        bench_zoom (app);
      if (what == NULL || g_str_equal (what, "stream"))
        bench_stream (app);
    }

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf %s", xdg);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", xdg);
  }
  return 0;
}
