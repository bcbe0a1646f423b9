/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-idmap-private.h"
#include "hearth-profile-private.h"

struct _HearthProfile
{
  GObject      parent_instance;

  GRWLock      lock;

  /* owned tables */
  GPtrArray   *strings;        /* char*, owned */
  GHashTable  *string_ids;     /* borrowed char* -> id + 1 */
  GArray      *functions;      /* HearthFunction */
  GHashTable  *function_ids;   /* HearthFunction* (owned copy) -> id + 1 */
  GArray      *frames;         /* HearthFrame */
  GHashTable  *frame_ids;      /* HearthFrame* (owned copy) -> id + 1 */
  GArray      *stacks;         /* HearthStack */
  HearthIdMap  stack_ids;      /* (parent + 1) << 32 | frame -> id */
  GPtrArray   *threads;        /* HearthThreadData* */
  GArray      *markers;        /* HearthMarker */
  GHashTable  *metadata;       /* char* -> char* */

  /* state */
  gint64       base_width;     /* timeline base bucket width, ns */
  gint64       max_time;
  guint64      n_samples;
  guint64      total_weight;
  guint64      generation;
};

G_DEFINE_FINAL_TYPE (HearthProfile, hearth_profile, G_TYPE_OBJECT)

#define INITIAL_BASE_WIDTH (G_GINT64_CONSTANT (1000000))  /* 1 ms */

static guint
function_hash (gconstpointer key)
{
  const HearthFunction *f = key;
  guint h = f->name;

  h = h * 31 + f->module;
  h = h * 31 + f->file;
  h = h * 31 + f->line;
  h = h * 31 + f->kind;
  return h;
}

static gboolean
function_equal (gconstpointer a,
                gconstpointer b)
{
  return memcmp (a, b, sizeof (HearthFunction)) == 0;
}

static guint
frame_hash (gconstpointer key)
{
  const HearthFrame *f = key;

  return (guint) (f->function * 2654435761u) ^ f->line ^ (guint) (f->address * 40503u) ^ (guint) (f->address >> 32);
}

static gboolean
frame_equal (gconstpointer a,
             gconstpointer b)
{
  const HearthFrame *fa = a;
  const HearthFrame *fb = b;

  return fa->function == fb->function && fa->line == fb->line && fa->address == fb->address;
}

static void
sample_block_free (gpointer data)
{
  HearthSampleBlock *b = data;

  g_free (b->time);
  g_free (b->stack);
  g_free (b->weight);
  g_free (b->state);
  g_free (b);
}

static void
thread_data_free (gpointer data)
{
  HearthThreadData *td = data;

  g_ptr_array_unref (td->blocks);
  g_array_unref (td->cum);
  g_free (td);
}

static guint32
intern_string_locked (HearthProfile *self,
                      const char    *str)
{
  gpointer value;
  char *copy;
  guint32 id;

  if (str == NULL)
    str = "";

  if (g_hash_table_lookup_extended (self->string_ids, str, NULL, &value))
    return GPOINTER_TO_UINT (value) - 1;

  copy = g_utf8_make_valid (str, -1);
  /* make_valid may have changed the text: look the sanitised form up too */
  if (strcmp (copy, str) != 0 &&
      g_hash_table_lookup_extended (self->string_ids, copy, NULL, &value))
    {
      g_free (copy);
      return GPOINTER_TO_UINT (value) - 1;
    }

  id = self->strings->len;
  g_ptr_array_add (self->strings, copy);
  g_hash_table_insert (self->string_ids, copy, GUINT_TO_POINTER (id + 1));
  return id;
}

/* The timeline cum array has one row of N_STATES per base-bucket boundary.
 * Rows up to the bucket of the last sample are final; the tail row holds
 * the running totals. */
static void
thread_cum_extend (HearthThreadData *td,
                   guint64           n_rows)
{
  guint64 rows = td->cum->len / HEARTH_CUM_COLS;

  if (rows >= n_rows)
    return;
  g_array_set_size (td->cum, n_rows * HEARTH_CUM_COLS);
  for (; rows < n_rows; rows++)
    memcpy (&g_array_index (td->cum, guint64, rows * HEARTH_CUM_COLS), td->running,
            sizeof (guint64) * HEARTH_CUM_COLS);
}

