/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * bench-remote: the collector stream through SSH on loopback against a
 * local pipe, side by side in one run, with the same decoder and driver
 * (HearthRemoteStream) the app and `hearth record` use:
 *
 *   A. capacity: a recorded stream (synthetic: 8 threads, 4000 distinct
 *      stacks 12–40 deep) replayed by `cat` as fast as the channel and the
 *      decoder take it: samples per second and bytes per sample.
 *   B. live: the real hearth-collector sampling hearth-demo (several busy
 *      and sleeping threads) at 999 Hz per thread for a few seconds:
 *      samples per second delivered and bytes per sample.
 *   C. start-up: from spawning the child to the hello record, for a
 *      first connection (login) and a shared one (ControlMaster).
 *
 * The ssh side starts its own sshd on 127.0.0.1 (tests/remote/sshd-fixture.c).
 *
 * Rates count from the hello record to the end of the stream, so the
 * login is not in them; C measures it.
 *
 *   bench-remote [--samples N] [--seconds S]
 *
 * Needs root (for sshd's /run/sshd and ptrace), OpenSSH, and a build with
 * the collector and the demo.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearth-remote-stream.h"
#include "remote-test-util.h"
#include "sshd-fixture.h"

static int n_samples = 1000000;
static double live_seconds = 4;

typedef struct
{
  double  seconds;      /* spawn → end of stream */
  double  hello_s;      /* spawn → hello */
  guint64 samples;
  guint64 bytes;
  guint64 dropped;      /* the collector's count: its output was congested */
  gboolean ok;
} Result;

typedef struct
{
  gint64 start;
  gint64 hello;
} Clock;

static void
hello_cb (HearthRemoteStream      *stream,
          const HearthStreamHello *hello,
          Clock                   *clock)
{
  clock->hello = g_get_monotonic_time ();
}

static Result
run_stream (HearthRemoteCollector *collector,
            const char * const    *args)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_autoptr(HearthRemoteStream) stream = hearth_remote_stream_new (collector, profile);
  g_autoptr(GError) error = NULL;
  Clock clock = { 0 };
  Result r = { 0 };

  g_signal_connect (stream, "hello", G_CALLBACK (hello_cb), &clock);
  clock.start = g_get_monotonic_time ();
  r.ok = hearth_remote_stream_run (stream, args, NULL, &error);
  r.seconds = (g_get_monotonic_time () - clock.start) / 1e6;
  r.hello_s = clock.hello ? (clock.hello - clock.start) / 1e6 : -1;
  r.samples = hearth_profile_get_n_samples (profile);
  r.bytes = hearth_remote_stream_get_n_bytes (stream);
  if (hearth_remote_stream_get_stats (stream) != NULL)
    r.dropped = hearth_remote_stream_get_stats (stream)->dropped;
  if (!r.ok)
    g_printerr ("  stream failed: %s\n", error->message);
  return r;
}

