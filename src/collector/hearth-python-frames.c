/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/uio.h>

#include <glib/gi18n.h>

#include "hearth-python-private.h"

/*
 * Reading the Python stacks of every thread with process_vm_readv only.
 * The reads of one sample are batched into a few syscalls, whatever the
 * number of threads and frames:
 *
 *   1. the interpreter and thread-state chain (cached; one read checks it),
 *   2. each thread's current frame and the used part of its current
 *      data-stack chunk, where the frames live,
 *   3. frames outside the copied chunk (3.12+ C-stack shims, generators,
 *      older chunks), one round per level, all threads together,
 *   4. the headers of the code objects met, which validates the cache,
 *      plus a re-read of each thread's current frame to detect a chain
 *      that changed while we read it,
 *   5. names, file names and line tables of code objects not cached yet.
 *
 * A thread whose chain changed is read once more; if it changes again the
 * thread is marked partial.
 */

#define MAX_IOV          256
#define QUALNAME_GUESS   96
#define FILENAME_GUESS   160
#define LINETABLE_GUESS  256

/* A cached code object whose frame stayed in place since the previous
 * sample is trusted without a read for this long. */
#define REVALIDATE_US    (500 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  guint64  frame;
  guint64  code;
  guint64  instr;
  gboolean is_entry;
} RawFrame;

typedef struct
{
  guint64 frame;
  guint64 code;
} ChainLink;

/* The frames of one thread state in its previous good read, root first. */
typedef struct
{
  guint64  tstate;
  GArray  *links;                /* ChainLink */
} PrevChain;

typedef struct
{
  HearthPyCode *code;
  guint         slot;            /* in the string scratch buffer */
  gsize         qualname_off;
  gsize         filename_off;
  gsize         linetable_off;
} CodeLoad;

static inline guint64
get_u64 (const guint8 *p,
         gsize         off)
{
  guint64 v;

  memcpy (&v, p + off, sizeof v);
  return v;
}

static inline gint64
get_i64 (const guint8 *p,
         gsize         off)
{
  gint64 v;

  memcpy (&v, p + off, sizeof v);
  return v;
}

static inline guint32
get_u32 (const guint8 *p,
         gsize         off)
{
  guint32 v;

  memcpy (&v, p + off, sizeof v);
  return v;
}

static gsize
tstate_read_size (const HearthPyOffsets *o)
{
  gsize m = MAX (o->tstate_next, o->tstate_native_thread_id);

  m = MAX (m, o->tstate_datastack_chunk);
  m = MAX (m, o->tstate_datastack_top);
  if (o->tstate_cframe != HEARTH_PY_NO_OFFSET)
    m = MAX (m, o->tstate_cframe);
  if (o->tstate_current_frame != HEARTH_PY_NO_OFFSET)
    m = MAX (m, o->tstate_current_frame);
  return m + 8;
}

static gsize
interp_read_size (const HearthPyOffsets *o)
{
  return MAX (o->interp_next, o->interp_threads_head) + 8;
}

static gsize
code_header_size (const HearthPyOffsets *o)
{
  gsize m = MAX (o->code_filename, o->code_qualname);

  m = MAX (m, o->code_linetable);
  m = MAX (m, o->code_firstlineno);
  m = MAX (m, o->object_type);
  return m + 8;
}

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
  g_free (chain);
}

static void
code_free (gpointer data)
{
  HearthPyCode *code = data;

  g_free (code->linetable);
  g_free (code);
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
  self->scratch = g_byte_array_new ();
  self->scratch2 = g_byte_array_new ();
  self->reads = g_array_new (FALSE, TRUE, sizeof (HearthPyRead));
  self->codes = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, code_free);
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
  g_clear_pointer (&self->scratch, g_byte_array_unref);
  g_clear_pointer (&self->scratch2, g_byte_array_unref);
  g_clear_pointer (&self->reads, g_array_unref);
  g_clear_pointer (&self->codes, g_hash_table_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->chains, g_hash_table_unref);
}

/* --- reading memory --------------------------------------------------------- */

static gboolean
read_one (HearthPython *self,
          HearthPyRead *r,
          gsize         length)
{
  struct iovec local = { r->local, length };
  struct iovec remote = { GSIZE_TO_POINTER (r->remote), length };
  gssize n;

  self->stats.syscalls++;
  n = process_vm_readv (self->pid, &local, 1, &remote, 1, 0);
  if (n < 0)
    return errno != ESRCH && errno != EPERM;
  r->done = (gsize) n;
  return TRUE;
}

