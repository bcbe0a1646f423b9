/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-profile.h"

G_BEGIN_DECLS

/*
 * The .profsession file: an SQLite 3 database, schema in docs/profsession.md.
 *
 * PRAGMA application_id = HEARTH_SESSION_APPLICATION_ID,
 * PRAGMA user_version   = HEARTH_SESSION_SCHEMA_VERSION.
 */
#define HEARTH_SESSION_APPLICATION_ID  0x48525448  /* "HRTH" */
#define HEARTH_SESSION_SCHEMA_VERSION  1

/* Load a whole session read-only. Errors (HEARTH_STORE_ERROR) name the
 * file and the problem: not SQLite, another application's file, newer
 * schema, truncated/corrupt. Never crashes on hostile input. */
HearthProfile *hearth_session_load (const char     *path,
                                    GError        **error);

/* Write a complete profile to path (replacing it). */
gboolean       hearth_session_save (HearthProfile  *profile,
                                    const char     *path,
                                    GError        **error);

/*
 * HearthSessionWriter: mirrors a growing profile into a session file.
 * Each hearth_session_writer_sync() writes everything appended to the
 * profile since the previous sync (strings, functions, frames, stacks,
 * threads, samples as compressed chunks, markers, metadata) in one
 * transaction. WAL mode: a writer killed by SIGKILL loses only what was
 * not yet synced, and the file still opens. Call sync at least once a
 * second while recording, and finish() at the end.
 */
#define HEARTH_TYPE_SESSION_WRITER (hearth_session_writer_get_type ())
G_DECLARE_FINAL_TYPE (HearthSessionWriter, hearth_session_writer, HEARTH, SESSION_WRITER, GObject)

HearthSessionWriter *hearth_session_writer_new     (HearthProfile        *profile,
                                                    const char           *path,
                                                    GError              **error);
gboolean             hearth_session_writer_sync    (HearthSessionWriter  *self,
                                                    GError              **error);
/* Final sync, checkpoint the WAL into the main file, close. */
gboolean             hearth_session_writer_finish  (HearthSessionWriter  *self,
                                                    GError              **error);
const char          *hearth_session_writer_get_path (HearthSessionWriter *self);
/* Move the file (after finish, or while open: closes, renames, reopens). */
gboolean             hearth_session_writer_move    (HearthSessionWriter  *self,
                                                    const char           *new_path,
                                                    GError              **error);

G_END_DECLS
