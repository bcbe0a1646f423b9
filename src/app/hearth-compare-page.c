/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "hearth-canvas.h"
#include "hearth-compare-page.h"
#include "hearth-frame-nav.h"
#include "hearth-painter.h"
#include "hearth-timeline-view-private.h"

#define SIDE_GAP 8.0

struct _HearthComparePage
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkLabel        *summary_label;
  GtkStack        *stack;
  HearthGraphView *diff_view;
  HearthFlameView *a_view;
  HearthFlameView *b_view;
  GtkLabel        *a_label;
  GtkLabel        *b_label;

  /* owned */
  HearthSession   *session;
  char            *layout;
  char            *shape;
  char            *normalization;
  char            *change;
  char            *palette;

  /* state */
  gboolean         syncing;
};

enum {
  PROP_0,
  PROP_LAYOUT,
  PROP_SHAPE,
  PROP_NORMALIZATION,
  PROP_CHANGE,
  PROP_PALETTE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (HearthComparePage, hearth_compare_page, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static double
range_seconds (HearthComparePage *self,
               gboolean           b)
{
  gint64 start, end;

  if (b)
    hearth_session_get_range_b (self->session, &start, &end);
  else
    hearth_session_get_range_a (self->session, &start, &end);
  /* Range A unset means the whole recording. */
  if (end <= start)
    {
      start = 0;
      end = hearth_profile_get_duration_ns (hearth_session_get_profile (self->session));
    }
  return MAX (end - start, 1) / 1e9;
}

void
hearth_compare_page_get_diff_options (HearthComparePage *self,
                                      HearthDiffOptions *options,
                                      HearthWidthBy     *width_by)
{
  g_return_if_fail (HEARTH_IS_COMPARE_PAGE (self));

  hearth_diff_options_init (options);
  options->normalize = g_strcmp0 (self->normalization, "rate") == 0 ? HEARTH_DIFF_NORMALIZE_RATE
                                                                    : HEARTH_DIFF_NORMALIZE_SHARE;
  options->measure = g_strcmp0 (self->change, "self") == 0 ? HEARTH_DIFF_MEASURE_SELF : HEARTH_DIFF_MEASURE_TOTAL;
  options->palette = g_strcmp0 (self->palette, "colorblind") == 0 ? HEARTH_DIFF_PALETTE_COLORBLIND
                                                                  : HEARTH_DIFF_PALETTE_RED_BLUE;
  if (self->session != NULL)
    {
      options->seconds_a = range_seconds (self, FALSE);
      options->seconds_b = range_seconds (self, TRUE);
    }
  if (g_strcmp0 (self->shape, "a") == 0)
    *width_by = HEARTH_WIDTH_BY_A;
  else if (g_strcmp0 (self->shape, "union") == 0)
    *width_by = HEARTH_WIDTH_BY_UNION;
  else
    *width_by = HEARTH_WIDTH_BY_B;
}

static char *
describe_side (HearthComparePage *self,
               gboolean           b)
{
  HearthProfile *profile = hearth_session_get_profile (self->session);
  gint64 span = hearth_profile_get_duration_ns (profile);
  g_autofree char *from = NULL, *to = NULL;
  HearthSelection sel;
  guint64 n;

  /* Samples counted as the timeline's range label counts them. */
  if (b)
    hearth_session_get_selection_b (self->session, &sel);
  else
    hearth_session_get_selection (self->session, &sel);
  n = hearth_profile_count_samples (profile, &sel);
  if (sel.end_ns <= sel.start_ns)
    return g_strdup_printf (_("A: all samples (%" PRIu64 ")"), n);
  from = _hearth_timeline_format_time (sel.start_ns, span);
  to = _hearth_timeline_format_time (sel.end_ns, span);
  /* Translators: range name, start, end, sample count */
  return g_strdup_printf (_("%s: %s – %s (%" PRIu64 " samples)"), b ? "B" : "A", from, to, n);
}

static void
update_search (HearthComparePage *self)
{
  const char *text = hearth_session_get_search_text (self->session);
  gboolean regex = hearth_session_get_search_regex (self->session);
  HearthSearch *search = hearth_session_get_search (self->session);
  HearthCallTree *diff = hearth_graph_view_get_tree (self->diff_view);
  HearthFlameView *sides[] = { self->a_view, self->b_view };

  /* The same search on both sides, matched against each side's tree. */
  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    if (!hearth_flame_view_set_search (sides[i], text, regex, NULL))
      hearth_flame_view_set_search (sides[i], NULL, FALSE, NULL);

  if (search != NULL && diff != NULL)
    {
      guint n = 0;
      g_autofree guint8 *matches = hearth_search_match_tree (search, diff, &n);

      hearth_graph_view_set_matches (self->diff_view, matches, n);
    }
  else
    hearth_graph_view_set_matches (self->diff_view, NULL, 0);
}

static void
update_diff_style (HearthComparePage *self)
{
  HearthDiffOptions options;
  HearthWidthBy width_by;
  const char *shape;

  hearth_compare_page_get_diff_options (self, &options, &width_by);
  hearth_graph_view_set_diff (self->diff_view, TRUE, &options, width_by);

  shape = width_by == HEARTH_WIDTH_BY_A ? _("Shape of A")
        : width_by == HEARTH_WIDTH_BY_UNION ? _("Shape of A and B")
        : _("Shape of B");
  {
    /* Translators: shape · measure · normalisation, e.g. "Shape of B · total · share" */
    g_autofree char *text =
      g_strdup_printf (_("%s · %s · %s"), shape,
                       options.measure == HEARTH_DIFF_MEASURE_SELF ? _("self change") : _("total change"),
                       options.normalize == HEARTH_DIFF_NORMALIZE_RATE ? _("samples per second")
                                                                      : _("share of each range"));
    gtk_label_set_text (self->summary_label, text);
  }
}

static void
update (HearthComparePage *self)
{
  HearthCallTree *tree_a, *tree_b;
  HearthViewKind view;
  g_autofree char *a_text = NULL, *b_text = NULL;

  if (self->session == NULL)
    return;

  if (!hearth_session_get_comparing (self->session))
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, self->layout);

  tree_a = hearth_session_get_call_tree (self->session);
  tree_b = hearth_session_get_call_tree_b (self->session);
  hearth_graph_view_set_tree (self->diff_view, hearth_session_get_diff_tree (self->session));
  hearth_flame_view_set_tree (self->a_view, tree_a);
  hearth_flame_view_set_tree (self->b_view, tree_b);

  view = hearth_session_get_view (self->session) == HEARTH_VIEW_FLAME ? HEARTH_VIEW_FLAME : HEARTH_VIEW_ICICLE;
  hearth_flame_view_set_view (self->a_view, view);
  hearth_flame_view_set_view (self->b_view, view);
  hearth_flame_view_set_color_scheme (self->a_view, hearth_session_get_color_scheme (self->session));
  hearth_flame_view_set_color_scheme (self->b_view, hearth_session_get_color_scheme (self->session));

  a_text = describe_side (self, FALSE);
  b_text = describe_side (self, TRUE);
  gtk_label_set_text (self->a_label, a_text);
  gtk_label_set_text (self->b_label, b_text);

  update_diff_style (self);
  update_search (self);
}

/* Side by side: zooming one side zooms the other to the same frame (by
 * its path of functions) when that frame exists there. */
static void
side_zoom_cb (HearthComparePage *self,
              GParamSpec        *pspec,
              HearthFlameView   *from)
{
  HearthFlameView *to = from == self->a_view ? self->b_view : self->a_view;
  HearthCallTree *from_tree = hearth_flame_view_get_tree (from);
  g_autoptr(GArray) path = NULL;
  guint32 node;

  if (self->syncing || from_tree == NULL || hearth_flame_view_get_tree (to) == NULL)
    return;
  path = hearth_frame_nav_path_for_node (from_tree, hearth_flame_view_get_zoom_node (from));
  node = hearth_frame_nav_node_for_path (hearth_flame_view_get_tree (to), path);
  if (node == HEARTH_NO_ID || node == hearth_flame_view_get_zoom_node (to))
    return;
  self->syncing = TRUE;
  hearth_flame_view_zoom_to (to, node);
  self->syncing = FALSE;
}

static void
layout_changed (HearthComparePage *self)
{
  update (self);
}

static void
set_string (HearthComparePage  *self,
            char              **field,
            const char         *value,
            guint               prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  if (prop == PROP_LAYOUT)
    layout_changed (self);
  else if (self->session != NULL)
    {
      update_diff_style (self);
      update_search (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static char **
string_field (HearthComparePage *self,
              guint              prop)
{
  switch (prop)
    {
    case PROP_LAYOUT: return &self->layout;
    case PROP_SHAPE: return &self->shape;
    case PROP_NORMALIZATION: return &self->normalization;
    case PROP_CHANGE: return &self->change;
    case PROP_PALETTE: return &self->palette;
    default: return NULL;
    }
}

static void
hearth_compare_page_dispose (GObject *object)
{
  HearthComparePage *self = (HearthComparePage *)object;

  hearth_compare_page_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HEARTH_TYPE_COMPARE_PAGE);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  for (guint p = PROP_LAYOUT; p < N_PROPS; p++)
    g_clear_pointer (string_field (self, p), g_free);

  G_OBJECT_CLASS (hearth_compare_page_parent_class)->dispose (object);
}

static void
hearth_compare_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  char **field = string_field (HEARTH_COMPARE_PAGE (object), prop_id);

  if (field == NULL)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else
    g_value_set_string (value, *field);
}

static void
hearth_compare_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HearthComparePage *self = HEARTH_COMPARE_PAGE (object);
  char **field = string_field (self, prop_id);

  if (field == NULL)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (prop_id == PROP_LAYOUT)
    hearth_compare_page_set_layout (self, g_value_get_string (value));
  else
    set_string (self, field, g_value_get_string (value), prop_id);
}

static void
hearth_compare_page_class_init (HearthComparePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hearth_compare_page_dispose;
  object_class->get_property = hearth_compare_page_get_property;
  object_class->set_property = hearth_compare_page_set_property;

  properties[PROP_LAYOUT] = g_param_spec_string ("layout", NULL, NULL, "diff", rw);
  properties[PROP_SHAPE] = g_param_spec_string ("shape", NULL, NULL, "b", rw);
  properties[PROP_NORMALIZATION] = g_param_spec_string ("normalization", NULL, NULL, "share", rw);
  properties[PROP_CHANGE] = g_param_spec_string ("change", NULL, NULL, "total", rw);
  properties[PROP_PALETTE] = g_param_spec_string ("palette", NULL, NULL, "red-blue", rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HEARTH_TYPE_GRAPH_VIEW);
  g_type_ensure (HEARTH_TYPE_FLAME_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hearthprof/Hearth/hearth-compare-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HearthComparePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, HearthComparePage, stack);
  gtk_widget_class_bind_template_child (widget_class, HearthComparePage, diff_view);
  gtk_widget_class_bind_template_child (widget_class, HearthComparePage, a_view);
  gtk_widget_class_bind_template_child (widget_class, HearthComparePage, b_view);
  gtk_widget_class_bind_template_child (widget_class, HearthComparePage, a_label);
  gtk_widget_class_bind_template_child (widget_class, HearthComparePage, b_label);

  gtk_widget_class_install_property_action (widget_class, "compare.layout", "layout");
  gtk_widget_class_set_css_name (widget_class, "comparepage");
}

static void
hearth_compare_page_init (HearthComparePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->layout = g_strdup ("diff");
  self->shape = g_strdup ("b");
  self->normalization = g_strdup ("share");
  self->change = g_strdup ("total");
  self->palette = g_strdup ("red-blue");

  hearth_graph_view_set_name (self->diff_view, _("Differential flame graph"));
  g_signal_connect_swapped (self->a_view, "notify::zoom-node", G_CALLBACK (side_zoom_cb), self);
  g_signal_connect_swapped (self->b_view, "notify::zoom-node", G_CALLBACK (side_zoom_cb), self);
}

GtkWidget *
hearth_compare_page_new (void)
{
  return g_object_new (HEARTH_TYPE_COMPARE_PAGE, NULL);
}

void
hearth_compare_page_set_session (HearthComparePage *self,
                                 HearthSession     *session)
{
  static const char * const update_on[] = {
    "notify::diff-tree", "notify::call-tree", "notify::call-tree-b", "notify::compare",
    "notify::range-a-start", "notify::range-a-end", "notify::range-b-start", "notify::range-b-end",
    "notify::view", "notify::color-scheme",
  };

  g_return_if_fail (HEARTH_IS_COMPARE_PAGE (self));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);

