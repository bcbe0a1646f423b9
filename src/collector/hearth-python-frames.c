/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-python-private.h"

/*
 * Reading the Python frames of every thread with process_vm_readv only,
 * after hearth-python-threads.c has read the thread states (code objects
 * are in hearth-python-code.c). The reads of one
 * sample are batched into a few syscalls, whatever the number of threads
 * and frames:
 *
 *   1. each thread's current frame and the used part of its current
 *      data-stack chunk, where its frames live;
 *   2. frames outside the copied chunk (3.12+ C-stack shims, generators,
 *      older chunks), one round per level, all threads together;
 *   3. the headers of the code objects met, which validates the cache,
 *      plus a second look at each thread state and a second copy of each
 *      chunk, to detect a chain that changed while it was read;
 *   4. names, file names and line tables of code objects not cached yet.
 *
 * A thread whose chain changed is read once more; if it changes again the
 * thread is marked partial.
 */

static GByteArray *
pool_bytes (GPtrArray *pool,
            guint      index,
            gsize      size)
{
  GByteArray *b;

  while (pool->len <= index)
    g_ptr_array_add (pool, g_byte_array_new ());
  b = g_ptr_array_index (pool, index);
  g_byte_array_set_size (b, size);
  return b;
}

static void
prev_chain_free (gpointer data)
{
  PrevChain *chain = data;

  g_array_unref (chain->links);
  g_byte_array_unref (chain->copy);
  g_free (chain);
}

void
_hearth_python_frames_init (HearthPython *self)
{
  self->interps = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->tstates = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->tstate_interp = g_array_new (FALSE, FALSE, sizeof (guint));
  self->threads = g_array_new (FALSE, TRUE, sizeof (HearthPyThread));
  self->walks = g_array_new (FALSE, TRUE, sizeof (HearthPyWalk));
  self->retry_walks = g_array_new (FALSE, TRUE, sizeof (HearthPyWalk));
  self->pending = g_array_new (FALSE, FALSE, sizeof (guint));
  self->todo = g_ptr_array_new ();
  self->frame_arrays = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->raw_arrays = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->copies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  self->copies2 = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  self->scratch = g_byte_array_new ();
  self->scratch2 = g_byte_array_new ();
  self->reads = g_array_new (FALSE, TRUE, sizeof (HearthPyRead));
  self->codes = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, _hearth_python_code_free);
  self->strings = g_string_chunk_new (4096);
  self->chains = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, prev_chain_free);
}

void
_hearth_python_frames_clear (HearthPython *self)
{
  g_clear_pointer (&self->interps, g_array_unref);
  g_clear_pointer (&self->tstates, g_array_unref);
  g_clear_pointer (&self->tstate_interp, g_array_unref);
  g_clear_pointer (&self->threads, g_array_unref);
  g_clear_pointer (&self->walks, g_array_unref);
  g_clear_pointer (&self->retry_walks, g_array_unref);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->todo, g_ptr_array_unref);
  g_clear_pointer (&self->frame_arrays, g_ptr_array_unref);
  g_clear_pointer (&self->raw_arrays, g_ptr_array_unref);
  g_clear_pointer (&self->copies, g_ptr_array_unref);
  g_clear_pointer (&self->copies2, g_ptr_array_unref);
  g_clear_pointer (&self->scratch, g_byte_array_unref);
  g_clear_pointer (&self->scratch2, g_byte_array_unref);
  g_clear_pointer (&self->reads, g_array_unref);
  g_clear_pointer (&self->codes, g_hash_table_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->chains, g_hash_table_unref);
}

/* --- frame chains ------------------------------------------------------------ */

/* Phase 1: each thread's current frame (3.11/3.12 keep it in the C-stack
 * _PyCFrame) and the used part of its current data-stack chunk. */
