/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-call-tree.h"
#include "hearth-idmap-private.h"
#include "hearth-profile-private.h"

struct _HearthCallTree
{
  GObject             parent_instance;

  /* owned */
  HearthProfile      *profile;
  GArray             *nodes;      /* HearthCallNode */
  guint32            *children;   /* child node indexes, grouped per parent */

  /* state */
  HearthCallTreeKind  kind;
  guint32             max_depth;
};

G_DEFINE_FINAL_TYPE (HearthCallTree, hearth_call_tree, G_TYPE_OBJECT)

/* Building: nodes are created through a (parent node, function) map, the
 * children table is filled and sorted once at the end. */
typedef struct
{
  HearthCallTree *tree;
  HearthIdMap     map;
} Builder;

static void
builder_init (Builder            *b,
              HearthProfile      *profile,
              HearthCallTreeKind  kind,
              gsize               expected)
{
  HearthCallNode root = { HEARTH_NO_ID, HEARTH_NO_ID, 0, 0, 0, 0, 0, 0, 0 };

  b->tree = g_object_new (HEARTH_TYPE_CALL_TREE, NULL);
  b->tree->profile = g_object_ref (profile);
  b->tree->kind = kind;
  g_array_append_val (b->tree->nodes, root);
  _hearth_id_map_init (&b->map, expected);
}

static guint32
builder_child (Builder *b,
               guint32  parent,
               guint32  function)
{
  guint64 key = ((guint64) parent << 32) | function;
  HearthCallNode node = { 0 };
  guint32 id;

  if (_hearth_id_map_lookup (&b->map, key, &id))
    return id;

  node.function = function;
  node.parent = parent;
  node.depth = g_array_index (b->tree->nodes, HearthCallNode, parent).depth + 1;
  id = b->tree->nodes->len;
  g_array_append_val (b->tree->nodes, node);
  _hearth_id_map_insert (&b->map, key, id);
  if (node.depth > b->tree->max_depth)
    b->tree->max_depth = node.depth;

  return id;
}

static inline HearthCallNode *
builder_node (Builder *b,
              guint32  id)
{
  return &g_array_index (b->tree->nodes, HearthCallNode, id);
}

typedef struct
{
  HearthProfile  *profile;
  HearthCallNode *nodes;
} SortContext;

/* The one sibling order used everywhere: function name, then function id. */
static int
compare_siblings (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  SortContext *ctx = user_data;
  const HearthCallNode *na = &ctx->nodes[*(const guint32 *) a];
  const HearthCallNode *nb = &ctx->nodes[*(const guint32 *) b];
  guint n_functions;
  const HearthFunction *functions = _hearth_profile_functions (ctx->profile, &n_functions);
  int r;

  r = strcmp (_hearth_profile_string (ctx->profile, functions[na->function].name),
              _hearth_profile_string (ctx->profile, functions[nb->function].name));
  if (r != 0)
    return r;
  return (na->function > nb->function) - (na->function < nb->function);
}

/* Fill the children table; caller holds the profile read lock. */
static HearthCallTree *
builder_finish (Builder *b)
{
  HearthCallTree *tree = b->tree;
  HearthCallNode *nodes = (HearthCallNode *) (gpointer) tree->nodes->data;
  guint n = tree->nodes->len;
  guint32 *fill;
  SortContext ctx = { tree->profile, nodes };
  guint32 offset = 0;

  _hearth_id_map_clear (&b->map);

  for (guint i = 1; i < n; i++)
    nodes[nodes[i].parent].n_children++;
  for (guint i = 0; i < n; i++)
    {
      nodes[i].first_child = offset;
      offset += nodes[i].n_children;
    }

  tree->children = g_new (guint32, MAX (n, 1));
  fill = g_new0 (guint32, n);
  for (guint i = 1; i < n; i++)
    {
      guint32 p = nodes[i].parent;
      tree->children[nodes[p].first_child + fill[p]++] = i;
    }
  g_free (fill);

  for (guint i = 0; i < n; i++)
    if (nodes[i].n_children > 1)
      g_qsort_with_data (&tree->children[nodes[i].first_child], nodes[i].n_children,
                         sizeof (guint32), compare_siblings, &ctx);

  return tree;
}

static inline guint32
stack_function (const HearthStack *stacks,
                const HearthFrame *frames,
                guint32            s)
{
  return frames[stacks[s].frame].function;
}

/* Top-down: every stack maps to the node of (node of its parent, its
 * function). Stack ids grow from parents to children, so one ascending
 * pass suffices; subtree totals come from one descending pass. */
