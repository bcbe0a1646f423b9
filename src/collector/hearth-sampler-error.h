/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HEARTH_SAMPLER_ERROR (hearth_sampler_error_quark ())

typedef enum
{
  HEARTH_SAMPLER_ERROR_NO_SUCH_PROCESS,   /* the PID does not exist */
  HEARTH_SAMPLER_ERROR_PERMISSION_DENIED, /* message names the rule */
  HEARTH_SAMPLER_ERROR_ZOMBIE,            /* the process has exited, not reaped */
  HEARTH_SAMPLER_ERROR_KERNEL_THREAD,     /* no user space to sample */
  HEARTH_SAMPLER_ERROR_SELF,              /* the collector itself */
  HEARTH_SAMPLER_ERROR_SPAWN,             /* cannot start the command */
  HEARTH_SAMPLER_ERROR_OUTPUT,            /* cannot write the file or stream */
  HEARTH_SAMPLER_ERROR_FAILED,            /* anything else */
} HearthSamplerError;

GQuark hearth_sampler_error_quark (void);

G_END_DECLS
