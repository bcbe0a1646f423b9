/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hearth-export-command-private.h"

static const char usage_text[] =
  "Usage: hearth export INPUT -o OUTPUT [OPTIONS]\n"
  "\n"
  "Draw a flame graph of a .profsession or folded-stacks file without a display.\n"
  "The output format follows the extension: .svg, .png, or .folded (stacks as text).\n"
  "\n"
  "Options:\n"
  "  -o, --output FILE        where to write (required)\n"
  "  --view VIEW              icicle (default), flame, sunburst or diff\n"
  "  --range START..END       seconds from the session start, e.g. 2.5..7, ..7, 3..\n"
  "                           (for --view diff: range A)\n"
  "  --compare START..END     range B, for --view diff (required there)\n"
  "  --threads TID,...        only these thread ids\n"
  "  --width W, --height H    picture size in pixels (default 1200 wide, tall enough\n"
  "                           for the deepest stack)\n"
  "  --scale N                PNG pixels per picture pixel, 1 to 4 (default 1)\n"
  "  --theme light|dark\n"
  "  --color hash|module|kind|state   frame colours (default hash)\n"
  "  --search TEXT            highlight frames whose function contains TEXT\n"
  "  --regex                  TEXT is a regular expression\n"
  "  --zoom FUNC;FUNC...      zoom to this call path (from the outermost frame)\n"
  "  --title TEXT             title line (default: view and input name)\n"
  "  --timeline               draw the timeline with ranges A and B above the graph\n"
  "  --lenient                skip malformed lines of a folded file\n"
  "Diff options:\n"
  "  --width-by b|a|union     tree shape: B (default), A, or both (mean of shares)\n"
  "  --normalize share|rate   compare shares of each range, or samples per second\n"
  "  --delta total|self       colour by the change of total or self weight\n"
  "  --palette red-blue|colorblind\n"
  "\n"
  "Exit status: 0 on success, 1 if the input cannot be read or the output written,\n"
  "2 for bad arguments.\n";

typedef struct
{
  const char *name;
  int         value;
} Choice;

static const Choice view_choices[] = {
  { "icicle", EXPORT_VIEW_ICICLE }, { "flame", EXPORT_VIEW_FLAME },
  { "sunburst", EXPORT_VIEW_SUNBURST }, { "diff", EXPORT_VIEW_DIFF }, { NULL, 0 },
};
static const Choice theme_choices[] = {
  { "light", HEARTH_THEME_LIGHT }, { "dark", HEARTH_THEME_DARK }, { NULL, 0 },
};
static const Choice color_choices[] = {
  { "hash", HEARTH_COLOR_SCHEME_HASH }, { "module", HEARTH_COLOR_SCHEME_MODULE },
  { "kind", HEARTH_COLOR_SCHEME_KIND }, { "state", HEARTH_COLOR_SCHEME_STATE }, { NULL, 0 },
};
static const Choice width_by_choices[] = {
  { "b", HEARTH_WIDTH_BY_B }, { "a", HEARTH_WIDTH_BY_A }, { "union", HEARTH_WIDTH_BY_UNION },
  { NULL, 0 },
};
static const Choice normalize_choices[] = {
  { "share", HEARTH_DIFF_NORMALIZE_SHARE }, { "rate", HEARTH_DIFF_NORMALIZE_RATE }, { NULL, 0 },
};
static const Choice delta_choices[] = {
  { "total", HEARTH_DIFF_MEASURE_TOTAL }, { "self", HEARTH_DIFF_MEASURE_SELF }, { NULL, 0 },
};
static const Choice palette_choices[] = {
  { "red-blue", HEARTH_DIFF_PALETTE_RED_BLUE }, { "colorblind", HEARTH_DIFF_PALETTE_COLORBLIND },
  { NULL, 0 },
};

static gboolean
usage_error (GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
usage_error (GError     **error,
             const char  *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_USAGE, message);
  return FALSE;
}

static gboolean
parse_choice (const char    *option,
              const char    *value,
              const Choice  *choices,
              int           *out,
              GError       **error)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (const Choice *c = choices; c->name != NULL; c++)
    {
      if (g_ascii_strcasecmp (value, c->name) == 0)
        {
          *out = c->value;
          return TRUE;
        }
      g_string_append_printf (names, "%s%s", names->len ? ", " : "", c->name);
    }

  return usage_error (error, "%s: unknown value '%s' (expected one of: %s)", option, value, names->str);
}

static gboolean
parse_seconds (const char *text,
               double     *out)
{
  char *end = NULL;
  double v;

  if (*text == '\0')
    {
      *out = NAN;
      return TRUE;
    }

  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v) || v < 0 || v > 1e9)
    return FALSE;

  *out = v;
  return TRUE;
}

