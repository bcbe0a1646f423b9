/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "hearth-application.h"
#include "hearth-paths.h"
#include "hearth-remote-error.h"
#include "hearth-style-manager.h"

#define MAX_RECENT 10

struct _HearthApplication
{
  GtkApplication parent_instance;

  /* owned */
  GSettings          *settings;
  HearthStyleManager *style_manager;
  GSubprocess        *demo;
  char               *opt_mode;
  char               *opt_remote;
  char               *opt_identity;
  char               *opt_known_hosts;
  char               *opt_collector;

  /* state */
  int                 opt_pid;
  int                 opt_rate;
  int                 opt_port;
  gboolean            opt_demo;
};

G_DEFINE_FINAL_TYPE (HearthApplication, hearth_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "pid", 'p', 0, G_OPTION_ARG_INT, NULL, N_("Attach to the process PID at once"), N_("PID") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start the bundled demo workload and attach to it"), NULL },
  { "mode", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Sampling mode: wall (default) or cpu"), N_("MODE") },
  { "rate", 0, 0, G_OPTION_ARG_INT, NULL, N_("Samples per second and thread (default 99)"), N_("HZ") },
  { "remote", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Attach through ssh on this host (with --pid)"), N_("USER@HOST") },
  { "port", 0, 0, G_OPTION_ARG_INT, NULL, N_("SSH port for --remote (default: from ssh_config, else 22)"), N_("PORT") },
  { "identity", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("SSH private key for --remote"), N_("FILE") },
  { "known-hosts", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Use this known_hosts file instead of ssh_config’s"), N_("FILE") },
  { "collector", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("hearth-collector on the remote host (default: from its PATH)"), N_("PATH") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { "print-collector-path", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the path of hearth-collector and exit"), NULL },
  { NULL }
};

/* Shortcuts, declared once for the whole app. Keys that would steal
 * typing from entries (Home, Escape, Backspace) are bound on the flame
 * view itself instead. */
static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.new-window", { "<Control>n", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.attach", { "<Control>r", NULL } },
  { "win.save-as", { "<Control><Shift>s", NULL } },
  { "win.export", { "<Control>e", NULL } },
  { "win.stop", { "<Control>period", NULL } },
  { "win.pause", { "<Control>p", NULL } },
  { "win.find", { "<Control>f", NULL } },
  { "win.zoom-back", { "<Alt>Left", "Back", NULL } },
  { "win.zoom-forward", { "<Alt>Right", "Forward", NULL } },
  { "win.close", { "<Control>w", NULL } },
};

static HearthWindow *
get_empty_window (HearthApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (HEARTH_IS_WINDOW (l->data) && hearth_window_is_empty (l->data))
      return l->data;
  return hearth_application_new_window (self);
}

static const char *
sampling_mode (HearthApplication *self)
{
  static char mode[8];
  g_autofree char *setting = g_settings_get_string (self->settings, "sampling-mode");

  if (self->opt_mode != NULL)
    return self->opt_mode;
  g_strlcpy (mode, setting, sizeof mode);
  return mode;
}

static guint
sampling_rate (HearthApplication *self)
{
  return self->opt_rate > 0 ? (guint) self->opt_rate : (guint) g_settings_get_int (self->settings, "sampling-rate");
}

static void
attach_pid (HearthApplication *self,
            HearthWindow      *window,
            int                pid,
            const char        *name)
{
  g_autoptr(HearthCollectorHost) host = hearth_collector_host_new_local ();

  hearth_window_attach (window, host, pid, name, sampling_mode (self), sampling_rate (self));
}

void
hearth_application_add_recent_host (HearthApplication *self,
                                    const char        *destination)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-hosts");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) hosts = NULL;
  guint n = 1;

  g_return_if_fail (HEARTH_IS_APPLICATION (self));
  g_return_if_fail (destination != NULL);

  g_strv_builder_add (builder, destination);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT; i++)
    if (!g_str_equal (old[i], destination))
      g_strv_builder_add (builder, old[i]), n++;
  hosts = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-hosts", (const char * const *) hosts);
}

/* The ssh destination of a remote attach. BatchMode: ssh must never prompt
 * on a terminal the app does not have; unknown host keys are confirmed in
 * the Connect dialog (or refused with their own message). */
static HearthSshDestination *
build_destination (const char  *destination,
                   int          port,
                   const char  *identity,
                   const char  *known_hosts,
                   GError     **error)
{
  g_autoptr(HearthSshDestination) dest = hearth_ssh_destination_new (destination);

  if (port < 0 || port > 65535)
    {
      g_set_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_INVALID,
                   _("The SSH port %d is not between 1 and 65535."), port);
      return NULL;
    }
  dest->port = (guint16) port;
  dest->identity_file = identity && *identity ? g_strdup (identity) : NULL;
  dest->known_hosts_file = known_hosts && *known_hosts ? g_strdup (known_hosts) : NULL;
  dest->batch_mode = TRUE;
  if (!hearth_ssh_destination_validate (dest, error))
    return NULL;
  return g_steal_pointer (&dest);
}

