/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector-test-util.h"
#include "hearth-session-store.h"
#include "hearth-stream.h"

/*
 * record and stream are one code path: the same target gives the same
 * threads and stack shapes either way. Also: the process list the GUI's
 * picker reads, a command started by the collector, and the demo.
 */

static const char * const mixed_threads[] = { "busy", "sleeper", "reader", "poller", "waiter" };

static HearthProfile *
stream_for (pid_t  pid,
            double seconds)
{
  g_autofree char *collector = ct_collector_path ();
  g_autofree char *pid_arg = g_strdup_printf ("--pid=%d", (int) pid);
  g_autofree char *duration = g_strdup_printf ("--duration=%d", (int) seconds);
  const char *argv[] = { collector, "stream", pid_arg, duration, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  HearthProfile *profile;

  g_assert_no_error (error);
  profile = hearth_stream_read_all (g_subprocess_get_stdout_pipe (proc), NULL, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait (proc, NULL, NULL);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  return profile;
}

static void
test_stream_equals_record (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hearth-target-XXXXXX", &error);
  g_autofree char *ready = g_build_filename (dir, "ready", NULL);
  g_autoptr(GSubprocess) target = ct_spawn_target ("target-mixed", "--duration", "30", "--ready", ready, NULL);
  pid_t pid;
  g_autoptr(HearthProfile) streamed = NULL;
  g_autoptr(HearthProfile) recorded = NULL;
  g_autoptr(GPtrArray) st = NULL;
  g_autoptr(GPtrArray) rt = NULL;
  g_autofree char *mode_s = NULL, *mode_r = NULL;

  g_assert_true (ct_wait_for_file (ready, 5000));
  pid = atoi (g_subprocess_get_identifier (target));
  streamed = stream_for (pid, 2);
  recorded = ct_record (pid, 2, NULL);
  ct_target_kill (target);
  g_unlink (ready);
  g_rmdir (dir);

  st = ct_profile_threads (streamed);
  rt = ct_profile_threads (recorded);
  g_assert_cmpuint (st->len, ==, rt->len);
  mode_s = hearth_profile_dup_metadata (streamed, "mode");
  mode_r = hearth_profile_dup_metadata (recorded, "mode");
  g_assert_cmpstr (mode_s, ==, mode_r);

  for (guint i = 0; i < G_N_ELEMENTS (mixed_threads); i++)
    {
      CtThread *a = ct_find_thread (st, mixed_threads[i]);
      CtThread *b = ct_find_thread (rt, mixed_threads[i]);

      g_assert_nonnull (a);
      g_assert_nonnull (b);
      if (g_strcmp0 (ct_dominant_stack (a, NULL), ct_dominant_stack (b, NULL)) != 0)
        {
          ct_dump_threads (st, 3);
          ct_dump_threads (rt, 3);
        }
      g_assert_cmpstr (ct_dominant_stack (a, NULL), ==, ct_dominant_stack (b, NULL));
      /* counts vary with the machine's load (a tick waits for a runnable
       * thread to get a CPU): both must have sampled it, no more */
      g_assert_cmpuint (a->n_samples, >=, 10);
      g_assert_cmpuint (b->n_samples, >=, 10);
    }
}

/* The object of one PID in `ps --json` output, as text. */
static char *
json_object_for (const char *json,
                 pid_t       pid)
{
  g_autofree char *key = g_strdup_printf ("{\"pid\": %d,", (int) pid);
  const char *start = strstr (json, key);
  const char *end;

  if (start == NULL || (end = strchr (start, '}')) == NULL)
    return NULL;
  return g_strndup (start, end - start + 1);
}

static void
test_ps_json (void)
{
  g_autoptr(GSubprocess) target = ct_spawn_target ("target-mixed", "--duration", "30", NULL);
  pid_t pid = atoi (g_subprocess_get_identifier (target));
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *object = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");
  int status;

  g_usleep (200 * 1000);
  status = ct_run_collector (&out, &err, "ps", "--json", "--interval=100", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "["));

  object = json_object_for (out, pid);
  g_assert_nonnull (object);
  g_assert_nonnull (strstr (object, "\"name\": \"target-mixed\""));
  g_assert_nonnull (strstr (object, "\"threads\": 6,"));
  g_assert_nonnull (strstr (object, "\"attachable\": true, \"reason\": \"\""));
  g_assert_nonnull (strstr (object, "\"user\": "));
  g_assert_nonnull (strstr (object, "\"cpu_percent\": "));
  g_assert_nonnull (strstr (object, "\"rss_kb\": "));
  g_assert_nonnull (strstr (object, "--duration 30"));

  /* and it is JSON a real parser accepts */
  if (python != NULL)
    {
      const char *argv[] = { python, "-c", "import json,sys; d=json.load(sys.stdin); assert isinstance(d, list) and all('attachable' in p for p in d)", NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) check = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);

      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (check, out, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (check), ==, 0);
    }
  ct_target_kill (target);
}

