/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-breadcrumbs.h"
#include "hearth-explorer.h"
#include "hearth-folded.h"

struct _HearthExplorer
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkWidget            *toolbar;
  HearthBreadcrumbs    *breadcrumbs;
  GtkLabel             *match_label;
  GtkRevealer          *match_revealer;
  GtkSearchEntry       *search_entry;
  GtkToggleButton      *regex_button;
  GtkPaned             *paned;
  GtkStack             *view_stack;
  HearthFlameView      *flame_view;
  HearthFlameView      *callers_view;
  HearthFlameView      *callees_view;
  GtkLabel             *sandwich_label;
  HearthFunctionsTable *functions_table;
  HearthTimelinePanel  *timeline_panel;
  HearthSunburstView   *sunburst_view;
  HearthComparePage    *compare_page;

  /* owned */
  HearthSession        *session;
  GBinding             *regex_binding;
  char                 *match_text;

  /* state */
  guint                 match_index;  /* 1-based position while cycling, 0 = none */
  gboolean              syncing_entry;
};

G_DEFINE_FINAL_TYPE (HearthExplorer, hearth_explorer, GTK_TYPE_WIDGET)

static HearthFlameView *
views (HearthExplorer *self,
       guint           i)
{
  HearthFlameView *all[] = { self->flame_view, self->callers_view, self->callees_view };
  return i < G_N_ELEMENTS (all) ? all[i] : NULL;
}

static void
update_match_label (HearthExplorer *self)
{
  HearthFlameView *view = hearth_explorer_get_active_view (self);
  g_autoptr(GString) text = NULL;
  const guint32 *nodes;
  guint n_nodes = 0;
  double share;

  g_clear_pointer (&self->match_text, g_free);

  if (self->session == NULL || hearth_session_get_search_text (self->session) == NULL)
    {
      gtk_revealer_set_reveal_child (self->match_revealer, FALSE);
      return;
    }

  if (hearth_session_get_search_error (self->session) != NULL)
    {
      self->match_text = g_strdup (_("Invalid regular expression"));
      gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
      share = MAX (0.0, hearth_session_get_search_match_share (self->session));
      text = g_string_new (NULL);
      g_string_append_printf (text, _("%.1f%% of samples match"), 100.0 * share);
      if (hearth_flame_view_get_zoom_node (view) != 0)
        g_string_append_printf (text, _(" (%.1f%% of zoom)"),
                                100.0 * MAX (0.0, hearth_flame_view_get_match_fraction (view)));
      nodes = hearth_flame_view_get_match_nodes (view, &n_nodes);
      if (nodes != NULL && self->match_index > 0 && self->match_index <= n_nodes)
        g_string_append_printf (text, _(" · match %u of %u"), self->match_index, n_nodes);
      self->match_text = g_string_free (g_steal_pointer (&text), FALSE);
    }

  gtk_label_set_text (self->match_label, self->match_text);
  gtk_revealer_set_reveal_child (self->match_revealer, TRUE);
}

static void
update_breadcrumbs (HearthExplorer *self)
{
  HearthFlameView *view = hearth_explorer_get_active_view (self);

  hearth_breadcrumbs_set_path (self->breadcrumbs, hearth_flame_view_get_tree (view),
                               hearth_flame_view_get_zoom_node (view));
}

static void
call_tree_changed_cb (HearthExplorer *self)
{
  const float *share;
  guint n_share;

  hearth_flame_view_set_tree (self->flame_view, hearth_session_get_call_tree (self->session));
  share = hearth_session_get_running_share (self->session, &n_share);
  hearth_flame_view_set_running_share (self->flame_view, share, n_share);
  update_breadcrumbs (self);
  update_match_label (self);
}

static void
sandwich_trees_changed_cb (HearthExplorer *self)
{
  hearth_flame_view_set_tree (self->callers_view, hearth_session_get_callers_tree (self->session));
  hearth_flame_view_set_tree (self->callees_view, hearth_session_get_callees_tree (self->session));
  update_breadcrumbs (self);
}

/* The sandwich while focusing on a function, else the comparison while
 * comparing, else the sunburst or the icicle/flame graph. */
static void
update_page (HearthExplorer *self)
{
  const char *page = "graph";

  if (hearth_session_get_focus_function (self->session) != HEARTH_NO_ID)
    page = "sandwich";
  else if (hearth_session_get_compare (self->session))
    page = "compare";
  else if (hearth_session_get_view (self->session) == HEARTH_VIEW_SUNBURST)
    page = "sunburst";
  gtk_stack_set_visible_child_name (self->view_stack, page);
}

