/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hearth-record-command.h"
#include "hearth-remote-error.h"
#include "hearth-remote-stream.h"
#include "hearth-ssh-host-key.h"
#include "remote-test-util.h"
#include "sshd-fixture.h"

/*
 * The ssh side of remote attach against a real OpenSSH server started for
 * this program: connection sharing, quoting through the real remote
 * shell, and every error a person can run into, each with its own
 * message naming the host. The collector here is a fake (a shell script)
 * or a missing path; test-remote-stream.c uses the real one.
 */

static SshdFixture fixture;
static char *skip_reason;

#define REQUIRE_SSHD() G_STMT_START {           \
  if (skip_reason != NULL)                      \
    {                                           \
      g_test_skip (skip_reason);                \
      return;                                   \
    }                                           \
} G_STMT_END

static char *
display_name (const HearthSshDestination *dest)
{
  return hearth_ssh_destination_dup_display_name (dest);
}

static GError *
run_expect_failure (HearthSshDestination *dest,
                    const char           *collector_path)
{
  g_autoptr(HearthRemoteCollector) collector = hearth_remote_collector_new_ssh (dest, collector_path);
  const char *args[] = { "ps", "--json", NULL };
  g_autofree char *out = NULL;
  GError *error = NULL;

  out = hearth_remote_collector_run (collector, args, NULL, &error);
  g_assert_null (out);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", hearth_remote_error_code_to_string (error->code), error->message);
  return error;
}

static void
assert_names_host (const GError               *error,
                   const HearthSshDestination *dest)
{
  g_autofree char *name = display_name (dest);
  g_assert_nonnull (strstr (error->message, name));
}

static void
test_connection_sharing (void)
{
  HearthSshDestination *dest;
  g_autoptr(HearthRemoteCollector) collector = NULL;
  const char *args[] = { "%s|", "it's", "$(touch /tmp/hearth-pwned)", "a  b", "~", NULL };
  guint logins_before;
  g_autofree char *control_path = NULL;

  REQUIRE_SSHD ();

  dest = sshd_fixture_destination (&fixture, "sharing");
  collector = hearth_remote_collector_new_ssh (dest, "printf");
  logins_before = sshd_fixture_count_logins (&fixture);

  /* Arguments arrive exactly as given, through the real remote shell. */
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = hearth_remote_collector_run (collector, args, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, "it's|$(touch /tmp/hearth-pwned)|a  b|~|");
    }
  g_assert_false (g_file_test ("/tmp/hearth-pwned", G_FILE_TEST_EXISTS));

  /* Three commands, one authentication: the master socket is shared. */
  g_assert_cmpuint (sshd_fixture_count_logins (&fixture) - logins_before, ==, 1);
  {
    g_autoptr(GDir) dir = g_dir_open (dest->control_dir, 0, NULL);
    const char *name = g_dir_read_name (dir);

    g_assert_nonnull (name);
    g_assert_true (g_str_has_prefix (name, "hearth-ssh-"));
  }

  /* Disconnecting ends it; the next command logs in again. */
  hearth_remote_collector_disconnect (collector);
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *out = hearth_remote_collector_run (collector, args, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (sshd_fixture_count_logins (&fixture) - logins_before, ==, 2);
}

static void
test_auth_failed (void)
{
  HearthSshDestination *dest;
  g_autoptr(GError) error = NULL;

  REQUIRE_SSHD ();

  dest = sshd_fixture_destination (&fixture, "auth");
  g_free (dest->identity_file);
  dest->identity_file = g_strdup (fixture.wrong_key);

  error = run_expect_failure (dest, NULL);
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "Authentication to"));
  g_assert_nonnull (strstr (error->message, "Permission denied (publickey)"));
  assert_names_host (error, dest);
}

