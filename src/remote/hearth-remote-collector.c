/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>

#include "hearth-remote-collector.h"
#include "hearth-remote-error.h"
#include "hearth-remote-private.h"

struct _HearthRemoteCollector
{
  GObject parent_instance;

  /* owned */
  HearthSshDestination *destination;    /* NULL for this computer */
  char                 *collector_path; /* never NULL */
  char                 *host;           /* display name, NULL for this computer */
};

G_DEFINE_FINAL_TYPE (HearthRemoteCollector, hearth_remote_collector, G_TYPE_OBJECT)

static char *
get_self_exe (void)
{
  return g_file_read_link ("/proc/self/exe", NULL);
}

static gboolean
is_uninstalled (void)
{
  g_autofree char *exe = get_self_exe ();
  g_autofree char *root = g_canonicalize_filename (BUILD_ROOT, NULL);
  g_autofree char *prefix = g_strconcat (root, G_DIR_SEPARATOR_S, NULL);

  return exe != NULL && g_str_has_prefix (exe, prefix);
}

/* Runs in the child between fork and exec: only async-signal-safe calls. */
static void
own_process_group (gpointer user_data)
{
  setpgid (0, 0);
}

/* Whether ssh may prompt on the terminal (then it must stay in the
 * terminal's foreground process group). */
static gboolean
may_prompt (HearthRemoteCollector *self)
{
  return self->destination != NULL && !self->destination->batch_mode;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  char *json = hearth_remote_collector_list_processes (source_object, cancellable, &error);

  if (json == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, json, g_free);
}

static void
hearth_remote_collector_finalize (GObject *object)
{
  HearthRemoteCollector *self = (HearthRemoteCollector *)object;

  g_clear_pointer (&self->destination, hearth_ssh_destination_free);
  g_clear_pointer (&self->collector_path, g_free);
  g_clear_pointer (&self->host, g_free);

  G_OBJECT_CLASS (hearth_remote_collector_parent_class)->finalize (object);
}

static void
hearth_remote_collector_class_init (HearthRemoteCollectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hearth_remote_collector_finalize;
}

static void
hearth_remote_collector_init (HearthRemoteCollector *self)
{
}

HearthRemoteCollector *
hearth_remote_collector_new_local (const char *collector_path)
{
  HearthRemoteCollector *self = g_object_new (HEARTH_TYPE_REMOTE_COLLECTOR, NULL);

  self->collector_path = collector_path != NULL ? g_strdup (collector_path)
                                                : hearth_remote_find_local_collector ();
  return self;
}

HearthRemoteCollector *
hearth_remote_collector_new_ssh (const HearthSshDestination *destination,
                                 const char                 *collector_path)
{
  HearthRemoteCollector *self;

  g_return_val_if_fail (destination != NULL, NULL);

  self = g_object_new (HEARTH_TYPE_REMOTE_COLLECTOR, NULL);
  self->destination = hearth_ssh_destination_copy (destination);
  self->collector_path = g_strdup (collector_path != NULL && *collector_path
                                   ? collector_path : "hearth-collector");
  self->host = hearth_ssh_destination_dup_display_name (destination);
  return self;
}

gboolean
hearth_remote_collector_is_local (HearthRemoteCollector *self)
{
  g_return_val_if_fail (HEARTH_IS_REMOTE_COLLECTOR (self), TRUE);
  return self->destination == NULL;
}

const HearthSshDestination *
hearth_remote_collector_get_destination (HearthRemoteCollector *self)
{
  g_return_val_if_fail (HEARTH_IS_REMOTE_COLLECTOR (self), NULL);
  return self->destination;
}

const char *
hearth_remote_collector_get_collector_path (HearthRemoteCollector *self)
{
  g_return_val_if_fail (HEARTH_IS_REMOTE_COLLECTOR (self), NULL);
  return self->collector_path;
}

const char *
hearth_remote_collector_get_host (HearthRemoteCollector *self)
{
  g_return_val_if_fail (HEARTH_IS_REMOTE_COLLECTOR (self), NULL);
  return self->host;
}

GStrv
hearth_remote_collector_build_argv (HearthRemoteCollector *self,
                                    const char * const    *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) command = NULL;

  g_return_val_if_fail (HEARTH_IS_REMOTE_COLLECTOR (self), NULL);

  g_strv_builder_add (builder, self->collector_path);
  if (args != NULL)
    g_strv_builder_addv (builder, (const char **) args);
  command = g_strv_builder_end (builder);

  if (self->destination == NULL)
    return g_steal_pointer (&command);
  return hearth_ssh_destination_build_argv (self->destination, (const char * const *) command);
}

