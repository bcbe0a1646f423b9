/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "hearth-record-command.h"
#include "hearth-remote-error.h"
#include "hearth-remote-stream.h"
#include "hearth-session-store.h"
#include "hearth-ssh-host-key.h"
#include "remote-test-util.h"

/*
 * Everything of remote attach that needs no sshd: the ssh argv, the error
 * classifier against OpenSSH's real messages, fingerprints and known_hosts
 * lines checked with the real ssh-keygen, and the stream driver and
 * `hearth record` against fake collectors (shell scripts) that send
 * crafted streams.
 */

static gssize
argv_index (GStrv argv, const char *arg)
{
  for (guint i = 0; argv[i] != NULL; i++)
    if (g_strcmp0 (argv[i], arg) == 0)
      return i;
  return -1;
}

/* The value following "-o" for an option name, or NULL. */
static const char *
ssh_option (GStrv argv, const char *name)
{
  gsize len = strlen (name);

  for (guint i = 0; argv[i] != NULL && argv[i + 1] != NULL; i++)
    if (g_strcmp0 (argv[i], "-o") == 0 && g_ascii_strncasecmp (argv[i + 1], name, len) == 0 &&
        argv[i + 1][len] == '=')
      return argv[i + 1] + len + 1;
  return NULL;
}

static void
test_argv_ssh (void)
{
  g_autoptr(HearthSshDestination) dest = hearth_ssh_destination_new ("alice@db1");
  g_autoptr(HearthRemoteCollector) collector = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("hearth-argv-XXXXXX", NULL);
  const char *args[] = { "stream", "--pid", "42", "--note", "it's a \"test\" $(rm -rf /)", NULL };
  g_auto(GStrv) argv = NULL;
  g_autofree char *joined = NULL;
  g_auto(GStrv) remote = NULL;
  gssize dd;

  dest->port = 2222;
  dest->identity_file = g_strdup ("/home/alice/.ssh/id_db");
  dest->batch_mode = TRUE;
  dest->control_dir = g_strdup (tmp);

  collector = hearth_remote_collector_new_ssh (dest, NULL);
  argv = hearth_remote_collector_build_argv (collector, args);

  g_assert_cmpstr (argv[0], ==, "ssh");
  g_assert_cmpstr (ssh_option (argv, "BatchMode"), ==, "yes");
  g_assert_cmpstr (ssh_option (argv, "StrictHostKeyChecking"), ==, "yes");
  g_assert_cmpstr (ssh_option (argv, "ControlMaster"), ==, "auto");
  g_assert_cmpstr (ssh_option (argv, "ControlPersist"), ==, "60");
  g_assert_true (g_str_has_prefix (ssh_option (argv, "ControlPath"), tmp));
  g_assert_true (g_str_has_suffix (ssh_option (argv, "ControlPath"), "/hearth-ssh-%C"));
  g_assert_cmpstr (ssh_option (argv, "ServerAliveInterval"), ==, "5");
  g_assert_cmpstr (ssh_option (argv, "ServerAliveCountMax"), ==, "2");
  g_assert_cmpstr (ssh_option (argv, "ClearAllForwardings"), ==, "yes");
  g_assert_cmpstr (ssh_option (argv, "IdentitiesOnly"), ==, "yes");
  g_assert_cmpint (argv_index (argv, "-T"), >, 0);
  g_assert_cmpint (argv_index (argv, "-a"), >, 0);
  g_assert_cmpstr (argv[argv_index (argv, "-p") + 1], ==, "2222");
  g_assert_cmpstr (argv[argv_index (argv, "-i") + 1], ==, "/home/alice/.ssh/id_db");

  /* Never a weakened host key check, anywhere. */
  joined = g_strjoinv (" ", argv);
  g_assert_null (strstr (joined, "StrictHostKeyChecking=no"));
  g_assert_null (strstr (joined, "accept-new"));

  /* "--" then the destination then one quoted word per argument, which the
   * remote shell turns back into exactly our arguments. */
  dd = argv_index (argv, "--");
  g_assert_cmpint (dd, >, 0);
  g_assert_cmpstr (argv[dd + 1], ==, "alice@db1");
  {
    g_autofree char *line = g_strjoinv (" ", argv + dd + 2);
    int n;

    g_assert_true (g_shell_parse_argv (line, &n, &remote, NULL));
    g_assert_cmpint (n, ==, 6);
    g_assert_cmpstr (remote[0], ==, "hearth-collector");
    for (guint i = 0; args[i] != NULL; i++)
      g_assert_cmpstr (remote[i + 1], ==, args[i]);
  }

  g_assert_cmpstr (hearth_remote_collector_get_host (collector), ==, "alice@db1 port 2222");
  g_rmdir (tmp);
}

