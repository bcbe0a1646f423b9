/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-call-tree.h"
#include "hearth-color.h"
#include "hearth-layout.h"
#include "hearth-style.h"

G_BEGIN_DECLS

/*
 * HearthFlameView: the icicle / flame graph of one call tree, drawn by the
 * src/render painter in snapshot. Click zooms (animated), with a history
 * for Back/Forward; hover shows a tooltip; right-click opens a menu. It is
 * a GtkScrollable (vertical), so put it in a GtkScrolledWindow.
 *
 * Zoom is kept as a path of function ids, so replacing the tree with a
 * fresher aggregation (live sessions) keeps the zoomed frame in view.
 *
 * Signals: "focus-function" (guint function), "hide-function" (guint
 * function) from the context menu, "node-activated" (guint node) after a
 * click zoomed.
 */
#define HEARTH_TYPE_FLAME_VIEW (hearth_flame_view_get_type ())
G_DECLARE_FINAL_TYPE (HearthFlameView, hearth_flame_view, HEARTH, FLAME_VIEW, GtkWidget)

GtkWidget      *hearth_flame_view_new                 (void);

HearthCallTree *hearth_flame_view_get_tree            (HearthFlameView   *self);
void            hearth_flame_view_set_tree            (HearthFlameView   *self,
                                                       HearthCallTree    *tree);
HearthViewKind  hearth_flame_view_get_view            (HearthFlameView   *self);
void            hearth_flame_view_set_view            (HearthFlameView   *self,
                                                       HearthViewKind     view);
void            hearth_flame_view_set_color_scheme    (HearthFlameView   *self,
                                                       HearthColorScheme  scheme);
/* Per-node running share for the "state" colour scheme (copied); NULL
 * clears it. */
void            hearth_flame_view_set_running_share   (HearthFlameView   *self,
                                                       const float       *share,
                                                       guint              n_share);
/* text NULL or "" clears the search. Returns FALSE with the regex error. */
gboolean        hearth_flame_view_set_search          (HearthFlameView   *self,
                                                       const char        *text,
                                                       gboolean           regex,
                                                       GError           **error);
/* Dim every frame but those of one function (HEARTH_NO_ID: none). Takes
 * precedence over the search highlight. */
void            hearth_flame_view_set_highlight_function (HearthFlameView *self,
                                                       guint32            function);
/* Nodes matching the search in tree order (depth-first), or NULL. */
const guint32  *hearth_flame_view_get_match_nodes     (HearthFlameView   *self,
                                                       guint             *n_nodes);
/* Fraction of the zoom root's weight in matching frames, -1 without search. */
double          hearth_flame_view_get_match_fraction  (HearthFlameView   *self);

guint32         hearth_flame_view_get_zoom_node       (HearthFlameView   *self);
/* Zoom to node (animated), pushing the current zoom on the Back stack. */
void            hearth_flame_view_zoom_to             (HearthFlameView   *self,
                                                       guint32            node);
void            hearth_flame_view_reset_zoom          (HearthFlameView   *self);
gboolean        hearth_flame_view_go_back             (HearthFlameView   *self);
gboolean        hearth_flame_view_go_forward          (HearthFlameView   *self);
gboolean        hearth_flame_view_can_go_back         (HearthFlameView   *self);
gboolean        hearth_flame_view_can_go_forward      (HearthFlameView   *self);
/* TRUE while a zoom animation runs (tests wait for it to end). */
gboolean        hearth_flame_view_is_animating        (HearthFlameView   *self);
void            hearth_flame_view_set_animate         (HearthFlameView   *self,
                                                       gboolean           animate);

guint32         hearth_flame_view_get_selected_node   (HearthFlameView   *self);
/* Outline a node, zooming to it if it is not visible at this zoom. */
void            hearth_flame_view_select_node         (HearthFlameView   *self,
                                                       guint32            node);

/* Node under a widget point, or HEARTH_NO_ID; and a node's box in widget
 * coordinates (FALSE if not drawn). For tests and the context menu. */
guint32         hearth_flame_view_node_at             (HearthFlameView   *self,
                                                       double             x,
                                                       double             y);
gboolean        hearth_flame_view_get_node_rect       (HearthFlameView   *self,
                                                       guint32            node,
                                                       graphene_rect_t   *rect);
/* The multi-line tooltip text for a node (Pango markup). */
char           *hearth_flame_view_dup_tooltip_markup  (HearthFlameView   *self,
                                                       guint32            node);

/* What export needs to redraw exactly what is shown: the current layout
 * options (zoom, size, orientation) and style (scheme, theme, matches).
 * The style's matches pointer is borrowed from the view. */
void            hearth_flame_view_get_paint_state     (HearthFlameView   *self,
                                                       HearthLayoutOptions *options,
                                                       HearthStyle       *style);

G_END_DECLS
