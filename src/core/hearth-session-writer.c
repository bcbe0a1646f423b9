/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hearth-sample-chunk-private.h"
#include "hearth-session-private.h"

/*
 * The profile is append-only, so the writer remembers how many rows of
 * each table (and samples of each thread) it has already written and each
 * sync inserts only the tail, in one transaction. The two things that can
 * change in place, thread names and metadata values, are compared with
 * what was last written.
 */

struct _HearthSessionWriter
{
  GObject           parent_instance;

  /* owned */
  HearthProfile    *profile;
  char             *path;
  sqlite3          *db;
  sqlite3_stmt     *stmts[8];
  HearthChunkCodec *codec;
  HearthSample     *samples;
  GHashTable       *metadata;       /* key → value as written */
  GArray           *thread_names;   /* guint32 string id per written thread */
  GArray           *thread_done;    /* guint64 samples written per thread */

  /* state: rows already in the file */
  guint             n_strings;
  guint             n_functions;
  guint             n_frames;
  guint             n_stacks;
  guint             n_markers;
  gboolean          finished;
};

enum {
  STMT_STRING,
  STMT_FUNCTION,
  STMT_FRAME,
  STMT_STACK,
  STMT_THREAD,
  STMT_MARKER,
  STMT_METADATA,
  STMT_CHUNK,
  N_STMTS
};

static const char * const stmt_sql[N_STMTS] = {
  "INSERT INTO strings (id, value) VALUES (?, ?)",
  "INSERT INTO functions (id, name, module, file, line, kind) VALUES (?, ?, ?, ?, ?, ?)",
  "INSERT INTO frames (id, function, line, address) VALUES (?, ?, ?, ?)",
  "INSERT INTO stacks (id, parent, frame) VALUES (?, ?, ?)",
  "INSERT OR REPLACE INTO threads (id, pid, tid, name) VALUES (?, ?, ?, ?)",
  "INSERT INTO markers (id, start_ns, end_ns, kind, text) VALUES (?, ?, ?, ?, ?)",
  "INSERT OR REPLACE INTO metadata (key, value) VALUES (?, ?)",
  "INSERT INTO sample_chunks (thread, first_time_us, last_time_us, n_samples, encoding, data)"
  " VALUES (?, ?, ?, ?, ?, ?)",
};

G_DEFINE_FINAL_TYPE (HearthSessionWriter, hearth_session_writer, G_TYPE_OBJECT)

/* A consistent view of what to write. Tables that refer to others are
 * counted first: anything appended afterwards is left for the next sync,
 * and everything counted can only refer to rows that already existed. */
typedef struct
{
  guint    n_threads;
  GArray  *threads;          /* HearthThread */
  GArray  *thread_samples;   /* guint64 */
  guint    n_markers;
  guint    n_stacks;
  guint    n_frames;
  guint    n_functions;
  guint    n_strings;
  GPtrArray *metadata;       /* changed keys and values, flat pairs */
} Snapshot;

