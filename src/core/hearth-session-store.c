/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hearth-sample-chunk-private.h"
#include "hearth-session-private.h"

/*
 * Loading treats the file as hostile: every id read from a table is
 * checked against the rows loaded before it (ids must be dense, 0..n-1,
 * and only refer backwards), then translated through a per-table map to
 * the id the profile handed out, so nothing in the file can index past an
 * array or make the profile see an inconsistent table.
 */

typedef struct
{
  /* borrowed */
  const char       *path;
  sqlite3          *db;
  HearthProfile    *profile;

  /* owned: file id → profile id, per table */
  GArray           *strings;
  GArray           *functions;
  GArray           *frames;
  GArray           *stacks;
  GArray           *threads;
  HearthChunkCodec *codec;
  HearthSample     *samples;
  GArray           *thread_last_us; /* gint64 per profile thread */
} Loader;

#define SQLITE_MAGIC "SQLite format 3"

static void
loader_clear (Loader *l)
{
  g_clear_pointer (&l->strings, g_array_unref);
  g_clear_pointer (&l->functions, g_array_unref);
  g_clear_pointer (&l->frames, g_array_unref);
  g_clear_pointer (&l->stacks, g_array_unref);
  g_clear_pointer (&l->threads, g_array_unref);
  g_clear_pointer (&l->codec, _hearth_chunk_codec_free);
  g_clear_pointer (&l->samples, g_free);
  g_clear_pointer (&l->thread_last_us, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Loader, loader_clear)

void
_hearth_session_set_sqlite_error (GError     **error,
                                  sqlite3     *db,
                                  int          rc,
                                  const char  *path,
                                  const char  *what)
{
  g_autofree char *display = g_filename_display_name (path);
  const char *reason = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  int code;

  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
      code = HEARTH_STORE_ERROR_NOT_SQLITE;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
    case SQLITE_SCHEMA:
      code = HEARTH_STORE_ERROR_CORRUPT;
      break;
    default:
      code = HEARTH_STORE_ERROR_IO;
      break;
    }

  g_set_error (error, HEARTH_STORE_ERROR, code, "%s “%s”: %s", what, display, reason);
}

static gboolean
unlink_files (const char  *path,
              guint        first,
              GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = first; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      if (g_unlink (name) != 0 && errno != ENOENT)
        {
          int saved = errno;
          g_autofree char *display = g_filename_display_name (name);

          g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_IO,
                       "Cannot replace “%s”: %s", display, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
_hearth_session_unlink (const char  *path,
                        GError     **error)
{
  return unlink_files (path, 0, error);
}

gboolean
_hearth_session_unlink_companions (const char  *path,
                                   GError     **error)
{
  return unlink_files (path, 1, error);
}

static gboolean G_GNUC_PRINTF (3, 4)
set_corrupt (GError     **error,
             const char  *path,
             const char  *format,
             ...)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_CORRUPT,
               "Session “%s” is damaged: %s. It cannot be opened; if you have "
               "another copy of it, use that one.", display, detail);
  return FALSE;
}

static guint32
read_be (const guint8 *p,
         guint         n)
{
  guint32 v = 0;

  for (guint i = 0; i < n; i++)
    v = (v << 8) | p[i];
  return v;
}

/* What SQLite's own messages would say vaguely ("file is not a
 * database"), say precisely from the file header before opening it. */
static gboolean
check_header (const char  *path,
              GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  guint8 header[100] = { 0 };
  GStatBuf st;
  FILE *f;
  gsize n;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_IO,
                   "Cannot open session “%s”: %s", display, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_IO,
                   "Cannot open session “%s”: it is not a regular file", display);
      return FALSE;
    }
  if (st.st_size == 0)
    {
      g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_NOT_SQLITE,
                   "“%s” is empty (0 bytes), not a Hearth session", display);
      return FALSE;
    }

  f = g_fopen (path, "rb");
  if (f == NULL)
    {
      int saved = errno;

      g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_IO,
                   "Cannot open session “%s”: %s", display, g_strerror (saved));
      return FALSE;
    }
  n = fread (header, 1, sizeof header, f);
  fclose (f);

  if (n < sizeof SQLITE_MAGIC || memcmp (header, SQLITE_MAGIC, sizeof SQLITE_MAGIC) != 0)
    {
      g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_NOT_SQLITE,
                   "“%s” is not a Hearth session: it is not an SQLite database", display);
      return FALSE;
    }
  if (n < sizeof header)
    return set_corrupt (error, path, "it is truncated to %" G_GSIZE_FORMAT " bytes", n);

  {
    guint32 page_size = read_be (header + 16, 2);
    guint32 n_pages = read_be (header + 28, 4);
    gboolean n_pages_valid = read_be (header + 24, 4) == read_be (header + 92, 4);
    guint64 expected;

    if (page_size == 1)
      page_size = 65536;
    if (page_size < 512 || (page_size & (page_size - 1)) != 0)
      return set_corrupt (error, path, "its header gives an invalid page size");

    /* A short read of a page is not an error for SQLite (it reads zeros),
     * so a truncated copy must be caught here. */
    expected = (guint64) page_size * n_pages;
    if (n_pages_valid && (guint64) st.st_size < expected)
      return set_corrupt (error, path,
                          "it is truncated: it has %" G_GUINT64_FORMAT " bytes, its header says %"
                          G_GUINT64_FORMAT, (guint64) st.st_size, expected);
  }

  return TRUE;
}

