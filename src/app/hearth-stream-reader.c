/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-error.h"
#include "hearth-stream-reader.h"

#define READ_SIZE (64 * 1024)

struct _HearthStreamReader
{
  GObject parent_instance;

  /* owned */
  HearthProfile       *profile;
  GInputStream        *input;
  HearthStreamDecoder *decoder;
  GCancellable        *cancellable;
  GThread             *thread;
  GMainContext        *main_context;

  /* shared with the reader thread, under mutex */
  GMutex               mutex;
  GCond                cond;
  gboolean             paused;
  gboolean             has_stats;
  HearthStreamStats    stats;

  /* state */
  gsize                n_bytes;   /* atomic */
  gboolean             done;      /* main thread only */
};

enum {
  SIGNAL_HELLO,
  SIGNAL_MESSAGE,
  SIGNAL_DONE,
  N_SIGNALS
};

typedef enum {
  EVENT_HELLO,
  EVENT_MESSAGE,
  EVENT_DONE,
} EventKind;

/* Something that happened on the reader thread, delivered in main_context. */
typedef struct
{
  HearthStreamReader *self;
  EventKind           kind;
  HearthStreamHello   hello;
  gboolean            fatal;
  char               *text;
  GError             *error;
} Event;

G_DEFINE_FINAL_TYPE (HearthStreamReader, hearth_stream_reader, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

static void
event_free (gpointer data)
{
  Event *event = data;

  hearth_stream_hello_clear (&event->hello);
  g_clear_pointer (&event->text, g_free);
  g_clear_error (&event->error);
  g_clear_object (&event->self);
  g_free (event);
}

static gboolean
dispatch_event (gpointer data)
{
  Event *event = data;
  HearthStreamReader *self = event->self;

  switch (event->kind)
    {
    case EVENT_HELLO:
      g_signal_emit (self, signals[SIGNAL_HELLO], 0, &event->hello);
      break;
    case EVENT_MESSAGE:
      g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, event->fatal, event->text);
      break;
    case EVENT_DONE:
      self->done = TRUE;
      g_signal_emit (self, signals[SIGNAL_DONE], 0, event->error);
      break;
    default:
      g_assert_not_reached ();
    }

  return G_SOURCE_REMOVE;
}

static Event *
event_new (HearthStreamReader *self,
           EventKind           kind)
{
  Event *event = g_new0 (Event, 1);

  event->self = g_object_ref (self);
  event->kind = kind;
  return event;
}

static void
post_event (HearthStreamReader *self,
            Event              *event)
{
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT,
                              dispatch_event, event, event_free);
}

/* Decoder signal handlers: they run on the reader thread. */
static void
decoder_hello_cb (HearthStreamReader      *self,
                  const HearthStreamHello *hello,
                  HearthStreamDecoder     *decoder)
{
  Event *event = event_new (self, EVENT_HELLO);

  event->hello = *hello;
  event->hello.collector_version = g_strdup (hello->collector_version);
  event->hello.host = g_strdup (hello->host);
  event->hello.command_line = g_strdup (hello->command_line);
  event->hello.mode = g_strdup (hello->mode);
  post_event (self, event);
}

static void
decoder_error_cb (HearthStreamReader  *self,
                  gboolean             fatal,
                  const char          *message,
                  HearthStreamDecoder *decoder)
{
  Event *event = event_new (self, EVENT_MESSAGE);

  event->fatal = fatal;
  event->text = g_strdup (message ? message : "");
  post_event (self, event);
}

static void
decoder_end_cb (HearthStreamReader      *self,
                const HearthStreamStats *stats,
                HearthStreamDecoder     *decoder)
{
  g_mutex_lock (&self->mutex);
  self->stats = *stats;
  self->has_stats = TRUE;
  g_mutex_unlock (&self->mutex);
}

static gboolean
wait_while_paused (HearthStreamReader *self)
{
  gboolean cancelled;

  g_mutex_lock (&self->mutex);
  while (self->paused && !g_cancellable_is_cancelled (self->cancellable))
    g_cond_wait (&self->cond, &self->mutex);
  cancelled = g_cancellable_is_cancelled (self->cancellable);
  g_mutex_unlock (&self->mutex);

  return !cancelled;
}