static void
test_argv_details (void)
{
  g_autoptr(HearthSshDestination) dest = hearth_ssh_destination_new ("db1");
  g_autoptr(HearthRemoteCollector) collector = NULL;
  g_autoptr(HearthRemoteCollector) local = NULL;
  const char *args[] = { "ps", "--json", NULL };
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) local_argv = NULL;
  gssize dd;

  /* Interactive, no port, a home-relative collector, a socket directory
   * too long for a unix socket path: no BatchMode, no -p, "~/" left for
   * the remote shell, no connection sharing. */
  dest->control_dir = g_strnfill (120, 'x');
  collector = hearth_remote_collector_new_ssh (dest, "~/bin/hearth collector");
  argv = hearth_remote_collector_build_argv (collector, args);

  g_assert_null (ssh_option (argv, "BatchMode"));
  g_assert_null (ssh_option (argv, "ControlMaster"));
  g_assert_cmpint (argv_index (argv, "-p"), ==, -1);
  g_assert_cmpint (argv_index (argv, "-i"), ==, -1);
  dd = argv_index (argv, "--");
  g_assert_cmpstr (argv[dd + 1], ==, "db1");
  g_assert_cmpstr (argv[dd + 2], ==, "~/'bin/hearth collector'");
  g_assert_cmpstr (argv[dd + 3], ==, "'ps'");
  g_assert_cmpstr (hearth_remote_collector_get_host (collector), ==, "db1");

  /* This computer: the same call, the collector itself. */
  local = hearth_remote_collector_new_local ("/opt/hearth/hearth-collector");
  local_argv = hearth_remote_collector_build_argv (local, args);
  g_assert_cmpuint (g_strv_length (local_argv), ==, 3);
  g_assert_cmpstr (local_argv[0], ==, "/opt/hearth/hearth-collector");
  g_assert_cmpstr (local_argv[1], ==, "ps");
  g_assert_null (hearth_remote_collector_get_host (local));
}

static void
test_validate (void)
{
  const char *bad[] = { "", "-oProxyCommand=touch /tmp/x", "a b@host", "host\n", NULL };
  const char *good[] = { "host", "user@host", "user@192.0.2.1", "alias-from-config", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(HearthSshDestination) dest = hearth_ssh_destination_new (bad[i]);
      g_autoptr(GError) error = NULL;

      g_assert_false (hearth_ssh_destination_validate (dest, &error));
      g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_INVALID);
    }
  for (guint i = 0; good[i] != NULL; i++)
    {
      g_autoptr(HearthSshDestination) dest = hearth_ssh_destination_new (good[i]);
      g_assert_true (hearth_ssh_destination_validate (dest, NULL));
    }
}

