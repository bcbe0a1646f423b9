/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hearth-module-map.h"
#include "hearth-proc.h"
#include "hearth-remote-memory.h"

#define MISS_REFRESH_INTERVAL_US (100 * 1000)
#define MAX_VDSO_SIZE (1024 * 1024)

struct _HearthModuleMap
{
  /* owned */
  char       *root;
  GArray     *mappings;   /* HearthMapping sorted by start */
  GHashTable *modules;    /* identity string → HearthModule */
  GStringChunk *names;    /* pseudo-path names of anonymous mappings */

  /* state */
  pid_t       pid;
  guint       generation;
  gint64      last_refresh;
};

static void
module_free (gpointer data)
{
  HearthModule *module = data;

  g_free (module->path);
  g_free (module->basename);
  g_clear_pointer (&module->elf, hearth_elf_free);
  g_free (module);
}

HearthModuleMap *
hearth_module_map_new (pid_t pid)
{
  HearthModuleMap *self = g_new0 (HearthModuleMap, 1);

  self->pid = pid;
  self->root = g_strdup_printf ("/proc/%d/root", (int) pid);
  self->mappings = g_array_new (FALSE, FALSE, sizeof (HearthMapping));
  self->modules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, module_free);
  self->names = g_string_chunk_new (1024);
  return self;
}

void
hearth_module_map_free (HearthModuleMap *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->mappings);
  g_hash_table_unref (self->modules);
  g_string_chunk_free (self->names);
  g_free (self->root);
  g_free (self);
}

pid_t
hearth_module_map_get_pid (HearthModuleMap *self)
{
  return self->pid;
}

const char *
hearth_module_map_get_root (HearthModuleMap *self)
{
  return self->root;
}

guint
hearth_module_map_get_generation (HearthModuleMap *self)
{
  return self->generation;
}

static guint32
parse_prot (const char *perms)
{
  guint32 prot = 0;

  if (perms[0] == 'r')
    prot |= HEARTH_PROT_READ;
  if (perms[1] == 'w')
    prot |= HEARTH_PROT_WRITE;
  if (perms[2] == 'x')
    prot |= HEARTH_PROT_EXEC;
  return prot;
}

static gboolean
is_file_path (const char *path)
{
  return path[0] == '/';
}

static HearthModule *
ensure_module (HearthModuleMap *self,
               const char      *path,
               guint64          dev,
               guint64          inode,
               guint64          base)
{
  g_autofree char *identity = g_strdup_printf ("%" G_GINT64_MODIFIER "x:%" G_GUINT64_FORMAT ":%" G_GINT64_MODIFIER "x:%s",
                                               dev, inode, base, path);
  HearthModule *module = g_hash_table_lookup (self->modules, identity);

  if (module == NULL)
    {
      module = g_new0 (HearthModule, 1);
      module->path = g_strdup (path);
      module->basename = g_path_get_basename (path);
      module->dev = dev;
      module->inode = inode;
      module->base = base;
      module->text_start = G_MAXUINT64;
      g_hash_table_insert (self->modules, g_steal_pointer (&identity), module);
      self->generation++;
    }
  else if (!module->seen)
    {
      /* text range is recomputed from this re-read */
      module->text_start = G_MAXUINT64;
      module->text_end = 0;
    }
  module->seen = TRUE;
  return module;
}

static void
parse_line (HearthModuleMap  *self,
            const char       *line,
            HearthModule    **current)
{
  guint64 start, end, offset, inode;
  guint major, minor;
  char perms[8];
  int path_pos = 0;
  const char *path;
  HearthMapping mapping = { 0 };

  if (sscanf (line, "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x %7s %" G_GINT64_MODIFIER "x %x:%x %" G_GUINT64_FORMAT " %n",
              &start, &end, perms, &offset, &major, &minor, &inode, &path_pos) < 7 ||
      end <= start || strlen (perms) < 4)
    return;
  path = line + path_pos;

  mapping.start = start;
  mapping.end = end;
  mapping.offset = offset;
  mapping.prot = parse_prot (perms);
  mapping.name = "";

  if ((is_file_path (path) && inode != 0) || strcmp (path, "[vdso]") == 0)
    {
      guint64 dev = ((guint64) major << 32) | minor;
      HearthModule *module = *current;

      /* consecutive mappings of one file are one load of it */
      if (module == NULL || module->dev != dev || module->inode != inode ||
          strcmp (module->path, path) != 0)
        module = ensure_module (self, path, dev, inode, start);
      *current = module;
      mapping.module = module;
      mapping.name = module->path;
      if (mapping.prot & HEARTH_PROT_EXEC)
        {
          module->text_start = MIN (module->text_start, start);
          module->text_end = MAX (module->text_end, end);
        }
    }
  else
    {
      *current = NULL;
      if (path[0] != '\0')
        mapping.name = g_string_chunk_insert_const (self->names, path);
    }
  g_array_append_val (self->mappings, mapping);
}

static gboolean
drop_unseen (gpointer key,
             gpointer value,
             gpointer user_data)
{
  HearthModule *module = value;

  return !module->seen;
}

