/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "hearth-record-command.h"
#include "hearth-remote-error.h"
#include "hearth-remote-stream.h"
#include "hearth-ssh-host-key.h"

typedef struct
{
  /* options */
  char     *remote;
  int       pid;
  int       port;
  char     *identity;
  char     *collector;
  double    duration;
  int       rate;
  char     *mode;
  char     *output;
  char     *known_hosts;
  gboolean  batch;
  gboolean  quiet;

  /* state */
  GMainLoop          *loop;
  HearthRemoteStream *stream;
  GCancellable       *cancellable;
  GError             *error;
  guint               n_signals;
  gboolean            done;
} Record;

static void
record_clear (Record *r)
{
  g_clear_pointer (&r->remote, g_free);
  g_clear_pointer (&r->identity, g_free);
  g_clear_pointer (&r->collector, g_free);
  g_clear_pointer (&r->mode, g_free);
  g_clear_pointer (&r->output, g_free);
  g_clear_pointer (&r->known_hosts, g_free);
  g_clear_pointer (&r->loop, g_main_loop_unref);
  g_clear_object (&r->stream);
  g_clear_object (&r->cancellable);
  g_clear_error (&r->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Record, record_clear)

static int
usage (GOptionContext *context,
       const char     *message)
{
  g_printerr (_("hearth record: %s\nRun “hearth record --help” to see the options.\n"), message);
  return HEARTH_RECORD_EXIT_USAGE;
}

static gboolean
parse (Record    *r,
       int        argc,
       char     **argv,
       int       *exit_status)
{
  const GOptionEntry entries[] = {
    { "remote", 0, 0, G_OPTION_ARG_STRING, &r->remote,
      N_("Record on DEST (user@host or an ~/.ssh/config alias) through ssh"), N_("DEST") },
    { "pid", 'p', 0, G_OPTION_ARG_INT, &r->pid, N_("The process to record"), N_("PID") },
    { "port", 0, 0, G_OPTION_ARG_INT, &r->port, N_("SSH port (default: from ssh_config, else 22)"), N_("PORT") },
    { "identity", 'i', 0, G_OPTION_ARG_FILENAME, &r->identity, N_("SSH private key to log in with"), N_("FILE") },
    { "collector", 0, 0, G_OPTION_ARG_FILENAME, &r->collector,
      N_("hearth-collector to run (default: found in the remote PATH, or next to hearth)"), N_("PATH") },
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &r->duration, N_("Stop after S seconds (default: Ctrl-C)"), N_("S") },
    { "rate", 'r', 0, G_OPTION_ARG_INT, &r->rate, N_("Samples per second per thread (default 99)"), N_("HZ") },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &r->mode, N_("wall (every thread, default) or cpu (running threads)"), N_("MODE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &r->output, N_("The session file to write"), N_("FILE.profsession") },
    { "known-hosts", 0, 0, G_OPTION_ARG_FILENAME, &r->known_hosts,
      N_("Use this known_hosts file instead of ssh_config’s"), N_("FILE") },
    { "batch", 0, 0, G_OPTION_ARG_NONE, &r->batch,
      N_("Never prompt (the default when stdin is not a terminal)"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &r->quiet, N_("Print errors only"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char **args = g_new0 (char *, argc + 1);
  int n_args = 0;

  /* GOptionContext rearranges argv: work on a shallow copy, without the
   * "record" word. */
  for (int i = 0; i < argc; i++)
    if (!(i == 1 && g_strcmp0 (argv[i], "record") == 0))
      args[n_args++] = argv[i];
  /* Names the command in --help when no program name was set yet. */
  if (n_args > 0)
    args[0] = (char *) "hearth record";

  g_option_context_set_summary (context,
                                _("Record a running process into a .profsession file, on this "
                                  "computer or on another one through SSH, without a display."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);

  *exit_status = HEARTH_RECORD_EXIT_USAGE;
  if (!g_option_context_parse (context, &n_args, &args, &error))
    {
      usage (context, error->message);
      return FALSE;
    }
  if (n_args > 1)
    {
      g_autofree char *msg = g_strdup_printf (_("unexpected argument “%s”"), args[1]);
      usage (context, msg);
      return FALSE;
    }
  if (r->pid <= 0)
    {
      usage (context, _("--pid PID is required (a process ID above 0)"));
      return FALSE;
    }
  if (r->output == NULL || *r->output == 0)
    {
      usage (context, _("-o FILE.profsession is required"));
      return FALSE;
    }
  if (r->mode != NULL && strcmp (r->mode, "wall") != 0 && strcmp (r->mode, "cpu") != 0)
    {
      usage (context, _("--mode must be wall or cpu"));
      return FALSE;
    }
  if (r->rate < 0 || r->rate > 100000)
    {
      usage (context, _("--rate must be between 1 and 100000 samples per second"));
      return FALSE;
    }
  if (r->duration < 0 || r->duration > 30 * 24 * 3600)
    {
      usage (context, _("--duration must be a positive number of seconds"));
      return FALSE;
    }
  if (r->port < 0 || r->port > 65535 || (r->port != 0 && r->remote == NULL))
    {
      usage (context, _("--port must be 1–65535, and goes with --remote"));
      return FALSE;
    }
  if ((r->identity != NULL || r->known_hosts != NULL) && r->remote == NULL)
    {
      usage (context, _("--identity and --known-hosts go with --remote"));
      return FALSE;
    }

  if (!isatty (STDIN_FILENO))
    r->batch = TRUE;
  *exit_status = HEARTH_RECORD_EXIT_OK;
  return TRUE;
}

static gboolean
ask_yes_no (const char *question)
{
  char answer[16] = "";

  g_printerr ("%s ", question);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  return answer[0] == 'y' || answer[0] == 'Y';
}

/* Interactive only: the terminal shows the fingerprint of an unknown host
 * key and asks, as ssh would, before anything connects. */
static gboolean
confirm_host_key (const HearthSshDestination  *destination,
                  GError                     **error)
{
  g_autoptr(HearthSshHostKeyProbe) probe = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *question = NULL;

  if (!(probe = hearth_ssh_probe_host_key (destination, NULL, &local_error)))
    {
      /* A jump host or an odd config: let ssh itself decide and explain. */
      g_debug ("Host key probe failed: %s", local_error->message);
      return TRUE;
    }

  if (probe->status != HEARTH_SSH_HOST_KEY_UNKNOWN)
    return hearth_ssh_accept_host_key (probe, error);

  g_printerr (_("The authenticity of host %s can’t be established.\n"
                "%s key fingerprint is %s.\n"),
              probe->host_name, probe->key.type, probe->key.fingerprint);
  if (probe->other_known_types != NULL)
    g_printerr (_("Keys of other types are already known for this host: %s.\n"),
                probe->other_known_types);

  question = g_strdup_printf (_("Trust this key and add it to %s? [y/N]"), probe->known_hosts_file);
  if (!ask_yes_no (question))
    {
      g_set_error (error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_HOST_KEY_UNKNOWN,
                   _("The host key of %s was not confirmed; not connecting."), probe->host_name);
      return FALSE;
    }
  return hearth_ssh_accept_host_key (probe, error);
}

static void
stream_hello_cb (HearthRemoteStream      *stream,
                 const HearthStreamHello *hello,
                 Record                  *r)
{
  const char *host = hearth_remote_collector_get_host (hearth_remote_stream_get_collector (stream));

  if (!r->quiet)
    g_printerr (_("Recording process %d (%s) on %s at %u Hz, %s mode. Ctrl-C stops.\n"),
                hello->pid, hello->command_line ? hello->command_line : "?",
                host ? host : hello->host, hello->rate_hz, hello->mode ? hello->mode : "wall");
}

static void
stream_message_cb (HearthRemoteStream *stream,
                   gboolean            fatal,
                   const char         *text,
                   Record             *r)
{
  /* Fatal messages come back as the run's error. */
  if (!fatal && !r->quiet)
    g_printerr ("hearth record: %s\n", text);
}

static gboolean
signal_cb (gpointer user_data)
{
  Record *r = user_data;

  /* First signal: end cleanly. Second: abandon. */
  if (r->n_signals++ == 0)
    {
      if (!r->quiet)
        g_printerr (_("Stopping…\n"));
      hearth_remote_stream_stop (r->stream);
    }
  else
    g_cancellable_cancel (r->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Record *r = user_data;

  hearth_remote_stream_run_finish (HEARTH_REMOTE_STREAM (object), result, &r->error);
  r->done = TRUE;
  g_main_loop_quit (r->loop);
}

static HearthRemoteCollector *
make_collector (Record   *r,
                GError  **error)
{
  g_autoptr(HearthSshDestination) destination = NULL;

  if (r->remote == NULL)
    return hearth_remote_collector_new_local (r->collector);

  destination = hearth_ssh_destination_new (r->remote);
  destination->port = r->port;
  destination->identity_file = g_strdup (r->identity);
  destination->known_hosts_file = g_strdup (r->known_hosts);
  destination->batch_mode = r->batch;
  if (!hearth_ssh_destination_validate (destination, error))
    return NULL;
  if (!r->batch && !confirm_host_key (destination, error))
    return NULL;

  return hearth_remote_collector_new_ssh (destination, r->collector);
}

static guint
attach_signal (GMainContext *context,
               int           signum,
               Record       *r)
{
  g_autoptr(GSource) source = g_unix_signal_source_new (signum);

  g_source_set_callback (source, signal_cb, r, NULL);
  return g_source_attach (source, context);
}

static void
print_summary (Record        *r,
               HearthProfile *profile)
{
  const char *host = hearth_remote_collector_get_host (hearth_remote_stream_get_collector (r->stream));
  const HearthStreamStats *stats = hearth_remote_stream_get_stats (r->stream);
  guint n_threads = hearth_profile_get_n_threads (profile);
  g_autofree char *threads = NULL;

  if (r->quiet)
    return;

  threads = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u thread", "%u threads", n_threads), n_threads);
  g_printerr (_("%" PRIu64 " samples of %s over %.1f s from %s written to %s"),
              hearth_profile_get_n_samples (profile), threads,
              hearth_profile_get_duration_ns (profile) / 1e9,
              host ? host : _("this computer"), r->output);
  if (stats != NULL && (stats->unwind_failures || stats->dropped))
    g_printerr (_(" (%" PRIu64 " stacks failed to unwind, %" PRIu64 " samples dropped)"),
                stats->unwind_failures, stats->dropped);
  g_printerr (".\n");
}

int
hearth_record_command (int    argc,
                       char **argv)
{
  g_auto(Record) r = { 0 };
  g_autoptr(HearthRemoteCollector) collector = NULL;
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(HearthSessionWriter) writer = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  guint signal_ids[3];
  gboolean has_hello;
  int status;

  if (!parse (&r, argc, argv, &status))
    return status;

  if (!(collector = make_collector (&r, &error)))
    {
      g_printerr ("hearth record: %s\n", error->message);
      return HEARTH_RECORD_EXIT_FAILED;
    }

  profile = hearth_profile_new ();
  if (!(writer = hearth_session_writer_new (profile, r.output, &error)))
    {
      g_printerr ("hearth record: %s\n", error->message);
      return HEARTH_RECORD_EXIT_FAILED;
    }

  r.stream = hearth_remote_stream_new (collector, profile);
  r.cancellable = g_cancellable_new ();
  hearth_remote_stream_set_writer (r.stream, writer);
  g_signal_connect (r.stream, "hello", G_CALLBACK (stream_hello_cb), &r);
  g_signal_connect (r.stream, "message", G_CALLBACK (stream_message_cb), &r);

  /* A private main context: the run's result and our signal handlers are
   * dispatched here, whatever the caller's default context is doing. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  r.loop = g_main_loop_new (context, FALSE);
  signal_ids[0] = attach_signal (context, SIGINT, &r);
  signal_ids[1] = attach_signal (context, SIGTERM, &r);
  signal_ids[2] = attach_signal (context, SIGHUP, &r);

  args = hearth_remote_stream_build_args (r.pid, r.rate, r.mode, r.duration);
  hearth_remote_stream_run_async (r.stream, (const char * const *) args, r.cancellable, run_cb, &r);
  while (!r.done)
    g_main_loop_run (r.loop);

  for (guint i = 0; i < G_N_ELEMENTS (signal_ids); i++)
    {
      GSource *source = g_main_context_find_source_by_id (context, signal_ids[i]);
      if (source != NULL)
        g_source_destroy (source);
    }
  g_main_context_pop_thread_default (context);

  has_hello = hearth_remote_stream_get_hello (r.stream) != NULL;
  if (!hearth_session_writer_finish (writer, &error))
    {
      g_printerr ("hearth record: %s\n", error->message);
      return HEARTH_RECORD_EXIT_FAILED;
    }

  /* Nothing arrived: leave no empty session behind. */
  if (!has_hello)
    {
      g_unlink (r.output);
      g_printerr ("hearth record: %s\n", r.error ? r.error->message : _("nothing was recorded"));
      return HEARTH_RECORD_EXIT_FAILED;
    }

  if (r.error != NULL)
    {
      g_printerr ("hearth record: %s\n", r.error->message);
      print_summary (&r, profile);
      if (g_error_matches (r.error, HEARTH_REMOTE_ERROR, HEARTH_REMOTE_ERROR_CONNECTION_LOST) ||
          g_error_matches (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return HEARTH_RECORD_EXIT_INCOMPLETE;
      return HEARTH_RECORD_EXIT_FAILED;
    }

  print_summary (&r, profile);
  return HEARTH_RECORD_EXIT_OK;
}
