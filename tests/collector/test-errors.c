/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector-test-util.h"
#include "hearth-error.h"
#include "hearth-stream.h"

/*
 * Errors a user can act on: exit status ≠ 0 and one line saying what to
 * do, also sent as an ERROR record on the stream.
 */

static pid_t
unused_pid (void)
{
  g_autofree char *max_text = NULL;
  int max = 32768;

  if (g_file_get_contents ("/proc/sys/kernel/pid_max", &max_text, NULL, NULL))
    max = atoi (max_text);
  for (pid_t pid = max - 1; pid > 300; pid--)
    if (kill (pid, 0) < 0 && errno == ESRCH)
      return pid;
  g_assert_not_reached ();
  return -1;
}

static void
test_bad_pid (void)
{
  g_autofree char *pid_arg = g_strdup_printf ("--pid=%d", (int) unused_pid ());
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  int status = ct_run_collector (&out, &err, "record", pid_arg, "--output=/nonexistent/never.profsession", NULL);

  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "No process with PID"));
  /* one line */
  g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
}

/* In stream mode the reason also arrives as an ERROR record the GUI shows. */
static void
test_bad_pid_stream (void)
{
  g_autofree char *pid_arg = g_strdup_printf ("--pid=%d", (int) unused_pid ());
  g_autofree char *collector = ct_collector_path ();
  const char *argv[] = { collector, "stream", pid_arg, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_autoptr(HearthProfile) partial = NULL;
  g_autoptr(HearthProfile) profile = NULL;

  g_assert_no_error (error);
  profile = hearth_stream_read_all (g_subprocess_get_stdout_pipe (proc), &partial, NULL, &error);
  g_assert_null (profile);
  g_assert_error (error, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_REMOTE);
  g_assert_nonnull (strstr (error->message, "No process with PID"));
  g_subprocess_wait (proc, NULL, NULL);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
}

static void
test_permission_denied (void)
{
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *collector = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *pid_arg = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GSubprocess) target = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (getuid () != 0 || setpriv == NULL)
    {
      g_test_skip ("needs root and setpriv to run the collector as another user");
      return;
    }

  /* the collector, runnable by nobody wherever the build tree is */
  dir = g_dir_make_tmp ("hearth-perm-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (dir, 0755);
  collector = ct_collector_path ();
  copy = g_build_filename (dir, "hearth-collector", NULL);
  g_file_get_contents (collector, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (copy, contents, length, &error);
  g_assert_no_error (error);
  g_chmod (copy, 0755);

  target = ct_spawn_target ("target-cpu", "--duration", "10", NULL);
  pid_arg = g_strdup_printf ("--pid=%s", g_subprocess_get_identifier (target));
  {
    const char *argv[] = { setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
                           copy, "stream", pid_arg, NULL };

    proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
    g_assert_no_error (error);
  }
  ct_target_kill (target);
  g_unlink (copy);
  g_rmdir (dir);

  g_test_message ("%s", err);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_nonnull (strstr (err, "permission denied"));
  /* names the rule: another user's process, and what to do */
  g_assert_nonnull (strstr (err, "uid 0"));
  g_assert_nonnull (strstr (err, "CAP_SYS_PTRACE"));
}

static void
test_zombie (void)
{
  pid_t child = fork ();
  g_autofree char *pid_arg = NULL;
  g_autofree char *err = NULL;
  int status;

  if (child == 0)
    _exit (0);
  g_assert_cmpint (child, >, 0);
  /* not reaped yet: a zombie */
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *states = ct_thread_states (child);

      if (g_strcmp0 (states, "Z") == 0)
        break;
      g_usleep (10 * 1000);
    }
  pid_arg = g_strdup_printf ("--pid=%d", (int) child);
  status = ct_run_collector (NULL, &err, "stream", pid_arg, NULL);
  waitpid (child, NULL, 0);

  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "zombie"));
}

static void
test_kernel_thread (void)
{
  g_autofree char *stat = NULL;
  g_autofree char *err = NULL;
  int status;

  /* kthreadd is PID 2 on Linux */
  if (!g_file_get_contents ("/proc/2/stat", &stat, NULL, NULL) || strstr (stat, "(kthreadd)") == NULL)
    {
      g_test_skip ("no kthreadd at PID 2");
      return;
    }
  status = ct_run_collector (NULL, &err, "stream", "--pid=2", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "kernel thread"));
}

static void
test_usage (void)
{
  g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL, *e5 = NULL;

  g_assert_cmpint (ct_run_collector (NULL, &e1, "record", "--pid=1", NULL), ==, 2);
  g_assert_nonnull (strstr (e1, "-o"));
  g_assert_cmpint (ct_run_collector (NULL, &e2, "stream", "--pid=1", "--mode=bogus", NULL), ==, 2);
  g_assert_nonnull (strstr (e2, "wall or cpu"));
  g_assert_cmpint (ct_run_collector (NULL, &e3, "stream", NULL), ==, 2);
  g_assert_cmpint (ct_run_collector (NULL, &e4, "frobnicate", NULL), ==, 2);
  g_assert_cmpint (ct_run_collector (NULL, &e5, "stream", "--pid=1", "--rate=0", NULL), ==, 2);
}

static void
test_command_not_found (void)
{
  g_autofree char *err = NULL;
  int status = ct_run_collector (NULL, &err, "stream", "--", "/nonexistent/program", NULL);

  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "Cannot start"));
}

static void
test_version_help (void)
{
  g_autofree char *out = NULL, *out2 = NULL;

  g_assert_cmpint (ct_run_collector (&out, NULL, "--version", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "hearth-collector " PACKAGE_VERSION));
  g_assert_cmpint (ct_run_collector (&out2, NULL, "record", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out2, "--stop-blocked"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/collector/error/bad-pid", test_bad_pid);
  g_test_add_func ("/hearth/collector/error/bad-pid-stream-record", test_bad_pid_stream);
  g_test_add_func ("/hearth/collector/error/permission-denied", test_permission_denied);
  g_test_add_func ("/hearth/collector/error/zombie", test_zombie);
  g_test_add_func ("/hearth/collector/error/kernel-thread", test_kernel_thread);
  g_test_add_func ("/hearth/collector/error/usage", test_usage);
  g_test_add_func ("/hearth/collector/error/command-not-found", test_command_not_found);
  g_test_add_func ("/hearth/collector/version-and-help", test_version_help);

  return g_test_run ();
}
