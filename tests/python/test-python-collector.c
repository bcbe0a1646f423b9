/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "hearth-folded.h"
#include "hearth-session-store.h"
#include "hearth-stream.h"
#include "python-test-util.h"

/*
 * Python stacks end to end: hearth-collector (from HEARTH_BUILD_ROOT)
 * records the demo, the session is loaded with libhearth-core, and the
 * merged stacks are checked as a user would see them: the heaviest
 * wall-clock stack of a thread, its frames' kinds, files and lines.
 */

typedef struct
{
  char *dir;
  char *session;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("hearth-python-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = g_build_filename (f->dir, "python.profsession", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->session);
  g_free (f->dir);
}

static char *
collector_path (void)
{
  const char *root = g_getenv ("HEARTH_BUILD_ROOT");
  char *path = g_build_filename (root ? root : BUILD_ROOT, "src", "collector", "hearth-collector", NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_clear_pointer (&path, g_free);
  return path;
}

static gboolean
can_run (char       **collector,
         const char **python)
{
  *python = hearth_test_system_python ();
  *collector = collector_path ();
  if (*python == NULL)
    g_test_skip ("/usr/bin/python3 is not installed");
  else if (*collector == NULL)
    g_test_skip ("hearth-collector is not built (-Dcollector=false)");
  return *python != NULL && *collector != NULL;
}

static HearthProfile *
record (const char *collector,
        gint32      pid,
        const char *session,
        const char *extra_flag,
        const char *rate)
{
  g_autofree char *pid_text = g_strdup_printf ("%d", pid);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { collector, "record", "--pid", pid_text, "--duration", "3", "--rate", rate,
                         "-o", session, extra_flag, NULL };
  int status = 0;
  HearthProfile *profile;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);

  profile = hearth_session_load (session, &error);
  g_assert_no_error (error);
  return profile;
}

static guint32
thread_index (HearthProfile *profile,
              gint32         tid)
{
  for (guint i = 0; i < hearth_profile_get_n_threads (profile); i++)
    {
      HearthThread thread;

      g_assert_true (hearth_profile_get_thread (profile, i, &thread));
      if (thread.tid == tid)
        return i;
    }
  g_error ("thread %d was not recorded", tid);
  return HEARTH_NO_ID;
}

typedef struct
{
  const char *name;
  const char *file;
  guint32     line;
  guint32     kind;
} Frame;

/* The heaviest stack of one thread, root first; *share = its weight over
 * the thread's total. */
static GArray *
heaviest_stack (HearthProfile *profile,
                guint32        thread,
                double        *share)
{
  HearthSelection selection = { 0 };
  guint n_stacks = hearth_profile_get_n_stacks (profile);
  g_autofree guint64 *counts = g_new0 (guint64, n_stacks);
  GArray *frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  guint64 total;
  guint32 best = HEARTH_NO_ID;

  selection.threads = &thread;
  selection.n_threads = 1;
  total = hearth_profile_accumulate_stacks (profile, &selection, counts, n_stacks);
  for (guint32 s = 0; s < n_stacks; s++)
    if (counts[s] > 0 && (best == HEARTH_NO_ID || counts[s] > counts[best]))
      best = s;
  g_assert_cmpuint (best, !=, HEARTH_NO_ID);
  *share = (double) counts[best] / MAX (total, 1);

  for (guint32 s = best; s != HEARTH_NO_ID;)
    {
      HearthStack stack;
      HearthFrame frame;
      HearthFunction function;
      Frame f;

      g_assert_true (hearth_profile_get_stack (profile, s, &stack));
      g_assert_true (hearth_profile_get_frame (profile, stack.frame, &frame));
      g_assert_true (hearth_profile_get_function (profile, frame.function, &function));
      f.name = hearth_profile_get_string (profile, function.name);
      f.file = hearth_profile_get_string (profile, function.file);
      f.line = frame.line;
      f.kind = function.kind;
      g_array_prepend_val (frames, f);
      s = stack.parent;
    }
  return frames;
}

static char *
stack_text (GArray *frames)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < frames->len; i++)
    {
      const Frame *f = &g_array_index (frames, Frame, i);

      g_string_append_printf (s, "%s%s", i ? ";" : "", f->name);
      if (f->kind == HEARTH_FRAME_KIND_PYTHON)
        g_string_append_printf (s, " (%s:%u)", f->file, f->line);
    }
  return g_string_free (s, FALSE);
}

static gint
find_frame (GArray     *frames,
            const char *name)
{
  for (guint i = 0; i < frames->len; i++)
    if (g_str_equal (g_array_index (frames, Frame, i).name, name))
      return (gint) i;
  return -1;
}

/* report_view → update_docs → queue_push → retry_backoff as Python frames
 * with the demo's file and lines; returns the index of retry_backoff. */
