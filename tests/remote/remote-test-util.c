/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hearth-stream.h"
#include "remote-test-util.h"

char *
run_or_fail (const char * const *argv,
             const char         *stdin_text)
{
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) in = stdin_text ? g_bytes_new (stdin_text, strlen (stdin_text)) : NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;

  subprocess = g_subprocess_newv (argv, (stdin_text ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0) |
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  /* The bytes variant: communicate_utf8() of GLib 2.74 leaks on empty output. */
  g_subprocess_communicate (subprocess, in, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (subprocess))
    g_error ("%s failed: %.*s", argv[0], (int) g_bytes_get_size (err), (const char *) g_bytes_get_data (err, NULL));
  return g_strndup (g_bytes_get_size (out) ? g_bytes_get_data (out, NULL) : "", g_bytes_get_size (out));
}

int
run_status (const char * const *argv)
{
  g_autoptr(GSubprocess) subprocess = NULL;

  subprocess = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                  G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);
  if (subprocess == NULL || !g_subprocess_wait (subprocess, NULL, NULL))
    return -1;
  return g_subprocess_get_if_exited (subprocess) ? g_subprocess_get_exit_status (subprocess) : -1;
}

void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }
  if ((dir = g_dir_open (path, 0, NULL)) != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        rm_rf (child);
      }
  g_rmdir (path);
}

char *
write_script (const char *dir,
              const char *name,
              const char *body)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = g_strconcat ("#!/bin/sh\n", body, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return g_steal_pointer (&path);
}

static void
put_varint (GByteArray *buf,
            guint64     v)
{
  while (v >= 0x80)
    {
      guint8 b = (v & 0x7f) | 0x80;
      g_byte_array_append (buf, &b, 1);
      v >>= 7;
    }
  {
    guint8 b = v;
    g_byte_array_append (buf, &b, 1);
  }
}

char *
fake_hello_script (guint       version,
                   const char *collector_version)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  GString *body = g_string_new ("printf '");

  /* docs/stream.md: magic, then [type][length][payload]; a hello payload
   * starts with the protocol version and the collector version, forever. */
  put_varint (payload, version);
  put_varint (payload, strlen (collector_version));
  g_byte_array_append (payload, (const guint8 *) collector_version, strlen (collector_version));

  g_byte_array_append (bytes, (const guint8 *) "HRTHSTRM", 8);
  put_varint (bytes, 1);   /* HELLO */
  put_varint (bytes, payload->len);
  g_byte_array_append (bytes, payload->data, payload->len);

  for (guint i = 0; i < bytes->len; i++)
    g_string_append_printf (body, "\\%03o", bytes->data[i]);
  g_string_append (body, "'\n");
  return g_string_free (body, FALSE);
}

