/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "hearth-python.h"
#include "python-test-util.h"

/*
 * Interpreters the reader cannot read must give one clear error (the
 * sampler warns once and goes on with native stacks), never garbage.
 *
 * How: fake-python is a small C program that exports _PyRuntime and
 * Py_Version the way a real CPython does, with the version (or 3.13+
 * debug-offsets header) given on its command line, so every unsupported
 * case runs as a real process. A real CPython 3.10 is used too when the
 * machine has one.
 */

static void
expect_unsupported (const char * const *argv,
                    const char         *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthTestTarget) target = hearth_test_target_spawn (argv, &error);
  g_autofree char *pid = NULL;

  g_assert_no_error (error);
  g_assert_null (hearth_python_attach (target->pid, &error));
  g_assert_error (error, HEARTH_PYTHON_ERROR, HEARTH_PYTHON_ERROR_UNSUPPORTED);
  g_test_message ("%s", error->message);
  pid = g_strdup_printf ("Process %d ", target->pid);
  g_assert_true (g_str_has_prefix (error->message, pid));
  g_assert_nonnull (strstr (error->message, argv[0]));
  g_assert_nonnull (strstr (error->message, what));
  g_assert_nonnull (strstr (error->message, "native stacks only"));
}

static void
test_too_old (void)
{
  expect_unsupported ((const char * const[]) { FAKE_PYTHON, "version", "030A0DF0", NULL },
                      "version 3.10.13 has no offset table");
}

static void
test_too_new (void)
{
  expect_unsupported ((const char * const[]) { FAKE_PYTHON, "debug", "030E00F0", NULL },
                      "version 3.14.0 is not supported yet");
  expect_unsupported ((const char * const[]) { FAKE_PYTHON, "version", "040000A1", NULL },
                      "version 4.0.0a1 has no offset table");
}

static void
test_bad_debug_offsets (void)
{
  expect_unsupported ((const char * const[]) { FAKE_PYTHON, "debug", "030D01F0", NULL },
                      "impossible values");
}

static void
test_debug_build (void)
{
  expect_unsupported ((const char * const[]) { FAKE_PYTHON_REFDEBUG, "version", "030B02F0", NULL },
                      "debug build");
}

static void
test_missing_types (void)
{
  expect_unsupported ((const char * const[]) { FAKE_PYTHON, "version", "030C01F0", NULL },
                      "does not export PyCode_Type");
}

static void
test_real_old_python (void)
{
  g_autofree char *pyenv = g_build_filename (g_get_home_dir (), ".pyenv", "versions", NULL);
  const char *candidates[] = { "/usr/bin/python3.10", "/usr/bin/python3.9", NULL, NULL };
  g_autoptr(GDir) dir = g_dir_open (pyenv, 0, NULL);
  g_autofree char *found = NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL && found == NULL)
    if (g_str_has_prefix (name, "3.10") || g_str_has_prefix (name, "3.9"))
      found = g_build_filename (pyenv, name, "bin", "python3", NULL);
  candidates[2] = found;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *demo = hearth_test_demo_path ("seed_story.py");
      g_autoptr(GError) error = NULL;
      g_autoptr(HearthTestTarget) target = NULL;

      if (candidates[i] == NULL || !g_file_test (candidates[i], G_FILE_TEST_IS_EXECUTABLE))
        continue;
      target = hearth_test_target_spawn ((const char * const[]) { candidates[i], demo, NULL }, &error);
      g_assert_no_error (error);
      g_assert_null (hearth_python_attach (target->pid, &error));
      g_assert_error (error, HEARTH_PYTHON_ERROR, HEARTH_PYTHON_ERROR_UNSUPPORTED);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "is too old"));
      return;
    }
  g_test_skip ("no CPython 3.9 or 3.10 on this machine");
}

/* Another process's memory is untrusted: a fake interpreter made of
 * random words, most of them pointers back into the same memory (so
 * chains loop and objects lie about their sizes), must give errors or
 * bounded, valid frames; never a crash, a hang or invalid UTF-8. */
