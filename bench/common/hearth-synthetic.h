/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-profile.h"

G_BEGIN_DECLS

/*
 * The benchmark session of the foundation issue: n_samples samples over
 * n_threads threads, n_stacks distinct stacks of depth 1..max_depth drawn
 * from a pool of functions, stack choice Zipf-distributed (s = 1.1), one
 * sample per thread every 1 ms with ±20% jitter, ~15% sleeping.
 * Deterministic for a given seed.
 */
HearthProfile *hearth_synthetic_profile (guint64 n_samples,
                                         guint   n_threads,
                                         guint   n_stacks,
                                         guint   max_depth,
                                         guint32 seed);

/* Resident set size of this process in bytes (from /proc/self/statm). */
gsize          hearth_synthetic_rss     (void);

G_END_DECLS
