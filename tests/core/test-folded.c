/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "hearth-call-tree.h"
#include "hearth-error.h"
#include "hearth-folded.h"

static void
test_round_trip (void)
{
  const char *text =
    "main;compute;add 4\n"
    "main;parse 2\n"
    "main;parse;read 3\n"
    "worker;handle (app.py:12);sleep (time.py:3) 5\n"
    "worker;syscall_[k] 1\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthProfile) profile = hearth_folded_load_data (text, strlen (text), "t", 0, NULL, &error);
  g_autoptr(HearthProfile) again = NULL;
  GString *out;
  GString *out2;
  g_autoptr(HearthCallTree) t1 = NULL;
  g_autoptr(HearthCallTree) t2 = NULL;
  g_autofree char *d1 = NULL;
  g_autofree char *d2 = NULL;

  g_assert_no_error (error);
  out = hearth_folded_export (profile, NULL);
  /* sorted lines, same counts; python and kernel frames keep their form */
  g_assert_cmpstr (out->str, ==,
                   "main;compute;add 4\n"
                   "main;parse 2\n"
                   "main;parse;read 3\n"
                   "worker;handle (app.py:12);sleep (time.py:3) 5\n"
                   "worker;syscall_[k] 1\n");

  again = hearth_folded_load_data (out->str, out->len, "again", 0, NULL, &error);
  g_assert_no_error (error);
  out2 = hearth_folded_export (again, NULL);
  g_assert_cmpstr (out->str, ==, out2->str);

  t1 = hearth_call_tree_new (profile, NULL, HEARTH_CALL_TREE_TOP_DOWN);
  t2 = hearth_call_tree_new (again, NULL, HEARTH_CALL_TREE_TOP_DOWN);
  d1 = hearth_call_tree_to_string (t1);
  d2 = hearth_call_tree_to_string (t2);
  g_assert_cmpstr (d1, ==, d2);

  g_string_free (out, TRUE);
  g_string_free (out2, TRUE);
}

static void
test_frame_kinds (void)
{
  const char *text = "main [/usr/bin/app];run (app.py:7);do_sys_open_[k] 2\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthProfile) profile = hearth_folded_load_data (text, strlen (text), "t", 0, NULL, &error);
  HearthFunction f;
  HearthFrame fr;

  g_assert_no_error (error);
  g_assert_cmpuint (hearth_profile_get_n_frames (profile), ==, 3);

  hearth_profile_get_frame (profile, 0, &fr);
  hearth_profile_get_function (profile, fr.function, &f);
  g_assert_cmpstr (hearth_profile_get_string (profile, f.name), ==, "main");
  g_assert_cmpstr (hearth_profile_get_string (profile, f.module), ==, "/usr/bin/app");
  g_assert_cmpint (f.kind, ==, HEARTH_FRAME_KIND_NATIVE);

  hearth_profile_get_frame (profile, 1, &fr);
  hearth_profile_get_function (profile, fr.function, &f);
  g_assert_cmpstr (hearth_profile_get_string (profile, f.name), ==, "run");
  g_assert_cmpstr (hearth_profile_get_string (profile, f.file), ==, "app.py");
  g_assert_cmpuint (fr.line, ==, 7);
  g_assert_cmpint (f.kind, ==, HEARTH_FRAME_KIND_PYTHON);

  hearth_profile_get_frame (profile, 2, &fr);
  hearth_profile_get_function (profile, fr.function, &f);
  g_assert_cmpstr (hearth_profile_get_string (profile, f.name), ==, "do_sys_open");
  g_assert_cmpint (f.kind, ==, HEARTH_FRAME_KIND_KERNEL);
}

static void
test_malformed (void)
{
  struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "a;b 1\nno-count-here\n", "t:2: expected" },
    { "a;b 1\n\na;b x\n", "t:3: the sample count is not a whole number" },
    { "a;b -4\n", "t:1: the sample count" },
    { " 3\n", "t:1: the stack is empty" },
    { ";;; 3\n", "t:1: the stack has no frames" },
    { "a;b 99999999999999999999999\n", "t:1: the sample count" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HearthProfile) profile = NULL;
      guint skipped = 0;

      profile = hearth_folded_load_data (cases[i].text, strlen (cases[i].text), "t", 0, NULL, &error);
      g_assert_null (profile);
      g_assert_error (error, HEARTH_FOLDED_ERROR, HEARTH_FOLDED_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
      g_clear_error (&error);

      /* lenient mode skips and counts; only the first case has a good line */
      profile = hearth_folded_load_data (cases[i].text, strlen (cases[i].text), "t",
                                         HEARTH_FOLDED_FLAGS_LENIENT, &skipped, &error);
      if (i < 2)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (skipped, ==, 1);
        }
      else
        g_assert_error (error, HEARTH_FOLDED_ERROR, HEARTH_FOLDED_ERROR_EMPTY);
    }
}

