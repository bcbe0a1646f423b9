/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hearth-remote-error.h"
#include "hearth-remote-private.h"
#include "hearth-ssh-private.h"

/*
 * ssh's configuration and known_hosts files, read through OpenSSH's own
 * tools (`ssh -G`, `ssh-keygen -F`) so hashed names, patterns, Include
 * and Match blocks mean what they mean to ssh. Only appending a confirmed
 * key writes a file.
 */

void
_hearth_ssh_config_clear (HearthSshConfig *rc)
{
  g_clear_pointer (&rc->hostname, g_free);
  g_clear_pointer (&rc->host_key_alias, g_free);
  g_clear_pointer (&rc->user_files, g_strfreev);
  g_clear_pointer (&rc->global_files, g_strfreev);
}

static void
known_entry_free (gpointer data)
{
  HearthKnownHostsEntry *entry = data;

  g_free (entry->type);
  g_free (entry->blob);
  g_free (entry);
}


/* Run a helper to completion; stdout in *out. FALSE only if it could not
 * be started (exit codes are the caller's business). */
gboolean
_hearth_ssh_run_helper (const char * const  *argv,
                        GCancellable        *cancellable,
                        char               **out,
                        char               **err,
                        int                 *exit_status,
                        GError             **error)
{
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GBytes) err_bytes = NULL;

  /* stdin stays /dev/null (GSubprocess's default). */
  subprocess = g_subprocess_newv (argv,
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                  &local_error);
  if (subprocess == NULL)
    {
      g_set_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_SSH_MISSING,
                   _("Cannot run %s: %s. Install the OpenSSH client."),
                   argv[0], local_error->message);
      return FALSE;
    }

  /* The bytes variant: communicate_utf8() of GLib 2.74 leaks on empty output. */
  if (!g_subprocess_communicate (subprocess, NULL, cancellable, &out_bytes, &err_bytes, error))
    return FALSE;

  *out = _hearth_bytes_dup_utf8 (out_bytes);
  *err = _hearth_bytes_dup_utf8 (err_bytes);
  *exit_status = g_subprocess_get_if_exited (subprocess) ? g_subprocess_get_exit_status (subprocess) : -1;
  return TRUE;
}

static char *
expand_home (const char *path)
{
  if (g_str_has_prefix (path, "~/"))
    return g_build_filename (g_get_home_dir (), path + 2, NULL);
  return g_strdup (path);
}

static GStrv
split_files (const char *value)
{
  g_auto(GStrv) parts = g_strsplit_set (value, " \t", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] && g_strcmp0 (parts[i], "none") != 0)
      _hearth_strv_builder_take (builder, expand_home (parts[i]));
  return g_strv_builder_end (builder);
}

gboolean
_hearth_ssh_resolve_config (const HearthSshDestination  *destination,
                HearthSshConfig              *rc,
                GCancellable                *cancellable,
                GError                     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_strv_builder_add_many (builder, "ssh", "-G", NULL);
  if (destination->port != 0)
    {
      g_strv_builder_add (builder, "-p");
      _hearth_strv_builder_take (builder, g_strdup_printf ("%u", destination->port));
    }
  if (destination->known_hosts_file != NULL)
    {
      g_strv_builder_add (builder, "-o");
      _hearth_strv_builder_take (builder, g_strconcat ("UserKnownHostsFile=", destination->known_hosts_file, NULL));
    }
  if (destination->global_known_hosts_file != NULL)
    {
      g_strv_builder_add (builder, "-o");
      _hearth_strv_builder_take (builder, g_strconcat ("GlobalKnownHostsFile=",
                                                 destination->global_known_hosts_file, NULL));
    }
  g_strv_builder_add_many (builder, "--", destination->destination, NULL);
  argv = g_strv_builder_end (builder);

  if (!_hearth_ssh_run_helper ((const char * const *) argv, cancellable, &out, &err, &status, error))
    return FALSE;
  if (status != 0)
    {
      g_autofree char *reason = hearth_remote_error_dup_ssh_reason (err);

      g_set_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_INVALID,
                   _("ssh cannot use the destination %s: %s."),
                   destination->destination, reason ? reason : _("invalid configuration"));
      return FALSE;
    }

  rc->port = 22;
  lines = g_strsplit (out ? out : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      char *value = strchr (line, ' ');

      if (value == NULL)
        continue;
      *value++ = 0;

      if (strcmp (line, "hostname") == 0)
        {
          g_free (rc->hostname);
          rc->hostname = g_strdup (value);
        }
      else if (strcmp (line, "port") == 0)
        rc->port = (guint) g_ascii_strtoull (value, NULL, 10);
      else if (strcmp (line, "hostkeyalias") == 0)
        {
          g_free (rc->host_key_alias);
          rc->host_key_alias = g_strdup (value);
        }
      else if (strcmp (line, "userknownhostsfile") == 0)
        rc->user_files = split_files (value);
      else if (strcmp (line, "globalknownhostsfile") == 0)
        rc->global_files = split_files (value);
      else if (strcmp (line, "hashknownhosts") == 0)
        rc->hash = g_ascii_strcasecmp (value, "yes") == 0;
      else if (strcmp (line, "proxyjump") == 0 || strcmp (line, "proxycommand") == 0)
        rc->proxied |= g_ascii_strcasecmp (value, "none") != 0;
    }

  if (rc->hostname == NULL || *rc->hostname == 0 || *rc->hostname == '-' ||
      rc->port == 0 || rc->port > 65535)
    {
      g_set_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_INVALID,
                   _("ssh gives no usable host name for the destination %s."),
                   destination->destination);
      return FALSE;
    }
  return TRUE;
}

