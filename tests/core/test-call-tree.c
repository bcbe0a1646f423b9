/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hearth-call-tree.h"
#include "hearth-folded.h"

/* Trees are built from folded text and compared with hand-computed dumps:
 * "name self total", two spaces of indent per level, children by name. */

static HearthProfile *
load (const char *folded)
{
  g_autoptr(GError) error = NULL;
  HearthProfile *profile = hearth_folded_load_data (folded, strlen (folded), "test", 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static void
assert_tree (HearthCallTree *tree,
             const char     *expected)
{
  g_autofree char *dump = hearth_call_tree_to_string (tree);

  g_assert_cmpstr (dump, ==, expected);
}

static const char *basic =
  "main;parse;read 3\n"
  "main;parse 2\n"
  "main;compute;add 4\n"
  "main;compute;mul 1\n"
  "idle 5\n";

static void
test_top_down (void)
{
  g_autoptr(HearthProfile) profile = load (basic);
  g_autoptr(HearthCallTree) tree = hearth_call_tree_new (profile, NULL, HEARTH_CALL_TREE_TOP_DOWN);

  assert_tree (tree,
               "idle 5 5\n"
               "main 0 10\n"
               "  compute 0 5\n"
               "    add 4 4\n"
               "    mul 1 1\n"
               "  parse 2 5\n"
               "    read 3 3\n");
  g_assert_cmpuint (hearth_call_tree_get_total_a (tree), ==, 15);
  g_assert_cmpuint (hearth_call_tree_get_max_depth (tree), ==, 3);
}

static void
test_bottom_up (void)
{
  g_autoptr(HearthProfile) profile = load (basic);
  g_autoptr(HearthCallTree) tree = hearth_call_tree_new (profile, NULL, HEARTH_CALL_TREE_BOTTOM_UP);

  /* roots are leaf functions with their self time; below them, callers */
  assert_tree (tree,
               "add 0 4\n"
               "  compute 0 4\n"
               "    main 4 4\n"
               "idle 5 5\n"
               "mul 0 1\n"
               "  compute 0 1\n"
               "    main 1 1\n"
               "parse 0 2\n"
               "  main 2 2\n"
               "read 0 3\n"
               "  parse 0 3\n"
               "    main 3 3\n");
}

static void
test_recursion_top_functions (void)
{
  g_autoptr(HearthProfile) profile = load ("main;fib;fib;fib 6\n"
                                           "main;fib;fib 2\n"
                                           "main;other 2\n");
  g_autoptr(GArray) top = hearth_profile_top_functions (profile, NULL, NULL);
  const HearthFunctionStats *st;
  HearthFunction f;

  g_assert_cmpuint (top->len, ==, 3);

  /* main first (total 10), then fib: recursion counted once -> 8, not 20 */
  st = &g_array_index (top, HearthFunctionStats, 0);
  hearth_profile_get_function (profile, st->function, &f);
  g_assert_cmpstr (hearth_profile_get_string (profile, f.name), ==, "main");
  g_assert_cmpuint (st->total_a, ==, 10);
  g_assert_cmpuint (st->self_a, ==, 0);

  st = &g_array_index (top, HearthFunctionStats, 1);
  hearth_profile_get_function (profile, st->function, &f);
  g_assert_cmpstr (hearth_profile_get_string (profile, f.name), ==, "fib");
  g_assert_cmpuint (st->total_a, ==, 8);
  g_assert_cmpuint (st->self_a, ==, 8);

  st = &g_array_index (top, HearthFunctionStats, 2);
  g_assert_cmpuint (st->total_a, ==, 2);
}

/* Two folded imports in one profile make two time ranges: A = first file,
 * B = second. */
static HearthProfile *
load_two_ranges (const char *a,
                 const char *b,
                 gint64     *split)
{
  g_autoptr(GError) error = NULL;
  HearthProfile *profile = load (a);

  *split = hearth_profile_get_duration_ns (profile);
  g_assert_true (hearth_folded_import (profile, b, strlen (b), "b", 0, NULL, &error));
  g_assert_no_error (error);
  return profile;
}

static void
test_diff (void)
{
  gint64 split;
  g_autoptr(HearthProfile) profile = load_two_ranges ("main;work 8\nmain;sleep 2\n",
                                                      "main;work 2\nmain;sleep 6\nmain;new 2\n",
                                                      &split);
  HearthSelection a = { 0, split, NULL, 0, FALSE };
  HearthSelection b = { split, 0, NULL, 0, FALSE };
  g_autoptr(HearthCallTree) tree = hearth_call_tree_new_diff (profile, &a, &b);
  guint32 path[2];
  guint32 node;
  const HearthCallNode *n;
  HearthFunction f;

  assert_tree (tree,
               "main 0 10 | 0 10\n"
               "  new 0 0 | 2 2\n"
               "  sleep 2 2 | 6 6\n"
               "  work 8 8 | 2 2\n");

  /* find "main;work" through function ids and check the normalised delta */
  path[0] = hearth_call_tree_get_node (tree, hearth_call_tree_get_child (tree, 0, 0))->function;
  node = hearth_call_tree_get_child (tree, hearth_call_tree_get_child (tree, 0, 0), 2);
  n = hearth_call_tree_get_node (tree, node);
  hearth_profile_get_function (profile, n->function, &f);
  g_assert_cmpstr (hearth_profile_get_string (profile, f.name), ==, "work");
  path[1] = n->function;
  g_assert_cmpuint (hearth_call_tree_find_path (tree, path, 2), ==, node);
  g_assert_cmpfloat_with_epsilon (hearth_diff_delta (n->total_a, 10, n->total_b, 10), -0.6, 1e-9);
  g_assert_cmpfloat_with_epsilon (hearth_diff_delta (0, 10, 2, 10), 0.2, 1e-9);
  g_assert_cmpfloat_with_epsilon (hearth_diff_delta (5, 0, 0, 0), 0.0, 1e-9);
}

static void
test_range_and_threads (void)
{
  gint64 split;
  g_autoptr(HearthProfile) profile = load_two_ranges ("a;b 4\n", "a;c 4\n", &split);
  HearthSelection first = { 0, split, NULL, 0, FALSE };
  HearthSelection second = { split, 0, NULL, 0, FALSE };
  guint32 no_thread = 7;
  HearthSelection nothing = { 0, 0, &no_thread, 1, FALSE };
  g_autoptr(HearthCallTree) t1 = hearth_call_tree_new (profile, &first, HEARTH_CALL_TREE_TOP_DOWN);
  g_autoptr(HearthCallTree) t2 = hearth_call_tree_new (profile, &second, HEARTH_CALL_TREE_TOP_DOWN);
  g_autoptr(HearthCallTree) t3 = hearth_call_tree_new (profile, &nothing, HEARTH_CALL_TREE_TOP_DOWN);

  assert_tree (t1, "a 0 4\n  b 4 4\n");
  assert_tree (t2, "a 0 4\n  c 4 4\n");
  assert_tree (t3, "");
  g_assert_cmpuint (hearth_call_tree_get_n_nodes (t3), ==, 1);
}

static void
test_running_only (void)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  HearthFunction f = { 0 };
  HearthFrame fr = { 0 };
  HearthSample s = { 0 };
  HearthSelection running = { 0, 0, NULL, 0, TRUE };
  guint32 thread, stack_busy, stack_sleep;
  g_autoptr(HearthCallTree) all = NULL;
  g_autoptr(HearthCallTree) cpu = NULL;

  thread = hearth_profile_add_thread (profile, 1, 1, "main");
  f.name = hearth_profile_intern_string (profile, "busy");
  fr.function = hearth_profile_intern_function (profile, &f);
  stack_busy = hearth_profile_intern_stack (profile, HEARTH_NO_ID, hearth_profile_intern_frame (profile, &fr));
  f.name = hearth_profile_intern_string (profile, "nanosleep");
  fr.function = hearth_profile_intern_function (profile, &f);
  stack_sleep = hearth_profile_intern_stack (profile, HEARTH_NO_ID, hearth_profile_intern_frame (profile, &fr));

  for (int i = 0; i < 10; i++)
    {
      s.time_ns = i * 1000;
      s.weight = 1;
      s.stack = i < 3 ? stack_busy : stack_sleep;
      s.state = i < 3 ? HEARTH_THREAD_STATE_RUNNING : HEARTH_THREAD_STATE_SLEEPING;
      hearth_profile_append_sample (profile, thread, &s);
    }

  all = hearth_call_tree_new (profile, NULL, HEARTH_CALL_TREE_TOP_DOWN);
  cpu = hearth_call_tree_new (profile, &running, HEARTH_CALL_TREE_TOP_DOWN);
  assert_tree (all, "busy 3 3\nnanosleep 7 7\n");
  assert_tree (cpu, "busy 3 3\n");
  g_assert_cmpuint (hearth_profile_count_samples (profile, &running), ==, 3);
  g_assert_cmpuint (hearth_profile_count_samples (profile, NULL), ==, 10);
}

static void
test_callees (void)
{
  g_autoptr(HearthProfile) profile = load ("main;a;lock;futex 3\n"
                                           "main;b;lock;futex 2\n"
                                           "main;b;lock 1\n"
                                           "main;lock;lock;spin 1\n"
                                           "main;c 4\n");
  HearthFunction f;
  guint32 lock = HEARTH_NO_ID;
  g_autoptr(HearthCallTree) tree = NULL;

  for (guint i = 0; i < hearth_profile_get_n_functions (profile); i++)
    {
      hearth_profile_get_function (profile, i, &f);
      if (g_str_equal (hearth_profile_get_string (profile, f.name), "lock"))
        lock = i;
    }
  g_assert_cmpuint (lock, !=, HEARTH_NO_ID);

  tree = hearth_call_tree_new_callees (profile, NULL, lock);
  assert_tree (tree,
               "lock 1 7\n"
               "  futex 5 5\n"
               "  lock 0 1\n"
               "    spin 1 1\n");
}

static void
test_paths (void)
{
  g_autoptr(HearthProfile) profile = load (basic);
  g_autoptr(HearthCallTree) tree = hearth_call_tree_new (profile, NULL, HEARTH_CALL_TREE_TOP_DOWN);
  guint32 main_node = hearth_call_tree_get_child (tree, 0, 1);
  guint32 parse = hearth_call_tree_get_child (tree, main_node, 1);
  guint32 read = hearth_call_tree_get_child (tree, parse, 0);
  g_auto(GStrv) path = hearth_call_tree_get_path (tree, read);

  g_assert_cmpstr (hearth_call_tree_get_name (tree, 0), ==, "all");
  g_assert_cmpuint (g_strv_length (path), ==, 3);
  g_assert_cmpstr (path[0], ==, "main");
  g_assert_cmpstr (path[2], ==, "read");
  g_assert_cmpuint (hearth_call_tree_get_node (tree, read)->parent, ==, parse);

  {
    guint n_nodes, n_children;
    const HearthCallNode *nodes = hearth_call_tree_get_nodes (tree, &n_nodes);
    const guint32 *children = hearth_call_tree_get_children (tree, main_node, &n_children);

    g_assert_true (nodes == hearth_call_tree_get_node (tree, 0));
    g_assert_cmpuint (n_nodes, ==, hearth_call_tree_get_n_nodes (tree));
    g_assert_cmpuint (n_children, ==, 2);
    g_assert_cmpuint (children[1], ==, parse);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/call-tree/top-down", test_top_down);
  g_test_add_func ("/hearth/call-tree/bottom-up", test_bottom_up);
  g_test_add_func ("/hearth/call-tree/top-functions-recursion", test_recursion_top_functions);
  g_test_add_func ("/hearth/call-tree/diff", test_diff);
  g_test_add_func ("/hearth/call-tree/range-and-threads", test_range_and_threads);
  g_test_add_func ("/hearth/call-tree/running-only", test_running_only);
  g_test_add_func ("/hearth/call-tree/callees", test_callees);
  g_test_add_func ("/hearth/call-tree/paths", test_paths);

  return g_test_run ();
}
