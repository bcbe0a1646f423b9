/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hearth-application.h"
#include "hearth-connect-dialog.h"
#include "hearth-process-picker.h"
#include "hearth-window-private.h"

static const char *export_extensions[] = { "png", "svg", "folded" };

static HearthRecorder *
get_recorder (HearthWindow *self)
{
  return self->session ? hearth_session_get_recorder (self->session) : NULL;
}

static void
set_enabled (HearthWindow *self,
             const char   *name,
             gboolean      enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (G_IS_SIMPLE_ACTION (action))
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
_hearth_window_update_actions (HearthWindow *self)
{
  HearthRecorder *recorder = get_recorder (self);
  gboolean has_session = self->session != NULL;
  gboolean live = recorder != NULL && hearth_recorder_is_active (recorder);
  HearthRecorderState state = recorder ? hearth_recorder_get_state (recorder) : HEARTH_RECORDER_STATE_IDLE;
  GAction *pause = g_action_map_lookup_action (G_ACTION_MAP (self), "pause");

  if (pause == NULL)
    return;  /* not yet initialised */

  set_enabled (self, "save-as", has_session);
  set_enabled (self, "export", has_session);
  set_enabled (self, "export-as", has_session);
  set_enabled (self, "find", has_session);
  set_enabled (self, "zoom-back", has_session);
  set_enabled (self, "zoom-forward", has_session);
  set_enabled (self, "zoom-reset", has_session);
  set_enabled (self, "show-all-functions", has_session && hearth_session_get_n_hidden (self->session) > 0);
  set_enabled (self, "unfocus-function", has_session && hearth_session_get_focus_function (self->session) != HEARTH_NO_ID);
  set_enabled (self, "stop", live && state != HEARTH_RECORDER_STATE_STOPPING);
  set_enabled (self, "pause", state == HEARTH_RECORDER_STATE_RECORDING || state == HEARTH_RECORDER_STATE_PAUSED);
  g_simple_action_set_state (G_SIMPLE_ACTION (pause), g_variant_new_boolean (state == HEARTH_RECORDER_STATE_PAUSED));

  gtk_widget_set_visible (self->stop_button, live);
  gtk_widget_set_visible (self->pause_button, live);
}

static GtkFileFilter *
new_filter (const char         *name,
            const char * const *patterns)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns[i]; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  return filter;
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  HearthWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

      if (hearth_window_is_empty (self) || !HEARTH_IS_APPLICATION (app))
        hearth_window_open_file (self, file);
      else
        hearth_application_open_in_new_window (HEARTH_APPLICATION (app), file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
open_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  HearthWindow *self = user_data;
  static const char * const sessions[] = { "*.profsession", NULL };
  static const char * const folded[] = { "*.folded", "*.collapsed", "*.txt", NULL };
  static const char * const all[] = { "*", NULL };
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Open Session"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), new_filter (_("Hearth sessions"), sessions));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), new_filter (_("Folded stacks"), folded));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), new_filter (_("All files"), all));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
picker_attach_cb (HearthWindow        *self,
                  HearthProcessInfo   *process,
                  const char          *mode,
                  guint                rate,
                  HearthProcessPicker *picker)
{
  HearthCollectorHost *host = g_object_get_data (G_OBJECT (picker), "host");
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  HearthWindow *target = self;

  /* One session per window: a busy window attaches in a new one. */
  if (!hearth_window_is_empty (self) && HEARTH_IS_APPLICATION (app))
    target = hearth_application_new_window (HEARTH_APPLICATION (app));

  hearth_window_attach (target, host, hearth_process_info_get_pid (process),
                        hearth_process_info_get_name (process), mode, rate);
}

static void
attach_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  HearthWindow *self = user_data;
  g_autoptr(HearthCollectorHost) host = hearth_collector_host_new_local ();
  HearthProcessPicker *picker;

  picker = hearth_process_picker_new (GTK_WINDOW (self), host, self->settings);
  g_object_set_data_full (G_OBJECT (picker), "host", g_object_ref (host), g_object_unref);
  g_signal_connect_object (picker, "attach", G_CALLBACK (picker_attach_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (picker));
}

static void
connect_cb (HearthWindow        *self,
            HearthCollectorHost *host,
            HearthConnectDialog *dialog)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  HearthRemoteCollector *remote = hearth_collector_host_get_remote (host);
  HearthProcessPicker *picker;

  if (HEARTH_IS_APPLICATION (app) && remote != NULL)
    hearth_application_add_recent_host (HEARTH_APPLICATION (app),
                                        hearth_remote_collector_get_destination (remote)->destination);

  /* The same picker as a local attach, listing through the host. */
  picker = hearth_process_picker_new (GTK_WINDOW (self), host, self->settings);
  g_object_set_data_full (G_OBJECT (picker), "host", g_object_ref (host), g_object_unref);
  g_signal_connect_object (picker, "attach", G_CALLBACK (picker_attach_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (picker));
}

static void
connect_remote_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  HearthWindow *self = user_data;
  HearthConnectDialog *dialog = hearth_connect_dialog_new (GTK_WINDOW (self), self->settings);

  g_signal_connect_object (dialog, "connect", G_CALLBACK (connect_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
demo_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  HearthWindow *self = user_data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (HEARTH_IS_APPLICATION (app))
    hearth_application_profile_demo (HEARTH_APPLICATION (app), self);
}

static void
save_as_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HearthWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hearth_session_save_as_finish (HEARTH_SESSION (object), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not save the session: %s"), error->message);
      hearth_window_show_message (self, text, TRUE);
    }
}

static char *
suggested_name (HearthWindow *self,
                const char   *extension)
{
  const char *title = self->session ? hearth_session_get_title (self->session) : NULL;
  g_autofree char *base = g_strdup (title ? title : "hearth");

  /* "demo (1234)" → "demo-1234"; titles of opened files keep their stem. */
  if (g_str_has_suffix (base, ".profsession"))
    base[strlen (base) - strlen (".profsession")] = 0;
  g_strdelimit (base, " ()/\\:", '-');
  g_strstrip (base);
  while (strlen (base) > 1 && base[strlen (base) - 1] == '-')
    base[strlen (base) - 1] = 0;
  return g_strdup_printf ("%s.%s", base, extension);
}

static void
save_as_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     HearthWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->session != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      hearth_session_save_as_async (self->session, file, NULL, save_as_cb, g_object_ref (self));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
save_as_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  HearthWindow *self = user_data;
  g_autofree char *name = suggested_name (self, "profsession");
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Save Session As"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (save_as_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_to (HearthWindow *self,
           const char   *path)
{
  g_autoptr(GError) error = NULL;
  HearthExportFormat format;

  if (!hearth_export_format_from_path (path, &format))
    {
      g_autofree char *text = g_strdup_printf (_("Cannot export to %s: use a name ending in .png, .svg or .folded."), path);
      hearth_window_show_message (self, text, TRUE);
      return;
    }

  if (!hearth_explorer_export (self->explorer, format, path, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Export to %s failed: %s"), path, error->message);
      hearth_window_show_message (self, text, TRUE);
      return;
    }

  g_message ("Exported %s", path);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    HearthWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        export_to (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* HEARTH_EXPORT_DIR skips the file chooser and writes a numbered file
 * there: for scripted use and tests that do not drive the chooser. */
static char *
export_dir_path (HearthWindow *self,
                 const char   *extension)
{
  const char *dir = g_getenv ("HEARTH_EXPORT_DIR");
  g_autofree char *name = suggested_name (self, extension);

  if (dir == NULL || *dir == 0)
    return NULL;
  return g_build_filename (dir, name, NULL);
}

static void
show_export_dialog (HearthWindow *self,
                    const char   *extension)
{
  static const char * const png[] = { "*.png", NULL };
  static const char * const svg[] = { "*.svg", NULL };
  static const char * const folded[] = { "*.folded", "*.txt", NULL };
  g_autofree char *name = suggested_name (self, extension);
  g_autofree char *direct = export_dir_path (self, extension);
  GtkFileChooserNative *dialog;

  if (direct != NULL)
    {
      export_to (self, direct);
      return;
    }

  dialog = gtk_file_chooser_native_new (_("Export"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), new_filter (_("PNG image"), png));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), new_filter (_("SVG image"), svg));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), new_filter (_("Folded stacks"), folded));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  /* Ctrl+E: one dialog, the format follows the extension typed. */
  show_export_dialog (user_data, "png");
}

