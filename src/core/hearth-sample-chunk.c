/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "hearth-sample-chunk-private.h"
#include "hearth-varint-private.h"

/*
 * Per sample, in time order (docs/profsession.md):
 *   varint ((delta_us << 3) | (state << 1) | has_weight)
 *   varint (stack_id + 1)        0 means "no stack"
 *   [varint (weight)]            only when has_weight; otherwise weight 1
 * delta_us is relative to the previous sample, and to first_time_us for
 * the first sample of the chunk.
 */

struct _HearthChunkCodec
{
  /* owned */
  GConverter *compressor;
  GConverter *decompressor;
  guint8     *varints;
  gsize       varints_size;
  guint8     *packed;
  gsize       packed_size;
};

/* zlib level 6 costs about twice level 3 in CPU for ~3% smaller chunks of
 * this kind of data; the store's write budget (2 M samples/s) prefers 3. */
#define CHUNK_ZLIB_LEVEL 3

static void
ensure_size (guint8 **buf,
             gsize   *size,
             gsize    needed)
{
  if (*size >= needed)
    return;
  *size = MAX (needed, *size * 2);
  g_free (*buf);
  *buf = g_malloc (*size);
}

HearthChunkCodec *
_hearth_chunk_codec_new (void)
{
  HearthChunkCodec *codec = g_new0 (HearthChunkCodec, 1);

  codec->compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, CHUNK_ZLIB_LEVEL));
  codec->decompressor = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
  return codec;
}

void
_hearth_chunk_codec_free (HearthChunkCodec *codec)
{
  if (codec == NULL)
    return;
  g_clear_object (&codec->compressor);
  g_clear_object (&codec->decompressor);
  g_free (codec->varints);
  g_free (codec->packed);
  g_free (codec);
}

static gsize
encode_varints (const HearthSample *samples,
                guint               n_samples,
                guint8             *out,
                gint64             *first_us,
                gint64             *last_us)
{
  guint8 *p = out;
  gint64 prev = _hearth_time_ns_to_us (samples[0].time_ns);

  *first_us = prev;
  for (guint i = 0; i < n_samples; i++)
    {
      const HearthSample *s = &samples[i];
      gint64 t = _hearth_time_ns_to_us (s->time_ns);
      /* Samples are time-ordered by contract; clamp rather than write a
       * negative delta if a caller broke it. */
      guint64 delta = t > prev ? (guint64) (t - prev) : 0;
      guint has_weight = s->weight != 1;

      prev += delta;
      p = _hearth_varint_put (p, (delta << 3) | ((guint64) (s->state & 3) << 1) | has_weight);
      p = _hearth_varint_put (p, s->stack == HEARTH_NO_ID ? 0 : (guint64) s->stack + 1);
      if (has_weight)
        p = _hearth_varint_put (p, s->weight);
    }
  *last_us = prev;

  return p - out;
}

static void
grow_packed (HearthChunkCodec *codec,
             gsize             keep)
{
  gsize size = MAX (codec->packed_size * 2, 256);
  guint8 *bigger = g_malloc (size);

  memcpy (bigger, codec->packed, keep);
  g_free (codec->packed);
  codec->packed = bigger;
  codec->packed_size = size;
}

/* Deflate in into codec->packed; returns the packed size, or 0 if zlib
 * failed (then the caller stores the chunk uncompressed). */
static gsize
deflate_chunk (HearthChunkCodec *codec,
               const guint8     *in,
               gsize             in_size)
{
  gsize done_in = 0;
  gsize done_out = 0;

  ensure_size (&codec->packed, &codec->packed_size, in_size + in_size / 8 + 64);
  g_converter_reset (codec->compressor);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      GConverterResult res;
      gsize n_read = 0;
      gsize n_written = 0;

      if (done_out == codec->packed_size)
        grow_packed (codec, done_out);

      res = g_converter_convert (codec->compressor,
                                 in + done_in, in_size - done_in,
                                 codec->packed + done_out, codec->packed_size - done_out,
                                 G_CONVERTER_INPUT_AT_END,
                                 &n_read, &n_written, &error);
      if (res == G_CONVERTER_ERROR)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
            return 0;
          grow_packed (codec, done_out);
          continue;
        }
      done_in += n_read;
      done_out += n_written;
      if (res == G_CONVERTER_FINISHED)
        return done_out;
    }
}

void
_hearth_chunk_encode (HearthChunkCodec   *codec,
                      const HearthSample *samples,
                      guint               n_samples,
                      HearthChunk        *out)
{
  gsize raw_size;
  gsize packed_size;

  g_assert (n_samples > 0 && n_samples <= HEARTH_CHUNK_MAX_SAMPLES);

  ensure_size (&codec->varints, &codec->varints_size,
               (gsize) n_samples * HEARTH_CHUNK_MAX_SAMPLE_BYTES);
  raw_size = encode_varints (samples, n_samples, codec->varints,
                             &out->first_time_us, &out->last_time_us);
  out->n_samples = n_samples;

  packed_size = deflate_chunk (codec, codec->varints, raw_size);
  if (packed_size > 0 && packed_size < raw_size)
    {
      out->encoding = HEARTH_CHUNK_ENCODING_ZLIB;
      out->data = codec->packed;
      out->size = packed_size;
    }
  else
    {
      out->encoding = HEARTH_CHUNK_ENCODING_VARINT;
      out->data = codec->varints;
      out->size = raw_size;
    }
}