static void
snapshot_clear (Snapshot *snap)
{
  g_clear_pointer (&snap->threads, g_array_unref);
  g_clear_pointer (&snap->thread_samples, g_array_unref);
  g_clear_pointer (&snap->metadata, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Snapshot, snapshot_clear)

static void
take_snapshot (HearthSessionWriter *self,
               Snapshot            *snap)
{
  g_auto(GStrv) keys = NULL;

  snap->n_threads = hearth_profile_get_n_threads (self->profile);
  snap->threads = g_array_sized_new (FALSE, TRUE, sizeof (HearthThread), snap->n_threads);
  snap->thread_samples = g_array_sized_new (FALSE, TRUE, sizeof (guint64), snap->n_threads);
  for (guint i = 0; i < snap->n_threads; i++)
    {
      HearthThread info = { 0 };

      hearth_profile_get_thread (self->profile, i, &info);
      g_array_append_val (snap->threads, info);
    }
  for (guint i = 0; i < snap->n_threads; i++)
    {
      guint64 n = hearth_profile_get_n_thread_samples (self->profile, i);

      g_array_append_val (snap->thread_samples, n);
    }
  snap->n_markers = hearth_profile_get_n_markers (self->profile);
  snap->n_stacks = hearth_profile_get_n_stacks (self->profile);
  snap->n_frames = hearth_profile_get_n_frames (self->profile);
  snap->n_functions = hearth_profile_get_n_functions (self->profile);
  snap->n_strings = hearth_profile_get_n_strings (self->profile);

  snap->metadata = g_ptr_array_new_with_free_func (g_free);
  keys = hearth_profile_list_metadata (self->profile);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = hearth_profile_dup_metadata (self->profile, keys[i]);
      const char *old = g_hash_table_lookup (self->metadata, keys[i]);

      if (value != NULL && g_strcmp0 (old, value) != 0)
        {
          g_ptr_array_add (snap->metadata, g_strdup (keys[i]));
          g_ptr_array_add (snap->metadata, g_steal_pointer (&value));
        }
    }
}

static gboolean
step (HearthSessionWriter  *self,
      sqlite3_stmt         *stmt,
      GError              **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      _hearth_session_set_sqlite_error (error, self->db, rc, self->path, "Cannot write session");
      return FALSE;
    }
  return TRUE;
}

