/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-graph-view.h"
#include "hearth-session.h"

G_BEGIN_DECLS

/*
 * HearthSunburstView: the sunburst of the session's selection — the
 * session's call tree as rings around the zoom root, with its search
 * highlight, colour scheme and zoom history. Click a ring to zoom into
 * it, the centre to zoom out; arrows move the focus (Up outwards, Down
 * inwards, Left/Right around), Enter zooms, Backspace goes back.
 */
#define HEARTH_TYPE_SUNBURST_VIEW (hearth_sunburst_view_get_type ())
G_DECLARE_FINAL_TYPE (HearthSunburstView, hearth_sunburst_view, HEARTH, SUNBURST_VIEW, GtkWidget)

GtkWidget       *hearth_sunburst_view_new         (void);
void             hearth_sunburst_view_set_session (HearthSunburstView *self,
                                                   HearthSession      *session);
HearthGraphView *hearth_sunburst_view_get_graph   (HearthSunburstView *self);

G_END_DECLS
