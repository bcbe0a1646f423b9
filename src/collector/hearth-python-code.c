/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-python-private.h"

/*
 * Code objects: the cache of qualified names, file names and location
 * tables by code-object address, how it is validated (a code object is
 * immutable, but its address is reused once it is freed), and decoding
 * the str objects and location tables read from the target.
 */

#define QUALNAME_GUESS   96
#define FILENAME_GUESS   160
#define LINETABLE_GUESS  256

/* A cached code object whose frame stayed in place since the previous
 * sample (same frame address, code and function object) is trusted
 * without a read for this long. The frame holds a reference to its code
 * object; only a frame popped and pushed again at the same address, with
 * a new code object and a new function at the addresses of freed ones,
 * can fool this, and then for at most this long. */
#define REVALIDATE_US    (250 * G_TIME_SPAN_MILLISECOND)

gsize
_hearth_python_code_header_size (const HearthPyOffsets *o)
{
  gsize m = MAX (o->code_filename, o->code_qualname);

  m = MAX (m, o->code_linetable);
  m = MAX (m, o->code_firstlineno);
  m = MAX (m, o->object_type);
  return m + 8;
}

void
_hearth_python_code_free (gpointer data)
{
  HearthPyCode *code = data;

  g_free (code->linetable);
  g_free (code);
}