static gboolean
copy_chunks (HearthPython *self,
             HearthPyWalk *walks,
             guint         n_walks)
{
  const HearthPyOffsets *o = &self->offsets;
  gboolean via_cframe = o->tstate_cframe != HEARTH_PY_NO_OFFSET;

  g_array_set_size (self->reads, 0);
  g_array_set_size (self->pending, 0);
  for (guint i = 0; i < n_walks; i++)
    {
      HearthPyWalk *w = &walks[i];
      guint kind;

      w->copy = NULL;
      w->copy_length = 0;
      if (via_cframe)
        {
          w->current_frame = 0;
          if (w->cframe != 0)
            {
              _hearth_python_add_read (self, w->cframe + o->cframe_current_frame, &w->current_frame, 8, 0);
              kind = i << 1;
              g_array_append_val (self->pending, kind);
            }
        }
      if (w->chunk != 0 && (w->chunk & 7) == 0 && w->top > w->chunk + 24 &&
          w->top - w->chunk <= HEARTH_PY_MAX_CHUNK_COPY)
        {
          GByteArray *copy = pool_bytes (self->copies, i, w->top - w->chunk);

          _hearth_python_add_read (self, w->chunk, copy->data, copy->len, 0);
          w->copy = copy->data;
          kind = (i << 1) | 1;
          g_array_append_val (self->pending, kind);
        }
    }

  if (self->reads->len == 0)
    return TRUE;
  if (!_hearth_python_run_reads (self))
    return FALSE;

  for (guint r = 0; r < self->reads->len; r++)
    {
      guint kind = g_array_index (self->pending, guint, r);
      HearthPyWalk *w = &walks[kind >> 1];

      if (kind & 1)
        w->copy_length = _hearth_python_read_complete (self, r) ? (gsize) (w->top - w->chunk) : 0;
      else if (!_hearth_python_read_complete (self, r))
        {
          w->current_frame = 0;
          w->failed = TRUE;
        }
    }
  return TRUE;
}

/* Record one frame of a walk; FALSE if the chain makes no sense. */
static gboolean
take_frame (HearthPython *self,
            HearthPyWalk *w,
            GArray       *raw,
            guint64       address,
            const guint8 *f)
{
  const HearthPyOffsets *o = &self->offsets;
  guint64 previous = get_u64 (f, o->frame_previous);

  if (o->owner_cstack != G_MAXUINT8 && f[o->frame_owner] == o->owner_cstack)
    {
      /* 3.12+: the shim pushed by one _PyEval_EvalFrameDefault call; the
       * frame run first by that call is the one just below it. */
      if (raw->len > 0)
        g_array_index (raw, RawFrame, raw->len - 1).is_entry = TRUE;
    }
  else
    {
      RawFrame r;

      r.frame = address;
      r.code = get_u64 (f, o->frame_code);
      r.func = get_u64 (f, o->frame_func);
      r.instr = get_u64 (f, o->frame_instr);
      r.is_entry = o->frame_is_entry != HEARTH_PY_NO_OFFSET && f[o->frame_is_entry] != 0;
      if (r.code == 0 || (r.code & 7) != 0)
        return FALSE;
      g_array_append_val (raw, r);
    }

  if ((previous & 7) != 0 || ++w->steps > HEARTH_PY_MAX_FRAMES)
    return FALSE;
  w->next_frame = previous;
  return TRUE;
}

static gboolean
in_copy (const HearthPyWalk *w,
         guint64             address,
         gsize               size)
{
  return w->copy_length >= 24 + size && address >= w->chunk + 24 &&
         address - w->chunk <= w->copy_length - size;
}

/* Phase 2: follow `previous` links; frames outside the copy are read in
 * rounds, one batched syscall per round for all threads. */
