/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/*
 * HearthPerfMap: names of JIT-compiled code from /tmp/perf-<PID>.map
 * ("START SIZE name" per line, hex), written by V8 (--perf-basic-prof),
 * CPython 3.12+ (-X perf), perf-map-agent, .NET. Read through
 * /proc/PID/root with the namespace PID so containers work, and re-read
 * when the file grows.
 */
typedef struct _HearthPerfMap HearthPerfMap;

HearthPerfMap *hearth_perf_map_new    (pid_t          pid);
void           hearth_perf_map_free   (HearthPerfMap *self);
/* The name covering addr, or NULL. Valid until the next lookup that
 * re-reads the file. */
const char    *hearth_perf_map_lookup (HearthPerfMap *self,
                                       guint64        addr);
/* Parse map text into self (replacing what it had); for tests. */
void           hearth_perf_map_parse  (HearthPerfMap *self,
                                       const char    *text,
                                       gsize          length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthPerfMap, hearth_perf_map_free)

G_END_DECLS
