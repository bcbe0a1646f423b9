/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <signal.h>

#include <glib/gi18n.h>

#include "hearth-paths.h"
#include "hearth-recorder.h"
#include "hearth-remote-error.h"
#include "hearth-remote-stream.h"
#include "hearth-session-store.h"
#include "hearth-stream-reader.h"

#define TICK_INTERVAL_MS   500
#define STOP_TIMEOUT_MS    3000
#define STDERR_TAIL_LINES  8

struct _HearthRecorder
{
  GObject parent_instance;

  /* owned */
  HearthCollectorHost *host;
  HearthProfile       *profile;
  char                *process_name;
  char                *mode;
  char                *path;
  GSubprocess         *subprocess;
  HearthStreamReader  *reader;
  HearthSessionWriter *writer;      /* used only under writer_lock, off the main thread */
  GDataInputStream    *stderr_lines;
  GQueue               stderr_tail; /* of char*, the last lines the collector printed */
  char                *fatal_message;
  GError              *stream_error;

  /* state */
  GMutex               writer_lock;
  gboolean             writer_closed; /* under writer_lock */
  HearthRecorderState  state;
  int                  pid;
  guint                rate_hz;
  guint64              n_samples;
  guint                n_threads;
  guint64              dropped;
  double               sample_rate;
  guint64              rate_last_samples;
  gint64               rate_last_time;
  gint64               pause_start_ns;
  gint64               pause_start_us;
  guint                tick_id;
  guint                stop_timeout_id;
  guint                sync_in_flight : 1;
  guint                sync_error_shown : 1;
  guint                reader_done : 1;
  guint                process_exited : 1;
  guint                finishing : 1;
  guint                killed : 1;
  guint                held : 1;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_PATH,
  PROP_PROCESS_NAME,
  PROP_N_SAMPLES,
  PROP_N_THREADS,
  PROP_DROPPED,
  PROP_SAMPLE_RATE,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  N_SIGNALS
};

G_DEFINE_ENUM_TYPE (HearthRecorderState, hearth_recorder_state,
  G_DEFINE_ENUM_VALUE (HEARTH_RECORDER_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (HEARTH_RECORDER_STATE_RECORDING, "recording"),
  G_DEFINE_ENUM_VALUE (HEARTH_RECORDER_STATE_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (HEARTH_RECORDER_STATE_STOPPING, "stopping"),
  G_DEFINE_ENUM_VALUE (HEARTH_RECORDER_STATE_FINISHED, "finished"),
  G_DEFINE_ENUM_VALUE (HEARTH_RECORDER_STATE_FAILED, "failed"))

G_DEFINE_FINAL_TYPE (HearthRecorder, hearth_recorder, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_state (HearthRecorder      *self,
           HearthRecorderState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
update_stats (HearthRecorder *self)
{
  guint64 n_samples = hearth_profile_get_n_samples (self->profile);
  guint n_threads = hearth_profile_get_n_threads (self->profile);
  gint64 now = g_get_monotonic_time ();

  if (self->rate_last_time != 0 && now > self->rate_last_time)
    {
      double rate = (double) (n_samples - self->rate_last_samples) * G_USEC_PER_SEC
                    / (double) (now - self->rate_last_time);

      if (self->state == HEARTH_RECORDER_STATE_PAUSED || self->finishing)
        rate = 0;
      if (rate != self->sample_rate)
        {
          self->sample_rate = rate;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE_RATE]);
        }
    }
  self->rate_last_samples = n_samples;
  self->rate_last_time = now;

  if (n_samples != self->n_samples)
    {
      self->n_samples = n_samples;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SAMPLES]);
    }
  if (n_threads != self->n_threads)
    {
      self->n_threads = n_threads;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_THREADS]);
    }
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  HearthRecorder *self = source_object;
  gboolean finish = GPOINTER_TO_INT (task_data);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* Thread-pool order is not submission order: a sync that runs after
   * the final one must not touch the closed writer. */
  g_mutex_lock (&self->writer_lock);
  if (self->writer_closed)
    ok = TRUE;
  else if (finish)
    {
      ok = hearth_session_writer_finish (self->writer, &error);
      self->writer_closed = TRUE;
    }
  else
    ok = hearth_session_writer_sync (self->writer, &error);
  g_mutex_unlock (&self->writer_lock);

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
sync_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  HearthRecorder *self = HEARTH_RECORDER (object);
  g_autoptr(GError) error = NULL;

  self->sync_in_flight = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error) && !self->sync_error_shown)
    {
      g_autofree char *text = g_strdup_printf (_("Autosaving to %s failed: %s. Samples are kept in memory; use Save As to write them elsewhere."),
                                               self->path, error->message);
      self->sync_error_shown = TRUE;
      g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, FALSE, text);
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  HearthRecorder *self = user_data;

  update_stats (self);

  if (!self->sync_in_flight)
    {
      g_autoptr(GTask) task = g_task_new (self, NULL, sync_cb, NULL);

      self->sync_in_flight = TRUE;
      g_task_set_task_data (task, GINT_TO_POINTER (FALSE), NULL);
      g_task_run_in_thread (task, sync_thread);
    }

  return G_SOURCE_CONTINUE;
}

