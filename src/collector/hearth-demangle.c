/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>

#ifdef HAVE_LIBIBERTY
# include <libiberty/demangle.h>
#endif

#include "hearth-demangle.h"

char *
hearth_demangle (const char *name)
{
#ifdef HAVE_LIBIBERTY
  char *demangled;
  char *ret;

  if (name == NULL || name[0] != '_' || (name[1] != 'Z' && name[1] != 'R'))
    return NULL;
  /* The default (auto) style tries Rust first, then the C++ ABI: legacy
   * Rust symbols are valid C++ manglings with a hash suffix */
  demangled = cplus_demangle (name, DMGL_PARAMS | DMGL_ANSI);
  if (demangled == NULL)
    return NULL;
  ret = g_strdup (demangled);
  free (demangled);
  return ret;
#else
  return NULL;
#endif
}
