/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hearth-canvas.h"
#include "hearth-painter.h"
#include "hearth-search.h"
#include "render-test-util.h"

static const char simple_folded[] =
  "a;b 30\n"
  "a;c 10\n"
  "d 60\n";

typedef struct
{
  HearthProfile   *profile;
  HearthCallTree  *tree;
  HearthLayout    *layout;
  cairo_surface_t *surface;
} Fixture;

static void
fixture_clear (Fixture *f)
{
  g_clear_pointer (&f->surface, cairo_surface_destroy);
  g_clear_pointer (&f->layout, hearth_layout_unref);
  g_clear_object (&f->tree);
  g_clear_object (&f->profile);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

static void
render (Fixture           *f,
        const char        *folded,
        HearthViewKind     view,
        double             width,
        double             height,
        double             scale,
        const HearthStyle *style)
{
  HearthLayoutOptions options;
  g_autoptr(HearthCanvas) canvas = NULL;
  cairo_t *cr;

  if (f->profile == NULL)
    {
      f->profile = rt_profile_from_folded (folded);
      f->tree = rt_tree (f->profile);
    }

  hearth_layout_options_init (&options, view, width, height);
  options.row_height = 20;
  g_clear_pointer (&f->layout, hearth_layout_unref);
  f->layout = hearth_layout_new (f->tree, &options);

  g_clear_pointer (&f->surface, cairo_surface_destroy);
  f->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) (width * scale), (int) (height * scale));
  cr = cairo_create (f->surface);
  cairo_scale (cr, scale, scale);
  canvas = hearth_canvas_new_cairo (cr, scale, style->font_family, style->font_size);
  hearth_painter_paint_background (canvas, width, height, style);
  hearth_painter_paint (canvas, f->layout, style);
  cairo_destroy (cr);
  cairo_surface_flush (f->surface);
}

/* A pixel of a frame away from its label (labels start at the left). */
static HearthRgba
frame_pixel (Fixture    *f,
             const char *path,
             double      scale)
{
  guint32 node = *path ? rt_find (f->tree, path) : 0;
  const HearthLayoutItem *item = hearth_layout_find_node (f->layout, node);

  g_assert_nonnull (item);
  return rt_pixel (f->surface, (int) ((item->x + item->width - 4) * scale),
                   (int) ((item->y + item->height / 2) * scale));
}

static void
assert_color (HearthRgba  got,
              HearthRgba  want,
              int         tolerance,
              const char *what)
{
  if (!rt_color_near (got, want, tolerance))
    {
      g_autofree char *g = rt_color_string (got);
      g_autofree char *w = rt_color_string (want);

      g_error ("%s: got %s, expected %s", what, g, w);
    }
}

static void
test_png_pixels (void)
{
  static const char *paths[] = { "", "a", "d", "a;b", "a;c" };
  HearthStyle style;

  hearth_style_init (&style);

  for (guint s = 1; s <= 2; s++)
    {
      g_auto(Fixture) f = {0};

      render (&f, simple_folded, HEARTH_VIEW_ICICLE, 1000, 100, s, &style);
      g_assert_cmpint (cairo_image_surface_get_width (f.surface), ==, 1000 * s);
      g_assert_cmpint (cairo_image_surface_get_height (f.surface), ==, 100 * s);

      for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
        {
          const char *name = *paths[i] ? strrchr (paths[i], ';') ? strrchr (paths[i], ';') + 1 : paths[i] : "all";

          assert_color (frame_pixel (&f, paths[i], s), hearth_color_for_name (name), 1, paths[i]);
        }

      /* Below the deepest row, and in the one-pixel gap between a and d. */
      assert_color (rt_pixel (f.surface, 500 * s, 90 * s),
                    hearth_theme_get_colors (HEARTH_THEME_LIGHT)->background, 1, "background");
      assert_color (rt_pixel (f.surface, 399 * s + (s - 1), 30 * s),
                    hearth_theme_get_colors (HEARTH_THEME_LIGHT)->background, 1, "gap");
    }
}

