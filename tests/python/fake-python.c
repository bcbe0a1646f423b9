/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * A process that looks like a CPython the reader cannot read: it exports
 * _PyRuntime and Py_Version like a real interpreter (-rdynamic), with the
 * values given on the command line:
 *
 *   fake-python version HEX          Py_Version = HEX (3.11 and older style)
 *   fake-python debug HEX            _PyRuntime starts with a 3.13+
 *                                    _Py_DebugOffsets header for HEX whose
 *                                    sizes and offsets are all 8
 *
 * Built twice: fake-python-refdebug also exports _Py_NegativeRefcount,
 * the mark of a Py_REF_DEBUG build.
 */

__attribute__((used)) unsigned long Py_Version = 0;
__attribute__((used, aligned (32))) unsigned char _PyRuntime[4096];

#ifdef FAKE_REF_DEBUG
__attribute__((used)) void _Py_NegativeRefcount (void);
void
_Py_NegativeRefcount (void)
{
}
#endif

int
main (int   argc,
      char *argv[])
{
  guint64 hex;

  if (argc < 3)
    return 2;
  hex = g_ascii_strtoull (argv[2], NULL, 16);

  if (strcmp (argv[1], "version") == 0)
    Py_Version = (unsigned long) hex;
  else if (strcmp (argv[1], "debug") == 0)
    {
      guint64 sizes[70];

      memcpy (_PyRuntime, "xdebugpy", 8);
      memcpy (_PyRuntime + 8, &hex, 8);
      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        sizes[i] = 8;
      memcpy (_PyRuntime + 24, sizes, sizeof sizes);
    }
  else
    return 2;

  printf ("ready pid=%d\n", (int) getpid ());
  fflush (stdout);
  sleep (60);
  return 0;
}
