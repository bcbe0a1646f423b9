/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hearth-export-command.h"
#include "hearth-export.h"
#include "hearth-layout.h"
#include "hearth-style.h"

G_BEGIN_DECLS

typedef enum
{
  EXPORT_VIEW_ICICLE,
  EXPORT_VIEW_FLAME,
  EXPORT_VIEW_SUNBURST,
  EXPORT_VIEW_DIFF,
} ExportView;

/* A range in seconds; NAN ends are open. */
typedef struct
{
  gboolean set;
  double   start;
  double   end;
} ExportRange;

typedef struct
{
  /* owned */
  char               *input;
  char               *output;
  char               *search;
  char               *zoom;
  char               *title;
  GArray             *tids;        /* gint32 */

  /* state */
  ExportView          view;
  HearthExportFormat  format;
  ExportRange         range;
  ExportRange         compare;
  int                 width;       /* 0 → default */
  int                 height;      /* 0 → fit the tree */
  double              scale;
  HearthTheme         theme;
  HearthColorScheme   scheme;
  gboolean            regex;
  gboolean            timeline;
  gboolean            lenient;
  HearthWidthBy       width_by;
  HearthDiffNormalize normalize;
  HearthDiffMeasure   measure;
  HearthDiffPalette   palette;
} ExportArgs;

void     _hearth_export_args_clear (ExportArgs  *args);
/* Parse argv (after the program name and any "export"); FALSE with a
 * HEARTH_EXPORT_ERROR_USAGE naming the argument. *help is set for --help. */
gboolean _hearth_export_args_parse (ExportArgs  *args,
                                    int          argc,
                                    char       **argv,
                                    gboolean    *help,
                                    GError     **error);
/* Load, aggregate, lay out and write. Usage errors discovered late (a
 * --zoom path or --threads TID that does not exist) are
 * HEARTH_EXPORT_ERROR_USAGE; everything else maps to exit status 1. */
gboolean _hearth_export_run        (const ExportArgs *args,
                                    GError         **error);

G_END_DECLS