guint32
_hearth_python_code_line (HearthPython *self,
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

/* Which code objects of this pass need their header read: new ones, and
 * those of frames that are not where they were in the previous sample
 * (or not re-read for REVALIDATE_US). Fills self->todo. */
void
_hearth_python_schedule_code_checks (HearthPython *self,
                                     HearthPyWalk *walks,
                                     guint         n_walks,
                                     gint64        now)
{
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
       * their code object alive, so its cached copy is still right. */
      if (prev != NULL && !walks[i].failed)
        {
          const ChainLink *links = (const ChainLink *) (gpointer) prev->links->data;

          while (same < n && same < prev->links->len &&
                 frames[n - 1 - same].frame == links[same].frame &&
                 frames[n - 1 - same].code == links[same].code &&
                 frames[n - 1 - same].func == links[same].func)
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
}

/* Compare a freshly read code-object header with the cache entry; a
 * recycled address shows other fields, and the entry is reloaded. */
void
_hearth_python_take_code_header (HearthPython *self,
                                 HearthPyCode *code,
                                 const guint8 *h,
                                 gint64        now)
{
  const HearthPyOffsets *o = &self->offsets;
  guint64 filename, qualname, linetable;
  gint32 firstlineno;

  if (get_u64 (h, o->object_type) != self->code_type)
    return;
  filename = get_u64 (h, o->code_filename);
  qualname = get_u64 (h, o->code_qualname);
  linetable = get_u64 (h, o->code_linetable);
  memcpy (&firstlineno, h + o->code_firstlineno, sizeof firstlineno);
  code->valid = TRUE;
  code->validated_at = now;

  if (code->loaded && code->filename_ptr == filename && code->qualname_ptr == qualname &&
      code->linetable_ptr == linetable && code->firstlineno == firstlineno)
    {
      self->stats.code_hits++;
      return;
    }
  self->stats.code_misses++;
  code->loaded = FALSE;
  code->filename_ptr = filename;
  code->qualname_ptr = qualname;
  code->linetable_ptr = linetable;
  code->firstlineno = firstlineno;
  code->last_offset = G_MININT64;
}

/* How much of a str (is_bytes FALSE) or bytes object at buf is needed:
 * 0 if it is not one, more than done if it is longer than what was read.
 * A complete str is decoded into text. */
static gsize
object_need (HearthPython *self,
             gboolean      is_bytes,
             const guint8 *buf,
             gsize         done,
             char         *text,
             gsize         text_size)
{
  const HearthPyOffsets *o = &self->offsets;
  gsize need = 0;

  if (done < o->object_type + 8)
    return 0;
  if (is_bytes)
    {
      gint64 size;

      if (get_u64 (buf, o->object_type) != self->bytes_type || done < o->bytes_data)
        return 0;
      size = get_i64 (buf, o->bytes_size);
      return size >= 0 && size <= HEARTH_PY_MAX_LINETABLE ? o->bytes_data + (gsize) size : 0;
    }
  if (get_u64 (buf, o->object_type) != self->unicode_type)
    return 0;
  if (_hearth_python_decode_unicode (o, buf, done, text, text_size, &need))
    return done;
  return need;
}

/* Finish one field of a code object from its first (guessed) read,
 * re-reading it whole when it is longer than the guess. */
static void
load_field (HearthPython *self,
            HearthPyCode *code,
            guint         field,
            const guint8 *buf,
            gsize         done,
            char         *text,
            gsize         text_size)
{
  const HearthPyOffsets *o = &self->offsets;
  g_autofree guint8 *whole = NULL;
  guint64 remote = field == 0 ? code->qualname_ptr : field == 1 ? code->filename_ptr
                                                                : code->linetable_ptr;
  gsize need = object_need (self, field == 2, buf, done, text, text_size);

  if (need > done)
    {
      whole = g_malloc (need);
      if (!_hearth_python_read (self, remote, whole, need))
        return;
      buf = whole;
      done = need;
      need = object_need (self, field == 2, buf, done, text, text_size);
    }
  if (need == 0 || need > done)
    return;

  if (field == 2)
    {
      code->linetable_length = need - o->bytes_data;
      code->linetable = g_memdup2 (buf + o->bytes_data, code->linetable_length);
    }
  else if (field == 0)
    code->qualname = g_string_chunk_insert_const (self->strings, text);
  else
    code->filename = g_string_chunk_insert_const (self->strings, text);
}

/* Qualified names, file names and line tables of the code objects
 * not in the cache yet: one batched read of a guess of each object's size,
 * then single reads for the few longer ones. */
gboolean
_hearth_python_load_codes (HearthPython *self)
{
  const HearthPyOffsets *o = &self->offsets;
  const gsize guess[3] = {
    o->unicode_compact_data + QUALNAME_GUESS,
    o->unicode_compact_data + FILENAME_GUESS,
    o->bytes_data + LINETABLE_GUESS,
  };
  gsize stride = guess[0] + guess[1] + guess[2];
  gsize text_size = 4 * HEARTH_PY_MAX_STRING + 8;
  g_autofree char *text = g_malloc (text_size);
  g_autoptr(GPtrArray) loads = g_ptr_array_new ();

  for (guint c = 0; c < self->todo->len; c++)
    {
      HearthPyCode *code = g_ptr_array_index (self->todo, c);

      if (code->valid && !code->loaded)
        g_ptr_array_add (loads, code);
    }
  if (loads->len == 0)
    return TRUE;

  g_byte_array_set_size (self->scratch, loads->len * stride);
  g_array_set_size (self->reads, 0);
  for (guint c = 0; c < loads->len; c++)
    {
      HearthPyCode *code = g_ptr_array_index (loads, c);
      guint8 *at = self->scratch->data + c * stride;
      gsize header = MAX (o->unicode_compact_data, o->bytes_data);

      _hearth_python_add_read (self, code->qualname_ptr, at, guess[0], header);
      _hearth_python_add_read (self, code->filename_ptr, at + guess[0], guess[1], header);
      _hearth_python_add_read (self, code->linetable_ptr, at + guess[0] + guess[1], guess[2], header);
    }
  if (!_hearth_python_run_reads (self))
    return FALSE;

  for (guint c = 0; c < loads->len; c++)
    {
      HearthPyCode *code = g_ptr_array_index (loads, c);
      const guint8 *at = self->scratch->data + c * stride;

      g_clear_pointer (&code->linetable, g_free);
      code->linetable_length = 0;
      code->qualname = "<unknown>";
      code->filename = "";
      for (guint field = 0; field < 3; field++)
        {
          load_field (self, code, field, at,
                      g_array_index (self->reads, HearthPyRead, c * 3 + field).done,
                      text, text_size);
          at += guess[field];
        }
      code->loaded = TRUE;
    }
  return TRUE;
}

/* --- str objects and location tables --------------------------------------- */

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

