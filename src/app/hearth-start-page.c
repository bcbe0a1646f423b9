/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hearth-start-page.h"

#define MAX_RECENT 8

struct _HearthStartPage
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkWidget  *attach_button;
  GtkLabel   *recent_title;
  GtkListBox *recent_list;
};

enum {
  SIGNAL_OPEN_RECENT,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (HearthStartPage, hearth_start_page, GTK_TYPE_WIDGET)

static guint signals[N_SIGNALS];

static GtkWidget *
create_row (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *home_dir = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (base);
  GtkWidget *subtitle;

  /* "~/…" reads better than /home/user/… */
  if (g_str_has_prefix (dir, g_get_home_dir ()))
    home_dir = g_strconcat ("~", dir + strlen (g_get_home_dir ()), NULL);
  subtitle = gtk_label_new (home_dir ? home_dir : dir);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_START);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, path);
  g_object_set_data_full (G_OBJECT (row), "path", g_strdup (path), g_free);

  return row;
}

static void
row_activated_cb (HearthStartPage *self,
                  GtkListBoxRow   *row,
                  GtkListBox      *list)
{
  const char *path = g_object_get_data (G_OBJECT (row), "path");

  if (path != NULL)
    g_signal_emit (self, signals[SIGNAL_OPEN_RECENT], 0, path);
}

static void
hearth_start_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HEARTH_TYPE_START_PAGE);
  /* Template children that are not bound to a field stay parented. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (hearth_start_page_parent_class)->dispose (object);
}

static void
hearth_start_page_class_init (HearthStartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hearth_start_page_dispose;

  signals[SIGNAL_OPEN_RECENT] =
    g_signal_new ("open-recent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hearthprof/Hearth/hearth-start-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HearthStartPage, attach_button);
  gtk_widget_class_bind_template_child (widget_class, HearthStartPage, recent_title);
  gtk_widget_class_bind_template_child (widget_class, HearthStartPage, recent_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "startpage");
}

static void
hearth_start_page_init (HearthStartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->recent_list, "row-activated", G_CALLBACK (row_activated_cb), self);
  hearth_start_page_set_recent (self, NULL);
}

GtkWidget *
hearth_start_page_new (void)
{
  return g_object_new (HEARTH_TYPE_START_PAGE, NULL);
}

void
hearth_start_page_set_recent (HearthStartPage    *self,
                              const char * const *paths)
{
  GtkWidget *child;
  guint n = 0;

  g_return_if_fail (HEARTH_IS_START_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))))
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; paths != NULL && paths[i] != NULL && n < MAX_RECENT; i++)
    {
      if (!g_file_test (paths[i], G_FILE_TEST_IS_REGULAR))
        continue;
      gtk_list_box_append (self->recent_list, create_row (paths[i]));
      n++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->recent_list), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->recent_title), n > 0);
}
