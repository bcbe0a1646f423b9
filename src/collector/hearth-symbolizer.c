/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hearth-perf-map.h"
#include "hearth-symbol-table.h"
#include "hearth-symbolizer.h"
#include "hearth-syscalls.h"

/* resolved addresses kept before the memo starts over */
#define MAX_MEMO_ENTRIES (256 * 1024)

struct _HearthSymbolizer
{
  /* borrowed */
  HearthModuleMap *map;

  /* owned */
  GHashTable      *tables;    /* build-id or "dev:inode" → HearthSymbolTable */
  GHashTable      *memo;      /* lookup address → HearthStreamFrame */
  GStringChunk    *strings;   /* module paths and made-up names */
  HearthPerfMap   *perf_map;

  /* state */
  guint            generation;
};

static void
symbol_table_free_cb (gpointer data)
{
  hearth_symbol_table_free (data);
}

HearthSymbolizer *
hearth_symbolizer_new (HearthModuleMap *map)
{
  HearthSymbolizer *self = g_new0 (HearthSymbolizer, 1);

  self->map = map;
  self->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, symbol_table_free_cb);
  self->memo = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  self->strings = g_string_chunk_new (16 * 1024);
  self->perf_map = hearth_perf_map_new (hearth_module_map_get_pid (map));
  self->generation = hearth_module_map_get_generation (map);
  return self;
}

void
hearth_symbolizer_free (HearthSymbolizer *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->tables);
  g_hash_table_unref (self->memo);
  g_string_chunk_free (self->strings);
  hearth_perf_map_free (self->perf_map);
  g_free (self);
}

static HearthSymbolTable *
get_table (HearthSymbolizer *self,
           HearthModule     *module)
{
  const char *build_id = hearth_elf_get_build_id (module->elf);
  g_autofree char *key = build_id
    ? g_strdup (build_id)
    : g_strdup_printf ("%" G_GINT64_MODIFIER "x:%" G_GUINT64_FORMAT, module->dev, module->inode);
  HearthSymbolTable *table = g_hash_table_lookup (self->tables, key);

  if (table == NULL)
    {
      table = hearth_symbol_table_load (module->elf, module->path,
                                        hearth_module_map_get_root (self->map));
      g_debug ("symbols of %s: %u from %s", module->path,
               hearth_symbol_table_get_size (table), hearth_symbol_table_get_sources (table));
      g_hash_table_insert (self->tables, g_steal_pointer (&key), table);
    }
  return table;
}

static void
resolve_uncached (HearthSymbolizer  *self,
                  guint64            addr,
                  HearthStreamFrame *out)
{
  const HearthMapping *mapping = hearth_module_map_lookup (self->map, addr);
  HearthModule *module;
  const char *name = NULL;
  g_autofree char *made_up = NULL;

  out->kind = HEARTH_FRAME_KIND_NATIVE;
  out->file = NULL;
  out->line = 0;
  out->function_line = 0;

  if (mapping == NULL)
    {
      made_up = g_strdup_printf ("[unknown]+0x%" G_GINT64_MODIFIER "x", addr);
      out->name = g_string_chunk_insert_const (self->strings, made_up);
      out->module = "";
      out->address = addr;
      out->kind = HEARTH_FRAME_KIND_UNKNOWN;
      return;
    }

  if ((module = mapping->module) == NULL)
    {
      const char *region = mapping->name[0] != '\0' ? mapping->name : "[anon]";

      /* JIT code lives in anonymous memory; its perf map may name it */
      out->module = g_string_chunk_insert_const (self->strings, region);
      out->address = addr;
      if ((name = hearth_perf_map_lookup (self->perf_map, addr)) != NULL)
        out->name = g_string_chunk_insert_const (self->strings, name);
      else
        {
          made_up = g_strdup_printf ("%s+0x%" G_GINT64_MODIFIER "x", region, addr - mapping->start);
          out->name = g_string_chunk_insert_const (self->strings, made_up);
        }
      return;
    }

  out->module = g_string_chunk_insert_const (self->strings, module->path);
  if (hearth_module_map_load_module (self->map, module))
    {
      out->address = addr - module->bias;
      name = hearth_symbol_table_lookup (get_table (self, module), out->address);
    }
  else
    out->address = addr - mapping->start + mapping->offset;  /* file offset */

  if (name != NULL)
    out->name = name;
  else
    {
      made_up = g_strdup_printf ("%s+0x%" G_GINT64_MODIFIER "x", module->basename, out->address);
      out->name = g_string_chunk_insert_const (self->strings, made_up);
    }
}

void
hearth_symbolizer_resolve (HearthSymbolizer  *self,
                           guint64            ip,
                           gboolean           exact,
                           HearthStreamFrame *out)
{
  guint64 addr = (exact || ip == 0) ? ip : ip - 1;
  HearthStreamFrame *cached;

  if (self->generation != hearth_module_map_get_generation (self->map))
    {
      g_hash_table_remove_all (self->memo);
      self->generation = hearth_module_map_get_generation (self->map);
    }

  cached = g_hash_table_lookup (self->memo, GSIZE_TO_POINTER ((gsize) addr));
  if (cached == NULL)
    {
      if (g_hash_table_size (self->memo) >= MAX_MEMO_ENTRIES)
        g_hash_table_remove_all (self->memo);
      cached = g_new0 (HearthStreamFrame, 1);
      resolve_uncached (self, addr, cached);
      g_hash_table_insert (self->memo, GSIZE_TO_POINTER ((gsize) addr), cached);
    }
  *out = *cached;
}

void
hearth_symbolizer_syscall_frame (HearthSymbolizer  *self,
                                 gint64             nr,
                                 HearthStreamFrame *out)
{
  const char *name = hearth_syscall_name (nr);

  memset (out, 0, sizeof *out);
  if (name == NULL)
    {
      g_autofree char *made_up = g_strdup_printf ("syscall_%" G_GINT64_FORMAT, nr);

      name = g_string_chunk_insert_const (self->strings, made_up);
    }
  out->name = name;
  out->module = "[kernel]";
  out->address = (guint64) nr;
  out->kind = HEARTH_FRAME_KIND_KERNEL;
}