static void
rescale_timeline_locked (HearthProfile *self)
{
  self->base_width *= 2;

  for (guint t = 0; t < self->threads->len; t++)
    {
      HearthThreadData *td = g_ptr_array_index (self->threads, t);
      guint n_rows = td->cum->len / HEARTH_CUM_COLS;
      guint64 *cum = (guint64 *) (gpointer) td->cum->data;
      guint j;

      /* boundaries of the coarser grid are every other boundary */
      for (j = 0; 2 * j < n_rows; j++)
        memmove (&cum[j * HEARTH_CUM_COLS], &cum[2 * j * HEARTH_CUM_COLS],
                 sizeof (guint64) * HEARTH_CUM_COLS);
      g_array_set_size (td->cum, j * HEARTH_CUM_COLS);

      /* restore the invariant: the row after the last sample's bucket
       * holds the running totals */
      if (td->n_samples > 0)
        {
          g_array_set_size (td->cum, (td->last_time / self->base_width + 1) * HEARTH_CUM_COLS);
          g_array_append_vals (td->cum, td->running, HEARTH_CUM_COLS);
        }
    }
}

static void
append_one_locked (HearthProfile      *self,
                   HearthThreadData   *td,
                   const HearthSample *s)
{
  HearthSampleBlock *b;
  guint64 i = td->n_samples;
  guint32 off = i & HEARTH_BLOCK_MASK;
  gint64 t = MAX (s->time_ns, td->last_time);
  guint state = MIN (s->state, HEARTH_THREAD_STATE_OTHER);
  guint64 row;

  if (t < 0)
    t = 0;

  /* before this sample is counted: rescaling rebuilds every thread's tail
   * row from its last sample */
  while (t / self->base_width >= HEARTH_TIMELINE_MAX_BASE - 1)
    rescale_timeline_locked (self);

  if (off == 0)
    {
      b = g_new0 (HearthSampleBlock, 1);
      b->time = g_new (gint64, HEARTH_BLOCK_SIZE);
      b->stack = g_new (guint32, HEARTH_BLOCK_SIZE);
      b->weight = g_new (guint32, HEARTH_BLOCK_SIZE);
      b->state = g_new (guint8, HEARTH_BLOCK_SIZE);
      g_ptr_array_add (td->blocks, b);
    }
  else
    b = g_ptr_array_index (td->blocks, i >> HEARTH_BLOCK_SHIFT);

  b->time[off] = t;
  b->stack[off] = s->stack;
  b->weight[off] = s->weight;
  b->state[off] = state;
  td->n_samples++;
  td->total_weight += s->weight;
  td->last_time = t;
  self->n_samples++;
  self->total_weight += s->weight;
  if (t > self->max_time)
    self->max_time = t;

  /* rows 0..bucket are final, row bucket+1 is the running total; rows
   * passed over since the last sample get the totals before this one */
  row = (guint64) (t / self->base_width);
  thread_cum_extend (td, row + 2);
  td->running[state] += s->weight;
  td->running[HEARTH_CUM_COUNT] += 1;
  memcpy (&g_array_index (td->cum, guint64, (row + 1) * HEARTH_CUM_COLS), td->running,
          sizeof (guint64) * HEARTH_CUM_COLS);
}

static void
hearth_profile_finalize (GObject *object)
{
  HearthProfile *self = (HearthProfile *) object;

  g_clear_pointer (&self->string_ids, g_hash_table_unref);
  g_clear_pointer (&self->strings, g_ptr_array_unref);
  g_clear_pointer (&self->function_ids, g_hash_table_unref);
  g_clear_pointer (&self->functions, g_array_unref);
  g_clear_pointer (&self->frame_ids, g_hash_table_unref);
  g_clear_pointer (&self->frames, g_array_unref);
  g_clear_pointer (&self->stacks, g_array_unref);
  _hearth_id_map_clear (&self->stack_ids);
  g_clear_pointer (&self->threads, g_ptr_array_unref);
  g_clear_pointer (&self->markers, g_array_unref);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
  g_rw_lock_clear (&self->lock);

  G_OBJECT_CLASS (hearth_profile_parent_class)->finalize (object);
}

static void
hearth_profile_class_init (HearthProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hearth_profile_finalize;
}