static char *
dup_stderr_tail (HearthRecorder *self)
{
  g_autoptr(GString) str = g_string_new (NULL);

  for (const GList *l = self->stderr_tail.head; l; l = l->next)
    {
      if (str->len)
        g_string_append_c (str, '\n');
      g_string_append (str, l->data);
    }
  return g_strstrip (g_string_free (g_steal_pointer (&str), FALSE));
}

/* Why the capture failed, in the collector's own words when it gave any,
 * or NULL if it ended cleanly. */
static char *
dup_failure (HearthRecorder *self)
{
  g_autofree char *tail = dup_stderr_tail (self);
  gboolean exited_ok = g_subprocess_get_if_exited (self->subprocess) &&
                       g_subprocess_get_exit_status (self->subprocess) == 0;

  if (self->fatal_message != NULL)
    return g_strdup (self->fatal_message);

  if (self->killed)
    return NULL;

  if (!exited_ok)
    {
      if (*tail)
        return g_steal_pointer (&tail);
      if (g_subprocess_get_if_signaled (self->subprocess))
        return g_strdup_printf (_("The collector for process %d was killed by signal %d. The samples received so far are kept."),
                                self->pid, g_subprocess_get_term_sig (self->subprocess));
      return g_strdup_printf (_("The collector for process %d exited with status %d. The samples received so far are kept."),
                              self->pid, g_subprocess_get_exit_status (self->subprocess));
    }

  if (self->stream_error != NULL)
    return g_strdup_printf (_("The collector stream for process %d ended unexpectedly: %s. The samples received so far are kept."),
                            self->pid, self->stream_error->message);

  return NULL;
}

static void
finish_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  HearthRecorder *self = HEARTH_RECORDER (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *failure = NULL;
  const HearthStreamStats *stats;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not finish the session file %s: %s"),
                                               self->path, error->message);
      g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, FALSE, text);
    }

  update_stats (self);
  if ((stats = hearth_stream_reader_get_stats (self->reader)) && stats->dropped != self->dropped)
    {
      self->dropped = stats->dropped;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DROPPED]);
    }

  if ((failure = dup_failure (self)))
    {
      g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, TRUE, failure);
      set_state (self, HEARTH_RECORDER_STATE_FAILED);
    }
  else
    {
      if (self->killed)
        g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, FALSE,
                       _("The collector did not stop in time and was ended; the last samples may be missing."));
      set_state (self, HEARTH_RECORDER_STATE_FINISHED);
    }

  if (self->held)
    {
      self->held = FALSE;
      if (g_application_get_default () != NULL)
        g_application_release (g_application_get_default ());
    }

  /* Drops the reference that kept us alive while recording. */
  g_object_unref (self);
}

/* A remote capture that ended without the collector's END record either
 * never started (unreachable, auth, host key, collector missing, permission
 * denied: classified from ssh's exit status and stderr) or lost its
 * connection mid-stream: then the session keeps what arrived and gets a
 * "connection-lost" marker, saved with it. A stop we asked for (Ctrl-C to
 * ssh) is neither. */
static void
note_remote_end (HearthRecorder *self)
{
  g_autofree char *tail = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (hearth_collector_host_is_local (self->host) ||
      hearth_stream_reader_get_stats (self->reader) != NULL ||
      self->fatal_message != NULL ||
      self->state == HEARTH_RECORDER_STATE_STOPPING)
    return;

  status = g_subprocess_get_if_exited (self->subprocess) ? g_subprocess_get_exit_status (self->subprocess) : 255;
  tail = dup_stderr_tail (self);

  if (self->n_samples == 0 && hearth_profile_get_n_samples (self->profile) == 0)
    {
      error = hearth_collector_host_classify_failure (self->host, status == 0 ? 255 : status, tail);
      self->fatal_message = g_strdup (error->message);
      return;
    }

  {
    gint64 at = hearth_profile_get_duration_ns (self->profile);
    g_autofree char *reason = hearth_remote_error_dup_ssh_reason (tail);
    g_autofree char *text = NULL;

    text = g_strdup_printf (_("The connection to %s was lost after %" PRIu64 " samples (%s). "
                              "The samples received so far are kept."),
                            hearth_collector_host_get_display_name (self->host),
                            hearth_profile_get_n_samples (self->profile),
                            reason ? reason : _("the SSH connection closed"));
    hearth_profile_add_marker (self->profile, at, at, HEARTH_MARKER_CONNECTION_LOST, text);
    self->fatal_message = g_steal_pointer (&text);
  }
}

