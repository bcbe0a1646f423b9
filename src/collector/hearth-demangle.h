/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The demangled form of a C++ ("_Z…") or Rust ("_R…", legacy "_ZN…h<hash>E")
 * symbol, or NULL when name is not mangled (or demangling is not built
 * in). Free with g_free(). */
char *hearth_demangle (const char *name);

G_END_DECLS
