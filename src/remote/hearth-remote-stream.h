/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-profile.h"
#include "hearth-remote-collector.h"
#include "hearth-session-store.h"
#include "hearth-stream.h"

G_BEGIN_DECLS

/*
 * HearthRemoteStream: drives one `hearth-collector stream …` child (local
 * or through ssh) into a HearthProfile, and optionally mirrors the profile
 * into a session file with a HearthSessionWriter (synced twice a second).
 * No main loop needed: run() blocks on the calling thread (or a GTask
 * thread with run_async()).
 *
 * Whatever happens, the samples received stay in the profile and the
 * file. If the stream ends without its END record and nobody asked it to
 * stop — the connection dropped, ssh or the collector was killed — a
 * "connection-lost" marker is added at the last sample time and run()
 * fails with HEARTH_REMOTE_ERROR_CONNECTION_LOST.
 *
 * Signals, emitted on the thread that runs run():
 *   "hello"   (const HearthStreamHello *)
 *   "message" (gboolean fatal, const char *text)   collector ERROR records
 */
#define HEARTH_TYPE_REMOTE_STREAM (hearth_remote_stream_get_type ())
G_DECLARE_FINAL_TYPE (HearthRemoteStream, hearth_remote_stream, HEARTH, REMOTE_STREAM, GObject)

#define HEARTH_MARKER_CONNECTION_LOST "connection-lost"

HearthRemoteStream      *hearth_remote_stream_new        (HearthRemoteCollector *collector,
                                                          HearthProfile         *profile);
/* Optional; set before run(). The stream syncs it; the caller finishes it. */
void                     hearth_remote_stream_set_writer (HearthRemoteStream    *self,
                                                          HearthSessionWriter   *writer);

/*
 * Run `hearth-collector ARGS…` (args[0] is "stream") until the stream
 * ends. TRUE after a clean END record, or after stop() once the collector
 * is gone. FALSE with a HEARTH_REMOTE_ERROR (see hearth-remote-error.h):
 * the classified ssh or collector failure, VERSION_MISMATCH, BAD_STREAM,
 * CONNECTION_LOST; a writer failure keeps its HEARTH_STORE_ERROR; a
 * cancelled run gives G_IO_ERROR_CANCELLED after killing the child.
 * Call once.
 */
gboolean                 hearth_remote_stream_run        (HearthRemoteStream    *self,
                                                          const char * const    *args,
                                                          GCancellable          *cancellable,
                                                          GError               **error);
void                     hearth_remote_stream_run_async  (HearthRemoteStream    *self,
                                                          const char * const    *args,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
gboolean                 hearth_remote_stream_run_finish (HearthRemoteStream    *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);

/* Ask the collector to end cleanly: its stdin is closed (over ssh the
 * remote collector sees EOF) and a local one also gets SIGINT. If it has
 * not ended 3 s later the child is terminated. Any thread, any time. */
void                     hearth_remote_stream_stop       (HearthRemoteStream    *self);

/* Any thread. */
GPid                     hearth_remote_stream_get_child_pid (HearthRemoteStream *self);
guint64                  hearth_remote_stream_get_n_bytes (HearthRemoteStream   *self);

/* After run() returned. NULL if it never arrived. */
const HearthStreamHello *hearth_remote_stream_get_hello  (HearthRemoteStream    *self);
const HearthStreamStats *hearth_remote_stream_get_stats  (HearthRemoteStream    *self);
HearthProfile           *hearth_remote_stream_get_profile (HearthRemoteStream   *self);
HearthRemoteCollector   *hearth_remote_stream_get_collector (HearthRemoteStream *self);

/* Standard `stream` arguments. rate_hz 0 and mode NULL: the collector's
 * defaults; duration_s ≤ 0: until stopped. */
GStrv                    hearth_remote_stream_build_args (int                    pid,
                                                          guint                  rate_hz,
                                                          const char            *mode,
                                                          double                 duration_s);

G_END_DECLS