static gboolean
walk_frames (HearthPython *self,
             HearthPyWalk *walks,
             guint         n_walks)
{
  gsize fsize = self->offsets.frame_size;

  for (guint i = 0; i < n_walks; i++)
    {
      GArray *raw;

      while (self->raw_arrays->len <= i)
        g_ptr_array_add (self->raw_arrays, g_array_new (FALSE, FALSE, sizeof (RawFrame)));
      raw = g_ptr_array_index (self->raw_arrays, i);
      g_array_set_size (raw, 0);
      walks[i].next_frame = walks[i].current_frame;
      walks[i].steps = 0;
      walks[i].outside = 0;
    }

  g_byte_array_set_size (self->scratch2, n_walks * fsize);
  for (guint steps = 0;;)
    {
      g_array_set_size (self->reads, 0);
      g_array_set_size (self->pending, 0);

      for (guint i = 0; i < n_walks; i++)
        {
          HearthPyWalk *w = &walks[i];
          GArray *raw = g_ptr_array_index (self->raw_arrays, i);

          while (w->next_frame != 0)
            {
              /* Bound the work a corrupt target can make us do. */
              if ((w->next_frame & 7) != 0 || ++steps > HEARTH_PY_MAX_STEPS)
                {
                  w->failed = TRUE;
                  w->next_frame = 0;
                }
              else if (in_copy (w, w->next_frame, fsize))
                {
                  if (!take_frame (self, w, raw, w->next_frame, w->copy + (w->next_frame - w->chunk)))
                    {
                      w->failed = TRUE;
                      w->next_frame = 0;
                    }
                }
              else
                {
                  _hearth_python_add_read (self, w->next_frame, self->scratch2->data + i * fsize, fsize, 0);
                  g_array_append_val (self->pending, i);
                  w->outside++;
                  break;
                }
            }
        }

      if (self->reads->len == 0)
        return TRUE;
      if (!_hearth_python_run_reads (self))
        return FALSE;

      for (guint r = 0; r < self->reads->len; r++)
        {
          guint i = g_array_index (self->pending, guint, r);
          HearthPyWalk *w = &walks[i];
          GArray *raw = g_ptr_array_index (self->raw_arrays, i);

          if (!_hearth_python_read_complete (self, r) ||
              !take_frame (self, w, raw, w->next_frame, self->scratch2->data + i * fsize))
            {
              w->failed = TRUE;
              w->next_frame = 0;
            }
        }
    }
}

/* Whether the links of the frames read from the chunk copy (code,
 * previous, function, owner) are the same in a second copy. The line a
 * running frame is at may move; its identity and its callers may not. */
static gboolean
chunk_links_stable (HearthPython       *self,
                    const HearthPyWalk *w,
                    GArray             *raw,
                    const guint8       *second)
{
  const HearthPyOffsets *o = &self->offsets;
  gsize fields[] = { o->frame_code, o->frame_previous, o->frame_func };

  for (guint f = 0; f < raw->len; f++)
    {
      const RawFrame *r = &g_array_index (raw, RawFrame, f);
      gsize at;

      if (!in_copy (w, r->frame, o->frame_size))
        continue;
      at = r->frame - w->chunk;
      for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
        if (memcmp (w->copy + at + fields[k], second + at + fields[k], 8) != 0)
          return FALSE;
      if (w->copy[at + o->frame_owner] != second[at + o->frame_owner] ||
          (o->frame_is_entry != HEARTH_PY_NO_OFFSET &&
           w->copy[at + o->frame_is_entry] != second[at + o->frame_is_entry]))
        return FALSE;
    }
  return TRUE;
}

/* A thread whose state and chunk bytes are exactly as in its previous
 * good read, with every frame read from the chunk, has not run Python
 * code since (a running frame's instruction pointer moves), so its chain
 * is consistent without a second look: the common case of a blocked
 * thread costs no read beyond the first two. */
static gboolean
chain_unchanged (const HearthPyWalk *w,
                 const PrevChain    *prev)
{
  return prev != NULL && !w->failed && w->outside == 0 && prev->pure &&
         prev->cframe == w->cframe && prev->current_frame == w->current_frame &&
         prev->chunk == w->chunk && prev->top == w->top &&
         prev->copy->len == w->copy_length &&
         memcmp (prev->copy->data, w->copy, w->copy_length) == 0;
}

/* Whether the thread moved since its chain was read: its state, current
 * frame or the links in its chunk differ. A moved thread keeps the new
 * state for the retry. */
static void
check_moved (HearthPython *self,
             HearthPyWalk *w,
             const guint8 *tstate,
             GArray       *raw,
             const guint8 *second_copy)
{
  HearthPyWalk fresh = { 0 };

  _hearth_python_walk_from_tstate (self, &fresh, w->tstate, tstate);
  if (self->offsets.tstate_cframe != HEARTH_PY_NO_OFFSET)
    fresh.current_frame = w->recheck_frame;
  if (fresh.tid != w->tid || fresh.cframe != w->cframe || fresh.chunk != w->chunk ||
      fresh.top != w->top || fresh.current_frame != w->current_frame ||
      (second_copy != NULL && !chunk_links_stable (self, w, raw, second_copy)))
    {
      w->changed = TRUE;
      w->cframe = fresh.cframe;
      w->chunk = fresh.chunk;
      w->top = fresh.top;
      w->current_frame = fresh.current_frame;
    }
}

