/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-profile.h"

G_BEGIN_DECLS

/* Run argv to completion, assert it exited 0, return its stdout. */
char     *run_or_fail            (const char * const *argv,
                                  const char         *stdin_text);
/* Exit status of argv (-1 if it could not run or was killed). */
int       run_status             (const char * const *argv);
void      rm_rf                  (const char         *path);

/* An executable /bin/sh script DIR/NAME with body; returns its path. */
char     *write_script           (const char         *dir,
                                  const char         *name,
                                  const char         *body);
/* A script body that prints the stream magic and a hello record claiming
 * protocol VERSION and collector COLLECTOR_VERSION (docs/stream.md). */
char     *fake_hello_script      (guint               version,
                                  const char         *collector_version);
/* DIR/stream.bin: a real encoded stream of one thread, n_samples samples
 * 10 ms apart (main → work → leaf), from host "fake-host", with or without
 * its END record. Returns the path. */
char     *write_fake_stream      (const char         *dir,
                                  guint               n_samples,
                                  gboolean            with_end);

/* $HEARTH_BUILD_ROOT/REL, or NULL if it is not built. */
char     *find_built             (const char         *rel);

/* The heaviest root-to-leaf chain of function names ("a;b;c"), from the
 * thread with most samples. */
char     *dominant_stack         (HearthProfile      *profile);

/* /proc/PID/stat state letter, or 0 if the process is gone. */
char      proc_state             (GPid                pid);
/* TracerPid from /proc/PID/status (-1 if gone). */
int       proc_tracer            (GPid                pid);
/* PIDs of processes running needles[0] (their argv[0]) whose command
 * line contains every other needle. */
GArray   *find_processes         (const char * const *needles);

G_END_DECLS
