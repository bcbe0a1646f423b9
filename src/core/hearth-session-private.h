/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "hearth-error.h"
#include "hearth-session-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close_v2)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Schema version 1, exactly as documented in docs/profsession.md. */
#define HEARTH_SESSION_SCHEMA_SQL \
  "CREATE TABLE metadata (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;\n" \
  "CREATE TABLE strings (id INTEGER PRIMARY KEY, value TEXT NOT NULL);\n" \
  "CREATE TABLE functions (id INTEGER PRIMARY KEY, name INTEGER NOT NULL, module INTEGER NOT NULL,\n" \
  "                        file INTEGER NOT NULL, line INTEGER NOT NULL, kind INTEGER NOT NULL);\n" \
  "CREATE TABLE frames (id INTEGER PRIMARY KEY, function INTEGER NOT NULL, line INTEGER NOT NULL,\n" \
  "                     address INTEGER NOT NULL);\n" \
  "CREATE TABLE stacks (id INTEGER PRIMARY KEY, parent INTEGER, frame INTEGER NOT NULL);\n" \
  "CREATE TABLE threads (id INTEGER PRIMARY KEY, pid INTEGER NOT NULL, tid INTEGER NOT NULL,\n" \
  "                      name INTEGER NOT NULL);\n" \
  "CREATE VIEW processes AS SELECT pid, count(*) AS n_threads FROM threads GROUP BY pid;\n" \
  "CREATE TABLE markers (id INTEGER PRIMARY KEY, start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,\n" \
  "                      kind INTEGER NOT NULL, text INTEGER NOT NULL);\n" \
  "CREATE TABLE sample_chunks (id INTEGER PRIMARY KEY, thread INTEGER NOT NULL,\n" \
  "                            first_time_us INTEGER NOT NULL, last_time_us INTEGER NOT NULL,\n" \
  "                            n_samples INTEGER NOT NULL, encoding INTEGER NOT NULL,\n" \
  "                            data BLOB NOT NULL);\n"

/* Set error from the last failure of db (or from rc when db is NULL):
 * HEARTH_STORE_ERROR with a code derived from the SQLite result code and
 * a message "what path: sqlite's reason". */
void _hearth_session_set_sqlite_error (GError     **error,
                                       sqlite3     *db,
                                       int          rc,
                                       const char  *path,
                                       const char  *what);

/* Remove path and its -wal, -shm and -journal companions; missing files
 * are fine. */
gboolean _hearth_session_unlink            (const char  *path,
                                            GError     **error);
/* Only the -wal, -shm and -journal companions of path. */
gboolean _hearth_session_unlink_companions (const char  *path,
                                            GError     **error);

G_END_DECLS
