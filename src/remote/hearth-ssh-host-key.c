/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hearth-remote-error.h"
#include "hearth-remote-private.h"
#include "hearth-ssh-host-key.h"
#include "hearth-ssh-private.h"

#define KEYSCAN_TIMEOUT_S 10

/* Shown first: what current OpenSSH negotiates first. */
static const char * const preferred_types[] = {
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "ssh-rsa",
};

G_DEFINE_BOXED_TYPE (HearthSshHostKeyProbe, hearth_ssh_host_key_probe,
                     hearth_ssh_host_key_probe_copy, hearth_ssh_host_key_probe_free)

static void
host_key_clear (HearthSshHostKey *key)
{
  g_clear_pointer (&key->type, g_free);
  g_clear_pointer (&key->blob_base64, g_free);
  g_clear_pointer (&key->fingerprint, g_free);
}

static HearthSshHostKey *
host_key_dup (const HearthSshHostKey *key)
{
  HearthSshHostKey *copy = g_new0 (HearthSshHostKey, 1);

  copy->type = g_strdup (key->type);
  copy->blob_base64 = g_strdup (key->blob_base64);
  copy->fingerprint = g_strdup (key->fingerprint);
  return copy;
}

static void
host_key_free (gpointer data)
{
  host_key_clear (data);
  g_free (data);
}

static guint
type_rank (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (preferred_types); i++)
    if (g_strcmp0 (type, preferred_types[i]) == 0)
      return i;
  return G_N_ELEMENTS (preferred_types);
}

/* An SSH public key blob starts with its type as a length-prefixed
 * string (RFC 4253 §6.6); it must be the type the line names. */
static gboolean
blob_has_type (const char *blob_base64,
               const char *type)
{
  g_autofree guchar *blob = NULL;
  gsize len = 0;
  guint32 n;

  blob = g_base64_decode (blob_base64, &len);
  if (len < 4)
    return FALSE;
  n = ((guint32) blob[0] << 24) | ((guint32) blob[1] << 16) | ((guint32) blob[2] << 8) | blob[3];
  return n == strlen (type) && n <= len - 4 && memcmp (blob + 4, type, n) == 0;
}

/* Keys the host offers, each checked: the blob decodes and names the same
 * type as the line. */
static GPtrArray *
scan_keys (const HearthSshConfig  *rc,
           const char            *display,
           guint                  timeout,
           GCancellable          *cancellable,
           GError               **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (host_key_free);
  g_autofree char *port = g_strdup_printf ("%u", rc->port);
  g_autofree char *timeout_str = g_strdup_printf ("%u", timeout ? timeout : KEYSCAN_TIMEOUT_S);
  const char *argv[] = { "ssh-keyscan", "-T", timeout_str, "-p", port, "--", rc->hostname, NULL };
  g_auto(GStrv) lines = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (!_hearth_ssh_run_helper (argv, cancellable, &out, &err, &status, error))
    return NULL;

  lines = g_strsplit (out ? out : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " \t", 4);
      HearthSshHostKey key = { 0 };

      if (fields[0] == NULL || fields[0][0] == '#' || g_strv_length (fields) < 3)
        continue;
      if (!(key.fingerprint = hearth_ssh_fingerprint (fields[2])))
        continue;
      if (!blob_has_type (fields[2], fields[1]))
        {
          g_clear_pointer (&key.fingerprint, g_free);
          continue;
        }
      key.type = g_strdup (fields[1]);
      key.blob_base64 = g_strdup (fields[2]);
      g_ptr_array_add (keys, g_memdup2 (&key, sizeof key));
    }

  if (keys->len == 0)
    {
      g_autofree char *reason = hearth_remote_error_dup_ssh_reason (err);

      g_set_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_UNREACHABLE,
                   _("Cannot reach %s to read its host key%s%s. Check the host name and the "
                     "port, that the host is up and that sshd runs there."),
                   display, reason ? ": " : "", reason ? reason : "");
      return NULL;
    }

  return g_steal_pointer (&keys);
}

