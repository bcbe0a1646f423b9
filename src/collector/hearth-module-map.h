/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "hearth-elf.h"

G_BEGIN_DECLS

/*
 * HearthModuleMap: the mappings of one target process (/proc/PID/maps)
 * and the modules (ELF files and the vDSO) behind them. Only the sampler
 * thread uses it. /proc/PID/maps is re-read when an address misses (at
 * most every 100 ms) or when the caller asks; modules that stay mapped
 * keep their ELF data across re-reads.
 */
typedef struct _HearthModuleMap HearthModuleMap;

#define HEARTH_PROT_READ  1
#define HEARTH_PROT_WRITE 2
#define HEARTH_PROT_EXEC  4

typedef struct
{
  /* owned */
  char      *path;          /* as in maps; "[vdso]" for the vDSO */
  char      *basename;
  HearthElf *elf;           /* NULL until loaded, or if unreadable */

  /* state */
  guint64    dev;
  guint64    inode;
  guint64    base;          /* lowest mapped address */
  guint64    text_start;    /* union of executable mappings */
  guint64    text_end;
  guint64    bias;          /* runtime address = bias + ELF vaddr */
  gboolean   elf_tried;
  gboolean   bias_known;
  gboolean   has_eh_table;  /* search table usable by libunwind */
  guint64    eh_hdr_addr;   /* runtime address of .eh_frame_hdr */
  guint64    eh_table_addr; /* runtime address of its search table */
  guint64    eh_fde_count;
  gboolean   seen;          /* still mapped after the last re-read */
} HearthModule;

typedef struct
{
  guint64       start;
  guint64       end;
  guint64       offset;
  guint32       prot;       /* HEARTH_PROT_* */
  HearthModule *module;     /* NULL for anonymous memory */
  const char   *name;       /* "[stack]", "[heap]", "[anon:…]" or "" */
} HearthMapping;

HearthModuleMap     *hearth_module_map_new            (pid_t            pid);
void                 hearth_module_map_free           (HearthModuleMap *self);
pid_t                hearth_module_map_get_pid        (HearthModuleMap *self);
/* Re-read /proc/PID/maps now. FALSE if it cannot be read (the process
 * is gone). */
gboolean             hearth_module_map_refresh        (HearthModuleMap *self);
/* Bumped whenever a module appears or disappears: caches keyed by
 * address (unwind, symbols, pages) must be flushed then. */
guint                hearth_module_map_get_generation (HearthModuleMap *self);
/* The mapping containing addr from the last read, or NULL. Cheap: safe
 * while a thread of the target is stopped. */
const HearthMapping *hearth_module_map_find           (HearthModuleMap *self,
                                                       guint64          addr);
/* The mapping containing addr, re-reading the maps once on a miss. */
const HearthMapping *hearth_module_map_lookup         (HearthModuleMap *self,
                                                       guint64          addr);
/* Load the module's ELF image, bias and unwind table (once). FALSE if
 * the module cannot be read. */
gboolean             hearth_module_map_load_module    (HearthModuleMap *self,
                                                       HearthModule    *module);
/* The target's root as seen from here ("/proc/PID/root"). */
const char          *hearth_module_map_get_root       (HearthModuleMap *self);

/* Parse maps text into self, as refresh() does; for tests. */
void                 hearth_module_map_parse          (HearthModuleMap *self,
                                                       const char      *text,
                                                       gsize            length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthModuleMap, hearth_module_map_free)

G_END_DECLS
