/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>

#include "hearth-remote-memory.h"
#include "hearth-tracer.h"

/* A running thread stops within microseconds of PTRACE_INTERRUPT, a
 * runnable one when it next gets a CPU (milliseconds on a loaded
 * machine); one that takes longer than this is stuck in the kernel. Give
 * up on it for this tick rather than stall every other thread. */
#define STOP_DEADLINE_NS (50 * 1000 * 1000)
#define FINAL_DEADLINE_NS (100 * 1000 * 1000)
#define SPIN_NS (20 * 1000)
#define MAX_KEPT_WINDOWS 100000
#define SPIN_POLL_NS (4 * 1000)

struct _HearthTracer
{
  /* owned */
  GHashTable        *pending;      /* tids interrupted but not yet stopped */
  GArray            *held;         /* gint64 ns of the first MAX_KEPT_WINDOWS stops */

  /* state */
  gint64             deadline_ns;
  pid_t              pid;
  pid_t              child_pid;
  gboolean           child_exited;
  int                child_status;
  HearthTracerStats  stats;
};

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

HearthTracer *
hearth_tracer_new (pid_t pid,
                   pid_t child_pid)
{
  HearthTracer *self = g_new0 (HearthTracer, 1);

  self->pid = pid;
  self->child_pid = child_pid;
  self->pending = g_hash_table_new (NULL, NULL);
  self->held = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->deadline_ns = STOP_DEADLINE_NS;
  /* tests shorten it to drive the late-stop path (docs/collector.md) */
  if (g_getenv ("HEARTH_COLLECTOR_STOP_DEADLINE_NS") != NULL)
    self->deadline_ns = MAX (1, g_ascii_strtoll (g_getenv ("HEARTH_COLLECTOR_STOP_DEADLINE_NS"), NULL, 10));
  return self;
}

void
hearth_tracer_free (HearthTracer *self)
{
  if (self == NULL)
    return;
  hearth_tracer_release_pending (self, TRUE);
  g_hash_table_unref (self->pending);
  g_array_unref (self->held);
  g_free (self);
}

/* Note the exit of our own child when a wait on its main thread reports it */
static void
note_exit (HearthTracer *self,
           pid_t         tid,
           int           status)
{
  if (tid == self->child_pid && tid != 0 && (WIFEXITED (status) || WIFSIGNALED (status)))
    {
      self->child_exited = TRUE;
      self->child_status = status;
    }
}

typedef enum
{
  WAIT_STOPPED,
  WAIT_GONE,
  WAIT_TIMEOUT,
} WaitResult;

/* Wait for tid's stop until deadline. A thread running on another CPU
 * stops within microseconds: poll for that long first, since going to
 * sleep and being woken costs more (much more in a VM). After that the
 * kernel's SIGCHLD for the ptrace stop wakes us: with SIGCHLD blocked
 * (the sampler blocks every signal during a tick) sigtimedwait() sleeps
 * until it comes, so a thread that must first get a CPU is not slowed by
 * our spinning. */
static WaitResult
wait_for_stop (HearthTracer *self,
               pid_t         tid,
               gint64        deadline,
               int          *status)
{
  gint64 spin_until = now_ns () + SPIN_NS;
  sigset_t chld;

  sigemptyset (&chld);
  sigaddset (&chld, SIGCHLD);
  for (;;)
    {
      pid_t r = waitpid (tid, status, __WALL | WNOHANG);
      gint64 left, now;
      struct timespec ts;

      if (r == tid)
        {
          if (WIFSTOPPED (*status))
            return WAIT_STOPPED;
          note_exit (self, tid, *status);
          return WAIT_GONE;
        }
      if (r < 0 && errno != EINTR)
        return WAIT_GONE;  /* ECHILD: exited and reaped */
      now = now_ns ();
      left = deadline - now;
      if (left <= 0)
        return WAIT_TIMEOUT;
      if (now < spin_until)
        {
          /* a waitpid() costs a system call: poll every few µs */
          gint64 next = now + SPIN_POLL_NS;

          while (now_ns () < next)
            __builtin_ia32_pause ();
          continue;
        }
      ts.tv_sec = left / G_GINT64_CONSTANT (1000000000);
      ts.tv_nsec = left % G_GINT64_CONSTANT (1000000000);
      sigtimedwait (&chld, NULL, &ts);
    }
}

/* What to pass to PTRACE_DETACH for this stop: the signal to deliver for
 * a signal-delivery-stop, 0 for our interrupt or a group-stop (detaching
 * leaves a group-stopped thread stopped, as job control wants). */
static int
signal_to_forward (int status)
{
  int sig = WSTOPSIG (status);
  int event = status >> 16;

  if (event == PTRACE_EVENT_STOP)
    return 0;
  return sig;
}

static void
detach (HearthTracer *self,
        pid_t         tid,
        int           status)
{
  int sig = signal_to_forward (status);

  if (sig != 0)
    self->stats.signals_forwarded++;
  ptrace (PTRACE_DETACH, tid, NULL, GINT_TO_POINTER (sig));
}

static void
copy_regs (const struct user_regs_struct *r,
           HearthStackSnapshot           *out)
{
  guint64 *regs = out->regs;

  regs[0] = r->rax;
  regs[1] = r->rdx;
  regs[2] = r->rcx;
  regs[3] = r->rbx;
  regs[4] = r->rsi;
  regs[5] = r->rdi;
  regs[6] = r->rbp;
  regs[7] = r->rsp;
  regs[8] = r->r8;
  regs[9] = r->r9;
  regs[10] = r->r10;
  regs[11] = r->r11;
  regs[12] = r->r12;
  regs[13] = r->r13;
  regs[14] = r->r14;
  regs[15] = r->r15;
  regs[16] = r->rip;
  out->valid_regs = (1u << HEARTH_N_REGS) - 1;
}

