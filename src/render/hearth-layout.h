/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "hearth-call-tree.h"

G_BEGIN_DECLS

/*
 * HearthLayout: the pure geometry of one view of a call tree.
 *
 * (tree, zoom root, viewport, options) → an array of items sorted by row
 * (ring, for the sunburst) and then by x (angle). Coordinates are logical
 * pixels with the origin at the viewport's top-left; angles are radians,
 * 0 at twelve o'clock, growing clockwise.
 *
 * Width: every node weighs  scale_a · total_a + scale_b · total_b.
 * A plain tree uses (1, 0). A diff uses (0, 1) for "width by B", (1, 0) for
 * "width by A", or (1/total_a, 1/total_b) for the union, so each side
 * counts by its share and a node's width is the mean of its two shares
 * (hearth_layout_options_set_width_by() fills these). A sum of shares is
 * used rather than the larger share because only a sum nests: children
 * never exceed their parent.
 *
 * The zoom root fills the width (the whole disc for the sunburst). Its
 * ancestors are drawn as full-width bars on the rows before it (icicle,
 * flame) — the sunburst shows the zoom root as its centre instead.
 * Sibling runs narrower than options.min_width are merged into one item
 * flagged MERGED (node = their parent) when together they reach
 * min_width, and otherwise culled; nothing under them is laid out.
 *
 * Frames that weigh nothing in the width column but something on the
 * other side (for width by B: frames that vanished in B) are not lost:
 * the outermost ones are laid out in an "elided strip", one row at the
 * far edge (bottom for icicle and sunburst, top for flame), sized by their
 * share on the other side, flagged ELIDED. See docs/export.md.
 */

typedef enum
{
  HEARTH_VIEW_ICICLE,    /* root at the top */
  HEARTH_VIEW_FLAME,     /* root at the bottom */
  HEARTH_VIEW_SUNBURST,  /* root in the centre */
} HearthViewKind;

typedef enum
{
  HEARTH_WIDTH_BY_A,
  HEARTH_WIDTH_BY_B,
  HEARTH_WIDTH_BY_UNION,
} HearthWidthBy;

typedef enum
{
  HEARTH_LAYOUT_ITEM_ANCESTOR  = 1 << 0,  /* ancestor of the zoom root, drawn full width */
  HEARTH_LAYOUT_ITEM_ZOOM_ROOT = 1 << 1,
  HEARTH_LAYOUT_ITEM_MERGED    = 1 << 2,  /* several narrow siblings; node is their parent */
  HEARTH_LAYOUT_ITEM_ELIDED    = 1 << 3,  /* absent from the width column; in the strip */
} HearthLayoutItemFlags;

typedef struct
{
  guint32 node;        /* call-tree node (the parent for MERGED items) */
  guint32 function;    /* the node's function id; HEARTH_NO_ID for the root and MERGED items */
  guint16 flags;       /* HearthLayoutItemFlags */
  guint16 n_merged;    /* MERGED: number of siblings, saturated at G_MAXUINT16 */
  guint32 row;         /* row from the root (icicle/flame) or ring (sunburst, 0 = centre);
                        * G_MAXUINT32 for the elided strip */
  guint32 parent_item; /* index of the parent's item, G_MAXUINT32 for the first row/strip */
  /* Bounding box; for arcs the box of the whole ring slice. */
  double  x;
  double  y;
  double  width;
  double  height;
  /* Sunburst arcs only (zero otherwise). */
  double  r0;
  double  r1;
  double  a0;
  double  a1;
} HearthLayoutItem;

typedef struct
{
  HearthViewKind view;
  guint32        zoom_root;        /* node; 0 (the root) by default */
  double         width;            /* viewport, logical pixels */
  double         height;
  double         row_height;       /* icicle/flame row pitch; 0 → 18 */
  double         min_width;        /* narrowest item kept (px); 0 → 1 */
  double         scale_a;          /* weight = scale_a·total_a + scale_b·total_b */
  double         scale_b;
  double         strip_label_width;/* room kept left of the elided strip for its title; 0 → 110 */
  double         min_ring_width;   /* sunburst: rings thinner than this are not drawn; 0 → 14 */
} HearthLayoutOptions;

