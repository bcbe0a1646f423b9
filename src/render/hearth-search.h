/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-call-tree.h"

G_BEGIN_DECLS

/*
 * HearthSearch: a compiled search over function names, substring or
 * GRegex, shared by the views' highlight, the functions table filter and
 * `hearth export --search`.
 */

typedef enum
{
  HEARTH_SEARCH_FLAGS_NONE           = 0,
  HEARTH_SEARCH_FLAGS_REGEX          = 1 << 0,
  HEARTH_SEARCH_FLAGS_CASE_SENSITIVE = 1 << 1,
} HearthSearchFlags;

typedef struct _HearthSearch HearthSearch;

/* Returns NULL with a G_REGEX_ERROR for an invalid regular expression.
 * Empty text matches nothing. */
HearthSearch *hearth_search_new            (const char         *text,
                                            HearthSearchFlags   flags,
                                            GError            **error);
void          hearth_search_free           (HearthSearch       *self);
gboolean      hearth_search_match          (HearthSearch       *self,
                                            const char         *name);
/* One byte per node (1 = the node's function matches; the root never
 * does); caller frees with g_free. Each function is tested once. */
guint8       *hearth_search_match_tree     (HearthSearch       *self,
                                            HearthCallTree     *tree,
                                            guint              *n_nodes);
/* Share of the weight under root (node) that lies in matching frames,
 * counting a match nested under another match once: the "N% of samples
 * match" figure. Weight = scale_a·total_a + scale_b·total_b. In [0, 1];
 * 0 when root weighs nothing. */
double        hearth_search_match_fraction (HearthCallTree     *tree,
                                            const guint8       *matches,
                                            guint               n_matches,
                                            guint32             root,
                                            double              scale_a,
                                            double              scale_b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthSearch, hearth_search_free)

G_END_DECLS