/* Read units with as few syscalls as the iovec limit allows. Returns
 * FALSE only when the process is gone or forbids reading (errno set);
 * units that fault just leave done short. */
static gboolean
read_units (HearthPython *self,
            HearthPyRead *reads,
            guint         n_reads)
{
  struct iovec local[MAX_IOV];
  struct iovec remote[MAX_IOV];
  guint i = 0;

  while (i < n_reads)
    {
      guint batch = MIN (n_reads - i, MAX_IOV);
      gssize n;
      guint k;

      for (k = 0; k < batch; k++)
        {
          local[k].iov_base = reads[i + k].local;
          local[k].iov_len = reads[i + k].length;
          remote[k].iov_base = GSIZE_TO_POINTER (reads[i + k].remote);
          remote[k].iov_len = reads[i + k].length;
        }

      self->stats.syscalls++;
      n = process_vm_readv (self->pid, local, batch, remote, batch, 0);
      if (n < 0)
        {
          if (errno == ESRCH || errno == EPERM)
            return FALSE;
          n = 0;
        }

      /* Mark what completed; the first short element faulted and the
       * kernel stopped there. */
      for (k = 0; k < batch; k++)
        {
          HearthPyRead *r = &reads[i + k];

          if ((gsize) n < r->length)
            {
              r->done = (gsize) n;
              break;
            }
          r->done = r->length;
          n -= r->length;
        }
      if (k == batch)
        {
          i += batch;
          continue;
        }

      /* A speculative read past the end of a mapping: retry it short. */
      if (reads[i + k].min_length > 0 && reads[i + k].done < reads[i + k].min_length)
        {
          if (!read_one (self, &reads[i + k], reads[i + k].min_length))
            return FALSE;
        }
      i += k + 1;
    }

  return TRUE;
}

gboolean
_hearth_python_read_batch (HearthPython *self,
                           HearthPyRead *reads,
                           guint         n_reads)
{
  for (guint k = 0; k < n_reads; k++)
    reads[k].done = 0;
  return read_units (self, reads, n_reads);
}

gboolean
_hearth_python_read (HearthPython *self,
                     guint64       remote,
                     gpointer      local,
                     gsize         length)
{
  HearthPyRead r = { remote, local, length, 0, 0 };

  return _hearth_python_read_batch (self, &r, 1) && r.done == length;
}

static void
add_read (HearthPython *self,
          guint64       remote,
          gpointer      local,
          gsize         length,
          gsize         min_length)
{
  HearthPyRead r = { remote, local, length, min_length, 0 };

  g_array_append_val (self->reads, r);
}

static gboolean
run_reads (HearthPython *self)
{
  return _hearth_python_read_batch (self, (HearthPyRead *) (gpointer) self->reads->data,
                                    self->reads->len);
}

static gboolean
read_complete (HearthPython *self,
               guint         index)
{
  const HearthPyRead *r = &g_array_index (self->reads, HearthPyRead, index);

  return r->done == r->length;
}

static gboolean
set_read_error (HearthPython  *self,
                GError       **error)
{
  int errsv = errno;

  g_set_error (error, HEARTH_PYTHON_ERROR, HEARTH_PYTHON_ERROR_READ,
               _("Cannot read the Python thread states of process %d: %s"),
               self->pid, g_strerror (errsv));
  return FALSE;
}

/* --- thread states --------------------------------------------------------- */

static void
walk_from_tstate (HearthPython *self,
                  HearthPyWalk *w,
                  guint64       address,
                  const guint8 *t)
{
  const HearthPyOffsets *o = &self->offsets;
  guint64 tid = get_u64 (t, o->tstate_native_thread_id);

  w->tstate = address;
  w->tid = tid <= G_MAXINT32 ? (gint32) tid : 0;
  w->cframe = o->tstate_cframe != HEARTH_PY_NO_OFFSET ? get_u64 (t, o->tstate_cframe) : 0;
  w->current_frame = o->tstate_current_frame != HEARTH_PY_NO_OFFSET
                     ? get_u64 (t, o->tstate_current_frame) : 0;
  w->chunk = get_u64 (t, o->tstate_datastack_chunk);
  w->top = get_u64 (t, o->tstate_datastack_top);
}

