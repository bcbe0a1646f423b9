/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "hearth-python-private.h"

/*
 * bench-python: what reading Python stacks costs, on Debian's python3.
 *
 * 1. The reader: µs per sample and per Python frame, frames per second and
 *    syscalls per sample, for sleeping targets (the seed story, many deep
 *    threads) and a running one; against, in the same run, a naive reader
 *    that reads every frame, code object and string with its own
 *    process_vm_readv and caches nothing (how sampler-notes §7.2 measured
 *    4.8 µs/frame).
 * 2. The target: iterations of a CPU-bound Python loop while sampled at
 *    99 Hz, against no sampling, in interleaved rounds: the reader alone
 *    (what --python-only costs the target: no ptrace) and hearth-collector
 *    record in each mode it offers.
 *
 * Usage: bench-python [--samples N] [--duration S] [--rounds R]
 *                     [--python PATH] [--collector PATH] [--slowdown-only]
 */

static int opt_samples = 3000;
static double opt_duration = 3.0;
static int opt_rounds = 3;
static char *opt_python = NULL;
static char *opt_collector = NULL;
static gboolean opt_slowdown_only = FALSE;

/* --- targets ------------------------------------------------------------------ */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  gint32            pid;
} Target;

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static char *
read_line (Target *t)
{
  return g_data_input_stream_read_line_utf8 (t->out, NULL, NULL, NULL);
}

static Target *
target_spawn (const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GError) error = NULL;
  Target *t = g_new0 (Target, 1);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  t->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (t->process == NULL)
    g_error ("cannot start %s: %s", argv[0], error->message);
  t->pid = (gint32) g_ascii_strtoll (g_subprocess_get_identifier (t->process), NULL, 10);
  t->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (t->process));
  for (;;)
    {
      g_autofree char *line = read_line (t);

      if (line == NULL)
        g_error ("%s exited before it was ready", argv[1]);
      if (g_str_has_prefix (line, "ready"))
        break;
    }
  return t;
}

static void
target_free (Target *t)
{
  g_subprocess_force_exit (t->process);
  g_subprocess_wait (t->process, NULL, NULL);
  g_object_unref (t->out);
  g_object_unref (t->process);
  g_free (t);
}

static char *
source_path (const char *dir,
             const char *name)
{
  return g_build_filename (SOURCE_ROOT, dir, name, NULL);
}

static double
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* CPU time of this thread (user + system): what the reading costs, less
 * disturbed than wall time when other work shares the CPUs. */
static double
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* --- the naive reader, for comparison ------------------------------------------ */

static gboolean
naive_read (HearthPython *py,
            guint64       remote,
            gpointer      local,
            gsize         length)
{
  return _hearth_python_read (py, remote, local, length);
}

/* Every object read on its own, nothing cached; returns frames read. */
static guint
naive_walk (HearthPython *py)
{
  const HearthPyOffsets *o = &py->offsets;
  guint8 tstate_buf[1024], frame[256], code[512], text[512];
  guint64 interp = 0, tstate = 0;
  guint frames = 0;

  if (!naive_read (py, py->runtime + o->runtime_interpreters_head, &interp, 8) || interp == 0 ||
      !naive_read (py, interp + o->interp_threads_head, &tstate, 8))
    return 0;

  for (guint t = 0; tstate != 0 && t < 256; t++)
    {
      gsize tsize = _hearth_python_tstate_size (o);
      guint64 current = 0;

      if (!naive_read (py, tstate, tstate_buf, tsize))
        break;
      if (o->tstate_cframe != HEARTH_PY_NO_OFFSET)
        naive_read (py, get_u64 (tstate_buf, o->tstate_cframe) + o->cframe_current_frame, &current, 8);
      else
        current = get_u64 (tstate_buf, o->tstate_current_frame);

      for (guint f = 0; current != 0 && f < 1024; f++)
        {
          guint64 c;

          if (!naive_read (py, current, frame, o->frame_size))
            break;
          c = get_u64 (frame, o->frame_code);
          if (naive_read (py, c, code, o->code_adaptive))
            {
              naive_read (py, get_u64 (code, o->code_qualname), text, o->unicode_ascii_data + 64);
              naive_read (py, get_u64 (code, o->code_filename), text, o->unicode_ascii_data + 128);
              naive_read (py, get_u64 (code, o->code_linetable), text, o->bytes_data + 256);
              frames++;
            }
          current = get_u64 (frame, o->frame_previous);
        }
      tstate = get_u64 (tstate_buf, o->tstate_next);
    }
  return frames;
}

