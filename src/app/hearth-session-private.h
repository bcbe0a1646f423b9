/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-search.h"
#include "hearth-session.h"

G_BEGIN_DECLS

struct _HearthSession
{
  GObject parent_instance;

  /* owned */
  HearthProfile     *profile;
  HearthRecorder    *recorder;
  char              *path;
  char              *title;
  GArray            *threads;          /* guint32, NULL = all */
  char              *search_text;
  HearthSearch      *search;           /* NULL without a (valid) search */
  char              *search_error;
  guint8            *tree_matches;     /* per call_tree node, from hearth_search_match_tree() */
  guint              n_tree_matches;
  GArray            *hidden;           /* guint32 function ids */
  HearthCallTree    *call_tree;
  HearthCallTree    *callers_tree;
  HearthCallTree    *callees_tree;
  HearthCallTree    *call_tree_b;      /* range B alone, while comparing */
  HearthCallTree    *diff_tree;        /* A and B columns over both ranges */
  GArray            *top_functions;
  float             *running_share;    /* per call_tree node, "state" colours only */
  GCancellable      *reload_cancellable;

  /* state */
  gint64             range_a_start;
  gint64             range_a_end;
  gint64             range_b_start;
  gint64             range_b_end;
  guint64            last_generation;
  double             search_match_share;
  HearthViewKind     view;
  HearthColorScheme  color_scheme;
  guint32            focus_function;
  guint              reload_idle_id;
  guint              live_poll_id;
  guint              compare : 1;
  guint              running_only : 1;
  guint              search_regex : 1;
  guint              busy : 1;
  guint              reload_in_flight : 1;
  guint              reload_again : 1;
};

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_RECORDER,
  PROP_PATH,
  PROP_TITLE,
  PROP_LIVE,
  PROP_RANGE_A_START,
  PROP_RANGE_A_END,
  PROP_RANGE_B_START,
  PROP_RANGE_B_END,
  PROP_COMPARE,
  PROP_THREADS,
  PROP_RUNNING_ONLY,
  PROP_VIEW,
  PROP_COLOR_SCHEME,
  PROP_SEARCH_TEXT,
  PROP_SEARCH_REGEX,
  PROP_SEARCH_MATCH_SHARE,
  PROP_SEARCH_ERROR,
  PROP_SEARCH_MATCHES,
  PROP_FOCUS_FUNCTION,
  PROP_N_HIDDEN,
  PROP_CALL_TREE,
  PROP_CALLERS_TREE,
  PROP_CALLEES_TREE,
  PROP_TOP_FUNCTIONS,
  PROP_BUSY,
  PROP_CALL_TREE_B,
  PROP_DIFF_TREE,
  N_SESSION_PROPS
};

extern GParamSpec *_hearth_session_properties[N_SESSION_PROPS];

/* hearth-session-reload.c */
void _hearth_session_start_reload   (HearthSession *self);
void _hearth_session_cancel_reload  (HearthSession *self);
/* hearth-session.c */
void _hearth_session_update_matches (HearthSession *self);
void _hearth_session_set_path       (HearthSession *self,
                                     const char    *path);
/* hearth-session-compare.c: runs in the reload worker */
void _hearth_session_build_compare  (HearthProfile         *profile,
                                     const HearthSelection *a,
                                     const HearthSelection *b,
                                     HearthCallTree       **tree_b,
                                     HearthCallTree       **diff);

G_END_DECLS