/* OpenSSH 9.2's own messages, captured from real runs. */
static const struct {
  int               status;
  const char       *stderr_text;
  HearthRemoteError code;
  const char       *must_contain;
} classify_cases[] = {
  { 255, "root@127.0.0.1: Permission denied (publickey).\r\n",
    HEARTH_REMOTE_ERROR_AUTH_FAILED, "Permission denied (publickey)" },
  { 255, "Warning: Identity file /tmp/nokey not accessible: No such file or directory.\n"
         "root@127.0.0.1: Permission denied (publickey).\r\n",
    HEARTH_REMOTE_ERROR_AUTH_FAILED, "/tmp/nokey not accessible" },
  { 255, "No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\r\n"
         "Host key verification failed.\r\n",
    HEARTH_REMOTE_ERROR_HOST_KEY_UNKNOWN, "not known" },
  { 255, "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n"
         "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n"
         "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n"
         "Offending ED25519 key in /tmp/kh:1\r\n  remove with:\r\n"
         "  ssh-keygen -f \"/tmp/kh\" -R \"[127.0.0.1]:2222\"\r\n"
         "Host key for [127.0.0.1]:2222 has changed and you have requested strict checking.\r\n"
         "Host key verification failed.\r\n",
    HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED, "ssh-keygen -f \"/tmp/kh\" -R \"[127.0.0.1]:2222\"" },
  { 255, "ssh: connect to host 127.0.0.1 port 2223: Connection refused\r\n",
    HEARTH_REMOTE_ERROR_UNREACHABLE, "Connection refused" },
  { 255, "ssh: Could not resolve hostname nonexist.invalid: Name or service not known\r\n",
    HEARTH_REMOTE_ERROR_UNREACHABLE, "Could not resolve hostname" },
  { 255, "ssh: connect to host 192.0.2.1 port 22: No route to host\r\n",
    HEARTH_REMOTE_ERROR_UNREACHABLE, "No route to host" },
  { 255, "Connection to 127.0.0.1 closed by remote host.\r\n",
    HEARTH_REMOTE_ERROR_CONNECTION_LOST, "closed by remote host" },
  { 255, "something unheard of\n", HEARTH_REMOTE_ERROR_FAILED, "something unheard of" },
  { 127, "bash: line 1: hearth-collector: command not found\n",
    HEARTH_REMOTE_ERROR_COLLECTOR_MISSING, "-Dapp=false" },
  { 127, "bash: /nonexistent/hearth-collector: No such file or directory\n",
    HEARTH_REMOTE_ERROR_COLLECTOR_MISSING, "No such file or directory" },
  { 126, "bash: /etc/passwd: Permission denied\n",
    HEARTH_REMOTE_ERROR_COLLECTOR_MISSING, "not installed" },
  { 1, "Cannot attach to process 1 (systemd): permission denied. Run as the same user.\n",
    HEARTH_REMOTE_ERROR_PERMISSION_DENIED, "Cannot attach to process 1" },
  { 1, "No process 99999 exists.\n", HEARTH_REMOTE_ERROR_COLLECTOR_FAILED, "No process 99999" },
};

static void
test_classify (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (classify_cases); i++)
    {
      g_autoptr(GError) error = hearth_remote_error_classify ("root@127.0.0.1 port 2222", "hearth-collector",
                                                              classify_cases[i].status,
                                                              classify_cases[i].stderr_text, NULL);

      g_test_message ("case %u: %s", i, error->message);
      g_assert_error (error, HEARTH_REMOTE_ERROR, (int) classify_cases[i].code);
      g_assert_nonnull (strstr (error->message, "root@127.0.0.1 port 2222"));
      g_assert_nonnull (strstr (error->message, classify_cases[i].must_contain));
    }

  /* A fatal ERROR record from the collector wins over ssh's status. */
  {
    g_autoptr(GError) error =
      hearth_remote_error_classify ("db1", NULL, 1, "",
                                    "Cannot attach to process 7 (nginx): permission denied. "
                                    "kernel.yama.ptrace_scope is 1.");
    g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_PERMISSION_DENIED);
    g_assert_true (g_str_has_prefix (error->message, "On db1: Cannot attach to process 7"));
  }
  g_assert_cmpstr (hearth_remote_error_code_to_string (HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED), ==,
                   "host-key-changed");
}

