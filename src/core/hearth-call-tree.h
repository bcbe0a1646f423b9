/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "hearth-profile.h"

G_BEGIN_DECLS

/*
 * HearthCallTree: an immutable, aggregated call tree built from a
 * selection of a HearthProfile. Nodes are plain structs in one array;
 * node 0 is the synthetic root (function HEARTH_NO_ID).
 *
 * Every node carries two weight columns, A and B. A plain tree fills only
 * A; a diff tree (hearth_call_tree_new_diff) fills A and B over the union
 * of both selections, so frames present on one side only are kept.
 *
 * Children of every node are sorted by function name (then function id),
 * the same order everywhere, so layouts of different ranges line up.
 */

#define HEARTH_TYPE_CALL_TREE (hearth_call_tree_get_type ())
G_DECLARE_FINAL_TYPE (HearthCallTree, hearth_call_tree, HEARTH, CALL_TREE, GObject)

typedef struct
{
  guint32 function;      /* function id in the profile; HEARTH_NO_ID for the root */
  guint32 parent;        /* node index; HEARTH_NO_ID for the root */
  guint32 first_child;   /* index into the children table */
  guint32 n_children;
  guint32 depth;         /* root = 0 */
  guint64 self_a;
  guint64 total_a;
  guint64 self_b;
  guint64 total_b;
} HearthCallNode;

typedef enum
{
  HEARTH_CALL_TREE_TOP_DOWN,
  HEARTH_CALL_TREE_BOTTOM_UP,   /* inverted: roots are leaf functions */
} HearthCallTreeKind;

HearthCallTree       *hearth_call_tree_new           (HearthProfile         *profile,
                                                      const HearthSelection *selection,
                                                      HearthCallTreeKind     kind);
HearthCallTree       *hearth_call_tree_new_diff      (HearthProfile         *profile,
                                                      const HearthSelection *a,
                                                      const HearthSelection *b);
/* Build from per-stack weights (as filled by hearth_profile_accumulate_stacks);
 * counts_b may be NULL. */
HearthCallTree       *hearth_call_tree_new_from_counts (HearthProfile       *profile,
                                                      const guint64         *counts_a,
                                                      const guint64         *counts_b,
                                                      guint                  n_counts,
                                                      HearthCallTreeKind     kind);
/* "Sandwich" focus on one function: callees of every call to it merged into
 * one tree whose root child is the function (recursion collapsed to the
 * outermost call). Callers: use a BOTTOM_UP tree of the same selection. */
HearthCallTree       *hearth_call_tree_new_callees   (HearthProfile         *profile,
                                                      const HearthSelection *selection,
                                                      guint32                function);

HearthProfile        *hearth_call_tree_get_profile   (HearthCallTree        *self);
HearthCallTreeKind    hearth_call_tree_get_kind      (HearthCallTree        *self);
guint                 hearth_call_tree_get_n_nodes   (HearthCallTree        *self);
const HearthCallNode *hearth_call_tree_get_node      (HearthCallTree        *self,
                                                      guint32                node);
/* All nodes, contiguous: node i is the i-th element (node 0 the root);
 * valid as long as the tree. */
const HearthCallNode *hearth_call_tree_get_nodes     (HearthCallTree        *self,
                                                      guint                 *n_nodes);
/* The children of node in sibling order, as node indexes; valid as long
 * as the tree. */
const guint32        *hearth_call_tree_get_children  (HearthCallTree        *self,
                                                      guint32                node,
                                                      guint                 *n_children);
/* Index of the i-th child of node. */
guint32               hearth_call_tree_get_child     (HearthCallTree        *self,
                                                      guint32                node,
                                                      guint                  i);
/* Total weights of the whole selections (root totals). */
guint64               hearth_call_tree_get_total_a   (HearthCallTree        *self);
guint64               hearth_call_tree_get_total_b   (HearthCallTree        *self);
guint32               hearth_call_tree_get_max_depth (HearthCallTree        *self);
/* Name of the node's function ("all" for the root). Never NULL. */
const char           *hearth_call_tree_get_name      (HearthCallTree        *self,
                                                      guint32                node);
/* Path of function names from the root's child to node, root-first;
 * free with g_strfreev. */
GStrv                 hearth_call_tree_get_path      (HearthCallTree        *self,
                                                      guint32                node);
/* Find the node reached by following a path of function ids from the root;
 * HEARTH_NO_ID if absent. Used to keep zoom across re-aggregation. */
guint32               hearth_call_tree_find_path     (HearthCallTree        *self,
                                                      const guint32         *functions,
                                                      guint                  n_functions);
/* Multi-line text dump "name self total" indented by depth, for tests. */
char                 *hearth_call_tree_to_string     (HearthCallTree        *self);

/* --- top functions ------------------------------------------------------- */
typedef struct
{
  guint32 function;
  guint64 self_a;
  guint64 total_a;       /* recursion counted once per sample */
  guint64 self_b;
  guint64 total_b;
} HearthFunctionStats;

/* Per function, sorted by total_a descending then name; returns a GArray
 * of HearthFunctionStats (caller frees). b may be NULL. */
GArray               *hearth_profile_top_functions   (HearthProfile         *profile,
                                                      const HearthSelection *a,
                                                      const HearthSelection *b);

/* Normalised delta for a diff: share_b - share_a in [-1, 1], where share is
 * weight / total of that side (0 when a side is empty). */
double                hearth_diff_delta              (guint64 a,
                                                      guint64 total_a,
                                                      guint64 b,
                                                      guint64 total_b);

G_END_DECLS
