/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>

#include "hearth-error.h"
#include "hearth-remote-error.h"
#include "hearth-remote-private.h"
#include "hearth-remote-stream.h"

#define READ_SIZE          (64 * 1024)
#define STDERR_KEEP        (16 * 1024)   /* the tail that explains a failure */
#define POLL_INTERVAL_MS   200
#define SYNC_INTERVAL_US   (500 * G_TIME_SPAN_MILLISECOND)
#define STOP_GRACE_US      (3 * G_TIME_SPAN_SECOND)
#define EXIT_GRACE_US      (3 * G_TIME_SPAN_SECOND)

struct _HearthRemoteStream
{
  GObject parent_instance;

  /* owned */
  HearthRemoteCollector *collector;
  HearthProfile         *profile;
  HearthSessionWriter   *writer;
  HearthStreamDecoder   *decoder;
  GSubprocess           *child;
  GString               *stderr_tail;
  char                  *fatal_message;   /* first fatal ERROR record */
  GError                *stream_error;    /* from the decoder */

  /* any thread */
  gint                   stop_requested;  /* atomic */
  gint                   child_pid;       /* atomic */
  gsize                  n_bytes;         /* atomic */

  /* run thread */
  gint64                 stop_sent_us;    /* when stdin was closed, 0 before */
  gint64                 last_sync_us;
  guint64                synced_generation;
  gboolean               ran;
};