static void
test_empty_and_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/dir/x.folded");
  g_autoptr(HearthProfile) p1 = hearth_folded_load_data ("", 0, "empty.folded", 0, NULL, &error);

  g_assert_null (p1);
  g_assert_error (error, HEARTH_FOLDED_ERROR, HEARTH_FOLDED_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, "empty.folded"));
  g_clear_error (&error);

  g_assert_null (hearth_folded_load_file (missing, 0, NULL, &error));
  g_assert_error (error, HEARTH_FOLDED_ERROR, HEARTH_FOLDED_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/dir/x.folded"));
}

static void
test_hostile (void)
{
  GRand *rand = g_rand_new_with_seed (20261125);
  const char alphabet[] = "ab;; \t\n0123456789()[]:_k\r\xff\xc3";

  for (guint round = 0; round < 2000; round++)
    {
      gsize len = g_rand_int_range (rand, 0, 400);
      g_autofree char *buf = g_malloc (len + 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(HearthProfile) profile = NULL;
      guint skipped = 0;

      for (gsize i = 0; i < len; i++)
        buf[i] = round % 5 == 0 ? (char) g_rand_int (rand) : alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      buf[len] = '\0';

      profile = hearth_folded_load_data (buf, len, "fuzz", round % 2 ? HEARTH_FOLDED_FLAGS_LENIENT : 0, &skipped, &error);
      g_assert_true ((profile == NULL) == (error != NULL));
      if (profile != NULL)
        {
          GString *out = hearth_folded_export (profile, NULL);
          g_assert_true (g_utf8_validate (out->str, out->len, NULL));
          g_string_free (out, TRUE);
        }
    }
  g_rand_free (rand);
}

static void
test_huge_counts (void)
{
  const char *text = "main;work 4000000000\nmain;idle 1\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthProfile) profile = hearth_folded_load_data (text, strlen (text), "t", 0, NULL, &error);
  GString *out;

  g_assert_no_error (error);
  /* bounded samples, exact weight */
  g_assert_cmpuint (hearth_profile_get_n_samples (profile), <=, 65);
  g_assert_cmpuint (hearth_profile_get_total_weight (profile), ==, G_GUINT64_CONSTANT (4000000001));
  out = hearth_folded_export (profile, NULL);
  g_assert_cmpstr (out->str, ==, "main;idle 1\nmain;work 4000000000\n");
  g_string_free (out, TRUE);
}

static void
test_demo_file (void)
{
  g_autofree char *path = g_build_filename (SOURCE_ROOT, "demo", "demo.folded", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthProfile) profile = hearth_folded_load_file (file, 0, NULL, &error);
  g_autoptr(HearthCallTree) tree = NULL;
  g_autofree char *summary = NULL;

  g_assert_no_error (error);
  tree = hearth_call_tree_new (profile, NULL, HEARTH_CALL_TREE_TOP_DOWN);
  g_assert_cmpuint (hearth_call_tree_get_n_nodes (tree), >, 5);
  summary = hearth_profile_describe (profile, 5);
  g_assert_nonnull (strstr (summary, "retry_backoff"));
}

static void
test_save_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hearth-folded-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.folded", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad = g_file_new_for_path ("/nonexistent/dir/out.folded");
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthProfile) profile = hearth_folded_load_data ("x;y 3\n", 6, "t", 0, NULL, &error);
  g_autofree char *contents = NULL;

  g_assert_true (hearth_folded_save (profile, NULL, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "x;y 3\n");
  g_assert_false (hearth_folded_save (profile, NULL, bad, &error));
  g_assert_error (error, HEARTH_FOLDED_ERROR, HEARTH_FOLDED_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/dir/out.folded"));

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/folded/round-trip", test_round_trip);
  g_test_add_func ("/hearth/folded/frame-kinds", test_frame_kinds);
  g_test_add_func ("/hearth/folded/malformed", test_malformed);
  g_test_add_func ("/hearth/folded/empty-and-missing", test_empty_and_missing);
  g_test_add_func ("/hearth/folded/hostile", test_hostile);
  g_test_add_func ("/hearth/folded/huge-counts", test_huge_counts);
  g_test_add_func ("/hearth/folded/demo-file", test_demo_file);
  g_test_add_func ("/hearth/folded/save-file", test_save_file);

  return g_test_run ();
}
