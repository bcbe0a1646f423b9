/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-error.h"
#include "hearth-idmap-private.h"
#include "hearth-stream-private.h"
#include "hearth-varint-private.h"

/*
 * The encoder runs in the collector once per thread sample, so the common
 * case must be cheap, and a per-frame lookup in a large stack table costs
 * a cache miss or two. Three levels, cheapest first:
 *
 *  1. Each thread remembers the frames of its previous sample; the new
 *     sample's frames are compared with them root-first (numbers first,
 *     then string contents). A thread blocked in the same call stops here.
 *  2. Frames past the common prefix get their id from a table keyed on
 *     the caller's string pointers and numbers (a symbolizer hands out
 *     the same pointers for the same symbol), so no string is hashed; a
 *     hit is confirmed by comparing contents, so a reused pointer cannot
 *     alias (it is re-interned and the entry updated).
 *  3. The whole array of frame ids is hashed and looked up in a
 *     direct-mapped cache of recent stacks, confirmed by comparing the
 *     ids, which gives the leaf stack without walking the prefix tree.
 *
 * Only misses walk the tree (with a one-entry memo per frame of the stack
 * it was last pushed on) and intern strings, functions and frames.
 */

typedef struct
{
  /* borrowed from the string table */
  const char *name;
  const char *module;
  const char *file;
  guint32     function_line;
  guint32     line;
  guint64     address;
  guint32     kind;
  /* the stack this frame was last pushed on, and its parent there */
  guint32     memo_parent;
  guint32     memo_stack;
} EncFrame;

typedef struct
{
  guint32 name;
  guint32 module;
  guint32 file;
  guint32 line;
  guint32 kind;
} FunctionKey;

typedef struct
{
  guint32 function;
  guint32 line;
  guint64 address;
} FrameKey;

/* One slot of the frame cache: the caller's view of a frame. */
typedef struct
{
  const char *name;
  const char *module;
  const char *file;
  guint64     address;
  guint32     line;
  guint32     function_line;
  guint32     kind;
  guint32     frame;      /* + 1; 0 for an empty slot */
} FrameSlot;

/* One slot of the stack cache: a whole stack as frame ids. */
#define PATH_MAX_DEPTH  64
#define PATH_CACHE_SIZE 4096    /* slots, a power of two: ~1 MiB */

typedef struct
{
  guint64 hash;
  guint32 n_frames;       /* 0 for an empty slot */
  guint32 stack;
  guint32 frames[PATH_MAX_DEPTH];
} PathSlot;

typedef struct
{
  guint32  id;
  gint32   pid;
  char    *name;
  /* previous sample of this thread: frame ids per depth, and the stack
   * ids of its first n_known frames */
  GArray  *frames;
  GArray  *stacks;
  guint    n_known;
} EncThread;

struct _HearthStreamEncoder
{
  GObject      parent_instance;

  /* owned */
  GByteArray  *out;
  GByteArray  *scratch;
  GHashTable  *strings;      /* char* → id + 1 */
  GPtrArray   *string_list;  /* id → char* (borrowed from strings) */
  GHashTable  *functions;    /* FunctionKey* → id + 1 */
  GHashTable  *frame_ids;    /* FrameKey* → id + 1 */
  GArray      *frames;       /* id → EncFrame */
  HearthIdMap  stacks;       /* (parent << 32 | frame) → stack id */
  FrameSlot   *frame_slots;  /* open addressing, mask + 1 slots */
  gsize        frame_mask;
  gsize        n_frame_slots;
  PathSlot    *path_cache;   /* PATH_CACHE_SIZE slots, allocated on first use */
  GArray      *ids;          /* guint32 scratch: frame ids of one sample */
  GHashTable  *threads;      /* tid → EncThread* */

  /* state */
  guint32      n_functions;
  guint32      n_stacks;
  guint32      n_threads;
  gint32       pid;          /* from hello: default for unknown threads */
  gint64       prev_time_ns;
};

G_DEFINE_FINAL_TYPE (HearthStreamEncoder, hearth_stream_encoder, G_TYPE_OBJECT)

