/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hearth-function-item.h"

struct _HearthFunctionItem
{
  GObject parent_instance;

  /* owned */
  char    *name;
  char    *module;

  /* state */
  guint32  function;
  guint64  self_weight;
  guint64  total;
  double   self_percent;
  double   total_percent;
  double   a_percent;       /* comparing: total as % of range A, of B, */
  double   b_percent;
  double   delta;           /* and b_percent − a_percent */
};

enum {
  PROP_0,
  PROP_FUNCTION,
  PROP_NAME,
  PROP_MODULE,
  PROP_SELF,
  PROP_TOTAL,
  PROP_SELF_PERCENT,
  PROP_TOTAL_PERCENT,
  PROP_SELF_TEXT,
  PROP_TOTAL_TEXT,
  PROP_SELF_PERCENT_TEXT,
  PROP_TOTAL_PERCENT_TEXT,
  PROP_SELF_LABEL,
  PROP_TOTAL_LABEL,
  PROP_A_PERCENT,
  PROP_B_PERCENT,
  PROP_DELTA,
  PROP_A_LABEL,
  PROP_B_LABEL,
  PROP_DELTA_LABEL,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (HearthFunctionItem, hearth_function_item, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
hearth_function_item_finalize (GObject *object)
{
  HearthFunctionItem *self = (HearthFunctionItem *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->module, g_free);

  G_OBJECT_CLASS (hearth_function_item_parent_class)->finalize (object);
}

static void
hearth_function_item_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HearthFunctionItem *self = HEARTH_FUNCTION_ITEM (object);

  switch (prop_id)
    {
    case PROP_FUNCTION: g_value_set_uint (value, self->function); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_MODULE: g_value_set_string (value, self->module); break;
    case PROP_SELF: g_value_set_uint64 (value, self->self_weight); break;
    case PROP_TOTAL: g_value_set_uint64 (value, self->total); break;
    case PROP_SELF_PERCENT: g_value_set_double (value, self->self_percent); break;
    case PROP_TOTAL_PERCENT: g_value_set_double (value, self->total_percent); break;
    case PROP_SELF_TEXT:
      g_value_take_string (value, g_strdup_printf ("%" G_GUINT64_FORMAT, self->self_weight));
      break;
    case PROP_TOTAL_TEXT:
      g_value_take_string (value, g_strdup_printf ("%" G_GUINT64_FORMAT, self->total));
      break;
    case PROP_SELF_PERCENT_TEXT:
      g_value_take_string (value, g_strdup_printf ("%.2f%%", self->self_percent));
      break;
    case PROP_TOTAL_PERCENT_TEXT:
      g_value_take_string (value, g_strdup_printf ("%.2f%%", self->total_percent));
      break;
    case PROP_SELF_LABEL:
      g_value_take_string (value, g_strdup_printf ("%" G_GUINT64_FORMAT " · %.1f%%", self->self_weight, self->self_percent));
      break;
    case PROP_TOTAL_LABEL:
      g_value_take_string (value, g_strdup_printf ("%" G_GUINT64_FORMAT " · %.1f%%", self->total, self->total_percent));
      break;
    case PROP_A_PERCENT: g_value_set_double (value, self->a_percent); break;
    case PROP_B_PERCENT: g_value_set_double (value, self->b_percent); break;
    case PROP_DELTA: g_value_set_double (value, self->delta); break;
    case PROP_A_LABEL: g_value_take_string (value, g_strdup_printf ("%.1f%%", self->a_percent)); break;
    case PROP_B_LABEL: g_value_take_string (value, g_strdup_printf ("%.1f%%", self->b_percent)); break;
    case PROP_DELTA_LABEL: g_value_take_string (value, g_strdup_printf ("%+.1f", self->delta)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_function_item_class_init (HearthFunctionItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = hearth_function_item_finalize;
  object_class->get_property = hearth_function_item_get_property;

  properties[PROP_FUNCTION] = g_param_spec_uint ("function", NULL, NULL, 0, G_MAXUINT32, 0, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_MODULE] = g_param_spec_string ("module", NULL, NULL, NULL, ro);
  properties[PROP_SELF] = g_param_spec_uint64 ("self", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_TOTAL] = g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_SELF_PERCENT] = g_param_spec_double ("self-percent", NULL, NULL, 0, 100, 0, ro);
  properties[PROP_TOTAL_PERCENT] = g_param_spec_double ("total-percent", NULL, NULL, 0, 100, 0, ro);
  properties[PROP_SELF_TEXT] = g_param_spec_string ("self-text", NULL, NULL, NULL, ro);
  properties[PROP_TOTAL_TEXT] = g_param_spec_string ("total-text", NULL, NULL, NULL, ro);
  properties[PROP_SELF_PERCENT_TEXT] = g_param_spec_string ("self-percent-text", NULL, NULL, NULL, ro);
  properties[PROP_TOTAL_PERCENT_TEXT] = g_param_spec_string ("total-percent-text", NULL, NULL, NULL, ro);
  /* "samples · %", as the table shows them */
  properties[PROP_SELF_LABEL] = g_param_spec_string ("self-label", NULL, NULL, NULL, ro);
  properties[PROP_TOTAL_LABEL] = g_param_spec_string ("total-label", NULL, NULL, NULL, ro);
  /* Comparing two ranges (see hearth_function_item_set_compare) */
  properties[PROP_A_PERCENT] = g_param_spec_double ("a-percent", NULL, NULL, 0, 100, 0, ro);
  properties[PROP_B_PERCENT] = g_param_spec_double ("b-percent", NULL, NULL, 0, 100, 0, ro);
  properties[PROP_DELTA] = g_param_spec_double ("delta", NULL, NULL, -100, 100, 0, ro);
  properties[PROP_A_LABEL] = g_param_spec_string ("a-label", NULL, NULL, NULL, ro);
  properties[PROP_B_LABEL] = g_param_spec_string ("b-label", NULL, NULL, NULL, ro);
  properties[PROP_DELTA_LABEL] = g_param_spec_string ("delta-label", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hearth_function_item_init (HearthFunctionItem *self)
{
}

HearthFunctionItem *
hearth_function_item_new (guint32     function,
                          const char *name,
                          const char *module)
{
  HearthFunctionItem *self = g_object_new (HEARTH_TYPE_FUNCTION_ITEM, NULL);

  self->function = function;
  self->name = g_strdup (name ? name : "");
  self->module = g_path_get_basename (module && *module ? module : "?");
  return self;
}

void
hearth_function_item_set_weights (HearthFunctionItem *self,
                                  guint64             self_weight,
                                  guint64             total,
                                  guint64             total_weight)
{
  double sp = total_weight ? 100.0 * (double) self_weight / (double) total_weight : 0;
  double tp = total_weight ? 100.0 * (double) total / (double) total_weight : 0;

  g_return_if_fail (HEARTH_IS_FUNCTION_ITEM (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->self_weight != self_weight || self->self_percent != sp)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELF_LABEL]);
  if (self->total != total || self->total_percent != tp)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_LABEL]);
  if (self->self_weight != self_weight)
    {
      self->self_weight = self_weight;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELF]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELF_TEXT]);
    }
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_TEXT]);
    }
  if (self->self_percent != sp)
    {
      self->self_percent = sp;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELF_PERCENT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELF_PERCENT_TEXT]);
    }
  if (self->total_percent != tp)
    {
      self->total_percent = tp;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_PERCENT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_PERCENT_TEXT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

guint32 hearth_function_item_get_function (HearthFunctionItem *self) { return self->function; }
const char *hearth_function_item_get_name (HearthFunctionItem *self) { return self->name; }
const char *hearth_function_item_get_module (HearthFunctionItem *self) { return self->module; }
guint64 hearth_function_item_get_self (HearthFunctionItem *self) { return self->self_weight; }
guint64 hearth_function_item_get_total (HearthFunctionItem *self) { return self->total; }

void
hearth_function_item_set_compare (HearthFunctionItem *self,
                                  double              a_percent,
                                  double              b_percent)
{
  g_return_if_fail (HEARTH_IS_FUNCTION_ITEM (self));

  if (self->a_percent == a_percent && self->b_percent == b_percent)
    return;
  self->a_percent = a_percent;
  self->b_percent = b_percent;
  self->delta = b_percent - a_percent;
  g_object_freeze_notify (G_OBJECT (self));
  for (guint p = PROP_A_PERCENT; p <= PROP_DELTA_LABEL; p++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[p]);
  g_object_thaw_notify (G_OBJECT (self));
}

double hearth_function_item_get_delta (HearthFunctionItem *self) { return self->delta; }