static void
maybe_finish (HearthRecorder *self)
{
  g_autoptr(GTask) task = NULL;

  if (!self->reader_done || !self->process_exited || self->finishing)
    return;

  note_remote_end (self);

  self->finishing = TRUE;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);

  /* Ordered after any sync in flight by writer_lock. */
  task = g_task_new (self, NULL, finish_cb, NULL);
  g_task_set_task_data (task, GINT_TO_POINTER (TRUE), NULL);
  g_task_run_in_thread (task, sync_thread);
}

static void
reader_hello_cb (HearthRecorder          *self,
                 const HearthStreamHello *hello,
                 HearthStreamReader      *reader)
{
  if ((self->process_name == NULL || *self->process_name == 0) && hello->command_line != NULL)
    {
      g_auto(GStrv) argv = g_strsplit (hello->command_line, " ", 2);

      g_free (self->process_name);
      self->process_name = g_path_get_basename (argv[0] ? argv[0] : "");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROCESS_NAME]);
    }
}

static void
reader_message_cb (HearthRecorder     *self,
                   gboolean            fatal,
                   const char         *text,
                   HearthStreamReader *reader)
{
  if (fatal && self->fatal_message == NULL)
    self->fatal_message = g_strdup (text);
  else
    g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, FALSE, text);
}

static void
reader_done_cb (HearthRecorder     *self,
                const GError       *error,
                HearthStreamReader *reader)
{
  self->reader_done = TRUE;
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->stream_error = g_error_copy (error);

  /* A corrupt stream cannot be resynchronised: end the collector. */
  if (error != NULL && !self->process_exited)
    g_subprocess_send_signal (self->subprocess, SIGINT);

  maybe_finish (self);
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HearthRecorder) self = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  self->process_exited = TRUE;
  maybe_finish (self);
}

static void
stderr_line_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HearthRecorder) self = user_data;
  g_autofree char *line = NULL;
  gsize len;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, &len, NULL);
  if (line == NULL)
    return;

  g_debug ("collector: %s", line);
  if (*g_strstrip (line))
    {
      g_queue_push_tail (&self->stderr_tail, g_steal_pointer (&line));
      if (self->stderr_tail.length > STDERR_TAIL_LINES)
        g_free (g_queue_pop_head (&self->stderr_tail));
    }

  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (object), G_PRIORITY_DEFAULT,
                                       NULL, stderr_line_cb, g_object_ref (self));
}

static gboolean
stop_timeout_cb (gpointer user_data)
{
  HearthRecorder *self = user_data;

  self->stop_timeout_id = 0;
  if (!self->process_exited)
    {
      self->killed = TRUE;
      g_subprocess_force_exit (self->subprocess);
    }
  return G_SOURCE_REMOVE;
}

static void
hearth_recorder_dispose (GObject *object)
{
  HearthRecorder *self = (HearthRecorder *)object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);

  if (self->reader != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->reader, self);
      hearth_stream_reader_cancel (self->reader);
    }

  g_clear_object (&self->reader);
  g_clear_object (&self->stderr_lines);
  g_clear_object (&self->subprocess);
  g_clear_object (&self->writer);
  g_clear_object (&self->profile);
  g_clear_object (&self->host);

  G_OBJECT_CLASS (hearth_recorder_parent_class)->dispose (object);
}

static void
hearth_recorder_finalize (GObject *object)
{
  HearthRecorder *self = (HearthRecorder *)object;

  g_queue_clear_full (&self->stderr_tail, g_free);
  g_clear_pointer (&self->process_name, g_free);
  g_clear_pointer (&self->mode, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->fatal_message, g_free);
  g_clear_error (&self->stream_error);
  g_mutex_clear (&self->writer_lock);

  G_OBJECT_CLASS (hearth_recorder_parent_class)->finalize (object);
}

