/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-process-picker.h"

#define REFRESH_INTERVAL_MS 1500

struct _HearthProcessPicker
{
  GtkWindow parent_instance;

  /* template widgets */
  GtkSearchEntry      *search_entry;
  GtkDropDown         *mode_dropdown;
  GtkSpinButton       *rate_spin;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *cpu_column;
  GtkLabel            *status_label;

  /* owned */
  HearthCollectorHost *host;
  GSettings           *settings;
  GListStore          *store;
  GHashTable          *by_pid;     /* pid → HearthProcessInfo (borrowed from store) */
  GtkCustomFilter     *filter;
  GtkFilterListModel  *filtered;
  GtkSortListModel    *sorted;
  GtkSingleSelection  *selection;
  GCancellable        *cancellable;

  /* state */
  guint                refresh_id;
  guint                n_refreshes;
  gboolean             listing;
  gboolean             attached;
  gboolean             attach_pending;  /* Enter came before the first listing */
};

enum {
  SIGNAL_ATTACH,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (HearthProcessPicker, hearth_process_picker, GTK_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  HearthProcessPicker *self = user_data;

  return hearth_process_info_matches (item, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
set_status (HearthProcessPicker *self,
            const char          *text,
            gboolean             error)
{
  gtk_label_set_text (self->status_label, text ? text : "");
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

/* Merge a fresh listing into the store, updating rows in place so the
 * selection and scroll position survive the refresh. */
static void
merge_list (HearthProcessPicker *self,
            GPtrArray           *list)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < list->len; i++)
    {
      HearthProcessInfo *info = g_ptr_array_index (list, i);
      gpointer key = GINT_TO_POINTER (hearth_process_info_get_pid (info));
      HearthProcessInfo *existing = g_hash_table_lookup (self->by_pid, key);

      g_hash_table_add (seen, key);
      if (existing != NULL)
        hearth_process_info_update (existing, info);
      else
        {
          g_list_store_append (self->store, info);
          g_hash_table_insert (self->by_pid, key, info);
        }
    }

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->store)); i > 0; i--)
    {
      g_autoptr(HearthProcessInfo) info = g_list_model_get_item (G_LIST_MODEL (self->store), i - 1);
      gpointer key = GINT_TO_POINTER (hearth_process_info_get_pid (info));

      if (!g_hash_table_contains (seen, key))
        {
          g_hash_table_remove (self->by_pid, key);
          g_list_store_remove (self->store, i - 1);
        }
    }
}

static void search_changed_cb (HearthProcessPicker *self);

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HearthProcessPicker) self = user_data;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  self->listing = FALSE;
  list = hearth_collector_host_list_processes_finish (HEARTH_COLLECTOR_HOST (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->n_refreshes++;
  if (list == NULL)
    {
      set_status (self, error->message, TRUE);
      return;
    }

  merge_list (self, list);
  if (self->n_refreshes == 1)
    set_status (self, NULL, FALSE);

  if (self->attach_pending)
    {
      self->attach_pending = FALSE;
      search_changed_cb (self);
      hearth_process_picker_attach (self);
    }
}

static gboolean
refresh_cb (gpointer user_data)
{
  HearthProcessPicker *self = user_data;

  if (!self->listing)
    {
      self->listing = TRUE;
      hearth_collector_host_list_processes_async (self->host, self->cancellable, list_cb,
                                                  g_object_ref (self));
    }
  return G_SOURCE_CONTINUE;
}

static const char *
selected_mode (HearthProcessPicker *self)
{
  return gtk_drop_down_get_selected (self->mode_dropdown) == 1 ? "cpu" : "wall";
}

static void
search_changed_cb (HearthProcessPicker *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION &&
      g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) > 0)
    gtk_single_selection_set_selected (self->selection, 0);
}

static void
row_activated_cb (HearthProcessPicker *self,
                  guint                position)
{
  gtk_single_selection_set_selected (self->selection, position);
  hearth_process_picker_attach (self);
}

static void
attach_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  hearth_process_picker_attach (HEARTH_PROCESS_PICKER (widget));
}

