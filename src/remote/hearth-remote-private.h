/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* g_strv_builder_take() is GLib 2.80; our floor is 2.74. */
static inline void
_hearth_strv_builder_take (GStrvBuilder *builder,
                           char         *str)
{
  g_strv_builder_add (builder, str);
  g_free (str);
}

/* A child's output as a valid UTF-8 string ("" when empty or NULL). */
static inline char *
_hearth_bytes_dup_utf8 (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  return data != NULL && size > 0 ? g_utf8_make_valid (data, size) : g_strdup ("");
}

G_END_DECLS
