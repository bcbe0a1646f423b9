/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/*
 * Live sessions and error paths, through the app's real recorder, stream
 * reader and session writer, with hearth-fake-collector (the real wire
 * protocol, no ptrace) as the child: samples arriving, stop, pause,
 * autosave and reopen, a collector that refuses, one that dies, a target
 * that exits; the process picker; files that cannot be opened.
 */

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "hearth-process-picker.h"
#include "hearth-session-store.h"
#include "test-app-common.h"

typedef struct
{
  HearthApplication *app;
  HearthWindow      *window;
  char              *tmpdir;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->tmpdir = g_dir_make_tmp ("hearth-live-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", f->tmpdir, TRUE);
  g_setenv ("HEARTH_FAKE_BEHAVIOUR", data ? data : "normal", TRUE);
  f->app = test_app_new ();
  f->window = hearth_application_new_window (f->app);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_spin (50);
  g_clear_object (&f->app);
  remove_tree (f->tmpdir);
  g_free (f->tmpdir);
}

static HearthRecorder *
attach (Fixture *f)
{
  g_autoptr(HearthCollectorHost) host = hearth_collector_host_new_local ();

  /* HEARTH_COLLECTOR points at the fake collector (see meson.build). */
  g_assert_true (g_str_has_suffix (hearth_collector_host_get_collector_path (host), "hearth-fake-collector"));
  g_assert_true (hearth_window_attach (f->window, host, 4242, "fake-target", "wall", 200));
  g_assert_nonnull (hearth_window_get_session (f->window));
  return hearth_session_get_recorder (hearth_window_get_session (f->window));
}

static gboolean
has_samples (gpointer data)
{
  HearthSession *session = data;
  HearthCallTree *tree = hearth_session_get_call_tree (session);

  return tree != NULL && hearth_call_tree_get_total_a (tree) >= 100;
}

static gboolean
recorder_done (gpointer data)
{
  return !hearth_recorder_is_active (data);
}

static void
test_record (Fixture *f, gconstpointer data)
{
  HearthRecorder *recorder = attach (f);
  HearthSession *session = hearth_window_get_session (f->window);
  const char *retry_path[] = { "main", "run_reports", "update_docs", "queue_push", "retry_backoff", NULL };
  g_autoptr(HearthProfile) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sessions_dir = g_build_filename (f->tmpdir, "hearth", "sessions", NULL);
  guint64 generation;

  /* Views refresh on their own while samples stream in. */
  test_wait_for (has_samples, session, 10000, "live samples in the call tree");
  g_assert_true (hearth_session_get_live (session));
  g_assert_cmpuint (test_find_node (hearth_session_get_call_tree (session), retry_path), !=, HEARTH_NO_ID);
  g_assert_true (g_str_has_prefix (hearth_session_get_path (session), sessions_dir));
  g_assert_true (g_str_has_suffix (hearth_session_get_path (session), ".profsession"));
  g_assert_nonnull (strstr (hearth_window_get_status_text (f->window), "Recording — "));

  generation = hearth_profile_get_generation (hearth_session_get_profile (session));
  test_spin (600);
  g_assert_cmpuint (hearth_profile_get_generation (hearth_session_get_profile (session)), >, generation);

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "stop", NULL);
  test_wait_for (recorder_done, recorder, 10000, "the recording to end");
  g_assert_cmpint (hearth_recorder_get_state (recorder), ==, HEARTH_RECORDER_STATE_FINISHED);
  g_assert_null (hearth_window_get_message (f->window));

  /* The autosave holds exactly what the window shows. */
  reopened = hearth_session_load (hearth_session_get_path (session), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hearth_profile_get_n_samples (reopened), ==,
                    hearth_profile_get_n_samples (hearth_session_get_profile (session)));
  g_assert_cmpuint (hearth_profile_get_n_threads (reopened), ==, 2);
}

