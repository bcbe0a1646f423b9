/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Helpers shared by the store, crash, stream and fuzz tests: a
 * deterministic test profile and a by-content comparison of two profiles
 * (ids may differ between them, contents may not).
 */

#include <string.h>

#include <glib/gstdio.h>

#include "hearth-call-tree.h"
#include "hearth-profile.h"

static inline guint32
util_frame (HearthProfile   *profile,
            const char      *name,
            const char      *module,
            const char      *file,
            guint32          line,
            guint64          address,
            HearthFrameKind  kind)
{
  HearthFunction f = { 0 };
  HearthFrame fr = { 0 };

  f.name = hearth_profile_intern_string (profile, name);
  f.module = hearth_profile_intern_string (profile, module);
  f.file = hearth_profile_intern_string (profile, file);
  f.line = line > 3 ? line - 3 : 0;
  f.kind = kind;
  fr.function = hearth_profile_intern_function (profile, &f);
  fr.line = line;
  fr.address = address;
  return hearth_profile_intern_frame (profile, &fr);
}

/* A small profile exercising every table and odd value: threads with
 * renamed names, NO_ID stacks, weights 0/1/big, all states, markers,
 * metadata, addresses above 2^63, non-ASCII strings. Times are whole
 * microseconds unless odd_times, so a store round trip is exact. */
static inline HearthProfile *
util_make_profile (guint    n_samples,
                   gboolean odd_times,
                   guint32  seed)
{
  HearthProfile *profile = hearth_profile_new ();
  GRand *rand = g_rand_new_with_seed (seed);
  guint32 frames[12];
  guint32 stacks[40];
  guint32 threads[3];

  frames[0] = util_frame (profile, "_start", "/usr/bin/app", "", 0, 0x1000, HEARTH_FRAME_KIND_NATIVE);
  frames[1] = util_frame (profile, "main", "/usr/bin/app", "main.c", 42, 0x1100, HEARTH_FRAME_KIND_NATIVE);
  frames[2] = util_frame (profile, "serve", "/usr/bin/app", "serve.c", 10, 0x1200, HEARTH_FRAME_KIND_NATIVE);
  frames[3] = util_frame (profile, "retry_backoff", "/usr/bin/app", "queue.c", 77, 0x1300, HEARTH_FRAME_KIND_NATIVE);
  frames[4] = util_frame (profile, "nanosleep", "/usr/lib/libc.so.6", "", 0, 0xffffffffffff0000ull, HEARTH_FRAME_KIND_NATIVE);
  frames[5] = util_frame (profile, "handle", "app.py", "app.py", 12, 0, HEARTH_FRAME_KIND_PYTHON);
  frames[6] = util_frame (profile, "handle", "app.py", "app.py", 19, 0, HEARTH_FRAME_KIND_PYTHON);
  frames[7] = util_frame (profile, "do_syscall_64", "[kernel]", "", 0, 0x8000000000000001ull, HEARTH_FRAME_KIND_KERNEL);
  frames[8] = util_frame (profile, "größe_berechnen", "/usr/lib/libü.so", "ü.c", 5, 0x42, HEARTH_FRAME_KIND_NATIVE);
  frames[9] = util_frame (profile, "?", "", "", 0, 0, HEARTH_FRAME_KIND_UNKNOWN);
  frames[10] = util_frame (profile, "recurse", "/usr/bin/app", "r.c", 3, 0x2000, HEARTH_FRAME_KIND_NATIVE);
  frames[11] = util_frame (profile, "write", "/usr/lib/libc.so.6", "", 0, 0x9999, HEARTH_FRAME_KIND_NATIVE);

  /* random walks over the frames make a prefix tree with shared paths */
  for (guint i = 0; i < G_N_ELEMENTS (stacks); i++)
    {
      guint depth = g_rand_int_range (rand, 1, 12);
      guint32 s = HEARTH_NO_ID;

      for (guint d = 0; d < depth; d++)
        s = hearth_profile_intern_stack (profile, s, frames[d < 2 ? d : (guint) g_rand_int_range (rand, 2, 12)]);
      stacks[i] = s;
    }

  threads[0] = hearth_profile_add_thread (profile, 100, 100, "app");
  threads[1] = hearth_profile_add_thread (profile, 100, 101, "worker");
  threads[2] = hearth_profile_add_thread (profile, 200, 200, "helper");
  hearth_profile_add_thread (profile, 100, 101, "worker-renamed");

  for (guint t = 0; t < 3; t++)
    {
      gint64 time = 1000 * (gint64) t;

      for (guint i = 0; i < n_samples / 3; i++)
        {
          HearthSample s;
          guint r = g_rand_int_range (rand, 0, 100);

          s.time_ns = time;
          s.stack = r < 3 ? HEARTH_NO_ID : stacks[g_rand_int_range (rand, 0, G_N_ELEMENTS (stacks))];
          s.weight = r == 5 ? 0 : r == 6 ? G_MAXUINT32 : r < 10 ? 7 : 1;
          s.state = g_rand_int_range (rand, 0, HEARTH_N_THREAD_STATES);
          hearth_profile_append_sample (profile, threads[t], &s);
          /* sometimes two samples at the same time, sometimes long gaps */
          time += r == 11 ? 0 : r == 12 ? 3 * G_TIME_SPAN_SECOND * 1000 : 10000000 + g_rand_int_range (rand, -2000, 2000) * 1000;
          if (odd_times)
            time += g_rand_int_range (rand, 0, 1000);
        }
    }

  hearth_profile_add_marker (profile, 0, 0, "started", "");
  hearth_profile_add_marker (profile, 5000000, 900000000, "paused", "paused by the user");
  hearth_profile_add_marker (profile, 2000000000, 2000000000, "process-exited", "exit status 0 — ünïcode");
  hearth_profile_set_metadata (profile, "host", "test-host");
  hearth_profile_set_metadata (profile, "pid", "100");
  hearth_profile_set_metadata (profile, "command-line", "app --serve 'quoted arg'");
  hearth_profile_set_metadata (profile, "mode", "wall");

  g_rand_free (rand);
  return profile;
}