static void
test_spawn_command (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hearth-collector-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "spawn.profsession", NULL);
  g_autofree char *out_arg = g_strdup_printf ("--output=%s", path);
  g_autofree char *target = ct_target_path ("target-cpu");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  g_autofree char *exit_status = NULL;
  int status;

  status = ct_run_collector (&out, &err, "record", out_arg, "--duration=10", "--",
                             target, "--duration", "1", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Recorded"));
  /* the target's own output still reaches stdout in record mode */
  g_assert_nonnull (strstr (out, "work="));

  profile = hearth_session_load (path, &error);
  g_assert_no_error (error);
  threads = ct_profile_threads (profile);
  g_assert_cmpuint (threads->len, ==, 1);
  g_assert_cmpuint (ct_count_with_chain (g_ptr_array_index (threads, 0), "chain_alpha;chain_beta;chain_gamma"), >=, 30);
  exit_status = hearth_profile_dup_metadata (profile, "exit-status");
  g_assert_cmpstr (exit_status, ==, "0");
  g_unlink (path);
  g_rmdir (dir);
}

/* The done-when of the collector: on the bundled demo, the heaviest
 * wall-clock stack is the retry backoff sleeping. */
static void
test_demo_backoff_dominates (void)
{
  const char *root = g_getenv ("HEARTH_BUILD_ROOT");
  g_autofree char *demo = g_build_filename (root ? root : BUILD_ROOT, "demo", "hearth-demo", NULL);
  const char *argv[] = { demo, "--duration", "20", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GHashTable) merged = g_hash_table_new (g_str_hash, g_str_equal);
  const char *heaviest = NULL;
  gsize heaviest_count = 0;

  g_assert_no_error (error);
  g_usleep (300 * 1000);
  /* a whole backoff phase and a whole render phase */
  profile = ct_record (atoi (g_subprocess_get_identifier (proc)), 8, NULL);
  ct_target_kill (proc);

  threads = ct_profile_threads (profile);
  for (guint i = 0; i < threads->len; i++)
    {
      CtThread *t = g_ptr_array_index (threads, i);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, t->stacks);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gsize n = GPOINTER_TO_SIZE (g_hash_table_lookup (merged, key)) + GPOINTER_TO_SIZE (value);

          g_hash_table_insert (merged, key, GSIZE_TO_POINTER (n));
          if (n > heaviest_count)
            {
              heaviest = key;
              heaviest_count = n;
            }
        }
    }
  if (heaviest == NULL || strstr (heaviest, "report_view;update_docs;queue_push;retry_backoff;nanosleep") == NULL)
    ct_dump_threads (threads, 4);
  g_assert_nonnull (heaviest);
  g_assert_nonnull (strstr (heaviest, "report_view;update_docs;queue_push;retry_backoff;nanosleep"));
  g_assert_true (g_str_has_suffix (heaviest, "clock_nanosleep"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/collector/stream-equals-record", test_stream_equals_record);
  g_test_add_func ("/hearth/collector/ps-json", test_ps_json);
  g_test_add_func ("/hearth/collector/record-command", test_spawn_command);
  g_test_add_func ("/hearth/collector/demo-backoff-dominates", test_demo_backoff_dominates);

  return g_test_run ();
}
