/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hearth-collector-commands.h"
#include "hearth-output.h"
#include "hearth-sampler-error.h"
#include "hearth-sampler.h"

/*
 * `record` and `stream`: one code path. The sampler feeds a stream
 * encoder; `stream` writes its bytes to stdout, `record` decodes them
 * into a profile mirrored in a session file.
 */

typedef struct
{
  int       pid;
  int       rate;
  double    duration;
  char     *mode;
  char     *threads;
  gboolean  stop_blocked;
  gboolean  python_only;
  char     *output;
  gboolean  report_costs;
  char    **command;
} SampleArgs;


static void
sample_args_clear (SampleArgs *args)
{
  g_free (args->mode);
  g_free (args->threads);
  g_free (args->output);
  g_strfreev (args->command);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SampleArgs, sample_args_clear)

static void
on_stop_signal (int signum)
{
  hearth_sampler_request_stop ();
}

static void
install_signal_handlers (void)
{
  const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
  struct sigaction sa;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_stop_signal;
  sigemptyset (&sa.sa_mask);
  /* no SA_RESTART: the sampler's sleep must end at once */
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &sa, NULL);
}

static void
child_setup (gpointer data)
{
  sigset_t none;

  /* the target must not inherit anything of ours */
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  signal (SIGPIPE, SIG_DFL);
}

static gboolean
parse_threads (const char  *spec,
               GArray      *out,
               GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *end = NULL;
      gint64 tid = g_ascii_strtoll (g_strstrip (parts[i]), &end, 10);
      gint32 t;

      if (parts[i][0] == '\0')
        continue;
      if (end == NULL || *end != '\0' || tid <= 0 || tid > G_MAXINT32)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” in --threads is not a thread id"), parts[i]);
          return FALSE;
        }
      t = (gint32) tid;
      g_array_append_val (out, t);
    }
  return TRUE;
}

static gboolean
parse_args (int          *argc,
            char       ***argv,
            gboolean      stream,
            SampleArgs   *args,
            GError      **error)
{
  g_autoptr(GOptionContext) context = NULL;
  const GOptionEntry entries[] = {
    { "pid", 'p', 0, G_OPTION_ARG_INT, &args->pid, N_("Sample the running process PID"), N_("PID") },
    { "rate", 'r', 0, G_OPTION_ARG_INT, &args->rate, N_("Samples per second per thread (default 99)"), N_("HZ") },
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &args->duration, N_("Stop after S seconds (default: until Ctrl+C or the process exits)"), N_("S") },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &args->mode, N_("wall: every thread, blocked ones too (default); cpu: running threads only"), N_("wall|cpu") },
    { "threads", 't', 0, G_OPTION_ARG_STRING, &args->threads, N_("Only these threads"), N_("TID,…") },
    { "stop-blocked", 0, 0, G_OPTION_ARG_NONE, &args->stop_blocked, N_("Stop blocked threads too, for exact stacks (interrupts their system calls: epoll_wait and friends return EINTR)"), NULL },
    { "python-only", 0, 0, G_OPTION_ARG_NONE, &args->python_only, N_("Python targets: Python frames and the native leaf only, read without stopping any thread (allows high rates)"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &args->output, N_("Write the session to FILE.profsession (record)"), N_("FILE") },
    { "report-costs", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &args->report_costs, "Print sampling costs to stderr at the end", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args->command, NULL, N_("[-- COMMAND [ARGS…]]") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, stream
    ? _("Sample every thread of a process and write the binary sample stream (docs/stream.md) to stdout.")
    : _("Sample every thread of a process and write a .profsession file."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if ((args->pid > 0) == (args->command != NULL && args->command[0] != NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Give either --pid PID or -- COMMAND [ARGS…]"));
      return FALSE;
    }
  if (args->rate < 1 || args->rate > 10000)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--rate must be between 1 and 10000 Hz, not %d"), args->rate);
      return FALSE;
    }
  if (args->mode == NULL)
    args->mode = g_strdup ("wall");
  if (g_strcmp0 (args->mode, "wall") != 0 && g_strcmp0 (args->mode, "cpu") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--mode must be wall or cpu, not “%s”"), args->mode);
      return FALSE;
    }
  if (!stream && args->output == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("record needs -o FILE.profsession"));
      return FALSE;
    }
  if (stream && args->output != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("stream writes to stdout; -o is for record"));
      return FALSE;
    }
  return TRUE;
}

static GPid
spawn_command (char      **command,
               int         child_stdout,
               GError    **error)
{
  GPid pid = 0;

  if (!g_spawn_async_with_fds (NULL, command, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                               child_setup, NULL, &pid, -1, child_stdout, -1, error))
    return 0;
  return pid;
}

/* We started the target: when sampling ends first, end it too, as
 * timeout(1) would, and reap it. */
static void
stop_child (GPid pid)
{
  int status;

  /* reaped already (or never ours): never signal a PID that may be reused */
  if (waitpid (pid, &status, WNOHANG) != 0)
    return;
  kill (pid, SIGTERM);
  for (guint i = 0; i < 50; i++)
    {
      if (waitpid (pid, &status, WNOHANG) == pid)
        return;
      g_usleep (20 * 1000);
    }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
}