/* Walk the interpreter and thread lists one read at a time and cache the
 * addresses; used the first time and whenever the cached chain is stale. */
static gboolean
rescan_chain (HearthPython  *self,
              GError       **error)
{
  const HearthPyOffsets *o = &self->offsets;
  gsize isize = interp_read_size (o);
  gsize tsize = tstate_read_size (o);
  g_autofree guint8 *ibuf = g_malloc (isize);
  g_autofree guint8 *tbuf = g_malloc (tsize);
  guint64 interp = 0;

  self->stats.rescans++;
  g_array_set_size (self->interps, 0);
  g_array_set_size (self->tstates, 0);
  g_array_set_size (self->tstate_interp, 0);

  if (!_hearth_python_read (self, self->runtime + o->runtime_interpreters_head, &interp, 8))
    return set_read_error (self, error);

  while (interp != 0 && self->interps->len < HEARTH_PY_MAX_INTERPRETERS)
    {
      guint index = self->interps->len;
      guint64 tstate;

      if (!_hearth_python_read (self, interp, ibuf, isize))
        return set_read_error (self, error);
      g_array_append_val (self->interps, interp);

      tstate = get_u64 (ibuf, o->interp_threads_head);
      while (tstate != 0 && self->tstates->len < HEARTH_PY_MAX_THREADS)
        {
          if (!_hearth_python_read (self, tstate, tbuf, tsize))
            return set_read_error (self, error);
          g_array_append_val (self->tstates, tstate);
          g_array_append_val (self->tstate_interp, index);
          tstate = get_u64 (tbuf, o->tstate_next);
        }
      interp = get_u64 (ibuf, o->interp_next);
    }
  return TRUE;
}

/* One batched read of the cached chain. Returns TRUE and fills buf with
 * each tstate's bytes if every link still matches the cache. */
static gboolean
read_cached_chain (HearthPython *self,
                   GByteArray   *buf,
                   gboolean     *valid)
{
  const HearthPyOffsets *o = &self->offsets;
  gsize isize = interp_read_size (o);
  gsize tsize = tstate_read_size (o);
  guint n_i = self->interps->len;
  guint n_t = self->tstates->len;
  const guint64 *interps = (const guint64 *) (gpointer) self->interps->data;
  const guint64 *tstates = (const guint64 *) (gpointer) self->tstates->data;
  const guint *owner = (const guint *) (gpointer) self->tstate_interp->data;

  *valid = FALSE;
  if (n_i == 0)
    return TRUE;

  g_byte_array_set_size (buf, 8 + n_i * isize + n_t * tsize);
  g_array_set_size (self->reads, 0);
  add_read (self, self->runtime + o->runtime_interpreters_head, buf->data, 8, 0);
  for (guint i = 0; i < n_i; i++)
    add_read (self, interps[i], buf->data + 8 + i * isize, isize, 0);
  for (guint t = 0; t < n_t; t++)
    add_read (self, tstates[t], buf->data + 8 + n_i * isize + t * tsize, tsize, 0);
  if (!run_reads (self))
    return FALSE;

  for (guint r = 0; r < self->reads->len; r++)
    if (!read_complete (self, r))
      return TRUE;

  if (get_u64 (buf->data, 0) != interps[0])
    return TRUE;
  for (guint i = 0; i < n_i; i++)
    {
      const guint8 *ib = buf->data + 8 + i * isize;
      guint64 next = i + 1 < n_i ? interps[i + 1] : 0;
      guint64 first = 0;

      for (guint t = 0; t < n_t && first == 0; t++)
        if (owner[t] == i)
          first = tstates[t];
      if (get_u64 (ib, o->interp_next) != next || get_u64 (ib, o->interp_threads_head) != first)
        return TRUE;
    }
  for (guint t = 0; t < n_t; t++)
    {
      const guint8 *tb = buf->data + 8 + n_i * isize + t * tsize;
      guint64 next = t + 1 < n_t && owner[t + 1] == owner[t] ? tstates[t + 1] : 0;

      if (get_u64 (tb, o->tstate_next) != next)
        return TRUE;
    }

  /* Keep only the tstate bytes, in order, at the start of buf. */
  memmove (buf->data, buf->data + 8 + n_i * isize, n_t * tsize);
  g_byte_array_set_size (buf, n_t * tsize);
  *valid = TRUE;
  return TRUE;
}