void
hearth_application_attach_remote (HearthApplication          *self,
                                  HearthWindow               *window,
                                  const HearthSshDestination *destination,
                                  const char                 *collector_path,
                                  int                         pid,
                                  const char                 *name)
{
  g_autoptr(HearthCollectorHost) host = NULL;

  g_return_if_fail (HEARTH_IS_APPLICATION (self));

  host = hearth_collector_host_new_remote (destination, collector_path && *collector_path ? collector_path : NULL);
  hearth_application_add_recent_host (self, destination->destination);
  hearth_window_attach (window, host, pid, name, sampling_mode (self), sampling_rate (self));
}

static void
attach_remote_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  HearthApplication *self = user_data;
  HearthWindow *window = get_empty_window (self);
  g_autoptr(HearthSshDestination) dest = NULL;
  g_autoptr(GError) error = NULL;
  const char *destination, *identity, *known_hosts, *collector;
  int port, pid;

  g_variant_get (param, "(&si&s&s&si)", &destination, &port, &identity, &known_hosts, &collector, &pid);
  gtk_window_present (GTK_WINDOW (window));
  if (!(dest = build_destination (destination, port, identity, known_hosts, &error)))
    hearth_window_show_message (window, error->message, TRUE);
  else
    hearth_application_attach_remote (self, window, dest, collector, pid, NULL);
}

static GVariant *
remote_options_to_variant (HearthApplication *self)
{
  return g_variant_new ("(sisssi)", self->opt_remote, self->opt_port,
                        self->opt_identity ? self->opt_identity : "",
                        self->opt_known_hosts ? self->opt_known_hosts : "",
                        self->opt_collector ? self->opt_collector : "",
                        self->opt_pid);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  HearthApplication *self = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing windows stops their recordings; the recorders hold the app
   * until their files are final, then it quits. */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (hearth_application_new_window (user_data)));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  HearthApplication *self = user_data;
  static const char *authors[] = { "The Hearth authors", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "program-name", "Hearth",
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("A flamegraph explorer with live attach"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         NULL);
}

static void
attach_pid_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  HearthApplication *self = user_data;
  HearthWindow *window = get_empty_window (self);

  gtk_window_present (GTK_WINDOW (window));
  attach_pid (self, window, g_variant_get_int32 (param), NULL);
}

static void
profile_demo_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  HearthApplication *self = user_data;
  HearthWindow *window = get_empty_window (self);

  gtk_window_present (GTK_WINDOW (window));
  hearth_application_profile_demo (self, window);
}

