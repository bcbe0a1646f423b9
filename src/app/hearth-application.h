/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-ssh-destination.h"
#include "hearth-window.h"

G_BEGIN_DECLS

/* The schema id stays fixed in development builds (see the schema file). */
#define HEARTH_SETTINGS_SCHEMA_ID "io.github.hearthprof.Hearth"

/*
 * HearthApplication: options (`FILE…`, `--pid PID`, `--demo`, `--mode`,
 * `--rate`, `--remote USER@HOST` with `--port`, `--identity`,
 * `--known-hosts`, `--collector`), windows, app actions and accelerators (all shortcuts of the
 * app are declared here, once), the settings, the recent sessions list,
 * light/dark style, and the demo workload it may have started (ended on
 * quit).
 */
#define HEARTH_TYPE_APPLICATION (hearth_application_get_type ())
G_DECLARE_FINAL_TYPE (HearthApplication, hearth_application, HEARTH, APPLICATION, GtkApplication)

HearthApplication *hearth_application_new                (void);
GSettings         *hearth_application_get_settings       (HearthApplication *self);
HearthWindow      *hearth_application_new_window         (HearthApplication *self);
void               hearth_application_open_in_new_window (HearthApplication *self,
                                                          GFile             *file);
/* Put path first in the recent sessions (at most 10 kept). */
void               hearth_application_add_recent         (HearthApplication *self,
                                                          const char        *path);
/* Start the bundled demo workload (or reuse the running one) and attach
 * window to it; problems go to the window's banner. */
void               hearth_application_profile_demo       (HearthApplication *self,
                                                          HearthWindow      *window);
/* Put an SSH destination first in the recent hosts (at most 10 kept). */
void               hearth_application_add_recent_host    (HearthApplication          *self,
                                                          const char                 *destination);
/* Attach window to process pid on another machine through ssh (the
 * destination is copied) and put the host first in the recent hosts;
 * problems go to the window's banner. */
void               hearth_application_attach_remote      (HearthApplication          *self,
                                                          HearthWindow               *window,
                                                          const HearthSshDestination *destination,
                                                          const char                 *collector_path,
                                                          int                         pid,
                                                          const char                 *name);

G_END_DECLS
