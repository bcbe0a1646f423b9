/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-export.h"
#include "hearth-layout.h"
#include "hearth-style.h"

G_BEGIN_DECLS

/*
 * HearthGraphView: a call tree drawn whole by the render painter, for the
 * views of part 2 that HearthFlameView (a scrolled icicle/flame of one
 * range) does not cover:
 *
 *   - the sunburst of the selection ("view" SUNBURST): click a ring to
 *     zoom into it, the centre to zoom out;
 *   - the differential flame graph ("view" ICICLE with a diff style): a
 *     tree with A and B columns, shaped by A, B or their union, coloured
 *     by normalised change, with the legend above it; frames that exist
 *     on one side only sit in the elided strip and can be zoomed into.
 *
 * Both keep a zoom history (Back/Forward, Backspace), a focused frame
 * moved with the arrow keys (Enter zooms to it), tooltips, search
 * highlight, and export exactly as shown through hearth_export_scene_*.
 * The accessible name follows the focused frame, with its share.
 * "zoom-node" and "selected-node" are notified for views that follow it.
 */
#define HEARTH_TYPE_GRAPH_VIEW (hearth_graph_view_get_type ())
G_DECLARE_FINAL_TYPE (HearthGraphView, hearth_graph_view, HEARTH, GRAPH_VIEW, GtkWidget)

GtkWidget      *hearth_graph_view_new               (HearthViewKind           view);
HearthViewKind  hearth_graph_view_get_view          (HearthGraphView         *self);
HearthCallTree *hearth_graph_view_get_tree          (HearthGraphView         *self);
/* Keeps the zoomed and focused frames when they exist in the new tree. */
void            hearth_graph_view_set_tree          (HearthGraphView         *self,
                                                     HearthCallTree          *tree);
/* Colour by change (the tree must have A and B columns); options are
 * copied. diff FALSE: the colour scheme. */
void            hearth_graph_view_set_diff          (HearthGraphView         *self,
                                                     gboolean                 diff,
                                                     const HearthDiffOptions *options,
                                                     HearthWidthBy            width_by);
void            hearth_graph_view_set_color_scheme  (HearthGraphView         *self,
                                                     HearthColorScheme        scheme);
/* Per-node match flags (copied); NULL clears the highlight. */
void            hearth_graph_view_set_matches       (HearthGraphView         *self,
                                                     const guint8            *matches,
                                                     guint                    n_matches);
void            hearth_graph_view_set_running_share (HearthGraphView         *self,
                                                     const float             *share,
                                                     guint                    n_share);
/* The name a screen reader gives the view ("Sunburst"). */
void            hearth_graph_view_set_name          (HearthGraphView         *self,
                                                     const char              *name);

guint32         hearth_graph_view_get_zoom_node     (HearthGraphView         *self);
void            hearth_graph_view_zoom_to           (HearthGraphView         *self,
                                                     guint32                  node);
void            hearth_graph_view_reset_zoom        (HearthGraphView         *self);
gboolean        hearth_graph_view_go_back           (HearthGraphView         *self);
gboolean        hearth_graph_view_go_forward        (HearthGraphView         *self);
guint32         hearth_graph_view_get_selected_node (HearthGraphView         *self);
/* Focus a frame (zooming out to it if it is not drawn). */
void            hearth_graph_view_select_node       (HearthGraphView         *self,
                                                     guint32                  node);

/* Node under a widget point (HEARTH_NO_ID for none) and a node's box
 * (the bounding box of its arc for the sunburst). */
guint32         hearth_graph_view_node_at           (HearthGraphView         *self,
                                                     double                   x,
                                                     double                   y);
gboolean        hearth_graph_view_get_node_rect     (HearthGraphView         *self,
                                                     guint32                  node,
                                                     graphene_rect_t         *rect);
/* Centre of a node's arc or box, where a click lands on it. */
gboolean        hearth_graph_view_get_node_point    (HearthGraphView         *self,
                                                     guint32                  node,
                                                     graphene_point_t        *point);
/* The tooltip text for a node (plain text; A, B and Δ for a diff). */
char           *hearth_graph_view_dup_tooltip_text  (HearthGraphView         *self,
                                                     guint32                  node);
/* The layout as drawn (NULL before the first size allocation). */
HearthLayout   *hearth_graph_view_get_layout        (HearthGraphView         *self);
void            hearth_graph_view_get_style         (HearthGraphView         *self,
                                                     HearthStyle             *style);
/* PNG or SVG of what is shown (with the legend for a diff). */
gboolean        hearth_graph_view_export            (HearthGraphView         *self,
                                                     HearthExportFormat       format,
                                                     const char              *path,
                                                     GError                 **error);

G_END_DECLS