static void
hearth_profile_init (HearthProfile *self)
{
  g_rw_lock_init (&self->lock);
  self->strings = g_ptr_array_new_with_free_func (g_free);
  self->string_ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->functions = g_array_new (FALSE, FALSE, sizeof (HearthFunction));
  self->function_ids = g_hash_table_new_full (function_hash, function_equal, g_free, NULL);
  self->frames = g_array_new (FALSE, FALSE, sizeof (HearthFrame));
  self->frame_ids = g_hash_table_new_full (frame_hash, frame_equal, g_free, NULL);
  self->stacks = g_array_new (FALSE, FALSE, sizeof (HearthStack));
  _hearth_id_map_init (&self->stack_ids, 1024);
  self->threads = g_ptr_array_new_with_free_func (thread_data_free);
  self->markers = g_array_new (FALSE, FALSE, sizeof (HearthMarker));
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->base_width = INITIAL_BASE_WIDTH;

  intern_string_locked (self, "");
}

/**
 * hearth_profile_new:
 *
 * Returns: (transfer full): an empty profile.
 */
HearthProfile *
hearth_profile_new (void)
{
  return g_object_new (HEARTH_TYPE_PROFILE, NULL);
}

guint32
hearth_profile_intern_string (HearthProfile *self,
                              const char    *str)
{
  guint32 id;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), 0);

  g_rw_lock_writer_lock (&self->lock);
  id = intern_string_locked (self, str);
  g_rw_lock_writer_unlock (&self->lock);

  return id;
}

/* Ids inside a function or frame must point into existing tables; bad ids
 * from a hostile file are clamped to "unknown" rather than trusted. */
guint32
hearth_profile_intern_function (HearthProfile        *self,
                                const HearthFunction *function)
{
  HearthFunction f;
  gpointer value;
  guint32 id;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), HEARTH_NO_ID);
  g_return_val_if_fail (function != NULL, HEARTH_NO_ID);

  f = *function;

  g_rw_lock_writer_lock (&self->lock);
  if (f.name >= self->strings->len)
    f.name = 0;
  if (f.module >= self->strings->len)
    f.module = 0;
  if (f.file >= self->strings->len)
    f.file = 0;
  if (f.kind >= HEARTH_N_FRAME_KINDS)
    f.kind = HEARTH_FRAME_KIND_UNKNOWN;

  if (g_hash_table_lookup_extended (self->function_ids, &f, NULL, &value))
    id = GPOINTER_TO_UINT (value) - 1;
  else
    {
      id = self->functions->len;
      g_array_append_val (self->functions, f);
      g_hash_table_insert (self->function_ids, g_memdup2 (&f, sizeof f), GUINT_TO_POINTER (id + 1));
      self->generation++;
    }
  g_rw_lock_writer_unlock (&self->lock);

  return id;
}

guint32
hearth_profile_intern_frame (HearthProfile     *self,
                             const HearthFrame *frame)
{
  HearthFrame f;
  gpointer value;
  guint32 id;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), HEARTH_NO_ID);
  g_return_val_if_fail (frame != NULL, HEARTH_NO_ID);

  f = *frame;

  g_rw_lock_writer_lock (&self->lock);
  if (f.function >= self->functions->len)
    {
      g_rw_lock_writer_unlock (&self->lock);
      return HEARTH_NO_ID;
    }

  if (g_hash_table_lookup_extended (self->frame_ids, &f, NULL, &value))
    id = GPOINTER_TO_UINT (value) - 1;
  else
    {
      id = self->frames->len;
      g_array_append_val (self->frames, f);
      g_hash_table_insert (self->frame_ids, g_memdup2 (&f, sizeof f), GUINT_TO_POINTER (id + 1));
    }
  g_rw_lock_writer_unlock (&self->lock);

  return id;
}

static guint32
intern_stack_locked (HearthProfile *self,
                     guint32        parent,
                     guint32        frame)
{
  HearthStack s;
  guint64 key;
  guint32 id;

  if (frame >= self->frames->len)
    return HEARTH_NO_ID;
  if (parent != HEARTH_NO_ID && parent >= self->stacks->len)
    return HEARTH_NO_ID;

  key = ((guint64) (parent + 1) << 32) | frame;
  if (_hearth_id_map_lookup (&self->stack_ids, key, &id))
    return id;

  s.parent = parent;
  s.frame = frame;
  s.depth = parent == HEARTH_NO_ID ? 0 : g_array_index (self->stacks, HearthStack, parent).depth + 1;
  id = self->stacks->len;
  g_array_append_val (self->stacks, s);
  _hearth_id_map_insert (&self->stack_ids, key, id);

  return id;
}

