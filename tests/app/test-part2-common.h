/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Helpers for the GUI tests of part 2 (timeline, comparison, sunburst,
 * keyboard): a profile with two known phases, real pointer and keyboard
 * input through the test's X server (xdotool, run while this process's
 * main loop keeps going), and widget ↔ X window coordinates.
 */

#include <math.h>

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>

#include "test-app-common.h"

#define MS(x) ((gint64) (x) * G_GINT64_CONSTANT (1000000))

/* gtk_test_init() with a private data directory, in-memory settings and
 * GTK's test accessibility backend (no bus in the test X server; it
 * records accessible properties for gtk_test_accessible_*). Returns the
 * data directory for part2_test_cleanup(). */
static inline char *
part2_test_init (int    *argc,
                 char ***argv)
{
  char *xdg = g_dir_make_tmp ("hearth-xdg-XXXXXX", NULL);

  g_setenv ("XDG_DATA_HOME", xdg, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (argc, argv, NULL);
  return xdg;
}

static inline void
part2_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        part2_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/*
 * Two threads sampled every 10 ms for 10 s.
 *   "main" (tid 100): the first 5 s, 8 of 10 samples in main;work;compute
 *     (running) and 2 in main;wait;sleep (sleeping); the last 5 s, 2 in
 *     work, 6 in wait and 2 in main;fresh (a function new in the second
 *     half, running).
 *   "helper" (tid 101): helper_main;poll (running) throughout, but only
 *     in the first 100 ms of every second (a periodic burst the heat map
 *     shows as a stripe).
 * Markers: "paused" from 6.0 to 6.5 s, "connection-lost" at 8 s.
 */
static inline HearthProfile *
part2_profile_new (void)
{
  HearthProfile *profile = hearth_profile_new ();
  const char *names[] = { "main", "work", "compute", "wait", "sleep", "fresh", "helper_main", "poll" };
  guint32 frames[G_N_ELEMENTS (names)];
  guint32 work, wait, fresh, poll;
  guint32 t_main, t_helper;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      HearthFunction fn = { 0 };
      HearthFrame frame = { 0 };

      fn.name = hearth_profile_intern_string (profile, names[i]);
      fn.module = hearth_profile_intern_string (profile, "/usr/bin/phases");
      frame.function = hearth_profile_intern_function (profile, &fn);
      frames[i] = hearth_profile_intern_frame (profile, &frame);
    }
  work = hearth_profile_intern_stack_path (profile, (guint32[]) { frames[0], frames[1], frames[2] }, 3);
  wait = hearth_profile_intern_stack_path (profile, (guint32[]) { frames[0], frames[3], frames[4] }, 3);
  fresh = hearth_profile_intern_stack_path (profile, (guint32[]) { frames[0], frames[5] }, 2);
  poll = hearth_profile_intern_stack_path (profile, (guint32[]) { frames[6], frames[7] }, 2);

  t_main = hearth_profile_add_thread (profile, 42, 100, "main");
  t_helper = hearth_profile_add_thread (profile, 42, 101, "helper");

  for (guint i = 0; i < 1000; i++)
    {
      HearthSample s = { .time_ns = MS (10) * i, .weight = 1 };
      guint k = i % 10;

      if (i < 500)
        s.stack = k < 8 ? work : wait;
      else
        s.stack = k < 2 ? work : k < 8 ? wait : fresh;
      s.state = s.stack == wait ? HEARTH_THREAD_STATE_SLEEPING : HEARTH_THREAD_STATE_RUNNING;
      hearth_profile_append_sample (profile, t_main, &s);

      if ((MS (10) * i) % MS (1000) < MS (100))
        {
          s.stack = poll;
          s.state = HEARTH_THREAD_STATE_RUNNING;
          hearth_profile_append_sample (profile, t_helper, &s);
        }
    }

  hearth_profile_add_marker (profile, MS (6000), MS (6500), "paused", "Recording paused");
  hearth_profile_add_marker (profile, MS (8000), MS (8000), "connection-lost", "Connection lost");
  return profile;
}

/* Settings live in memory for the whole test program: put back what a
 * test changed, so the next test starts from the defaults. */
static inline void
part2_reset_settings (HearthApplication *app)
{
  static const char * const keys[] = {
    "view-orientation", "color-scheme", "timeline-mode", "diff-shape", "diff-normalization",
    "diff-change", "diff-palette", "search-regex",
  };
  GSettings *settings = hearth_application_get_settings (app);

  for (guint i = 0; settings != NULL && i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

static inline HearthWindow *
part2_window_new (HearthApplication *app,
                  HearthProfile     *profile)
{
  g_autoptr(HearthSession) session = hearth_session_new (profile, NULL);
  HearthWindow *window = hearth_application_new_window (app);

  hearth_window_set_session (window, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 860);
  gtk_window_present (GTK_WINDOW (window));
  test_wait_for (session_ready, session, 10000, "the first aggregation");
  test_wait_for (window_allocated, window, 10000, "the window to be shown");
  test_spin (100);
  return window;
}

typedef struct
{
  gboolean done;
  gboolean ok;
  char    *err;
} XdoWait;

static inline void
xdo_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  XdoWait *w = user_data;
  g_autoptr(GBytes) err = NULL;

  g_subprocess_communicate_finish (G_SUBPROCESS (object), result, NULL, &err, NULL);
  w->ok = g_subprocess_get_if_exited (G_SUBPROCESS (object)) && g_subprocess_get_exit_status (G_SUBPROCESS (object)) == 0;
  w->err = err ? g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err)) : NULL;
  w->done = TRUE;
}

