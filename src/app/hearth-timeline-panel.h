/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-heatmap-view.h"
#include "hearth-session.h"
#include "hearth-timeline-view.h"

G_BEGIN_DECLS

/*
 * HearthTimelinePanel: the timeline strip above the views. A toolbar
 * (lanes or heat map, the selected ranges with their start, end,
 * duration and sample count, the Compare toggle, options) over either
 * the thread lanes or the subsecond heat map, which share one visible
 * window. "mode" is "lanes" or "heatmap" (the timeline-mode setting).
 */
#define HEARTH_TYPE_TIMELINE_PANEL (hearth_timeline_panel_get_type ())
G_DECLARE_FINAL_TYPE (HearthTimelinePanel, hearth_timeline_panel, HEARTH, TIMELINE_PANEL, GtkWidget)

GtkWidget          *hearth_timeline_panel_new          (void);
void                hearth_timeline_panel_set_session  (HearthTimelinePanel *self,
                                                        HearthSession       *session);
HearthTimelineView *hearth_timeline_panel_get_lanes    (HearthTimelinePanel *self);
HearthHeatmapView  *hearth_timeline_panel_get_heatmap  (HearthTimelinePanel *self);
const char         *hearth_timeline_panel_get_mode     (HearthTimelinePanel *self);
void                hearth_timeline_panel_set_mode     (HearthTimelinePanel *self,
                                                        const char          *mode);
/* The range summary as shown above the lanes. */
const char         *hearth_timeline_panel_get_range_text (HearthTimelinePanel *self);
/* Move keyboard focus to the lanes or the heat map, whichever is shown. */
void                hearth_timeline_panel_grab_focus   (HearthTimelinePanel *self);

G_END_DECLS