static void
export_as_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  const char *format = g_variant_get_string (param, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (export_extensions); i++)
    if (g_str_equal (format, export_extensions[i]))
      show_export_dialog (user_data, format);
}

static void
stop_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  HearthRecorder *recorder = get_recorder (user_data);

  if (recorder != NULL)
    hearth_recorder_stop (recorder);
}

static void
pause_change_state (GSimpleAction *action,
                    GVariant      *value,
                    gpointer       user_data)
{
  HearthRecorder *recorder = get_recorder (user_data);

  if (recorder != NULL)
    hearth_recorder_set_paused (recorder, g_variant_get_boolean (value));
  _hearth_window_update_actions (user_data);
}

static void
find_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  HearthWindow *self = user_data;

  hearth_explorer_focus_search (self->explorer);
}

static void
zoom_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  HearthWindow *self = user_data;
  HearthFlameView *view = hearth_explorer_get_active_view (self->explorer);
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "zoom-back"))
    hearth_flame_view_go_back (view);
  else if (g_str_equal (name, "zoom-forward"))
    hearth_flame_view_go_forward (view);
  else
    hearth_flame_view_reset_zoom (view);
}

static void
show_all_functions_action (GSimpleAction *action,
                           GVariant      *param,
                           gpointer       user_data)
{
  HearthWindow *self = user_data;

  if (self->session != NULL)
    hearth_session_show_all_functions (self->session);
}

