/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-session.h"
#include "hearth-time-scale.h"

G_BEGIN_DECLS

/*
 * HearthTimelineView: the session's samples over time, above the views.
 *
 * A time axis with the session's markers, a lane for all threads and one
 * lane per thread (names in a gutter on the left; sorted by activity or
 * by thread; the thread lanes collapse into the total lane). Each lane is
 * the sample density per bucket, stacked by thread state, drawn by the
 * render library's timeline painter from hearth_profile_timeline(), which
 * costs O(buckets) whatever the number of samples.
 *
 * Input: drag on the lanes selects range A (Shift+drag: range B), a
 * range's edges can be dragged, a click clears; a click on a lane's name
 * filters the views to that thread (Ctrl+click adds or removes it);
 * Ctrl+scroll or a pinch zooms, Shift+scroll or a drag on the axis pans;
 * a click on a marker selects its span. All of it also by keyboard; see
 * docs/app.md. The visible window ("view-start"/"view-end") follows the
 * end of a live recording until the user zooms or pans away from it.
 */
#define HEARTH_TYPE_TIMELINE_VIEW (hearth_timeline_view_get_type ())
G_DECLARE_FINAL_TYPE (HearthTimelineView, hearth_timeline_view, HEARTH, TIMELINE_VIEW, GtkWidget)

GtkWidget     *hearth_timeline_view_new                (void);
HearthSession *hearth_timeline_view_get_session        (HearthTimelineView *self);
void           hearth_timeline_view_set_session        (HearthTimelineView *self,
                                                        HearthSession      *session);

/* The visible window in profile time. Setting it stops following a live
 * recording unless it reaches the end. */
void           hearth_timeline_view_get_window         (HearthTimelineView *self,
                                                        gint64             *start_ns,
                                                        gint64             *end_ns);
void           hearth_timeline_view_set_window         (HearthTimelineView *self,
                                                        gint64              start_ns,
                                                        gint64              end_ns);
/* Show the whole session again (and follow a live one). */
void           hearth_timeline_view_reset_window       (HearthTimelineView *self);
/* Zoom by factor (> 1 zooms in) keeping the time under widget x fixed. */
void           hearth_timeline_view_zoom               (HearthTimelineView *self,
                                                        double              factor,
                                                        double              x);
/* Move the window by dx widget pixels (positive: later). */
void           hearth_timeline_view_pan                (HearthTimelineView *self,
                                                        double              dx);
gboolean       hearth_timeline_view_get_following      (HearthTimelineView *self);

/* The time ↔ x map of the lanes, in widget coordinates. */
void           hearth_timeline_view_get_scale          (HearthTimelineView *self,
                                                        HearthTimeScale    *scale);
/* A lane's box in widget coordinates: thread index, or HEARTH_NO_ID for
 * the total lane. FALSE when the lane is not shown. */
gboolean       hearth_timeline_view_get_lane_rect      (HearthTimelineView *self,
                                                        guint32             thread,
                                                        graphene_rect_t    *rect);
/* Thread indexes in the order the lanes are drawn (caller frees). */
GArray        *hearth_timeline_view_dup_lane_order     (HearthTimelineView *self);
/* The x of a marker's flag on the axis, or -1 when it is off screen. */
double         hearth_timeline_view_get_marker_x       (HearthTimelineView *self,
                                                        guint               marker);

gboolean       hearth_timeline_view_get_sort_by_activity (HearthTimelineView *self);
void           hearth_timeline_view_set_sort_by_activity (HearthTimelineView *self,
                                                        gboolean            sort);
gboolean       hearth_timeline_view_get_threads_collapsed (HearthTimelineView *self);
void           hearth_timeline_view_set_threads_collapsed (HearthTimelineView *self,
                                                        gboolean            collapsed);

/* Select a marker's span as range A (instant markers: from the previous
 * marker, or the start, up to it). FALSE for a bad index. */
gboolean       hearth_timeline_view_select_marker      (HearthTimelineView *self,
                                                        guint               marker);

G_END_DECLS
