/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hearth-module-map.h"
#include "hearth-stream.h"

G_BEGIN_DECLS

/*
 * HearthSymbolizer: addresses of one target → stream frames. Symbol
 * tables are cached per module build-id (or dev:inode), resolved frames
 * per address; JIT code is named from the target's perf map. An address
 * nobody can name becomes "module+0xoffset", never dropped.
 */
typedef struct _HearthSymbolizer HearthSymbolizer;

HearthSymbolizer *hearth_symbolizer_new           (HearthModuleMap   *map);
void              hearth_symbolizer_free          (HearthSymbolizer  *self);
/* Describe ip. exact is FALSE for return addresses, which are looked up
 * as ip - 1 so a call at the end of a function stays in it; the frame's
 * address is that lookup address, module-relative. Strings in out live
 * as long as the symbolizer. */
void              hearth_symbolizer_resolve       (HearthSymbolizer  *self,
                                                   guint64            ip,
                                                   gboolean           exact,
                                                   HearthStreamFrame *out);
/* A kernel-side leaf naming the system call a blocked thread waits in. */
void              hearth_symbolizer_syscall_frame (HearthSymbolizer  *self,
                                                   gint64             nr,
                                                   HearthStreamFrame *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HearthSymbolizer, hearth_symbolizer_free)

G_END_DECLS
