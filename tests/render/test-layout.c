/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "hearth-layout.h"
#include "render-test-util.h"

#define EPS 1e-6

static const char simple_folded[] =
  "a;b 30\n"
  "a;c 10\n"
  "d 60\n";

static HearthLayout *
make_layout (HearthCallTree *tree,
             HearthViewKind  view,
             double          width,
             double          height,
             guint32         zoom)
{
  HearthLayoutOptions options;

  hearth_layout_options_init (&options, view, width, height);
  options.row_height = 20;
  options.zoom_root = zoom;

  return hearth_layout_new (tree, &options);
}

/* A deterministic bushy tree: n lines of depth 1..8 over 12 names. */
static char *
generated_folded (guint n_lines,
                  guint seed)
{
  GString *out = g_string_new (NULL);
  guint32 state = seed;

  for (guint i = 0; i < n_lines; i++)
    {
      guint depth;

      state = state * 1103515245u + 12345u;
      depth = 1 + (state >> 16) % 8;
      for (guint d = 0; d < depth; d++)
        {
          state = state * 1103515245u + 12345u;
          g_string_append_printf (out, "%sf%u", d ? ";" : "", (state >> 16) % 12);
        }
      state = state * 1103515245u + 12345u;
      g_string_append_printf (out, " %u\n", 1 + (state >> 16) % 50);
    }

  return g_string_free (out, FALSE);
}

static void
test_widths (void)
{
  static const struct {
    const char *path;
    double      x;
    double      width;
    guint       row;
  } expected[] = {
    { "",    0,   1000, 0 },
    { "a",   0,    400, 1 },
    { "d",   400,  600, 1 },
    { "a;b", 0,    300, 2 },
    { "a;c", 300,  100, 2 },
  };
  g_autoptr(HearthProfile) profile = rt_profile_from_folded (simple_folded);
  g_autoptr(HearthCallTree) tree = rt_tree (profile);

  for (guint v = 0; v < 2; v++)
    {
      HearthViewKind view = v == 0 ? HEARTH_VIEW_ICICLE : HEARTH_VIEW_FLAME;
      g_autoptr(HearthLayout) layout = make_layout (tree, view, 1000, 200, 0);

      g_assert_cmpuint (hearth_layout_get_n_items (layout), ==, G_N_ELEMENTS (expected));
      g_assert_cmpuint (hearth_layout_get_n_rows (layout), ==, 3);

      for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
        {
          guint32 node = *expected[i].path ? rt_find (tree, expected[i].path) : 0;
          const HearthLayoutItem *item = hearth_layout_find_node (layout, node);
          double y = view == HEARTH_VIEW_ICICLE ? expected[i].row * 20.0
                                                : 200.0 - (expected[i].row + 1) * 20.0;

          g_assert_nonnull (item);
          g_assert_cmpfloat_with_epsilon (item->x, expected[i].x, EPS);
          g_assert_cmpfloat_with_epsilon (item->width, expected[i].width, EPS);
          g_assert_cmpfloat_with_epsilon (item->y, y, EPS);
          g_assert_cmpfloat_with_epsilon (item->height, 20.0, EPS);
          g_assert_cmpuint (item->row, ==, expected[i].row);
        }
    }
}

