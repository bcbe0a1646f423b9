/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "hearth-perf-map.h"
#include "hearth-proc.h"

typedef struct
{
  guint64     start;
  guint64     end;
  const char *name;
} PerfEntry;

struct _HearthPerfMap
{
  /* owned */
  char         *path;
  char         *fallback_path;
  GArray       *entries;   /* PerfEntry sorted by start */
  GStringChunk *names;

  /* state */
  goffset       size_read;
  gint64        checked_at;
};

static int
compare_entry (gconstpointer a,
               gconstpointer b)
{
  const PerfEntry *ea = a, *eb = b;

  return (ea->start > eb->start) - (ea->start < eb->start);
}

HearthPerfMap *
hearth_perf_map_new (pid_t pid)
{
  HearthPerfMap *self = g_new0 (HearthPerfMap, 1);

  self->path = g_strdup_printf ("/proc/%d/root/tmp/perf-%d.map", (int) pid,
                                (int) hearth_proc_get_nspid (pid));
  self->fallback_path = g_strdup_printf ("/tmp/perf-%d.map", (int) pid);
  self->entries = g_array_new (FALSE, FALSE, sizeof (PerfEntry));
  self->names = g_string_chunk_new (4096);
  self->size_read = -1;
  return self;
}

void
hearth_perf_map_free (HearthPerfMap *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  g_free (self->fallback_path);
  g_array_unref (self->entries);
  g_string_chunk_free (self->names);
  g_free (self);
}

static gboolean
parse_hex (const char **p,
           const char  *end,
           guint64     *out)
{
  const char *s = *p;
  guint64 v = 0;
  guint digits = 0;

  if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    s += 2;
  while (s < end && g_ascii_isxdigit (*s) && digits < 16)
    {
      v = (v << 4) | (guint64) g_ascii_xdigit_value (*s);
      s++;
      digits++;
    }
  if (digits == 0)
    return FALSE;
  *out = v;
  *p = s;
  return TRUE;
}

void
hearth_perf_map_parse (HearthPerfMap *self,
                       const char    *text,
                       gsize          length)
{
  const char *p = text;
  const char *end = text + length;

  g_array_set_size (self->entries, 0);
  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *line_end = eol ? eol : end;
      PerfEntry entry;
      guint64 size;
      const char *q = p;

      if (parse_hex (&q, line_end, &entry.start) && q < line_end && *q == ' ' &&
          (q++, parse_hex (&q, line_end, &size)) && q < line_end && *q == ' ' &&
          size > 0 && entry.start + size > entry.start)
        {
          entry.end = entry.start + size;
          entry.name = g_string_chunk_insert_len (self->names, q + 1, line_end - q - 1);
          g_array_append_val (self->entries, entry);
        }
      p = line_end + 1;
    }
  g_array_sort (self->entries, compare_entry);
}

static void
maybe_reload (HearthPerfMap *self)
{
  const char *path = self->path;
  struct stat st;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *contents = NULL;
  gsize length = 0;

  /* a miss is common (no JIT): look at the file at most twice a second */
  if (now - self->checked_at < G_USEC_PER_SEC / 2)
    return;
  self->checked_at = now;
  if (stat (path, &st) != 0)
    {
      path = self->fallback_path;
      if (stat (path, &st) != 0)
        return;
    }
  if (st.st_size == self->size_read)
    return;
  if (!g_file_get_contents (path, &contents, &length, NULL))
    return;
  self->size_read = st.st_size;
  hearth_perf_map_parse (self, contents, length);
}

const char *
hearth_perf_map_lookup (HearthPerfMap *self,
                        guint64        addr)
{
  guint lo, hi;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      lo = 0;
      hi = self->entries->len;
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (g_array_index (self->entries, PerfEntry, mid).start <= addr)
            lo = mid + 1;
          else
            hi = mid;
        }
      /* entries may overlap (JIT memory is reused): look back a few */
      for (guint i = lo; i > 0 && i + 8 > lo; i--)
        {
          const PerfEntry *e = &g_array_index (self->entries, PerfEntry, i - 1);

          if (addr >= e->start && addr < e->end)
            return e->name;
        }
      if (attempt == 0)
        maybe_reload (self);
    }
  return NULL;
}
