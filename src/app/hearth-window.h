/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-collector-host.h"
#include "hearth-explorer.h"
#include "hearth-session.h"

G_BEGIN_DECLS

/*
 * HearthWindow: one session per window. Shows the start page until a
 * session is opened or recorded, then the explorer, with a banner for
 * errors and a status line (samples, rate, threads, dropped) below.
 */
#define HEARTH_TYPE_WINDOW (hearth_window_get_type ())
G_DECLARE_FINAL_TYPE (HearthWindow, hearth_window, HEARTH, WINDOW, GtkApplicationWindow)

HearthWindow   *hearth_window_new          (GtkApplication      *application);
HearthSession  *hearth_window_get_session  (HearthWindow        *self);
void            hearth_window_set_session  (HearthWindow        *self,
                                            HearthSession       *session);
HearthExplorer *hearth_window_get_explorer (HearthWindow        *self);
/* TRUE while the window shows no session (a file can open in it). */
gboolean        hearth_window_is_empty     (HearthWindow        *self);

/* Open a .profsession or folded file (asynchronously; errors go to the
 * banner). */
void            hearth_window_open_file    (HearthWindow        *self,
                                            GFile               *file);
/* Start recording pid through host. FALSE (and a banner) on failure. */
gboolean        hearth_window_attach       (HearthWindow        *self,
                                            HearthCollectorHost *host,
                                            int                  pid,
                                            const char          *process_name,
                                            const char          *mode,
                                            guint                rate_hz);
void            hearth_window_show_message (HearthWindow        *self,
                                            const char          *text,
                                            gboolean             error);
/* The banner's text if shown, else NULL (for tests). */
const char     *hearth_window_get_message  (HearthWindow        *self);
const char     *hearth_window_get_status_text (HearthWindow     *self);

G_END_DECLS