static void
check_nesting (HearthLayout *layout)
{
  guint n;
  const HearthLayoutItem *items = hearth_layout_get_items (layout, &n);
  gboolean sunburst = hearth_layout_get_options (layout)->view == HEARTH_VIEW_SUNBURST;

  for (guint i = 0; i < n; i++)
    {
      const HearthLayoutItem *it = &items[i];
      double s0 = sunburst ? it->a0 : it->x;
      double s1 = sunburst ? it->a1 : it->x + it->width;

      if (it->flags & HEARTH_LAYOUT_ITEM_ELIDED)
        continue;

      g_assert_cmpfloat (s1, >, s0);
      if (!(it->flags & HEARTH_LAYOUT_ITEM_MERGED))
        g_assert_cmpfloat (sunburst ? (s1 - s0) * (it->r0 + it->r1) / 2 : s1 - s0, >=, 1.0 - EPS);

      if (i > 0)
        {
          const HearthLayoutItem *prev = &items[i - 1];

          /* sorted by (row, start), and no overlap inside a row */
          g_assert_cmpuint (prev->row, <=, it->row);
          if (prev->row == it->row)
            g_assert_cmpfloat ((sunburst ? prev->a1 : prev->x + prev->width), <=, s0 + EPS);
        }

      if (it->parent_item != G_MAXUINT32)
        {
          const HearthLayoutItem *parent = &items[it->parent_item];
          double p0 = sunburst ? parent->a0 : parent->x;
          double p1 = sunburst ? parent->a1 : parent->x + parent->width;

          g_assert_cmpuint (it->parent_item, <, i);
          g_assert_cmpuint (parent->row + 1, ==, it->row);
          g_assert_cmpfloat (s0, >=, p0 - EPS);
          g_assert_cmpfloat (s1, <=, p1 + EPS);
          if (!(it->flags & HEARTH_LAYOUT_ITEM_MERGED))
            g_assert_cmpuint (hearth_call_tree_get_node (hearth_layout_get_tree (layout), it->node)->parent,
                              ==, parent->node);
        }
    }
}

static void
test_nesting (void)
{
  g_autofree char *folded = generated_folded (3000, 7);
  g_autoptr(HearthProfile) profile = rt_profile_from_folded (folded);
  g_autoptr(HearthCallTree) tree = rt_tree (profile);
  HearthViewKind views[] = { HEARTH_VIEW_ICICLE, HEARTH_VIEW_FLAME, HEARTH_VIEW_SUNBURST };

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      g_autoptr(HearthLayout) layout = make_layout (tree, views[v], 800, 600, 0);

      g_assert_cmpuint (hearth_layout_get_n_items (layout), >, 50);
      check_nesting (layout);
    }
}

static void
test_culling (void)
{
  g_autoptr(GString) folded = g_string_new ("big 1000\n");
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(HearthCallTree) tree = NULL;
  g_autoptr(HearthLayout) layout = NULL;
  g_autoptr(HearthLayout) narrow = NULL;
  const HearthLayoutItem *merged = NULL;
  guint n;
  const HearthLayoutItem *items;

  /* 100 siblings of 0.45 px each (with their own children), one 454 px */
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (folded, "small%03u;deeper 1\n", i);
  profile = rt_profile_from_folded (folded->str);
  tree = rt_tree (profile);

  layout = make_layout (tree, HEARTH_VIEW_ICICLE, 500, 200, 0);
  items = hearth_layout_get_items (layout, &n);

  for (guint i = 0; i < n; i++)
    {
      if (items[i].flags & HEARTH_LAYOUT_ITEM_MERGED)
        {
          g_assert_null (merged);
          merged = &items[i];
        }
      else
        {
          g_assert_cmpfloat (items[i].width, >=, 1.0);
          g_assert_false (g_str_has_prefix (hearth_call_tree_get_name (tree, items[i].node), "small"));
          g_assert_cmpstr (hearth_call_tree_get_name (tree, items[i].node), !=, "deeper");
        }
    }

  /* all, big, and one "…" block for the small siblings */
  g_assert_cmpuint (n, ==, 3);
  g_assert_nonnull (merged);
  g_assert_cmpuint (merged->n_merged, ==, 100);
  g_assert_cmpuint (merged->node, ==, 0);
  g_assert_cmpfloat_with_epsilon (merged->width, 100 * 500.0 / 1100.0, 1e-6);
  g_assert_null (hearth_layout_find_node (layout, rt_find (tree, "small000")));

  /* Too few to reach a pixel even together: culled outright. */
  narrow = make_layout (tree, HEARTH_VIEW_ICICLE, 5, 200, 0);
  items = hearth_layout_get_items (narrow, &n);
  for (guint i = 0; i < n; i++)
    g_assert_false (items[i].flags & HEARTH_LAYOUT_ITEM_MERGED);
  g_assert_cmpuint (n, ==, 2);
}