static guint
function_key_hash (gconstpointer p)
{
  const FunctionKey *k = p;
  guint64 h = _hearth_id_map_hash (((guint64) k->name << 32) | k->module);

  h ^= _hearth_id_map_hash (((guint64) k->file << 32) | k->line) + k->kind;
  return (guint) (h ^ (h >> 32));
}

static gboolean
function_key_equal (gconstpointer a,
                    gconstpointer b)
{
  return memcmp (a, b, sizeof (FunctionKey)) == 0;
}

static guint
frame_key_hash (gconstpointer p)
{
  const FrameKey *k = p;
  guint64 h = _hearth_id_map_hash (((guint64) k->function << 32) | k->line) ^
              _hearth_id_map_hash (k->address);

  return (guint) (h ^ (h >> 32));
}

static gboolean
frame_key_equal (gconstpointer a,
                 gconstpointer b)
{
  const FrameKey *x = a, *y = b;

  return x->function == y->function && x->line == y->line && x->address == y->address;
}

static void
enc_thread_free (gpointer data)
{
  EncThread *t = data;

  g_free (t->name);
  g_array_unref (t->frames);
  g_array_unref (t->stacks);
  g_free (t);
}

/* --- record framing -------------------------------------------------------- */

static void
put_str (GByteArray *buf,
         const char *str)
{
  gsize len = str != NULL ? strlen (str) : 0;

  _hearth_varint_append (buf, len);
  if (len > 0)
    g_byte_array_append (buf, (const guint8 *) str, len);
}

static void
put_svarint (GByteArray *buf,
             gint64      v)
{
  _hearth_varint_append (buf, _hearth_zigzag_encode (v));
}

/* Start a record in scratch; end_record() frames it into out. */
static GByteArray *
begin_record (HearthStreamEncoder *self)
{
  g_byte_array_set_size (self->scratch, 0);
  return self->scratch;
}

static void
end_record (HearthStreamEncoder *self,
            HearthRecordType     type)
{
  guint8 header[1 + HEARTH_VARINT_MAX_BYTES];
  guint8 *p = header;

  *p++ = type;
  p = _hearth_varint_put (p, self->scratch->len);
  g_byte_array_append (self->out, header, p - header);
  g_byte_array_append (self->out, self->scratch->data, self->scratch->len);
}

/* --- interning ------------------------------------------------------------- */

static guint32
intern_string (HearthStreamEncoder *self,
               const char          *str)
{
  gpointer value;
  char *copy;
  guint32 id;
  GByteArray *rec;

  if (str == NULL)
    str = "";
  if (g_hash_table_lookup_extended (self->strings, str, NULL, &value))
    return GPOINTER_TO_UINT (value) - 1;

  id = self->string_list->len;
  copy = g_strdup (str);
  g_hash_table_insert (self->strings, copy, GUINT_TO_POINTER (id + 1));
  g_ptr_array_add (self->string_list, copy);

  rec = begin_record (self);
  _hearth_varint_append (rec, id);
  put_str (rec, str);
  end_record (self, HEARTH_RECORD_STRING);
  return id;
}

static guint32
intern_function (HearthStreamEncoder     *self,
                 const HearthStreamFrame *frame)
{
  FunctionKey key = {
    .name = intern_string (self, frame->name),
    .module = intern_string (self, frame->module),
    .file = intern_string (self, frame->file),
    .line = frame->function_line,
    .kind = (guint) frame->kind < HEARTH_N_FRAME_KINDS ? frame->kind : HEARTH_FRAME_KIND_UNKNOWN,
  };
  gpointer value = g_hash_table_lookup (self->functions, &key);
  GByteArray *rec;
  guint32 id;

  if (value != NULL)
    return GPOINTER_TO_UINT (value) - 1;

  id = self->n_functions++;
  g_hash_table_insert (self->functions, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (id + 1));

  rec = begin_record (self);
  _hearth_varint_append (rec, id);
  _hearth_varint_append (rec, key.name);
  _hearth_varint_append (rec, key.module);
  _hearth_varint_append (rec, key.file);
  _hearth_varint_append (rec, key.line);
  _hearth_varint_append (rec, key.kind);
  end_record (self, HEARTH_RECORD_FUNCTION);
  return id;
}

