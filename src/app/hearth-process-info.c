/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "hearth-json.h"
#include "hearth-process-info.h"

struct _HearthProcessInfo
{
  GObject parent_instance;

  /* owned */
  char    *name;
  char    *user;
  char    *command_line;
  char    *reason;

  /* state */
  int      pid;
  double   cpu;
  guint    threads;
  gboolean attachable;
};

enum {
  PROP_0,
  PROP_PID,
  PROP_NAME,
  PROP_USER,
  PROP_COMMAND_LINE,
  PROP_CPU,
  PROP_THREADS,
  PROP_ATTACHABLE,
  PROP_REASON,
  PROP_PID_TEXT,
  PROP_CPU_TEXT,
  PROP_THREADS_TEXT,
  PROP_STATUS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (HearthProcessInfo, hearth_process_info, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* The collector's field names, with the alternatives other versions of
 * `ps --json` may use, so an older remote collector still lists. */
static const char *
get_str (GVariant *object, const char *a, const char *b)
{
  const char *s = hearth_json_get_string (object, a, NULL);
  return s != NULL ? s : hearth_json_get_string (object, b, NULL);
}

static gboolean
set_string (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
hearth_process_info_finalize (GObject *object)
{
  HearthProcessInfo *self = (HearthProcessInfo *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->command_line, g_free);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (hearth_process_info_parent_class)->finalize (object);
}

static void
hearth_process_info_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HearthProcessInfo *self = HEARTH_PROCESS_INFO (object);

  switch (prop_id)
    {
    case PROP_PID: g_value_set_int (value, self->pid); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_USER: g_value_set_string (value, self->user); break;
    case PROP_COMMAND_LINE: g_value_set_string (value, self->command_line); break;
    case PROP_CPU: g_value_set_double (value, self->cpu); break;
    case PROP_THREADS: g_value_set_uint (value, self->threads); break;
    case PROP_ATTACHABLE: g_value_set_boolean (value, self->attachable); break;
    case PROP_REASON: g_value_set_string (value, self->reason); break;
    case PROP_PID_TEXT: g_value_take_string (value, g_strdup_printf ("%d", self->pid)); break;
    case PROP_CPU_TEXT: g_value_take_string (value, g_strdup_printf ("%.1f", self->cpu)); break;
    case PROP_THREADS_TEXT: g_value_take_string (value, g_strdup_printf ("%u", self->threads)); break;
    case PROP_STATUS:
      g_value_set_string (value, self->attachable ? _("Can attach")
                                                  : (self->reason && *self->reason ? self->reason
                                                                                   : _("Cannot attach")));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_process_info_class_init (HearthProcessInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = hearth_process_info_finalize;
  object_class->get_property = hearth_process_info_get_property;

  properties[PROP_PID] = g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, flags);
  properties[PROP_COMMAND_LINE] = g_param_spec_string ("command-line", NULL, NULL, NULL, flags);
  properties[PROP_CPU] = g_param_spec_double ("cpu", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_THREADS] = g_param_spec_uint ("threads", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ATTACHABLE] = g_param_spec_boolean ("attachable", NULL, NULL, FALSE, flags);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  /* Display forms for the picker's columns. */
  properties[PROP_PID_TEXT] = g_param_spec_string ("pid-text", NULL, NULL, NULL, flags);
  properties[PROP_CPU_TEXT] = g_param_spec_string ("cpu-text", NULL, NULL, NULL, flags);
  properties[PROP_THREADS_TEXT] = g_param_spec_string ("threads-text", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hearth_process_info_init (HearthProcessInfo *self)
{
}

HearthProcessInfo *
hearth_process_info_new_from_json (GVariant *object)
{
  HearthProcessInfo *self;
  gint64 pid = hearth_json_get_int (object, "pid", -1);
  const char *reason;

  if (pid <= 0 || pid > G_MAXINT)
    return NULL;

  self = g_object_new (HEARTH_TYPE_PROCESS_INFO, NULL);
  self->pid = (int) pid;
  self->name = g_strdup (get_str (object, "name", "comm"));
  self->user = g_strdup (get_str (object, "user", "username"));
  self->command_line = g_strdup (get_str (object, "cmdline", "command_line"));
  self->cpu = MAX (0.0, hearth_json_get_double (object, "cpu", hearth_json_get_double (object, "cpu_percent", 0)));
  self->threads = (guint) CLAMP (hearth_json_get_int (object, "threads", hearth_json_get_int (object, "n_threads", 0)), 0, G_MAXUINT);
  self->attachable = hearth_json_get_bool (object, "attachable", hearth_json_get_bool (object, "can_attach", TRUE));
  reason = get_str (object, "reason", "why_not");
  self->reason = g_strdup (reason != NULL ? reason : "");

  if (self->name == NULL)
    self->name = g_strdup_printf ("%d", self->pid);
  if (self->user == NULL)
    self->user = g_strdup ("");
  if (self->command_line == NULL || *self->command_line == 0)
    set_string (&self->command_line, self->name);

  return self;
}

GPtrArray *
hearth_process_info_parse_list (const char  *json,
                                GError     **error)
{
  g_autoptr(GVariant) root = NULL;
  g_autoptr(GVariant) list = NULL;
  g_autoptr(GPtrArray) ret = g_ptr_array_new_with_free_func (g_object_unref);
  GVariantIter iter;
  GVariant *child;

  if (!(root = hearth_json_parse (json, -1, error)))
    return NULL;

  if (g_variant_is_of_type (root, G_VARIANT_TYPE ("av")))
    list = g_variant_ref (root);
  else if (g_variant_is_of_type (root, G_VARIANT_TYPE_VARDICT))
    list = g_variant_lookup_value (root, "processes", G_VARIANT_TYPE ("av"));

  if (list == NULL)
    {
      g_set_error (error, HEARTH_JSON_ERROR, HEARTH_JSON_ERROR_PARSE,
                   _("The process list from hearth-collector has no “processes” array."));
      return NULL;
    }

  g_variant_iter_init (&iter, list);
  while (g_variant_iter_next (&iter, "v", &child))
    {
      HearthProcessInfo *info = hearth_process_info_new_from_json (child);

      if (info != NULL)
        g_ptr_array_add (ret, info);
      g_variant_unref (child);
    }

  return g_steal_pointer (&ret);
}

void
hearth_process_info_update (HearthProcessInfo *self,
                            HearthProcessInfo *other)
{
  g_return_if_fail (HEARTH_IS_PROCESS_INFO (self));
  g_return_if_fail (HEARTH_IS_PROCESS_INFO (other));

  g_object_freeze_notify (G_OBJECT (self));
  if (set_string (&self->name, other->name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  if (set_string (&self->user, other->user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
  if (set_string (&self->command_line, other->command_line))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMAND_LINE]);
  if (set_string (&self->reason, other->reason))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (self->cpu != other->cpu)
    {
      self->cpu = other->cpu;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CPU]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CPU_TEXT]);
    }
  if (self->threads != other->threads)
    {
      self->threads = other->threads;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREADS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREADS_TEXT]);
    }
  if (self->attachable != other->attachable)
    {
      self->attachable = other->attachable;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTACHABLE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

int hearth_process_info_get_pid (HearthProcessInfo *self) { return self->pid; }
const char *hearth_process_info_get_name (HearthProcessInfo *self) { return self->name; }
const char *hearth_process_info_get_user (HearthProcessInfo *self) { return self->user; }
const char *hearth_process_info_get_command_line (HearthProcessInfo *self) { return self->command_line; }
double hearth_process_info_get_cpu (HearthProcessInfo *self) { return self->cpu; }
guint hearth_process_info_get_threads (HearthProcessInfo *self) { return self->threads; }
gboolean hearth_process_info_get_attachable (HearthProcessInfo *self) { return self->attachable; }
const char *hearth_process_info_get_reason (HearthProcessInfo *self) { return self->reason; }

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *h = NULL;

  if (haystack == NULL)
    return FALSE;
  h = g_utf8_casefold (haystack, -1);
  return strstr (h, needle) != NULL;
}

gboolean
hearth_process_info_matches (HearthProcessInfo *self,
                             const char        *text)
{
  g_autofree char *needle = NULL;
  char pid[16];

  g_return_val_if_fail (HEARTH_IS_PROCESS_INFO (self), FALSE);

  if (text == NULL || *text == 0)
    return TRUE;

  needle = g_utf8_casefold (text, -1);
  g_snprintf (pid, sizeof pid, "%d", self->pid);

  return g_str_has_prefix (pid, needle) ||
         contains_casefold (self->name, needle) ||
         contains_casefold (self->user, needle) ||
         contains_casefold (self->command_line, needle);
}
