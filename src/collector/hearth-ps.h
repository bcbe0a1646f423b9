/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct
{
  gint32   pid;
  gint32   ppid;
  guint32  uid;
  char    *user;
  char    *name;
  char    *cmdline;
  gint64   threads;
  double   cpu_percent;   /* of one CPU, over the measuring interval */
  gint64   rss_kb;
  gboolean attachable;
  char    *reason;        /* why not attachable; "" when attachable */
  gboolean kernel_thread;
} HearthPsEntry;

/* List the processes visible to the caller, sorted by PID. CPU usage is
 * measured over interval_ms. Kernel threads are included only with
 * include_kernel. Returns a GArray of HearthPsEntry (cleared on free). */
GArray *hearth_ps_list        (guint          interval_ms,
                               gboolean       include_kernel);

/* The JSON array documented in docs/collector.md, ending in a newline. */
char   *hearth_ps_format_json (GArray        *entries);
/* A human-readable table. */
char   *hearth_ps_format_text (GArray        *entries);

/* Append str as a JSON string literal (quoted, escaped, valid UTF-8). */
void    hearth_json_append_string (GString    *out,
                                   const char *str);

G_END_DECLS