static gboolean
prepare (Loader         *l,
         const char     *sql,
         const char     *table,
         sqlite3_stmt  **stmt,
         GError        **error)
{
  int rc = sqlite3_prepare_v2 (l->db, sql, -1, stmt, NULL);

  if (rc != SQLITE_OK)
    {
      if ((rc & 0xff) == SQLITE_ERROR)
        return set_corrupt (error, l->path, "table “%s” is missing or has the wrong columns (%s)",
                            table, sqlite3_errmsg (l->db));
      _hearth_session_set_sqlite_error (error, l->db, rc, l->path, "Cannot read session");
      return FALSE;
    }
  return TRUE;
}

/* sqlite3_step() that turns a failure into a GError. */
static gboolean
next_row (Loader        *l,
          sqlite3_stmt  *stmt,
          gboolean      *done,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      *done = FALSE;
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      *done = TRUE;
      return TRUE;
    }
  _hearth_session_set_sqlite_error (error, l->db, rc, l->path, "Cannot read session");
  return FALSE;
}

/* Read an integer column in [min, max]; FALSE for NULL, text, blobs or
 * values out of range. */
static gboolean
column_int (sqlite3_stmt *stmt,
            int           col,
            gint64        min,
            gint64        max,
            gint64       *out)
{
  gint64 v;

  if (sqlite3_column_type (stmt, col) != SQLITE_INTEGER)
    return FALSE;
  v = sqlite3_column_int64 (stmt, col);
  if (v < min || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

/* A string id column: must name a string already loaded. */
static gboolean
column_string (Loader       *l,
               sqlite3_stmt *stmt,
               int           col,
               guint32      *out)
{
  gint64 id;

  if (!column_int (stmt, col, 0, (gint64) l->strings->len - 1, &id))
    return FALSE;
  *out = g_array_index (l->strings, guint32, id);
  return TRUE;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           col,
             char        **owned)
{
  const char *text;

  if (sqlite3_column_type (stmt, col) != SQLITE_TEXT)
    return NULL;
  text = (const char *) sqlite3_column_text (stmt, col);
  if (text == NULL)
    return NULL;
  if (!g_utf8_validate (text, -1, NULL))
    text = *owned = g_utf8_make_valid (text, -1);
  return text;
}

static gboolean
load_strings (Loader  *l,
              GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!prepare (l, "SELECT id, value FROM strings ORDER BY id", "strings", &stmt, error))
    return FALSE;

  for (guint32 row = 0;; row++)
    {
      g_autofree char *owned = NULL;
      const char *text;
      gboolean done;
      gint64 id;
      guint32 mapped;

      if (!next_row (l, stmt, &done, error))
        return FALSE;
      if (done)
        return TRUE;
      if (!column_int (stmt, 0, row, row, &id) || (text = column_text (stmt, 1, &owned)) == NULL)
        return set_corrupt (error, l->path, "row %u of table “strings” is invalid", row);
      mapped = hearth_profile_intern_string (l->profile, text);
      g_array_append_val (l->strings, mapped);
    }
}

static gboolean
load_functions (Loader  *l,
                GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!prepare (l, "SELECT id, name, module, file, line, kind FROM functions ORDER BY id",
                "functions", &stmt, error))
    return FALSE;

  for (guint32 row = 0;; row++)
    {
      HearthFunction f = { 0 };
      gboolean done;
      gint64 id, line, kind;
      guint32 mapped;

      if (!next_row (l, stmt, &done, error))
        return FALSE;
      if (done)
        return TRUE;
      if (!column_int (stmt, 0, row, row, &id) ||
          !column_string (l, stmt, 1, &f.name) ||
          !column_string (l, stmt, 2, &f.module) ||
          !column_string (l, stmt, 3, &f.file) ||
          !column_int (stmt, 4, 0, G_MAXUINT32, &line) ||
          !column_int (stmt, 5, 0, G_MAXUINT32, &kind))
        return set_corrupt (error, l->path, "row %u of table “functions” is invalid", row);
      f.line = line;
      /* A kind from a future Hearth is shown as unknown, not refused. */
      f.kind = kind < HEARTH_N_FRAME_KINDS ? kind : HEARTH_FRAME_KIND_UNKNOWN;
      mapped = hearth_profile_intern_function (l->profile, &f);
      g_array_append_val (l->functions, mapped);
    }
}

