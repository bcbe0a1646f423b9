/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hearth-folded.h"
#include "render-test-util.h"

HearthProfile *
rt_profile_from_folded (const char *folded)
{
  g_autoptr(GError) error = NULL;
  HearthProfile *profile;

  profile = hearth_folded_load_data (folded, strlen (folded), "test", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (profile);

  return profile;
}

HearthProfile *
rt_profile_two_phases (const char *folded_a,
                       const char *folded_b,
                       gint64     *mid_ns)
{
  g_autoptr(GError) error = NULL;
  HearthProfile *profile = rt_profile_from_folded (folded_a);

  *mid_ns = hearth_profile_get_duration_ns (profile);
  hearth_folded_import (profile, folded_b, strlen (folded_b), "test-b", 0, NULL, &error);
  g_assert_no_error (error);

  return profile;
}

HearthCallTree *
rt_tree (HearthProfile *profile)
{
  return hearth_call_tree_new (profile, NULL, HEARTH_CALL_TREE_TOP_DOWN);
}

guint32
rt_find (HearthCallTree *tree,
         const char     *path)
{
  g_auto(GStrv) names = g_strsplit (path, ";", -1);
  guint32 node = 0;

  for (guint i = 0; names[i] != NULL; i++)
    {
      const HearthCallNode *n = hearth_call_tree_get_node (tree, node);
      guint32 next = HEARTH_NO_ID;

      for (guint c = 0; c < n->n_children; c++)
        {
          guint32 child = hearth_call_tree_get_child (tree, node, c);

          if (g_str_equal (hearth_call_tree_get_name (tree, child), names[i]))
            next = child;
        }
      if (next == HEARTH_NO_ID)
        return HEARTH_NO_ID;
      node = next;
    }

  return node;
}

HearthRgba
rt_pixel (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 px;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));

  px = *(const guint32 *) (gconstpointer) (data + y * stride + x * 4);

  /* Opaque pixels: premultiplication does not matter. */
  return (HearthRgba) { ((px >> 16) & 0xff) / 255.0, ((px >> 8) & 0xff) / 255.0,
                        (px & 0xff) / 255.0, ((px >> 24) & 0xff) / 255.0 };
}

gboolean
rt_color_near (HearthRgba a,
               HearthRgba b,
               int        tolerance)
{
  return fabs (a.red - b.red) * 255 <= tolerance &&
         fabs (a.green - b.green) * 255 <= tolerance &&
         fabs (a.blue - b.blue) * 255 <= tolerance;
}

char *
rt_color_string (HearthRgba c)
{
  return g_strdup_printf ("rgb(%d, %d, %d)", (int) round (c.red * 255),
                          (int) round (c.green * 255), (int) round (c.blue * 255));
}
