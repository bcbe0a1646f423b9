/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "hearth-export.h"
#include "hearth-painter.h"
#include "hearth-session-store.h"
#include "render-test-util.h"

typedef struct
{
  char *dir;
} Tmp;

static void
tmp_clear (Tmp *t)
{
  if (t->dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (t->dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (t->dir, name, NULL);
          g_unlink (path);
        }
      g_rmdir (t->dir);
      g_clear_pointer (&t->dir, g_free);
    }
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tmp, tmp_clear)

static void
tmp_init (Tmp *t)
{
  g_autoptr(GError) error = NULL;

  t->dir = g_dir_make_tmp ("hearth-render-XXXXXX", &error);
  g_assert_no_error (error);
}

static char *
tmp_path (Tmp        *t,
          const char *name)
{
  return g_build_filename (t->dir, name, NULL);
}

static char *
write_file (Tmp        *t,
            const char *name,
            const char *data,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = tmp_path (t, name);

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return path;
}

static const char *
export_tool (void)
{
  static char *path;

  if (path == NULL)
    {
      const char *root = g_getenv ("HEARTH_BUILD_ROOT");

      g_assert_nonnull (root);
      path = g_build_filename (root, "src", "render", "hearth-export", NULL);
    }
  return path;
}

/* Run hearth-export; returns its exit status (asserting it was not killed
 * by a signal) and its stderr. */
static int
run_export (const char * const *args,
            char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  int status = 0;

  g_ptr_array_add (argv, (gpointer) export_tool ());
  g_ptr_array_add (argv, (gpointer) "export");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  /* Under LeakSanitizer, fontconfig's caches held until exit would turn
   * every exit status into a leak report; suppress only those. */
  if (g_getenv ("HEARTH_SOURCE_ROOT") != NULL)
    {
      g_autofree char *supp = g_build_filename (g_getenv ("HEARTH_SOURCE_ROOT"), "tests", "render",
                                                "lsan.supp", NULL);
      g_autofree char *opts = g_strdup_printf ("suppressions=%s:print_suppressions=0", supp);

      envp = g_environ_setenv (envp, "LSAN_OPTIONS", opts, FALSE);
    }

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &out, err, &status, &error);
  g_assert_no_error (error);

  if (WIFSIGNALED (status))
    g_error ("hearth-export died of signal %d (%s)", WTERMSIG (status), *err);
  g_assert_true (WIFEXITED (status));

  return WEXITSTATUS (status);
}

/* --- SVG reading (GMarkup) ---------------------------------------------------- */

typedef struct
{
  guint      n_frames;
  guint      n_titles;
  GPtrArray *titles;
  GPtrArray *fills;      /* fill of each frame's rect, same order as titles */
  GString   *text;
  gboolean   in_frame;
  gboolean   in_title;
} SvgInfo;

static void
svg_start (GMarkupParseContext  *context,
           const char           *element,
           const char          **names,
           const char          **values,
           gpointer              user_data,
           GError              **error)
{
  SvgInfo *info = user_data;

  if (g_str_equal (element, "g"))
    for (guint i = 0; names[i]; i++)
      if (g_str_equal (names[i], "class") && g_str_equal (values[i], "frame"))
        {
          info->n_frames++;
          info->in_frame = TRUE;
        }

  if (g_str_equal (element, "title") && info->in_frame)
    {
      info->in_title = TRUE;
      g_string_truncate (info->text, 0);
    }

  if ((g_str_equal (element, "rect") || g_str_equal (element, "path")) && info->in_frame)
    for (guint i = 0; names[i]; i++)
      if (g_str_equal (names[i], "fill") && !g_str_equal (values[i], "none"))
        g_ptr_array_add (info->fills, g_strdup (values[i]));
}

static void
svg_end (GMarkupParseContext  *context,
         const char           *element,
         gpointer              user_data,
         GError              **error)
{
  SvgInfo *info = user_data;

  if (g_str_equal (element, "title") && info->in_title)
    {
      info->in_title = FALSE;
      info->n_titles++;
      g_ptr_array_add (info->titles, g_strdup (info->text->str));
    }
  if (g_str_equal (element, "g"))
    info->in_frame = FALSE;
}

static void
svg_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 len,
          gpointer              user_data,
          GError              **error)
{
  SvgInfo *info = user_data;

  if (info->in_title)
    g_string_append_len (info->text, text, len);
}

