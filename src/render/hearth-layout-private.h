/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-layout.h"

G_BEGIN_DECLS

struct _HearthLayout
{
  /* owned */
  HearthCallTree      *tree;
  const HearthCallNode *nodes;       /* the tree's node array */
  GArray              *items;        /* HearthLayoutItem */
  GArray              *row_starts;   /* guint: first item of each row, then strip_first */
  guint32             *node_items;   /* node → item index, G_MAXUINT32 if none */

  /* state */
  HearthLayoutOptions  options;
  guint32              zoom_root;
  double               zoom_weight;
  double               ka, kb;       /* width column actually used */
  double               oa, ob;       /* the other side (elided items) */
  gboolean             swapped;
  guint                n_rows;
  guint                strip_first;

  /* main area and strip */
  double               main_y0, main_y1;
  gboolean             has_strip;
  double               strip_x, strip_y, strip_width, strip_height;

  /* sunburst */
  double               cx, cy, radius, ring_width;
};

void _hearth_arc_bounds (double  cx,
                         double  cy,
                         double  r0,
                         double  r1,
                         double  a0,
                         double  a1,
                         double *x,
                         double *y,
                         double *width,
                         double *height);

/* Deepest node depth (absolute) in the subtree of root. O(subtree). */
guint32 _hearth_subtree_max_depth (HearthCallTree *tree,
                                   guint32         root);

G_END_DECLS
