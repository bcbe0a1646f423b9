/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector-test-util.h"
#include "hearth-session-store.h"

void
ct_thread_free (CtThread *thread)
{
  if (thread == NULL)
    return;
  g_free (thread->name);
  g_hash_table_unref (thread->stacks);
  g_free (thread);
}

static char *
fold_stack (HearthProfile *profile,
            guint32        stack)
{
  GPtrArray *names = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  while (stack != HEARTH_NO_ID)
    {
      HearthStack s;
      HearthFunction f;

      if (!hearth_profile_get_stack (profile, stack, &s))
        break;
      if (hearth_profile_get_function (profile, hearth_profile_get_stack_function (profile, stack), &f))
        g_ptr_array_add (names, (gpointer) hearth_profile_get_string (profile, f.name));
      stack = s.parent;
    }
  for (guint i = names->len; i > 0; i--)
    {
      if (out->len > 0)
        g_string_append_c (out, ';');
      g_string_append (out, g_ptr_array_index (names, i - 1));
    }
  g_ptr_array_unref (names);
  return g_string_free (out, FALSE);
}

GPtrArray *
ct_profile_threads (HearthProfile *profile)
{
  GPtrArray *threads = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_thread_free);
  g_autoptr(GHashTable) folded = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  for (guint i = 0; i < hearth_profile_get_n_threads (profile); i++)
    {
      CtThread *thread = g_new0 (CtThread, 1);
      HearthThread t;
      guint64 n = hearth_profile_get_n_thread_samples (profile, i);
      HearthSample sample;

      hearth_profile_get_thread (profile, i, &t);
      thread->name = g_strdup (hearth_profile_get_string (profile, t.name));
      thread->tid = t.tid;
      thread->stacks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint64 s = 0; s < n; s++)
        {
          const char *text;
          gpointer count;

          if (hearth_profile_read_thread_samples (profile, i, s, &sample, 1) != 1)
            break;
          thread->n_samples++;
          if (sample.state == HEARTH_THREAD_STATE_RUNNING)
            thread->n_running++;
          text = g_hash_table_lookup (folded, GUINT_TO_POINTER (sample.stack + 1));
          if (text == NULL)
            {
              char *f = sample.stack == HEARTH_NO_ID ? g_strdup ("") : fold_stack (profile, sample.stack);
              g_hash_table_insert (folded, GUINT_TO_POINTER (sample.stack + 1), f);
              text = f;
            }
          count = g_hash_table_lookup (thread->stacks, text);
          g_hash_table_replace (thread->stacks, g_strdup (text),
                                GSIZE_TO_POINTER (GPOINTER_TO_SIZE (count) + 1));
        }
      g_ptr_array_add (threads, thread);
    }
  return threads;
}

CtThread *
ct_find_thread (GPtrArray  *threads,
                const char *name)
{
  for (guint i = 0; i < threads->len; i++)
    {
      CtThread *t = g_ptr_array_index (threads, i);

      if (g_strcmp0 (t->name, name) == 0)
        return t;
    }
  return NULL;
}

const char *
ct_dominant_stack (CtThread *thread,
                   guint64  *count)
{
  GHashTableIter iter;
  gpointer key, value;
  const char *best = NULL;
  gsize best_count = 0;

  g_hash_table_iter_init (&iter, thread->stacks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_SIZE (value) > best_count ||
        (GPOINTER_TO_SIZE (value) == best_count && g_strcmp0 (key, best) < 0))
      {
        best = key;
        best_count = GPOINTER_TO_SIZE (value);
      }
  if (count != NULL)
    *count = best_count;
  return best;
}

static gboolean
has_chain (const char *folded,
           const char *chain)
{
  g_autofree char *hay = g_strconcat (";", folded, ";", NULL);
  g_autofree char *needle = g_strconcat (";", chain, ";", NULL);

  return strstr (hay, needle) != NULL;
}

