/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-search.h"

struct _HearthSearch
{
  /* owned */
  char   *needle;    /* casefolded unless case-sensitive */
  GRegex *regex;

  /* state */
  HearthSearchFlags flags;
};

HearthSearch *
hearth_search_new (const char         *text,
                   HearthSearchFlags   flags,
                   GError            **error)
{
  g_autoptr(HearthSearch) self = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (HearthSearch, 1);
  self->flags = flags;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, G_REGEX_ERROR, G_REGEX_ERROR_COMPILE,
                   "The search text is not valid UTF-8");
      return NULL;
    }

  if (flags & HEARTH_SEARCH_FLAGS_REGEX)
    {
      GRegexCompileFlags cflags = G_REGEX_OPTIMIZE;

      if (!(flags & HEARTH_SEARCH_FLAGS_CASE_SENSITIVE))
        cflags |= G_REGEX_CASELESS;

      self->regex = g_regex_new (text, cflags, 0, error);
      if (self->regex == NULL)
        return NULL;
    }
  else if (flags & HEARTH_SEARCH_FLAGS_CASE_SENSITIVE)
    {
      self->needle = g_strdup (text);
    }
  else
    {
      self->needle = g_utf8_casefold (text, -1);
    }

  return g_steal_pointer (&self);
}

void
hearth_search_free (HearthSearch *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->regex, g_regex_unref);
  g_clear_pointer (&self->needle, g_free);
  g_free (self);
}

gboolean
hearth_search_match (HearthSearch *self,
                     const char   *name)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;

  if (self->regex != NULL)
    return g_regex_match (self->regex, name, 0, NULL);

  if (self->needle[0] == '\0')
    return FALSE;

  if (self->flags & HEARTH_SEARCH_FLAGS_CASE_SENSITIVE)
    return strstr (name, self->needle) != NULL;

  {
    g_autofree char *folded = g_utf8_casefold (name, -1);

    return strstr (folded, self->needle) != NULL;
  }
}

guint8 *
hearth_search_match_tree (HearthSearch   *self,
                          HearthCallTree *tree,
                          guint          *n_nodes)
{
  HearthProfile *profile;
  guint n, n_functions;
  g_autofree gint8 *by_function = NULL;
  guint8 *matches;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (HEARTH_IS_CALL_TREE (tree), NULL);

  profile = hearth_call_tree_get_profile (tree);
  n = hearth_call_tree_get_n_nodes (tree);
  n_functions = hearth_profile_get_n_functions (profile);
  by_function = g_new0 (gint8, MAX (n_functions, 1));
  matches = g_new0 (guint8, MAX (n, 1));

  /* Node 0 is the synthetic root and never matches. */
  for (guint i = 1; i < n; i++)
    {
      const HearthCallNode *node = hearth_call_tree_get_node (tree, i);
      guint32 f = node->function;

      if (f >= n_functions)
        continue;

      if (by_function[f] == 0)
        by_function[f] = hearth_search_match (self, hearth_call_tree_get_name (tree, i)) ? 1 : -1;

      matches[i] = by_function[f] > 0;
    }

  if (n_nodes)
    *n_nodes = n;

  return matches;
}

double
hearth_search_match_fraction (HearthCallTree *tree,
                              const guint8   *matches,
                              guint           n_matches,
                              guint32         root,
                              double          scale_a,
                              double          scale_b)
{
  g_autoptr(GArray) stack = NULL;
  const HearthCallNode *r;
  double total, matched = 0;

  g_return_val_if_fail (HEARTH_IS_CALL_TREE (tree), 0);

  if (matches == NULL || root >= hearth_call_tree_get_n_nodes (tree))
    return 0;

  r = hearth_call_tree_get_node (tree, root);
  total = scale_a * (double) r->total_a + scale_b * (double) r->total_b;
  if (!(total > 0))
    return 0;

  stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (stack, root);
  while (stack->len > 0)
    {
      guint32 id = g_array_index (stack, guint32, stack->len - 1);
      const HearthCallNode *n = hearth_call_tree_get_node (tree, id);

      g_array_set_size (stack, stack->len - 1);

      if (id < n_matches && matches[id])
        {
          matched += scale_a * (double) n->total_a + scale_b * (double) n->total_b;
          continue;
        }

      for (guint i = 0; i < n->n_children; i++)
        {
          guint32 child = hearth_call_tree_get_child (tree, id, i);
          g_array_append_val (stack, child);
        }
    }

  return CLAMP (matched / total, 0.0, 1.0);
}
