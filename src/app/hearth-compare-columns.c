/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hearth-compare-columns.h"
#include "hearth-function-item.h"

/* One numeric cell bound to a label property of the row's item, as the
 * table's own columns do in hearth-functions-table.ui. */
static const char cell_template[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<interface>\n"
  "  <template class=\"GtkListItem\">\n"
  "    <property name=\"child\">\n"
  "      <object class=\"GtkLabel\">\n"
  "        <property name=\"xalign\">1</property>\n"
  "        <style><class name=\"numeric\"/><class name=\"%s\"/></style>\n"
  "        <binding name=\"label\">\n"
  "          <lookup name=\"%s\" type=\"HearthFunctionItem\">\n"
  "            <lookup name=\"item\">GtkListItem</lookup>\n"
  "          </lookup>\n"
  "        </binding>\n"
  "      </object>\n"
  "    </property>\n"
  "  </template>\n"
  "</interface>\n";

typedef struct
{
  const char *title;        /* translated at run time */
  const char *label_property;
  const char *sort_property;
  const char *css_class;
} ColumnInfo;

static const ColumnInfo columns_info[HEARTH_N_COMPARE_COLUMNS] = {
  /* Translators: column of a function's share of range A */
  { N_("A"), "a-label", "a-percent", "compare-a" },
  /* Translators: column of a function's share of range B */
  { N_("B"), "b-label", "b-percent", "compare-b" },
  /* Translators: column of the change from range A to B, in percentage points */
  { N_("Δ"), "delta-label", "delta", "compare-delta" },
};

static GtkColumnViewColumn *
new_column (const ColumnInfo *info)
{
  char *xml = g_strdup_printf (cell_template, info->css_class, info->label_property);
  g_autoptr(GBytes) bytes = g_bytes_new_take (xml, strlen (xml));
  GtkListItemFactory *factory;
  GtkNumericSorter *sorter;
  GtkColumnViewColumn *column;

  factory = gtk_builder_list_item_factory_new_from_bytes (NULL, bytes);
  sorter = gtk_numeric_sorter_new (gtk_property_expression_new (HEARTH_TYPE_FUNCTION_ITEM, NULL,
                                                                info->sort_property));
  /* Declared descending like the table's other numeric columns, so the
   * first click puts the largest value on top. */
  gtk_numeric_sorter_set_sort_order (sorter, GTK_SORT_DESCENDING);

  column = gtk_column_view_column_new (_(info->title), factory);
  gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
  gtk_column_view_column_set_fixed_width (column, 64);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_visible (column, FALSE);
  g_object_unref (sorter);
  return column;
}

void
hearth_compare_columns_append (GtkColumnView       *view,
                               GtkColumnViewColumn *columns[HEARTH_N_COMPARE_COLUMNS])
{
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  for (guint i = 0; i < HEARTH_N_COMPARE_COLUMNS; i++)
    {
      GtkColumnViewColumn *column = new_column (&columns_info[i]);

      gtk_column_view_append_column (view, column);
      columns[i] = column;
      g_object_unref (column);
    }
}

void
hearth_compare_columns_set_visible (GtkColumnViewColumn *columns[HEARTH_N_COMPARE_COLUMNS],
                                    gboolean             visible)
{
  for (guint i = 0; i < HEARTH_N_COMPARE_COLUMNS; i++)
    if (columns[i] != NULL)
      gtk_column_view_column_set_visible (columns[i], visible);
}
