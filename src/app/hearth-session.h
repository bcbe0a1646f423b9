/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hearth-call-tree.h"
#include "hearth-collector-host.h"
#include "hearth-color.h"
#include "hearth-layout.h"
#include "hearth-profile.h"
#include "hearth-recorder.h"
#include "hearth-search.h"

G_BEGIN_DECLS

/*
 * HearthSession: everything one window shows about one profile.
 *
 * Inputs, as properties that widgets bind to:
 *   range-a-start/-end   selected time range A (ns from the profile start;
 *                        end 0 = to the end)
 *   range-b-start/-end,  range B and whether comparing (the diff and
 *   compare              side-by-side views of part 2 use them)
 *   threads              thread filter (GArray of guint32 indexes; NULL = all)
 *   running-only         only samples of running threads
 *   view, color-scheme   how the explorer draws (HearthViewKind, HearthColorScheme)
 *   search-text, search-regex
 *   focus-function       "sandwich" on one function (HEARTH_NO_ID = none)
 *   hidden functions     via hearth_session_hide_function()
 *
 * Outputs, recomputed off the main thread whenever an input or (while
 * recording) the profile changes, through one queue that cancels and
 * coalesces so stale results are dropped:
 *   call-tree, callers-tree, callees-tree, top-functions, busy
 *   search-match-share   fraction of the selection's samples whose stack
 *                        holds a matching function (-1 without a search)
 *   search-matches       notified when the per-node matches change
 *
 * Widgets never read SQLite or walk samples themselves.
 */
#define HEARTH_TYPE_SESSION (hearth_session_get_type ())
G_DECLARE_FINAL_TYPE (HearthSession, hearth_session, HEARTH, SESSION, GObject)

HearthSession   *hearth_session_new                (HearthProfile        *profile,
                                                    const char           *path);
/* A session that records: the recorder's profile, updated live. */
HearthSession   *hearth_session_new_for_recorder   (HearthRecorder       *recorder);

/* Open a .profsession or folded file on a worker thread. Errors name the
 * file and what is wrong with it (not a session, newer version, …). */