static void
save_as_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  if (!hearth_session_save_as_finish (HEARTH_SESSION (object), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "done");  /* marks completion */
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_save_as (Fixture *f, gconstpointer data)
{
  HearthRecorder *recorder = attach (f);
  HearthSession *session = hearth_window_get_session (f->window);
  g_autofree char *old_path = NULL;
  g_autofree char *new_path = g_build_filename (f->tmpdir, "kept.profsession", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (new_path);
  g_autoptr(HearthProfile) reopened = NULL;
  g_autoptr(GError) error = NULL;
  GError *result = NULL;

  test_wait_for (has_samples, session, 10000, "live samples");
  old_path = g_strdup (hearth_session_get_path (session));

  /* Save As while recording moves the autosave; recording goes on into it. */
  hearth_session_save_as_async (session, file, NULL, save_as_cb, &result);
  test_wait_for (pointer_set, &result, 10000, "Save As");
  g_assert_true (g_error_matches (result, G_IO_ERROR, G_IO_ERROR_EXISTS));
  g_clear_error (&result);

  g_assert_cmpstr (hearth_session_get_path (session), ==, new_path);
  g_assert_false (g_file_test (old_path, G_FILE_TEST_EXISTS));
  test_spin (700);

  hearth_recorder_stop (recorder);
  test_wait_for (recorder_done, recorder, 10000, "the recording to end");
  reopened = hearth_session_load (new_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hearth_profile_get_n_samples (reopened), ==,
                    hearth_profile_get_n_samples (hearth_session_get_profile (session)));
}

static void
test_pause (Fixture *f, gconstpointer data)
{
  HearthRecorder *recorder = attach (f);
  HearthSession *session = hearth_window_get_session (f->window);
  HearthProfile *profile = hearth_session_get_profile (session);
  guint64 before, during;
  gboolean found = FALSE;

  test_wait_for (has_samples, session, 10000, "live samples");
  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "pause", g_variant_new_boolean (TRUE));
  g_assert_cmpint (hearth_recorder_get_state (recorder), ==, HEARTH_RECORDER_STATE_PAUSED);

  /* What was in the pipe may still arrive; after that, nothing. */
  test_spin (400);
  before = hearth_profile_get_n_samples (profile);
  test_spin (600);
  during = hearth_profile_get_n_samples (profile);
  g_assert_cmpuint (during, ==, before);
  g_assert_nonnull (strstr (hearth_window_get_status_text (f->window), "Paused"));

  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "pause", g_variant_new_boolean (FALSE));
  test_spin (600);
  g_assert_cmpuint (hearth_profile_get_n_samples (profile), >, during);

  for (guint i = 0; i < hearth_profile_get_n_markers (profile); i++)
    {
      HearthMarker marker;

      g_assert_true (hearth_profile_get_marker (profile, i, &marker));
      if (g_str_equal (hearth_profile_get_string (profile, marker.kind), "paused"))
        {
          found = TRUE;
          g_assert_cmpint (marker.end_ns - marker.time_ns, >=, 900 * G_GINT64_CONSTANT (1000000));
        }
    }
  g_assert_true (found);
  hearth_recorder_stop (recorder);
  test_wait_for (recorder_done, recorder, 10000, "the recording to end");
}

static void
test_collector_refuses (Fixture *f, gconstpointer data)
{
  HearthRecorder *recorder = attach (f);

  test_wait_for (recorder_done, recorder, 10000, "the collector to give up");
  g_assert_cmpint (hearth_recorder_get_state (recorder), ==, HEARTH_RECORDER_STATE_FAILED);
  /* The collector's own explanation reaches the banner. */
  g_assert_nonnull (hearth_window_get_message (f->window));
  g_assert_nonnull (strstr (hearth_window_get_message (f->window), "permission denied"));
  g_assert_nonnull (strstr (hearth_window_get_message (f->window), "CAP_SYS_PTRACE"));
  g_assert_nonnull (strstr (hearth_window_get_status_text (f->window), "Recording failed"));
}

static void
test_collector_dies (Fixture *f, gconstpointer data)
{
  HearthRecorder *recorder = attach (f);
  HearthSession *session = hearth_window_get_session (f->window);
  g_autoptr(HearthProfile) reopened = NULL;
  g_autoptr(GError) error = NULL;

  test_wait_for (recorder_done, recorder, 10000, "the collector to die");
  g_assert_cmpint (hearth_recorder_get_state (recorder), ==, HEARTH_RECORDER_STATE_FAILED);
  g_assert_nonnull (strstr (hearth_window_get_message (f->window), "killed by signal 9"));

  /* Nothing received is lost: the view and the file keep it all. */
  test_spin (100);
  test_wait_for (session_ready, session, 5000, "the last aggregation");
  g_assert_cmpuint (hearth_profile_get_n_samples (hearth_session_get_profile (session)), >, 50);
  g_assert_cmpuint (hearth_call_tree_get_total_a (hearth_session_get_call_tree (session)), ==,
                    hearth_profile_get_total_weight (hearth_session_get_profile (session)));
  reopened = hearth_session_load (hearth_session_get_path (session), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hearth_profile_get_n_samples (reopened), ==,
                    hearth_profile_get_n_samples (hearth_session_get_profile (session)));
}

static void
test_target_exits (Fixture *f, gconstpointer data)
{
  HearthRecorder *recorder = attach (f);
  HearthProfile *profile = hearth_session_get_profile (hearth_window_get_session (f->window));
  gboolean exited = FALSE;

  test_wait_for (recorder_done, recorder, 10000, "the target to exit");
  g_assert_cmpint (hearth_recorder_get_state (recorder), ==, HEARTH_RECORDER_STATE_FINISHED);
  g_assert_null (hearth_window_get_message (f->window));
  for (guint i = 0; i < hearth_profile_get_n_markers (profile); i++)
    {
      HearthMarker marker;

      hearth_profile_get_marker (profile, i, &marker);
      exited |= g_str_equal (hearth_profile_get_string (profile, marker.kind), "process-exited");
    }
  g_assert_true (exited);
  g_assert_false (hearth_window_get_session (f->window) == NULL);
}