enum {
  SIGNAL_HELLO,
  SIGNAL_MESSAGE,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (HearthRemoteStream, hearth_remote_stream, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

static int
pipe_fd (GInputStream *stream)
{
  return g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (stream));
}

static void
keep_stderr (HearthRemoteStream *self,
             const char         *data,
             gsize               len)
{
  g_string_append_len (self->stderr_tail, data, len);
  if (self->stderr_tail->len > STDERR_KEEP)
    g_string_erase (self->stderr_tail, 0, self->stderr_tail->len - STDERR_KEEP);
}

/* Read what stderr holds without blocking (after the child is gone). */
static void
drain_stderr (HearthRemoteStream *self,
              int                 fd)
{
  char buf[4096];
  struct pollfd pfd = { .fd = fd, .events = POLLIN };

  while (fd >= 0 && poll (&pfd, 1, 0) > 0 && (pfd.revents & (POLLIN | POLLHUP)))
    {
      gssize n = read (fd, buf, sizeof buf);

      if (n <= 0)
        break;
      keep_stderr (self, buf, n);
    }
}

static gboolean
sync_writer (HearthRemoteStream  *self,
             gboolean             force,
             GError             **error)
{
  gint64 now = g_get_monotonic_time ();
  guint64 generation;

  if (self->writer == NULL)
    return TRUE;
  if (!force && now - self->last_sync_us < SYNC_INTERVAL_US)
    return TRUE;

  generation = hearth_profile_get_generation (self->profile);
  self->last_sync_us = now;
  if (!force && generation == self->synced_generation)
    return TRUE;

  self->synced_generation = generation;
  return hearth_session_writer_sync (self->writer, error);
}

/* Act on stop(): close stdin once, then terminate the child if it has not
 * finished within the grace period. */
static void
handle_stop (HearthRemoteStream *self)
{
  if (!g_atomic_int_get (&self->stop_requested))
    return;

  if (self->stop_sent_us == 0)
    {
      GOutputStream *in = g_subprocess_get_stdin_pipe (self->child);

      self->stop_sent_us = g_get_monotonic_time ();
      if (in != NULL)
        g_output_stream_close (in, NULL, NULL);
      if (hearth_remote_collector_is_local (self->collector))
        g_subprocess_send_signal (self->child, SIGINT);
    }
  else if (g_get_monotonic_time () - self->stop_sent_us > STOP_GRACE_US)
    {
      g_debug ("The collector did not end %d s after stop; terminating it",
               (int) (STOP_GRACE_US / G_TIME_SPAN_SECOND));
      g_subprocess_send_signal (self->child, SIGTERM);
      self->stop_sent_us = G_MAXINT64 / 2;   /* only once */
    }
}

/* Wait for the child to exit, draining stderr; terminate, then kill it
 * if it lingers. */
static void
reap_child (HearthRemoteStream *self,
            int                 stderr_fd)
{
  gint64 deadline = g_get_monotonic_time () + EXIT_GRACE_US;
  gboolean terminated = FALSE;

  while (g_subprocess_get_identifier (self->child) != NULL)
    {
      struct pollfd pfd = { .fd = stderr_fd, .events = POLLIN };

      if (g_get_monotonic_time () > deadline)
        {
          if (terminated)
            {
              g_subprocess_force_exit (self->child);
              break;
            }
          g_subprocess_send_signal (self->child, SIGTERM);
          terminated = TRUE;
          deadline = g_get_monotonic_time () + G_TIME_SPAN_SECOND;
        }

      if (stderr_fd >= 0 && poll (&pfd, 1, 10) > 0)
        {
          char buf[4096];
          gssize n = read (stderr_fd, buf, sizeof buf);

          if (n > 0)
            keep_stderr (self, buf, n);
          else
            stderr_fd = -1;
        }
      else if (stderr_fd < 0)
        g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }

  g_subprocess_wait (self->child, NULL, NULL);
  drain_stderr (self, stderr_fd);
}

static int
get_exit_status (GSubprocess *child)
{
  if (g_subprocess_get_if_exited (child))
    return g_subprocess_get_exit_status (child);
  return -1;
}

static GError *
stream_error_to_remote (HearthRemoteStream *self)
{
  const GError *e = self->stream_error;
  const char *host = hearth_remote_collector_get_host (self->collector);

  if (g_error_matches (e, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_VERSION))
    return g_error_new_literal (HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_VERSION_MISMATCH, e->message);

  if (g_error_matches (e, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_BAD_MAGIC) && host != NULL)
    return g_error_new (HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_BAD_STREAM,
                        _("%s did not send a collector stream: %s If the login shell on %s "
                          "prints text (e.g. in ~/.bashrc), make it quiet for "
                          "non-interactive sessions."),
                        host, e->message, host);

  return g_error_new_literal (HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_BAD_STREAM, e->message);
}

/* The stream stopped without END. */
static GError *
connection_lost (HearthRemoteStream *self,
                 int                 status)
{
  const char *host = hearth_remote_collector_get_host (self->collector);
  g_autofree char *reason = hearth_remote_error_dup_ssh_reason (self->stderr_tail->str);
  g_autofree char *text = NULL;
  guint64 n_samples = hearth_profile_get_n_samples (self->profile);

  if (reason == NULL && g_subprocess_get_if_signaled (self->child))
    reason = g_strdup_printf (_("killed by signal %d"), g_subprocess_get_term_sig (self->child));
  else if (reason == NULL && host != NULL && status == 255)
    reason = g_strdup (_("the SSH connection closed"));
  else if (reason == NULL)
    reason = g_strdup_printf (_("exit status %d"), status);

  if (host != NULL)
    text = g_strdup_printf (_("The connection to %s was lost after %" PRIu64 " samples (%s). "
                              "The samples received so far are kept."),
                            host, n_samples, reason);
  else
    text = g_strdup_printf (_("The collector stopped without ending its stream after %" PRIu64
                              " samples (%s). The samples received so far are kept."),
                            n_samples, reason);

  {
    gint64 at = hearth_profile_get_duration_ns (self->profile);
    hearth_profile_add_marker (self->profile, at, at, HEARTH_MARKER_CONNECTION_LOST, text);
  }

  return g_error_new_literal (HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_CONNECTION_LOST, text);
}

/* Decide how the run ended. NULL: success. */
static GError *
outcome (HearthRemoteStream *self,
         gboolean            cancelled)
{
  int status = get_exit_status (self->child);
  gboolean has_hello = hearth_stream_decoder_has_hello (self->decoder);
  gboolean ended = hearth_stream_decoder_has_ended (self->decoder);
  const char *host = hearth_remote_collector_get_host (self->collector);
  const char *path = hearth_remote_collector_get_collector_path (self->collector);

  if (cancelled)
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Recording was cancelled"));

  /* The collector said why it stopped. */
  if (self->fatal_message != NULL)
    return hearth_remote_error_classify (host, path, status == 0 ? 1 : status,
                                         self->stderr_tail->str, self->fatal_message);

  if (self->stream_error != NULL &&
      !g_error_matches (self->stream_error, HEARTH_STREAM_ERROR, HEARTH_STREAM_ERROR_TRUNCATED))
    {
      /* A remote shell that failed to find the collector may also have
       * printed something to stdout: its exit status says more. */
      if (!has_hello && (status == 126 || status == 127))
        return hearth_remote_error_classify (host, path, status, self->stderr_tail->str, NULL);
      return stream_error_to_remote (self);
    }

  if (ended)
    return NULL;

  if (!has_hello)
    {
      if (status != 0)
        return hearth_remote_error_classify (host, path, status, self->stderr_tail->str, NULL);
      return g_error_new (HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_COLLECTOR_FAILED,
                          _("hearth-collector on %s ended without sending anything."),
                          host ? host : _("this computer"));
    }

  /* We asked it to stop and it went away: that is the end we wanted. */
  if (g_atomic_int_get (&self->stop_requested))
    return NULL;

  return connection_lost (self, status);
}

static void
decoder_hello_cb (HearthRemoteStream      *self,
                  const HearthStreamHello *hello,
                  HearthStreamDecoder     *decoder)
{
  const HearthSshDestination *destination = hearth_remote_collector_get_destination (self->collector);

  /* The collector names its own host; also record how we reached it. */
  if (destination != NULL)
    hearth_profile_set_metadata (self->profile, "ssh-destination",
                                 hearth_remote_collector_get_host (self->collector));
  g_signal_emit (self, signals[SIGNAL_HELLO], 0, hello);
}

static void
decoder_error_cb (HearthRemoteStream  *self,
                  gboolean             fatal,
                  const char          *message,
                  HearthStreamDecoder *decoder)
{
  if (fatal && self->fatal_message == NULL)
    self->fatal_message = g_strdup (message ? message : "");
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, fatal, message);
}

