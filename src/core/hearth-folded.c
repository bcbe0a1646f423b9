/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "hearth-call-tree.h"
#include "hearth-error.h"
#include "hearth-folded.h"
#include "hearth-profile-private.h"

#define DEFAULT_RATE_HZ 99
/* A line of count N becomes at most this many samples whose weights add
 * up to N, so a file with huge counts still loads in bounded memory while
 * the synthetic timeline stays proportional to weight. */
#define MAX_SAMPLES_PER_LINE 64

/* Split "name [module]", "name (file.py:12)" or perf's "name_[k]". */
static guint32
intern_frame_text (HearthProfile *profile,
                   const char    *text,
                   gsize          len)
{
  g_autofree char *name = g_strndup (text, len);
  HearthFunction f = { 0 };
  HearthFrame frame = { 0 };
  gsize n = strlen (name);
  char *open;

  f.kind = HEARTH_FRAME_KIND_NATIVE;

  if (n > 4 && g_str_has_suffix (name, "_[k]"))
    {
      name[n - 4] = '\0';
      f.kind = HEARTH_FRAME_KIND_KERNEL;
    }
  else if (n > 2 && name[n - 1] == ']' && (open = strrchr (name, '[')) != NULL && open > name && open[-1] == ' ')
    {
      name[n - 1] = '\0';
      f.module = hearth_profile_intern_string (profile, open + 1);
      open[-1] = '\0';
    }
  else if (n > 2 && name[n - 1] == ')' && (open = strrchr (name, '(')) != NULL && open > name && open[-1] == ' ')
    {
      char *colon = strrchr (open, ':');
      guint64 line = 0;
      char *end = NULL;

      name[n - 1] = '\0';
      if (colon != NULL)
        {
          line = g_ascii_strtoull (colon + 1, &end, 10);
          if (end != NULL && *end == '\0' && line > 0 && line < G_MAXUINT32)
            *colon = '\0';
          else
            line = 0;
        }
      if (line > 0 || g_str_has_suffix (open + 1, ".py"))
        f.kind = HEARTH_FRAME_KIND_PYTHON;
      f.file = hearth_profile_intern_string (profile, open + 1);
      f.module = f.file;
      frame.line = (guint32) line;
      open[-1] = '\0';
    }

  f.name = hearth_profile_intern_string (profile, name);
  frame.function = hearth_profile_intern_function (profile, &f);
  return hearth_profile_intern_frame (profile, &frame);
}

static gboolean
parse_count (const char *p,
             gsize       len,
             guint64    *count)
{
  guint64 v = 0;

  if (len == 0 || len > 19)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      v = v * 10 + (p[i] - '0');
    }
  *count = v;
  return TRUE;
}

/* Folded files repeat the same frames on many lines, and sorted files
 * share long prefixes with the previous line: cache frame text -> frame id,
 * and reuse the previous line's stack ids for the frames it shares. */
typedef struct
{
  GHashTable   *frame_ids;    /* frame text -> frame id + 1 */
  GStringChunk *texts;
  GString      *prev;         /* previous line's stack text */
  GArray       *prev_starts;  /* gsize: start offset of each frame in prev */
  GArray       *prev_ends;    /* gsize: end offset of each frame in prev */
  GArray       *prev_stacks;  /* guint32: stack id after each frame of prev */
  GArray       *starts;       /* gsize: scratch for the current line */
  GArray       *ends;
} ImportState;

static void
import_state_init (ImportState *st)
{
  st->frame_ids = g_hash_table_new (g_str_hash, g_str_equal);
  st->texts = g_string_chunk_new (65536);
  st->prev = g_string_new (NULL);
  st->prev_starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  st->prev_ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  st->prev_stacks = g_array_new (FALSE, FALSE, sizeof (guint32));
  st->starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  st->ends = g_array_new (FALSE, FALSE, sizeof (gsize));
}

static void
import_state_clear (ImportState *st)
{
  g_hash_table_unref (st->frame_ids);
  g_string_chunk_free (st->texts);
  g_string_free (st->prev, TRUE);
  g_array_unref (st->prev_starts);
  g_array_unref (st->prev_ends);
  g_array_unref (st->prev_stacks);
  g_array_unref (st->starts);
  g_array_unref (st->ends);
}

