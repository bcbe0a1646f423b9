/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-call-tree.h"
#include "hearth-color.h"
#include "hearth-layout.h"

G_BEGIN_DECLS

typedef enum
{
  HEARTH_DIFF_NORMALIZE_SHARE,   /* share of each range's samples */
  HEARTH_DIFF_NORMALIZE_RATE,    /* samples per second of each range */
} HearthDiffNormalize;

typedef enum
{
  HEARTH_DIFF_MEASURE_TOTAL,     /* change of the frame's total (inclusive) weight */
  HEARTH_DIFF_MEASURE_SELF,      /* change of its self weight (flamegraph.pl's difffolded) */
} HearthDiffMeasure;

/*
 * How a diff is coloured. A node's delta is
 *   SHARE: b/total_b − a/total_a        (hearth_diff_delta, in [-1, 1])
 *   RATE:  b/seconds_b − a/seconds_a    (samples per second)
 * of its total or self weights. Colour intensity is delta / range, so
 * the legend's ends are ±range; |delta| < threshold·range is drawn
 * neutral so "0 vs 1 sample" does not light up.
 */
typedef struct
{
  HearthDiffNormalize normalize;
  HearthDiffMeasure   measure;
  HearthDiffPalette   palette;
  double              seconds_a;   /* range durations, needed for RATE */
  double              seconds_b;
  double              range;       /* 0 → hearth_diff_compute_range() */
  double              threshold;   /* fraction of range; default 0.02 */
} HearthDiffOptions;

/*
 * HearthStyle: everything about how a layout is painted that is not
 * geometry. Plain data; pointers are borrowed for the paint call.
 */
typedef struct
{
  HearthColorScheme  scheme;
  HearthTheme        theme;
  const char        *font_family;    /* NULL → "Sans" */
  double             font_size;      /* pixels; 0 → 12 */

  /* Search: per-node flags from hearth_search_match_tree(); non-matching
   * frames are dimmed. NULL: no search. */
  const guint8      *matches;
  guint              n_matches;

  /* Outlined node (focus/selection); HEARTH_NO_ID for none. */
  guint32            selected_node;

  /* Colour by delta instead of the scheme (diff trees). */
  gboolean           diff;
  HearthDiffOptions  diff_options;

  /* For HEARTH_COLOR_SCHEME_STATE: per-node share of running samples
   * (hearth_style_running_share_new()); NULL falls back to KIND. */
  const float       *running_share;
  guint              n_running_share;
} HearthStyle;

/* Theme colours. */
typedef struct
{
  HearthRgba background;
  HearthRgba text;          /* on the background */
  HearthRgba text_dim;
  HearthRgba frame_text_dark;
  HearthRgba frame_text_light;
  HearthRgba merged;        /* "…" blocks */
  HearthRgba accent;        /* selection outline */
  HearthRgba grid;
  HearthRgba running;       /* timeline */
  HearthRgba sleeping;
  HearthRgba disk_wait;
  HearthRgba other;
  HearthRgba range_a;
  HearthRgba range_b;
  HearthRgba marker;
} HearthThemeColors;

void        hearth_style_init            (HearthStyle              *style);
void        hearth_diff_options_init     (HearthDiffOptions        *options);
const HearthThemeColors *hearth_theme_get_colors (HearthTheme       theme);

/* Fill colour of a layout item before any search dimming. range is the
 * diff legend range (ignored unless style->diff). */
HearthRgba  hearth_style_item_color      (const HearthStyle        *style,
                                          HearthLayout             *layout,
                                          const HearthLayoutItem   *item,
                                          double                    range);
/* Colour of a node by the style's scheme (non-diff). */
HearthRgba  hearth_style_node_color      (const HearthStyle        *style,
                                          HearthCallTree           *tree,
                                          guint32                   node);

/* Delta of a node in the options' units (see HearthDiffOptions). */
double      hearth_diff_node_delta       (HearthCallTree           *tree,
                                          guint32                   node,
                                          const HearthDiffOptions  *options);
/* Largest |delta| over the tree (so colours do not change on zoom);
 * never 0 (falls back to a tiny positive value). */
double      hearth_diff_compute_range    (HearthCallTree           *tree,
                                          const HearthDiffOptions  *options);
HearthRgba  hearth_diff_color            (double                    delta,
                                          double                    range,
                                          const HearthDiffOptions  *options,
                                          HearthTheme               theme);

/* Per-node running share for the STATE scheme, for a top-down or
 * bottom-up tree built from exactly this selection. Returns a new array
 * of hearth_call_tree_get_n_nodes(tree) floats (g_free), or NULL if the
 * trees do not line up. Costs one extra aggregation. */
float      *hearth_style_running_share_new (HearthProfile          *profile,
                                          const HearthSelection    *selection,
                                          HearthCallTree           *tree);

G_END_DECLS