/* The read loop. Returns when stdout closed, the decoder failed, or the
 * run was cancelled. */
static void
pump (HearthRemoteStream *self,
      int                 out_fd,
      int                 err_fd,
      GCancellable       *cancellable,
      GError            **write_error)
{
  g_autofree guint8 *buf = g_malloc (READ_SIZE);
  GPollFD cancel_fd = { -1 };
  gboolean has_cancel_fd = cancellable != NULL && g_cancellable_make_pollfd (cancellable, &cancel_fd);

  for (;;)
    {
      struct pollfd pfds[3] = {
        { .fd = out_fd, .events = POLLIN },
        { .fd = err_fd, .events = POLLIN },
        { .fd = has_cancel_fd ? cancel_fd.fd : -1, .events = POLLIN },
      };
      int r;

      handle_stop (self);
      r = poll (pfds, G_N_ELEMENTS (pfds), POLL_INTERVAL_MS);
      if (r < 0 && errno != EINTR)
        break;
      if (g_cancellable_is_cancelled (cancellable))
        break;

      if (pfds[1].revents & (POLLIN | POLLHUP | POLLERR))
        {
          gssize n = read (err_fd, buf, READ_SIZE);

          if (n > 0)
            keep_stderr (self, (const char *) buf, n);
          else
            err_fd = -1;   /* poll ignores negative fds */
        }

      if (pfds[0].revents & (POLLIN | POLLHUP | POLLERR))
        {
          gssize n = read (out_fd, buf, READ_SIZE);

          if (n <= 0)
            {
              if (n == 0 || errno != EINTR)
                break;
              continue;
            }
          g_atomic_pointer_add (&self->n_bytes, n);
          if (!hearth_stream_decoder_feed (self->decoder, buf, n, &self->stream_error))
            break;
        }

      if (*write_error == NULL)
        sync_writer (self, FALSE, write_error);
    }

  if (has_cancel_fd)
    g_cancellable_release_fd (cancellable);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;

  if (hearth_remote_stream_run (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
hearth_remote_stream_dispose (GObject *object)
{
  HearthRemoteStream *self = (HearthRemoteStream *)object;

  if (self->decoder != NULL)
    g_signal_handlers_disconnect_by_data (self->decoder, self);

  g_clear_object (&self->decoder);
  g_clear_object (&self->child);
  g_clear_object (&self->writer);
  g_clear_object (&self->profile);
  g_clear_object (&self->collector);

  G_OBJECT_CLASS (hearth_remote_stream_parent_class)->dispose (object);
}

static void
hearth_remote_stream_finalize (GObject *object)
{
  HearthRemoteStream *self = (HearthRemoteStream *)object;

  g_string_free (self->stderr_tail, TRUE);
  g_clear_pointer (&self->fatal_message, g_free);
  g_clear_error (&self->stream_error);

  G_OBJECT_CLASS (hearth_remote_stream_parent_class)->finalize (object);
}

static void
hearth_remote_stream_class_init (HearthRemoteStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hearth_remote_stream_dispose;
  object_class->finalize = hearth_remote_stream_finalize;

  signals[SIGNAL_HELLO] =
    g_signal_new ("hello", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
hearth_remote_stream_init (HearthRemoteStream *self)
{
  self->stderr_tail = g_string_new (NULL);
}

HearthRemoteStream *
hearth_remote_stream_new (HearthRemoteCollector *collector,
                          HearthProfile         *profile)
{
  HearthRemoteStream *self;

  g_return_val_if_fail (HEARTH_IS_REMOTE_COLLECTOR (collector), NULL);
  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), NULL);

  self = g_object_new (HEARTH_TYPE_REMOTE_STREAM, NULL);
  self->collector = g_object_ref (collector);
  self->profile = g_object_ref (profile);
  self->decoder = hearth_stream_decoder_new (profile);
  hearth_stream_decoder_set_remote_host (self->decoder, hearth_remote_collector_get_host (collector));

  g_signal_connect_swapped (self->decoder, "hello", G_CALLBACK (decoder_hello_cb), self);
  g_signal_connect_swapped (self->decoder, "error", G_CALLBACK (decoder_error_cb), self);

  return self;
}

void
hearth_remote_stream_set_writer (HearthRemoteStream  *self,
                                 HearthSessionWriter *writer)
{
  g_return_if_fail (HEARTH_IS_REMOTE_STREAM (self));
  g_return_if_fail (!self->ran);

  g_set_object (&self->writer, writer);
}

gboolean
hearth_remote_stream_run (HearthRemoteStream  *self,
                          const char * const  *args,
                          GCancellable        *cancellable,
                          GError             **error)
{
  g_autoptr(GError) write_error = NULL;
  g_autoptr(GError) failure = NULL;
  const char *ident;
  int out_fd, err_fd;
  gboolean cancelled;

  g_return_val_if_fail (HEARTH_IS_REMOTE_STREAM (self), FALSE);
  g_return_val_if_fail (args != NULL && args[0] != NULL, FALSE);
  g_return_val_if_fail (!self->ran, FALSE);

  self->ran = TRUE;
  if (!(self->child = hearth_remote_collector_spawn (self->collector, args, error)))
    return FALSE;

  if ((ident = g_subprocess_get_identifier (self->child)) != NULL)
    g_atomic_int_set (&self->child_pid, atoi (ident));

  out_fd = pipe_fd (g_subprocess_get_stdout_pipe (self->child));
  err_fd = pipe_fd (g_subprocess_get_stderr_pipe (self->child));

  pump (self, out_fd, err_fd, cancellable, &write_error);

  cancelled = g_cancellable_is_cancelled (cancellable);
  if (cancelled || self->stream_error != NULL)
    {
      /* A corrupt stream cannot be resynchronised; over ssh, ending the
       * client drops the connection and the remote collector with it. */
      g_subprocess_send_signal (self->child, SIGTERM);
    }
  else if (!hearth_stream_decoder_finish (self->decoder, &self->stream_error))
    {
      /* TRUNCATED: handled as a lost connection below. */
    }

  reap_child (self, err_fd);
  g_atomic_int_set (&self->child_pid, 0);

  failure = outcome (self, cancelled);

  /* Keep everything received, whatever happened. */
  if (write_error == NULL)
    sync_writer (self, TRUE, &write_error);

  if (failure != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&failure));
      return FALSE;
    }
  if (write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&write_error));
      return FALSE;
    }
  return TRUE;
}

