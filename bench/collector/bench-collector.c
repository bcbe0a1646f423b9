/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * bench-collector: hearth-collector against its ptrace-based peers, side
 * by side in one run, on the same targets (tests/collector/targets):
 *
 *   A. cost per thread-sample at a depth of 32 frames (target-cpu)
 *   B. the highest sustained rate on a single-threaded target
 *   C. target slowdown at 99 Hz and 999 Hz (target-cpu throughput)
 *   D. whether threads sleeping in nanosleep/read/poll/futex are seen
 *
 * Peers: `perf record -g -F HZ -p PID`, an `eu-stack -p PID` loop and
 * `gdb -batch -ex "thread apply all bt" -p PID`. Targets of the issue:
 * ≤ 30 µs per thread-sample at depth 32, ≥ 1000 Hz sustained on one
 * thread, ≤ 1% slowdown at 99 Hz, ≤ 3% at 999 Hz.
 *
 *   bench-collector [--quick]
 *
 * Needs root (or ptrace rights over its own children) and perf, eu-stack,
 * gdb in PATH; a missing peer is reported and skipped.
 */

#include <errno.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hearth-profile.h"
#include "hearth-session-store.h"

/* target-cpu's own frames plus descend() × (DEPTH + 1) = 32 frames */
#define DEPTH "22"

static gboolean quick;
static double window_s = 4.0;

typedef struct
{
  double wall_s;
  double cpu_s;     /* user + system of the command itself */
  int    status;
  char  *out;
  char  *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static char *
build_path (const char *first,
            ...)
{
  const char *root = g_getenv ("HEARTH_BUILD_ROOT");
  GString *path = g_string_new (root ? root : BUILD_ROOT);
  const char *part;
  va_list ap;

  va_start (ap, first);
  for (part = first; part != NULL; part = va_arg (ap, const char *))
    {
      g_string_append_c (path, '/');
      g_string_append (path, part);
    }
  va_end (ap);
  return g_string_free (path, FALSE);
}

static char *
read_all (int fd)
{
  GString *s = g_string_new (NULL);
  char buf[4096];
  gssize n;

  while ((n = read (fd, buf, sizeof buf)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        break;
      g_string_append_len (s, buf, n);
    }
  close (fd);
  return g_string_free (s, FALSE);
}

/* Run argv to completion with its CPU time (wait4's rusage). */
static gboolean
run_measured (const char * const *argv,
              Run                *run)
{
  g_autoptr(GError) error = NULL;
  struct rusage ru;
  GPid pid;
  int out_fd, err_fd;
  gint64 start = g_get_monotonic_time ();
  g_autofree char *err_text = NULL;

  memset (run, 0, sizeof *run);
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
                                 NULL, NULL, &pid, NULL, &out_fd, &err_fd, &error))
    {
      g_printerr ("bench-collector: cannot run %s: %s\n", argv[0], error->message);
      return FALSE;
    }
  /* stderr is small; stdout may be a stream to discard */
  run->out = read_all (out_fd);
  err_text = read_all (err_fd);
  wait4 (pid, &run->status, 0, &ru);
  run->wall_s = (g_get_monotonic_time () - start) / 1e6;
  run->cpu_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  run->err = g_steal_pointer (&err_text);
  return TRUE;
}

/* --- targets ------------------------------------------------------------- */

typedef struct
{
  GPid pid;
  int  out_fd;
} Target;

static Target
start_target (const char *name,
              double      seconds)
{
  g_autofree char *path = build_path ("tests", "collector", "targets", name, NULL);
  g_autofree char *duration = g_strdup_printf ("%.1f", seconds);
  const char *argv[] = { path, "--duration", duration, "--depth", DEPTH, NULL };
  g_autoptr(GError) error = NULL;
  Target t = { 0, -1 };

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                 NULL, NULL, &t.pid, NULL, &t.out_fd, NULL, &error))
    g_error ("cannot start %s: %s (build the collector tests first)", path, error->message);
  /* let it reach its loop */
  g_usleep (200 * 1000);
  return t;
}

typedef struct
{
  double per_wall;   /* iterations per second */
  double per_cpu;    /* iterations per CPU second of the target */
} Throughput;