static void
build_top_down (Builder       *b,
                const guint64 *counts_a,
                const guint64 *counts_b,
                guint          n_stacks)
{
  guint n_real;
  const HearthStack *stacks = _hearth_profile_stacks (b->tree->profile, &n_real);
  guint n_frames;
  const HearthFrame *frames = _hearth_profile_frames (b->tree->profile, &n_frames);
  g_autofree guint64 *tot = NULL;
  guint64 *tot_a, *tot_b;
  guint32 *node_of;
  guint touched = 0;
  guint cols = counts_b != NULL ? 2 : 1;

  n_stacks = MIN (n_stacks, n_real);
  /* one allocation: totals for A (and B), then the stack -> node map */
  tot = g_malloc (n_stacks * (cols * sizeof (guint64) + sizeof (guint32)) + 1);
  tot_a = tot;
  tot_b = counts_b != NULL ? tot + n_stacks : NULL;
  node_of = (guint32 *) (gpointer) (tot + cols * n_stacks);

  memcpy (tot_a, counts_a, n_stacks * sizeof (guint64));
  if (tot_b != NULL)
    memcpy (tot_b, counts_b, n_stacks * sizeof (guint64));

  for (guint s = n_stacks; s-- > 0;)
    {
      guint32 p = stacks[s].parent;
      guint64 wb = tot_b != NULL ? tot_b[s] : 0;

      if ((tot_a[s] | wb) == 0)
        continue;
      touched++;
      if (p != HEARTH_NO_ID && p < n_stacks)
        {
          tot_a[p] += tot_a[s];
          if (tot_b != NULL)
            tot_b[p] += wb;
        }
    }

  /* size the (parent, function) map once for the stacks in range */
  _hearth_id_map_clear (&b->map);
  _hearth_id_map_init (&b->map, touched);

  for (guint s = 0; s < n_stacks; s++)
    {
      guint32 p = stacks[s].parent;
      guint64 wb = tot_b != NULL ? tot_b[s] : 0;
      HearthCallNode *node;

      if ((tot_a[s] | wb) == 0)
        continue;

      node_of[s] = builder_child (b, p == HEARTH_NO_ID ? 0 : node_of[p], stack_function (stacks, frames, s));
      node = builder_node (b, node_of[s]);
      node->self_a += counts_a[s];
      node->total_a += tot_a[s];
      if (counts_b != NULL)
        {
          node->self_b += counts_b[s];
          node->total_b += wb;
        }
      if (p == HEARTH_NO_ID)
        {
          HearthCallNode *root = builder_node (b, 0);

          root->total_a += tot_a[s];
          root->total_b += wb;
        }
    }
}

/* Bottom-up: roots are leaf functions; each stack's weight walks from its
 * leaf towards the root frame. */
static void
build_bottom_up (Builder       *b,
                 const guint64 *counts_a,
                 const guint64 *counts_b,
                 guint          n_stacks)
{
  guint n_real;
  const HearthStack *stacks = _hearth_profile_stacks (b->tree->profile, &n_real);
  guint n_frames;
  const HearthFrame *frames = _hearth_profile_frames (b->tree->profile, &n_frames);

  n_stacks = MIN (n_stacks, n_real);
  for (guint s = 0; s < n_stacks; s++)
    {
      guint64 wa = counts_a[s];
      guint64 wb = counts_b != NULL ? counts_b[s] : 0;
      guint32 node = 0;
      HearthCallNode *n;

      if ((wa | wb) == 0)
        continue;

      n = builder_node (b, 0);
      n->total_a += wa;
      n->total_b += wb;
      for (guint32 cur = s; cur != HEARTH_NO_ID; cur = stacks[cur].parent)
        {
          node = builder_child (b, node, stack_function (stacks, frames, cur));
          n = builder_node (b, node);
          n->total_a += wa;
          n->total_b += wb;
        }
      n->self_a += wa;
      n->self_b += wb;
    }
}

static void
hearth_call_tree_finalize (GObject *object)
{
  HearthCallTree *self = (HearthCallTree *) object;

  g_clear_object (&self->profile);
  g_clear_pointer (&self->nodes, g_array_unref);
  g_clear_pointer (&self->children, g_free);

  G_OBJECT_CLASS (hearth_call_tree_parent_class)->finalize (object);
}

static void
hearth_call_tree_class_init (HearthCallTreeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hearth_call_tree_finalize;
}

static void
hearth_call_tree_init (HearthCallTree *self)
{
  self->nodes = g_array_new (FALSE, FALSE, sizeof (HearthCallNode));
}

/**
 * hearth_call_tree_new_from_counts:
 *
 * Builds a tree from per-stack weights. Cost O(n_counts + nodes).
 * Returns: (transfer full): the tree.
 */
