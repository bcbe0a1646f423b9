/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * End to end, with real input events: start the bundled demo and the
 * `hearth` binary of this build (real hearth-collector, real ptrace),
 * then drive the app only through the X server with xdotool, as a person
 * would with a keyboard and mouse:
 *
 *   Ctrl+R            open the process picker
 *   type the PID      filter the picker to the demo; Return attaches
 *   (wait)            samples arrive: the autosaved session grows
 *   Ctrl+.            stop
 *   Ctrl+E            export through the GTK file chooser (typed path)
 *   mouse click       on a frame of the main thread: zoom
 *   Ctrl+F, type,     search "retry_backoff", Return cycles to the match
 *   Return
 *   Ctrl+E ×2         export PNG and SVG through the file chooser
 *   Ctrl+Q            quit
 *
 * and checks the session file, the exported files, and a screenshot of
 * the window (`import -window root`) against the exported PNG.
 */

#include <math.h>
#include <signal.h>
#include <string.h>

#include <cairo.h>
#include <glib/gstdio.h>

#include "hearth-session-store.h"

typedef struct
{
  char        *tmpdir;
  char        *xdg;
  GSubprocess *demo;
  GSubprocess *hearth;
  char        *window;   /* X window id of the main window */
} E2E;

static char *
run (const char *command)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = g_strdup_printf ("timeout 30 %s", command);
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_command_line_sync (line, &out, &err, &status, &error))
    g_error ("%s: %s", command, error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("“%s” failed: %s", command, err);
  return g_strstrip (g_steal_pointer (&out));
}

static void
xdo (const char *fmt, ...) G_GNUC_PRINTF (1, 2);

static void
xdo (const char *fmt, ...)
{
  va_list args;
  g_autofree char *cmd = NULL;
  g_autofree char *full = NULL;
  g_autofree char *out = NULL;

  va_start (args, fmt);
  cmd = g_strdup_vprintf (fmt, args);
  va_end (args);
  full = g_strdup_printf ("xdotool %s", cmd);
  out = run (full);
  g_test_message ("xdotool %s", cmd);
  g_usleep (150 * 1000);
}

static char *
find_window (const char *name_regex)
{
  g_autofree char *cmd = g_strdup_printf ("xdotool search --sync --onlyvisible --name '%s'", name_regex);
  g_autofree char *out = run (cmd);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  g_assert_nonnull (lines[0]);
  return g_strdup (lines[0]);
}

static void
focus (const char *window)
{
  xdo ("windowfocus --sync %s", window);
}

static gboolean
wait_file (const char *path,
           guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      GStatBuf st;

      if (g_stat (path, &st) == 0 && st.st_size > 0)
        {
          g_usleep (200 * 1000);  /* let the writer finish */
          return TRUE;
        }
      g_usleep (100 * 1000);
    }
  return FALSE;
}

