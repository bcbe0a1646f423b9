/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "hearth-error.h"
#include "hearth-session-store.h"
#include "store-test-util.h"

/*
 * Crash safety with a real process: this program re-executes itself in
 * "writer" mode (argv[1] == --writer PATH). The writer records a
 * deterministic session, syncing continuously, and after every sync
 * prints "synced N" (N = samples committed). The parent reads those
 * lines, SIGKILLs the writer at a random moment (usually in the middle of
 * writing the next transaction) and checks that the file opens read-only
 * and holds at least everything reported as synced, exactly as written.
 */

#define N_THREADS        4
#define PER_SYNC         2500   /* samples per thread between syncs */

/* Sample i of thread t, as the writer makes it and the parent checks it. */
static void
expected_sample (guint    t,
                 guint64  i,
                 guint32  n_stacks,
                 HearthSample *s)
{
  s->time_ns = (gint64) i * 1000000 + t * 1000;
  s->stack = (guint32) ((i * 7 + t) % n_stacks);
  s->weight = i % 13 == 0 ? 3 : 1;
  s->state = (i / 5) % HEARTH_N_THREAD_STATES;
}

static HearthProfile *
writer_profile (void)
{
  HearthProfile *profile = hearth_profile_new ();
  guint32 frames[8];

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autofree char *name = g_strdup_printf ("function_%u", i);

      frames[i] = util_frame (profile, name, "/usr/bin/target", "target.c", i * 10, 0x1000 + i, HEARTH_FRAME_KIND_NATIVE);
    }
  /* 8 + 64 stacks: depth 1 and 2 over the frames */
  for (guint i = 0; i < 8; i++)
    {
      guint32 root = hearth_profile_intern_stack (profile, HEARTH_NO_ID, frames[i]);

      for (guint j = 0; j < 8; j++)
        hearth_profile_intern_stack (profile, root, frames[j]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    {
      g_autofree char *name = g_strdup_printf ("worker-%u", t);

      hearth_profile_add_thread (profile, 4242, 4242 + t, name);
    }
  hearth_profile_set_metadata (profile, "command-line", "crash test writer");
  return profile;
}

/* Child mode: write forever (until killed). */
static int
run_writer (const char *path,
            gboolean    sync_at_all)
{
  g_autoptr(HearthProfile) profile = writer_profile ();
  g_autoptr(HearthSessionWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  guint32 n_stacks = hearth_profile_get_n_stacks (profile);
  g_autofree HearthSample *batch = g_new (HearthSample, PER_SYNC);

  writer = hearth_session_writer_new (profile, path, &error);
  if (writer == NULL)
    {
      fprintf (stderr, "writer: %s\n", error->message);
      return 1;
    }
  printf ("created\n");
  fflush (stdout);

  for (guint64 round = 0;; round++)
    {
      for (guint t = 0; t < N_THREADS; t++)
        {
          for (guint k = 0; k < PER_SYNC; k++)
            expected_sample (t, round * PER_SYNC + k, n_stacks, &batch[k]);
          hearth_profile_append_samples (profile, t, batch, PER_SYNC);
        }
      if (round % 10 == 0)
        {
          g_autofree char *text = g_strdup_printf ("round %" G_GUINT64_FORMAT, round);

          hearth_profile_add_marker (profile, (gint64) round * PER_SYNC * 1000000,
                                     (gint64) round * PER_SYNC * 1000000, "checkpoint", text);
        }
      if (!sync_at_all)
        {
          g_usleep (1000);
          continue;
        }
      if (!hearth_session_writer_sync (writer, &error))
        {
          fprintf (stderr, "writer: %s\n", error->message);
          return 1;
        }
      printf ("synced %" G_GUINT64_FORMAT "\n", hearth_profile_get_n_samples (profile));
      fflush (stdout);
    }
}

typedef struct
{
  GSubprocess      *child;
  GDataInputStream *lines;
} Writer;

static void
writer_start (Writer     *w,
              const char *path,
              const char *mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);

  g_assert_no_error (error);
  w->child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                               self_exe, mode, path, NULL);
  g_assert_no_error (error);
  w->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (w->child));
}

static char *
writer_read_line (Writer *w)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line (w->lines, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

static void
writer_kill (Writer *w)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_force_exit (w->child);   /* SIGKILL */
  g_subprocess_wait (w->child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (w->child));
  g_assert_cmpint (g_subprocess_get_term_sig (w->child), ==, SIGKILL);
  g_clear_object (&w->lines);
  g_clear_object (&w->child);
}

/* Every loaded sample is exactly what the writer wrote, and each thread
 * holds a prefix of its sequence at least `synced` samples long overall. */
