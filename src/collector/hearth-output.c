/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "hearth-error.h"
#include "hearth-output.h"
#include "hearth-sampler-error.h"
#include "hearth-session-store.h"
#include "hearth-stream.h"

/* Encoded samples are ~10 bytes; 8 MiB is minutes of a busy target */
#define QUEUE_LIMIT_BYTES (8 * 1024 * 1024)
#define SYNC_INTERVAL_US  (500 * 1000)
#define POP_TIMEOUT_US    (100 * 1000)

struct _HearthOutput
{
  GObject              parent_instance;

  /* owned */
  GAsyncQueue         *queue;     /* GBytes; the sentinel ends the thread */
  GThread             *thread;
  GError              *error;     /* first failure, under lock */
  HearthProfile       *profile;   /* record */
  HearthStreamDecoder *decoder;   /* record */
  HearthSessionWriter *writer;    /* record */
  char                *path;

  /* state */
  GMutex               lock;
  int                  fd;        /* stream, or -1 */
  gint                 closed;    /* atomic */
  gssize               queued;    /* atomic: bytes waiting */
  gint64               last_sync;
};

G_DEFINE_FINAL_TYPE (HearthOutput, hearth_output, G_TYPE_OBJECT)

static GBytes *
sentinel (void)
{
  static GBytes *bytes;

  if (g_once_init_enter (&bytes))
    g_once_init_leave (&bytes, g_bytes_new_static ("", 0));
  return bytes;
}

static void
set_error (HearthOutput *self,
           GError       *error)
{
  g_mutex_lock (&self->lock);
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&self->lock);
  g_atomic_int_set (&self->closed, TRUE);
}

