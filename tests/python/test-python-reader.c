/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hearth-python.h"
#include "python-test-util.h"

/*
 * The Python reader on real processes of Debian's /usr/bin/python3
 * (3.11, stripped): the demo's chain with names, files and lines, thread
 * to TID mapping, a CPU-bound target read while it runs, code objects that
 * die and are replaced, and processes that are not Python.
 */

static HearthTestTarget *
spawn_or_skip (const char * const *args,
               guint               n_args)
{
  const char *python = hearth_test_system_python ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  HearthTestTarget *target;

  if (python == NULL)
    {
      g_test_skip ("/usr/bin/python3 is not installed");
      return NULL;
    }
  g_ptr_array_add (argv, (gpointer) python);
  for (guint i = 0; i < n_args; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  target = hearth_test_target_spawn ((const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return target;
}

static HearthPython *
attach_or_fail (gint32 pid)
{
  g_autoptr(GError) error = NULL;
  HearthPython *py = hearth_python_attach (pid, &error);

  g_assert_no_error (error);
  g_assert_nonnull (py);
  return py;
}

/* Sample until tid's leaf frame is named leaf (or give up after ~5 s). */
static const HearthPyThread *
sample_until_leaf (HearthPython *py,
                   gint32        tid,
                   const char   *leaf)
{
  for (guint attempt = 0; attempt < 500; attempt++)
    {
      g_autoptr(GError) error = NULL;
      GArray *threads = hearth_python_sample (py, &error);
      const HearthPyThread *thread;

      g_assert_no_error (error);
      g_assert_nonnull (threads);
      thread = hearth_python_find_thread (py, tid);
      if (thread != NULL && !thread->partial && thread->frames->len > 0 &&
          g_str_equal (g_array_index (thread->frames, HearthPyFrame, 0).frame.name, leaf))
        return thread;
      g_usleep (10000);
    }
  return NULL;
}

static void
assert_frame (const HearthPyThread *thread,
              guint                 index,
              const char           *name,
              const char           *file,
              guint                 line)
{
  const HearthPyFrame *f;

  g_assert_cmpuint (index, <, thread->frames->len);
  f = &g_array_index (thread->frames, HearthPyFrame, index);
  g_assert_cmpstr (f->frame.name, ==, name);
  g_assert_cmpstr (f->frame.file, ==, file);
  g_assert_cmpuint (f->frame.line, ==, line);
  g_assert_cmpint (f->frame.kind, ==, HEARTH_FRAME_KIND_PYTHON);
}

static void
test_seed_story_chain (void)
{
  g_autofree char *demo = hearth_test_demo_path ("seed_story.py");
  g_autoptr(HearthTestTarget) target = spawn_or_skip ((const char *[]) { demo, "--duration", "30" }, 3);
  HearthPython *py;
  const HearthPyThread *worker, *main_thread;
  gint32 worker_tid, main_tid;

  if (target == NULL)
    return;
  worker_tid = (gint32) hearth_test_target_value (target, "worker_tid");
  main_tid = (gint32) hearth_test_target_value (target, "main_tid");
  g_assert_cmpint (worker_tid, >, 0);
  g_assert_cmpint (main_tid, ==, target->pid);

  py = attach_or_fail (target->pid);
  g_assert_true (g_str_has_prefix (hearth_python_get_version (py), "3.11."));
  g_assert_cmpstr (hearth_python_get_module_path (py), ==, "/usr/bin/python3.11");

  worker = sample_until_leaf (py, worker_tid, "retry_backoff");
  g_assert_nonnull (worker);
  assert_frame (worker, 0, "retry_backoff", demo, hearth_test_marker_line (demo, "sleep"));
  assert_frame (worker, 1, "queue_push", demo, hearth_test_marker_line (demo, "backoff"));
  assert_frame (worker, 2, "update_docs", demo, hearth_test_marker_line (demo, "push"));
  assert_frame (worker, 3, "report_view", demo, hearth_test_marker_line (demo, "update"));
  assert_frame (worker, 4, "worker_main", demo, hearth_test_marker_line (demo, "view"));
  g_assert_cmpuint (g_array_index (worker->frames, HearthPyFrame, 0).frame.function_line, ==,
                    hearth_test_marker_line (demo, "sleep") - 2);
  /* The thread's bootstrap in the standard library, root last, closing
   * the run of the first _PyEval_EvalFrameDefault. */
  {
    const HearthPyFrame *root = &g_array_index (worker->frames, HearthPyFrame, worker->frames->len - 1);

    g_assert_cmpstr (root->frame.name, ==, "Thread._bootstrap");
    g_assert_true (g_str_has_suffix (root->frame.file, "/threading.py"));
    g_assert_cmpuint (root->frame.line, >, 0);
    g_assert_true (root->is_entry);
  }

  main_thread = hearth_python_find_thread (py, main_tid);
  g_assert_nonnull (main_thread);
  g_assert_cmpstr (g_array_index (main_thread->frames, HearthPyFrame, main_thread->frames->len - 1).frame.name,
                   ==, "<module>");
  g_assert_null (hearth_python_find_thread (py, 1));

  hearth_python_free (py);
}

/* Wall-clock view of the worker: it spends most of its time in
 * retry_backoff's sleep, whatever the CPU profile says. */
static void
test_backoff_dominates (void)
{
  g_autofree char *demo = hearth_test_demo_path ("seed_story.py");
  g_autoptr(HearthTestTarget) target = spawn_or_skip ((const char *[]) { demo, "--duration", "30" }, 3);
  HearthPython *py;
  gint32 worker_tid;
  guint n_samples = 0, n_backoff = 0, n_view = 0;

  if (target == NULL)
    return;
  worker_tid = (gint32) hearth_test_target_value (target, "worker_tid");
  py = attach_or_fail (target->pid);

  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(GError) error = NULL;
      const HearthPyThread *worker;

      g_assert_nonnull (hearth_python_sample (py, &error));
      g_assert_no_error (error);
      worker = hearth_python_find_thread (py, worker_tid);
      g_assert_nonnull (worker);
      n_samples++;
      for (guint f = 0; f < worker->frames->len; f++)
        {
          const char *name = g_array_index (worker->frames, HearthPyFrame, f).frame.name;

          if (g_str_equal (name, "retry_backoff"))
            n_backoff++;
          if (g_str_equal (name, "report_view"))
            n_view++;
        }
      g_usleep (10 * 1000);   /* ~99 Hz */
    }

  g_test_message ("retry_backoff in %u of %u worker samples (report_view in %u)",
                  n_backoff, n_samples, n_view);
  g_assert_cmpuint (n_view, >=, n_samples * 95 / 100);
  g_assert_cmpuint (n_backoff, >=, n_samples * 70 / 100);
  hearth_python_free (py);
}

static void
test_threads_map_to_tids (void)
{
  g_autofree char *script = hearth_test_data_path ("py-threads.py");
  g_autoptr(HearthTestTarget) target = spawn_or_skip ((const char *[]) { script, "5", "30" }, 3);
  HearthPython *py;
  guint n_threads = 0;

  if (target == NULL)
    return;
  py = attach_or_fail (target->pid);

  /* Thread k is k+1 calls deep in nest(): the depth proves the mapping. */
  for (guint i = 0; i < target->lines->len; i++)
    {
      const char *line = g_ptr_array_index (target->lines, i);
      guint k;
      gint32 tid;
      const HearthPyThread *thread;
      guint depth = 0;

      if (sscanf (line, "tid %u %d", &k, &tid) != 2)
        continue;
      thread = sample_until_leaf (py, tid, "nest");
      g_assert_nonnull (thread);
      for (guint f = 0; f < thread->frames->len; f++)
        if (g_str_equal (g_array_index (thread->frames, HearthPyFrame, f).frame.name, "nest"))
          depth++;
      g_assert_cmpuint (depth, ==, k + 1);
      g_assert_cmpuint (g_array_index (thread->frames, HearthPyFrame, 0).frame.line, ==,
                        hearth_test_marker_line (script, "nest-sleep"));
      n_threads++;
    }
  g_assert_cmpuint (n_threads, ==, 5);

  /* sample_thread() reads one thread and leaves the others in place. */
  {
    g_autoptr(GError) error = NULL;
    const HearthPyThread *main_thread = hearth_python_sample_thread (py, target->pid, &error);

    g_assert_no_error (error);
    g_assert_nonnull (main_thread);
    g_assert_cmpint (main_thread->tid, ==, target->pid);
    g_assert_cmpuint (main_thread->frames->len, >=, 2);
    g_assert_null (hearth_python_sample_thread (py, 1, &error));
    g_assert_no_error (error);
  }
  hearth_python_free (py);
}

static void
test_not_python (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) sleeper = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sleep", "30", NULL);
  gint32 pid;

  g_assert_no_error (error);
  pid = (gint32) g_ascii_strtoll (g_subprocess_get_identifier (sleeper), NULL, 10);
  /* Give exec a moment so we look at sleep, not at the forked test. */
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *link = g_strdup_printf ("/proc/%d/exe", pid);
      g_autofree char *exe = g_file_read_link (link, NULL);

      if (exe != NULL && g_str_has_suffix (exe, "/sleep"))
        break;
      g_usleep (10000);
    }
  g_assert_null (hearth_python_attach (pid, &error));
  g_assert_no_error (error);

  /* This test program itself. */
  g_assert_null (hearth_python_attach (getpid (), &error));
  g_assert_no_error (error);

  /* A process that does not exist. */
  g_assert_null (hearth_python_attach (G_MAXINT32 - 7, &error));
  g_assert_no_error (error);

  g_subprocess_force_exit (sleeper);
  g_subprocess_wait (sleeper, NULL, NULL);
}

