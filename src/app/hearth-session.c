/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hearth-enums.h"
#include "hearth-session-private.h"

/* Live sessions re-aggregate at most this often (the issue asks ≥ 2/s). */
#define LIVE_POLL_MS 250

G_DEFINE_FINAL_TYPE (HearthSession, hearth_session, G_TYPE_OBJECT)

GParamSpec *_hearth_session_properties[N_SESSION_PROPS];
#define properties _hearth_session_properties

static void
notify (HearthSession *self,
        guint          prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
update_title (HearthSession *self)
{
  g_autofree char *title = NULL;

  if (self->recorder != NULL && hearth_recorder_get_process_name (self->recorder) != NULL)
    {
      HearthCollectorHost *host = hearth_recorder_get_host (self->recorder);

      if (hearth_collector_host_is_local (host))
        title = g_strdup_printf ("%s (%d)", hearth_recorder_get_process_name (self->recorder),
                                 hearth_recorder_get_pid (self->recorder));
      else
        title = g_strdup_printf ("%s (%d) — %s", hearth_recorder_get_process_name (self->recorder),
                                 hearth_recorder_get_pid (self->recorder),
                                 hearth_collector_host_get_display_name (host));
    }
  else if (self->path != NULL)
    title = g_path_get_basename (self->path);
  else
    title = g_strdup (_("Untitled Session"));

  if (g_strcmp0 (title, self->title) != 0)
    {
      g_free (self->title);
      self->title = g_steal_pointer (&title);
      notify (self, PROP_TITLE);
    }
}

void
_hearth_session_update_matches (HearthSession *self)
{
  double share = -1;

  g_clear_pointer (&self->tree_matches, g_free);
  self->n_tree_matches = 0;

  if (self->search != NULL && self->call_tree != NULL)
    {
      self->tree_matches = hearth_search_match_tree (self->search, self->call_tree,
                                                     &self->n_tree_matches);
      share = hearth_search_match_fraction (self->call_tree, self->tree_matches,
                                            self->n_tree_matches, 0, 1, 0);
    }
  else if (self->search != NULL)
    share = 0;

  if (share != self->search_match_share)
    {
      self->search_match_share = share;
      notify (self, PROP_SEARCH_MATCH_SHARE);
    }
  notify (self, PROP_SEARCH_MATCHES);
}

static void
rebuild_search (HearthSession *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_error = g_steal_pointer (&self->search_error);

  g_clear_pointer (&self->search, hearth_search_free);

  if (self->search_text != NULL && *self->search_text != 0)
    {
      self->search = hearth_search_new (self->search_text,
                                        self->search_regex ? HEARTH_SEARCH_FLAGS_REGEX
                                                           : HEARTH_SEARCH_FLAGS_NONE,
                                        &error);
      if (self->search == NULL)
        self->search_error = g_strdup (error->message);
    }

  if (g_strcmp0 (old_error, self->search_error) != 0)
    notify (self, PROP_SEARCH_ERROR);

  _hearth_session_update_matches (self);
}

static gboolean
live_poll_cb (gpointer user_data)
{
  HearthSession *self = user_data;
  guint64 generation = hearth_profile_get_generation (self->profile);

  if (generation != self->last_generation)
    {
      self->last_generation = generation;
      if (self->reload_in_flight)
        self->reload_again = TRUE;
      else
        _hearth_session_start_reload (self);
    }

  return G_SOURCE_CONTINUE;
}

static void
recorder_notify_cb (HearthSession  *self,
                    GParamSpec     *pspec,
                    HearthRecorder *recorder)
{
  gboolean live = hearth_recorder_is_active (recorder);

  if (!live && self->live_poll_id != 0)
    {
      g_clear_handle_id (&self->live_poll_id, g_source_remove);
      /* Pick up the last samples. */
      live_poll_cb (self);
    }

  if (g_strcmp0 (hearth_recorder_get_path (recorder), self->path) != 0)
    _hearth_session_set_path (self, hearth_recorder_get_path (recorder));

  update_title (self);
  notify (self, PROP_LIVE);
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  HearthSession *self = user_data;

  self->reload_idle_id = 0;
  _hearth_session_start_reload (self);
  return G_SOURCE_REMOVE;
}

static void
hearth_session_dispose (GObject *object)
{
  HearthSession *self = (HearthSession *)object;

  _hearth_session_cancel_reload (self);
  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  g_clear_handle_id (&self->live_poll_id, g_source_remove);

  if (self->recorder != NULL)
    g_signal_handlers_disconnect_by_data (self->recorder, self);

  g_clear_object (&self->recorder);
  g_clear_object (&self->call_tree);
  g_clear_object (&self->callers_tree);
  g_clear_object (&self->callees_tree);
  g_clear_object (&self->call_tree_b);
  g_clear_object (&self->diff_tree);
  g_clear_pointer (&self->top_functions, g_array_unref);
  g_clear_pointer (&self->running_share, g_free);

  G_OBJECT_CLASS (hearth_session_parent_class)->dispose (object);
}

static void
hearth_session_finalize (GObject *object)
{
  HearthSession *self = (HearthSession *)object;

  g_clear_object (&self->profile);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->threads, g_array_unref);
  g_clear_pointer (&self->search_text, g_free);
  g_clear_pointer (&self->search, hearth_search_free);
  g_clear_pointer (&self->search_error, g_free);
  g_clear_pointer (&self->tree_matches, g_free);
  g_clear_pointer (&self->hidden, g_array_unref);

  G_OBJECT_CLASS (hearth_session_parent_class)->finalize (object);
}

