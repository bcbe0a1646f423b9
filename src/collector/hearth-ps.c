/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "hearth-attach-check.h"
#include "hearth-proc.h"
#include "hearth-ps.h"

static void
ps_entry_clear (gpointer data)
{
  HearthPsEntry *entry = data;

  g_clear_pointer (&entry->user, g_free);
  g_clear_pointer (&entry->name, g_free);
  g_clear_pointer (&entry->cmdline, g_free);
  g_clear_pointer (&entry->reason, g_free);
}

static const char *
lookup_user (GHashTable *users,
             uid_t       uid)
{
  const char *name = g_hash_table_lookup (users, GUINT_TO_POINTER (uid));

  if (name == NULL)
    {
      struct passwd pwd, *result = NULL;
      char buf[1024];
      char *dup;

      if (getpwuid_r (uid, &pwd, buf, sizeof buf, &result) == 0 && result != NULL)
        dup = g_strdup (result->pw_name);
      else
        dup = g_strdup_printf ("%u", (guint) uid);
      g_hash_table_insert (users, GUINT_TO_POINTER (uid), dup);
      name = dup;
    }
  return name;
}

static gboolean
read_stat (pid_t           pid,
           HearthProcStat *st)
{
  g_autofree char *buf = NULL;
  gsize length = 0;

  buf = hearth_proc_read (pid, "stat", &length);
  return buf != NULL && hearth_proc_parse_stat (buf, length, st);
}

static GArray *
list_pids (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (gint32));
  const char *name;

  if (dir == NULL)
    return pids;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      char *end = NULL;
      gint64 pid = g_ascii_strtoll (name, &end, 10);

      if (end != NULL && *end == '\0' && pid > 0 && pid <= G_MAXINT32)
        {
          gint32 p = (gint32) pid;
          g_array_append_val (pids, p);
        }
    }
  return pids;
}

static int
compare_pid (gconstpointer a,
             gconstpointer b)
{
  const HearthPsEntry *ea = a, *eb = b;

  return (ea->pid > eb->pid) - (ea->pid < eb->pid);
}

static uid_t
read_uid (pid_t pid)
{
  g_autofree char *status = hearth_proc_read (pid, "status", NULL);
  g_autofree char *uids = NULL;

  if (status == NULL || (uids = hearth_proc_status_field (status, "Uid")) == NULL)
    return (uid_t) -1;
  /* real uid first; ps shows it as the owner */
  return (uid_t) atoi (uids);
}

GArray *
hearth_ps_list (guint    interval_ms,
                gboolean include_kernel)
{
  g_autoptr(GArray) pids = list_pids ();
  g_autoptr(GHashTable) before = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) users = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  GArray *entries = g_array_new (FALSE, TRUE, sizeof (HearthPsEntry));
  long ticks_per_second = sysconf (_SC_CLK_TCK);
  gint64 t0, t1;
  double seconds;

  g_array_set_clear_func (entries, ps_entry_clear);

  /* CPU% is the difference of two readings, like top, not a lifetime
   * average like ps: a picker wants what is busy now */
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < pids->len; i++)
    {
      gint32 pid = g_array_index (pids, gint32, i);
      HearthProcStat st;

      if (read_stat (pid, &st))
        g_hash_table_insert (before, GINT_TO_POINTER (pid),
                             GSIZE_TO_POINTER ((gsize) (st.utime + st.stime + 1)));
    }
  if (interval_ms > 0)
    g_usleep ((gulong) interval_ms * 1000);
  t1 = g_get_monotonic_time ();
  seconds = MAX (1e-3, (t1 - t0) / 1e6);

  for (guint i = 0; i < pids->len; i++)
    {
      gint32 pid = g_array_index (pids, gint32, i);
      HearthPsEntry entry = { 0 };
      HearthProcStat st;
      gsize prev;
      uid_t uid;

      if (!read_stat (pid, &st))
        continue;  /* exited meanwhile */
      entry.kernel_thread = (st.flags & HEARTH_PROC_PF_KTHREAD) != 0;
      if (entry.kernel_thread && !include_kernel)
        continue;

      uid = read_uid (pid);
      entry.pid = pid;
      entry.ppid = st.ppid;
      entry.uid = (guint32) uid;
      entry.user = g_strdup (uid == (uid_t) -1 ? "?" : lookup_user (users, uid));
      entry.name = g_strdup (st.comm);
      entry.cmdline = hearth_proc_read_cmdline (pid);
      entry.threads = st.num_threads;
      entry.rss_kb = st.rss_pages * (sysconf (_SC_PAGESIZE) / 1024);
      prev = GPOINTER_TO_SIZE (g_hash_table_lookup (before, GINT_TO_POINTER (pid)));
      if (prev > 0 && ticks_per_second > 0)
        {
          guint64 used = st.utime + st.stime - (prev - 1);

          entry.cpu_percent = 100.0 * ((double) used / ticks_per_second) / seconds;
        }
      entry.attachable = hearth_attach_probe (pid, &st, &entry.reason);
      if (entry.reason == NULL)
        entry.reason = g_strdup ("");
      g_array_append_val (entries, entry);
    }

  g_array_sort (entries, compare_pid);
  return entries;
}

