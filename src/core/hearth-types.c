/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-types.h"

static const char * const state_names[] = { "running", "sleeping", "disk-wait", "other" };
static const char * const kind_names[] = { "native", "python", "kernel", "unknown" };

const char *
hearth_thread_state_to_string (HearthThreadState state)
{
  if ((guint) state >= HEARTH_N_THREAD_STATES)
    return "other";
  return state_names[state];
}

const char *
hearth_frame_kind_to_string (HearthFrameKind kind)
{
  if ((guint) kind >= HEARTH_N_FRAME_KINDS)
    return "unknown";
  return kind_names[kind];
}

gboolean
hearth_frame_kind_from_string (const char      *str,
                               HearthFrameKind *kind)
{
  for (guint i = 0; i < HEARTH_N_FRAME_KINDS; i++)
    {
      if (g_strcmp0 (str, kind_names[i]) == 0)
        {
          *kind = i;
          return TRUE;
        }
    }
  return FALSE;
}
