/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>

#include "hearth-error.h"
#include "hearth-folded.h"
#include "hearth-session-store.h"
#include "store-test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("hearth-store-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "test.profsession", NULL);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  util_rm_rf (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* test edits need no fsync */
  sqlite3_exec (db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 v;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

/* The error names the file and has the expected code. */
static void
assert_load_fails (const char *path,
                   int         code,
                   const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthProfile) profile = hearth_session_load (path, &error);

  g_assert_null (profile);
  g_assert_error (error, HEARTH_STORE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  if (fragment != NULL)
    g_assert_nonnull (strstr (error->message, fragment));
}

static void
save_valid (Fixture *fx)
{
  g_autoptr(HearthProfile) profile = util_make_profile (300, FALSE, 7);
  g_autoptr(GError) error = NULL;

  g_assert_true (hearth_session_save (profile, fx->path, &error));
  g_assert_no_error (error);
}

/* --- round trips ------------------------------------------------------------ */

static void
test_round_trip (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(HearthProfile) profile = util_make_profile (3000, FALSE, 1);
  g_autoptr(HearthProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (fx->path, "-wal", NULL);

  g_assert_true (hearth_session_save (profile, fx->path, &error));
  g_assert_no_error (error);
  /* a saved file is one self-contained file */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (query_int (fx->path, "PRAGMA application_id"), ==, HEARTH_SESSION_APPLICATION_ID);
  g_assert_cmpint (query_int (fx->path, "PRAGMA user_version"), ==, HEARTH_SESSION_SCHEMA_VERSION);
  g_assert_cmpint (query_int (fx->path, "SELECT sum(n_samples) FROM sample_chunks"), ==, 3000);
  g_assert_cmpint (query_int (fx->path, "SELECT count(*) FROM processes"), ==, 2);
  /* the compressed encoding is the one exercised */
  g_assert_cmpint (query_int (fx->path, "SELECT count(*) FROM sample_chunks WHERE encoding = 1"), >, 0);

  loaded = hearth_session_load (fx->path, &error);
  g_assert_no_error (error);
  util_assert_profiles_equal (profile, loaded, TRUE);
}

/* Times are stored in whole microseconds, rounded to nearest. */
static void
test_time_rounding (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(HearthProfile) profile = util_make_profile (3000, TRUE, 2);
  g_autoptr(HearthProfile) loaded = NULL;
  g_autoptr(HearthProfile) exact = hearth_profile_new ();
  g_autoptr(GError) error = NULL;
  /* (the profile clamps negative times to 0, so only those are tested) */
  static const gint64 times[] = { 0, 499, 500, 1499, 1500, 1500, 123456789, 123456789499 };
  static const gint64 rounded[] = { 0, 0, 1000, 1000, 2000, 2000, 123457000, 123456789000 };
  guint32 t = hearth_profile_add_thread (exact, 1, 1, "t");
  HearthSample s = { .stack = HEARTH_NO_ID, .weight = 1 };

  g_assert_true (hearth_session_save (profile, fx->path, &error));
  loaded = hearth_session_load (fx->path, &error);
  g_assert_no_error (error);
  util_assert_profiles_equal (profile, loaded, TRUE);
  g_clear_object (&loaded);

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      s.time_ns = times[i];
      hearth_profile_append_sample (exact, t, &s);
    }
  g_assert_true (hearth_session_save (exact, fx->path, &error));
  loaded = hearth_session_load (fx->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_assert_cmpuint (hearth_profile_read_thread_samples (loaded, 0, i, &s, 1), ==, 1);
      g_assert_cmpint (s.time_ns, ==, rounded[i]);
    }
}

/* A real profile from the folded importer survives with identical trees. */
static void
test_round_trip_folded (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *demo = g_build_filename (SOURCE_ROOT, "demo", "demo.folded", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (demo);
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(HearthProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;

  profile = hearth_folded_load_file (file, HEARTH_FOLDED_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hearth_session_save (profile, fx->path, &error));
  g_assert_no_error (error);
  loaded = hearth_session_load (fx->path, &error);
  g_assert_no_error (error);
  util_assert_profiles_equal (profile, loaded, TRUE);

  {
    g_autoptr(HearthCallTree) a = hearth_call_tree_new (profile, NULL, HEARTH_CALL_TREE_BOTTOM_UP);
    g_autoptr(HearthCallTree) b = hearth_call_tree_new (loaded, NULL, HEARTH_CALL_TREE_BOTTOM_UP);
    g_autofree char *ta = hearth_call_tree_to_string (a);
    g_autofree char *tb = hearth_call_tree_to_string (b);

    g_assert_cmpstr (tb, ==, ta);
    g_assert_nonnull (strstr (tb, "retry_backoff"));
  }
}

static void
test_empty_profile (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_autoptr(HearthProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (hearth_session_save (profile, fx->path, &error));
  loaded = hearth_session_load (fx->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hearth_profile_get_n_samples (loaded), ==, 0);
  g_assert_cmpuint (hearth_profile_get_n_threads (loaded), ==, 0);
}

/* Saving over a file replaces it, and a stale -wal left next to the old
 * file (by a killed writer) must not be replayed onto the new one. */
static void
test_save_replaces (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(HearthProfile) first = util_make_profile (600, FALSE, 3);
  g_autoptr(HearthProfile) second = util_make_profile (90, FALSE, 4);
  g_autoptr(HearthProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (fx->path, "-wal", NULL);

  g_assert_true (hearth_session_save (first, fx->path, &error));
  util_write_file (wal, "stale wal garbage", -1);
  g_assert_true (hearth_session_save (second, fx->path, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  loaded = hearth_session_load (fx->path, &error);
  g_assert_no_error (error);
  util_assert_profiles_equal (second, loaded, TRUE);
}

/* --- incremental writer ------------------------------------------------------ */

static void
append_rows (HearthProfile *live,
             HearthProfile *source,
             guint64       *pos,
             guint          n)
{
  for (guint t = 0; t < hearth_profile_get_n_threads (source); t++)
    {
      HearthSample buf[64];
      guint got = hearth_profile_read_thread_samples (source, t, pos[t], buf, MIN (n, G_N_ELEMENTS (buf)));

      hearth_profile_append_samples (live, t, buf, got);
      pos[t] += got;
    }
}

static void
test_incremental (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(HearthProfile) source = util_make_profile (900, FALSE, 5);
  g_autoptr(HearthProfile) live = hearth_profile_new ();
  g_autoptr(HearthSessionWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  guint64 pos[3] = { 0 };
  guint64 synced = 0;

  /* same definitions, same ids */
  for (guint i = 1; i < hearth_profile_get_n_strings (source); i++)
    hearth_profile_intern_string (live, hearth_profile_get_string (source, i));
  for (guint i = 0; i < hearth_profile_get_n_functions (source); i++)
    {
      HearthFunction f;

      hearth_profile_get_function (source, i, &f);
      hearth_profile_intern_function (live, &f);
    }
  for (guint i = 0; i < hearth_profile_get_n_frames (source); i++)
    {
      HearthFrame f;

      hearth_profile_get_frame (source, i, &f);
      hearth_profile_intern_frame (live, &f);
    }
  for (guint i = 0; i < hearth_profile_get_n_stacks (source); i++)
    {
      HearthStack s;

      hearth_profile_get_stack (source, i, &s);
      hearth_profile_intern_stack (live, s.parent, s.frame);
    }
  hearth_profile_add_thread (live, 100, 100, "app");
  hearth_profile_add_thread (live, 100, 101, "worker");
  hearth_profile_add_thread (live, 200, 200, "helper");

  writer = hearth_session_writer_new (live, fx->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hearth_session_writer_get_path (writer), ==, fx->path);

  /* before the first sync the file already opens, empty */
  {
    g_autoptr(HearthProfile) loaded = hearth_session_load (fx->path, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (hearth_profile_get_n_samples (loaded), ==, 0);
  }

  for (guint round = 0; round < 6; round++)
    {
      g_autoptr(HearthProfile) loaded = NULL;
      g_autofree char *value = g_strdup_printf ("round %u", round);

      append_rows (live, source, pos, 50);
      hearth_profile_set_metadata (live, "progress", value);
      if (round == 2)
        {
          hearth_profile_add_thread (live, 100, 101, "worker-renamed");
          hearth_profile_add_marker (live, 1000, 1000, "paused", "by test");
        }
      g_assert_true (hearth_session_writer_sync (writer, &error));
      g_assert_no_error (error);
      synced = hearth_profile_get_n_samples (live);

      /* appended after the sync: not in the file until the next one */
      append_rows (live, source, pos, 1);

      /* another connection reads the file while the writer keeps it open */
      loaded = hearth_session_load (fx->path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (hearth_profile_get_n_samples (loaded), ==, synced);
      g_assert_cmpuint (hearth_profile_get_n_threads (loaded), ==, 3);
      {
        g_autofree char *progress = hearth_profile_dup_metadata (loaded, "progress");
        HearthThread th;

        g_assert_cmpstr (progress, ==, value);
        hearth_profile_get_thread (loaded, 1, &th);
        g_assert_cmpstr (hearth_profile_get_string (loaded, th.name), ==,
                         round >= 2 ? "worker-renamed" : "worker");
        g_assert_cmpuint (hearth_profile_get_n_markers (loaded), ==, round >= 2 ? 1 : 0);
      }
      util_assert_profile_sane (loaded);
    }

  g_assert_true (hearth_session_writer_finish (writer, &error));
  g_assert_no_error (error);
  g_assert_true (hearth_session_writer_finish (writer, &error));

  /* sync after finish is refused */
  g_assert_false (hearth_session_writer_sync (writer, &error));
  g_assert_error (error, HEARTH_STORE_ERROR, HEARTH_STORE_ERROR_IO);
  g_clear_error (&error);

  {
    g_autoptr(HearthProfile) loaded = hearth_session_load (fx->path, &error);
    g_autofree char *wal = g_strconcat (fx->path, "-wal", NULL);

    g_assert_no_error (error);
    util_assert_profiles_equal (live, loaded, TRUE);
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    g_assert_cmpint (query_int (fx->path, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'delete'"), ==, 1);
  }
}

/* A writer moved while open keeps writing at the new place. */
static void
test_move (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(HearthProfile) profile = util_make_profile (300, FALSE, 6);
  g_autoptr(HearthSessionWriter) writer = NULL;
  g_autoptr(HearthProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = g_build_filename (fx->dir, "moved.profsession", NULL);
  g_autofree char *final = g_build_filename (fx->dir, "final.profsession", NULL);

  writer = hearth_session_writer_new (profile, fx->path, &error);
  g_assert_no_error (error);
  g_assert_true (hearth_session_writer_sync (writer, &error));

  g_assert_true (hearth_session_writer_move (writer, moved, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (hearth_session_writer_get_path (writer), ==, moved);
  g_assert_false (g_file_test (fx->path, G_FILE_TEST_EXISTS));

  hearth_profile_add_marker (profile, 10, 20, "after-move", "");
  g_assert_true (hearth_session_writer_sync (writer, &error));
  g_assert_true (hearth_session_writer_finish (writer, &error));
  g_assert_true (hearth_session_writer_move (writer, final, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (moved, G_FILE_TEST_EXISTS));

  loaded = hearth_session_load (final, &error);
  g_assert_no_error (error);
  util_assert_profiles_equal (profile, loaded, TRUE);
}

/* --- bad files --------------------------------------------------------------- */

static void
test_bad_missing (Fixture       *fx,
                  gconstpointer  data)
{
  assert_load_fails (fx->path, HEARTH_STORE_ERROR_IO, "No such file");
  assert_load_fails (fx->dir, HEARTH_STORE_ERROR_IO, "not a regular file");
}

static void
test_bad_empty (Fixture       *fx,
                gconstpointer  data)
{
  util_write_file (fx->path, "", 0);
  assert_load_fails (fx->path, HEARTH_STORE_ERROR_NOT_SQLITE, "empty");
}

static void
test_bad_random (Fixture       *fx,
                 gconstpointer  data)
{
  g_autofree guint8 *bytes = g_malloc (8192);
  GRand *rand = g_rand_new_with_seed (11);

  for (guint i = 0; i < 8192; i++)
    bytes[i] = g_rand_int (rand);
  g_rand_free (rand);
  util_write_file (fx->path, (const char *) bytes, 8192);
  assert_load_fails (fx->path, HEARTH_STORE_ERROR_NOT_SQLITE, "not an SQLite database");

  /* text that happens to be short */
  g_assert_true (g_file_set_contents (fx->path, "main;work 12\n", -1, NULL));
  assert_load_fails (fx->path, HEARTH_STORE_ERROR_NOT_SQLITE, NULL);
}

static void
test_bad_other_app (Fixture       *fx,
                    gconstpointer  data)
{
  exec_sql (fx->path, "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');");
  assert_load_fails (fx->path, HEARTH_STORE_ERROR_WRONG_APP, "another application");

  g_unlink (fx->path);
  exec_sql (fx->path, "PRAGMA application_id = 1234; CREATE TABLE t (x);");
  assert_load_fails (fx->path, HEARTH_STORE_ERROR_WRONG_APP, "0x000004d2");
}

static void
test_bad_newer (Fixture       *fx,
                gconstpointer  data)
{
  save_valid (fx);
  exec_sql (fx->path, "PRAGMA user_version = 3");
  assert_load_fails (fx->path, HEARTH_STORE_ERROR_NEWER_VERSION,
                     "written by a newer Hearth (schema 3); this Hearth reads up to 1");
}

static void
test_bad_truncated (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  static const gsize cuts[] = { 20, 99, 100, 4096, 16384, 16385 };

  save_valid (fx);
  g_assert_true (g_file_get_contents (fx->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 3 * 16384);

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      util_write_file (fx->path, contents, cuts[i]);
      assert_load_fails (fx->path, HEARTH_STORE_ERROR_CORRUPT, "truncated");
    }
  util_write_file (fx->path, contents, length - 1);
  assert_load_fails (fx->path, HEARTH_STORE_ERROR_CORRUPT, "truncated");
  util_write_file (fx->path, contents, length / 2);
  assert_load_fails (fx->path, HEARTH_STORE_ERROR_CORRUPT, "truncated");
}

/* Inconsistent contents each give a corrupt-file error, never a crash. */
static void
test_bad_corrupt (Fixture       *fx,
                  gconstpointer  data)
{
  static const struct {
    const char *sql;
    const char *fragment;
  } cases[] = {
    { "UPDATE sample_chunks SET data = randomblob(200) WHERE id = (SELECT min(id) FROM sample_chunks)", "sample chunk" },
    { "UPDATE sample_chunks SET data = substr(data, 1, length(data) / 2) WHERE encoding = 1", "cut short" },
    { "UPDATE sample_chunks SET data = CAST(data || X'00' AS BLOB) WHERE encoding = 1", "stray bytes" },
    { "UPDATE sample_chunks SET data = substr(data, 1, length(data) - 1)", "sample chunk" },
    { "UPDATE sample_chunks SET n_samples = n_samples + 1", "fewer samples" },
    { "UPDATE sample_chunks SET n_samples = 1", "more bytes" },
    { "UPDATE sample_chunks SET n_samples = 100000", "sample chunk" },
    { "UPDATE sample_chunks SET encoding = 7", "unknown encoding" },
    { "UPDATE sample_chunks SET last_time_us = first_time_us", "past its last_time_us" },
    { "UPDATE sample_chunks SET last_time_us = last_time_us + 1", "does not match" },
    { "UPDATE sample_chunks SET thread = 3", "sample chunk" },
    { "UPDATE sample_chunks SET thread = -1", "sample chunk" },
    { "UPDATE sample_chunks SET first_time_us = 0", "sample chunk" },
    /* a raw chunk whose only sample names stack 10^6 */
    { "DELETE FROM sample_chunks; INSERT INTO sample_chunks VALUES (1, 0, 0, 0, 1, 0, X'00C0843D')", "stack that does not exist" },
    { "DELETE FROM sample_chunks; INSERT INTO sample_chunks VALUES (1, 0, 0, 0, 1, 0, X'00')", "fewer samples" },
    { "DELETE FROM sample_chunks; INSERT INTO sample_chunks VALUES (1, 0, 0, 0, 1, 0, X'01018080808010')", "weight" },
    { "DELETE FROM sample_chunks; INSERT INTO sample_chunks VALUES (1, 0, 0, 9, 2, 0, X'00014801'),"
      " (2, 0, 5, 9, 1, 0, X'0001')", "starts before" },
    { "UPDATE stacks SET parent = id WHERE id = 5", "parent" },
    { "UPDATE stacks SET parent = id + 1 WHERE id = 2", "parent" },
    { "UPDATE stacks SET frame = 100000 WHERE id = 1", "stacks" },
    { "UPDATE stacks SET frame = 'main' WHERE id = 1", "stacks" },
    { "DELETE FROM stacks WHERE id = 3", "stacks" },
    { "UPDATE frames SET function = -1 WHERE id = 0", "frames" },
    { "UPDATE functions SET name = 99999 WHERE id = 0", "functions" },
    { "UPDATE functions SET line = -5 WHERE id = 0", "functions" },
    { "UPDATE strings SET value = X'00' WHERE id = 1", "strings" },
    { "UPDATE strings SET id = 1000 WHERE id = 1", "strings" },
    { "UPDATE threads SET name = 99999", "threads" },
    { "UPDATE threads SET pid = 99999999999", "threads" },
    { "UPDATE markers SET end_ns = start_ns - 1", "markers" },
    { "UPDATE metadata SET value = X'41'", "metadata" },
    { "DROP TABLE frames", "frames" },
    { "ALTER TABLE sample_chunks RENAME COLUMN data TO blob", "sample_chunks" },
  };

  g_autofree char *valid = NULL;
  gsize valid_len = 0;

  save_valid (fx);
  g_assert_true (g_file_get_contents (fx->path, &valid, &valid_len, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i].sql);
      util_write_file (fx->path, valid, valid_len);
      exec_sql (fx->path, cases[i].sql);
      assert_load_fails (fx->path, HEARTH_STORE_ERROR_CORRUPT, cases[i].fragment);
    }
}

/* Invalid UTF-8 in a string is repaired, not refused or passed on. */
static void
test_bad_utf8 (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(HearthProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;

  save_valid (fx);
  exec_sql (fx->path, "UPDATE strings SET value = CAST(X'6D61696EFF' AS TEXT) WHERE value = 'main'");
  loaded = hearth_session_load (fx->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < hearth_profile_get_n_strings (loaded); i++)
    g_assert_true (g_utf8_validate (hearth_profile_get_string (loaded, i), -1, NULL));
  util_assert_profile_sane (loaded);
}

/* Reading never changes the file. */
static void
test_load_read_only (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize len_before = 0, len_after = 0;
  g_autoptr(GError) error = NULL;

  save_valid (fx);
  g_assert_true (g_file_get_contents (fx->path, &before, &len_before, NULL));
  g_object_unref (hearth_session_load (fx->path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (fx->path, &after, &len_after, NULL));
  g_assert_cmpmem (before, len_before, after, len_after);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/hearth/store/round-trip", test_round_trip);
  ADD ("/hearth/store/time-rounding", test_time_rounding);
  ADD ("/hearth/store/round-trip-folded", test_round_trip_folded);
  ADD ("/hearth/store/empty-profile", test_empty_profile);
  ADD ("/hearth/store/save-replaces", test_save_replaces);
  ADD ("/hearth/store/incremental", test_incremental);
  ADD ("/hearth/store/move", test_move);
  ADD ("/hearth/store/load-read-only", test_load_read_only);
  ADD ("/hearth/store/bad/missing", test_bad_missing);
  ADD ("/hearth/store/bad/empty", test_bad_empty);
  ADD ("/hearth/store/bad/random", test_bad_random);
  ADD ("/hearth/store/bad/other-app", test_bad_other_app);
  ADD ("/hearth/store/bad/newer-version", test_bad_newer);
  ADD ("/hearth/store/bad/truncated", test_bad_truncated);
  ADD ("/hearth/store/bad/corrupt", test_bad_corrupt);
  ADD ("/hearth/store/bad/invalid-utf8", test_bad_utf8);

  return g_test_run ();
}