static guint32
cached_frame (ImportState   *st,
              HearthProfile *profile,
              const char    *text,
              gsize          len)
{
  g_autofree char *key = g_strndup (text, len);
  gpointer value;
  guint32 frame;

  if (g_hash_table_lookup_extended (st->frame_ids, key, NULL, &value))
    return GPOINTER_TO_UINT (value) - 1;

  frame = intern_frame_text (profile, text, len);
  g_hash_table_insert (st->frame_ids, g_string_chunk_insert (st->texts, key), GUINT_TO_POINTER (frame + 1));
  return frame;
}

/* The stack id of the line's frames; HEARTH_NO_ID if it has none. */
static guint32
intern_line_stack (ImportState   *st,
                   HearthProfile *profile,
                   const char    *line,
                   gsize          stack_len)
{
  GArray *starts = st->starts;
  GArray *ends = st->ends;
  guint32 stack = HEARTH_NO_ID;
  guint shared = 0;

  g_array_set_size (starts, 0);
  g_array_set_size (ends, 0);

  for (gsize start = 0, i = 0; i <= stack_len; i++)
    if (i == stack_len || line[i] == ';')
      {
        if (i > start)
          {
            g_array_append_val (starts, start);
            g_array_append_val (ends, i);
          }
        start = i + 1;
      }

  /* frames equal to the previous line's, position by position */
  while (shared < starts->len && shared < st->prev_starts->len)
    {
      gsize a = g_array_index (starts, gsize, shared), b = g_array_index (st->prev_starts, gsize, shared);
      gsize la = g_array_index (ends, gsize, shared) - a, lb = g_array_index (st->prev_ends, gsize, shared) - b;

      if (la != lb || memcmp (line + a, st->prev->str + b, la) != 0)
        break;
      shared++;
    }
  g_array_set_size (st->prev_stacks, shared);
  if (shared > 0)
    stack = g_array_index (st->prev_stacks, guint32, shared - 1);

  for (guint k = shared; k < starts->len; k++)
    {
      gsize a = g_array_index (starts, gsize, k);
      guint32 frame = cached_frame (st, profile, line + a, g_array_index (ends, gsize, k) - a);

      stack = hearth_profile_intern_stack (profile, stack, frame);
      g_array_append_val (st->prev_stacks, stack);
    }

  g_string_truncate (st->prev, 0);
  g_string_append_len (st->prev, line, stack_len);
  /* the current line's frame offsets become the previous line's */
  st->starts = st->prev_starts;
  st->ends = st->prev_ends;
  st->prev_starts = starts;
  st->prev_ends = ends;

  return stack;
}

/* One line: "a;b;c 12". Returns FALSE with a reason if malformed. */
static gboolean
import_line (ImportState   *st,
             HearthProfile *profile,
             guint32        thread,
             const char    *line,
             gsize          len,
             gint64        *time_ns,
             gint64         interval_ns,
             const char   **reason)
{
  const char *space;
  guint64 count;
  guint32 stack;
  gsize stack_len;

  while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
    len--;

  space = NULL;
  for (gsize i = len; i > 0; i--)
    if (line[i - 1] == ' ' || line[i - 1] == '\t')
      {
        space = &line[i - 1];
        break;
      }
  if (space == NULL)
    {
      *reason = "expected “frame;frame;… COUNT”";
      return FALSE;
    }
  if (!parse_count (space + 1, line + len - (space + 1), &count))
    {
      *reason = "the sample count is not a whole number";
      return FALSE;
    }
  stack_len = space - line;
  while (stack_len > 0 && (line[stack_len - 1] == ' ' || line[stack_len - 1] == '\t'))
    stack_len--;
  if (stack_len == 0)
    {
      *reason = "the stack is empty";
      return FALSE;
    }
  if (count == 0)
    return TRUE;

  stack = intern_line_stack (st, profile, line, stack_len);
  if (stack == HEARTH_NO_ID)
    {
      *reason = "the stack has no frames";
      return FALSE;
    }
  {
    guint n = (guint) MIN (count, (guint64) MAX_SAMPLES_PER_LINE);
    HearthSample samples[MAX_SAMPLES_PER_LINE];
    guint64 left = count;

    for (guint i = 0; i < n; i++)
      {
        guint64 w = left / (n - i);

        w = MIN (w, (guint64) G_MAXUINT32);
        left -= w;
        samples[i].time_ns = *time_ns;
        samples[i].stack = stack;
        samples[i].weight = (guint32) w;
        samples[i].state = HEARTH_THREAD_STATE_RUNNING;
        *time_ns += interval_ns * (gint64) w;
      }
    hearth_profile_append_samples (profile, thread, samples, n);
  }

  return TRUE;
}

