/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hearth-record-command.h"
#include "hearth-remote-error.h"
#include "hearth-remote-stream.h"
#include "hearth-session-store.h"
#include "remote-test-util.h"
#include "sshd-fixture.h"

/*
 * The real hearth-collector of this build on "the remote host" (this
 * machine, reached through a real sshd) sampling a real target: listing,
 * recording the same content as locally, losing the connection mid-stream
 * (the session keeps its samples and gets its marker; the remote collector
 * lets go of the target within a second), stopping cleanly, and the
 * collector's own permission error.
 */

#define WAIT_SAMPLES 40

static SshdFixture fixture;
static char *skip_reason;
static char *collector_path;
static char *target_path;

typedef struct
{
  GSubprocess *target;
  GPid         pid;
  char        *dir;
} Target;

static gboolean
setup (Target *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  if (skip_reason != NULL)
    {
      g_test_skip (skip_reason);
      return FALSE;
    }
  if (collector_path == NULL || target_path == NULL)
    {
      g_test_skip ("hearth-collector or tests/remote/remote-target is not built");
      return FALSE;
    }

  t->target = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, target_path, NULL);
  g_assert_no_error (error);
  t->pid = atoi (g_subprocess_get_identifier (t->target));
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (t->target));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");
  t->dir = g_dir_make_tmp ("hearth-remote-stream-XXXXXX", NULL);
  return TRUE;
}

static void
teardown (Target *t)
{
  if (t->target != NULL)
    {
      g_subprocess_force_exit (t->target);
      g_subprocess_wait (t->target, NULL, NULL);
      g_clear_object (&t->target);
    }
  rm_rf (t->dir);
  g_clear_pointer (&t->dir, g_free);
}

/* Remote collectors still attached to pid. */
static guint
count_collectors (GPid pid)
{
  g_autofree char *pid_str = g_strdup_printf ("%d", pid);
  const char *needles[] = { collector_path, "stream", "--pid", pid_str, NULL };
  g_autoptr(GArray) pids = find_processes (needles);

  return pids->len;
}

/* The target is running freely again: no tracer, not stopped. */
static void
assert_target_free (Target *t)
{
  gint64 deadline = g_get_monotonic_time () + G_TIME_SPAN_SECOND;
  char state;

  /* "Within a second" of the connection dropping. */
  while ((count_collectors (t->pid) > 0 || proc_tracer (t->pid) != 0) &&
         g_get_monotonic_time () < deadline)
    g_usleep (20 * G_TIME_SPAN_MILLISECOND);

  g_assert_cmpuint (count_collectors (t->pid), ==, 0);
  g_assert_cmpint (proc_tracer (t->pid), ==, 0);
  state = proc_state (t->pid);
  g_assert_true (state != 0 && state != 't' && state != 'T');
}

static void
test_ps (void)
{
  Target t = { 0 };
  HearthSshDestination *dest;
  g_autoptr(HearthRemoteCollector) collector = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autofree char *json = NULL;
  g_autofree char *pattern = NULL;

  if (!setup (&t))
    return;

  dest = sshd_fixture_destination (&fixture, "ps");
  collector = hearth_remote_collector_new_ssh (dest, collector_path);
  json = hearth_remote_collector_list_processes (collector, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (g_str_has_prefix (g_strchug (json), "["));
  pattern = g_strdup_printf ("\\{\"pid\":\\s*%d,[^}]*\"name\":\\s*\"remote-target\"[^}]*\"attachable\":\\s*true", t.pid);
  regex = g_regex_new (pattern, 0, 0, NULL);
  g_assert_true (g_regex_match (regex, json, 0, NULL));

  teardown (&t);
}

static int
record (Target     *t,
        gboolean    remote,
        const char *out)
{
  g_autofree char *pid = g_strdup_printf ("%d", t->pid);
  g_autofree char *port = g_strdup_printf ("%u", fixture.port);
  g_autofree char *destination = g_strdup_printf ("%s@127.0.0.1", fixture.user);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, "hearth");
  g_ptr_array_add (argv, "record");
  if (remote)
    {
      const char *remote_args[] = { "--remote", destination, "--port", port, "--identity", fixture.client_key,
                                    "--known-hosts", fixture.known_hosts, "--batch", NULL };
      for (guint i = 0; remote_args[i]; i++)
        g_ptr_array_add (argv, (gpointer) remote_args[i]);
    }
  {
    const char *common[] = { "--collector", collector_path, "--pid", pid, "--duration", "1.5",
                             "--rate", "199", "-q", "-o", out, NULL };
    for (guint i = 0; common[i]; i++)
      g_ptr_array_add (argv, (gpointer) common[i]);
  }
  g_ptr_array_add (argv, NULL);

  return hearth_record_command (argv->len - 1, (char **) argv->pdata);
}

