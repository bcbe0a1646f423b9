/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A Python (or other) target process started by a test: it prints some
 * header lines, the last starting with "ready", then runs. */
typedef struct
{
  GSubprocess *process;
  GPtrArray   *lines;       /* header lines up to and including "ready …" */
  gint32       pid;
} HearthTestTarget;

/* Debian's interpreter, which the tests are about; NULL if missing. */
const char       *hearth_test_system_python   (void);
char             *hearth_test_demo_path       (const char        *name);
char             *hearth_test_data_path       (const char        *name);

/* Spawn argv and wait (up to 20 s) for its "ready" line. */
HearthTestTarget *hearth_test_target_spawn    (const char * const *argv,
                                               GError            **error);
void              hearth_test_target_free     (HearthTestTarget  *target);
/* The integer after "key=" in the header lines, or -1. */
gint64            hearth_test_target_value    (HearthTestTarget  *target,
                                               const char        *key);

/* Line number of the line holding "# hearth-line: NAME" in file, or 0. */
guint             hearth_test_marker_line     (const char        *file,
                                               const char        *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthTestTarget, hearth_test_target_free)

G_END_DECLS
