/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The name of an x86_64 system call ("clock_nanosleep"), or NULL when
 * the number is unknown. The string is static. */
const char *hearth_syscall_name (long nr);

G_END_DECLS