static void
test_hostile_memory (void)
{
  guint n_errors = 0, n_threads = 0, n_frames = 0;

  for (guint seed = 1; seed <= 40; seed++)
    {
      g_autofree char *seed_text = g_strdup_printf ("%u", seed);
      g_autoptr(HearthTestTarget) target = NULL;
      g_autoptr(GError) error = NULL;
      HearthPython *py;

      target = hearth_test_target_spawn ((const char * const[]) { FAKE_PYTHON_HOSTILE, "hostile", seed_text,
                                                                  NULL }, &error);
      g_assert_no_error (error);
      py = hearth_python_attach (target->pid, &error);
      g_assert_no_error (error);
      g_assert_nonnull (py);

      for (guint i = 0; i < 3; i++)
        {
          g_autoptr(GError) sample_error = NULL;
          GArray *threads = hearth_python_sample (py, &sample_error);

          if (threads == NULL)
            {
              g_assert_error (sample_error, HEARTH_PYTHON_ERROR, HEARTH_PYTHON_ERROR_READ);
              n_errors++;
              continue;
            }
          g_assert_cmpuint (threads->len, <=, 4096);
          for (guint t = 0; t < threads->len; t++)
            {
              const HearthPyThread *thread = &g_array_index (threads, HearthPyThread, t);

              g_assert_cmpuint (thread->frames->len, <=, 1024);
              for (guint f = 0; f < thread->frames->len; f++)
                {
                  const HearthPyFrame *frame = &g_array_index (thread->frames, HearthPyFrame, f);

                  g_assert_true (g_utf8_validate (frame->frame.name, -1, NULL));
                  g_assert_true (g_utf8_validate (frame->frame.file, -1, NULL));
                  g_assert_cmpuint (strlen (frame->frame.name), <=, 4 * 1024 + 3);
                  g_assert_cmpint (frame->frame.kind, ==, HEARTH_FRAME_KIND_PYTHON);
                }
              n_frames += thread->frames->len;
            }
          n_threads += threads->len;
        }
      hearth_python_free (py);
    }
  g_test_message ("%u read errors, %u threads, %u frames", n_errors, n_threads, n_frames);
}

/* The target exits between samples: a clear read error, no crash. */
static void
test_target_exits (void)
{
  const char *python = hearth_test_system_python ();
  g_autofree char *demo = hearth_test_demo_path ("seed_story.py");
  g_autoptr(HearthTestTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  HearthPython *py;

  if (python == NULL)
    {
      g_test_skip ("/usr/bin/python3 is not installed");
      return;
    }
  target = hearth_test_target_spawn ((const char * const[]) { python, demo, NULL }, &error);
  g_assert_no_error (error);
  py = hearth_python_attach (target->pid, &error);
  g_assert_no_error (error);
  g_assert_nonnull (hearth_python_sample (py, &error));

  g_subprocess_force_exit (target->process);
  g_subprocess_wait (target->process, NULL, NULL);
  g_assert_null (hearth_python_sample (py, &error));
  g_assert_error (error, HEARTH_PYTHON_ERROR, HEARTH_PYTHON_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "process"));
  hearth_python_free (py);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/python/degrade/too-old", test_too_old);
  g_test_add_func ("/hearth/python/degrade/too-new", test_too_new);
  g_test_add_func ("/hearth/python/degrade/bad-debug-offsets", test_bad_debug_offsets);
  g_test_add_func ("/hearth/python/degrade/debug-build", test_debug_build);
  g_test_add_func ("/hearth/python/degrade/missing-types", test_missing_types);
  g_test_add_func ("/hearth/python/degrade/real-old-python", test_real_old_python);
  g_test_add_func ("/hearth/python/degrade/hostile-memory", test_hostile_memory);
  g_test_add_func ("/hearth/python/degrade/target-exits", test_target_exits);

  return g_test_run ();
}
