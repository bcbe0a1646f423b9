/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <elf.h>
#include <lzma.h>
#include <string.h>

#include "hearth-demangle.h"
#include "hearth-symbol-table.h"

typedef struct
{
  guint64     start;
  guint64     end;
  const char *name;      /* mangled, in names */
  const char *display;   /* demangled, or == name; NULL until looked up */
  guint8      binding;
  guint8      has_size;
} Symbol;

struct _HearthSymbolTable
{
  /* owned */
  GArray       *symbols;   /* Symbol, sorted by start, one per address */
  GStringChunk *names;
  GString      *sources;
};

static guint
leading_underscores (const char *name)
{
  guint n = 0;

  while (name[n] == '_')
    n++;
  return n;
}

/* Among aliases at one address, prefer the public spelling: sized over
 * unsized, "nanosleep" over "__nanosleep", global over weak over local. */
static gboolean
better_alias (const HearthElfSymbol *a,
              const HearthElfSymbol *b)
{
  guint ua, ub;

  if ((a->size > 0) != (b->size > 0))
    return a->size > 0;
  ua = leading_underscores (a->name);
  ub = leading_underscores (b->name);
  if (ua != ub)
    return ua < ub;
  if (a->binding != b->binding)
    return a->binding == STB_GLOBAL || (a->binding == STB_WEAK && b->binding == STB_LOCAL);
  return strcmp (a->name, b->name) < 0;
}

static int
compare_elf_symbol (gconstpointer a,
                    gconstpointer b)
{
  const HearthElfSymbol *sa = a, *sb = b;

  if (sa->start != sb->start)
    return sa->start < sb->start ? -1 : 1;
  return better_alias (sa, sb) ? -1 : (better_alias (sb, sa) ? 1 : 0);
}

static gboolean
file_crc_matches (const char *path,
                  guint32     crc)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);

  if (mapped == NULL)
    return FALSE;
  return lzma_crc32 ((const guint8 *) g_mapped_file_get_contents (mapped),
                     g_mapped_file_get_length (mapped), 0) == crc;
}

static HearthElf *
try_debug_file (const char *path,
                const char *build_id,
                gboolean    check_crc,
                guint32     crc)
{
  g_autoptr(HearthElf) elf = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  if (check_crc && !file_crc_matches (path, crc))
    return NULL;
  if ((elf = hearth_elf_open (path, NULL)) == NULL || !hearth_elf_has_symtab (elf))
    return NULL;
  /* a stale debug file for another build names the wrong functions */
  if (build_id != NULL && hearth_elf_get_build_id (elf) != NULL &&
      g_strcmp0 (build_id, hearth_elf_get_build_id (elf)) != 0)
    return NULL;
  return g_steal_pointer (&elf);
}

static HearthElf *
find_debug_file (HearthElf  *binary,
                 const char *path,
                 const char *root)
{
  const char *build_id = hearth_elf_get_build_id (binary);
  const char *roots[] = { root, "" };
  guint32 crc = 0;
  const char *link = hearth_elf_get_debuglink (binary, &crc);
  g_autofree char *dir = g_path_get_dirname (path);

  for (guint r = 0; r < G_N_ELEMENTS (roots); r++)
    {
      if (roots[r] == NULL)
        continue;
      if (build_id != NULL && strlen (build_id) > 2)
        {
          g_autofree char *candidate =
            g_strdup_printf ("%s/usr/lib/debug/.build-id/%.2s/%s.debug", roots[r], build_id, build_id + 2);
          HearthElf *elf = try_debug_file (candidate, build_id, FALSE, 0);

          if (elf != NULL)
            return elf;
        }
      if (link != NULL && strchr (link, '/') == NULL)
        {
          g_autofree char *c1 = g_strdup_printf ("%s%s/%s", roots[r], dir, link);
          g_autofree char *c2 = g_strdup_printf ("%s%s/.debug/%s", roots[r], dir, link);
          g_autofree char *c3 = g_strdup_printf ("%s/usr/lib/debug%s/%s", roots[r], dir, link);
          const char *candidates[] = { c1, c2, c3 };

          for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
            {
              HearthElf *elf;

              /* the binary itself may be named like its link */
              if (g_str_has_suffix (candidates[i], path))
                continue;
              if ((elf = try_debug_file (candidates[i], build_id, TRUE, crc)) != NULL)
                return elf;
            }
        }
    }
  return NULL;
}