HearthCallTree *
hearth_call_tree_new_from_counts (HearthProfile      *profile,
                                  const guint64      *counts_a,
                                  const guint64      *counts_b,
                                  guint               n_counts,
                                  HearthCallTreeKind  kind)
{
  Builder b;

  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (counts_a != NULL || n_counts == 0, NULL);

  _hearth_profile_read_lock (profile);
  builder_init (&b, profile, kind, 1024);
  if (kind == HEARTH_CALL_TREE_BOTTOM_UP)
    build_bottom_up (&b, counts_a, counts_b, n_counts);
  else
    build_top_down (&b, counts_a, counts_b, n_counts);
  builder_finish (&b);
  _hearth_profile_read_unlock (profile);

  return b.tree;
}

/* Stacks may be appended between counting and building; counting into an
 * array sized before and building from the same size keeps them aligned. */
HearthCallTree *
hearth_call_tree_new (HearthProfile         *profile,
                      const HearthSelection *selection,
                      HearthCallTreeKind     kind)
{
  g_autofree guint64 *counts = NULL;
  guint n;

  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), NULL);

  n = hearth_profile_get_n_stacks (profile);
  counts = g_new0 (guint64, MAX (n, 1));
  hearth_profile_accumulate_stacks (profile, selection, counts, n);

  return hearth_call_tree_new_from_counts (profile, counts, NULL, n, kind);
}

HearthCallTree *
hearth_call_tree_new_diff (HearthProfile         *profile,
                           const HearthSelection *a,
                           const HearthSelection *b)
{
  g_autofree guint64 *counts_a = NULL;
  g_autofree guint64 *counts_b = NULL;
  guint n;

  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), NULL);

  n = hearth_profile_get_n_stacks (profile);
  counts_a = g_new0 (guint64, MAX (n, 1));
  counts_b = g_new0 (guint64, MAX (n, 1));
  hearth_profile_accumulate_stacks (profile, a, counts_a, n);
  hearth_profile_accumulate_stacks (profile, b, counts_b, n);

  return hearth_call_tree_new_from_counts (profile, counts_a, counts_b, n, HEARTH_CALL_TREE_TOP_DOWN);
}

/* Callees of every call to function, merged: for each stack, the part of
 * its path from the outermost occurrence of function down to the leaf. */
HearthCallTree *
hearth_call_tree_new_callees (HearthProfile         *profile,
                              const HearthSelection *selection,
                              guint32                function)
{
  g_autofree guint64 *counts = NULL;
  g_autofree guint32 *path = NULL;
  const HearthStack *stacks;
  const HearthFrame *frames;
  guint n, n_real, n_frames;
  Builder b;

  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), NULL);

  n = hearth_profile_get_n_stacks (profile);
  counts = g_new0 (guint64, MAX (n, 1));
  hearth_profile_accumulate_stacks (profile, selection, counts, n);

  _hearth_profile_read_lock (profile);
  stacks = _hearth_profile_stacks (profile, &n_real);
  frames = _hearth_profile_frames (profile, &n_frames);
  n = MIN (n, n_real);
  builder_init (&b, profile, HEARTH_CALL_TREE_TOP_DOWN, 1024);

  for (guint s = 0; s < n; s++)
    {
      guint depth, start = G_MAXUINT;
      guint32 node = 0;

      if (counts[s] == 0)
        continue;

      depth = stacks[s].depth + 1;
      path = g_renew (guint32, path, depth);
      for (guint32 cur = s, i = depth; cur != HEARTH_NO_ID && i > 0; cur = stacks[cur].parent)
        path[--i] = stack_function (stacks, frames, cur);
      for (guint i = 0; i < depth; i++)
        if (path[i] == function)
          {
            start = i;
            break;
          }
      if (start == G_MAXUINT)
        continue;

      builder_node (&b, 0)->total_a += counts[s];
      for (guint i = start; i < depth; i++)
        {
          node = builder_child (&b, node, path[i]);
          builder_node (&b, node)->total_a += counts[s];
        }
      builder_node (&b, node)->self_a += counts[s];
    }

  builder_finish (&b);
  _hearth_profile_read_unlock (profile);

  return b.tree;
}

HearthProfile *
hearth_call_tree_get_profile (HearthCallTree *self)
{
  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), NULL);
  return self->profile;
}

HearthCallTreeKind
hearth_call_tree_get_kind (HearthCallTree *self)
{
  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), HEARTH_CALL_TREE_TOP_DOWN);
  return self->kind;
}

guint
hearth_call_tree_get_n_nodes (HearthCallTree *self)
{
  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), 0);
  return self->nodes->len;
}

const HearthCallNode *
hearth_call_tree_get_node (HearthCallTree *self,
                           guint32         node)
{
  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), NULL);
  g_return_val_if_fail (node < self->nodes->len, NULL);
  return &g_array_index (self->nodes, HearthCallNode, node);
}

