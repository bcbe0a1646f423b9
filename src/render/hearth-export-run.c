/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hearth-error.h"
#include "hearth-export-command-private.h"
#include "hearth-folded.h"
#include "hearth-painter.h"
#include "hearth-search.h"
#include "hearth-session-store.h"

#define DEFAULT_WIDTH   1200
#define ROW_HEIGHT        18.0
#define FONT_SIZE         12.0
#define MAX_AUTO_HEIGHT 30000.0

typedef struct
{
  /* owned */
  HearthProfile  *profile;
  HearthCallTree *tree;
  HearthLayout   *layout;
  guint32        *thread_indexes;
  guint8         *matches;
  float          *running_share;
  char           *title;
  char           *details;
  HearthBucket   *buckets;
  gint64         *markers;

  /* state */
  guint           n_threads;
  guint           n_matches;
  HearthSelection sel_a;
  HearthSelection sel_b;
  gint64          duration_ns;
  HearthStyle     style;
} Export;

static void
export_clear (Export *e)
{
  g_clear_pointer (&e->layout, hearth_layout_unref);
  g_clear_object (&e->tree);
  g_clear_object (&e->profile);
  g_clear_pointer (&e->thread_indexes, g_free);
  g_clear_pointer (&e->matches, g_free);
  g_clear_pointer (&e->running_share, g_free);
  g_clear_pointer (&e->title, g_free);
  g_clear_pointer (&e->details, g_free);
  g_clear_pointer (&e->buckets, g_free);
  g_clear_pointer (&e->markers, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Export, export_clear)

/* Sessions are SQLite files; anything else is read as folded text. */
static gboolean
looks_like_sqlite (const char *path)
{
  static const char magic[16] = "SQLite format 3";
  char head[16] = {0};
  FILE *fp = fopen (path, "rb");
  gsize n;

  if (fp == NULL)
    return FALSE;
  n = fread (head, 1, sizeof head, fp);
  fclose (fp);

  return n == sizeof head && memcmp (head, magic, sizeof magic) == 0;
}

static gboolean
load_input (Export            *e,
            const ExportArgs  *args,
            GError           **error)
{
  if (!g_file_test (args->input, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_INPUT,
                   "%s: no such file", args->input);
      return FALSE;
    }

  if (looks_like_sqlite (args->input))
    {
      e->profile = hearth_session_load (args->input, error);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (args->input);
      guint skipped = 0;

      e->profile = hearth_folded_load_file (file,
                                            args->lenient ? HEARTH_FOLDED_FLAGS_LENIENT
                                                          : HEARTH_FOLDED_FLAGS_NONE,
                                            &skipped, error);
      if (e->profile != NULL && skipped > 0)
        g_printerr ("hearth export: %s: skipped %u malformed line%s\n",
                    args->input, skipped, skipped == 1 ? "" : "s");
      if (e->profile == NULL && error != NULL && *error != NULL &&
          g_error_matches (*error, HEARTH_FOLDED_ERROR, HEARTH_FOLDED_ERROR_PARSE) && !args->lenient)
        {
          char *message = g_strdup_printf ("%s (--lenient skips malformed lines)", (*error)->message);

          g_free ((*error)->message);
          (*error)->message = message;
        }
    }

  if (e->profile == NULL)
    return FALSE;

  e->duration_ns = hearth_profile_get_duration_ns (e->profile);
  return TRUE;
}

static gboolean
resolve_threads (Export            *e,
                 const ExportArgs  *args,
                 GError           **error)
{
  guint n = hearth_profile_get_n_threads (e->profile);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (args->tids->len == 0)
    return TRUE;

  for (guint i = 0; i < args->tids->len; i++)
    {
      gint32 tid = g_array_index (args->tids, gint32, i);
      gboolean any = FALSE;

      for (guint32 t = 0; t < n; t++)
        {
          HearthThread thread;

          if (hearth_profile_get_thread (e->profile, t, &thread) && thread.tid == tid)
            {
              g_array_append_val (found, t);
              any = TRUE;
            }
        }

      if (!any)
        {
          g_autoptr(GString) known = g_string_new (NULL);

          for (guint32 t = 0; t < n && t < 12; t++)
            {
              HearthThread thread;

              if (hearth_profile_get_thread (e->profile, t, &thread))
                g_string_append_printf (known, "%s%d", known->len ? ", " : "", thread.tid);
            }
          g_set_error (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_USAGE,
                       "--threads: %s has no thread %d (its threads: %s%s)",
                       args->input, tid, known->str, n > 12 ? ", …" : "");
          return FALSE;
        }
    }

  e->n_threads = found->len;
  e->thread_indexes = (guint32 *) (gpointer) g_array_free (g_steal_pointer (&found), FALSE);
  return TRUE;
}

static void
selection_from_range (Export            *e,
                      const ExportRange *range,
                      HearthSelection   *sel)
{
  memset (sel, 0, sizeof *sel);
  sel->threads = e->thread_indexes;
  sel->n_threads = e->n_threads;

  if (range->set && !isnan (range->start))
    sel->start_ns = (gint64) llround (range->start * 1e9);
  if (range->set && !isnan (range->end))
    sel->end_ns = (gint64) llround (range->end * 1e9);
}

static double
selection_seconds (Export                *e,
                   const HearthSelection *sel)
{
  gint64 end = sel->end_ns > 0 && sel->end_ns != G_MAXINT64 ? sel->end_ns : e->duration_ns;

  return MAX (0.0, (double) (end - sel->start_ns) / 1e9);
}

static char *
format_seconds (gint64 ns)
{
  double s = ns / 1e9;

  if (s < 10)
    return g_strdup_printf ("%.3g", s);
  if (s < 1000)
    return g_strdup_printf ("%.1f", s);
  return g_strdup_printf ("%.0f", s);
}

static char *
describe_selection (Export                *e,
                    const char            *name,
                    const HearthSelection *sel,
                    guint64                weight)
{
  gint64 end = sel->end_ns > 0 && sel->end_ns != G_MAXINT64 ? sel->end_ns : e->duration_ns;
  g_autofree char *from = format_seconds (sel->start_ns);
  g_autofree char *to = format_seconds (end);
  g_autofree char *count = hearth_painter_format_count (weight);

  return g_strdup_printf ("%s%s%s–%s s: %s samples", name, *name ? " " : "", from, to, count);
}

static gboolean
find_zoom (Export            *e,
           const ExportArgs  *args,
           guint32           *zoom_root,
           GError           **error)
{
  g_auto(GStrv) names = NULL;
  guint32 node = 0;

  *zoom_root = 0;
  if (args->zoom == NULL || *args->zoom == '\0')
    return TRUE;

  names = g_strsplit (args->zoom, ";", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const HearthCallNode *n = hearth_call_tree_get_node (e->tree, node);
      guint32 next = HEARTH_NO_ID;

      for (guint c = 0; c < n->n_children && next == HEARTH_NO_ID; c++)
        {
          guint32 child = hearth_call_tree_get_child (e->tree, node, c);

          if (g_str_equal (hearth_call_tree_get_name (e->tree, child), names[i]))
            next = child;
        }

      if (next == HEARTH_NO_ID)
        {
          g_set_error (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_USAGE,
                       "--zoom: no frame '%s' under '%s' in this selection",
                       names[i], node == 0 ? "the root" : hearth_call_tree_get_name (e->tree, node));
          return FALSE;
        }
      node = next;
    }

  *zoom_root = node;
  return TRUE;
}

static void
append_frame_text (GString        *line,
                   HearthCallTree *tree,
                   guint32         node)
{
  const HearthCallNode *n = hearth_call_tree_get_node (tree, node);
  HearthProfile *profile = hearth_call_tree_get_profile (tree);
  HearthFunction fn;
  const char *module = NULL;

  g_string_append (line, hearth_call_tree_get_name (tree, node));
  if (hearth_profile_get_function (profile, n->function, &fn))
    module = hearth_profile_get_string (profile, fn.module);
  if (module != NULL && *module != '\0')
    g_string_append_printf (line, " [%s]", module);
}

/* A diff as difffolded.pl writes it: "stack count_a count_b". */
static GString *
diff_to_folded (HearthCallTree *tree)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint32) * 2);
  guint32 root[2] = { 0, 0 };

  g_array_append_val (stack, root);
  while (stack->len > 0)
    {
      guint32 entry[2];
      const HearthCallNode *n;

      memcpy (entry, (guint32 *) (gpointer) stack->data + 2 * (stack->len - 1), sizeof entry);
      g_array_set_size (stack, stack->len - 1);
      n = hearth_call_tree_get_node (tree, entry[0]);

      /* entry[1] is the length of the parent's path */
      g_string_truncate (path, entry[1]);
      if (entry[0] != 0)
        {
          if (path->len > 0)
            g_string_append_c (path, ';');
          append_frame_text (path, tree, entry[0]);
        }

      if (entry[0] != 0 && (n->self_a > 0 || n->self_b > 0))
        g_string_append_printf (out, "%s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
                                path->str, n->self_a, n->self_b);

      /* Push in reverse so the output follows the tree's sibling order. */
      for (guint i = n->n_children; i > 0; i--)
        {
          guint32 child[2] = { hearth_call_tree_get_child (tree, entry[0], i - 1), path->len };
          g_array_append_val (stack, child);
        }
    }

  return out;
}