/* Root first: <module> main spin (or a prefix of it), then alpha |
 * beta [gamma] | deep+ [numbers [beta [gamma]]]. */
static gboolean
churn_stack_valid (const HearthPyThread *thread,
                   const char           *script)
{
  static const char * const head[] = { "<module>", "main", "spin" };
  guint n = thread->frames->len;
  guint i = 0;
  const char *name;

#define NAME(k) (g_array_index (thread->frames, HearthPyFrame, n - 1 - (k)).frame.name)
  for (guint f = 0; f < n; f++)
    {
      const HearthPyFrame *frame = &g_array_index (thread->frames, HearthPyFrame, f);

      if (!g_str_equal (frame->frame.file, script) || frame->frame.line < frame->frame.function_line ||
          (frame->frame.line > frame->frame.function_line + 12 &&
           !g_str_equal (frame->frame.name, "<module>")))
        return FALSE;
    }
  /* main may be caught calling spin before spin's frame is linked. */
  if (n == 0)
    return FALSE;
  for (; i < MIN (n, 3); i++)
    if (!g_str_equal (NAME (i), head[i]))
      return FALSE;
  if (i == n)
    return TRUE;
  name = NAME (i);
  if (g_str_equal (name, "alpha"))
    return n == 4;
  if (g_str_equal (name, "deep"))
    {
      while (i < n && g_str_equal (NAME (i), "deep"))
        i++;
      if (i < n && g_str_equal (NAME (i), "numbers"))
        i++;
    }
  if (i < n && g_str_equal (NAME (i), "beta"))
    i++;
  if (i < n && g_str_equal (NAME (i), "gamma"))
    i++;
  return i == n;
#undef NAME
}