static void
decide_status (HearthSshHostKeyProbe *probe,
               GPtrArray             *known)
{
  const HearthSshHostKey *known_key = NULL;
  const HearthSshHostKey *changed_key = NULL;
  const HearthSshHostKey *best = NULL;
  gboolean revoked = FALSE;
  g_autoptr(GString) others = g_string_new (NULL);

  for (guint i = 0; i < probe->offered->len; i++)
    {
      const HearthSshHostKey *key = g_ptr_array_index (probe->offered, i);

      for (guint j = 0; j < known->len; j++)
        {
          const HearthKnownHostsEntry *entry = g_ptr_array_index (known, j);
          gboolean same_type = g_strcmp0 (entry->type, key->type) == 0;
          gboolean same_key = same_type && g_strcmp0 (entry->blob, key->blob_base64) == 0;

          if (entry->revoked && same_key)
            revoked = TRUE, changed_key = key;
          else if (!entry->revoked && same_key)
            known_key = known_key ? known_key : key;
          else if (!entry->revoked && same_type && changed_key == NULL)
            changed_key = key;
        }
    }

  /* As ssh decides: a revoked key is fatal; otherwise any matching key is
   * enough (ssh prefers the types it knows); a same-type mismatch without
   * any match is a changed key. */
  if (revoked)
    probe->status = HEARTH_SSH_HOST_KEY_CHANGED, best = changed_key;
  else if (known_key != NULL)
    probe->status = HEARTH_SSH_HOST_KEY_KNOWN, best = known_key;
  else if (changed_key != NULL)
    probe->status = HEARTH_SSH_HOST_KEY_CHANGED, best = changed_key;
  else
    probe->status = HEARTH_SSH_HOST_KEY_UNKNOWN;

  /* Keys of types the host did not offer: worth telling the person. */
  for (guint j = 0; j < known->len; j++)
    {
      const HearthKnownHostsEntry *entry = g_ptr_array_index (known, j);

      if (!entry->revoked && strstr (others->str, entry->type) == NULL)
        g_string_append_printf (others, "%s%s", others->len ? ", " : "", entry->type);
    }
  if (probe->status == HEARTH_SSH_HOST_KEY_UNKNOWN && others->len > 0)
    probe->other_known_types = g_strdup (others->str);

  if (best == NULL)
    for (guint i = 0; i < probe->offered->len; i++)
      {
        const HearthSshHostKey *key = g_ptr_array_index (probe->offered, i);

        if (best == NULL || type_rank (key->type) < type_rank (best->type))
          best = key;
      }

  /* scan_keys() never returns an empty list. */
  g_assert (best != NULL);
  if (best == NULL)
    return;

  probe->key.type = g_strdup (best->type);
  probe->key.blob_base64 = g_strdup (best->blob_base64);
  probe->key.fingerprint = g_strdup (best->fingerprint);
}

static void
probe_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  HearthSshHostKeyProbe *probe = hearth_ssh_probe_host_key (task_data, cancellable, &error);

  if (probe == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, probe, (GDestroyNotify) hearth_ssh_host_key_probe_free);
}

HearthSshHostKeyProbe *
hearth_ssh_host_key_probe_copy (const HearthSshHostKeyProbe *self)
{
  HearthSshHostKeyProbe *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (HearthSshHostKeyProbe, 1);
  copy->status = self->status;
  copy->host_name = g_strdup (self->host_name);
  copy->key.type = g_strdup (self->key.type);
  copy->key.blob_base64 = g_strdup (self->key.blob_base64);
  copy->key.fingerprint = g_strdup (self->key.fingerprint);
  copy->offered = g_ptr_array_new_with_free_func (host_key_free);
  for (guint i = 0; self->offered != NULL && i < self->offered->len; i++)
    g_ptr_array_add (copy->offered, host_key_dup (g_ptr_array_index (self->offered, i)));
  copy->other_known_types = g_strdup (self->other_known_types);
  copy->known_hosts_file = g_strdup (self->known_hosts_file);
  copy->hash_known_hosts = self->hash_known_hosts;
  return copy;
}

void
hearth_ssh_host_key_probe_free (HearthSshHostKeyProbe *self)
{
  if (self == NULL)
    return;

  g_free (self->host_name);
  host_key_clear (&self->key);
  g_clear_pointer (&self->offered, g_ptr_array_unref);
  g_free (self->other_known_types);
  g_free (self->known_hosts_file);
  g_free (self);
}

const char *
hearth_ssh_host_key_status_to_string (HearthSshHostKeyStatus status)
{
  switch (status)
    {
    case HEARTH_SSH_HOST_KEY_UNKNOWN: return "unknown";
    case HEARTH_SSH_HOST_KEY_KNOWN:   return "known";
    case HEARTH_SSH_HOST_KEY_CHANGED: return "changed";
    default:                          return "invalid";
    }
}

