/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "collector-test-util.h"
#include "hearth-session-store.h"

/* Print the threads and top stacks of a session (debugging aid for the
 * collector tests and benchmarks; not installed). */
int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HearthProfile) profile = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  g_auto(GStrv) keys = NULL;

  if (argc < 2)
    {
      g_printerr ("usage: session-dump FILE.profsession [TOP]\n");
      return 2;
    }
  profile = hearth_session_load (argv[1], &error);
  if (profile == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  keys = hearth_profile_list_metadata (profile);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *value = hearth_profile_dup_metadata (profile, keys[i]);
      g_printerr ("%s = %s\n", keys[i], value);
    }
  for (guint i = 0; i < hearth_profile_get_n_markers (profile); i++)
    {
      HearthMarker m;

      hearth_profile_get_marker (profile, i, &m);
      g_printerr ("marker %s: %s\n", hearth_profile_get_string (profile, m.kind),
                  hearth_profile_get_string (profile, m.text));
    }
  threads = ct_profile_threads (profile);
  ct_dump_threads (threads, argc > 2 ? (guint) atoi (argv[2]) : 5);
  return 0;
}
