/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-heatmap-view.h"
#include "hearth-timeline-view-private.h"

G_BEGIN_DECLS

#define HEARTH_HEATMAP_NS_PER_S G_GINT64_CONSTANT (1000000000)

struct _HearthHeatmapView
{
  GtkWidget parent_instance;

  /* owned */
  HearthSession *session;
  guint64       *counts;        /* n_columns × rows, column-major */

  /* state */
  gint64         view_start;
  gint64         view_end;
  guint          rows;
  gint64         first_second;  /* of the first column */
  guint          n_columns;
  guint          seconds_per_column;
  guint64        max_count;
  guint64        generation;    /* counts were made from this profile generation… */
  double         counts_width;  /* …for this width… */
  gint64         counts_start;  /* …and window */
  gint64         counts_end;
  gint64         counts_time;   /* monotonic µs when the cells were made */
  guint          refresh_id;    /* a throttled remake of a recording's cells */
  double         axis_height;

  gboolean       drag_b;
  gboolean       drag_moved;
  double         drag_x0;
  double         drag_y0;
  gint64         drag_anchor;   /* start of the cell the drag began in */
  guint          cursor_col;
  guint          cursor_row;
  gint64         key_anchor;    /* -1: no keyboard selection */
  gboolean       key_b;         /* that selection edits range B */
};

/* hearth-heatmap-view.c */
void     _hearth_heatmap_view_plot_rect    (HearthHeatmapView *self,
                                            graphene_rect_t   *rect);
gint64   _hearth_heatmap_view_column_start (HearthHeatmapView *self,
                                            guint              column);
gint64   _hearth_heatmap_view_cell_ns      (HearthHeatmapView *self);
/* Start (or end) of the cell under (x, y), clamped to the grid. */
gint64   _hearth_heatmap_view_time_at      (HearthHeatmapView *self,
                                            double             x,
                                            double             y,
                                            gboolean           end);

/* hearth-heatmap-view-input.c */
void     _hearth_heatmap_view_init_input   (HearthHeatmapView *self);

G_END_DECLS