/* A pipe whose reader is gone polls POLLERR, even with nothing to write */
static gboolean
reader_gone (int fd)
{
  struct pollfd pfd = { .fd = fd, .events = 0 };

  return poll (&pfd, 1, 0) > 0 && (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0;
}

static gboolean
write_all (HearthOutput *self,
           const guint8 *data,
           gsize         len)
{
  while (len > 0)
    {
      gssize n = write (self->fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        {
          struct pollfd pfd = { .fd = self->fd, .events = POLLOUT };

          poll (&pfd, 1, 100);
          if (reader_gone (self->fd))
            return FALSE;
          continue;
        }
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

static void
consume_stream (HearthOutput *self,
                GBytes       *bytes)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (g_atomic_int_get (&self->closed))
    return;
  if (!write_all (self, data, len))
    set_error (self, g_error_new (HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_OUTPUT,
                                  _("The stream reader went away: %s"), g_strerror (errno ? errno : EPIPE)));
}

static void
sync_record (HearthOutput *self)
{
  GError *error = NULL;

  self->last_sync = g_get_monotonic_time ();
  if (!hearth_session_writer_sync (self->writer, &error))
    set_error (self, error);
}

static void
consume_record (HearthOutput *self,
                GBytes       *bytes)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  GError *error = NULL;

  if (g_atomic_int_get (&self->closed))
    return;
  if (!hearth_stream_decoder_feed (self->decoder, data, len, &error))
    set_error (self, error);
}

static gpointer
writer_thread (gpointer data)
{
  HearthOutput *self = data;
  sigset_t all;

  /* signals are the sampler thread's business; a write to a closed
   * pipe then fails with EPIPE here instead of killing the process */
  sigfillset (&all);
  pthread_sigmask (SIG_BLOCK, &all, NULL);

  for (;;)
    {
      GBytes *bytes = g_async_queue_timeout_pop (self->queue, POP_TIMEOUT_US);

      if (bytes == sentinel ())
        {
          g_bytes_unref (bytes);
          break;
        }
      if (bytes != NULL)
        {
          g_atomic_pointer_add (&self->queued, -(gssize) g_bytes_get_size (bytes));
          if (self->fd >= 0)
            consume_stream (self, bytes);
          else
            consume_record (self, bytes);
          g_bytes_unref (bytes);
        }
      else if (self->fd >= 0 && reader_gone (self->fd))
        set_error (self, g_error_new (HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_OUTPUT,
                                      _("The stream reader went away.")));

      if (self->writer != NULL && !g_atomic_int_get (&self->closed) &&
          g_get_monotonic_time () - self->last_sync >= SYNC_INTERVAL_US)
        sync_record (self);
    }
  return NULL;
}

static void
hearth_output_finalize (GObject *object)
{
  HearthOutput *self = HEARTH_OUTPUT (object);

  if (self->thread != NULL)
    {
      g_async_queue_push (self->queue, g_bytes_ref (sentinel ()));
      g_thread_join (self->thread);
    }
  g_async_queue_unref (self->queue);
  g_clear_error (&self->error);
  g_clear_object (&self->writer);
  g_clear_object (&self->decoder);
  g_clear_object (&self->profile);
  g_free (self->path);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (hearth_output_parent_class)->finalize (object);
}

static void
hearth_output_class_init (HearthOutputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hearth_output_finalize;
}

static void
hearth_output_init (HearthOutput *self)
{
  self->fd = -1;
  self->queue = g_async_queue_new_full ((GDestroyNotify) g_bytes_unref);
  g_mutex_init (&self->lock);
}

static void
start_thread (HearthOutput *self)
{
  self->last_sync = g_get_monotonic_time ();
  self->thread = g_thread_new ("hearth-output", writer_thread, self);
}

HearthOutput *
hearth_output_new_stream (int fd)
{
  HearthOutput *self = g_object_new (HEARTH_TYPE_OUTPUT, NULL);

  self->fd = fd;
  start_thread (self);
  return self;
}

HearthOutput *
hearth_output_new_record (const char  *path,
                          GError     **error)
{
  g_autoptr(HearthOutput) self = g_object_new (HEARTH_TYPE_OUTPUT, NULL);

  self->path = g_strdup (path);
  self->profile = hearth_profile_new ();
  self->decoder = hearth_stream_decoder_new (self->profile);
  self->writer = hearth_session_writer_new (self->profile, path, error);
  if (self->writer == NULL)
    return NULL;
  start_thread (self);
  return g_steal_pointer (&self);
}

void
hearth_output_push (HearthOutput *self,
                    GBytes       *bytes)
{
  g_return_if_fail (HEARTH_IS_OUTPUT (self));
  g_return_if_fail (bytes != NULL);

  if (g_bytes_get_size (bytes) == 0)
    {
      g_bytes_unref (bytes);
      return;
    }
  g_atomic_pointer_add (&self->queued, (gssize) g_bytes_get_size (bytes));
  g_async_queue_push (self->queue, bytes);
}

gboolean
hearth_output_is_congested (HearthOutput *self)
{
  return g_atomic_pointer_get (&self->queued) > QUEUE_LIMIT_BYTES;
}

gboolean
hearth_output_is_closed (HearthOutput *self)
{
  return g_atomic_int_get (&self->closed);
}

gboolean
hearth_output_finish (HearthOutput  *self,
                      GError       **error)
{
  g_return_val_if_fail (HEARTH_IS_OUTPUT (self), FALSE);

  if (self->thread != NULL)
    {
      g_async_queue_push (self->queue, g_bytes_ref (sentinel ()));
      g_thread_join (self->thread);
      self->thread = NULL;
    }

  if (self->writer != NULL && self->error == NULL)
    {
      GError *local = NULL;

      /* a stream that ends without END (we were killed mid-way) is still
       * worth its file; only a write failure is fatal here */
      if (!hearth_stream_decoder_finish (self->decoder, &local))
        {
          if (!g_error_matches (local, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_REMOTE))
            g_debug ("stream decoder: %s", local->message);
          g_clear_error (&local);
        }
      if (!hearth_session_writer_finish (self->writer, &local))
        set_error (self, local);
    }

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

HearthProfile *
hearth_output_get_profile (HearthOutput *self)
{
  g_return_val_if_fail (HEARTH_IS_OUTPUT (self), NULL);
  return self->profile;
}

const char *
hearth_output_get_path (HearthOutput *self)
{
  return self->path;
}