/* --- 1. reader cost ---------------------------------------------------------------- */

static void
bench_reader (const char         *label,
              const char * const *argv)
{
  Target *t = target_spawn (argv);
  g_autoptr(GError) error = NULL;
  HearthPython *py = hearth_python_attach (t->pid, &error);
  HearthPyStats before, after;
  double t0, t1, c0, c1, cold;
  guint64 frames = 0, naive_frames = 0, partial = 0;
  guint threads = 0;
  double naive_us;

  if (py == NULL)
    g_error ("cannot read %s: %s", label, error ? error->message : "not Python");

  t0 = now_us ();
  hearth_python_sample (py, NULL);
  cold = now_us () - t0;
  for (int i = 0; i < 20; i++)
    hearth_python_sample (py, NULL);

  hearth_python_get_stats (py, &before);
  c0 = cpu_us ();
  t0 = now_us ();
  for (int i = 0; i < opt_samples; i++)
    {
      GArray *sample = hearth_python_sample (py, &error);

      if (sample == NULL)
        g_error ("%s: %s", label, error->message);
      threads = sample->len;
      for (guint k = 0; k < sample->len; k++)
        partial += g_array_index (sample, HearthPyThread, k).partial;
    }
  t1 = now_us ();
  c1 = cpu_us ();
  hearth_python_get_stats (py, &after);
  frames = after.frames - before.frames;

  {
    double n0 = cpu_us ();

    for (int i = 0; i < opt_samples / 4; i++)
      naive_frames += naive_walk (py);
    naive_us = (cpu_us () - n0) / (opt_samples / 4);
  }

  {
    double frames_sample = (double) frames / opt_samples;
    double wall_frame = (t1 - t0) / opt_samples / MAX (frames_sample, 1);
    double cpu_frame = (c1 - c0) / opt_samples / MAX (frames_sample, 1);
    double naive_us_frame = naive_us / MAX ((double) naive_frames / (opt_samples / 4), 1);

    printf ("%-36s %2u thr %6.1f fr/sample %7.1f µs/sample (cpu %7.1f) %5.2f µs/frame (cpu %5.2f) "
            "%8.0f frames/s %4.1f syscalls/sample %4.1f%% partial cold %5.0f µs | naive cpu %5.2f µs/frame (%.1fx)\n",
            label, threads, frames_sample, (t1 - t0) / opt_samples, (c1 - c0) / opt_samples,
            wall_frame, cpu_frame, frames / ((t1 - t0) / 1e6),
            (double) (after.syscalls - before.syscalls) / opt_samples,
            100.0 * partial / MAX ((guint64) threads * opt_samples, 1), cold,
            naive_us_frame, naive_us_frame / cpu_frame);
  }
  hearth_python_free (py);
  target_free (t);
}

/* What reading one thread costs while the collector holds it stopped
 * (hearth_python_sample_thread): the time Python support adds to each
 * stop window of a running thread. */
static void
bench_sample_thread (void)
{
  g_autofree char *script = source_path ("bench/python", "cpu_loop.py");
  Target *t = target_spawn ((const char * const[]) { opt_python, script, "600", NULL });
  GOutputStream *in = g_subprocess_get_stdin_pipe (t->process);
  HearthPython *py = hearth_python_attach (t->pid, NULL);
  HearthPyStats before, after;
  double t0, c0, wall, cpu;
  int n = opt_samples;

  g_output_stream_write_all (in, "go\n", 3, NULL, NULL, NULL);
  g_usleep (200 * 1000);
  hearth_python_sample_thread (py, t->pid, NULL);
  hearth_python_get_stats (py, &before);
  t0 = now_us ();
  c0 = cpu_us ();
  for (int i = 0; i < n; i++)
    hearth_python_sample_thread (py, t->pid, NULL);
  cpu = (cpu_us () - c0) / n;
  wall = (now_us () - t0) / n;
  hearth_python_get_stats (py, &after);
  printf ("%-36s %5.1f frames  %6.1f µs/call (cpu %5.1f)  %4.1f syscalls/call  "
          "=> %.2f%% of the time stopped at 99 Hz (cpu figure)\n",
          "one running thread (sample_thread)", (double) (after.frames - before.frames) / n,
          wall, cpu, (double) (after.syscalls - before.syscalls) / n, cpu * 99 / 1e4);
  hearth_python_free (py);
  target_free (t);
}

