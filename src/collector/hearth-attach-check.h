/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "hearth-proc.h"

G_BEGIN_DECLS

/* Check, without stopping anything, that pid exists and may be sampled.
 * On failure returns FALSE with a HEARTH_SAMPLER_ERROR whose message
 * says what to do (no such process, zombie, kernel thread, permission
 * denied naming the rule that applies). */
gboolean  hearth_attach_check     (pid_t                 pid,
                                   GError              **error);

/* The error for a failed PTRACE_SEIZE/process_vm_readv on pid. errsv is
 * the errno; EPERM and EACCES are explained by the rule that applies. */
GError   *hearth_attach_error_new (pid_t                 pid,
                                   int                   errsv);

/* For `ps`: TRUE if pid looks attachable; otherwise FALSE and a short
 * reason (owned by the caller). st is pid's parsed stat. */
gboolean  hearth_attach_probe     (pid_t                 pid,
                                   const HearthProcStat *st,
                                   char                **reason);

G_END_DECLS
