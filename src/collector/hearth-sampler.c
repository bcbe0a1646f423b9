/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <stdio.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hearth-attach-check.h"
#include "hearth-proc.h"
#include "hearth-sampler-error.h"
#include "hearth-sampler-private.h"
#include "hearth-signal-mask.h"

/* a stop request or a closed output is noticed within this, whatever
 * the rate */
#define MAX_SLEEP_NS (100 * 1000 * 1000)
#define FLUSH_INTERVAL_NS (50 * 1000 * 1000)
#define FLUSH_BYTES (16 * 1024)
#define LISTING_INTERVAL_NS (10 * 1000 * 1000)
#define SAMPLER_NICE (-10)

G_DEFINE_FINAL_TYPE (HearthSampler, hearth_sampler, G_TYPE_OBJECT)

static volatile sig_atomic_t stop_requested;

void
hearth_sampler_request_stop (void)
{
  stop_requested = 1;
}

static void
hearth_sampler_finalize (GObject *object)
{
  HearthSampler *self = HEARTH_SAMPLER (object);

#ifdef HEARTH_HAVE_PYTHON
  g_clear_pointer (&self->python, hearth_python_free);
#endif
  /* the tracer first: it detaches anything still pending */
  g_clear_pointer (&self->tracer, hearth_tracer_free);
  g_clear_pointer (&self->symbolizer, hearth_symbolizer_free);
  g_clear_pointer (&self->unwinder, hearth_unwinder_free);
  g_clear_pointer (&self->memory, hearth_remote_memory_free);
  g_clear_pointer (&self->map, hearth_module_map_free);
  g_clear_pointer (&self->tasks, hearth_task_list_free);
  g_clear_object (&self->encoder);
  g_clear_pointer (&self->sampled_tids, g_hash_table_unref);
  g_clear_pointer (&self->native, g_array_unref);
  g_clear_pointer (&self->frames, g_array_unref);
  g_clear_error (&self->fatal_error);
  g_free (self->stack_buf);
  g_free (self->unwound);
  g_free (self->threads);
  g_free (self->command_line);
  g_free (self->warning);
  if (self->pidfd >= 0)
    close (self->pidfd);

  G_OBJECT_CLASS (hearth_sampler_parent_class)->finalize (object);
}

static void
hearth_sampler_class_init (HearthSamplerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hearth_sampler_finalize;
}

static void
hearth_sampler_init (HearthSampler *self)
{
  self->pidfd = -1;
  self->stats.exit_status = -1;
  self->sampled_tids = g_hash_table_new (NULL, NULL);
  self->native = g_array_new (FALSE, FALSE, sizeof (HearthStreamFrame));
  self->frames = g_array_new (FALSE, FALSE, sizeof (HearthStreamFrame));
  self->stack_buf = g_malloc (HEARTH_SAMPLER_STACK_SIZE);
  self->unwound = g_new (HearthUnwoundFrame, HEARTH_SAMPLER_MAX_FRAMES);
}

HearthSampler *
hearth_sampler_new (const HearthSamplerOptions *options)
{
  HearthSampler *self;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->rate_hz > 0, NULL);

  self = g_object_new (HEARTH_TYPE_SAMPLER, NULL);
  self->options = *options;
  if (options->n_threads > 0)
    self->threads = g_memdup2 (options->threads, options->n_threads * sizeof (gint32));
  self->options.threads = self->threads;
  self->command_line = options->command_line
    ? g_strdup (options->command_line)
    : hearth_proc_read_cmdline (options->pid);
  self->options.command_line = self->command_line;
  self->period_ns = G_GINT64_CONSTANT (1000000000) / options->rate_hz;
  return self;
}

/* One thread per open file pair: a process with thousands of threads
 * needs more descriptors than the usual soft limit. */
static void
raise_fd_limit (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = rl.rlim_max;
      setrlimit (RLIMIT_NOFILE, &rl);
    }
}

/* process_vm_readv is checked like ptrace, but by its own syscall: a
 * seccomp profile may allow one and not the other. Read one word of the
 * first mapping. */
static gboolean
probe_memory_access (HearthSampler  *self,
                     GError        **error)
{
  g_autofree char *maps = hearth_proc_read (self->options.pid, "maps", NULL);
  guint64 start = 0;
  guint64 word;

  if (maps == NULL || sscanf (maps, "%" G_GINT64_MODIFIER "x-", &start) != 1)
    return TRUE;
  if (hearth_remote_read (self->options.pid, start, &word, sizeof word) < 0 &&
      (errno == EPERM || errno == EACCES))
    {
      g_propagate_error (error, hearth_attach_error_new (self->options.pid, errno));
      return FALSE;
    }
  return TRUE;
}

