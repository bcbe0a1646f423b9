/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-canvas.h"
#include "hearth-style.h"
#include "hearth-timeline.h"
#include "hearth-timeline-view.h"

G_BEGIN_DECLS

/* Geometry, in logical pixels. */
#define HEARTH_TIMELINE_GUTTER        150.0   /* lane names */
#define HEARTH_TIMELINE_RIGHT_PAD       8.0
#define HEARTH_TIMELINE_MARKER_STRIP   14.0   /* marker flags under the axis */
#define HEARTH_TIMELINE_TOTAL_HEIGHT   44.0
#define HEARTH_TIMELINE_LANE_HEIGHT    22.0
#define HEARTH_TIMELINE_MAX_HEIGHT    240.0
#define HEARTH_TIMELINE_EDGE_SLOP       5.0   /* grab a range edge this close */
#define HEARTH_TIMELINE_CLICK_SLOP      3.0   /* a drag shorter than this is a click */
#define HEARTH_TIMELINE_FONT_SIZE      11.0

typedef struct
{
  guint32       thread;        /* HEARTH_NO_ID: all threads */
  char         *label;
  guint64       activity;      /* samples of the thread */
  double        y;             /* top, before scrolling (lane area coordinates) */
  double        height;
  HearthBucket *buckets;       /* cached for (window, width, generation); NULL: to make */
  guint         n_buckets;
  guint64       full_height;   /* weight drawn at full lane height */
} HearthTimelineRow;

typedef enum
{
  DRAG_NONE,
  DRAG_SELECT,        /* new range from the anchor */
  DRAG_EDGE,          /* one edge of an existing range; the other is the anchor */
  DRAG_PAN,           /* on the axis */
  DRAG_GUTTER,        /* on the lane names: a click filters threads */
  DRAG_MARKER,        /* on the marker strip: a click selects a span */
} HearthTimelineDrag;

struct _HearthTimelineView
{
  GtkWidget parent_instance;

  /* owned */
  HearthSession      *session;
  GArray             *lanes;           /* HearthTimelineRow; [0] is the total lane */
  guint               poll_id;
  GskRenderNode      *bars;            /* lanes, axis, markers; ranges go over it */

  /* state */
  gint64              view_start;
  gint64              view_end;
  gint64              duration;        /* of the profile when last looked at */
  guint64             generation;      /* of the profile the buckets were made from */
  guint               n_threads;       /* lanes were made for this many threads */
  double              scroll;          /* lanes scrolled up by this much */
  double              axis_height;
  double              cached_width;    /* buckets were made for this plot width */
  gint64              cached_start;
  gint64              cached_end;
  double              bars_width;      /* bars were drawn at this size and theme */
  double              bars_height;
  HearthTheme         bars_theme;
  gboolean            bars_dirty;

  HearthTimelineDrag  drag;
  gboolean            drag_b;          /* the drag edits range B */
  gboolean            drag_moved;
  double              drag_x0;
  double              drag_y0;
  gint64              drag_anchor;     /* fixed end of the range being dragged */
  gint64              pan_start;       /* view_start when an axis drag began */
  double              pan_ns_per_px;
  GdkModifierType     drag_state;
  double              pointer_x;
  double              zoom_scale0;     /* last pinch scale */

  gint64              cursor;          /* keyboard cursor time */
  gint64              key_anchor;      /* -1: no keyboard selection in progress */
  gboolean            key_b;           /* that selection edits range B */
  guint               focus_lane;      /* keyboard focus: index into lanes */

  guint               zoomed : 1;      /* the user chose the window */
  guint               sort_by_activity : 1;
  guint               threads_collapsed : 1;
};

/* hearth-timeline-view.c */
HearthProfile *_hearth_timeline_view_get_profile (HearthTimelineView *self);
double   _hearth_timeline_view_lanes_top    (HearthTimelineView *self);
double   _hearth_timeline_view_content_height (HearthTimelineView *self);
void     _hearth_timeline_view_clamp_window (HearthTimelineView *self,
                                             gint64             *start,
                                             gint64             *end);
/* Lane under widget y (index into lanes), or -1. */
int      _hearth_timeline_view_lane_at      (HearthTimelineView *self,
                                             double              y);

/* hearth-timeline-view-paint.c */
void     _hearth_timeline_view_snapshot     (GtkWidget          *widget,
                                             GtkSnapshot        *snapshot);
gboolean _hearth_timeline_view_is_dark      (HearthTimelineView *self);
/* Redraw the lanes themselves (not just the ranges over them). */
void     _hearth_timeline_view_invalidate_bars (HearthTimelineView *self);
gboolean _hearth_timeline_view_query_tooltip (GtkWidget         *widget,
                                             int                 x,
                                             int                 y,
                                             gboolean            keyboard_mode,
                                             GtkTooltip         *tooltip,
                                             gpointer            user_data);

/* hearth-timeline-view-markers.c */
void     _hearth_timeline_view_paint_markers (HearthTimelineView      *self,
                                              HearthCanvas            *canvas,
                                              const HearthTimeScale   *scale,
                                              const HearthThemeColors *colors);
/* Marker times for the lane painter: starts and, for spans, ends. */
GArray  *_hearth_timeline_view_marker_times  (HearthTimelineView      *self);
/* Move the keyboard cursor to the next (or previous) marker and select
 * its span; FALSE when there is none. */
gboolean _hearth_timeline_view_step_marker   (HearthTimelineView      *self,
                                              gboolean                 forward);
/* Marker under widget x on the strip, or -1. */
int      _hearth_timeline_view_marker_at     (HearthTimelineView      *self,
                                              double                   x);

/* hearth-timeline-view-input.c */
void     _hearth_timeline_view_init_input   (HearthTimelineView *self);
void     _hearth_timeline_view_update_accessible (HearthTimelineView *self);
/* Pan so that the keyboard cursor is in the window. */
void     _hearth_timeline_view_reveal_cursor (HearthTimelineView *self);
/* Apply a brushed range (ordered here) to the session: A, or B, which
 * also turns comparing on. */
void     _hearth_timeline_brush             (HearthSession      *session,
                                             gboolean            range_b,
                                             gint64              t0,
                                             gint64              t1);
char    *_hearth_timeline_format_time       (gint64              time_ns,
                                             gint64              span_ns);

G_END_DECLS
