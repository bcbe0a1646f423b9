/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-profile.h"

G_BEGIN_DECLS

/*
 * Sample chunks of the .profsession file (docs/profsession.md, "Sample
 * chunks"): up to a few thousand samples of one thread, stored as a stream
 * of varints, zlib-compressed. Timestamps are whole microseconds on disk.
 */

typedef enum
{
  HEARTH_CHUNK_ENCODING_VARINT = 0,   /* the varint stream, uncompressed */
  HEARTH_CHUNK_ENCODING_ZLIB   = 1,   /* the same stream in zlib (RFC 1950) format */
} HearthChunkEncoding;

/* The writer cuts a chunk at this many samples (and at every sync, about
 * once a second while recording). Larger chunks compress only ~3% better
 * and pack worse into pages. */
#define HEARTH_CHUNK_WRITE_SAMPLES 1024
/* Readers refuse larger chunks, which bounds what one blob may inflate to. */
#define HEARTH_CHUNK_MAX_SAMPLES   65536
/* Largest encoded sample: time/state varint (10) + stack (5) + weight (5). */
#define HEARTH_CHUNK_MAX_SAMPLE_BYTES 20
/* Times beyond ±2^53 µs (285 years) are refused as corrupt, which keeps
 * every ns/µs conversion far from overflow. */
#define HEARTH_CHUNK_MAX_TIME_US   (G_GINT64_CONSTANT (1) << 53)

typedef struct
{
  gint64              first_time_us;
  gint64              last_time_us;
  guint               n_samples;
  HearthChunkEncoding encoding;
  const guint8       *data;
  gsize               size;
} HearthChunk;

typedef struct _HearthChunkCodec HearthChunkCodec;

HearthChunkCodec *_hearth_chunk_codec_new    (void);
void              _hearth_chunk_codec_free   (HearthChunkCodec    *codec);

/* Encode n_samples (1..HEARTH_CHUNK_MAX_SAMPLES, time-ordered) into out;
 * out->data points into the codec and stays valid until the next call. */
void              _hearth_chunk_encode       (HearthChunkCodec    *codec,
                                              const HearthSample  *samples,
                                              guint                n_samples,
                                              HearthChunk         *out);

/* Decode chunk into out (room for chunk->n_samples), validating every
 * value: stack ids must be < n_stacks and are translated through
 * stack_map when it is not NULL. On failure returns FALSE and sets
 * *problem to a static English description. */
gboolean          _hearth_chunk_decode       (HearthChunkCodec    *codec,
                                              const HearthChunk   *chunk,
                                              const guint32       *stack_map,
                                              guint32              n_stacks,
                                              HearthSample        *out,
                                              const char         **problem);

/* Round a profile time (ns) to the nearest microsecond, halves away from
 * minus infinity, as stored on disk. */
static inline gint64
_hearth_time_ns_to_us (gint64 ns)
{
  gint64 q = ns / 1000;
  gint64 r = ns % 1000;

  if (r < 0)
    {
      q--;
      r += 1000;
    }
  return r >= 500 ? q + 1 : q;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthChunkCodec, _hearth_chunk_codec_free)

G_END_DECLS
