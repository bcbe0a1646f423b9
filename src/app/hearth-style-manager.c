/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hearth-style-manager.h"

/* Values of org.freedesktop.appearance color-scheme. */
enum {
  SCHEME_DEFAULT = 0,
  SCHEME_PREFER_DARK = 1,
  SCHEME_PREFER_LIGHT = 2,
};

struct _HearthStyleManager
{
  GObject parent_instance;

  /* owned */
  GSettings    *settings;          /* ours */
  GSettings    *desktop;           /* org.gnome.desktop.interface, if installed */
  GDBusProxy   *portal;
  GCancellable *cancellable;

  /* state */
  int           portal_scheme;     /* -1 unknown */
  gboolean      initial_prefer_dark;
  gboolean      dark;
};

enum {
  PROP_0,
  PROP_DARK,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (HearthStyleManager, hearth_style_manager, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
update (HearthStyleManager *self)
{
  g_autofree char *variant = self->settings ? g_settings_get_string (self->settings, "style-variant") : NULL;
  GtkSettings *gtk_settings = gtk_settings_get_default ();
  gboolean dark = self->initial_prefer_dark;

  if (g_strcmp0 (variant, "dark") == 0)
    dark = TRUE;
  else if (g_strcmp0 (variant, "light") == 0)
    dark = FALSE;
  else if (self->portal_scheme >= 0)
    dark = self->portal_scheme == SCHEME_PREFER_DARK;
  else if (self->desktop != NULL)
    {
      g_autofree char *scheme = g_settings_get_string (self->desktop, "color-scheme");
      dark = g_strcmp0 (scheme, "prefer-dark") == 0;
    }

  if (gtk_settings != NULL)
    g_object_set (gtk_settings, "gtk-application-prefer-dark-theme", dark, NULL);

  if (dark != self->dark)
    {
      self->dark = dark;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DARK]);
    }
}

static int
unwrap_scheme (GVariant *value)
{
  g_autoptr(GVariant) inner = g_variant_ref (value);

  /* Read() wraps the value in one or two variants depending on the
   * portal version. */
  while (g_variant_is_of_type (inner, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *next = g_variant_get_variant (inner);
      g_variant_unref (inner);
      inner = next;
    }
  if (g_variant_is_of_type (inner, G_VARIANT_TYPE_UINT32))
    return (int) g_variant_get_uint32 (inner);
  return -1;
}

static void
portal_signal_cb (GDBusProxy         *proxy,
                  const char         *sender,
                  const char         *signal_name,
                  GVariant           *parameters,
                  HearthStyleManager *self)
{
  const char *ns, *key;
  g_autoptr(GVariant) value = NULL;

  if (g_strcmp0 (signal_name, "SettingChanged") != 0 ||
      !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ssv)")))
    return;
  g_variant_get (parameters, "(&s&sv)", &ns, &key, &value);
  if (g_strcmp0 (ns, "org.freedesktop.appearance") == 0 && g_strcmp0 (key, "color-scheme") == 0)
    {
      self->portal_scheme = unwrap_scheme (value);
      update (self);
    }
}

static void
portal_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HearthStyleManager) self = user_data;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (object), result, NULL);

  if (reply == NULL)
    return;  /* no portal or no such setting: keep the fallbacks */

  self->portal_scheme = unwrap_scheme (reply);
  if (self->portal_scheme == SCHEME_DEFAULT)
    self->portal_scheme = -1;  /* "no preference": let the other sources speak */
  update (self);
}

static void
portal_proxy_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HearthStyleManager) self = user_data;
  GDBusProxy *proxy = g_dbus_proxy_new_for_bus_finish (result, NULL);

  if (proxy == NULL)
    return;

  self->portal = proxy;
  g_signal_connect_object (proxy, "g-signal", G_CALLBACK (portal_signal_cb), self, 0);
  g_dbus_proxy_call (proxy, "Read",
                     g_variant_new ("(ss)", "org.freedesktop.appearance", "color-scheme"),
                     G_DBUS_CALL_FLAGS_NONE, 2000, self->cancellable,
                     portal_read_cb, g_object_ref (self));
}

static void
hearth_style_manager_dispose (GObject *object)
{
  HearthStyleManager *self = (HearthStyleManager *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->portal);
  g_clear_object (&self->desktop);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hearth_style_manager_parent_class)->dispose (object);
}

static void
hearth_style_manager_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HearthStyleManager *self = HEARTH_STYLE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_DARK:
      g_value_set_boolean (value, self->dark);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hearth_style_manager_class_init (HearthStyleManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hearth_style_manager_dispose;
  object_class->get_property = hearth_style_manager_get_property;

  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hearth_style_manager_init (HearthStyleManager *self)
{
  self->portal_scheme = -1;
  self->cancellable = g_cancellable_new ();
}

HearthStyleManager *
hearth_style_manager_new (GSettings *settings)
{
  HearthStyleManager *self = g_object_new (HEARTH_TYPE_STYLE_MANAGER, NULL);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) desktop = NULL;
  GtkSettings *gtk_settings = gtk_settings_get_default ();

  if (gtk_settings != NULL)
    g_object_get (gtk_settings, "gtk-application-prefer-dark-theme", &self->initial_prefer_dark, NULL);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect_object (settings, "changed::style-variant", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }

  if (source != NULL &&
      (desktop = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE)) &&
      g_settings_schema_has_key (desktop, "color-scheme"))
    {
      self->desktop = g_settings_new ("org.gnome.desktop.interface");
      g_signal_connect_object (self->desktop, "changed::color-scheme", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }

  /* The portal answers asynchronously; until then the other sources rule. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    g_dbus_proxy_new_for_bus (G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                              NULL, "org.freedesktop.portal.Desktop",
                              "/org/freedesktop/portal/desktop",
                              "org.freedesktop.portal.Settings",
                              self->cancellable, portal_proxy_cb, g_object_ref (self));

  update (self);
  return self;
}

gboolean
hearth_style_manager_get_dark (HearthStyleManager *self)
{
  g_return_val_if_fail (HEARTH_IS_STYLE_MANAGER (self), FALSE);
  return self->dark;
}
