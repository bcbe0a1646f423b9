/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hearth-json.h"

#define MAX_DEPTH 64

typedef struct
{
  const char *p;
  const char *start;
  const char *end;
  guint       depth;
} Parser;

G_DEFINE_QUARK (hearth-json-error-quark, hearth_json_error)

static GVariant *parse_value (Parser *parser, GError **error);

static gboolean
fail (Parser      *parser,
      GError     **error,
      const char  *what)
{
  g_set_error (error, HEARTH_JSON_ERROR, HEARTH_JSON_ERROR_PARSE,
               _("Malformed JSON at byte %u: %s"),
               (guint) (parser->p - parser->start), what);
  return FALSE;
}

static void
skip_space (Parser *parser)
{
  while (parser->p < parser->end &&
         (*parser->p == ' ' || *parser->p == '\t' || *parser->p == '\n' || *parser->p == '\r'))
    parser->p++;
}

static gboolean
expect (Parser *parser,
        char    c)
{
  skip_space (parser);
  if (parser->p < parser->end && *parser->p == c)
    {
      parser->p++;
      return TRUE;
    }
  return FALSE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
parse_hex4 (Parser   *parser,
            gunichar *out)
{
  gunichar v = 0;

  if (parser->end - parser->p < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      int h = hex_value (parser->p[i]);
      if (h < 0)
        return FALSE;
      v = (v << 4) | (guint) h;
    }
  parser->p += 4;
  *out = v;
  return TRUE;
}

/* Returns a newly allocated UTF-8 string; invalid UTF-8 is replaced so a
 * hostile process name can never produce an invalid "s" variant. */
static char *
parse_string (Parser  *parser,
              GError **error)
{
  g_autoptr(GString) str = g_string_new (NULL);

  if (!expect (parser, '"'))
    return fail (parser, error, "expected a string"), NULL;

  while (parser->p < parser->end && *parser->p != '"')
    {
      char c = *parser->p++;

      if ((guchar) c < 0x20)
        return fail (parser, error, "control character in string"), NULL;
      if (c != '\\')
        {
          g_string_append_c (str, c);
          continue;
        }
      if (parser->p >= parser->end)
        break;
      c = *parser->p++;
      switch (c)
        {
        case '"': case '\\': case '/': g_string_append_c (str, c); break;
        case 'b': g_string_append_c (str, '\b'); break;
        case 'f': g_string_append_c (str, '\f'); break;
        case 'n': g_string_append_c (str, '\n'); break;
        case 'r': g_string_append_c (str, '\r'); break;
        case 't': g_string_append_c (str, '\t'); break;
        case 'u':
          {
            gunichar u;

            if (!parse_hex4 (parser, &u))
              return fail (parser, error, "bad \\u escape"), NULL;
            if (u >= 0xD800 && u <= 0xDBFF && parser->end - parser->p >= 6 &&
                parser->p[0] == '\\' && parser->p[1] == 'u')
              {
                gunichar lo;

                parser->p += 2;
                if (!parse_hex4 (parser, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                  return fail (parser, error, "bad surrogate pair"), NULL;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
              }
            if (!g_unichar_validate (u) || u == 0)
              u = 0xFFFD;
            g_string_append_unichar (str, u);
          }
          break;
        default:
          return fail (parser, error, "bad escape"), NULL;
        }
    }

  if (parser->p >= parser->end)
    return fail (parser, error, "unterminated string"), NULL;
  parser->p++;

  return g_utf8_make_valid (str->str, str->len);
}

static GVariant *
parse_number (Parser  *parser,
              GError **error)
{
  const char *begin = parser->p;
  gboolean is_float = FALSE;
  char buf[64];
  gsize len;

  while (parser->p < parser->end && strchr ("+-0123456789.eE", *parser->p) != NULL)
    {
      if (*parser->p == '.' || *parser->p == 'e' || *parser->p == 'E')
        is_float = TRUE;
      parser->p++;
    }

  len = parser->p - begin;
  if (len == 0 || len >= sizeof buf)
    return fail (parser, error, "bad number"), NULL;
  memcpy (buf, begin, len);
  buf[len] = 0;

  if (!is_float)
    {
      gint64 v;
      char *endp;

      errno = 0;
      v = g_ascii_strtoll (buf, &endp, 10);
      if (errno == 0 && *endp == 0)
        return g_variant_new_int64 (v);
    }

  {
    char *endp;
    double d = g_ascii_strtod (buf, &endp);

    if (*endp != 0)
      return fail (parser, error, "bad number"), NULL;
    return g_variant_new_double (d);
  }
}

static GVariant *
parse_object (Parser  *parser,
              GError **error)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  parser->p++;  /* '{' */
  if (expect (parser, '}'))
    return g_variant_builder_end (&builder);

  for (;;)
    {
      g_autofree char *key = NULL;
      GVariant *value;

      skip_space (parser);
      if (!(key = parse_string (parser, error)))
        return NULL;
      if (!expect (parser, ':'))
        return fail (parser, error, "expected ':'"), NULL;
      if (!(value = parse_value (parser, error)))
        return NULL;
      g_variant_builder_add (&builder, "{sv}", key, value);
      if (expect (parser, ','))
        continue;
      if (expect (parser, '}'))
        return g_variant_builder_end (&builder);
      return fail (parser, error, "expected ',' or '}'"), NULL;
    }
}

static GVariant *
parse_array (Parser  *parser,
             GError **error)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("av"));

  parser->p++;  /* '[' */
  if (expect (parser, ']'))
    return g_variant_builder_end (&builder);

  for (;;)
    {
      GVariant *value;

      if (!(value = parse_value (parser, error)))
        return NULL;
      g_variant_builder_add (&builder, "v", value);
      if (expect (parser, ','))
        continue;
      if (expect (parser, ']'))
        return g_variant_builder_end (&builder);
      return fail (parser, error, "expected ',' or ']'"), NULL;
    }
}