/* Phase 3: the headers of the code objects to check, and a second look at
 * each thread (state, current frame, chunk), in one batched read. */
static gboolean
check_codes (HearthPython *self,
             HearthPyWalk *walks,
             guint         n_walks)
{
  const HearthPyOffsets *o = &self->offsets;
  gsize hsize = _hearth_python_code_header_size (o);
  gsize tsize = _hearth_python_tstate_size (o);
  gboolean via_cframe = o->tstate_cframe != HEARTH_PY_NO_OFFSET;
  gint64 now = g_get_monotonic_time ();
  guint8 *tstates;
  guint n_codes;

  for (guint i = 0; i < n_walks; i++)
    walks[i].stable = walks[i].copy_length > 0 &&
                      chain_unchanged (&walks[i], g_hash_table_lookup (self->chains, &walks[i].tstate));
  _hearth_python_schedule_code_checks (self, walks, n_walks, now);
  n_codes = self->todo->len;

  g_byte_array_set_size (self->scratch, n_codes * hsize + n_walks * tsize);
  tstates = self->scratch->data + n_codes * hsize;
  g_array_set_size (self->reads, 0);
  for (guint c = 0; c < n_codes; c++)
    _hearth_python_add_read (self, ((HearthPyCode *) g_ptr_array_index (self->todo, c))->address,
                             self->scratch->data + c * hsize, hsize, 0);
  for (guint i = 0; i < n_walks; i++)
    {
      walks[i].recheck_frame = 0;
      if (walks[i].stable)
        continue;
      _hearth_python_add_read (self, walks[i].tstate, tstates + i * tsize, tsize, 0);
      if (via_cframe && walks[i].cframe != 0)
        _hearth_python_add_read (self, walks[i].cframe + o->cframe_current_frame,
                                 &walks[i].recheck_frame, 8, 0);
      /* The chunk again: a copy taken while the thread ran may be torn. */
      if (walks[i].copy_length > 0)
        _hearth_python_add_read (self, walks[i].chunk,
                                 pool_bytes (self->copies2, i, walks[i].copy_length)->data,
                                 walks[i].copy_length, 0);
    }
  if (!_hearth_python_run_reads (self))
    return FALSE;

  for (guint c = 0; c < n_codes; c++)
    if (_hearth_python_read_complete (self, c))
      _hearth_python_take_code_header (self, g_ptr_array_index (self->todo, c), self->scratch->data + c * hsize, now);

  for (guint i = 0, r = n_codes; i < n_walks; i++)
    {
      HearthPyWalk *w = &walks[i];
      gboolean ok;

      if (w->stable)
        continue;
      ok = _hearth_python_read_complete (self, r++);
      if (via_cframe && w->cframe != 0)
        ok = _hearth_python_read_complete (self, r++) && ok;
      if (w->copy_length > 0)
        ok = _hearth_python_read_complete (self, r++) && ok;
      if (!ok)
        w->changed = TRUE;
      else
        check_moved (self, w, tstates + i * tsize, g_ptr_array_index (self->raw_arrays, i),
                     w->copy_length > 0 ? ((GByteArray *) g_ptr_array_index (self->copies2, i))->data : NULL);
    }
  return TRUE;
}

static GArray *
thread_frames (HearthPython *self,
               guint         index)
{
  while (self->frame_arrays->len <= index)
    g_ptr_array_add (self->frame_arrays, g_array_new (FALSE, TRUE, sizeof (HearthPyFrame)));
  return g_ptr_array_index (self->frame_arrays, index);
}