static void
svg_info_clear (SvgInfo *info)
{
  g_clear_pointer (&info->titles, g_ptr_array_unref);
  g_clear_pointer (&info->fills, g_ptr_array_unref);
  if (info->text)
    g_string_free (g_steal_pointer (&info->text), TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SvgInfo, svg_info_clear)

static void
parse_svg (const char *data,
           gsize       len,
           SvgInfo    *info)
{
  static const GMarkupParser parser = { svg_start, svg_end, svg_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;

  info->titles = g_ptr_array_new_with_free_func (g_free);
  info->fills = g_ptr_array_new_with_free_func (g_free);
  info->text = g_string_new (NULL);

  context = g_markup_parse_context_new (&parser, 0, info, NULL);
  g_markup_parse_context_parse (context, data, len, &error);
  if (error == NULL)
    g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->n_titles, ==, info->n_frames);
  g_assert_cmpuint (info->fills->len, ==, info->n_frames);
}

static void
parse_svg_file (const char *path,
                SvgInfo    *info)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  parse_svg (data, len, info);

  /* libxml2 is stricter than GMarkup about XML characters. */
  if (xmllint != NULL)
    {
      const char *argv[] = { xmllint, "--noout", path, NULL };
      g_autofree char *err = NULL;
      int status = 0;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                    NULL, &err, &status, &error);
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("xmllint rejects %s: %s", path, err);
    }
}

static const char *
find_title (SvgInfo    *info,
            const char *prefix,
            guint      *index)
{
  for (guint i = 0; i < info->titles->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (info->titles, i), prefix))
      {
        if (index)
          *index = i;
        return g_ptr_array_index (info->titles, i);
      }
  return NULL;
}

static void
assert_png (const char *path,
            int         width,
            int         min_height)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (surface), >=, min_height);
  cairo_surface_destroy (surface);
}

/* --- sessions ------------------------------------------------------------------- */

static guint32
stack_of (HearthProfile *profile,
          const char    *path)
{
  g_auto(GStrv) names = g_strsplit (path, ";", -1);
  guint32 stack = HEARTH_NO_ID;

  for (guint i = 0; names[i]; i++)
    {
      HearthFunction fn = { .name = hearth_profile_intern_string (profile, names[i]),
                            .module = hearth_profile_intern_string (profile, "/usr/bin/app"),
                            .kind = HEARTH_FRAME_KIND_NATIVE };
      HearthFrame frame = { .function = hearth_profile_intern_function (profile, &fn) };

      stack = hearth_profile_intern_stack (profile, stack, hearth_profile_intern_frame (profile, &frame));
    }
  return stack;
}

/* Two threads over 2 s: in the first second thread 4242 spends 20% in
 * grower and 80% in shrinker, in the second the reverse; thread 4243
 * sleeps. */
static char *
make_session (Tmp *t)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_autoptr(GError) error = NULL;
  guint32 worker = hearth_profile_add_thread (profile, 100, 4242, "worker");
  guint32 idle = hearth_profile_add_thread (profile, 100, 4243, "idle");
  guint32 grower = stack_of (profile, "main;work;grower");
  guint32 shrinker = stack_of (profile, "main;work;shrinker");
  guint32 sleeper = stack_of (profile, "main;idle;nanosleep");
  char *path = tmp_path (t, "test.profsession");

  for (guint i = 0; i < 200; i++)
    {
      gint64 time = (gint64) i * 10000000;
      gboolean first = i < 100;
      guint slot = i % 10;
      HearthSample s = { .time_ns = time, .weight = 1, .state = HEARTH_THREAD_STATE_RUNNING };
      HearthSample z = { .time_ns = time, .weight = 1, .state = HEARTH_THREAD_STATE_SLEEPING,
                         .stack = sleeper };

      s.stack = (first ? slot < 2 : slot < 8) ? grower : shrinker;
      hearth_profile_append_sample (profile, worker, &s);
      hearth_profile_append_sample (profile, idle, &z);
    }
  hearth_profile_add_marker (profile, 1000000000, 1000000000, "paused", "test marker");

  hearth_session_save (profile, path, &error);
  g_assert_no_error (error);
  return path;
}

static guint
hex_channel (const char *hex,
             guint       i)
{
  char digits[3] = { hex[1 + 2 * i], hex[2 + 2 * i], 0 };

  return (guint) g_ascii_strtoull (digits, NULL, 16);
}