static gboolean
write_folded (Export            *e,
              const ExportArgs  *args,
              GError           **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (args->output);
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) local_error = NULL;

  if (args->view != EXPORT_VIEW_DIFF)
    return hearth_folded_save (e->profile, &e->sel_a, file, error);

  e->tree = hearth_call_tree_new_diff (e->profile, &e->sel_a, &e->sel_b);
  text = diff_to_folded (e->tree);
  if (!g_file_set_contents (args->output, text->str, text->len, &local_error))
    {
      g_set_error (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_IO,
                   "Cannot write %s: %s", args->output, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
apply_search (Export            *e,
              const ExportArgs  *args,
              GString           *details,
              GError           **error)
{
  g_autoptr(HearthSearch) search = NULL;
  g_autoptr(GError) local_error = NULL;
  const HearthLayoutOptions *o = hearth_layout_get_options (e->layout);
  double fraction;

  if (args->search == NULL)
    return TRUE;

  search = hearth_search_new (args->search, args->regex ? HEARTH_SEARCH_FLAGS_REGEX : 0, &local_error);
  if (search == NULL)
    {
      g_set_error (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_USAGE,
                   "--search: %s", local_error->message);
      return FALSE;
    }

  e->matches = hearth_search_match_tree (search, e->tree, &e->n_matches);
  e->style.matches = e->matches;
  e->style.n_matches = e->n_matches;

  fraction = hearth_search_match_fraction (e->tree, e->matches, e->n_matches,
                                           hearth_layout_get_zoom_root (e->layout),
                                           o->scale_a, o->scale_b);
  g_string_append_printf (details, " · search “%s”: %.1f%% of samples match",
                          args->search, fraction * 100.0);
  return TRUE;
}

static void
fill_lane (Export             *e,
           const ExportArgs   *args,
           HearthTimelineLane *lane,
           HearthTimeRange    *range_a,
           HearthTimeRange    *range_b,
           HearthTimeScale    *scale)
{
  guint n_buckets = MAX (1, (args->width ? args->width : DEFAULT_WIDTH) / 2);
  guint n_markers = hearth_profile_get_n_markers (e->profile);
  gint64 end = MAX (e->duration_ns, 1);

  e->buckets = g_new0 (HearthBucket, n_buckets);
  if (e->n_threads == 0)
    {
      hearth_profile_timeline (e->profile, HEARTH_NO_ID, 0, end, e->buckets, n_buckets);
    }
  else
    {
      g_autofree HearthBucket *one = g_new0 (HearthBucket, n_buckets);

      for (guint t = 0; t < e->n_threads; t++)
        {
          hearth_profile_timeline (e->profile, e->thread_indexes[t], 0, end, one, n_buckets);
          for (guint i = 0; i < n_buckets; i++)
            for (guint s = 0; s < HEARTH_N_THREAD_STATES; s++)
              e->buckets[i].weight[s] += one[i].weight[s];
        }
    }

  e->markers = g_new0 (gint64, MAX (n_markers, 1));
  for (guint i = 0; i < n_markers; i++)
    {
      HearthMarker marker;

      if (hearth_profile_get_marker (e->profile, i, &marker))
        e->markers[lane->n_markers++] = marker.time_ns;
    }

  range_a->start_ns = e->sel_a.start_ns;
  range_a->end_ns = e->sel_a.end_ns > 0 ? e->sel_a.end_ns : end;
  range_b->start_ns = e->sel_b.start_ns;
  range_b->end_ns = e->sel_b.end_ns > 0 ? e->sel_b.end_ns : end;

  lane->buckets = e->buckets;
  lane->n_buckets = n_buckets;
  lane->markers = e->markers;
  lane->range_a = args->range.set || args->view == EXPORT_VIEW_DIFF ? range_a : NULL;
  lane->range_b = args->view == EXPORT_VIEW_DIFF ? range_b : NULL;
  lane->label = e->n_threads ? "selected threads" : "all threads";

  scale->start_ns = 0;
  scale->end_ns = end;
}

static const char *
view_name (ExportView view)
{
  switch (view)
    {
    case EXPORT_VIEW_FLAME: return "Flame graph";
    case EXPORT_VIEW_SUNBURST: return "Sunburst";
    case EXPORT_VIEW_DIFF: return "Differential flame graph";
    case EXPORT_VIEW_ICICLE:
    default: return "Icicle graph";
    }
}

static void
setup_style (Export           *e,
             const ExportArgs *args)
{
  hearth_style_init (&e->style);
  e->style.theme = args->theme;
  e->style.scheme = args->scheme;
  e->style.font_size = FONT_SIZE;

  if (args->view == EXPORT_VIEW_DIFF)
    {
      e->style.diff = TRUE;
      e->style.diff_options.normalize = args->normalize;
      e->style.diff_options.measure = args->measure;
      e->style.diff_options.palette = args->palette;
      e->style.diff_options.seconds_a = selection_seconds (e, &e->sel_a);
      e->style.diff_options.seconds_b = selection_seconds (e, &e->sel_b);
    }
  else if (args->scheme == HEARTH_COLOR_SCHEME_STATE)
    {
      e->running_share = hearth_style_running_share_new (e->profile, &e->sel_a, e->tree);
      e->style.running_share = e->running_share;
      e->style.n_running_share = e->running_share ? hearth_call_tree_get_n_nodes (e->tree) : 0;
    }
}

gboolean
_hearth_export_run (const ExportArgs  *args,
                    GError           **error)
{
  g_auto(Export) e = {0};
  HearthExportScene scene = {0};
  HearthLayoutOptions options;
  HearthTimelineLane lane = {0};
  HearthTimeRange range_a, range_b;
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *basename = NULL;
  HearthViewKind kind;
  guint32 zoom_root;
  double width, height, header;

  g_return_val_if_fail (args != NULL, FALSE);

  if (!load_input (&e, args, error) || !resolve_threads (&e, args, error))
    return FALSE;

  selection_from_range (&e, &args->range, &e.sel_a);
  selection_from_range (&e, &args->compare, &e.sel_b);

  if (args->format == HEARTH_EXPORT_FORMAT_FOLDED)
    return write_folded (&e, args, error);

  if (args->view == EXPORT_VIEW_DIFF)
    e.tree = hearth_call_tree_new_diff (e.profile, &e.sel_a, &e.sel_b);
  else
    e.tree = hearth_call_tree_new (e.profile, &e.sel_a, HEARTH_CALL_TREE_TOP_DOWN);

  if (!find_zoom (&e, args, &zoom_root, error))
    return FALSE;

  /* Not an error (an idle range is a fact), but worth saying. */
  if (hearth_call_tree_get_total_a (e.tree) == 0 ||
      (args->view == EXPORT_VIEW_DIFF && hearth_call_tree_get_total_b (e.tree) == 0))
    {
      g_autofree char *span = format_seconds (e.duration_ns);

      g_printerr ("hearth export: note: %s holds no samples in the selected %s "
                  "(it spans %s s)\n", args->input,
                  args->view == EXPORT_VIEW_DIFF ? "ranges" : "range", span);
    }

  setup_style (&e, args);

  basename = g_path_get_basename (args->input);
  e.title = args->title ? g_strdup (args->title) : g_strdup_printf ("%s — %s", view_name (args->view), basename);
  if (args->view == EXPORT_VIEW_DIFF)
    {
      g_autofree char *a = describe_selection (&e, "A", &e.sel_a, hearth_call_tree_get_total_a (e.tree));
      g_autofree char *b = describe_selection (&e, "B", &e.sel_b, hearth_call_tree_get_total_b (e.tree));
      static const char *width_names[] = { "A", "B", "A ∪ B" };

      g_string_append_printf (details, "%s · %s · shape of %s", a, b, width_names[args->width_by]);
    }
  else
    {
      g_autofree char *a = describe_selection (&e, "", &e.sel_a, hearth_call_tree_get_total_a (e.tree));

      g_string_append (details, a);
    }
  if (e.n_threads > 0)
    g_string_append_printf (details, " · %u thread%s", e.n_threads, e.n_threads == 1 ? "" : "s");

  kind = args->view == EXPORT_VIEW_FLAME ? HEARTH_VIEW_FLAME
       : args->view == EXPORT_VIEW_SUNBURST ? HEARTH_VIEW_SUNBURST
       : HEARTH_VIEW_ICICLE;

  if (args->timeline)
    fill_lane (&e, args, &lane, &range_a, &range_b, &scene.lane_scale);

  scene.style = &e.style;
  scene.title = e.title;
  scene.details = "";   /* reserve the line; filled after the search below */
  scene.legend = args->view == EXPORT_VIEW_DIFF;
  scene.lane = args->timeline ? &lane : NULL;
  header = hearth_export_scene_header_height (&scene);

  width = args->width ? args->width : DEFAULT_WIDTH;
  if (args->height)
    height = args->height - header;
  else if (kind == HEARTH_VIEW_SUNBURST)
    height = width;
  else
    height = MIN (MAX_AUTO_HEIGHT,
                  hearth_layout_measure_height (e.tree, zoom_root, ROW_HEIGHT)
                  + (args->view == EXPORT_VIEW_DIFF ? ROW_HEIGHT : 0));

  if (height < ROW_HEIGHT)
    {
      g_set_error (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_USAGE,
                   "--height: %d leaves no room for the graph under the %.0f-pixel header",
                   args->height, header);
      return FALSE;
    }

  hearth_layout_options_init (&options, kind, width, height);
  options.row_height = ROW_HEIGHT;
  options.zoom_root = zoom_root;
  if (args->view == EXPORT_VIEW_DIFF)
    hearth_layout_options_set_width_by (&options, e.tree, args->width_by,
                                        args->normalize == HEARTH_DIFF_NORMALIZE_RATE ? e.style.diff_options.seconds_a : 0,
                                        args->normalize == HEARTH_DIFF_NORMALIZE_RATE ? e.style.diff_options.seconds_b : 0);
  e.layout = hearth_layout_new (e.tree, &options);

  if (!apply_search (&e, args, details, error))
    return FALSE;

  e.details = g_strdup (details->str);
  scene.layout = e.layout;
  scene.details = e.details;

  return hearth_export_scene_write (&scene, args->format, args->scale, args->output, error);
}
