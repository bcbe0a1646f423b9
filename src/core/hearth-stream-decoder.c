/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-error.h"
#include "hearth-stream-private.h"
#include "hearth-varint-private.h"

/*
 * Everything in a stream is untrusted (it may come from another machine
 * through SSH). Definitions must arrive in id order and may only refer to
 * earlier definitions; each stream id is translated through a map to the
 * id the profile handed out, so a bad id is a corrupt-stream error and
 * never an index past an array.
 */

struct _HearthStreamDecoder
{
  GObject            parent_instance;

  /* owned */
  HearthProfile     *profile;
  char              *remote_host;
  GByteArray        *pending;       /* an incomplete record from the last feed */
  GArray            *strings;       /* stream id → profile id */
  GArray            *functions;
  GArray            *frames;
  GArray            *stacks;
  GArray            *threads;       /* stream thread id → profile thread index */
  GPtrArray         *batches;       /* profile thread index → GArray of HearthSample */
  GArray            *thread_last;   /* profile thread index → last sample time */
  GError            *error;         /* sticky: a failed stream stays failed */
  char              *fatal_message; /* from a fatal ERROR record */
  HearthStreamHello  hello;
  HearthStreamStats  stats;

  /* state */
  gint64             prev_time_ns;
  guint64            n_samples;
  guint              magic_seen;    /* bytes of the magic matched so far */
  guint              has_hello : 1;
  guint              ended : 1;
};

enum {
  SIGNAL_HELLO,
  SIGNAL_ERROR,
  SIGNAL_END,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HearthStreamDecoder, hearth_stream_decoder, G_TYPE_OBJECT)

/* Samples are appended in batches per thread: the profile takes its lock
 * once per batch, not once per sample. Batches are flushed at the end of
 * every feed() and before any signal, so listeners see everything. */
#define BATCH_SIZE 4096

/* Sample times beyond ±2^62 ns are refused: far past any real recording
 * and far from overflowing a delta. */
#define MAX_TIME_NS (G_GINT64_CONSTANT (1) << 62)

/* --- payload reader -------------------------------------------------------- */

typedef struct
{
  const guint8 *p;
  const guint8 *end;
  gboolean      ok;
} Reader;

static guint64
read_varint (Reader *r)
{
  guint64 v = 0;

  if (r->ok && !_hearth_varint_get (&r->p, r->end, &v))
    r->ok = FALSE;
  return r->ok ? v : 0;
}

static guint64
read_uint (Reader  *r,
           guint64  max)
{
  guint64 v = read_varint (r);

  if (v > max)
    r->ok = FALSE;
  return r->ok ? v : 0;
}

static gint64
read_sint (Reader *r,
           gint64  min,
           gint64  max)
{
  gint64 v = _hearth_zigzag_decode (read_varint (r));

  if (v < min || v > max)
    r->ok = FALSE;
  return r->ok ? v : 0;
}

/* A length-prefixed string, cut at an embedded NUL and made valid UTF-8.
 * Returns a new string (or NULL after a failure). */
static char *
read_str (Reader *r)
{
  guint64 len = read_varint (r);
  const char *start;
  const char *nul;

  if (!r->ok || len > (guint64) (r->end - r->p))
    {
      r->ok = FALSE;
      return NULL;
    }
  start = (const char *) r->p;
  r->p += len;

  nul = memchr (start, '\0', len);
  if (nul != NULL)
    len = nul - start;
  return g_utf8_make_valid (start, len);
}

/* --- errors ---------------------------------------------------------------- */

