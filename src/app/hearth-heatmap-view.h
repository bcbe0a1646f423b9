/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-session.h"

G_BEGIN_DECLS

/*
 * HearthHeatmapView: the subsecond-offset heat map (FlameScope's view) of
 * the session's samples: one column per second, the offset within the
 * second going down in "rows" cells, each cell coloured by its number of
 * samples of running threads (on CPU: a wall-clock recording samples
 * sleeping threads too, which would colour every cell alike). Periodic
 * stalls and bursts that a density plot averages away show up as
 * horizontal stripes.
 *
 * A drag from one cell to another selects the time between them (in time
 * order: down a column, then on to the next) as range A, Shift+drag as
 * range B; a click clears; arrows and Shift+arrows do the same from the
 * keyboard. "view-start"/"view-end" are the visible window, shared with
 * the lanes; the heat map shows the whole seconds that cover it.
 */
#define HEARTH_TYPE_HEATMAP_VIEW (hearth_heatmap_view_get_type ())
G_DECLARE_FINAL_TYPE (HearthHeatmapView, hearth_heatmap_view, HEARTH, HEATMAP_VIEW, GtkWidget)

GtkWidget     *hearth_heatmap_view_new          (void);
HearthSession *hearth_heatmap_view_get_session  (HearthHeatmapView *self);
void           hearth_heatmap_view_set_session  (HearthHeatmapView *self,
                                                 HearthSession     *session);
/* Cells per second (FlameScope offers 10 to 100); default 50, 20 ms each. */
guint          hearth_heatmap_view_get_rows     (HearthHeatmapView *self);
void           hearth_heatmap_view_set_rows     (HearthHeatmapView *self,
                                                 guint              rows);

/* Geometry, for tests and the keyboard: the first second shown, the
 * number of columns, and a cell's box in widget coordinates. */
gint64         hearth_heatmap_view_get_first_second (HearthHeatmapView *self);
guint          hearth_heatmap_view_get_n_columns (HearthHeatmapView *self);
gboolean       hearth_heatmap_view_get_cell_rect (HearthHeatmapView *self,
                                                 guint              column,
                                                 guint              row,
                                                 graphene_rect_t   *rect);
/* Running samples in a cell (after the thread filter), as coloured. */
guint64        hearth_heatmap_view_get_cell_count (HearthHeatmapView *self,
                                                 guint              column,
                                                 guint              row);

G_END_DECLS