/* "func (module) file:line kind @line 0xaddr" of every frame root-first. */
static inline char *
util_stack_text (HearthProfile *profile,
                 guint32        stack)
{
  GString *s = g_string_new (NULL);

  if (stack == HEARTH_NO_ID)
    return g_string_free (s, FALSE);

  g_assert_cmpuint (stack, <, hearth_profile_get_n_stacks (profile));
  while (stack != HEARTH_NO_ID)
    {
      HearthStack st;
      HearthFrame fr;
      HearthFunction f;
      g_autofree char *text = NULL;

      g_assert_true (hearth_profile_get_stack (profile, stack, &st));
      g_assert_true (hearth_profile_get_frame (profile, st.frame, &fr));
      g_assert_true (hearth_profile_get_function (profile, fr.function, &f));
      text = g_strdup_printf ("%s (%s) %s:%u %u @%u 0x%" G_GINT64_MODIFIER "x;",
                              hearth_profile_get_string (profile, f.name),
                              hearth_profile_get_string (profile, f.module),
                              hearth_profile_get_string (profile, f.file),
                              f.line, f.kind, fr.line, fr.address);
      g_string_prepend (s, text);
      g_assert_true (st.parent == HEARTH_NO_ID || st.parent < stack);
      stack = st.parent;
    }
  return g_string_free (s, FALSE);
}

/* Compare every table by content. round_us: b went through the store, so
 * compare a's times rounded to microseconds. */
