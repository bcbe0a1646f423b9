/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * "Connect to Remote Host…" in-process under Xvfb, against the test's own
 * sshd: an unknown host key is shown with its SHA256 fingerprint and only
 * trusted on the second Connect (then written to the dialog's known_hosts);
 * the remote host's processes are listed in the same picker a local
 * attach uses; attaching gives a live session titled with the host. A
 * changed host key is refused with its own message; a wrong port gives the
 * unreachable message in the picker's place (the dialog's status).
 */

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hearth-connect-dialog.h"
#include "hearth-process-picker.h"
#include "hearth-recorder.h"
#include "hearth-ssh-host-key.h"
#include "remote-test-util.h"
#include "sshd-fixture.h"
#include "test-app-common.h"

static SshdFixture fixture;
static char *skip_reason;
static char *collector_path;
static char *target_path;

static gboolean
status_settled (gpointer data)
{
  const char *status = hearth_connect_dialog_get_status (data);

  return *status != 0 && !g_str_has_prefix (status, "Checking");
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
picker_listed (gpointer data)
{
  return hearth_process_picker_get_n_refreshes (data) > 0;
}

static gboolean
samples_arrived (gpointer data)
{
  HearthSession *session = hearth_window_get_session (data);
  HearthProfile *profile = hearth_session_get_profile (session);

  return profile != NULL && hearth_profile_get_n_samples (profile) >= 20;
}

static gboolean
recorder_ended (gpointer data)
{
  HearthRecorderState state = hearth_recorder_get_state (data);

  return state == HEARTH_RECORDER_STATE_FINISHED || state == HEARTH_RECORDER_STATE_FAILED;
}

static gboolean
has_connection_lost (HearthProfile *profile)
{
  for (guint i = 0; i < hearth_profile_get_n_markers (profile); i++)
    {
      HearthMarker m;

      if (hearth_profile_get_marker (profile, i, &m) &&
          g_strcmp0 (hearth_profile_get_string (profile, m.kind), "connection-lost") == 0)
        return TRUE;
    }
  return FALSE;
}

static void
connect_cb (HearthConnectDialog  *dialog,
            HearthCollectorHost  *host,
            HearthCollectorHost **out)
{
  g_set_object (out, host);
}

static void
attach_cb (HearthProcessPicker *picker,
           HearthProcessInfo   *process,
           const char          *mode,
           guint                rate,
           HearthWindow        *window)
{
  HearthCollectorHost *host = g_object_get_data (G_OBJECT (picker), "host");

  hearth_window_attach (window, host, hearth_process_info_get_pid (process),
                        hearth_process_info_get_name (process), mode, rate);
}

static gboolean
skip_if_needed (void)
{
  if (skip_reason != NULL)
    g_test_skip (skip_reason);
  else if (collector_path == NULL || target_path == NULL)
    g_test_skip ("hearth-collector or tests/remote/remote-target is not built");
  else
    return FALSE;
  return TRUE;
}

static void
test_trust_list_attach (void)
{
  g_autoptr(HearthApplication) app = NULL;
  g_autoptr(GSubprocess) target = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(HearthCollectorHost) host = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) key_fields = NULL;
  g_autofree char *line = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *known_hosts = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *written = NULL;
  g_autofree char *status = NULL;
  HearthConnectDialog *dialog;
  HearthProcessPicker *picker;
  HearthWindow *window;
  int pid;

  if (skip_if_needed ())
    return;

  target = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, target_path, NULL);
  g_assert_no_error (error);
  pid = atoi (g_subprocess_get_identifier (target));
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (target));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_cmpstr (line, ==, "ready");

  tmp = g_dir_make_tmp ("hearth-remote-dialog-XXXXXX", NULL);
  known_hosts = g_build_filename (tmp, "known_hosts", NULL);
  g_assert_true (g_file_set_contents (known_hosts, "", 0, NULL));
  key_fields = g_strsplit (fixture.host_key_pub, " ", 3);
  fingerprint = hearth_ssh_fingerprint (key_fields[1]);
  g_assert_nonnull (fingerprint);

  app = test_app_new ();
  window = hearth_application_new_window (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "connect-remote"));

  dialog = hearth_connect_dialog_new (GTK_WINDOW (window), NULL);
  hearth_connect_dialog_set_known_hosts_file (dialog, known_hosts);
  hearth_connect_dialog_set_fields (dialog, "root@127.0.0.1", fixture.port, fixture.client_key, collector_path);
  g_signal_connect (dialog, "connect", G_CALLBACK (connect_cb), &host);
  gtk_window_present (GTK_WINDOW (dialog));

  /* Unknown: the fingerprint is shown and nothing is written yet. */
  hearth_connect_dialog_connect (dialog);
  test_wait_for (status_settled, dialog, 15000, "the host key probe");
  g_test_message ("status: %s", hearth_connect_dialog_get_status (dialog));
  g_assert_nonnull (strstr (hearth_connect_dialog_get_status (dialog), fingerprint));
  g_assert_null (host);
  g_assert_true (g_file_get_contents (known_hosts, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, "");
  g_clear_pointer (&written, g_free);

  /* Trusted: written to known_hosts, and a remote host comes out. */
  hearth_connect_dialog_connect (dialog);
  test_wait_for (pointer_set, &host, 15000, "the connect signal");
  g_assert_nonnull (host);
  g_assert_false (hearth_collector_host_is_local (host));
  g_assert_true (g_file_get_contents (known_hosts, &written, NULL, NULL));
  g_assert_nonnull (strstr (written, key_fields[1]));

  /* The same picker, listing the remote processes. */
  picker = hearth_process_picker_new (GTK_WINDOW (window), host, NULL);
  g_object_set_data_full (G_OBJECT (picker), "host", g_object_ref (host), g_object_unref);
  g_signal_connect (picker, "attach", G_CALLBACK (attach_cb), window);
  gtk_window_present (GTK_WINDOW (picker));
  test_wait_for (picker_listed, picker, 20000, "the remote process list");
  g_assert_cmpuint (hearth_process_picker_get_n_refreshes (picker), >, 0);
  g_assert_true (hearth_process_picker_select_pid (picker, pid));
  g_assert_true (hearth_process_picker_attach (picker));

  /* Live through ssh, titled with the host. */
  test_wait_for (samples_arrived, window, 20000, "samples through ssh");
  g_assert_true (samples_arrived (window));
  g_test_message ("title: %s", gtk_window_get_title (GTK_WINDOW (window)));
  g_assert_nonnull (strstr (hearth_session_get_title (hearth_window_get_session (window)), "127.0.0.1"));

  /* Stop ends the remote collector through its stdin: a clean finish
   * with the END record, no connection-lost marker, no error. */
  {
    HearthRecorder *recorder = hearth_session_get_recorder (hearth_window_get_session (window));

    hearth_recorder_stop (recorder);
    test_wait_for (recorder_ended, recorder, 10000, "the remote stop");
    g_assert_cmpint (hearth_recorder_get_state (recorder), ==, HEARTH_RECORDER_STATE_FINISHED);
    g_assert_false (has_connection_lost (hearth_session_get_profile (hearth_window_get_session (window))));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  test_spin (500);
  g_subprocess_force_exit (target);
  g_subprocess_wait (target, NULL, NULL);
  rm_rf (tmp);
}

static void
test_changed_key_refused (void)
{
  g_autoptr(HearthApplication) app = NULL;
  g_autoptr(HearthCollectorHost) host = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *known_hosts = NULL;
  g_autofree char *other = NULL;
  g_autofree char *other_pub = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;
  HearthConnectDialog *dialog;
  HearthWindow *window;

  if (skip_if_needed ())
    return;

  /* known_hosts holds another ed25519 key for the fixture's address. */
  tmp = g_dir_make_tmp ("hearth-remote-dialog-XXXXXX", NULL);
  other = g_build_filename (tmp, "other", NULL);
  {
    const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other, NULL };
    g_free (run_or_fail (argv, NULL));
  }
  other_pub = g_strconcat (other, ".pub", NULL);
  g_assert_true (g_file_get_contents (other_pub, &text, NULL, NULL));
  fields = g_strsplit (text, " ", 3);
  line = g_strdup_printf ("[127.0.0.1]:%u %s %s\n", fixture.port, fields[0], fields[1]);
  known_hosts = g_build_filename (tmp, "known_hosts", NULL);
  g_assert_true (g_file_set_contents (known_hosts, line, -1, NULL));

  app = test_app_new ();
  window = hearth_application_new_window (app);
  dialog = hearth_connect_dialog_new (GTK_WINDOW (window), NULL);
  hearth_connect_dialog_set_known_hosts_file (dialog, known_hosts);
  hearth_connect_dialog_set_fields (dialog, "root@127.0.0.1", fixture.port, fixture.client_key, collector_path);
  g_signal_connect (dialog, "connect", G_CALLBACK (connect_cb), &host);
  gtk_window_present (GTK_WINDOW (dialog));

  hearth_connect_dialog_connect (dialog);
  test_wait_for (status_settled, dialog, 15000, "the host key probe");
  g_test_message ("status: %s", hearth_connect_dialog_get_status (dialog));
  g_assert_nonnull (strstr (hearth_connect_dialog_get_status (dialog), "CHANGED"));
  g_assert_nonnull (strstr (hearth_connect_dialog_get_status (dialog), "ssh-keygen -R"));

  /* Asking again never accepts it. */
  hearth_connect_dialog_connect (dialog);
  test_wait_for (status_settled, dialog, 15000, "the host key probe");
  test_spin (300);
  g_assert_null (host);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (known_hosts, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, line);

  gtk_window_destroy (GTK_WINDOW (window));
  test_spin (100);
  rm_rf (tmp);
}