/* --- 2. target slowdown ------------------------------------------------------------ */

typedef enum
{
  MODE_NONE,
  MODE_READER,        /* hearth_python_sample() at 99 Hz, no ptrace */
  MODE_COLLECTOR,     /* hearth-collector record, with whatever extra flag */
} ModeKind;

typedef struct
{
  const char *label;
  ModeKind    kind;
  const char *flag;   /* extra collector flag or VAR=value, or NULL */
  GArray     *runs;   /* double: iterations per wall-clock second */
  GArray     *cpu_runs; /* double: iterations per CPU second of the target */
  GArray     *stopped;  /* double: share of the run the target was ptrace-stopped */
} Mode;

typedef struct
{
  gint32        pid;
  volatile gint stop;
  guint         samples;
} ReaderThread;

static gpointer
reader_thread (gpointer data)
{
  ReaderThread *rt = data;
  HearthPython *py = hearth_python_attach (rt->pid, NULL);
  struct timespec next;

  if (py == NULL)
    return NULL;
  clock_gettime (CLOCK_MONOTONIC, &next);
  while (!g_atomic_int_get (&rt->stop))
    {
      hearth_python_sample (py, NULL);
      rt->samples++;
      next.tv_nsec += 1000000000 / 99;
      if (next.tv_nsec >= 1000000000)
        {
          next.tv_sec++;
          next.tv_nsec -= 1000000000;
        }
      clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
  hearth_python_free (py);
  return NULL;
}

static void
run_loop (Mode       *mode,
          const char *script)
{
  g_autofree char *duration = g_strdup_printf ("%g", opt_duration);
  Target *t = target_spawn ((const char * const[]) { opt_python, script, duration, NULL });
  GOutputStream *in = g_subprocess_get_stdin_pipe (t->process);
  GSubprocess *collector = NULL;
  ReaderThread rt = { t->pid, 0, 0 };
  GThread *thread = NULL;
  g_autofree char *line = NULL;
  g_autofree char *out = g_strdup_printf ("%s/bench-python-%d.profsession", g_get_tmp_dir (), t->pid);
  double iterations = 0, cpu = 0;

  if (mode->kind == MODE_READER)
    thread = g_thread_new ("reader", reader_thread, &rt);
  else if (mode->kind == MODE_COLLECTOR)
    {
      g_autofree char *pid = g_strdup_printf ("%d", t->pid);
      g_autofree char *secs = g_strdup_printf ("%g", opt_duration + 5);
      gboolean env = mode->flag != NULL && strchr (mode->flag, '=') != NULL;
      const char *argv[] = { opt_collector, "record", "--pid", pid, "--rate", "99", "--report-costs",
                             "--duration", secs, "-o", out, env ? NULL : mode->flag, NULL };
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);

      if (env)
        g_subprocess_launcher_setenv (launcher, "HEARTH_PYTHON", strchr (mode->flag, '=') + 1, TRUE);
      g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
      collector = g_subprocess_launcher_spawnv (launcher, argv, NULL);
      g_usleep (300 * 1000);   /* let it attach before the loop starts */
    }

  g_output_stream_write_all (in, "go\n", 3, NULL, NULL, NULL);
  while ((line = read_line (t)) != NULL && !g_str_has_prefix (line, "iterations"))
    g_clear_pointer (&line, g_free);
  if (line != NULL)
    {
      char *end = NULL;

      iterations = g_ascii_strtod (line + strlen ("iterations"), &end);
      if (end != NULL && g_str_has_prefix (end, " cpu"))
        cpu = g_ascii_strtod (end + strlen (" cpu"), NULL);
    }

  if (thread != NULL)
    {
      g_atomic_int_set (&rt.stop, 1);
      g_thread_join (thread);
    }
  if (collector != NULL)
    {
      g_autofree char *costs = NULL;
      const char *stops, *mean;

      g_subprocess_send_signal (collector, SIGINT);
      g_subprocess_communicate_utf8 (collector, NULL, NULL, NULL, &costs, NULL);
      g_object_unref (collector);
      g_unlink (out);
      /* --report-costs: "stops=N … stop_us_mean=X"; the collector runs a
       * little longer than the loop, so this slightly overstates it. */
      stops = costs ? strstr (costs, " stops=") : NULL;
      mean = costs ? strstr (costs, " stop_us_mean=") : NULL;
      if (stops != NULL && mean != NULL)
        {
          double share = g_ascii_strtod (stops + strlen (" stops="), NULL) *
                         g_ascii_strtod (mean + strlen (" stop_us_mean="), NULL) / (opt_duration * 1e6);

          g_array_append_val (mode->stopped, share);
        }
    }
  target_free (t);

  iterations /= opt_duration;
  g_array_append_val (mode->runs, iterations);
  if (cpu > 0)
    {
      double per_cpu = iterations * opt_duration / cpu;

      g_array_append_val (mode->cpu_runs, per_cpu);
    }
}