static guint32
intern_frame (HearthStreamEncoder     *self,
              const HearthStreamFrame *frame)
{
  FrameKey key = {
    .function = intern_function (self, frame),
    .line = frame->line,
    .address = frame->address,
  };
  gpointer value = g_hash_table_lookup (self->frame_ids, &key);
  EncFrame enc;
  GByteArray *rec;
  guint32 id;

  if (value != NULL)
    return GPOINTER_TO_UINT (value) - 1;

  id = self->frames->len;
  g_hash_table_insert (self->frame_ids, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (id + 1));

  /* intern_function() interned the strings: take the table's copies */
  enc.name = g_ptr_array_index (self->string_list, intern_string (self, frame->name));
  enc.module = g_ptr_array_index (self->string_list, intern_string (self, frame->module));
  enc.file = g_ptr_array_index (self->string_list, intern_string (self, frame->file));
  enc.function_line = frame->function_line;
  enc.line = frame->line;
  enc.address = frame->address;
  enc.kind = (guint) frame->kind < HEARTH_N_FRAME_KINDS ? frame->kind : HEARTH_FRAME_KIND_UNKNOWN;
  enc.memo_parent = HEARTH_NO_ID;
  enc.memo_stack = HEARTH_NO_ID;
  g_array_append_val (self->frames, enc);

  rec = begin_record (self);
  _hearth_varint_append (rec, id);
  _hearth_varint_append (rec, key.function);
  _hearth_varint_append (rec, key.line);
  _hearth_varint_append (rec, key.address);
  end_record (self, HEARTH_RECORD_FRAME);
  return id;
}

static guint32
intern_stack (HearthStreamEncoder *self,
              guint32              parent,
              guint32              frame)
{
  guint64 key = ((guint64) parent << 32) | frame;
  GByteArray *rec;
  guint32 id;

  if (_hearth_id_map_lookup (&self->stacks, key, &id))
    return id;

  id = self->n_stacks++;
  _hearth_id_map_insert (&self->stacks, key, id);

  rec = begin_record (self);
  _hearth_varint_append (rec, id);
  _hearth_varint_append (rec, parent == HEARTH_NO_ID ? 0 : (guint64) parent + 1);
  _hearth_varint_append (rec, frame);
  end_record (self, HEARTH_RECORD_STACK);
  return id;
}

static inline gboolean
same_str (const char *interned,
          const char *str)
{
  if (str == NULL)
    return interned[0] == '\0';
  return interned == str || strcmp (interned, str) == 0;
}

static inline gboolean
same_frame (const EncFrame          *enc,
            const HearthStreamFrame *frame)
{
  guint32 kind = (guint) frame->kind < HEARTH_N_FRAME_KINDS ? frame->kind : HEARTH_FRAME_KIND_UNKNOWN;

  return enc->address == frame->address &&
         enc->line == frame->line &&
         enc->function_line == frame->function_line &&
         enc->kind == kind &&
         same_str (enc->name, frame->name) &&
         same_str (enc->module, frame->module) &&
         same_str (enc->file, frame->file);
}

static inline guint64
frame_slot_hash (const HearthStreamFrame *frame)
{
  guint64 h = _hearth_id_map_hash ((guint64) (gsize) frame->name ^ ((guint64) frame->line << 40) ^ frame->kind);

  h ^= _hearth_id_map_hash ((guint64) (gsize) frame->module + frame->address);
  h ^= (guint64) (gsize) frame->file * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) + frame->function_line;
  return h ^ (h >> 31);
}

static inline gboolean
frame_slot_matches (const FrameSlot         *slot,
                    const HearthStreamFrame *frame)
{
  return slot->name == frame->name && slot->module == frame->module && slot->file == frame->file &&
         slot->address == frame->address && slot->line == frame->line &&
         slot->function_line == frame->function_line && slot->kind == (guint32) frame->kind;
}

