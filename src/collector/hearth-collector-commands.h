/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes of hearth-collector (docs/collector.md) */
#define HEARTH_EXIT_OK    0
#define HEARTH_EXIT_ERROR 1   /* attach, permission, target or output failure */
#define HEARTH_EXIT_USAGE 2   /* bad command line */

int hearth_collector_ps     (int    argc,
                             char **argv);
/* `record` (stream = FALSE) and `stream` (stream = TRUE) */
int hearth_collector_sample (int      argc,
                             char   **argv,
                             gboolean stream);

G_END_DECLS
