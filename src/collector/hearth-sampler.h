/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <sys/types.h>

#include "hearth-output.h"
#include "hearth-stream.h"

G_BEGIN_DECLS

typedef enum
{
  HEARTH_SAMPLE_MODE_WALL,  /* every thread whatever its state */
  HEARTH_SAMPLE_MODE_CPU,   /* running threads only */
} HearthSampleMode;

typedef struct
{
  pid_t             pid;
  pid_t             child_pid;     /* == pid when we started the target, else 0 */
  guint             rate_hz;
  gdouble           duration_s;    /* <= 0: until stopped or the target exits */
  HearthSampleMode  mode;
  const gint32     *threads;       /* TIDs to sample, or NULL for all */
  guint             n_threads;
  gboolean          stop_blocked;  /* ptrace-stop blocked threads too */
  gboolean          python_only;   /* Python frames + native leaf, never ptrace */
  const char       *command_line;  /* for the hello record; NULL: from /proc */
} HearthSamplerOptions;

/*
 * HearthSampler: samples every thread of one process on a timer and feeds
 * the samples to a HearthStreamEncoder, whose bytes go to a HearthOutput.
 * Running threads are stopped just long enough to copy registers and a
 * stack window; blocked threads are read through /proc/TID/syscall and
 * process_vm_readv without stopping them (unless stop_blocked). All
 * unwinding happens after the thread runs again. Runs on the calling
 * thread, which becomes the ptrace tracer.
 */
#define HEARTH_TYPE_SAMPLER (hearth_sampler_get_type ())
G_DECLARE_FINAL_TYPE (HearthSampler, hearth_sampler, HEARTH, SAMPLER, GObject)

HearthSampler           *hearth_sampler_new            (const HearthSamplerOptions *options);
/* Check the target can be sampled and set up its caches. FALSE with a
 * HEARTH_SAMPLER_ERROR naming what to do. */
gboolean                 hearth_sampler_attach         (HearthSampler  *self,
                                                        GError        **error);
/* Sample until the duration ends, the target exits, the output closes or
 * a stop is requested; then send the END record. FALSE with an error if
 * sampling had to stop for another reason (the error was also sent as a
 * fatal ERROR record). */
gboolean                 hearth_sampler_run            (HearthSampler  *self,
                                                        HearthOutput   *output,
                                                        GError        **error);
/* Ask a running sampler to stop. Async-signal-safe. */
void                     hearth_sampler_request_stop   (void);
const HearthStreamStats *hearth_sampler_get_stats      (HearthSampler  *self);
gboolean                 hearth_sampler_target_exited  (HearthSampler  *self);
/* Print per-sample costs to stderr at the end (for bench/collector). */
void                     hearth_sampler_set_report_costs (HearthSampler *self,
                                                        gboolean        report);

/* Send hello + a fatal ERROR + END for a target we could not attach to,
 * so a stream reader learns why. */
void                     hearth_sampler_encode_failure (HearthStreamEncoder        *encoder,
                                                        const HearthSamplerOptions *options,
                                                        const GError               *error);

G_END_DECLS