static gboolean
banner_shown (gpointer data)
{
  return hearth_window_get_message (data) != NULL;
}

/* Live attach through a remote host that cannot work: the window's banner
 * gives the classified message (from hearth_remote_error_classify). */
static void
check_banner (HearthApplication *app,
              guint16            port,
              const char        *identity,
              const char        *collector,
              const char        *expected)
{
  g_autoptr(HearthSshDestination) dest = hearth_ssh_destination_new ("root@127.0.0.1");
  g_autoptr(HearthCollectorHost) host = NULL;
  HearthWindow *window = hearth_application_new_window (app);

  dest->port = port;
  dest->identity_file = g_strdup (identity);
  dest->known_hosts_file = g_strdup (fixture.known_hosts);
  dest->batch_mode = TRUE;
  host = hearth_collector_host_new_remote (dest, collector);
  gtk_window_present (GTK_WINDOW (window));
  hearth_window_attach (window, host, 1, "init", "wall", 99);
  test_wait_for (banner_shown, window, 20000, "the error banner");
  g_test_message ("banner: %s", hearth_window_get_message (window));
  g_assert_nonnull (strstr (hearth_window_get_message (window), expected));
  gtk_window_destroy (GTK_WINDOW (window));
  test_spin (100);
}

static void
test_errors_in_banner (void)
{
  g_autoptr(HearthApplication) app = NULL;

  if (skip_if_needed ())
    return;

  app = test_app_new ();
  check_banner (app, find_free_port (), fixture.client_key, collector_path, "Cannot reach root@127.0.0.1");
  check_banner (app, fixture.port, fixture.wrong_key, collector_path, "Authentication to root@127.0.0.1");
  check_banner (app, fixture.port, fixture.client_key, "/nonexistent/hearth-collector",
                "hearth-collector is not installed on root@127.0.0.1");
}