/* Returns HEARTH_NO_ID if frame or parent do not exist. */
guint32
hearth_profile_intern_stack (HearthProfile *self,
                             guint32        parent,
                             guint32        frame)
{
  guint32 id;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), HEARTH_NO_ID);

  g_rw_lock_writer_lock (&self->lock);
  id = intern_stack_locked (self, parent, frame);
  g_rw_lock_writer_unlock (&self->lock);

  return id;
}

guint32
hearth_profile_intern_stack_path (HearthProfile *self,
                                  const guint32 *frames,
                                  guint          n_frames)
{
  guint32 id = HEARTH_NO_ID;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), HEARTH_NO_ID);

  g_rw_lock_writer_lock (&self->lock);
  for (guint i = 0; i < n_frames; i++)
    {
      id = intern_stack_locked (self, id, frames[i]);
      if (id == HEARTH_NO_ID)
        break;
    }
  g_rw_lock_writer_unlock (&self->lock);

  return id;
}

guint32
hearth_profile_add_thread (HearthProfile *self,
                           gint32         pid,
                           gint32         tid,
                           const char    *name)
{
  HearthThreadData *td;
  guint32 index;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), HEARTH_NO_ID);

  g_rw_lock_writer_lock (&self->lock);
  for (index = 0; index < self->threads->len; index++)
    {
      td = g_ptr_array_index (self->threads, index);
      if (td->info.tid == tid && td->info.pid == pid)
        {
          if (name != NULL && *name != '\0')
            td->info.name = intern_string_locked (self, name);
          goto out;
        }
    }

  td = g_new0 (HearthThreadData, 1);
  td->info.tid = tid;
  td->info.pid = pid;
  td->info.name = intern_string_locked (self, name);
  td->blocks = g_ptr_array_new_with_free_func (sample_block_free);
  td->cum = g_array_new (FALSE, TRUE, sizeof (guint64));
  thread_cum_extend (td, 1);
  index = self->threads->len;
  g_ptr_array_add (self->threads, td);
  self->generation++;

out:
  g_rw_lock_writer_unlock (&self->lock);
  return index;
}

void
hearth_profile_append_samples (HearthProfile      *self,
                               guint32             thread,
                               const HearthSample *samples,
                               guint               n_samples)
{
  HearthThreadData *td;

  g_return_if_fail (HEARTH_IS_PROFILE (self));

  g_rw_lock_writer_lock (&self->lock);
  if (thread < self->threads->len)
    {
      td = g_ptr_array_index (self->threads, thread);
      for (guint i = 0; i < n_samples; i++)
        {
          HearthSample s = samples[i];

          if (s.stack != HEARTH_NO_ID && s.stack >= self->stacks->len)
            s.stack = HEARTH_NO_ID;
          append_one_locked (self, td, &s);
        }
      self->generation++;
    }
  g_rw_lock_writer_unlock (&self->lock);
}

void
hearth_profile_append_sample (HearthProfile      *self,
                              guint32             thread,
                              const HearthSample *sample)
{
  hearth_profile_append_samples (self, thread, sample, 1);
}

void
hearth_profile_add_marker (HearthProfile *self,
                           gint64         time_ns,
                           gint64         end_ns,
                           const char    *kind,
                           const char    *text)
{
  HearthMarker m;

  g_return_if_fail (HEARTH_IS_PROFILE (self));

  g_rw_lock_writer_lock (&self->lock);
  m.time_ns = MAX (time_ns, 0);
  m.end_ns = MAX (end_ns, m.time_ns);
  m.kind = intern_string_locked (self, kind);
  m.text = intern_string_locked (self, text);
  g_array_append_val (self->markers, m);
  self->generation++;
  g_rw_lock_writer_unlock (&self->lock);
}