/* target-cpu's throughput over its whole run */
static Throughput
finish_target (Target *t)
{
  g_autofree char *out = read_all (t->out_fd);
  const char *rate = strstr (out, "rate=");
  const char *work = strstr (out, "work=");
  const char *cpu = strstr (out, "cpu=");
  Throughput tp = { 0, 0 };

  waitpid (t->pid, NULL, 0);
  if (rate != NULL)
    tp.per_wall = g_ascii_strtod (rate + 5, NULL);
  if (work != NULL && cpu != NULL && g_ascii_strtod (cpu + 4, NULL) > 0)
    tp.per_cpu = g_ascii_strtod (work + 5, NULL) / g_ascii_strtod (cpu + 4, NULL);
  return tp;
}

static void
kill_target (Target *t)
{
  kill (t->pid, SIGKILL);
  close (t->out_fd);
  waitpid (t->pid, NULL, 0);
}

/* --- the tools ------------------------------------------------------------ */

typedef struct
{
  guint64 samples;
  double  work_us;        /* collector's own time per sample, waits for a CPU excluded */
  double  unwind_us;
  double  name_us;        /* symbolize + encode */
  double  seize_us;       /* PTRACE_SEIZE + PTRACE_INTERRUPT */
  double  frames;
  double  stop_mean_us;   /* time a thread is held stopped */
  double  stop_p50_us;
  double  stop_p99_us;
  double  wait_us;        /* PTRACE_INTERRUPT until the thread stops */
  double  cpu_s;
  double  wall_s;
} HearthRun;

static double
field (const char *text,
       const char *key)
{
  g_autofree char *needle = g_strdup_printf (" %s=", key);
  const char *p = text ? strstr (text, needle) : NULL;

  return p ? g_ascii_strtod (p + strlen (needle), NULL) : 0;
}

static gboolean
run_hearth (GPid        pid,
            guint       rate,
            double      seconds,
            const char *extra,
            HearthRun  *out)
{
  g_autofree char *collector = build_path ("src", "collector", "hearth-collector", NULL);
  g_autofree char *pid_arg = g_strdup_printf ("--pid=%d", (int) pid);
  g_autofree char *rate_arg = g_strdup_printf ("--rate=%u", rate);
  g_autofree char *dur_arg = g_strdup_printf ("--duration=%.2f", seconds);
  const char *argv[] = { collector, "stream", pid_arg, rate_arg, dur_arg, "--report-costs", extra, NULL };
  Run run;

  memset (out, 0, sizeof *out);
  if (!run_measured (argv, &run))
    return FALSE;
  {
    const char *costs = run.err ? strstr (run.err, "costs: samples=") : NULL;

    if (costs != NULL)
      out->samples = g_ascii_strtoull (costs + strlen ("costs: samples="), NULL, 10);
  }
  out->work_us = field (run.err, "work_us");
  out->unwind_us = field (run.err, "unwind_us");
  out->name_us = field (run.err, "name_us");
  out->seize_us = field (run.err, "seize_us_mean");
  out->frames = field (run.err, "frames/sample");
  out->stop_mean_us = field (run.err, "stop_us_mean");
  out->stop_p50_us = field (run.err, "stop_us_p50");
  out->stop_p99_us = field (run.err, "stop_us_p99");
  out->wait_us = field (run.err, "stop_wait_us_mean");
  out->cpu_s = run.cpu_s;
  out->wall_s = run.wall_s;
  run_clear (&run);
  return out->samples > 0;
}

