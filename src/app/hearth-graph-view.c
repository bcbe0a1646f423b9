/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-canvas.h"
#include "hearth-enums.h"
#include "hearth-frame-nav.h"
#include "hearth-graph-view-private.h"
#include "hearth-painter.h"

#define LEGEND_PAD 6.0

enum {
  PROP_0,
  PROP_TREE,
  PROP_VIEW,
  PROP_ZOOM_NODE,
  PROP_SELECTED_NODE,
  PROP_CAN_GO_BACK,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (HearthGraphView, hearth_graph_view, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
free_path (gpointer data)
{
  g_array_unref (data);
}

static void
invalidate_layout (HearthGraphView *self)
{
  g_clear_pointer (&self->layout, hearth_layout_unref);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
is_dark (HearthGraphView *self)
{
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
}

double
_hearth_graph_view_top (HearthGraphView *self)
{
  return self->diff ? self->legend_height : 0;
}

static void
fill_options (HearthGraphView     *self,
              HearthLayoutOptions *options,
              double               width,
              double               height)
{
  hearth_layout_options_init (options, self->view, width, height);
  options->row_height = HEARTH_GRAPH_VIEW_ROW_HEIGHT;
  options->zoom_root = self->zoom_node;
  if (self->diff && self->tree != NULL)
    {
      gboolean rate = self->diff_options.normalize == HEARTH_DIFF_NORMALIZE_RATE;

      hearth_layout_options_set_width_by (options, self->tree, self->width_by,
                                          rate ? self->diff_options.seconds_a : 0,
                                          rate ? self->diff_options.seconds_b : 0);
    }
}

/* Rows of the zoomed tree plus the elided strip and a margin. */
static double
content_height (HearthGraphView *self)
{
  if (self->tree == NULL || self->view == HEARTH_VIEW_SUNBURST)
    return 0;
  return hearth_layout_measure_height (self->tree, self->zoom_node, HEARTH_GRAPH_VIEW_ROW_HEIGHT) +
         3 * HEARTH_GRAPH_VIEW_ROW_HEIGHT;
}

HearthLayout *
_hearth_graph_view_ensure_layout (HearthGraphView *self)
{
  HearthLayoutOptions options;
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self)) - _hearth_graph_view_top (self);

  if (self->tree == NULL || width <= 0 || height <= 0)
    return NULL;

  fill_options (self, &options, width, MAX (height, content_height (self)));
  if (self->layout != NULL)
    {
      const HearthLayoutOptions *cur = hearth_layout_get_options (self->layout);

      if (cur->width == options.width && cur->height == options.height)
        return self->layout;
      g_clear_pointer (&self->layout, hearth_layout_unref);
    }
  self->layout = hearth_layout_new (self->tree, &options);
  return self->layout;
}

void
hearth_graph_view_get_style (HearthGraphView *self,
                             HearthStyle     *style)
{
  g_return_if_fail (HEARTH_IS_GRAPH_VIEW (self));

  hearth_style_init (style);
  style->scheme = self->scheme;
  style->theme = is_dark (self) ? HEARTH_THEME_DARK : HEARTH_THEME_LIGHT;
  style->font_size = HEARTH_GRAPH_VIEW_FONT_SIZE;
  style->selected_node = self->selected_node;
  if (self->matches != NULL && self->tree != NULL &&
      self->n_matches == hearth_call_tree_get_n_nodes (self->tree))
    {
      style->matches = self->matches;
      style->n_matches = self->n_matches;
    }
  if (self->running_share != NULL && self->scheme == HEARTH_COLOR_SCHEME_STATE)
    {
      style->running_share = self->running_share;
      style->n_running_share = self->n_running_share;
    }
  style->diff = self->diff;
  style->diff_options = self->diff_options;
}

void
_hearth_graph_view_announce (HearthGraphView *self)
{
  HearthStyle style;
  g_autofree char *text = NULL;

  if (self->tree != NULL)
    {
      hearth_graph_view_get_style (self, &style);
      text = hearth_frame_nav_describe (self->tree, self->selected_node, &style);
    }
  hearth_frame_nav_announce (GTK_WIDGET (self), self->name ? self->name : _("Graph"), text);
}

static void
paint_message (HearthGraphView *self,
               GtkSnapshot     *snapshot,
               const char      *message)
{
  g_autoptr(PangoLayout) pl = gtk_widget_create_pango_layout (GTK_WIDGET (self), message);
  int pw, ph;
  GdkRGBA color;

  pango_layout_get_pixel_size (pl, &pw, &ph);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  color.alpha *= 0.55;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((gtk_widget_get_width (GTK_WIDGET (self)) - pw) / 2.0,
                                                          (gtk_widget_get_height (GTK_WIDGET (self)) - ph) / 2.0));
  gtk_snapshot_append_layout (snapshot, pl, &color);
  gtk_snapshot_restore (snapshot);
}

