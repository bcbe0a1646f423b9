/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of `hearth record`. */
#define HEARTH_RECORD_EXIT_OK          0
#define HEARTH_RECORD_EXIT_FAILED      1   /* nothing recorded, or the file cannot be written */
#define HEARTH_RECORD_EXIT_USAGE       2   /* bad arguments */
#define HEARTH_RECORD_EXIT_INCOMPLETE  3   /* the connection dropped: the session keeps what arrived */

/*
 * `hearth record [--remote DEST [--port P] [--identity FILE]] --pid PID
 *                [--collector PATH] [--duration S] [--rate HZ]
 *                [--mode wall|cpu] -o FILE.profsession`
 *
 * Headless recording through the same code path as the app: one
 * `hearth-collector stream` child, local or through ssh, decoded into a
 * session file synced twice a second. Needs no display and touches no
 * GTK, so the app's main() calls it before GTK start-up when argv[1] is
 * "record". argv[0] is the program name; an argv[1] of "record" is
 * skipped. Ctrl-C (SIGINT), SIGTERM and SIGHUP stop the recording
 * cleanly; a second Ctrl-C abandons it (the file keeps what arrived).
 * Progress and errors go to stderr. See docs/remote.md.
 */
int hearth_record_command (int    argc,
                           char **argv);

G_END_DECLS
