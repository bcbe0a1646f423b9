/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <malloc.h>
#include <stdio.h>

#include <glib/gstdio.h>

#include "hearth-session-store.h"
#include "hearth-synthetic.h"

/*
 * .profsession figures for the benchmark session (bench/common: 10 M
 * samples, 8 threads, 20k Zipf-distributed stacks, depth ≤ 64, 1 kHz):
 *
 *  - live writer: the session replayed second by second into a growing
 *    profile with one hearth_session_writer_sync() per second, as a
 *    recording does; throughput counts sync time only;
 *  - hearth_session_save() of the whole profile in one go;
 *  - bytes per sample on disk (whole file, everything included);
 *  - hearth_session_load() time and the heap it adds per sample.
 *
 * Usage: bench-store [N_SAMPLES] [DIR]
 */

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static gsize
heap_bytes (void)
{
  struct mallinfo2 mi = mallinfo2 ();

  return mi.uordblks + mi.hblkhd;
}

static guint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

/* Same tables, same ids: definitions are interned in id order. */
static void
copy_definitions (HearthProfile *from,
                  HearthProfile *to)
{
  g_auto(GStrv) keys = hearth_profile_list_metadata (from);

  for (guint i = 1; i < hearth_profile_get_n_strings (from); i++)
    hearth_profile_intern_string (to, hearth_profile_get_string (from, i));
  for (guint i = 0; i < hearth_profile_get_n_functions (from); i++)
    {
      HearthFunction f;

      hearth_profile_get_function (from, i, &f);
      hearth_profile_intern_function (to, &f);
    }
  for (guint i = 0; i < hearth_profile_get_n_frames (from); i++)
    {
      HearthFrame f;

      hearth_profile_get_frame (from, i, &f);
      hearth_profile_intern_frame (to, &f);
    }
  for (guint i = 0; i < hearth_profile_get_n_stacks (from); i++)
    {
      HearthStack s;

      hearth_profile_get_stack (from, i, &s);
      hearth_profile_intern_stack (to, s.parent, s.frame);
    }
  for (guint i = 0; i < hearth_profile_get_n_threads (from); i++)
    {
      HearthThread t;

      hearth_profile_get_thread (from, i, &t);
      hearth_profile_add_thread (to, t.pid, t.tid, hearth_profile_get_string (from, t.name));
    }
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *value = hearth_profile_dup_metadata (from, keys[i]);

      hearth_profile_set_metadata (to, keys[i], value);
    }
}

/* Replay from into a live profile one second at a time, syncing a writer
 * after each second. Returns the seconds spent in sync. */
static double
write_live (HearthProfile *from,
            const char    *path,
            guint         *n_syncs)
{
  g_autoptr(HearthProfile) live = hearth_profile_new ();
  g_autoptr(HearthSessionWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree HearthSample *buf = g_new (HearthSample, 4096);
  guint n_threads = hearth_profile_get_n_threads (from);
  g_autofree guint64 *pos = g_new0 (guint64, n_threads);
  gint64 duration = hearth_profile_get_duration_ns (from);
  double spent = 0;

  copy_definitions (from, live);
  writer = hearth_session_writer_new (live, path, &error);
  g_assert_no_error (error);

  *n_syncs = 0;
  for (gint64 until = G_TIME_SPAN_SECOND * 1000; ; until += G_TIME_SPAN_SECOND * 1000)
    {
      double t0;

      for (guint t = 0; t < n_threads; t++)
        {
          guint64 total = hearth_profile_get_n_thread_samples (from, t);

          while (pos[t] < total)
            {
              guint n = hearth_profile_read_thread_samples (from, t, pos[t], buf, 4096);
              guint keep = 0;

              while (keep < n && buf[keep].time_ns < until)
                keep++;
              hearth_profile_append_samples (live, t, buf, keep);
              pos[t] += keep;
              if (keep < n)
                break;
            }
        }

      t0 = now_s ();
      hearth_session_writer_sync (writer, &error);
      g_assert_no_error (error);
      spent += now_s () - t0;
      (*n_syncs)++;

      if (until > duration)
        break;
    }

  {
    double t0 = now_s ();

    hearth_session_writer_finish (writer, &error);
    g_assert_no_error (error);
    spent += now_s () - t0;
  }
  return spent;
}

static void
load (const char *what,
      const char *path,
      guint64     n_samples)
{
  g_autoptr(HearthProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gsize heap0, rss0;
  double t0, t;

  malloc_trim (0);
  heap0 = heap_bytes ();
  rss0 = hearth_synthetic_rss ();
  t0 = now_s ();
  loaded = hearth_session_load (path, &error);
  t = now_s () - t0;
  g_assert_no_error (error);
  g_assert_cmpuint (hearth_profile_get_n_samples (loaded), ==, n_samples);

  printf ("load (%s)%*s %.3f s (target <= 1.5)\n", what, (int) (17 - strlen (what)), "", t);
  printf ("  RAM per loaded sample     %.1f B heap, %.1f B RSS (target <= 24)\n",
          (double) (heap_bytes () - heap0) / n_samples,
          (double) (hearth_synthetic_rss () - rss0) / n_samples);
}

int
main (int   argc,
      char *argv[])
{
  guint64 n_samples = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 10000000;
  g_autofree char *dir = argc > 2 ? g_strdup (argv[2]) : g_dir_make_tmp ("bench-store-XXXXXX", NULL);
  g_autofree char *live_path = g_build_filename (dir, "live.profsession", NULL);
  g_autofree char *save_path = g_build_filename (dir, "saved.profsession", NULL);
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  guint64 live_bytes, save_bytes;
  double t0, live_s, save_s;
  guint n_syncs = 0;

  profile = hearth_synthetic_profile (n_samples, 8, 20000, 64, 42);
  n_samples = hearth_profile_get_n_samples (profile);
  printf ("session                     %" G_GUINT64_FORMAT " samples, %u threads, %u stacks "
          "(prefix-tree nodes), %.0f s\n",
          n_samples, hearth_profile_get_n_threads (profile), hearth_profile_get_n_stacks (profile),
          hearth_profile_get_duration_ns (profile) / 1e9);

  live_s = write_live (profile, live_path, &n_syncs);
  live_bytes = file_size (live_path);
  printf ("live writer                 %.2f M samples/s (%u syncs, %.2f s in sync+finish; target >= 2)\n",
          n_samples / live_s / 1e6, n_syncs, live_s);
  printf ("  bytes per sample          %.2f (file %.1f MB; target <= 4)\n",
          (double) live_bytes / n_samples, live_bytes / 1e6);

  t0 = now_s ();
  hearth_session_save (profile, save_path, &error);
  g_assert_no_error (error);
  save_s = now_s () - t0;
  save_bytes = file_size (save_path);
  printf ("save (one transaction)      %.2f M samples/s (%.2f s; target >= 2)\n",
          n_samples / save_s / 1e6, save_s);
  printf ("  bytes per sample          %.2f (file %.1f MB; target <= 4)\n",
          (double) save_bytes / n_samples, save_bytes / 1e6);

  g_clear_object (&profile);
  load ("live file", live_path, n_samples);
  load ("saved file", save_path, n_samples);

  if (argc <= 2)
    {
      g_unlink (live_path);
      g_unlink (save_path);
      g_rmdir (dir);
    }
  return 0;
}
