/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-profile.h"
#include "hearth-stream.h"

G_BEGIN_DECLS

/*
 * HearthStreamReader: reads a collector stream from a GInputStream on its
 * own thread and decodes it into a HearthProfile (which is safe to read
 * while it grows). Nothing here runs on the main loop except the signals,
 * which are re-emitted in the main context the reader was created in:
 *
 *   "hello"   (const HearthStreamHello *)
 *   "message" (gboolean fatal, const char *text)   collector ERROR records
 *   "done"    (const GError *error)                EOF or failure; error is
 *             NULL after a clean END record
 *
 * Pausing stops reading: the collector then blocks on its full pipe and
 * takes no samples until resumed.
 */
#define HEARTH_TYPE_STREAM_READER (hearth_stream_reader_get_type ())
G_DECLARE_FINAL_TYPE (HearthStreamReader, hearth_stream_reader, HEARTH, STREAM_READER, GObject)

HearthStreamReader *hearth_stream_reader_new        (HearthProfile      *profile,
                                                     GInputStream       *input);
void                hearth_stream_reader_start      (HearthStreamReader *self);
void                hearth_stream_reader_set_paused (HearthStreamReader *self,
                                                     gboolean            paused);
/* Stop reading at once (the thread exits at its next read). */
void                hearth_stream_reader_cancel     (HearthStreamReader *self);
gboolean            hearth_stream_reader_is_done    (HearthStreamReader *self);
/* Statistics from the END record; NULL before it arrived. */
const HearthStreamStats *hearth_stream_reader_get_stats (HearthStreamReader *self);
/* Bytes read so far (any thread). */
guint64             hearth_stream_reader_get_n_bytes (HearthStreamReader *self);

G_END_DECLS
