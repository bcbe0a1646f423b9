/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "hearth-paths.h"

static char *
get_self_exe (void)
{
  return g_file_read_link ("/proc/self/exe", NULL);
}

gboolean
hearth_paths_is_uninstalled (void)
{
  static gsize initialized;
  static gboolean uninstalled;

  if (g_once_init_enter (&initialized))
    {
      g_autofree char *exe = get_self_exe ();
      g_autofree char *root = g_canonicalize_filename (BUILD_ROOT, NULL);
      g_autofree char *prefix = g_strconcat (root, G_DIR_SEPARATOR_S, NULL);

      uninstalled = exe != NULL && g_str_has_prefix (exe, prefix);
      g_once_init_leave (&initialized, 1);
    }

  return uninstalled;
}

static char *
resolve_helper (const char *env_name,
                const char *build_subdir,
                const char *name)
{
  const char *env = g_getenv (env_name);

  if (env != NULL && *env != 0)
    return g_strdup (env);

  if (hearth_paths_is_uninstalled ())
    return g_build_filename (BUILD_ROOT, build_subdir, name, NULL);

  /* Installed: helpers sit next to the hearth binary. Prefer the directory
   * we actually run from so a relocated prefix still works. */
  {
    g_autofree char *exe = get_self_exe ();

    if (exe != NULL)
      {
        g_autofree char *dir = g_path_get_dirname (exe);
        g_autofree char *path = g_build_filename (dir, name, NULL);

        if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
          return g_steal_pointer (&path);
      }
  }

  return g_build_filename (BINDIR, name, NULL);
}

char *
hearth_paths_get_collector (void)
{
  return resolve_helper ("HEARTH_COLLECTOR", "src/collector", "hearth-collector");
}

char *
hearth_paths_get_demo (void)
{
  return resolve_helper ("HEARTH_DEMO", "demo", "hearth-demo");
}

char *
hearth_paths_get_sessions_dir (void)
{
  char *dir = g_build_filename (g_get_user_data_dir (), "hearth", "sessions", NULL);

  g_mkdir_with_parents (dir, 0700);
  return dir;
}

static char *
sanitize_name (const char *name)
{
  g_autofree char *base = g_path_get_basename (name != NULL && *name ? name : "process");
  char *ret = g_utf8_make_valid (base, -1);

  /* Keep file names portable and free of separators or dots at the start. */
  for (char *p = ret; *p; p++)
    if (*p == '/' || *p == '\\' || *p == ' ' || *p == ':' || (p == ret && *p == '.'))
      *p = '_';

  if (strlen (ret) > 48)
    ret[48] = 0;
  return ret;
}

char *
hearth_paths_new_session_path (const char *process_name)
{
  g_autofree char *dir = hearth_paths_get_sessions_dir ();
  g_autofree char *name = sanitize_name (process_name);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint i = 1; i < 1000; i++)
    {
      g_autofree char *file = i == 1
        ? g_strdup_printf ("%s-%s.profsession", name, stamp)
        : g_strdup_printf ("%s-%s-%u.profsession", name, stamp, i);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }

  return g_build_filename (dir, "session.profsession", NULL);
}

void
hearth_paths_setup_schema_dir (void)
{
  g_autofree char *compiled = NULL;

  /* GLib caches the default schema source on first use, so decide from the
   * file system only; never look a schema up here. An installed hearth
   * uses the installed schema. */
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") != NULL || !hearth_paths_is_uninstalled ())
    return;

  compiled = g_build_filename (BUILD_ROOT, "data", "gschemas.compiled", NULL);
  if (g_file_test (compiled, G_FILE_TEST_EXISTS))
    {
      g_autofree char *dir = g_path_get_dirname (compiled);
      g_setenv ("GSETTINGS_SCHEMA_DIR", dir, TRUE);
    }
}
