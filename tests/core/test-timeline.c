/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hearth-timeline.h"

#define MS (G_GINT64_CONSTANT (1000000))

/* Thread 0: one running sample every ms for 10 s, sleeping in the second
 * half of every second. Thread 1: one sample every 10 ms. */
static HearthProfile *
make_profile (void)
{
  HearthProfile *profile = hearth_profile_new ();
  HearthFunction f = { 0 };
  HearthFrame fr = { 0 };
  guint32 stack, t0, t1;

  f.name = hearth_profile_intern_string (profile, "f");
  fr.function = hearth_profile_intern_function (profile, &f);
  stack = hearth_profile_intern_stack (profile, HEARTH_NO_ID, hearth_profile_intern_frame (profile, &fr));
  t0 = hearth_profile_add_thread (profile, 1, 1, "main");
  t1 = hearth_profile_add_thread (profile, 1, 2, "worker");

  for (gint64 ms = 0; ms < 10000; ms++)
    {
      HearthSample s = { ms * MS, stack, 1, (ms % 1000) < 500 ? HEARTH_THREAD_STATE_RUNNING : HEARTH_THREAD_STATE_SLEEPING };

      hearth_profile_append_sample (profile, t0, &s);
      if (ms % 10 == 0)
        {
          s.state = HEARTH_THREAD_STATE_DISK_WAIT;
          hearth_profile_append_sample (profile, t1, &s);
        }
    }
  return profile;
}

static guint64
bucket_sum (const HearthBucket *b)
{
  guint64 sum = 0;

  for (guint s = 0; s < HEARTH_N_THREAD_STATES; s++)
    sum += b->weight[s];
  return sum;
}

static void
test_resolutions (void)
{
  g_autoptr(HearthProfile) profile = make_profile ();
  /* table: range and bucket count -> expected per-bucket totals of thread 0 */
  struct {
    gint64 start, end;
    guint n;
    guint64 each;
  } cases[] = {
    { 0, 10000 * MS, 10, 1000 },     /* 1 s buckets, prefix sums */
    { 0, 10000 * MS, 100, 100 },     /* 100 ms */
    { 0, 10000 * MS, 1000, 10 },     /* 10 ms */
    { 2000 * MS, 2100 * MS, 50, 2 },/* 2 ms buckets */
    { 5000 * MS, 5001 * MS, 4, 0 },  /* finer than the data: from samples */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree HearthBucket *b = g_new (HearthBucket, cases[i].n);
      guint64 total = 0;

      hearth_profile_timeline (profile, 0, cases[i].start, cases[i].end, b, cases[i].n);
      for (guint k = 0; k < cases[i].n; k++)
        {
          if (cases[i].each > 0)
            g_assert_cmpuint (bucket_sum (&b[k]), ==, cases[i].each);
          total += bucket_sum (&b[k]);
        }
      if (cases[i].each == 0)
        g_assert_cmpuint (total, ==, 1);
    }
}

static void
test_states_and_threads (void)
{
  g_autoptr(HearthProfile) profile = make_profile ();
  HearthBucket b[10];
  HearthBucket all[10];

  hearth_profile_timeline (profile, 0, 0, 10000 * MS, b, 10);
  for (guint k = 0; k < 10; k++)
    {
      g_assert_cmpuint (b[k].weight[HEARTH_THREAD_STATE_RUNNING], ==, 500);
      g_assert_cmpuint (b[k].weight[HEARTH_THREAD_STATE_SLEEPING], ==, 500);
    }

  hearth_profile_timeline (profile, 1, 0, 10000 * MS, b, 10);
  for (guint k = 0; k < 10; k++)
    g_assert_cmpuint (b[k].weight[HEARTH_THREAD_STATE_DISK_WAIT], ==, 100);

  hearth_profile_timeline (profile, HEARTH_NO_ID, 0, 10000 * MS, all, 10);
  for (guint k = 0; k < 10; k++)
    g_assert_cmpuint (bucket_sum (&all[k]), ==, 1100);
}

/* A session longer than the base grid makes the base width double; the
 * answers must not change. */
static void
test_rescale (void)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  HearthFunction f = { 0 };
  HearthFrame fr = { 0 };
  guint32 stack, t;
  HearthBucket b[4];
  gint64 hour = 3600 * G_GINT64_CONSTANT (1000000000);

  f.name = hearth_profile_intern_string (profile, "f");
  fr.function = hearth_profile_intern_function (profile, &f);
  stack = hearth_profile_intern_stack (profile, HEARTH_NO_ID, hearth_profile_intern_frame (profile, &fr));
  t = hearth_profile_add_thread (profile, 1, 1, "main");

  for (gint64 i = 0; i < 3600 * 10; i++)
    {
      HearthSample s = { i * 100 * MS, stack, 1, HEARTH_THREAD_STATE_RUNNING };
      hearth_profile_append_sample (profile, t, &s);
    }

  hearth_profile_timeline (profile, t, 0, hour, b, 4);
  for (guint k = 0; k < 4; k++)
    g_assert_cmpuint (bucket_sum (&b[k]), ==, 9000);
  g_assert_cmpint (hearth_profile_get_duration_ns (profile), ==, (3600 * 10 - 1) * 100 * MS + 1);
}

/* A huge gap between samples (hours of silence, or a hostile file) must
 * rescale the grid, not allocate rows for every base bucket. */
static void
test_long_gap (void)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  HearthFunction f = { 0 };
  HearthFrame fr = { 0 };
  guint32 stack, t;
  HearthBucket b[2];
  gint64 far = G_GINT64_CONSTANT (1000000000000000);  /* ~11.6 days */

  f.name = hearth_profile_intern_string (profile, "f");
  fr.function = hearth_profile_intern_function (profile, &f);
  stack = hearth_profile_intern_stack (profile, HEARTH_NO_ID, hearth_profile_intern_frame (profile, &fr));
  t = hearth_profile_add_thread (profile, 1, 1, "main");

  hearth_profile_append_sample (profile, t, &(HearthSample) { 0, stack, 1, HEARTH_THREAD_STATE_RUNNING });
  hearth_profile_append_sample (profile, t, &(HearthSample) { 10, stack, 2, HEARTH_THREAD_STATE_SLEEPING });
  hearth_profile_append_sample (profile, t, &(HearthSample) { far, stack, 4, HEARTH_THREAD_STATE_RUNNING });

  hearth_profile_timeline (profile, t, 0, far + 1, b, 2);
  g_assert_cmpuint (bucket_sum (&b[0]), ==, 3);
  g_assert_cmpuint (b[0].weight[HEARTH_THREAD_STATE_SLEEPING], ==, 2);
  g_assert_cmpuint (bucket_sum (&b[1]), ==, 4);
}

static void
test_empty (void)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  HearthBucket b[3] = { { { 7 } } };

  hearth_profile_timeline (profile, HEARTH_NO_ID, 0, MS, b, 3);
  g_assert_cmpuint (bucket_sum (&b[0]), ==, 0);
  hearth_profile_timeline (profile, 5, 0, MS, b, 3);
  hearth_profile_timeline (profile, HEARTH_NO_ID, MS, 0, b, 3);
  g_assert_cmpuint (bucket_sum (&b[2]), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/timeline/resolutions", test_resolutions);
  g_test_add_func ("/hearth/timeline/states-and-threads", test_states_and_threads);
  g_test_add_func ("/hearth/timeline/rescale", test_rescale);
  g_test_add_func ("/hearth/timeline/long-gap", test_long_gap);
  g_test_add_func ("/hearth/timeline/empty", test_empty);

  return g_test_run ();
}
