/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-breadcrumbs.h"

/* Deep stacks show the root, an ellipsis and the innermost crumbs. */
#define MAX_TAIL_CRUMBS 4

struct _HearthBreadcrumbs
{
  GtkWidget parent_instance;

  /* owned */
  GPtrArray *labels;   /* char*, as shown */
};

enum {
  SIGNAL_NODE_ACTIVATED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (HearthBreadcrumbs, hearth_breadcrumbs, GTK_TYPE_WIDGET)

static guint signals[N_SIGNALS];

static void
crumb_clicked_cb (GtkButton         *button,
                  HearthBreadcrumbs *self)
{
  guint node = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "node"));

  g_signal_emit (self, signals[SIGNAL_NODE_ACTIVATED], 0, node);
}

static void
clear (HearthBreadcrumbs *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_ptr_array_set_size (self->labels, 0);
}

static void
add_separator (HearthBreadcrumbs *self)
{
  GtkWidget *sep = gtk_label_new ("›");

  gtk_widget_add_css_class (sep, "dim-label");
  gtk_widget_set_parent (sep, GTK_WIDGET (self));
}

static void
add_crumb (HearthBreadcrumbs *self,
           const char        *text,
           guint32            node,
           gboolean           current)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_width_chars (GTK_LABEL (label), MIN (6, g_utf8_strlen (text, -1)));
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_button_set_has_frame (GTK_BUTTON (button), FALSE);
  gtk_widget_set_tooltip_text (button, text);
  if (current)
    gtk_widget_add_css_class (button, "current");
  g_object_set_data (G_OBJECT (button), "node", GUINT_TO_POINTER (node));
  g_signal_connect (button, "clicked", G_CALLBACK (crumb_clicked_cb), self);
  gtk_widget_set_parent (button, GTK_WIDGET (self));
  g_ptr_array_add (self->labels, g_strdup (text));
}

static void
hearth_breadcrumbs_dispose (GObject *object)
{
  HearthBreadcrumbs *self = (HearthBreadcrumbs *)object;

  clear (self);
  G_OBJECT_CLASS (hearth_breadcrumbs_parent_class)->dispose (object);
}

static void
hearth_breadcrumbs_finalize (GObject *object)
{
  HearthBreadcrumbs *self = (HearthBreadcrumbs *)object;

  g_clear_pointer (&self->labels, g_ptr_array_unref);
  G_OBJECT_CLASS (hearth_breadcrumbs_parent_class)->finalize (object);
}

static void
hearth_breadcrumbs_class_init (HearthBreadcrumbsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hearth_breadcrumbs_dispose;
  object_class->finalize = hearth_breadcrumbs_finalize;

  signals[SIGNAL_NODE_ACTIVATED] =
    g_signal_new ("node-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "breadcrumbs");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hearth_breadcrumbs_init (HearthBreadcrumbs *self)
{
  self->labels = g_ptr_array_new_with_free_func (g_free);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 2);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
hearth_breadcrumbs_new (void)
{
  return g_object_new (HEARTH_TYPE_BREADCRUMBS, NULL);
}

void
hearth_breadcrumbs_set_path (HearthBreadcrumbs *self,
                             HearthCallTree    *tree,
                             guint32            node)
{
  g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_return_if_fail (HEARTH_IS_BREADCRUMBS (self));

  clear (self);
  if (tree == NULL || node >= hearth_call_tree_get_n_nodes (tree))
    {
      add_crumb (self, _("All samples"), 0, TRUE);
      return;
    }

  for (guint32 id = node; id != HEARTH_NO_ID; id = hearth_call_tree_get_node (tree, id)->parent)
    g_array_prepend_val (chain, id);

  for (guint i = 0; i < chain->len; i++)
    {
      guint32 id = g_array_index (chain, guint32, i);

      if (i > 0 && chain->len > MAX_TAIL_CRUMBS + 1 && i < chain->len - MAX_TAIL_CRUMBS)
        {
          if (i == 1)
            {
              GtkWidget *more = gtk_label_new ("…");
              add_separator (self);
              gtk_widget_set_parent (more, GTK_WIDGET (self));
            }
          continue;
        }
      if (i > 0)
        add_separator (self);
      add_crumb (self, id == 0 ? _("All samples") : hearth_call_tree_get_name (tree, id),
                 id, i == chain->len - 1);
    }
}

char *
hearth_breadcrumbs_dup_text (HearthBreadcrumbs *self)
{
  g_autoptr(GString) str = g_string_new (NULL);

  g_return_val_if_fail (HEARTH_IS_BREADCRUMBS (self), NULL);

  for (guint i = 0; i < self->labels->len; i++)
    {
      if (i > 0)
        g_string_append (str, " › ");
      g_string_append (str, g_ptr_array_index (self->labels, i));
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}