typedef struct
{
  guint64 samples;
  double  cpu_s;
  double  wall_s;
  char   *script;    /* perf script output, when asked for */
} PerfRun;

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static gboolean
run_perf (GPid      pid,
          guint     rate,
          double    seconds,
          gboolean  want_script,
          PerfRun  *out)
{
  g_autofree char *dir = g_dir_make_tmp ("bench-perf-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "perf.data", NULL);
  g_autofree char *pid_arg = g_strdup_printf ("%d", (int) pid);
  g_autofree char *freq = g_strdup_printf ("%u", rate);
  g_autofree char *sleep_arg = g_strdup_printf ("%.2f", seconds);
  const char *argv[] = { "perf", "record", "-q", "-g", "-F", freq, "-p", pid_arg, "-o", data, "--", "sleep", sleep_arg, NULL };
  const char *report[] = { "perf", "report", "-i", data, "--stdio", "--header-only", NULL };
  Run run, rep;
  const char *p;

  memset (out, 0, sizeof *out);
  if (!run_measured (argv, &run))
    return FALSE;
  out->cpu_s = run.cpu_s;
  out->wall_s = run.wall_s;
  run_clear (&run);

  /* "# sample_freq …", and the sample count from the event line */
  if (run_measured (report, &rep))
    {
      if ((p = strstr (rep.out, "# Samples: ")) != NULL)
        out->samples = g_ascii_strtoull (p + 11, NULL, 10);
      run_clear (&rep);
    }
  if (out->samples == 0)
    {
      /* one line per sample: no ip/sym field, so no call chain lines */
      const char *count[] = { "sh", "-c", "perf script -i \"$1\" -F tid 2>/dev/null | grep -c .", "sh", data, NULL };
      Run c;

      if (run_measured (count, &c))
        out->samples = g_ascii_strtoull (c.out, NULL, 10);
      run_clear (&c);
    }
  if (want_script)
    {
      const char *script[] = { "perf", "script", "-i", data, NULL };
      Run s;

      if (run_measured (script, &s))
        out->script = g_steal_pointer (&s.out);
      run_clear (&s);
    }
  g_unlink (data);
  g_rmdir (dir);
  return TRUE;
}

/* One snapshot of every thread by eu-stack or gdb. */
static gboolean
run_snapshot_tool (const char *tool,
                   GPid        pid,
                   Run        *run)
{
  g_autofree char *pid_arg = g_strdup_printf ("%d", (int) pid);

  if (strcmp (tool, "eu-stack") == 0)
    {
      const char *argv[] = { "eu-stack", "-p", pid_arg, NULL };
      return run_measured (argv, run);
    }
  else
    {
      const char *argv[] = { "gdb", "-batch", "-nx", "-q", "-ex", "thread apply all bt", "-p", pid_arg, NULL };
      return run_measured (argv, run);
    }
}

/* --- A: per-sample cost ---------------------------------------------------------- */

static void
section_cost (void)
{
  HearthRun h99, h999;
  Target t;

  g_print ("\n== A. Cost per thread-sample, one thread at depth 32 (target-cpu --depth " DEPTH ") ==\n");
  g_print ("%-34s %8s %10s %10s %8s %18s %10s\n", "tool", "samples", "work µs", "CPU µs", "frames",
           "held p50/p99 µs", "unwind µs");

  t = start_target ("target-cpu", 3 * window_s + 10);
  for (guint i = 0; i < 2; i++)
    {
      HearthRun *h = i == 0 ? &h99 : &h999;

      if (run_hearth (t.pid, i == 0 ? 99 : 999, window_s, NULL, h))
        g_print ("%-34s %8" G_GUINT64_FORMAT " %10.1f %10.1f %8.1f %8.1f /%8.1f %10.1f\n",
                 i == 0 ? "hearth-collector 99 Hz" : "hearth-collector 999 Hz",
                 h->samples, h->work_us, h->cpu_s * 1e6 / h->samples, h->frames,
                 h->stop_p50_us, h->stop_p99_us, h->unwind_us);
    }
  g_print ("  work µs: the collector's time per thread-sample: seize + interrupt (%.1f / %.1f), held\n"
           "  (registers, stack copy, detach), unwind, name + encode (%.1f / %.1f); not counting the wait\n"
           "  for the thread to reach its stop (%.1f / %.1f µs on average here);\n"
           "  CPU µs: all collector CPU (ticks, /proc reads, output) divided by samples;\n"
           "  held: how long the target thread is stopped.\n",
           h99.seize_us, h999.seize_us, h99.name_us, h999.name_us, h99.wait_us, h999.wait_us);

  if (have_program ("perf"))
    {
      PerfRun p;

      if (run_perf (t.pid, 999, window_s, FALSE, &p) && p.samples > 0)
        g_print ("%-34s %8" G_GUINT64_FORMAT " %10s %10.1f %8s   ratio CPU/sample hearth/perf = %.2f\n",
                 "perf record -g -F 999", p.samples, "(kernel)", p.cpu_s * 1e6 / p.samples, "fp",
                 (h999.cpu_s / h999.samples) / (p.cpu_s / p.samples));
      g_print ("  (perf: its own CPU per sample; the sampling itself runs in the kernel, in the target's time)\n");
    }
  for (guint k = 0; k < 2; k++)
    {
      const char *tool = k == 0 ? "eu-stack" : "gdb";
      guint n = k == 0 ? (quick ? 5 : 10) : (quick ? 2 : 3);
      double wall = 0, cpu = 0;

      if (!have_program (tool))
        {
          g_print ("%-34s (not installed)\n", tool);
          continue;
        }
      for (guint i = 0; i < n; i++)
        {
          Run r;

          if (run_snapshot_tool (tool, t.pid, &r))
            {
              wall += r.wall_s;
              cpu += r.cpu_s;
              run_clear (&r);
            }
        }
      g_print ("%-34s %8u %10.0f %10.0f %8s   ratio time per thread-stack %s/hearth = %.0f×\n",
               k == 0 ? "eu-stack -p (per run)" : "gdb thread apply all bt (per run)",
               n, wall * 1e6 / n, cpu * 1e6 / n, "full", tool, (wall * 1e6 / n) / MAX (h999.work_us, 0.001));
    }
  kill_target (&t);
}

/* --- B: highest sustained rate ------------------------------------------------------ */

static void
section_rate (void)
{
  const guint rates[] = { 1000, 2000, 4000, 8000 };
  double best = 0;
  Target t;

  g_print ("\n== B. Highest sustained rate, one thread at depth 32 ==\n");
  t = start_target ("target-cpu", G_N_ELEMENTS (rates) * 2.5 + 10);
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      HearthRun h;
      double achieved;

      if (!run_hearth (t.pid, rates[i], 2.0, NULL, &h))
        continue;
      achieved = h.samples / 2.0;
      g_print ("  hearth-collector asked %5u Hz: %7.0f samples/s (%.0f%%), collector CPU %.0f%%\n",
               rates[i], achieved, 100 * achieved / rates[i], 100 * h.cpu_s / h.wall_s);
      if (achieved >= 0.9 * rates[i])
        best = MAX (best, achieved);
    }
  g_print ("  hearth-collector sustains %.0f Hz (≥ 90%% of the asked rate)\n", best);
  if (have_program ("perf"))
    {
      PerfRun p;

      if (run_perf (t.pid, 8000, 2.0, FALSE, &p))
        g_print ("  perf record -g -F 8000: %.0f samples/s\n", p.samples / 2.0);
    }
  kill_target (&t);
}

