/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-export.h"
#include "hearth-flame-view.h"
#include "hearth-graph-view.h"
#include "hearth-session.h"

G_BEGIN_DECLS

/*
 * HearthComparePage: what the explorer shows while the session compares
 * range A with range B. "layout" is "diff" (the differential flame graph
 * of the session's diff tree, with its legend) or "side-by-side" (the A
 * and B trees as two icicles that zoom together and share the search).
 *
 * "shape" (b, a, union), "normalization" (share, rate), "change" (total,
 * self) and "palette" (red-blue, colorblind) are the diff-* settings.
 */
#define HEARTH_TYPE_COMPARE_PAGE (hearth_compare_page_get_type ())
G_DECLARE_FINAL_TYPE (HearthComparePage, hearth_compare_page, HEARTH, COMPARE_PAGE, GtkWidget)

GtkWidget       *hearth_compare_page_new            (void);
void             hearth_compare_page_set_session    (HearthComparePage  *self,
                                                     HearthSession      *session);
const char      *hearth_compare_page_get_layout     (HearthComparePage  *self);
void             hearth_compare_page_set_layout     (HearthComparePage  *self,
                                                     const char         *layout);
HearthGraphView *hearth_compare_page_get_diff_view  (HearthComparePage  *self);
HearthFlameView *hearth_compare_page_get_side_view  (HearthComparePage  *self,
                                                     gboolean            range_b);
/* The diff options as the settings make them (for the current ranges). */
void             hearth_compare_page_get_diff_options (HearthComparePage *self,
                                                     HearthDiffOptions  *options,
                                                     HearthWidthBy      *width_by);
/* PNG or SVG of what is shown: the diff with its legend, or both sides. */
gboolean         hearth_compare_page_export         (HearthComparePage  *self,
                                                     HearthExportFormat  format,
                                                     const char         *path,
                                                     GError            **error);

G_END_DECLS