static double
paint_legend (HearthGraphView   *self,
              cairo_t           *cr,
              double             width,
              const HearthStyle *style)
{
  g_autoptr(HearthCanvas) canvas = hearth_canvas_new_cairo (cr, gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                                                            NULL, HEARTH_GRAPH_VIEW_FONT_SIZE);
  double range = style->diff_options.range > 0 ? style->diff_options.range
                                               : hearth_diff_compute_range (self->tree, &style->diff_options);

  return hearth_painter_paint_diff_legend (canvas, LEGEND_PAD, LEGEND_PAD, width - 2 * LEGEND_PAD, style, range)
         + 2 * LEGEND_PAD;
}

/* The legend's height depends on its font and text: measure it by
 * painting it once on a recording surface, before layout needs it
 * (never from snapshot, where a resize would stall the frame clock). */
static void
update_legend_height (HearthGraphView *self)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  HearthStyle style;

  if (!self->diff || self->tree == NULL)
    return;
  surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cr = cairo_create (surface);
  hearth_graph_view_get_style (self, &style);
  self->legend_height = paint_legend (self, cr, MAX (gtk_widget_get_width (GTK_WIDGET (self)), 600), &style);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
hearth_graph_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  HearthGraphView *self = HEARTH_GRAPH_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  HearthLayout *layout;
  HearthStyle style;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  if (self->tree == NULL)
    {
      paint_message (self, snapshot, _("Waiting for samples…"));
      return;
    }
  if (hearth_call_tree_get_total_a (self->tree) == 0 && hearth_call_tree_get_total_b (self->tree) == 0)
    {
      paint_message (self, snapshot, _("No samples in this selection"));
      return;
    }

  hearth_graph_view_get_style (self, &style);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->diff)
    paint_legend (self, cr, width, &style);
  if ((layout = _hearth_graph_view_ensure_layout (self)) != NULL)
    {
      cairo_translate (cr, 0, _hearth_graph_view_top (self));
      hearth_painter_paint_cairo (cr, gtk_widget_get_scale_factor (widget), layout, &style);
    }
  cairo_destroy (cr);
}

static void
hearth_graph_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  HearthGraphView *self = HEARTH_GRAPH_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 600;
    }
  else if (self->view == HEARTH_VIEW_SUNBURST)
    {
      *minimum = 160;
      *natural = 480;
    }
  else
    {
      /* Every row, so a scrolled window around the view scrolls them. */
      *minimum = (int) (_hearth_graph_view_top (self) + content_height (self));
      *natural = MAX (*minimum, 300);
    }
}

static void
hearth_graph_view_dispose (GObject *object)
{
  HearthGraphView *self = (HearthGraphView *)object;

  g_clear_pointer (&self->layout, hearth_layout_unref);
  g_clear_object (&self->tree);

  G_OBJECT_CLASS (hearth_graph_view_parent_class)->dispose (object);
}

static void
hearth_graph_view_finalize (GObject *object)
{
  HearthGraphView *self = (HearthGraphView *)object;

  g_clear_pointer (&self->matches, g_free);
  g_clear_pointer (&self->running_share, g_free);
  g_clear_pointer (&self->zoom_path, g_array_unref);
  g_clear_pointer (&self->selected_path, g_array_unref);
  g_clear_pointer (&self->back, g_ptr_array_unref);
  g_clear_pointer (&self->forward, g_ptr_array_unref);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (hearth_graph_view_parent_class)->finalize (object);
}