static void
test_zoom (void)
{
  g_autoptr(HearthProfile) profile = rt_profile_from_folded ("a;b;c 30\na;b;d 10\na;e 60\nf 100\n");
  g_autoptr(HearthCallTree) tree = rt_tree (profile);
  guint32 b = rt_find (tree, "a;b");
  g_autoptr(HearthLayout) layout = make_layout (tree, HEARTH_VIEW_ICICLE, 400, 200, b);
  guint n;
  const HearthLayoutItem *items = hearth_layout_get_items (layout, &n);

  /* all, a (ancestors), b (zoom root), c, d */
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (items[0].node, ==, 0);
  g_assert_true (items[0].flags & HEARTH_LAYOUT_ITEM_ANCESTOR);
  g_assert_cmpuint (items[1].node, ==, rt_find (tree, "a"));
  g_assert_true (items[1].flags & HEARTH_LAYOUT_ITEM_ANCESTOR);
  g_assert_cmpuint (items[2].node, ==, b);
  g_assert_true (items[2].flags & HEARTH_LAYOUT_ITEM_ZOOM_ROOT);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpfloat (items[i].x, ==, 0);
      g_assert_cmpfloat (items[i].width, ==, 400);
    }
  g_assert_cmpuint (items[3].node, ==, rt_find (tree, "a;b;c"));
  g_assert_cmpfloat_with_epsilon (items[3].width, 300, EPS);
  g_assert_cmpfloat_with_epsilon (items[4].x, 300, EPS);
  g_assert_cmpfloat_with_epsilon (items[4].width, 100, EPS);
  g_assert_null (hearth_layout_find_node (layout, rt_find (tree, "f")));
  g_assert_cmpfloat (hearth_layout_get_zoom_weight (layout), ==, 40);

  g_assert_cmpfloat (hearth_layout_measure_height (tree, 0, 20), ==, 4 * 20);
  g_assert_cmpfloat (hearth_layout_measure_height (tree, rt_find (tree, "a;e"), 20), ==, 3 * 20);
}

static void
test_sunburst (void)
{
  g_autofree char *folded = generated_folded (500, 3);
  g_autoptr(HearthProfile) profile = rt_profile_from_folded (folded);
  g_autoptr(HearthCallTree) tree = rt_tree (profile);
  g_autoptr(HearthLayout) layout = make_layout (tree, HEARTH_VIEW_SUNBURST, 600, 600, 0);
  guint n;
  const HearthLayoutItem *items = hearth_layout_get_items (layout, &n);
  double cx, cy, ring, sum = 0;

  hearth_layout_get_sunburst_geometry (layout, &cx, &cy, &ring);
  g_assert_cmpfloat (cx, ==, 300);
  g_assert_cmpfloat (cy, ==, 300);
  g_assert_cmpfloat (ring * hearth_call_tree_get_max_depth (tree), <=, 300);

  g_assert_cmpuint (items[0].row, ==, 0);
  g_assert_cmpfloat (items[0].a0, ==, 0);
  g_assert_cmpfloat (items[0].a1, ==, 2 * G_PI);
  g_assert_cmpfloat (items[0].r0, ==, 0);

  /* The root has no self weight: its children make a full turn. */
  for (guint i = 0; i < n; i++)
    if (items[i].row == 1)
      sum += items[i].a1 - items[i].a0;
  g_assert_cmpfloat_with_epsilon (sum, 2 * G_PI, 1e-9);

  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat_with_epsilon (items[i].r1 - items[i].r0, ring, 1e-9);
      g_assert_cmpfloat_with_epsilon (items[i].r1, (items[i].row + 1) * ring, 1e-9);
    }
  check_nesting (layout);
}

