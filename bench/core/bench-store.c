/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <time.h>

#include <glib/gstdio.h>

#include "hearth-session-store.h"
#include "hearth-stream.h"
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
 *  - hearth_session_load() time and the heap it adds per sample;
 *  - the collector wire stream: encoder cost per sample (full frame
 *    arrays in, as the collector passes them), bytes per sample on the
 *    wire and decoder throughput, over the first STREAM_SAMPLES samples.
 *
 * Usage: bench-store [N_SAMPLES] [DIR]
 */

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* CPU time of this process: the machine may be shared, and wall time then
 * measures the neighbours too. Figures print both. */
static double
cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
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
            guint         *n_syncs,
            double        *cpu)
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
  *cpu = 0;
  for (gint64 until = G_TIME_SPAN_SECOND * 1000; ; until += G_TIME_SPAN_SECOND * 1000)
    {
      double t0, c0;

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
      c0 = cpu_s ();
      hearth_session_writer_sync (writer, &error);
      g_assert_no_error (error);
      spent += now_s () - t0;
      *cpu += cpu_s () - c0;
      (*n_syncs)++;

      if (until > duration)
        break;
    }

  {
    double t0 = now_s ();
    double c0 = cpu_s ();

    hearth_session_writer_finish (writer, &error);
    g_assert_no_error (error);
    spent += now_s () - t0;
    *cpu += cpu_s () - c0;
  }
  return spent;
}

#define STREAM_SAMPLES 2000000

/* Root-first frame arrays of every stack, as a collector would pass. */
static HearthStreamFrame **
stack_frames (HearthProfile *profile,
              guint        **depths)
{
  guint n = hearth_profile_get_n_stacks (profile);
  HearthStreamFrame **frames = g_new0 (HearthStreamFrame *, n);

  *depths = g_new0 (guint, n);
  for (guint i = 0; i < n; i++)
    {
      HearthStack st;
      guint32 s = i;

      hearth_profile_get_stack (profile, i, &st);
      (*depths)[i] = st.depth + 1;
      frames[i] = g_new0 (HearthStreamFrame, st.depth + 1);
      for (gint d = st.depth; d >= 0; d--)
        {
          HearthFrame fr;
          HearthFunction f;

          hearth_profile_get_stack (profile, s, &st);
          hearth_profile_get_frame (profile, st.frame, &fr);
          hearth_profile_get_function (profile, fr.function, &f);
          frames[i][d] = (HearthStreamFrame) {
            hearth_profile_get_string (profile, f.name),
            hearth_profile_get_string (profile, f.module),
            hearth_profile_get_string (profile, f.file),
            fr.line, f.line, fr.address, f.kind,
          };
          s = st.parent;
        }
    }
  return frames;
}

