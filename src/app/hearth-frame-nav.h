/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-layout.h"
#include "hearth-style.h"

G_BEGIN_DECLS

/*
 * Keyboard navigation between frames, shared by the flame, sunburst and
 * diff views, and what a screen reader is told about the focused frame.
 *
 * Moves follow the call tree (parent, first child, previous and next
 * sibling), preferring frames the layout draws so focus never lands on a
 * frame too narrow to see; a view zooms to a frame that is not drawn.
 * Arrow keys map onto moves by what is on screen: in an icicle Up goes
 * to the parent, in a flame graph (root at the bottom) Down does, and in
 * a sunburst Up goes outwards to the children and Down inwards.
 */

typedef enum
{
  HEARTH_FRAME_NAV_PARENT,
  HEARTH_FRAME_NAV_CHILD,
  HEARTH_FRAME_NAV_PREVIOUS,
  HEARTH_FRAME_NAV_NEXT,
} HearthFrameNav;

/* FALSE for keys that are not moves. */
gboolean  hearth_frame_nav_from_key  (HearthViewKind    view,
                                      guint             keyval,
                                      HearthFrameNav   *move);
/* The frame reached from node by move; from HEARTH_NO_ID (nothing
 * focused yet) any move starts at the zoom root. HEARTH_NO_ID when there
 * is nowhere to go (the root's parent, a leaf's child, the last sibling). */
guint32   hearth_frame_nav_step      (HearthLayout     *layout,
                                      guint32           node,
                                      HearthFrameNav    move);
/* "compute, 62.5% of the selection, 100 samples"; for a diff style
 * "compute, A 10.0%, B 30.0%, change +20.00%". New string; NULL for
 * HEARTH_NO_ID. */
char     *hearth_frame_nav_describe  (HearthCallTree    *tree,
                                      guint32           node,
                                      const HearthStyle *style);
/* Make the widget's accessible name "<view name>: <frame>" so that a
 * screen reader announces the newly focused frame (the name of the
 * focused object is what it reads on change). frame_text NULL: just the
 * view name. */
void      hearth_frame_nav_announce  (GtkWidget        *widget,
                                      const char       *view_name,
                                      const char       *frame_text);

/* Frames are remembered by their path of function ids from the root, so
 * that a zoom or focus survives re-aggregation and maps between trees of
 * different ranges. New array of guint32 (empty for the root). */
GArray   *hearth_frame_nav_path_for_node (HearthCallTree *tree,
                                      guint32           node);
/* HEARTH_NO_ID when the path does not exist in tree. */
guint32   hearth_frame_nav_node_for_path (HearthCallTree *tree,
                                      GArray           *path);

G_END_DECLS
