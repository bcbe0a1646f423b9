/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-collector-host.h"
#include "hearth-profile.h"

G_BEGIN_DECLS

typedef enum
{
  HEARTH_RECORDER_STATE_IDLE,       /* created, not started */
  HEARTH_RECORDER_STATE_RECORDING,
  HEARTH_RECORDER_STATE_PAUSED,
  HEARTH_RECORDER_STATE_STOPPING,   /* asked the collector to end */
  HEARTH_RECORDER_STATE_FINISHED,   /* ended cleanly (stop, target exit) */
  HEARTH_RECORDER_STATE_FAILED,     /* the collector failed; samples kept */
} HearthRecorderState;

#define HEARTH_TYPE_RECORDER_STATE (hearth_recorder_state_get_type ())
GType hearth_recorder_state_get_type (void) G_GNUC_CONST;

/*
 * HearthRecorder: one live capture. Spawns `hearth-collector stream` through
 * a HearthCollectorHost, decodes its stdout into the profile on a worker
 * thread (HearthStreamReader) and mirrors the profile into an autosaved
 * session file with a HearthSessionWriter synced twice a second.
 *
 * The collector's ERROR records and, if it fails, its stderr are emitted
 * as "message" (gboolean fatal, const char *text). Whatever happens, the
 * samples received so far stay in the profile and the file.
 */
#define HEARTH_TYPE_RECORDER (hearth_recorder_get_type ())
G_DECLARE_FINAL_TYPE (HearthRecorder, hearth_recorder, HEARTH, RECORDER, GObject)

HearthRecorder      *hearth_recorder_new            (HearthCollectorHost  *host,
                                                     HearthProfile        *profile,
                                                     int                   pid,
                                                     const char           *process_name,
                                                     const char           *mode,
                                                     guint                 rate_hz);
/* Creates the session file (path NULL: a new autosave path) and starts the
 * collector. FALSE with an error if either fails. */
gboolean             hearth_recorder_start          (HearthRecorder       *self,
                                                     const char           *path,
                                                     GError              **error);
void                 hearth_recorder_set_paused     (HearthRecorder       *self,
                                                     gboolean              paused);
/* Ask the collector to finish (SIGINT); it is killed if it has not ended
 * within a few seconds. The state becomes FINISHED once the file is final. */
void                 hearth_recorder_stop           (HearthRecorder       *self);
/* Move the session file, now or once the current write is done. */
void                 hearth_recorder_move_async     (HearthRecorder       *self,
                                                     const char           *new_path,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean             hearth_recorder_move_finish    (HearthRecorder       *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

HearthRecorderState  hearth_recorder_get_state      (HearthRecorder       *self);
gboolean             hearth_recorder_is_active      (HearthRecorder       *self);
HearthProfile       *hearth_recorder_get_profile    (HearthRecorder       *self);
HearthCollectorHost *hearth_recorder_get_host       (HearthRecorder       *self);
const char          *hearth_recorder_get_path       (HearthRecorder       *self);
int                  hearth_recorder_get_pid        (HearthRecorder       *self);
const char          *hearth_recorder_get_process_name (HearthRecorder     *self);
guint64              hearth_recorder_get_n_samples  (HearthRecorder       *self);
guint                hearth_recorder_get_n_threads  (HearthRecorder       *self);
guint64              hearth_recorder_get_dropped    (HearthRecorder       *self);
double               hearth_recorder_get_sample_rate (HearthRecorder      *self);

G_END_DECLS
