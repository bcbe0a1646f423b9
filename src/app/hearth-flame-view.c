/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hearth-enums.h"
#include "hearth-flame-view-private.h"
#include "hearth-painter.h"

#define ANIMATION_USEC (220 * 1000)

enum {
  PROP_0,
  PROP_TREE,
  PROP_VIEW,
  PROP_ZOOM_NODE,
  PROP_SELECTED_NODE,
  PROP_CAN_GO_BACK,
  PROP_CAN_GO_FORWARD,
  PROP_MATCH_FRACTION,
  N_PROPS,

  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

G_DEFINE_FINAL_TYPE_WITH_CODE (HearthFlameView, hearth_flame_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

static GParamSpec *properties[N_PROPS];

static void
free_path (gpointer data)
{
  g_array_unref (data);
}

static GArray *
path_for_node (HearthCallTree *tree,
               guint32         node)
{
  GArray *path = g_array_new (FALSE, FALSE, sizeof (guint32));

  while (tree != NULL && node != 0 && node != HEARTH_NO_ID)
    {
      const HearthCallNode *n = hearth_call_tree_get_node (tree, node);

      g_array_prepend_val (path, n->function);
      node = n->parent;
    }
  return path;
}

static guint32
node_for_path (HearthCallTree *tree,
               GArray         *path)
{
  guint32 node;

  if (tree == NULL || path == NULL)
    return HEARTH_NO_ID;
  if (path->len == 0)
    return 0;
  node = hearth_call_tree_find_path (tree, (const guint32 *) path->data, path->len);
  return node;
}

static void
invalidate_layout (HearthFlameView *self)
{
  g_clear_pointer (&self->layout, hearth_layout_unref);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Start and width of node as fractions of base, summing the weights of
 * the siblings before it on the way down: the layout places children in
 * tree order from their parent's start, so this matches it exactly. */
static void
node_span_in (HearthCallTree *tree,
              guint32         base,
              guint32         node,
              double          span[2])
{
  double base_w = (double) hearth_call_tree_get_node (tree, base)->total_a;
  double start = 0;

  span[0] = 0;
  span[1] = 1;
  if (base_w <= 0)
    return;

  for (guint32 id = node; id != base && id != HEARTH_NO_ID;)
    {
      const HearthCallNode *n = hearth_call_tree_get_node (tree, id);
      guint32 parent = n->parent;

      if (parent == HEARTH_NO_ID)
        break;
      for (guint i = 0; i < hearth_call_tree_get_node (tree, parent)->n_children; i++)
        {
          guint32 sib = hearth_call_tree_get_child (tree, parent, i);
          if (sib == id)
            break;
          start += (double) hearth_call_tree_get_node (tree, sib)->total_a;
        }
      id = parent;
    }

  span[0] = start / base_w;
  span[1] = (start + (double) hearth_call_tree_get_node (tree, node)->total_a) / base_w;
}

static guint32
common_ancestor (HearthCallTree *tree,
                 guint32         a,
                 guint32         b)
{
  while (a != b)
    {
      const HearthCallNode *na = hearth_call_tree_get_node (tree, a);
      const HearthCallNode *nb = hearth_call_tree_get_node (tree, b);

      if (na->depth >= nb->depth && na->parent != HEARTH_NO_ID)
        a = na->parent;
      else if (nb->parent != HEARTH_NO_ID)
        b = nb->parent;
      else
        return 0;
    }
  return a;
}

/* The animated layout is MAX_ANIM_ZOOM times the view's width at most:
 * wider costs more than a frame on a big tree. A deeper zoom cuts to the
 * nearest ancestor the target spans 1/MAX_ANIM_ZOOM of, and animates from
 * there (or, zooming out, animates to there and then cuts). */
#define MAX_ANIM_ZOOM 16.0

static guint32
near_ancestor (HearthCallTree *tree,
               guint32         base,
               guint32         small)
{
  double span[2];
  guint32 a = small;

  while (a != base)
    {
      guint32 parent = hearth_call_tree_get_node (tree, a)->parent;

      node_span_in (tree, parent, small, span);
      if (span[1] - span[0] < 1.0 / MAX_ANIM_ZOOM)
        break;
      a = parent;
    }
  return a;
}

static void
plan_animation (HearthFlameView *self,
                guint32          old,
                guint32          node)
{
  guint32 base = common_ancestor (self->tree, old, node);

  self->anim_base = base;
  node_span_in (self->tree, base, old, self->anim_from);
  node_span_in (self->tree, base, node, self->anim_to);

  if (self->anim_to[1] - self->anim_to[0] < 1.0 / MAX_ANIM_ZOOM && base == old)
    {
      self->anim_base = near_ancestor (self->tree, base, node);
      self->anim_from[0] = 0, self->anim_from[1] = 1;
      node_span_in (self->tree, self->anim_base, node, self->anim_to);
    }
  else if (self->anim_from[1] - self->anim_from[0] < 1.0 / MAX_ANIM_ZOOM && base == node)
    {
      self->anim_base = near_ancestor (self->tree, base, old);
      node_span_in (self->tree, self->anim_base, old, self->anim_from);
      self->anim_to[0] = 0, self->anim_to[1] = 1;
    }
}

static double
ease_out_cubic (double t)
{
  t = 1.0 - CLAMP (t, 0.0, 1.0);
  return 1.0 - t * t * t;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (frame_clock);

  self->anim_progress = (double) (now - self->anim_start) / ANIMATION_USEC;
  gtk_widget_queue_draw (widget);

  if (self->anim_progress >= 1.0)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
stop_animation (HearthFlameView *self)
{
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static gboolean
animations_enabled (HearthFlameView *self)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations", &enabled, NULL);
  return enabled && self->animate && gtk_widget_get_mapped (GTK_WIDGET (self));
}

static void
update_match_nodes (HearthFlameView *self)
{
  g_autoptr(GArray) stack = NULL;

  g_array_set_size (self->match_nodes, 0);
  if (self->search_matches == NULL || self->tree == NULL)
    return;

  /* Depth-first, children in tree order: Enter walks matches left to
   * right, outer frames before inner ones. */
  stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (stack, (guint32) { 0 });
  while (stack->len > 0)
    {
      guint32 node = g_array_index (stack, guint32, stack->len - 1);
      const HearthCallNode *n = hearth_call_tree_get_node (self->tree, node);

      g_array_set_size (stack, stack->len - 1);
      if (node < self->n_search_matches && self->search_matches[node])
        g_array_append_val (self->match_nodes, node);
      for (guint i = n->n_children; i > 0; i--)
        {
          guint32 child = hearth_call_tree_get_child (self->tree, node, i - 1);
          g_array_append_val (stack, child);
        }
    }
}

static void
update_matches (HearthFlameView *self)
{
  g_clear_pointer (&self->search_matches, g_free);
  self->n_search_matches = 0;
  g_clear_pointer (&self->highlight, g_free);

  if (self->tree != NULL && self->search != NULL)
    self->search_matches = hearth_search_match_tree (self->search, self->tree, &self->n_search_matches);

  if (self->tree != NULL && self->highlight_function != HEARTH_NO_ID)
    {
      guint n = hearth_call_tree_get_n_nodes (self->tree);

      self->highlight = g_new0 (guint8, n);
      for (guint i = 1; i < n; i++)
        self->highlight[i] = hearth_call_tree_get_node (self->tree, i)->function == self->highlight_function;
    }

  update_match_nodes (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCH_FRACTION]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Change the zoom without touching the history. */
static void
set_zoom (HearthFlameView *self,
          guint32          node,
          gboolean         animate)
{
  guint32 old = self->zoom_node;

  if (self->tree == NULL || node >= hearth_call_tree_get_n_nodes (self->tree))
    node = 0;

  g_clear_pointer (&self->zoom_path, g_array_unref);
  self->zoom_path = path_for_node (self->tree, node);

  if (node == old)
    return;

  stop_animation (self);
  if (animate && self->tree != NULL && animations_enabled (self))
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

      plan_animation (self, old, node);
      self->anim_progress = 0;
      self->anim_start = clock ? gdk_frame_clock_get_frame_time (clock) : g_get_monotonic_time ();
      self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
    }

  self->zoom_node = node;
  self->stick_to_bottom = TRUE;
  if (self->vadjustment != NULL && self->view != HEARTH_VIEW_FLAME)
    gtk_adjustment_set_value (self->vadjustment, 0);
  invalidate_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_NODE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCH_FRACTION]);
}

static void
notify_history (HearthFlameView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GO_BACK]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GO_FORWARD]);
}

