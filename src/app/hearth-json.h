/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HEARTH_JSON_ERROR (hearth_json_error_quark ())

typedef enum
{
  HEARTH_JSON_ERROR_PARSE,
} HearthJsonError;

GQuark    hearth_json_error_quark (void);

/* Parse a JSON document (as printed by `hearth-collector ps --json`, which
 * may come from another host) into a floating-free GVariant:
 *   object → a{sv}, array → av, string → s, integer → x, other number → d,
 *   true/false → b, null → mv (nothing).
 * Returns NULL with HEARTH_JSON_ERROR_PARSE naming the byte offset on
 * malformed input; nesting deeper than 64 levels is refused. */
GVariant *hearth_json_parse       (const char  *text,
                                   gssize       length,
                                   GError     **error);

/* Lookups in an a{sv} built by hearth_json_parse(); missing keys or other
 * types give the fallback. Integers and doubles convert into each other. */
const char *hearth_json_get_string (GVariant   *object,
                                    const char *key,
                                    const char *fallback);
gint64      hearth_json_get_int    (GVariant   *object,
                                    const char *key,
                                    gint64      fallback);
double      hearth_json_get_double (GVariant   *object,
                                    const char *key,
                                    double      fallback);
gboolean    hearth_json_get_bool   (GVariant   *object,
                                    const char *key,
                                    gboolean    fallback);

G_END_DECLS