static void
unfocus_function_action (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  HearthWindow *self = user_data;

  if (self->session != NULL)
    hearth_session_set_focus_function (self->session, HEARTH_NO_ID);
}

static void
close_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static void
session_changed_cb (HearthWindow *self)
{
  _hearth_window_update_actions (self);
}

void
_hearth_window_init_actions (HearthWindow *self)
{
  static const GActionEntry entries[] = {
    { "open", open_action },
    { "attach", attach_action },
    { "connect-remote", connect_remote_action },
    { "demo", demo_action },
    { "save-as", save_as_action },
    { "export", export_action },
    { "export-as", export_as_action, "s" },
    { "stop", stop_action },
    { "pause", NULL, NULL, "false", pause_change_state },
    { "find", find_action },
    { "zoom-back", zoom_action },
    { "zoom-forward", zoom_action },
    { "zoom-reset", zoom_action },
    { "show-all-functions", show_all_functions_action },
    { "unfocus-function", unfocus_function_action },
    { "close", close_action },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);

  /* View choices are stateful actions backed by GSettings, so toggles,
   * menus and every window agree and the choice is remembered. */
  if (self->settings != NULL)
    {
      static const char * const keys[] = { "view-orientation", "color-scheme", "show-functions-table" };

      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          g_autoptr(GAction) action = g_settings_create_action (self->settings, keys[i]);
          g_action_map_add_action (G_ACTION_MAP (self), action);
        }
      g_settings_bind (self->settings, "show-functions-table",
                       hearth_explorer_get_functions_table (self->explorer), "visible",
                       G_SETTINGS_BIND_GET);
    }

  _hearth_window_init_compare_actions (self);
}

/* Keep the actions' enabled state in step with the session's inputs. */
void
_hearth_window_watch_session (HearthWindow *self)
{
  g_signal_connect_object (self->session, "notify::n-hidden", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::focus-function", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  _hearth_window_watch_compare (self);
}