static void
hearth_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HearthSession *self = HEARTH_SESSION (object);

  switch (prop_id)
    {
    case PROP_PROFILE: g_value_set_object (value, self->profile); break;
    case PROP_RECORDER: g_value_set_object (value, self->recorder); break;
    case PROP_PATH: g_value_set_string (value, self->path); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_LIVE: g_value_set_boolean (value, hearth_session_get_live (self)); break;
    case PROP_RANGE_A_START: g_value_set_int64 (value, self->range_a_start); break;
    case PROP_RANGE_A_END: g_value_set_int64 (value, self->range_a_end); break;
    case PROP_RANGE_B_START: g_value_set_int64 (value, self->range_b_start); break;
    case PROP_RANGE_B_END: g_value_set_int64 (value, self->range_b_end); break;
    case PROP_COMPARE: g_value_set_boolean (value, self->compare); break;
    case PROP_THREADS: g_value_set_boxed (value, self->threads); break;
    case PROP_RUNNING_ONLY: g_value_set_boolean (value, self->running_only); break;
    case PROP_VIEW: g_value_set_enum (value, self->view); break;
    case PROP_COLOR_SCHEME: g_value_set_enum (value, self->color_scheme); break;
    case PROP_SEARCH_TEXT: g_value_set_string (value, self->search_text); break;
    case PROP_SEARCH_REGEX: g_value_set_boolean (value, self->search_regex); break;
    case PROP_SEARCH_MATCH_SHARE: g_value_set_double (value, self->search_match_share); break;
    case PROP_SEARCH_ERROR: g_value_set_string (value, self->search_error); break;
    case PROP_SEARCH_MATCHES: g_value_set_boolean (value, self->tree_matches != NULL); break;
    case PROP_FOCUS_FUNCTION: g_value_set_uint (value, self->focus_function); break;
    case PROP_N_HIDDEN: g_value_set_uint (value, self->hidden->len); break;
    case PROP_CALL_TREE: g_value_set_object (value, self->call_tree); break;
    case PROP_CALLERS_TREE: g_value_set_object (value, self->callers_tree); break;
    case PROP_CALLEES_TREE: g_value_set_object (value, self->callees_tree); break;
    case PROP_TOP_FUNCTIONS: g_value_set_boxed (value, self->top_functions); break;
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    case PROP_CALL_TREE_B: g_value_set_object (value, self->call_tree_b); break;
    case PROP_DIFF_TREE: g_value_set_object (value, self->diff_tree); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_bool (HearthSession *self, guint prop, gboolean value)
{
  switch (prop)
    {
    case PROP_COMPARE:
      if (self->compare == !!value)
        return;
      self->compare = !!value;
      break;
    case PROP_RUNNING_ONLY:
      if (self->running_only == !!value)
        return;
      self->running_only = !!value;
      break;
    default:
      g_assert_not_reached ();
    }
  notify (self, prop);
  hearth_session_queue_reload (self);
}

static void
hearth_session_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HearthSession *self = HEARTH_SESSION (object);

  switch (prop_id)
    {
    case PROP_RANGE_A_START:
      hearth_session_set_range_a (self, g_value_get_int64 (value), self->range_a_end);
      break;
    case PROP_RANGE_A_END:
      hearth_session_set_range_a (self, self->range_a_start, g_value_get_int64 (value));
      break;
    case PROP_RANGE_B_START:
      hearth_session_set_range_b (self, g_value_get_int64 (value), self->range_b_end);
      break;
    case PROP_RANGE_B_END:
      hearth_session_set_range_b (self, self->range_b_start, g_value_get_int64 (value));
      break;
    case PROP_COMPARE:
    case PROP_RUNNING_ONLY:
      set_bool (self, prop_id, g_value_get_boolean (value));
      break;
    case PROP_THREADS:
      {
        GArray *threads = g_value_get_boxed (value);
        hearth_session_set_threads (self, threads ? (const guint32 *) threads->data : NULL,
                                    threads ? threads->len : 0);
      }
      break;
    case PROP_VIEW: hearth_session_set_view (self, g_value_get_enum (value)); break;
    case PROP_COLOR_SCHEME: hearth_session_set_color_scheme (self, g_value_get_enum (value)); break;
    case PROP_SEARCH_TEXT: hearth_session_set_search_text (self, g_value_get_string (value)); break;
    case PROP_SEARCH_REGEX: hearth_session_set_search_regex (self, g_value_get_boolean (value)); break;
    case PROP_FOCUS_FUNCTION: hearth_session_set_focus_function (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_session_class_init (HearthSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hearth_session_dispose;
  object_class->finalize = hearth_session_finalize;
  object_class->get_property = hearth_session_get_property;
  object_class->set_property = hearth_session_set_property;

  properties[PROP_PROFILE] = g_param_spec_object ("profile", NULL, NULL, HEARTH_TYPE_PROFILE, ro);
  properties[PROP_RECORDER] = g_param_spec_object ("recorder", NULL, NULL, HEARTH_TYPE_RECORDER, ro);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, ro);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_LIVE] = g_param_spec_boolean ("live", NULL, NULL, FALSE, ro);
  properties[PROP_RANGE_A_START] = g_param_spec_int64 ("range-a-start", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_RANGE_A_END] = g_param_spec_int64 ("range-a-end", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_RANGE_B_START] = g_param_spec_int64 ("range-b-start", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_RANGE_B_END] = g_param_spec_int64 ("range-b-end", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_COMPARE] = g_param_spec_boolean ("compare", NULL, NULL, FALSE, rw);
  properties[PROP_THREADS] = g_param_spec_boxed ("threads", NULL, NULL, G_TYPE_ARRAY, rw);
  properties[PROP_RUNNING_ONLY] = g_param_spec_boolean ("running-only", NULL, NULL, FALSE, rw);
  properties[PROP_VIEW] = g_param_spec_enum ("view", NULL, NULL, HEARTH_TYPE_VIEW_KIND, HEARTH_VIEW_ICICLE, rw);
  properties[PROP_COLOR_SCHEME] = g_param_spec_enum ("color-scheme", NULL, NULL, HEARTH_TYPE_COLOR_SCHEME,
                                                     HEARTH_COLOR_SCHEME_HASH, rw);
  properties[PROP_SEARCH_TEXT] = g_param_spec_string ("search-text", NULL, NULL, NULL, rw);
  properties[PROP_SEARCH_REGEX] = g_param_spec_boolean ("search-regex", NULL, NULL, FALSE, rw);
  properties[PROP_SEARCH_MATCH_SHARE] = g_param_spec_double ("search-match-share", NULL, NULL, -1, 1, -1, ro);
  properties[PROP_SEARCH_ERROR] = g_param_spec_string ("search-error", NULL, NULL, NULL, ro);
  /* Notified whenever the per-node matches of call-tree change. */
  properties[PROP_SEARCH_MATCHES] = g_param_spec_boolean ("search-matches", NULL, NULL, FALSE, ro);
  properties[PROP_FOCUS_FUNCTION] = g_param_spec_uint ("focus-function", NULL, NULL, 0, G_MAXUINT32, HEARTH_NO_ID, rw);
  properties[PROP_N_HIDDEN] = g_param_spec_uint ("n-hidden", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_CALL_TREE] = g_param_spec_object ("call-tree", NULL, NULL, HEARTH_TYPE_CALL_TREE, ro);
  properties[PROP_CALLERS_TREE] = g_param_spec_object ("callers-tree", NULL, NULL, HEARTH_TYPE_CALL_TREE, ro);
  properties[PROP_CALLEES_TREE] = g_param_spec_object ("callees-tree", NULL, NULL, HEARTH_TYPE_CALL_TREE, ro);
  properties[PROP_TOP_FUNCTIONS] = g_param_spec_boxed ("top-functions", NULL, NULL, G_TYPE_ARRAY, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties[PROP_CALL_TREE_B] = g_param_spec_object ("call-tree-b", NULL, NULL, HEARTH_TYPE_CALL_TREE, ro);
  properties[PROP_DIFF_TREE] = g_param_spec_object ("diff-tree", NULL, NULL, HEARTH_TYPE_CALL_TREE, ro);

  g_object_class_install_properties (object_class, N_SESSION_PROPS, properties);
}

static void
hearth_session_init (HearthSession *self)
{
  self->focus_function = HEARTH_NO_ID;
  self->search_match_share = -1;
  self->hidden = g_array_new (FALSE, FALSE, sizeof (guint32));
}

HearthSession *
hearth_session_new (HearthProfile *profile,
                    const char    *path)
{
  HearthSession *self;

  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), NULL);

  self = g_object_new (HEARTH_TYPE_SESSION, NULL);
  self->profile = g_object_ref (profile);
  self->path = g_strdup (path);
  self->last_generation = hearth_profile_get_generation (profile);
  update_title (self);
  hearth_session_queue_reload (self);

  return self;
}