static gboolean
load_frames (Loader  *l,
             GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!prepare (l, "SELECT id, function, line, address FROM frames ORDER BY id",
                "frames", &stmt, error))
    return FALSE;

  for (guint32 row = 0;; row++)
    {
      HearthFrame f = { 0 };
      gboolean done;
      gint64 id, function, line, address;
      guint32 mapped;

      if (!next_row (l, stmt, &done, error))
        return FALSE;
      if (done)
        return TRUE;
      if (!column_int (stmt, 0, row, row, &id) ||
          !column_int (stmt, 1, 0, (gint64) l->functions->len - 1, &function) ||
          !column_int (stmt, 2, 0, G_MAXUINT32, &line) ||
          !column_int (stmt, 3, G_MININT64, G_MAXINT64, &address))
        return set_corrupt (error, l->path, "row %u of table “frames” is invalid", row);
      f.function = g_array_index (l->functions, guint32, function);
      f.line = line;
      f.address = (guint64) address;
      mapped = hearth_profile_intern_frame (l->profile, &f);
      g_array_append_val (l->frames, mapped);
    }
}

static gboolean
load_stacks (Loader  *l,
             GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!prepare (l, "SELECT id, parent, frame FROM stacks ORDER BY id", "stacks", &stmt, error))
    return FALSE;

  for (guint32 row = 0;; row++)
    {
      gboolean done;
      gint64 id, parent = -1, frame;
      guint32 mapped;

      if (!next_row (l, stmt, &done, error))
        return FALSE;
      if (done)
        return TRUE;
      if (!column_int (stmt, 0, row, row, &id) ||
          !column_int (stmt, 2, 0, (gint64) l->frames->len - 1, &frame))
        return set_corrupt (error, l->path, "row %u of table “stacks” is invalid", row);
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL &&
          !column_int (stmt, 1, 0, (gint64) row - 1, &parent))
        return set_corrupt (error, l->path,
                            "stack %u has a parent that is not an earlier stack", row);
      mapped = hearth_profile_intern_stack (l->profile,
                                            parent < 0 ? HEARTH_NO_ID : g_array_index (l->stacks, guint32, parent),
                                            g_array_index (l->frames, guint32, frame));
      g_array_append_val (l->stacks, mapped);
    }
}

static gboolean
load_threads (Loader  *l,
              GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!prepare (l, "SELECT id, pid, tid, name FROM threads ORDER BY id", "threads", &stmt, error))
    return FALSE;

  for (guint32 row = 0;; row++)
    {
      gboolean done;
      gint64 id, pid, tid;
      guint32 name;
      guint32 mapped;

      if (!next_row (l, stmt, &done, error))
        return FALSE;
      if (done)
        return TRUE;
      if (!column_int (stmt, 0, row, row, &id) ||
          !column_int (stmt, 1, G_MININT32, G_MAXINT32, &pid) ||
          !column_int (stmt, 2, G_MININT32, G_MAXINT32, &tid) ||
          !column_string (l, stmt, 3, &name))
        return set_corrupt (error, l->path, "row %u of table “threads” is invalid", row);
      mapped = hearth_profile_add_thread (l->profile, pid, tid,
                                          hearth_profile_get_string (l->profile, name));
      g_array_append_val (l->threads, mapped);
    }
}

static gboolean
load_markers (Loader  *l,
              GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!prepare (l, "SELECT start_ns, end_ns, kind, text FROM markers ORDER BY id",
                "markers", &stmt, error))
    return FALSE;

  for (guint32 row = 0;; row++)
    {
      gboolean done;
      gint64 start, end;
      guint32 kind, text;

      if (!next_row (l, stmt, &done, error))
        return FALSE;
      if (done)
        return TRUE;
      if (!column_int (stmt, 0, G_MININT64, G_MAXINT64, &start) ||
          !column_int (stmt, 1, start, G_MAXINT64, &end) ||
          !column_string (l, stmt, 2, &kind) ||
          !column_string (l, stmt, 3, &text))
        return set_corrupt (error, l->path, "row %u of table “markers” is invalid", row);
      hearth_profile_add_marker (l->profile, start, end,
                                 hearth_profile_get_string (l->profile, kind),
                                 hearth_profile_get_string (l->profile, text));
    }
}