static void
test_recent_hosts (void)
{
  g_autoptr(HearthApplication) app = test_app_new ();
  GSettings *settings = hearth_application_get_settings (app);
  g_auto(GStrv) hosts = NULL;
  g_autofree char *first = NULL;
  HearthConnectDialog *dialog;

  g_settings_set_strv (settings, "recent-hosts", NULL);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *host = g_strdup_printf ("user@host%u", i);
      hearth_application_add_recent_host (app, host);
    }
  hearth_application_add_recent_host (app, "user@host5");

  /* Most recent first, no duplicates, ten at most. */
  hosts = g_settings_get_strv (settings, "recent-hosts");
  g_assert_cmpuint (g_strv_length (hosts), ==, 10);
  g_assert_cmpstr (hosts[0], ==, "user@host5");
  g_assert_cmpstr (hosts[1], ==, "user@host11");
  g_assert_cmpstr (hosts[9], ==, "user@host2");

  /* The dialog offers them, the latest filled in. */
  dialog = hearth_connect_dialog_new (NULL, settings);
  first = gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (gtk_widget_get_template_child (GTK_WIDGET (dialog), HEARTH_TYPE_CONNECT_DIALOG, "destination_combo")));
  g_assert_cmpstr (first, ==, "user@host5");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_settings_set_strv (settings, "recent-hosts", NULL);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* No accessibility bus in the test X server. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  collector_path = find_built ("src/collector/hearth-collector");
  target_path = find_built ("tests/remote/remote-target");

  {
    g_autofree char *dir = g_dir_make_tmp ("hearth-sshd-XXXXXX", NULL);

    g_setenv ("HEARTH_SSH_CONTROL_DIR", dir, TRUE);
    if (!sshd_fixture_start (&fixture, dir, &skip_reason))
      rm_rf (dir);
  }

  g_test_add_func ("/hearth/remote/dialog/trust-list-attach", test_trust_list_attach);
  g_test_add_func ("/hearth/remote/dialog/changed-key-refused", test_changed_key_refused);
  g_test_add_func ("/hearth/remote/dialog/errors-in-banner", test_errors_in_banner);
  g_test_add_func ("/hearth/remote/dialog/recent-hosts", test_recent_hosts);

  ret = g_test_run ();

  if (skip_reason == NULL)
    sshd_fixture_stop (&fixture);
  return ret;
}
