/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-profile-private.h"
#include "hearth-timeline.h"

/* Weights per state of the samples before t: the prefix sum of the base
 * bucket holding t, plus the few samples between that bucket's start and t,
 * so boundaries are exact whatever the base width. */
static void
weights_before (HearthThreadData *td,
                gint64            width,
                gint64            t,
                guint64          *out)
{
  guint rows = td->cum->len / HEARTH_CUM_COLS;
  gint64 row = t <= 0 ? 0 : t / width;
  const guint64 *cum;

  if (row >= rows - 1)
    {
      /* at or past the last bucket: everything before t */
      row = rows - 1;
      if (row > 0)
        row--;
    }
  cum = &g_array_index (td->cum, guint64, (gsize) row * HEARTH_CUM_COLS);
  memcpy (out, cum, sizeof (guint64) * HEARTH_N_THREAD_STATES);

  for (guint64 i = cum[HEARTH_CUM_COUNT]; i < td->n_samples; i++)
    {
      HearthSampleBlock *b = g_ptr_array_index (td->blocks, i >> HEARTH_BLOCK_SHIFT);
      guint32 off = i & HEARTH_BLOCK_MASK;

      if (b->time[off] >= t)
        break;
      out[b->state[off]] += b->weight[off];
    }
}

static void
thread_from_prefix_sums (HearthThreadData *td,
                         gint64            width,
                         gint64            start,
                         gint64            end,
                         HearthBucket     *buckets,
                         guint             n_buckets)
{
  guint64 prev[HEARTH_N_THREAD_STATES];
  guint64 next[HEARTH_N_THREAD_STATES];

  weights_before (td, width, start, prev);
  for (guint k = 0; k < n_buckets; k++)
    {
      gint64 t = start + (gint64) ((double) (end - start) * (k + 1) / n_buckets);

      weights_before (td, width, t, next);
      for (guint s = 0; s < HEARTH_N_THREAD_STATES; s++)
        buckets[k].weight[s] += next[s] - prev[s];
      memcpy (prev, next, sizeof prev);
    }
}

static void
thread_from_samples (HearthThreadData *td,
                     gint64            start,
                     gint64            end,
                     HearthBucket     *buckets,
                     guint             n_buckets)
{
  guint64 first = _hearth_thread_lower_bound (td, start);
  guint64 last = _hearth_thread_lower_bound (td, end);
  gint64 span = end - start;

  for (guint64 i = first; i < last; i++)
    {
      HearthSampleBlock *b = g_ptr_array_index (td->blocks, i >> HEARTH_BLOCK_SHIFT);
      guint32 off = i & HEARTH_BLOCK_MASK;
      guint64 k = (guint64) ((double) (b->time[off] - start) / span * n_buckets);

      if (k >= n_buckets)
        k = n_buckets - 1;
      buckets[k].weight[b->state[off]] += b->weight[off];
    }
}

void
hearth_profile_timeline (HearthProfile *profile,
                         guint32        thread,
                         gint64         start_ns,
                         gint64         end_ns,
                         HearthBucket  *buckets,
                         guint          n_buckets)
{
  gint64 width;
  guint n_threads;

  g_return_if_fail (HEARTH_IS_PROFILE (profile));
  g_return_if_fail (buckets != NULL || n_buckets == 0);

  memset (buckets, 0, sizeof (HearthBucket) * n_buckets);
  if (n_buckets == 0 || end_ns <= start_ns)
    return;

  _hearth_profile_read_lock (profile);
  width = _hearth_profile_base_width (profile);
  n_threads = _hearth_profile_n_threads (profile);
  for (guint32 t = 0; t < n_threads; t++)
    {
      HearthThreadData *td = _hearth_profile_thread_data (profile, t);

      if (thread != HEARTH_NO_ID && t != thread)
        continue;

      /* Buckets at least a base bucket wide come from the prefix sums;
       * finer ones look at the (few) samples in the range. */
      if ((end_ns - start_ns) / n_buckets >= width)
        thread_from_prefix_sums (td, width, start_ns, end_ns, buckets, n_buckets);
      else
        thread_from_samples (td, start_ns, end_ns, buckets, n_buckets);
    }
  _hearth_profile_read_unlock (profile);
}