static void
focus_function_changed_cb (HearthExplorer *self)
{
  guint32 function = hearth_session_get_focus_function (self->session);
  HearthProfile *profile = hearth_session_get_profile (self->session);
  HearthFunction fn;

  if (function != HEARTH_NO_ID && hearth_profile_get_function (profile, function, &fn))
    {
      g_autofree char *markup =
        g_markup_printf_escaped (_("Callers (above) and callees (below) of <b>%s</b>"),
                                 hearth_profile_get_string (profile, fn.name));
      gtk_label_set_markup (self->sandwich_label, markup);
    }
  update_page (self);

  self->match_index = 0;
  update_breadcrumbs (self);
  update_match_label (self);
}

static void
view_changed_cb (HearthExplorer *self)
{
  HearthViewKind view = hearth_session_get_view (self->session);

  /* The sunburst has its own page; the flame view keeps its orientation. */
  if (view != HEARTH_VIEW_SUNBURST)
    hearth_flame_view_set_view (self->flame_view, view);
  update_page (self);
}

static void
color_scheme_changed_cb (HearthExplorer *self)
{
  for (guint i = 0; views (self, i); i++)
    hearth_flame_view_set_color_scheme (views (self, i), hearth_session_get_color_scheme (self->session));
}

static void
search_changed_cb (HearthExplorer *self)
{
  /* A copy: setting the entry below may re-enter the session. */
  g_autofree char *text = g_strdup (hearth_session_get_search_text (self->session));
  gboolean regex = hearth_session_get_search_regex (self->session);

  /* Each view matches against its own tree; an invalid regex leaves them
   * without highlight, and the label says why. */
  for (guint i = 0; views (self, i); i++)
    if (!hearth_flame_view_set_search (views (self, i), text, regex, NULL))
      hearth_flame_view_set_search (views (self, i), NULL, FALSE, NULL);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text ? text : "") != 0)
    {
      /* The entry passes through intermediate texts (empty, then the new
       * one) while it is set: do not feed those back to the session. */
      self->syncing_entry = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
      self->syncing_entry = FALSE;
    }

  self->match_index = 0;
  update_match_label (self);
}