static void
test_hit_roundtrip (void)
{
  g_autofree char *folded = generated_folded (2000, 11);
  g_autoptr(HearthProfile) profile = rt_profile_from_folded (folded);
  g_autoptr(HearthCallTree) tree = rt_tree (profile);
  HearthViewKind views[] = { HEARTH_VIEW_ICICLE, HEARTH_VIEW_FLAME, HEARTH_VIEW_SUNBURST };

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      g_autoptr(HearthLayout) layout = make_layout (tree, views[v], 900, 700, 0);
      guint n, checked = 0;
      const HearthLayoutItem *items = hearth_layout_get_items (layout, &n);
      double cx, cy;

      hearth_layout_get_sunburst_geometry (layout, &cx, &cy, NULL);

      for (guint i = 0; i < n; i++)
        {
          const HearthLayoutItem *it = &items[i];
          double px, py;

          if (views[v] == HEARTH_VIEW_SUNBURST)
            {
              double a = (it->a0 + it->a1) / 2, r = (it->r0 + it->r1) / 2;

              px = cx + r * sin (a);
              py = cy - r * cos (a);
            }
          else
            {
              px = it->x + it->width / 2;
              py = it->y + it->height / 2;
            }

          g_assert_true (hearth_layout_hit_test (layout, px, py) == it);
          if (!(it->flags & HEARTH_LAYOUT_ITEM_MERGED))
            g_assert_true (hearth_layout_find_node (layout, it->node) == it);
          checked++;
        }

      g_assert_cmpuint (checked, >, 100);
      g_assert_null (hearth_layout_hit_test (layout, -5, -5));
      g_assert_null (hearth_layout_hit_test (layout, 450, 5000));
      g_assert_null (hearth_layout_hit_test (layout, NAN, 3));
    }
}

static void
test_elided_strip (void)
{
  gint64 mid;
  g_autoptr(HearthProfile) profile = rt_profile_two_phases ("main;kept 60\nmain;gone 40\n",
                                                           "main;kept 50\nmain;fresh 50\n", &mid);
  HearthSelection a = { .start_ns = 0, .end_ns = mid };
  HearthSelection b = { .start_ns = mid };
  g_autoptr(HearthCallTree) tree = hearth_call_tree_new_diff (profile, &a, &b);
  HearthLayoutOptions options;
  g_autoptr(HearthLayout) by_b = NULL;
  g_autoptr(HearthLayout) by_a = NULL;
  g_autoptr(HearthLayout) by_union = NULL;
  g_autoptr(HearthLayout) zoom_gone = NULL;
  const HearthLayoutItem *item;
  double sx, sy, sw, sh;

  hearth_layout_options_init (&options, HEARTH_VIEW_ICICLE, 1110, 100);
  options.row_height = 20;
  options.strip_label_width = 110;

  hearth_layout_options_set_width_by (&options, tree, HEARTH_WIDTH_BY_B, 0, 0);
  by_b = hearth_layout_new (tree, &options);
  g_assert_true (hearth_layout_get_strip (by_b, &sx, &sy, &sw, &sh));
  g_assert_cmpfloat (sy, ==, 80);
  g_assert_cmpfloat (sh, ==, 20);
  item = hearth_layout_find_node (by_b, rt_find (tree, "main;gone"));
  g_assert_nonnull (item);
  g_assert_true (item->flags & HEARTH_LAYOUT_ITEM_ELIDED);
  g_assert_cmpfloat_with_epsilon (item->x, 110, EPS);
  g_assert_cmpfloat_with_epsilon (item->width, 0.4 * 1000, EPS);   /* its share of A */
  g_assert_true (hearth_layout_hit_test (by_b, 200, 90) == item);
  g_assert_false (hearth_layout_find_node (by_b, rt_find (tree, "main;kept"))->flags & HEARTH_LAYOUT_ITEM_ELIDED);
  g_assert_cmpfloat_with_epsilon (hearth_layout_find_node (by_b, rt_find (tree, "main;fresh"))->width,
                                  555, EPS);

  hearth_layout_options_set_width_by (&options, tree, HEARTH_WIDTH_BY_A, 0, 0);
  by_a = hearth_layout_new (tree, &options);
  item = hearth_layout_find_node (by_a, rt_find (tree, "main;fresh"));
  g_assert_nonnull (item);
  g_assert_true (item->flags & HEARTH_LAYOUT_ITEM_ELIDED);
  g_assert_false (hearth_layout_find_node (by_a, rt_find (tree, "main;gone"))->flags & HEARTH_LAYOUT_ITEM_ELIDED);

  /* Union: the mean of the two shares, nothing elided. */
  hearth_layout_options_set_width_by (&options, tree, HEARTH_WIDTH_BY_UNION, 0, 0);
  by_union = hearth_layout_new (tree, &options);
  g_assert_false (hearth_layout_get_strip (by_union, NULL, NULL, NULL, NULL));
  g_assert_cmpfloat_with_epsilon (hearth_layout_find_node (by_union, rt_find (tree, "main;kept"))->width,
                                  (0.6 + 0.5) / 2 * 1110, 1e-6);
  g_assert_cmpfloat_with_epsilon (hearth_layout_find_node (by_union, rt_find (tree, "main;gone"))->width,
                                  0.4 / 2 * 1110, 1e-6);

  /* A flame graph keeps its root at the bottom and the strip on top. */
  {
    g_autoptr(HearthLayout) flame = NULL;

    options.view = HEARTH_VIEW_FLAME;
    hearth_layout_options_set_width_by (&options, tree, HEARTH_WIDTH_BY_B, 0, 0);
    flame = hearth_layout_new (tree, &options);
    g_assert_true (hearth_layout_get_strip (flame, &sx, &sy, &sw, &sh));
    g_assert_cmpfloat (sy, ==, 0);
    g_assert_cmpfloat (hearth_layout_find_node (flame, 0)->y, ==, 80);
    item = hearth_layout_find_node (flame, rt_find (tree, "main;gone"));
    g_assert_cmpfloat (item->y, ==, 0);
    g_assert_true (hearth_layout_hit_test (flame, 200, 10) == item);
    g_assert_true (hearth_layout_hit_test (flame, 5, 90) == hearth_layout_find_node (flame, 0));
    options.view = HEARTH_VIEW_ICICLE;
  }

  /* Zooming into a frame that exists only in A still shows it. */
  hearth_layout_options_set_width_by (&options, tree, HEARTH_WIDTH_BY_B, 0, 0);
  options.zoom_root = rt_find (tree, "main;gone");
  zoom_gone = hearth_layout_new (tree, &options);
  g_assert_true (hearth_layout_get_swapped (zoom_gone));
  item = hearth_layout_find_node (zoom_gone, options.zoom_root);
  g_assert_nonnull (item);
  g_assert_cmpfloat (item->width, ==, 1110);
}

