/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hearth-call-tree.h"
#include "hearth-profile.h"

static guint32
add_frame (HearthProfile *profile,
           const char    *name,
           const char    *module)
{
  HearthFunction f = { 0 };
  HearthFrame fr = { 0 };

  f.name = hearth_profile_intern_string (profile, name);
  f.module = hearth_profile_intern_string (profile, module);
  fr.function = hearth_profile_intern_function (profile, &f);
  return hearth_profile_intern_frame (profile, &fr);
}

static void
test_interning (void)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  guint32 a, b, a2, s1, s2, s3;
  HearthStack st;

  g_assert_cmpuint (hearth_profile_intern_string (profile, ""), ==, 0);
  g_assert_cmpuint (hearth_profile_intern_string (profile, NULL), ==, 0);
  g_assert_cmpuint (hearth_profile_intern_string (profile, "x"), ==, hearth_profile_intern_string (profile, "x"));
  /* invalid UTF-8 is made valid, never stored raw */
  g_assert_true (g_utf8_validate (hearth_profile_get_string (profile, hearth_profile_intern_string (profile, "bad\xff")), -1, NULL));

  a = add_frame (profile, "main", "app");
  b = add_frame (profile, "work", "app");
  a2 = add_frame (profile, "main", "app");
  g_assert_cmpuint (a, ==, a2);
  g_assert_cmpuint (a, !=, b);
  /* same name in another module is another function */
  g_assert_cmpuint (add_frame (profile, "main", "other"), !=, a);

  s1 = hearth_profile_intern_stack (profile, HEARTH_NO_ID, a);
  s2 = hearth_profile_intern_stack (profile, s1, b);
  s3 = hearth_profile_intern_stack_path (profile, (guint32[]) { a, b }, 2);
  g_assert_cmpuint (s2, ==, s3);
  g_assert_true (hearth_profile_get_stack (profile, s2, &st));
  g_assert_cmpuint (st.parent, ==, s1);
  g_assert_cmpuint (st.depth, ==, 1);
  g_assert_cmpuint (hearth_profile_get_stack_function (profile, s2), ==,
                    hearth_profile_get_stack_function (profile, hearth_profile_intern_stack (profile, HEARTH_NO_ID, b)));

  /* dangling ids are refused, not trusted */
  g_assert_cmpuint (hearth_profile_intern_stack (profile, 999, a), ==, HEARTH_NO_ID);
  g_assert_cmpuint (hearth_profile_intern_stack (profile, HEARTH_NO_ID, 999), ==, HEARTH_NO_ID);
  g_assert_cmpuint (hearth_profile_intern_frame (profile, &(HearthFrame) { 999, 0, 0 }), ==, HEARTH_NO_ID);
  g_assert_false (hearth_profile_get_stack (profile, 999, &st));
}

static void
test_threads_and_samples (void)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  guint32 frame = add_frame (profile, "main", "app");
  guint32 stack = hearth_profile_intern_stack (profile, HEARTH_NO_ID, frame);
  guint32 t0 = hearth_profile_add_thread (profile, 10, 10, "main");
  guint32 t1 = hearth_profile_add_thread (profile, 10, 11, "worker");
  HearthSample out[4];
  HearthThread th;
  guint64 gen = hearth_profile_get_generation (profile);

  g_assert_cmpuint (hearth_profile_add_thread (profile, 10, 11, "renamed"), ==, t1);
  g_assert_true (hearth_profile_get_thread (profile, t1, &th));
  g_assert_cmpstr (hearth_profile_get_string (profile, th.name), ==, "renamed");
  g_assert_cmpint (th.tid, ==, 11);

  hearth_profile_append_sample (profile, t0, &(HearthSample) { 100, stack, 1, HEARTH_THREAD_STATE_RUNNING });
  hearth_profile_append_sample (profile, t0, &(HearthSample) { 50, stack, 2, HEARTH_THREAD_STATE_SLEEPING });
  hearth_profile_append_sample (profile, t0, &(HearthSample) { 200, 12345, 1, 77 });
  hearth_profile_append_sample (profile, 99, &(HearthSample) { 200, stack, 1, 0 });
  g_assert_cmpuint (hearth_profile_get_generation (profile), >, gen);

  g_assert_cmpuint (hearth_profile_get_n_samples (profile), ==, 3);
  g_assert_cmpuint (hearth_profile_get_total_weight (profile), ==, 4);
  g_assert_cmpuint (hearth_profile_read_thread_samples (profile, t0, 0, out, 4), ==, 3);
  /* out-of-order time is clamped to keep the column sorted */
  g_assert_cmpint (out[1].time_ns, ==, 100);
  /* unknown stack and state are sanitised */
  g_assert_cmpuint (out[2].stack, ==, HEARTH_NO_ID);
  g_assert_cmpuint (out[2].state, ==, HEARTH_THREAD_STATE_OTHER);
  g_assert_cmpint (hearth_profile_get_duration_ns (profile), ==, 201);
  g_assert_cmpuint (hearth_profile_get_n_thread_samples (profile, t1), ==, 0);
}