void
hearth_module_map_parse (HearthModuleMap *self,
                         const char      *text,
                         gsize            length)
{
  GHashTableIter iter;
  gpointer value;
  HearthModule *current = NULL;
  g_autofree char *copy = g_strndup (text, length);
  char *line = copy;
  guint removed;

  g_hash_table_iter_init (&iter, self->modules);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((HearthModule *) value)->seen = FALSE;

  g_array_set_size (self->mappings, 0);
  while (line != NULL && *line != '\0')
    {
      char *eol = strchr (line, '\n');

      if (eol != NULL)
        *eol = '\0';
      parse_line (self, line, &current);
      line = eol ? eol + 1 : NULL;
    }

  removed = g_hash_table_foreach_remove (self->modules, drop_unseen, NULL);
  if (removed > 0)
    self->generation++;
}

gboolean
hearth_module_map_refresh (HearthModuleMap *self)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  self->last_refresh = g_get_monotonic_time ();
  text = hearth_proc_read (self->pid, "maps", &length);
  if (text == NULL)
    return FALSE;
  hearth_module_map_parse (self, text, length);
  return TRUE;
}

const HearthMapping *
hearth_module_map_find (HearthModuleMap *self,
                        guint64          addr)
{
  guint lo = 0, hi = self->mappings->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const HearthMapping *m = &g_array_index (self->mappings, HearthMapping, mid);

      if (addr < m->start)
        hi = mid;
      else if (addr >= m->end)
        lo = mid + 1;
      else
        return m;
    }
  return NULL;
}

const HearthMapping *
hearth_module_map_lookup (HearthModuleMap *self,
                          guint64          addr)
{
  const HearthMapping *mapping = hearth_module_map_find (self, addr);

  /* a miss may be a library loaded since the last read, or just a bad
   * address from a broken unwind: re-read, but not on every miss */
  if (mapping == NULL &&
      g_get_monotonic_time () - self->last_refresh >= MISS_REFRESH_INTERVAL_US &&
      hearth_module_map_refresh (self))
    mapping = hearth_module_map_find (self, addr);
  return mapping;
}

static HearthElf *
open_module_elf (HearthModuleMap *self,
                 HearthModule    *module)
{
  HearthElf *elf;

  if (strcmp (module->path, "[vdso]") == 0)
    {
      const HearthMapping *m = hearth_module_map_find (self, module->base);
      g_autofree guint8 *buf = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gsize size;
      gssize n;

      if (m == NULL || m->end - m->start > MAX_VDSO_SIZE)
        return NULL;
      size = m->end - m->start;
      buf = g_malloc (size);
      n = hearth_remote_read (self->pid, m->start, buf, size);
      if (n != (gssize) size)
        return NULL;
      bytes = g_bytes_new_take (g_steal_pointer (&buf), size);
      return hearth_elf_new_from_bytes (bytes, "[vdso]", NULL);
    }

  if (!g_str_has_suffix (module->path, " (deleted)"))
    {
      g_autofree char *in_root = g_strconcat (self->root, module->path, NULL);

      if ((elf = hearth_elf_open (in_root, NULL)) != NULL)
        return elf;
      if ((elf = hearth_elf_open (module->path, NULL)) != NULL)
        return elf;
    }

  /* a deleted or unreachable file is still readable through map_files */
  {
    const HearthMapping *m = hearth_module_map_find (self, module->base);
    g_autofree char *map_file = NULL;

    if (m == NULL)
      return NULL;
    map_file = g_strdup_printf ("/proc/%d/map_files/%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x",
                                (int) self->pid, m->start, m->end);
    return hearth_elf_open (map_file, NULL);
  }
}

/* runtime address − ELF vaddr, from the lowest mapping of the module */
static gboolean
compute_bias (HearthModuleMap *self,
              HearthModule    *module)
{
  const HearthMapping *m = hearth_module_map_find (self, module->base);
  guint n = hearth_elf_get_n_loads (module->elf);

  if (m == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const HearthElfLoad *load = hearth_elf_get_load (module->elf, i);
      guint64 page_offset = load->offset & ~(guint64) 0xfff;

      if (m->offset >= page_offset && m->offset < load->offset + MAX (load->filesz, 1))
        {
          module->bias = m->start - ((load->vaddr & ~(guint64) 0xfff) + (m->offset - page_offset));
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
hearth_module_map_load_module (HearthModuleMap *self,
                               HearthModule    *module)
{
  HearthEhFrameHdr hdr;

  g_return_val_if_fail (module != NULL, FALSE);

  if (module->elf_tried)
    return module->elf != NULL && module->bias_known;
  module->elf_tried = TRUE;

  if ((module->elf = open_module_elf (self, module)) == NULL)
    return FALSE;
  module->bias_known = compute_bias (self, module);
  if (!module->bias_known)
    return FALSE;

  if (hearth_elf_get_eh_frame_hdr (module->elf, &hdr) && module->text_end > module->text_start)
    {
      module->eh_hdr_addr = module->bias + hdr.vaddr;
      module->eh_table_addr = module->eh_hdr_addr + hdr.table_offset;
      module->eh_fde_count = hdr.fde_count;
      module->has_eh_table = TRUE;
    }
  return TRUE;
}