/* --- C: slowdown ------------------------------------------------------------------- */

typedef enum
{
  LOAD_NONE,
  LOAD_HEARTH,
  LOAD_PERF,
  LOAD_EU_STACK,
  LOAD_GDB,
} Load;

/* target-cpu's throughput over one window while load runs against it;
 * held receives the share of the window the collector held it stopped */
static Throughput
throughput_under (Load    load,
                  guint   rate,
                  double *held)
{
  Target t = start_target ("target-cpu", window_s);
  double end = g_get_monotonic_time () / 1e6 + window_s - 0.2;

  switch (load)
    {
    case LOAD_HEARTH:
      {
        HearthRun h;

        if (run_hearth (t.pid, rate, window_s - 0.4, NULL, &h) && held != NULL)
          *held = h.samples * h.stop_mean_us / 1e6 / (window_s - 0.4);
      }
      break;
    case LOAD_PERF:
      {
        PerfRun p;
        run_perf (t.pid, rate, window_s - 0.4, FALSE, &p);
      }
      break;
    case LOAD_EU_STACK:
    case LOAD_GDB:
      while (g_get_monotonic_time () / 1e6 < end - (load == LOAD_GDB ? 0.8 : 0.1))
        {
          Run r;

          if (!run_snapshot_tool (load == LOAD_GDB ? "gdb" : "eu-stack", t.pid, &r))
            break;
          run_clear (&r);
        }
      break;
    case LOAD_NONE:
    default:
      break;
    }
  return finish_target (&t);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
section_slowdown (void)
{
  struct { const char *name; Load load; guint rate; } cases[] = {
    { "hearth-collector 99 Hz", LOAD_HEARTH, 99 },
    { "hearth-collector 999 Hz", LOAD_HEARTH, 999 },
    { "perf record -g 99 Hz", LOAD_PERF, 99 },
    { "perf record -g 999 Hz", LOAD_PERF, 999 },
    { "eu-stack -p loop", LOAD_EU_STACK, 0 },
    { "gdb thread apply all bt loop", LOAD_GDB, 0 },
  };
  guint rounds = quick ? 1 : 3;

  g_print ("\n== C. Target slowdown (target-cpu throughput, %.0f s windows, median of %u, each next to its own baseline) ==\n"
           "  per wall second | per CPU second of the target | share of the time held stopped\n",
           window_s, rounds);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) held = g_array_new (FALSE, FALSE, sizeof (double));
      double mw, mc, mh;

      if ((cases[c].load == LOAD_PERF && !have_program ("perf")) ||
          (cases[c].load == LOAD_EU_STACK && !have_program ("eu-stack")) ||
          (cases[c].load == LOAD_GDB && !have_program ("gdb")))
        continue;
      for (guint r = 0; r < rounds; r++)
        {
          /* baseline and loaded runs alternate so drifting machine load
           * (other work on the box) hits both alike */
          Throughput base = throughput_under (LOAD_NONE, 0, NULL);
          double held_share = 0;
          Throughput loaded = throughput_under (cases[c].load, cases[c].rate, &held_share);
          double rw = base.per_wall > 0 ? 1 - loaded.per_wall / base.per_wall : 0;
          double rc = base.per_cpu > 0 ? 1 - loaded.per_cpu / base.per_cpu : 0;

          g_array_append_val (wall, rw);
          g_array_append_val (cpu, rc);
          g_array_append_val (held, held_share);
        }
      g_array_sort (wall, compare_double);
      g_array_sort (cpu, compare_double);
      g_array_sort (held, compare_double);
      mw = g_array_index (wall, double, wall->len / 2);
      mc = g_array_index (cpu, double, cpu->len / 2);
      mh = g_array_index (held, double, held->len / 2);
      g_print ("  %-32s %6.1f%% | %6.1f%% | ", cases[c].name, 100 * mw, 100 * mc);
      if (cases[c].load == LOAD_HEARTH)
        g_print ("%5.2f%%", 100 * mh);
      else
        g_print ("   -  ");
      g_print ("   (wall runs:");
      for (guint r = 0; r < wall->len; r++)
        g_print (" %.1f%%", 100 * g_array_index (wall, double, r));
      g_print (")\n");
    }
}

