/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hearth-profile-private.h"
#include "hearth-timeline.h"

/* Sample iteration over a HearthSelection: binary search each selected
 * thread's time column for the range, then walk the blocks in between, so
 * the cost is O(threads × log n + samples in range). */

gint64
_hearth_selection_end (const HearthSelection *sel)
{
  if (sel == NULL || sel->end_ns <= 0)
    return G_MAXINT64;
  return sel->end_ns;
}

gboolean
_hearth_selection_has_thread (const HearthSelection *sel,
                              guint32                thread)
{
  if (sel == NULL || sel->threads == NULL)
    return TRUE;
  for (guint i = 0; i < sel->n_threads; i++)
    if (sel->threads[i] == thread)
      return TRUE;
  return FALSE;
}

guint64
_hearth_thread_lower_bound (HearthThreadData *td,
                            gint64            t)
{
  guint64 lo = 0, hi = td->n_samples;

  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;

      if (_hearth_thread_time_at (td, mid) < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
selection_bounds (HearthThreadData      *td,
                  const HearthSelection *sel,
                  guint64               *first,
                  guint64               *last)
{
  gint64 start = sel != NULL ? sel->start_ns : 0;
  gint64 end = _hearth_selection_end (sel);

  *first = start > 0 ? _hearth_thread_lower_bound (td, start) : 0;
  *last = end == G_MAXINT64 ? td->n_samples : _hearth_thread_lower_bound (td, end);
}

void
hearth_profile_foreach_sample (HearthProfile         *self,
                               const HearthSelection *selection,
                               HearthSampleFunc       func,
                               gpointer               user_data)
{
  gboolean running_only = selection != NULL && selection->running_only;
  guint n_threads;

  g_return_if_fail (HEARTH_IS_PROFILE (self));
  g_return_if_fail (func != NULL);

  _hearth_profile_read_lock (self);
  n_threads = _hearth_profile_n_threads (self);
  for (guint32 t = 0; t < n_threads; t++)
    {
      HearthThreadData *td = _hearth_profile_thread_data (self, t);
      guint64 first, last;

      if (!_hearth_selection_has_thread (selection, t))
        continue;

      selection_bounds (td, selection, &first, &last);
      for (guint64 i = first; i < last; i++)
        {
          HearthSampleBlock *b = g_ptr_array_index (td->blocks, i >> HEARTH_BLOCK_SHIFT);
          guint32 off = i & HEARTH_BLOCK_MASK;
          HearthSample s;

          if (running_only && b->state[off] != HEARTH_THREAD_STATE_RUNNING)
            continue;

          s.time_ns = b->time[off];
          s.stack = b->stack[off];
          s.weight = b->weight[off];
          s.state = b->state[off];
          if (!func (t, &s, user_data))
            goto out;
        }
    }
out:
  _hearth_profile_read_unlock (self);
}

guint64
hearth_profile_accumulate_stacks (HearthProfile         *self,
                                  const HearthSelection *selection,
                                  guint64               *counts,
                                  guint                  n_counts)
{
  gboolean running_only = selection != NULL && selection->running_only;
  guint64 total = 0;
  guint n_threads;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), 0);

  _hearth_profile_read_lock (self);
  n_threads = _hearth_profile_n_threads (self);
  for (guint32 t = 0; t < n_threads; t++)
    {
      HearthThreadData *td = _hearth_profile_thread_data (self, t);
      guint64 first, last, i;

      if (!_hearth_selection_has_thread (selection, t))
        continue;

      selection_bounds (td, selection, &first, &last);
      i = first;
      while (i < last)
        {
          HearthSampleBlock *b = g_ptr_array_index (td->blocks, i >> HEARTH_BLOCK_SHIFT);
          guint32 off = i & HEARTH_BLOCK_MASK;
          guint32 end = (guint32) MIN ((guint64) HEARTH_BLOCK_SIZE, off + (last - i));
          const guint32 *stack = b->stack;
          const guint32 *weight = b->weight;
          const guint8 *state = b->state;

          for (guint32 k = off; k < end; k++)
            {
              if (running_only && state[k] != HEARTH_THREAD_STATE_RUNNING)
                continue;
              total += weight[k];
              if (stack[k] < n_counts)
                counts[stack[k]] += weight[k];
            }
          i += end - off;
        }
    }
  _hearth_profile_read_unlock (self);

  return total;
}

guint64
hearth_profile_count_samples (HearthProfile         *self,
                              const HearthSelection *selection)
{
  guint64 total = 0;
  guint n_threads;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), 0);

  _hearth_profile_read_lock (self);
  n_threads = _hearth_profile_n_threads (self);
  for (guint32 t = 0; t < n_threads; t++)
    {
      HearthThreadData *td = _hearth_profile_thread_data (self, t);
      guint64 first, last;

      if (!_hearth_selection_has_thread (selection, t))
        continue;
      selection_bounds (td, selection, &first, &last);
      if (selection == NULL || !selection->running_only)
        {
          total += last - first;
          continue;
        }
      for (guint64 i = first; i < last; i++)
        {
          HearthSampleBlock *b = g_ptr_array_index (td->blocks, i >> HEARTH_BLOCK_SHIFT);

          if (b->state[i & HEARTH_BLOCK_MASK] == HEARTH_THREAD_STATE_RUNNING)
            total++;
        }
    }
  _hearth_profile_read_unlock (self);

  return total;
}
