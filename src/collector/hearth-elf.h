/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * HearthElf: the few things the sampler needs from an ELF image (a file,
 * the vDSO copied from the target, or a MiniDebugInfo blob): loadable
 * segments, the .eh_frame_hdr search table, build-id, debuglink and
 * function symbols. Every offset and size is checked against the image:
 * the image may be truncated or hostile.
 */
typedef struct _HearthElf HearthElf;

typedef struct
{
  guint64 vaddr;
  guint64 offset;
  guint64 filesz;
  guint64 memsz;
  guint32 flags;     /* PF_R | PF_W | PF_X */
} HearthElfLoad;

typedef struct
{
  guint64 vaddr;        /* of .eh_frame_hdr */
  guint64 table_offset; /* of the binary-search table, from vaddr */
  guint64 fde_count;
} HearthEhFrameHdr;

typedef struct
{
  guint64     start;    /* ELF virtual address */
  guint64     size;     /* 0: extends to the next symbol */
  const char *name;     /* mangled; owned by the caller's string chunk */
  guint8      binding;  /* STB_* */
} HearthElfSymbol;

HearthElf   *hearth_elf_open              (const char         *path,
                                           GError            **error);
/* Takes a reference on bytes, which must outlive nothing else. */
HearthElf   *hearth_elf_new_from_bytes    (GBytes             *bytes,
                                           const char         *name,
                                           GError            **error);
void         hearth_elf_free              (HearthElf          *self);

const char  *hearth_elf_get_name          (HearthElf          *self);
/* Lower-case hex, or NULL. */
const char  *hearth_elf_get_build_id      (HearthElf          *self);
/* The .gnu_debuglink file name, or NULL; crc receives its CRC32. */
const char  *hearth_elf_get_debuglink     (HearthElf          *self,
                                           guint32            *crc);
guint        hearth_elf_get_n_loads       (HearthElf          *self);
const HearthElfLoad *hearth_elf_get_load  (HearthElf          *self,
                                           guint               i);
/* FALSE when the image has no usable search table: none at all, or an
 * encoding other than datarel|sdata4 (libunwind 1.6.2 abort()s on
 * those, so such modules are never handed to it). */
gboolean     hearth_elf_get_eh_frame_hdr  (HearthElf          *self,
                                           HearthEhFrameHdr   *out);
gboolean     hearth_elf_has_symtab        (HearthElf          *self);
/* Append function symbols of .symtab and .dynsym to symbols
 * (HearthElfSymbol), names copied into names. */
void         hearth_elf_collect_symbols   (HearthElf          *self,
                                           GArray             *symbols,
                                           GStringChunk       *names);
/* The decompressed .gnu_debugdata (MiniDebugInfo) ELF, or NULL. */
HearthElf   *hearth_elf_open_debugdata    (HearthElf          *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthElf, hearth_elf_free)

G_END_DECLS