static void
build_table (HearthSymbolTable *self,
             GArray            *raw)
{
  g_array_sort (raw, compare_elf_symbol);

  for (guint i = 0; i < raw->len; i++)
    {
      const HearthElfSymbol *s = &g_array_index (raw, HearthElfSymbol, i);
      Symbol sym;

      /* the best alias sorts first at each address */
      if (self->symbols->len > 0 &&
          g_array_index (self->symbols, Symbol, self->symbols->len - 1).start == s->start)
        continue;
      sym.start = s->start;
      sym.end = s->size > 0 ? s->start + s->size : 0;
      sym.has_size = s->size > 0;
      sym.name = s->name;
      sym.display = NULL;
      sym.binding = s->binding;
      g_array_append_val (self->symbols, sym);
    }

  /* unsized symbols (hand-written assembly) reach the next symbol */
  for (guint i = 0; i < self->symbols->len; i++)
    {
      Symbol *sym = &g_array_index (self->symbols, Symbol, i);

      if (!sym->has_size)
        sym->end = i + 1 < self->symbols->len
          ? g_array_index (self->symbols, Symbol, i + 1).start
          : sym->start + 4096;
    }
}

HearthSymbolTable *
hearth_symbol_table_load (HearthElf  *binary,
                          const char *path,
                          const char *root)
{
  HearthSymbolTable *self = g_new0 (HearthSymbolTable, 1);
  g_autoptr(GArray) raw = g_array_new (FALSE, FALSE, sizeof (HearthElfSymbol));
  g_autoptr(HearthElf) debug = NULL;
  g_autoptr(HearthElf) mini = NULL;

  self->symbols = g_array_new (FALSE, FALSE, sizeof (Symbol));
  self->names = g_string_chunk_new (64 * 1024);
  self->sources = g_string_new (NULL);

  hearth_elf_collect_symbols (binary, raw, self->names);
  g_string_append (self->sources, hearth_elf_has_symtab (binary) ? "symtab+dynsym" : "dynsym");

  if (!hearth_elf_has_symtab (binary))
    {
      if ((debug = find_debug_file (binary, path, root)) != NULL)
        {
          hearth_elf_collect_symbols (debug, raw, self->names);
          g_string_append_printf (self->sources, " debug:%s", hearth_elf_get_name (debug));
        }
      else if ((mini = hearth_elf_open_debugdata (binary)) != NULL)
        {
          hearth_elf_collect_symbols (mini, raw, self->names);
          g_string_append (self->sources, " minidebuginfo");
        }
    }

  build_table (self, raw);
  return self;
}

void
hearth_symbol_table_free (HearthSymbolTable *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->symbols);
  g_string_chunk_free (self->names);
  g_string_free (self->sources, TRUE);
  g_free (self);
}

const char *
hearth_symbol_table_lookup (HearthSymbolTable *self,
                            guint64            vaddr)
{
  guint lo = 0, hi = self->symbols->len;
  Symbol *sym;

  /* last symbol starting at or before vaddr */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->symbols, Symbol, mid).start <= vaddr)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return NULL;
  sym = &g_array_index (self->symbols, Symbol, lo - 1);
  if (vaddr >= sym->end)
    return NULL;

  if (sym->display == NULL)
    {
      g_autofree char *demangled = hearth_demangle (sym->name);

      sym->display = demangled ? g_string_chunk_insert_const (self->names, demangled) : sym->name;
    }
  return sym->display;
}

guint
hearth_symbol_table_get_size (HearthSymbolTable *self)
{
  return self->symbols->len;
}

const char *
hearth_symbol_table_get_sources (HearthSymbolTable *self)
{
  return self->sources->str;
}