/* Fill self->walks with one entry per thread state bound to an OS thread. */
static gboolean
load_thread_states (HearthPython  *self,
                    GError       **error)
{
  const HearthPyOffsets *o = &self->offsets;
  gsize tsize = tstate_read_size (o);
  GByteArray *buf = self->scratch;
  gboolean valid = FALSE;

  if (!read_cached_chain (self, buf, &valid))
    return set_read_error (self, error);

  if (!valid)
    {
      GHashTableIter iter;
      PrevChain *prev;

      if (!rescan_chain (self, error))
        return FALSE;
      /* Forget the frames of thread states that are gone. */
      g_hash_table_iter_init (&iter, self->chains);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &prev))
        {
          gboolean alive = FALSE;

          for (guint t = 0; t < self->tstates->len && !alive; t++)
            alive = g_array_index (self->tstates, guint64, t) == prev->tstate;
          if (!alive)
            g_hash_table_iter_remove (&iter);
        }
      /* Read the fresh chain's states in one batch, like the cached path. */
      g_byte_array_set_size (buf, self->tstates->len * tsize);
      g_array_set_size (self->reads, 0);
      for (guint t = 0; t < self->tstates->len; t++)
        add_read (self, g_array_index (self->tstates, guint64, t), buf->data + t * tsize, tsize, 0);
      if (!run_reads (self))
        return set_read_error (self, error);
      for (guint r = 0; r < self->reads->len; r++)
        if (!read_complete (self, r))
          memset (buf->data + r * tsize, 0, tsize);
    }

  g_array_set_size (self->walks, 0);
  for (guint t = 0; t < self->tstates->len; t++)
    {
      HearthPyWalk w = { 0 };

      walk_from_tstate (self, &w, g_array_index (self->tstates, guint64, t), buf->data + t * tsize);
      if (w.tid > 0)
        g_array_append_val (self->walks, w);
    }
  return TRUE;
}

/* --- strings and line tables ---------------------------------------------- */