static void
test_session_views (void)
{
  g_auto(Tmp) t = {0};
  g_autofree char *session = NULL;
  static const char *views[] = { "icicle", "flame", "sunburst", "diff" };

  tmp_init (&t);
  session = make_session (&t);

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    for (guint fmt = 0; fmt < 2; fmt++)
      {
        g_autofree char *name = g_strdup_printf ("%s.%s", views[v], fmt ? "svg" : "png");
        g_autofree char *out = tmp_path (&t, name);
        g_autofree char *err = NULL;
        gboolean diff = g_str_equal (views[v], "diff");
        const char *args[] = { session, "--view", views[v], "--width", "640", "-o", out,
                               diff ? "--range" : NULL, "..1", "--compare", "1..", NULL };
        int status = run_export (args, &err);

        g_assert_cmpstr (err, ==, "");
        g_assert_cmpint (status, ==, 0);

        if (fmt == 0)
          {
            assert_png (out, 640, 60);
          }
        else
          {
            g_auto(SvgInfo) info = {0};
            guint gi = 0, si = 0;
            const char *fill_g, *fill_s;

            parse_svg_file (out, &info);
            /* all, main, work, idle, grower, shrinker, nanosleep */
            g_assert_cmpuint (info.n_frames, ==, 7);
            g_assert_nonnull (find_title (&info, "main (app) — ", NULL));

            if (!diff)
              {
                g_assert_nonnull (find_title (&info, "grower (app) — 100 samples, 25.0%", NULL));
                continue;
              }

            /* grower went from 10% to 40% of all samples: red; shrinker blue */
            g_assert_nonnull (find_title (&info, "grower (app) — A: 20 (10.0%), B: 80 (40.0%), Δ +30.0%", &gi));
            g_assert_nonnull (find_title (&info, "shrinker", &si));
            fill_g = g_ptr_array_index (info.fills, gi);
            fill_s = g_ptr_array_index (info.fills, si);
            g_assert_cmpuint (hex_channel (fill_g, 0), >, hex_channel (fill_g, 2) + 100);
            g_assert_cmpuint (hex_channel (fill_s, 2), >, hex_channel (fill_s, 0) + 100);
          }
      }

  /* One thread, a range, search, zoom, dark theme and a timeline. */
  {
    g_autofree char *out = tmp_path (&t, "worker.svg");
    g_autofree char *err = NULL;
    g_auto(SvgInfo) info = {0};
    const char *args[] = { session, "--threads", "4242", "--range", "0.5..1.5", "--search", "grow",
                           "--zoom", "main;work", "--theme", "dark", "--timeline", "-o", out, NULL };

    g_assert_cmpint (run_export (args, &err), ==, 0);
    parse_svg_file (out, &info);
    g_assert_null (find_title (&info, "idle", NULL));
    /* 0.5..1.5 s of thread 4242: grower has 10 + 40 of 100 samples */
    g_assert_nonnull (find_title (&info, "grower (app) — 50 samples, 50.0%", NULL));
  }

  /* --color state needs per-node running shares */
  {
    g_autofree char *out = tmp_path (&t, "state.png");
    g_autofree char *err = NULL;
    const char *args[] = { session, "--color", "state", "-o", out, NULL };

    g_assert_cmpint (run_export (args, &err), ==, 0);
    assert_png (out, 1200, 60);
  }
}

static void
test_folded_views (void)
{
  g_auto(Tmp) t = {0};
  g_autofree char *input = NULL;
  static const char *views[] = { "icicle", "flame", "sunburst", "diff" };

  tmp_init (&t);
  input = write_file (&t, "in.folded",
                      "main;compute;inner 400\nmain;io;read 100\nmain;gone 60\n"
                      "main;io;read 500\nmain;compute;inner 80\nmain;fresh;alloc 50\n", -1);

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      static const char *exts[] = { "png", "svg", "folded" };

      for (guint e = 0; e < G_N_ELEMENTS (exts); e++)
        {
          g_autofree char *name = g_strdup_printf ("%s.%s", views[v], exts[e]);
          g_autofree char *out = tmp_path (&t, name);
          g_autofree char *err = NULL;
          g_autofree char *data = NULL;
          const char *args[] = { input, "--view", views[v], "--scale", "2", "-o", out,
                                 g_str_equal (views[v], "diff") ? "--compare" : NULL, "5.8..", NULL };

          g_assert_cmpint (run_export (args, &err), ==, 0);
          g_assert_true (g_file_get_contents (out, &data, NULL, NULL));

          if (e == 0)
            assert_png (out, 2400, 100);
          else if (e == 1)
            {
              g_auto(SvgInfo) info = {0};

              parse_svg_file (out, &info);
              g_assert_cmpuint (info.n_frames, >=, 8);
            }
          else if (g_str_equal (views[v], "diff"))
            g_assert_nonnull (strstr (data, "\nmain;gone 60 0\n"));
          else
            g_assert_nonnull (strstr (data, "main;io;read 600\n"));
        }
    }
}

