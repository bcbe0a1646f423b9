/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "hearth-python.h"

G_BEGIN_DECLS

/*
 * Internals shared by hearth-python.c (attach, version detection, offset
 * tables), hearth-python-frames.c (reading thread states, frames and code
 * objects) and hearth-python-merge.c.
 */

#define HEARTH_PY_NO_OFFSET G_MAXSIZE

/* Hard limits on what we believe from another process's memory. */
#define HEARTH_PY_MAX_INTERPRETERS  64
#define HEARTH_PY_MAX_THREADS       4096
#define HEARTH_PY_MAX_FRAMES        1024    /* per thread */
#define HEARTH_PY_MAX_STEPS         65536   /* frames per read of all threads */
#define HEARTH_PY_MAX_CHUNK_COPY    (256 * 1024)
#define HEARTH_PY_MAX_STRING        1024    /* characters */
#define HEARTH_PY_MAX_LINETABLE     (64 * 1024)
#define HEARTH_PY_MAX_CODE_CACHE    16384

/* Where the fields we need live, for one CPython minor version on x86_64.
 * Sizes are in bytes; HEARTH_PY_NO_OFFSET marks a field that version lacks. */
typedef struct
{
  guint32 version_hex;

  gsize runtime_interpreters_head;

  gsize interp_next;
  gsize interp_threads_head;

  gsize tstate_next;
  gsize tstate_cframe;           /* 3.11/3.12: _PyCFrame * */
  gsize tstate_current_frame;    /* 3.13+: _PyInterpreterFrame * */
  gsize tstate_native_thread_id;
  gsize tstate_datastack_chunk;
  gsize tstate_datastack_top;

  gsize cframe_current_frame;

  gsize frame_size;              /* bytes read for one frame */
  gsize frame_code;
  gsize frame_func;              /* f_func / f_funcobj */
  gsize frame_previous;
  gsize frame_instr;             /* prev_instr (3.11/3.12), instr_ptr (3.13) */
  gsize frame_owner;
  gsize frame_is_entry;          /* 3.11 only */
  guint8 owner_cstack;           /* 3.12+: owner of the C-stack shim frame */

  gsize code_firstlineno;
  gsize code_filename;
  gsize code_qualname;
  gsize code_linetable;
  gsize code_adaptive;           /* first code unit */

  gsize object_type;
  gsize bytes_size;
  gsize bytes_data;
  gsize unicode_length;
  gsize unicode_state;
  gsize unicode_ascii_data;
  gsize unicode_compact_data;
} HearthPyOffsets;

/* One remote read of a batch. min_length > 0 marks a speculative read that
 * may be cut down to min_length when the longer one faults. */
typedef struct
{
  guint64  remote;
  gpointer local;
  gsize    length;
  gsize    min_length;
  gsize    done;                 /* bytes actually read */
} HearthPyRead;

/* A code object as last read, cached by address. */
typedef struct
{
  guint64     address;
  guint64     filename_ptr;
  guint64     qualname_ptr;
  guint64     linetable_ptr;
  gint32      firstlineno;
  const char *qualname;          /* in HearthPython.strings */
  const char *filename;
  guint8     *linetable;
  gsize       linetable_length;
  gint64      last_offset;       /* memo of the last line lookup */
  guint32     last_line;
  guint64     checked;           /* pass in which it was last looked at */
  gint64      validated_at;      /* monotonic time of the last header read */
  gboolean    valid;             /* the header read in that pass was a code object */
  gboolean    loaded;            /* names and line table read */
} HearthPyCode;

/* Per-thread state of one read: where the chain starts and the local
 * copy of the current data-stack chunk. */
typedef struct
{
  guint64  tstate;
  gint32   tid;
  guint64  cframe;
  guint64  current_frame;
  guint64  chunk;
  guint64  top;
  const guint8 *copy;            /* borrowed from HearthPython.copies */
  gsize    copy_length;          /* chunk bytes [chunk, chunk + copy_length) */
  guint64  next_frame;           /* walk position, 0 when done */
  guint    steps;
  guint    outside;              /* frames read outside the chunk copy */
  gboolean stable;               /* same state and bytes as in the previous sample */
  guint64  recheck_frame;
  gboolean failed;               /* a read faulted or the chain made no sense */
  gboolean changed;              /* the chain moved while we read it */
  guint    index;                /* into HearthPython.threads */
} HearthPyWalk;

struct _HearthPython
{
  /* identity */
  pid_t            pid;
  char            *module_path;
  char            *version;
  HearthPyOffsets  offsets;

  /* addresses in the target */
  guint64          runtime;
  guint64          code_type;
  guint64          unicode_type;
  guint64          bytes_type;

  /* cached chain of interpreter and thread states */
  GArray          *interps;      /* guint64 */
  GArray          *tstates;      /* guint64 */
  GArray          *tstate_interp;/* guint, index into interps */

  /* owned: results of the last sample */
  GArray          *threads;      /* HearthPyThread */
  GPtrArray       *frame_arrays; /* GArray of HearthPyFrame, by thread index */