/* A Python we cannot read is a warning (the native stacks still come),
 * unless only Python frames were asked for. */
static gboolean
attach_python (HearthSampler  *self,
               GError        **error)
{
  g_autoptr(GError) py_error = NULL;
  g_autofree char *comm = NULL;

#ifdef HEARTH_HAVE_PYTHON
  self->python = hearth_python_attach (self->options.pid, &py_error);
  if (self->python != NULL || !self->options.python_only)
    {
      if (py_error != NULL)
        self->warning = g_strdup (py_error->message);
      return TRUE;
    }
#else
  if (!self->options.python_only)
    return TRUE;
#endif

  if (py_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&py_error));
      return FALSE;
    }
  comm = hearth_proc_read (self->options.pid, "comm", NULL);
  g_set_error (error, HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_FAILED,
               _("Process %d (%s) is not a CPython 3.11–3.13 process this collector can read; --python-only needs one."),
               (int) self->options.pid, comm ? g_strstrip (comm) : "?");
  return FALSE;
}

gboolean
hearth_sampler_attach (HearthSampler  *self,
                       GError        **error)
{
  pid_t pid = self->options.pid;

  g_return_val_if_fail (HEARTH_IS_SAMPLER (self), FALSE);

  if (!hearth_attach_check (pid, error))
    return FALSE;

  raise_fd_limit ();
  self->map = hearth_module_map_new (pid);
  if (!hearth_module_map_refresh (self->map))
    {
      g_propagate_error (error, hearth_attach_error_new (pid, errno));
      return FALSE;
    }
  if (!probe_memory_access (self, error))
    return FALSE;

  self->memory = hearth_remote_memory_new (self->map);
  self->unwinder = hearth_unwinder_new (self->map, self->memory);
  self->symbolizer = hearth_symbolizer_new (self->map);
  self->tracer = hearth_tracer_new (pid, self->options.child_pid);
  self->tasks = hearth_task_list_new (pid);
  self->encoder = hearth_stream_encoder_new ();
  /* a pidfd says when the process is gone, even if its PID is reused */
  self->pidfd = (int) syscall (SYS_pidfd_open, pid, 0);

  return attach_python (self, error);
}

static gboolean
target_gone (HearthSampler *self)
{
  int status;

  if (hearth_tracer_child_exited (self->tracer, &status))
    {
      self->stats.exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
      return TRUE;
    }
  if (self->pidfd >= 0)
    {
      struct pollfd pfd = { .fd = self->pidfd, .events = POLLIN };

      return poll (&pfd, 1, 0) > 0;
    }
  return kill (self->options.pid, 0) < 0 && errno == ESRCH;
}

static gboolean
wanted_thread (HearthSampler *self,
               pid_t          tid)
{
  if (self->options.n_threads == 0)
    return TRUE;
  for (guint i = 0; i < self->options.n_threads; i++)
    if (self->threads[i] == tid)
      return TRUE;
  return FALSE;
}

static void
tick (HearthSampler *self,
      HearthOutput  *output,
      guint32        weight)
{
  gboolean congested = hearth_output_is_congested (output);
  guint n_live = 0;

  /* new threads are looked for at most every 10 ms: at high rates the
   * listing would cost more than the samples; gone ones fail their stat */
  if (self->tick_ns - self->last_listing_ns >= LISTING_INTERVAL_NS ||
      hearth_task_list_get_n_tasks (self->tasks) == 0)
    {
      self->last_listing_ns = self->tick_ns;
      if (!hearth_task_list_refresh (self->tasks))
        {
          self->exited = TRUE;
          return;
        }
    }
  hearth_tracer_release_pending (self->tracer, FALSE);

#ifdef HEARTH_HAVE_PYTHON
  if (self->python != NULL && !congested)  /* stopped threads re-read theirs */
    {
      g_autoptr(GError) error = NULL;

      if (hearth_python_sample (self->python, &error) == NULL)
        self->costs.python_errors++;
    }
#endif

  for (guint i = 0; i < hearth_task_list_get_n_tasks (self->tasks); i++)
    {
      HearthTask *task = hearth_task_list_get_task (self->tasks, i);
      HearthProcStat st;
      gboolean renamed = FALSE;

      /* state first: once stopped, every thread would read as 't' */
      if (!hearth_task_read_stat (task, &st, &renamed) || st.state == 'Z' || st.state == 'X')
        continue;
      n_live++;
      if (!wanted_thread (self, task->tid))
        continue;
      if (renamed || !task->announced)
        {
          hearth_stream_encoder_thread (self->encoder, self->options.pid, task->tid, task->comm);
          task->announced = TRUE;
        }
      if (self->options.mode == HEARTH_SAMPLE_MODE_CPU && st.state != 'R')
        continue;
      if (congested)
        {
          /* the reader is behind: never queue without bound */
          self->stats.dropped++;
          continue;
        }
      _hearth_sampler_sample_thread (self, task, &st, weight);
      if (self->fatal_error != NULL)
        return;
    }

  /* a thread that stopped after its deadline must not wait a tick */
  hearth_tracer_release_pending (self->tracer, FALSE);
  if (n_live == 0)
    self->exited = TRUE;
}