static void
load_css (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  /* GTK 4 (unlike libadwaita) does not load style.css by itself. */
  gtk_css_provider_load_from_resource (provider, "/io/github/hearthprof/Hearth/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
hearth_application_startup (GApplication *application)
{
  HearthApplication *self = HEARTH_APPLICATION (application);
  static const GActionEntry entries[] = {
    { "quit", quit_action },
    { "new-window", new_window_action },
    { "about", about_action },
    { "attach-pid", attach_pid_action, "i" },
    { "attach-remote", attach_remote_action, "(sisssi)" },
    { "profile-demo", profile_demo_action },
  };
  g_autoptr(GAction) style_action = NULL;

  G_APPLICATION_CLASS (hearth_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  style_action = g_settings_create_action (self->settings, "style-variant");
  g_action_map_add_action (G_ACTION_MAP (self), style_action);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);

  gtk_window_set_default_icon_name (APP_ID);
  load_css ();
  self->style_manager = hearth_style_manager_new (self->settings);
}

static void
hearth_application_activate (GApplication *application)
{
  HearthApplication *self = HEARTH_APPLICATION (application);
  HearthWindow *window = get_empty_window (self);

  gtk_window_present (GTK_WINDOW (window));

  if (self->opt_demo)
    {
      self->opt_demo = FALSE;
      hearth_application_profile_demo (self, window);
    }
  else if (self->opt_remote != NULL && self->opt_pid > 0)
    {
      g_action_group_activate_action (G_ACTION_GROUP (self), "attach-remote",
                                      remote_options_to_variant (self));
      g_clear_pointer (&self->opt_remote, g_free);
      self->opt_pid = 0;
    }
  else if (self->opt_pid > 0)
    {
      attach_pid (self, window, self->opt_pid, NULL);
      self->opt_pid = 0;
    }
}

static void
hearth_application_open (GApplication  *application,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  HearthApplication *self = HEARTH_APPLICATION (application);

  for (int i = 0; i < n_files; i++)
    {
      HearthWindow *window = get_empty_window (self);

      gtk_window_present (GTK_WINDOW (window));
      hearth_window_open_file (window, files[i]);
    }
}

static int
hearth_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  HearthApplication *self = HEARTH_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  g_variant_dict_lookup (options, "pid", "i", &self->opt_pid);
  g_variant_dict_lookup (options, "demo", "b", &self->opt_demo);
  g_variant_dict_lookup (options, "mode", "s", &self->opt_mode);
  g_variant_dict_lookup (options, "rate", "i", &self->opt_rate);
  g_variant_dict_lookup (options, "remote", "s", &self->opt_remote);
  g_variant_dict_lookup (options, "port", "i", &self->opt_port);
  g_variant_dict_lookup (options, "identity", "^ay", &self->opt_identity);
  g_variant_dict_lookup (options, "known-hosts", "^ay", &self->opt_known_hosts);
  g_variant_dict_lookup (options, "collector", "^ay", &self->opt_collector);

  if (self->opt_remote != NULL)
    {
      g_autoptr(HearthSshDestination) dest = NULL;

      if (self->opt_pid <= 0)
        {
          g_printerr (_("hearth: --remote needs --pid PID (the process on that host)\n"));
          return 2;
        }
      if (!(dest = build_destination (self->opt_remote, self->opt_port, self->opt_identity,
                                      self->opt_known_hosts, &error)))
        {
          g_printerr ("hearth: %s\n", error->message);
          return 2;
        }
    }

  if (self->opt_mode != NULL && !g_str_equal (self->opt_mode, "wall") && !g_str_equal (self->opt_mode, "cpu"))
    {
      g_printerr (_("hearth: --mode must be “wall” or “cpu”, not “%s”\n"), self->opt_mode);
      return 2;
    }

  if (self->opt_pid == 0 && !self->opt_demo)
    return -1;

  /* If another instance owns the app id, ask it to attach and exit. */
  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("hearth: %s\n", error->message);
      return 1;
    }
  if (g_application_get_is_remote (application))
    {
      if (self->opt_demo)
        g_action_group_activate_action (G_ACTION_GROUP (application), "profile-demo", NULL);
      else if (self->opt_remote != NULL)
        g_action_group_activate_action (G_ACTION_GROUP (application), "attach-remote",
                                        remote_options_to_variant (self));
      else
        g_action_group_activate_action (G_ACTION_GROUP (application), "attach-pid",
                                        g_variant_new_int32 (self->opt_pid));
      return 0;
    }
  return -1;
}

static void
hearth_application_shutdown (GApplication *application)
{
  HearthApplication *self = HEARTH_APPLICATION (application);

  /* The demo is ours: end it with us. */
  if (self->demo != NULL)
    {
      g_subprocess_send_signal (self->demo, SIGTERM);
      g_clear_object (&self->demo);
    }
  g_clear_object (&self->style_manager);

  G_APPLICATION_CLASS (hearth_application_parent_class)->shutdown (application);
}