void
hearth_profile_set_metadata (HearthProfile *self,
                             const char    *key,
                             const char    *value)
{
  g_return_if_fail (HEARTH_IS_PROFILE (self));
  g_return_if_fail (key != NULL);

  g_rw_lock_writer_lock (&self->lock);
  if (value == NULL)
    g_hash_table_remove (self->metadata, key);
  else
    g_hash_table_insert (self->metadata, g_strdup (key), g_utf8_make_valid (value, -1));
  g_rw_lock_writer_unlock (&self->lock);
}

char *
hearth_profile_dup_metadata (HearthProfile *self,
                             const char    *key)
{
  char *ret;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), NULL);

  g_rw_lock_reader_lock (&self->lock);
  ret = g_strdup (g_hash_table_lookup (self->metadata, key));
  g_rw_lock_reader_unlock (&self->lock);

  return ret;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
hearth_profile_list_metadata (HearthProfile *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;
  GStrv ret;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), NULL);

  g_rw_lock_reader_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->metadata);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (builder, key);
  g_rw_lock_reader_unlock (&self->lock);

  ret = g_strv_builder_end (builder);
  qsort (ret, g_strv_length (ret), sizeof (char *), compare_strings);
  return ret;
}

const char *
hearth_profile_get_string (HearthProfile *self,
                           guint32        id)
{
  const char *ret = "";

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), "");

  g_rw_lock_reader_lock (&self->lock);
  if (id < self->strings->len)
    ret = g_ptr_array_index (self->strings, id);
  g_rw_lock_reader_unlock (&self->lock);

  return ret;
}

#define DEFINE_COUNT(fn, expr)                  \
guint                                           \
fn (HearthProfile *self)                        \
{                                               \
  guint ret;                                    \
  g_return_val_if_fail (HEARTH_IS_PROFILE (self), 0); \
  g_rw_lock_reader_lock (&self->lock);          \
  ret = (expr);                                 \
  g_rw_lock_reader_unlock (&self->lock);        \
  return ret;                                   \
}

DEFINE_COUNT (hearth_profile_get_n_strings, self->strings->len)
DEFINE_COUNT (hearth_profile_get_n_functions, self->functions->len)
DEFINE_COUNT (hearth_profile_get_n_frames, self->frames->len)
DEFINE_COUNT (hearth_profile_get_n_stacks, self->stacks->len)
DEFINE_COUNT (hearth_profile_get_n_threads, self->threads->len)
DEFINE_COUNT (hearth_profile_get_n_markers, self->markers->len)

#define DEFINE_GET(fn, Type, array, expr)                \
gboolean                                                 \
fn (HearthProfile *self, guint32 id, Type *out)          \
{                                                        \
  gboolean ret = FALSE;                                  \
  g_return_val_if_fail (HEARTH_IS_PROFILE (self), FALSE); \
  g_rw_lock_reader_lock (&self->lock);                   \
  if (id < self->array->len)                             \
    {                                                    \
      *out = expr;                                       \
      ret = TRUE;                                        \
    }                                                    \
  g_rw_lock_reader_unlock (&self->lock);                 \
  return ret;                                            \
}

DEFINE_GET (hearth_profile_get_function, HearthFunction, functions, g_array_index (self->functions, HearthFunction, id))
DEFINE_GET (hearth_profile_get_frame, HearthFrame, frames, g_array_index (self->frames, HearthFrame, id))
DEFINE_GET (hearth_profile_get_stack, HearthStack, stacks, g_array_index (self->stacks, HearthStack, id))
DEFINE_GET (hearth_profile_get_thread, HearthThread, threads, ((HearthThreadData *) g_ptr_array_index (self->threads, id))->info)

DEFINE_GET (hearth_profile_get_marker, HearthMarker, markers, g_array_index (self->markers, HearthMarker, id))

guint32
hearth_profile_get_stack_function (HearthProfile *self,
                                   guint32        stack)
{
  guint32 ret = HEARTH_NO_ID;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), HEARTH_NO_ID);

  g_rw_lock_reader_lock (&self->lock);
  if (stack < self->stacks->len)
    {
      guint32 frame = g_array_index (self->stacks, HearthStack, stack).frame;
      ret = g_array_index (self->frames, HearthFrame, frame).function;
    }
  g_rw_lock_reader_unlock (&self->lock);

  return ret;
}