static gint64
jitter (HearthSampler *self,
        GRand         *rand)
{
  /* ±1/4 period so a target doing something periodically at our rate
   * is not always caught at the same point */
  return (gint64) (g_rand_double_range (rand, -0.25, 0.25) * self->period_ns);
}

/* A thread that stopped after its deadline must be let go at once, not
 * at the next tick: while some are pending, sleep in sigtimedwait() for
 * the SIGCHLD of their stop (and for the signals that end sampling, which
 * are then blocked and so taken here instead of by their handler). */
static void
wait_for_pending (HearthSampler *self,
                  gint64         until)
{
  const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
  sigset_t saved, wanted;
  gint64 left = until - _hearth_sampler_now_ns ();
  struct timespec ts;
  int sig;

  if (left <= 0)
    return;
  sigemptyset (&wanted);
  sigaddset (&wanted, SIGCHLD);
  for (guint i = 0; i < G_N_ELEMENTS (stop_signals); i++)
    sigaddset (&wanted, stop_signals[i]);
  ts.tv_sec = left / G_GINT64_CONSTANT (1000000000);
  ts.tv_nsec = left % G_GINT64_CONSTANT (1000000000);

  hearth_signals_block_all (&saved);
  sig = sigtimedwait (&wanted, NULL, &ts);
  if (sig > 0 && sig != SIGCHLD)
    hearth_sampler_request_stop ();
  hearth_tracer_release_pending (self->tracer, FALSE);
  hearth_signals_restore (&saved);
}

/* Sleep until deadline (absolute, CLOCK_MONOTONIC) in slices, so a stop
 * request or a closed output is seen soon. */
static void
sleep_until (HearthSampler *self,
             gint64         deadline,
             HearthOutput  *output)
{
  for (;;)
    {
      gint64 now = _hearth_sampler_now_ns ();
      gint64 until = MIN (deadline, now + MAX_SLEEP_NS);
      struct timespec ts;

      if (now >= deadline || stop_requested || hearth_output_is_closed (output))
        return;
      if (hearth_tracer_has_pending (self->tracer))
        {
          wait_for_pending (self, until);
          continue;
        }
      ts.tv_sec = until / G_GINT64_CONSTANT (1000000000);
      ts.tv_nsec = until % G_GINT64_CONSTANT (1000000000);
      clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    }
}

static void
send_hello (HearthSampler *self)
{
  HearthStreamHello hello = { 0 };
  g_autofree char *comm = hearth_proc_read (self->options.pid, "comm", NULL);

  hello.protocol_version = HEARTH_STREAM_PROTOCOL_VERSION;
  hello.collector_version = (char *) PACKAGE_VERSION;
  hello.host = (char *) g_get_host_name ();
  hello.pid = self->options.pid;
  hello.command_line = self->command_line;
  hello.rate_hz = self->options.rate_hz;
  hello.mode = (char *) (self->options.mode == HEARTH_SAMPLE_MODE_CPU ? "cpu" : "wall");
  hello.start_wall_time_us = g_get_real_time ();
  hearth_stream_encoder_hello (self->encoder, &hello);

  if (comm != NULL)
    hearth_stream_encoder_metadata (self->encoder, "target-name", g_strstrip (comm));
  hearth_stream_encoder_metadata (self->encoder, "sampler", "ptrace+libunwind");
  hearth_stream_encoder_metadata (self->encoder, "stop-blocked",
                                  self->options.stop_blocked ? "true" : "false");
#ifdef HEARTH_HAVE_PYTHON
  if (self->python != NULL)
    hearth_stream_encoder_metadata (self->encoder, "python-version",
                                    hearth_python_get_version (self->python));
#endif
  if (self->options.python_only)
    hearth_stream_encoder_metadata (self->encoder, "python-only", "true");
  if (self->warning != NULL)
    hearth_stream_encoder_error (self->encoder, FALSE, self->warning);
}

