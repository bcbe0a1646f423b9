/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "python-test-util.h"

const char *
hearth_test_system_python (void)
{
  /* Not python3 from PATH: that may be a pyenv or venv build. */
  return g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) ? "/usr/bin/python3" : NULL;
}

char *
hearth_test_demo_path (const char *name)
{
  return g_build_filename (SOURCE_ROOT, "demo", "python", name, NULL);
}

char *
hearth_test_data_path (const char *name)
{
  return g_build_filename (SOURCE_ROOT, "tests", "python", name, NULL);
}

typedef struct
{
  GMainLoop *loop;
  char      *line;
  GError    *error;
  gboolean   done;
} LineRead;

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, &read->error);
  read->done = TRUE;
  g_main_loop_quit (read->loop);
}

static gboolean
deadline_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* A test that aborts must not leave its targets running. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

HearthTestTarget *
hearth_test_target_spawn (const char * const *argv,
                          GError            **error)
{
  g_autoptr(HearthTestTarget) target = g_new0 (HearthTestTarget, 1);
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  guint deadline;

  target->lines = g_ptr_array_new_with_free_func (g_free);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  target->process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (target->process == NULL)
    return NULL;
  target->pid = (gint32) g_ascii_strtoll (g_subprocess_get_identifier (target->process), NULL, 10);
  data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (target->process));

  /* A hung target must not hang the test. */
  deadline = g_timeout_add_seconds (20, deadline_cb, loop);
  for (;;)
    {
      LineRead read = { loop, NULL, NULL, FALSE };

      g_data_input_stream_read_line_async (data, G_PRIORITY_DEFAULT, cancellable, line_read_cb, &read);
      g_main_loop_run (loop);
      if (!read.done)
        {
          g_cancellable_cancel (cancellable);
          while (!read.done)
            g_main_context_iteration (NULL, TRUE);
          g_clear_error (&read.error);
          g_free (read.line);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s was not ready after 20 s", argv[0]);
          return NULL;
        }
      if (read.line == NULL)
        {
          g_source_remove (deadline);
          if (read.error != NULL)
            g_propagate_error (error, read.error);
          else
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s exited before it was ready", argv[0]);
          return NULL;
        }
      g_ptr_array_add (target->lines, read.line);
      if (g_str_has_prefix (read.line, "ready"))
        break;
    }
  g_source_remove (deadline);
  return g_steal_pointer (&target);
}

void
hearth_test_target_free (HearthTestTarget *target)
{
  if (target == NULL)
    return;
  if (target->process != NULL)
    {
      g_subprocess_force_exit (target->process);
      g_subprocess_wait (target->process, NULL, NULL);
      g_object_unref (target->process);
    }
  g_ptr_array_unref (target->lines);
  g_free (target);
}

gint64
hearth_test_target_value (HearthTestTarget *target,
                          const char       *key)
{
  g_autofree char *needle = g_strdup_printf ("%s=", key);

  for (guint i = 0; i < target->lines->len; i++)
    {
      const char *line = g_ptr_array_index (target->lines, i);
      const char *at = strstr (line, needle);

      if (at != NULL && (at == line || at[-1] == ' '))
        return g_ascii_strtoll (at + strlen (needle), NULL, 10);
    }
  return -1;
}

guint
hearth_test_marker_line (const char *file,
                         const char *name)
{
  g_autofree char *contents = NULL;
  g_autofree char *needle = g_strdup_printf ("# hearth-line: %s", name);
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (file, &contents, NULL, NULL))
    return 0;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], needle);

      if (at != NULL && (at[strlen (needle)] == '\0' || at[strlen (needle)] == ' '))
        return i + 1;
    }
  return 0;
}
