/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hearth-remote-error.h"
#include "hearth-remote-private.h"
#include "hearth-ssh-destination.h"

#define DEFAULT_CONNECT_TIMEOUT 10

/* sun_path holds 108 bytes; ssh appends a 17-byte random suffix while it
 * creates the socket and %C expands to 40 hex digits. */
#define MAX_CONTROL_PATH 107
#define CONTROL_NAME     "hearth-ssh-%C"
#define CONTROL_OVERHEAD (sizeof "/hearth-ssh-" - 1 + 40 + 17)

G_DEFINE_BOXED_TYPE (HearthSshDestination, hearth_ssh_destination,
                     hearth_ssh_destination_copy, hearth_ssh_destination_free)

/* ssh_config expands %-tokens in ControlPath: a literal % is %%. */
static char *
escape_percent (const char *path)
{
  GString *str = g_string_new (NULL);

  for (const char *p = path; *p; p++)
    {
      if (*p == '%')
        g_string_append_c (str, '%');
      g_string_append_c (str, *p);
    }
  return g_string_free (str, FALSE);
}

/* A directory only we can write to, so nobody can plant a socket that
 * impersonates our connection-sharing master. */
static gboolean
is_private_dir (const char *path)
{
  struct stat st;

  if (lstat (path, &st) != 0)
    return FALSE;
  return S_ISDIR (st.st_mode) && st.st_uid == getuid () && (st.st_mode & 0077) == 0;
}

static char *
dup_control_path (const HearthSshDestination *self)
{
  g_autofree char *dir = self->control_dir != NULL ? g_strdup (self->control_dir)
                                                   : hearth_ssh_get_default_control_dir ();
  g_autofree char *escaped = NULL;

  if (dir == NULL || strlen (dir) + CONTROL_OVERHEAD > MAX_CONTROL_PATH)
    return NULL;

  escaped = escape_percent (dir);
  return g_build_filename (escaped, CONTROL_NAME, NULL);
}

/* Options shared by every ssh we start for this destination, up to (not
 * including) the "--" before the destination. */
static void
add_options (GStrvBuilder               *builder,
             const HearthSshDestination *self)
{
  g_autofree char *control_path = dup_control_path (self);
  guint timeout = self->connect_timeout ? self->connect_timeout : DEFAULT_CONNECT_TIMEOUT;

  /* No tty (the stream is binary), no X11 or agent forwarding, and none of
   * the user's configured port forwardings: nothing listens anywhere. */
  g_strv_builder_add_many (builder, "ssh", "-T", "-x", "-a",
                           "-o", "ClearAllForwardings=yes",
                           "-o", "StrictHostKeyChecking=yes",
                           "-o", "ServerAliveInterval=5",
                           "-o", "ServerAliveCountMax=2",
                           NULL);
  g_strv_builder_add (builder, "-o");
  _hearth_strv_builder_take (builder, g_strdup_printf ("ConnectTimeout=%u", timeout));

  if (self->batch_mode)
    g_strv_builder_add_many (builder, "-o", "BatchMode=yes", NULL);

  /* Listing processes and streaming share one authenticated connection. */
  if (control_path != NULL)
    {
      g_strv_builder_add_many (builder, "-o", "ControlMaster=auto",
                               "-o", "ControlPersist=60", "-o", NULL);
      _hearth_strv_builder_take (builder, g_strconcat ("ControlPath=", control_path, NULL));
    }

  if (self->port != 0)
    {
      g_strv_builder_add (builder, "-p");
      _hearth_strv_builder_take (builder, g_strdup_printf ("%u", self->port));
    }

  if (self->identity_file != NULL && *self->identity_file)
    g_strv_builder_add_many (builder, "-i", self->identity_file,
                             "-o", "IdentitiesOnly=yes", NULL);

  if (self->known_hosts_file != NULL)
    {
      g_strv_builder_add (builder, "-o");
      _hearth_strv_builder_take (builder, g_strconcat ("UserKnownHostsFile=", self->known_hosts_file, NULL));
    }
  if (self->global_known_hosts_file != NULL)
    {
      g_strv_builder_add (builder, "-o");
      _hearth_strv_builder_take (builder, g_strconcat ("GlobalKnownHostsFile=",
                                                 self->global_known_hosts_file, NULL));
    }
}

/* The remote side gets one shell command line. */
static char *
quote_remote_arg (const char *arg,
                  gboolean    is_command)
{
  if (is_command && g_str_has_prefix (arg, "~/") && arg[2] != 0)
    {
      g_autofree char *rest = g_shell_quote (arg + 2);
      return g_strconcat ("~/", rest, NULL);
    }
  return g_shell_quote (arg);
}