static gboolean
match_word (Parser     *parser,
            const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (parser->end - parser->p) < len || memcmp (parser->p, word, len) != 0)
    return FALSE;
  parser->p += len;
  return TRUE;
}

static GVariant *
parse_value (Parser  *parser,
             GError **error)
{
  GVariant *ret = NULL;

  skip_space (parser);
  if (parser->p >= parser->end)
    return fail (parser, error, "unexpected end"), NULL;
  if (++parser->depth > MAX_DEPTH)
    return fail (parser, error, "nested too deeply"), NULL;

  switch (*parser->p)
    {
    case '{':
      ret = parse_object (parser, error);
      break;
    case '[':
      ret = parse_array (parser, error);
      break;
    case '"':
      {
        char *s = parse_string (parser, error);
        if (s != NULL)
          ret = g_variant_new_take_string (s);
      }
      break;
    case 't':
      ret = match_word (parser, "true") ? g_variant_new_boolean (TRUE) : NULL;
      break;
    case 'f':
      ret = match_word (parser, "false") ? g_variant_new_boolean (FALSE) : NULL;
      break;
    case 'n':
      ret = match_word (parser, "null") ? g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL) : NULL;
      break;
    default:
      ret = parse_number (parser, error);
      break;
    }

  if (ret == NULL && (error == NULL || *error == NULL))
    fail (parser, error, "unexpected token");
  parser->depth--;
  return ret;
}

GVariant *
hearth_json_parse (const char  *text,
                   gssize       length,
                   GError     **error)
{
  Parser parser;
  g_autoptr(GVariant) ret = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = strlen (text);
  parser.p = parser.start = text;
  parser.end = text + length;
  parser.depth = 0;

  if (!(ret = parse_value (&parser, error)))
    return NULL;
  g_variant_ref_sink (ret);
  skip_space (&parser);
  if (parser.p != parser.end)
    return fail (&parser, error, "trailing data"), NULL;

  return g_steal_pointer (&ret);
}

static GVariant *
lookup (GVariant   *object,
        const char *key)
{
  if (object == NULL || !g_variant_is_of_type (object, G_VARIANT_TYPE_VARDICT))
    return NULL;
  return g_variant_lookup_value (object, key, NULL);
}

/* The returned string lives as long as @object (the child is owned by it). */
const char *
hearth_json_get_string (GVariant   *object,
                        const char *key,
                        const char *fallback)
{
  g_autoptr(GVariant) v = lookup (object, key);

  if (v == NULL || !g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
    return fallback;
  return g_variant_get_string (v, NULL);
}

gint64
hearth_json_get_int (GVariant   *object,
                     const char *key,
                     gint64      fallback)
{
  g_autoptr(GVariant) v = lookup (object, key);

  if (v == NULL)
    return fallback;
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    return g_variant_get_int64 (v);
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
    return (gint64) g_variant_get_double (v);
  return fallback;
}

double
hearth_json_get_double (GVariant   *object,
                        const char *key,
                        double      fallback)
{
  g_autoptr(GVariant) v = lookup (object, key);

  if (v == NULL)
    return fallback;
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
    return g_variant_get_double (v);
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    return (double) g_variant_get_int64 (v);
  return fallback;
}

gboolean
hearth_json_get_bool (GVariant   *object,
                      const char *key,
                      gboolean    fallback)
{
  g_autoptr(GVariant) v = lookup (object, key);

  if (v == NULL || !g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
    return fallback;
  return g_variant_get_boolean (v);
}