  if (session == NULL)
    {
      hearth_graph_view_set_tree (self->diff_view, NULL);
      hearth_flame_view_set_tree (self->a_view, NULL);
      hearth_flame_view_set_tree (self->b_view, NULL);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (update_on); i++)
    g_signal_connect_object (session, update_on[i], G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::search-text", G_CALLBACK (update_search), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::search-regex", G_CALLBACK (update_search), self, G_CONNECT_SWAPPED);
  update (self);
}

const char *
hearth_compare_page_get_layout (HearthComparePage *self)
{
  g_return_val_if_fail (HEARTH_IS_COMPARE_PAGE (self), NULL);
  return self->layout;
}

void
hearth_compare_page_set_layout (HearthComparePage *self,
                                const char        *layout)
{
  g_return_if_fail (HEARTH_IS_COMPARE_PAGE (self));

  set_string (self, &self->layout, g_strcmp0 (layout, "side-by-side") == 0 ? "side-by-side" : "diff", PROP_LAYOUT);
}

HearthGraphView *
hearth_compare_page_get_diff_view (HearthComparePage *self)
{
  g_return_val_if_fail (HEARTH_IS_COMPARE_PAGE (self), NULL);
  return self->diff_view;
}

HearthFlameView *
hearth_compare_page_get_side_view (HearthComparePage *self,
                                   gboolean           range_b)
{
  g_return_val_if_fail (HEARTH_IS_COMPARE_PAGE (self), NULL);
  return range_b ? self->b_view : self->a_view;
}