HearthSession *
hearth_session_new_for_recorder (HearthRecorder *recorder)
{
  HearthSession *self;

  g_return_val_if_fail (HEARTH_IS_RECORDER (recorder), NULL);

  self = hearth_session_new (hearth_recorder_get_profile (recorder),
                             hearth_recorder_get_path (recorder));
  self->recorder = g_object_ref (recorder);
  g_signal_connect_object (recorder, "notify", G_CALLBACK (recorder_notify_cb),
                           self, G_CONNECT_SWAPPED);
  if (hearth_recorder_is_active (recorder))
    self->live_poll_id = g_timeout_add (LIVE_POLL_MS, live_poll_cb, self);
  update_title (self);

  return self;
}

void
_hearth_session_set_path (HearthSession *self,
                          const char    *path)
{
  if (g_strcmp0 (self->path, path) == 0)
    return;
  g_free (self->path);
  self->path = g_strdup (path);
  notify (self, PROP_PATH);
  update_title (self);
}

HearthProfile *hearth_session_get_profile (HearthSession *self) { return self->profile; }
HearthRecorder *hearth_session_get_recorder (HearthSession *self) { return self->recorder; }
const char *hearth_session_get_path (HearthSession *self) { return self->path; }
const char *hearth_session_get_title (HearthSession *self) { return self->title; }
HearthViewKind hearth_session_get_view (HearthSession *self) { return self->view; }
HearthColorScheme hearth_session_get_color_scheme (HearthSession *self) { return self->color_scheme; }
const char *hearth_session_get_search_text (HearthSession *self) { return self->search_text; }
gboolean hearth_session_get_search_regex (HearthSession *self) { return self->search_regex; }
double hearth_session_get_search_match_share (HearthSession *self) { return self->search_match_share; }
const char *hearth_session_get_search_error (HearthSession *self) { return self->search_error; }
guint32 hearth_session_get_focus_function (HearthSession *self) { return self->focus_function; }
guint hearth_session_get_n_hidden (HearthSession *self) { return self->hidden->len; }
HearthCallTree *hearth_session_get_call_tree (HearthSession *self) { return self->call_tree; }
HearthCallTree *hearth_session_get_callers_tree (HearthSession *self) { return self->callers_tree; }
HearthCallTree *hearth_session_get_callees_tree (HearthSession *self) { return self->callees_tree; }
GArray *hearth_session_get_top_functions (HearthSession *self) { return self->top_functions; }

