/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "hearth-attach-check.h"
#include "hearth-sampler-private.h"

/*
 * One thread, one tick: get its registers and stack window (stopping it
 * only if it runs), let it go, then unwind, name and encode the copy.
 */

gint64
_hearth_sampler_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static gboolean
same_syscall (const HearthProcSyscall *a,
              const HearthProcSyscall *b)
{
  return a->nr == b->nr && a->sp == b->sp && a->pc == b->pc &&
         memcmp (a->args, b->args, sizeof a->args) == 0;
}

/* PTRACE_SEIZE said EPERM. That is expected for a thread that is exiting
 * (the kernel refuses those) or held by another tracer (a debugger, a
 * second collector): skip it. Only a live, untraced thread of a process
 * we may no longer access means the permission was lost. */
static gboolean
denial_is_transient (pid_t pid,
                     pid_t tid)
{
  g_autofree char *name = g_strdup_printf ("task/%d/status", (int) tid);
  g_autofree char *status = hearth_proc_read (pid, name, NULL);
  g_autofree char *state = status ? hearth_proc_status_field (status, "State") : NULL;
  g_autofree char *tracer = status ? hearth_proc_status_field (status, "TracerPid") : NULL;

  if (status == NULL || state == NULL || state[0] == 'Z' || state[0] == 'X')
    return TRUE;
  return tracer != NULL && atoi (tracer) != 0 && atoi (tracer) != getpid ();
}

#ifdef HEARTH_HAVE_PYTHON
/* While a running thread is held stopped its Python chain cannot move:
 * read it then, so it matches the native stack. */
static void
read_python_while_stopped (pid_t    tid,
                           gpointer user_data)
{
  HearthSampler *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->python != NULL && hearth_python_sample_thread (self->python, tid, &error) == NULL && error != NULL)
    self->costs.python_errors++;
}
#endif

typedef enum
{
  BLOCKED_READ,     /* still blocked at the same place after the copy */
  BLOCKED_RUNNING,  /* it woke up: stop it instead */
  BLOCKED_MOVING,   /* blocked again elsewhere each time we looked */
  BLOCKED_GONE,
} BlockedRead;

/* A blocked thread is not stopped: copy its stack from the SP in
 * /proc/TID/syscall, then check it is still blocked at the same place,
 * else the copy may mix two states. */
static BlockedRead
snapshot_blocked (HearthSampler       *self,
                  HearthTask          *task,
                  HearthProcSyscall   *sys,
                  HearthStackSnapshot *snap)
{
  pid_t pid = self->options.pid;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      const HearthMapping *stack = hearth_module_map_lookup (self->map, sys->sp);
      HearthProcSyscall after;
      gsize len = HEARTH_SAMPLER_STACK_SIZE;
      gssize copied;

      if (stack != NULL)
        len = MIN (len, stack->end - sys->sp);
      copied = hearth_remote_read (pid, sys->sp, self->stack_buf, len);

      memset (snap, 0, sizeof *snap);
      snap->regs[HEARTH_REG_RIP] = sys->pc;
      snap->regs[HEARTH_REG_RSP] = sys->sp;
      snap->valid_regs = (1u << HEARTH_REG_RIP) | (1u << HEARTH_REG_RSP);
      snap->stack_addr = sys->sp;
      snap->stack = self->stack_buf;
      snap->stack_len = copied > 0 ? (gsize) copied : 0;

      if (!hearth_task_read_syscall (task, pid, &after))
        return BLOCKED_GONE;
      if (same_syscall (sys, &after))
        return BLOCKED_READ;
      if (after.nr == HEARTH_PROC_SYSCALL_RUNNING)
        return BLOCKED_RUNNING;
      *sys = after;
      self->costs.inconsistent++;
    }
  return BLOCKED_MOVING;
}

typedef enum
{
  CAPTURE_STOPPED,  /* registers and stack copied while it was held */
  CAPTURE_BLOCKED,  /* SP, PC and stack read while it stayed blocked */
  CAPTURE_MOVING,   /* its PC only: it kept moving while read */
  CAPTURE_NONE,     /* nothing to show: no sample */
} Capture;

/* Get a thread's registers and stack window. Running threads are held
 * stopped just long enough; blocked ones are read without stopping them
 * (stopping a thread blocked in a syscall makes epoll_wait and friends
 * return EINTR) unless --stop-blocked; a thread in D state never is (it
 * would not stop before the deadline). *state and *sys follow what was
 * found: a thread that wakes up while read is stopped instead. */