static gint
assert_seed_chain (GArray     *frames,
                   const char *demo)
{
  static const struct { const char *name, *marker; } chain[] = {
    { "report_view", "update" }, { "update_docs", "push" },
    { "queue_push", "backoff" }, { "retry_backoff", "sleep" },
  };
  gint at = find_frame (frames, "report_view");

  g_assert_cmpint (at, >=, 0);
  g_assert_cmpuint (at + G_N_ELEMENTS (chain), <=, frames->len);
  for (guint i = 0; i < G_N_ELEMENTS (chain); i++)
    {
      const Frame *f = &g_array_index (frames, Frame, at + i);

      g_assert_cmpstr (f->name, ==, chain[i].name);
      g_assert_cmpint (f->kind, ==, HEARTH_FRAME_KIND_PYTHON);
      g_assert_cmpstr (f->file, ==, demo);
      g_assert_cmpuint (f->line, ==, hearth_test_marker_line (demo, chain[i].marker));
    }
  return at + G_N_ELEMENTS (chain) - 1;
}

static void
assert_python_frames_located (GArray *frames)
{
  for (guint i = 0; i < frames->len; i++)
    {
      const Frame *f = &g_array_index (frames, Frame, i);

      g_assert_false (g_str_has_prefix (f->name, "_PyEval_EvalFrameDefault"));
      if (f->kind == HEARTH_FRAME_KIND_PYTHON)
        {
          g_assert_cmpstr (f->file, !=, "");
          g_assert_cmpuint (f->line, >, 0);
        }
    }
}

/* Below retry_backoff: time.sleep's C code (unnamed in Debian's stripped
 * python3.11, "python3.11+0x…") and then libc's clock_nanosleep. */
static void
assert_sleep_leaf (GArray *frames,
                   gint    backoff)
{
  gint sleep = -1;

  for (guint i = backoff + 1; i < frames->len; i++)
    if (g_str_equal (g_array_index (frames, Frame, i).name, "clock_nanosleep") &&
        g_array_index (frames, Frame, i).kind == HEARTH_FRAME_KIND_NATIVE)
      sleep = (gint) i;
  g_assert_cmpint (sleep, >, backoff);
  for (gint i = backoff + 1; i < sleep; i++)
    g_assert_cmpint (g_array_index (frames, Frame, i).kind, ==, HEARTH_FRAME_KIND_NATIVE);
}

static void
test_seed_story_merged (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *collector = NULL;
  const char *python;
  g_autofree char *demo = hearth_test_demo_path ("seed_story.py");
  g_autoptr(HearthTestTarget) target = NULL;
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GArray) frames = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *version = NULL;
  double share;
  gint backoff, root_python;

  if (!can_run (&collector, &python))
    return;
  target = hearth_test_target_spawn ((const char * const[]) { python, demo, "--duration", "30", NULL }, &error);
  g_assert_no_error (error);

  profile = record (collector, target->pid, f->session, NULL, "99");
  version = hearth_profile_dup_metadata (profile, "python-version");
  g_assert_true (version != NULL && g_str_has_prefix (version, "3.11."));

  frames = heaviest_stack (profile, thread_index (profile, (gint32) hearth_test_target_value (target, "worker_tid")),
                           &share);
  text = stack_text (frames);
  g_test_message ("worker, %.0f%% of samples: %s", share * 100, text);

  /* Merged: native frames above (the thread start) and below (the sleep)
   * stay, the eval loop is replaced by the Python frames it runs. */
  backoff = assert_seed_chain (frames, demo);
  assert_sleep_leaf (frames, backoff);
  assert_python_frames_located (frames);
  root_python = find_frame (frames, "Thread._bootstrap");
  g_assert_cmpint (root_python, >, 0);
  g_assert_cmpint (find_frame (frames, "start_thread"), >=, 0);
  g_assert_cmpint (find_frame (frames, "start_thread"), <, root_python);
  g_assert_cmpfloat (share, >=, 0.5);
}

static void
test_python_only (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *collector = NULL;
  const char *python;
  g_autofree char *demo = hearth_test_demo_path ("seed_story.py");
  g_autoptr(HearthTestTarget) target = NULL;
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GArray) frames = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *mode = NULL;
  guint32 worker;
  double share;
  gint backoff;

  if (!can_run (&collector, &python))
    return;
  target = hearth_test_target_spawn ((const char * const[]) { python, demo, "--duration", "30", NULL }, &error);
  g_assert_no_error (error);

  profile = record (collector, target->pid, f->session, "--python-only", "500");
  mode = hearth_profile_dup_metadata (profile, "python-only");
  g_assert_cmpstr (mode, ==, "true");
  worker = thread_index (profile, (gint32) hearth_test_target_value (target, "worker_tid"));
  /* no ptrace stops, so a high rate is fine: 3 s at 500 Hz */
  g_assert_cmpuint (hearth_profile_get_n_thread_samples (profile, worker), >=, 600);

  frames = heaviest_stack (profile, worker, &share);
  text = stack_text (frames);
  g_test_message ("worker, %.0f%% of samples: %s", share * 100, text);
  g_assert_cmpstr (g_array_index (frames, Frame, 0).name, ==, "Thread._bootstrap");
  backoff = assert_seed_chain (frames, demo);
  assert_sleep_leaf (frames, backoff);
  assert_python_frames_located (frames);
  g_assert_cmpint (find_frame (frames, "start_thread"), <, 0);
}