/* A CPU-bound target read without stopping it: chains change while they
 * are read, so some reads are partial; none may be wrong. */
static void
test_running_target (void)
{
  g_autofree char *script = hearth_test_data_path ("py-churn.py");
  g_autoptr(HearthTestTarget) target = spawn_or_skip ((const char *[]) { script, "30" }, 2);
  HearthPython *py;
  HearthPyStats stats;
  guint n_valid = 0, n_partial = 0, n_deep = 0, max_depth = 0, n_wrong = 0;
  gint64 deadline;

  if (target == NULL)
    return;
  py = attach_or_fail (target->pid);

  /* At least 2000 reads; on a loaded machine the deep phase may take a
   * while to be caught whole, so keep reading (up to 20 s) until it is. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  for (guint i = 0; i < 2000 || (n_deep == 0 && g_get_monotonic_time () < deadline); i++)
    {
      g_autoptr(GError) error = NULL;
      const HearthPyThread *thread;

      g_assert_nonnull (hearth_python_sample (py, &error));
      g_assert_no_error (error);
      thread = hearth_python_find_thread (py, target->pid);
      g_assert_nonnull (thread);
      if (thread->partial)
        {
          n_partial++;
          continue;
        }
      if (!churn_stack_valid (thread, script))
        {
          /* Known defect (see the issue note): very rarely a torn read of a
           * running target passes the consistency checks. Count it; the
           * assertion below bounds it instead of hiding it. */
          n_wrong++;
          continue;
        }
      n_valid++;
      max_depth = MAX (max_depth, thread->frames->len);
      if (thread->frames->len > 200)
        n_deep++;
    }

  hearth_python_get_stats (py, &stats);
  g_test_message ("%u valid, %u partial, %u deeper than 200 frames (max %u); %" G_GUINT64_FORMAT " retries",
                  n_valid, n_partial, n_deep, max_depth, stats.retries);
  g_test_message ("%u impossible stacks", n_wrong);
  g_assert_cmpuint (n_valid, >=, 1000);
  g_assert_cmpuint (n_wrong * 200, <=, n_valid);
  /* deep(250) needs a second 16 KiB data-stack chunk: frames outside the
   * copied chunk are read one by one. */
  g_assert_cmpuint (n_deep, >, 0);
  hearth_python_free (py);
}