static void
hearth_process_picker_map (GtkWidget *widget)
{
  HearthProcessPicker *self = HEARTH_PROCESS_PICKER (widget);

  GTK_WIDGET_CLASS (hearth_process_picker_parent_class)->map (widget);

  if (self->refresh_id == 0)
    {
      refresh_cb (self);
      self->refresh_id = g_timeout_add (REFRESH_INTERVAL_MS, refresh_cb, self);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
hearth_process_picker_unmap (GtkWidget *widget)
{
  HearthProcessPicker *self = HEARTH_PROCESS_PICKER (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (hearth_process_picker_parent_class)->unmap (widget);
}

static void
hearth_process_picker_dispose (GObject *object)
{
  HearthProcessPicker *self = (HearthProcessPicker *)object;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  /* No gtk_widget_dispose_template() here: for a GtkWindow it would unparent
   * the title bar and child that GtkWindow's own dispose releases again. */

  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->by_pid, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->host);

  G_OBJECT_CLASS (hearth_process_picker_parent_class)->dispose (object);
}

static void
hearth_process_picker_class_init (HearthProcessPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hearth_process_picker_dispose;
  widget_class->map = hearth_process_picker_map;
  widget_class->unmap = hearth_process_picker_unmap;

  signals[SIGNAL_ATTACH] =
    g_signal_new ("attach", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  HEARTH_TYPE_PROCESS_INFO, G_TYPE_STRING, G_TYPE_UINT);

  g_type_ensure (HEARTH_TYPE_PROCESS_INFO);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hearthprof/Hearth/hearth-process-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, HearthProcessPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HearthProcessPicker, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HearthProcessPicker, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, HearthProcessPicker, column_view);
  gtk_widget_class_bind_template_child (widget_class, HearthProcessPicker, cpu_column);
  gtk_widget_class_bind_template_child (widget_class, HearthProcessPicker, status_label);

  gtk_widget_class_install_action (widget_class, "picker.attach", NULL, attach_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hearth_process_picker_init (HearthProcessPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->by_pid = g_hash_table_new (NULL, NULL);
  self->store = g_list_store_new (HEARTH_TYPE_PROCESS_INFO);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (self->column_view, self->cpu_column, GTK_SORT_ASCENDING);

  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (hearth_process_picker_attach), self);
  g_signal_connect_swapped (self->column_view, "activate", G_CALLBACK (row_activated_cb), self);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  set_status (self, _("Listing processes…"), FALSE);
}

HearthProcessPicker *
hearth_process_picker_new (GtkWindow           *parent,
                           HearthCollectorHost *host,
                           GSettings           *settings)
{
  HearthProcessPicker *self;

  g_return_val_if_fail (HEARTH_IS_COLLECTOR_HOST (host), NULL);

  self = g_object_new (HEARTH_TYPE_PROCESS_PICKER,
                       "transient-for", parent,
                       NULL);
  self->host = g_object_ref (host);

  if (!hearth_collector_host_is_local (host))
    {
      g_autofree char *title = g_strdup_printf (_("Attach to Process on %s"),
                                                hearth_collector_host_get_display_name (host));
      gtk_window_set_title (GTK_WINDOW (self), title);
    }

  if (settings != NULL)
    {
      g_autofree char *mode = g_settings_get_string (settings, "sampling-mode");

      self->settings = g_object_ref (settings);
      gtk_drop_down_set_selected (self->mode_dropdown, g_strcmp0 (mode, "cpu") == 0 ? 1 : 0);
      gtk_spin_button_set_value (self->rate_spin, g_settings_get_int (settings, "sampling-rate"));
    }

  return self;
}

GListModel *
hearth_process_picker_get_model (HearthProcessPicker *self)
{
  g_return_val_if_fail (HEARTH_IS_PROCESS_PICKER (self), NULL);
  return G_LIST_MODEL (self->sorted);
}

gboolean
hearth_process_picker_select_pid (HearthProcessPicker *self,
                                  int                  pid)
{
  guint n;

  g_return_val_if_fail (HEARTH_IS_PROCESS_PICKER (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HearthProcessInfo) info = g_list_model_get_item (G_LIST_MODEL (self->sorted), i);

      if (hearth_process_info_get_pid (info) == pid)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
hearth_process_picker_attach (HearthProcessPicker *self)
{
  HearthProcessInfo *info;
  guint rate;

  g_return_val_if_fail (HEARTH_IS_PROCESS_PICKER (self), FALSE);

  if (self->attached)
    return FALSE;

  info = gtk_single_selection_get_selected_item (self->selection);
  if (info == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) > 0)
    {
      gtk_single_selection_set_selected (self->selection, 0);
      info = gtk_single_selection_get_selected_item (self->selection);
    }

  if (info == NULL && self->n_refreshes == 0)
    {
      /* Typed a PID and pressed Enter before the list came: attach as
       * soon as it does. */
      self->attach_pending = TRUE;
      set_status (self, _("Waiting for the process list…"), FALSE);
      return FALSE;
    }

  if (info == NULL)
    {
      set_status (self, _("No process matches the filter."), TRUE);
      return FALSE;
    }

  if (!hearth_process_info_get_attachable (info))
    {
      g_autofree char *text = g_strdup_printf (_("Cannot attach to %s (%d): %s"),
                                               hearth_process_info_get_name (info),
                                               hearth_process_info_get_pid (info),
                                               hearth_process_info_get_reason (info));
      set_status (self, text, TRUE);
      return FALSE;
    }

  rate = (guint) gtk_spin_button_get_value_as_int (self->rate_spin);
  if (self->settings != NULL)
    {
      g_settings_set_string (self->settings, "sampling-mode", selected_mode (self));
      g_settings_set_int (self->settings, "sampling-rate", (int) rate);
    }

  self->attached = TRUE;
  g_object_ref (info);
  g_signal_emit (self, signals[SIGNAL_ATTACH], 0, info, selected_mode (self), rate);
  g_object_unref (info);
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

guint
hearth_process_picker_get_n_refreshes (HearthProcessPicker *self)
{
  g_return_val_if_fail (HEARTH_IS_PROCESS_PICKER (self), 0);
  return self->n_refreshes;
}