static void
grow_frame_slots (HearthStreamEncoder *self)
{
  FrameSlot *old = self->frame_slots;
  gsize old_n = self->frame_mask + 1;

  self->frame_mask = old_n * 2 - 1;
  self->frame_slots = g_new0 (FrameSlot, old_n * 2);
  for (gsize i = 0; i < old_n; i++)
    {
      HearthStreamFrame key = { old[i].name, old[i].module, old[i].file, old[i].line,
                                old[i].function_line, old[i].address, old[i].kind };
      gsize j;

      if (old[i].frame == 0)
        continue;
      for (j = frame_slot_hash (&key) & self->frame_mask; self->frame_slots[j].frame != 0;
           j = (j + 1) & self->frame_mask)
        ;
      self->frame_slots[j] = old[i];
    }
  g_free (old);
}

static guint32
lookup_frame (HearthStreamEncoder     *self,
              const HearthStreamFrame *frame)
{
  FrameSlot *slot;
  gsize i;
  guint32 id;

  for (i = frame_slot_hash (frame) & self->frame_mask;; i = (i + 1) & self->frame_mask)
    {
      slot = &self->frame_slots[i];
      if (slot->frame == 0)
        break;
      if (frame_slot_matches (slot, frame))
        {
          if (same_frame (&g_array_index (self->frames, EncFrame, slot->frame - 1), frame))
            return slot->frame - 1;
          /* same pointers, new contents: the caller reused its memory */
          slot->frame = intern_frame (self, frame) + 1;
          return slot->frame - 1;
        }
    }

  id = intern_frame (self, frame);
  *slot = (FrameSlot) { frame->name, frame->module, frame->file, frame->address,
                        frame->line, frame->function_line, frame->kind, id + 1 };
  if (++self->n_frame_slots * 2 > self->frame_mask + 1)
    grow_frame_slots (self);
  return id;
}

/* intern_stack() behind the frame's one-entry memo. */
static guint32
push_frame (HearthStreamEncoder *self,
            guint32              parent,
            guint32              frame)
{
  EncFrame *enc = &g_array_index (self->frames, EncFrame, frame);
  guint32 stack;

  if (enc->memo_parent == parent && enc->memo_stack != HEARTH_NO_ID)
    return enc->memo_stack;

  stack = intern_stack (self, parent, frame);
  enc->memo_parent = parent;
  enc->memo_stack = stack;
  return stack;
}

static inline guint64
path_hash (const guint32 *ids,
           guint          n)
{
  guint64 h = n;

  for (guint i = 0; i < n; i++)
    {
      h = (h ^ ids[i]) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
      h ^= h >> 29;
    }
  return h;
}

/* --- threads --------------------------------------------------------------- */

static void
emit_thread (HearthStreamEncoder *self,
             EncThread           *t,
             gint32               tid)
{
  GByteArray *rec = begin_record (self);

  _hearth_varint_append (rec, t->id);
  put_svarint (rec, t->pid);
  put_svarint (rec, tid);
  put_str (rec, t->name);
  end_record (self, HEARTH_RECORD_THREAD);
}

static EncThread *
define_thread (HearthStreamEncoder *self,
               gint32               pid,
               gint32               tid,
               const char          *name)
{
  EncThread *t = g_new0 (EncThread, 1);

  t->id = self->n_threads++;
  t->pid = pid;
  t->name = g_strdup (name != NULL ? name : "");
  t->frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  t->stacks = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_hash_table_replace (self->threads, GINT_TO_POINTER (tid), t);
  emit_thread (self, t, tid);
  return t;
}

/* --- GObject --------------------------------------------------------------- */

