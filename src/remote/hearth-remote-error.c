/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hearth-remote-error.h"

G_DEFINE_QUARK (hearth-remote-error-quark, hearth_remote_error)

/* Exit status of the ssh client for its own failures; a remote command's
 * status is passed through otherwise. */
#define SSH_EXIT_FAILURE 255

/* POSIX shells: 127 command not found, 126 found but not executable. */
#define SHELL_EXIT_NOT_FOUND      127
#define SHELL_EXIT_NOT_EXECUTABLE 126

static const char * const code_names[] = {
  [HEARTH_REMOTE_ERROR_FAILED]            = "failed",
  [HEARTH_REMOTE_ERROR_INVALID]           = "invalid",
  [HEARTH_REMOTE_ERROR_SSH_MISSING]       = "ssh-missing",
  [HEARTH_REMOTE_ERROR_UNREACHABLE]       = "unreachable",
  [HEARTH_REMOTE_ERROR_AUTH_FAILED]       = "auth-failed",
  [HEARTH_REMOTE_ERROR_HOST_KEY_UNKNOWN]  = "host-key-unknown",
  [HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED]  = "host-key-changed",
  [HEARTH_REMOTE_ERROR_COLLECTOR_MISSING] = "collector-missing",
  [HEARTH_REMOTE_ERROR_PERMISSION_DENIED] = "permission-denied",
  [HEARTH_REMOTE_ERROR_COLLECTOR_FAILED]  = "collector-failed",
  [HEARTH_REMOTE_ERROR_VERSION_MISMATCH]  = "version-mismatch",
  [HEARTH_REMOTE_ERROR_BAD_STREAM]        = "bad-stream",
  [HEARTH_REMOTE_ERROR_CONNECTION_LOST]   = "connection-lost",
};

/* What OpenSSH prints for each failure (OpenSSH 8.4–9.x). Matched
 * case-insensitively anywhere in stderr, first table entry first: the
 * host key checks come before authentication because a failed check ends
 * the connection before any login is tried. */
typedef struct
{
  const char        *needle;
  HearthRemoteError  code;
} SshPattern;

static const SshPattern ssh_patterns[] = {
  { "remote host identification has changed", HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED },
  { "has changed and you have requested strict", HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED },
  { "revoked host key",                       HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED },
  { "host key is known for",                  HEARTH_REMOTE_ERROR_HOST_KEY_UNKNOWN }, /* "No ED25519 host key is known for …" */
  { "host key verification failed",           HEARTH_REMOTE_ERROR_HOST_KEY_UNKNOWN },
  { "permission denied (",                    HEARTH_REMOTE_ERROR_AUTH_FAILED },
  { "too many authentication failures",       HEARTH_REMOTE_ERROR_AUTH_FAILED },
  { "no more authentication methods",         HEARTH_REMOTE_ERROR_AUTH_FAILED },
  { "could not resolve hostname",             HEARTH_REMOTE_ERROR_UNREACHABLE },
  { "connection refused",                     HEARTH_REMOTE_ERROR_UNREACHABLE },
  { "no route to host",                       HEARTH_REMOTE_ERROR_UNREACHABLE },
  { "network is unreachable",                 HEARTH_REMOTE_ERROR_UNREACHABLE },
  { "connection timed out",                   HEARTH_REMOTE_ERROR_UNREACHABLE },
  { "operation timed out",                    HEARTH_REMOTE_ERROR_UNREACHABLE },
  { "kex_exchange_identification",            HEARTH_REMOTE_ERROR_UNREACHABLE },
  { "closed by remote host",                  HEARTH_REMOTE_ERROR_CONNECTION_LOST },
  { "not responding",                         HEARTH_REMOTE_ERROR_CONNECTION_LOST }, /* ServerAlive timeout */
  { "broken pipe",                            HEARTH_REMOTE_ERROR_CONNECTION_LOST },
  { "connection reset",                       HEARTH_REMOTE_ERROR_CONNECTION_LOST },
};