static gsize
put_utf8 (char    *out,
          guint32  c)
{
  if (c == 0 || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
    c = 0xfffd;
  return g_unichar_to_utf8 (c, out);
}

gboolean
_hearth_python_decode_unicode (const HearthPyOffsets *o,
                               const guint8          *object,
                               gsize                  object_length,
                               char                  *out,
                               gsize                  out_size,
                               gsize                 *needed)
{
  gint64 length;
  guint32 state;
  guint kind;
  gboolean ascii;
  gsize data_off, n, size, pos = 0;

  *needed = 0;
  if (object_length < o->unicode_ascii_data || out_size < 4 * HEARTH_PY_MAX_STRING + 8)
    return FALSE;

  length = get_i64 (object, o->unicode_length);
  state = get_u32 (object, o->unicode_state);
  kind = (state >> 2) & 7;
  ascii = (state >> 6) & 1;
  if (!((state >> 5) & 1) || length < 0)
    return FALSE;
  if (ascii ? kind != 1 : (kind != 1 && kind != 2 && kind != 4))
    return FALSE;

  n = MIN ((gsize) length, HEARTH_PY_MAX_STRING);
  data_off = ascii ? o->unicode_ascii_data : o->unicode_compact_data;
  size = data_off + n * kind;
  if (object_length < size)
    {
      *needed = size;
      return FALSE;
    }

  for (gsize i = 0; i < n; i++)
    {
      const guint8 *p = object + data_off + i * kind;
      guint32 c;

      if (kind == 1)
        c = *p;
      else if (kind == 2)
        c = (guint32) p[0] | ((guint32) p[1] << 8);
      else
        c = get_u32 (p, 0);
      if (ascii && c >= 0x80)
        c = 0xfffd;
      pos += put_utf8 (out + pos, c);
    }
  if ((gsize) length > n)
    pos += g_unichar_to_utf8 (0x2026, out + pos);
  out[pos] = '\0';
  return TRUE;
}

static guint32
scan_varint (const guint8 *t,
             gsize         len,
             gsize        *i)
{
  guint32 val, shift = 0;
  guint8 b;

  if (*i >= len)
    return 0;
  b = t[(*i)++];
  val = b & 63;
  while ((b & 64) && *i < len && shift < 24)
    {
      b = t[(*i)++];
      shift += 6;
      val |= (guint32) (b & 63) << shift;
    }
  return val;
}

static gint32
scan_svarint (const guint8 *t,
              gsize         len,
              gsize        *i)
{
  guint32 u = scan_varint (t, len, i);

  return (u & 1) ? -(gint32) (u >> 1) : (gint32) (u >> 1);
}

guint32
_hearth_python_line_for_offset (const guint8 *table,
                                gsize         length,
                                gint32        first_line,
                                gint64        offset)
{
  gint64 line = first_line;
  gint64 start = 0;
  gsize i = 0;

  if (offset < 0)
    return first_line > 0 ? (guint32) first_line : 0;

  while (i < length)
    {
      guint8 b = table[i];
      guint code = (b >> 3) & 15;
      gint64 end;
      gsize j = i + 1;

      if (!(b & 0x80))
        return 0;
      if (code == 14 || code == 13)
        line += scan_svarint (table, length, &j);
      else if (code >= 10 && code <= 12)
        line += code - 10;

      end = start + 2 * ((b & 7) + 1);
      if (offset >= start && offset < end)
        return code == 15 || line <= 0 || line > G_MAXINT32 ? 0 : (guint32) line;
      start = end;

      /* The next entry starts at the next byte with the top bit set. */
      for (i = j; i < length && !(table[i] & 0x80); i++)
        ;
    }
  return 0;
}

static guint32
code_line (HearthPython *self,
           HearthPyCode *code,
           guint64       instr)
{
  gint64 offset = (gint64) (instr - (code->address + self->offsets.code_adaptive));

  if (offset == code->last_offset)
    return code->last_line;
  code->last_offset = offset;
  code->last_line = _hearth_python_line_for_offset (code->linetable, code->linetable_length,
                                                    code->firstlineno, offset);
  return code->last_line;
}

/* --- frame chains ------------------------------------------------------------ */

/* Phase 2: each thread's current frame (3.11/3.12 keep it in the C-stack
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
              add_read (self, w->cframe + o->cframe_current_frame, &w->current_frame, 8, 0);
              kind = i << 1;
              g_array_append_val (self->pending, kind);
            }
        }
      if (w->chunk != 0 && (w->chunk & 7) == 0 && w->top > w->chunk + 24 &&
          w->top - w->chunk <= HEARTH_PY_MAX_CHUNK_COPY)
        {
          GByteArray *copy = pool_bytes (self->copies, i, w->top - w->chunk);

          add_read (self, w->chunk, copy->data, copy->len, 0);
          w->copy = copy->data;
          kind = (i << 1) | 1;
          g_array_append_val (self->pending, kind);
        }
    }

  if (self->reads->len == 0)
    return TRUE;
  if (!run_reads (self))
    return FALSE;

  for (guint r = 0; r < self->reads->len; r++)
    {
      guint kind = g_array_index (self->pending, guint, r);
      HearthPyWalk *w = &walks[kind >> 1];

      if (kind & 1)
        w->copy_length = read_complete (self, r) ? (gsize) (w->top - w->chunk) : 0;
      else if (!read_complete (self, r))
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

/* Phase 3: follow `previous` links; frames outside the copy are read in
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
    }

  g_byte_array_set_size (self->scratch2, n_walks * fsize);
  for (;;)
    {
      g_array_set_size (self->reads, 0);
      g_array_set_size (self->pending, 0);

      for (guint i = 0; i < n_walks; i++)
        {
          HearthPyWalk *w = &walks[i];
          GArray *raw = g_ptr_array_index (self->raw_arrays, i);

          while (w->next_frame != 0)
            {
              if ((w->next_frame & 7) != 0)
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
                  add_read (self, w->next_frame, self->scratch2->data + i * fsize, fsize, 0);
                  g_array_append_val (self->pending, i);
                  break;
                }
            }
        }

      if (self->reads->len == 0)
        return TRUE;
      if (!run_reads (self))
        return FALSE;

      for (guint r = 0; r < self->reads->len; r++)
        {
          guint i = g_array_index (self->pending, guint, r);
          HearthPyWalk *w = &walks[i];
          GArray *raw = g_ptr_array_index (self->raw_arrays, i);

          if (!read_complete (self, r) ||
              !take_frame (self, w, raw, w->next_frame, self->scratch2->data + i * fsize))
            {
              w->failed = TRUE;
              w->next_frame = 0;
            }
        }
    }
}

static HearthPyCode *
code_for (HearthPython *self,
          guint64       address)
{
  HearthPyCode *code = g_hash_table_lookup (self->codes, &address);

  if (code == NULL)
    {
      code = g_new0 (HearthPyCode, 1);
      code->address = address;
      g_hash_table_insert (self->codes, &code->address, code);
    }
  return code;
}

/* Phase 4: the headers of every code object met (validating the cache)
 * and a second look at each thread's state to see whether it moved. */
static gboolean
check_codes (HearthPython *self,
             HearthPyWalk *walks,
             guint         n_walks)
{
  const HearthPyOffsets *o = &self->offsets;
  gsize hsize = code_header_size (o);
  gsize tsize = tstate_read_size (o);
  gboolean via_cframe = o->tstate_cframe != HEARTH_PY_NO_OFFSET;
  guint n_codes = 0;
  guint first_recheck;
  gint64 now = g_get_monotonic_time ();

  if (g_hash_table_size (self->codes) >= HEARTH_PY_MAX_CODE_CACHE)
    g_hash_table_remove_all (self->codes);

  g_ptr_array_set_size (self->todo, 0);
  for (guint i = 0; i < n_walks; i++)
    {
      GArray *raw = g_ptr_array_index (self->raw_arrays, i);
      const RawFrame *frames = (const RawFrame *) (gpointer) raw->data;
      PrevChain *prev = g_hash_table_lookup (self->chains, &walks[i].tstate);
      guint n = raw->len;
      guint same = 0;

      /* Rootmost frames still in place since the previous sample keep
       * their code object alive, so its cached copy is still right; new
       * frames have their code object's header read again. */
      if (prev != NULL && !walks[i].failed)
        {
          const ChainLink *links = (const ChainLink *) (gpointer) prev->links->data;

          while (same < n && same < prev->links->len &&
                 frames[n - 1 - same].frame == links[same].frame &&
                 frames[n - 1 - same].code == links[same].code)
            same++;
        }

      for (guint f = 0; f < n; f++)
        {
          HearthPyCode *code = code_for (self, frames[f].code);
          gboolean in_place = n - 1 - f < same;

          if (code->checked == self->n_passes)
            continue;
          code->checked = self->n_passes;
          if (in_place && code->loaded && now - code->validated_at < REVALIDATE_US)
            {
              code->valid = TRUE;
              self->stats.code_hits++;
              continue;
            }
          code->valid = FALSE;
          g_ptr_array_add (self->todo, code);
        }
    }
  n_codes = self->todo->len;

  g_byte_array_set_size (self->scratch, n_codes * hsize + n_walks * tsize);
  g_array_set_size (self->reads, 0);
  for (guint c = 0; c < n_codes; c++)
    add_read (self, ((HearthPyCode *) g_ptr_array_index (self->todo, c))->address,
              self->scratch->data + c * hsize, hsize, 0);
  first_recheck = self->reads->len;
  for (guint i = 0; i < n_walks; i++)
    {
      walks[i].recheck_frame = 0;
      add_read (self, walks[i].tstate, self->scratch->data + n_codes * hsize + i * tsize, tsize, 0);
      if (via_cframe && walks[i].cframe != 0)
        add_read (self, walks[i].cframe + o->cframe_current_frame, &walks[i].recheck_frame, 8, 0);
    }
  if (!run_reads (self))
    return FALSE;

  for (guint c = 0; c < n_codes; c++)
    {
      HearthPyCode *code = g_ptr_array_index (self->todo, c);
      const guint8 *h = self->scratch->data + c * hsize;
      guint64 filename, qualname, linetable;
      gint32 firstlineno;

      if (!read_complete (self, c) || get_u64 (h, o->object_type) != self->code_type)
        continue;
      filename = get_u64 (h, o->code_filename);
      qualname = get_u64 (h, o->code_qualname);
      linetable = get_u64 (h, o->code_linetable);
      memcpy (&firstlineno, h + o->code_firstlineno, sizeof firstlineno);
      code->valid = TRUE;
      code->validated_at = now;

      /* Code objects are immutable: same address and same fields is the
       * same code object (a recycled address shows other fields). */
      if (code->loaded && code->filename_ptr == filename && code->qualname_ptr == qualname &&
          code->linetable_ptr == linetable && code->firstlineno == firstlineno)
        {
          self->stats.code_hits++;
          continue;
        }
      self->stats.code_misses++;
      code->loaded = FALSE;
      code->filename_ptr = filename;
      code->qualname_ptr = qualname;
      code->linetable_ptr = linetable;
      code->firstlineno = firstlineno;
      code->last_offset = G_MININT64;
    }

  /* The thread moved if its state or current frame differ from what the
   * chain was read from. */
  for (guint i = 0, r = first_recheck; i < n_walks; i++)
    {
      HearthPyWalk *w = &walks[i];
      HearthPyWalk fresh = { 0 };
      gboolean ok = read_complete (self, r++);

      if (via_cframe && w->cframe != 0)
        ok = read_complete (self, r++) && ok;
      if (!ok)
        {
          w->changed = TRUE;
          continue;
        }
      walk_from_tstate (self, &fresh, w->tstate, self->scratch->data + n_codes * hsize + i * tsize);
      if (via_cframe)
        fresh.current_frame = w->recheck_frame;
      if (fresh.tid != w->tid || fresh.cframe != w->cframe || fresh.chunk != w->chunk ||
          fresh.top != w->top || fresh.current_frame != w->current_frame)
        {
          w->changed = TRUE;
          w->cframe = fresh.cframe;
          w->chunk = fresh.chunk;
          w->top = fresh.top;
          w->current_frame = fresh.current_frame;
        }
    }
  return TRUE;
}

typedef struct
{
  HearthPyCode *code;
  guint64       remote;
  gboolean      is_bytes;
  guint8       *buf;
  gsize         size;
  gsize         done;
  gsize         need;
  const char  **string_out;
} Fetch;

static void
fetch_clear (gpointer data)
{
  g_free (((Fetch *) data)->buf);
}

static void
fetch_add (GArray        *fetches,
           HearthPyCode  *code,
           guint64        remote,
           gboolean       is_bytes,
           gsize          size,
           const char   **string_out)
{
  Fetch f = { code, remote, is_bytes, g_malloc (size), size, 0, 0, string_out };

  g_array_append_val (fetches, f);
}

static gboolean
fetch_batch (HearthPython *self,
             GArray       *fetches,
             gsize         min_length,
             gboolean      only_short)
{
  g_array_set_size (self->reads, 0);
  g_array_set_size (self->pending, 0);
  for (guint i = 0; i < fetches->len; i++)
    {
      Fetch *f = &g_array_index (fetches, Fetch, i);

      if (only_short && f->need <= f->done)
        continue;
      if (only_short)
        {
          f->buf = g_realloc (f->buf, f->need);
          f->size = f->need;
        }
      add_read (self, f->remote, f->buf, f->size, only_short ? 0 : min_length);
      g_array_append_val (self->pending, i);
    }
  if (self->reads->len == 0)
    return TRUE;
  if (!run_reads (self))
    return FALSE;
  for (guint r = 0; r < self->reads->len; r++)
    {
      Fetch *f = &g_array_index (fetches, Fetch, g_array_index (self->pending, guint, r));

      f->done = g_array_index (self->reads, HearthPyRead, r).done;
    }
  return TRUE;
}

/* Decide whether f holds its whole object; sets f->need when it is longer
 * than what was read. Returns FALSE for something that is not a str/bytes. */
static gboolean
fetch_check (HearthPython *self,
             Fetch        *f,
             char         *text,
             gsize         text_size)
{
  const HearthPyOffsets *o = &self->offsets;
  guint64 type;

  f->need = 0;
  if (f->done < o->object_type + 8)
    return FALSE;
  type = get_u64 (f->buf, o->object_type);

  if (f->is_bytes)
    {
      gint64 size;

      if (type != self->bytes_type || f->done < o->bytes_data)
        return FALSE;
      size = get_i64 (f->buf, o->bytes_size);
      if (size < 0 || size > HEARTH_PY_MAX_LINETABLE)
        return FALSE;
      f->need = o->bytes_data + (gsize) size;
      return TRUE;
    }

  if (type != self->unicode_type)
    return FALSE;
  if (_hearth_python_decode_unicode (o, f->buf, f->done, text, text_size, &f->need))
    {
      f->need = f->done;
      return TRUE;
    }
  return f->need > 0;
}

/* Phase 5: names, file names and line tables of the code objects that
 * are not in the cache yet. Two batched reads at most: a guess of each
 * object's size, then the exact size of the longer ones. */
static gboolean
load_codes (HearthPython *self)
{
  const HearthPyOffsets *o = &self->offsets;
  g_autoptr(GArray) fetches = g_array_new (FALSE, FALSE, sizeof (Fetch));
  gsize text_size = 4 * HEARTH_PY_MAX_STRING + 8;
  g_autofree char *text = g_malloc (text_size);
  gsize header = MAX (o->unicode_compact_data, o->bytes_data);

  g_array_set_clear_func (fetches, fetch_clear);
  for (guint c = 0; c < self->todo->len; c++)
    {
      HearthPyCode *code = g_ptr_array_index (self->todo, c);

      if (!code->valid || code->loaded)
        continue;
      g_clear_pointer (&code->linetable, g_free);
      code->linetable_length = 0;
      code->qualname = "<unknown>";
      code->filename = "";
      fetch_add (fetches, code, code->qualname_ptr, FALSE, o->unicode_compact_data + QUALNAME_GUESS,
                 &code->qualname);
      fetch_add (fetches, code, code->filename_ptr, FALSE, o->unicode_compact_data + FILENAME_GUESS,
                 &code->filename);
      fetch_add (fetches, code, code->linetable_ptr, TRUE, o->bytes_data + LINETABLE_GUESS, NULL);
    }
  if (fetches->len == 0)
    return TRUE;

  if (!fetch_batch (self, fetches, header, FALSE))
    return FALSE;
  for (guint i = 0; i < fetches->len; i++)
    {
      Fetch *f = &g_array_index (fetches, Fetch, i);

      if (!fetch_check (self, f, text, text_size))
        f->need = 0;
    }
  if (!fetch_batch (self, fetches, 0, TRUE))
    return FALSE;

  for (guint i = 0; i < fetches->len; i++)
    {
      Fetch *f = &g_array_index (fetches, Fetch, i);

      if (f->need == 0 || f->done < f->need || !fetch_check (self, f, text, text_size) ||
          f->done < f->need)
        continue;
      if (f->is_bytes)
        {
          f->code->linetable_length = f->need - o->bytes_data;
          f->code->linetable = g_memdup2 (f->buf + o->bytes_data, f->code->linetable_length);
        }
      else
        *f->string_out = g_string_chunk_insert_const (self->strings, text);
    }

  for (guint c = 0; c < self->todo->len; c++)
    {
      HearthPyCode *code = g_ptr_array_index (self->todo, c);

      if (code->valid)
        code->loaded = TRUE;
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

/* Phase 6: turn raw frames into HearthPyFrames of each walk's thread. */
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
          frame.frame.line = code_line (self, code, r->instr);
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
          g_hash_table_insert (self->chains, &prev->tstate, prev);
        }
      g_array_set_size (prev->links, raw->len);
      for (guint f = 0; f < raw->len; f++)
        {
          const RawFrame *r = &g_array_index (raw, RawFrame, raw->len - 1 - f);

          g_array_index (prev->links, ChainLink, f) = (ChainLink) { r->frame, r->code };
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
      !load_codes (self))
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
    return set_read_error (self, error);

  g_array_set_size (self->retry_walks, 0);
  for (guint i = 0; i < n_walks; i++)
    if (walks[i].changed || walks[i].failed)
      g_array_append_val (self->retry_walks, walks[i]);
  if (self->retry_walks->len == 0)
    return TRUE;

  self->stats.retries += self->retry_walks->len;
  if (!read_pass (self, (HearthPyWalk *) (gpointer) self->retry_walks->data, self->retry_walks->len))
    return set_read_error (self, error);

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

/* --- public API ------------------------------------------------------------ */

GArray *
hearth_python_sample (HearthPython  *self,
                      GError       **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->stats.samples++;
  if (!load_thread_states (self, error))
    return NULL;

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
  tsize = tstate_read_size (&self->offsets);
  tbuf = g_malloc (tsize);

  /* The cached thread state of tid, if it still belongs to tid. */
  cached = find_walk (self, tid);
  if (cached != NULL && _hearth_python_read (self, cached->tstate, tbuf, tsize))
    walk_from_tstate (self, &w, cached->tstate, tbuf);
  if (w.tid != tid)
    {
      if (!load_thread_states (self, error))
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
