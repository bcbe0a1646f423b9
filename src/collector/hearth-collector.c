/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hearth-collector-commands.h"
#include "hearth-ps.h"
#include "hearth-stream.h"

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n%s\n\n%s\n  %s\n  %s\n  %s\n\n%s\n",
           _("Usage: hearth-collector COMMAND [OPTION…]"),
           _("Samples the stacks of every thread of a running process."),
           _("Commands:"),
           _("ps [--json] [--all]            list processes and whether they can be sampled"),
           _("record (--pid PID | -- COMMAND [ARGS…]) -o FILE.profsession [OPTION…]"),
           _("stream (--pid PID | -- COMMAND [ARGS…]) [OPTION…]   binary stream to stdout"),
           _("Run “hearth-collector COMMAND --help” for the options of a command, "
             "“hearth-collector --version” for the version."));
}

int
hearth_collector_ps (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) entries = NULL;
  g_autofree char *text = NULL;
  gboolean json = FALSE;
  gboolean all = FALSE;
  int interval_ms = 250;
  const GOptionEntry entries_def[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array (for the Hearth process picker)"), NULL },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("Include kernel threads"), NULL },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval_ms, N_("Measure CPU usage over MS milliseconds (default 250)"), N_("MS") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("List the processes you can see, their CPU use, and whether hearth-collector can sample them (and if not, why)."));
  g_option_context_add_main_entries (context, entries_def, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("hearth-collector ps: %s\n", error->message);
      return HEARTH_EXIT_USAGE;
    }
  if (argc > 1)
    {
      g_printerr (_("hearth-collector ps: unexpected argument “%s”\n"), argv[1]);
      return HEARTH_EXIT_USAGE;
    }

  entries = hearth_ps_list ((guint) CLAMP (interval_ms, 0, 10000), all);
  text = json ? hearth_ps_format_json (entries) : hearth_ps_format_text (entries);
  fputs (text, stdout);
  return HEARTH_EXIT_OK;
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  setlocale (LC_ALL, "");
  /* HEARTH_LOCALEDIR: translations of a build tree (see the man page) */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("HEARTH_LOCALEDIR") ? g_getenv ("HEARTH_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("hearth-collector");

  if (argc < 2)
    {
      print_usage (stderr);
      return HEARTH_EXIT_USAGE;
    }

  command = argv[1];
  if (strcmp (command, "--version") == 0 || strcmp (command, "-V") == 0)
    {
      g_print ("hearth-collector %s (stream protocol %d)\n", PACKAGE_VERSION, HEARTH_STREAM_PROTOCOL_VERSION);
      return HEARTH_EXIT_OK;
    }
  if (strcmp (command, "--help") == 0 || strcmp (command, "-h") == 0 || strcmp (command, "help") == 0)
    {
      print_usage (stdout);
      return HEARTH_EXIT_OK;
    }

  /* each command parses its own options, with the command as argv[0] */
  if (strcmp (command, "ps") == 0)
    return hearth_collector_ps (argc - 1, argv + 1);
  if (strcmp (command, "record") == 0)
    return hearth_collector_sample (argc - 1, argv + 1, FALSE);
  if (strcmp (command, "stream") == 0)
    return hearth_collector_sample (argc - 1, argv + 1, TRUE);

  g_printerr (_("hearth-collector: unknown command “%s”\n\n"), command);
  print_usage (stderr);
  return HEARTH_EXIT_USAGE;
}