static gboolean
is_blank (const char *line,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (line[i] != ' ' && line[i] != '\t')
      return FALSE;
  return TRUE;
}

gboolean
hearth_folded_import (HearthProfile      *profile,
                      const char         *data,
                      gsize               length,
                      const char         *name,
                      HearthFoldedFlags   flags,
                      guint              *n_skipped,
                      GError            **error)
{
  ImportState st;
  gint64 interval_ns = G_GINT64_CONSTANT (1000000000) / DEFAULT_RATE_HZ;
  gint64 time_ns = hearth_profile_get_duration_ns (profile);
  guint skipped = 0;
  guint line_no = 0;
  guint32 thread;
  gsize pos = 0;

  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), FALSE);

  if (name == NULL)
    name = "folded";
  thread = hearth_profile_add_thread (profile, 0, 0, "folded");
  import_state_init (&st);

  while (pos < length)
    {
      const char *line = data + pos;
      const char *nl = memchr (line, '\n', length - pos);
      gsize len = nl != NULL ? (gsize) (nl - line) : length - pos;
      const char *reason = NULL;

      pos += len + (nl != NULL ? 1 : 0);
      line_no++;

      if (len > 0 && line[len - 1] == '\r')
        len--;
      if (is_blank (line, len))
        continue;

      if (memchr (line, '\0', len) != NULL)
        reason = "the line contains a NUL byte";

      if (reason == NULL &&
          import_line (&st, profile, thread, line, len, &time_ns, interval_ns, &reason))
        continue;

      if (flags & HEARTH_FOLDED_FLAGS_LENIENT)
        {
          skipped++;
          continue;
        }

      g_set_error (error, HEARTH_FOLDED_ERROR, HEARTH_FOLDED_ERROR_PARSE,
                   "%s:%u: %s", name, line_no, reason);
      import_state_clear (&st);
      return FALSE;
    }
  import_state_clear (&st);

  if (n_skipped != NULL)
    *n_skipped = skipped;

  if (hearth_profile_get_n_samples (profile) == 0)
    {
      g_set_error (error, HEARTH_FOLDED_ERROR, HEARTH_FOLDED_ERROR_EMPTY,
                   "%s: no samples (expected lines like “main;work;leaf 42”)", name);
      return FALSE;
    }

  return TRUE;
}

HearthProfile *
hearth_folded_load_data (const char         *data,
                         gsize               length,
                         const char         *name,
                         HearthFoldedFlags   flags,
                         guint              *n_skipped,
                         GError            **error)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_autofree char *rate = g_strdup_printf ("%d", DEFAULT_RATE_HZ);

  if (!hearth_folded_import (profile, data, length, name, flags, n_skipped, error))
    return NULL;

  hearth_profile_set_metadata (profile, "source", "folded");
  hearth_profile_set_metadata (profile, "command-line", name);
  hearth_profile_set_metadata (profile, "rate-hz", rate);
  hearth_profile_set_metadata (profile, "mode", "wall");

  return g_steal_pointer (&profile);
}

HearthProfile *
hearth_folded_load_file (GFile              *file,
                         HearthFoldedFlags   flags,
                         guint              *n_skipped,
                         GError            **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  display = g_file_get_parse_name (file);
  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error))
    {
      g_set_error (error, HEARTH_FOLDED_ERROR, HEARTH_FOLDED_ERROR_IO,
                   "Cannot read folded stacks from %s: %s", display, local_error->message);
      return NULL;
    }

  return hearth_folded_load_data (contents, length, display, flags, n_skipped, error);
}