/* Both sides on one canvas, A on the left, with the painter the views use. */
static void
paint_sides (HearthCanvas *canvas,
             HearthLayout *layouts[2],
             HearthStyle   styles[2],
             double        width_a,
             double        width,
             double        height)
{
  hearth_painter_paint_background (canvas, width, height, &styles[0]);
  hearth_painter_paint (canvas, layouts[0], &styles[0]);
  hearth_canvas_translate (canvas, width_a + SIDE_GAP, 0);
  hearth_painter_paint (canvas, layouts[1], &styles[1]);
}

static gboolean
export_sides (HearthComparePage   *self,
              HearthExportFormat   format,
              const char          *path,
              GError             **error)
{
  HearthFlameView *views[2] = { self->a_view, self->b_view };
  g_autoptr(HearthLayout) a = NULL;
  g_autoptr(HearthLayout) b = NULL;
  HearthLayout *layouts[2];
  HearthStyle styles[2];
  HearthLayoutOptions options[2];
  double width, height = 0;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  for (guint i = 0; i < 2; i++)
    {
      if (hearth_flame_view_get_tree (views[i]) == NULL)
        {
          g_set_error_literal (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_INPUT,
                               _("Both ranges need samples before they can be exported."));
          return FALSE;
        }
      hearth_flame_view_get_paint_state (views[i], &options[i], &styles[i]);
      height = MAX (height, options[i].height);
    }
  a = layouts[0] = hearth_layout_new (hearth_flame_view_get_tree (views[0]), &options[0]);
  b = layouts[1] = hearth_layout_new (hearth_flame_view_get_tree (views[1]), &options[1]);
  width = options[0].width + SIDE_GAP + options[1].width;

  if (format == HEARTH_EXPORT_FORMAT_SVG)
    {
      g_autoptr(HearthCanvas) canvas = hearth_canvas_new_svg (width, height, NULL, styles[0].font_size);
      g_autoptr(GString) svg = NULL;

      paint_sides (canvas, layouts, styles, options[0].width, width, height);
      svg = hearth_canvas_finish (canvas);
      return g_file_set_contents (path, svg->str, (gssize) svg->len, error);
    }
  else if (format == HEARTH_EXPORT_FORMAT_PNG)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) (width * scale),
                                                             (int) (height * scale));
      cairo_t *cr = cairo_create (surface);
      cairo_status_t status;

      cairo_scale (cr, scale, scale);
      {
        g_autoptr(HearthCanvas) canvas = hearth_canvas_new_cairo (cr, scale, NULL, styles[0].font_size);
        paint_sides (canvas, layouts, styles, options[0].width, width, height);
      }
      cairo_destroy (cr);
      status = cairo_surface_write_to_png (surface, path);
      cairo_surface_destroy (surface);
      if (status != CAIRO_STATUS_SUCCESS)
        {
          g_set_error (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_IO,
                       _("Cannot write %s: %s"), path, cairo_status_to_string (status));
          return FALSE;
        }
      return TRUE;
    }

  g_set_error_literal (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_USAGE,
                       _("The comparison exports as PNG or SVG only."));
  return FALSE;
}

gboolean
hearth_compare_page_export (HearthComparePage   *self,
                            HearthExportFormat   format,
                            const char          *path,
                            GError             **error)
{
  g_return_val_if_fail (HEARTH_IS_COMPARE_PAGE (self), FALSE);

  if (self->session == NULL || !hearth_session_get_comparing (self->session))
    {
      g_set_error_literal (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_INPUT,
                           _("Select range B on the timeline before exporting the comparison."));
      return FALSE;
    }
  if (g_strcmp0 (self->layout, "side-by-side") == 0)
    return export_sides (self, format, path, error);
  if (format == HEARTH_EXPORT_FORMAT_FOLDED)
    {
      g_set_error_literal (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_USAGE,
                           _("The comparison exports as PNG or SVG only."));
      return FALSE;
    }
  return hearth_graph_view_export (self->diff_view, format, path, error);
}
