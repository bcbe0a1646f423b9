/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-timeline-panel.h"
#include "hearth-timeline-view-private.h"

struct _HearthTimelinePanel
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkWidget          *toolbar;
  GtkLabel           *range_label;
  GtkToggleButton    *compare_button;
  GtkStack           *stack;
  HearthTimelineView *lanes;
  HearthHeatmapView  *heatmap;

  /* owned */
  HearthSession      *session;
  char               *mode;
  char               *range_text;
};

enum {
  PROP_0,
  PROP_MODE,
  PROP_SORT_BY_ACTIVITY,
  PROP_THREADS_COLLAPSED,
  PROP_HEATMAP_ROWS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (HearthTimelinePanel, hearth_timeline_panel, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static char *
format_count (guint64 n)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

/* "A 1.20 s – 3.40 s · 2.20 s · 12,345 samples" */
static void
append_range (HearthTimelinePanel   *self,
              GString               *out,
              const char            *name,
              const HearthSelection *selection)
{
  HearthProfile *profile = hearth_session_get_profile (self->session);
  gint64 span = hearth_profile_get_duration_ns (profile);
  g_autofree char *from = _hearth_timeline_format_time (selection->start_ns, span);
  g_autofree char *to = _hearth_timeline_format_time (selection->end_ns, span);
  g_autofree char *length = _hearth_timeline_format_time (selection->end_ns - selection->start_ns, span);
  g_autofree char *count = format_count (hearth_profile_count_samples (profile, selection));

  /* Translators: range name, start, end, duration, number of samples */
  g_string_append_printf (out, _("%s %s – %s · %s · %s samples"), name, from, to, length, count);
}

static void
update_range_label (HearthTimelinePanel *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  HearthSelection a, b;

  if (self->session == NULL)
    return;

  hearth_session_get_selection (self->session, &a);
  hearth_session_get_selection_b (self->session, &b);

  if (a.end_ns > a.start_ns)
    append_range (self, text, "A", &a);
  else
    {
      HearthProfile *profile = hearth_session_get_profile (self->session);
      g_autofree char *length = _hearth_timeline_format_time (hearth_profile_get_duration_ns (profile),
                                                              hearth_profile_get_duration_ns (profile));
      g_autofree char *count = format_count (hearth_profile_count_samples (profile, &a));

      g_string_append_printf (text, _("All samples · %s · %s samples"), length, count);
    }

  if (hearth_session_get_compare (self->session))
    {
      g_string_append (text, "    ");
      if (b.end_ns > b.start_ns)
        append_range (self, text, "B", &b);
      else
        g_string_append (text, _("B: drag on the timeline to select it"));
    }
  else if (a.end_ns <= a.start_ns)
    g_string_append (text, _(" — drag on the timeline to select a range"));

  g_free (self->range_text);
  self->range_text = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_label_set_text (self->range_label, self->range_text);
}

static void
all_threads_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  HearthTimelinePanel *self = HEARTH_TIMELINE_PANEL (widget);

  if (self->session != NULL)
    hearth_session_set_threads (self->session, NULL, 0);
}

static void
reset_zoom_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  hearth_timeline_view_reset_window (HEARTH_TIMELINE_PANEL (widget)->lanes);
}

static void
zoom_to_range_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  HearthTimelinePanel *self = HEARTH_TIMELINE_PANEL (widget);
  gint64 start, end;

  if (self->session == NULL)
    return;
  hearth_session_get_range_a (self->session, &start, &end);
  if (end > start)
    {
      /* A margin either side, so the edges can still be dragged. */
      gint64 margin = (end - start) / 10;
      hearth_timeline_view_set_window (self->lanes, start - margin, end + margin);
    }
}

static void
clear_ranges_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  HearthTimelinePanel *self = HEARTH_TIMELINE_PANEL (widget);

  if (self->session == NULL)
    return;
  hearth_session_set_range_a (self->session, 0, 0);
  hearth_session_set_range_b (self->session, 0, 0);
}

