/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hearth-enums.h"

G_DEFINE_ENUM_TYPE (HearthViewKind, hearth_view_kind,
  G_DEFINE_ENUM_VALUE (HEARTH_VIEW_ICICLE, "icicle"),
  G_DEFINE_ENUM_VALUE (HEARTH_VIEW_FLAME, "flame"),
  G_DEFINE_ENUM_VALUE (HEARTH_VIEW_SUNBURST, "sunburst"))

G_DEFINE_ENUM_TYPE (HearthColorScheme, hearth_color_scheme,
  G_DEFINE_ENUM_VALUE (HEARTH_COLOR_SCHEME_HASH, "hash"),
  G_DEFINE_ENUM_VALUE (HEARTH_COLOR_SCHEME_MODULE, "module"),
  G_DEFINE_ENUM_VALUE (HEARTH_COLOR_SCHEME_KIND, "kind"),
  G_DEFINE_ENUM_VALUE (HEARTH_COLOR_SCHEME_STATE, "state"))

const char *
hearth_enum_to_nick (GType type,
                     int   value)
{
  /* Static enum classes are never finalised, so the nick outlives the ref. */
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);
  const char *ret = v != NULL ? v->value_nick : NULL;

  g_type_class_unref (klass);
  return ret;
}

int
hearth_enum_from_nick (GType       type,
                       const char *nick,
                       int         fallback)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;
  int ret = v != NULL ? v->value : fallback;

  g_type_class_unref (klass);
  return ret;
}