const float *
hearth_session_get_running_share (HearthSession *self,
                                  guint         *n_share)
{
  g_return_val_if_fail (HEARTH_IS_SESSION (self), NULL);

  if (n_share)
    *n_share = self->running_share && self->call_tree ? hearth_call_tree_get_n_nodes (self->call_tree) : 0;
  return self->running_share;
}
gboolean hearth_session_get_busy (HearthSession *self) { return self->busy; }

gboolean
hearth_session_get_live (HearthSession *self)
{
  g_return_val_if_fail (HEARTH_IS_SESSION (self), FALSE);
  return self->recorder != NULL && hearth_recorder_is_active (self->recorder);
}

void
hearth_session_get_selection (HearthSession   *self,
                              HearthSelection *selection)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));
  g_return_if_fail (selection != NULL);

  memset (selection, 0, sizeof *selection);
  selection->start_ns = self->range_a_start;
  selection->end_ns = self->range_a_end;
  if (self->threads != NULL && self->threads->len > 0)
    {
      selection->threads = (const guint32 *) self->threads->data;
      selection->n_threads = self->threads->len;
    }
  selection->running_only = self->running_only;
}

void
hearth_session_set_range_a (HearthSession *self,
                            gint64         start_ns,
                            gint64         end_ns)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));

  if (self->range_a_start == start_ns && self->range_a_end == end_ns)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->range_a_start != start_ns)
    notify (self, PROP_RANGE_A_START);
  if (self->range_a_end != end_ns)
    notify (self, PROP_RANGE_A_END);
  self->range_a_start = start_ns;
  self->range_a_end = end_ns;
  g_object_thaw_notify (G_OBJECT (self));
  hearth_session_queue_reload (self);
}