static void
search_entry_changed_cb (HearthExplorer *self,
                         GtkSearchEntry *entry)
{
  if (self->session != NULL && !self->syncing_entry)
    hearth_session_set_search_text (self->session, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
search_entry_activate_cb (HearthExplorer *self)
{
  /* Enter may come before the debounced search-changed: apply first. */
  search_entry_changed_cb (self, self->search_entry);
  hearth_explorer_next_match (self, FALSE);
}

static void
search_entry_previous_cb (HearthExplorer *self)
{
  hearth_explorer_next_match (self, TRUE);
}

static void
search_entry_stop_cb (HearthExplorer *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  search_entry_changed_cb (self, self->search_entry);
  gtk_widget_grab_focus (GTK_WIDGET (hearth_explorer_get_active_view (self)));
}

static void
zoom_changed_cb (HearthExplorer *self)
{
  update_breadcrumbs (self);
  update_match_label (self);
}

static void
crumb_activated_cb (HearthExplorer *self,
                    guint           node)
{
  hearth_flame_view_zoom_to (hearth_explorer_get_active_view (self), node);
}

static void
view_focus_function_cb (HearthExplorer *self,
                        guint           function)
{
  if (self->session != NULL)
    hearth_session_set_focus_function (self->session, function);
}

static void
view_hide_function_cb (HearthExplorer *self,
                       guint           function)
{
  if (self->session != NULL)
    hearth_session_hide_function (self->session, function);
}

static void
function_selected_cb (HearthExplorer *self,
                      guint           function)
{
  for (guint i = 0; views (self, i); i++)
    hearth_flame_view_set_highlight_function (views (self, i), function);
}

static void
hearth_explorer_dispose (GObject *object)
{
  HearthExplorer *self = (HearthExplorer *)object;

  hearth_explorer_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HEARTH_TYPE_EXPLORER);
  /* Template children that are not bound to a field stay parented. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->match_text, g_free);

  G_OBJECT_CLASS (hearth_explorer_parent_class)->dispose (object);
}

static void
hearth_explorer_class_init (HearthExplorerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hearth_explorer_dispose;

  g_type_ensure (HEARTH_TYPE_BREADCRUMBS);
  g_type_ensure (HEARTH_TYPE_FLAME_VIEW);
  g_type_ensure (HEARTH_TYPE_FUNCTIONS_TABLE);
  g_type_ensure (HEARTH_TYPE_TIMELINE_PANEL);
  g_type_ensure (HEARTH_TYPE_SUNBURST_VIEW);
  g_type_ensure (HEARTH_TYPE_COMPARE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hearthprof/Hearth/hearth-explorer.ui");
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, toolbar);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, breadcrumbs);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, match_label);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, match_revealer);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, regex_button);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, paned);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, view_stack);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, flame_view);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, callers_view);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, callees_view);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, sandwich_label);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, functions_table);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, timeline_panel);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, sunburst_view);
  gtk_widget_class_bind_template_child (widget_class, HearthExplorer, compare_page);

  gtk_widget_class_set_css_name (widget_class, "explorer");
}

static void
hearth_explorer_init (HearthExplorer *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_entry_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (search_entry_activate_cb), self);
  g_signal_connect_swapped (self->search_entry, "next-match", G_CALLBACK (search_entry_activate_cb), self);
  g_signal_connect_swapped (self->search_entry, "previous-match", G_CALLBACK (search_entry_previous_cb), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (search_entry_stop_cb), self);
  g_signal_connect_swapped (self->breadcrumbs, "node-activated", G_CALLBACK (crumb_activated_cb), self);
  g_signal_connect_swapped (self->functions_table, "function-selected", G_CALLBACK (function_selected_cb), self);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child", G_CALLBACK (zoom_changed_cb), self);

  for (guint i = 0; views (self, i); i++)
    {
      g_signal_connect_swapped (views (self, i), "notify::zoom-node", G_CALLBACK (zoom_changed_cb), self);
      g_signal_connect_swapped (views (self, i), "focus-function", G_CALLBACK (view_focus_function_cb), self);
      g_signal_connect_swapped (views (self, i), "hide-function", G_CALLBACK (view_hide_function_cb), self);
    }
}

GtkWidget *
hearth_explorer_new (void)
{
  return g_object_new (HEARTH_TYPE_EXPLORER, NULL);
}

HearthSession *
hearth_explorer_get_session (HearthExplorer *self)
{
  g_return_val_if_fail (HEARTH_IS_EXPLORER (self), NULL);
  return self->session;
}

void
hearth_explorer_set_session (HearthExplorer *self,
                             HearthSession  *session)
{
  static const struct { const char *signal; GCallback callback; } handlers[] = {
    { "notify::call-tree", G_CALLBACK (call_tree_changed_cb) },
    { "notify::callers-tree", G_CALLBACK (sandwich_trees_changed_cb) },
    { "notify::callees-tree", G_CALLBACK (sandwich_trees_changed_cb) },
    { "notify::focus-function", G_CALLBACK (focus_function_changed_cb) },
    { "notify::view", G_CALLBACK (view_changed_cb) },
    { "notify::compare", G_CALLBACK (update_page) },
    { "notify::color-scheme", G_CALLBACK (color_scheme_changed_cb) },
    { "notify::search-text", G_CALLBACK (search_changed_cb) },
    { "notify::search-regex", G_CALLBACK (search_changed_cb) },
    { "notify::search-match-share", G_CALLBACK (update_match_label) },
  };

  g_return_if_fail (HEARTH_IS_EXPLORER (self));

  if (self->session == session)
    return;

  g_clear_pointer (&self->regex_binding, g_binding_unbind);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  hearth_functions_table_set_session (self->functions_table, session);
  hearth_timeline_panel_set_session (self->timeline_panel, session);
  hearth_sunburst_view_set_session (self->sunburst_view, session);
  hearth_compare_page_set_session (self->compare_page, session);

  if (session == NULL)
    {
      for (guint i = 0; views (self, i); i++)
        hearth_flame_view_set_tree (views (self, i), NULL);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_connect_object (session, handlers[i].signal, handlers[i].callback, self, G_CONNECT_SWAPPED);
  self->regex_binding = g_object_bind_property (session, "search-regex", self->regex_button, "active",
                                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  view_changed_cb (self);
  color_scheme_changed_cb (self);
  search_changed_cb (self);
  call_tree_changed_cb (self);
  sandwich_trees_changed_cb (self);
  focus_function_changed_cb (self);
}

HearthFlameView *
hearth_explorer_get_flame_view (HearthExplorer *self)
{
  g_return_val_if_fail (HEARTH_IS_EXPLORER (self), NULL);
  return self->flame_view;
}

HearthFlameView *
hearth_explorer_get_active_view (HearthExplorer *self)
{
  g_return_val_if_fail (HEARTH_IS_EXPLORER (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "sandwich") == 0)
    return self->callees_view;
  return self->flame_view;
}

HearthFunctionsTable *
hearth_explorer_get_functions_table (HearthExplorer *self)
{
  g_return_val_if_fail (HEARTH_IS_EXPLORER (self), NULL);
  return self->functions_table;
}

void
hearth_explorer_focus_search (HearthExplorer *self)
{
  g_return_if_fail (HEARTH_IS_EXPLORER (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

gboolean
hearth_explorer_next_match (HearthExplorer *self,
                            gboolean        backwards)
{
  HearthFlameView *view;
  const guint32 *nodes;
  guint n_nodes = 0;

  g_return_val_if_fail (HEARTH_IS_EXPLORER (self), FALSE);

  view = hearth_explorer_get_active_view (self);
  nodes = hearth_flame_view_get_match_nodes (view, &n_nodes);
  if (nodes == NULL || n_nodes == 0)
    return FALSE;

  if (self->match_index == 0 || self->match_index > n_nodes)
    self->match_index = backwards ? n_nodes : 1;
  else if (backwards)
    self->match_index = self->match_index == 1 ? n_nodes : self->match_index - 1;
  else
    self->match_index = self->match_index % n_nodes + 1;

  hearth_flame_view_select_node (view, nodes[self->match_index - 1]);
  update_match_label (self);
  return TRUE;
}

const char *
hearth_explorer_get_match_text (HearthExplorer *self)
{
  g_return_val_if_fail (HEARTH_IS_EXPLORER (self), NULL);
  return self->match_text;
}

char *
hearth_explorer_dup_breadcrumbs_text (HearthExplorer *self)
{
  g_return_val_if_fail (HEARTH_IS_EXPLORER (self), NULL);
  return hearth_breadcrumbs_dup_text (self->breadcrumbs);
}

gboolean
hearth_explorer_export (HearthExplorer      *self,
                        HearthExportFormat   format,
                        const char          *path,
                        GError             **error)
{
  HearthFlameView *view;
  HearthCallTree *tree;
  g_autoptr(HearthLayout) layout = NULL;
  HearthExportScene scene = { 0 };
  HearthLayoutOptions options;
  HearthStyle style;

  g_return_val_if_fail (HEARTH_IS_EXPLORER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->session == NULL)
    {
      g_set_error_literal (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_INPUT,
                           _("There is nothing to export yet."));
      return FALSE;
    }

  if (format == HEARTH_EXPORT_FORMAT_FOLDED)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      HearthSelection selection;

      hearth_session_get_selection (self->session, &selection);
      return hearth_folded_save (hearth_session_get_profile (self->session), &selection, file, error);
    }

  /* The sunburst and the comparison export what they show themselves,
   * through the same scene writer. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "sunburst") == 0)
    return hearth_graph_view_export (hearth_sunburst_view_get_graph (self->sunburst_view), format, path, error);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "compare") == 0)
    return hearth_compare_page_export (self->compare_page, format, path, error);

  view = hearth_explorer_get_active_view (self);
  if ((tree = hearth_flame_view_get_tree (view)) == NULL)
    {
      g_set_error_literal (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_INPUT,
                           _("There are no samples to export yet."));
      return FALSE;
    }

  /* Same layout options and style as the widget's last frame, with every
   * row of the zoomed tree (a scrolled-away row is still part of the view). */
  hearth_flame_view_get_paint_state (view, &options, &style);
  layout = hearth_layout_new (tree, &options);
  scene.layout = layout;
  scene.style = &style;

  return hearth_export_scene_write (&scene, format, gtk_widget_get_scale_factor (GTK_WIDGET (view)),
                                    path, error);
}

HearthTimelinePanel *
hearth_explorer_get_timeline_panel (HearthExplorer *self)
{
  g_return_val_if_fail (HEARTH_IS_EXPLORER (self), NULL);
  return self->timeline_panel;
}

HearthSunburstView *
hearth_explorer_get_sunburst_view (HearthExplorer *self)
{
  g_return_val_if_fail (HEARTH_IS_EXPLORER (self), NULL);
  return self->sunburst_view;
}

HearthComparePage *
hearth_explorer_get_compare_page (HearthExplorer *self)
{
  g_return_val_if_fail (HEARTH_IS_EXPLORER (self), NULL);
  return self->compare_page;
}

void
hearth_explorer_focus_graph (HearthExplorer *self)
{
  const char *page;

  g_return_if_fail (HEARTH_IS_EXPLORER (self));

  page = gtk_stack_get_visible_child_name (self->view_stack);
  if (g_strcmp0 (page, "sunburst") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (hearth_sunburst_view_get_graph (self->sunburst_view)));
  else if (g_strcmp0 (page, "compare") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (hearth_compare_page_get_diff_view (self->compare_page)));
  else
    gtk_widget_grab_focus (GTK_WIDGET (hearth_explorer_get_active_view (self)));
}