static gboolean
load_metadata (Loader  *l,
               GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!prepare (l, "SELECT key, value FROM metadata", "metadata", &stmt, error))
    return FALSE;

  for (guint32 row = 0;; row++)
    {
      g_autofree char *owned_key = NULL;
      g_autofree char *owned_value = NULL;
      const char *key, *value;
      gboolean done;

      if (!next_row (l, stmt, &done, error))
        return FALSE;
      if (done)
        return TRUE;
      if ((key = column_text (stmt, 0, &owned_key)) == NULL ||
          (value = column_text (stmt, 1, &owned_value)) == NULL)
        return set_corrupt (error, l->path, "row %u of table “metadata” is invalid", row);
      hearth_profile_set_metadata (l->profile, key, value);
    }
}

static gboolean
load_samples (Loader  *l,
              GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const guint32 *stack_map = NULL;

  /* In rowid order: no sort (which would copy every blob), and the writer
   * inserts each thread's chunks in time order. */
  if (!prepare (l, "SELECT id, thread, first_time_us, last_time_us, n_samples, encoding, data"
                   " FROM sample_chunks ORDER BY id", "sample_chunks", &stmt, error))
    return FALSE;

  /* Files written by Hearth map stacks to themselves in a fresh profile;
   * then skip the map (a random access per sample). */
  for (guint i = 0; i < l->stacks->len; i++)
    {
      if (g_array_index (l->stacks, guint32, i) != i)
        {
          stack_map = (const guint32 *) l->stacks->data;
          break;
        }
    }

  g_array_set_size (l->thread_last_us, hearth_profile_get_n_threads (l->profile));
  for (guint i = 0; i < l->thread_last_us->len; i++)
    g_array_index (l->thread_last_us, gint64, i) = G_MININT64;

  for (;;)
    {
      HearthChunk chunk = { 0 };
      const char *problem = NULL;
      gboolean done;
      gint64 id, thread, n, encoding;
      gint64 *last_us;
      guint32 mapped;

      if (!next_row (l, stmt, &done, error))
        return FALSE;
      if (done)
        return TRUE;
      if (!column_int (stmt, 0, G_MININT64, G_MAXINT64, &id))
        return set_corrupt (error, l->path, "a row of table “sample_chunks” has no id");
      if (!column_int (stmt, 1, 0, (gint64) l->threads->len - 1, &thread) ||
          !column_int (stmt, 2, -HEARTH_CHUNK_MAX_TIME_US, HEARTH_CHUNK_MAX_TIME_US, &chunk.first_time_us) ||
          !column_int (stmt, 3, -HEARTH_CHUNK_MAX_TIME_US, HEARTH_CHUNK_MAX_TIME_US, &chunk.last_time_us) ||
          !column_int (stmt, 4, 1, HEARTH_CHUNK_MAX_SAMPLES, &n) ||
          !column_int (stmt, 5, 0, G_MAXINT32, &encoding) ||
          (sqlite3_column_type (stmt, 6) != SQLITE_BLOB && sqlite3_column_type (stmt, 6) != SQLITE_NULL))
        return set_corrupt (error, l->path, "sample chunk %" G_GINT64_FORMAT " is invalid", id);

      chunk.n_samples = n;
      chunk.encoding = encoding;
      chunk.data = sqlite3_column_blob (stmt, 6);
      chunk.size = sqlite3_column_bytes (stmt, 6);
      if (chunk.data == NULL)
        chunk.data = (const guint8 *) "";

      mapped = g_array_index (l->threads, guint32, thread);
      last_us = &g_array_index (l->thread_last_us, gint64, mapped);
      if (chunk.first_time_us < *last_us)
        return set_corrupt (error, l->path,
                            "sample chunk %" G_GINT64_FORMAT " starts before the previous chunk of its thread ends",
                            id);

      if (!_hearth_chunk_decode (l->codec, &chunk, stack_map,
                                 l->stacks->len, l->samples, &problem))
        return set_corrupt (error, l->path, "sample chunk %" G_GINT64_FORMAT " is invalid: %s", id, problem);

      hearth_profile_append_samples (l->profile, mapped, l->samples, chunk.n_samples);
      *last_us = chunk.last_time_us;
    }
}