/* The name ssh looks up in known_hosts. */
char *
_hearth_ssh_known_hosts_name (const HearthSshConfig *rc)
{
  const char *name = rc->host_key_alias ? rc->host_key_alias : rc->hostname;

  if (rc->host_key_alias == NULL && rc->port != 22)
    return g_strdup_printf ("[%s]:%u", name, rc->port);
  return g_strdup (name);
}

/* Entries of every known_hosts file that match name (hashed or not). */
GPtrArray *
_hearth_ssh_known_hosts_lookup (const HearthSshConfig *rc,
              const char           *name,
              GCancellable         *cancellable,
              GError              **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (known_entry_free);
  GStrv lists[] = { rc->user_files, rc->global_files };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && lists[l][i] != NULL; i++)
      {
        const char *argv[] = { "ssh-keygen", "-F", name, "-f", lists[l][i], NULL };
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;
        g_auto(GStrv) lines = NULL;
        int status;

        if (!g_file_test (lists[l][i], G_FILE_TEST_IS_REGULAR))
          continue;
        if (!_hearth_ssh_run_helper (argv, cancellable, &out, &err, &status, error))
          return NULL;

        lines = g_strsplit (out ? out : "", "\n", -1);
        for (guint j = 0; lines[j] != NULL; j++)
          {
            g_auto(GStrv) f = g_strsplit_set (g_strstrip (lines[j]), " \t", 5);
            guint n = g_strv_length (f);
            guint k = 0;
            HearthKnownHostsEntry *entry;

            if (n == 0 || f[0][0] == '#' || f[0][0] == 0)
              continue;
            if (f[0][0] == '@')
              {
                /* @cert-authority lines vouch for certificates, not keys. */
                if (g_strcmp0 (f[0], "@revoked") != 0)
                  continue;
                k = 1;
              }
            if (n < k + 3)
              continue;

            entry = g_new0 (HearthKnownHostsEntry, 1);
            entry->revoked = k == 1;
            entry->type = g_strdup (f[k + 1]);
            entry->blob = g_strdup (f[k + 2]);
            g_ptr_array_add (entries, entry);
          }
      }

  return g_steal_pointer (&entries);
}

/* known_hosts' hashed host field: |1|base64(salt)|base64(HMAC-SHA1(salt, name)). */
static char *
hash_host_name (const char *name)
{
  guint8 salt[20];
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  g_autofree char *salt64 = NULL;
  g_autofree char *digest64 = NULL;
  g_autoptr(GHmac) hmac = NULL;

  for (guint i = 0; i < sizeof salt; i += 4)
    {
      guint32 r = g_random_int ();
      memcpy (salt + i, &r, 4);
    }

  hmac = g_hmac_new (G_CHECKSUM_SHA1, salt, sizeof salt);
  g_hmac_update (hmac, (const guchar *) name, -1);
  g_hmac_get_digest (hmac, digest, &digest_len);

  salt64 = g_base64_encode (salt, sizeof salt);
  digest64 = g_base64_encode (digest, digest_len);
  return g_strdup_printf ("|1|%s|%s", salt64, digest64);
}

static gboolean
append_line (const char  *path,
             const char  *line,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GString) text = g_string_new (NULL);
  int fd;
  char last = '\n';
  off_t size;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    goto fail;
  if ((fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) < 0)
    goto fail;

  /* Never glue our line to an unterminated last line. */
  size = lseek (fd, 0, SEEK_END);
  if (size > 0)
    {
      int rfd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

      if (rfd >= 0)
        {
          if (pread (rfd, &last, 1, size - 1) != 1)
            last = '\n';
          close (rfd);
        }
    }
  if (last != '\n')
    g_string_append_c (text, '\n');
  g_string_append_printf (text, "%s\n", line);

  if (write (fd, text->str, text->len) != (gssize) text->len)
    {
      int saved = errno;
      close (fd);
      errno = saved;
      goto fail;
    }
  if (close (fd) != 0)
    goto fail;
  return TRUE;

fail:
  {
    int saved = errno;

    g_set_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_FAILED,
                 _("Cannot add the host key to %s: %s. Check that you can write it."),
                 path, g_strerror (saved));
    return FALSE;
  }
}

gboolean
_hearth_ssh_known_hosts_append (const char  *path,
                                const char  *name,
                                gboolean     hash,
                                const char  *type,
                                const char  *blob,
                                GError     **error)
{
  g_autofree char *host_field = hash ? hash_host_name (name) : g_strdup (name);
  g_autofree char *line = g_strdup_printf ("%s %s %s", host_field, type, blob);

  return append_line (path, line, error);
}