static gboolean
collector_has_flag (const char *flag)
{
  g_autofree char *help = NULL;
  const char *argv[] = { opt_collector, "record", "--help-all", NULL };

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &help, NULL, NULL, NULL))
    return FALSE;
  return strstr (help, flag) != NULL;
}

static void
stats (GArray *runs,
       double *mean,
       double *sd)
{
  double sum = 0, sq = 0;

  for (guint i = 0; i < runs->len; i++)
    sum += g_array_index (runs, double, i);
  *mean = sum / MAX (runs->len, 1);
  for (guint i = 0; i < runs->len; i++)
    sq += pow (g_array_index (runs, double, i) - *mean, 2);
  *sd = runs->len > 1 ? sqrt (sq / (runs->len - 1)) : 0;
}

static void
print_rates (const char *title,
             Mode       *modes,
             guint       n_modes,
             gboolean    cpu)
{
  double base, base_sd, native = 0;

  printf ("  %s:\n", title);
  stats (cpu ? modes[0].cpu_runs : modes[0].runs, &base, &base_sd);
  for (guint m = 0; m < n_modes; m++)
    {
      GArray *runs = cpu ? modes[m].cpu_runs : modes[m].runs;
      double mean, sd;

      if (runs->len == 0)
        {
          printf ("    %-42s n/a (%s)\n", modes[m].label,
                  opt_collector == NULL ? "no hearth-collector" : "not offered");
          continue;
        }
      stats (runs, &mean, &sd);
      if (modes[m].flag != NULL && g_str_equal (modes[m].flag, "HEARTH_PYTHON=0"))
        native = mean;
      printf ("    %-42s %9.0f ± %5.0f  slowdown %+6.2f%%", modes[m].label, mean, sd,
              100.0 * (base - mean) / base);
      if (native > 0 && modes[m].kind == MODE_COLLECTOR && native != mean)
        printf ("  vs native-only %+6.2f%%", 100.0 * (native - mean) / native);
      printf ("\n");
    }
}