static gboolean
parse_range (const char   *option,
             const char   *value,
             ExportRange  *range,
             GError      **error)
{
  const char *dots = strstr (value, "..");
  g_autofree char *first = NULL;

  if (dots == NULL)
    return usage_error (error, "%s: '%s' is not START..END in seconds (e.g. 2.5..7, ..7 or 3..)",
                        option, value);

  first = g_strndup (value, dots - value);
  if (!parse_seconds (first, &range->start) || !parse_seconds (dots + 2, &range->end))
    return usage_error (error, "%s: '%s' is not START..END in seconds (e.g. 2.5..7, ..7 or 3..)",
                        option, value);

  if (!isnan (range->start) && !isnan (range->end) && range->end <= range->start)
    return usage_error (error, "%s: the end of '%s' is not after its start", option, value);

  range->set = TRUE;
  return TRUE;
}

static gboolean
parse_int (const char  *option,
           const char  *value,
           gint64       min,
           gint64       max,
           gint64      *out,
           GError     **error)
{
  if (!g_ascii_string_to_signed (value, 10, min, max, out, NULL))
    return usage_error (error, "%s: '%s' is not a whole number from %" G_GINT64_FORMAT
                        " to %" G_GINT64_FORMAT, option, value, min, max);
  return TRUE;
}

static gboolean
parse_tids (const char  *value,
            GArray      *tids,
            GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 tid;
      gint32 tid32;

      g_strstrip (parts[i]);
      if (!parse_int ("--threads", parts[i], 0, G_MAXINT32, &tid, error))
        return FALSE;
      tid32 = (gint32) tid;
      g_array_append_val (tids, tid32);
    }

  if (tids->len == 0)
    return usage_error (error, "--threads: expected a comma-separated list of thread ids");

  return TRUE;
}