/* Phase 5: turn raw frames into HearthPyFrames of each walk's thread. */
static void
emit_frames (HearthPython *self,
             HearthPyWalk *walks,
             guint         n_walks)
{
  for (guint i = 0; i < n_walks; i++)
    {
      HearthPyWalk *w = &walks[i];
      HearthPyThread *thread = &g_array_index (self->threads, HearthPyThread, w->index);
      GArray *raw = g_ptr_array_index (self->raw_arrays, i);

      g_array_set_size (thread->frames, 0);
      thread->partial = FALSE;
      for (guint f = 0; f < raw->len; f++)
        {
          const RawFrame *r = &g_array_index (raw, RawFrame, f);
          HearthPyCode *code = g_hash_table_lookup (self->codes, &r->code);
          HearthPyFrame frame = { 0 };

          if (code == NULL || !code->valid || !code->loaded)
            {
              w->failed = TRUE;
              continue;
            }
          frame.frame.name = code->qualname;
          frame.frame.module = code->filename;
          frame.frame.file = code->filename;
          frame.frame.line = _hearth_python_code_line (self, code, r->instr);
          frame.frame.function_line = code->firstlineno > 0 ? (guint32) code->firstlineno : 0;
          frame.frame.kind = HEARTH_FRAME_KIND_PYTHON;
          frame.is_entry = r->is_entry;
          g_array_append_val (thread->frames, frame);
        }
      self->stats.frames += thread->frames->len;
    }
}

static void
remember_chains (HearthPython *self,
                 HearthPyWalk *walks,
                 guint         n_walks)
{
  for (guint i = 0; i < n_walks; i++)
    {
      const HearthPyWalk *w = &walks[i];
      GArray *raw = g_ptr_array_index (self->raw_arrays, i);
      PrevChain *prev;

      if (w->failed || w->changed)
        {
          g_hash_table_remove (self->chains, &w->tstate);
          continue;
        }
      prev = g_hash_table_lookup (self->chains, &w->tstate);
      if (prev == NULL)
        {
          prev = g_new0 (PrevChain, 1);
          prev->tstate = w->tstate;
          prev->links = g_array_new (FALSE, FALSE, sizeof (ChainLink));
          prev->copy = g_byte_array_new ();
          g_hash_table_insert (self->chains, &prev->tstate, prev);
        }
      prev->cframe = w->cframe;
      prev->current_frame = w->current_frame;
      prev->chunk = w->chunk;
      prev->top = w->top;
      prev->pure = w->outside == 0;
      if (!w->stable)
        {
          g_byte_array_set_size (prev->copy, 0);
          if (w->copy_length > 0)
            g_byte_array_append (prev->copy, w->copy, w->copy_length);
        }
      g_array_set_size (prev->links, raw->len);
      for (guint f = 0; f < raw->len; f++)
        {
          const RawFrame *r = &g_array_index (raw, RawFrame, raw->len - 1 - f);

          g_array_index (prev->links, ChainLink, f) = (ChainLink) { r->frame, r->code, r->func };
        }
    }
}

static gboolean
read_pass (HearthPython *self,
           HearthPyWalk *walks,
           guint         n_walks)
{
  self->n_passes++;
  self->stats.threads += n_walks;
  for (guint i = 0; i < n_walks; i++)
    walks[i].failed = walks[i].changed = FALSE;

  if (!copy_chunks (self, walks, n_walks) ||
      !walk_frames (self, walks, n_walks) ||
      !check_codes (self, walks, n_walks) ||
      !_hearth_python_load_codes (self))
    return FALSE;
  emit_frames (self, walks, n_walks);
  remember_chains (self, walks, n_walks);
  return TRUE;
}

/* Read the chains of walks; threads whose chain moved are read again, and
 * marked partial if they move again. */
static gboolean
read_chains (HearthPython  *self,
             HearthPyWalk  *walks,
             guint          n_walks,
             GError       **error)
{
  if (!read_pass (self, walks, n_walks))
    return _hearth_python_set_read_error (self, error);

  g_array_set_size (self->retry_walks, 0);
  for (guint i = 0; i < n_walks; i++)
    if (walks[i].changed || walks[i].failed)
      g_array_append_val (self->retry_walks, walks[i]);
  if (self->retry_walks->len == 0)
    return TRUE;

  self->stats.retries += self->retry_walks->len;
  if (!read_pass (self, (HearthPyWalk *) (gpointer) self->retry_walks->data, self->retry_walks->len))
    return _hearth_python_set_read_error (self, error);

  for (guint i = 0; i < self->retry_walks->len; i++)
    {
      HearthPyWalk *w = &g_array_index (self->retry_walks, HearthPyWalk, i);

      if (w->changed || w->failed)
        {
          g_array_index (self->threads, HearthPyThread, w->index).partial = TRUE;
          self->stats.partial++;
        }
    }
  return TRUE;
}

