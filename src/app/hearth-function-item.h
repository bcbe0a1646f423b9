/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One row of the functions table. A GObject because list models need one;
 * the table reuses items across refreshes and updates them in place. */
#define HEARTH_TYPE_FUNCTION_ITEM (hearth_function_item_get_type ())
G_DECLARE_FINAL_TYPE (HearthFunctionItem, hearth_function_item, HEARTH, FUNCTION_ITEM, GObject)

HearthFunctionItem *hearth_function_item_new          (guint32             function,
                                                       const char         *name,
                                                       const char         *module);
/* Set the weights; total_weight is the selection's, for the percentages. */
void                hearth_function_item_set_weights  (HearthFunctionItem *self,
                                                       guint64             self_weight,
                                                       guint64             total,
                                                       guint64             total_weight);
guint32             hearth_function_item_get_function (HearthFunctionItem *self);
const char         *hearth_function_item_get_name     (HearthFunctionItem *self);
const char         *hearth_function_item_get_module   (HearthFunctionItem *self);
guint64             hearth_function_item_get_self     (HearthFunctionItem *self);
guint64             hearth_function_item_get_total    (HearthFunctionItem *self);
/* While comparing two ranges: the function's total as a percentage of
 * range A and of range B; "delta" is B − A in percentage points. */
void                hearth_function_item_set_compare  (HearthFunctionItem *self,
                                                       double              a_percent,
                                                       double              b_percent);
double              hearth_function_item_get_delta    (HearthFunctionItem *self);

G_END_DECLS
