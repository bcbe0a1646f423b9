/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-banner.h"
#include "hearth-start-page.h"
#include "hearth-window.h"

G_BEGIN_DECLS

struct _HearthWindow
{
  GtkApplicationWindow parent_instance;

  /* template widgets */
  GtkHeaderBar    *header_bar;
  GtkLabel        *title_label;
  GtkLabel        *subtitle_label;
  GtkWidget       *export_button;
  GtkWidget       *stop_button;
  GtkWidget       *pause_button;
  HearthBanner    *banner;
  GtkStack        *stack;
  HearthStartPage *start_page;
  GtkSpinner      *loading_spinner;
  GtkLabel        *loading_label;
  HearthExplorer  *explorer;
  GtkWidget       *status_bar;
  GtkSpinner      *busy_spinner;
  GtkLabel        *status_label;

  /* owned */
  HearthSession   *session;
  GSettings       *settings;
  GCancellable    *load_cancellable;
};

/* hearth-window-actions.c */
void _hearth_window_init_actions   (HearthWindow *self);
void _hearth_window_update_actions (HearthWindow *self);
void _hearth_window_watch_session  (HearthWindow *self);
/* hearth-window-compare.c */
void _hearth_window_init_compare_actions (HearthWindow *self);
void _hearth_window_watch_compare        (HearthWindow *self);

G_END_DECLS
