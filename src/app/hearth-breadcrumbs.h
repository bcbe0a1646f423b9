/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-call-tree.h"

G_BEGIN_DECLS

/* The path from the root to the zoomed frame as a row of buttons; clicking
 * one emits "node-activated" (guint node) to zoom out to it. */
#define HEARTH_TYPE_BREADCRUMBS (hearth_breadcrumbs_get_type ())
G_DECLARE_FINAL_TYPE (HearthBreadcrumbs, hearth_breadcrumbs, HEARTH, BREADCRUMBS, GtkWidget)

GtkWidget *hearth_breadcrumbs_new      (void);
void       hearth_breadcrumbs_set_path (HearthBreadcrumbs *self,
                                        HearthCallTree    *tree,
                                        guint32            node);
/* The crumbs' labels joined by " › ", for tests and accessibility. */
char      *hearth_breadcrumbs_dup_text (HearthBreadcrumbs *self);

G_END_DECLS