void
hearth_session_set_range_b (HearthSession *self,
                            gint64         start_ns,
                            gint64         end_ns)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));

  if (self->range_b_start == start_ns && self->range_b_end == end_ns)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->range_b_start != start_ns)
    notify (self, PROP_RANGE_B_START);
  if (self->range_b_end != end_ns)
    notify (self, PROP_RANGE_B_END);
  self->range_b_start = start_ns;
  self->range_b_end = end_ns;
  g_object_thaw_notify (G_OBJECT (self));
  if (self->compare)
    hearth_session_queue_reload (self);
}

void
hearth_session_set_threads (HearthSession *self,
                            const guint32 *threads,
                            guint          n_threads)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));

  if (n_threads == 0 && self->threads == NULL)
    return;
  if (self->threads != NULL && self->threads->len == n_threads &&
      memcmp (self->threads->data, threads, n_threads * sizeof (guint32)) == 0)
    return;

  g_clear_pointer (&self->threads, g_array_unref);
  if (n_threads > 0)
    {
      self->threads = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n_threads);
      g_array_append_vals (self->threads, threads, n_threads);
    }
  notify (self, PROP_THREADS);
  hearth_session_queue_reload (self);
}

void
hearth_session_set_view (HearthSession  *self,
                         HearthViewKind  view)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));

  if (self->view == view)
    return;
  self->view = view;
  notify (self, PROP_VIEW);
}

