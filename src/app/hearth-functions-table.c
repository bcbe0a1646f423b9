/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-compare-columns.h"
#include "hearth-function-item.h"
#include "hearth-functions-table.h"

struct _HearthFunctionsTable
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkScrolledWindow    *scroller;
  GtkColumnView        *column_view;
  GtkColumnViewColumn  *name_column;
  GtkColumnViewColumn  *self_column;
  GtkColumnViewColumn  *total_column;
  GtkColumnViewColumn  *module_column;
  GtkColumnViewColumn  *compare_columns[HEARTH_N_COMPARE_COLUMNS];  /* A, B, Δ: comparing only */

  /* owned */
  HearthSession        *session;
  GListStore           *store;
  GHashTable           *items;      /* function id → HearthFunctionItem */
  GtkCustomFilter      *filter;
  GtkFilterListModel   *filtered;
  GtkSortListModel     *sorted;
  GtkSingleSelection   *selection;

  /* state */
  guint32               selected_function;
};

enum {
  SIGNAL_FUNCTION_SELECTED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (HearthFunctionsTable, hearth_functions_table, GTK_TYPE_WIDGET)

static guint signals[N_SIGNALS];

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  HearthFunctionsTable *self = user_data;

  if (self->session == NULL || !hearth_session_has_search (self->session))
    return TRUE;
  return hearth_session_function_matches (self->session,
                                          hearth_function_item_get_function (HEARTH_FUNCTION_ITEM (item)));
}

/* Rebuild the rows from the session's latest aggregation, reusing the
 * item of each function so the selection survives live refreshes. */
static void
top_functions_changed_cb (HearthFunctionsTable *self)
{
  GArray *top = hearth_session_get_top_functions (self->session);
  HearthCallTree *tree = hearth_session_get_call_tree (self->session);
  HearthProfile *profile = hearth_session_get_profile (self->session);
  guint64 total_weight = tree ? hearth_call_tree_get_total_a (tree) : 0;
  gboolean comparing = hearth_session_get_comparing (self->session);
  HearthCallTree *diff = hearth_session_get_diff_tree (self->session);
  guint64 weight_a = diff ? hearth_call_tree_get_total_a (diff) : 0;
  guint64 weight_b = diff ? hearth_call_tree_get_total_b (diff) : 0;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GHashTable) keep = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);

  for (guint i = 0; top != NULL && i < top->len; i++)
    {
      const HearthFunctionStats *st = &g_array_index (top, HearthFunctionStats, i);
      HearthFunctionItem *item = g_hash_table_lookup (self->items, GUINT_TO_POINTER (st->function));

      /* While comparing, functions seen only in range B have rows too. */
      if (st->total_a == 0 && !(comparing && st->total_b > 0))
        continue;
      if (item == NULL)
        {
          HearthFunction fn = { 0 };

          hearth_profile_get_function (profile, st->function, &fn);
          item = hearth_function_item_new (st->function,
                                           hearth_profile_get_string (profile, fn.name),
                                           hearth_profile_get_string (profile, fn.module));
        }
      else
        g_object_ref (item);

      hearth_function_item_set_weights (item, st->self_a, st->total_a, total_weight);
      if (comparing)
        hearth_function_item_set_compare (item, weight_a ? 100.0 * st->total_a / weight_a : 0,
                                          weight_b ? 100.0 * st->total_b / weight_b : 0);
      g_hash_table_insert (keep, GUINT_TO_POINTER (st->function), item);
      g_ptr_array_add (rows, item);
    }

  g_hash_table_unref (self->items);
  self->items = g_steal_pointer (&keep);

  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       rows->pdata, rows->len);
  hearth_compare_columns_set_visible (self->compare_columns, comparing);
}