static inline gboolean
xdo_finished (gpointer data)
{
  return ((XdoWait *) data)->done;
}

/* Run xdotool with these arguments while this process keeps handling
 * the events it sends, then let them settle. */
static inline void
part2_xdo (const char *fmt,
           ...) G_GNUC_PRINTF (1, 2);

static inline void
part2_xdo (const char *fmt,
           ...)
{
  g_autofree char *args = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  XdoWait w = { 0 };
  va_list ap;

  va_start (ap, fmt);
  args = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  line = g_strdup_printf ("xdotool %s", args);
  g_test_message ("%s", line);
  g_assert_true (g_shell_parse_argv (line, NULL, &argv, &error));
  proc = g_subprocess_newv ((const char * const *) argv, G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_async (proc, NULL, NULL, xdo_done_cb, &w);
  test_wait_for (xdo_finished, &w, 20000, "xdotool");
  if (!w.ok)
    g_error ("“%s” failed: %s", line, w.err ? w.err : "");
  g_free (w.err);
  test_spin (25);
}

static inline gboolean
part2_has_xdotool (void)
{
  g_autofree char *path = g_find_program_in_path ("xdotool");

  if (path == NULL)
    g_test_skip ("needs xdotool to send real input events");
  return path != NULL;
}

/* The X window of a toplevel and where a widget point lands in it. */
static inline gulong
part2_xid (GtkWindow *window)
{
  return (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window)));
}

static inline void
part2_to_window (GtkWidget *widget,
                 double     x,
                 double     y,
                 int       *wx,
                 int       *wy)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t p;
  double sx, sy;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &GRAPHENE_POINT_INIT (x, y), &p));
  gtk_native_get_surface_transform (native, &sx, &sy);
  *wx = (int) floor (p.x + sx + 0.5);
  *wy = (int) floor (p.y + sy + 0.5);
}

/* Press at (x0, y), move to (x1, y) in a few steps, release: widget
 * coordinates. modifier: NULL or an xdotool key name held throughout. */
static inline void
part2_drag (GtkWidget  *widget,
            double      x0,
            double      y,
            double      x1,
            const char *modifier)
{
  gulong xid = part2_xid (GTK_WINDOW (gtk_widget_get_root (widget)));
  int ax, ay, bx, by, mx, my;

  part2_to_window (widget, x0, y, &ax, &ay);
  part2_to_window (widget, x1, y, &bx, &by);
  part2_to_window (widget, (x0 + x1) / 2, y, &mx, &my);
  if (modifier != NULL)
    part2_xdo ("keydown %s", modifier);
  part2_xdo ("mousemove --window %lu %d %d mousedown 1 mousemove --window %lu %d %d "
             "mousemove --window %lu %d %d mouseup 1",
             xid, ax, ay, xid, mx, my, xid, bx, by);
  if (modifier != NULL)
    part2_xdo ("keyup %s", modifier);
}

static inline void
part2_click (GtkWidget  *widget,
             double      x,
             double      y,
             const char *modifier)
{
  gulong xid = part2_xid (GTK_WINDOW (gtk_widget_get_root (widget)));
  int wx, wy;

  part2_to_window (widget, x, y, &wx, &wy);
  if (modifier != NULL)
    part2_xdo ("keydown %s", modifier);
  part2_xdo ("mousemove --window %lu %d %d click 1", xid, wx, wy);
  if (modifier != NULL)
    part2_xdo ("keyup %s", modifier);
}

/* Keys to whatever has the keyboard focus of the window. */
static inline void
part2_keys (GtkWidget  *focus,
            const char *keys)
{
  gulong xid = part2_xid (GTK_WINDOW (gtk_widget_get_root (focus)));

  /* XTEST keys go to the X focus window (no window manager here), and
   * within it to GTK's focus widget. */
  part2_xdo ("windowfocus --sync %lu", xid);
  gtk_widget_grab_focus (focus);
  test_spin (30);
  part2_xdo ("key --delay 30 %s", keys);
}

static inline gboolean
part2_session_idle (gpointer data)
{
  return !hearth_session_get_busy (data);
}

/* Let the session's reload queue settle after input. */
static inline void
part2_wait_reload (HearthSession *session)
{
  test_spin (30);
  test_wait_for (part2_session_idle, session, 10000, "the re-aggregation");
  test_spin (30);
}

/* A tree printed, for comparing a view's tree with the model's. */
static inline char *
part2_tree_text (HearthCallTree *tree)
{
  return tree ? hearth_call_tree_to_string (tree) : g_strdup ("(none)");
}
