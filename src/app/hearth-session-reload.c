/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hearth-folded.h"
#include "hearth-paths.h"
#include "hearth-session-private.h"
#include "hearth-session-store.h"
#include "hearth-style.h"

/* Owned inputs of one aggregation: the worker never looks at the session. */
typedef struct
{
  HearthProfile   *profile;
  HearthSelection  selection;
  HearthSelection  selection_b;   /* compare only; shares threads */
  gboolean         compare;
  GArray          *threads;
  GArray          *hidden;
  guint32          focus_function;
  gboolean         running_share;
} ReloadInput;

typedef struct
{
  HearthCallTree *tree;
  HearthCallTree *callers;
  HearthCallTree *callees;
  HearthCallTree *tree_b;
  HearthCallTree *diff;
  GArray         *top;
  float          *running_share;
} ReloadResult;

static void
reload_input_free (gpointer data)
{
  ReloadInput *input = data;

  g_clear_object (&input->profile);
  g_clear_pointer (&input->threads, g_array_unref);
  g_clear_pointer (&input->hidden, g_array_unref);
  g_free (input);
}

static void
reload_result_free (gpointer data)
{
  ReloadResult *result = data;

  g_clear_object (&result->tree);
  g_clear_object (&result->callers);
  g_clear_object (&result->callees);
  g_clear_object (&result->tree_b);
  g_clear_object (&result->diff);
  g_clear_pointer (&result->top, g_array_unref);
  g_clear_pointer (&result->running_share, g_free);
  g_free (result);
}

/* "Hide function" drops the samples whose stack holds a hidden function:
 * count per stack, clear the stacks that contain one (a parent's id is
 * always below its children's, so one forward pass marks them), and build
 * the tree from what is left. */
static HearthCallTree *
build_tree_without (HearthProfile         *profile,
                    const HearthSelection *selection,
                    GArray                *hidden)
{
  guint n_stacks = hearth_profile_get_n_stacks (profile);
  guint n_functions = hearth_profile_get_n_functions (profile);
  g_autofree guint64 *counts = g_new0 (guint64, MAX (n_stacks, 1));
  g_autofree guint8 *hidden_fn = g_new0 (guint8, MAX (n_functions, 1));
  g_autofree guint8 *hidden_stack = g_new0 (guint8, MAX (n_stacks, 1));

  for (guint i = 0; i < hidden->len; i++)
    {
      guint32 fn = g_array_index (hidden, guint32, i);
      if (fn < n_functions)
        hidden_fn[fn] = 1;
    }

  hearth_profile_accumulate_stacks (profile, selection, counts, n_stacks);

  for (guint s = 0; s < n_stacks; s++)
    {
      HearthStack stack;
      guint32 fn = hearth_profile_get_stack_function (profile, s);

      if (!hearth_profile_get_stack (profile, s, &stack))
        continue;
      hidden_stack[s] = (fn < n_functions && hidden_fn[fn]) ||
                        (stack.parent < s && hidden_stack[stack.parent]);
      if (hidden_stack[s])
        counts[s] = 0;
    }

  return hearth_call_tree_new_from_counts (profile, counts, NULL, n_stacks, HEARTH_CALL_TREE_TOP_DOWN);
}

/* Callers of a function, merged over all its calls: move each sample's
 * weight to the prefix of its stack that ends at the outermost frame of
 * the function (an ancestor stack id, so it already exists), then build a
 * bottom-up tree: its only root is the function, its children the callers.
 * A plain bottom-up tree would root only functions that are leaves. */
static HearthCallTree *
build_callers_tree (HearthProfile         *profile,
                    const HearthSelection *selection,
                    guint32                function)
{
  guint n_stacks = hearth_profile_get_n_stacks (profile);
  g_autofree guint64 *counts = g_new0 (guint64, MAX (n_stacks, 1));
  g_autofree guint64 *moved = g_new0 (guint64, MAX (n_stacks, 1));
  g_autofree guint32 *at = g_new (guint32, MAX (n_stacks, 1));

  hearth_profile_accumulate_stacks (profile, selection, counts, n_stacks);

  for (guint s = 0; s < n_stacks; s++)
    {
      HearthStack stack;
      guint32 inherited = HEARTH_NO_ID;

      at[s] = HEARTH_NO_ID;
      if (!hearth_profile_get_stack (profile, s, &stack))
        continue;
      if (stack.parent < s)
        inherited = at[stack.parent];
      if (inherited != HEARTH_NO_ID)
        at[s] = inherited;
      else if (hearth_profile_get_stack_function (profile, s) == function)
        at[s] = s;
      if (at[s] != HEARTH_NO_ID)
        moved[at[s]] += counts[s];
    }

  return hearth_call_tree_new_from_counts (profile, moved, NULL, n_stacks, HEARTH_CALL_TREE_BOTTOM_UP);
}