/* Lines ssh prints that never explain a failure. */
static gboolean
is_noise_line (const char *line)
{
  static const char * const noise[] = {
    "warning: permanently added",
    "@@@@@@@@",
    "pseudo-terminal will not be allocated",
  };
  g_autofree char *lower = g_ascii_strdown (line, -1);

  if (*line == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (noise); i++)
    if (strstr (lower, noise[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* The last meaningful line of stderr, without a trailing period. */
static char *
dup_last_line (const char *text)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return NULL;

  lines = g_strsplit (text, "\n", -1);
  for (int i = (int) g_strv_length (lines) - 1; i >= 0; i--)
    {
      char *line = g_strstrip (lines[i]);   /* also drops ssh's \r */
      gsize len;

      if (is_noise_line (line))
        continue;
      len = strlen (line);
      if (len > 0 && line[len - 1] == '.')
        line[len - 1] = 0;
      return g_utf8_make_valid (line, -1);
    }
  return NULL;
}

/* The line of text that contains needle (case-insensitive), trimmed. */
static char *
dup_line_with (const char *text,
               const char *needle)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (lines[i], -1);

      if (strstr (lower, needle) != NULL)
        {
          char *line = g_strstrip (lines[i]);
          gsize len = strlen (line);

          if (len > 0 && line[len - 1] == '.')
            line[len - 1] = 0;
          return g_utf8_make_valid (line, -1);
        }
    }
  return NULL;
}

static const SshPattern *
match_ssh_pattern (const char *stderr_text)
{
  g_autofree char *lower = NULL;

  if (stderr_text == NULL)
    return NULL;

  lower = g_ascii_strdown (stderr_text, -1);
  for (guint i = 0; i < G_N_ELEMENTS (ssh_patterns); i++)
    if (strstr (lower, ssh_patterns[i].needle) != NULL)
      return &ssh_patterns[i];
  return NULL;
}

char *
hearth_remote_error_dup_ssh_reason (const char *stderr_text)
{
  const SshPattern *pattern = match_ssh_pattern (stderr_text);

  if (pattern != NULL)
    return dup_line_with (stderr_text, pattern->needle);
  return dup_last_line (stderr_text);
}

static GError *
ssh_error (const char        *host,
           HearthRemoteError  code,
           const char        *stderr_text)
{
  g_autofree char *reason = hearth_remote_error_dup_ssh_reason (stderr_text);
  const char *why = reason != NULL ? reason : _("no reason given");

  switch (code)
    {
    case HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED:
      {
        /* ssh names the exact command that removes the offending line. */
        g_autofree char *remove = stderr_text ? dup_line_with (stderr_text, "ssh-keygen -f") : NULL;

        return g_error_new (HEARTH_REMOTE_ERROR, code,
                            _("The host key of %s has CHANGED since you last connected: someone "
                              "may be intercepting the connection, or the host was reinstalled. "
                              "Hearth will not connect. If you know why the key changed, remove "
                              "the old key with “%s” and connect again."),
                            host, remove != NULL ? remove : "ssh-keygen -R HOST");
      }
    case HEARTH_REMOTE_ERROR_HOST_KEY_UNKNOWN:
      return g_error_new (HEARTH_REMOTE_ERROR, code,
                          _("The host key of %s is not known yet. Confirm its fingerprint in "
                            "Hearth’s Connect dialog or by connecting once with ssh in a "
                            "terminal; in batch mode Hearth never trusts an unknown host."),
                          host);
    case HEARTH_REMOTE_ERROR_AUTH_FAILED:
      {
        /* A mistyped identity file is only a warning to ssh: say it. */
        g_autofree char *key = stderr_text ? dup_line_with (stderr_text, "not accessible") : NULL;

        return g_error_new (HEARTH_REMOTE_ERROR, code,
                            _("Authentication to %s failed (%s%s%s). Check the user name and the "
                              "identity file, load the key into ssh-agent, or add your public "
                              "key to ~/.ssh/authorized_keys on that host."),
                            host, why, key != NULL ? "; " : "", key != NULL ? key : "");
      }
    case HEARTH_REMOTE_ERROR_UNREACHABLE:
      return g_error_new (HEARTH_REMOTE_ERROR, code,
                          _("Cannot reach %s: %s. Check the host name and the port, that the "
                            "host is up and that sshd runs there."),
                          host, why);
    case HEARTH_REMOTE_ERROR_CONNECTION_LOST:
      return g_error_new (HEARTH_REMOTE_ERROR, code,
                          _("The connection to %s was lost: %s."),
                          host, why);
    default:
      return g_error_new (HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_FAILED,
                          _("ssh to %s failed: %s."), host, why);
    }
}

static GError *
collector_missing_error (const char *host,
                         const char *collector_path,
                         const char *stderr_text)
{
  g_autofree char *reason = dup_last_line (stderr_text);
  const char *path = collector_path != NULL ? collector_path : "hearth-collector";

  return g_error_new (HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_COLLECTOR_MISSING,
                      _("hearth-collector is not installed on %s (running “%s” gave: %s). "
                        "Install the hearth-collector package there, or build it on that host "
                        "with “meson setup build -Dapp=false && meson install -C build”, or "
                        "give its full path."),
                      host, path, reason != NULL ? reason : _("command not found"));
}

const char *
hearth_remote_error_code_to_string (HearthRemoteError code)
{
  if ((guint) code < G_N_ELEMENTS (code_names) && code_names[code] != NULL)
    return code_names[code];
  return "unknown";
}

GError *
hearth_remote_error_classify (const char *host,
                              const char *collector_path,
                              int         exit_status,
                              const char *stderr_text,
                              const char *collector_message)
{
  const char *where = host != NULL ? host : _("this computer");
  g_autofree char *lower = NULL;
  g_autofree char *reason = NULL;
  const char *message;

  /* ssh's own failures exit 255 with its message; a remote command that
   * exits 255 is rare, so anything unmatched there is still reported
   * with ssh's words. */
  if (host != NULL && exit_status == SSH_EXIT_FAILURE && collector_message == NULL)
    {
      const SshPattern *pattern = match_ssh_pattern (stderr_text);

      return ssh_error (where, pattern != NULL ? pattern->code : HEARTH_REMOTE_ERROR_FAILED,
                        stderr_text);
    }

  if (exit_status == SHELL_EXIT_NOT_FOUND || exit_status == SHELL_EXIT_NOT_EXECUTABLE)
    return collector_missing_error (where, collector_path, stderr_text);

  /* The collector's own words: its fatal ERROR record, else its stderr. */
  reason = collector_message != NULL ? g_strdup (collector_message) : dup_last_line (stderr_text);
  message = reason != NULL ? reason : _("it gave no reason");
  lower = g_ascii_strdown (message, -1);

  if (strstr (lower, "permission denied") != NULL || strstr (lower, "not permitted") != NULL)
    return g_error_new (HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_PERMISSION_DENIED,
                        _("On %s: %s"), where, message);

  if (exit_status < 0)
    return g_error_new (HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_COLLECTOR_FAILED,
                        _("hearth-collector on %s was killed (%s)."), where, message);

  return g_error_new (HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_COLLECTOR_FAILED,
                      _("hearth-collector on %s failed: %s"), where, message);
}
