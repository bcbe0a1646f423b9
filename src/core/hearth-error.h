/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HEARTH_STORE_ERROR  (hearth_store_error_quark ())
#define HEARTH_FOLDED_ERROR (hearth_folded_error_quark ())
#define HEARTH_STREAM_ERROR (hearth_stream_error_quark ())

typedef enum
{
  HEARTH_STORE_ERROR_IO,             /* cannot open/read/write the file */
  HEARTH_STORE_ERROR_NOT_SQLITE,     /* not an SQLite database at all */
  HEARTH_STORE_ERROR_WRONG_APP,      /* SQLite, but not a Hearth session */
  HEARTH_STORE_ERROR_NEWER_VERSION,  /* written by a newer Hearth */
  HEARTH_STORE_ERROR_CORRUPT,        /* truncated or inconsistent */
} HearthStoreError;

typedef enum
{
  HEARTH_FOLDED_ERROR_IO,
  HEARTH_FOLDED_ERROR_PARSE,         /* a malformed line; message names it */
  HEARTH_FOLDED_ERROR_EMPTY,         /* no samples at all */
} HearthFoldedError;

typedef enum
{
  HEARTH_STREAM_ERROR_IO,
  HEARTH_STREAM_ERROR_BAD_MAGIC,     /* not a hearth-collector stream */
  HEARTH_STREAM_ERROR_VERSION,       /* protocol version mismatch */
  HEARTH_STREAM_ERROR_CORRUPT,       /* malformed record */
  HEARTH_STREAM_ERROR_TRUNCATED,     /* ended without an END record */
  HEARTH_STREAM_ERROR_REMOTE,        /* the collector sent an ERROR record */
} HearthStreamError;

GQuark hearth_store_error_quark  (void);
GQuark hearth_folded_error_quark (void);
GQuark hearth_stream_error_quark (void);

G_END_DECLS