/* Top functions walk every sample again: on a second core, alongside the
 * tree (the input is owned by the task and read-only meanwhile). */
static gpointer
top_functions_thread (gpointer data)
{
  ReloadInput *input = data;

  return hearth_profile_top_functions (input->profile, &input->selection,
                                       input->compare ? &input->selection_b : NULL);
}

static void
reload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReloadInput *input = task_data;
  ReloadResult *result = g_new0 (ReloadResult, 1);
  GThread *top = g_thread_new ("hearth-top-functions", top_functions_thread, input);

  if (input->hidden->len > 0)
    result->tree = build_tree_without (input->profile, &input->selection, input->hidden);
  else
    result->tree = hearth_call_tree_new (input->profile, &input->selection, HEARTH_CALL_TREE_TOP_DOWN);

  if (!g_cancellable_is_cancelled (cancellable) && input->compare)
    _hearth_session_build_compare (input->profile, &input->selection, &input->selection_b,
                                   &result->tree_b, &result->diff);

  result->top = g_thread_join (top);

  /* The "state" colours need each node's share of running samples: one
   * more aggregation, so only when that scheme is on (and hidden
   * functions are not, as the trees would not line up). */
  if (!g_cancellable_is_cancelled (cancellable) && input->running_share && input->hidden->len == 0)
    result->running_share = hearth_style_running_share_new (input->profile, &input->selection, result->tree);

  if (!g_cancellable_is_cancelled (cancellable) && input->focus_function != HEARTH_NO_ID)
    {
      result->callees = hearth_call_tree_new_callees (input->profile, &input->selection,
                                                      input->focus_function);
      result->callers = build_callers_tree (input->profile, &input->selection,
                                            input->focus_function);
    }

  if (g_task_return_error_if_cancelled (task))
    reload_result_free (result);
  else
    g_task_return_pointer (task, result, reload_result_free);
}

static void
set_busy (HearthSession *self,
          gboolean       busy)
{
  if (self->busy == !!busy)
    return;
  self->busy = !!busy;
  g_object_notify_by_pspec (G_OBJECT (self), _hearth_session_properties[PROP_BUSY]);
}

static void
replace_tree (HearthSession   *self,
              HearthCallTree **field,
              HearthCallTree  *tree,
              guint            prop)
{
  if (*field == tree)
    return;
  g_clear_object (field);
  *field = tree;
  g_object_notify_by_pspec (G_OBJECT (self), _hearth_session_properties[prop]);
}