gboolean
_hearth_flame_view_is_dark (HearthFlameView *self)
{
  GdkRGBA fg;

  /* Follow whatever theme GTK resolved (Adwaita-dark, prefer-dark, a
   * high-contrast theme…) rather than guessing from settings. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
}

double
_hearth_flame_view_get_scroll (HearthFlameView *self)
{
  return self->vadjustment ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

static void
fill_style (HearthFlameView *self,
            HearthStyle     *style)
{
  hearth_style_init (style);
  style->scheme = self->scheme;
  style->theme = _hearth_flame_view_is_dark (self) ? HEARTH_THEME_DARK : HEARTH_THEME_LIGHT;
  style->font_size = HEARTH_FLAME_VIEW_FONT_SIZE;
  style->selected_node = self->selected_node;
  if (self->highlight != NULL)
    {
      style->matches = self->highlight;
      style->n_matches = hearth_call_tree_get_n_nodes (self->tree);
    }
  else if (self->search_matches != NULL)
    {
      style->matches = self->search_matches;
      style->n_matches = self->n_search_matches;
    }
  if (self->scheme == HEARTH_COLOR_SCHEME_STATE && self->running_share != NULL)
    {
      style->running_share = self->running_share;
      style->n_running_share = self->n_running_share;
    }
}

static void
fill_options (HearthFlameView     *self,
              HearthLayoutOptions *options)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  hearth_layout_options_init (options, self->view, width, height);
  options->row_height = HEARTH_FLAME_VIEW_ROW_HEIGHT;
  options->zoom_root = self->zoom_node;
  if (self->tree != NULL && self->view != HEARTH_VIEW_SUNBURST)
    options->height = MAX (height, hearth_layout_measure_height (self->tree, self->zoom_node,
                                                                 options->row_height));
}

HearthLayout *
_hearth_flame_view_ensure_layout (HearthFlameView *self)
{
  HearthLayoutOptions options;

  if (self->tree == NULL)
    return NULL;

  fill_options (self, &options);
  if (self->layout != NULL)
    {
      const HearthLayoutOptions *cur = hearth_layout_get_options (self->layout);

      if (cur->width == options.width && cur->height == options.height)
        return self->layout;
      g_clear_pointer (&self->layout, hearth_layout_unref);
    }

  self->layout = hearth_layout_new (self->tree, &options);
  self->content_height = options.height;
  return self->layout;
}

static void
update_adjustment (HearthFlameView *self)
{
  double page = gtk_widget_get_height (GTK_WIDGET (self));
  double upper;
  double value;

  if (self->vadjustment == NULL)
    return;

  _hearth_flame_view_ensure_layout (self);
  upper = MAX (self->content_height, page);
  value = gtk_adjustment_get_value (self->vadjustment);
  /* A flame graph grows upwards from its root: keep the root in view. */
  if (self->view == HEARTH_VIEW_FLAME && self->stick_to_bottom)
    value = upper - page;
  gtk_adjustment_configure (self->vadjustment, CLAMP (value, 0, upper - page), 0, upper,
                            HEARTH_FLAME_VIEW_ROW_HEIGHT * 3, page * 0.9, page);
}