static void
test_same_as_local (void)
{
  Target t = { 0 };
  g_autofree char *local_path = NULL;
  g_autofree char *remote_path = NULL;
  g_autoptr(HearthProfile) local = NULL;
  g_autoptr(HearthProfile) remote = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *local_stack = NULL;
  g_autofree char *remote_stack = NULL;
  g_autofree char *host = NULL;
  g_autofree char *destination = NULL;
  g_autofree char *pid = NULL;

  if (!setup (&t))
    return;

  local_path = g_build_filename (t.dir, "local.profsession", NULL);
  remote_path = g_build_filename (t.dir, "remote.profsession", NULL);

  /* One code path: the same command, with and without --remote. */
  g_assert_cmpint (record (&t, FALSE, local_path), ==, HEARTH_RECORD_EXIT_OK);
  g_assert_cmpint (record (&t, TRUE, remote_path), ==, HEARTH_RECORD_EXIT_OK);

  local = hearth_session_load (local_path, &error);
  g_assert_no_error (error);
  remote = hearth_session_load (remote_path, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (hearth_profile_get_n_samples (local), >=, 100);
  g_assert_cmpuint (hearth_profile_get_n_samples (remote), >=, 100);
  local_stack = dominant_stack (local);
  remote_stack = dominant_stack (remote);
  g_test_message ("local:  %s\nremote: %s", local_stack, remote_stack);
  g_assert_cmpstr (remote_stack, ==, local_stack);
  g_assert_nonnull (strstr (remote_stack, "remote_outer;remote_inner;remote_spin"));

  /* The session says where it was recorded. */
  host = hearth_profile_dup_metadata (remote, "host");
  g_assert_cmpstr (host, ==, g_get_host_name ());
  destination = hearth_profile_dup_metadata (remote, "ssh-destination");
  g_assert_nonnull (destination);
  g_assert_nonnull (strstr (destination, "@127.0.0.1 port"));
  pid = hearth_profile_dup_metadata (remote, "pid");
  g_assert_cmpint (atoi (pid), ==, t.pid);
  g_assert_cmpuint (hearth_profile_get_n_markers (remote), ==, 0);

  /* `hearth record` left its shared connection for a next command (as
   * ssh's ControlPersist does); end it. */
  {
    g_autofree char *remote_name = g_strdup_printf ("%s@127.0.0.1", fixture.user);
    g_autoptr(HearthSshDestination) dest = hearth_ssh_destination_new (remote_name);

    dest->port = fixture.port;
    dest->control_dir = g_strdup (g_getenv ("HEARTH_SSH_CONTROL_DIR"));
    g_assert_true (hearth_ssh_destination_close_master (dest));
  }
  assert_target_free (&t);
  teardown (&t);
}

typedef struct
{
  HearthRemoteStream *stream;
  GError             *error;
  gboolean            ok;
  gboolean            done;
} RunResult;

static void
run_done_cb (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  RunResult *result = user_data;

  result->ok = hearth_remote_stream_run_finish (HEARTH_REMOTE_STREAM (object), res, &result->error);
  result->done = TRUE;
}

typedef enum
{
  DROP_KILL_CLIENT,     /* the local ssh dies */
  DROP_KILL_SERVER,     /* the remote side of the connection dies */
  DROP_STOP,            /* no drop: the person stops the recording */
} Drop;

static void
stream_and_drop (Drop drop)
{
  Target t = { 0 };
  HearthSshDestination *dest;
  g_autoptr(HearthRemoteCollector) collector = NULL;
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_autoptr(HearthRemoteStream) stream = NULL;
  g_autoptr(HearthSessionWriter) writer = NULL;
  g_autoptr(HearthProfile) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) args = NULL;
  RunResult result = { 0 };
  gint64 deadline;
  guint64 n_before;
  HearthMarker marker;

  if (!setup (&t))
    return;

  dest = sshd_fixture_destination (&fixture, drop == DROP_KILL_CLIENT ? "kill-client"
                                             : drop == DROP_KILL_SERVER ? "kill-server" : "stop");
  collector = hearth_remote_collector_new_ssh (dest, collector_path);
  stream = hearth_remote_stream_new (collector, profile);
  path = g_build_filename (t.dir, "live.profsession", NULL);
  writer = hearth_session_writer_new (profile, path, &error);
  g_assert_no_error (error);
  hearth_remote_stream_set_writer (stream, writer);

  args = hearth_remote_stream_build_args (t.pid, 199, "wall", 0);
  hearth_remote_stream_run_async (stream, (const char * const *) args, NULL, run_done_cb, &result);

  /* Live: samples arrive and the collector is attached over there. */
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (hearth_profile_get_n_samples (profile) < WAIT_SAMPLES && !result.done &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  g_assert_false (result.done);
  g_assert_cmpuint (hearth_profile_get_n_samples (profile), >=, WAIT_SAMPLES);
  g_assert_cmpuint (count_collectors (t.pid), ==, 1);

  switch (drop)
    {
    case DROP_KILL_CLIENT:
      g_assert_cmpint (kill (hearth_remote_stream_get_child_pid (stream), SIGKILL), ==, 0);
      break;
    case DROP_KILL_SERVER:
      {
        g_autoptr(GArray) sessions = sshd_fixture_sessions (&fixture);

        g_assert_cmpuint (sessions->len, >=, 1);
        for (guint i = 0; i < sessions->len; i++)
          kill (g_array_index (sessions, GPid, i), SIGKILL);
      }
      break;
    case DROP_STOP:
      hearth_remote_stream_stop (stream);
      break;
    default:
      g_assert_not_reached ();
    }

  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (!result.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (result.done);
  n_before = hearth_profile_get_n_samples (profile);
  g_assert_cmpuint (n_before, >=, WAIT_SAMPLES);

  /* The remote collector let go, and the target runs on. */
  assert_target_free (&t);

  g_assert_true (hearth_session_writer_finish (writer, &error));
  g_assert_no_error (error);
  saved = hearth_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hearth_profile_get_n_samples (saved), ==, n_before);

  if (drop == DROP_STOP)
    {
      g_test_message ("stopped %s", hearth_remote_stream_get_stats (stream) ? "with the collector's END record"
                                                                             : "by ending the connection");
      g_assert_no_error (result.error);
      g_assert_true (result.ok);
      g_assert_cmpuint (hearth_profile_get_n_markers (saved), ==, 0);
    }
  else
    {
      g_autofree char *name = hearth_ssh_destination_dup_display_name (dest);

      g_test_message ("%s", result.error->message);
      g_assert_false (result.ok);
      g_assert_error (result.error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_CONNECTION_LOST);
      g_assert_nonnull (strstr (result.error->message, name));
      g_assert_nonnull (strstr (result.error->message, "samples received so far are kept"));

      g_assert_cmpuint (hearth_profile_get_n_markers (saved), ==, 1);
      g_assert_true (hearth_profile_get_marker (saved, 0, &marker));
      g_assert_cmpstr (hearth_profile_get_string (saved, marker.kind), ==, HEARTH_MARKER_CONNECTION_LOST);
      /* At the end of what was received (the file keeps times to the µs). */
      g_assert_cmpint (marker.time_ns, >=, hearth_profile_get_duration_ns (saved) - G_TIME_SPAN_MILLISECOND * 1000);
    }

  g_clear_error (&result.error);
  teardown (&t);
}

static void
test_kill_client (void)
{
  stream_and_drop (DROP_KILL_CLIENT);
}

static void
test_kill_server (void)
{
  stream_and_drop (DROP_KILL_SERVER);
}

static void
test_stop (void)
{
  stream_and_drop (DROP_STOP);
}

static void
test_permission_denied (void)
{
  Target t = { 0 };
  HearthSshDestination *dest;
  g_autoptr(HearthRemoteCollector) collector = NULL;
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_autoptr(HearthRemoteStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *wrapper = NULL;
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");
  g_autofree char *name = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *binary = NULL;
  gsize binary_len = 0;
  g_auto(GStrv) args = NULL;

  if (!setup (&t))
    return;
  if (getuid () != 0 || setpriv == NULL)
    {
      g_test_skip ("needs root and setpriv to run the remote collector as another user");
      teardown (&t);
      return;
    }

  /* On "the remote host" the collector runs as nobody and the target
   * belongs to root: the collector's own refusal must come through. */
  /* A copy in the world-readable temporary directory: the build tree may
   * sit under a directory nobody cannot enter. */
  copy = g_build_filename (t.dir, "hearth-collector", NULL);
  g_assert_true (g_file_get_contents (collector_path, &binary, &binary_len, NULL));
  g_assert_true (g_file_set_contents (copy, binary, binary_len, NULL));
  g_assert_cmpint (g_chmod (copy, 0755), ==, 0);
  g_assert_cmpint (g_chmod (t.dir, 0755), ==, 0);
  body = g_strdup_printf ("exec %s --reuid=65534 --regid=65534 --clear-groups '%s' \"$@\"\n",
                          setpriv, copy);
  wrapper = write_script (t.dir, "unprivileged-collector", body);
  dest = sshd_fixture_destination (&fixture, "denied");
  collector = hearth_remote_collector_new_ssh (dest, wrapper);
  stream = hearth_remote_stream_new (collector, profile);
  args = hearth_remote_stream_build_args (t.pid, 0, NULL, 1);

  g_assert_false (hearth_remote_stream_run (stream, (const char * const *) args, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_PERMISSION_DENIED);
  name = hearth_ssh_destination_dup_display_name (dest);
  g_assert_true (g_str_has_prefix (error->message, "On "));
  g_assert_nonnull (strstr (error->message, name));
  g_assert_nonnull (strstr (error->message, "permission denied"));

  assert_target_free (&t);
  teardown (&t);
}

int
main (int argc, char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  collector_path = find_built ("src/collector/hearth-collector");
  target_path = find_built ("tests/remote/remote-target");

  /* `hearth record` finds its connection-sharing directory in the
   * environment; set it before any thread exists. */
  {
    g_autofree char *dir = g_dir_make_tmp ("hearth-sshd-XXXXXX", NULL);

    g_setenv ("HEARTH_SSH_CONTROL_DIR", dir, TRUE);
    if (!sshd_fixture_start (&fixture, dir, &skip_reason))
      rm_rf (dir);
  }

  g_test_add_func ("/hearth/remote/stream/ps", test_ps);
  g_test_add_func ("/hearth/remote/stream/same-as-local", test_same_as_local);
  g_test_add_func ("/hearth/remote/stream/kill-client", test_kill_client);
  g_test_add_func ("/hearth/remote/stream/kill-server", test_kill_server);
  g_test_add_func ("/hearth/remote/stream/stop", test_stop);
  g_test_add_func ("/hearth/remote/stream/permission-denied", test_permission_denied);

  ret = g_test_run ();

  sshd_fixture_stop (&fixture);
  return ret;
}
