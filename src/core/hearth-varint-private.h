/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * LEB128 varints as used by the .profsession sample chunks and the wire
 * stream: 7 bits per byte, least significant group first, high bit set on
 * every byte but the last. Signed values are zigzag-mapped first, so small
 * negative numbers stay short.
 *
 * Readers take an explicit end pointer and never look past it: the bytes
 * come from files and sockets we do not trust.
 */

#define HEARTH_VARINT_MAX_BYTES 10

/* Write v at p, which must have HEARTH_VARINT_MAX_BYTES of room; returns
 * the position after the last byte written. */
static inline guint8 *
_hearth_varint_put (guint8  *p,
                    guint64  v)
{
  while (v >= 0x80)
    {
      *p++ = (guint8) (v | 0x80);
      v >>= 7;
    }
  *p++ = (guint8) v;
  return p;
}

/* Read one varint from [*p, end). Returns FALSE, leaving *p alone, when the
 * varint runs past end or is longer than 10 bytes / overflows 64 bits. */
static inline gboolean
_hearth_varint_get (const guint8 **p,
                    const guint8  *end,
                    guint64       *out)
{
  const guint8 *q = *p;
  guint64 v = 0;
  guint shift = 0;

  /* Fast paths: one- and two-byte varints are the vast majority (stack
   * ids and microsecond deltas). */
  if (G_LIKELY (q < end && *q < 0x80))
    {
      *out = *q;
      *p = q + 1;
      return TRUE;
    }
  if (G_LIKELY (end - q >= 2 && q[1] < 0x80))
    {
      *out = (guint64) (q[0] & 0x7f) | ((guint64) q[1] << 7);
      *p = q + 2;
      return TRUE;
    }

  while (q < end)
    {
      guint8 b = *q++;

      if (shift == 63 && b > 1)
        return FALSE;
      v |= (guint64) (b & 0x7f) << shift;
      if (b < 0x80)
        {
          *out = v;
          *p = q;
          return TRUE;
        }
      shift += 7;
      if (shift > 63)
        return FALSE;
    }

  return FALSE;
}

static inline guint64
_hearth_zigzag_encode (gint64 v)
{
  return ((guint64) v << 1) ^ (guint64) (v >> 63);
}

static inline gint64
_hearth_zigzag_decode (guint64 v)
{
  return (gint64) (v >> 1) ^ -(gint64) (v & 1);
}

static inline void
_hearth_varint_append (GByteArray *buf,
                       guint64     v)
{
  guint8 tmp[HEARTH_VARINT_MAX_BYTES];
  guint8 *end = _hearth_varint_put (tmp, v);

  g_byte_array_append (buf, tmp, end - tmp);
}

G_END_DECLS