static void
hearth_graph_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HearthGraphView *self = HEARTH_GRAPH_VIEW (object);

  switch (prop_id)
    {
    case PROP_TREE: g_value_set_object (value, self->tree); break;
    case PROP_VIEW: g_value_set_enum (value, self->view); break;
    case PROP_ZOOM_NODE: g_value_set_uint (value, self->zoom_node); break;
    case PROP_SELECTED_NODE: g_value_set_uint (value, self->selected_node); break;
    case PROP_CAN_GO_BACK: g_value_set_boolean (value, self->back->len > 0); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_graph_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HearthGraphView *self = HEARTH_GRAPH_VIEW (object);

  switch (prop_id)
    {
    case PROP_TREE: hearth_graph_view_set_tree (self, g_value_get_object (value)); break;
    case PROP_VIEW:
      self->view = g_value_get_enum (value);
      invalidate_layout (self);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_graph_view_class_init (HearthGraphViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hearth_graph_view_dispose;
  object_class->finalize = hearth_graph_view_finalize;
  object_class->get_property = hearth_graph_view_get_property;
  object_class->set_property = hearth_graph_view_set_property;

  widget_class->snapshot = hearth_graph_view_snapshot;
  widget_class->measure = hearth_graph_view_measure;

  properties[PROP_TREE] = g_param_spec_object ("tree", NULL, NULL, HEARTH_TYPE_CALL_TREE,
                                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW] = g_param_spec_enum ("view", NULL, NULL, HEARTH_TYPE_VIEW_KIND, HEARTH_VIEW_SUNBURST,
                                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM_NODE] = g_param_spec_uint ("zoom-node", NULL, NULL, 0, G_MAXUINT32, 0, ro);
  properties[PROP_SELECTED_NODE] = g_param_spec_uint ("selected-node", NULL, NULL, 0, G_MAXUINT32, HEARTH_NO_ID, ro);
  properties[PROP_CAN_GO_BACK] = g_param_spec_boolean ("can-go-back", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "graphview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  _hearth_graph_view_class_init_input (widget_class);
}

static void
hearth_graph_view_init (HearthGraphView *self)
{
  self->selected_node = HEARTH_NO_ID;
  self->zoom_path = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->back = g_ptr_array_new_with_free_func (free_path);
  self->forward = g_ptr_array_new_with_free_func (free_path);
  self->legend_height = 48;
  self->width_by = HEARTH_WIDTH_BY_B;
  hearth_diff_options_init (&self->diff_options);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  _hearth_graph_view_init_input (self);
}

GtkWidget *
hearth_graph_view_new (HearthViewKind view)
{
  return g_object_new (HEARTH_TYPE_GRAPH_VIEW, "view", view, NULL);
}

HearthViewKind
hearth_graph_view_get_view (HearthGraphView *self)
{
  g_return_val_if_fail (HEARTH_IS_GRAPH_VIEW (self), HEARTH_VIEW_SUNBURST);
  return self->view;
}

HearthCallTree *
hearth_graph_view_get_tree (HearthGraphView *self)
{
  g_return_val_if_fail (HEARTH_IS_GRAPH_VIEW (self), NULL);
  return self->tree;
}

void
hearth_graph_view_set_tree (HearthGraphView *self,
                            HearthCallTree  *tree)
{
  guint32 zoom, selected;

  g_return_if_fail (HEARTH_IS_GRAPH_VIEW (self));

  if (self->tree == tree)
    return;
  g_set_object (&self->tree, tree);

  zoom = hearth_frame_nav_node_for_path (tree, self->zoom_path);
  selected = hearth_frame_nav_node_for_path (tree, self->selected_path);
  self->zoom_node = zoom == HEARTH_NO_ID ? 0 : zoom;
  self->selected_node = self->selected_path != NULL ? selected : HEARTH_NO_ID;
  if (zoom == HEARTH_NO_ID)
    g_array_set_size (self->zoom_path, 0);
  update_legend_height (self);
  /* Matches belong to the old tree: the owner sets new ones. */
  g_clear_pointer (&self->matches, g_free);
  self->n_matches = 0;

  invalidate_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TREE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_NODE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_NODE]);
}

void
hearth_graph_view_set_diff (HearthGraphView         *self,
                            gboolean                 diff,
                            const HearthDiffOptions *options,
                            HearthWidthBy            width_by)
{
  g_return_if_fail (HEARTH_IS_GRAPH_VIEW (self));

  self->diff = !!diff;
  if (options != NULL)
    self->diff_options = *options;
  self->width_by = width_by;
  update_legend_height (self);
  invalidate_layout (self);
}

void
hearth_graph_view_set_color_scheme (HearthGraphView   *self,
                                    HearthColorScheme  scheme)
{
  g_return_if_fail (HEARTH_IS_GRAPH_VIEW (self));

  self->scheme = scheme;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hearth_graph_view_set_matches (HearthGraphView *self,
                               const guint8    *matches,
                               guint            n_matches)
{
  g_return_if_fail (HEARTH_IS_GRAPH_VIEW (self));

  g_clear_pointer (&self->matches, g_free);
  self->n_matches = 0;
  if (matches != NULL && n_matches > 0)
    {
      self->matches = g_memdup2 (matches, n_matches);
      self->n_matches = n_matches;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hearth_graph_view_set_running_share (HearthGraphView *self,
                                     const float     *share,
                                     guint            n_share)
{
  g_return_if_fail (HEARTH_IS_GRAPH_VIEW (self));

  g_clear_pointer (&self->running_share, g_free);
  self->n_running_share = 0;
  if (share != NULL)
    {
      self->running_share = g_memdup2 (share, n_share * sizeof (float));
      self->n_running_share = n_share;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hearth_graph_view_set_name (HearthGraphView *self,
                            const char      *name)
{
  g_return_if_fail (HEARTH_IS_GRAPH_VIEW (self));

  g_free (self->name);
  self->name = g_strdup (name);
  _hearth_graph_view_announce (self);
}

guint32
hearth_graph_view_get_zoom_node (HearthGraphView *self)
{
  g_return_val_if_fail (HEARTH_IS_GRAPH_VIEW (self), 0);
  return self->zoom_node;
}

void
_hearth_graph_view_set_zoom_node (HearthGraphView *self,
                                  guint32          node)
{
  self->zoom_node = node;
  invalidate_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_NODE]);
}

void
_hearth_graph_view_notify_history (HearthGraphView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GO_BACK]);
}

guint32
hearth_graph_view_get_selected_node (HearthGraphView *self)
{
  g_return_val_if_fail (HEARTH_IS_GRAPH_VIEW (self), HEARTH_NO_ID);
  return self->selected_node;
}

void
hearth_graph_view_select_node (HearthGraphView *self,
                               guint32          node)
{
  HearthLayout *layout;

  g_return_if_fail (HEARTH_IS_GRAPH_VIEW (self));

  if (self->tree == NULL || (node != HEARTH_NO_ID && node >= hearth_call_tree_get_n_nodes (self->tree)))
    return;

  self->selected_node = node;
  g_clear_pointer (&self->selected_path, g_array_unref);
  if (node != HEARTH_NO_ID)
    {
      self->selected_path = hearth_frame_nav_path_for_node (self->tree, node);
      /* Not drawn (outside the zoom, or too thin): zoom to show it. The
       * sunburst shows a zoom root's ancestors nowhere, so go to its parent. */
      layout = _hearth_graph_view_ensure_layout (self);
      if (layout != NULL && hearth_layout_find_node (layout, node) == NULL)
        {
          const HearthCallNode *n = hearth_call_tree_get_node (self->tree, node);
          hearth_graph_view_zoom_to (self, n->parent != HEARTH_NO_ID ? n->parent : 0);
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  _hearth_graph_view_announce (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_NODE]);
}

HearthLayout *
hearth_graph_view_get_layout (HearthGraphView *self)
{
  g_return_val_if_fail (HEARTH_IS_GRAPH_VIEW (self), NULL);
  return _hearth_graph_view_ensure_layout (self);
}

gboolean
hearth_graph_view_export (HearthGraphView     *self,
                          HearthExportFormat   format,
                          const char          *path,
                          GError             **error)
{
  HearthExportScene scene = { 0 };
  g_autoptr(HearthLayout) layout = NULL;
  HearthLayoutOptions options;
  HearthStyle style;
  double width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 400);
  double height = MAX (gtk_widget_get_height (GTK_WIDGET (self)) - _hearth_graph_view_top (self), 300);

  g_return_val_if_fail (HEARTH_IS_GRAPH_VIEW (self), FALSE);

  if (self->tree == NULL)
    {
      g_set_error_literal (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_INPUT,
                           _("There are no samples to export yet."));
      return FALSE;
    }

  /* The layout as shown, with every row of the zoom (a scrolled-away row
   * is still part of the view); the scene adds the legend above it. */
  fill_options (self, &options, width, MAX (height, content_height (self)));
  layout = hearth_layout_new (self->tree, &options);
  hearth_graph_view_get_style (self, &style);
  scene.layout = layout;
  scene.style = &style;
  scene.legend = self->diff;

  return hearth_export_scene_write (&scene, format, gtk_widget_get_scale_factor (GTK_WIDGET (self)), path, error);
}