static void
hearth_recorder_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HearthRecorder *self = HEARTH_RECORDER (object);

  switch (prop_id)
    {
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_PATH: g_value_set_string (value, self->path); break;
    case PROP_PROCESS_NAME: g_value_set_string (value, self->process_name); break;
    case PROP_N_SAMPLES: g_value_set_uint64 (value, self->n_samples); break;
    case PROP_N_THREADS: g_value_set_uint (value, self->n_threads); break;
    case PROP_DROPPED: g_value_set_uint64 (value, self->dropped); break;
    case PROP_SAMPLE_RATE: g_value_set_double (value, self->sample_rate); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_recorder_class_init (HearthRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = hearth_recorder_dispose;
  object_class->finalize = hearth_recorder_finalize;
  object_class->get_property = hearth_recorder_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HEARTH_TYPE_RECORDER_STATE,
                       HEARTH_RECORDER_STATE_IDLE, flags);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);
  properties[PROP_PROCESS_NAME] = g_param_spec_string ("process-name", NULL, NULL, NULL, flags);
  properties[PROP_N_SAMPLES] = g_param_spec_uint64 ("n-samples", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_N_THREADS] = g_param_spec_uint ("n-threads", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_DROPPED] = g_param_spec_uint64 ("dropped", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_SAMPLE_RATE] = g_param_spec_double ("sample-rate", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
hearth_recorder_init (HearthRecorder *self)
{
  g_mutex_init (&self->writer_lock);
  g_queue_init (&self->stderr_tail);
}

HearthRecorder *
hearth_recorder_new (HearthCollectorHost *host,
                     HearthProfile       *profile,
                     int                  pid,
                     const char          *process_name,
                     const char          *mode,
                     guint                rate_hz)
{
  HearthRecorder *self;

  g_return_val_if_fail (HEARTH_IS_COLLECTOR_HOST (host), NULL);
  g_return_val_if_fail (HEARTH_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (pid > 0, NULL);

  self = g_object_new (HEARTH_TYPE_RECORDER, NULL);
  self->host = g_object_ref (host);
  self->profile = g_object_ref (profile);
  self->pid = pid;
  self->process_name = g_strdup (process_name);
  self->mode = g_strdup (mode ? mode : "wall");
  self->rate_hz = rate_hz ? rate_hz : 99;

  return self;
}

gboolean
hearth_recorder_start (HearthRecorder  *self,
                       const char      *path,
                       GError         **error)
{
  g_autofree char *pid_str = NULL;
  g_autofree char *rate_str = NULL;
  g_autofree char *autosave = NULL;
  GInputStream *err_pipe;

  g_return_val_if_fail (HEARTH_IS_RECORDER (self), FALSE);
  g_return_val_if_fail (self->state == HEARTH_RECORDER_STATE_IDLE, FALSE);

  autosave = path ? g_strdup (path) : hearth_paths_new_session_path (self->process_name);
  if (!(self->writer = hearth_session_writer_new (self->profile, autosave, error)))
    return FALSE;
  self->path = g_steal_pointer (&autosave);

  /* Saved with the session, so a file says which machine it profiled. */
  if (!hearth_collector_host_is_local (self->host))
    {
      hearth_profile_set_metadata (self->profile, "host", hearth_collector_host_get_display_name (self->host));
      hearth_profile_set_metadata (self->profile, "ssh-destination", hearth_collector_host_get_display_name (self->host));
    }

  pid_str = g_strdup_printf ("%d", self->pid);
  rate_str = g_strdup_printf ("%u", self->rate_hz);
  {
    const char * const args[] = { "stream", "--pid", pid_str, "--rate", rate_str,
                                  "--mode", self->mode, NULL };

    /* Over ssh, Ctrl-C would only kill our ssh: the remote collector is
     * stopped by closing its stdin instead (see hearth_recorder_stop). */
    GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;

    if (!hearth_collector_host_is_local (self->host))
      flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
    self->subprocess = hearth_collector_host_spawn (self->host, args, flags, error);
  }
  if (self->subprocess == NULL)
    {
      hearth_session_writer_finish (self->writer, NULL);
      return FALSE;
    }

  /* Keep ourselves (and the application) alive until the file is final,
   * even if the window that started us goes away. */
  g_object_ref (self);
  if (g_application_get_default () != NULL)
    {
      g_application_hold (g_application_get_default ());
      self->held = TRUE;
    }

  self->reader = hearth_stream_reader_new (self->profile, g_subprocess_get_stdout_pipe (self->subprocess));
  g_signal_connect_swapped (self->reader, "hello", G_CALLBACK (reader_hello_cb), self);
  g_signal_connect_swapped (self->reader, "message", G_CALLBACK (reader_message_cb), self);
  g_signal_connect_swapped (self->reader, "done", G_CALLBACK (reader_done_cb), self);
  hearth_stream_reader_start (self->reader);

  err_pipe = g_subprocess_get_stderr_pipe (self->subprocess);
  self->stderr_lines = g_data_input_stream_new (err_pipe);
  g_data_input_stream_read_line_async (self->stderr_lines, G_PRIORITY_DEFAULT, NULL,
                                       stderr_line_cb, g_object_ref (self));
  g_subprocess_wait_async (self->subprocess, NULL, wait_cb, g_object_ref (self));

  self->rate_last_time = g_get_monotonic_time ();
  self->tick_id = g_timeout_add (TICK_INTERVAL_MS, tick_cb, self);
  set_state (self, HEARTH_RECORDER_STATE_RECORDING);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);

  return TRUE;
}

void
hearth_recorder_set_paused (HearthRecorder *self,
                            gboolean        paused)
{
  g_return_if_fail (HEARTH_IS_RECORDER (self));

  if (paused && self->state == HEARTH_RECORDER_STATE_RECORDING)
    {
      self->pause_start_ns = hearth_profile_get_duration_ns (self->profile);
      self->pause_start_us = g_get_monotonic_time ();
      hearth_stream_reader_set_paused (self->reader, TRUE);
      set_state (self, HEARTH_RECORDER_STATE_PAUSED);
      update_stats (self);
    }
  else if (!paused && self->state == HEARTH_RECORDER_STATE_PAUSED)
    {
      gint64 elapsed_ns = (g_get_monotonic_time () - self->pause_start_us) * 1000;

      hearth_profile_add_marker (self->profile, self->pause_start_ns,
                                 self->pause_start_ns + elapsed_ns,
                                 "paused", _("Recording paused"));
      hearth_stream_reader_set_paused (self->reader, FALSE);
      set_state (self, HEARTH_RECORDER_STATE_RECORDING);
    }
}

void
hearth_recorder_stop (HearthRecorder *self)
{
  g_return_if_fail (HEARTH_IS_RECORDER (self));

  if (self->state != HEARTH_RECORDER_STATE_RECORDING &&
      self->state != HEARTH_RECORDER_STATE_PAUSED)
    return;

  hearth_recorder_set_paused (self, FALSE);
  set_state (self, HEARTH_RECORDER_STATE_STOPPING);
  if (!self->process_exited)
    {
      if (hearth_collector_host_is_local (self->host))
        g_subprocess_send_signal (self->subprocess, SIGINT);
      else
        g_output_stream_close (g_subprocess_get_stdin_pipe (self->subprocess), NULL, NULL);
      self->stop_timeout_id = g_timeout_add (STOP_TIMEOUT_MS, stop_timeout_cb, self);
    }
}

static void
move_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  HearthRecorder *self = source_object;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_mutex_lock (&self->writer_lock);
  ok = hearth_session_writer_move (self->writer, task_data, &error);
  g_mutex_unlock (&self->writer_lock);

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
hearth_recorder_move_async (HearthRecorder      *self,
                            const char          *new_path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HEARTH_IS_RECORDER (self));
  g_return_if_fail (new_path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hearth_recorder_move_async);
  g_task_set_task_data (task, g_strdup (new_path), g_free);

  if (self->writer == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The recording has no session file yet."));
      return;
    }

  g_task_run_in_thread (task, move_thread);
}