static void
hearth_application_finalize (GObject *object)
{
  HearthApplication *self = (HearthApplication *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->demo);
  g_clear_pointer (&self->opt_mode, g_free);
  g_clear_pointer (&self->opt_remote, g_free);
  g_clear_pointer (&self->opt_identity, g_free);
  g_clear_pointer (&self->opt_known_hosts, g_free);
  g_clear_pointer (&self->opt_collector, g_free);

  G_OBJECT_CLASS (hearth_application_parent_class)->finalize (object);
}

static void
hearth_application_class_init (HearthApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = hearth_application_finalize;
  app_class->startup = hearth_application_startup;
  app_class->activate = hearth_application_activate;
  app_class->open = hearth_application_open;
  app_class->handle_local_options = hearth_application_handle_local_options;
  app_class->shutdown = hearth_application_shutdown;
}

static void
hearth_application_init (HearthApplication *self)
{
  hearth_paths_setup_schema_dir ();
  self->settings = g_settings_new (HEARTH_SETTINGS_SCHEMA_ID);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Open .profsession or folded stack files, attach to a process, "
                                              "or run “hearth export …” to export without a display."));
}

HearthApplication *
hearth_application_new (void)
{
  return g_object_new (HEARTH_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/hearthprof/Hearth",
                       NULL);
}

GSettings *
hearth_application_get_settings (HearthApplication *self)
{
  g_return_val_if_fail (HEARTH_IS_APPLICATION (self), NULL);
  return self->settings;
}

HearthWindow *
hearth_application_new_window (HearthApplication *self)
{
  g_return_val_if_fail (HEARTH_IS_APPLICATION (self), NULL);
  return hearth_window_new (GTK_APPLICATION (self));
}

void
hearth_application_open_in_new_window (HearthApplication *self,
                                       GFile             *file)
{
  HearthWindow *window;

  g_return_if_fail (HEARTH_IS_APPLICATION (self));

  window = hearth_application_new_window (self);
  gtk_window_present (GTK_WINDOW (window));
  hearth_window_open_file (window, file);
}

void
hearth_application_add_recent (HearthApplication *self,
                               const char        *path)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;
  guint n = 1;

  g_return_if_fail (HEARTH_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  old = g_settings_get_strv (self->settings, "recent-sessions");
  if (old[0] != NULL && g_str_equal (old[0], path))
    return;

  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT; i++)
    if (!g_str_equal (old[i], path))
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-sessions", (const char * const *) recent);
}

static void
demo_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
demo_exited_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HearthApplication) self = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  if (self->demo == G_SUBPROCESS (object))
    g_clear_object (&self->demo);
}

void
hearth_application_profile_demo (HearthApplication *self,
                                 HearthWindow      *window)
{
  g_autoptr(GError) error = NULL;
  const char *pid_str;

  g_return_if_fail (HEARTH_IS_APPLICATION (self));
  g_return_if_fail (HEARTH_IS_WINDOW (window));

  if (self->demo == NULL)
    {
      g_autofree char *path = hearth_paths_get_demo ();
      const char * const argv[] = { path, NULL };

      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);

      /* Ours to end: also if Hearth is killed before its shutdown runs. */
      g_subprocess_launcher_set_child_setup (launcher, demo_child_setup, NULL, NULL);
      self->demo = g_subprocess_launcher_spawnv (launcher, argv, &error);
      if (self->demo == NULL)
        {
          g_autofree char *text = g_strdup_printf (_("Cannot start the demo workload %s: %s. Build it with meson, or point HEARTH_DEMO at hearth-demo."),
                                                   path, error->message);
          hearth_window_show_message (window, text, TRUE);
          return;
        }
      g_subprocess_wait_async (self->demo, NULL, demo_exited_cb, g_object_ref (self));
    }

  pid_str = g_subprocess_get_identifier (self->demo);
  attach_pid (self, window, atoi (pid_str), "hearth-demo");
}