static void
test_bad_arguments (void)
{
  static const struct {
    const char *args[8];
    int         status;
    const char *message;
  } cases[] = {
    { { NULL }, 2, "No INPUT" },
    { { "@IN@", NULL }, 2, "-o/--output is required" },
    { { "@IN@", "-o", "out.jpg", NULL }, 2, "out.jpg" },
    { { "@IN@", "-o", "@OUT@", "--view", "pie", NULL }, 2, "--view: unknown value 'pie'" },
    { { "@IN@", "-o", "@OUT@", "--range", "abc", NULL }, 2, "--range: 'abc'" },
    { { "@IN@", "-o", "@OUT@", "--range", "5..2", NULL }, 2, "--range: the end of '5..2'" },
    { { "@IN@", "-o", "@OUT@", "--range", "-1..2", NULL }, 2, "--range" },
    { { "@IN@", "-o", "@OUT@", "--width", "wide", NULL }, 2, "--width: 'wide'" },
    { { "@IN@", "-o", "@OUT@", "--height", "99999", NULL }, 2, "--height" },
    { { "@IN@", "-o", "@OUT@", "--scale", "9", NULL }, 2, "--scale" },
    { { "@IN@", "-o", "@OUT@", "--theme", "purple", NULL }, 2, "--theme" },
    { { "@IN@", "-o", "@OUT@", "--compare", "1..2", NULL }, 2, "--compare only applies" },
    { { "@IN@", "-o", "@OUT@", "--view", "diff", NULL }, 2, "--view diff needs --compare" },
    { { "@IN@", "-o", "@OUT@", "--bogus", NULL }, 2, "Unknown option '--bogus'" },
    { { "@IN@", "-o", "@OUT@", "--view", NULL }, 2, "--view needs a value" },
    { { "@IN@", "other.folded", "-o", "@OUT@", NULL }, 2, "Only one INPUT" },
    { { "@IN@", "-o", "@OUT@", "--threads", "1,x", NULL }, 2, "--threads: 'x'" },
    { { "@IN@", "-o", "@OUT@", "--threads", "31337", NULL }, 2, "--threads: " },
    { { "@IN@", "-o", "@OUT@", "--zoom", "main;nope", NULL }, 2, "--zoom: no frame 'nope'" },
    { { "@IN@", "-o", "@OUT@", "--search", "(", "--regex", NULL }, 2, "--search" },
    { { "@IN@", "-o", "@OUT@", "--height", "20", NULL }, 2, "--height: 20" },
    { { "@MISSING@", "-o", "@OUT@", NULL }, 1, "no such file" },
    { { "@IN@", "-o", "/nonexistent-dir/out.svg", NULL }, 1, "/nonexistent-dir/out.svg" },
    { { "@IN@", "-o", "/nonexistent-dir/out.png", NULL }, 1, "/nonexistent-dir/out.png" },
  };
  g_auto(Tmp) t = {0};
  g_autofree char *input = NULL;
  g_autofree char *output = NULL;
  g_autofree char *missing = NULL;

  tmp_init (&t);
  input = write_file (&t, "in.folded", "main;work 10\nmain;rest 5\n", -1);
  output = tmp_path (&t, "out.svg");
  missing = tmp_path (&t, "missing.folded");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[9] = { NULL };
      g_autofree char *err = NULL;
      int status;

      for (guint a = 0; a < 8 && cases[i].args[a] != NULL; a++)
        {
          const char *arg = cases[i].args[a];

          args[a] = g_str_equal (arg, "@IN@") ? input
                  : g_str_equal (arg, "@OUT@") ? output
                  : g_str_equal (arg, "@MISSING@") ? missing : arg;
        }

      status = run_export (args, &err);
      if (status != cases[i].status || strstr (err, cases[i].message) == NULL)
        g_error ("case %u: exit %d, stderr \"%s\"; expected exit %d mentioning \"%s\"",
                 i, status, err, cases[i].status, cases[i].message);
    }

  /* --help succeeds and lists the views */
  {
    const char *args[] = { "--help", NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (run_export (args, &err), ==, 0);
  }
}