static void
search_changed_cb (HearthFunctionsTable *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
selection_changed_cb (HearthFunctionsTable *self)
{
  HearthFunctionItem *item = gtk_single_selection_get_selected_item (self->selection);
  guint32 function = item ? hearth_function_item_get_function (item) : HEARTH_NO_ID;

  if (function == self->selected_function)
    return;
  self->selected_function = function;
  g_signal_emit (self, signals[SIGNAL_FUNCTION_SELECTED], 0, function);
}

static void
hearth_functions_table_dispose (GObject *object)
{
  HearthFunctionsTable *self = (HearthFunctionsTable *)object;

  hearth_functions_table_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HEARTH_TYPE_FUNCTIONS_TABLE);
  /* Template children that are not bound to a field stay parented. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->store);
  g_clear_pointer (&self->items, g_hash_table_unref);

  G_OBJECT_CLASS (hearth_functions_table_parent_class)->dispose (object);
}

static void
hearth_functions_table_class_init (HearthFunctionsTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hearth_functions_table_dispose;

  signals[SIGNAL_FUNCTION_SELECTED] =
    g_signal_new ("function-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  g_type_ensure (HEARTH_TYPE_FUNCTION_ITEM);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hearthprof/Hearth/hearth-functions-table.ui");
  gtk_widget_class_bind_template_child (widget_class, HearthFunctionsTable, scroller);
  gtk_widget_class_bind_template_child (widget_class, HearthFunctionsTable, column_view);
  gtk_widget_class_bind_template_child (widget_class, HearthFunctionsTable, name_column);
  gtk_widget_class_bind_template_child (widget_class, HearthFunctionsTable, self_column);
  gtk_widget_class_bind_template_child (widget_class, HearthFunctionsTable, total_column);
  gtk_widget_class_bind_template_child (widget_class, HearthFunctionsTable, module_column);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "functionstable");
}

static void
hearth_functions_table_init (HearthFunctionsTable *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hearth_compare_columns_append (self->column_view, self->compare_columns);

  self->selected_function = HEARTH_NO_ID;
  self->items = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->store = g_list_store_new (HEARTH_TYPE_FUNCTION_ITEM);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (selection_changed_cb), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  gtk_column_view_sort_by_column (self->column_view, self->total_column, GTK_SORT_ASCENDING);
}

GtkWidget *
hearth_functions_table_new (void)
{
  return g_object_new (HEARTH_TYPE_FUNCTIONS_TABLE, NULL);
}

void
hearth_functions_table_set_session (HearthFunctionsTable *self,
                                    HearthSession        *session)
{
  g_return_if_fail (HEARTH_IS_FUNCTIONS_TABLE (self));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::top-functions",
                               G_CALLBACK (top_functions_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::search-text",
                               G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::search-regex",
                               G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
      top_functions_changed_cb (self);
      search_changed_cb (self);
    }
  else if (self->store != NULL)
    g_list_store_remove_all (self->store);
}

GListModel *
hearth_functions_table_get_model (HearthFunctionsTable *self)
{
  g_return_val_if_fail (HEARTH_IS_FUNCTIONS_TABLE (self), NULL);
  return G_LIST_MODEL (self->sorted);
}

void
hearth_functions_table_sort_by (HearthFunctionsTable *self,
                                const char           *column,
                                gboolean              descending)
{
  static const struct { const char *id; gsize offset; gboolean numeric; } columns[] = {
    { "name", G_STRUCT_OFFSET (HearthFunctionsTable, name_column), FALSE },
    { "self", G_STRUCT_OFFSET (HearthFunctionsTable, self_column), TRUE },
    { "self-percent", G_STRUCT_OFFSET (HearthFunctionsTable, self_column), TRUE },
    { "total", G_STRUCT_OFFSET (HearthFunctionsTable, total_column), TRUE },
    { "total-percent", G_STRUCT_OFFSET (HearthFunctionsTable, total_column), TRUE },
    { "module", G_STRUCT_OFFSET (HearthFunctionsTable, module_column), FALSE },
    { "a", G_STRUCT_OFFSET (HearthFunctionsTable, compare_columns[HEARTH_COMPARE_COLUMN_A]), TRUE },
    { "b", G_STRUCT_OFFSET (HearthFunctionsTable, compare_columns[HEARTH_COMPARE_COLUMN_B]), TRUE },
    { "delta", G_STRUCT_OFFSET (HearthFunctionsTable, compare_columns[HEARTH_COMPARE_COLUMN_DELTA]), TRUE },
  };

  g_return_if_fail (HEARTH_IS_FUNCTIONS_TABLE (self));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      if (g_strcmp0 (columns[i].id, column) == 0)
        {
          GtkColumnViewColumn *col = G_STRUCT_MEMBER (GtkColumnViewColumn *, self, columns[i].offset);
          /* Numeric sorters are declared descending, so "ascending" in
           * the column header already puts the largest first. */
          gboolean flip = columns[i].numeric;
          GtkSortType type = (descending != flip) ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING;

          gtk_column_view_sort_by_column (self->column_view, col, type);
          return;
        }
    }

  g_warning ("No column “%s” in the functions table", column);
}

void
hearth_functions_table_select_function (HearthFunctionsTable *self,
                                        guint32               function)
{
  guint n;

  g_return_if_fail (HEARTH_IS_FUNCTIONS_TABLE (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HearthFunctionItem) item = g_list_model_get_item (G_LIST_MODEL (self->sorted), i);

      if (hearth_function_item_get_function (item) == function)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

guint32
hearth_functions_table_get_selected_function (HearthFunctionsTable *self)
{
  g_return_val_if_fail (HEARTH_IS_FUNCTIONS_TABLE (self), HEARTH_NO_ID);
  return self->selected_function;
}
