/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "hearth-call-tree.h"
#include "hearth-color.h"

G_BEGIN_DECLS

/* Shared by the render tests: profiles from folded text, node lookup by
 * path, pixel reads. */

HearthProfile  *rt_profile_from_folded (const char     *folded);
/* A then B on one synthetic timeline; *mid_ns is where B starts. */
HearthProfile  *rt_profile_two_phases  (const char     *folded_a,
                                        const char     *folded_b,
                                        gint64         *mid_ns);
HearthCallTree *rt_tree                (HearthProfile  *profile);
/* Node reached by "a;b;c" from the root, or HEARTH_NO_ID. */
guint32         rt_find                (HearthCallTree *tree,
                                        const char     *path);
/* RGB of one pixel of an ARGB32 image surface (device coordinates). */
HearthRgba      rt_pixel               (cairo_surface_t *surface,
                                        int              x,
                                        int              y);
/* TRUE if every channel is within tolerance (0–255 scale). */
gboolean        rt_color_near          (HearthRgba      a,
                                        HearthRgba      b,
                                        int             tolerance);
char           *rt_color_string        (HearthRgba      c);

G_END_DECLS