static Capture
capture (HearthSampler       *self,
         HearthTask          *task,
         char                 state_char,
         HearthThreadState   *state,
         HearthProcSyscall   *sys,
         HearthStackSnapshot *snap)
{
  HearthStoppedFunc while_stopped = NULL;
  gboolean stop = state_char == 'R' || (state_char == 'S' && self->options.stop_blocked);
  int errsv = 0;

#ifdef HEARTH_HAVE_PYTHON
  if (self->python != NULL)
    while_stopped = read_python_while_stopped;
#endif

  /* Look again just before stopping anything: a thread read as running
   * may have gone to sleep in a system call since, and interrupting it
   * there is exactly what must not happen. /proc/TID/syscall says
   * "running" only while it is. */
  if (!hearth_task_read_syscall (task, self->options.pid, sys))
    return CAPTURE_NONE;  /* gone */
  if (sys->nr == HEARTH_PROC_SYSCALL_RUNNING)
    stop = TRUE;  /* running, or woke up since its state was read */
  else if (state_char == 'R')
    {
      stop = FALSE;
      *state = HEARTH_THREAD_STATE_SLEEPING;
    }

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      if (stop)
        {
          switch (hearth_tracer_snapshot (self->tracer, task->tid, self->map, self->stack_buf,
                                          HEARTH_SAMPLER_STACK_SIZE, while_stopped, self, snap, &errsv))
            {
            case HEARTH_STOP_OK:
              if (sys->nr == HEARTH_PROC_SYSCALL_RUNNING)
                *state = HEARTH_THREAD_STATE_RUNNING;
              return CAPTURE_STOPPED;
            case HEARTH_STOP_GONE:
              return CAPTURE_NONE;  /* exited between listing and interrupt: skip silently */
            case HEARTH_STOP_DENIED:
              if (!denial_is_transient (self->options.pid, task->tid) && self->fatal_error == NULL)
                self->fatal_error = hearth_attach_error_new (self->options.pid, errsv);
              self->stats.unwind_failures++;
              return CAPTURE_NONE;
            case HEARTH_STOP_TIMEOUT:
            case HEARTH_STOP_BUSY:
            default:
              /* stuck in the kernel: read it like a blocked thread */
              if (!hearth_task_read_syscall (task, self->options.pid, sys))
                return CAPTURE_NONE;
              if (sys->nr == HEARTH_PROC_SYSCALL_RUNNING)
                {
                  /* runnable but never got a CPU in time: no stack to show */
                  self->stats.unwind_failures++;
                  return CAPTURE_NONE;
                }
              break;
            }
        }

      self->costs.blocked_samples++;
      switch (snapshot_blocked (self, task, sys, snap))
        {
        case BLOCKED_READ:
          return CAPTURE_BLOCKED;
        case BLOCKED_GONE:
          return CAPTURE_NONE;
        case BLOCKED_RUNNING:
          if (stop)
            return CAPTURE_MOVING;
          /* it woke up while read: take it as a running thread */
          stop = TRUE;
          sys->nr = HEARTH_PROC_SYSCALL_RUNNING;
          break;
        case BLOCKED_MOVING:
        default:
          return CAPTURE_MOVING;
        }
    }
  return CAPTURE_MOVING;
}

static void
build_frames (HearthSampler            *self,
              pid_t                     tid,
              const HearthUnwoundFrame *unwound,
              guint                     n_unwound,
              const HearthProcSyscall  *sys)
{
  g_array_set_size (self->native, n_unwound);
  for (guint i = 0; i < n_unwound; i++)
    hearth_symbolizer_resolve (self->symbolizer, unwound[i].ip, unwound[i].exact,
                               &g_array_index (self->native, HearthStreamFrame, i));

  g_array_set_size (self->frames, 0);
#ifdef HEARTH_HAVE_PYTHON
  if (self->python != NULL)
    {
      const HearthPyThread *py = hearth_python_find_thread (self->python, tid);

      if (py != NULL && py->frames != NULL && py->frames->len > 0)
        {
          if (!hearth_python_merge ((const HearthStreamFrame *) (gpointer) self->native->data,
                                    self->native->len,
                                    (const HearthPyFrame *) (gpointer) py->frames->data,
                                    py->frames->len, self->frames))
            self->costs.merge_errors++;
          goto leaf;
        }
    }
#endif
  for (guint i = self->native->len; i > 0; i--)
    g_array_append_val (self->frames, g_array_index (self->native, HearthStreamFrame, i - 1));

#ifdef HEARTH_HAVE_PYTHON
leaf:
#endif
  /* a blocked thread's leaf says what it waits for: the system call */
  if (sys != NULL && sys->nr >= 0)
    {
      HearthStreamFrame kernel;

      hearth_symbolizer_syscall_frame (self->symbolizer, sys->nr, &kernel);
      g_array_append_val (self->frames, kernel);
    }
}


