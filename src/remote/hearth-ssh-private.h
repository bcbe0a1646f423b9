/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-ssh-destination.h"

G_BEGIN_DECLS

/* OpenSSH's own tools and files, as hearth-ssh-host-key.c uses them. */

/* What `ssh -G` tells about a destination. */
typedef struct
{
  char     *hostname;
  guint     port;
  char     *host_key_alias;
  GStrv     user_files;     /* UserKnownHostsFile, ~ expanded */
  GStrv     global_files;   /* GlobalKnownHostsFile */
  gboolean  hash;           /* HashKnownHosts */
  gboolean  proxied;        /* ProxyJump or ProxyCommand */
} HearthSshConfig;

void       _hearth_ssh_config_clear      (HearthSshConfig             *config);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HearthSshConfig, _hearth_ssh_config_clear)

/* Run a helper (ssh, ssh-keyscan, ssh-keygen) to completion with stdin
 * /dev/null; stdout and stderr as UTF-8 text. FALSE only if it could not
 * be started (HEARTH_REMOTE_ERROR_SSH_MISSING) or was cancelled. */
gboolean   _hearth_ssh_run_helper        (const char * const          *argv,
                                          GCancellable                *cancellable,
                                          char                       **out,
                                          char                       **err,
                                          int                         *exit_status,
                                          GError                     **error);

/* `ssh -G` for the destination. */
gboolean   _hearth_ssh_resolve_config    (const HearthSshDestination  *destination,
                                          HearthSshConfig             *config,
                                          GCancellable                *cancellable,
                                          GError                     **error);

/* The name ssh looks up in known_hosts: the alias, "host" or "[host]:port". */
char      *_hearth_ssh_known_hosts_name  (const HearthSshConfig       *config);

/* One known_hosts line that matched a host. */
typedef struct
{
  gboolean  revoked;
  char     *type;
  char     *blob;
} HearthKnownHostsEntry;

/* Entries of every known_hosts file of config matching name, hashed or
 * not (`ssh-keygen -F`), as a GPtrArray of HearthKnownHostsEntry.
 * @cert-authority lines are left out. */
GPtrArray *_hearth_ssh_known_hosts_lookup (const HearthSshConfig      *config,
                                           const char                 *name,
                                           GCancellable               *cancellable,
                                           GError                    **error);

/* Append "NAME TYPE BLOB" to path (NAME hashed if hash), creating the
 * file 0600 and its directory 0700 if needed. */
gboolean   _hearth_ssh_known_hosts_append (const char                 *path,
                                           const char                 *name,
                                           gboolean                    hash,
                                           const char                 *type,
                                           const char                 *blob,
                                           GError                    **error);

G_END_DECLS
