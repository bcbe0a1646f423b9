/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-call-tree.h"
#include "hearth-color.h"
#include "hearth-font-private.h"

G_BEGIN_DECLS

/*
 * _HearthTreeCache: per-tree data the layout and painter look up for every
 * visible frame on every frame drawn: node structs, function names,
 * modules, kinds, hash colours and label widths.
 *
 * Going through the public call-tree/profile getters costs two read locks
 * and a type check per lookup, which added up to most of a frame's budget.
 * A call tree is immutable, so the answers can be kept: the cache hangs
 * off the tree (g_object_set_data) and dies with it. Per-function entries
 * are filled lazily, so a tree that is built for one frame while brushing
 * pays only for what it draws. Entries are written with atomic stores of
 * identical values, so concurrent painters (a widget and an export worker)
 * may share a tree.
 */

typedef struct _HearthTreeCache HearthTreeCache;

/* Owned by the tree; never NULL. */
HearthTreeCache      *_hearth_tree_cache_get          (HearthCallTree  *tree);

/* The node array (nodes are contiguous, node 0 is the root). */
const HearthCallNode *_hearth_tree_cache_nodes        (HearthTreeCache *cache);
guint                 _hearth_tree_cache_n_nodes      (HearthTreeCache *cache);

/* Function name ("all" for the root), never NULL. */
const char           *_hearth_tree_cache_name         (HearthTreeCache *cache,
                                                       guint32          node);
/* Module path, NULL if none. */
const char           *_hearth_tree_cache_module       (HearthTreeCache *cache,
                                                       guint32          node);
guint                 _hearth_tree_cache_kind         (HearthTreeCache *cache,
                                                       guint32          node);
/* hearth_color_for_name() of the node's name, computed once per function. */
HearthRgba            _hearth_tree_cache_name_color   (HearthTreeCache *cache,
                                                       guint32          node);
/* Per-function label widths for one font: a table of float bit patterns
 * (0 = not measured yet), created on first use for that font and kept
 * with the tree. Fetch it once per paint. */
guint32              *_hearth_tree_cache_label_widths (HearthTreeCache *cache,
                                                       HearthFont      *font);
/* Width of a function's name in font (HEARTH_NO_ID: "all"), measured
 * once per function. */
double                _hearth_tree_cache_label_width  (HearthTreeCache *cache,
                                                       guint32         *widths,
                                                       guint32          function,
                                                       HearthFont      *font);
/* By function id, for painters holding layout items (item->function):
 * one memory access per lookup instead of three. HEARTH_NO_ID is the
 * root ("all"). */
const char           *_hearth_tree_cache_function_name  (HearthTreeCache *cache,
                                                         guint32          function);
HearthRgba            _hearth_tree_cache_function_color (HearthTreeCache *cache,
                                                         guint32          function);

/* hearth_call_tree_get_total_a/b(), kept. */
guint64               _hearth_tree_cache_total_a      (HearthTreeCache *cache);
guint64               _hearth_tree_cache_total_b      (HearthTreeCache *cache);

/* One-slot memos of whole-tree passes, so relayouts of the same tree
 * (resizing, zoom animation, repaints) do not repeat them. */
/* Outermost elided nodes (guint32) of a zoom root for a column mask;
 * returns a new reference or NULL. */
GArray               *_hearth_tree_cache_lookup_elided (HearthTreeCache *cache,
                                                        guint32          zoom_root,
                                                        guint            mask);
void                  _hearth_tree_cache_store_elided  (HearthTreeCache *cache,
                                                        guint32          zoom_root,
                                                        guint            mask,
                                                        GArray          *nodes);
/* A cached double keyed by an arbitrary blob (the diff range). */
gboolean              _hearth_tree_cache_lookup_value  (HearthTreeCache *cache,
                                                        gconstpointer    key,
                                                        gsize            key_size,
                                                        double          *value);
void                  _hearth_tree_cache_store_value   (HearthTreeCache *cache,
                                                        gconstpointer    key,
                                                        gsize            key_size,
                                                        double           value);

G_END_DECLS
