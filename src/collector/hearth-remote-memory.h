/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "hearth-module-map.h"

G_BEGIN_DECLS

/* Copy up to len bytes at addr of process pid with process_vm_readv.
 * Returns the number of bytes copied (short at the end of a mapping) or
 * -1 with errno set. Never ptrace: the target keeps running. */
gssize hearth_remote_read (pid_t     pid,
                           guint64   addr,
                           void     *buf,
                           gsize     len);

/*
 * HearthRemoteMemory: word reads from a target for the unwinder. Pages of
 * read-only file mappings (.eh_frame_hdr, .eh_frame, .text) cannot change
 * while mapped, so they are copied once and kept; anything else is read
 * directly. Flushed when the module map's generation changes.
 */
typedef struct _HearthRemoteMemory HearthRemoteMemory;

HearthRemoteMemory *hearth_remote_memory_new       (HearthModuleMap    *map);
void                hearth_remote_memory_free      (HearthRemoteMemory *self);
gboolean            hearth_remote_memory_read_word (HearthRemoteMemory *self,
                                                    guint64             addr,
                                                    guint64            *out);
void                hearth_remote_memory_flush     (HearthRemoteMemory *self);
/* Counters for benchmarks: direct reads and page-cache misses so far. */
void                hearth_remote_memory_get_stats (HearthRemoteMemory *self,
                                                    guint64            *direct_reads,
                                                    guint64            *page_fills);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthRemoteMemory, hearth_remote_memory_free)

G_END_DECLS