static void
test_fingerprint_and_accept (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hearth-hostkey-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "key", NULL);
  g_autofree char *pub = g_strconcat (key, ".pub", NULL);
  g_autofree char *kh = g_build_filename (dir, "sub", "known_hosts", NULL);
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;
  HearthSshHostKeyProbe probe = { 0 };

  g_free (run_or_fail ((const char *[]) { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key, NULL }, NULL));
  g_assert_true (g_file_get_contents (pub, &text, NULL, NULL));
  fields = g_strsplit (g_strstrip (text), " ", 3);

  /* Our fingerprint is ssh-keygen's. */
  out = run_or_fail ((const char *[]) { "ssh-keygen", "-l", "-E", "sha256", "-f", pub, NULL }, NULL);
  expected = hearth_ssh_fingerprint (fields[1]);
  g_assert_nonnull (strstr (out, expected));
  g_assert_null (hearth_ssh_fingerprint ("not base64!"));
  g_assert_null (hearth_ssh_fingerprint ("QUJD"));   /* decodes, but no key */

  /* Accepting an unknown key writes a hashed line that ssh-keygen finds
   * for that host and no other. */
  probe.status = HEARTH_SSH_HOST_KEY_UNKNOWN;
  probe.host_name = (char *) "[127.0.0.1]:2222";
  probe.key.type = fields[0];
  probe.key.blob_base64 = fields[1];
  probe.key.fingerprint = expected;
  probe.known_hosts_file = kh;
  probe.hash_known_hosts = TRUE;
  g_assert_true (hearth_ssh_accept_host_key (&probe, &error));
  g_assert_no_error (error);

  g_clear_pointer (&out, g_free);
  out = run_or_fail ((const char *[]) { "ssh-keygen", "-F", "[127.0.0.1]:2222", "-f", kh, NULL }, NULL);
  g_assert_nonnull (strstr (out, fields[1]));
  g_assert_nonnull (strstr (out, "|1|"));
  g_assert_false (run_status ((const char *[]) { "ssh-keygen", "-F", "[127.0.0.1]:2223", "-f", kh, NULL }) == 0);

  /* A changed key is refused and the file is left alone. */
  probe.status = HEARTH_SSH_HOST_KEY_CHANGED;
  g_assert_false (hearth_ssh_accept_host_key (&probe, &error));
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED);
  g_clear_error (&error);
  {
    g_autofree char *content = NULL;
    g_auto(GStrv) lines = NULL;

    g_assert_true (g_file_get_contents (kh, &content, NULL, NULL));
    lines = g_strsplit (content, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 2);  /* one line + "" */
  }

  /* Malformed probes never reach the file. */
  probe.status = HEARTH_SSH_HOST_KEY_UNKNOWN;
  probe.host_name = (char *) "evil host";
  g_assert_false (hearth_ssh_accept_host_key (&probe, &error));
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_INVALID);

  rm_rf (dir);
}

/* Drive a fake local collector through the stream driver. */
static gboolean
run_fake (const char     *script_body,
          HearthProfile **profile_out,
          GError        **error)
{
  g_autofree char *dir = g_dir_make_tmp ("hearth-fake-XXXXXX", NULL);
  g_autofree char *script = write_script (dir, "fake-collector", script_body);
  g_autoptr(HearthRemoteCollector) collector = hearth_remote_collector_new_local (script);
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_autoptr(HearthRemoteStream) stream = hearth_remote_stream_new (collector, profile);
  g_auto(GStrv) args = hearth_remote_stream_build_args (1, 99, "wall", 1);
  gboolean ret;

  ret = hearth_remote_stream_run (stream, (const char * const *) args, NULL, error);
  rm_rf (dir);
  *profile_out = g_steal_pointer (&profile);
  return ret;
}

static void
test_stream_version (void)
{
  for (int delta = -1; delta <= 1; delta += 2)
    {
      guint version = HEARTH_STREAM_PROTOCOL_VERSION + delta;
      g_autofree char *body = fake_hello_script (version, "0.0.2");
      g_autofree char *expected = g_strdup_printf ("hearth-collector 0.0.2 speaks protocol %u, "
                                                   "this Hearth needs %u", version,
                                                   HEARTH_STREAM_PROTOCOL_VERSION);
      g_autoptr(HearthProfile) profile = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_false (run_fake (body, &profile, &error));
      g_test_message ("%s", error->message);
      g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_VERSION_MISMATCH);
      g_assert_nonnull (strstr (error->message, expected));
    }
}

static void
test_stream_truncated (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hearth-trunc-XXXXXX", NULL);
  g_autofree char *data = write_fake_stream (dir, 50, FALSE);
  g_autofree char *body = g_strdup_printf ("exec cat '%s'\n", data);
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  HearthMarker marker;

  g_assert_false (run_fake (body, &profile, &error));
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_CONNECTION_LOST);
  g_assert_nonnull (strstr (error->message, "after 50 samples"));

  /* Everything received is kept, and the end is marked. */
  g_assert_cmpuint (hearth_profile_get_n_samples (profile), ==, 50);
  g_assert_cmpuint (hearth_profile_get_n_markers (profile), ==, 1);
  g_assert_true (hearth_profile_get_marker (profile, 0, &marker));
  g_assert_cmpstr (hearth_profile_get_string (profile, marker.kind), ==, HEARTH_MARKER_CONNECTION_LOST);
  g_assert_cmpint (marker.time_ns, >=, 49 * 10 * G_TIME_SPAN_MILLISECOND * 1000 / 1000);
  rm_rf (dir);
}

static void
test_stream_garbage (void)
{
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (run_fake ("echo 'Welcome to db1!'\nsleep 5\n", &profile, &error));
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_BAD_STREAM);
  g_assert_nonnull (strstr (error->message, "not a hearth-collector stream"));
}

