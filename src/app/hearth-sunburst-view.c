/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-sunburst-view.h"

struct _HearthSunburstView
{
  GtkWidget parent_instance;

  /* owned */
  HearthSession   *session;

  /* children */
  GtkWidget       *box;
  GtkLabel        *hint;
  HearthGraphView *graph;
};

G_DEFINE_FINAL_TYPE (HearthSunburstView, hearth_sunburst_view, GTK_TYPE_WIDGET)

/* A new tree or new matches: the session matches its own call tree,
 * which is the tree shown here, so both are taken together whichever
 * notification comes first. */
static void
tree_changed_cb (HearthSunburstView *self)
{
  const float *share;
  const guint8 *matches;
  guint n = 0;

  hearth_graph_view_set_tree (self->graph, hearth_session_get_call_tree (self->session));
  share = hearth_session_get_running_share (self->session, &n);
  hearth_graph_view_set_running_share (self->graph, share, n);
  matches = hearth_session_get_tree_matches (self->session, &n);
  hearth_graph_view_set_matches (self->graph, matches, n);
}

static void
scheme_changed_cb (HearthSunburstView *self)
{
  hearth_graph_view_set_color_scheme (self->graph, hearth_session_get_color_scheme (self->session));
}

static void
hearth_sunburst_view_dispose (GObject *object)
{
  HearthSunburstView *self = (HearthSunburstView *)object;

  hearth_sunburst_view_set_session (self, NULL);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (hearth_sunburst_view_parent_class)->dispose (object);
}

static void
hearth_sunburst_view_class_init (HearthSunburstViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hearth_sunburst_view_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sunburstview");
}

static void
hearth_sunburst_view_init (HearthSunburstView *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->graph = HEARTH_GRAPH_VIEW (hearth_graph_view_new (HEARTH_VIEW_SUNBURST));
  gtk_widget_set_name (GTK_WIDGET (self->graph), "sunburst-view");
  gtk_widget_set_vexpand (GTK_WIDGET (self->graph), TRUE);
  hearth_graph_view_set_name (self->graph, _("Sunburst"));
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->graph));

  self->hint = GTK_LABEL (gtk_label_new (_("Click a ring to zoom into it, the center to zoom out. "
                                           "Arrows move between frames, Enter zooms, Backspace goes back.")));
  gtk_label_set_wrap (self->hint, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->hint), "dim-label");
  gtk_widget_set_margin_top (GTK_WIDGET (self->hint), 4);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->hint), 4);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->hint));
}

GtkWidget *
hearth_sunburst_view_new (void)
{
  return g_object_new (HEARTH_TYPE_SUNBURST_VIEW, NULL);
}

void
hearth_sunburst_view_set_session (HearthSunburstView *self,
                                  HearthSession      *session)
{
  g_return_if_fail (HEARTH_IS_SUNBURST_VIEW (self));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);

  if (session == NULL)
    {
      hearth_graph_view_set_tree (self->graph, NULL);
      return;
    }

  g_signal_connect_object (session, "notify::call-tree", G_CALLBACK (tree_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::search-matches", G_CALLBACK (tree_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::color-scheme", G_CALLBACK (scheme_changed_cb), self, G_CONNECT_SWAPPED);
  tree_changed_cb (self);
  scheme_changed_cb (self);
}

HearthGraphView *
hearth_sunburst_view_get_graph (HearthSunburstView *self)
{
  g_return_val_if_fail (HEARTH_IS_SUNBURST_VIEW (self), NULL);
  return self->graph;
}