guint64
hearth_profile_get_n_thread_samples (HearthProfile *self,
                                     guint32        thread)
{
  guint64 ret = 0;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), 0);

  g_rw_lock_reader_lock (&self->lock);
  if (thread < self->threads->len)
    ret = ((HearthThreadData *) g_ptr_array_index (self->threads, thread))->n_samples;
  g_rw_lock_reader_unlock (&self->lock);

  return ret;
}

guint
hearth_profile_read_thread_samples (HearthProfile *self,
                                    guint32        thread,
                                    guint64        first,
                                    HearthSample  *out,
                                    guint          n_samples)
{
  HearthThreadData *td;
  guint n = 0;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), 0);

  g_rw_lock_reader_lock (&self->lock);
  if (thread < self->threads->len)
    {
      td = g_ptr_array_index (self->threads, thread);
      for (guint64 i = first; i < td->n_samples && n < n_samples; i++, n++)
        {
          HearthSampleBlock *b = g_ptr_array_index (td->blocks, i >> HEARTH_BLOCK_SHIFT);
          guint32 off = i & HEARTH_BLOCK_MASK;

          out[n].time_ns = b->time[off];
          out[n].stack = b->stack[off];
          out[n].weight = b->weight[off];
          out[n].state = b->state[off];
        }
    }
  g_rw_lock_reader_unlock (&self->lock);

  return n;
}

guint64
hearth_profile_get_n_samples (HearthProfile *self)
{
  guint64 ret;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), 0);

  g_rw_lock_reader_lock (&self->lock);
  ret = self->n_samples;
  g_rw_lock_reader_unlock (&self->lock);

  return ret;
}

guint64
hearth_profile_get_total_weight (HearthProfile *self)
{
  guint64 ret;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), 0);

  g_rw_lock_reader_lock (&self->lock);
  ret = self->total_weight;
  g_rw_lock_reader_unlock (&self->lock);

  return ret;
}

gint64
hearth_profile_get_duration_ns (HearthProfile *self)
{
  gint64 ret;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), 0);

  g_rw_lock_reader_lock (&self->lock);
  ret = self->n_samples > 0 ? self->max_time + 1 : 0;
  for (guint i = 0; i < self->markers->len; i++)
    ret = MAX (ret, g_array_index (self->markers, HearthMarker, i).end_ns);
  g_rw_lock_reader_unlock (&self->lock);

  return ret;
}

guint64
hearth_profile_get_generation (HearthProfile *self)
{
  guint64 ret;

  g_return_val_if_fail (HEARTH_IS_PROFILE (self), 0);

  g_rw_lock_reader_lock (&self->lock);
  ret = self->generation;
  g_rw_lock_reader_unlock (&self->lock);

  return ret;
}

/* --- private accessors, callers hold the read lock ------------------------- */

void
_hearth_profile_read_lock (HearthProfile *self)
{
  g_rw_lock_reader_lock (&self->lock);
}

void
_hearth_profile_read_unlock (HearthProfile *self)
{
  g_rw_lock_reader_unlock (&self->lock);
}

const HearthStack *
_hearth_profile_stacks (HearthProfile *self,
                        guint         *n_stacks)
{
  *n_stacks = self->stacks->len;
  return (const HearthStack *) (gpointer) self->stacks->data;
}

const HearthFrame *
_hearth_profile_frames (HearthProfile *self,
                        guint         *n_frames)
{
  *n_frames = self->frames->len;
  return (const HearthFrame *) (gpointer) self->frames->data;
}

const HearthFunction *
_hearth_profile_functions (HearthProfile *self,
                           guint         *n_functions)
{
  *n_functions = self->functions->len;
  return (const HearthFunction *) (gpointer) self->functions->data;
}

const char *
_hearth_profile_string (HearthProfile *self,
                        guint32        id)
{
  return id < self->strings->len ? g_ptr_array_index (self->strings, id) : "";
}

HearthThreadData *
_hearth_profile_thread_data (HearthProfile *self,
                             guint32        thread)
{
  return thread < self->threads->len ? g_ptr_array_index (self->threads, thread) : NULL;
}

guint
_hearth_profile_n_threads (HearthProfile *self)
{
  return self->threads->len;
}

gint64
_hearth_profile_base_width (HearthProfile *self)
{
  return self->base_width;
}