/* A recorded-looking stream: what a busy 8-thread server produces. */
static char *
write_synthetic_stream (const char *dir)
{
  enum { N_THREADS = 8, N_FUNCS = 600, N_STACKS = 4000, MAX_DEPTH = 40 };
  g_autoptr(HearthStreamEncoder) encoder = hearth_stream_encoder_new ();
  g_autofree char *path = g_build_filename (dir, "synthetic.bin", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree HearthStreamFrame *stacks = g_new0 (HearthStreamFrame, N_STACKS * MAX_DEPTH);
  guint depths[N_STACKS];
  char *names[N_FUNCS];
  FILE *file = fopen (path, "wb");
  HearthStreamHello hello = {
    .protocol_version = HEARTH_STREAM_PROTOCOL_VERSION,
    .collector_version = (char *) PACKAGE_VERSION,
    .host = (char *) "bench", .pid = 1, .command_line = (char *) "synthetic",
    .rate_hz = 999, .mode = (char *) "wall", .start_wall_time_us = g_get_real_time (),
  };

  g_assert_nonnull (file);
  for (guint f = 0; f < N_FUNCS; f++)
    names[f] = g_strdup_printf ("ns::module%u::function_%u(int, char const*)", f % 17, f);
  for (guint s = 0; s < N_STACKS; s++)
    {
      depths[s] = g_rand_int_range (rand, 12, MAX_DEPTH + 1);
      for (guint d = 0; d < depths[s]; d++)
        {
          HearthStreamFrame *frame = &stacks[s * MAX_DEPTH + d];
          guint f = d < 6 ? d : (guint) g_rand_int_range (rand, 6, N_FUNCS);

          frame->name = names[f];
          frame->module = "/usr/lib/libbench.so";
          frame->file = "bench.c";
          frame->line = 10 + f;
          frame->function_line = 9 + f;
          frame->address = 0x1000 + f * 64;
          frame->kind = HEARTH_FRAME_KIND_NATIVE;
        }
    }

  hearth_stream_encoder_hello (encoder, &hello);
  for (guint t = 0; t < N_THREADS; t++)
    hearth_stream_encoder_thread (encoder, 1, 100 + t, "worker");
  for (int i = 0; i < n_samples; i++)
    {
      guint s = g_rand_int_range (rand, 0, N_STACKS);

      hearth_stream_encoder_sample (encoder, 100 + i % N_THREADS, (gint64) (i / N_THREADS) * 1001001,
                                    i % 3 ? HEARTH_THREAD_STATE_RUNNING : HEARTH_THREAD_STATE_SLEEPING,
                                    1, &stacks[s * MAX_DEPTH], depths[s]);
      if (hearth_stream_encoder_get_pending (encoder) > (1 << 20))
        {
          g_autoptr(GBytes) bytes = hearth_stream_encoder_take_bytes (encoder);
          fwrite (g_bytes_get_data (bytes, NULL), 1, g_bytes_get_size (bytes), file);
        }
    }
  {
    HearthStreamStats stats = { .samples = n_samples, .threads = N_THREADS, .exit_status = -1 };
    g_autoptr(GBytes) bytes = NULL;

    hearth_stream_encoder_end (encoder, &stats);
    bytes = hearth_stream_encoder_take_bytes (encoder);
    fwrite (g_bytes_get_data (bytes, NULL), 1, g_bytes_get_size (bytes), file);
  }
  fclose (file);
  for (guint f = 0; f < N_FUNCS; f++)
    g_free (names[f]);
  return g_steal_pointer (&path);
}

/* Throughput once the stream runs: start-up is measured apart (C). */
static double
rate (Result r)
{
  double span = r.hello_s >= 0 ? r.seconds - r.hello_s : r.seconds;

  return span > 0 ? r.samples / span : 0;
}

static void
print_pair (const char *what,
            Result      pipe,
            Result      ssh)
{
  double pipe_rate = rate (pipe);
  double ssh_rate = rate (ssh);

  printf ("%-10s %-6s %10" G_GUINT64_FORMAT " samples %8.3f s %12.0f samples/s %6.2f bytes/sample"
          " %6" G_GUINT64_FORMAT " dropped\n",
          what, "pipe", pipe.samples, pipe.seconds, pipe_rate,
          pipe.samples ? (double) pipe.bytes / pipe.samples : 0, pipe.dropped);
  printf ("%-10s %-6s %10" G_GUINT64_FORMAT " samples %8.3f s %12.0f samples/s %6.2f bytes/sample"
          " %6" G_GUINT64_FORMAT " dropped   ssh/pipe %.2f\n",
          what, "ssh", ssh.samples, ssh.seconds, ssh_rate,
          ssh.samples ? (double) ssh.bytes / ssh.samples : 0, ssh.dropped, ssh_rate / pipe_rate);
}

int
main (int    argc,
      char **argv)
{
  SshdFixture fixture;
  g_autofree char *skip = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *collector_path = find_built ("src/collector/hearth-collector");
  g_autofree char *demo_path = find_built ("demo/hearth-demo");
  g_autofree char *stream_path = NULL;
  g_autofree char *replay = NULL;
  g_autoptr(HearthRemoteCollector) local_cat = NULL;
  g_autoptr(HearthRemoteCollector) ssh_cat = NULL;
  HearthSshDestination *dest;
  Result pipe_r, ssh_r;

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (strcmp (argv[i], "--samples") == 0)
        n_samples = atoi (argv[i + 1]);
      else if (strcmp (argv[i], "--seconds") == 0)
        live_seconds = g_ascii_strtod (argv[i + 1], NULL);
    }

  if (!sshd_fixture_start (&fixture, NULL, &skip))
    {
      g_printerr ("bench-remote: %s\n", skip);
      return 77;
    }
  dir = g_dir_make_tmp ("hearth-bench-remote-XXXXXX", NULL);
  dest = sshd_fixture_destination (&fixture, "bench");

  /* A. capacity */
  stream_path = write_synthetic_stream (dir);
  {
    g_autofree char *body = g_strdup_printf ("exec cat '%s'\n", stream_path);
    replay = write_script (dir, "replay", body);
  }
  local_cat = hearth_remote_collector_new_local (replay);
  ssh_cat = hearth_remote_collector_new_ssh (dest, replay);
  {
    const char *args[] = { "stream", NULL };

    /* The first ssh run logs in; measure on the shared connection. */
    run_stream (ssh_cat, args);
    pipe_r = run_stream (local_cat, args);
    ssh_r = run_stream (ssh_cat, args);
    printf ("# A. capacity: a %d-sample recorded stream replayed as fast as it goes\n", n_samples);
    print_pair ("replay", pipe_r, ssh_r);
  }

  /* B. live */
  if (collector_path != NULL && demo_path != NULL)
    {
      g_autoptr(GSubprocess) demo = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, NULL,
                                                      demo_path, NULL);
      g_autoptr(HearthRemoteCollector) local = hearth_remote_collector_new_local (collector_path);
      g_autoptr(HearthRemoteCollector) remote = hearth_remote_collector_new_ssh (dest, collector_path);
      g_auto(GStrv) args = NULL;

      g_usleep (G_USEC_PER_SEC / 2);
      args = hearth_remote_stream_build_args (atoi (g_subprocess_get_identifier (demo)), 999, "wall",
                                              live_seconds);
      pipe_r = run_stream (local, (const char * const *) args);
      ssh_r = run_stream (remote, (const char * const *) args);
      printf ("# B. live: hearth-collector on hearth-demo at 999 Hz per thread for %.0f s\n", live_seconds);
      print_pair ("live", pipe_r, ssh_r);
      g_subprocess_force_exit (demo);
      g_subprocess_wait (demo, NULL, NULL);
    }
  else
    printf ("# B. live: skipped (hearth-collector or hearth-demo not built)\n");

  /* C. start-up */
  {
    const char *args[] = { "stream", NULL };
    g_autofree char *small = write_fake_stream (dir, 10, TRUE);
    g_autofree char *body = g_strdup_printf ("exec cat '%s'\n", small);
    g_autofree char *script = write_script (dir, "small", body);
    g_autoptr(HearthRemoteCollector) local = hearth_remote_collector_new_local (script);
    g_autoptr(HearthRemoteCollector) remote = hearth_remote_collector_new_ssh (dest, script);
    Result fresh, shared, local_r;

    hearth_ssh_destination_close_master (dest);
    fresh = run_stream (remote, args);
    shared = run_stream (remote, args);
    local_r = run_stream (local, args);
    printf ("# C. start-up: spawn to hello\n");
    printf ("start-up   pipe   %8.1f ms\n", local_r.hello_s * 1e3);
    printf ("start-up   ssh    %8.1f ms (first connection, logs in)\n", fresh.hello_s * 1e3);
    printf ("start-up   ssh    %8.1f ms (shared connection)\n", shared.hello_s * 1e3);
  }

  rm_rf (dir);
  sshd_fixture_stop (&fixture);
  return 0;
}
