/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>

#include "hearth-collector-host.h"
#include "test-part2-common.h"

/*
 * End to end, with the real collector and real input events: record the
 * bundled demo, whose report thread alternates a sleep-heavy "backoff"
 * phase and a CPU-heavy "render" phase every 2 s; stop with Ctrl+.;
 * drag range A over a backoff phase and Shift+drag range B over a render
 * phase on the timeline; export the differential flame graph as SVG
 * through Ctrl+E and the file chooser; and check that what grew from A
 * to B (render_report) is red and what shrank (retry_backoff) is blue —
 * in the export and in the view.
 */

#define PHASE_S 2

typedef struct
{
  gint64 start;
  gint64 end;
} Span;

/* Stacks whose path holds a function of this name. */
static guint8 *
stacks_with (HearthProfile *profile,
             const char    *name)
{
  guint n = hearth_profile_get_n_stacks (profile);
  guint8 *with = g_new0 (guint8, MAX (n, 1));

  for (guint s = 0; s < n; s++)
    {
      HearthStack stack;
      HearthFunction fn;

      if (!hearth_profile_get_stack (profile, s, &stack))
        continue;
      hearth_profile_get_function (profile, hearth_profile_get_stack_function (profile, s), &fn);
      with[s] = g_strcmp0 (hearth_profile_get_string (profile, fn.name), name) == 0 ||
                (stack.parent < s && with[stack.parent]);
    }
  return with;
}

typedef struct
{
  const guint8 *render;
  guint8       *bins;       /* per 100 ms: 1 = the report renders, 2 = it does not */
  guint         n_bins;
  guint32       thread;
} BinScan;

static gboolean
bin_sample_cb (guint32             thread,
               const HearthSample *sample,
               gpointer            user_data)
{
  BinScan *scan = user_data;
  guint bin = (guint) (sample->time_ns / MS (100));

  if (thread != scan->thread || bin >= scan->n_bins || sample->stack == HEARTH_NO_ID)
    return TRUE;
  if (scan->render[sample->stack])
    scan->bins[bin] = 1;
  else if (scan->bins[bin] == 0)
    scan->bins[bin] = 2;
  return TRUE;
}

/* The demo's phases as the recording saw them (its clock started a
 * little before the first sample): 100 ms bins of the report thread,
 * rendering or not, and a run of 1.2 s inside one phase of each kind. */
static gboolean
find_phases (HearthProfile *profile,
             gint32         pid,
             Span          *backoff,
             Span          *render)
{
  g_autofree guint8 *with = stacks_with (profile, "render_report");
  BinScan scan = { with, NULL, (guint) (hearth_profile_get_duration_ns (profile) / MS (100)), HEARTH_NO_ID };
  gboolean found_b = FALSE, found_r = FALSE;

  for (guint t = 0; t < hearth_profile_get_n_threads (profile); t++)
    {
      HearthThread th;

      if (hearth_profile_get_thread (profile, t, &th) && th.tid == pid)
        scan.thread = t;
    }
  g_assert_cmpuint (scan.thread, !=, HEARTH_NO_ID);

  scan.bins = g_new0 (guint8, scan.n_bins + 1);
  hearth_profile_foreach_sample (profile, NULL, bin_sample_cb, &scan);

  /* Skip the first second (attaching), then look for 14 equal bins and
   * keep the middle 12, away from the phase edges. */
  for (guint i = 10; i + 14 <= scan.n_bins; i++)
    {
      guint kind = scan.bins[i];
      gboolean run = kind != 0;

      for (guint k = i; run && k < i + 14; k++)
        run = scan.bins[k] == kind;
      if (!run)
        continue;
      if (kind == 2 && !found_b && !found_r)
        {
          backoff->start = MS (100) * (i + 1);
          backoff->end = MS (100) * (i + 13);
          found_b = TRUE;
        }
      else if (kind == 1 && found_b && !found_r)
        {
          render->start = MS (100) * (i + 1);
          render->end = MS (100) * (i + 13);
          found_r = TRUE;
        }
    }
  g_free (scan.bins);
  return found_b && found_r;
}

static gboolean
recording_long_enough (gpointer data)
{
  HearthSession *session = data;

  return hearth_profile_get_duration_ns (hearth_session_get_profile (session)) > MS (1000 * 5 * PHASE_S);
}

static gboolean
recording_finished (gpointer data)
{
  HearthSession *session = data;

  return hearth_recorder_get_state (hearth_session_get_recorder (session)) == HEARTH_RECORDER_STATE_FINISHED &&
         !hearth_session_get_busy (session);
}