static void
test_stream_collector_error (void)
{
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  /* No stream at all, only the collector's complaint and a failure. */
  g_assert_false (run_fake ("echo 'Cannot attach to process 1 (init): permission denied. "
                            "Run as root.' >&2\nexit 3\n", &profile, &error));
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "Cannot attach to process 1"));

  g_clear_error (&error);
  g_clear_object (&profile);
  g_assert_false (run_fake ("exit 0\n", &profile, &error));
  g_assert_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_COLLECTOR_FAILED);
}

static void
test_record_command_local (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hearth-record-XXXXXX", NULL);
  g_autofree char *data = write_fake_stream (dir, 120, TRUE);
  g_autofree char *body = g_strdup_printf ("exec cat '%s'\n", data);
  g_autofree char *script = write_script (dir, "fake-collector", body);
  g_autofree char *out = g_build_filename (dir, "x.profsession", NULL);
  g_autofree char *host = NULL;
  g_autoptr(HearthProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  char *argv[] = { "hearth", "record", "--pid", "4242", "--collector", script,
                   "--duration", "1", "-q", "-o", out, NULL };

  g_assert_cmpint (hearth_record_command (G_N_ELEMENTS (argv) - 1, argv), ==, HEARTH_RECORD_EXIT_OK);
  loaded = hearth_session_load (out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hearth_profile_get_n_samples (loaded), ==, 120);
  host = hearth_profile_dup_metadata (loaded, "host");
  g_assert_cmpstr (host, ==, "fake-host");
  rm_rf (dir);
}

static void
test_record_command_usage (void)
{
  char *no_pid[] = { "hearth", "record", "-o", "/tmp/x.profsession", NULL };
  char *no_out[] = { "hearth", "record", "--pid", "1", NULL };
  char *bad_mode[] = { "hearth", "record", "--pid", "1", "--mode", "fast", "-o", "x", NULL };
  char *port_local[] = { "hearth", "record", "--pid", "1", "--port", "22", "-o", "x", NULL };
  char *extra[] = { "hearth", "record", "--pid", "1", "-o", "x", "surprise", NULL };

  g_assert_cmpint (hearth_record_command (4, no_pid), ==, HEARTH_RECORD_EXIT_USAGE);
  g_assert_cmpint (hearth_record_command (4, no_out), ==, HEARTH_RECORD_EXIT_USAGE);
  g_assert_cmpint (hearth_record_command (8, bad_mode), ==, HEARTH_RECORD_EXIT_USAGE);
  g_assert_cmpint (hearth_record_command (8, port_local), ==, HEARTH_RECORD_EXIT_USAGE);
  g_assert_cmpint (hearth_record_command (7, extra), ==, HEARTH_RECORD_EXIT_USAGE);
}

static void
test_record_command_nothing (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hearth-record-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-collector", NULL);
  g_autofree char *out = g_build_filename (dir, "x.profsession", NULL);
  char *argv[] = { "hearth", "record", "--pid", "1", "--collector", missing, "-q", "-o", out, NULL };

  /* Nothing recorded: a failure, and no empty session left behind. */
  g_assert_cmpint (hearth_record_command (G_N_ELEMENTS (argv) - 1, argv), ==, HEARTH_RECORD_EXIT_FAILED);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  rm_rf (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/remote/argv/ssh", test_argv_ssh);
  g_test_add_func ("/hearth/remote/argv/details", test_argv_details);
  g_test_add_func ("/hearth/remote/argv/validate", test_validate);
  g_test_add_func ("/hearth/remote/classify", test_classify);
  g_test_add_func ("/hearth/remote/host-key/fingerprint-accept", test_fingerprint_and_accept);
  g_test_add_func ("/hearth/remote/stream/version-mismatch", test_stream_version);
  g_test_add_func ("/hearth/remote/stream/truncated", test_stream_truncated);
  g_test_add_func ("/hearth/remote/stream/garbage", test_stream_garbage);
  g_test_add_func ("/hearth/remote/stream/collector-error", test_stream_collector_error);
  g_test_add_func ("/hearth/remote/record/local", test_record_command_local);
  g_test_add_func ("/hearth/remote/record/usage", test_record_command_usage);
  g_test_add_func ("/hearth/remote/record/nothing-recorded", test_record_command_nothing);

  return g_test_run ();
}
