/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-profile.h"

G_BEGIN_DECLS

/* Samples of a thread live in fixed-size blocks so appends never move data
 * that a reader may be scanning, and RAM stays close to the payload. */
#define HEARTH_BLOCK_SHIFT 16
#define HEARTH_BLOCK_SIZE  (1u << HEARTH_BLOCK_SHIFT)
#define HEARTH_BLOCK_MASK  (HEARTH_BLOCK_SIZE - 1)

/* Timeline base buckets: at most this many per thread; the base width
 * doubles when a session outgrows it. */
#define HEARTH_TIMELINE_MAX_BASE 65536

#define HEARTH_CUM_COUNT HEARTH_N_THREAD_STATES
#define HEARTH_CUM_COLS  (HEARTH_N_THREAD_STATES + 1)

typedef struct
{
  gint64  *time;
  guint32 *stack;
  guint32 *weight;
  guint8  *state;
} HearthSampleBlock;

typedef struct
{
  HearthThread  info;
  GPtrArray    *blocks;        /* HearthSampleBlock* */
  guint64       n_samples;
  guint64       total_weight;
  gint64        last_time;
  /* cum[j * HEARTH_CUM_COLS + s]: weight of state s in the samples with
   * time < j * base width; column HEARTH_CUM_COUNT: how many such samples,
   * which is also the index of the first sample at or after that time. */
  GArray       *cum;           /* guint64 */
  guint64       running[HEARTH_CUM_COLS];
} HearthThreadData;

/* Internal, unlocked accessors: callers hold the read lock. */
void                 _hearth_profile_read_lock    (HearthProfile *self);
void                 _hearth_profile_read_unlock  (HearthProfile *self);
const HearthStack   *_hearth_profile_stacks       (HearthProfile *self,
                                                   guint         *n_stacks);
const HearthFrame   *_hearth_profile_frames       (HearthProfile *self,
                                                   guint         *n_frames);
const HearthFunction *_hearth_profile_functions   (HearthProfile *self,
                                                   guint         *n_functions);
const char          *_hearth_profile_string       (HearthProfile *self,
                                                   guint32        id);
HearthThreadData    *_hearth_profile_thread_data  (HearthProfile *self,
                                                   guint32        thread);
guint                _hearth_profile_n_threads    (HearthProfile *self);
gint64               _hearth_profile_base_width   (HearthProfile *self);
/* Index of the first sample of thread with time >= t. */
guint64              _hearth_thread_lower_bound   (HearthThreadData *td,
                                                   gint64            t);
/* Is thread selected by sel? */
gboolean             _hearth_selection_has_thread (const HearthSelection *sel,
                                                   guint32                thread);
gint64               _hearth_selection_end        (const HearthSelection *sel);

static inline gint64
_hearth_thread_time_at (HearthThreadData *td, guint64 i)
{
  HearthSampleBlock *b = g_ptr_array_index (td->blocks, i >> HEARTH_BLOCK_SHIFT);
  return b->time[i & HEARTH_BLOCK_MASK];
}

G_END_DECLS
