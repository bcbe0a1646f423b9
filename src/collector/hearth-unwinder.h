/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hearth-module-map.h"
#include "hearth-remote-memory.h"

G_BEGIN_DECLS

/* libunwind's x86_64 register numbers: RAX … R15 = 0 … 15, RIP = 16 */
#define HEARTH_REG_RBP 6
#define HEARTH_REG_RSP 7
#define HEARTH_REG_RIP 16
#define HEARTH_N_REGS  17

/* What was copied from a thread: its registers and a window of its stack
 * starting at the stack pointer. The unwinder never touches the thread;
 * memory outside the window is read live (process_vm_readv). */
typedef struct
{
  guint64       regs[HEARTH_N_REGS];
  guint32       valid_regs;    /* bit i: regs[i] is known */
  guint64       stack_addr;    /* address of stack[0] (the stack pointer) */
  const guint8 *stack;
  gsize         stack_len;
} HearthStackSnapshot;

typedef struct
{
  guint64  ip;
  gboolean exact;   /* ip is where the thread is (leaf, or interrupted by a
                       signal), not a return address: look it up as is */
} HearthUnwoundFrame;

/*
 * HearthUnwinder: libunwind's remote API on one long-lived address space
 * per target with UNW_CACHE_GLOBAL, and accessors of our own: registers
 * from the snapshot, memory from the stack window, then immutable pages,
 * then process_vm_readv; unwind tables from each module's .eh_frame_hdr
 * via _Ux86_64_dwarf_search_unwind_table. Only the sampler thread uses it.
 */
typedef struct _HearthUnwinder HearthUnwinder;

HearthUnwinder *hearth_unwinder_new             (HearthModuleMap           *map,
                                                 HearthRemoteMemory        *memory);
void            hearth_unwinder_free            (HearthUnwinder            *self);
/* Unwind into frames (leaf first, at most max_frames). Returns the frame
 * count; *complete is FALSE when the walk stopped before the outermost
 * frame (a partial stack, still worth keeping). A snapshot without RBP
 * (a blocked thread read without stopping it) gets its frame pointer
 * from the frame records in its stack window. */
guint           hearth_unwinder_unwind          (HearthUnwinder            *self,
                                                 const HearthStackSnapshot *snapshot,
                                                 HearthUnwoundFrame        *frames,
                                                 guint                      max_frames,
                                                 gboolean                  *complete);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthUnwinder, hearth_unwinder_free)

G_END_DECLS
