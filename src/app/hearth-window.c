/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-application.h"
#include "hearth-enums.h"
#include "hearth-window-private.h"

G_DEFINE_FINAL_TYPE (HearthWindow, hearth_window, GTK_TYPE_APPLICATION_WINDOW)

static char *
format_count (guint64 n)
{
  /* Thousands separators from the locale ("12,345" / "12 345"). */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

static void
update_status (HearthWindow *self)
{
  HearthRecorder *recorder;
  HearthProfile *profile;
  g_autofree char *samples = NULL;
  g_autofree char *text = NULL;

  if (self->session == NULL)
    {
      gtk_widget_set_visible (self->status_bar, FALSE);
      return;
    }

  profile = hearth_session_get_profile (self->session);
  recorder = hearth_session_get_recorder (self->session);
  gtk_widget_set_visible (self->status_bar, TRUE);
  gtk_spinner_set_spinning (self->busy_spinner, hearth_session_get_busy (self->session));

  if (recorder != NULL)
    {
      g_autofree char *dropped = format_count (hearth_recorder_get_dropped (recorder));
      const char *what;

      samples = format_count (hearth_recorder_get_n_samples (recorder));
      switch (hearth_recorder_get_state (recorder))
        {
        case HEARTH_RECORDER_STATE_RECORDING: what = _("Recording"); break;
        case HEARTH_RECORDER_STATE_PAUSED: what = _("Paused"); break;
        case HEARTH_RECORDER_STATE_STOPPING: what = _("Stopping"); break;
        case HEARTH_RECORDER_STATE_FAILED: what = _("Recording failed"); break;
        case HEARTH_RECORDER_STATE_FINISHED: what = _("Recorded"); break;
        case HEARTH_RECORDER_STATE_IDLE:
        default: what = _("Starting"); break;
        }
      text = g_strdup_printf (_("%s — %s samples · %.0f samples/s · %u threads · %s dropped · %s"),
                              what, samples, hearth_recorder_get_sample_rate (recorder),
                              hearth_recorder_get_n_threads (recorder), dropped,
                              hearth_session_get_path (self->session) ? hearth_session_get_path (self->session) : "");
    }
  else
    {
      samples = format_count (hearth_profile_get_n_samples (profile));
      text = g_strdup_printf (_("%s samples · %u threads · %.1f s"),
                              samples, hearth_profile_get_n_threads (profile),
                              hearth_profile_get_duration_ns (profile) / 1e9);
    }

  gtk_label_set_text (self->status_label, text);
}

static void
update_title (HearthWindow *self)
{
  const char *title = self->session ? hearth_session_get_title (self->session) : NULL;
  const char *path = self->session ? hearth_session_get_path (self->session) : NULL;
  g_autofree char *window_title = title ? g_strdup_printf ("%s — Hearth", title) : g_strdup ("Hearth");

  gtk_window_set_title (GTK_WINDOW (self), window_title);
  gtk_label_set_text (self->title_label, title ? title : "Hearth");
  gtk_label_set_text (self->subtitle_label, path ? path : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), path != NULL);
}

static void
recorder_notify_cb (HearthWindow *self)
{
  update_status (self);
  _hearth_window_update_actions (self);
}

static void
recorder_message_cb (HearthWindow   *self,
                     gboolean        fatal,
                     const char     *text,
                     HearthRecorder *recorder)
{
  hearth_window_show_message (self, text, fatal);
}

static void
session_path_cb (HearthWindow *self)
{
  const char *path = hearth_session_get_path (self->session);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  update_title (self);
  if (path != NULL && HEARTH_IS_APPLICATION (app))
    hearth_application_add_recent (HEARTH_APPLICATION (app), path);
}

static gboolean
enum_from_setting (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  GType type = GPOINTER_TO_SIZE (user_data);

  g_value_set_enum (value, hearth_enum_from_nick (type, g_variant_get_string (variant, NULL), 0));
  return TRUE;
}

static GVariant *
enum_to_setting (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  GType type = GPOINTER_TO_SIZE (user_data);
  const char *nick = hearth_enum_to_nick (type, g_value_get_enum (value));

  return nick ? g_variant_new_string (nick) : NULL;
}

/* View choices live in GSettings, so they are remembered and shared by
 * windows; the session carries them as properties for its widgets. */