static void
bench_slowdown (void)
{
  g_autofree char *script = source_path ("bench/python", "cpu_loop.py");
  Mode modes[] = {
    { "no sampling", MODE_NONE, NULL, NULL, NULL, NULL },
    { "reader only at 99 Hz (no ptrace)", MODE_READER, NULL, NULL, NULL, NULL },
    { "collector, native only (HEARTH_PYTHON=0)", MODE_COLLECTOR, "HEARTH_PYTHON=0", NULL, NULL, NULL },
    { "collector, native + Python", MODE_COLLECTOR, NULL, NULL, NULL, NULL },
    { "collector --python-only", MODE_COLLECTOR, "--python-only", NULL, NULL, NULL },
  };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      modes[m].runs = g_array_new (FALSE, FALSE, sizeof (double));
      modes[m].cpu_runs = g_array_new (FALSE, FALSE, sizeof (double));
      modes[m].stopped = g_array_new (FALSE, FALSE, sizeof (double));
    }

  for (int r = 0; r < opt_rounds; r++)
    for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
      if (modes[m].kind != MODE_COLLECTOR ||
          (opt_collector != NULL &&
           (modes[m].flag == NULL || !g_str_has_prefix (modes[m].flag, "--") ||
            collector_has_flag (modes[m].flag))))
        run_loop (&modes[m], script);

  printf ("\nCPU-bound Python loop at 99 Hz, %d interleaved rounds of %g s, mean ± sd;\n"
          "slowdown against no sampling, and against the collector's native-only mode:\n",
          opt_rounds, opt_duration);
  print_rates ("iterations per wall-clock second", modes, G_N_ELEMENTS (modes), FALSE);
  print_rates ("iterations per CPU second of the target", modes, G_N_ELEMENTS (modes), TRUE);
  printf ("  time the target spent ptrace-stopped (collector --report-costs):\n");
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      double mean, sd;

      if (modes[m].stopped->len == 0)
        continue;
      stats (modes[m].stopped, &mean, &sd);
      printf ("    %-42s %6.3f%% ± %.3f%%\n", modes[m].label, 100 * mean, 100 * sd);
    }
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_array_unref (modes[m].runs);
      g_array_unref (modes[m].cpu_runs);
      g_array_unref (modes[m].stopped);
    }
}

int
main (int   argc,
      char *argv[])
{
  GOptionEntry entries[] = {
    { "samples", 0, 0, G_OPTION_ARG_INT, &opt_samples, "Samples per reader benchmark", "N" },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &opt_duration, "Seconds per slowdown run", "S" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &opt_rounds, "Slowdown rounds", "R" },
    { "python", 0, 0, G_OPTION_ARG_FILENAME, &opt_python, "Interpreter (default /usr/bin/python3)", "PATH" },
    { "collector", 0, 0, G_OPTION_ARG_FILENAME, &opt_collector, "hearth-collector to compare with", "PATH" },
    { "slowdown-only", 0, 0, G_OPTION_ARG_NONE, &opt_slowdown_only, "Skip the reader benchmarks", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- cost of reading Python stacks");
  g_autoptr(GError) error = NULL;
  g_autofree char *demo = source_path ("demo/python", "seed_story.py");
  g_autofree char *threads = source_path ("tests/python", "py-threads.py");
  g_autofree char *churn = source_path ("tests/python", "py-churn.py");
  g_autofree char *flask = source_path ("demo/python", "seed_story_flask.py");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_python == NULL)
    opt_python = g_strdup ("/usr/bin/python3");
  if (opt_collector == NULL)
    {
      const char *root = g_getenv ("HEARTH_BUILD_ROOT");
      g_autofree char *path = g_build_filename (root ? root : BUILD_ROOT, "src", "collector",
                                                "hearth-collector", NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        opt_collector = g_steal_pointer (&path);
    }

  if (opt_slowdown_only)
    {
      bench_slowdown ();
      return 0;
    }
  printf ("Python reader on %s, %d samples per target:\n", opt_python, opt_samples);
  bench_reader ("seed story (2 threads, sleeping)",
                (const char * const[]) { opt_python, demo, "--duration", "600", NULL });
  bench_reader ("8 threads, 37-44 deep (sleeping)",
                (const char * const[]) { opt_python, threads, "8", "600", "32", NULL });
  bench_reader ("CPU-bound, up to 257 deep (running)",
                (const char * const[]) { opt_python, churn, "600", NULL });
  if (g_file_test ("/usr/lib/python3/dist-packages/flask/__init__.py", G_FILE_TEST_EXISTS))
    bench_reader ("Flask demo (server + client)",
                  (const char * const[]) { opt_python, flask, NULL });
  bench_sample_thread ();

  if (opt_rounds > 0)
    bench_slowdown ();
  return 0;
}