/**
 * hearth_session_load:
 *
 * Opens a .profsession read-only and loads all of it into a new profile.
 *
 * A session left behind by a writer that was killed still has its -wal
 * and -shm files next to it: SQLite's read-only connections read the WAL
 * as long as those files exist (or can be created), which they do in that
 * case, so no copy and no read-write open is needed (SQLite ≥ 3.22).
 *
 * Returns: (transfer full): the profile, or NULL with HEARTH_STORE_ERROR.
 */
HearthProfile *
hearth_session_load (const char  *path,
                     GError     **error)
{
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(sqlite3) db = NULL;
  g_auto(Loader) l = { 0 };
  g_autofree char *display = NULL;
  gint64 app_id = 0, version = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_header (path, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      _hearth_session_set_sqlite_error (error, db, rc, path, "Cannot open session");
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);
  /* Hostile schemas must not run SQL functions or create shadow tables. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  sqlite3_exec (db, "PRAGMA cell_size_check=ON", NULL, NULL, NULL);

  profile = hearth_profile_new ();
  l.path = path;
  l.db = db;
  l.profile = profile;
  l.strings = g_array_new (FALSE, FALSE, sizeof (guint32));
  l.functions = g_array_new (FALSE, FALSE, sizeof (guint32));
  l.frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  l.stacks = g_array_new (FALSE, FALSE, sizeof (guint32));
  l.threads = g_array_new (FALSE, FALSE, sizeof (guint32));
  l.thread_last_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  l.codec = _hearth_chunk_codec_new ();
  l.samples = g_new (HearthSample, HEARTH_CHUNK_MAX_SAMPLES);

  /* One read transaction: a writer that is still recording may commit
   * meanwhile, and we must see a single consistent snapshot. */
  rc = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      rc = sqlite3_prepare_v2 (db, "SELECT * FROM pragma_application_id, pragma_user_version",
                               -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          app_id = sqlite3_column_int64 (stmt, 0);
          version = sqlite3_column_int64 (stmt, 1);
          rc = SQLITE_OK;
        }
    }
  if (rc != SQLITE_OK)
    {
      _hearth_session_set_sqlite_error (error, db, rc, path, "Cannot open session");
      return NULL;
    }

  display = g_filename_display_name (path);
  if (app_id != HEARTH_SESSION_APPLICATION_ID)
    {
      g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_WRONG_APP,
                   "“%s” is an SQLite database of another application "
                   "(application_id 0x%08x), not a Hearth session",
                   display, (guint32) app_id);
      return NULL;
    }
  if (version > HEARTH_SESSION_SCHEMA_VERSION)
    {
      g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_NEWER_VERSION,
                   "Session “%s” was written by a newer Hearth (schema %" G_GINT64_FORMAT "); "
                   "this Hearth reads up to %d. Update Hearth to open it.",
                   display, version, HEARTH_SESSION_SCHEMA_VERSION);
      return NULL;
    }
  if (version < 1)
    {
      set_corrupt (error, path, "it has no schema version");
      return NULL;
    }

  if (!load_strings (&l, error) ||
      !load_functions (&l, error) ||
      !load_frames (&l, error) ||
      !load_stacks (&l, error) ||
      !load_threads (&l, error) ||
      !load_markers (&l, error) ||
      !load_metadata (&l, error) ||
      !load_samples (&l, error))
    return NULL;

  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);

  return g_steal_pointer (&profile);
}

/**
 * hearth_session_save:
 *
 * Writes the whole profile to a new file next to path and renames it over
 * path, so path holds either the old file or the complete new one.
 */
gboolean
hearth_session_save (HearthProfile  *profile,
                     const char     *path,
                     GError        **error)
{
  g_autoptr(HearthSessionWriter) writer = NULL;
  g_autofree char *tmp = g_strdup_printf ("%s.saving-XXXXXX", path);
  int fd;

  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Reserve a unique name; the writer replaces the empty file. */
  fd = g_mkstemp (tmp);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_IO,
                   "Cannot save session “%s”: %s", display, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  writer = hearth_session_writer_new (profile, tmp, error);
  if (writer == NULL || !hearth_session_writer_finish (writer, error))
    {
      _hearth_session_unlink (tmp, NULL);
      return FALSE;
    }

  /* A stale -wal of an older file at path would be replayed onto ours. */
  if (!_hearth_session_unlink_companions (path, error))
    {
      _hearth_session_unlink (tmp, NULL);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);

      _hearth_session_unlink (tmp, NULL);
      g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_IO,
                   "Cannot save session “%s”: %s", display, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