static void
paint_animation_frame (HearthFlameView *self,
                       cairo_t         *cr,
                       double           scale,
                       const HearthStyle *style)
{
  g_autoptr(HearthLayout) layout = NULL;
  HearthLayoutOptions options;
  double e = ease_out_cubic (self->anim_progress);
  double l = self->anim_from[0] + (self->anim_to[0] - self->anim_from[0]) * e;
  double r = self->anim_from[1] + (self->anim_to[1] - self->anim_from[1]) * e;
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double wide;

  /* Lay out the common ancestor wide enough that the interpolated window
   * [l, r] fills the widget, and slide it: text stays crisp, unlike a
   * scaled bitmap, and culling works at the visible scale. */
  if (r - l <= 1e-9)
    return;
  wide = width / (r - l);

  hearth_layout_options_init (&options, self->view, wide, height);
  options.row_height = HEARTH_FLAME_VIEW_ROW_HEIGHT;
  options.zoom_root = self->anim_base;
  options.height = MAX (height, hearth_layout_measure_height (self->tree, self->anim_base,
                                                              options.row_height));
  layout = hearth_layout_new (self->tree, &options);

  cairo_save (cr);
  if (self->view == HEARTH_VIEW_FLAME)
    cairo_translate (cr, -l * wide, MAX (self->content_height, height) - options.height);
  else
    cairo_translate (cr, -l * wide, 0);
  hearth_painter_paint_cairo (cr, scale, layout, style);
  cairo_restore (cr);
}