static void
test_host_key_changed (void)
{
  HearthSshDestination *dest;
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthSshHostKeyProbe) probe = NULL;
  g_autofree char *impostor = NULL;
  g_autofree char *impostor_pub = NULL;
  g_autofree char *kh = g_build_filename (fixture.dir ? fixture.dir : "/", "known_hosts_changed", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;

  REQUIRE_SSHD ();

  /* known_hosts remembers another key for this host:port. */
  impostor = g_build_filename (fixture.dir, "impostor", NULL);
  g_free (run_or_fail ((const char *[]) { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", impostor, NULL }, NULL));
  impostor_pub = g_strconcat (impostor, ".pub", NULL);
  g_assert_true (g_file_get_contents (impostor_pub, &line, NULL, NULL));
  fields = g_strsplit (g_strstrip (line), " ", 3);
  before = g_strdup_printf ("[127.0.0.1]:%u %s %s\n", fixture.port, fields[0], fields[1]);
  g_assert_true (g_file_set_contents (kh, before, -1, NULL));

  dest = sshd_fixture_destination (&fixture, "changed");
  g_free (dest->known_hosts_file);
  dest->known_hosts_file = g_strdup (kh);

  error = run_expect_failure (dest, NULL);
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED);
  g_assert_nonnull (strstr (error->message, "CHANGED"));
  g_assert_nonnull (strstr (error->message, "ssh-keygen"));
  assert_names_host (error, dest);
  g_clear_error (&error);

  /* The probe sees it too, and accepting is refused. */
  probe = hearth_ssh_probe_host_key (dest, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (probe->status, ==, HEARTH_SSH_HOST_KEY_CHANGED);
  g_assert_false (hearth_ssh_accept_host_key (probe, &error));
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED);

  g_assert_true (g_file_get_contents (kh, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
}

static void
test_host_key_unknown (void)
{
  HearthSshDestination *dest;
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthSshHostKeyProbe) probe = NULL;
  g_autoptr(HearthSshHostKeyProbe) again = NULL;
  g_autoptr(HearthRemoteCollector) collector = NULL;
  g_autofree char *kh = g_build_filename (fixture.dir ? fixture.dir : "/", "known_hosts_empty", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) host_fields = NULL;
  const char *args[] = { "ok", NULL };

  REQUIRE_SSHD ();

  dest = sshd_fixture_destination (&fixture, "unknown");
  g_free (dest->known_hosts_file);
  dest->known_hosts_file = g_strdup (kh);

  /* Batch mode refuses an unknown key with its own message. */
  error = run_expect_failure (dest, NULL);
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_HOST_KEY_UNKNOWN);
  g_assert_nonnull (strstr (error->message, "not known yet"));
  assert_names_host (error, dest);
  g_clear_error (&error);
  g_assert_false (g_file_test (kh, G_FILE_TEST_EXISTS));

  /* What the GUI does: probe, show the fingerprint, accept, connect. */
  probe = hearth_ssh_probe_host_key (dest, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (probe->status, ==, HEARTH_SSH_HOST_KEY_UNKNOWN);
  host_fields = g_strsplit (fixture.host_key_pub, " ", 2);
  expected = hearth_ssh_fingerprint (host_fields[1]);
  g_assert_cmpstr (probe->key.fingerprint, ==, expected);
  g_assert_cmpstr (probe->key.type, ==, "ssh-ed25519");
  g_assert_cmpstr (probe->known_hosts_file, ==, kh);

  g_assert_true (hearth_ssh_accept_host_key (probe, &error));
  g_assert_no_error (error);

  again = hearth_ssh_probe_host_key (dest, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->status, ==, HEARTH_SSH_HOST_KEY_KNOWN);

  collector = hearth_remote_collector_new_ssh (dest, "echo");
  out = hearth_remote_collector_run (collector, args, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "ok\n");
}

static void
test_unreachable (void)
{
  HearthSshDestination *dest;
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthSshHostKeyProbe) probe = NULL;

  REQUIRE_SSHD ();

  dest = sshd_fixture_destination (&fixture, "unreachable");
  dest->port = find_free_port ();

  error = run_expect_failure (dest, NULL);
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "Connection refused"));
  assert_names_host (error, dest);
  g_clear_error (&error);

  probe = hearth_ssh_probe_host_key (dest, NULL, &error);
  g_assert_null (probe);
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_UNREACHABLE);
}

static void
test_collector_missing (void)
{
  HearthSshDestination *dest;
  g_autoptr(GError) error = NULL;

  REQUIRE_SSHD ();

  dest = sshd_fixture_destination (&fixture, "missing");
  error = run_expect_failure (dest, "/nonexistent/hearth-collector");
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_COLLECTOR_MISSING);
  g_assert_nonnull (strstr (error->message, "hearth-collector is not installed on"));
  g_assert_nonnull (strstr (error->message, "/nonexistent/hearth-collector"));
  g_assert_nonnull (strstr (error->message, "-Dapp=false"));
  assert_names_host (error, dest);
}