HearthSshDestination *
hearth_ssh_destination_new (const char *destination)
{
  HearthSshDestination *self = g_new0 (HearthSshDestination, 1);

  self->destination = g_strdup (destination);
  return self;
}

HearthSshDestination *
hearth_ssh_destination_copy (const HearthSshDestination *self)
{
  HearthSshDestination *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->destination = g_strdup (self->destination);
  copy->identity_file = g_strdup (self->identity_file);
  copy->control_dir = g_strdup (self->control_dir);
  copy->known_hosts_file = g_strdup (self->known_hosts_file);
  copy->global_known_hosts_file = g_strdup (self->global_known_hosts_file);
  return copy;
}

void
hearth_ssh_destination_free (HearthSshDestination *self)
{
  if (self == NULL)
    return;

  g_free (self->destination);
  g_free (self->identity_file);
  g_free (self->control_dir);
  g_free (self->known_hosts_file);
  g_free (self->global_known_hosts_file);
  g_free (self);
}

gboolean
hearth_ssh_destination_validate (const HearthSshDestination *self,
                                 GError                    **error)
{
  const char *d;

  g_return_val_if_fail (self != NULL, FALSE);

  d = self->destination;
  if (d == NULL || *d == 0)
    {
      g_set_error_literal (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_INVALID,
                           _("No SSH destination given. Enter user@host or a host name from "
                             "~/.ssh/config."));
      return FALSE;
    }

  if (*d == '-' || strlen (d) > 1024 || !g_utf8_validate (d, -1, NULL))
    {
      g_set_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_INVALID,
                   _("“%s” is not an SSH destination. Enter user@host or a host name from "
                     "~/.ssh/config."), g_utf8_validate (d, -1, NULL) ? d : "?");
      return FALSE;
    }

  for (const char *p = d; *p; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      {
        g_set_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_INVALID,
                     _("The SSH destination “%s” contains a space or a control character. "
                       "Enter user@host or a host name from ~/.ssh/config."), d);
        return FALSE;
      }

  return TRUE;
}

char *
hearth_ssh_destination_dup_display_name (const HearthSshDestination *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->port != 0 && self->port != 22)
    return g_strdup_printf (_("%s port %u"), self->destination, self->port);
  return g_strdup (self->destination);
}

char *
hearth_ssh_destination_dup_host (const HearthSshDestination *self)
{
  const char *at;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->destination == NULL)
    return NULL;
  at = strrchr (self->destination, '@');
  return g_strdup (at != NULL ? at + 1 : self->destination);
}

GStrv
hearth_ssh_destination_build_argv (const HearthSshDestination *self,
                                   const char * const         *remote_argv)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->destination != NULL, NULL);
  g_return_val_if_fail (remote_argv != NULL && remote_argv[0] != NULL, NULL);

  add_options (builder, self);
  g_strv_builder_add_many (builder, "--", self->destination, NULL);
  for (guint i = 0; remote_argv[i] != NULL; i++)
    _hearth_strv_builder_take (builder, quote_remote_arg (remote_argv[i], i == 0));

  return g_strv_builder_end (builder);
}

gboolean
hearth_ssh_destination_close_master (const HearthSshDestination *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GSubprocess) subprocess = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *control_path = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!(control_path = dup_control_path (self)))
    return FALSE;

  add_options (builder, self);
  g_strv_builder_add_many (builder, "-O", "exit", "--", self->destination, NULL);
  argv = g_strv_builder_end (builder);

  subprocess = g_subprocess_newv ((const char * const *) argv,
                                  G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                  G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);
  if (subprocess == NULL || !g_subprocess_wait (subprocess, NULL, NULL))
    return FALSE;
  return g_subprocess_get_if_exited (subprocess) && g_subprocess_get_exit_status (subprocess) == 0;
}

char *
hearth_ssh_get_default_control_dir (void)
{
  const char *env = g_getenv ("HEARTH_SSH_CONTROL_DIR");
  g_autofree char *fallback = NULL;

  if (env != NULL && *env != 0)
    return g_strdup (env);

  env = g_getenv ("XDG_RUNTIME_DIR");
  if (env != NULL && *env == '/' && is_private_dir (env))
    return g_strdup (env);

  fallback = g_strdup_printf ("%s/hearth-ssh-%u", g_get_tmp_dir (), (guint) getuid ());
  if (g_mkdir (fallback, 0700) != 0 && errno != EEXIST)
    return NULL;
  if (!is_private_dir (fallback))
    {
      g_debug ("Not sharing SSH connections: %s is not a private directory", fallback);
      return NULL;
    }
  return g_steal_pointer (&fallback);
}