static void
hearth_stream_encoder_finalize (GObject *object)
{
  HearthStreamEncoder *self = (HearthStreamEncoder *) object;

  g_clear_pointer (&self->out, g_byte_array_unref);
  g_clear_pointer (&self->scratch, g_byte_array_unref);
  g_clear_pointer (&self->string_list, g_ptr_array_unref);
  g_clear_pointer (&self->strings, g_hash_table_unref);
  g_clear_pointer (&self->functions, g_hash_table_unref);
  g_clear_pointer (&self->frame_ids, g_hash_table_unref);
  g_clear_pointer (&self->frames, g_array_unref);
  g_clear_pointer (&self->threads, g_hash_table_unref);
  _hearth_id_map_clear (&self->stacks);
  g_clear_pointer (&self->frame_slots, g_free);
  g_clear_pointer (&self->path_cache, g_free);
  g_clear_pointer (&self->ids, g_array_unref);

  G_OBJECT_CLASS (hearth_stream_encoder_parent_class)->finalize (object);
}

static void
hearth_stream_encoder_class_init (HearthStreamEncoderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hearth_stream_encoder_finalize;
}

static void
hearth_stream_encoder_init (HearthStreamEncoder *self)
{
  self->out = g_byte_array_sized_new (64 * 1024);
  self->scratch = g_byte_array_sized_new (256);
  self->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->string_list = g_ptr_array_new ();
  self->functions = g_hash_table_new_full (function_key_hash, function_key_equal, g_free, NULL);
  self->frame_ids = g_hash_table_new_full (frame_key_hash, frame_key_equal, g_free, NULL);
  self->frames = g_array_new (FALSE, FALSE, sizeof (EncFrame));
  self->threads = g_hash_table_new_full (NULL, NULL, NULL, enc_thread_free);
  _hearth_id_map_init (&self->stacks, 1024);
  self->frame_mask = 1023;
  self->frame_slots = g_new0 (FrameSlot, self->frame_mask + 1);
  self->ids = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_byte_array_append (self->out, (const guint8 *) HEARTH_STREAM_MAGIC, HEARTH_STREAM_MAGIC_LEN);
}

/* --- public API ------------------------------------------------------------ */

/**
 * hearth_stream_encoder_new:
 *
 * Returns: (transfer full): an encoder whose buffer already holds the
 * stream's magic bytes; call hearth_stream_encoder_hello() next.
 */
HearthStreamEncoder *
hearth_stream_encoder_new (void)
{
  return g_object_new (HEARTH_TYPE_STREAM_ENCODER, NULL);
}

void
hearth_stream_encoder_hello (HearthStreamEncoder     *self,
                             const HearthStreamHello *hello)
{
  GByteArray *rec;

  g_return_if_fail (HEARTH_IS_STREAM_ENCODER (self));
  g_return_if_fail (hello != NULL);

  self->pid = hello->pid;

  /* The first two fields never move: any Hearth can read the versions of
   * any collector and say which one to install. */
  rec = begin_record (self);
  _hearth_varint_append (rec, hello->protocol_version);
  put_str (rec, hello->collector_version);
  put_str (rec, hello->host);
  put_svarint (rec, hello->pid);
  put_str (rec, hello->command_line);
  _hearth_varint_append (rec, hello->rate_hz);
  put_str (rec, hello->mode);
  put_svarint (rec, hello->start_wall_time_us);
  end_record (self, HEARTH_RECORD_HELLO);
}

/* Announce a thread, or rename it. A tid seen again with another pid is a
 * new thread (the kernel reused the tid). */
void
hearth_stream_encoder_thread (HearthStreamEncoder *self,
                              gint32               pid,
                              gint32               tid,
                              const char          *name)
{
  EncThread *t;

  g_return_if_fail (HEARTH_IS_STREAM_ENCODER (self));

  if (name == NULL)
    name = "";
  t = g_hash_table_lookup (self->threads, GINT_TO_POINTER (tid));
  if (t == NULL || t->pid != pid)
    {
      define_thread (self, pid, tid, name);
      return;
    }
  if (strcmp (t->name, name) != 0)
    {
      g_free (t->name);
      t->name = g_strdup (name);
      emit_thread (self, t, tid);
    }
}

