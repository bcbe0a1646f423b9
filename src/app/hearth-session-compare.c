/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hearth-session-private.h"
#include "hearth-time-scale.h"

/*
 * The session's second range: range B, the compare switch, and what the
 * reload worker computes from them. Kept apart from hearth-session.c so
 * that the single-range session reads on its own; the properties are
 * installed there with the others.
 */

/* Count both ranges once and build the two trees from the same counts:
 * the B tree for the side-by-side view and the A/B union for the diff.
 * hearth_call_tree_new_diff() would count again for each. */
void
_hearth_session_build_compare (HearthProfile         *profile,
                               const HearthSelection *a,
                               const HearthSelection *b,
                               HearthCallTree       **tree_b,
                               HearthCallTree       **diff)
{
  guint n = hearth_profile_get_n_stacks (profile);
  g_autofree guint64 *counts_a = g_new0 (guint64, MAX (n, 1));
  g_autofree guint64 *counts_b = g_new0 (guint64, MAX (n, 1));

  hearth_profile_accumulate_stacks (profile, a, counts_a, n);
  hearth_profile_accumulate_stacks (profile, b, counts_b, n);

  *tree_b = hearth_call_tree_new_from_counts (profile, counts_b, NULL, n, HEARTH_CALL_TREE_TOP_DOWN);
  *diff = hearth_call_tree_new_from_counts (profile, counts_a, counts_b, n, HEARTH_CALL_TREE_TOP_DOWN);
}

gboolean
hearth_session_get_compare (HearthSession *self)
{
  g_return_val_if_fail (HEARTH_IS_SESSION (self), FALSE);
  return self->compare;
}

void
hearth_session_set_compare (HearthSession *self,
                            gboolean       compare)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));
  g_object_set (self, "compare", !!compare, NULL);
}

gboolean
hearth_session_get_comparing (HearthSession *self)
{
  g_return_val_if_fail (HEARTH_IS_SESSION (self), FALSE);
  return self->compare && self->range_b_end > self->range_b_start;
}

void
hearth_session_get_range_a (HearthSession *self,
                            gint64        *start_ns,
                            gint64        *end_ns)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));

  if (start_ns != NULL)
    *start_ns = self->range_a_start;
  if (end_ns != NULL)
    *end_ns = self->range_a_end;
}

void
hearth_session_get_range_b (HearthSession *self,
                            gint64        *start_ns,
                            gint64        *end_ns)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));

  if (start_ns != NULL)
    *start_ns = self->range_b_start;
  if (end_ns != NULL)
    *end_ns = self->range_b_end;
}

void
hearth_session_get_selection_b (HearthSession   *self,
                                HearthSelection *selection)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));
  g_return_if_fail (selection != NULL);

  hearth_session_get_selection (self, selection);
  selection->start_ns = self->range_b_start;
  selection->end_ns = self->range_b_end;
}

const guint32 *
hearth_session_get_threads (HearthSession *self,
                            guint         *n_threads)
{
  g_return_val_if_fail (HEARTH_IS_SESSION (self), NULL);

  if (self->threads == NULL || self->threads->len == 0)
    {
      if (n_threads != NULL)
        *n_threads = 0;
      return NULL;
    }
  if (n_threads != NULL)
    *n_threads = self->threads->len;
  return (const guint32 *) self->threads->data;
}

gboolean
hearth_session_get_running_only (HearthSession *self)
{
  g_return_val_if_fail (HEARTH_IS_SESSION (self), FALSE);
  return self->running_only;
}

HearthCallTree *
hearth_session_get_call_tree_b (HearthSession *self)
{
  g_return_val_if_fail (HEARTH_IS_SESSION (self), NULL);
  return self->call_tree_b;
}

HearthCallTree *
hearth_session_get_diff_tree (HearthSession *self)
{
  g_return_val_if_fail (HEARTH_IS_SESSION (self), NULL);
  return self->diff_tree;
}

/* Brushing moves a range many times a second. hearth_session_set_range_a()
 * cancels the aggregation in flight for every change, which is right for
 * a one-off change but starves a drag: when an aggregation takes longer
 * than the pointer's step, each step cancels the last and nothing is
 * drawn until the drag stops. Here a change while an aggregation runs
 * lets it finish (its tree is drawn, a step behind) and queues exactly
 * one more with the newest range, so the views keep up at the pace the
 * aggregation allows and end on the final range. */
static void
brush (HearthSession *self,
       gint64        *field_start,
       gint64        *field_end,
       guint          prop_start,
       guint          prop_end,
       gint64         start_ns,
       gint64         end_ns,
       gboolean       reload)
{
  if (*field_start == start_ns && *field_end == end_ns)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (*field_start != start_ns)
    g_object_notify_by_pspec (G_OBJECT (self), _hearth_session_properties[prop_start]);
  if (*field_end != end_ns)
    g_object_notify_by_pspec (G_OBJECT (self), _hearth_session_properties[prop_end]);
  *field_start = start_ns;
  *field_end = end_ns;
  g_object_thaw_notify (G_OBJECT (self));

  if (!reload)
    return;
  /* Start at once rather than from an idle: pointer events are handled
   * at the start of a frame, and an idle would wait for that frame's
   * layout and paint before the aggregation even begins. */
  if (self->reload_in_flight)
    self->reload_again = TRUE;
  else
    {
      g_clear_handle_id (&self->reload_idle_id, g_source_remove);
      _hearth_session_start_reload (self);
    }
}

void
hearth_session_brush_range_a (HearthSession *self,
                              gint64         start_ns,
                              gint64         end_ns)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));
  brush (self, &self->range_a_start, &self->range_a_end, PROP_RANGE_A_START, PROP_RANGE_A_END,
         start_ns, end_ns, TRUE);
}

void
hearth_session_brush_range_b (HearthSession *self,
                              gint64         start_ns,
                              gint64         end_ns)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));
  brush (self, &self->range_b_start, &self->range_b_end, PROP_RANGE_B_START, PROP_RANGE_B_END,
         start_ns, end_ns, self->compare);
}
