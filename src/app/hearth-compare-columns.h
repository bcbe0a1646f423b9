/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * The functions table's comparison columns: A and B (a function's total
 * as a percentage of each range) and Δ (B − A, in percentage points),
 * each sortable; Δ sorts the functions that grew most first. They show
 * HearthFunctionItem's a-percent, b-percent and delta, and are hidden
 * unless the session compares two ranges.
 */

typedef enum
{
  HEARTH_COMPARE_COLUMN_A,
  HEARTH_COMPARE_COLUMN_B,
  HEARTH_COMPARE_COLUMN_DELTA,
  HEARTH_N_COMPARE_COLUMNS
} HearthCompareColumn;

/* Append the columns (hidden) to view; columns receives them, borrowed
 * from the view. */
void hearth_compare_columns_append      (GtkColumnView       *view,
                                         GtkColumnViewColumn *columns[HEARTH_N_COMPARE_COLUMNS]);
void hearth_compare_columns_set_visible (GtkColumnViewColumn *columns[HEARTH_N_COMPARE_COLUMNS],
                                         gboolean             visible);

G_END_DECLS
