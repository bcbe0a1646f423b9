/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hearth-elf.h"

G_BEGIN_DECLS

/*
 * HearthSymbolTable: every function symbol known for one module, from its
 * .symtab and .dynsym, a separate debug file (by build-id or debuglink,
 * under /usr/lib/debug) and MiniDebugInfo, merged into one sorted array.
 * Lookups binary-search it; names are demangled on first use.
 */
typedef struct _HearthSymbolTable HearthSymbolTable;

/* binary is the module's ELF (borrowed); path its path as the target sees
 * it; root the target's root directory ("/proc/PID/root") or NULL. */
HearthSymbolTable *hearth_symbol_table_load      (HearthElf         *binary,
                                                  const char        *path,
                                                  const char        *root);
void               hearth_symbol_table_free      (HearthSymbolTable *self);
/* The (demangled) name of the function containing vaddr, or NULL. The
 * string lives as long as the table. */
const char        *hearth_symbol_table_lookup    (HearthSymbolTable *self,
                                                  guint64            vaddr);
guint              hearth_symbol_table_get_size  (HearthSymbolTable *self);
/* Which files the names came from, for diagnostics ("symtab", "dynsym",
 * "debug:/usr/lib/debug/…", "minidebuginfo"). */
const char        *hearth_symbol_table_get_sources (HearthSymbolTable *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthSymbolTable, hearth_symbol_table_free)

G_END_DECLS
