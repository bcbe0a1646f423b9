/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-compare-page.h"
#include "hearth-export.h"
#include "hearth-flame-view.h"
#include "hearth-functions-table.h"
#include "hearth-session.h"
#include "hearth-sunburst-view.h"
#include "hearth-timeline-panel.h"

G_BEGIN_DECLS

/*
 * HearthExplorer: the analysis page of a window. A toolbar (back, forward,
 * reset, breadcrumbs, match share, search, icicle/flame, view options),
 * the flame view of the session's call tree — or, while focusing on a
 * function, its callers above and callees below — and the functions table.
 * Everything it shows comes from the HearthSession it is bound to.
 */
#define HEARTH_TYPE_EXPLORER (hearth_explorer_get_type ())
G_DECLARE_FINAL_TYPE (HearthExplorer, hearth_explorer, HEARTH, EXPLORER, GtkWidget)

GtkWidget            *hearth_explorer_new                  (void);
HearthSession        *hearth_explorer_get_session          (HearthExplorer      *self);
void                  hearth_explorer_set_session          (HearthExplorer      *self,
                                                            HearthSession       *session);
HearthFlameView      *hearth_explorer_get_flame_view       (HearthExplorer      *self);
/* The view the navigation actions act on: the callees view while focused
 * on a function, else the main one. */
HearthFlameView      *hearth_explorer_get_active_view      (HearthExplorer      *self);
HearthFunctionsTable *hearth_explorer_get_functions_table  (HearthExplorer      *self);

void                  hearth_explorer_focus_search         (HearthExplorer      *self);
/* Outline the next (or previous) frame matching the search, zooming to
 * it if needed. FALSE when nothing matches. */
gboolean              hearth_explorer_next_match           (HearthExplorer      *self,
                                                            gboolean             backwards);
/* "12.3% of samples match" and friends, as shown; NULL without search. */
const char           *hearth_explorer_get_match_text       (HearthExplorer      *self);
char                 *hearth_explorer_dup_breadcrumbs_text (HearthExplorer      *self);

/* Write the active view as shown (zoom, search highlight, colours,
 * theme) as PNG or SVG, or the selection as folded stacks. */
gboolean              hearth_explorer_export               (HearthExplorer      *self,
                                                            HearthExportFormat   format,
                                                            const char          *path,
                                                            GError             **error);

/* Part 2: the timeline above the views, the sunburst page, the page
 * shown while comparing two ranges, and moving focus to the visible graph. */
HearthTimelinePanel  *hearth_explorer_get_timeline_panel   (HearthExplorer      *self);
HearthSunburstView   *hearth_explorer_get_sunburst_view    (HearthExplorer      *self);
HearthComparePage    *hearth_explorer_get_compare_page     (HearthExplorer      *self);
void                  hearth_explorer_focus_graph          (HearthExplorer      *self);

G_END_DECLS