static void
bind_session_settings (HearthWindow  *self,
                       HearthSession *session)
{
  if (self->settings == NULL)
    return;

  g_settings_bind_with_mapping (self->settings, "view-orientation", session, "view",
                                G_SETTINGS_BIND_DEFAULT, enum_from_setting, enum_to_setting,
                                GSIZE_TO_POINTER (HEARTH_TYPE_VIEW_KIND), NULL);
  g_settings_bind_with_mapping (self->settings, "color-scheme", session, "color-scheme",
                                G_SETTINGS_BIND_DEFAULT, enum_from_setting, enum_to_setting,
                                GSIZE_TO_POINTER (HEARTH_TYPE_COLOR_SCHEME), NULL);
  g_settings_bind (self->settings, "search-regex", session, "search-regex", G_SETTINGS_BIND_DEFAULT);
}

static void
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         HearthWindow  *self)
{
  GSList *files;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return;

  files = g_value_get_boxed (value);
  for (const GSList *l = files; l; l = l->next)
    {
      if (l == files && hearth_window_is_empty (self))
        hearth_window_open_file (self, l->data);
      else if (HEARTH_IS_APPLICATION (app))
        hearth_application_open_in_new_window (HEARTH_APPLICATION (app), l->data);
    }
}

static void
open_recent_cb (HearthWindow *self,
                const char   *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  if (hearth_window_is_empty (self))
    hearth_window_open_file (self, file);
  else if (HEARTH_IS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))))
    hearth_application_open_in_new_window (HEARTH_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))), file);
}

static void
recent_changed_cb (HearthWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-sessions");

  hearth_start_page_set_recent (self->start_page, (const char * const *) recent);
}

static gboolean
hearth_window_close_request (GtkWindow *window)
{
  HearthWindow *self = HEARTH_WINDOW (window);
  HearthRecorder *recorder = self->session ? hearth_session_get_recorder (self->session) : NULL;

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }

  /* Closing a live window ends the recording cleanly; the recorder keeps
   * the application alive until the session file is final. */
  if (recorder != NULL)
    hearth_recorder_stop (recorder);

  return GTK_WINDOW_CLASS (hearth_window_parent_class)->close_request (window);
}

/* After construction: GtkWindow:application is not a construct property,
 * so it is only known once g_object_new() has returned. */
static void
setup (HearthWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (HEARTH_IS_APPLICATION (app))
    self->settings = g_object_ref (hearth_application_get_settings (HEARTH_APPLICATION (app)));

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      g_signal_connect_object (self->settings, "changed::recent-sessions",
                               G_CALLBACK (recent_changed_cb), self, G_CONNECT_SWAPPED);
      recent_changed_cb (self);
    }

  _hearth_window_init_actions (self);
  _hearth_window_update_actions (self);
}

static void
hearth_window_dispose (GObject *object)
{
  HearthWindow *self = (HearthWindow *)object;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  hearth_window_set_session (self, NULL);
  /* No gtk_widget_dispose_template() here: for a GtkWindow it would unparent
   * the title bar and child that GtkWindow's own dispose releases again. */

  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hearth_window_parent_class)->dispose (object);
}

static void
hearth_window_class_init (HearthWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hearth_window_dispose;
  window_class->close_request = hearth_window_close_request;

  g_type_ensure (HEARTH_TYPE_BANNER);
  g_type_ensure (HEARTH_TYPE_START_PAGE);
  g_type_ensure (HEARTH_TYPE_EXPLORER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hearthprof/Hearth/hearth-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, start_page);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, explorer);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, status_bar);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, HearthWindow, status_label);
}

