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

G_END_DECLS