static void
record_window (HearthTracer *self,
               gint64        ns)
{
  self->stats.count++;
  self->stats.total_ns += ns;
  self->stats.max_ns = MAX (self->stats.max_ns, ns);
  if (self->held->len < MAX_KEPT_WINDOWS)
    g_array_append_val (self->held, ns);
}

HearthStopResult
hearth_tracer_snapshot (HearthTracer        *self,
                        pid_t                tid,
                        HearthModuleMap     *map,
                        guint8              *stack_buf,
                        gsize                stack_size,
                        HearthStoppedFunc    while_stopped,
                        gpointer             user_data,
                        HearthStackSnapshot *out,
                        int                 *errsv)
{
  struct user_regs_struct regs;
  struct iovec iov = { .iov_base = &regs, .iov_len = sizeof regs };
  const HearthMapping *stack_mapping;
  gint64 start, stopped, seize_ns;
  gsize len;
  gssize copied;
  int status = 0;

  *errsv = 0;
  memset (out, 0, sizeof *out);
  if (g_hash_table_contains (self->pending, GINT_TO_POINTER (tid)))
    return HEARTH_STOP_BUSY;

  start = now_ns ();
  if (ptrace (PTRACE_SEIZE, tid, NULL, NULL) < 0)
    {
      *errsv = errno;
      return (errno == EPERM || errno == EACCES) ? HEARTH_STOP_DENIED : HEARTH_STOP_GONE;
    }
  if (ptrace (PTRACE_INTERRUPT, tid, NULL, NULL) < 0)
    return HEARTH_STOP_GONE;  /* died between the two calls */
  seize_ns = now_ns () - start;

  switch (wait_for_stop (self, tid, start + self->deadline_ns, &status))
    {
    case WAIT_GONE:
      return HEARTH_STOP_GONE;
    case WAIT_TIMEOUT:
      /* still seized with an interrupt pending: detach when it lands */
      g_hash_table_add (self->pending, GINT_TO_POINTER (tid));
      self->stats.timeouts++;
      return HEARTH_STOP_TIMEOUT;
    case WAIT_STOPPED:
    default:
      break;
    }
  stopped = now_ns ();
  self->stats.wait_ns += stopped - start;
  self->stats.seize_ns += seize_ns;

  if (ptrace (PTRACE_GETREGSET, tid, GINT_TO_POINTER (NT_PRSTATUS), &iov) < 0)
    {
      detach (self, tid, status);
      return HEARTH_STOP_GONE;
    }
  copy_regs (&regs, out);

  /* the stack window ends where the stack mapping does; never re-read
   * the maps here, the thread is stopped */
  stack_mapping = hearth_module_map_find (map, regs.rsp);
  len = stack_size;
  if (stack_mapping != NULL)
    len = MIN (len, stack_mapping->end - regs.rsp);
  copied = len > 0 ? hearth_remote_read (self->pid, regs.rsp, stack_buf, len) : 0;
  if (while_stopped != NULL)
    while_stopped (tid, user_data);

  detach (self, tid, status);
  record_window (self, now_ns () - stopped);

  out->stack_addr = regs.rsp;
  out->stack = stack_buf;
  out->stack_len = copied > 0 ? (gsize) copied : 0;
  return HEARTH_STOP_OK;
}

void
hearth_tracer_release_pending (HearthTracer *self,
                               gboolean      final)
{
  GHashTableIter iter;
  gpointer key;
  gint64 deadline = now_ns () + (final ? FINAL_DEADLINE_NS : 0);

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      pid_t tid = GPOINTER_TO_INT (key);
      int status = 0;

      switch (wait_for_stop (self, tid, deadline, &status))
        {
        case WAIT_STOPPED:
          detach (self, tid, status);
          g_hash_table_iter_remove (&iter);
          break;
        case WAIT_GONE:
          g_hash_table_iter_remove (&iter);
          break;
        case WAIT_TIMEOUT:
        default:
          /* if we exit first, the kernel detaches it and drops the
           * pending interrupt: nothing is left stopped */
          break;
        }
    }
}

gboolean
hearth_tracer_has_pending (HearthTracer *self)
{
  return g_hash_table_size (self->pending) > 0;
}

gboolean
hearth_tracer_child_exited (HearthTracer *self,
                            int          *wait_status)
{
  if (self->child_pid > 0 && !self->child_exited)
    {
      siginfo_t info;

      /* Look without taking: waiting on our own tracee also returns its
       * ptrace stops, whatever the options, and a stop taken here would
       * never be detached; the thread would stay stopped. */
      memset (&info, 0, sizeof info);
      if (waitid (P_PID, (id_t) self->child_pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
          info.si_pid == self->child_pid &&
          (info.si_code == CLD_EXITED || info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED))
        {
          int status = 0;

          if (waitpid (self->child_pid, &status, WNOHANG) == self->child_pid)
            note_exit (self, self->child_pid, status);
        }
    }
  if (self->child_exited && wait_status != NULL)
    *wait_status = self->child_status;
  return self->child_exited;
}

const HearthTracerStats *
hearth_tracer_get_stats (HearthTracer *self)
{
  return &self->stats;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

gint64
hearth_tracer_get_held_percentile (HearthTracer *self,
                                   double        pct)
{
  g_autoptr(GArray) sorted = NULL;
  guint i;

  if (self->held->len == 0)
    return 0;
  sorted = g_array_copy (self->held);
  g_array_sort (sorted, compare_gint64);
  i = (guint) CLAMP (pct / 100.0 * (sorted->len - 1) + 0.5, 0, sorted->len - 1);
  return g_array_index (sorted, gint64, i);
}