static void
hearth_window_init (HearthWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  g_signal_connect_swapped (self->start_page, "open-recent", G_CALLBACK (open_recent_cb), self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  update_title (self);
}

HearthWindow *
hearth_window_new (GtkApplication *application)
{
  HearthWindow *self = g_object_new (HEARTH_TYPE_WINDOW, "application", application, NULL);

  setup (self);
  return self;
}

HearthSession *
hearth_window_get_session (HearthWindow *self)
{
  g_return_val_if_fail (HEARTH_IS_WINDOW (self), NULL);
  return self->session;
}

HearthExplorer *
hearth_window_get_explorer (HearthWindow *self)
{
  g_return_val_if_fail (HEARTH_IS_WINDOW (self), NULL);
  return self->explorer;
}

gboolean
hearth_window_is_empty (HearthWindow *self)
{
  g_return_val_if_fail (HEARTH_IS_WINDOW (self), FALSE);
  return self->session == NULL && self->load_cancellable == NULL;
}

void
hearth_window_set_session (HearthWindow  *self,
                           HearthSession *session)
{
  HearthRecorder *recorder;

  g_return_if_fail (HEARTH_IS_WINDOW (self));

  if (self->session == session)
    return;

  if (self->session != NULL)
    {
      g_settings_unbind (self->session, "view");
      g_settings_unbind (self->session, "color-scheme");
      g_settings_unbind (self->session, "search-regex");
      g_signal_handlers_disconnect_by_data (self->session, self);
      if ((recorder = hearth_session_get_recorder (self->session)))
        g_signal_handlers_disconnect_by_data (recorder, self);
    }

  g_set_object (&self->session, session);
  hearth_explorer_set_session (self->explorer, session);

  if (session != NULL)
    {
      bind_session_settings (self, session);
      _hearth_window_watch_session (self);
      g_signal_connect_object (session, "notify::title", G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::path", G_CALLBACK (session_path_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::busy", G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::call-tree", G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::live", G_CALLBACK (recorder_notify_cb), self, G_CONNECT_SWAPPED);
      if ((recorder = hearth_session_get_recorder (session)))
        {
          g_signal_connect_object (recorder, "notify", G_CALLBACK (recorder_notify_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (recorder, "message", G_CALLBACK (recorder_message_cb), self, G_CONNECT_SWAPPED);
        }
      gtk_stack_set_visible_child_name (self->stack, "explorer");
      gtk_widget_grab_focus (GTK_WIDGET (hearth_explorer_get_flame_view (self->explorer)));
      if (hearth_session_get_path (session) != NULL)
        session_path_cb (self);
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "start");

  update_title (self);
  update_status (self);
  _hearth_window_update_actions (self);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HearthWindow) self = user_data;
  g_autoptr(HearthSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = hearth_session_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->load_cancellable);
  gtk_spinner_stop (self->loading_spinner);

  if (session == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, self->session ? "explorer" : "start");
      hearth_window_show_message (self, error->message, TRUE);
      return;
    }

  hearth_banner_dismiss (self->banner);
  hearth_window_set_session (self, session);
}

void
hearth_window_open_file (HearthWindow *self,
                         GFile        *file)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (HEARTH_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  name = g_file_get_basename (file);
  text = g_strdup_printf (_("Opening %s…"), name);
  gtk_label_set_text (self->loading_label, text);
  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  hearth_session_load_async (file, self->load_cancellable, load_cb, g_object_ref (self));
}

gboolean
hearth_window_attach (HearthWindow        *self,
                      HearthCollectorHost *host,
                      int                  pid,
                      const char          *process_name,
                      const char          *mode,
                      guint                rate_hz)
{
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(HearthRecorder) recorder = NULL;
  g_autoptr(HearthSession) session = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (HEARTH_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (HEARTH_IS_COLLECTOR_HOST (host), FALSE);

  profile = hearth_profile_new ();
  recorder = hearth_recorder_new (host, profile, pid, process_name, mode, rate_hz);
  if (!hearth_recorder_start (recorder, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Cannot attach to process %d: %s"), pid, error->message);
      hearth_window_show_message (self, text, TRUE);
      return FALSE;
    }

  hearth_banner_dismiss (self->banner);
  session = hearth_session_new_for_recorder (recorder);
  hearth_window_set_session (self, session);
  return TRUE;
}

void
hearth_window_show_message (HearthWindow *self,
                            const char   *text,
                            gboolean      error)
{
  g_return_if_fail (HEARTH_IS_WINDOW (self));

  g_message ("%s", text);
  hearth_banner_show (self->banner, text, error, NULL, NULL);
}

const char *
hearth_window_get_message (HearthWindow *self)
{
  g_return_val_if_fail (HEARTH_IS_WINDOW (self), NULL);
  return hearth_banner_is_shown (self->banner) ? hearth_banner_get_text (self->banner) : NULL;
}

const char *
hearth_window_get_status_text (HearthWindow *self)
{
  g_return_val_if_fail (HEARTH_IS_WINDOW (self), NULL);
  return gtk_label_get_text (self->status_label);
}
