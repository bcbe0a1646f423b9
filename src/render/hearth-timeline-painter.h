/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-canvas.h"
#include "hearth-style.h"
#include "hearth-time-scale.h"
#include "hearth-timeline.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 start_ns;
  gint64 end_ns;
} HearthTimeRange;

/*
 * One timeline lane: sample density per bucket, stacked by thread state
 * (running at the bottom, then sleeping, disk wait, other), with the
 * selected ranges A and B shaded over it and marker ticks. The buckets
 * cover the scale's [start_ns, end_ns) evenly (as filled by
 * hearth_profile_timeline()).
 */
typedef struct
{
  const HearthBucket *buckets;
  guint               n_buckets;
  guint64             max_weight;   /* full lane height; 0 → the largest bucket */
  const HearthTimeRange *range_a;   /* NULL: none */
  const HearthTimeRange *range_b;
  const gint64       *markers;      /* marker times (ns) */
  guint               n_markers;
  const char         *label;        /* lane title drawn top-left, or NULL */
} HearthTimelineLane;

/* Paint a lane into [scale.x, scale.x + scale.width) × [y, y + height). */
void   hearth_timeline_paint_lane  (HearthCanvas             *canvas,
                                    const HearthTimeScale    *scale,
                                    double                    y,
                                    double                    height,
                                    const HearthTimelineLane *lane,
                                    const HearthStyle        *style);
/* Paint a time axis (tick marks and labels) whose top edge is y; returns
 * the height used. */
double hearth_timeline_paint_axis  (HearthCanvas             *canvas,
                                    const HearthTimeScale    *scale,
                                    double                    y,
                                    const HearthStyle        *style);

G_END_DECLS
