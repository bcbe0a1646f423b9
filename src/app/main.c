/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hearth-application.h"
#include "hearth-export-command.h"
#include "hearth-paths.h"
#include "hearth-record-command.h"

/* Options that must work without a display (scripts, servers over ssh,
 * install tests), so they are answered before GTK starts. */
static gboolean
handle_headless (int    argc,
                 char **argv,
                 int   *status)
{
  if (argc > 1 && g_str_equal (argv[1], "export"))
    {
      *status = hearth_export_command (argc, argv);
      return TRUE;
    }

  if (argc > 1 && g_str_equal (argv[1], "record"))
    {
      *status = hearth_record_command (argc, argv);
      return TRUE;
    }

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (g_str_equal (argv[i], "--version"))
        {
          g_print ("hearth %s\n", PACKAGE_VERSION);
          *status = 0;
          return TRUE;
        }
      if (g_str_equal (argv[i], "--print-collector-path"))
        {
          g_autofree char *path = hearth_paths_get_collector ();
          g_print ("%s\n", path);
          *status = 0;
          return TRUE;
        }
    }

  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(HearthApplication) app = NULL;
  const char *localedir = g_getenv ("HEARTH_LOCALEDIR");
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (handle_headless (argc, argv, &status))
    return status;

  g_set_application_name ("Hearth");
  app = hearth_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