guint64
ct_count_with_chain (CtThread   *thread,
                     const char *chain)
{
  GHashTableIter iter;
  gpointer key, value;
  guint64 n = 0;

  g_hash_table_iter_init (&iter, thread->stacks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (has_chain (key, chain))
      n += GPOINTER_TO_SIZE (value);
  return n;
}

guint64
ct_count_with_function (CtThread   *thread,
                        const char *function)
{
  return ct_count_with_chain (thread, function);
}

static int
compare_count_desc (gconstpointer a,
                    gconstpointer b,
                    gpointer      data)
{
  GHashTable *stacks = data;
  gsize ca = GPOINTER_TO_SIZE (g_hash_table_lookup (stacks, *(const char **) a));
  gsize cb = GPOINTER_TO_SIZE (g_hash_table_lookup (stacks, *(const char **) b));

  return (ca < cb) - (ca > cb);
}

void
ct_dump_threads (GPtrArray *threads,
                 guint      top)
{
  for (guint i = 0; i < threads->len; i++)
    {
      CtThread *t = g_ptr_array_index (threads, i);
      g_autoptr(GPtrArray) keys = g_ptr_array_new ();
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, t->stacks);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (keys, key);

      g_printerr ("thread %d \"%s\": %" G_GUINT64_FORMAT " samples (%" G_GUINT64_FORMAT " running)\n",
                  t->tid, t->name, t->n_samples, t->n_running);
      g_ptr_array_sort_with_data (keys, compare_count_desc, t->stacks);
      for (guint k = 0; k < keys->len && k < top; k++)
        g_printerr ("  %6zu  %s\n", GPOINTER_TO_SIZE (g_hash_table_lookup (t->stacks, keys->pdata[k])),
                    (const char *) keys->pdata[k]);
    }
}

static const char *
build_root (void)
{
  const char *root = g_getenv ("HEARTH_BUILD_ROOT");

  return root != NULL ? root : BUILD_ROOT;
}

char *
ct_collector_path (void)
{
  return g_build_filename (build_root (), "src", "collector", "hearth-collector", NULL);
}

char *
ct_target_path (const char *name)
{
  return g_build_filename (build_root (), "tests", "collector", "targets", name, NULL);
}

GSubprocess *
ct_spawn_target (const char *name,
                 ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, ct_target_path (name));
  va_start (ap, name);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  return proc;
}

char *
ct_target_finish (GSubprocess *target)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_subprocess_communicate_utf8 (target, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  return out;
}

void
ct_target_kill (GSubprocess *target)
{
  const char *id = g_subprocess_get_identifier (target);

  if (id == NULL)
    return;  /* already reaped */
  g_subprocess_send_signal (target, SIGTERM);
  for (guint i = 0; i < 100 && g_subprocess_get_identifier (target) != NULL; i++)
    {
      if (waitpid (atoi (id), NULL, WNOHANG) != 0)
        break;
      g_usleep (20 * 1000);
    }
  g_subprocess_force_exit (target);
  g_subprocess_wait (target, NULL, NULL);
}

int
ct_run_collector (char       **out,
                  char       **err,
                  const char  *first_arg,
                  ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) o = NULL, e = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, ct_collector_path ());
  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  /* stdout may be the binary stream */
  g_subprocess_communicate (proc, NULL, NULL, &o, &e, &error);
  g_assert_no_error (error);
  if (out != NULL)
    *out = g_strndup (g_bytes_get_data (o, NULL), g_bytes_get_size (o));
  if (err != NULL)
    *err = g_strndup (g_bytes_get_data (e, NULL), g_bytes_get_size (e));
  return g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : 128;
}

HearthProfile *
ct_record (pid_t   pid,
           double  seconds,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hearth-collector-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL, *err = NULL;
  HearthProfile *profile;
  char num[64];
  const char *arg;
  va_list ap;

  g_assert_no_error (error);
  path = g_build_filename (dir, "test.profsession", NULL);
  g_ptr_array_add (argv, ct_collector_path ());
  g_ptr_array_add (argv, g_strdup ("record"));
  g_ptr_array_add (argv, g_strdup_printf ("--pid=%d", (int) pid));
  g_ascii_formatd (num, sizeof num, "%.2f", seconds);
  g_ptr_array_add (argv, g_strdup_printf ("--duration=%s", num));
  g_ptr_array_add (argv, g_strdup_printf ("--output=%s", path));
  va_start (ap, seconds);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
    g_error ("hearth-collector record failed: %s%s", out, err);

  profile = hearth_session_load (path, &error);
  g_assert_no_error (error);
  g_unlink (path);
  g_rmdir (dir);
  return profile;
}

char *
ct_thread_states (pid_t pid)
{
  g_autofree char *task_dir = g_strdup_printf ("/proc/%d/task", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (task_dir, 0, NULL);
  GString *states = g_string_new (NULL);
  const char *name;

  if (dir == NULL)
    return g_string_free (states, FALSE);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s/stat", task_dir, name);
      g_autofree char *contents = NULL;
      const char *paren;

      if (!g_file_get_contents (path, &contents, NULL, NULL))
        continue;
      if ((paren = strrchr (contents, ')')) != NULL && paren[1] == ' ')
        g_string_append_c (states, paren[2]);
    }
  return g_string_free (states, FALSE);
}

gboolean
ct_wait_for_file (const char *path,
                  guint       timeout_ms)
{
  for (guint waited = 0; waited < timeout_ms; waited += 10)
    {
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return TRUE;
      g_usleep (10 * 1000);
    }
  return g_file_test (path, G_FILE_TEST_EXISTS);
}
