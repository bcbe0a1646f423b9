/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-style.h"
#include "hearth-tree-cache-private.h"

G_BEGIN_DECLS

/* The public colour functions, for painters that already hold the
 * tree's cache (looking it up per frame showed up in profiles). */
HearthRgba _hearth_style_node_color_cached (const HearthStyle       *style,
                                            HearthTreeCache         *cache,
                                            guint32                  node);
HearthRgba _hearth_style_item_color_cached (const HearthStyle       *style,
                                            HearthTreeCache         *cache,
                                            const HearthLayoutItem  *item,
                                            double                   range);
double     _hearth_diff_node_delta_cached  (HearthTreeCache         *cache,
                                            guint32                  node,
                                            const HearthDiffOptions *options);

G_END_DECLS
