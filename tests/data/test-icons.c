/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

/* The icons are rendered with the same gdk-pixbuf SVG loader GTK uses and
 * probed at points of the drawing, so a broken or unreadable SVG, a wrong
 * canvas size or a lost layer fails here rather than in a software
 * centre. Points are in the 128 px design grid of the app icon. */

typedef struct
{
  const char *what;
  int         x;
  int         y;
  guint8      r, g, b, a;
  int         tolerance;
} Probe;

static const Probe app_probes[] = {
  { "transparent corner",       1,   1, 0x00, 0x00, 0x00, 0x00,  0 },
  { "mantel",                  64,  17, 0xa8, 0x7a, 0x52, 0xff, 40 },
  { "firebox",                 92,  60, 0x24, 0x1f, 0x31, 0xff, 40 },
  { "flame graph root (red)",  64,  97, 0xe0, 0x1b, 0x24, 0xff, 40 },
  { "second level (orange)",   82,  87, 0xff, 0x78, 0x00, 0xff, 40 },
  { "flame tip (yellow)",      51,  47, 0xf9, 0xf0, 0x6b, 0xff, 40 },
  { "hearth stone",            64, 110, 0x77, 0x76, 0x7b, 0xff, 40 },
};

static GdkPixbuf *
load_icon (const char *name,
           int         size)
{
  g_autofree char *path = g_build_filename (ICON_DIR, name, NULL);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  pixbuf = gdk_pixbuf_new_from_file_at_size (path, size, size, &error);
  if (g_error_matches (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE))
    g_error ("%s: no SVG loader for gdk-pixbuf; install librsvg2-common", path);
  g_assert_no_error (error);
  g_assert_nonnull (pixbuf);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, size);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, size);
  g_assert_true (gdk_pixbuf_get_has_alpha (pixbuf));
  g_assert_cmpint (gdk_pixbuf_get_n_channels (pixbuf), ==, 4);
  return pixbuf;
}

static const guint8 *
pixel_at (GdkPixbuf *pixbuf,
          int        x,
          int        y)
{
  return gdk_pixbuf_read_pixels (pixbuf)
         + y * gdk_pixbuf_get_rowstride (pixbuf)
         + x * 4;
}

static void
assert_probe (GdkPixbuf   *pixbuf,
              const Probe *probe)
{
  int scale = gdk_pixbuf_get_width (pixbuf) / 128;
  const guint8 *p = pixel_at (pixbuf, probe->x * scale, probe->y * scale);
  const guint8 want[4] = { probe->r, probe->g, probe->b, probe->a };

  for (guint i = 0; i < 4; i++)
    {
      /* A fully transparent pixel has no meaningful colour. */
      if (want[3] == 0 && i < 3)
        continue;
      if (ABS ((int) p[i] - (int) want[i]) > probe->tolerance)
        g_error ("%s at (%d,%d): got #%02x%02x%02x alpha %u, want #%02x%02x%02x alpha %u",
                 probe->what, probe->x, probe->y, p[0], p[1], p[2], p[3],
                 want[0], want[1], want[2], want[3]);
    }
}

static void
test_app_icon (void)
{
  g_autoptr(GdkPixbuf) pixbuf = load_icon ("scalable/apps/io.github.hearthprof.Hearth.svg", 128);

  for (guint i = 0; i < G_N_ELEMENTS (app_probes); i++)
    assert_probe (pixbuf, &app_probes[i]);
}

static void
test_app_icon_scales (void)
{
  static const int sizes[] = { 16, 32, 64, 256, 512 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = load_icon ("scalable/apps/io.github.hearthprof.Hearth.svg", sizes[i]);
      const guint8 *centre = pixel_at (pixbuf, sizes[i] / 2, sizes[i] * 97 / 128);

      /* The flame graph's root bar stays red at every size. */
      g_assert_cmpint (centre[0], >, 150);
      g_assert_cmpint (centre[1], <, 120);
      g_assert_cmpint (centre[3], >, 200);
    }
}

static void
test_devel_icon (void)
{
  g_autoptr(GdkPixbuf) pixbuf = load_icon ("scalable/apps/io.github.hearthprof.Hearth.Devel.svg", 128);
  gboolean saw_dark = FALSE;
  gboolean saw_light = FALSE;

  /* Same drawing as the app icon... */
  for (guint i = 0; i < G_N_ELEMENTS (app_probes); i++)
    assert_probe (pixbuf, &app_probes[i]);

  /* ...but the stone face is striped, so the two builds can be told apart. */
  for (int y = 30; y < 100; y++)
    {
      const guint8 *p = pixel_at (pixbuf, 20, y);

      saw_dark |= p[0] < 0x70;
      saw_light |= p[0] > 0xb0;
    }
  g_assert_true (saw_dark);
  g_assert_true (saw_light);
}

static void
test_symbolic_icon (void)
{
  g_autoptr(GdkPixbuf) pixbuf = load_icon ("symbolic/apps/io.github.hearthprof.Hearth-symbolic.svg", 16);
  guint opaque = 0;

  /* GTK recolours symbolic icons, which only works for a single colour. */
  for (int y = 0; y < 16; y++)
    for (int x = 0; x < 16; x++)
      {
        const guint8 *p = pixel_at (pixbuf, x, y);

        if (p[3] < 0xc0)
          continue;
        opaque++;
        g_assert_cmpint (ABS (p[0] - 0x2e), <=, 8);
        g_assert_cmpint (ABS (p[1] - 0x34), <=, 8);
        g_assert_cmpint (ABS (p[2] - 0x36), <=, 8);
      }

  /* A readable glyph: neither empty nor a filled square. */
  g_assert_cmpuint (opaque, >, 256 / 4);
  g_assert_cmpuint (opaque, <, 256 * 3 / 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hearth/data/icons/app", test_app_icon);
  g_test_add_func ("/hearth/data/icons/app-scales", test_app_icon_scales);
  g_test_add_func ("/hearth/data/icons/devel", test_devel_icon);
  g_test_add_func ("/hearth/data/icons/symbolic", test_symbolic_icon);

  return g_test_run ();
}