/* Drop the remembered frames of thread states that are gone. */
static void
forget_gone_chains (HearthPython *self)
{
  GHashTableIter iter;
  PrevChain *prev;

  if (g_hash_table_size (self->chains) <= self->walks->len)
    return;
  g_hash_table_iter_init (&iter, self->chains);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &prev))
    {
      gboolean alive = FALSE;

      for (guint i = 0; i < self->walks->len && !alive; i++)
        alive = g_array_index (self->walks, HearthPyWalk, i).tstate == prev->tstate;
      if (!alive)
        g_hash_table_iter_remove (&iter);
    }
}

/* --- public API ------------------------------------------------------------ */

GArray *
hearth_python_sample (HearthPython  *self,
                      GError       **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->stats.samples++;
  if (!_hearth_python_load_thread_states (self, error))
    return NULL;
  forget_gone_chains (self);

  g_array_set_size (self->threads, self->walks->len);
  for (guint i = 0; i < self->walks->len; i++)
    {
      HearthPyWalk *w = &g_array_index (self->walks, HearthPyWalk, i);
      HearthPyThread *thread = &g_array_index (self->threads, HearthPyThread, i);

      w->index = i;
      thread->tid = w->tid;
      thread->frames = thread_frames (self, i);
      thread->partial = FALSE;
    }

  if (self->walks->len > 0 &&
      !read_chains (self, (HearthPyWalk *) (gpointer) self->walks->data, self->walks->len, error))
    return NULL;
  return self->threads;
}

const HearthPyThread *
hearth_python_find_thread (HearthPython *self,
                           gint32        tid)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->threads->len; i++)
    {
      const HearthPyThread *thread = &g_array_index (self->threads, HearthPyThread, i);

      if (thread->tid == tid)
        return thread;
    }
  return NULL;
}

static HearthPyWalk *
find_walk (HearthPython *self,
           gint32        tid)
{
  for (guint i = 0; i < self->walks->len; i++)
    if (g_array_index (self->walks, HearthPyWalk, i).tid == tid)
      return &g_array_index (self->walks, HearthPyWalk, i);
  return NULL;
}

const HearthPyThread *
hearth_python_sample_thread (HearthPython  *self,
                             gint32         tid,
                             GError       **error)
{
  gsize tsize;
  g_autofree guint8 *tbuf = NULL;
  HearthPyWalk *cached;
  HearthPyWalk w = { 0 };
  HearthPyThread *thread = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->stats.samples++;
  tsize = _hearth_python_tstate_size (&self->offsets);
  tbuf = g_malloc (tsize);

  /* The cached thread state of tid, if it still belongs to tid. */
  cached = find_walk (self, tid);
  if (cached != NULL && _hearth_python_read (self, cached->tstate, tbuf, tsize))
    _hearth_python_walk_from_tstate (self, &w, cached->tstate, tbuf);
  if (w.tid != tid)
    {
      if (!_hearth_python_load_thread_states (self, error))
        return NULL;
      cached = find_walk (self, tid);
      if (cached == NULL)
        return NULL;
      w = *cached;
    }

  for (guint i = 0; i < self->threads->len && thread == NULL; i++)
    if (g_array_index (self->threads, HearthPyThread, i).tid == tid)
      thread = &g_array_index (self->threads, HearthPyThread, i);
  if (thread == NULL)
    {
      HearthPyThread t = { tid, thread_frames (self, self->threads->len), FALSE };

      g_array_append_val (self->threads, t);
      thread = &g_array_index (self->threads, HearthPyThread, self->threads->len - 1);
    }
  w.index = (guint) (thread - (HearthPyThread *) (gpointer) self->threads->data);

  if (!read_chains (self, &w, 1, error))
    return NULL;
  return thread;
}
