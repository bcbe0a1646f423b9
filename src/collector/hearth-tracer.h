/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "hearth-module-map.h"
#include "hearth-unwinder.h"

G_BEGIN_DECLS

/*
 * HearthTracer: the only code that ptrace()s. One thread at a time is
 * seized (PTRACE_SEIZE, never PTRACE_ATTACH: no SIGSTOP is ever queued,
 * so a collector killed by SIGKILL leaves nothing stopped), interrupted,
 * its registers and a stack window copied, and detached again. Every wait
 * has a deadline. All calls must come from one thread: ptrace tracers
 * are threads, not processes.
 */
typedef struct _HearthTracer HearthTracer;

typedef enum
{
  HEARTH_STOP_OK,        /* snapshot taken; the thread runs again */
  HEARTH_STOP_GONE,      /* the thread exited or vanished: skip it */
  HEARTH_STOP_TIMEOUT,   /* it did not stop before the deadline */
  HEARTH_STOP_DENIED,    /* EPERM/EACCES: errsv says which */
  HEARTH_STOP_BUSY,      /* still waiting for a late stop from before */
} HearthStopResult;

/* The stop window is the time a thread is held: from its stop being seen
 * to PTRACE_DETACH. The wait before it (PTRACE_INTERRUPT until the stop)
 * is counted apart: a thread that is runnable but not on a CPU stops only
 * when the scheduler gets to it, and until then it was not running anyway. */
typedef struct
{
  guint64 count;
  gint64  total_ns;      /* held */
  gint64  max_ns;
  gint64  wait_ns;       /* PTRACE_SEIZE → stop seen, summed */
  gint64  seize_ns;      /* of which the SEIZE and INTERRUPT calls */
  guint64 timeouts;
  guint64 signals_forwarded;
} HearthTracerStats;

/* Called while a thread is held stopped, after its registers and stack
 * were copied (e.g. to read its Python frames consistently). */
typedef void (*HearthStoppedFunc) (pid_t    tid,
                                   gpointer user_data);

/* child_pid is the target's PID when we started it (its exit status is
 * reaped here), else 0. */
HearthTracer     *hearth_tracer_new             (pid_t                pid,
                                                 pid_t                child_pid);
void              hearth_tracer_free            (HearthTracer        *self);
/* Stop tid, copy its registers and up to stack_size bytes of its stack
 * (clipped to the stack mapping) into stack_buf, call while_stopped (if
 * not NULL), let it run. */
HearthStopResult  hearth_tracer_snapshot        (HearthTracer        *self,
                                                 pid_t                tid,
                                                 HearthModuleMap     *map,
                                                 guint8              *stack_buf,
                                                 gsize                stack_size,
                                                 HearthStoppedFunc    while_stopped,
                                                 gpointer             user_data,
                                                 HearthStackSnapshot *out,
                                                 int                 *errsv);
/* Detach threads whose stop arrived after their deadline. Call once per
 * tick; with final, wait for them up to 100 ms. */
void              hearth_tracer_release_pending (HearthTracer        *self,
                                                 gboolean             final);
/* TRUE while some thread was interrupted but has not been seen stopping. */
gboolean          hearth_tracer_has_pending     (HearthTracer        *self);
/* For a started target: TRUE once it has exited, with its wait status. */
gboolean          hearth_tracer_child_exited    (HearthTracer        *self,
                                                 int                 *wait_status);
const HearthTracerStats *hearth_tracer_get_stats (HearthTracer       *self);
/* The pct-th percentile (0–100) of the first 100 000 stop windows, in ns. */
gint64            hearth_tracer_get_held_percentile (HearthTracer    *self,
                                                 double               pct);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthTracer, hearth_tracer_free)

G_END_DECLS
