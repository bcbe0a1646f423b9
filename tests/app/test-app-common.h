/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Helpers shared by the app's GUI tests: a real HearthApplication and
 * HearthWindow in the test's Xvfb, a main loop pumped until a condition
 * holds, a session built from known folded stacks, and pixel reads from
 * exported PNGs.
 */

#include <string.h>

#include <cairo.h>
#include <gtk/gtk.h>

#include "hearth-application.h"
#include "hearth-folded.h"
#include "hearth-window.h"

/* 160 samples: main → {parse 50, compute 100, idle 10}. */
#define KNOWN_FOLDED \
  "main;parse;read_file 30\n" \
  "main;parse;tokenize 20\n" \
  "main;compute;matmul 40\n" \
  "main;compute;retry_backoff;nanosleep 60\n" \
  "main;idle 10\n"

typedef gboolean (*TestCondition) (gpointer data);

/* Iterate the default main context until cond returns TRUE; fails the
 * test after timeout_ms. */
static inline void
test_wait_for (TestCondition cond,
               gpointer      data,
               guint         timeout_ms,
               const char   *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %u ms waiting for %s", timeout_ms, what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Let pending work (idles, redraws, workers) run for a while. */
static inline void
test_spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

static inline gboolean
session_ready (gpointer data)
{
  HearthSession *session = data;
  return hearth_session_get_call_tree (session) != NULL && !hearth_session_get_busy (session);
}

static inline HearthApplication *
test_app_new (void)
{
  HearthApplication *app = hearth_application_new ();
  g_autoptr(GError) error = NULL;

  /* Several test programs run at once: never talk to another instance. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  return app;
}

static inline gboolean
window_allocated (gpointer data)
{
  HearthWindow *window = data;
  GtkWidget *view = GTK_WIDGET (hearth_explorer_get_flame_view (hearth_window_get_explorer (window)));

  return gtk_widget_get_mapped (view) && gtk_widget_get_width (view) > 100 && gtk_widget_get_height (view) > 100;
}

/* A window showing a session of KNOWN_FOLDED (or other folded text),
 * mapped, allocated and aggregated. */
static inline HearthWindow *
test_window_with_folded (HearthApplication *app,
                         const char        *folded)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(HearthSession) session = NULL;
  HearthWindow *window = hearth_application_new_window (app);

  profile = hearth_folded_load_data (folded, strlen (folded), "known", HEARTH_FOLDED_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  session = hearth_session_new (profile, NULL);
  hearth_window_set_session (window, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));

  test_wait_for (session_ready, session, 10000, "the first aggregation");
  test_wait_for (window_allocated, window, 10000, "the window to be shown");
  test_spin (50);
  return window;
}

/* Node of the main tree reached by a path of function names. */
static inline guint32
test_find_node (HearthCallTree     *tree,
                const char * const *names)
{
  guint32 node = 0;

  for (guint i = 0; names[i] != NULL; i++)
    {
      const HearthCallNode *n = hearth_call_tree_get_node (tree, node);
      guint32 next = HEARTH_NO_ID;

      for (guint c = 0; c < n->n_children; c++)
        {
          guint32 child = hearth_call_tree_get_child (tree, node, c);
          if (g_str_equal (hearth_call_tree_get_name (tree, child), names[i]))
            next = child;
        }
      if (next == HEARTH_NO_ID)
        return HEARTH_NO_ID;
      node = next;
    }
  return node;
}

/* Saturation (0..1) of the pixel at (x, y) of a PNG file. */
static inline double
test_png_saturation (cairo_surface_t *surface,
                     int              x,
                     int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 px;
  double r, g, b, max, min;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));

  px = *(const guint32 *) (data + y * stride + x * 4);
  r = ((px >> 16) & 0xff) / 255.0;
  g = ((px >> 8) & 0xff) / 255.0;
  b = (px & 0xff) / 255.0;
  max = MAX (r, MAX (g, b));
  min = MIN (r, MIN (g, b));
  return max > 0 ? (max - min) / max : 0;
}