static void
test_flame_and_sunburst_pixels (void)
{
  g_auto(Fixture) f = {0};
  HearthStyle style;
  const HearthLayoutItem *item;
  double cx, cy, a, r;

  hearth_style_init (&style);
  style.theme = HEARTH_THEME_DARK;

  render (&f, simple_folded, HEARTH_VIEW_FLAME, 600, 100, 1, &style);
  item = hearth_layout_find_node (f.layout, 0);
  g_assert_cmpfloat (item->y, ==, 80);   /* the root at the bottom */
  assert_color (frame_pixel (&f, "", 1), hearth_color_for_name ("all"), 1, "flame root");
  assert_color (frame_pixel (&f, "a;c", 1), hearth_color_for_name ("c"), 1, "flame c");
  assert_color (rt_pixel (f.surface, 300, 5),
                hearth_theme_get_colors (HEARTH_THEME_DARK)->background, 1, "dark background");

  render (&f, NULL, HEARTH_VIEW_SUNBURST, 400, 400, 1, &style);
  hearth_layout_get_sunburst_geometry (f.layout, &cx, &cy, NULL);
  assert_color (rt_pixel (f.surface, (int) cx + 3, (int) cy - 12), hearth_color_for_name ("all"), 1, "centre");

  item = hearth_layout_find_node (f.layout, rt_find (f.tree, "d"));
  a = (item->a0 + item->a1) / 2;
  r = item->r0 + 4;
  assert_color (rt_pixel (f.surface, (int) (cx + r * sin (a)), (int) (cy - r * cos (a))),
                hearth_color_for_name ("d"), 2, "sunburst d");
}

static void
test_search_and_selection (void)
{
  g_auto(Fixture) f = {0};
  g_autoptr(HearthSearch) search = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *matches = NULL;
  HearthStyle style;
  HearthRgba bg = hearth_theme_get_colors (HEARTH_THEME_LIGHT)->background;
  const HearthLayoutItem *d;

  f.profile = rt_profile_from_folded (simple_folded);
  f.tree = rt_tree (f.profile);

  search = hearth_search_new ("B", 0, &error);
  g_assert_no_error (error);
  hearth_style_init (&style);
  matches = hearth_search_match_tree (search, f.tree, &style.n_matches);
  style.matches = matches;
  style.selected_node = rt_find (f.tree, "d");

  render (&f, NULL, HEARTH_VIEW_ICICLE, 1000, 100, 1, &style);

  assert_color (frame_pixel (&f, "a;b", 1), hearth_color_for_name ("b"), 1, "match");
  assert_color (frame_pixel (&f, "a;c", 1),
                hearth_color_mix (hearth_color_for_name ("c"), bg, 0.78), 1, "dimmed c");
  assert_color (frame_pixel (&f, "", 1),
                hearth_color_mix (hearth_color_for_name ("all"), bg, 0.78), 1, "dimmed root");

  d = hearth_layout_find_node (f.layout, style.selected_node);
  assert_color (rt_pixel (f.surface, (int) d->x + 1, (int) (d->y + 10)),
                hearth_theme_get_colors (HEARTH_THEME_LIGHT)->accent, 1, "selection outline");
}

static void
test_search_fraction (void)
{
  static const struct {
    const char *text;
    guint       flags;
    double      fraction;
  } cases[] = {
    { "x",          0,                                  0.5 },   /* nested x counted once */
    { "X",          0,                                  0.5 },
    { "X",          HEARTH_SEARCH_FLAGS_CASE_SENSITIVE, 0.0 },
    { "^[xy]$",     HEARTH_SEARCH_FLAGS_REGEX,          1.0 },
    { "y",          0,                                  0.75 },  /* y at top (20) and under x (10) */
    { "nothing",    0,                                  0.0 },
    { "",           0,                                  0.0 },
  };
  g_autoptr(HearthProfile) profile = rt_profile_from_folded ("x;y;x 10\nx 10\ny 20\n");
  g_autoptr(HearthCallTree) tree = rt_tree (profile);
  g_autoptr(GError) error = NULL;
  HearthSearch *bad;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HearthSearch) search = hearth_search_new (cases[i].text, cases[i].flags, &error);
      g_autofree guint8 *matches = NULL;
      guint n;

      g_assert_no_error (error);
      matches = hearth_search_match_tree (search, tree, &n);
      g_assert_cmpuint (n, ==, hearth_call_tree_get_n_nodes (tree));
      g_assert_false (matches[0]);
      g_assert_cmpfloat_with_epsilon (hearth_search_match_fraction (tree, matches, n, 0, 1, 0),
                                      cases[i].fraction, 1e-9);
    }

  /* Relative to a zoom root inside the match. */
  {
    g_autoptr(HearthSearch) search = hearth_search_new ("y", 0, NULL);
    g_autofree guint8 *matches = NULL;
    guint n;

    matches = hearth_search_match_tree (search, tree, &n);
    g_assert_cmpfloat_with_epsilon (hearth_search_match_fraction (tree, matches, n, rt_find (tree, "x"), 1, 0),
                                    0.5, 1e-9);
  }

  bad = hearth_search_new ("(unclosed", HEARTH_SEARCH_FLAGS_REGEX, &error);
  g_assert_null (bad);
  g_assert_true (error != NULL && error->domain == G_REGEX_ERROR);
}

