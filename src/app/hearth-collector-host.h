/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-remote-collector.h"

G_BEGIN_DECLS

/*
 * HearthCollectorHost: where hearth-collector runs and how to start it.
 *
 * Every child the app starts — `ps --json` for the picker and `stream` for
 * live attach — goes through hearth_collector_host_spawn(), the one place
 * that turns collector arguments into an argv. For the local host that is
 * [collector-path, args…]. With a "destination" (remote attach) it is
 * [ssh, options…, destination, --, collector, args…]; everything above it
 * (picker, recorder, session) is the same for both.
 */
#define HEARTH_TYPE_COLLECTOR_HOST (hearth_collector_host_get_type ())
G_DECLARE_FINAL_TYPE (HearthCollectorHost, hearth_collector_host, HEARTH, COLLECTOR_HOST, GObject)

HearthCollectorHost *hearth_collector_host_new_local         (void);
/* destination: how to reach the host with the system ssh (copied);
 * collector_path: hearth-collector on that host, or NULL to find it in the
 * remote PATH. Listing and streaming share one ssh connection. */
HearthCollectorHost *hearth_collector_host_new_remote        (const HearthSshDestination *destination,
                                                              const char           *collector_path);

gboolean             hearth_collector_host_is_local          (HearthCollectorHost  *self);
const char          *hearth_collector_host_get_destination   (HearthCollectorHost  *self);
const char          *hearth_collector_host_get_collector_path (HearthCollectorHost *self);
/* NULL for this computer. Owned by the host. */
HearthRemoteCollector *hearth_collector_host_get_remote      (HearthCollectorHost  *self);
/* Why a `stream` child failed, as a HEARTH_REMOTE_ERROR (unreachable,
 * auth failed, host key, collector missing, permission denied, …) from its
 * exit status and stderr. Remote hosts only; the caller owns the error. */
GError              *hearth_collector_host_classify_failure  (HearthCollectorHost  *self,
                                                              int                   exit_status,
                                                              const char           *stderr_text);
/* "this computer" or the destination, for titles and messages. */
const char          *hearth_collector_host_get_display_name  (HearthCollectorHost  *self);

/* The full argv that runs `hearth-collector ARGS…` on this host. */
GStrv                hearth_collector_host_build_argv        (HearthCollectorHost  *self,
                                                              const char * const   *args);
/* Spawn `hearth-collector ARGS…` with the given pipe flags. On failure the
 * error names the collector path (or host) and says how to fix it. */
GSubprocess         *hearth_collector_host_spawn             (HearthCollectorHost  *self,
                                                              const char * const   *args,
                                                              GSubprocessFlags      flags,
                                                              GError              **error);

/* Run `ps --json` asynchronously; finish returns a GPtrArray of
 * HearthProcessInfo, or NULL with the collector's own message. */
void                 hearth_collector_host_list_processes_async  (HearthCollectorHost *self,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
GPtrArray           *hearth_collector_host_list_processes_finish (HearthCollectorHost *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);

G_END_DECLS
