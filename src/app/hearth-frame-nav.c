/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "hearth-frame-nav.h"
#include "hearth-painter.h"

gboolean
hearth_frame_nav_from_key (HearthViewKind  view,
                           guint           keyval,
                           HearthFrameNav *move)
{
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      *move = HEARTH_FRAME_NAV_PREVIOUS;
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      *move = HEARTH_FRAME_NAV_NEXT;
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      *move = view == HEARTH_VIEW_ICICLE ? HEARTH_FRAME_NAV_PARENT : HEARTH_FRAME_NAV_CHILD;
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      *move = view == HEARTH_VIEW_ICICLE ? HEARTH_FRAME_NAV_CHILD : HEARTH_FRAME_NAV_PARENT;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
drawn (HearthLayout *layout,
       guint32       node)
{
  return hearth_layout_find_node (layout, node) != NULL;
}

/* Among the children of parent from index `from` going by `dir` (±1),
 * the first drawn one; failing that, the first one at all. */
static guint32
pick_child (HearthLayout *layout,
            guint32       parent,
            int           from,
            int           dir)
{
  HearthCallTree *tree = hearth_layout_get_tree (layout);
  const HearthCallNode *p = hearth_call_tree_get_node (tree, parent);
  guint32 fallback = HEARTH_NO_ID;

  for (int i = from; i >= 0 && i < (int) p->n_children; i += dir)
    {
      guint32 child = hearth_call_tree_get_child (tree, parent, (guint) i);

      if (hearth_layout_get_node_weight (layout, child) <= 0 &&
          hearth_layout_get_node_other_weight (layout, child) <= 0)
        continue;
      if (drawn (layout, child))
        return child;
      if (fallback == HEARTH_NO_ID)
        fallback = child;
    }
  return fallback;
}

static int
index_in_parent (HearthCallTree *tree,
                 guint32         node)
{
  const HearthCallNode *n = hearth_call_tree_get_node (tree, node);
  const HearthCallNode *p;

  if (n->parent == HEARTH_NO_ID)
    return -1;
  p = hearth_call_tree_get_node (tree, n->parent);
  for (guint i = 0; i < p->n_children; i++)
    if (hearth_call_tree_get_child (tree, n->parent, i) == node)
      return (int) i;
  return -1;
}

guint32
hearth_frame_nav_step (HearthLayout   *layout,
                       guint32         node,
                       HearthFrameNav  move)
{
  HearthCallTree *tree;
  const HearthCallNode *n;
  int index;

  g_return_val_if_fail (layout != NULL, HEARTH_NO_ID);

  tree = hearth_layout_get_tree (layout);
  if (node == HEARTH_NO_ID || node >= hearth_call_tree_get_n_nodes (tree))
    return hearth_layout_get_zoom_root (layout);

  n = hearth_call_tree_get_node (tree, node);
  switch (move)
    {
    case HEARTH_FRAME_NAV_PARENT:
      return n->parent;

    case HEARTH_FRAME_NAV_CHILD:
      return pick_child (layout, node, 0, 1);

    case HEARTH_FRAME_NAV_PREVIOUS:
    case HEARTH_FRAME_NAV_NEXT:
      if ((index = index_in_parent (tree, node)) < 0)
        return HEARTH_NO_ID;
      if (move == HEARTH_FRAME_NAV_PREVIOUS)
        return pick_child (layout, n->parent, index - 1, -1);
      return pick_child (layout, n->parent, index + 1, 1);

    default:
      return HEARTH_NO_ID;
    }
}

static char *
format_percent (double fraction)
{
  return g_strdup_printf ("%.1f%%", 100.0 * fraction);
}

char *
hearth_frame_nav_describe (HearthCallTree    *tree,
                           guint32            node,
                           const HearthStyle *style)
{
  const HearthCallNode *n;
  const char *name;
  guint64 ta, tb;

  g_return_val_if_fail (HEARTH_IS_CALL_TREE (tree), NULL);

  if (node == HEARTH_NO_ID || node >= hearth_call_tree_get_n_nodes (tree))
    return NULL;

  n = hearth_call_tree_get_node (tree, node);
  name = node == 0 ? _("All samples") : hearth_call_tree_get_name (tree, node);
  ta = hearth_call_tree_get_total_a (tree);
  tb = hearth_call_tree_get_total_b (tree);

  if (style != NULL && style->diff)
    {
      g_autofree char *a = format_percent (ta ? (double) n->total_a / ta : 0);
      g_autofree char *b = format_percent (tb ? (double) n->total_b / tb : 0);
      g_autofree char *delta = hearth_painter_format_delta (hearth_diff_node_delta (tree, node, &style->diff_options),
                                                            style->diff_options.normalize);

      /* Translators: frame name, share in range A, share in range B, change */
      return g_strdup_printf (_("%s, A %s, B %s, change %s"), name, a, b, delta);
    }
  else
    {
      g_autofree char *share = format_percent (ta ? (double) n->total_a / ta : 0);

      /* Translators: frame name, share of the selection, number of samples */
      return g_strdup_printf (ngettext ("%s, %s of the selection, %" PRIu64 " sample",
                                        "%s, %s of the selection, %" PRIu64 " samples",
                                        n->total_a),
                              name, share, n->total_a);
    }
}

void
hearth_frame_nav_announce (GtkWidget  *widget,
                           const char *view_name,
                           const char *frame_text)
{
  g_autofree char *label = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (frame_text != NULL)
    label = g_strdup_printf ("%s: %s", view_name, frame_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label ? label : view_name,
                                  -1);
}

GArray *
hearth_frame_nav_path_for_node (HearthCallTree *tree,
                                guint32         node)
{
  GArray *path = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_return_val_if_fail (HEARTH_IS_CALL_TREE (tree), path);

  while (node != 0 && node != HEARTH_NO_ID && node < hearth_call_tree_get_n_nodes (tree))
    {
      const HearthCallNode *n = hearth_call_tree_get_node (tree, node);

      g_array_prepend_val (path, n->function);
      node = n->parent;
    }
  return path;
}

guint32
hearth_frame_nav_node_for_path (HearthCallTree *tree,
                                GArray         *path)
{
  if (tree == NULL || path == NULL)
    return HEARTH_NO_ID;
  if (path->len == 0)
    return 0;
  return hearth_call_tree_find_path (tree, (const guint32 *) path->data, path->len);
}