/* Code objects are freed and new ones built, often at the same
 * addresses: the cache must never hand out an old name or line. */
static void
test_code_reuse (void)
{
  g_autofree char *script = hearth_test_data_path ("py-reuse.py");
  g_autoptr(HearthTestTarget) target = spawn_or_skip ((const char *[]) { script, "30" }, 2);
  HearthPython *py;
  HearthPyStats stats;
  gint64 last = -1;
  guint n_seen = 0, n_stages = 0;

  if (target == NULL)
    return;
  py = attach_or_fail (target->pid);

  for (guint i = 0; i < 1500; i++)
    {
      g_autoptr(GError) error = NULL;
      const HearthPyThread *thread;
      const HearthPyFrame *leaf;
      gint64 stage;

      g_assert_nonnull (hearth_python_sample (py, &error));
      thread = hearth_python_find_thread (py, target->pid);
      g_assert_nonnull (thread);
      if (thread->partial || thread->frames->len == 0)
        continue;
      leaf = &g_array_index (thread->frames, HearthPyFrame, 0);
      if (!g_str_has_prefix (leaf->frame.name, "stage_"))
        continue;
      stage = g_ascii_strtoll (leaf->frame.name + strlen ("stage_"), NULL, 10);
      /* Stages only go up, and stage N sleeps on line 3 + N % 7. */
      g_assert_cmpint (stage, >=, last);
      g_assert_cmpstr (leaf->frame.file, ==, "<string>");
      g_assert_cmpuint (leaf->frame.line, ==, 3 + stage % 7);
      if (stage != last)
        n_stages++;
      last = stage;
      n_seen++;
      g_usleep (1000);
    }

  hearth_python_get_stats (py, &stats);
  g_test_message ("%u samples in %u stages; code cache %" G_GUINT64_FORMAT " hits, %" G_GUINT64_FORMAT " misses",
                  n_seen, n_stages, stats.code_hits, stats.code_misses);
  g_assert_cmpuint (n_seen, >=, 300);
  g_assert_cmpuint (n_stages, >=, 50);
  hearth_python_free (py);
}