char *
write_fake_stream (const char *dir,
                   guint       n_samples,
                   gboolean    with_end)
{
  static const HearthStreamFrame frames[] = {
    { "main", "/usr/bin/fake", "fake.c", 10, 9, 0x1000, HEARTH_FRAME_KIND_NATIVE },
    { "work", "/usr/bin/fake", "fake.c", 20, 19, 0x1100, HEARTH_FRAME_KIND_NATIVE },
    { "leaf", "/usr/bin/fake", "fake.c", 30, 29, 0x1200, HEARTH_FRAME_KIND_NATIVE },
  };
  HearthStreamHello hello = {
    .protocol_version = HEARTH_STREAM_PROTOCOL_VERSION,
    .collector_version = (char *) PACKAGE_VERSION,
    .host = (char *) "fake-host",
    .pid = 4242,
    .command_line = (char *) "fake --work",
    .rate_hz = 100,
    .mode = (char *) "wall",
    .start_wall_time_us = g_get_real_time (),
  };
  g_autoptr(HearthStreamEncoder) encoder = hearth_stream_encoder_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = g_build_filename (dir, "stream.bin", NULL);
  g_autoptr(GError) error = NULL;

  hearth_stream_encoder_hello (encoder, &hello);
  hearth_stream_encoder_thread (encoder, 4242, 4242, "fake");
  for (guint i = 0; i < n_samples; i++)
    hearth_stream_encoder_sample (encoder, 4242, (gint64) i * 10 * G_TIME_SPAN_MILLISECOND * 1000,
                                  HEARTH_THREAD_STATE_RUNNING, 1, frames, G_N_ELEMENTS (frames));
  if (with_end)
    {
      HearthStreamStats stats = { .samples = n_samples, .threads = 1,
                                  .duration_ns = (gint64) n_samples * 10000000, .exit_status = -1 };
      hearth_stream_encoder_end (encoder, &stats);
    }

  bytes = hearth_stream_encoder_take_bytes (encoder);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

char *
find_built (const char *rel)
{
  const char *root = g_getenv ("HEARTH_BUILD_ROOT");
  g_autofree char *path = g_build_filename (root ? root : BUILD_ROOT, rel, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return NULL;
  return g_steal_pointer (&path);
}

char *
dominant_stack (HearthProfile *profile)
{
  guint n_stacks = hearth_profile_get_n_stacks (profile);
  g_autofree guint64 *counts = g_new0 (guint64, MAX (n_stacks, 1));
  g_autoptr(GHashTable) chains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  HearthSelection all = { 0 };
  GHashTableIter iter;
  gpointer key, value;
  const char *best = NULL;
  guint64 best_count = 0;

  hearth_profile_accumulate_stacks (profile, &all, counts, n_stacks);

  /* Addresses differ from sample to sample inside one function: compare
   * chains of function names. */
  for (guint s = 0; s < n_stacks; s++)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      GString *chain = g_string_new (NULL);
      guint64 *slot;
      guint32 id = s;

      if (counts[s] == 0)
        {
          g_string_free (chain, TRUE);
          continue;
        }
      while (id != HEARTH_NO_ID)
        {
          HearthStack stack;
          HearthFunction function;

          g_assert_true (hearth_profile_get_stack (profile, id, &stack));
          g_assert_true (hearth_profile_get_function (profile, hearth_profile_get_stack_function (profile, id),
                                                      &function));
          g_ptr_array_insert (names, 0, (gpointer) hearth_profile_get_string (profile, function.name));
          id = stack.parent;
        }
      for (guint i = 0; i < names->len; i++)
        g_string_append_printf (chain, "%s%s", i ? ";" : "", (const char *) g_ptr_array_index (names, i));

      slot = g_hash_table_lookup (chains, chain->str);
      if (slot == NULL)
        {
          slot = g_new0 (guint64, 1);
          g_hash_table_insert (chains, g_string_free (chain, FALSE), slot);
        }
      else
        g_string_free (chain, TRUE);
      *slot += counts[s];
    }

  g_hash_table_iter_init (&iter, chains);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint64 n = *(guint64 *) value;

      if (n > best_count || (n == best_count && g_strcmp0 (key, best) < 0))
        best = key, best_count = n;
    }

  {
    char *ret = g_strdup (best);

    g_hash_table_iter_init (&iter, chains);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_free (value);
    return ret;
  }
}

char
proc_state (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  const char *paren;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(paren = strrchr (text, ')')) ||
      paren[1] != ' ')
    return 0;
  return paren[2];
}

int
proc_tracer (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(line = strstr (text, "TracerPid:")))
    return -1;
  return atoi (line + strlen ("TracerPid:"));
}

GArray *
find_processes (const char * const *needles)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *cmdline = NULL;
      gsize len;
      gboolean all = TRUE;
      GPid pid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_strdup_printf ("/proc/%s/cmdline", name);
      if (!g_file_get_contents (path, &cmdline, &len, NULL) || len == 0)
        continue;
      /* The program itself, not a shell or ssh naming it. */
      if (g_strcmp0 (cmdline, needles[0]) != 0)
        continue;
      for (gsize i = 0; i + 1 < len; i++)
        if (cmdline[i] == 0)
          cmdline[i] = ' ';
      for (guint i = 1; needles[i] != NULL && all; i++)
        all = strstr (cmdline, needles[i]) != NULL;
      pid = atoi (name);
      if (all && pid != getpid ())
        g_array_append_val (pids, pid);
    }
  return pids;
}
