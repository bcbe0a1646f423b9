/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector-test-util.h"

/*
 * What the samples say: known call chains, blocked threads in wall and
 * CPU mode, threads that come and go, a target that exits mid-run.
 */

#define CHAIN_CPU "main;run_loop;chain_alpha;chain_beta;chain_gamma;descend;spin_leaf"

static GSubprocess *
spawn_ready (const char *target,
             char      **ready_path,
             const char *duration)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hearth-target-XXXXXX", &error);
  GSubprocess *proc;

  g_assert_no_error (error);
  *ready_path = g_build_filename (dir, "ready", NULL);
  proc = ct_spawn_target (target, "--duration", duration, "--ready", *ready_path, NULL);
  g_assert_true (ct_wait_for_file (*ready_path, 5000));
  return proc;
}

static void
remove_ready (char *ready_path)
{
  g_autofree char *dir = g_path_get_dirname (ready_path);

  g_unlink (ready_path);
  g_rmdir (dir);
  g_free (ready_path);
}

static void
test_known_chain (void)
{
  char *ready = NULL;
  g_autoptr(GSubprocess) target = spawn_ready ("target-cpu", &ready, "10");
  pid_t pid = atoi (g_subprocess_get_identifier (target));
  g_autoptr(HearthProfile) profile = ct_record (pid, 1.5, NULL);
  g_autoptr(GPtrArray) threads = ct_profile_threads (profile);
  CtThread *main_thread;
  guint64 with_chain;

  ct_target_kill (target);
  remove_ready (ready);

  g_assert_cmpuint (threads->len, ==, 1);
  main_thread = g_ptr_array_index (threads, 0);
  with_chain = ct_count_with_chain (main_thread, CHAIN_CPU);
  if (with_chain * 10 < main_thread->n_samples * 9)
    ct_dump_threads (threads, 5);
  /* 1.5 s at 99 Hz is ~148 samples; allow for a slow, loaded machine */
  g_assert_cmpuint (main_thread->n_samples, >=, 30);
  g_assert_cmpuint (with_chain * 10, >=, main_thread->n_samples * 9);
  g_assert_cmpuint (main_thread->n_running * 10, >=, main_thread->n_samples * 9);
}

typedef struct
{
  const char *thread;
  const char *chain;
} Expect;

static const Expect blocked_threads[] = {
  { "sleeper", "sleeper_main;sleep_wait;nanosleep" },
  { "reader", "reader_main;read_wait;read" },
  { "poller", "poller_main;poll_wait;poll" },
  { "waiter", "waiter_main;cond_wait;pthread_cond_wait" },
};

static void
test_wall_mode (void)
{
  char *ready = NULL;
  g_autoptr(GSubprocess) target = spawn_ready ("target-mixed", &ready, "20");
  pid_t pid = atoi (g_subprocess_get_identifier (target));
  g_autoptr(HearthProfile) profile = ct_record (pid, 2.0, "--mode=wall", NULL);
  g_autoptr(GPtrArray) threads = ct_profile_threads (profile);
  CtThread *busy;
  gboolean dumped = FALSE;

  ct_target_kill (target);
  remove_ready (ready);

  for (guint i = 0; i < G_N_ELEMENTS (blocked_threads); i++)
    {
      CtThread *t = ct_find_thread (threads, blocked_threads[i].thread);
      guint64 n;

      g_assert_nonnull (t);
      n = ct_count_with_chain (t, blocked_threads[i].chain);
      if (n * 10 < t->n_samples * 9 && !dumped)
        {
          ct_dump_threads (threads, 4);
          dumped = TRUE;
        }
      /* wall mode samples a blocked thread as often as any other, and
       * names what it blocks in */
      g_assert_cmpuint (t->n_samples, >=, 80);
      g_assert_cmpuint (n * 10, >=, t->n_samples * 9);
    }
  busy = ct_find_thread (threads, "busy");
  g_assert_nonnull (busy);
  g_assert_cmpuint (ct_count_with_chain (busy, "busy_main;busy_work;busy_leaf") * 10, >=, busy->n_samples * 9);
}

static void
test_cpu_mode (void)
{
  char *ready = NULL;
  g_autoptr(GSubprocess) target = spawn_ready ("target-mixed", &ready, "20");
  pid_t pid = atoi (g_subprocess_get_identifier (target));
  g_autoptr(HearthProfile) profile = ct_record (pid, 2.0, "--mode=cpu", NULL);
  g_autoptr(GPtrArray) threads = ct_profile_threads (profile);
  CtThread *busy;

  ct_target_kill (target);
  remove_ready (ready);

  busy = ct_find_thread (threads, "busy");
  g_assert_nonnull (busy);
  g_assert_cmpuint (busy->n_samples, >=, 60);
  g_assert_cmpuint (ct_count_with_chain (busy, "busy_main;busy_work;busy_leaf") * 10, >=, busy->n_samples * 9);

  /* CPU mode leaves sleeping threads out: every sample is of a running
   * thread, and the sleepers are caught only when they happen to be
   * runnable at a tick (after a wake-up, longer on a loaded machine) */
  for (guint i = 0; i < threads->len; i++)
    {
      CtThread *t = g_ptr_array_index (threads, i);

      /* Known defect (see the issue note): a thread that goes to sleep
       * between the tick's state read and its sample can, rarely, be
       * recorded with its new state. */
      g_assert_cmpuint (t->n_running + 1, >=, t->n_samples);
    }
  for (guint i = 0; i < G_N_ELEMENTS (blocked_threads); i++)
    {
      CtThread *t = ct_find_thread (threads, blocked_threads[i].thread);
      guint64 n = t != NULL ? t->n_samples : 0;

      g_assert_cmpuint (n * 3, <=, busy->n_samples);
    }
}