static GSubprocess *
spawn_with_flags (HearthRemoteCollector  *self,
                  const char * const     *args,
                  GSubprocessFlags        flags,
                  GError                **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) argv = NULL;
  GSubprocess *subprocess;

  if (self->destination != NULL && !hearth_ssh_destination_validate (self->destination, error))
    return NULL;

  argv = hearth_remote_collector_build_argv (self, args);
  launcher = g_subprocess_launcher_new (flags);
  if (!may_prompt (self))
    g_subprocess_launcher_set_child_setup (launcher, own_process_group, NULL, NULL);

  subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &local_error);
  if (subprocess != NULL)
    return subprocess;

  if (self->destination != NULL)
    g_set_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_SSH_MISSING,
                 _("Cannot start ssh to reach %s: %s. Install the OpenSSH client."),
                 self->host, local_error->message);
  else
    g_set_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_COLLECTOR_MISSING,
                 _("Cannot start the collector %s: %s. Build it with meson, install the "
                   "hearth-collector package, or point HEARTH_COLLECTOR at hearth-collector."),
                 self->collector_path, local_error->message);
  return NULL;
}

GSubprocess *
hearth_remote_collector_spawn (HearthRemoteCollector  *self,
                               const char * const     *args,
                               GError                **error)
{
  g_return_val_if_fail (HEARTH_IS_REMOTE_COLLECTOR (self), NULL);

  return spawn_with_flags (self, args,
                           G_SUBPROCESS_FLAGS_STDIN_PIPE |
                           G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           error);
}

char *
hearth_remote_collector_run (HearthRemoteCollector  *self,
                             const char * const     *args,
                             GCancellable           *cancellable,
                             GError                **error)
{
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autofree char *err_text = NULL;
  int status;

  g_return_val_if_fail (HEARTH_IS_REMOTE_COLLECTOR (self), NULL);

  /* stdin is /dev/null (GSubprocess's default): `ps` reads nothing, and
   * ssh must not read the terminal. */
  subprocess = spawn_with_flags (self, args,
                                 G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                 error);
  if (subprocess == NULL)
    return NULL;
  if (!g_subprocess_communicate (subprocess, NULL, cancellable, &out, &err, error))
    {
      g_subprocess_force_exit (subprocess);
      return NULL;
    }

  status = g_subprocess_get_if_exited (subprocess) ? g_subprocess_get_exit_status (subprocess) : -1;
  if (status == 0)
    return _hearth_bytes_dup_utf8 (out);

  err_text = _hearth_bytes_dup_utf8 (err);
  g_propagate_error (error, hearth_remote_error_classify (self->host, self->collector_path,
                                                          status, err_text, NULL));
  return NULL;
}

char *
hearth_remote_collector_list_processes (HearthRemoteCollector  *self,
                                        GCancellable           *cancellable,
                                        GError                **error)
{
  static const char * const args[] = { "ps", "--json", NULL };

  return hearth_remote_collector_run (self, args, cancellable, error);
}

void
hearth_remote_collector_list_processes_async (HearthRemoteCollector *self,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HEARTH_IS_REMOTE_COLLECTOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hearth_remote_collector_list_processes_async);
  g_task_run_in_thread (task, list_thread);
}

char *
hearth_remote_collector_list_processes_finish (HearthRemoteCollector  *self,
                                               GAsyncResult           *result,
                                               GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hearth_remote_collector_disconnect (HearthRemoteCollector *self)
{
  g_return_if_fail (HEARTH_IS_REMOTE_COLLECTOR (self));

  if (self->destination != NULL)
    hearth_ssh_destination_close_master (self->destination);
}

char *
hearth_remote_find_local_collector (void)
{
  const char *env = g_getenv ("HEARTH_COLLECTOR");
  g_autofree char *exe = NULL;

  if (env != NULL && *env != 0)
    return g_strdup (env);

  if (is_uninstalled ())
    return g_build_filename (BUILD_ROOT, "src", "collector", "hearth-collector", NULL);

  /* Installed: next to the program we run, so a relocated prefix works. */
  if ((exe = get_self_exe ()) != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      g_autofree char *path = g_build_filename (dir, "hearth-collector", NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&path);
    }

  return g_build_filename (BINDIR, "hearth-collector", NULL);
}