static void
test_diff_colors (void)
{
  static const struct {
    double            delta;
    double            range;
    HearthDiffPalette palette;
    HearthRgba        want;
  } cases[] = {
    { +0.5,  0.5, HEARTH_DIFF_PALETTE_RED_BLUE,   HEARTH_RGBA_INIT (222, 45, 38) },
    { -0.5,  0.5, HEARTH_DIFF_PALETTE_RED_BLUE,   HEARTH_RGBA_INIT (49, 110, 220) },
    { +2.0,  0.5, HEARTH_DIFF_PALETTE_RED_BLUE,   HEARTH_RGBA_INIT (222, 45, 38) },   /* clamped */
    {  0.0,  0.5, HEARTH_DIFF_PALETTE_RED_BLUE,   HEARTH_RGBA_INIT (208, 208, 208) },
    { +0.005, 0.5, HEARTH_DIFF_PALETTE_RED_BLUE,  HEARTH_RGBA_INIT (208, 208, 208) }, /* under threshold */
    { +0.5,  0.5, HEARTH_DIFF_PALETTE_COLORBLIND, HEARTH_RGBA_INIT (230, 159, 0) },
    { -0.5,  0.5, HEARTH_DIFF_PALETTE_COLORBLIND, HEARTH_RGBA_INIT (0, 114, 178) },
    /* a quarter of the range: square-root ramp, half way */
    { +0.125, 0.5, HEARTH_DIFF_PALETTE_RED_BLUE,  HEARTH_RGBA_INIT (215, 126.5, 123) },
  };
  HearthDiffOptions options;
  gint64 mid;
  g_autoptr(HearthProfile) profile = rt_profile_two_phases ("x 75\ny;z 25\n", "x 25\ny;z 75\n", &mid);
  HearthSelection a = { .start_ns = 0, .end_ns = mid };
  HearthSelection b = { .start_ns = mid };
  g_autoptr(HearthCallTree) tree = hearth_call_tree_new_diff (profile, &a, &b);

  hearth_diff_options_init (&options);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      options.palette = cases[i].palette;
      assert_color (hearth_diff_color (cases[i].delta, cases[i].range, &options, HEARTH_THEME_LIGHT),
                    cases[i].want, 1, "diff colour");
    }

  hearth_diff_options_init (&options);
  g_assert_cmpfloat_with_epsilon (hearth_diff_node_delta (tree, rt_find (tree, "x"), &options), -0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (hearth_diff_node_delta (tree, rt_find (tree, "y"), &options), +0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (hearth_diff_compute_range (tree, &options), 0.5, 1e-9);

  /* self: y has no self weight of its own, z has it all */
  options.measure = HEARTH_DIFF_MEASURE_SELF;
  g_assert_cmpfloat_with_epsilon (hearth_diff_node_delta (tree, rt_find (tree, "y"), &options), 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (hearth_diff_node_delta (tree, rt_find (tree, "y;z"), &options), 0.5, 1e-9);

  /* rate: B lasts 2 s, A 1 s → 75/2 - 25/1 samples per second */
  options.measure = HEARTH_DIFF_MEASURE_TOTAL;
  options.normalize = HEARTH_DIFF_NORMALIZE_RATE;
  options.seconds_a = 1;
  options.seconds_b = 2;
  g_assert_cmpfloat_with_epsilon (hearth_diff_node_delta (tree, rt_find (tree, "y"), &options), 12.5, 1e-9);

  /* Painted: y (grew) is full red, x (shrank) full blue. */
  {
    g_auto(Fixture) f = {0};
    HearthStyle style;

    f.profile = g_object_ref (profile);
    f.tree = g_object_ref (tree);
    hearth_style_init (&style);
    style.diff = TRUE;
    render (&f, NULL, HEARTH_VIEW_ICICLE, 800, 100, 1, &style);
    assert_color (frame_pixel (&f, "y", 1), HEARTH_RGBA_INIT (222, 45, 38), 1, "grew");
    assert_color (frame_pixel (&f, "x", 1), HEARTH_RGBA_INIT (49, 110, 220), 1, "shrank");
  }
}

static void
test_labels_fit (void)
{
  static const char *names[] = {
    "main", "std::vector<int>::push_back(int const&)", "a",
    "функция_émoji_🔥_名前", "x\x01y\xff\xfez",
  };
  g_autoptr(HearthCanvas) canvas = hearth_canvas_new_svg (100, 100, "Sans", 12);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *clean = NULL;
      double full = hearth_canvas_measure_text (canvas, names[i]);

      g_assert_cmpfloat (full, >, 0);

      for (double w = 0; w <= full + 20; w += 1.5)
        {
          g_autofree char *fitted = hearth_canvas_fit_text (canvas, names[i], w);

          if (fitted == NULL)
            continue;
          g_assert_true (g_utf8_validate (fitted, -1, NULL));
          g_assert_cmpfloat (hearth_canvas_measure_text (canvas, fitted), <=, w + 1e-9);
          if (w >= full)
            g_assert_false (g_str_has_suffix (fitted, "…"));
          else
            g_assert_true (g_str_has_suffix (fitted, "…"));
        }

      g_assert_null (hearth_canvas_fit_text (canvas, names[i], 2));
      clean = hearth_canvas_fit_text (canvas, names[i], full + 1);
      g_assert_nonnull (clean);
    }
}

static guint32
hand_stack (HearthProfile *profile,
            const char    *path,
            guint          kind)
{
  g_auto(GStrv) names = g_strsplit (path, ";", -1);
  guint32 stack = HEARTH_NO_ID;

  for (guint i = 0; names[i]; i++)
    {
      HearthFunction fn = { .name = hearth_profile_intern_string (profile, names[i]),
                            .module = hearth_profile_intern_string (profile, i ? "/lib/libwork.so" : "/usr/bin/app"),
                            .kind = i ? kind : HEARTH_FRAME_KIND_NATIVE };
      HearthFrame frame = { .function = hearth_profile_intern_function (profile, &fn) };

      stack = hearth_profile_intern_stack (profile, stack, hearth_profile_intern_frame (profile, &frame));
    }
  return stack;
}

/* State, module and kind schemes on a profile built by hand: "work" always
 * runs, "wait" always sleeps, so main is half and half. */
static void
test_schemes (void)
{
  g_auto(Fixture) f = {0};
  g_autofree float *share = NULL;
  HearthStyle style;
  guint32 thread, work, wait;

  f.profile = hearth_profile_new ();
  thread = hearth_profile_add_thread (f.profile, 1, 1, "t");
  work = hand_stack (f.profile, "main;work", HEARTH_FRAME_KIND_PYTHON);
  wait = hand_stack (f.profile, "main;wait", HEARTH_FRAME_KIND_KERNEL);
  for (guint i = 0; i < 100; i++)
    {
      HearthSample s = { .time_ns = i * 1000000, .weight = 1,
                         .stack = i % 2 ? work : wait,
                         .state = i % 2 ? HEARTH_THREAD_STATE_RUNNING : HEARTH_THREAD_STATE_SLEEPING };

      hearth_profile_append_sample (f.profile, thread, &s);
    }
  f.tree = rt_tree (f.profile);

  hearth_style_init (&style);
  share = hearth_style_running_share_new (f.profile, NULL, f.tree);
  g_assert_nonnull (share);
  g_assert_cmpfloat_with_epsilon (share[rt_find (f.tree, "main;work")], 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (share[rt_find (f.tree, "main;wait")], 0.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (share[rt_find (f.tree, "main")], 0.5, 1e-6);

  style.scheme = HEARTH_COLOR_SCHEME_STATE;
  style.running_share = share;
  style.n_running_share = hearth_call_tree_get_n_nodes (f.tree);
  render (&f, NULL, HEARTH_VIEW_ICICLE, 600, 80, 1, &style);
  assert_color (frame_pixel (&f, "main;work", 1), hearth_color_for_running (1.0), 1, "running");
  assert_color (frame_pixel (&f, "main;wait", 1), hearth_color_for_running (0.0), 1, "waiting");
  assert_color (frame_pixel (&f, "main", 1), hearth_color_for_running (0.5), 1, "half");

  style.scheme = HEARTH_COLOR_SCHEME_MODULE;
  render (&f, NULL, HEARTH_VIEW_ICICLE, 600, 80, 1, &style);
  assert_color (frame_pixel (&f, "main;work", 1), hearth_color_for_module ("libwork.so"), 1, "module");
  assert_color (frame_pixel (&f, "main", 1), hearth_color_for_module ("/usr/bin/app"), 1, "module main");

  style.scheme = HEARTH_COLOR_SCHEME_KIND;
  render (&f, NULL, HEARTH_VIEW_ICICLE, 600, 80, 1, &style);
  assert_color (frame_pixel (&f, "main;work", 1),
                hearth_color_for_kind (HEARTH_FRAME_KIND_PYTHON, "work"), 1, "python");
  assert_color (frame_pixel (&f, "main;wait", 1),
                hearth_color_for_kind (HEARTH_FRAME_KIND_KERNEL, "wait"), 1, "kernel");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/render/paint/png-pixels", test_png_pixels);
  g_test_add_func ("/hearth/render/paint/flame-sunburst-pixels", test_flame_and_sunburst_pixels);
  g_test_add_func ("/hearth/render/paint/search-selection", test_search_and_selection);
  g_test_add_func ("/hearth/render/paint/search-fraction", test_search_fraction);
  g_test_add_func ("/hearth/render/paint/diff-colors", test_diff_colors);
  g_test_add_func ("/hearth/render/paint/labels-fit", test_labels_fit);
  g_test_add_func ("/hearth/render/paint/schemes", test_schemes);

  return g_test_run ();
}