/* --- D: sleeping threads --------------------------------------------------------- */

/* Samples of thread "sleeper" whose stack holds a frame named function. */
static guint64
profile_samples_in (HearthProfile *profile,
                    const char    *thread_name,
                    const char    *function)
{
  guint64 total = 0;

  for (guint ti = 0; ti < hearth_profile_get_n_threads (profile); ti++)
    {
      HearthThread t;
      guint64 n = hearth_profile_get_n_thread_samples (profile, ti);

      hearth_profile_get_thread (profile, ti, &t);
      if (g_strcmp0 (hearth_profile_get_string (profile, t.name), thread_name) != 0)
        continue;
      for (guint64 i = 0; i < n; i++)
        {
          HearthSample s;
          guint32 stack;

          hearth_profile_read_thread_samples (profile, ti, i, &s, 1);
          for (stack = s.stack; stack != HEARTH_NO_ID;)
            {
              HearthStack st;
              HearthFunction f;

              hearth_profile_get_stack (profile, stack, &st);
              hearth_profile_get_function (profile, hearth_profile_get_stack_function (profile, stack), &f);
              if (g_strcmp0 (hearth_profile_get_string (profile, f.name), function) == 0)
                {
                  total++;
                  break;
                }
              stack = st.parent;
            }
        }
    }
  return total;
}