void
hearth_json_append_string (GString    *out,
                           const char *str)
{
  g_autofree char *valid = g_utf8_make_valid (str ? str : "", -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

char *
hearth_ps_format_json (GArray *entries)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; i < entries->len; i++)
    {
      const HearthPsEntry *e = &g_array_index (entries, HearthPsEntry, i);
      char cpu[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (cpu, sizeof cpu, "%.1f", e->cpu_percent);
      g_string_append (out, i == 0 ? "\n  {" : ",\n  {");
      g_string_append_printf (out, "\"pid\": %d, \"ppid\": %d, \"user\": ", e->pid, e->ppid);
      hearth_json_append_string (out, e->user);
      g_string_append_printf (out, ", \"uid\": %u, \"name\": ", e->uid);
      hearth_json_append_string (out, e->name);
      g_string_append (out, ", \"cmdline\": ");
      hearth_json_append_string (out, e->cmdline);
      g_string_append_printf (out, ", \"threads\": %" G_GINT64_FORMAT
                              ", \"cpu_percent\": %s, \"rss_kb\": %" G_GINT64_FORMAT
                              ", \"attachable\": %s, \"reason\": ",
                              e->threads, cpu, e->rss_kb, e->attachable ? "true" : "false");
      hearth_json_append_string (out, e->reason);
      g_string_append_c (out, '}');
    }
  g_string_append (out, entries->len > 0 ? "\n]\n" : "]\n");
  return g_string_free (out, FALSE);
}

char *
hearth_ps_format_text (GArray *entries)
{
  GString *out = g_string_new (NULL);

  /* TRANSLATORS: column headers of `hearth-collector ps` */
  g_string_append_printf (out, "%7s %-10s %4s %6s %9s %-6s %s\n",
                          _("PID"), _("USER"), _("THR"), _("CPU%"), _("RSS(KB)"),
                          _("ATTACH"), _("COMMAND"));
  for (guint i = 0; i < entries->len; i++)
    {
      const HearthPsEntry *e = &g_array_index (entries, HearthPsEntry, i);
      const char *command = e->cmdline[0] != '\0' ? e->cmdline : e->name;

      g_string_append_printf (out, "%7d %-10.10s %4" G_GINT64_FORMAT " %6.1f %9" G_GINT64_FORMAT " %-6s %.120s\n",
                              e->pid, e->user, e->threads, e->cpu_percent, e->rss_kb,
                              e->attachable ? _("yes") : _("no"), command);
      if (!e->attachable && e->reason[0] != '\0')
        g_string_append_printf (out, "%7s   ↳ %s\n", "", e->reason);
    }
  return g_string_free (out, FALSE);
}
