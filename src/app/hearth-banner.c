/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-banner.h"

struct _HearthBanner
{
  GtkWidget parent_instance;

  /* template widgets (built in init: the widget is small) */
  GtkRevealer *revealer;
  GtkLabel    *label;
  GtkButton   *button;
};

G_DEFINE_FINAL_TYPE (HearthBanner, hearth_banner, GTK_TYPE_WIDGET)

static void
close_clicked_cb (HearthBanner *self)
{
  hearth_banner_dismiss (self);
}

static void
hearth_banner_dispose (GObject *object)
{
  HearthBanner *self = (HearthBanner *)object;

  if (self->revealer != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->revealer));
      self->revealer = NULL;
    }
  G_OBJECT_CLASS (hearth_banner_parent_class)->dispose (object);
}

static void
hearth_banner_class_init (HearthBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hearth_banner_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "banner");
}

static void
hearth_banner_init (HearthBanner *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *close = gtk_button_new_from_icon_name ("window-close-symbolic");

  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (GTK_WIDGET (self->revealer), GTK_WIDGET (self));

  gtk_widget_add_css_class (box, "banner-box");
  gtk_revealer_set_child (self->revealer, box);

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_xalign (self->label, 0);
  gtk_label_set_selectable (self->label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_widget_set_name (GTK_WIDGET (self->label), "banner-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));

  self->button = GTK_BUTTON (gtk_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->button), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->button));

  gtk_widget_set_valign (close, GTK_ALIGN_CENTER);
  gtk_button_set_has_frame (GTK_BUTTON (close), FALSE);
  gtk_widget_set_tooltip_text (close, _("Dismiss"));
  g_signal_connect_swapped (close, "clicked", G_CALLBACK (close_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), close);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Message"),
                                  -1);
}

GtkWidget *
hearth_banner_new (void)
{
  return g_object_new (HEARTH_TYPE_BANNER, NULL);
}

void
hearth_banner_show (HearthBanner *self,
                    const char   *text,
                    gboolean      error,
                    const char   *button_label,
                    const char   *action_name)
{
  g_return_if_fail (HEARTH_IS_BANNER (self));

  gtk_label_set_text (self->label, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error");

  gtk_widget_set_visible (GTK_WIDGET (self->button), button_label != NULL);
  if (button_label != NULL)
    {
      gtk_button_set_label (self->button, button_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), action_name);
    }

  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

void
hearth_banner_dismiss (HearthBanner *self)
{
  g_return_if_fail (HEARTH_IS_BANNER (self));
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
}

const char *
hearth_banner_get_text (HearthBanner *self)
{
  g_return_val_if_fail (HEARTH_IS_BANNER (self), NULL);
  return gtk_label_get_text (self->label);
}

gboolean
hearth_banner_is_shown (HearthBanner *self)
{
  g_return_val_if_fail (HEARTH_IS_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}
