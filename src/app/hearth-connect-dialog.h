/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-collector-host.h"

G_BEGIN_DECLS

/*
 * HearthConnectDialog: "Connect to Remote Host…". Asks for an SSH
 * destination (user@host, with the recent hosts offered), port, optional
 * identity file and the path of hearth-collector there. On Connect it
 * probes the host key first: a known key goes on, an unknown one is shown
 * with its SHA256 fingerprint until the person trusts it (then it is added
 * to known_hosts), a changed one is refused. Then "connect"
 * (HearthCollectorHost *host) is emitted with a remote host and the dialog
 * closes; the caller lists its processes in the process picker.
 */
#define HEARTH_TYPE_CONNECT_DIALOG (hearth_connect_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HearthConnectDialog, hearth_connect_dialog, HEARTH, CONNECT_DIALOG, GtkWindow)

/* settings may be NULL; when given, its recent-hosts are offered (the
 * window puts the host connected to first). */
HearthConnectDialog *hearth_connect_dialog_new        (GtkWindow           *parent,
                                                       GSettings           *settings);
/* Fill the fields (tests, and a recent host picked elsewhere). */
void                 hearth_connect_dialog_set_fields (HearthConnectDialog *self,
                                                       const char          *destination,
                                                       guint                port,
                                                       const char          *identity_file,
                                                       const char          *collector_path);
/* Use this known_hosts file instead of ssh_config's (`--known-hosts`,
 * tests); NULL goes back to ssh_config's. */
void                 hearth_connect_dialog_set_known_hosts_file (HearthConnectDialog *self,
                                                                 const char          *path);
/* What the status line says now: an error, a fingerprint to confirm, or "". */
const char          *hearth_connect_dialog_get_status (HearthConnectDialog *self);
/* Same as clicking Connect (or "Trust and Connect"). */
void                 hearth_connect_dialog_connect    (HearthConnectDialog *self);

G_END_DECLS
