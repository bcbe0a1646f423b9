/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-profile.h"

G_BEGIN_DECLS

/* One thread of a recorded profile, its stacks folded to function names
 * ("main;outer;inner", root first) with their sample counts. */
typedef struct
{
  char       *name;
  gint32      tid;
  guint64     n_samples;
  guint64     n_running;   /* samples in state RUNNING */
  GHashTable *stacks;      /* folded string → count (GSIZE_TO_POINTER) */
} CtThread;

void        ct_thread_free             (CtThread       *thread);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtThread, ct_thread_free)

/* The threads of profile (CtThread*, in profile order). */
GPtrArray  *ct_profile_threads         (HearthProfile  *profile);
/* The first thread named name, or NULL. */
CtThread   *ct_find_thread             (GPtrArray      *threads,
                                        const char     *name);
/* The most frequent folded stack of a thread (owned by the thread). */
const char *ct_dominant_stack          (CtThread       *thread,
                                        guint64        *count);
/* Samples whose stack holds the frames of chain ("a;b;c") consecutively. */
guint64     ct_count_with_chain        (CtThread       *thread,
                                        const char     *chain);
/* Samples whose stack contains a frame named function anywhere. */
guint64     ct_count_with_function     (CtThread       *thread,
                                        const char     *function);
/* Print every thread and its top stacks to stderr (for failing tests). */
void        ct_dump_threads            (GPtrArray      *threads,
                                        guint           top);

/* Paths in the build tree (HEARTH_BUILD_ROOT). */
char       *ct_collector_path          (void);
char       *ct_target_path             (const char     *name);

/* Start a target program from tests/collector/targets with arguments
 * (NULL-terminated). Its stdout is piped for ct_target_finish(). */
GSubprocess *ct_spawn_target           (const char     *name,
                                        ...) G_GNUC_NULL_TERMINATED;
/* Wait for target to exit and return its stdout. */
char       *ct_target_finish           (GSubprocess    *target);
/* Stop a target we started (SIGTERM, then SIGKILL) and reap it. */
void        ct_target_kill             (GSubprocess    *target);

/* Run `hearth-collector ARGS…` to completion; stdout/stderr are returned
 * (either may be NULL) and the exit status is the result. */
int         ct_run_collector           (char          **out,
                                        char          **err,
                                        const char     *first_arg,
                                        ...) G_GNUC_NULL_TERMINATED;
/* Record pid for seconds (extra collector arguments NULL-terminated) into
 * a temporary file and load it. NULL and a test failure on error. */
HearthProfile *ct_record               (pid_t           pid,
                                        double          seconds,
                                        ...) G_GNUC_NULL_TERMINATED;

/* A state letter of every thread of pid ("RSSt…"), for stop checks. */
char       *ct_thread_states           (pid_t           pid);

/* Sleep until path exists (a target's ready file) or timeout. */
gboolean    ct_wait_for_file           (const char     *path,
                                        guint           timeout_ms);

G_END_DECLS
