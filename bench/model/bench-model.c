/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "hearth-call-tree.h"
#include "hearth-synthetic.h"
#include "hearth-timeline.h"

/* In-memory model figures for the 10 M-sample benchmark session:
 * build rate, RAM per sample, aggregation of the full range and of 1%,
 * bottom-up tree, top functions and timeline buckets. */

/* Thread CPU time: on a shared, loaded machine wall time mostly measures
 * waiting for a core. HEARTH_BENCH_WALL=1 switches to wall-clock time. */
static double
now_ms (void)
{
  struct timespec ts;

  if (g_getenv ("HEARTH_BENCH_WALL") != NULL)
    return g_get_monotonic_time () / 1000.0;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Best of n runs, after one warm-up. */
#define TIME_BEST(n, result, stmt)                  \
  G_STMT_START {                                    \
    stmt;                                           \
    result = G_MAXDOUBLE;                           \
    for (int i_ = 0; i_ < (n); i_++)                \
      {                                             \
        double t0_ = now_ms ();                     \
        stmt;                                       \
        result = MIN (result, now_ms () - t0_);     \
      }                                             \
  } G_STMT_END

int
main (int   argc,
      char *argv[])
{
  guint64 n_samples = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 10000000;
  g_autoptr(HearthProfile) profile = NULL;
  gsize rss0, rss1;
  double t0, build_ms, full_ms, pct_ms, bu_ms, top_ms, tl_ms, tl_zoom_ms;
  gint64 duration;
  HearthSelection one_pct = { 0 };
  HearthBucket buckets[2000];

  rss0 = hearth_synthetic_rss ();
  t0 = now_ms ();
  profile = hearth_synthetic_profile (n_samples, 8, 20000, 64, 42);
  build_ms = now_ms () - t0;
  rss1 = hearth_synthetic_rss ();

  duration = hearth_profile_get_duration_ns (profile);
  one_pct.start_ns = duration / 2;
  one_pct.end_ns = duration / 2 + duration / 100;

  TIME_BEST (5, full_ms, g_object_unref (hearth_call_tree_new (profile, NULL, HEARTH_CALL_TREE_TOP_DOWN)));
  TIME_BEST (20, pct_ms, g_object_unref (hearth_call_tree_new (profile, &one_pct, HEARTH_CALL_TREE_TOP_DOWN)));
  TIME_BEST (3, bu_ms, g_object_unref (hearth_call_tree_new (profile, NULL, HEARTH_CALL_TREE_BOTTOM_UP)));
  TIME_BEST (3, top_ms, g_array_unref (hearth_profile_top_functions (profile, NULL, NULL)));
  TIME_BEST (20, tl_ms, hearth_profile_timeline (profile, HEARTH_NO_ID, 0, duration, buckets, 2000));
  TIME_BEST (20, tl_zoom_ms, hearth_profile_timeline (profile, 3, one_pct.start_ns, one_pct.end_ns, buckets, 2000));

  printf ("times are best-of-n %s time\n", g_getenv ("HEARTH_BENCH_WALL") ? "wall-clock" : "thread CPU");
  printf ("samples                      %" G_GUINT64_FORMAT " (%u threads, %u stacks, %.0f s span)\n",
          hearth_profile_get_n_samples (profile), hearth_profile_get_n_threads (profile),
          hearth_profile_get_n_stacks (profile), duration / 1e9);
  printf ("append rate                  %.2f M samples/s (incl. generation)\n", n_samples / build_ms / 1000.0);
  printf ("RAM per sample               %.1f bytes (target <= 24)\n", (double) (rss1 - rss0) / n_samples);
  printf ("aggregate full range         %.1f ms (target <= 100)\n", full_ms);
  printf ("aggregate 1%% range           %.2f ms (target <= 5)\n", pct_ms);
  printf ("bottom-up tree, full range   %.1f ms\n", bu_ms);
  printf ("top functions, full range    %.1f ms\n", top_ms);
  printf ("timeline 2000 buckets, all   %.2f ms\n", tl_ms);
  printf ("timeline 2000 buckets, 1%%    %.2f ms (one thread)\n", tl_zoom_ms);

  return 0;
}
