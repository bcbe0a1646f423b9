/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hearth-session.h"

G_BEGIN_DECLS

/*
 * HearthFunctionsTable: the session's top functions (self and total, each
 * as samples and % of the selection, and module) in a sortable GtkColumnView, filtered by the
 * session's search. Selecting a row emits "function-selected" (guint
 * function id, HEARTH_NO_ID when the selection is cleared).
 */
#define HEARTH_TYPE_FUNCTIONS_TABLE (hearth_functions_table_get_type ())
G_DECLARE_FINAL_TYPE (HearthFunctionsTable, hearth_functions_table, HEARTH, FUNCTIONS_TABLE, GtkWidget)

GtkWidget    *hearth_functions_table_new          (void);
void          hearth_functions_table_set_session  (HearthFunctionsTable *self,
                                                   HearthSession        *session);
/* The rows as shown: filtered and sorted (HearthFunctionItem). */
GListModel   *hearth_functions_table_get_model    (HearthFunctionsTable *self);
/* Sort by a column: "name", "self", "total" or "module" ("self-percent"
 * and "total-percent" sort the same columns, which show samples and %),
 * or while comparing "a", "b" or "delta" (B − A: largest growth first).
 * Descending means largest first. */
void          hearth_functions_table_sort_by      (HearthFunctionsTable *self,
                                                   const char           *column,
                                                   gboolean              descending);
void          hearth_functions_table_select_function (HearthFunctionsTable *self,
                                                   guint32               function);
guint32       hearth_functions_table_get_selected_function (HearthFunctionsTable *self);

G_END_DECLS