/* The same through `hearth record`, in a child so its stderr can be read. */
static void
test_record_collector_missing (void)
{
  REQUIRE_SSHD ();

  if (g_test_subprocess ())
    {
      g_autofree char *port = g_strdup_printf ("%u", fixture.port);
      g_autofree char *remote = g_strdup_printf ("%s@127.0.0.1", fixture.user);
      g_autofree char *out = g_build_filename (fixture.dir, "missing.profsession", NULL);
      char *argv[] = { "hearth", "record", "--remote", remote, "--port", port,
                       "--identity", fixture.client_key, "--known-hosts", fixture.known_hosts,
                       "--collector", "/nonexistent/hearth-collector", "--pid", "1", "--batch",
                       "-o", out, NULL };
      int status;

      g_setenv ("HEARTH_SSH_CONTROL_DIR", fixture.dir, TRUE);
      status = hearth_record_command (G_N_ELEMENTS (argv) - 1, argv);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      exit (status);
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*hearth record: hearth-collector is not installed on *127.0.0.1 port*");
}

static void
test_version_mismatch (void)
{
  HearthSshDestination *dest;
  g_autoptr(HearthRemoteCollector) collector = NULL;
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_autoptr(HearthRemoteStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *script = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) args = hearth_remote_stream_build_args (1, 0, NULL, 0);
  guint newer = HEARTH_STREAM_PROTOCOL_VERSION + 1;

  REQUIRE_SSHD ();

  /* "The remote host" is this machine: the fake collector is a script
   * in the fixture's directory that sends a hello from the future. */
  body = fake_hello_script (newer, "0.9.0");
  script = write_script (fixture.dir, "old-or-new-collector", body);
  dest = sshd_fixture_destination (&fixture, "version");
  collector = hearth_remote_collector_new_ssh (dest, script);
  stream = hearth_remote_stream_new (collector, profile);

  g_assert_false (hearth_remote_stream_run (stream, (const char * const *) args, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_VERSION_MISMATCH);
  expected = g_strdup_printf ("remote hearth-collector 0.9.0 speaks protocol %u, this Hearth needs %u",
                              newer, HEARTH_STREAM_PROTOCOL_VERSION);
  g_assert_true (g_str_has_prefix (error->message, expected));
  name = display_name (dest);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_cmpuint (hearth_profile_get_n_samples (profile), ==, 0);
}

static void
test_login_shell_noise (void)
{
  HearthSshDestination *dest;
  g_autoptr(HearthRemoteCollector) collector = NULL;
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_autoptr(HearthRemoteStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_auto(GStrv) args = hearth_remote_stream_build_args (1, 0, NULL, 0);

  REQUIRE_SSHD ();

  /* A chatty ~/.bashrc looks like this from our side. */
  script = write_script (fixture.dir, "chatty", "echo 'Welcome! Last login: never'\nsleep 2\n");
  dest = sshd_fixture_destination (&fixture, "noise");
  collector = hearth_remote_collector_new_ssh (dest, script);
  stream = hearth_remote_stream_new (collector, profile);

  g_assert_false (hearth_remote_stream_run (stream, (const char * const *) args, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_BAD_STREAM);
  g_assert_nonnull (strstr (error->message, "~/.bashrc"));
}

int
main (int argc, char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* A trapped child reuses the parent's server instead of starting its
   * own; the directory is chosen before any thread exists, so the
   * environment can carry it. */
  if (g_test_subprocess ())
    sshd_fixture_attach (&fixture, g_getenv ("HEARTH_TEST_SSHD_DIR"));
  else
    {
      g_autofree char *dir = g_dir_make_tmp ("hearth-sshd-XXXXXX", NULL);

      g_setenv ("HEARTH_TEST_SSHD_DIR", dir, TRUE);
      if (!sshd_fixture_start (&fixture, dir, &skip_reason))
        rm_rf (dir);
    }

  g_test_add_func ("/hearth/remote/ssh/connection-sharing", test_connection_sharing);
  g_test_add_func ("/hearth/remote/ssh/auth-failed", test_auth_failed);
  g_test_add_func ("/hearth/remote/ssh/host-key-changed", test_host_key_changed);
  g_test_add_func ("/hearth/remote/ssh/host-key-unknown", test_host_key_unknown);
  g_test_add_func ("/hearth/remote/ssh/unreachable", test_unreachable);
  g_test_add_func ("/hearth/remote/ssh/collector-missing", test_collector_missing);
  g_test_add_func ("/hearth/remote/ssh/record-collector-missing", test_record_collector_missing);
  g_test_add_func ("/hearth/remote/ssh/version-mismatch", test_version_mismatch);
  g_test_add_func ("/hearth/remote/ssh/login-shell-noise", test_login_shell_noise);

  ret = g_test_run ();

  if (!g_test_subprocess ())
    sshd_fixture_stop (&fixture);
  return ret;
}
