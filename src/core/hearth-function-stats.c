/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-call-tree.h"
#include "hearth-profile-private.h"

/* Per-function self and total weights. Total counts each sample once per
 * function even when the function recurses: a stamp per function records
 * the last stack that credited it. */
static void
accumulate_functions (HearthProfile       *profile,
                      const guint64       *counts,
                      guint                n_stacks,
                      HearthFunctionStats *stats,
                      guint                n_functions,
                      gboolean             side_b)
{
  guint n_real, n_frames;
  const HearthStack *stacks = _hearth_profile_stacks (profile, &n_real);
  const HearthFrame *frames = _hearth_profile_frames (profile, &n_frames);
  g_autofree guint32 *stamp = g_new (guint32, MAX (n_functions, 1));

  memset (stamp, 0xff, sizeof (guint32) * n_functions);
  n_stacks = MIN (n_stacks, n_real);

  for (guint s = 0; s < n_stacks; s++)
    {
      guint64 w = counts[s];
      guint32 leaf;

      if (w == 0)
        continue;

      leaf = frames[stacks[s].frame].function;
      if (side_b)
        stats[leaf].self_b += w;
      else
        stats[leaf].self_a += w;

      for (guint32 cur = s; cur != HEARTH_NO_ID; cur = stacks[cur].parent)
        {
          guint32 f = frames[stacks[cur].frame].function;

          if (stamp[f] == s)
            continue;
          stamp[f] = s;
          if (side_b)
            stats[f].total_b += w;
          else
            stats[f].total_a += w;
        }
    }
}

typedef struct
{
  HearthProfile *profile;
} CompareContext;

static int
compare_stats (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  CompareContext *ctx = user_data;
  const HearthFunctionStats *sa = a;
  const HearthFunctionStats *sb = b;
  guint n_functions;
  const HearthFunction *functions;

  if (sa->total_a != sb->total_a)
    return sa->total_a < sb->total_a ? 1 : -1;
  if (sa->total_b != sb->total_b)
    return sa->total_b < sb->total_b ? 1 : -1;

  functions = _hearth_profile_functions (ctx->profile, &n_functions);
  return strcmp (_hearth_profile_string (ctx->profile, functions[sa->function].name),
                 _hearth_profile_string (ctx->profile, functions[sb->function].name));
}

GArray *
hearth_profile_top_functions (HearthProfile         *profile,
                              const HearthSelection *a,
                              const HearthSelection *b)
{
  g_autofree guint64 *counts_a = NULL;
  g_autofree guint64 *counts_b = NULL;
  g_autofree HearthFunctionStats *stats = NULL;
  CompareContext ctx = { profile };
  GArray *ret;
  guint n, n_functions;

  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), NULL);

  n = hearth_profile_get_n_stacks (profile);
  counts_a = g_new0 (guint64, MAX (n, 1));
  hearth_profile_accumulate_stacks (profile, a, counts_a, n);
  if (b != NULL)
    {
      counts_b = g_new0 (guint64, MAX (n, 1));
      hearth_profile_accumulate_stacks (profile, b, counts_b, n);
    }

  _hearth_profile_read_lock (profile);
  _hearth_profile_functions (profile, &n_functions);
  stats = g_new0 (HearthFunctionStats, MAX (n_functions, 1));
  for (guint f = 0; f < n_functions; f++)
    stats[f].function = f;

  accumulate_functions (profile, counts_a, n, stats, n_functions, FALSE);
  if (counts_b != NULL)
    accumulate_functions (profile, counts_b, n, stats, n_functions, TRUE);

  ret = g_array_new (FALSE, FALSE, sizeof (HearthFunctionStats));
  for (guint f = 0; f < n_functions; f++)
    if ((stats[f].total_a | stats[f].total_b) != 0)
      g_array_append_val (ret, stats[f]);
  g_array_sort_with_data (ret, compare_stats, &ctx);
  _hearth_profile_read_unlock (profile);

  return ret;
}

double
hearth_diff_delta (guint64 a,
                   guint64 total_a,
                   guint64 b,
                   guint64 total_b)
{
  double share_a = total_a > 0 ? (double) a / total_a : 0.0;
  double share_b = total_b > 0 ? (double) b / total_b : 0.0;

  return CLAMP (share_b - share_a, -1.0, 1.0);
}

/* The path that follows the heaviest child from the root: what a
 * flamegraph's widest tower shows. */
static void
append_heaviest_stack (HearthProfile *self,
                       GString       *out,
                       guint64        total)
{
  g_autoptr(HearthCallTree) tree = hearth_call_tree_new (self, NULL, HEARTH_CALL_TREE_TOP_DOWN);
  guint32 node = 0;
  const HearthCallNode *n = hearth_call_tree_get_node (tree, 0);

  g_string_append (out, "Heaviest stack:");
  while (n->n_children > 0)
    {
      guint32 best = hearth_call_tree_get_child (tree, node, 0);

      for (guint i = 1; i < n->n_children; i++)
        {
          guint32 c = hearth_call_tree_get_child (tree, node, i);

          if (hearth_call_tree_get_node (tree, c)->total_a > hearth_call_tree_get_node (tree, best)->total_a)
            best = c;
        }
      node = best;
      n = hearth_call_tree_get_node (tree, node);
      g_string_append_printf (out, "%s%s", n->depth > 1 ? " → " : " ", hearth_call_tree_get_name (tree, node));
    }
  g_string_append_printf (out, " (%.1f%%)\n", total ? 100.0 * n->total_a / total : 0.0);
}

char *
hearth_profile_describe (HearthProfile *self,
                         guint          n_top)
{
  g_autoptr(GArray) top = NULL;
  GString *out = g_string_new (NULL);
  guint64 total = hearth_profile_get_total_weight (self);
  guint n_threads = hearth_profile_get_n_threads (self);
  g_autofree char *cmdline = hearth_profile_dup_metadata (self, "command-line");

  if (cmdline != NULL)
    g_string_append_printf (out, "Command:   %s\n", cmdline);
  g_string_append_printf (out, "Threads:   %u\n", n_threads);
  g_string_append_printf (out, "Samples:   %" G_GUINT64_FORMAT " (weight %" G_GUINT64_FORMAT ")\n",
                          hearth_profile_get_n_samples (self), total);
  g_string_append_printf (out, "Duration:  %.3f s\n", hearth_profile_get_duration_ns (self) / 1e9);
  g_string_append_printf (out, "Stacks:    %u distinct\n", hearth_profile_get_n_stacks (self));

  append_heaviest_stack (self, out, total);

  top = hearth_profile_top_functions (self, NULL, NULL);
  g_string_append_printf (out, "Top functions by total (self):\n");
  for (guint i = 0; i < top->len && i < n_top; i++)
    {
      const HearthFunctionStats *st = &g_array_index (top, HearthFunctionStats, i);
      HearthFunction f;

      hearth_profile_get_function (self, st->function, &f);
      g_string_append_printf (out, "  %5.1f%% (%5.1f%%)  %s\n",
                              total ? 100.0 * st->total_a / total : 0.0,
                              total ? 100.0 * st->self_a / total : 0.0,
                              hearth_profile_get_string (self, f.name));
    }

  return g_string_free (out, FALSE);
}