static pid_t
find_tid (pid_t       pid,
          const char *name)
{
  g_autofree char *task_dir = g_strdup_printf ("/proc/%d/task", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (task_dir, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s/comm", task_dir, entry);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (path, &comm, NULL, NULL) && g_strcmp0 (g_strstrip (comm), name) == 0)
        return atoi (entry);
    }
  return 0;
}

static void
test_threads_option (void)
{
  char *ready = NULL;
  g_autoptr(GSubprocess) target = spawn_ready ("target-mixed", &ready, "20");
  pid_t pid = atoi (g_subprocess_get_identifier (target));
  pid_t sleeper = find_tid (pid, "sleeper");
  pid_t poller = find_tid (pid, "poller");
  g_autofree char *arg = g_strdup_printf ("--threads=%d,%d", (int) sleeper, (int) poller);
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GPtrArray) threads = NULL;

  g_assert_cmpint (sleeper, >, 0);
  g_assert_cmpint (poller, >, 0);
  profile = ct_record (pid, 1.0, arg, NULL);
  threads = ct_profile_threads (profile);
  ct_target_kill (target);
  remove_ready (ready);

  g_assert_cmpuint (threads->len, ==, 2);
  g_assert_nonnull (ct_find_thread (threads, "sleeper"));
  g_assert_nonnull (ct_find_thread (threads, "poller"));
  g_assert_cmpuint (ct_find_thread (threads, "sleeper")->n_samples, >=, 40);
}

static void
test_thread_churn (void)
{
  g_autoptr(GSubprocess) target = ct_spawn_target ("target-churn", "--duration", "10", NULL);
  pid_t pid = atoi (g_subprocess_get_identifier (target));
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  guint churn_threads = 0;
  guint64 churn_samples = 0;
  CtThread *steady;

  g_usleep (100 * 1000);
  profile = ct_record (pid, 2.0, NULL);
  threads = ct_profile_threads (profile);
  ct_target_kill (target);

  for (guint i = 0; i < threads->len; i++)
    {
      CtThread *t = g_ptr_array_index (threads, i);

      if (g_strcmp0 (t->name, "churn") == 0 && t->n_samples > 0)
        {
          churn_threads++;
          churn_samples += ct_count_with_chain (t, "churn_main;churn_work");
        }
    }
  /* a new thread every 5 ms living ~30 ms: many were created and sampled
   * during the recording, each under its own TID */
  g_assert_cmpuint (churn_threads, >=, 20);
  g_assert_cmpuint (churn_samples, >=, churn_threads);
  steady = ct_find_thread (threads, "steady");
  g_assert_nonnull (steady);
  g_assert_cmpuint (steady->n_samples, >=, 80);
}

static void
test_target_exits (void)
{
  g_autoptr(GSubprocess) target = ct_spawn_target ("target-cpu", "--duration", "2", NULL);
  pid_t pid = atoi (g_subprocess_get_identifier (target));
  g_autoptr(HearthProfile) profile = NULL;
  g_autofree char *status = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean marker = FALSE;

  /* record asks for 10 s; the target is gone after 2 */
  profile = ct_record (pid, 10.0, NULL);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 6 * G_USEC_PER_SEC);
  g_free (ct_target_finish (target));

  for (guint i = 0; i < hearth_profile_get_n_markers (profile); i++)
    {
      HearthMarker m;

      hearth_profile_get_marker (profile, i, &m);
      if (g_strcmp0 (hearth_profile_get_string (profile, m.kind), "process-exited") == 0)
        marker = TRUE;
    }
  g_assert_true (marker);
  g_assert_cmpuint (hearth_profile_get_n_samples (profile), >=, 1);
  g_assert_cmpint (hearth_profile_get_duration_ns (profile), <, 4 * G_GINT64_CONSTANT (1000000000));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/collector/known-chain", test_known_chain);
  g_test_add_func ("/hearth/collector/wall-mode-blocked-threads", test_wall_mode);
  g_test_add_func ("/hearth/collector/cpu-mode-running-only", test_cpu_mode);
  g_test_add_func ("/hearth/collector/threads-option", test_threads_option);
  g_test_add_func ("/hearth/collector/thread-churn", test_thread_churn);
  g_test_add_func ("/hearth/collector/target-exits-mid-run", test_target_exits);

  return g_test_run ();
}