  /* owned: scratch space reused by every sample */
  GArray          *walks;        /* HearthPyWalk, one per bound thread state */
  GArray          *retry_walks;  /* HearthPyWalk */
  GPtrArray       *raw_arrays;   /* GArray of raw frames, by walk position */
  GPtrArray       *copies;       /* GByteArray chunk copies, by walk position */
  GPtrArray       *copies2;      /* second copies, to detect torn ones */
  GByteArray      *scratch;
  GByteArray      *scratch2;
  GArray          *reads;        /* HearthPyRead */
  GArray          *pending;      /* guint: walk positions / code slots */
  GPtrArray       *todo;         /* HearthPyCode * */
  guint64          n_passes;

  /* code object cache */
  GHashTable      *codes;        /* guint64 * -> HearthPyCode * */
  GStringChunk    *strings;
  GHashTable      *chains;       /* tstate address -> frames of its last good read */

  HearthPyStats    stats;
};

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

/* Bytes read of each PyThreadState: up to the last field we use. */
static inline gsize
_hearth_python_tstate_size (const HearthPyOffsets *o)
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

/* A frame as read, before its code object is resolved. */
typedef struct
{
  guint64  frame;
  guint64  code;
  guint64  func;
  guint64  instr;
  gboolean is_entry;
} RawFrame;

typedef struct
{
  guint64 frame;
  guint64 code;
  guint64 func;
} ChainLink;

/* One thread state as it was in its previous good read: its frames, root
 * first, and what they were read from. */
typedef struct
{
  guint64     tstate;
  GArray     *links;             /* ChainLink */
  guint64     cframe;
  guint64     current_frame;
  guint64     chunk;
  guint64     top;
  gboolean    pure;              /* every frame came from the chunk copy */
  GByteArray *copy;
} PrevChain;

/* hearth-python.c */
gboolean  _hearth_python_offsets_for_version (guint32                version_hex,
                                              HearthPyOffsets       *out);
gboolean  _hearth_python_offsets_from_debug  (const guint8          *data,
                                              gsize                  length,
                                              HearthPyOffsets       *out,
                                              GError               **error);

/* hearth-python-threads.c: reading the target's memory. _read_batch returns FALSE only when the
 * process is gone or forbids reading (errno set); a read that faults just
 * leaves its done short. _add_read/_run_reads queue into self->reads. */
gboolean  _hearth_python_read_batch          (HearthPython          *self,
                                              HearthPyRead          *reads,
                                              guint                  n_reads);
gboolean  _hearth_python_read                (HearthPython          *self,
                                              guint64                remote,
                                              gpointer               local,
                                              gsize                  length);
void      _hearth_python_add_read            (HearthPython          *self,
                                              guint64                remote,
                                              gpointer               local,
                                              gsize                  length,
                                              gsize                  min_length);
gboolean  _hearth_python_run_reads           (HearthPython          *self);
gboolean  _hearth_python_read_complete       (HearthPython          *self,
                                              guint                  index);
gboolean  _hearth_python_set_read_error      (HearthPython          *self,
                                              GError               **error);
/* The interpreter and thread-state chain: fills self->walks with one
 * entry per thread state bound to an OS thread. */
gboolean  _hearth_python_load_thread_states  (HearthPython          *self,
                                              GError               **error);
void      _hearth_python_walk_from_tstate    (HearthPython          *self,
                                              HearthPyWalk          *w,
                                              guint64                address,
                                              const guint8          *t);

/* hearth-python-frames.c */
void      _hearth_python_frames_init         (HearthPython          *self);
void      _hearth_python_frames_clear        (HearthPython          *self);

/* hearth-python-code.c */
gsize     _hearth_python_code_header_size    (const HearthPyOffsets *o);
void      _hearth_python_code_free           (gpointer               data);
/* Fill self->todo with the code objects of this pass whose header must be
 * read (new, or whose frame moved, or not checked for a while). */
void      _hearth_python_schedule_code_checks (HearthPython         *self,
                                               HearthPyWalk         *walks,
                                               guint                 n_walks,
                                               gint64                now);
/* Compare a code-object header read now with the cache entry. */
void      _hearth_python_take_code_header    (HearthPython          *self,
                                              HearthPyCode          *code,
                                              const guint8          *header,
                                              gint64                 now);
/* Read names and line tables of the valid, not yet loaded codes of todo. */
gboolean  _hearth_python_load_codes          (HearthPython          *self);
/* Line at instruction pointer instr (memoized per code object). */
guint32   _hearth_python_code_line           (HearthPython          *self,
                                              HearthPyCode          *code,
                                              guint64                instr);

/* hearth-python-code.c: decoders */
/* Line of code offset `offset` (in bytes from the first code unit) in a
 * CPython 3.11+ location table; first_line when offset < 0; 0 when not
 * found or the table is malformed. */
guint32   _hearth_python_line_for_offset     (const guint8          *table,
                                              gsize                  length,
                                              gint32                 first_line,
                                              gint64                 offset);

/* Decode the data of a str object into UTF-8 (NUL-terminated, into out of
 * out_size bytes). Returns FALSE on an impossible state or kind. */
gboolean  _hearth_python_decode_unicode      (const HearthPyOffsets *offsets,
                                              const guint8          *object,
                                              gsize                  object_length,
                                              char                  *out,
                                              gsize                  out_size,
                                              gsize                 *needed);

/* hearth-python-merge.c */
gboolean  _hearth_python_is_interpreter_module (const char          *module);

G_END_DECLS