static gboolean
dialog_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (w) && gtk_widget_get_mapped (GTK_WIDGET (w)))
        {
          *(GtkWindow **) data = w;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
file_written (gpointer data)
{
  GStatBuf st;

  return g_stat (data, &st) == 0 && st.st_size > 0;
}

/* The fill of the first frame titled name in an exported SVG. */
static void
svg_fill (const char *svg,
          const char *name,
          unsigned    rgb[3])
{
  g_autofree char *needle = g_strdup_printf ("<title>%s ", name);
  const char *p = strstr (svg, needle);

  g_assert_nonnull (p);
  p = strstr (p, "fill=\"#");
  g_assert_nonnull (p);
  g_assert_cmpint (sscanf (p, "fill=\"#%02x%02x%02x", &rgb[0], &rgb[1], &rgb[2]), ==, 3);
}

static void
test_record_compare_export (void)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("hearth-e2e2-XXXXXX", NULL);
  g_autofree char *svg_path = g_build_filename (tmpdir, "diff.svg", NULL);
  g_autofree char *svg = NULL;
  g_autoptr(GSubprocess) demo = NULL;
  g_autoptr(HearthCollectorHost) host = NULL;
  g_autoptr(GError) error = NULL;
  HearthApplication *app;
  HearthWindow *window;
  HearthSession *session;
  HearthTimelineView *lanes;
  HearthTimeScale scale;
  GtkWindow *dialog = NULL;
  Span backoff = { 0 }, render = { 0 };
  gint64 a0, a1, b0, b1;
  unsigned grew[3], shrank[3];
  graphene_rect_t total;
  const char *demo_bin = g_getenv ("HEARTH_DEMO");
  gint32 pid;

  if (!part2_has_xdotool ())
    return;
  if (demo_bin == NULL || !g_file_test (demo_bin, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("HEARTH_DEMO does not name the built demo");
      return;
    }

  demo = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, demo_bin,
                           "--duration", "60", "--phase", G_STRINGIFY (PHASE_S), NULL);
  g_assert_no_error (error);
  pid = atoi (g_subprocess_get_identifier (demo));

  app = test_app_new ();
  window = hearth_application_new_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 860);
  gtk_window_present (GTK_WINDOW (window));
  test_spin (200);

  /* Record with the real collector (this build's, not the tests' fake). */
  host = hearth_collector_host_new_local ();
  g_assert_true (hearth_window_attach (window, host, pid, "hearth-demo", "wall", 199));
  session = hearth_window_get_session (window);
  test_wait_for (recording_long_enough, session, 30000, "five phases of the demo");

  /* Ctrl+. stops. */
  part2_keys (GTK_WIDGET (hearth_explorer_get_flame_view (hearth_window_get_explorer (window))), "ctrl+period");
  test_wait_for (recording_finished, session, 20000, "the recording to finish");
  g_assert_true (find_phases (hearth_session_get_profile (session), pid, &backoff, &render));
  g_test_message ("backoff %.2f–%.2f s, render %.2f–%.2f s", backoff.start / 1e9, backoff.end / 1e9,
                  render.start / 1e9, render.end / 1e9);

  /* Drag A over the backoff phase, Shift+drag B over the render phase. */
  lanes = hearth_timeline_panel_get_lanes (hearth_explorer_get_timeline_panel (hearth_window_get_explorer (window)));
  hearth_timeline_view_reset_window (lanes);
  test_spin (50);
  hearth_timeline_view_get_scale (lanes, &scale);
  g_assert_true (hearth_timeline_view_get_lane_rect (lanes, HEARTH_NO_ID, &total));
  part2_drag (GTK_WIDGET (lanes), hearth_time_scale_time_to_x (&scale, backoff.start), total.origin.y + 20,
              hearth_time_scale_time_to_x (&scale, backoff.end), NULL);
  part2_drag (GTK_WIDGET (lanes), hearth_time_scale_time_to_x (&scale, render.start), total.origin.y + 20,
              hearth_time_scale_time_to_x (&scale, render.end), "shift");
  part2_wait_reload (session);

  hearth_session_get_range_a (session, &a0, &a1);
  hearth_session_get_range_b (session, &b0, &b1);
  g_assert_cmpint (ABS (a0 - backoff.start), <=, 2 * hearth_time_scale_ns_per_px (&scale));
  g_assert_cmpint (ABS (a1 - backoff.end), <=, 2 * hearth_time_scale_ns_per_px (&scale));
  g_assert_cmpint (ABS (b0 - render.start), <=, 2 * hearth_time_scale_ns_per_px (&scale));
  g_assert_cmpint (ABS (b1 - render.end), <=, 2 * hearth_time_scale_ns_per_px (&scale));
  g_assert_true (hearth_session_get_comparing (session));
  g_assert_nonnull (hearth_session_get_diff_tree (session));

  /* Ctrl+E, type a name ending in .svg in the file chooser, Return. */
  part2_keys (GTK_WIDGET (hearth_explorer_get_flame_view (hearth_window_get_explorer (window))), "ctrl+e");
  test_wait_for (dialog_shown, &dialog, 10000, "the export dialog");
  test_spin (300);
  part2_xdo ("windowfocus --sync %lu", part2_xid (dialog));
  part2_xdo ("key ctrl+a");
  part2_xdo ("type --delay 10 '%s'", svg_path);
  part2_xdo ("key Return");
  test_wait_for (file_written, svg_path, 10000, "the SVG");
  test_spin (200);

  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, NULL));
  svg_fill (svg, "render_report", grew);
  svg_fill (svg, "retry_backoff", shrank);
  g_test_message ("render_report #%02x%02x%02x, retry_backoff #%02x%02x%02x",
                  grew[0], grew[1], grew[2], shrank[0], shrank[1], shrank[2]);
  g_assert_cmpuint (grew[0], >, grew[2] + 60);      /* grew: red */
  g_assert_cmpuint (shrank[2], >, shrank[0] + 60);  /* shrank: blue */
  g_assert_nonnull (strstr (svg, "grew"));          /* with its legend */

  gtk_window_destroy (GTK_WINDOW (window));
  test_spin (50);
  g_object_unref (app);
  g_subprocess_send_signal (demo, SIGTERM);
  g_subprocess_wait (demo, NULL, NULL);
  if (!g_test_failed ())
    part2_remove_tree (tmpdir);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = part2_test_init (&argc, &argv);
  int ret;

  /* The real collector of this build, found next to the build tree. */
  g_unsetenv ("HEARTH_COLLECTOR");
  g_unsetenv ("HEARTH_EXPORT_DIR");
  g_test_add_func ("/hearth/app/part2/e2e/record-brush-compare-export", test_record_compare_export);
  ret = g_test_run ();
  part2_remove_tree (xdg);
  return ret;
}
