/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-graph-view.h"

G_BEGIN_DECLS

#define HEARTH_GRAPH_VIEW_ROW_HEIGHT 20.0
#define HEARTH_GRAPH_VIEW_FONT_SIZE  12.0

struct _HearthGraphView
{
  GtkWidget parent_instance;

  /* owned */
  HearthCallTree    *tree;
  HearthLayout      *layout;          /* for the current zoom and size; NULL = stale */
  guint8            *matches;
  guint              n_matches;
  float             *running_share;
  guint              n_running_share;
  GArray            *zoom_path;       /* function ids, survive new trees */
  GArray            *selected_path;   /* NULL: nothing focused */
  GPtrArray         *back;            /* of zoom paths */
  GPtrArray         *forward;
  char              *name;

  /* state */
  HearthViewKind     view;
  HearthColorScheme  scheme;
  HearthDiffOptions  diff_options;
  HearthWidthBy      width_by;
  guint32            zoom_node;
  guint32            selected_node;
  double             legend_height;   /* diff legend above the graph */
  guint              diff : 1;
};

/* hearth-graph-view.c */
HearthLayout *_hearth_graph_view_ensure_layout (HearthGraphView *self);
/* Widget y of the layout's origin (below the legend). */
double        _hearth_graph_view_top           (HearthGraphView *self);
void          _hearth_graph_view_announce      (HearthGraphView *self);
/* Zoom to node (its path already set), relayout and notify. */
void          _hearth_graph_view_set_zoom_node (HearthGraphView *self,
                                                guint32          node);
void          _hearth_graph_view_notify_history (HearthGraphView *self);

/* hearth-graph-view-input.c */
void          _hearth_graph_view_init_input    (HearthGraphView *self);
void          _hearth_graph_view_class_init_input (GtkWidgetClass *widget_class);

G_END_DECLS