static void
replace_str (char       **field,
             const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

void
_hearth_export_args_clear (ExportArgs *args)
{
  g_clear_pointer (&args->input, g_free);
  g_clear_pointer (&args->output, g_free);
  g_clear_pointer (&args->search, g_free);
  g_clear_pointer (&args->zoom, g_free);
  g_clear_pointer (&args->title, g_free);
  g_clear_pointer (&args->tids, g_array_unref);
}

/* Options that take a value, in both "--name value" and "--name=value". */
static const char *value_options[] = {
  "-o", "--output", "--view", "--range", "--compare", "--threads", "--width", "--height",
  "--scale", "--theme", "--color", "--search", "--zoom", "--title", "--width-by",
  "--normalize", "--delta", "--palette", NULL,
};

static gboolean
apply_option (ExportArgs  *args,
              const char  *name,
              const char  *value,
              GError     **error)
{
  gint64 n;
  int choice;

  if (g_str_equal (name, "-o") || g_str_equal (name, "--output"))
    replace_str (&args->output, value);
  else if (g_str_equal (name, "--view"))
    {
      if (!parse_choice (name, value, view_choices, &choice, error))
        return FALSE;
      args->view = choice;
    }
  else if (g_str_equal (name, "--range"))
    return parse_range (name, value, &args->range, error);
  else if (g_str_equal (name, "--compare"))
    return parse_range (name, value, &args->compare, error);
  else if (g_str_equal (name, "--threads"))
    return parse_tids (value, args->tids, error);
  else if (g_str_equal (name, "--width") || g_str_equal (name, "--height"))
    {
      if (!parse_int (name, value, 16, 30000, &n, error))
        return FALSE;
      if (name[2] == 'w')
        args->width = (int) n;
      else
        args->height = (int) n;
    }
  else if (g_str_equal (name, "--scale"))
    {
      if (!parse_int (name, value, 1, 4, &n, error))
        return FALSE;
      args->scale = (double) n;
    }
  else if (g_str_equal (name, "--search"))
    replace_str (&args->search, value);
  else if (g_str_equal (name, "--zoom"))
    replace_str (&args->zoom, value);
  else if (g_str_equal (name, "--title"))
    replace_str (&args->title, value);
  else
    {
      const Choice *choices = g_str_equal (name, "--theme") ? theme_choices
                            : g_str_equal (name, "--color") ? color_choices
                            : g_str_equal (name, "--width-by") ? width_by_choices
                            : g_str_equal (name, "--normalize") ? normalize_choices
                            : g_str_equal (name, "--delta") ? delta_choices
                            : palette_choices;

      if (!parse_choice (name, value, choices, &choice, error))
        return FALSE;

      if (g_str_equal (name, "--theme"))
        args->theme = choice;
      else if (g_str_equal (name, "--color"))
        args->scheme = choice;
      else if (g_str_equal (name, "--width-by"))
        args->width_by = choice;
      else if (g_str_equal (name, "--normalize"))
        args->normalize = choice;
      else if (g_str_equal (name, "--delta"))
        args->measure = choice;
      else
        args->palette = choice;
    }

  return TRUE;
}

static gboolean
check_args (ExportArgs  *args,
            GError     **error)
{
  if (args->input == NULL)
    return usage_error (error, "No INPUT file given (a .profsession or folded-stacks file)");
  if (args->output == NULL)
    return usage_error (error, "-o/--output is required (a .svg, .png or .folded file)");
  if (!hearth_export_format_from_path (args->output, &args->format))
    return usage_error (error, "-o: cannot tell the format of '%s' from its extension "
                        "(use .svg, .png or .folded)", args->output);
  if (args->view == EXPORT_VIEW_DIFF && !args->compare.set)
    return usage_error (error, "--view diff needs --compare START..END (range B; --range is A)");
  if (args->view != EXPORT_VIEW_DIFF && args->compare.set)
    return usage_error (error, "--compare only applies to --view diff");

  return TRUE;
}

gboolean
_hearth_export_args_parse (ExportArgs  *args,
                           int          argc,
                           char       **argv,
                           gboolean    *help,
                           GError     **error)
{
  memset (args, 0, sizeof *args);
  args->tids = g_array_new (FALSE, FALSE, sizeof (gint32));
  args->scale = 1.0;
  args->width_by = HEARTH_WIDTH_BY_B;
  *help = FALSE;

  for (int i = 0; i < argc; i++)
    {
      const char *arg = argv[i];
      g_autofree char *name = NULL;
      const char *value = NULL;
      const char *eq;

      if (arg == NULL)
        continue;

      if (g_str_equal (arg, "-h") || g_str_equal (arg, "--help"))
        {
          *help = TRUE;
          return TRUE;
        }
      if (g_str_equal (arg, "--regex"))
        { args->regex = TRUE; continue; }
      if (g_str_equal (arg, "--timeline"))
        { args->timeline = TRUE; continue; }
      if (g_str_equal (arg, "--lenient"))
        { args->lenient = TRUE; continue; }

      if (arg[0] != '-' || g_str_equal (arg, "-"))
        {
          if (args->input != NULL)
            return usage_error (error, "Only one INPUT file, please: got '%s' and '%s'", args->input, arg);
          args->input = g_strdup (arg);
          continue;
        }

      eq = g_str_has_prefix (arg, "--") ? strchr (arg, '=') : NULL;
      name = eq ? g_strndup (arg, eq - arg) : g_strdup (arg);

      if (!g_strv_contains (value_options, name))
        return usage_error (error, "Unknown option '%s'", name);

      if (eq != NULL)
        value = eq + 1;
      else if (i + 1 < argc && argv[i + 1] != NULL)
        value = argv[++i];
      else
        return usage_error (error, "%s needs a value", name);

      if (!apply_option (args, name, value, error))
        return FALSE;
    }

  return check_args (args, error);
}

int
hearth_export_command (int    argc,
                       char **argv)
{
  g_autoptr(GError) error = NULL;
  ExportArgs args;
  gboolean help = FALSE;
  int first = 1;

  g_return_val_if_fail (argc >= 0, HEARTH_EXPORT_EXIT_USAGE);

  if (argc > 1 && argv[1] != NULL && g_str_equal (argv[1], "export"))
    first = 2;

  /* Number formats in SVG attributes never depend on the locale, but
   * messages may: the app has already called setlocale() when it calls us. */
  if (!_hearth_export_args_parse (&args, MAX (0, argc - first), argv + MIN (first, argc), &help, &error))
    {
      fprintf (stderr, "hearth export: %s\n", error->message);
      fprintf (stderr, "Run 'hearth export --help' for the options.\n");
      _hearth_export_args_clear (&args);
      return HEARTH_EXPORT_EXIT_USAGE;
    }

  if (help)
    {
      fputs (usage_text, stdout);
      _hearth_export_args_clear (&args);
      return HEARTH_EXPORT_EXIT_OK;
    }

  if (!_hearth_export_run (&args, &error))
    {
      gboolean usage = g_error_matches (error, HEARTH_EXPORT_ERROR, HEARTH_EXPORT_ERROR_USAGE);

      fprintf (stderr, "hearth export: %s\n", error->message);
      _hearth_export_args_clear (&args);
      return usage ? HEARTH_EXPORT_EXIT_USAGE : HEARTH_EXPORT_EXIT_FAILED;
    }

  _hearth_export_args_clear (&args);
  return HEARTH_EXPORT_EXIT_OK;
}