static void
bench_stream (HearthProfile *profile)
{
  g_autoptr(HearthStreamEncoder) encoder = hearth_stream_encoder_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(HearthProfile) decoded = NULL;
  g_autoptr(GError) error = NULL;
  HearthStreamHello hello = { HEARTH_STREAM_PROTOCOL_VERSION, (char *) PACKAGE_VERSION, (char *) "bench",
                              1000, (char *) "synthetic", 1000, (char *) "wall", 0 };
  HearthStreamStats stats = { 0 };
  guint n_threads = hearth_profile_get_n_threads (profile);
  g_autofree guint *depths = NULL;
  HearthStreamFrame **frames = stack_frames (profile, &depths);
  guint per_thread = STREAM_SAMPLES / n_threads;
  g_autofree HearthSample *samples = g_new (HearthSample, (gsize) per_thread * n_threads);
  double t0, c0, encode_s, encode_cpu, decode_s, decode_cpu;
  guint64 total_depth = 0;

  for (guint t = 0; t < n_threads; t++)
    per_thread = MIN (per_thread, hearth_profile_get_n_thread_samples (profile, t));
  for (guint t = 0; t < n_threads; t++)
    hearth_profile_read_thread_samples (profile, t, 0, samples + (gsize) t * per_thread, per_thread);

  hearth_stream_encoder_hello (encoder, &hello);
  for (guint t = 0; t < n_threads; t++)
    hearth_stream_encoder_thread (encoder, 1000, 1000 + t, "worker");

  /* one sample per thread per tick, as the collector's loop produces */
  t0 = now_s ();
  c0 = cpu_s ();
  for (guint i = 0; i < per_thread; i++)
    for (guint t = 0; t < n_threads; t++)
      {
        const HearthSample *s = &samples[(gsize) t * per_thread + i];

        hearth_stream_encoder_sample (encoder, 1000 + t, s->time_ns, s->state, s->weight,
                                      frames[s->stack], depths[s->stack]);
        total_depth += depths[s->stack];
      }
  encode_s = now_s () - t0;
  encode_cpu = cpu_s () - c0;
  stats.samples = (guint64) per_thread * n_threads;
  hearth_stream_encoder_end (encoder, &stats);
  bytes = hearth_stream_encoder_take_bytes (encoder);

  input = g_memory_input_stream_new_from_bytes (bytes);
  t0 = now_s ();
  c0 = cpu_s ();
  decoded = hearth_stream_read_all (input, NULL, NULL, &error);
  decode_s = now_s () - t0;
  decode_cpu = cpu_s () - c0;
  g_assert_no_error (error);
  g_assert_cmpuint (hearth_profile_get_n_samples (decoded), ==, stats.samples);

  printf ("stream encoder              %.0f ns per sample wall, %.0f ns CPU (mean depth %.1f; %" G_GUINT64_FORMAT " samples)\n",
          encode_s * 1e9 / stats.samples, encode_cpu * 1e9 / stats.samples,
          (double) total_depth / stats.samples, stats.samples);
  printf ("  bytes per sample on wire  %.2f (definitions included)\n",
          (double) g_bytes_get_size (bytes) / stats.samples);
  printf ("stream decoder              %.2f M samples/s wall, %.2f M/s CPU\n",
          stats.samples / decode_s / 1e6, stats.samples / decode_cpu / 1e6);

  for (guint i = 0; i < hearth_profile_get_n_stacks (profile); i++)
    g_free (frames[i]);
  g_free (frames);
}

static void
load (const char *what,
      const char *path,
      guint64     n_samples)
{
  g_autoptr(HearthProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gsize heap0, rss0;
  double t0, c0, t, c;

  malloc_trim (0);
  heap0 = heap_bytes ();
  rss0 = hearth_synthetic_rss ();
  t0 = now_s ();
  c0 = cpu_s ();
  loaded = hearth_session_load (path, &error);
  t = now_s () - t0;
  c = cpu_s () - c0;
  g_assert_no_error (error);
  g_assert_cmpuint (hearth_profile_get_n_samples (loaded), ==, n_samples);

  printf ("load (%s)%*s %.3f s wall, %.3f s CPU (target <= 1.5)\n", what, (int) (17 - strlen (what)), "", t, c);
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
  double t0, c0, live_s, live_cpu, save_s, save_cpu;
  guint n_syncs = 0;

  profile = hearth_synthetic_profile (n_samples, 8, 20000, 64, 42);
  n_samples = hearth_profile_get_n_samples (profile);
  printf ("session                     %" G_GUINT64_FORMAT " samples, %u threads, %u stacks "
          "(prefix-tree nodes), %.0f s\n",
          n_samples, hearth_profile_get_n_threads (profile), hearth_profile_get_n_stacks (profile),
          hearth_profile_get_duration_ns (profile) / 1e9);

  live_s = write_live (profile, live_path, &n_syncs, &live_cpu);
  live_bytes = file_size (live_path);
  printf ("live writer                 %.2f M samples/s wall, %.2f M/s CPU (%u syncs, %.2f s in sync+finish; target >= 2)\n",
          n_samples / live_s / 1e6, n_samples / live_cpu / 1e6, n_syncs, live_s);
  printf ("  bytes per sample          %.2f (file %.1f MB; target <= 4)\n",
          (double) live_bytes / n_samples, live_bytes / 1e6);

  t0 = now_s ();
  c0 = cpu_s ();
  hearth_session_save (profile, save_path, &error);
  g_assert_no_error (error);
  save_s = now_s () - t0;
  save_cpu = cpu_s () - c0;
  save_bytes = file_size (save_path);
  printf ("save (one transaction)      %.2f M samples/s wall, %.2f M/s CPU (%.2f s; target >= 2)\n",
          n_samples / save_s / 1e6, n_samples / save_cpu / 1e6, save_s);
  printf ("  bytes per sample          %.2f (file %.1f MB; target <= 4)\n",
          (double) save_bytes / n_samples, save_bytes / 1e6);

  bench_stream (profile);

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