static void
test_hostile_input (void)
{
  g_auto(Tmp) t = {0};
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) wide = g_string_new (NULL);
  char garbage[4096];
  guint32 state = 12345;

  tmp_init (&t);

  for (guint i = 0; i < sizeof garbage; i++)
    {
      state = state * 1103515245u + 12345u;
      garbage[i] = (char) (state >> 16);
    }
  g_ptr_array_add (inputs, write_file (&t, "garbage.folded", garbage, sizeof garbage));

  g_ptr_array_add (inputs, write_file (&t, "markup.folded",
    "<script>alert(1)</script>;a&b;\"q\" 'x' 5\n"
    "ok\x01" "ctrl;\xff\xfe\xc3;\x7f 3\n"
    "]]>;<!-- -->;&amp; 2\n"
    "name [mod<ule>];f (file.py:12) 4\n", -1));

  g_ptr_array_add (inputs, write_file (&t, "counts.folded",
    "big 9999999999999999999\nsmall 1\nneg -5\nnone\n;;; 3\n   \nfrac 1.5\n", -1));

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (deep, "%sf%u", i ? ";" : "", i % 7);
  g_string_append (deep, " 7\nshallow 3\n");
  g_ptr_array_add (inputs, write_file (&t, "deep.folded", deep->str, deep->len));

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (wide, "xyz"[i % 3]);
  g_string_append (wide, ";leaf 2\nother 1\n");
  g_ptr_array_add (inputs, write_file (&t, "wide.folded", wide->str, wide->len));

  g_ptr_array_add (inputs, write_file (&t, "empty.folded", "", 0));

  for (guint i = 0; i < inputs->len; i++)
    for (guint lenient = 0; lenient < 2; lenient++)
      for (guint fmt = 0; fmt < 2; fmt++)
        {
          const char *input = g_ptr_array_index (inputs, i);
          g_autofree char *out = tmp_path (&t, fmt ? "hostile.svg" : "hostile.png");
          g_autofree char *err = NULL;
          const char *args[] = { input, "--view", fmt ? "icicle" : "sunburst", "-o", out,
                                 "--search", "a", lenient ? "--lenient" : NULL, NULL };
          int status;

          g_unlink (out);
          status = run_export (args, &err);
          g_assert_cmpint (status, <=, 1);

          if (status == 1)
            {
              g_assert_cmpstr (err, !=, "");
              g_assert_nonnull (strstr (err, input));
              continue;
            }

          if (fmt == 1)
            {
              g_auto(SvgInfo) info = {0};

              parse_svg_file (out, &info);
              g_assert_cmpuint (info.n_frames, >=, 2);
            }
          else
            {
              assert_png (out, 1200, 100);
            }
        }
}

/* The SVG holds one <g class="frame"> per drawn frame, titled, with the
 * same geometry as the layout. */
static void
test_svg_matches_layout (void)
{
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(HearthCallTree) tree = NULL;
  g_autoptr(HearthLayout) layout = NULL;
  g_autoptr(GString) folded = g_string_new (NULL);
  g_autoptr(GString) svg = NULL;
  g_auto(SvgInfo) info = {0};
  HearthLayoutOptions options;
  HearthStyle style;
  HearthExportScene scene = {0};
  guint n, n_frames = 0;
  const HearthLayoutItem *items;

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (folded, "main;mod%u;leaf%u %u\n", i % 17, i, 1 + i % 40);
  profile = rt_profile_from_folded (folded->str);
  tree = rt_tree (profile);

  hearth_layout_options_init (&options, HEARTH_VIEW_ICICLE, 900, 200);
  layout = hearth_layout_new (tree, &options);
  hearth_style_init (&style);
  scene.layout = layout;
  scene.style = &style;
  scene.title = "Title with <markup> & \"quotes\"";

  svg = hearth_export_scene_render_svg (&scene);
  parse_svg (svg->str, svg->len, &info);

  items = hearth_layout_get_items (layout, &n);
  for (guint i = 0; i < n; i++)
    if (!(items[i].flags & HEARTH_LAYOUT_ITEM_MERGED))
      n_frames++;

  g_assert_cmpuint (info.n_frames, ==, n_frames);
  g_assert_cmpuint (n_frames, >, 30);
  g_assert_nonnull (strstr (svg->str, "Title with &lt;markup&gt; &amp; &quot;quotes&quot;"));
  g_assert_nonnull (find_title (&info, "main — ", NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/render/export/bad-arguments", test_bad_arguments);
  g_test_add_func ("/hearth/render/export/folded-views", test_folded_views);
  g_test_add_func ("/hearth/render/export/session-views", test_session_views);
  g_test_add_func ("/hearth/render/export/hostile-input", test_hostile_input);
  g_test_add_func ("/hearth/render/export/svg-matches-layout", test_svg_matches_layout);

  return g_test_run ();
}
