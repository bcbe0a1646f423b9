/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "hearth-color.h"
#include "hearth-layout.h"

G_BEGIN_DECLS

/* GTypes for the renderer's plain C enums, so sessions can expose them as
 * properties and GSettings can map them. The nicks match the schema's
 * string choices ("icicle", "flame", "hash", "module", …). */
#define HEARTH_TYPE_VIEW_KIND    (hearth_view_kind_get_type ())
#define HEARTH_TYPE_COLOR_SCHEME (hearth_color_scheme_get_type ())

GType       hearth_view_kind_get_type    (void) G_GNUC_CONST;
GType       hearth_color_scheme_get_type (void) G_GNUC_CONST;

/* Nick ↔ value helpers for settings and action states; unknown nicks
 * give the fallback. */
const char *hearth_enum_to_nick          (GType       type,
                                          int         value);
int         hearth_enum_from_nick        (GType       type,
                                          const char *nick,
                                          int         fallback);

G_END_DECLS