void
hearth_remote_stream_run_async (HearthRemoteStream  *self,
                                const char * const  *args,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HEARTH_IS_REMOTE_STREAM (self));
  g_return_if_fail (args != NULL && args[0] != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hearth_remote_stream_run_async);
  g_task_set_task_data (task, g_strdupv ((char **) args), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, run_thread);
}

gboolean
hearth_remote_stream_run_finish (HearthRemoteStream  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hearth_remote_stream_stop (HearthRemoteStream *self)
{
  g_return_if_fail (HEARTH_IS_REMOTE_STREAM (self));
  g_atomic_int_set (&self->stop_requested, TRUE);
}

GPid
hearth_remote_stream_get_child_pid (HearthRemoteStream *self)
{
  g_return_val_if_fail (HEARTH_IS_REMOTE_STREAM (self), 0);
  return g_atomic_int_get (&self->child_pid);
}

guint64
hearth_remote_stream_get_n_bytes (HearthRemoteStream *self)
{
  g_return_val_if_fail (HEARTH_IS_REMOTE_STREAM (self), 0);
  return (guint64) (gsize) g_atomic_pointer_get (&self->n_bytes);
}

const HearthStreamHello *
hearth_remote_stream_get_hello (HearthRemoteStream *self)
{
  g_return_val_if_fail (HEARTH_IS_REMOTE_STREAM (self), NULL);
  return hearth_stream_decoder_get_hello (self->decoder);
}

const HearthStreamStats *
hearth_remote_stream_get_stats (HearthRemoteStream *self)
{
  g_return_val_if_fail (HEARTH_IS_REMOTE_STREAM (self), NULL);
  return hearth_stream_decoder_get_stats (self->decoder);
}

HearthProfile *
hearth_remote_stream_get_profile (HearthRemoteStream *self)
{
  g_return_val_if_fail (HEARTH_IS_REMOTE_STREAM (self), NULL);
  return self->profile;
}

HearthRemoteCollector *
hearth_remote_stream_get_collector (HearthRemoteStream *self)
{
  g_return_val_if_fail (HEARTH_IS_REMOTE_STREAM (self), NULL);
  return self->collector;
}

GStrv
hearth_remote_stream_build_args (int         pid,
                                 guint       rate_hz,
                                 const char *mode,
                                 double      duration_s)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, "stream");
  g_strv_builder_add (builder, "--pid");
  _hearth_strv_builder_take (builder, g_strdup_printf ("%d", pid));
  if (rate_hz > 0)
    {
      g_strv_builder_add (builder, "--rate");
      _hearth_strv_builder_take (builder, g_strdup_printf ("%u", rate_hz));
    }
  if (mode != NULL)
    g_strv_builder_add_many (builder, "--mode", mode, NULL);
  if (duration_s > 0)
    {
      char num[G_ASCII_DTOSTR_BUF_SIZE];

      g_strv_builder_add (builder, "--duration");
      g_strv_builder_add (builder, g_ascii_formatd (num, sizeof num, "%g", duration_s));
    }
  return g_strv_builder_end (builder);
}
