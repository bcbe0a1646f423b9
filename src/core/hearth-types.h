/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Ids are indexes into the profile's tables. HEARTH_NO_ID marks "none"
 * (the parent of a root stack, a missing string). */
#define HEARTH_NO_ID G_MAXUINT32

typedef enum
{
  HEARTH_THREAD_STATE_RUNNING   = 0,  /* R: on a CPU or runnable */
  HEARTH_THREAD_STATE_SLEEPING  = 1,  /* S: interruptible wait (sleep, I/O, locks) */
  HEARTH_THREAD_STATE_DISK_WAIT = 2,  /* D: uninterruptible wait */
  HEARTH_THREAD_STATE_OTHER     = 3,  /* T, t, Z, unknown */
  HEARTH_N_THREAD_STATES
} HearthThreadState;

typedef enum
{
  HEARTH_FRAME_KIND_NATIVE  = 0,
  HEARTH_FRAME_KIND_PYTHON  = 1,
  HEARTH_FRAME_KIND_KERNEL  = 2,
  HEARTH_FRAME_KIND_UNKNOWN = 3,
  HEARTH_N_FRAME_KINDS
} HearthFrameKind;

/* Which samples a query looks at. A zero-initialised selection means
 * "everything": the whole time span, every thread, every state. */
typedef struct
{
  gint64          start_ns;      /* inclusive, relative to the profile start */
  gint64          end_ns;        /* exclusive; 0 or G_MAXINT64 means "to the end" */
  const guint32  *threads;       /* thread indexes, or NULL for all */
  guint           n_threads;
  gboolean        running_only;  /* only HEARTH_THREAD_STATE_RUNNING samples */
} HearthSelection;

const char *hearth_thread_state_to_string (HearthThreadState state);
const char *hearth_frame_kind_to_string   (HearthFrameKind   kind);
gboolean    hearth_frame_kind_from_string (const char       *str,
                                           HearthFrameKind  *kind);

G_END_DECLS