/* The autosaved session the app is recording into, once it exists. */
static char *
find_session (E2E *e)
{
  g_autofree char *dir = g_build_filename (e->xdg, "hearth", "sessions", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".profsession"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

static guint64
session_samples (const char *path)
{
  g_autoptr(HearthProfile) profile = hearth_session_load (path, NULL);
  return profile ? hearth_profile_get_n_samples (profile) : 0;
}

/* Export through the real file chooser: Ctrl+E, select the suggested name,
 * type an absolute path, Return. */
static void
export_via_chooser (E2E        *e,
                    const char *name)
{
  g_autofree char *path = g_build_filename (e->tmpdir, name, NULL);
  g_autofree char *dialog = NULL;

  focus (e->window);
  xdo ("key ctrl+e");
  dialog = find_window ("^Export$");
  focus (dialog);
  xdo ("key ctrl+a");
  xdo ("type --delay 15 '%s'", path);
  xdo ("key Return");
  g_assert_true (wait_file (path, 10000));
  g_test_message ("exported %s", path);
}

static cairo_surface_t *
load_png (const char *path)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

static void
pixel (cairo_surface_t *s, int x, int y, double rgb[3])
{
  const guint8 *data = cairo_image_surface_get_data (s);
  guint32 px = *(const guint32 *) (data + y * cairo_image_surface_get_stride (s) + x * 4);

  rgb[0] = (px >> 16) & 0xff;
  rgb[1] = (px >> 8) & 0xff;
  rgb[2] = px & 0xff;
}

static gboolean
is_warm (const double rgb[3])
{
  /* flame palette: red/orange/yellow, clearly saturated */
  return rgb[0] > 150 && rgb[2] < 110 && rgb[0] - rgb[2] > 90;
}

/* Top-left of the graph in a screenshot: the first warm pixel row of the
 * root frame, scanning down from below the header bar at x. */
static gboolean
find_graph_origin (cairo_surface_t *shot,
                   int              x,
                   int             *top)
{
  int h = cairo_image_surface_get_height (shot);
  double rgb[3];

  for (int y = 60; y < h; y++)
    {
      pixel (shot, x, y, rgb);
      if (is_warm (rgb))
        {
          *top = y;
          return TRUE;
        }
    }
  return FALSE;
}

/* Hex fill of the first <rect> after the frame titled name. */
static double
svg_frame_saturation (const char *svg,
                      const char *name)
{
  g_autofree char *needle = g_strdup_printf ("<title>%s", name);
  const char *p = strstr (svg, needle);
  unsigned r, g, b;
  double max, min;

  g_assert_nonnull (p);
  p = strstr (p, "fill=\"#");
  g_assert_nonnull (p);
  g_assert_cmpint (sscanf (p, "fill=\"#%02x%02x%02x", &r, &g, &b), ==, 3);
  max = MAX (r, MAX (g, b));
  min = MIN (r, MIN (g, b));
  return max > 0 ? (max - min) / max : 0;
}

static void
start (E2E *e)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;

  e->tmpdir = g_dir_make_tmp ("hearth-e2e-XXXXXX", NULL);
  e->xdg = g_build_filename (e->tmpdir, "xdg", NULL);
  g_mkdir (e->xdg, 0700);

  /* Silenced: if this test aborts, the demo (which ends by itself) must
   * not hold the test's output open. */
  e->demo = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              HEARTH_DEMO_BIN, "--duration", "150", NULL);
  g_assert_no_error (error);

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", e->xdg, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "GDK_BACKEND", "x11", TRUE);
  g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_unsetenv (launcher, "HEARTH_COLLECTOR");
  g_subprocess_launcher_unsetenv (launcher, "HEARTH_EXPORT_DIR");
  e->hearth = g_subprocess_launcher_spawn (launcher, &error, HEARTH_BIN, NULL);
  g_assert_no_error (error);

  e->window = find_window ("^Hearth$");
  g_test_message ("main window %s", e->window);
}

static void
stop_all (E2E *e)
{
  if (e->hearth != NULL)
    {
      g_subprocess_send_signal (e->hearth, SIGTERM);
      g_subprocess_wait (e->hearth, NULL, NULL);
      g_clear_object (&e->hearth);
    }
  if (e->demo != NULL)
    {
      g_subprocess_send_signal (e->demo, SIGTERM);
      g_subprocess_wait (e->demo, NULL, NULL);
      g_clear_object (&e->demo);
    }
}