/* Inflate into codec->varints, refusing anything that would exceed the
 * largest legitimate size for n_samples (a "zip bomb" is just corrupt). */
static gboolean
inflate_chunk (HearthChunkCodec  *codec,
               const HearthChunk *chunk,
               gsize             *out_size,
               const char       **problem)
{
  gsize limit = (gsize) chunk->n_samples * HEARTH_CHUNK_MAX_SAMPLE_BYTES;
  gsize done_in = 0;
  gsize done_out = 0;

  ensure_size (&codec->varints, &codec->varints_size, limit);
  g_converter_reset (codec->decompressor);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      GConverterResult res;
      gsize n_read = 0;
      gsize n_written = 0;

      if (done_out == limit)
        {
          /* Full: only acceptable if the stream is exactly finished, which
           * a zero-room call cannot tell us, so probe with one spare byte. */
          guint8 spare;

          res = g_converter_convert (codec->decompressor,
                                     chunk->data + done_in, chunk->size - done_in,
                                     &spare, 1, G_CONVERTER_INPUT_AT_END,
                                     &n_read, &n_written, &error);
          if (res == G_CONVERTER_FINISHED && n_written == 0 && done_in + n_read == chunk->size)
            break;
          *problem = "its samples inflate to more bytes than they can take";
          return FALSE;
        }

      res = g_converter_convert (codec->decompressor,
                                 chunk->data + done_in, chunk->size - done_in,
                                 codec->varints + done_out, limit - done_out,
                                 G_CONVERTER_INPUT_AT_END,
                                 &n_read, &n_written, &error);
      if (res == G_CONVERTER_ERROR)
        {
          *problem = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
                     ? "its compressed samples are cut short"
                     : "its compressed samples are damaged";
          return FALSE;
        }
      done_in += n_read;
      done_out += n_written;
      if (res == G_CONVERTER_FINISHED)
        {
          if (done_in != chunk->size)
            {
              *problem = "its compressed samples are followed by stray bytes";
              return FALSE;
            }
          break;
        }
      if (n_read == 0 && n_written == 0)
        {
          *problem = "its compressed samples are damaged";
          return FALSE;
        }
    }

  *out_size = done_out;
  return TRUE;
}

gboolean
_hearth_chunk_decode (HearthChunkCodec   *codec,
                      const HearthChunk  *chunk,
                      const guint32      *stack_map,
                      guint32             n_stacks,
                      HearthSample       *out,
                      const char        **problem)
{
  const guint8 *p;
  const guint8 *end;
  gint64 t;

  if (chunk->n_samples == 0 || chunk->n_samples > HEARTH_CHUNK_MAX_SAMPLES)
    {
      *problem = "its sample count is out of range";
      return FALSE;
    }
  if (chunk->first_time_us < -HEARTH_CHUNK_MAX_TIME_US ||
      chunk->first_time_us > HEARTH_CHUNK_MAX_TIME_US ||
      chunk->last_time_us < chunk->first_time_us ||
      chunk->last_time_us > HEARTH_CHUNK_MAX_TIME_US)
    {
      *problem = "its time range is invalid";
      return FALSE;
    }

  switch (chunk->encoding)
    {
    case HEARTH_CHUNK_ENCODING_VARINT:
      p = chunk->data;
      end = chunk->data + chunk->size;
      break;

    case HEARTH_CHUNK_ENCODING_ZLIB:
      {
        gsize size = 0;

        if (!inflate_chunk (codec, chunk, &size, problem))
          return FALSE;
        p = codec->varints;
        end = codec->varints + size;
      }
      break;

    default:
      *problem = "it uses an unknown encoding";
      return FALSE;
    }

  t = chunk->first_time_us;
  for (guint i = 0; i < chunk->n_samples; i++)
    {
      HearthSample *s = &out[i];
      guint64 head;
      guint64 stack;
      guint64 delta;

      if (!_hearth_varint_get (&p, end, &head) || !_hearth_varint_get (&p, end, &stack))
        goto truncated;

      delta = head >> 3;
      if (delta > (guint64) (chunk->last_time_us - t))
        {
          *problem = "its sample times run past its last_time_us";
          return FALSE;
        }
      t += (gint64) delta;
      s->time_ns = t * 1000;
      s->state = (head >> 1) & 3;

      if (stack == 0)
        s->stack = HEARTH_NO_ID;
      else if (stack - 1 < n_stacks)
        s->stack = stack_map != NULL ? stack_map[stack - 1] : (guint32) (stack - 1);
      else
        {
          *problem = "a sample refers to a stack that does not exist";
          return FALSE;
        }

      if (head & 1)
        {
          guint64 weight;

          if (!_hearth_varint_get (&p, end, &weight))
            goto truncated;
          if (weight > G_MAXUINT32)
            {
              *problem = "a sample weight is out of range";
              return FALSE;
            }
          s->weight = (guint32) weight;
        }
      else
        s->weight = 1;
    }

  if (p != end)
    {
      *problem = "it holds more bytes than its sample count explains";
      return FALSE;
    }
  if (t != chunk->last_time_us)
    {
      *problem = "its last sample time does not match last_time_us";
      return FALSE;
    }
  return TRUE;

truncated:
  *problem = "it holds fewer samples than its sample count says";
  return FALSE;
}