/* --python-only: no ptrace and no unwinding. The Python frames read for
 * the whole process this tick, then the native leaf of a blocked thread
 * (the libc function it is in and the system call). */
static void
sample_python_only (HearthSampler        *self,
                    HearthTask           *task,
                    HearthThreadState     state,
                    guint32               weight)
{
  HearthProcSyscall sys = { .nr = HEARTH_PROC_SYSCALL_RUNNING };
  gint64 t0 = _hearth_sampler_now_ns ();

  g_array_set_size (self->frames, 0);
#ifdef HEARTH_HAVE_PYTHON
  {
    const HearthPyThread *py = hearth_python_find_thread (self->python, task->tid);

    if (py != NULL && py->frames != NULL)
      hearth_python_append_stack ((const HearthPyFrame *) (gpointer) py->frames->data,
                                  py->frames->len, self->frames);
  }
#endif
  if (state != HEARTH_THREAD_STATE_RUNNING &&
      hearth_task_read_syscall (task, self->options.pid, &sys) &&
      sys.nr != HEARTH_PROC_SYSCALL_RUNNING)
    {
      HearthStreamFrame leaf;

      hearth_symbolizer_resolve (self->symbolizer, sys.pc, TRUE, &leaf);
      g_array_append_val (self->frames, leaf);
      if (sys.nr >= 0)
        {
          hearth_symbolizer_syscall_frame (self->symbolizer, sys.nr, &leaf);
          g_array_append_val (self->frames, leaf);
        }
    }
  hearth_stream_encoder_sample (self->encoder, task->tid, self->tick_ns, state, weight,
                                (const HearthStreamFrame *) (gpointer) self->frames->data,
                                self->frames->len);
  self->stats.samples++;
  self->costs.samples++;
  self->costs.sample_ns += _hearth_sampler_now_ns () - t0;
  g_hash_table_add (self->sampled_tids, GINT_TO_POINTER (task->tid));
}

void
_hearth_sampler_sample_thread (HearthSampler        *self,
                               HearthTask           *task,
                               const HearthProcStat *st,
                               guint32               weight)
{
  HearthThreadState state = hearth_proc_state_from_char (st->state);
  HearthProcSyscall sys = { .nr = HEARTH_PROC_SYSCALL_RUNNING };
  HearthStackSnapshot snap;
  gboolean complete = FALSE;
  gint64 t0 = _hearth_sampler_now_ns ();
  gint64 t1, t2, t3;
  guint n = 0;

  if (self->options.python_only)
    {
      sample_python_only (self, task, state, weight);
      return;
    }

  switch (capture (self, task, st->state, &state, &sys, &snap))
    {
    case CAPTURE_NONE:
      return;
    case CAPTURE_MOVING:
      /* keep where it was, no more */
      self->unwound[0].ip = snap.regs[HEARTH_REG_RIP];
      self->unwound[0].exact = TRUE;
      n = snap.valid_regs != 0 ? 1 : 0;
      t1 = t2 = _hearth_sampler_now_ns ();
      break;
    case CAPTURE_STOPPED:
    case CAPTURE_BLOCKED:
    default:
      t1 = _hearth_sampler_now_ns ();
      n = hearth_unwinder_unwind (self->unwinder, &snap, self->unwound,
                                  HEARTH_SAMPLER_MAX_FRAMES, &complete);
      t2 = _hearth_sampler_now_ns ();
      break;
    }
  self->costs.unwind_ns += t2 - t1;

  if (!complete)
    self->stats.unwind_failures++;
  build_frames (self, task->tid, self->unwound, n,
                state == HEARTH_THREAD_STATE_RUNNING || sys.nr == HEARTH_PROC_SYSCALL_RUNNING ? NULL : &sys);
  hearth_stream_encoder_sample (self->encoder, task->tid, self->tick_ns, state, weight,
                                (const HearthStreamFrame *) (gpointer) self->frames->data,
                                self->frames->len);

  self->stats.samples++;
  g_hash_table_add (self->sampled_tids, GINT_TO_POINTER (task->tid));
  self->costs.samples++;
  self->costs.frames += n;
  t3 = _hearth_sampler_now_ns ();
  self->costs.name_ns += t3 - t2;
  self->costs.sample_ns += t3 - t0;
}
