/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "hearth-profile.h"

G_BEGIN_DECLS

/*
 * HearthOutput: where the encoded stream goes, drained by a writer thread
 * behind a bounded queue so the sampler never blocks on it (it must not
 * while a target thread is stopped). Two kinds, fed the same bytes:
 *
 *  - stream: written to a file descriptor (stdout, a pipe, an SSH
 *    channel). When the reader goes away the output reports itself
 *    closed and the sampler stops.
 *  - record: decoded back into a HearthProfile and mirrored into a
 *    .profsession file by a HearthSessionWriter, synced twice a second.
 *    So `record` is `stream` plus the same decoder the GUI uses.
 */
#define HEARTH_TYPE_OUTPUT (hearth_output_get_type ())
G_DECLARE_FINAL_TYPE (HearthOutput, hearth_output, HEARTH, OUTPUT, GObject)

HearthOutput  *hearth_output_new_stream      (int            fd);
/* Creates (replaces) the session file now, so a path that cannot be
 * written fails before anything is attached. */
HearthOutput  *hearth_output_new_record      (const char    *path,
                                              GError       **error);
/* Queue bytes (taken) for the writer thread. */
void           hearth_output_push            (HearthOutput  *self,
                                              GBytes        *bytes);
/* TRUE while more than the queue limit waits: drop samples instead. */
gboolean       hearth_output_is_congested    (HearthOutput  *self);
/* TRUE once the reader went away or writing failed. Thread-safe. */
gboolean       hearth_output_is_closed       (HearthOutput  *self);
/* Write what is queued, stop the thread and (record) finish the file.
 * FALSE with the first write or decode error. */
gboolean       hearth_output_finish          (HearthOutput  *self,
                                              GError       **error);
/* record only: the profile decoded so far (owned by the output). */
HearthProfile *hearth_output_get_profile     (HearthOutput  *self);
const char    *hearth_output_get_path        (HearthOutput  *self);

G_END_DECLS