char *
hearth_folded_frame_text (HearthProfile *profile,
                          guint32        frame_id)
{
  HearthFrame frame;
  HearthFunction f;
  GString *out;
  const char *name;

  if (!hearth_profile_get_frame (profile, frame_id, &frame) ||
      !hearth_profile_get_function (profile, frame.function, &f))
    return g_strdup ("[unknown]");

  name = hearth_profile_get_string (profile, f.name);
  out = g_string_new (NULL);
  for (const char *p = *name ? name : "[unknown]"; *p; p++)
    g_string_append_c (out, (*p == ';' || *p == '\n' || *p == '\r') ? ':' : *p);

  /* Python frames keep py-spy's "func (file:line)" so they re-import as
   * Python; kernel frames perf's "_[k]". Native frames stay bare, as the
   * flamegraph tools expect. */
  if (f.kind == HEARTH_FRAME_KIND_PYTHON && f.file != 0)
    {
      if (frame.line > 0)
        g_string_append_printf (out, " (%s:%u)", hearth_profile_get_string (profile, f.file), frame.line);
      else
        g_string_append_printf (out, " (%s)", hearth_profile_get_string (profile, f.file));
    }
  else if (f.kind == HEARTH_FRAME_KIND_KERNEL)
    g_string_append (out, "_[k]");

  return g_string_free (out, FALSE);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GString *
hearth_folded_export (HearthProfile         *profile,
                      const HearthSelection *selection)
{
  g_autofree guint64 *counts = NULL;
  g_autoptr(GHashTable) lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) frame_text = g_ptr_array_new_with_free_func (g_free);
  g_autofree const char **keys = NULL;
  GString *out = g_string_new (NULL);
  GString *path = g_string_new (NULL);
  guint n, n_keys;

  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), out);

  n = hearth_profile_get_n_stacks (profile);
  counts = g_new0 (guint64, MAX (n, 1));
  hearth_profile_accumulate_stacks (profile, selection, counts, n);

  for (guint s = 0; s < n; s++)
    {
      g_autoptr(GPtrArray) parts = NULL;
      guint64 *sum;
      HearthStack st;

      if (counts[s] == 0)
        continue;

      parts = g_ptr_array_new ();
      for (guint32 cur = s; cur != HEARTH_NO_ID && hearth_profile_get_stack (profile, cur, &st); cur = st.parent)
        {
          while (frame_text->len <= st.frame)
            g_ptr_array_add (frame_text, NULL);
          if (g_ptr_array_index (frame_text, st.frame) == NULL)
            g_ptr_array_index (frame_text, st.frame) = hearth_folded_frame_text (profile, st.frame);
          g_ptr_array_add (parts, g_ptr_array_index (frame_text, st.frame));
        }

      g_string_truncate (path, 0);
      for (guint i = parts->len; i > 0; i--)
        {
          g_string_append (path, g_ptr_array_index (parts, i - 1));
          if (i > 1)
            g_string_append_c (path, ';');
        }

      sum = g_hash_table_lookup (lines, path->str);
      if (sum == NULL)
        {
          sum = g_new0 (guint64, 1);
          g_hash_table_insert (lines, g_strdup (path->str), sum);
        }
      *sum += counts[s];
    }
  g_string_free (path, TRUE);

  keys = (const char **) g_hash_table_get_keys_as_array (lines, &n_keys);
  qsort (keys, n_keys, sizeof (char *), compare_lines);
  for (guint i = 0; i < n_keys; i++)
    g_string_append_printf (out, "%s %" G_GUINT64_FORMAT "\n", keys[i],
                            *(guint64 *) g_hash_table_lookup (lines, keys[i]));

  return out;
}

gboolean
hearth_folded_save (HearthProfile         *profile,
                    const HearthSelection *selection,
                    GFile                 *file,
                    GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  GString *text = hearth_folded_export (profile, selection);
  gboolean ok;

  ok = g_file_replace_contents (file, text->str, text->len, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &local_error);
  g_string_free (text, TRUE);
  if (!ok)
    {
      g_autofree char *display = g_file_get_parse_name (file);

      g_set_error (error, HEARTH_FOLDED_ERROR, HEARTH_FOLDED_ERROR_IO,
                   "Cannot write folded stacks to %s: %s", display, local_error->message);
    }
  return ok;
}