/* Hand encoded bytes to the writer thread: not after every tick at high
 * rates (each hand-over wakes it), but often enough for a live view. */
static void
flush (HearthSampler *self,
       HearthOutput  *output,
       gboolean       force)
{
  gsize pending = hearth_stream_encoder_get_pending (self->encoder);
  gint64 now = _hearth_sampler_now_ns ();

  if (pending == 0)
    return;
  if (!force && pending < FLUSH_BYTES && now - self->last_flush_ns < FLUSH_INTERVAL_NS)
    return;
  self->last_flush_ns = now;
  hearth_output_push (output, hearth_stream_encoder_take_bytes (self->encoder));
}

static void
send_end (HearthSampler *self)
{
  if (self->exited)
    {
      g_autofree char *text = NULL;

      if (self->stats.exit_status >= 0)
        text = g_strdup_printf (_("Process %d exited with status %d."),
                                (int) self->options.pid, self->stats.exit_status);
      else
        text = g_strdup_printf (_("Process %d exited."), (int) self->options.pid);
      hearth_stream_encoder_marker (self->encoder, self->tick_ns, self->tick_ns,
                                    "process-exited", text);
    }
  self->stats.threads = g_hash_table_size (self->sampled_tids);
  self->stats.duration_ns = self->tick_ns;
  hearth_stream_encoder_end (self->encoder, &self->stats);
}

static void
report_costs (HearthSampler *self)
{
  const HearthTracerStats *ts = hearth_tracer_get_stats (self->tracer);
  const HearthSamplerCosts *c = &self->costs;
  double n = MAX (c->samples, 1);

  /* work_us: the collector's own time per thread-sample, without the wait
   * for a runnable thread to get a CPU and reach its stop */
  g_printerr ("costs: samples=%" G_GUINT64_FORMAT " blocked=%" G_GUINT64_FORMAT
              " frames/sample=%.1f sample_us=%.2f work_us=%.2f unwind_us=%.2f unwind_us_per_frame=%.3f name_us=%.2f"
              " stops=%" G_GUINT64_FORMAT " seize_us_mean=%.1f stop_wait_us_mean=%.1f stop_us_mean=%.1f stop_us_p50=%.1f"
              " stop_us_p99=%.1f stop_us_max=%.1f stop_timeouts=%" G_GUINT64_FORMAT
              " inconsistent=%" G_GUINT64_FORMAT " late_ticks=%" G_GUINT64_FORMAT
              " python_errors=%" G_GUINT64_FORMAT " merge_errors=%" G_GUINT64_FORMAT "\n",
              c->samples, c->blocked_samples,
              c->frames / n,
              c->sample_ns / 1e3 / n,
              (c->sample_ns - ts->wait_ns + ts->seize_ns) / 1e3 / n,
              c->unwind_ns / 1e3 / n,
              c->frames ? c->unwind_ns / 1e3 / c->frames : 0.0,
              c->name_ns / 1e3 / n,
              ts->count, ts->count ? ts->seize_ns / 1e3 / ts->count : 0.0,
              ts->count ? (ts->wait_ns - ts->seize_ns) / 1e3 / ts->count : 0.0,
              ts->count ? ts->total_ns / 1e3 / ts->count : 0.0,
              hearth_tracer_get_held_percentile (self->tracer, 50) / 1e3,
              hearth_tracer_get_held_percentile (self->tracer, 99) / 1e3,
              ts->max_ns / 1e3, ts->timeouts, c->inconsistent, c->late_ticks,
              c->python_errors, c->merge_errors);
}

