/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * A stand-in for hearth-collector that speaks the real wire protocol (via
 * libhearth-core's encoder) without ptrace, so the app's live path and its
 * error handling can be tested deterministically and the UI benchmarked at
 * any sample rate. Selected through HEARTH_COLLECTOR.
 *
 *   ps --json                         two processes: this one and a "locked" one
 *   stream --pid N --rate HZ ...      behaviour from $HEARTH_FAKE_BEHAVIOUR:
 *     normal (default)  two threads with known stacks until SIGINT/SIGTERM
 *     fail              a fatal ERROR record, exit status 1
 *     die               some samples, then SIGKILL itself (no END record)
 *     exit              samples for 1 s, then a "process-exited" marker and END
 *   $HEARTH_FAKE_THREADS  threads sampled per tick (default 2)
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>

#include "hearth-stream.h"

static volatile sig_atomic_t stop;

static void
on_signal (int sig)
{
  stop = 1;
}

static gint64
now_ns (void)
{
  return g_get_monotonic_time () * 1000;
}

static void
frames_for (guint                 thread,
            guint64               tick,
            HearthStreamFrame    *frames,
            guint                *n_frames)
{
  /* Thread 0 is the seed story (mostly retry_backoff), thread 1 computes. */
  static const char *story[] = { "main", "run_reports", "update_docs", "queue_push", "retry_backoff", "nanosleep" };
  static const char *busy[] = { "main", "run_reports", "render_report", "format_rows" };
  static const char *worker[] = { "worker_main", "compress", "deflate_block" };
  const char **names;
  guint n;

  if (thread % 2 == 1)
    names = worker, n = G_N_ELEMENTS (worker);
  else if (tick % 10 < 8)
    names = story, n = G_N_ELEMENTS (story);
  else
    names = busy, n = G_N_ELEMENTS (busy);

  for (guint k = 0; k < n; k++)
    {
      memset (&frames[k], 0, sizeof frames[k]);
      frames[k].name = names[k];
      frames[k].module = k == n - 1 && names == story ? "/usr/lib/libc.so.6" : "/usr/bin/fake-demo";
      frames[k].file = "fake-demo.c";
      frames[k].line = 10 + k;
      frames[k].function_line = 10 + k;
      frames[k].kind = HEARTH_FRAME_KIND_NATIVE;
    }
  *n_frames = n;
}

static int
do_ps (void)
{
  g_print ("[\n"
           "  {\"pid\": %d, \"ppid\": 1, \"user\": \"tester\", \"uid\": 1000, \"name\": \"fake-target\", "
           "\"cmdline\": \"fake-target --serve\", \"threads\": 2, \"cpu_percent\": 12.5, \"rss_kb\": 100, "
           "\"attachable\": true, \"reason\": \"\"},\n"
           "  {\"pid\": 1, \"ppid\": 0, \"user\": \"root\", \"uid\": 0, \"name\": \"locked\", "
           "\"cmdline\": \"/sbin/locked\", \"threads\": 1, \"cpu_percent\": 0.0, \"rss_kb\": 10, "
           "\"attachable\": false, \"reason\": \"Another user's process: run as root or grant CAP_SYS_PTRACE.\"}\n"
           "]\n", (int) getpid ());
  return 0;
}

static int
do_stream (int pid, guint rate)
{
  const char *behaviour = g_getenv ("HEARTH_FAKE_BEHAVIOUR");
  guint n_threads = (guint) CLAMP (atoi (g_getenv ("HEARTH_FAKE_THREADS") ? g_getenv ("HEARTH_FAKE_THREADS") : "2"), 1, 64);
  g_autoptr(HearthStreamEncoder) enc = hearth_stream_encoder_new ();
  g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  HearthStreamHello hello = { 0 };
  HearthStreamStats stats = { 0 };
  gint64 start = now_ns ();
  gint64 period = G_GINT64_CONSTANT (1000000000) / MAX (rate, 1);
  guint64 tick = 0;

  if (behaviour == NULL)
    behaviour = "normal";

  hello.protocol_version = HEARTH_STREAM_PROTOCOL_VERSION;
  hello.collector_version = (char *) "fake";
  hello.host = (char *) "localhost";
  hello.pid = pid;
  hello.command_line = (char *) "fake-target --serve";
  hello.rate_hz = rate;
  hello.mode = (char *) "wall";
  hello.start_wall_time_us = g_get_real_time ();
  hearth_stream_encoder_hello (enc, &hello);

  if (g_str_equal (behaviour, "fail"))
    {
      g_autofree char *msg = g_strdup_printf ("Cannot attach to process %d (fake-target): permission denied. "
                                              "Run as the same user or with CAP_SYS_PTRACE.", pid);
      hearth_stream_encoder_error (enc, TRUE, msg);
      hearth_stream_encoder_flush_to (enc, out, NULL, NULL);
      g_printerr ("hearth-collector: %s\n", msg);
      return 1;
    }

  for (guint t = 0; t < n_threads; t++)
    {
      g_autofree char *name = g_strdup_printf (t == 0 ? "fake-target" : "worker-%u", t);
      hearth_stream_encoder_thread (enc, pid, pid + (int) t, name);
    }

  while (!stop)
    {
      gint64 t_ns = now_ns () - start;

      for (guint t = 0; t < n_threads; t++)
        {
          HearthStreamFrame frames[8];
          guint n;

          frames_for (t, tick, frames, &n);
          hearth_stream_encoder_sample (enc, pid + (int) t, t_ns,
                                        t == 0 ? HEARTH_THREAD_STATE_SLEEPING : HEARTH_THREAD_STATE_RUNNING,
                                        1, frames, n);
          stats.samples++;
        }
      tick++;

      if (!hearth_stream_encoder_flush_to (enc, out, NULL, NULL))
        return 0;  /* reader went away */

      if (g_str_equal (behaviour, "die") && t_ns > G_GINT64_CONSTANT (500000000))
        raise (SIGKILL);
      if (g_str_equal (behaviour, "exit") && t_ns > G_GINT64_CONSTANT (1000000000))
        {
          hearth_stream_encoder_marker (enc, t_ns, t_ns, "process-exited", "fake-target exited with status 0");
          stats.exit_status = 0;
          break;
        }

      {
        gint64 deadline = start + (gint64) (tick * period);
        gint64 wait = deadline - now_ns ();
        if (wait > 0)
          g_usleep (wait / 1000);
      }
    }

  stats.threads = n_threads;
  stats.duration_ns = now_ns () - start;
  if (!g_str_equal (behaviour, "exit"))
    stats.exit_status = -1;
  hearth_stream_encoder_end (enc, &stats);
  hearth_stream_encoder_flush_to (enc, out, NULL, NULL);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  int pid = 0;
  guint rate = 99;

  signal (SIGINT, on_signal);
  signal (SIGTERM, on_signal);
  signal (SIGPIPE, SIG_IGN);

  if (argc >= 2 && g_str_equal (argv[1], "ps"))
    return do_ps ();

  if (argc < 2 || !g_str_equal (argv[1], "stream"))
    {
      g_printerr ("usage: hearth-fake-collector ps --json | stream --pid N [--rate HZ] [--mode M]\n");
      return 2;
    }

  for (int i = 2; i + 1 < argc; i++)
    {
      if (g_str_equal (argv[i], "--pid"))
        pid = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--rate"))
        rate = (guint) atoi (argv[++i]);
    }

  return do_stream (pid > 0 ? pid : (int) getpid (), rate);
}