gboolean
hearth_recorder_move_finish (HearthRecorder  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  g_free (self->path);
  self->path = g_strdup (g_task_get_task_data (G_TASK (result)));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
  return TRUE;
}

HearthRecorderState hearth_recorder_get_state (HearthRecorder *self) { return self->state; }
HearthProfile *hearth_recorder_get_profile (HearthRecorder *self) { return self->profile; }
HearthCollectorHost *hearth_recorder_get_host (HearthRecorder *self) { return self->host; }
const char *hearth_recorder_get_path (HearthRecorder *self) { return self->path; }
int hearth_recorder_get_pid (HearthRecorder *self) { return self->pid; }
const char *hearth_recorder_get_process_name (HearthRecorder *self) { return self->process_name; }
guint64 hearth_recorder_get_n_samples (HearthRecorder *self) { return self->n_samples; }
guint hearth_recorder_get_n_threads (HearthRecorder *self) { return self->n_threads; }
guint64 hearth_recorder_get_dropped (HearthRecorder *self) { return self->dropped; }
double hearth_recorder_get_sample_rate (HearthRecorder *self) { return self->sample_rate; }

gboolean
hearth_recorder_is_active (HearthRecorder *self)
{
  g_return_val_if_fail (HEARTH_IS_RECORDER (self), FALSE);

  return self->state == HEARTH_RECORDER_STATE_RECORDING ||
         self->state == HEARTH_RECORDER_STATE_PAUSED ||
         self->state == HEARTH_RECORDER_STATE_STOPPING;
}
