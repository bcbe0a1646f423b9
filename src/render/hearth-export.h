/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "hearth-canvas.h"
#include "hearth-layout.h"
#include "hearth-style.h"
#include "hearth-timeline-painter.h"

G_BEGIN_DECLS

#define HEARTH_EXPORT_ERROR (hearth_export_error_quark ())

typedef enum
{
  HEARTH_EXPORT_ERROR_USAGE,     /* a bad argument; the message names it */
  HEARTH_EXPORT_ERROR_INPUT,     /* the input cannot be used (empty, no such thread…) */
  HEARTH_EXPORT_ERROR_IO,        /* cannot write the output */
  HEARTH_EXPORT_ERROR_RENDER,    /* cairo failed (out of memory, image too large) */
} HearthExportError;

typedef enum
{
  HEARTH_EXPORT_FORMAT_PNG,
  HEARTH_EXPORT_FORMAT_SVG,
  HEARTH_EXPORT_FORMAT_FOLDED,
} HearthExportFormat;

/*
 * HearthExportScene: a stand-alone picture: an optional header (title,
 * details, diff legend, a timeline lane with its axis) above the layout.
 * The layout's viewport is the area under the header; the picture is
 * layout width × (header height + layout height).
 *
 * The app exports "exactly as shown" with no title and no timeline; the
 * `hearth export` command adds a title and details.
 */
typedef struct
{
  HearthLayout             *layout;
  const HearthStyle        *style;
  const char               *title;       /* NULL: no title line */
  const char               *details;     /* NULL: no details line */
  gboolean                  legend;      /* the diff legend (style->diff only) */
  const HearthTimelineLane *lane;        /* NULL: no timeline */
  HearthTimeScale           lane_scale;  /* x and width are set by the scene */
} HearthExportScene;

GQuark           hearth_export_error_quark         (void);

/* Format from the file name's extension (.png, .svg, .folded/.txt);
 * FALSE if unknown. */
gboolean         hearth_export_format_from_path    (const char               *path,
                                                    HearthExportFormat       *format);

/* Height of the header for this scene (0 without title, details, legend
 * and lane); lay out the graph for the remaining height. */
double           hearth_export_scene_header_height (const HearthExportScene  *scene);
/* Paint background, header and layout on a canvas. */
void             hearth_export_scene_paint         (HearthCanvas             *canvas,
                                                    const HearthExportScene  *scene);
/* A new image surface of (width × height) × scale pixels; NULL with
 * HEARTH_EXPORT_ERROR_RENDER if cairo cannot make it. */
cairo_surface_t *hearth_export_scene_render_image  (const HearthExportScene  *scene,
                                                    double                    scale,
                                                    GError                  **error);
/* The SVG document as text (caller frees). */
GString         *hearth_export_scene_render_svg    (const HearthExportScene  *scene);
gboolean         hearth_export_scene_write         (const HearthExportScene  *scene,
                                                    HearthExportFormat        format,
                                                    double                    scale,
                                                    const char               *path,
                                                    GError                  **error);

G_END_DECLS
