/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-collector-host.h"
#include "hearth-paths.h"
#include "hearth-process-info.h"
#include "hearth-remote-error.h"

struct _HearthCollectorHost
{
  GObject parent_instance;

  /* owned */
  char                  *destination;     /* display name; NULL for this computer */
  char                  *collector_path;  /* resolved local path, or the remote one (may be NULL) */
  HearthRemoteCollector *remote;          /* NULL for this computer */
};

enum {
  PROP_0,
  PROP_DESTINATION,
  PROP_COLLECTOR_PATH,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (HearthCollectorHost, hearth_collector_host, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
list_communicate_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GSubprocess *subprocess = G_SUBPROCESS (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  GPtrArray *list;

  if (!g_subprocess_communicate_utf8_finish (subprocess, result, &out, &err, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!g_subprocess_get_if_exited (subprocess) || g_subprocess_get_exit_status (subprocess) != 0)
    {
      g_autofree char *msg = g_strstrip (g_strdup (err ? err : ""));

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Listing processes failed: %s"),
                               *msg ? msg : _("hearth-collector exited with an error"));
      return;
    }

  if (!(list = hearth_process_info_parse_list (out ? out : "", &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

static void
remote_list_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  GPtrArray *list;

  /* Errors come classified (unreachable, auth, host key, missing collector). */
  if (!(json = hearth_remote_collector_list_processes_finish (HEARTH_REMOTE_COLLECTOR (object),
                                                              result, &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!(list = hearth_process_info_parse_list (json, &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

static void
hearth_collector_host_finalize (GObject *object)
{
  HearthCollectorHost *self = (HearthCollectorHost *)object;

  /* The shared ssh connection would otherwise linger for its idle time. */
  if (self->remote != NULL)
    hearth_remote_collector_disconnect (self->remote);
  g_clear_object (&self->remote);

  g_clear_pointer (&self->destination, g_free);
  g_clear_pointer (&self->collector_path, g_free);

  G_OBJECT_CLASS (hearth_collector_host_parent_class)->finalize (object);
}

static void
hearth_collector_host_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HearthCollectorHost *self = HEARTH_COLLECTOR_HOST (object);

  switch (prop_id)
    {
    case PROP_DESTINATION:
      g_value_set_string (value, self->destination);
      break;
    case PROP_COLLECTOR_PATH:
      g_value_set_string (value, self->collector_path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_collector_host_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HearthCollectorHost *self = HEARTH_COLLECTOR_HOST (object);

  switch (prop_id)
    {
    case PROP_DESTINATION:
      self->destination = g_value_dup_string (value);
      break;
    case PROP_COLLECTOR_PATH:
      self->collector_path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_collector_host_class_init (HearthCollectorHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hearth_collector_host_finalize;
  object_class->get_property = hearth_collector_host_get_property;
  object_class->set_property = hearth_collector_host_set_property;

  properties[PROP_DESTINATION] =
    g_param_spec_string ("destination", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLLECTOR_PATH] =
    g_param_spec_string ("collector-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hearth_collector_host_init (HearthCollectorHost *self)
{
}

HearthCollectorHost *
hearth_collector_host_new_local (void)
{
  g_autofree char *path = hearth_paths_get_collector ();

  return g_object_new (HEARTH_TYPE_COLLECTOR_HOST,
                       "collector-path", path,
                       NULL);
}

HearthCollectorHost *
hearth_collector_host_new_remote (const HearthSshDestination *destination,
                                  const char                 *collector_path)
{
  g_autofree char *display = NULL;
  HearthCollectorHost *self;

  g_return_val_if_fail (destination != NULL && destination->destination != NULL, NULL);

  display = hearth_ssh_destination_dup_display_name (destination);
  self = g_object_new (HEARTH_TYPE_COLLECTOR_HOST,
                       "destination", display,
                       "collector-path", collector_path,
                       NULL);
  self->remote = hearth_remote_collector_new_ssh (destination, collector_path);
  return self;
}

HearthRemoteCollector *
hearth_collector_host_get_remote (HearthCollectorHost *self)
{
  g_return_val_if_fail (HEARTH_IS_COLLECTOR_HOST (self), NULL);
  return self->remote;
}

GError *
hearth_collector_host_classify_failure (HearthCollectorHost *self,
                                        int                  exit_status,
                                        const char          *stderr_text)
{
  g_return_val_if_fail (HEARTH_IS_COLLECTOR_HOST (self), NULL);
  g_return_val_if_fail (self->remote != NULL, NULL);

  return hearth_remote_error_classify (self->destination,
                                       hearth_remote_collector_get_collector_path (self->remote),
                                       exit_status, stderr_text, NULL);
}

gboolean
hearth_collector_host_is_local (HearthCollectorHost *self)
{
  g_return_val_if_fail (HEARTH_IS_COLLECTOR_HOST (self), TRUE);
  return self->destination == NULL;
}

const char *
hearth_collector_host_get_destination (HearthCollectorHost *self)
{
  g_return_val_if_fail (HEARTH_IS_COLLECTOR_HOST (self), NULL);
  return self->destination;
}

const char *
hearth_collector_host_get_collector_path (HearthCollectorHost *self)
{
  g_return_val_if_fail (HEARTH_IS_COLLECTOR_HOST (self), NULL);
  return self->collector_path;
}

const char *
hearth_collector_host_get_display_name (HearthCollectorHost *self)
{
  g_return_val_if_fail (HEARTH_IS_COLLECTOR_HOST (self), NULL);
  return self->destination ? self->destination : _("this computer");
}

GStrv
hearth_collector_host_build_argv (HearthCollectorHost *self,
                                  const char * const  *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (HEARTH_IS_COLLECTOR_HOST (self), NULL);

  if (self->destination == NULL)
    {
      g_strv_builder_add (builder, self->collector_path);
      if (args != NULL)
        g_strv_builder_addv (builder, (const char **) args);
      return g_strv_builder_end (builder);
    }

  /* One code path for ssh options, quoting and connection sharing. */
  return hearth_remote_collector_build_argv (self->remote, args);
}

GSubprocess *
hearth_collector_host_spawn (HearthCollectorHost *self,
                             const char * const  *args,
                             GSubprocessFlags     flags,
                             GError             **error)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) local_error = NULL;
  GSubprocess *subprocess;

  g_return_val_if_fail (HEARTH_IS_COLLECTOR_HOST (self), NULL);

  argv = hearth_collector_host_build_argv (self, args);
  g_debug ("Spawning %s", argv[0]);

  if (!(subprocess = g_subprocess_newv ((const char * const *) argv, flags, &local_error)))
    {
      if (self->destination == NULL)
        g_set_error (error, local_error->domain, local_error->code,
                     _("Cannot start the collector %s: %s. Build it with meson, "
                       "or point HEARTH_COLLECTOR at hearth-collector."),
                     argv[0], local_error->message);
      else
        g_set_error (error, local_error->domain, local_error->code,
                     _("Cannot start ssh to reach %s: %s. Install the OpenSSH client."),
                     self->destination, local_error->message);
      return NULL;
    }

  return subprocess;
}

void
hearth_collector_host_list_processes_async (HearthCollectorHost *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  static const char * const args[] = { "ps", "--json", NULL };
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocess) subprocess = NULL;
  GError *error = NULL;

  g_return_if_fail (HEARTH_IS_COLLECTOR_HOST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hearth_collector_host_list_processes_async);

  if (self->remote != NULL)
    {
      hearth_remote_collector_list_processes_async (self->remote, cancellable, remote_list_cb,
                                                    g_steal_pointer (&task));
      return;
    }

  subprocess = hearth_collector_host_spawn (self, args,
                                            G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                            G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                            &error);
  if (subprocess == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_subprocess_communicate_utf8_async (subprocess, NULL, cancellable,
                                       list_communicate_cb,
                                       g_steal_pointer (&task));
}

GPtrArray *
hearth_collector_host_list_processes_finish (HearthCollectorHost  *self,
                                             GAsyncResult         *result,
                                             GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
