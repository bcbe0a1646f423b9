/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-flame-view.h"
#include "hearth-search.h"

G_BEGIN_DECLS

#define HEARTH_FLAME_VIEW_ROW_HEIGHT 20.0
#define HEARTH_FLAME_VIEW_FONT_SIZE  12.0

struct _HearthFlameView
{
  GtkWidget parent_instance;

  /* owned */
  HearthCallTree    *tree;
  HearthLayout      *layout;          /* for the current zoom and size; NULL = stale */
  HearthSearch      *search;
  guint8            *search_matches;  /* per node, from hearth_search_match_tree() */
  guint              n_search_matches;
  guint8            *highlight;       /* per node: nodes of highlight_function */
  GArray            *match_nodes;     /* guint32, matching nodes in depth-first order */
  float             *running_share;
  guint              n_running_share;
  GArray            *zoom_path;       /* guint32 function ids, root child first */
  GArray            *selected_path;
  GPtrArray         *back;            /* of GArray zoom paths */
  GPtrArray         *forward;
  GtkAdjustment     *hadjustment;
  GtkAdjustment     *vadjustment;
  GtkWidget         *menu;            /* GtkPopoverMenu */

  /* state */
  HearthViewKind     view;
  HearthColorScheme  scheme;
  guint32            zoom_node;
  guint32            selected_node;
  guint32            highlight_function;
  guint32            menu_node;
  double             content_height;
  guint              tick_id;
  gint64             anim_start;
  guint32            anim_base;       /* common ancestor laid out while animating */
  double             anim_from[2];    /* visible window, fractions of anim_base */
  double             anim_to[2];
  double             anim_progress;
  guint              animate : 1;
  guint              stick_to_bottom : 1;
  guint              hscroll_policy : 1;
  guint              vscroll_policy : 1;
};

/* hearth-flame-view.c */
HearthLayout *_hearth_flame_view_ensure_layout  (HearthFlameView *self);
double        _hearth_flame_view_get_scroll     (HearthFlameView *self);
gboolean      _hearth_flame_view_is_dark        (HearthFlameView *self);

/* hearth-flame-view-input.c */
void          _hearth_flame_view_init_input     (HearthFlameView *self);
void          _hearth_flame_view_class_init_input (GtkWidgetClass *widget_class);
void          _hearth_flame_view_dispose_input  (HearthFlameView *self);
void          _hearth_flame_view_announce       (HearthFlameView *self);

G_END_DECLS