static gboolean
exec (HearthSessionWriter  *self,
      const char           *sql,
      GError              **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _hearth_session_set_sqlite_error (error, self->db, rc, self->path, "Cannot write session");
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_definitions (HearthSessionWriter  *self,
                   const Snapshot       *snap,
                   GError              **error)
{
  sqlite3_stmt *stmt;

  stmt = self->stmts[STMT_STRING];
  for (guint id = self->n_strings; id < snap->n_strings; id++)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, hearth_profile_get_string (self->profile, id), -1, SQLITE_STATIC);
      if (!step (self, stmt, error))
        return FALSE;
    }

  stmt = self->stmts[STMT_FUNCTION];
  for (guint id = self->n_functions; id < snap->n_functions; id++)
    {
      HearthFunction f = { 0 };

      hearth_profile_get_function (self->profile, id, &f);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, f.name);
      sqlite3_bind_int64 (stmt, 3, f.module);
      sqlite3_bind_int64 (stmt, 4, f.file);
      sqlite3_bind_int64 (stmt, 5, f.line);
      sqlite3_bind_int64 (stmt, 6, f.kind);
      if (!step (self, stmt, error))
        return FALSE;
    }

  stmt = self->stmts[STMT_FRAME];
  for (guint id = self->n_frames; id < snap->n_frames; id++)
    {
      HearthFrame f = { 0 };

      hearth_profile_get_frame (self->profile, id, &f);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, f.function);
      sqlite3_bind_int64 (stmt, 3, f.line);
      /* SQLite integers are signed: addresses above 2^63 wrap, readers
       * cast back to unsigned. */
      sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) f.address);
      if (!step (self, stmt, error))
        return FALSE;
    }

  stmt = self->stmts[STMT_STACK];
  for (guint id = self->n_stacks; id < snap->n_stacks; id++)
    {
      HearthStack s = { 0 };

      hearth_profile_get_stack (self->profile, id, &s);
      sqlite3_bind_int64 (stmt, 1, id);
      if (s.parent == HEARTH_NO_ID)
        sqlite3_bind_null (stmt, 2);
      else
        sqlite3_bind_int64 (stmt, 2, s.parent);
      sqlite3_bind_int64 (stmt, 3, s.frame);
      if (!step (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_threads_markers_metadata (HearthSessionWriter  *self,
                                const Snapshot       *snap,
                                GError              **error)
{
  sqlite3_stmt *stmt;

  stmt = self->stmts[STMT_THREAD];
  for (guint i = 0; i < snap->n_threads; i++)
    {
      const HearthThread *t = &g_array_index (snap->threads, HearthThread, i);

      if (i < self->thread_names->len && g_array_index (self->thread_names, guint32, i) == t->name)
        continue;
      sqlite3_bind_int64 (stmt, 1, i);
      sqlite3_bind_int64 (stmt, 2, t->pid);
      sqlite3_bind_int64 (stmt, 3, t->tid);
      sqlite3_bind_int64 (stmt, 4, t->name);
      if (!step (self, stmt, error))
        return FALSE;
    }

  stmt = self->stmts[STMT_MARKER];
  for (guint i = self->n_markers; i < snap->n_markers; i++)
    {
      HearthMarker m = { 0 };

      hearth_profile_get_marker (self->profile, i, &m);
      sqlite3_bind_int64 (stmt, 1, i);
      sqlite3_bind_int64 (stmt, 2, m.time_ns);
      sqlite3_bind_int64 (stmt, 3, m.end_ns);
      sqlite3_bind_int64 (stmt, 4, m.kind);
      sqlite3_bind_int64 (stmt, 5, m.text);
      if (!step (self, stmt, error))
        return FALSE;
    }

  stmt = self->stmts[STMT_METADATA];
  for (guint i = 0; i + 1 < snap->metadata->len; i += 2)
    {
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (snap->metadata, i), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (snap->metadata, i + 1), -1, SQLITE_STATIC);
      if (!step (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_samples (HearthSessionWriter  *self,
               const Snapshot       *snap,
               GError              **error)
{
  sqlite3_stmt *stmt = self->stmts[STMT_CHUNK];

  for (guint i = 0; i < snap->n_threads; i++)
    {
      guint64 first = i < self->thread_done->len ? g_array_index (self->thread_done, guint64, i) : 0;
      guint64 last = g_array_index (snap->thread_samples, guint64, i);

      while (first < last)
        {
          guint n = (guint) MIN (last - first, HEARTH_CHUNK_WRITE_SAMPLES);
          HearthChunk chunk;

          n = hearth_profile_read_thread_samples (self->profile, i, first, self->samples, n);
          if (n == 0)
            break;
          _hearth_chunk_encode (self->codec, self->samples, n, &chunk);

          sqlite3_bind_int64 (stmt, 1, i);
          sqlite3_bind_int64 (stmt, 2, chunk.first_time_us);
          sqlite3_bind_int64 (stmt, 3, chunk.last_time_us);
          sqlite3_bind_int64 (stmt, 4, chunk.n_samples);
          sqlite3_bind_int64 (stmt, 5, chunk.encoding);
          sqlite3_bind_blob64 (stmt, 6, chunk.data, chunk.size, SQLITE_STATIC);
          if (!step (self, stmt, error))
            return FALSE;
          first += n;
        }
    }

  return TRUE;
}

/* After COMMIT: remember what the file now holds. */
static void
commit_snapshot (HearthSessionWriter *self,
                 const Snapshot      *snap)
{
  self->n_strings = snap->n_strings;
  self->n_functions = snap->n_functions;
  self->n_frames = snap->n_frames;
  self->n_stacks = snap->n_stacks;
  self->n_markers = snap->n_markers;

  g_array_set_size (self->thread_names, snap->n_threads);
  g_array_set_size (self->thread_done, snap->n_threads);
  for (guint i = 0; i < snap->n_threads; i++)
    {
      g_array_index (self->thread_names, guint32, i) = g_array_index (snap->threads, HearthThread, i).name;
      g_array_index (self->thread_done, guint64, i) = g_array_index (snap->thread_samples, guint64, i);
    }

  for (guint i = 0; i + 1 < snap->metadata->len; i += 2)
    g_hash_table_insert (self->metadata,
                         g_strdup (g_ptr_array_index (snap->metadata, i)),
                         g_strdup (g_ptr_array_index (snap->metadata, i + 1)));
}

static void
close_db (HearthSessionWriter *self)
{
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close_v2);
}

/* Open path (which must already hold the schema) for appending. */
static gboolean
open_db (HearthSessionWriter  *self,
         GError              **error)
{
  int rc;

  g_assert (self->db == NULL);

  rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      _hearth_session_set_sqlite_error (error, self->db, rc, self->path, "Cannot open session for writing");
      close_db (self);
      return FALSE;
    }
  sqlite3_busy_timeout (self->db, 5000);

  /* WAL + synchronous=NORMAL: a commit is in the WAL file (the OS page
   * cache) when COMMIT returns, which survives SIGKILL of this process;
   * only a power cut may lose the last commits. */
  if (!exec (self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", error))
    {
      close_db (self);
      return FALSE;
    }

  for (guint i = 0; i < N_STMTS; i++)
    {
      rc = sqlite3_prepare_v3 (self->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &self->stmts[i], NULL);
      if (rc != SQLITE_OK)
        {
          _hearth_session_set_sqlite_error (error, self->db, rc, self->path, "Cannot prepare session");
          close_db (self);
          return FALSE;
        }
    }

  return TRUE;
}

/* Create an empty session with its schema under a temporary name and
 * rename it into place, so that whenever a file exists at path it is a
 * complete, openable session, even if we are killed right here. */
static gboolean
create_file (const char  *path,
             GError     **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.new-XXXXXX", path);
  g_autoptr(sqlite3) db = NULL;
  g_autofree char *sql = NULL;
  int fd;
  int rc;

  fd = g_mkstemp (tmp);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_IO,
                   "Cannot create a session file in “%s”: %s",
                   display, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  /* 16 KiB pages hold four or five ~3 KB chunk rows each with little
   * slack; with 4 KiB pages every such row took a page of its own and
   * the file grew by a fifth (bench/README.md). */
  /* No fsync for this empty file: it only becomes the session by the
   * rename, and the first sync's commits are what matter. */
  sql = g_strdup_printf ("PRAGMA page_size=16384; PRAGMA application_id=%d; PRAGMA user_version=%d; "
                         "PRAGMA synchronous=OFF; PRAGMA journal_mode=WAL; BEGIN; %s COMMIT;",
                         HEARTH_SESSION_APPLICATION_ID, HEARTH_SESSION_SCHEMA_VERSION,
                         HEARTH_SESSION_SCHEMA_SQL);

  rc = sqlite3_open_v2 (tmp, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _hearth_session_set_sqlite_error (error, db, rc, path, "Cannot create session");
      g_clear_pointer (&db, sqlite3_close_v2);
      _hearth_session_unlink (tmp, NULL);
      return FALSE;
    }
  /* Closing the last connection checkpoints and removes the WAL. */
  g_clear_pointer (&db, sqlite3_close_v2);

  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);

      _hearth_session_unlink (tmp, NULL);
      g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_IO,
                   "Cannot create session “%s”: %s", display, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

static void
hearth_session_writer_finalize (GObject *object)
{
  HearthSessionWriter *self = (HearthSessionWriter *) object;

  close_db (self);
  g_clear_object (&self->profile);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->codec, _hearth_chunk_codec_free);
  g_clear_pointer (&self->samples, g_free);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
  g_clear_pointer (&self->thread_names, g_array_unref);
  g_clear_pointer (&self->thread_done, g_array_unref);

  G_OBJECT_CLASS (hearth_session_writer_parent_class)->finalize (object);
}

static void
hearth_session_writer_class_init (HearthSessionWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hearth_session_writer_finalize;
}

static void
hearth_session_writer_init (HearthSessionWriter *self)
{
  self->codec = _hearth_chunk_codec_new ();
  self->samples = g_new (HearthSample, HEARTH_CHUNK_WRITE_SAMPLES);
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->thread_names = g_array_new (FALSE, TRUE, sizeof (guint32));
  self->thread_done = g_array_new (FALSE, TRUE, sizeof (guint64));
}

/**
 * hearth_session_writer_new:
 *
 * Creates a new session file at path, replacing any file there, and
 * returns a writer that mirrors profile into it. Nothing of the profile is
 * written until the first hearth_session_writer_sync().
 *
 * Returns: (transfer full): the writer, or NULL with HEARTH_STORE_ERROR.
 */
HearthSessionWriter *
hearth_session_writer_new (HearthProfile  *profile,
                           const char     *path,
                           GError        **error)
{
  g_autoptr(HearthSessionWriter) self = NULL;

  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_hearth_session_unlink_companions (path, error) || !create_file (path, error))
    return NULL;

  self = g_object_new (HEARTH_TYPE_SESSION_WRITER, NULL);
  self->profile = g_object_ref (profile);
  self->path = g_strdup (path);

  if (!open_db (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * hearth_session_writer_sync:
 *
 * Writes everything appended to the profile since the previous sync in one
 * transaction. On failure nothing of this sync is in the file and the next
 * sync retries it.
 */
gboolean
hearth_session_writer_sync (HearthSessionWriter  *self,
                            GError              **error)
{
  g_auto(Snapshot) snap = { 0 };

  g_return_val_if_fail (HEARTH_IS_SESSION_WRITER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->finished || self->db == NULL)
    {
      g_autofree char *display = g_filename_display_name (self->path);

      g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_IO,
                   "Cannot write session “%s”: it was already finished", display);
      return FALSE;
    }

  take_snapshot (self, &snap);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!write_definitions (self, &snap, error) ||
      !write_threads_markers_metadata (self, &snap, error) ||
      !write_samples (self, &snap, error) ||
      !exec (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  commit_snapshot (self, &snap);
  return TRUE;
}

/**
 * hearth_session_writer_finish:
 *
 * Final sync, then folds the WAL into the main file and switches it back
 * to a rollback journal, so the finished file is one self-contained file
 * that opens read-only anywhere (a WAL-mode file needs a writable
 * directory or an existing -shm file to be read). Finishing twice is a
 * no-op.
 */
gboolean
hearth_session_writer_finish (HearthSessionWriter  *self,
                              GError              **error)
{
  g_return_val_if_fail (HEARTH_IS_SESSION_WRITER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->finished)
    return TRUE;

  if (!hearth_session_writer_sync (self, error))
    return FALSE;

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);

  if (!exec (self, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;", error))
    return FALSE;

  close_db (self);
  self->finished = TRUE;
  return TRUE;
}

const char *
hearth_session_writer_get_path (HearthSessionWriter *self)
{
  g_return_val_if_fail (HEARTH_IS_SESSION_WRITER (self), NULL);

  return self->path;
}

/**
 * hearth_session_writer_move:
 *
 * Moves the session file to new_path (replacing a file there), also
 * across file systems. An open writer checkpoints, closes, moves and
 * reopens, keeping its state; on failure the writer keeps the old path.
 */
gboolean
hearth_session_writer_move (HearthSessionWriter  *self,
                            const char           *new_path,
                            GError              **error)
{
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (HEARTH_IS_SESSION_WRITER (self), FALSE);
  g_return_val_if_fail (new_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (new_path, self->path) == 0)
    return TRUE;

  if (self->db != NULL)
    {
      if (!exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", error))
        return FALSE;
      close_db (self);
    }

  from = g_file_new_for_path (self->path);
  to = g_file_new_for_path (new_path);
  if (!_hearth_session_unlink_companions (new_path, error))
    goto reopen;
  if (!g_file_move (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &local_error))
    {
      g_autofree char *display = g_filename_display_name (new_path);

      g_set_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_IO,
                   "Cannot move session to “%s”: %s", display, local_error->message);
      goto reopen;
    }

  /* The WAL was checkpointed and is empty; drop the old companions. */
  _hearth_session_unlink_companions (self->path, NULL);
  g_free (self->path);
  self->path = g_strdup (new_path);

  if (!self->finished)
    return open_db (self, error);
  return TRUE;

reopen:
  if (!self->finished)
    open_db (self, NULL);
  return FALSE;
}
