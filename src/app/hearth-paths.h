/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the running `hearth` is the one in the build tree
 * (/proc/self/exe under BUILD_ROOT): helpers and the schema are then
 * taken from the build tree instead of the install prefix. */
gboolean  hearth_paths_is_uninstalled     (void);

/* Path of hearth-collector: $HEARTH_COLLECTOR, else next to `hearth` in the
 * build tree or BINDIR. Never NULL; the file may not exist (the caller's
 * spawn then fails with a message naming the path). */
char     *hearth_paths_get_collector      (void);

/* Path of the bundled demo workload: $HEARTH_DEMO, else
 * BUILD_ROOT/demo/hearth-demo or BINDIR/hearth-demo. */
char     *hearth_paths_get_demo           (void);

/* Directory autosaved sessions go to (created on demand):
 * $XDG_DATA_HOME/hearth/sessions. */
char     *hearth_paths_get_sessions_dir   (void);

/* A fresh autosave path "<process>-<YYYYmmdd-HHMMSS>.profsession" in the
 * sessions directory; a "-N" suffix avoids clobbering an existing file. */
char     *hearth_paths_new_session_path   (const char *process_name);

/* Point GSETTINGS_SCHEMA_DIR at the build tree's compiled schema when
 * running uninstalled and the schema is not installed. Call before the
 * first GSettings use. */
void      hearth_paths_setup_schema_dir   (void);

G_END_DECLS
