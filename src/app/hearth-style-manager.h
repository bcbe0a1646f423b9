/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * HearthStyleManager: light or dark, following the desktop.
 *
 * libadwaita's AdwStyleManager reads the XDG settings portal; plain GTK
 * 4.8 does not. We do the same by hand, in this order: the app's own
 * "style-variant" key ("light"/"dark" force a style), the portal's
 * org.freedesktop.appearance color-scheme, GNOME's
 * org.gnome.desktop.interface color-scheme when that schema is installed,
 * and otherwise whatever GTK already does (a "-dark" theme name or
 * gtk-application-prefer-dark-theme from settings.ini/XSETTINGS). The
 * result goes to GtkSettings:gtk-application-prefer-dark-theme.
 */
#define HEARTH_TYPE_STYLE_MANAGER (hearth_style_manager_get_type ())
G_DECLARE_FINAL_TYPE (HearthStyleManager, hearth_style_manager, HEARTH, STYLE_MANAGER, GObject)

/* settings: the app's GSettings (may be NULL). */
HearthStyleManager *hearth_style_manager_new      (GSettings          *settings);
/* TRUE when the dark style is requested. */
gboolean            hearth_style_manager_get_dark (HearthStyleManager *self);

G_END_DECLS
