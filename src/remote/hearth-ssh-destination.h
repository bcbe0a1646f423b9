/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * HearthSshDestination: where a remote hearth-collector runs and how to
 * reach it with the system `ssh` client, so ~/.ssh/config, ssh-agent, jump
 * hosts and known_hosts work as the user already has them.
 *
 * Plain data: fill the fields, copy and free with the functions below.
 * Only `destination` is required; NULL/0 fields mean "as ssh_config says".
 */
typedef struct
{
  char     *destination;             /* "user@host", "host" or an ssh_config alias */
  guint16   port;                    /* 0: ssh's default (ssh_config, then 22) */
  char     *identity_file;           /* NULL: ssh-agent and ssh_config */
  gboolean  batch_mode;              /* TRUE: ssh never prompts (headless, tests) */
  char     *control_dir;             /* NULL: hearth_ssh_get_default_control_dir() */
  char     *known_hosts_file;        /* NULL: ssh_config's UserKnownHostsFile */
  char     *global_known_hosts_file; /* NULL: ssh_config's GlobalKnownHostsFile */
  guint     connect_timeout;         /* seconds; 0: 10 */
} HearthSshDestination;

#define HEARTH_TYPE_SSH_DESTINATION (hearth_ssh_destination_get_type ())
GType                 hearth_ssh_destination_get_type   (void) G_GNUC_CONST;

HearthSshDestination *hearth_ssh_destination_new        (const char                 *destination);
HearthSshDestination *hearth_ssh_destination_copy       (const HearthSshDestination *self);
void                  hearth_ssh_destination_free       (HearthSshDestination       *self);

/* FALSE with HEARTH_REMOTE_ERROR_INVALID if the destination is empty,
 * starts with '-' (it would be read as an ssh option) or holds spaces or
 * control characters. */
gboolean              hearth_ssh_destination_validate   (const HearthSshDestination *self,
                                                         GError                    **error);

/* "user@host" or "user@host port 2222", for messages and titles. */
char                 *hearth_ssh_destination_dup_display_name (const HearthSshDestination *self);

/* The host part of the destination ("host" from "user@host"). */
char                 *hearth_ssh_destination_dup_host   (const HearthSshDestination *self);

/*
 * The argv that runs REMOTE_ARGV (already the full command: collector
 * path first) on the destination:
 *
 *   ssh -T -x -a -o ClearAllForwardings=yes [-o BatchMode=yes]
 *       -o StrictHostKeyChecking=yes -o ControlMaster=auto
 *       -o ControlPath=DIR/hearth-ssh-%C -o ControlPersist=60
 *       -o ServerAliveInterval=5 -o ServerAliveCountMax=2
 *       -o ConnectTimeout=10 [-p PORT] [-i KEY -o IdentitiesOnly=yes]
 *       [-o UserKnownHostsFile=…] -- DESTINATION 'arg' 'arg' …
 *
 * No forwarding of any kind (no listening port on either side, no agent
 * on the remote host). Host keys are checked strictly: an unknown key is
 * confirmed through hearth_ssh_probe_host_key() and
 * hearth_ssh_accept_host_key(), a changed one is never accepted. Each
 * remote argument is shell-quoted because ssh hands the remote side one
 * command line; a leading "~/" stays unquoted so the remote shell expands
 * it. Returns a new NULL-terminated array.
 */
GStrv                 hearth_ssh_destination_build_argv (const HearthSshDestination *self,
                                                         const char * const         *remote_argv);

/* Ask a running connection-sharing master for this destination to exit
 * (`ssh -O exit`). Returns TRUE if one was running. Blocking, ≤ 5 s. */
gboolean              hearth_ssh_destination_close_master (const HearthSshDestination *self);

/*
 * Where connection-sharing sockets live: $HEARTH_SSH_CONTROL_DIR, else
 * $XDG_RUNTIME_DIR, else a private directory $TMPDIR/hearth-ssh-UID
 * (created 0700 and refused if someone else owns it). Returns NULL if no
 * safe directory exists; ssh then runs without connection sharing.
 */
char                 *hearth_ssh_get_default_control_dir (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthSshDestination, hearth_ssh_destination_free)

G_END_DECLS
