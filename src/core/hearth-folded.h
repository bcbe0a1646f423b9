/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-profile.h"

G_BEGIN_DECLS

/*
 * Folded ("collapsed") stacks: one line per stack,
 *   frame;frame;frame COUNT
 * root first, as written by flamegraph.pl's stackcollapse-*, py-spy
 * --format raw and inferno. A leading "thread-name;" component is NOT
 * treated specially on import.
 *
 * Frame text "name [module]" or "name (module)" is split into function
 * name and module; py-spy's "func (file.py:12)" yields file and line and
 * kind python. Anything else is the function name.
 */

typedef enum
{
  HEARTH_FOLDED_FLAGS_NONE    = 0,
  HEARTH_FOLDED_FLAGS_LENIENT = 1 << 0,  /* skip malformed lines, count them */
} HearthFoldedFlags;

/* Import: samples are spread over a synthetic timeline at rate_hz
 * (default 99 when 0), one thread "folded". On error returns NULL with the
 * line number in the message. n_skipped (optional) counts skipped lines in
 * lenient mode. */
HearthProfile *hearth_folded_load_file   (GFile              *file,
                                          HearthFoldedFlags   flags,
                                          guint              *n_skipped,
                                          GError            **error);
HearthProfile *hearth_folded_load_data   (const char         *data,
                                          gsize               length,
                                          const char         *name,
                                          HearthFoldedFlags   flags,
                                          guint              *n_skipped,
                                          GError            **error);
/* Import into an existing profile (appending to thread `thread`, from
 * start_ns). Returns FALSE on a strict-mode error. */
gboolean       hearth_folded_import      (HearthProfile      *profile,
                                          const char         *data,
                                          gsize               length,
                                          const char         *name,
                                          HearthFoldedFlags   flags,
                                          guint              *n_skipped,
                                          GError            **error);

/* Export the selection as folded text (stacks sorted, one line each). */
GString       *hearth_folded_export      (HearthProfile         *profile,
                                          const HearthSelection *selection);
gboolean       hearth_folded_save        (HearthProfile         *profile,
                                          const HearthSelection *selection,
                                          GFile                 *file,
                                          GError               **error);

/* Text of one frame in folded form ("name" or "name [module]" etc.). */
char          *hearth_folded_frame_text  (HearthProfile *profile,
                                          guint32        frame);

G_END_DECLS
