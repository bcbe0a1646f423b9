/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * End to end under Xvfb: the real `hearth` binary attaches through the
 * test's own sshd to remote-target with `hearth --remote root@127.0.0.1
 * --port N --identity KEY --known-hosts FILE --pid PID`, samples arrive in
 * its autosaved session, then the SSH connection is killed on the server
 * side ("the network cable is pulled"): the app keeps running, the session
 * keeps its samples and gets a "connection-lost" marker, and the remote
 * target is left running, not stopped and not traced.
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hearth-profile.h"
#include "hearth-session-store.h"
#include "remote-test-util.h"
#include "sshd-fixture.h"

static SshdFixture fixture;
static char *skip_reason;
static char *collector_path;
static char *target_path;
static char *hearth_path;

/* The one session file the app autosaves under XDG_DATA_HOME, or NULL. */
static char *
find_session (const char *xdg)
{
  g_autofree char *dir = g_build_filename (xdg, "hearth", "sessions", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".profsession"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

/* The session as saved so far (the app syncs it while recording). */
static HearthProfile *
load_session (const char *xdg)
{
  g_autofree char *path = find_session (xdg);

  return path != NULL ? hearth_session_load (path, NULL) : NULL;
}

static gboolean
has_marker (HearthProfile *profile,
            const char    *kind,
            char         **text)
{
  for (guint i = 0; i < hearth_profile_get_n_markers (profile); i++)
    {
      HearthMarker m;

      if (hearth_profile_get_marker (profile, i, &m) &&
          g_strcmp0 (hearth_profile_get_string (profile, m.kind), kind) == 0)
        {
          *text = g_strdup (hearth_profile_get_string (profile, m.text));
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
window_with_title (const char *regex)
{
  g_autofree char *cmd = g_strdup_printf ("xdotool search --onlyvisible --name '%s'", regex);
  g_autofree char *out = NULL;
  int status = -1;

  if (!g_spawn_command_line_sync (cmd, &out, NULL, &status, NULL))
    return FALSE;
  return status == 0 && out != NULL && *out != 0;
}

static void
test_attach_and_lose_connection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) target = NULL;
  g_autoptr(GSubprocess) hearth = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(HearthProfile) before = NULL;
  g_autoptr(HearthProfile) after = NULL;
  g_autoptr(GArray) sessions = NULL;
  g_autofree char *line = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *xdg = NULL;
  g_autofree char *port = NULL;
  g_autofree char *pid = NULL;
  g_autofree char *destination = NULL;
  g_autofree char *title = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *metadata = NULL;
  guint64 n_before = 0;
  GPid target_pid;

  if (skip_reason != NULL)
    {
      g_test_skip (skip_reason);
      return;
    }
  if (collector_path == NULL || target_path == NULL || hearth_path == NULL)
    {
      g_test_skip ("hearth, hearth-collector or tests/remote/remote-target is not built");
      return;
    }
  if (g_getenv ("DISPLAY") == NULL || !g_find_program_in_path ("xdotool"))
    {
      g_test_skip ("needs an X display (run-with-xvfb.sh) and xdotool");
      return;
    }

  target = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, target_path, NULL);
  g_assert_no_error (error);
  target_pid = atoi (g_subprocess_get_identifier (target));
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (target));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");

  tmp = g_dir_make_tmp ("hearth-remote-gui-XXXXXX", NULL);
  xdg = g_build_filename (tmp, "data", NULL);
  port = g_strdup_printf ("%u", fixture.port);
  pid = g_strdup_printf ("%d", target_pid);
  destination = g_strdup_printf ("%s@127.0.0.1", fixture.user);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", xdg, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "GDK_BACKEND", "x11", TRUE);
  g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  hearth = g_subprocess_launcher_spawn (launcher, &error, hearth_path,
                                        "--remote", destination, "--port", port,
                                        "--identity", fixture.client_key,
                                        "--known-hosts", fixture.known_hosts,
                                        "--collector", collector_path,
                                        "--rate", "199", "--pid", pid, NULL);
  g_assert_no_error (error);

  /* The title names the process and the host it runs on. */
  title = g_strdup_printf ("remote-target \\(%d\\) — %s", target_pid, destination);
  for (guint i = 0; i < 300 && !window_with_title (title); i++)
    g_usleep (100 * 1000);
  g_assert_true (window_with_title (title));

  /* Samples arrive, through ssh, into the autosaved session. */
  for (guint i = 0; i < 200; i++)
    {
      g_clear_object (&before);
      if ((before = load_session (xdg)) && (n_before = hearth_profile_get_n_samples (before)) >= 50)
        break;
      g_usleep (100 * 1000);
    }
  g_assert_nonnull (before);
  g_assert_cmpuint (n_before, >=, 50);
  g_test_message ("%" G_GUINT64_FORMAT " samples before the connection was killed", n_before);

  /* Pull the cable: kill sshd's side of the connection. */
  sessions = sshd_fixture_sessions (&fixture);
  g_assert_cmpuint (sessions->len, >=, 1);
  for (guint i = 0; i < sessions->len; i++)
    kill (g_array_index (sessions, GPid, i), SIGKILL);

  /* The session is finished with everything received and the marker. */
  for (guint i = 0; i < 200; i++)
    {
      g_clear_object (&after);
      g_clear_pointer (&marker, g_free);
      if ((after = load_session (xdg)) && has_marker (after, "connection-lost", &marker))
        break;
      g_usleep (100 * 1000);
    }
  g_assert_nonnull (after);
  g_assert_nonnull (marker);
  g_test_message ("marker: %s", marker);
  g_assert_nonnull (strstr (marker, "was lost"));
  g_assert_nonnull (strstr (marker, "127.0.0.1"));
  g_assert_cmpuint (hearth_profile_get_n_samples (after), >=, n_before);
  metadata = hearth_profile_dup_metadata (after, "ssh-destination");
  g_assert_nonnull (metadata);
  g_assert_nonnull (strstr (metadata, destination));

  /* The app is still there with its window; the target runs on. */
  g_assert_nonnull (g_subprocess_get_identifier (hearth));
  g_assert_true (window_with_title (title));
  for (guint i = 0; i < 30 && proc_tracer (target_pid) > 0; i++)
    g_usleep (100 * 1000);
  g_assert_cmpint (proc_tracer (target_pid), ==, 0);
  g_assert_cmpint (proc_state (target_pid), !=, 'T');
  g_assert_cmpint (proc_state (target_pid), !=, 't');

  g_subprocess_send_signal (hearth, SIGTERM);
  g_subprocess_wait (hearth, NULL, NULL);
  g_subprocess_force_exit (target);
  g_subprocess_wait (target, NULL, NULL);
  rm_rf (tmp);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  collector_path = find_built ("src/collector/hearth-collector");
  target_path = find_built ("tests/remote/remote-target");
  hearth_path = find_built ("src/app/hearth");

  /* The app (our child) finds its connection-sharing directory here. */
  {
    g_autofree char *dir = g_dir_make_tmp ("hearth-sshd-XXXXXX", NULL);

    g_setenv ("HEARTH_SSH_CONTROL_DIR", dir, TRUE);
    if (!sshd_fixture_start (&fixture, dir, &skip_reason))
      rm_rf (dir);
  }

  g_test_add_func ("/hearth/remote/gui/attach-and-lose-connection", test_attach_and_lose_connection);

  ret = g_test_run ();

  if (skip_reason == NULL)
    sshd_fixture_stop (&fixture);
  g_free (collector_path);
  g_free (target_path);
  g_free (hearth_path);
  return ret;
}