static void
test_metadata_and_markers (void)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_auto(GStrv) keys = NULL;
  g_autofree char *host = NULL;
  HearthMarker m;

  hearth_profile_set_metadata (profile, "pid", "42");
  hearth_profile_set_metadata (profile, "host", "box");
  hearth_profile_set_metadata (profile, "gone", "x");
  hearth_profile_set_metadata (profile, "gone", NULL);
  keys = hearth_profile_list_metadata (profile);
  g_assert_cmpuint (g_strv_length (keys), ==, 2);
  g_assert_cmpstr (keys[0], ==, "host");
  host = hearth_profile_dup_metadata (profile, "host");
  g_assert_cmpstr (host, ==, "box");

  hearth_profile_add_marker (profile, 5000, 4000, "process-exited", "exit status 0");
  g_assert_cmpuint (hearth_profile_get_n_markers (profile), ==, 1);
  g_assert_true (hearth_profile_get_marker (profile, 0, &m));
  g_assert_cmpint (m.end_ns, ==, 5000);
  g_assert_cmpstr (hearth_profile_get_string (profile, m.kind), ==, "process-exited");
  g_assert_cmpint (hearth_profile_get_duration_ns (profile), ==, 5000);
}

/* Live sessions: one thread appends while another aggregates. Every tree
 * must be internally consistent (root total = sum of children). */
typedef struct
{
  HearthProfile *profile;
  guint32        stacks[3];
  gint           done;
} LiveData;

static gpointer
writer_thread (gpointer data)
{
  LiveData *live = data;
  guint32 t = hearth_profile_add_thread (live->profile, 1, 1, "main");

  for (guint i = 0; i < 200000; i++)
    {
      HearthSample s = { i * 1000, live->stacks[i % 3], 1, HEARTH_THREAD_STATE_RUNNING };
      hearth_profile_append_sample (live->profile, t, &s);
    }
  g_atomic_int_set (&live->done, 1);
  return NULL;
}

static void
test_append_while_reading (void)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  LiveData live = { profile };
  guint32 a = add_frame (profile, "a", ""), b = add_frame (profile, "b", ""), c = add_frame (profile, "c", "");
  GThread *thread;
  guint rounds = 0;

  live.stacks[0] = hearth_profile_intern_stack (profile, HEARTH_NO_ID, a);
  live.stacks[1] = hearth_profile_intern_stack (profile, live.stacks[0], b);
  live.stacks[2] = hearth_profile_intern_stack (profile, live.stacks[0], c);

  thread = g_thread_new ("writer", writer_thread, &live);
  while (!g_atomic_int_get (&live.done) || rounds < 3)
    {
      g_autoptr(HearthCallTree) tree = hearth_call_tree_new (profile, NULL, HEARTH_CALL_TREE_TOP_DOWN);
      const HearthCallNode *root = hearth_call_tree_get_node (tree, 0);
      guint64 sum = 0;

      for (guint i = 0; i < root->n_children; i++)
        sum += hearth_call_tree_get_node (tree, hearth_call_tree_get_child (tree, 0, i))->total_a;
      g_assert_cmpuint (sum, ==, root->total_a);
      rounds++;
    }
  g_thread_join (thread);
  g_assert_cmpuint (hearth_profile_get_n_samples (profile), ==, 200000);
}

static void
test_describe (void)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  guint32 s = hearth_profile_intern_stack (profile, HEARTH_NO_ID, add_frame (profile, "main", ""));
  guint32 t = hearth_profile_add_thread (profile, 1, 1, "main");
  g_autofree char *text = NULL;

  s = hearth_profile_intern_stack (profile, s, add_frame (profile, "retry_backoff", ""));
  hearth_profile_append_sample (profile, t, &(HearthSample) { 0, s, 3, 1 });
  text = hearth_profile_describe (profile, 5);
  g_assert_nonnull (strstr (text, "Samples:   1 (weight 3)"));
  g_assert_nonnull (strstr (text, "Heaviest stack: main → retry_backoff (100.0%)"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/profile/interning", test_interning);
  g_test_add_func ("/hearth/profile/threads-and-samples", test_threads_and_samples);
  g_test_add_func ("/hearth/profile/metadata-and-markers", test_metadata_and_markers);
  g_test_add_func ("/hearth/profile/append-while-reading", test_append_while_reading);
  g_test_add_func ("/hearth/profile/describe", test_describe);

  return g_test_run ();
}