#define HEARTH_TYPE_LAYOUT (hearth_layout_get_type ())

typedef struct _HearthLayout HearthLayout;

GType                   hearth_layout_get_type          (void) G_GNUC_CONST;

/* Defaults: icicle, zoom root 0, width by A. */
void                    hearth_layout_options_init      (HearthLayoutOptions     *options,
                                                         HearthViewKind           view,
                                                         double                   width,
                                                         double                   height);
/* Set scale_a/scale_b for a width mode. For UNION, rate_a/rate_b > 0 give
 * per-second weighting (weights divided by the range durations in
 * seconds) instead of shares; pass 0 for shares. */
void                    hearth_layout_options_set_width_by (HearthLayoutOptions  *options,
                                                         HearthCallTree          *tree,
                                                         HearthWidthBy            width_by,
                                                         double                   seconds_a,
                                                         double                   seconds_b);

/* Never NULL. An out-of-range zoom root falls back to the root. If the
 * zoom root weighs nothing in the width column (a frame that exists only
 * on the other side of a diff), the other column is used for this layout
 * so the frame can still be explored; see hearth_layout_get_swapped(). */
HearthLayout           *hearth_layout_new               (HearthCallTree          *tree,
                                                         const HearthLayoutOptions *options);
HearthLayout           *hearth_layout_ref               (HearthLayout            *self);
void                    hearth_layout_unref             (HearthLayout            *self);

HearthCallTree         *hearth_layout_get_tree          (HearthLayout            *self);
const HearthLayoutOptions *hearth_layout_get_options    (HearthLayout            *self);
/* Items, sorted: main rows/rings by (row, x or a0), then the elided strip. */
const HearthLayoutItem *hearth_layout_get_items         (HearthLayout            *self,
                                                         guint                   *n_items);
guint                   hearth_layout_get_n_items       (HearthLayout            *self);
const HearthLayoutItem *hearth_layout_get_item          (HearthLayout            *self,
                                                         guint                    index);
/* Item under a point, or NULL. O(log n). */
const HearthLayoutItem *hearth_layout_hit_test          (HearthLayout            *self,
                                                         double                   x,
                                                         double                   y);
/* Item drawing a node (not a MERGED one), or NULL if the node is culled
 * or outside the zoom. */
const HearthLayoutItem *hearth_layout_find_node         (HearthLayout            *self,
                                                         guint32                  node);
/* Weight of a node in the layout's width column (after any swap). */
double                  hearth_layout_get_node_weight   (HearthLayout            *self,
                                                         guint32                  node);
/* Weight of the node on the other side (the column elided items are sized by). */
double                  hearth_layout_get_node_other_weight (HearthLayout        *self,
                                                         guint32                  node);
double                  hearth_layout_get_zoom_weight   (HearthLayout            *self);
guint32                 hearth_layout_get_zoom_root     (HearthLayout            *self);
gboolean                hearth_layout_get_swapped       (HearthLayout            *self);
/* Number of rows (icicle/flame, ancestors included) or rings (sunburst,
 * centre included) that hold at least one item. */
guint                   hearth_layout_get_n_rows        (HearthLayout            *self);
/* Height a viewport would need to show every row of this zoom (icicle/flame). */
double                  hearth_layout_measure_height    (HearthCallTree          *tree,
                                                         guint32                  zoom_root,
                                                         double                   row_height);
/* The elided strip: FALSE when there is none. The rect covers the title
 * area too; items start at x + options.strip_label_width. */
gboolean                hearth_layout_get_strip         (HearthLayout            *self,
                                                         double                  *x,
                                                         double                  *y,
                                                         double                  *width,
                                                         double                  *height);
/* Sunburst centre and ring pitch. */
void                    hearth_layout_get_sunburst_geometry (HearthLayout        *self,
                                                         double                  *cx,
                                                         double                  *cy,
                                                         double                  *ring_width);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthLayout, hearth_layout_unref)

G_END_DECLS