static void
test_flask (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *collector = NULL;
  const char *python;
  g_autofree char *demo = hearth_test_demo_path ("seed_story_flask.py");
  g_autofree char *story = hearth_test_demo_path ("seed_story.py");
  g_autoptr(HearthTestTarget) target = NULL;
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GArray) frames = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  HearthSelection selection = { 0 };
  g_autoptr(GString) folded = NULL;
  guint32 server;
  double share;
  gint backoff, endpoint;

  if (!can_run (&collector, &python))
    return;
  if (!g_file_test ("/usr/lib/python3/dist-packages/flask/__init__.py", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("python3-flask is not installed");
      return;
    }
  target = hearth_test_target_spawn ((const char * const[]) { python, demo, "--duration", "30", NULL }, &error);
  g_assert_no_error (error);

  profile = record (collector, target->pid, f->session, NULL, "99");
  server = thread_index (profile, (gint32) hearth_test_target_value (target, "server_tid"));
  frames = heaviest_stack (profile, server, &share);
  text = stack_text (frames);
  g_test_message ("server thread, %.0f%% of samples: %s", share * 100, text);

  /* The endpoint, then the story's chain down to the sleep. */
  endpoint = find_frame (frames, "report");
  g_assert_cmpint (endpoint, >=, 0);
  g_assert_cmpstr (g_array_index (frames, Frame, endpoint).file, ==, demo);
  g_assert_cmpuint (g_array_index (frames, Frame, endpoint).line, ==, hearth_test_marker_line (demo, "endpoint"));
  g_assert_cmpint (find_frame (frames, "Flask.dispatch_request"), >=, 0);
  g_assert_cmpint (find_frame (frames, "Flask.dispatch_request"), <, endpoint);
  backoff = assert_seed_chain (frames, story);
  g_assert_cmpint (backoff, >, endpoint);
  assert_sleep_leaf (frames, backoff);
  assert_python_frames_located (frames);

  /* The same stack as a user exports it: folded text with file:line. */
  selection.threads = &server;
  selection.n_threads = 1;
  folded = hearth_folded_export (profile, &selection);
  {
    g_autofree char *needle = g_strdup_printf ("retry_backoff (%s:%u);", story,
                                               hearth_test_marker_line (story, "sleep"));

    g_assert_nonnull (strstr (folded->str, needle));
  }
}

static void
stream_error_cb (HearthStreamDecoder *decoder,
                 gboolean             fatal,
                 const char          *message,
                 GPtrArray           *messages)
{
  g_ptr_array_add (messages, g_strdup_printf ("%s%s", fatal ? "fatal: " : "", message));
}

/* An interpreter the reader cannot read: the collector says so once, in
 * the stream, and samples native stacks. */
static void
test_unsupported_warning (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *collector = collector_path ();
  g_autoptr(HearthTestTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) stream = NULL;
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_autoptr(HearthStreamDecoder) decoder = hearth_stream_decoder_new (profile);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *pid = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  gsize size;
  const guint8 *data_bytes;

  if (collector == NULL)
    {
      g_test_skip ("hearth-collector is not built (-Dcollector=false)");
      return;
    }
  target = hearth_test_target_spawn ((const char * const[]) { FAKE_PYTHON, "version", "030A0DF0", NULL }, &error);
  g_assert_no_error (error);
  pid = g_strdup_printf ("%d", target->pid);

  stream = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, collector, "stream", "--pid", pid,
                             "--duration", "1", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (stream, NULL, NULL, &bytes, NULL, &error));
  g_assert_no_error (error);

  g_signal_connect (decoder, "error", G_CALLBACK (stream_error_cb), warnings);
  data_bytes = g_bytes_get_data (bytes, &size);
  g_assert_true (hearth_stream_decoder_feed (decoder, data_bytes, size, &error));
  g_assert_no_error (error);

  g_assert_true (hearth_stream_decoder_finish (decoder, &error));
  g_assert_no_error (error);

  /* One warning, not fatal, saying what and why. */
  g_assert_cmpuint (warnings->len, ==, 1);
  g_test_message ("%s", (const char *) g_ptr_array_index (warnings, 0));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0), "Process "));
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "version 3.10.13"));
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "native stacks only"));

  /* … and the native stacks came. */
  g_assert_cmpuint (hearth_profile_get_n_samples (profile), >, 50);
  {
    HearthSelection all = { 0 };
    g_autoptr(GString) folded = hearth_folded_export (profile, &all);

    g_assert_nonnull (strstr (folded->str, ";main;"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/hearth/python/collector/seed-story-merged", Fixture, NULL,
              fixture_setup, test_seed_story_merged, fixture_teardown);
  g_test_add ("/hearth/python/collector/python-only", Fixture, NULL,
              fixture_setup, test_python_only, fixture_teardown);
  g_test_add ("/hearth/python/collector/flask", Fixture, NULL,
              fixture_setup, test_flask, fixture_teardown);
  g_test_add ("/hearth/python/collector/unsupported-warning", Fixture, NULL,
              fixture_setup, test_unsupported_warning, fixture_teardown);

  return g_test_run ();
}