static gboolean G_GNUC_PRINTF (3, 4)
fail (HearthStreamDecoder  *self,
      HearthStreamError     code,
      const char           *format,
      ...)
{
  va_list args;

  g_assert (self->error == NULL);

  va_start (args, format);
  self->error = g_error_new_valist (HEARTH_STREAM_ERROR, code, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
corrupt (HearthStreamDecoder *self,
         const char          *what)
{
  return fail (self, HEARTH_STREAM_ERROR_CORRUPT,
               "The collector stream is corrupt: %s (after %" G_GUINT64_FORMAT " samples). "
               "Check that hearth-collector and Hearth are the same version.",
               what, self->n_samples);
}

/* --- samples --------------------------------------------------------------- */

static void
flush_batches (HearthStreamDecoder *self)
{
  for (guint i = 0; i < self->batches->len; i++)
    {
      GArray *batch = g_ptr_array_index (self->batches, i);

      if (batch != NULL && batch->len > 0)
        {
          hearth_profile_append_samples (self->profile, i, (const HearthSample *) batch->data, batch->len);
          g_array_set_size (batch, 0);
        }
    }
}

static GArray *
get_batch (HearthStreamDecoder *self,
           guint32              thread)
{
  GArray *batch;

  if (thread >= self->batches->len)
    {
      g_ptr_array_set_size (self->batches, thread + 1);
      g_array_set_size (self->thread_last, thread + 1);
      g_array_index (self->thread_last, gint64, thread) = G_MININT64;
    }
  batch = g_ptr_array_index (self->batches, thread);
  if (batch == NULL)
    {
      batch = g_array_sized_new (FALSE, FALSE, sizeof (HearthSample), 256);
      g_ptr_array_index (self->batches, thread) = batch;
    }
  return batch;
}

/* --- records --------------------------------------------------------------- */

static void
set_metadata_int (HearthStreamDecoder *self,
                  const char          *key,
                  gint64               value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  hearth_profile_set_metadata (self->profile, key, text);
}

static gboolean
decode_hello (HearthStreamDecoder *self,
              Reader              *r)
{
  HearthStreamHello *h = &self->hello;

  if (self->has_hello)
    return corrupt (self, "a second hello record");

  h->protocol_version = read_uint (r, G_MAXUINT32);
  if (!r->ok)
    return corrupt (self, "the hello record is malformed");
  h->collector_version = read_str (r);
  if (h->collector_version == NULL)
    h->collector_version = g_strdup ("(unknown version)");

  if (h->protocol_version != HEARTH_STREAM_PROTOCOL_VERSION)
    {
      if (self->remote_host != NULL)
        return fail (self, HEARTH_STREAM_ERROR_VERSION,
                     "remote hearth-collector %s speaks protocol %u, this Hearth needs %u. "
                     "Install hearth-collector %s on %s.",
                     h->collector_version, h->protocol_version, HEARTH_STREAM_PROTOCOL_VERSION,
                     PACKAGE_VERSION, self->remote_host);
      return fail (self, HEARTH_STREAM_ERROR_VERSION,
                   "hearth-collector %s speaks protocol %u, this Hearth needs %u. "
                   "Install hearth-collector %s, the version that comes with this Hearth.",
                   h->collector_version, h->protocol_version, HEARTH_STREAM_PROTOCOL_VERSION,
                   PACKAGE_VERSION);
    }

  h->host = read_str (r);
  h->pid = read_sint (r, G_MININT32, G_MAXINT32);
  h->command_line = read_str (r);
  h->rate_hz = read_uint (r, G_MAXUINT32);
  h->mode = read_str (r);
  h->start_wall_time_us = read_sint (r, G_MININT64, G_MAXINT64);
  if (!r->ok)
    return corrupt (self, "the hello record is malformed");

  self->has_hello = TRUE;
  set_metadata_int (self, "protocol-version", h->protocol_version);
  hearth_profile_set_metadata (self->profile, "collector-version", h->collector_version);
  hearth_profile_set_metadata (self->profile, "host", h->host);
  set_metadata_int (self, "pid", h->pid);
  hearth_profile_set_metadata (self->profile, "command-line", h->command_line);
  set_metadata_int (self, "rate-hz", h->rate_hz);
  hearth_profile_set_metadata (self->profile, "mode", h->mode);
  set_metadata_int (self, "start-wall-time-us", h->start_wall_time_us);

  g_signal_emit (self, signals[SIGNAL_HELLO], 0, h);
  return TRUE;
}

/* Read a definition's own id, which must be the next one. */
static gboolean
read_next_id (Reader *r,
              GArray *table)
{
  return read_varint (r) == table->len && r->ok;
}

/* Read a reference to an earlier definition and translate it. */
static guint32
read_ref (Reader *r,
          GArray *table)
{
  guint64 id = read_varint (r);

  if (!r->ok || id >= table->len)
    {
      r->ok = FALSE;
      return 0;
    }
  return g_array_index (table, guint32, id);
}

static gboolean
decode_string (HearthStreamDecoder *self,
               Reader              *r)
{
  g_autofree char *str = NULL;
  guint32 id;

  if (!read_next_id (r, self->strings) || (str = read_str (r)) == NULL)
    return corrupt (self, "a malformed string definition");
  id = hearth_profile_intern_string (self->profile, str);
  g_array_append_val (self->strings, id);
  return TRUE;
}

static gboolean
decode_function (HearthStreamDecoder *self,
                 Reader              *r)
{
  HearthFunction f;
  guint32 id;

  if (!read_next_id (r, self->functions))
    return corrupt (self, "a function definition out of order");
  f.name = read_ref (r, self->strings);
  f.module = read_ref (r, self->strings);
  f.file = read_ref (r, self->strings);
  f.line = read_uint (r, G_MAXUINT32);
  f.kind = read_uint (r, G_MAXUINT32);
  if (!r->ok)
    return corrupt (self, "a malformed function definition");
  /* A kind from a newer collector shows as unknown. */
  if (f.kind >= HEARTH_N_FRAME_KINDS)
    f.kind = HEARTH_FRAME_KIND_UNKNOWN;
  id = hearth_profile_intern_function (self->profile, &f);
  g_array_append_val (self->functions, id);
  return TRUE;
}

static gboolean
decode_frame (HearthStreamDecoder *self,
              Reader              *r)
{
  HearthFrame f;
  guint32 id;

  if (!read_next_id (r, self->frames))
    return corrupt (self, "a frame definition out of order");
  f.function = read_ref (r, self->functions);
  f.line = read_uint (r, G_MAXUINT32);
  f.address = read_varint (r);
  if (!r->ok)
    return corrupt (self, "a malformed frame definition");
  id = hearth_profile_intern_frame (self->profile, &f);
  g_array_append_val (self->frames, id);
  return TRUE;
}

static gboolean
decode_stack (HearthStreamDecoder *self,
              Reader              *r)
{
  guint64 parent;
  guint32 frame;
  guint32 id;

  if (!read_next_id (r, self->stacks))
    return corrupt (self, "a stack definition out of order");
  parent = read_uint (r, self->stacks->len);   /* parent + 1, 0 for a root */
  frame = read_ref (r, self->frames);
  if (!r->ok)
    return corrupt (self, "a malformed stack definition");
  id = hearth_profile_intern_stack (self->profile,
                                    parent == 0 ? HEARTH_NO_ID : g_array_index (self->stacks, guint32, parent - 1),
                                    frame);
  g_array_append_val (self->stacks, id);
  return TRUE;
}

static gboolean
decode_thread (HearthStreamDecoder *self,
               Reader              *r)
{
  g_autofree char *name = NULL;
  guint64 id;
  gint32 pid, tid;
  guint32 index;

  id = read_uint (r, self->threads->len);
  pid = read_sint (r, G_MININT32, G_MAXINT32);
  tid = read_sint (r, G_MININT32, G_MAXINT32);
  name = read_str (r);
  if (!r->ok)
    return corrupt (self, "a malformed thread record");

  index = hearth_profile_add_thread (self->profile, pid, tid, name);
  if (id == self->threads->len)
    g_array_append_val (self->threads, index);
  else
    g_array_index (self->threads, guint32, id) = index;
  return TRUE;
}

static gboolean
decode_sample (HearthStreamDecoder *self,
               Reader              *r)
{
  HearthSample s;
  GArray *batch;
  guint32 thread;
  gint64 delta;
  guint64 flags, stack;
  gint64 *last;

  thread = read_ref (r, self->threads);
  delta = read_sint (r, -MAX_TIME_NS, MAX_TIME_NS);
  flags = read_varint (r);
  stack = read_uint (r, self->stacks->len);   /* stack + 1, 0 for none */
  s.weight = (flags & 1) ? read_uint (r, G_MAXUINT32) : 1;
  if (!r->ok)
    return corrupt (self, "a malformed sample or one that refers to an undefined thread or stack");
  if (self->prev_time_ns + delta > MAX_TIME_NS || self->prev_time_ns + delta < -MAX_TIME_NS)
    return corrupt (self, "a sample time out of range");

  self->prev_time_ns += delta;
  s.time_ns = self->prev_time_ns;
  s.state = (flags >> 1) & 3;
  s.stack = stack == 0 ? HEARTH_NO_ID : g_array_index (self->stacks, guint32, stack - 1);

  batch = get_batch (self, thread);
  /* The profile needs each thread in time order; a collector whose clock
   * stepped back gets its sample pinned to the previous time instead. */
  last = &g_array_index (self->thread_last, gint64, thread);
  if (s.time_ns < *last)
    s.time_ns = *last;
  *last = s.time_ns;

  g_array_append_val (batch, s);
  self->n_samples++;
  if (batch->len >= BATCH_SIZE)
    {
      hearth_profile_append_samples (self->profile, thread, (const HearthSample *) batch->data, batch->len);
      g_array_set_size (batch, 0);
    }
  return TRUE;
}

static gboolean
decode_marker (HearthStreamDecoder *self,
               Reader              *r)
{
  g_autofree char *kind = NULL;
  g_autofree char *text = NULL;
  gint64 start, end;

  start = read_sint (r, -MAX_TIME_NS, MAX_TIME_NS);
  end = read_sint (r, -MAX_TIME_NS, MAX_TIME_NS);
  kind = read_str (r);
  text = read_str (r);
  if (!r->ok)
    return corrupt (self, "a malformed marker");
  hearth_profile_add_marker (self->profile, start, MAX (start, end), kind, text);
  return TRUE;
}

static gboolean
decode_error (HearthStreamDecoder *self,
              Reader              *r)
{
  g_autofree char *message = NULL;
  gboolean fatal;

  fatal = read_varint (r) & 1;
  message = read_str (r);
  if (!r->ok)
    return corrupt (self, "a malformed error record");

  if (fatal && self->fatal_message == NULL)
    self->fatal_message = g_strdup (message);
  flush_batches (self);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, fatal, message);
  return TRUE;
}

static gboolean
decode_end (HearthStreamDecoder *self,
            Reader              *r)
{
  HearthStreamStats *st = &self->stats;

  st->samples = read_varint (r);
  st->unwind_failures = read_varint (r);
  st->dropped = read_varint (r);
  st->threads = read_uint (r, G_MAXUINT32);
  st->duration_ns = read_sint (r, G_MININT64, G_MAXINT64);
  st->exit_status = read_sint (r, G_MININT32, G_MAXINT32);
  if (!r->ok)
    return corrupt (self, "a malformed end record");

  self->ended = TRUE;
  set_metadata_int (self, "unwind-failures", st->unwind_failures);
  set_metadata_int (self, "dropped-samples", st->dropped);
  set_metadata_int (self, "duration-ns", st->duration_ns);
  if (st->exit_status >= 0)
    set_metadata_int (self, "exit-status", st->exit_status);

  flush_batches (self);
  g_signal_emit (self, signals[SIGNAL_END], 0, st);
  return TRUE;
}

static gboolean
decode_metadata (HearthStreamDecoder *self,
                 Reader              *r)
{
  g_autofree char *key = read_str (r);
  g_autofree char *value = read_str (r);

  if (!r->ok)
    return corrupt (self, "a malformed metadata record");
  hearth_profile_set_metadata (self->profile, key, value);
  return TRUE;
}

static gboolean
decode_record (HearthStreamDecoder *self,
               guint8               type,
               const guint8        *payload,
               gsize                length)
{
  Reader r = { payload, payload + length, TRUE };

  if (!self->has_hello && type != HEARTH_RECORD_HELLO)
    return corrupt (self, "it does not start with a hello record");

  /* Trailing bytes a newer collector appended to a record are ignored. */
  switch (type)
    {
    case HEARTH_RECORD_HELLO:    return decode_hello (self, &r);
    case HEARTH_RECORD_THREAD:   return decode_thread (self, &r);
    case HEARTH_RECORD_STRING:   return decode_string (self, &r);
    case HEARTH_RECORD_FUNCTION: return decode_function (self, &r);
    case HEARTH_RECORD_FRAME:    return decode_frame (self, &r);
    case HEARTH_RECORD_STACK:    return decode_stack (self, &r);
    case HEARTH_RECORD_SAMPLE:   return decode_sample (self, &r);
    case HEARTH_RECORD_MARKER:   return decode_marker (self, &r);
    case HEARTH_RECORD_ERROR:    return decode_error (self, &r);
    case HEARTH_RECORD_END:      return decode_end (self, &r);
    case HEARTH_RECORD_METADATA: return decode_metadata (self, &r);
    default:                     return TRUE;   /* a newer record type: skip */
    }
}

/* Decode the complete records in [data, data + length); returns how many
 * bytes were consumed (the rest is an incomplete record), or -1 on error. */
static gssize
decode_buffer (HearthStreamDecoder *self,
               const guint8        *data,
               gsize                length)
{
  const guint8 *p = data;
  const guint8 *end = data + length;

  while (self->magic_seen < HEARTH_STREAM_MAGIC_LEN && p < end)
    {
      if (*p != (guint8) HEARTH_STREAM_MAGIC[self->magic_seen])
        {
          fail (self, HEARTH_STREAM_ERROR_BAD_MAGIC,
                "This is not a hearth-collector stream (it does not start with “%s”). "
                "Check that the command run is “hearth-collector stream”.",
                HEARTH_STREAM_MAGIC);
          return -1;
        }
      self->magic_seen++;
      p++;
    }

  while (p < end && !self->ended)
    {
      const guint8 *record = p;
      guint8 type = *p++;
      guint64 size;

      if (!_hearth_varint_get (&p, end, &size))
        {
          if (end - p >= HEARTH_VARINT_MAX_BYTES)
            {
              corrupt (self, "a record length is malformed");
              return -1;
            }
          p = record;
          break;
        }
      if (size > HEARTH_STREAM_MAX_RECORD)
        {
          corrupt (self, "a record is impossibly large");
          return -1;
        }
      if (size > (guint64) (end - p))
        {
          p = record;
          break;
        }
      if (!decode_record (self, type, p, size))
        return -1;
      p += size;
    }

  /* After END nothing more is expected; ignore whatever follows. */
  if (self->ended)
    p = end;
  return p - data;
}

/* --- GObject --------------------------------------------------------------- */

static void
free_batch (gpointer data)
{
  if (data != NULL)
    g_array_unref (data);
}

static void
hearth_stream_decoder_finalize (GObject *object)
{
  HearthStreamDecoder *self = (HearthStreamDecoder *) object;

  g_clear_object (&self->profile);
  g_clear_pointer (&self->remote_host, g_free);
  g_clear_pointer (&self->pending, g_byte_array_unref);
  g_clear_pointer (&self->strings, g_array_unref);
  g_clear_pointer (&self->functions, g_array_unref);
  g_clear_pointer (&self->frames, g_array_unref);
  g_clear_pointer (&self->stacks, g_array_unref);
  g_clear_pointer (&self->threads, g_array_unref);
  g_clear_pointer (&self->batches, g_ptr_array_unref);
  g_clear_pointer (&self->thread_last, g_array_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->fatal_message, g_free);
  hearth_stream_hello_clear (&self->hello);

  G_OBJECT_CLASS (hearth_stream_decoder_parent_class)->finalize (object);
}

static void
hearth_stream_decoder_class_init (HearthStreamDecoderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hearth_stream_decoder_finalize;

  signals[SIGNAL_HELLO] =
    g_signal_new ("hello", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
  signals[SIGNAL_END] =
    g_signal_new ("end", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
hearth_stream_decoder_init (HearthStreamDecoder *self)
{
  self->pending = g_byte_array_new ();
  self->strings = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->functions = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->stacks = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->threads = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->batches = g_ptr_array_new_with_free_func (free_batch);
  self->thread_last = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->stats.exit_status = -1;
}

/* --- public API ------------------------------------------------------------ */

void
hearth_stream_hello_clear (HearthStreamHello *hello)
{
  g_return_if_fail (hello != NULL);

  g_clear_pointer (&hello->collector_version, g_free);
  g_clear_pointer (&hello->host, g_free);
  g_clear_pointer (&hello->command_line, g_free);
  g_clear_pointer (&hello->mode, g_free);
  memset (hello, 0, sizeof *hello);
}

/**
 * hearth_stream_decoder_new:
 *
 * Returns: (transfer full): a decoder appending to profile (which it
 * keeps a reference to).
 */
HearthStreamDecoder *
hearth_stream_decoder_new (HearthProfile *profile)
{
  HearthStreamDecoder *self;

  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), NULL);

  self = g_object_new (HEARTH_TYPE_STREAM_DECODER, NULL);
  self->profile = g_object_ref (profile);
  return self;
}

void
hearth_stream_decoder_set_remote_host (HearthStreamDecoder *self,
                                       const char          *host)
{
  g_return_if_fail (HEARTH_IS_STREAM_DECODER (self));

  g_free (self->remote_host);
  self->remote_host = g_strdup (host);
}

gboolean
hearth_stream_decoder_feed (HearthStreamDecoder  *self,
                            const guint8         *data,
                            gsize                 length,
                            GError              **error)
{
  gssize used;

  g_return_val_if_fail (HEARTH_IS_STREAM_DECODER (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  if (self->ended || length == 0)
    return TRUE;

  /* Decode straight from the caller's buffer unless a partial record is
   * waiting; keep only the incomplete tail. */
  if (self->pending->len == 0)
    {
      used = decode_buffer (self, data, length);
      if (used >= 0 && (gsize) used < length)
        g_byte_array_append (self->pending, data + used, length - used);
    }
  else
    {
      g_byte_array_append (self->pending, data, length);
      used = decode_buffer (self, self->pending->data, self->pending->len);
      if (used > 0)
        g_byte_array_remove_range (self->pending, 0, used);
    }

  flush_batches (self);

  if (used < 0)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

/**
 * hearth_stream_decoder_finish:
 *
 * Call at end of input. Fails with the stream's own error if feed()
 * failed, HEARTH_STREAM_ERROR_REMOTE if the collector reported a fatal
 * error, or HEARTH_STREAM_ERROR_TRUNCATED without an END record. The
 * profile keeps everything decoded in every case.
 */
gboolean
hearth_stream_decoder_finish (HearthStreamDecoder  *self,
                              GError              **error)
{
  g_return_val_if_fail (HEARTH_IS_STREAM_DECODER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  flush_batches (self);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  if (self->fatal_message != NULL)
    {
      g_set_error (error, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_REMOTE,
                   "%s", self->fatal_message);
      return FALSE;
    }
  if (!self->ended)
    {
      if (self->magic_seen == 0)
        g_set_error (error, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_TRUNCATED,
                     "hearth-collector sent nothing: it may have failed to start");
      else
        g_set_error (error, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_TRUNCATED,
                     "The collector stream ended without its end record, after %"
                     G_GUINT64_FORMAT " samples%s: the connection was lost or "
                     "hearth-collector was killed. Everything received is kept.",
                     self->n_samples,
                     self->pending->len > 0 ? " and in the middle of a record" : "");
      return FALSE;
    }
  return TRUE;
}

gboolean
hearth_stream_decoder_has_hello (HearthStreamDecoder *self)
{
  g_return_val_if_fail (HEARTH_IS_STREAM_DECODER (self), FALSE);

  return self->has_hello;
}

/* Returns: (nullable): the hello record, NULL before it arrived. */
const HearthStreamHello *
hearth_stream_decoder_get_hello (HearthStreamDecoder *self)
{
  g_return_val_if_fail (HEARTH_IS_STREAM_DECODER (self), NULL);

  return self->has_hello ? &self->hello : NULL;
}

gboolean
hearth_stream_decoder_has_ended (HearthStreamDecoder *self)
{
  g_return_val_if_fail (HEARTH_IS_STREAM_DECODER (self), FALSE);

  return self->ended;
}

/* Returns: (nullable): the END statistics, NULL before END arrived. */
const HearthStreamStats *
hearth_stream_decoder_get_stats (HearthStreamDecoder *self)
{
  g_return_val_if_fail (HEARTH_IS_STREAM_DECODER (self), NULL);

  return self->ended ? &self->stats : NULL;
}

HearthProfile *
hearth_stream_decoder_get_profile (HearthStreamDecoder *self)
{
  g_return_val_if_fail (HEARTH_IS_STREAM_DECODER (self), NULL);

  return self->profile;
}

/**
 * hearth_stream_read_all:
 *
 * Decodes input to its end into a new profile.
 *
 * Returns: (transfer full) (nullable): the profile, or NULL with
 * HEARTH_STREAM_ERROR (G_IO_ERROR_CANCELLED when cancelled); then
 * *partial, if not NULL, receives what was decoded (transfer full).
 */
HearthProfile *
hearth_stream_read_all (GInputStream   *input,
                        HearthProfile **partial,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(HearthProfile) profile = hearth_profile_new ();
  g_autoptr(HearthStreamDecoder) decoder = hearth_stream_decoder_new (profile);
  g_autofree guint8 *buf = g_malloc (64 * 1024);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_IS_INPUT_STREAM (input), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (partial != NULL)
    *partial = NULL;

  for (;;)
    {
      gssize n = g_input_stream_read (input, buf, 64 * 1024, cancellable, &local_error);

      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_IO,
                         "Cannot read the collector stream: %s", local_error->message);
          goto failed;
        }
      if (n == 0)
        break;
      if (!hearth_stream_decoder_feed (decoder, buf, n, error))
        goto failed;
    }

  if (!hearth_stream_decoder_finish (decoder, error))
    goto failed;

  return g_steal_pointer (&profile);

failed:
  hearth_stream_decoder_finish (decoder, NULL);
  if (partial != NULL)
    *partial = g_steal_pointer (&profile);
  return NULL;
}