char *
hearth_ssh_fingerprint (const char *blob_base64)
{
  g_autofree guchar *blob = NULL;
  g_autofree char *b64 = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  gsize len = 0;
  gsize n;
  g_autoptr(GChecksum) checksum = NULL;

  g_return_val_if_fail (blob_base64 != NULL, NULL);

  /* g_base64_decode() skips invalid characters; refuse them instead. */
  n = strlen (blob_base64);
  if (n == 0 || n % 4 != 0 || strspn (blob_base64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != n)
    return NULL;
  blob = g_base64_decode (blob_base64, &len);
  if (len < 8)
    return NULL;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, blob, len);
  g_checksum_get_digest (checksum, digest, &digest_len);

  /* ssh prints the digest in base64 without padding. */
  b64 = g_base64_encode (digest, digest_len);
  g_strdelimit (b64, "=", 0);
  return g_strconcat ("SHA256:", b64, NULL);
}

HearthSshHostKeyProbe *
hearth_ssh_probe_host_key (const HearthSshDestination  *destination,
                           GCancellable                *cancellable,
                           GError                     **error)
{
  g_auto(HearthSshConfig) rc = { 0 };
  g_autoptr(HearthSshHostKeyProbe) probe = NULL;
  g_autoptr(GPtrArray) known = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (destination != NULL, NULL);

  if (!hearth_ssh_destination_validate (destination, error))
    return NULL;
  display = hearth_ssh_destination_dup_display_name (destination);

  if (!_hearth_ssh_resolve_config (destination, &rc, cancellable, error))
    return NULL;
  if (rc.proxied)
    {
      g_set_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_FAILED,
                   _("%s is reached through a jump host or proxy, so Hearth cannot read its "
                     "host key. Connect once with ssh in a terminal to confirm it."),
                   display);
      return NULL;
    }

  probe = g_new0 (HearthSshHostKeyProbe, 1);
  probe->host_name = _hearth_ssh_known_hosts_name (&rc);
  probe->hash_known_hosts = rc.hash;
  probe->known_hosts_file = g_strdup (rc.user_files && rc.user_files[0]
                                      ? rc.user_files[0] : NULL);
  if (probe->known_hosts_file == NULL)
    probe->known_hosts_file = g_build_filename (g_get_home_dir (), ".ssh", "known_hosts", NULL);

  if (!(probe->offered = scan_keys (&rc, display, destination->connect_timeout, cancellable, error)))
    return NULL;
  if (!(known = _hearth_ssh_known_hosts_lookup (&rc, probe->host_name, cancellable, error)))
    return NULL;

  decide_status (probe, known);
  return g_steal_pointer (&probe);
}

void
hearth_ssh_probe_host_key_async (const HearthSshDestination *destination,
                                 GCancellable               *cancellable,
                                 GAsyncReadyCallback         callback,
                                 gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (destination != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hearth_ssh_probe_host_key_async);
  g_task_set_task_data (task, hearth_ssh_destination_copy (destination),
                        (GDestroyNotify) hearth_ssh_destination_free);
  g_task_run_in_thread (task, probe_thread);
}

HearthSshHostKeyProbe *
hearth_ssh_probe_host_key_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
hearth_ssh_accept_host_key (const HearthSshHostKeyProbe  *probe,
                            GError                      **error)
{
  g_autofree char *fingerprint = NULL;

  g_return_val_if_fail (probe != NULL, FALSE);

  switch (probe->status)
    {
    case HEARTH_SSH_HOST_KEY_KNOWN:
      return TRUE;
    case HEARTH_SSH_HOST_KEY_CHANGED:
      g_set_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED,
                   _("The host key of %s has CHANGED (it now shows %s). Hearth never replaces "
                     "a known host key: if you know why it changed, remove the old one with "
                     "“ssh-keygen -R %s” and connect again."),
                   probe->host_name, probe->key.fingerprint, probe->host_name);
      return FALSE;
    case HEARTH_SSH_HOST_KEY_UNKNOWN:
    default:
      break;
    }

  /* What was probed is what the person saw: refuse anything malformed
   * rather than write a line ssh would misread. */
  if (probe->key.type == NULL || probe->key.blob_base64 == NULL || probe->host_name == NULL ||
      strpbrk (probe->key.type, " \t\n") || strpbrk (probe->host_name, " \t\n") ||
      !(fingerprint = hearth_ssh_fingerprint (probe->key.blob_base64)))
    {
      g_set_error_literal (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_INVALID,
                           _("The probed host key is malformed; it was not added."));
      return FALSE;
    }

  return _hearth_ssh_known_hosts_append (probe->known_hosts_file, probe->host_name,
                                         probe->hash_known_hosts, probe->key.type,
                                         probe->key.blob_base64, error);
}
