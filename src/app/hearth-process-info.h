/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One row of the process picker: a process as listed by
 * `hearth-collector ps --json`. A GObject only because list models need
 * one; properties notify when a refresh changes them. */
#define HEARTH_TYPE_PROCESS_INFO (hearth_process_info_get_type ())
G_DECLARE_FINAL_TYPE (HearthProcessInfo, hearth_process_info, HEARTH, PROCESS_INFO, GObject)

/* Build from one JSON object (a{sv} from hearth_json_parse); NULL when it
 * has no usable pid. */
HearthProcessInfo *hearth_process_info_new_from_json   (GVariant          *object);
/* Parse the whole `ps --json` output (an array, or an object with a
 * "processes" array). Returns a GPtrArray of HearthProcessInfo. */
GPtrArray         *hearth_process_info_parse_list      (const char        *json,
                                                        GError           **error);
/* Copy the changing fields (cpu, threads, name, …) from other. */
void               hearth_process_info_update          (HearthProcessInfo *self,
                                                        HearthProcessInfo *other);

int                hearth_process_info_get_pid          (HearthProcessInfo *self);
const char        *hearth_process_info_get_name         (HearthProcessInfo *self);
const char        *hearth_process_info_get_user         (HearthProcessInfo *self);
const char        *hearth_process_info_get_command_line (HearthProcessInfo *self);
double             hearth_process_info_get_cpu          (HearthProcessInfo *self);
guint              hearth_process_info_get_threads      (HearthProcessInfo *self);
gboolean           hearth_process_info_get_attachable   (HearthProcessInfo *self);
const char        *hearth_process_info_get_reason       (HearthProcessInfo *self);
/* Case-insensitive match of text against name, pid, user and command line. */
gboolean           hearth_process_info_matches          (HearthProcessInfo *self,
                                                         const char        *text);

G_END_DECLS
