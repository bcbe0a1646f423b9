/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-ssh-destination.h"

G_BEGIN_DECLS

/*
 * HearthRemoteCollector: where hearth-collector runs — this computer, or
 * an SSH destination — and the one code path that starts it there. Every
 * child is either [collector, args…] or [ssh, options…, destination,
 * collector, args…]; everything above (listing, streaming, recording) is
 * the same for both. Immutable once created; safe to share with threads.
 */
#define HEARTH_TYPE_REMOTE_COLLECTOR (hearth_remote_collector_get_type ())
G_DECLARE_FINAL_TYPE (HearthRemoteCollector, hearth_remote_collector, HEARTH, REMOTE_COLLECTOR, GObject)

/* collector_path NULL: hearth_remote_find_local_collector(). */
HearthRemoteCollector      *hearth_remote_collector_new_local     (const char                 *collector_path);
/* collector_path NULL: "hearth-collector" from the remote PATH. The
 * destination is copied. */
HearthRemoteCollector      *hearth_remote_collector_new_ssh       (const HearthSshDestination *destination,
                                                                   const char                 *collector_path);

gboolean                    hearth_remote_collector_is_local      (HearthRemoteCollector      *self);
/* NULL for this computer. */
const HearthSshDestination *hearth_remote_collector_get_destination (HearthRemoteCollector    *self);
const char                 *hearth_remote_collector_get_collector_path (HearthRemoteCollector *self);
/* The destination as shown in messages ("root@host port 2222"), or NULL
 * for this computer. */
const char                 *hearth_remote_collector_get_host      (HearthRemoteCollector      *self);

/* The full argv that runs `hearth-collector ARGS…` there. */
GStrv                       hearth_remote_collector_build_argv    (HearthRemoteCollector      *self,
                                                                   const char * const         *args);

/* Start `hearth-collector ARGS…` with stdin, stdout and stderr piped.
 * Keep stdin open while streaming: the collector ends when it closes.
 * A non-interactive child gets its own process group, so Ctrl-C in a
 * terminal reaches Hearth (which stops the stream cleanly) and not ssh.
 * Errors: HEARTH_REMOTE_ERROR_SSH_MISSING or _COLLECTOR_MISSING. */
GSubprocess                *hearth_remote_collector_spawn         (HearthRemoteCollector      *self,
                                                                   const char * const         *args,
                                                                   GError                    **error);

/* Run a short command (`ps --json`) to completion and return its stdout.
 * A failure is classified (hearth_remote_error_classify()). Blocking. */
char                       *hearth_remote_collector_run           (HearthRemoteCollector      *self,
                                                                   const char * const         *args,
                                                                   GCancellable               *cancellable,
                                                                   GError                    **error);

/* `hearth-collector ps --json` there: the JSON text (the app parses it
 * with hearth_process_info_parse_list()). */
char                       *hearth_remote_collector_list_processes (HearthRemoteCollector     *self,
                                                                   GCancellable               *cancellable,
                                                                   GError                    **error);
void                        hearth_remote_collector_list_processes_async  (HearthRemoteCollector *self,
                                                                   GCancellable               *cancellable,
                                                                   GAsyncReadyCallback         callback,
                                                                   gpointer                    user_data);
char                       *hearth_remote_collector_list_processes_finish (HearthRemoteCollector *self,
                                                                   GAsyncResult               *result,
                                                                   GError                    **error);

/* End the shared SSH connection now instead of 60 s after its last use
 * (when the person disconnects). No-op for this computer. */
void                        hearth_remote_collector_disconnect    (HearthRemoteCollector      *self);

/* hearth-collector on this computer: $HEARTH_COLLECTOR, the build tree
 * when running uninstalled, next to this program, else BINDIR. */
char                       *hearth_remote_find_local_collector    (void);

G_END_DECLS