static void
reload_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  HearthSession *self = HEARTH_SESSION (object);
  g_autoptr(GError) error = NULL;
  ReloadResult *result;

  /* A cancelled reload was superseded: its successor owns "in flight". */
  if (!(result = g_task_propagate_pointer (G_TASK (res), &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Aggregation failed: %s", error->message);
      return;
    }

  self->reload_in_flight = FALSE;
  g_clear_object (&self->reload_cancellable);

  g_clear_pointer (&self->running_share, g_free);
  self->running_share = g_steal_pointer (&result->running_share);

  g_object_freeze_notify (G_OBJECT (self));
  replace_tree (self, &self->call_tree, g_steal_pointer (&result->tree), PROP_CALL_TREE);
  replace_tree (self, &self->callers_tree, g_steal_pointer (&result->callers), PROP_CALLERS_TREE);
  replace_tree (self, &self->callees_tree, g_steal_pointer (&result->callees), PROP_CALLEES_TREE);
  replace_tree (self, &self->call_tree_b, g_steal_pointer (&result->tree_b), PROP_CALL_TREE_B);
  replace_tree (self, &self->diff_tree, g_steal_pointer (&result->diff), PROP_DIFF_TREE);
  g_clear_pointer (&self->top_functions, g_array_unref);
  self->top_functions = g_steal_pointer (&result->top);
  g_object_notify_by_pspec (G_OBJECT (self), _hearth_session_properties[PROP_TOP_FUNCTIONS]);
  _hearth_session_update_matches (self);
  g_object_thaw_notify (G_OBJECT (self));

  reload_result_free (result);

  if (self->reload_again)
    {
      self->reload_again = FALSE;
      _hearth_session_start_reload (self);
    }
  else
    set_busy (self, FALSE);
}

void
_hearth_session_cancel_reload (HearthSession *self)
{
  if (self->reload_cancellable != NULL)
    {
      g_cancellable_cancel (self->reload_cancellable);
      g_clear_object (&self->reload_cancellable);
    }
  self->reload_in_flight = FALSE;
  self->reload_again = FALSE;
}

void
_hearth_session_start_reload (HearthSession *self)
{
  g_autoptr(GTask) task = NULL;
  ReloadInput *input;

  _hearth_session_cancel_reload (self);

  input = g_new0 (ReloadInput, 1);
  input->profile = g_object_ref (self->profile);
  hearth_session_get_selection (self, &input->selection);
  if (input->selection.threads != NULL)
    {
      input->threads = g_array_copy (self->threads);
      input->selection.threads = (const guint32 *) input->threads->data;
    }
  input->compare = hearth_session_get_comparing (self);
  if (input->compare)
    hearth_session_get_selection_b (self, &input->selection_b);
  input->selection_b.threads = input->selection.threads;
  input->hidden = g_array_copy (self->hidden);
  input->focus_function = self->focus_function;
  input->running_share = self->color_scheme == HEARTH_COLOR_SCHEME_STATE;

  self->last_generation = hearth_profile_get_generation (self->profile);
  self->reload_cancellable = g_cancellable_new ();
  self->reload_in_flight = TRUE;
  set_busy (self, TRUE);

  task = g_task_new (self, self->reload_cancellable, reload_cb, NULL);
  g_task_set_source_tag (task, _hearth_session_start_reload);
  g_task_set_task_data (task, input, reload_input_free);
  g_task_run_in_thread (task, reload_thread);
}

/* --- open and save ---------------------------------------------------------- */

static gboolean
looks_like_session (const char *path)
{
  static const char magic[] = "SQLite format 3";
  char buf[sizeof magic] = { 0 };
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);

  if (g_str_has_suffix (path, ".profsession"))
    return TRUE;
  if (in == NULL)
    return FALSE;
  g_input_stream_read_all (G_INPUT_STREAM (in), buf, sizeof buf - 1, NULL, NULL, NULL);
  return memcmp (buf, magic, sizeof magic - 1) == 0;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  gboolean session;

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Cannot open %s: only local files are supported."), uri);
      return;
    }

  if ((session = looks_like_session (path)))
    profile = hearth_session_load (path, &error);
  else
    profile = hearth_folded_load_file (file, HEARTH_FOLDED_FLAGS_NONE, NULL, &error);

  if (profile == NULL)
    return g_task_return_error (task, g_steal_pointer (&error));

  /* The session itself is made on the main thread, where its reloads run. */
  if (session)
    g_object_set_data_full (G_OBJECT (task), "path", g_steal_pointer (&path), g_free);
  g_task_return_pointer (task, g_steal_pointer (&profile), g_object_unref);
}

void
hearth_session_load_async (GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hearth_session_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

HearthSession *
hearth_session_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(HearthProfile) profile = NULL;

  g_return_val_if_fail (G_IS_TASK (result), NULL);

  if (!(profile = g_task_propagate_pointer (G_TASK (result), error)))
    return NULL;
  return hearth_session_new (profile, g_object_get_data (G_OBJECT (result), "path"));
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  HearthSession *self = source_object;
  const char *new_path = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sessions_dir = hearth_paths_get_sessions_dir ();

  /* An autosave is moved so it does not linger; anything else (a file the
   * user opened, a folded import) is copied into a new session file. */
  if (self->path != NULL && g_str_has_prefix (self->path, sessions_dir))
    {
      g_autoptr(GFile) src = g_file_new_for_path (self->path);
      g_autoptr(GFile) dst = g_file_new_for_path (new_path);

      if (!g_file_move (src, dst, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, &error))
        return g_task_return_error (task, g_steal_pointer (&error));
    }
  else if (!hearth_session_save (self->profile, new_path, &error))
    return g_task_return_error (task, g_steal_pointer (&error));

  g_task_return_boolean (task, TRUE);
}

static void
recorder_move_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!hearth_recorder_move_finish (HEARTH_RECORDER (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
hearth_session_save_as_async (HearthSession       *self,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  char *path;

  g_return_if_fail (HEARTH_IS_SESSION (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hearth_session_save_as_async);

  if (!(path = g_file_get_path (file)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Sessions can only be saved to local files."));
      return;
    }
  g_task_set_task_data (task, path, g_free);

  if (self->recorder != NULL && hearth_recorder_get_path (self->recorder) != NULL &&
      g_strcmp0 (hearth_recorder_get_path (self->recorder), self->path) == 0)
    hearth_recorder_move_async (self->recorder, path, cancellable, recorder_move_cb,
                                g_steal_pointer (&task));
  else
    g_task_run_in_thread (task, save_thread);
}

gboolean
hearth_session_save_as_finish (HearthSession  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  _hearth_session_set_path (self, g_task_get_task_data (G_TASK (result)));
  return TRUE;
}