void
hearth_stream_encoder_sample (HearthStreamEncoder     *self,
                              gint32                   tid,
                              gint64                   time_ns,
                              HearthThreadState        state,
                              guint32                  weight,
                              const HearthStreamFrame *frames,
                              guint                    n_frames)
{
  guint8 payload[5 * HEARTH_VARINT_MAX_BYTES];
  guint8 header[1 + HEARTH_VARINT_MAX_BYTES];
  guint8 *p = payload;
  guint8 *h = header;
  guint32 stack = HEARTH_NO_ID;
  guint common = 0;
  guint known;
  guint32 *ids;
  guint32 *prev;
  EncThread *t;

  g_return_if_fail (HEARTH_IS_STREAM_ENCODER (self));
  g_return_if_fail (frames != NULL || n_frames == 0);

  t = g_hash_table_lookup (self->threads, GINT_TO_POINTER (tid));
  if (t == NULL)
    t = define_thread (self, self->pid, tid, "");

  /* 1. the prefix shared with this thread's previous sample */
  prev = (guint32 *) t->frames->data;
  while (common < n_frames && common < t->frames->len &&
         same_frame (&g_array_index (self->frames, EncFrame, prev[common]), &frames[common]))
    common++;

  /* 2. frame ids of the rest */
  g_array_set_size (self->ids, n_frames);
  ids = (guint32 *) self->ids->data;
  if (common > 0)
    memcpy (ids, prev, common * sizeof (guint32));
  for (guint i = common; i < n_frames; i++)
    ids[i] = lookup_frame (self, &frames[i]);

  known = MIN (common, t->n_known);
  if (n_frames == 0)
    stack = HEARTH_NO_ID;
  else if (known == n_frames)
    stack = g_array_index (t->stacks, guint32, n_frames - 1);
  else
    {
      /* 3. the whole stack from the stack cache, or walk the tree */
      PathSlot *slot = NULL;
      guint64 hash = 0;

      if (n_frames <= PATH_MAX_DEPTH)
        {
          if (self->path_cache == NULL)
            self->path_cache = g_new0 (PathSlot, PATH_CACHE_SIZE);
          hash = path_hash (ids, n_frames);
          slot = &self->path_cache[hash & (PATH_CACHE_SIZE - 1)];
        }

      if (slot != NULL && slot->hash == hash && slot->n_frames == n_frames &&
          memcmp (slot->frames, ids, n_frames * sizeof (guint32)) == 0)
        {
          stack = slot->stack;
          /* the thread's stacks past the common prefix are unknown now */
          g_array_set_size (t->stacks, n_frames);
          t->n_known = known;
        }
      else
        {
          g_array_set_size (t->stacks, n_frames);
          if (known > 0)
            stack = g_array_index (t->stacks, guint32, known - 1);
          for (guint i = known; i < n_frames; i++)
            {
              stack = push_frame (self, stack, ids[i]);
              g_array_index (t->stacks, guint32, i) = stack;
            }
          t->n_known = n_frames;
          if (slot != NULL)
            {
              slot->hash = hash;
              slot->n_frames = n_frames;
              slot->stack = stack;
              memcpy (slot->frames, ids, n_frames * sizeof (guint32));
            }
        }
    }

  g_array_set_size (t->frames, n_frames);
  if (n_frames > 0)
    memcpy (t->frames->data, ids, n_frames * sizeof (guint32));
  if (t->stacks->len < n_frames)
    g_array_set_size (t->stacks, n_frames);
  t->n_known = MIN (t->n_known, n_frames);

  p = _hearth_varint_put (p, t->id);
  p = _hearth_varint_put (p, _hearth_zigzag_encode (time_ns - self->prev_time_ns));
  p = _hearth_varint_put (p, ((guint64) (state & 3) << 1) | (weight != 1));
  p = _hearth_varint_put (p, stack == HEARTH_NO_ID ? 0 : (guint64) stack + 1);
  if (weight != 1)
    p = _hearth_varint_put (p, weight);
  self->prev_time_ns = time_ns;

  *h++ = HEARTH_RECORD_SAMPLE;
  h = _hearth_varint_put (h, p - payload);
  g_byte_array_append (self->out, header, h - header);
  g_byte_array_append (self->out, payload, p - payload);
}

