/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-profile.h"

G_BEGIN_DECLS

/*
 * The collector wire stream (docs/stream.md): a magic header then framed
 * binary records. The encoder interns strings, functions, frames and stacks
 * and emits each definition once before its first use, so a sample record
 * is a few varints. The decoder appends what it reads to a HearthProfile.
 */
#define HEARTH_STREAM_PROTOCOL_VERSION 1

typedef struct
{
  const char      *name;
  const char      *module;   /* NULL or "" when unknown */
  const char      *file;     /* NULL or "" when unknown */
  guint32          line;     /* line in this frame, 0 if unknown */
  guint32          function_line; /* first line of the function, 0 if unknown */
  guint64          address;  /* module-relative pc */
  HearthFrameKind  kind;
} HearthStreamFrame;

typedef struct
{
  guint32 protocol_version;
  char   *collector_version;
  char   *host;
  gint32  pid;
  char   *command_line;
  guint32 rate_hz;
  char   *mode;                 /* "wall" or "cpu" */
  gint64  start_wall_time_us;   /* g_get_real_time() at start */
} HearthStreamHello;

void hearth_stream_hello_clear (HearthStreamHello *hello);

typedef struct
{
  guint64 samples;
  guint64 unwind_failures;
  guint64 dropped;
  guint32 threads;
  gint64  duration_ns;
  gint32  exit_status;          /* of the target if it exited, else -1 */
} HearthStreamStats;

/* --- encoder --------------------------------------------------------------- */
#define HEARTH_TYPE_STREAM_ENCODER (hearth_stream_encoder_get_type ())
G_DECLARE_FINAL_TYPE (HearthStreamEncoder, hearth_stream_encoder, HEARTH, STREAM_ENCODER, GObject)

/* Encoded bytes accumulate in an internal buffer; take them with
 * hearth_stream_encoder_take_bytes() (or let the encoder write to an
 * output stream with hearth_stream_encoder_flush_to()). */
HearthStreamEncoder *hearth_stream_encoder_new          (void);
void                 hearth_stream_encoder_hello        (HearthStreamEncoder      *self,
                                                         const HearthStreamHello  *hello);
void                 hearth_stream_encoder_thread       (HearthStreamEncoder      *self,
                                                         gint32                    pid,
                                                         gint32                    tid,
                                                         const char               *name);
/* frames are root-first; n_frames may be 0 (unwind failed entirely). */
void                 hearth_stream_encoder_sample       (HearthStreamEncoder      *self,
                                                         gint32                    tid,
                                                         gint64                    time_ns,
                                                         HearthThreadState         state,
                                                         guint32                   weight,
                                                         const HearthStreamFrame  *frames,
                                                         guint                     n_frames);
void                 hearth_stream_encoder_marker       (HearthStreamEncoder      *self,
                                                         gint64                    time_ns,
                                                         gint64                    end_ns,
                                                         const char               *kind,
                                                         const char               *text);
/* Free-form metadata copied into the session ("target-name", …). */
void                 hearth_stream_encoder_metadata     (HearthStreamEncoder      *self,
                                                         const char               *key,
                                                         const char               *value);
/* A non-fatal warning (fatal = FALSE) or the reason the collector stops. */
void                 hearth_stream_encoder_error        (HearthStreamEncoder      *self,
                                                         gboolean                  fatal,
                                                         const char               *message);
void                 hearth_stream_encoder_end          (HearthStreamEncoder      *self,
                                                         const HearthStreamStats  *stats);
gsize                hearth_stream_encoder_get_pending  (HearthStreamEncoder      *self);
GBytes              *hearth_stream_encoder_take_bytes   (HearthStreamEncoder      *self);
gboolean             hearth_stream_encoder_flush_to     (HearthStreamEncoder      *self,
                                                         GOutputStream            *stream,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);

/* --- decoder --------------------------------------------------------------- */
#define HEARTH_TYPE_STREAM_DECODER (hearth_stream_decoder_get_type ())
G_DECLARE_FINAL_TYPE (HearthStreamDecoder, hearth_stream_decoder, HEARTH, STREAM_DECODER, GObject)

/*
 * Signals (emitted from whichever thread calls feed()):
 *   "hello"   (const HearthStreamHello *)  after the hello record; the
 *             decoder also copies it into the profile's metadata
 *   "error"   (gboolean fatal, const char *message)
 *   "end"     (const HearthStreamStats *)
 */
HearthStreamDecoder *hearth_stream_decoder_new          (HearthProfile            *profile);
/* Name the host the stream comes from (NULL for a local collector), so
 * errors can say "remote hearth-collector 0.2 speaks protocol 1, this
 * Hearth needs 2. Install hearth-collector 0.1.0 on HOST." */
void                 hearth_stream_decoder_set_remote_host (HearthStreamDecoder   *self,
                                                         const char               *host);
/* Decode as many complete records as data holds, keeping a partial record
 * for the next call. Returns FALSE with HEARTH_STREAM_ERROR on a bad magic,
 * a protocol version mismatch (message names both versions) or a corrupt
 * record; everything decoded before the error stays in the profile. */
gboolean             hearth_stream_decoder_feed         (HearthStreamDecoder      *self,
                                                         const guint8             *data,
                                                         gsize                     length,
                                                         GError                  **error);
/* Call at EOF: FALSE with HEARTH_STREAM_ERROR_TRUNCATED if no END record
 * was seen (the profile keeps everything received). */
gboolean             hearth_stream_decoder_finish       (HearthStreamDecoder      *self,
                                                         GError                  **error);
gboolean             hearth_stream_decoder_has_hello    (HearthStreamDecoder      *self);
const HearthStreamHello *hearth_stream_decoder_get_hello (HearthStreamDecoder     *self);
gboolean             hearth_stream_decoder_has_ended    (HearthStreamDecoder      *self);
const HearthStreamStats *hearth_stream_decoder_get_stats (HearthStreamDecoder     *self);
HearthProfile       *hearth_stream_decoder_get_profile  (HearthStreamDecoder      *self);

/* Read a whole stream from input into a new profile (blocking; for tests,
 * `record` and headless use). On error the partial profile is still
 * returned through partial (if non-NULL). */
HearthProfile       *hearth_stream_read_all             (GInputStream             *input,
                                                         HearthProfile           **partial,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);

G_END_DECLS