gboolean
hearth_sampler_run (HearthSampler  *self,
                    HearthOutput   *output,
                    GError        **error)
{
  g_autoptr(GRand) rand = g_rand_new ();
  gint64 duration_ns = self->options.duration_s > 0 ? (gint64) (self->options.duration_s * 1e9) : G_MAXINT64;
  gint64 last_tick = -1;
  guint64 k = 0;
  sigset_t saved;

  g_return_val_if_fail (HEARTH_IS_SAMPLER (self), FALSE);
  g_return_val_if_fail (self->tracer != NULL, FALSE);

  /* Preempted while it holds a target thread stopped, the sampler would
   * hold it for a whole time slice: on a loaded machine that is the p99 of
   * the stop window. Where allowed (root, CAP_SYS_NICE), run this thread
   * at a higher priority; it sleeps most of the time anyway. */
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), SAMPLER_NICE) != 0)
    g_debug ("cannot raise the sampler's priority: %s", g_strerror (errno));

  send_hello (self);
  flush (self, output, TRUE);
  self->start_ns = _hearth_sampler_now_ns ();

  while (!stop_requested && !hearth_output_is_closed (output))
    {
      gint64 now = _hearth_sampler_now_ns ();
      gint64 deadline;
      guint32 weight = 1;

      self->tick_ns = now - self->start_ns;
      if (self->tick_ns >= duration_ns)
        break;
      if (target_gone (self))
        {
          self->exited = TRUE;
          break;
        }

      /* a tick that comes more than half a period late stands for the
       * ticks it missed */
      if (last_tick >= 0 && self->tick_ns - last_tick > self->period_ns * 3 / 2)
        {
          weight = (guint32) MIN (1000, (self->tick_ns - last_tick + self->period_ns / 2) / self->period_ns);
          self->costs.late_ticks++;
        }
      last_tick = self->tick_ns;

      /* no signal handler may run while a target thread is stopped */
      hearth_signals_block_all (&saved);
      tick (self, output, weight);
      hearth_signals_restore (&saved);

      flush (self, output, FALSE);
      if (self->fatal_error != NULL || self->exited)
        break;

      /* absolute deadlines: the rate does not drift with tick cost */
      k++;
      if ((gint64) (k * self->period_ns) < self->tick_ns)
        k = (guint64) (self->tick_ns / self->period_ns) + 1;
      deadline = self->start_ns + (gint64) (k * self->period_ns) + jitter (self, rand);
      if (duration_ns < G_MAXINT64 - self->start_ns)
        deadline = MIN (deadline, self->start_ns + duration_ns);
      sleep_until (self, deadline, output);
    }

  if (self->exited)
    target_gone (self);  /* collect the exit status if it is our child */
  if (self->fatal_error != NULL)
    hearth_stream_encoder_error (self->encoder, TRUE, self->fatal_error->message);
  send_end (self);
  flush (self, output, TRUE);
  hearth_signals_block_all (&saved);
  hearth_tracer_release_pending (self->tracer, TRUE);
  hearth_signals_restore (&saved);
  if (self->report_costs)
    report_costs (self);

  if (self->fatal_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->fatal_error));
      return FALSE;
    }
  return TRUE;
}

const HearthStreamStats *
hearth_sampler_get_stats (HearthSampler *self)
{
  g_return_val_if_fail (HEARTH_IS_SAMPLER (self), NULL);
  return &self->stats;
}

gboolean
hearth_sampler_target_exited (HearthSampler *self)
{
  g_return_val_if_fail (HEARTH_IS_SAMPLER (self), FALSE);
  return self->exited;
}

void
hearth_sampler_set_report_costs (HearthSampler *self,
                                 gboolean       report)
{
  self->report_costs = report;
}

void
hearth_sampler_encode_failure (HearthStreamEncoder        *encoder,
                               const HearthSamplerOptions *options,
                               const GError               *error)
{
  HearthStreamHello hello = { 0 };
  HearthStreamStats stats = { .exit_status = -1 };
  g_autofree char *cmdline = options->command_line
    ? g_strdup (options->command_line)
    : hearth_proc_read_cmdline (options->pid);

  hello.protocol_version = HEARTH_STREAM_PROTOCOL_VERSION;
  hello.collector_version = (char *) PACKAGE_VERSION;
  hello.host = (char *) g_get_host_name ();
  hello.pid = options->pid;
  hello.command_line = cmdline;
  hello.rate_hz = options->rate_hz;
  hello.mode = (char *) (options->mode == HEARTH_SAMPLE_MODE_CPU ? "cpu" : "wall");
  hello.start_wall_time_us = g_get_real_time ();
  hearth_stream_encoder_hello (encoder, &hello);
  hearth_stream_encoder_error (encoder, TRUE, error->message);
  hearth_stream_encoder_end (encoder, &stats);
}