void
hearth_stream_encoder_marker (HearthStreamEncoder *self,
                              gint64               time_ns,
                              gint64               end_ns,
                              const char          *kind,
                              const char          *text)
{
  GByteArray *rec;

  g_return_if_fail (HEARTH_IS_STREAM_ENCODER (self));

  rec = begin_record (self);
  put_svarint (rec, time_ns);
  put_svarint (rec, end_ns);
  put_str (rec, kind);
  put_str (rec, text);
  end_record (self, HEARTH_RECORD_MARKER);
}

/* Free-form session metadata (API addition): copied into the profile's
 * metadata by the decoder, e.g. "target-name" or "kernel". */
void
hearth_stream_encoder_metadata (HearthStreamEncoder *self,
                                const char          *key,
                                const char          *value)
{
  GByteArray *rec;

  g_return_if_fail (HEARTH_IS_STREAM_ENCODER (self));
  g_return_if_fail (key != NULL);

  rec = begin_record (self);
  put_str (rec, key);
  put_str (rec, value);
  end_record (self, HEARTH_RECORD_METADATA);
}

void
hearth_stream_encoder_error (HearthStreamEncoder *self,
                             gboolean             fatal,
                             const char          *message)
{
  GByteArray *rec;

  g_return_if_fail (HEARTH_IS_STREAM_ENCODER (self));

  rec = begin_record (self);
  _hearth_varint_append (rec, fatal ? 1 : 0);
  put_str (rec, message);
  end_record (self, HEARTH_RECORD_ERROR);
}

void
hearth_stream_encoder_end (HearthStreamEncoder     *self,
                           const HearthStreamStats *stats)
{
  GByteArray *rec;

  g_return_if_fail (HEARTH_IS_STREAM_ENCODER (self));
  g_return_if_fail (stats != NULL);

  rec = begin_record (self);
  _hearth_varint_append (rec, stats->samples);
  _hearth_varint_append (rec, stats->unwind_failures);
  _hearth_varint_append (rec, stats->dropped);
  _hearth_varint_append (rec, stats->threads);
  put_svarint (rec, stats->duration_ns);
  put_svarint (rec, stats->exit_status);
  end_record (self, HEARTH_RECORD_END);
}

gsize
hearth_stream_encoder_get_pending (HearthStreamEncoder *self)
{
  g_return_val_if_fail (HEARTH_IS_STREAM_ENCODER (self), 0);

  return self->out->len;
}

/**
 * hearth_stream_encoder_take_bytes:
 *
 * Returns: (transfer full): everything encoded since the last take or
 * flush (possibly empty); the encoder's buffer is empty afterwards.
 */
GBytes *
hearth_stream_encoder_take_bytes (HearthStreamEncoder *self)
{
  GByteArray *out;

  g_return_val_if_fail (HEARTH_IS_STREAM_ENCODER (self), NULL);

  out = self->out;
  self->out = g_byte_array_sized_new (64 * 1024);
  return g_byte_array_free_to_bytes (out);
}

/**
 * hearth_stream_encoder_flush_to:
 *
 * Writes the pending bytes to stream (blocking). On failure what was
 * written is dropped from the buffer and the rest stays pending.
 */
gboolean
hearth_stream_encoder_flush_to (HearthStreamEncoder  *self,
                                GOutputStream        *stream,
                                GCancellable         *cancellable,
                                GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize written = 0;
  gboolean ok;

  g_return_val_if_fail (HEARTH_IS_STREAM_ENCODER (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->out->len == 0)
    return TRUE;

  ok = g_output_stream_write_all (stream, self->out->data, self->out->len,
                                  &written, cancellable, &local_error);
  g_byte_array_remove_range (self->out, 0, written);
  if (!ok)
    {
      g_set_error (error, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_IO,
                   "Cannot write the collector stream: %s", local_error->message);
      return FALSE;
    }
  return TRUE;
}