static void
hearth_timeline_panel_dispose (GObject *object)
{
  HearthTimelinePanel *self = (HearthTimelinePanel *)object;

  hearth_timeline_panel_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HEARTH_TYPE_TIMELINE_PANEL);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object)));)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->mode, g_free);
  g_clear_pointer (&self->range_text, g_free);

  G_OBJECT_CLASS (hearth_timeline_panel_parent_class)->dispose (object);
}

static void
hearth_timeline_panel_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HearthTimelinePanel *self = HEARTH_TIMELINE_PANEL (object);

  switch (prop_id)
    {
    case PROP_MODE: g_value_set_string (value, self->mode); break;
    case PROP_SORT_BY_ACTIVITY: g_value_set_boolean (value, hearth_timeline_view_get_sort_by_activity (self->lanes)); break;
    case PROP_THREADS_COLLAPSED: g_value_set_boolean (value, hearth_timeline_view_get_threads_collapsed (self->lanes)); break;
    case PROP_HEATMAP_ROWS: g_value_set_uint (value, hearth_heatmap_view_get_rows (self->heatmap)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_timeline_panel_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HearthTimelinePanel *self = HEARTH_TIMELINE_PANEL (object);

  switch (prop_id)
    {
    case PROP_MODE: hearth_timeline_panel_set_mode (self, g_value_get_string (value)); break;
    case PROP_SORT_BY_ACTIVITY: hearth_timeline_view_set_sort_by_activity (self->lanes, g_value_get_boolean (value)); break;
    case PROP_THREADS_COLLAPSED: hearth_timeline_view_set_threads_collapsed (self->lanes, g_value_get_boolean (value)); break;
    case PROP_HEATMAP_ROWS: hearth_heatmap_view_set_rows (self->heatmap, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
forward_notify_cb (HearthTimelinePanel *self,
                   GParamSpec          *pspec)
{
  if (g_str_equal (pspec->name, "sort-by-activity"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_BY_ACTIVITY]);
  else if (g_str_equal (pspec->name, "threads-collapsed"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREADS_COLLAPSED]);
  else if (g_str_equal (pspec->name, "rows"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEATMAP_ROWS]);
}

static void
hearth_timeline_panel_class_init (HearthTimelinePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hearth_timeline_panel_dispose;
  object_class->get_property = hearth_timeline_panel_get_property;
  object_class->set_property = hearth_timeline_panel_set_property;

  properties[PROP_MODE] = g_param_spec_string ("mode", NULL, NULL, "lanes", rw);
  properties[PROP_SORT_BY_ACTIVITY] = g_param_spec_boolean ("sort-by-activity", NULL, NULL, TRUE, rw);
  properties[PROP_THREADS_COLLAPSED] = g_param_spec_boolean ("threads-collapsed", NULL, NULL, FALSE, rw);
  properties[PROP_HEATMAP_ROWS] = g_param_spec_uint ("heatmap-rows", NULL, NULL, 1, 1000, 50, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HEARTH_TYPE_TIMELINE_VIEW);
  g_type_ensure (HEARTH_TYPE_HEATMAP_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hearthprof/Hearth/hearth-timeline-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, HearthTimelinePanel, toolbar);
  gtk_widget_class_bind_template_child (widget_class, HearthTimelinePanel, range_label);
  gtk_widget_class_bind_template_child (widget_class, HearthTimelinePanel, compare_button);
  gtk_widget_class_bind_template_child (widget_class, HearthTimelinePanel, stack);
  gtk_widget_class_bind_template_child (widget_class, HearthTimelinePanel, lanes);
  gtk_widget_class_bind_template_child (widget_class, HearthTimelinePanel, heatmap);

  gtk_widget_class_install_property_action (widget_class, "timeline.sort-by-activity", "sort-by-activity");
  gtk_widget_class_install_property_action (widget_class, "timeline.threads-collapsed", "threads-collapsed");
  gtk_widget_class_install_property_action (widget_class, "timeline.heatmap-rows", "heatmap-rows");
  gtk_widget_class_install_action (widget_class, "timeline.all-threads", NULL, all_threads_action);
  gtk_widget_class_install_action (widget_class, "timeline.reset-zoom", NULL, reset_zoom_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-to-range", NULL, zoom_to_range_action);
  gtk_widget_class_install_action (widget_class, "timeline.clear-ranges", NULL, clear_ranges_action);

  gtk_widget_class_set_css_name (widget_class, "timelinepanel");
}

static void
hearth_timeline_panel_init (HearthTimelinePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->mode = g_strdup ("lanes");
  /* One visible window for both modes. */
  g_object_bind_property (self->lanes, "view-start", self->heatmap, "view-start", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->lanes, "view-end", self->heatmap, "view-end", G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->lanes, "notify::sort-by-activity", G_CALLBACK (forward_notify_cb), self);
  g_signal_connect_swapped (self->lanes, "notify::threads-collapsed", G_CALLBACK (forward_notify_cb), self);
  g_signal_connect_swapped (self->heatmap, "notify::rows", G_CALLBACK (forward_notify_cb), self);

  /* The range summary describes both views of the timeline. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->lanes),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->range_label, NULL,
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->heatmap),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->range_label, NULL,
                                  -1);
}

GtkWidget *
hearth_timeline_panel_new (void)
{
  return g_object_new (HEARTH_TYPE_TIMELINE_PANEL, NULL);
}

void
hearth_timeline_panel_set_session (HearthTimelinePanel *self,
                                   HearthSession       *session)
{
  static const char * const relabel_on[] = {
    "notify::range-a-start", "notify::range-a-end", "notify::range-b-start",
    "notify::range-b-end", "notify::compare", "notify::threads", "notify::call-tree",
  };

  g_return_if_fail (HEARTH_IS_TIMELINE_PANEL (self));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);

  hearth_timeline_view_set_session (self->lanes, session);
  hearth_heatmap_view_set_session (self->heatmap, session);

  if (session != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (relabel_on); i++)
        g_signal_connect_object (session, relabel_on[i], G_CALLBACK (update_range_label), self, G_CONNECT_SWAPPED);
      update_range_label (self);
    }
}

HearthTimelineView *
hearth_timeline_panel_get_lanes (HearthTimelinePanel *self)
{
  g_return_val_if_fail (HEARTH_IS_TIMELINE_PANEL (self), NULL);
  return self->lanes;
}

HearthHeatmapView *
hearth_timeline_panel_get_heatmap (HearthTimelinePanel *self)
{
  g_return_val_if_fail (HEARTH_IS_TIMELINE_PANEL (self), NULL);
  return self->heatmap;
}

const char *
hearth_timeline_panel_get_mode (HearthTimelinePanel *self)
{
  g_return_val_if_fail (HEARTH_IS_TIMELINE_PANEL (self), NULL);
  return self->mode;
}

void
hearth_timeline_panel_set_mode (HearthTimelinePanel *self,
                                const char          *mode)
{
  gboolean had_focus;

  g_return_if_fail (HEARTH_IS_TIMELINE_PANEL (self));

  if (g_strcmp0 (mode, "heatmap") != 0)
    mode = "lanes";
  if (g_strcmp0 (self->mode, mode) == 0)
    return;

  had_focus = gtk_widget_has_focus (GTK_WIDGET (self->lanes)) || gtk_widget_has_focus (GTK_WIDGET (self->heatmap));
  g_free (self->mode);
  self->mode = g_strdup (mode);
  gtk_stack_set_visible_child_name (self->stack, mode);
  if (had_focus)
    hearth_timeline_panel_grab_focus (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

const char *
hearth_timeline_panel_get_range_text (HearthTimelinePanel *self)
{
  g_return_val_if_fail (HEARTH_IS_TIMELINE_PANEL (self), NULL);
  return self->range_text;
}

void
hearth_timeline_panel_grab_focus (HearthTimelinePanel *self)
{
  g_return_if_fail (HEARTH_IS_TIMELINE_PANEL (self));

  if (g_strcmp0 (self->mode, "heatmap") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->heatmap));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->lanes));
}