static void
test_empty_and_bad_zoom (void)
{
  g_autoptr(HearthProfile) profile = rt_profile_from_folded (simple_folded);
  g_autoptr(HearthCallTree) tree = rt_tree (profile);
  g_autoptr(HearthLayout) bad_zoom = make_layout (tree, HEARTH_VIEW_ICICLE, 100, 100, 12345678);
  g_autoptr(HearthLayout) tiny = make_layout (tree, HEARTH_VIEW_ICICLE, 0, 0, 0);
  g_autoptr(HearthLayout) tiny_sun = make_layout (tree, HEARTH_VIEW_SUNBURST, 3, 3, 0);

  g_assert_cmpuint (hearth_layout_get_zoom_root (bad_zoom), ==, 0);
  g_assert_cmpuint (hearth_layout_get_n_items (bad_zoom), ==, 5);
  g_assert_cmpuint (hearth_layout_get_n_items (tiny), ==, 0);
  g_assert_null (hearth_layout_hit_test (tiny, 0, 0));
  g_assert_cmpuint (hearth_layout_get_n_items (tiny_sun), ==, 0);
  g_assert_null (hearth_layout_hit_test (tiny_sun, 1, 1));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/render/layout/widths", test_widths);
  g_test_add_func ("/hearth/render/layout/nesting", test_nesting);
  g_test_add_func ("/hearth/render/layout/culling", test_culling);
  g_test_add_func ("/hearth/render/layout/zoom", test_zoom);
  g_test_add_func ("/hearth/render/layout/sunburst", test_sunburst);
  g_test_add_func ("/hearth/render/layout/hit-roundtrip", test_hit_roundtrip);
  g_test_add_func ("/hearth/render/layout/elided-strip", test_elided_strip);
  g_test_add_func ("/hearth/render/layout/degenerate", test_empty_and_bad_zoom);

  return g_test_run ();
}
