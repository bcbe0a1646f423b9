/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-profile.h"

G_BEGIN_DECLS

/* Sample weight per time bucket, split by thread state. */
typedef struct
{
  guint64 weight[HEARTH_N_THREAD_STATES];
} HearthBucket;

/*
 * Fill n_buckets equal buckets covering [start_ns, end_ns) with the weights
 * of one thread (thread index) or of all threads (HEARTH_NO_ID).
 *
 * The profile keeps per-thread prefix sums over fixed base buckets, so a
 * query costs O(n_buckets) whatever the number of samples; only buckets
 * narrower than the base resolution look at individual samples, and then
 * only at those inside the range.
 */
void hearth_profile_timeline (HearthProfile *profile,
                              guint32        thread,
                              gint64         start_ns,
                              gint64         end_ns,
                              HearthBucket  *buckets,
                              guint          n_buckets);

G_END_DECLS