static void
paint_empty (HearthFlameView *self,
             GtkSnapshot     *snapshot)
{
  g_autoptr(PangoLayout) pl = NULL;
  int pw, ph;
  GdkRGBA color;

  pl = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                       self->tree == NULL ? _("Waiting for samples…")
                                                          : _("No samples in this selection"));
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

static void
hearth_flame_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  HearthLayout *layout;
  HearthStyle style;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  if (self->tree == NULL || hearth_call_tree_get_total_a (self->tree) == 0)
    {
      paint_empty (self, snapshot);
      return;
    }

  layout = _hearth_flame_view_ensure_layout (self);
  fill_style (self, &style);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_translate (cr, 0, -_hearth_flame_view_get_scroll (self));

  if (self->tick_id != 0)
    paint_animation_frame (self, cr, gtk_widget_get_scale_factor (widget), &style);
  else
    hearth_painter_paint_cairo (cr, gtk_widget_get_scale_factor (widget), layout, &style);

  cairo_destroy (cr);
}

static void
hearth_flame_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  /* Scrollable: the content height goes to the adjustment, not here. */
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 80;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 400;
}

static void
hearth_flame_view_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (widget);

  update_adjustment (self);
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
vadjustment_value_changed_cb (HearthFlameView *self,
                              GtkAdjustment   *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);

  self->stick_to_bottom = value >= gtk_adjustment_get_upper (adjustment) -
                                   gtk_adjustment_get_page_size (adjustment) - 0.5;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (HearthFlameView  *self,
                GtkAdjustment   **field,
                GtkAdjustment    *adjustment,
                gboolean          vertical)
{
  if (*field == adjustment && adjustment != NULL)
    return;

  if (*field != NULL)
    {
      g_signal_handlers_disconnect_by_data (*field, self);
      g_clear_object (field);
    }
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *field = g_object_ref_sink (adjustment);
  if (vertical)
    g_signal_connect_swapped (adjustment, "value-changed",
                              G_CALLBACK (vadjustment_value_changed_cb), self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
hearth_flame_view_dispose (GObject *object)
{
  HearthFlameView *self = (HearthFlameView *)object;

  stop_animation (self);
  _hearth_flame_view_dispose_input (self);

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->hadjustment, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  g_clear_pointer (&self->layout, hearth_layout_unref);
  g_clear_object (&self->tree);

  G_OBJECT_CLASS (hearth_flame_view_parent_class)->dispose (object);
}

static void
hearth_flame_view_finalize (GObject *object)
{
  HearthFlameView *self = (HearthFlameView *)object;

  g_clear_pointer (&self->search, hearth_search_free);
  g_clear_pointer (&self->search_matches, g_free);
  g_clear_pointer (&self->highlight, g_free);
  g_clear_pointer (&self->match_nodes, g_array_unref);
  g_clear_pointer (&self->running_share, g_free);
  g_clear_pointer (&self->zoom_path, g_array_unref);
  g_clear_pointer (&self->selected_path, g_array_unref);
  g_clear_pointer (&self->back, g_ptr_array_unref);
  g_clear_pointer (&self->forward, g_ptr_array_unref);

  G_OBJECT_CLASS (hearth_flame_view_parent_class)->finalize (object);
}

static void
hearth_flame_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (object);

  switch (prop_id)
    {
    case PROP_TREE: g_value_set_object (value, self->tree); break;
    case PROP_VIEW: g_value_set_enum (value, self->view); break;
    case PROP_ZOOM_NODE: g_value_set_uint (value, self->zoom_node); break;
    case PROP_SELECTED_NODE: g_value_set_uint (value, self->selected_node); break;
    case PROP_CAN_GO_BACK: g_value_set_boolean (value, hearth_flame_view_can_go_back (self)); break;
    case PROP_CAN_GO_FORWARD: g_value_set_boolean (value, hearth_flame_view_can_go_forward (self)); break;
    case PROP_MATCH_FRACTION: g_value_set_double (value, hearth_flame_view_get_match_fraction (self)); break;
    case PROP_HADJUSTMENT: g_value_set_object (value, self->hadjustment); break;
    case PROP_VADJUSTMENT: g_value_set_object (value, self->vadjustment); break;
    case PROP_HSCROLL_POLICY: g_value_set_enum (value, self->hscroll_policy); break;
    case PROP_VSCROLL_POLICY: g_value_set_enum (value, self->vscroll_policy); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_flame_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HearthFlameView *self = HEARTH_FLAME_VIEW (object);

  switch (prop_id)
    {
    case PROP_TREE: hearth_flame_view_set_tree (self, g_value_get_object (value)); break;
    case PROP_VIEW: hearth_flame_view_set_view (self, g_value_get_enum (value)); break;
    case PROP_HADJUSTMENT: set_adjustment (self, &self->hadjustment, g_value_get_object (value), FALSE); break;
    case PROP_VADJUSTMENT: set_adjustment (self, &self->vadjustment, g_value_get_object (value), TRUE); break;
    case PROP_HSCROLL_POLICY: self->hscroll_policy = g_value_get_enum (value); break;
    case PROP_VSCROLL_POLICY: self->vscroll_policy = g_value_get_enum (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_flame_view_class_init (HearthFlameViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hearth_flame_view_dispose;
  object_class->finalize = hearth_flame_view_finalize;
  object_class->get_property = hearth_flame_view_get_property;
  object_class->set_property = hearth_flame_view_set_property;

  widget_class->snapshot = hearth_flame_view_snapshot;
  widget_class->measure = hearth_flame_view_measure;
  widget_class->size_allocate = hearth_flame_view_size_allocate;

  properties[PROP_TREE] = g_param_spec_object ("tree", NULL, NULL, HEARTH_TYPE_CALL_TREE, rw);
  properties[PROP_VIEW] = g_param_spec_enum ("view", NULL, NULL, HEARTH_TYPE_VIEW_KIND, HEARTH_VIEW_ICICLE, rw);
  properties[PROP_ZOOM_NODE] = g_param_spec_uint ("zoom-node", NULL, NULL, 0, G_MAXUINT32, 0, ro);
  properties[PROP_SELECTED_NODE] = g_param_spec_uint ("selected-node", NULL, NULL, 0, G_MAXUINT32, HEARTH_NO_ID, ro);
  properties[PROP_CAN_GO_BACK] = g_param_spec_boolean ("can-go-back", NULL, NULL, FALSE, ro);
  properties[PROP_CAN_GO_FORWARD] = g_param_spec_boolean ("can-go-forward", NULL, NULL, FALSE, ro);
  properties[PROP_MATCH_FRACTION] = g_param_spec_double ("match-fraction", NULL, NULL, -1, 1, -1, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_set_css_name (widget_class, "flameview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  _hearth_flame_view_class_init_input (widget_class);
}

static void
hearth_flame_view_init (HearthFlameView *self)
{
  self->zoom_node = 0;
  self->selected_node = HEARTH_NO_ID;
  self->highlight_function = HEARTH_NO_ID;
  self->menu_node = HEARTH_NO_ID;
  self->animate = TRUE;
  self->stick_to_bottom = TRUE;
  self->match_nodes = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->zoom_path = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->back = g_ptr_array_new_with_free_func (free_path);
  self->forward = g_ptr_array_new_with_free_func (free_path);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  _hearth_flame_view_init_input (self);
}

GtkWidget *
hearth_flame_view_new (void)
{
  return g_object_new (HEARTH_TYPE_FLAME_VIEW, NULL);
}

HearthCallTree *
hearth_flame_view_get_tree (HearthFlameView *self)
{
  g_return_val_if_fail (HEARTH_IS_FLAME_VIEW (self), NULL);
  return self->tree;
}

void
hearth_flame_view_set_tree (HearthFlameView *self,
                            HearthCallTree  *tree)
{
  guint32 zoom, selected;

  g_return_if_fail (HEARTH_IS_FLAME_VIEW (self));

  if (self->tree == tree)
    return;

  g_set_object (&self->tree, tree);
  stop_animation (self);

  /* Keep the zoomed and selected frames across re-aggregation. */
  zoom = node_for_path (tree, self->zoom_path);
  selected = node_for_path (tree, self->selected_path);
  self->zoom_node = zoom == HEARTH_NO_ID ? 0 : zoom;
  self->selected_node = selected;
  if (zoom == HEARTH_NO_ID)
    {
      g_clear_pointer (&self->zoom_path, g_array_unref);
      self->zoom_path = g_array_new (FALSE, FALSE, sizeof (guint32));
    }

  update_matches (self);
  invalidate_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TREE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_NODE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_NODE]);
}

HearthViewKind
hearth_flame_view_get_view (HearthFlameView *self)
{
  g_return_val_if_fail (HEARTH_IS_FLAME_VIEW (self), HEARTH_VIEW_ICICLE);
  return self->view;
}

void
hearth_flame_view_set_view (HearthFlameView *self,
                            HearthViewKind   view)
{
  g_return_if_fail (HEARTH_IS_FLAME_VIEW (self));

  if (self->view == view)
    return;
  self->view = view;
  self->stick_to_bottom = TRUE;
  stop_animation (self);
  invalidate_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

void
hearth_flame_view_set_color_scheme (HearthFlameView   *self,
                                    HearthColorScheme  scheme)
{
  g_return_if_fail (HEARTH_IS_FLAME_VIEW (self));

  self->scheme = scheme;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hearth_flame_view_set_running_share (HearthFlameView *self,
                                     const float     *share,
                                     guint            n_share)
{
  g_return_if_fail (HEARTH_IS_FLAME_VIEW (self));

  g_clear_pointer (&self->running_share, g_free);
  self->n_running_share = 0;
  if (share != NULL)
    {
      self->running_share = g_memdup2 (share, n_share * sizeof (float));
      self->n_running_share = n_share;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
hearth_flame_view_set_search (HearthFlameView  *self,
                              const char       *text,
                              gboolean          regex,
                              GError          **error)
{
  HearthSearch *search = NULL;

  g_return_val_if_fail (HEARTH_IS_FLAME_VIEW (self), FALSE);

  if (text != NULL && *text != 0 &&
      !(search = hearth_search_new (text, regex ? HEARTH_SEARCH_FLAGS_REGEX : HEARTH_SEARCH_FLAGS_NONE, error)))
    return FALSE;

  g_clear_pointer (&self->search, hearth_search_free);
  self->search = search;
  update_matches (self);
  return TRUE;
}

void
hearth_flame_view_set_highlight_function (HearthFlameView *self,
                                          guint32          function)
{
  g_return_if_fail (HEARTH_IS_FLAME_VIEW (self));

  if (self->highlight_function == function)
    return;
  self->highlight_function = function;
  update_matches (self);
}

const guint32 *
hearth_flame_view_get_match_nodes (HearthFlameView *self,
                                   guint           *n_nodes)
{
  g_return_val_if_fail (HEARTH_IS_FLAME_VIEW (self), NULL);

  *n_nodes = self->match_nodes->len;
  return self->search_matches ? (const guint32 *) self->match_nodes->data : NULL;
}

double
hearth_flame_view_get_match_fraction (HearthFlameView *self)
{
  g_return_val_if_fail (HEARTH_IS_FLAME_VIEW (self), -1);

  if (self->search_matches == NULL || self->tree == NULL)
    return -1;
  return hearth_search_match_fraction (self->tree, self->search_matches, self->n_search_matches,
                                       self->zoom_node, 1, 0);
}

guint32
hearth_flame_view_get_zoom_node (HearthFlameView *self)
{
  g_return_val_if_fail (HEARTH_IS_FLAME_VIEW (self), 0);
  return self->zoom_node;
}

void
hearth_flame_view_zoom_to (HearthFlameView *self,
                           guint32          node)
{
  g_return_if_fail (HEARTH_IS_FLAME_VIEW (self));

  if (self->tree == NULL || node == self->zoom_node || node >= hearth_call_tree_get_n_nodes (self->tree))
    return;

  g_ptr_array_add (self->back, g_array_copy (self->zoom_path));
  g_ptr_array_set_size (self->forward, 0);
  set_zoom (self, node, TRUE);
  notify_history (self);
}

void
hearth_flame_view_reset_zoom (HearthFlameView *self)
{
  hearth_flame_view_zoom_to (self, 0);
}

static gboolean
step_history (HearthFlameView *self,
              GPtrArray       *from,
              GPtrArray       *to)
{
  g_autoptr(GArray) path = NULL;
  guint32 node;

  if (from->len == 0)
    return FALSE;

  path = g_ptr_array_steal_index (from, from->len - 1);
  g_ptr_array_add (to, g_array_copy (self->zoom_path));
  node = node_for_path (self->tree, path);
  set_zoom (self, node == HEARTH_NO_ID ? 0 : node, TRUE);
  notify_history (self);
  return TRUE;
}

gboolean
hearth_flame_view_go_back (HearthFlameView *self)
{
  g_return_val_if_fail (HEARTH_IS_FLAME_VIEW (self), FALSE);
  return step_history (self, self->back, self->forward);
}

gboolean
hearth_flame_view_go_forward (HearthFlameView *self)
{
  g_return_val_if_fail (HEARTH_IS_FLAME_VIEW (self), FALSE);
  return step_history (self, self->forward, self->back);
}

gboolean
hearth_flame_view_can_go_back (HearthFlameView *self)
{
  return self->back->len > 0;
}

gboolean
hearth_flame_view_can_go_forward (HearthFlameView *self)
{
  return self->forward->len > 0;
}

gboolean
hearth_flame_view_is_animating (HearthFlameView *self)
{
  return self->tick_id != 0;
}

void
hearth_flame_view_set_animate (HearthFlameView *self,
                               gboolean         animate)
{
  self->animate = !!animate;
}

guint32
hearth_flame_view_get_selected_node (HearthFlameView *self)
{
  return self->selected_node;
}

void
hearth_flame_view_select_node (HearthFlameView *self,
                               guint32          node)
{
  HearthLayout *layout;

  g_return_if_fail (HEARTH_IS_FLAME_VIEW (self));

  if (self->tree == NULL || (node != HEARTH_NO_ID && node >= hearth_call_tree_get_n_nodes (self->tree)))
    return;

  self->selected_node = node;
  g_clear_pointer (&self->selected_path, g_array_unref);
  if (node != HEARTH_NO_ID)
    {
      self->selected_path = path_for_node (self->tree, node);
      layout = _hearth_flame_view_ensure_layout (self);
      if (layout == NULL || hearth_layout_find_node (layout, node) == NULL)
        hearth_flame_view_zoom_to (self, node);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  _hearth_flame_view_announce (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_NODE]);
}

void
hearth_flame_view_get_paint_state (HearthFlameView     *self,
                                   HearthLayoutOptions *options,
                                   HearthStyle         *style)
{
  g_return_if_fail (HEARTH_IS_FLAME_VIEW (self));

  fill_options (self, options);
  fill_style (self, style);
}
