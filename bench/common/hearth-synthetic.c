/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "hearth-synthetic.h"

#define N_FUNCTIONS 4000

static guint32 *
make_stacks (HearthProfile *profile,
             GRand         *rand,
             guint          n_stacks,
             guint          max_depth)
{
  guint32 *frames = g_new (guint32, N_FUNCTIONS);
  guint32 *stacks = g_new (guint32, n_stacks);
  guint made = 0;

  for (guint i = 0; i < N_FUNCTIONS; i++)
    {
      g_autofree char *name = g_strdup_printf ("module%u::function_%u", i % 37, i);
      HearthFunction f = { 0 };
      HearthFrame fr = { 0 };

      f.name = hearth_profile_intern_string (profile, name);
      f.module = hearth_profile_intern_string (profile, i % 3 ? "/usr/bin/app" : "/usr/lib/libc.so.6");
      fr.function = hearth_profile_intern_function (profile, &f);
      frames[i] = hearth_profile_intern_frame (profile, &fr);
    }

  /* Leaf stacks extend a random earlier leaf by a few frames, so they
   * share prefixes as real programs do. */
  while (made < n_stacks)
    {
      guint32 base = HEARTH_NO_ID;
      guint depth = 0;
      guint extra;
      HearthStack st;

      if (made > 0 && g_rand_int_range (rand, 0, 10) < 9)
        {
          base = stacks[g_rand_int_range (rand, 0, made)];
          hearth_profile_get_stack (profile, base, &st);
          depth = st.depth + 1;
          /* cut back to a random ancestor */
          while (depth > 1 && g_rand_boolean (rand))
            {
              base = st.parent;
              hearth_profile_get_stack (profile, base, &st);
              depth--;
            }
        }
      extra = g_rand_int_range (rand, 1, 6);
      for (guint i = 0; i < extra && depth < max_depth; i++, depth++)
        base = hearth_profile_intern_stack (profile, base, frames[g_rand_int_range (rand, 0, N_FUNCTIONS)]);
      if (base != HEARTH_NO_ID)
        stacks[made++] = base;
    }

  g_free (frames);
  return stacks;
}

/* Zipf via inverse CDF over a precomputed table. */
static guint
zipf_pick (const double *cdf,
           guint         n,
           double        u)
{
  guint lo = 0, hi = n - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (cdf[mid] < u)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

HearthProfile *
hearth_synthetic_profile (guint64 n_samples,
                          guint   n_threads,
                          guint   n_stacks,
                          guint   max_depth,
                          guint32 seed)
{
  HearthProfile *profile = hearth_profile_new ();
  GRand *rand = g_rand_new_with_seed (seed);
  g_autofree guint32 *stacks = make_stacks (profile, rand, n_stacks, max_depth);
  g_autofree double *cdf = g_new (double, n_stacks);
  g_autofree HearthSample *batch = g_new (HearthSample, 4096);
  guint64 per_thread = n_samples / n_threads;
  double sum = 0;

  for (guint i = 0; i < n_stacks; i++)
    sum += cdf[i] = 1.0 / pow (i + 1, 1.1);
  for (guint i = 0, acc = 0; i < n_stacks; i++)
    {
      double v = cdf[i];
      cdf[i] = (acc ? cdf[i - 1] : 0) + v / sum;
      acc = 1;
    }

  hearth_profile_set_metadata (profile, "command-line", "synthetic benchmark session");
  hearth_profile_set_metadata (profile, "mode", "wall");
  hearth_profile_set_metadata (profile, "rate-hz", "1000");

  for (guint t = 0; t < n_threads; t++)
    {
      g_autofree char *name = g_strdup_printf ("worker-%u", t);
      guint32 thread = hearth_profile_add_thread (profile, 1000, 1000 + t, name);
      gint64 time = g_rand_int_range (rand, 0, 1000000);
      guint64 left = per_thread + (t == 0 ? n_samples % n_threads : 0);

      while (left > 0)
        {
          guint n = (guint) MIN (left, (guint64) 4096);

          for (guint i = 0; i < n; i++)
            {
              batch[i].time_ns = time;
              batch[i].stack = stacks[zipf_pick (cdf, n_stacks, g_rand_double (rand))];
              batch[i].weight = 1;
              batch[i].state = g_rand_int_range (rand, 0, 100) < 15 ? HEARTH_THREAD_STATE_SLEEPING
                                                                     : HEARTH_THREAD_STATE_RUNNING;
              time += 1000000 + g_rand_int_range (rand, -200000, 200000);
            }
          hearth_profile_append_samples (profile, thread, batch, n);
          left -= n;
        }
    }

  g_rand_free (rand);
  return profile;
}

gsize
hearth_synthetic_rss (void)
{
  unsigned long size = 0, resident = 0;
  FILE *f = fopen ("/proc/self/statm", "r");

  if (f == NULL)
    return 0;
  if (fscanf (f, "%lu %lu", &size, &resident) != 2)
    resident = 0;
  fclose (f);
  return resident * (gsize) sysconf (_SC_PAGESIZE);
}
