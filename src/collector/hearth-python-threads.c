/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "hearth-python-private.h"

/*
 * Reading the target's memory (batched process_vm_readv) and its
 * interpreter and thread-state lists, whose addresses are cached and
 * checked with one batched read per sample.
 */

#define MAX_IOV 256

/* --- reading memory -------------------------------------------------------- */

/* Run reads with as few process_vm_readv calls as the iovec limit allows.
 * Returns FALSE only when the process is gone or forbids reading (errno
 * set); a read that faults just leaves its done short. */
gboolean
_hearth_python_read_batch (HearthPython *self,
                           HearthPyRead *reads,
                           guint         n_reads)
{
  struct iovec local[MAX_IOV];
  struct iovec remote[MAX_IOV];
  guint i = 0;

  for (guint k = 0; k < n_reads; k++)
    reads[k].done = 0;

  while (i < n_reads)
    {
      guint batch = MIN (n_reads - i, MAX_IOV);
      gssize n;
      guint k;

      for (k = 0; k < batch; k++)
        {
          local[k] = (struct iovec) { reads[i + k].local, reads[i + k].length };
          remote[k] = (struct iovec) { GSIZE_TO_POINTER (reads[i + k].remote), reads[i + k].length };
        }
      self->stats.syscalls++;
      n = process_vm_readv (self->pid, local, batch, remote, batch, 0);
      if (n < 0 && (errno == ESRCH || errno == EPERM))
        return FALSE;
      n = MAX (n, 0);

      /* The kernel stops at the first element that faults. */
      for (k = 0; k < batch && (gsize) n >= reads[i + k].length; k++)
        {
          reads[i + k].done = reads[i + k].length;
          n -= reads[i + k].length;
        }
      if (k < batch)
        {
          HearthPyRead *r = &reads[i + k];

          r->done = (gsize) n;
          /* A speculative read past the end of a mapping: retry it short. */
          if (r->min_length > 0 && r->done < r->min_length)
            {
              HearthPyRead shorter = *r;

              shorter.length = r->min_length;
              shorter.min_length = 0;
              if (!_hearth_python_read_batch (self, &shorter, 1))
                return FALSE;
              r->done = shorter.done;
            }
          batch = k + 1;
        }
      i += batch;
    }
  return TRUE;
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

static gsize
interp_read_size (const HearthPyOffsets *o)
{
  return MAX (o->interp_next, o->interp_threads_head) + 8;
}

void
_hearth_python_add_read (HearthPython *self,
                         guint64       remote,
                         gpointer      local,
                         gsize         length,
                         gsize         min_length)
{
  HearthPyRead r = { remote, local, length, min_length, 0 };

  g_array_append_val (self->reads, r);
}

gboolean
_hearth_python_run_reads (HearthPython *self)
{
  return _hearth_python_read_batch (self, (HearthPyRead *) (gpointer) self->reads->data,
                                    self->reads->len);
}

gboolean
_hearth_python_read_complete (HearthPython *self,
                              guint         index)
{
  const HearthPyRead *r = &g_array_index (self->reads, HearthPyRead, index);

  return r->done == r->length;
}

/* --- thread states --------------------------------------------------------- */

void
_hearth_python_walk_from_tstate (HearthPython *self,
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

/* Walk the interpreter and thread lists one read at a time, caching the
 * addresses and keeping each tstate's bytes in buf; used the first time
 * and whenever the cached chain is stale. */
static gboolean
rescan_chain (HearthPython  *self,
              GByteArray    *buf,
              GError       **error)
{
  const HearthPyOffsets *o = &self->offsets;
  gsize isize = interp_read_size (o);
  gsize tsize = _hearth_python_tstate_size (o);
  g_autofree guint8 *ibuf = g_malloc (isize);
  /* Lists that loop back (a corrupt or hostile target) end at the first
   * address seen twice. */
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  guint64 interp = 0;

  self->stats.rescans++;
  g_array_set_size (self->interps, 0);
  g_array_set_size (self->tstates, 0);
  g_array_set_size (self->tstate_interp, 0);
  g_byte_array_set_size (buf, 0);

  if (!_hearth_python_read (self, self->runtime + o->runtime_interpreters_head, &interp, 8))
    return _hearth_python_set_read_error (self, error);

  while (interp != 0 && self->interps->len < HEARTH_PY_MAX_INTERPRETERS &&
         !g_hash_table_contains (seen, GSIZE_TO_POINTER (interp)))
    {
      guint index = self->interps->len;
      guint64 tstate;

      /* The main interpreter must be readable; a broken link further on
       * (a thread state being freed) just ends the list. */
      if (!_hearth_python_read (self, interp, ibuf, isize))
        {
          if (index == 0)
            return _hearth_python_set_read_error (self, error);
          break;
        }
      g_array_append_val (self->interps, interp);
      g_hash_table_add (seen, GSIZE_TO_POINTER (interp));

      tstate = get_u64 (ibuf, o->interp_threads_head);
      while (tstate != 0 && self->tstates->len < HEARTH_PY_MAX_THREADS &&
             !g_hash_table_contains (seen, GSIZE_TO_POINTER (tstate)))
        {
          guint8 *tbuf;

          g_byte_array_set_size (buf, buf->len + tsize);
          tbuf = buf->data + buf->len - tsize;
          if (!_hearth_python_read (self, tstate, tbuf, tsize))
            {
              g_byte_array_set_size (buf, buf->len - tsize);
              break;
            }
          g_array_append_val (self->tstates, tstate);
          g_array_append_val (self->tstate_interp, index);
          g_hash_table_add (seen, GSIZE_TO_POINTER (tstate));
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
  gsize tsize = _hearth_python_tstate_size (o);
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
  _hearth_python_add_read (self, self->runtime + o->runtime_interpreters_head, buf->data, 8, 0);
  for (guint i = 0; i < n_i; i++)
    _hearth_python_add_read (self, interps[i], buf->data + 8 + i * isize, isize, 0);
  for (guint t = 0; t < n_t; t++)
    _hearth_python_add_read (self, tstates[t], buf->data + 8 + n_i * isize + t * tsize, tsize, 0);
  if (!_hearth_python_run_reads (self))
    return FALSE;

  for (guint r = 0; r < self->reads->len; r++)
    if (!_hearth_python_read_complete (self, r))
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
gboolean
_hearth_python_load_thread_states (HearthPython  *self,
                                   GError       **error)
{
  const HearthPyOffsets *o = &self->offsets;
  gsize tsize = _hearth_python_tstate_size (o);
  GByteArray *buf = self->scratch;
  gboolean valid = FALSE;

  if (!read_cached_chain (self, buf, &valid))
    return _hearth_python_set_read_error (self, error);

  if (!valid)
    {
      if (!rescan_chain (self, buf, error))
        return FALSE;
    }

  g_array_set_size (self->walks, 0);
  for (guint t = 0; t < self->tstates->len; t++)
    {
      HearthPyWalk w = { 0 };

      _hearth_python_walk_from_tstate (self, &w, g_array_index (self->tstates, guint64, t), buf->data + t * tsize);
      if (w.tid > 0)
        g_array_append_val (self->walks, w);
    }
  return TRUE;
}

