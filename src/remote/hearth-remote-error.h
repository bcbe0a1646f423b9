/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Errors of remote attach. Every message names the host and says what to
 * do; the GUI switches on the code (e.g. HOST_KEY_UNKNOWN opens the
 * fingerprint confirmation) and shows the message as it is.
 */
#define HEARTH_REMOTE_ERROR (hearth_remote_error_quark ())

typedef enum
{
  HEARTH_REMOTE_ERROR_FAILED,             /* anything else; message has ssh's words */
  HEARTH_REMOTE_ERROR_INVALID,            /* a bad destination, port or option */
  HEARTH_REMOTE_ERROR_SSH_MISSING,        /* no local ssh client */
  HEARTH_REMOTE_ERROR_UNREACHABLE,        /* refused, no route, cannot resolve, timeout */
  HEARTH_REMOTE_ERROR_AUTH_FAILED,        /* Permission denied (publickey…) */
  HEARTH_REMOTE_ERROR_HOST_KEY_UNKNOWN,   /* confirm with probe + accept */
  HEARTH_REMOTE_ERROR_HOST_KEY_CHANGED,   /* never accepted */
  HEARTH_REMOTE_ERROR_COLLECTOR_MISSING,  /* hearth-collector not installed there */
  HEARTH_REMOTE_ERROR_PERMISSION_DENIED,  /* the collector may not ptrace the target there */
  HEARTH_REMOTE_ERROR_COLLECTOR_FAILED,   /* the collector's own error (no such PID, …) */
  HEARTH_REMOTE_ERROR_VERSION_MISMATCH,   /* protocol versions differ */
  HEARTH_REMOTE_ERROR_BAD_STREAM,         /* not a stream, or a corrupt one */
  HEARTH_REMOTE_ERROR_CONNECTION_LOST,    /* EOF without END; samples kept */
} HearthRemoteError;

GQuark      hearth_remote_error_quark        (void);

/* A stable name for the code ("auth-failed", …): for logs and tests. */
const char *hearth_remote_error_code_to_string (HearthRemoteError code);

/*
 * Map how a collector child ended to an error. host: the display name of
 * the destination, or NULL for a local collector. exit_status: the exit
 * code, or -1 if it was killed by a signal. stderr_text: what the child
 * wrote to stderr (may be NULL). collector_message: the message of a
 * fatal ERROR record from the stream, if one arrived (may be NULL).
 *
 * Returns a new error (never NULL): the caller has already decided that
 * the child failed.
 */
GError     *hearth_remote_error_classify     (const char *host,
                                              const char *collector_path,
                                              int         exit_status,
                                              const char *stderr_text,
                                              const char *collector_message);

/* ssh's own reason in stderr_text (the last line naming a problem), or
 * NULL. Exposed for tests. */
char       *hearth_remote_error_dup_ssh_reason (const char *stderr_text);

G_END_DECLS