static void
picker_attach_cb (HearthProcessPicker *picker,
                  HearthProcessInfo   *info,
                  const char          *mode,
                  guint                rate,
                  int                 *pid)
{
  *pid = hearth_process_info_get_pid (info);
  g_assert_cmpstr (mode, ==, "wall");
  g_assert_cmpuint (rate, ==, 99);
}

static gboolean
picker_listed (gpointer data)
{
  return hearth_process_picker_get_n_refreshes (data) > 0;
}

static void
test_picker (Fixture *f, gconstpointer data)
{
  g_autoptr(HearthCollectorHost) host = hearth_collector_host_new_local ();
  HearthProcessPicker *picker;
  GListModel *model;
  int attached = 0;

  picker = hearth_process_picker_new (GTK_WINDOW (f->window), host, NULL);
  g_object_add_weak_pointer (G_OBJECT (picker), (gpointer *) &picker);
  g_signal_connect (picker, "attach", G_CALLBACK (picker_attach_cb), &attached);
  gtk_window_present (GTK_WINDOW (picker));
  test_wait_for (picker_listed, picker, 10000, "the process list");

  model = hearth_process_picker_get_model (picker);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  /* The locked process is listed with its reason and cannot be attached. */
  g_assert_true (hearth_process_picker_select_pid (picker, 1));
  g_assert_false (hearth_process_picker_attach (picker));
  g_assert_cmpint (attached, ==, 0);

  /* Sorted by CPU, largest first: the fake target leads. */
  {
    g_autoptr(HearthProcessInfo) first = g_list_model_get_item (model, 0);

    g_assert_cmpstr (hearth_process_info_get_name (first), ==, "fake-target");
    g_assert_true (hearth_process_info_get_attachable (first));
    g_assert_true (hearth_process_picker_select_pid (picker, hearth_process_info_get_pid (first)));
    g_assert_true (hearth_process_picker_attach (picker));
    g_assert_cmpint (attached, ==, hearth_process_info_get_pid (first));
  }
  test_spin (50);
  g_assert_null (picker);  /* closed itself */
}

static void
open_and_wait (Fixture *f, const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  hearth_window_open_file (f->window, file);
  test_spin (50);
  while (!hearth_window_is_empty (f->window) && hearth_window_get_session (f->window) == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_open_errors (Fixture *f, gconstpointer data)
{
  g_autofree char *garbage = g_build_filename (f->tmpdir, "garbage.profsession", NULL);
  g_autofree char *newer = g_build_filename (f->tmpdir, "newer.profsession", NULL);
  g_autofree char *folded = g_build_filename (f->tmpdir, "bad.folded", NULL);
  g_autofree char *good = g_build_filename (f->tmpdir, "good.folded", NULL);
  sqlite3 *db = NULL;
  char *sql;

  g_assert_true (g_file_set_contents (garbage, "this is not a database at all, not even close", -1, NULL));
  open_and_wait (f, garbage);
  g_assert_null (hearth_window_get_session (f->window));
  g_assert_nonnull (hearth_window_get_message (f->window));
  g_assert_nonnull (strstr (hearth_window_get_message (f->window), "garbage.profsession"));

  /* A session written by a newer Hearth says so. */
  g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d; CREATE TABLE t (x);",
                         HEARTH_SESSION_APPLICATION_ID, HEARTH_SESSION_SCHEMA_VERSION + 7);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_free (sql);
  sqlite3_close (db);
  open_and_wait (f, newer);
  g_assert_null (hearth_window_get_session (f->window));
  g_assert_nonnull (strstr (hearth_window_get_message (f->window), "newer"));

  g_assert_true (g_file_set_contents (folded, "main;parse 12\nthis line has no count\n", -1, NULL));
  open_and_wait (f, folded);
  g_assert_null (hearth_window_get_session (f->window));
  g_assert_nonnull (strstr (hearth_window_get_message (f->window), "2"));

  /* And a good file still opens in the same window afterwards. */
  g_assert_true (g_file_set_contents (good, KNOWN_FOLDED, -1, NULL));
  open_and_wait (f, good);
  g_assert_nonnull (hearth_window_get_session (f->window));
  test_wait_for (session_ready, hearth_window_get_session (f->window), 5000, "aggregation");
  g_assert_cmpuint (hearth_call_tree_get_total_a (hearth_session_get_call_tree (hearth_window_get_session (f->window))), ==, 160);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* No accessibility bus in the test X server. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, behaviour, func) \
  g_test_add ("/hearth/app/" path, Fixture, behaviour, fixture_setup, func, fixture_teardown)
  ADD ("live/record", "normal", test_record);
  ADD ("live/save-as", "normal", test_save_as);
  ADD ("live/pause", "normal", test_pause);
  ADD ("live/collector-refuses", "fail", test_collector_refuses);
  ADD ("live/collector-dies", "die", test_collector_dies);
  ADD ("live/target-exits", "exit", test_target_exits);
  ADD ("picker/list-and-attach", "normal", test_picker);
  ADD ("open/errors", "normal", test_open_errors);
#undef ADD

  return g_test_run ();
}
