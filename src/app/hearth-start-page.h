/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The first page of a window without a session: attach, open, demo and
 * recent sessions. Activating a recent session emits "open-recent"
 * (const char *path). */
#define HEARTH_TYPE_START_PAGE (hearth_start_page_get_type ())
G_DECLARE_FINAL_TYPE (HearthStartPage, hearth_start_page, HEARTH, START_PAGE, GtkWidget)

GtkWidget *hearth_start_page_new        (void);
/* Paths, most recent first; files that no longer exist are left out. */
void       hearth_start_page_set_recent (HearthStartPage    *self,
                                         const char * const *paths);

G_END_DECLS
