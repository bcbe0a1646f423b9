/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "hearth-export-command.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");

  return hearth_export_command (argc, argv);
}
