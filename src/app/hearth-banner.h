/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * HearthBanner: a message strip at the top of a window, like libadwaita's
 * AdwBanner (which GTK 4.8 without libadwaita does not have): a label, an
 * optional action button and a close button, revealed with a slide.
 */
#define HEARTH_TYPE_BANNER (hearth_banner_get_type ())
G_DECLARE_FINAL_TYPE (HearthBanner, hearth_banner, HEARTH, BANNER, GtkWidget)

GtkWidget  *hearth_banner_new        (void);
/* Show text; error TRUE styles it as an error. button_label and
 * action_name may be NULL for no button. */
void        hearth_banner_show       (HearthBanner *self,
                                      const char   *text,
                                      gboolean      error,
                                      const char   *button_label,
                                      const char   *action_name);
void        hearth_banner_dismiss    (HearthBanner *self);
const char *hearth_banner_get_text   (HearthBanner *self);
gboolean    hearth_banner_is_shown   (HearthBanner *self);

G_END_DECLS