static inline void
util_assert_profiles_equal (HearthProfile *a,
                            HearthProfile *b,
                            gboolean       round_us)
{
  g_auto(GStrv) keys_a = hearth_profile_list_metadata (a);
  g_auto(GStrv) keys_b = hearth_profile_list_metadata (b);
  guint n_threads = hearth_profile_get_n_threads (a);

  g_assert_cmpuint (hearth_profile_get_n_threads (b), ==, n_threads);
  g_assert_cmpuint (hearth_profile_get_n_samples (b), ==, hearth_profile_get_n_samples (a));
  g_assert_cmpuint (hearth_profile_get_total_weight (b), ==, hearth_profile_get_total_weight (a));

  for (guint t = 0; t < n_threads; t++)
    {
      HearthThread ta, tb;
      guint64 n = hearth_profile_get_n_thread_samples (a, t);

      g_assert_true (hearth_profile_get_thread (a, t, &ta));
      g_assert_true (hearth_profile_get_thread (b, t, &tb));
      g_assert_cmpint (ta.pid, ==, tb.pid);
      g_assert_cmpint (ta.tid, ==, tb.tid);
      g_assert_cmpstr (hearth_profile_get_string (a, ta.name), ==, hearth_profile_get_string (b, tb.name));
      g_assert_cmpuint (hearth_profile_get_n_thread_samples (b, t), ==, n);

      for (guint64 i = 0; i < n; i++)
        {
          HearthSample sa, sb;
          g_autofree char *stack_a = NULL;
          g_autofree char *stack_b = NULL;
          gint64 time_a;

          g_assert_cmpuint (hearth_profile_read_thread_samples (a, t, i, &sa, 1), ==, 1);
          g_assert_cmpuint (hearth_profile_read_thread_samples (b, t, i, &sb, 1), ==, 1);
          time_a = sa.time_ns;
          if (round_us)
            {
              gint64 q = time_a / 1000, r = time_a % 1000;

              if (r < 0)
                q--, r += 1000;
              time_a = (r >= 500 ? q + 1 : q) * 1000;
            }
          g_assert_cmpint (sb.time_ns, ==, time_a);
          g_assert_cmpuint (sb.weight, ==, sa.weight);
          g_assert_cmpuint (sb.state, ==, sa.state);
          stack_a = util_stack_text (a, sa.stack);
          stack_b = util_stack_text (b, sb.stack);
          g_assert_cmpstr (stack_b, ==, stack_a);
        }
    }

  g_assert_cmpuint (hearth_profile_get_n_markers (b), ==, hearth_profile_get_n_markers (a));
  for (guint i = 0; i < hearth_profile_get_n_markers (a); i++)
    {
      HearthMarker ma, mb;

      g_assert_true (hearth_profile_get_marker (a, i, &ma));
      g_assert_true (hearth_profile_get_marker (b, i, &mb));
      g_assert_cmpint (ma.time_ns, ==, mb.time_ns);
      g_assert_cmpint (ma.end_ns, ==, mb.end_ns);
      g_assert_cmpstr (hearth_profile_get_string (a, ma.kind), ==, hearth_profile_get_string (b, mb.kind));
      g_assert_cmpstr (hearth_profile_get_string (a, ma.text), ==, hearth_profile_get_string (b, mb.text));
    }

  g_assert_cmpstrv (keys_b, keys_a);
  for (guint i = 0; keys_a[i] != NULL; i++)
    {
      g_autofree char *va = hearth_profile_dup_metadata (a, keys_a[i]);
      g_autofree char *vb = hearth_profile_dup_metadata (b, keys_a[i]);

      g_assert_cmpstr (vb, ==, va);
    }

  /* and the views built on top agree */
  {
    g_autoptr(HearthCallTree) tree_a = hearth_call_tree_new (a, NULL, HEARTH_CALL_TREE_TOP_DOWN);
    g_autoptr(HearthCallTree) tree_b = hearth_call_tree_new (b, NULL, HEARTH_CALL_TREE_TOP_DOWN);
    g_autofree char *text_a = hearth_call_tree_to_string (tree_a);
    g_autofree char *text_b = hearth_call_tree_to_string (tree_b);

    g_assert_cmpstr (text_b, ==, text_a);
  }
}

/* Check the internal consistency a reader must guarantee even for hostile
 * input: every id in range, parents before children, threads time-ordered. */
static inline void
util_assert_profile_sane (HearthProfile *p)
{
  guint n_stacks = hearth_profile_get_n_stacks (p);

  for (guint i = 0; i < n_stacks; i++)
    {
      HearthStack st;
      HearthFrame fr;
      HearthFunction f;

      g_assert_true (hearth_profile_get_stack (p, i, &st));
      g_assert_true (st.parent == HEARTH_NO_ID || st.parent < i);
      g_assert_true (hearth_profile_get_frame (p, st.frame, &fr));
      g_assert_true (hearth_profile_get_function (p, fr.function, &f));
      g_assert_cmpuint (f.name, <, hearth_profile_get_n_strings (p));
      g_assert_cmpuint (f.module, <, hearth_profile_get_n_strings (p));
      g_assert_cmpuint (f.file, <, hearth_profile_get_n_strings (p));
    }
  for (guint t = 0; t < hearth_profile_get_n_threads (p); t++)
    {
      guint64 n = hearth_profile_get_n_thread_samples (p, t);
      gint64 last = G_MININT64;
      HearthSample buf[256];

      for (guint64 i = 0; i < n;)
        {
          guint got = hearth_profile_read_thread_samples (p, t, i, buf, G_N_ELEMENTS (buf));

          g_assert_cmpuint (got, >, 0);
          for (guint k = 0; k < got; k++)
            {
              g_assert_cmpint (buf[k].time_ns, >=, last);
              last = buf[k].time_ns;
              g_assert_true (buf[k].stack == HEARTH_NO_ID || buf[k].stack < n_stacks);
              g_assert_cmpuint (buf[k].state, <, HEARTH_N_THREAD_STATES);
            }
          i += got;
        }
    }
}

/* Write a test file without fsync (g_file_set_contents syncs, which
 * makes thousands of fuzz iterations crawl). GLib 2.74 writes in place
 * without truncating in this mode, so start from a new file; a new inode
 * also spares ext4's flush-on-close of a truncated file. */
static inline void
util_write_file (const char *path,
                 const void *data,
                 gssize      len)
{
  g_autoptr(GError) error = NULL;

  g_unlink (path);
  g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_NONE, 0644, &error);
  g_assert_no_error (error);
}

/* Remove a temporary directory and everything in it (one level). */
static inline void
util_rm_rf (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}
