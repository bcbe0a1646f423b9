/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-collector-host.h"
#include "hearth-process-info.h"

G_BEGIN_DECLS

/*
 * HearthProcessPicker: a dialog listing the processes of a host (from
 * `hearth-collector ps --json`, refreshed every 1.5 s), searchable and
 * sortable, marking those that cannot be attached and why. Enter or a
 * double-click attaches: "attach" (HearthProcessInfo *process, const char
 * *mode, guint rate_hz) is emitted and the dialog closes.
 */
#define HEARTH_TYPE_PROCESS_PICKER (hearth_process_picker_get_type ())
G_DECLARE_FINAL_TYPE (HearthProcessPicker, hearth_process_picker, HEARTH, PROCESS_PICKER, GtkWindow)

/* settings may be NULL; when given, mode and rate are read from and saved
 * to its sampling-mode and sampling-rate keys. */
HearthProcessPicker *hearth_process_picker_new          (GtkWindow           *parent,
                                                         HearthCollectorHost *host,
                                                         GSettings           *settings);
/* The rows as shown (filtered, sorted). */
GListModel          *hearth_process_picker_get_model    (HearthProcessPicker *self);
/* Attach to the selected row, or the first one if none is selected.
 * FALSE (with the reason shown) if there is none or it cannot be attached. */
gboolean             hearth_process_picker_attach       (HearthProcessPicker *self);
/* Select the row of pid; FALSE if it is not listed (yet). */
gboolean             hearth_process_picker_select_pid   (HearthProcessPicker *self,
                                                         int                  pid);
/* Number of completed listings (tests wait for the first). */
guint                hearth_process_picker_get_n_refreshes (HearthProcessPicker *self);

G_END_DECLS