static void
section_sleepers (void)
{
  g_autofree char *path = build_path ("tests", "collector", "targets", "target-mixed", NULL);
  const char *argv[] = { path, "--duration", "30", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;

  g_print ("\n== D. Are sleeping threads seen? (target-mixed: sleeper in nanosleep, reader in read, poller in poll, waiter in pthread_cond_wait) ==\n");
  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    g_error ("%s", error->message);
  g_usleep (300 * 1000);

  {
    g_autofree char *collector = build_path ("src", "collector", "hearth-collector", NULL);
    g_autofree char *dir = g_dir_make_tmp ("bench-collector-XXXXXX", NULL);
    g_autofree char *file = g_build_filename (dir, "d.profsession", NULL);
    g_autofree char *pid_arg = g_strdup_printf ("--pid=%d", (int) pid);
    g_autofree char *out_arg = g_strdup_printf ("--output=%s", file);
    const char *rec[] = { collector, "record", pid_arg, "--duration=2", out_arg, NULL };
    g_autoptr(HearthProfile) profile = NULL;
    Run r;

    run_measured (rec, &r);
    run_clear (&r);
    profile = hearth_session_load (file, NULL);
    if (profile != NULL)
      g_print ("  %-34s sleeper %" G_GUINT64_FORMAT " samples in sleep_wait, reader %" G_GUINT64_FORMAT " in read_wait, "
               "poller %" G_GUINT64_FORMAT " in poll_wait, waiter %" G_GUINT64_FORMAT " in cond_wait (of ~198 each)\n",
               "hearth-collector (wall, 2 s):",
               profile_samples_in (profile, "sleeper", "sleep_wait"), profile_samples_in (profile, "reader", "read_wait"),
               profile_samples_in (profile, "poller", "poll_wait"), profile_samples_in (profile, "waiter", "cond_wait"));
    g_unlink (file);
    g_rmdir (dir);
  }
  if (have_program ("perf"))
    {
      PerfRun p;

      run_perf (pid, 99, 2.0, TRUE, &p);
      g_print ("  %-34s sleep_wait %s, read_wait %s, poll_wait %s, cond_wait %s (%" G_GUINT64_FORMAT " samples, on-CPU only)\n",
               "perf record -g -F 99 (2 s):",
               p.script && strstr (p.script, "sleep_wait") ? "seen" : "NOT seen",
               p.script && strstr (p.script, "read_wait") ? "seen" : "NOT seen",
               p.script && strstr (p.script, "poll_wait") ? "seen" : "NOT seen",
               p.script && strstr (p.script, "cond_wait") ? "seen" : "NOT seen", p.samples);
      g_free (p.script);
    }
  for (guint k = 0; k < 2; k++)
    {
      const char *tool = k == 0 ? "eu-stack" : "gdb";
      Run r;

      if (!have_program (tool) || !run_snapshot_tool (tool, pid, &r))
        continue;
      g_print ("  %-34s sleep_wait %s, read_wait %s, poll_wait %s, cond_wait %s (one snapshot, %.0f ms)\n",
               k == 0 ? "eu-stack -p:" : "gdb thread apply all bt:",
               strstr (r.out, "sleep_wait") ? "seen" : "NOT seen",
               strstr (r.out, "read_wait") ? "seen" : "NOT seen",
               strstr (r.out, "poll_wait") ? "seen" : "NOT seen",
               strstr (r.out, "cond_wait") ? "seen" : "NOT seen", r.wall_s * 1e3);
      run_clear (&r);
    }
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *load = NULL;

  setlocale (LC_ALL, "");
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--quick") == 0)
      {
        quick = TRUE;
        window_s = 3.0;
      }
  if (geteuid () != 0)
    g_printerr ("bench-collector: not root; perf and ptrace may be refused\n");
  g_file_get_contents ("/proc/loadavg", &load, NULL, NULL);
  g_print ("bench-collector: %u CPUs online, load average %s", (guint) sysconf (_SC_NPROCESSORS_ONLN),
           load ? load : "?\n");

  section_cost ();
  section_rate ();
  section_slowdown ();
  section_sleepers ();
  return 0;
}