static gpointer
reader_thread (gpointer data)
{
  g_autoptr(HearthStreamReader) self = data;
  g_autofree guint8 *buf = g_malloc (READ_SIZE);
  g_autoptr(GError) error = NULL;
  Event *event;

  while (wait_while_paused (self))
    {
      gssize n = g_input_stream_read (self->input, buf, READ_SIZE, self->cancellable, &error);

      if (n < 0)
        break;
      if (n == 0)
        {
          hearth_stream_decoder_finish (self->decoder, &error);
          break;
        }
      g_atomic_pointer_add (&self->n_bytes, n);
      if (!hearth_stream_decoder_feed (self->decoder, buf, n, &error))
        break;
    }

  if (error == NULL && g_cancellable_is_cancelled (self->cancellable))
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                         _("Reading the collector stream was cancelled"));

  event = event_new (self, EVENT_DONE);
  event->error = g_steal_pointer (&error);
  post_event (self, event);

  return NULL;
}

static void
hearth_stream_reader_dispose (GObject *object)
{
  HearthStreamReader *self = (HearthStreamReader *)object;

  /* The thread holds a reference while it runs, so by now it has ended or
   * was never started; joining only reaps it. */
  if (self->thread != NULL)
    g_clear_pointer (&self->thread, g_thread_join);

  if (self->decoder != NULL)
    g_signal_handlers_disconnect_by_data (self->decoder, self);

  g_clear_object (&self->decoder);
  g_clear_object (&self->input);
  g_clear_object (&self->profile);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->main_context, g_main_context_unref);

  G_OBJECT_CLASS (hearth_stream_reader_parent_class)->dispose (object);
}

static void
hearth_stream_reader_finalize (GObject *object)
{
  HearthStreamReader *self = (HearthStreamReader *)object;

  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (hearth_stream_reader_parent_class)->finalize (object);
}

static void
hearth_stream_reader_class_init (HearthStreamReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hearth_stream_reader_dispose;
  object_class->finalize = hearth_stream_reader_finalize;

  signals[SIGNAL_HELLO] =
    g_signal_new ("hello", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
  signals[SIGNAL_DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
hearth_stream_reader_init (HearthStreamReader *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->cancellable = g_cancellable_new ();
}

HearthStreamReader *
hearth_stream_reader_new (HearthProfile *profile,
                          GInputStream  *input)
{
  HearthStreamReader *self;

  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (input), NULL);

  self = g_object_new (HEARTH_TYPE_STREAM_READER, NULL);
  self->profile = g_object_ref (profile);
  self->input = g_object_ref (input);
  self->main_context = g_main_context_ref_thread_default ();
  self->decoder = hearth_stream_decoder_new (profile);

  g_signal_connect_swapped (self->decoder, "hello", G_CALLBACK (decoder_hello_cb), self);
  g_signal_connect_swapped (self->decoder, "error", G_CALLBACK (decoder_error_cb), self);
  g_signal_connect_swapped (self->decoder, "end", G_CALLBACK (decoder_end_cb), self);

  return self;
}

void
hearth_stream_reader_start (HearthStreamReader *self)
{
  g_return_if_fail (HEARTH_IS_STREAM_READER (self));
  g_return_if_fail (self->thread == NULL);

  self->thread = g_thread_new ("hearth-stream", reader_thread, g_object_ref (self));
}

void
hearth_stream_reader_set_paused (HearthStreamReader *self,
                                 gboolean            paused)
{
  g_return_if_fail (HEARTH_IS_STREAM_READER (self));

  g_mutex_lock (&self->mutex);
  self->paused = !!paused;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

void
hearth_stream_reader_cancel (HearthStreamReader *self)
{
  g_return_if_fail (HEARTH_IS_STREAM_READER (self));

  g_cancellable_cancel (self->cancellable);
  g_mutex_lock (&self->mutex);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

gboolean
hearth_stream_reader_is_done (HearthStreamReader *self)
{
  g_return_val_if_fail (HEARTH_IS_STREAM_READER (self), TRUE);
  return self->done;
}

const HearthStreamStats *
hearth_stream_reader_get_stats (HearthStreamReader *self)
{
  const HearthStreamStats *ret;

  g_return_val_if_fail (HEARTH_IS_STREAM_READER (self), NULL);

  /* The END record is decoded before "done" is posted, so once done the
   * stats no longer change and can be handed out without the lock. */
  g_mutex_lock (&self->mutex);
  ret = self->has_stats ? &self->stats : NULL;
  g_mutex_unlock (&self->mutex);
  return ret;
}

guint64
hearth_stream_reader_get_n_bytes (HearthStreamReader *self)
{
  g_return_val_if_fail (HEARTH_IS_STREAM_READER (self), 0);
  return (guint64) (gsize) g_atomic_pointer_get (&self->n_bytes);
}
