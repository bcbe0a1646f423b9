/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-module-map.h"
#include "hearth-remote-memory.h"
#include "hearth-sampler.h"
#include "hearth-symbolizer.h"
#include "hearth-task-list.h"
#include "hearth-tracer.h"
#include "hearth-unwinder.h"

#ifdef HEARTH_HAVE_PYTHON
# include "hearth-python.h"
#endif

G_BEGIN_DECLS

#define HEARTH_SAMPLER_MAX_FRAMES 512
#define HEARTH_SAMPLER_STACK_SIZE (64 * 1024)

typedef struct
{
  guint64 samples;
  gint64  sample_ns;        /* snapshot + unwind + symbolize + encode */
  gint64  unwind_ns;
  gint64  name_ns;          /* symbolize + merge + encode */
  guint64 frames;
  guint64 blocked_samples;  /* taken without stopping the thread */
  guint64 inconsistent;     /* blocked thread moved while read */
  guint64 late_ticks;
  guint64 python_errors;
  guint64 merge_errors;
} HearthSamplerCosts;

struct _HearthSampler
{
  GObject               parent_instance;

  /* owned */
  gint32               *threads;
  char                 *command_line;
  HearthModuleMap      *map;
  HearthRemoteMemory   *memory;
  HearthUnwinder       *unwinder;
  HearthSymbolizer     *symbolizer;
  HearthTracer         *tracer;
  HearthTaskList       *tasks;
  HearthStreamEncoder  *encoder;
  GHashTable           *sampled_tids;   /* tids that got a sample */
  guint8               *stack_buf;
  HearthUnwoundFrame   *unwound;
  GArray               *native;         /* HearthStreamFrame, leaf first */
  GArray               *frames;         /* HearthStreamFrame, root first */
  GError               *fatal_error;
  char                 *warning;        /* non-fatal, sent after hello */
#ifdef HEARTH_HAVE_PYTHON
  HearthPython         *python;
#endif

  /* state */
  HearthSamplerOptions  options;
  HearthStreamStats     stats;
  HearthSamplerCosts    costs;
  int                   pidfd;
  gint64                start_ns;       /* CLOCK_MONOTONIC at the first tick */
  gint64                period_ns;
  gint64                tick_ns;        /* current tick, from start_ns */
  gint64                last_flush_ns;
  gint64                last_listing_ns;
  gboolean              exited;
  gboolean              report_costs;
};

gint64 _hearth_sampler_now_ns          (void);
/* Sample one thread for the current tick. */
void   _hearth_sampler_sample_thread   (HearthSampler        *self,
                                        HearthTask           *task,
                                        const HearthProcStat *st,
                                        guint32               weight);

G_END_DECLS