static void
write_failure (int                         fd,
               const HearthSamplerOptions *options,
               const GError               *error)
{
  g_autoptr(HearthStreamEncoder) encoder = hearth_stream_encoder_new ();
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize len = 0;

  hearth_sampler_encode_failure (encoder, options, error);
  bytes = hearth_stream_encoder_take_bytes (encoder);
  data = g_bytes_get_data (bytes, &len);
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      data += n;
      len -= n;
    }
}

static void
print_summary (HearthSampler *sampler,
               const char    *path)
{
  const HearthStreamStats *stats = hearth_sampler_get_stats (sampler);

  g_print (_("Recorded %" PRIu64 " samples of %u threads over %.1f s to %s "
             "(%" PRIu64 " stacks failed to unwind, %" PRIu64 " samples dropped)%s\n"),
           stats->samples, stats->threads, stats->duration_ns / 1e9, path,
           stats->unwind_failures, stats->dropped,
           hearth_sampler_target_exited (sampler) ? _("; the process exited") : "");
}

int
hearth_collector_sample (int      argc,
                         char   **argv,
                         gboolean stream)
{
  g_auto(SampleArgs) args = { .rate = 99 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) threads = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(HearthSampler) sampler = NULL;
  g_autoptr(HearthOutput) output = NULL;
  g_autofree char *command_line = NULL;
  HearthSamplerOptions options = { 0 };
  GPid child = 0;
  int out_fd = -1;
  gboolean ok;

  if (!parse_args (&argc, &argv, stream, &args, &error) ||
      (args.threads != NULL && !parse_threads (args.threads, threads, &error)))
    {
      g_printerr ("hearth-collector %s: %s\n", stream ? "stream" : "record", error->message);
      return HEARTH_EXIT_USAGE;
    }

  if (stream)
    {
      /* the stream owns stdout: anything else printing there (a library,
       * debug logging, the target we start) goes to stderr instead */
      out_fd = dup (STDOUT_FILENO);
      dup2 (STDERR_FILENO, STDOUT_FILENO);
      g_log_writer_default_set_use_stderr (TRUE);
    }

  install_signal_handlers ();

  if (args.command != NULL)
    {
      command_line = g_strjoinv (" ", args.command);
      if ((child = spawn_command (args.command, -1, &error)) == 0)
        {
          g_autoptr(GError) spawn_error =
            g_error_new (HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_SPAWN,
                         _("Cannot start “%s”: %s"), args.command[0], error->message);

          options.command_line = command_line;
          if (stream)
            write_failure (out_fd, &options, spawn_error);
          g_printerr ("hearth-collector: %s\n", spawn_error->message);
          return HEARTH_EXIT_ERROR;
        }
      args.pid = child;
    }

  options.pid = args.pid;
  options.child_pid = child;
  options.rate_hz = (guint) args.rate;
  options.duration_s = args.duration;
  options.mode = g_strcmp0 (args.mode, "cpu") == 0 ? HEARTH_SAMPLE_MODE_CPU : HEARTH_SAMPLE_MODE_WALL;
  options.threads = (const gint32 *) (gpointer) threads->data;
  options.n_threads = threads->len;
  options.stop_blocked = args.stop_blocked;
  options.python_only = args.python_only;
  options.command_line = command_line;

  sampler = hearth_sampler_new (&options);
  hearth_sampler_set_report_costs (sampler, args.report_costs);
  if (!hearth_sampler_attach (sampler, &error))
    {
      int status;

      /* a command that is already gone is not "a zombie" to its user */
      if (child != 0 && waitpid (child, &status, WNOHANG) == child)
        {
          g_clear_error (&error);
          g_set_error (&error, HEARTH_SAMPLER_ERROR, HEARTH_SAMPLER_ERROR_SPAWN,
                       _("“%s” exited before sampling started (%s %d)."), args.command[0],
                       WIFEXITED (status) ? _("exit status") : _("signal"),
                       WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status));
          child = 0;
        }
      if (stream)
        write_failure (out_fd, &options, error);
      g_printerr ("hearth-collector: %s\n", error->message);
      if (child != 0)
        stop_child (child);
      return HEARTH_EXIT_ERROR;
    }

  output = stream ? hearth_output_new_stream (out_fd)
                  : hearth_output_new_record (args.output, &error);
  if (output == NULL)
    {
      g_printerr ("hearth-collector: %s\n", error->message);
      if (child != 0)
        stop_child (child);
      return HEARTH_EXIT_ERROR;
    }

  ok = hearth_sampler_run (sampler, output, &error);
  if (!ok)
    g_printerr ("hearth-collector: %s\n", error->message);
  g_clear_error (&error);

  if (!hearth_output_finish (output, &error))
    {
      /* a stream reader that went away is how streaming normally ends */
      if (!stream)
        {
          g_printerr ("hearth-collector: %s\n", error->message);
          ok = FALSE;
        }
    }
  if (child != 0 && !hearth_sampler_target_exited (sampler))
    stop_child (child);

  if (!stream && ok)
    print_summary (sampler, args.output);
  return ok ? HEARTH_EXIT_OK : HEARTH_EXIT_ERROR;
}