void
hearth_session_set_color_scheme (HearthSession     *self,
                                 HearthColorScheme  scheme)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));

  if (self->color_scheme == scheme)
    return;
  self->color_scheme = scheme;
  notify (self, PROP_COLOR_SCHEME);
  if (scheme == HEARTH_COLOR_SCHEME_STATE && self->running_share == NULL)
    hearth_session_queue_reload (self);
}

void
hearth_session_set_search_text (HearthSession *self,
                                const char    *text)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));

  if (text != NULL && *text == 0)
    text = NULL;
  if (g_strcmp0 (self->search_text, text) == 0)
    return;
  g_free (self->search_text);
  self->search_text = g_strdup (text);
  rebuild_search (self);
  notify (self, PROP_SEARCH_TEXT);
}

void
hearth_session_set_search_regex (HearthSession *self,
                                 gboolean       regex)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));

  if (self->search_regex == !!regex)
    return;
  self->search_regex = !!regex;
  rebuild_search (self);
  notify (self, PROP_SEARCH_REGEX);
}

gboolean
hearth_session_has_search (HearthSession *self)
{
  return self->search != NULL;
}

gboolean
hearth_session_function_matches (HearthSession *self,
                                 guint32        function)
{
  HearthFunction fn;

  if (self->search == NULL || !hearth_profile_get_function (self->profile, function, &fn))
    return FALSE;
  return hearth_search_match (self->search, hearth_profile_get_string (self->profile, fn.name));
}

const guint8 *
hearth_session_get_tree_matches (HearthSession *self,
                                 guint         *n_matches)
{
  g_return_val_if_fail (HEARTH_IS_SESSION (self), NULL);

  if (n_matches)
    *n_matches = self->n_tree_matches;
  return self->tree_matches;
}

HearthSearch *
hearth_session_get_search (HearthSession *self)
{
  g_return_val_if_fail (HEARTH_IS_SESSION (self), NULL);
  return self->search;
}

void
hearth_session_set_focus_function (HearthSession *self,
                                   guint32        function)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));

  if (self->focus_function == function)
    return;
  self->focus_function = function;
  notify (self, PROP_FOCUS_FUNCTION);
  hearth_session_queue_reload (self);
}

void
hearth_session_hide_function (HearthSession *self,
                              guint32        function)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));

  for (guint i = 0; i < self->hidden->len; i++)
    if (g_array_index (self->hidden, guint32, i) == function)
      return;
  g_array_append_val (self->hidden, function);
  notify (self, PROP_N_HIDDEN);
  hearth_session_queue_reload (self);
}

void
hearth_session_show_all_functions (HearthSession *self)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));

  if (self->hidden->len == 0)
    return;
  g_array_set_size (self->hidden, 0);
  notify (self, PROP_N_HIDDEN);
  hearth_session_queue_reload (self);
}

void
hearth_session_queue_reload (HearthSession *self)
{
  g_return_if_fail (HEARTH_IS_SESSION (self));

  /* A newer request makes the running one stale: drop it now, start the
   * new one once the current burst of property changes is over. */
  _hearth_session_cancel_reload (self);
  if (self->reload_idle_id == 0)
    self->reload_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, reload_idle_cb, self, NULL);
}