static void
test_e2e (void)
{
  E2E e = { 0 };
  g_autofree char *session = NULL;
  g_autofree char *picker = NULL;
  g_autofree char *full_svg = NULL, *zoom_svg = NULL, *search_svg = NULL;
  g_autofree char *shot_path = NULL, *png_path = NULL;
  g_autoptr(HearthProfile) recorded = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *shot, *png;
  guint64 n1, n2;
  int top = 0, graph_x = 20;
  gint64 deadline;

  if (!g_find_program_in_path ("xdotool") || !g_find_program_in_path ("import"))
    {
      g_test_skip ("needs xdotool and ImageMagick's import");
      return;
    }

  start (&e);

  /* Open the picker and choose the demo by typing its PID. */
  focus (e.window);
  xdo ("key ctrl+r");
  picker = find_window ("^Attach to Process$");
  focus (picker);
  g_usleep (1500 * 1000);   /* first listing */
  xdo ("type --delay 40 '%s'", g_subprocess_get_identifier (e.demo));
  g_usleep (1800 * 1000);   /* filter + a refresh */
  xdo ("key Return");

  /* Samples arrive: the autosave appears and grows. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!(session = find_session (&e)) && g_get_monotonic_time () < deadline)
    g_usleep (200 * 1000);
  g_assert_nonnull (session);
  g_usleep (2500 * 1000);
  n1 = session_samples (session);
  g_usleep (1500 * 1000);
  n2 = session_samples (session);
  g_test_message ("autosave %s: %" G_GUINT64_FORMAT " then %" G_GUINT64_FORMAT " samples", session, n1, n2);
  g_assert_cmpuint (n1, >, 50);
  g_assert_cmpuint (n2, >, n1);

  /* Stop. */
  focus (e.window);
  xdo ("key ctrl+period");
  g_usleep (1500 * 1000);
  recorded = hearth_session_load (session, &error);
  g_assert_no_error (error);
  n1 = hearth_profile_get_n_samples (recorded);
  g_usleep (1000 * 1000);
  g_assert_cmpuint (session_samples (session), ==, n1);   /* stopped: no more samples */
  {
    gboolean seen = FALSE;

    for (guint i = 0; i < hearth_profile_get_n_functions (recorded); i++)
      {
        HearthFunction fn;

        hearth_profile_get_function (recorded, i, &fn);
        seen |= g_strcmp0 (hearth_profile_get_string (recorded, fn.name), "retry_backoff") == 0;
      }
    g_assert_true (seen);
  }

  /* The whole graph first, through the file chooser. */
  export_via_chooser (&e, "full.svg");
  full_svg = g_build_filename (e.tmpdir, "full.svg", NULL);

  /* Click a frame of the main thread (the leftmost column: "_start"
   * sorts first): find the graph on screen, click report_view, six rows
   * down (all, _start, __libc_start_main, __libc_start_call_main, main,
   * run_reports, report_view): above both of the demo's phases. */
  xdo ("mousemove 0 0");
  shot_path = g_build_filename (e.tmpdir, "before-click.png", NULL);
  {
    g_autofree char *cmd = g_strdup_printf ("import -window root %s", shot_path);
    g_autofree char *out = run (cmd);
  }
  shot = load_png (shot_path);
  g_assert_true (find_graph_origin (shot, graph_x, &top));
  cairo_surface_destroy (shot);
  g_test_message ("graph top at y=%d", top);
  xdo ("mousemove %d %d click 1", graph_x, top + 20 * 6 + 10);
  g_usleep (800 * 1000);
  export_via_chooser (&e, "zoom.svg");
  zoom_svg = g_build_filename (e.tmpdir, "zoom.svg", NULL);

  /* Search, Return cycles to the first match. */
  focus (e.window);
  xdo ("key ctrl+f");
  xdo ("type --delay 20 retry_backoff");
  xdo ("key Return");
  g_usleep (600 * 1000);
  export_via_chooser (&e, "search.png");
  export_via_chooser (&e, "search.svg");
  search_svg = g_build_filename (e.tmpdir, "search.svg", NULL);
  png_path = g_build_filename (e.tmpdir, "search.png", NULL);

  xdo ("mousemove 0 0");
  g_usleep (500 * 1000);
  g_free (shot_path);
  shot_path = g_build_filename (e.tmpdir, "window.png", NULL);
  {
    g_autofree char *cmd = g_strdup_printf ("import -window root %s", shot_path);
    g_autofree char *out = run (cmd);
  }

  /* Check what came out. */
  {
    g_autofree char *full = NULL, *zoom = NULL, *search = NULL;

    g_assert_true (g_file_get_contents (full_svg, &full, NULL, NULL));
    g_assert_true (g_file_get_contents (zoom_svg, &zoom, NULL, NULL));
    g_assert_true (g_file_get_contents (search_svg, &search, NULL, NULL));
    g_assert_nonnull (strstr (full, "<title>retry_backoff"));
    g_assert_nonnull (strstr (full, "<title>flusher_main"));
    /* zoomed into the main thread: the other threads are gone */
    g_assert_nonnull (strstr (zoom, "<title>retry_backoff"));
    g_assert_null (strstr (zoom, "<title>flusher_main"));
    /* search: the match keeps its colour, its non-matching ancestors fade */
    g_assert_cmpfloat (svg_frame_saturation (search, "retry_backoff"), >,
                       svg_frame_saturation (search, "update_docs") + 0.2);
  }

  png = load_png (png_path);
  shot = load_png (shot_path);
  g_assert_cmpint (cairo_image_surface_get_width (png), >, 300);
  {
    /* The exported PNG is the window's graph: find where it sits in the
     * screenshot (near where the graph was before the search) and compare
     * pixel by pixel. */
    int w = MIN (cairo_image_surface_get_width (png), 600);
    int h = MIN (cairo_image_surface_get_height (png), 200);
    int best = -1, best_dx = 0, best_dy = 0, warm = 0, total = 0;
    double a[3], b[3];

    for (int dy = top - 40; dy <= top + 40; dy++)
      for (int dx = 0; dx <= 30; dx++)
        {
          int same = 0;

          for (int y = 0; y < h; y += 9)
            for (int x = 0; x < w; x += 13)
              {
                if (dy + y >= cairo_image_surface_get_height (shot) || dx + x >= cairo_image_surface_get_width (shot))
                  continue;
                pixel (png, x, y, a);
                pixel (shot, dx + x, dy + y, b);
                same += fabs (a[0] - b[0]) + fabs (a[1] - b[1]) + fabs (a[2] - b[2]) < 30;
              }
          if (same > best)
            best = same, best_dx = dx, best_dy = dy;
        }

    best = 0;
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++)
        {
          pixel (png, x, y, a);
          pixel (shot, best_dx + x, best_dy + y, b);
          total++;
          warm += is_warm (a);
          best += fabs (a[0] - b[0]) + fabs (a[1] - b[1]) + fabs (a[2] - b[2]) < 30;
        }
    g_test_message ("screenshot vs PNG at (%d, %d): %d of %d pixels match; %d warm (the match)",
                    best_dx, best_dy, best, total, warm);
    g_assert_cmpint (warm, >, 50);                 /* the highlighted match */
    g_assert_cmpint (best, >, total * 95 / 100);   /* the same picture */
  }
  cairo_surface_destroy (png);
  cairo_surface_destroy (shot);

  /* Quit: the app ends; the demo is ours to end. */
  focus (e.window);
  xdo ("key ctrl+q");
  {
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (g_get_monotonic_time () < end && e.hearth != NULL)
      {
        if (g_subprocess_get_identifier (e.hearth) == NULL)
          break;
        g_usleep (100 * 1000);
      }
    g_assert_null (g_subprocess_get_identifier (e.hearth));
  }

  stop_all (&e);
  /* HEARTH_E2E_KEEP=1 keeps the screenshots and exports for a look. */
  if (!g_test_failed () && g_getenv ("HEARTH_E2E_KEEP") == NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf %s", e.tmpdir);
      g_autofree char *out = run (cmd);
    }
  g_free (e.tmpdir);
  g_free (e.xdg);
  g_free (e.window);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hearth/app/e2e/attach-zoom-search-export", test_e2e);
  return g_test_run ();
}