static void
check_file (const char *path,
            guint64     synced)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthProfile) loaded = hearth_session_load (path, &error);
  g_autoptr(HearthProfile) reference = writer_profile ();
  guint32 n_stacks = hearth_profile_get_n_stacks (reference);
  g_autoptr(GPtrArray) loaded_text = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) reference_text = g_ptr_array_new_with_free_func (g_free);
  guint64 total = 0;

  g_assert_no_error (error);
  /* compare stacks by content, through texts built once per stack */
  for (guint32 i = 0; i < hearth_profile_get_n_stacks (loaded); i++)
    g_ptr_array_add (loaded_text, util_stack_text (loaded, i));
  for (guint32 i = 0; i < n_stacks; i++)
    g_ptr_array_add (reference_text, util_stack_text (reference, i));
  g_assert_cmpuint (hearth_profile_get_n_threads (loaded), ==, N_THREADS);
  g_assert_cmpuint (hearth_profile_get_n_stacks (loaded), ==, n_stacks);

  for (guint t = 0; t < N_THREADS; t++)
    {
      guint64 n = hearth_profile_get_n_thread_samples (loaded, t);
      HearthSample buf[512];

      /* syncs commit all threads together */
      g_assert_cmpuint (n, ==, hearth_profile_get_n_thread_samples (loaded, 0));
      for (guint64 i = 0; i < n;)
        {
          guint got = hearth_profile_read_thread_samples (loaded, t, i, buf, G_N_ELEMENTS (buf));

          for (guint k = 0; k < got; k++)
            {
              HearthSample want;

              expected_sample (t, i + k, n_stacks, &want);
              g_assert_cmpint (buf[k].time_ns, ==, want.time_ns);
              g_assert_cmpuint (buf[k].weight, ==, want.weight);
              g_assert_cmpuint (buf[k].state, ==, want.state);
              g_assert_cmpuint (buf[k].stack, <, loaded_text->len);
              g_assert_cmpstr (g_ptr_array_index (loaded_text, buf[k].stack), ==,
                               g_ptr_array_index (reference_text, want.stack));
            }
          i += got;
        }
      total += n;
    }

  g_test_message ("reported synced %" G_GUINT64_FORMAT ", file holds %" G_GUINT64_FORMAT, synced, total);
  g_assert_cmpuint (total, >=, synced);
  util_assert_profile_sane (loaded);
}

static guint32
test_seed (void)
{
  const char *env = g_getenv ("HEARTH_TEST_SEED");
  guint32 seed = env != NULL ? (guint32) g_ascii_strtoull (env, NULL, 10) : 20240601;

  g_test_message ("seed %u (set HEARTH_TEST_SEED to replay)", seed);
  return seed;
}

static void
test_sigkill_mid_write (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hearth-crash-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "crash.profsession", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GRand *rand = g_rand_new_with_seed (test_seed ());

  g_assert_no_error (error);

  for (guint round = 0; round < 6; round++)
    {
      Writer w = { 0 };
      guint64 synced = 0;
      guint n_lines = g_rand_int_range (rand, 2, 12);
      g_autofree char *created = NULL;

      writer_start (&w, path, "--writer");
      created = writer_read_line (&w);
      g_assert_cmpstr (created, ==, "created");
      for (guint i = 0; i < n_lines; i++)
        {
          g_autofree char *line = writer_read_line (&w);

          g_assert_true (g_str_has_prefix (line, "synced "));
          synced = g_ascii_strtoull (line + 7, NULL, 10);
        }
      /* a random moment inside the following syncs */
      g_usleep (g_rand_int_range (rand, 0, 20000));
      writer_kill (&w);

      /* the killed writer left its WAL behind; it must still be read */
      g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
      check_file (path, synced);
      /* and reading is repeatable (recovery did not damage anything) */
      check_file (path, synced);
    }

  g_rand_free (rand);
  util_rm_rf (dir);
}

/* Killed right after creating the file, before any sync: it opens, empty. */
static void
test_sigkill_before_sync (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hearth-crash-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "crash.profsession", NULL);
  g_autoptr(HearthProfile) loaded = NULL;
  g_autofree char *created = NULL;
  Writer w = { 0 };

  writer_start (&w, path, "--writer-nosync");
  created = writer_read_line (&w);
  g_assert_cmpstr (created, ==, "created");
  writer_kill (&w);

  loaded = hearth_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hearth_profile_get_n_samples (loaded), ==, 0);
  util_rm_rf (dir);
}

/* After a crash the -shm index may be gone (cleaned up, copied without
 * it): the WAL alone is enough. */
static void
test_sigkill_without_shm (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hearth-crash-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "crash.profsession", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  Writer w = { 0 };
  guint64 synced = 0;

  writer_start (&w, path, "--writer");
  g_free (writer_read_line (&w));
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *line = writer_read_line (&w);

      synced = g_ascii_strtoull (line + 7, NULL, 10);
    }
  writer_kill (&w);

  g_assert_cmpint (g_unlink (shm), ==, 0);
  check_file (path, synced);
  util_rm_rf (dir);
}

/* Readers open the file again and again while the writer is committing:
 * each load sees one consistent snapshot. */
static void
test_load_while_writing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hearth-crash-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "live.profsession", NULL);
  Writer w = { 0 };
  guint64 last = 0;

  writer_start (&w, path, "--writer");
  g_free (writer_read_line (&w));
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *line = writer_read_line (&w);
      guint64 synced = g_ascii_strtoull (line + 7, NULL, 10);
      g_autoptr(HearthProfile) loaded = hearth_session_load (path, &error);

      g_assert_no_error (error);
      util_assert_profile_sane (loaded);
      /* whole syncs only: every thread has the same count */
      for (guint t = 1; t < N_THREADS; t++)
        g_assert_cmpuint (hearth_profile_get_n_thread_samples (loaded, t), ==,
                          hearth_profile_get_n_thread_samples (loaded, 0));
      g_assert_cmpuint (hearth_profile_get_n_samples (loaded), >=, synced);
      g_assert_cmpuint (hearth_profile_get_n_samples (loaded), >=, last);
      last = hearth_profile_get_n_samples (loaded);
    }
  writer_kill (&w);
  util_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_strcmp0 (argv[1], "--writer") == 0)
    return run_writer (argv[2], TRUE);
  if (argc == 3 && g_strcmp0 (argv[1], "--writer-nosync") == 0)
    return run_writer (argv[2], FALSE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/store/crash/sigkill-mid-write", test_sigkill_mid_write);
  g_test_add_func ("/hearth/store/crash/sigkill-before-first-sync", test_sigkill_before_sync);
  g_test_add_func ("/hearth/store/crash/sigkill-without-shm", test_sigkill_without_shm);
  g_test_add_func ("/hearth/store/crash/load-while-writing", test_load_while_writing);

  return g_test_run ();
}
