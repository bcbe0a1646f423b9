/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-stream.h"

G_BEGIN_DECLS

/* docs/stream.md is the reference for everything here. */

#define HEARTH_STREAM_MAGIC     "HRTHSTRM"
#define HEARTH_STREAM_MAGIC_LEN 8

/* A record is [type u8][payload length varint][payload]. Decoders skip
 * types they do not know by their length, so new record types and new
 * trailing fields never need a protocol bump. Numbers are never reused. */
typedef enum
{
  HEARTH_RECORD_HELLO    = 1,   /* must be first; its layout starts with the versions forever */
  HEARTH_RECORD_THREAD   = 2,
  HEARTH_RECORD_STRING   = 3,
  HEARTH_RECORD_FUNCTION = 4,
  HEARTH_RECORD_FRAME    = 5,
  HEARTH_RECORD_STACK    = 6,
  HEARTH_RECORD_SAMPLE   = 7,
  HEARTH_RECORD_MARKER   = 8,
  HEARTH_RECORD_ERROR    = 9,
  HEARTH_RECORD_END      = 10,
  HEARTH_RECORD_METADATA = 11,
} HearthRecordType;

/* Decoders refuse records larger than this: no legitimate record comes
 * close (the largest is a command line or an error message). */
#define HEARTH_STREAM_MAX_RECORD (16 * 1024 * 1024)

G_END_DECLS
