/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of `hearth export`. */
#define HEARTH_EXPORT_EXIT_OK      0
#define HEARTH_EXPORT_EXIT_FAILED  1   /* cannot read the input or write the output */
#define HEARTH_EXPORT_EXIT_USAGE   2   /* bad arguments: the message names the argument */

/*
 * `hearth export INPUT --view icicle|flame|sunburst|diff [options] -o OUT`
 *
 * Headless: needs no display and touches no GTK, so the app's main()
 * calls it before any GTK start-up when argv[1] is "export". argv[0] is
 * the program name; an argv[1] of "export" is skipped, so the stand-alone
 * `hearth-export` tool passes its argv unchanged. Errors go to stderr.
 * Options are described by `--help` and in docs/export.md.
 */
int hearth_export_command (int    argc,
                           char **argv);

G_END_DECLS
