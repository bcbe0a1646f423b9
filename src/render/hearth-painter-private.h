/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-painter.h"

G_BEGIN_DECLS

/* TRUE when the layout's width column is B (after any swap), so elided
 * frames are the ones gone in B rather than new in B. */
gboolean _hearth_painter_width_is_b (HearthLayout *layout);

G_END_DECLS