/* Other CPython builds, when this machine has them (pyenv, or a distro
 * with python3.12/3.13): the same chain through built-in 3.12 offsets and
 * 3.13's _Py_DebugOffsets, and libpython instead of the executable. */
static void
test_other_versions (void)
{
  const char *env = g_getenv ("HEARTH_TEST_PYTHONS");
  g_autoptr(GPtrArray) pythons = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *demo = hearth_test_demo_path ("seed_story.py");
  g_autofree char *pyenv = g_build_filename (g_get_home_dir (), ".pyenv", "versions", NULL);
  g_autoptr(GDir) dir = g_dir_open (pyenv, 0, NULL);
  const char *name;
  guint n_tested = 0;

  if (env != NULL)
    {
      g_auto(GStrv) paths = g_strsplit (env, ":", -1);

      for (guint i = 0; paths[i] != NULL; i++)
        if (*paths[i] != '\0')
          g_ptr_array_add (pythons, g_strdup (paths[i]));
    }
  else
    {
      const char *system[] = { "/usr/bin/python3.12", "/usr/bin/python3.13" };

      for (guint i = 0; i < G_N_ELEMENTS (system); i++)
        if (g_file_test (system[i], G_FILE_TEST_IS_EXECUTABLE))
          g_ptr_array_add (pythons, g_strdup (system[i]));
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (name, "3.12") || g_str_has_prefix (name, "3.13"))
          g_ptr_array_add (pythons, g_build_filename (pyenv, name, "bin", "python3", NULL));
    }

  for (guint p = 0; p < pythons->len; p++)
    {
      const char *python = g_ptr_array_index (pythons, p);
      g_autoptr(HearthTestTarget) target = NULL;
      g_autoptr(GError) error = NULL;
      HearthPython *py;
      const HearthPyThread *worker;

      if (!g_file_test (python, G_FILE_TEST_IS_EXECUTABLE))
        continue;
      target = hearth_test_target_spawn ((const char * const[]) { python, demo, "--duration", "30", NULL },
                                         &error);
      g_assert_no_error (error);
      py = attach_or_fail (target->pid);
      g_test_message ("%s: CPython %s in %s", python, hearth_python_get_version (py),
                      hearth_python_get_module_path (py));
      worker = sample_until_leaf (py, (gint32) hearth_test_target_value (target, "worker_tid"), "retry_backoff");
      g_assert_nonnull (worker);
      assert_frame (worker, 0, "retry_backoff", demo, hearth_test_marker_line (demo, "sleep"));
      assert_frame (worker, 3, "report_view", demo, hearth_test_marker_line (demo, "update"));
      g_assert_true (g_array_index (worker->frames, HearthPyFrame, worker->frames->len - 1).is_entry);
      hearth_python_free (py);
      n_tested++;
    }

  if (n_tested == 0)
    g_test_skip ("no CPython 3.12 or 3.13 here (set HEARTH_TEST_PYTHONS to a list of interpreters)");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/python/reader/seed-story-chain", test_seed_story_chain);
  g_test_add_func ("/hearth/python/reader/backoff-dominates", test_backoff_dominates);
  g_test_add_func ("/hearth/python/reader/threads-map-to-tids", test_threads_map_to_tids);
  g_test_add_func ("/hearth/python/reader/not-python", test_not_python);
  g_test_add_func ("/hearth/python/reader/running-target", test_running_target);
  g_test_add_func ("/hearth/python/reader/code-reuse", test_code_reuse);
  g_test_add_func ("/hearth/python/reader/other-versions", test_other_versions);

  return g_test_run ();
}
