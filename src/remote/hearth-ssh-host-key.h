/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-ssh-destination.h"

G_BEGIN_DECLS

/*
 * Host key confirmation for remote attach. Hearth always runs ssh with
 * StrictHostKeyChecking=yes, so ssh itself never accepts a key. Before the
 * first connection to a host the GUI probes its key, shows the fingerprint
 * and, if the person confirms it, accepts exactly that key into their
 * known_hosts. A changed (or revoked) key is never accepted.
 *
 *   probe = hearth_ssh_probe_host_key (dest, NULL, &error);
 *   switch (probe->status)
 *     KNOWN:   connect
 *     UNKNOWN: show probe->key.fingerprint (and probe->other_known_types);
 *              on "Trust": hearth_ssh_accept_host_key (probe, &error), connect
 *     CHANGED: show the HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED message; stop
 */
typedef enum
{
  HEARTH_SSH_HOST_KEY_UNKNOWN,   /* no key of this type is known for the host */
  HEARTH_SSH_HOST_KEY_KNOWN,     /* an offered key is in known_hosts */
  HEARTH_SSH_HOST_KEY_CHANGED,   /* a different key of the same type is known, or it is revoked */
} HearthSshHostKeyStatus;

typedef struct
{
  char *type;          /* "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", … */
  char *blob_base64;   /* the public key as in known_hosts */
  char *fingerprint;   /* "SHA256:…" as `ssh-keygen -l` prints it */
} HearthSshHostKey;

typedef struct
{
  HearthSshHostKeyStatus  status;
  char                   *host_name;         /* as looked up in known_hosts: "host" or "[host]:port" */
  HearthSshHostKey        key;               /* the key to show and accept (ed25519 first) */
  GPtrArray              *offered;           /* every HearthSshHostKey the host offered */
  char                   *other_known_types; /* e.g. "ssh-rsa" known for the host but not offered; or NULL */
  char                   *known_hosts_file;  /* where accept writes (first UserKnownHostsFile) */
  gboolean                hash_known_hosts;  /* ssh_config HashKnownHosts */
} HearthSshHostKeyProbe;

#define HEARTH_TYPE_SSH_HOST_KEY_PROBE (hearth_ssh_host_key_probe_get_type ())
GType                  hearth_ssh_host_key_probe_get_type (void) G_GNUC_CONST;
HearthSshHostKeyProbe *hearth_ssh_host_key_probe_copy     (const HearthSshHostKeyProbe *self);
void                   hearth_ssh_host_key_probe_free     (HearthSshHostKeyProbe       *self);
const char            *hearth_ssh_host_key_status_to_string (HearthSshHostKeyStatus     status);

/*
 * Resolve the destination with `ssh -G` (so ssh_config's HostName, Port,
 * HostKeyAlias and known_hosts files apply), fetch the host's keys with
 * `ssh-keyscan` and look them up with `ssh-keygen -F`. Blocking (a few
 * seconds at most: the connect timeout). Returns NULL with
 * HEARTH_REMOTE_ERROR_UNREACHABLE if the host offers no key, or
 * HEARTH_REMOTE_ERROR_FAILED if the destination goes through a jump
 * host (ssh-keyscan cannot follow it).
 */
HearthSshHostKeyProbe *hearth_ssh_probe_host_key          (const HearthSshDestination  *destination,
                                                           GCancellable                *cancellable,
                                                           GError                     **error);
void                   hearth_ssh_probe_host_key_async    (const HearthSshDestination  *destination,
                                                           GCancellable                *cancellable,
                                                           GAsyncReadyCallback          callback,
                                                           gpointer                     user_data);
HearthSshHostKeyProbe *hearth_ssh_probe_host_key_finish   (GAsyncResult                *result,
                                                           GError                     **error);

/*
 * Add probe->key to probe->known_hosts_file (hashed if HashKnownHosts is
 * set), after the person confirmed its fingerprint. TRUE without writing
 * if the key is already known. Refuses a CHANGED probe with
 * HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED: Hearth never replaces a key.
 */
gboolean               hearth_ssh_accept_host_key         (const HearthSshHostKeyProbe *probe,
                                                           GError                     **error);

/* "SHA256:…" of a base64 public key blob, or NULL if it is not base64. */
char                  *hearth_ssh_fingerprint             (const char                  *blob_base64);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthSshHostKeyProbe, hearth_ssh_host_key_probe_free)

G_END_DECLS