const HearthCallNode *
hearth_call_tree_get_nodes (HearthCallTree *self,
                            guint          *n_nodes)
{
  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), NULL);

  if (n_nodes != NULL)
    *n_nodes = self->nodes->len;
  return (const HearthCallNode *) (gpointer) self->nodes->data;
}

const guint32 *
hearth_call_tree_get_children (HearthCallTree *self,
                               guint32         node,
                               guint          *n_children)
{
  const HearthCallNode *n;

  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), NULL);
  g_return_val_if_fail (node < self->nodes->len, NULL);

  n = &g_array_index (self->nodes, HearthCallNode, node);
  if (n_children != NULL)
    *n_children = n->n_children;
  return &self->children[n->first_child];
}

guint32
hearth_call_tree_get_child (HearthCallTree *self,
                            guint32         node,
                            guint           i)
{
  const HearthCallNode *n;

  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), HEARTH_NO_ID);
  g_return_val_if_fail (node < self->nodes->len, HEARTH_NO_ID);

  n = &g_array_index (self->nodes, HearthCallNode, node);
  g_return_val_if_fail (i < n->n_children, HEARTH_NO_ID);
  return self->children[n->first_child + i];
}

guint64
hearth_call_tree_get_total_a (HearthCallTree *self)
{
  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), 0);
  return g_array_index (self->nodes, HearthCallNode, 0).total_a;
}

guint64
hearth_call_tree_get_total_b (HearthCallTree *self)
{
  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), 0);
  return g_array_index (self->nodes, HearthCallNode, 0).total_b;
}

guint32
hearth_call_tree_get_max_depth (HearthCallTree *self)
{
  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), 0);
  return self->max_depth;
}

const char *
hearth_call_tree_get_name (HearthCallTree *self,
                           guint32         node)
{
  HearthFunction f;
  const HearthCallNode *n;

  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), "");
  g_return_val_if_fail (node < self->nodes->len, "");

  n = &g_array_index (self->nodes, HearthCallNode, node);
  if (n->function == HEARTH_NO_ID)
    return "all";
  if (!hearth_profile_get_function (self->profile, n->function, &f))
    return "";
  return hearth_profile_get_string (self->profile, f.name);
}

GStrv
hearth_call_tree_get_path (HearthCallTree *self,
                           guint32         node)
{
  const HearthCallNode *n;
  GStrv ret;
  guint depth;

  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), NULL);
  g_return_val_if_fail (node < self->nodes->len, NULL);

  n = &g_array_index (self->nodes, HearthCallNode, node);
  depth = n->depth;
  ret = g_new0 (char *, depth + 1);
  for (guint32 cur = node; cur != 0 && cur != HEARTH_NO_ID; cur = g_array_index (self->nodes, HearthCallNode, cur).parent)
    ret[--depth] = g_strdup (hearth_call_tree_get_name (self, cur));

  return ret;
}

guint32
hearth_call_tree_find_path (HearthCallTree *self,
                            const guint32  *functions,
                            guint           n_functions)
{
  guint32 node = 0;

  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), HEARTH_NO_ID);

  for (guint i = 0; i < n_functions; i++)
    {
      const HearthCallNode *n = &g_array_index (self->nodes, HearthCallNode, node);
      guint32 next = HEARTH_NO_ID;

      for (guint c = 0; c < n->n_children; c++)
        {
          guint32 child = self->children[n->first_child + c];

          if (g_array_index (self->nodes, HearthCallNode, child).function == functions[i])
            {
              next = child;
              break;
            }
        }
      if (next == HEARTH_NO_ID)
        return HEARTH_NO_ID;
      node = next;
    }

  return node;
}

static void
dump_node (HearthCallTree *self,
           GString        *out,
           guint32         node,
           gboolean        with_b)
{
  const HearthCallNode *n = &g_array_index (self->nodes, HearthCallNode, node);

  if (node != 0)
    {
      for (guint i = 1; i < n->depth; i++)
        g_string_append (out, "  ");
      g_string_append_printf (out, "%s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                              hearth_call_tree_get_name (self, node), n->self_a, n->total_a);
      if (with_b)
        g_string_append_printf (out, " | %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, n->self_b, n->total_b);
      g_string_append_c (out, '\n');
    }

  for (guint c = 0; c < n->n_children; c++)
    dump_node (self, out, self->children[n->first_child + c], with_b);
}

char *
hearth_call_tree_to_string (HearthCallTree *self)
{
  GString *out;

  g_return_val_if_fail (HEARTH_IS_CALL_TREE (self), NULL);

  out = g_string_new (NULL);
  dump_node (self, out, 0, hearth_call_tree_get_total_b (self) > 0);
  return g_string_free (out, FALSE);
}