void             hearth_session_load_async         (GFile                *file,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
HearthSession   *hearth_session_load_finish        (GAsyncResult         *result,
                                                    GError              **error);

/* Save As: moves the autosaved file of a recording (also while it runs),
 * otherwise writes a complete session file. */
void             hearth_session_save_as_async      (HearthSession        *self,
                                                    GFile                *file,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean         hearth_session_save_as_finish     (HearthSession        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

HearthProfile   *hearth_session_get_profile        (HearthSession        *self);
HearthRecorder  *hearth_session_get_recorder       (HearthSession        *self);
const char      *hearth_session_get_path           (HearthSession        *self);
const char      *hearth_session_get_title          (HearthSession        *self);
gboolean         hearth_session_get_live           (HearthSession        *self);

/* The A selection as a HearthSelection; the thread array stays owned by
 * the session and is valid until the next change of "threads". */
void             hearth_session_get_selection      (HearthSession        *self,
                                                    HearthSelection      *selection);
void             hearth_session_set_range_a        (HearthSession        *self,
                                                    gint64                start_ns,
                                                    gint64                end_ns);
void             hearth_session_set_range_b        (HearthSession        *self,
                                                    gint64                start_ns,
                                                    gint64                end_ns);
void             hearth_session_set_threads        (HearthSession        *self,
                                                    const guint32        *threads,
                                                    guint                 n_threads);

HearthViewKind   hearth_session_get_view           (HearthSession        *self);
void             hearth_session_set_view           (HearthSession        *self,
                                                    HearthViewKind        view);
HearthColorScheme hearth_session_get_color_scheme  (HearthSession        *self);
void             hearth_session_set_color_scheme   (HearthSession        *self,
                                                    HearthColorScheme     scheme);

const char      *hearth_session_get_search_text    (HearthSession        *self);
void             hearth_session_set_search_text    (HearthSession        *self,
                                                    const char           *text);
gboolean         hearth_session_get_search_regex   (HearthSession        *self);
void             hearth_session_set_search_regex   (HearthSession        *self,
                                                    gboolean              regex);
/* TRUE when a search is active and function matches it. */
gboolean         hearth_session_function_matches   (HearthSession        *self,
                                                    guint32               function);
gboolean         hearth_session_has_search         (HearthSession        *self);
double           hearth_session_get_search_match_share (HearthSession    *self);
/* Per call-tree node match flags for the painter (HearthStyle.matches);
 * NULL without a search. Valid until the next notify::search-matches. */
const guint8    *hearth_session_get_tree_matches   (HearthSession        *self,
                                                    guint                *n_matches);
/* The compiled search, or NULL; owned by the session. */
HearthSearch    *hearth_session_get_search         (HearthSession        *self);
/* The regular expression's error, or NULL. */
const char      *hearth_session_get_search_error   (HearthSession        *self);

guint32          hearth_session_get_focus_function (HearthSession        *self);
void             hearth_session_set_focus_function (HearthSession        *self,
                                                    guint32               function);
void             hearth_session_hide_function      (HearthSession        *self,
                                                    guint32               function);
void             hearth_session_show_all_functions (HearthSession        *self);
guint            hearth_session_get_n_hidden       (HearthSession        *self);

HearthCallTree  *hearth_session_get_call_tree      (HearthSession        *self);
HearthCallTree  *hearth_session_get_callers_tree   (HearthSession        *self);
HearthCallTree  *hearth_session_get_callees_tree   (HearthSession        *self);
/* GArray of HearthFunctionStats, or NULL before the first aggregation. */
GArray          *hearth_session_get_top_functions  (HearthSession        *self);
gboolean         hearth_session_get_busy           (HearthSession        *self);
/* Per call-tree node share of running samples, computed while the colour
 * scheme is "state"; NULL otherwise. Changes with notify::call-tree. */
const float     *hearth_session_get_running_share  (HearthSession        *self,
                                                    guint                *n_share);

/* --- comparing two ranges (hearth-session-compare.c) ---------------------- */
/* Range B is "set" when its end is past its start. The session compares
 * (computes call-tree-b, diff-tree and B columns of top-functions) while
 * compare is on and B is set. */
gboolean         hearth_session_get_compare        (HearthSession        *self);
void             hearth_session_set_compare        (HearthSession        *self,
                                                    gboolean              compare);
gboolean         hearth_session_get_comparing      (HearthSession        *self);
void             hearth_session_get_range_a        (HearthSession        *self,
                                                    gint64               *start_ns,
                                                    gint64               *end_ns);
void             hearth_session_get_range_b        (HearthSession        *self,
                                                    gint64               *start_ns,
                                                    gint64               *end_ns);
/* Like hearth_session_get_selection() for range B (same threads). */
void             hearth_session_get_selection_b    (HearthSession        *self,
                                                    HearthSelection      *selection);
/* Thread filter (indexes), NULL for all threads. */
const guint32   *hearth_session_get_threads        (HearthSession        *self,
                                                    guint                *n_threads);
gboolean         hearth_session_get_running_only   (HearthSession        *self);
/* Set a range from a drag: like hearth_session_set_range_a/_b(), but an
 * aggregation already running is not cancelled; one more follows it with
 * the newest range (a drag would otherwise cancel every aggregation). */
void             hearth_session_brush_range_a      (HearthSession        *self,
                                                    gint64                start_ns,
                                                    gint64                end_ns);
void             hearth_session_brush_range_b      (HearthSession        *self,
                                                    gint64                start_ns,
                                                    gint64                end_ns);
/* Range B's own tree, and the A/B diff tree over both; NULL unless comparing. */
HearthCallTree  *hearth_session_get_call_tree_b    (HearthSession        *self);
HearthCallTree  *hearth_session_get_diff_tree      (HearthSession        *self);

/* Recompute the outputs (coalesced; cancels a computation in flight). */
void             hearth_session_queue_reload       (HearthSession        *self);

G_END_DECLS
