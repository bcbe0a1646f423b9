/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hearth-connect-dialog.h"
#include "hearth-remote-error.h"
#include "hearth-ssh-host-key.h"

struct _HearthConnectDialog
{
  GtkWindow parent_instance;

  /* template widgets */
  GtkComboBoxText       *destination_combo;
  GtkSpinButton         *port_spin;
  GtkEntry              *identity_entry;
  GtkEntry              *collector_entry;
  GtkLabel              *status_label;
  GtkButton             *connect_button;

  /* owned */
  GCancellable          *cancellable;
  HearthSshDestination  *destination;  /* the one being connected to */
  HearthSshHostKeyProbe *pending;      /* an unknown key awaiting trust */
  char                  *status;
  char                  *known_hosts_file;
};

enum {
  SIGNAL_CONNECT,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (HearthConnectDialog, hearth_connect_dialog, GTK_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static void
set_status (HearthConnectDialog *self,
            const char          *text,
            gboolean             error)
{
  g_free (self->status);
  self->status = g_strdup (text ? text : "");
  gtk_label_set_text (self->status_label, self->status);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), *self->status != 0);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
set_busy (HearthConnectDialog *self,
          gboolean             busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button), !busy);
}

static const char *
entry_text (GtkEntry *entry)
{
  return gtk_editable_get_text (GTK_EDITABLE (entry));
}

/* The host key is known (or was just trusted): hand a remote host on. */
static void
finish_connect (HearthConnectDialog *self)
{
  g_autoptr(HearthCollectorHost) host = NULL;
  const char *collector = entry_text (self->collector_entry);

  host = hearth_collector_host_new_remote (self->destination, *collector ? collector : NULL);
  g_signal_emit (self, signals[SIGNAL_CONNECT], 0, host);
  gtk_window_close (GTK_WINDOW (self));
}

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(HearthConnectDialog) self = user_data;
  g_autoptr(HearthSshHostKeyProbe) probe = NULL;
  g_autoptr(GError) error = NULL;

  probe = hearth_ssh_probe_host_key_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);

  if (probe == NULL)
    {
      set_status (self, error->message, TRUE);
      return;
    }

  switch (probe->status)
    {
    case HEARTH_SSH_HOST_KEY_KNOWN:
      finish_connect (self);
      break;

    case HEARTH_SSH_HOST_KEY_CHANGED:
      /* accept refuses a changed key with the message that says why. */
      if (!hearth_ssh_accept_host_key (probe, &error))
        set_status (self, error->message, TRUE);
      break;

    case HEARTH_SSH_HOST_KEY_UNKNOWN:
    default:
      {
        g_autofree char *host = hearth_ssh_destination_dup_display_name (self->destination);
        g_autofree char *text = NULL;

        text = g_strdup_printf (_("The authenticity of %s cannot be established: it is not in %s. "
                                  "Its %s key fingerprint is %s. Compare it with the host’s "
                                  "(ssh-keygen -lf on its public key) before trusting it."),
                                host, probe->known_hosts_file, probe->key.type, probe->key.fingerprint);
        set_status (self, text, FALSE);
        gtk_button_set_label (self->connect_button, _("_Trust and Connect"));
        self->pending = g_steal_pointer (&probe);
      }
      break;
    }
}

static HearthSshDestination *
read_destination (HearthConnectDialog  *self,
                  GError              **error)
{
  g_autofree char *text = gtk_combo_box_text_get_active_text (self->destination_combo);
  g_autoptr(HearthSshDestination) dest = NULL;
  const char *identity = entry_text (self->identity_entry);

  if (text == NULL)
    text = g_strdup ("");
  dest = hearth_ssh_destination_new (g_strstrip (text));

  dest->port = (guint16) gtk_spin_button_get_value_as_int (self->port_spin);
  dest->identity_file = *identity ? g_strdup (identity) : NULL;
  dest->known_hosts_file = g_strdup (self->known_hosts_file);
  /* The app has no terminal for ssh to prompt on; host keys are
   * confirmed here instead. */
  dest->batch_mode = TRUE;
  if (!hearth_ssh_destination_validate (dest, error))
    return NULL;
  return g_steal_pointer (&dest);
}

static void
hearth_connect_dialog_dispose (GObject *object)
{
  HearthConnectDialog *self = (HearthConnectDialog *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HEARTH_TYPE_CONNECT_DIALOG);

  G_OBJECT_CLASS (hearth_connect_dialog_parent_class)->dispose (object);
}

static void
hearth_connect_dialog_finalize (GObject *object)
{
  HearthConnectDialog *self = (HearthConnectDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->destination, hearth_ssh_destination_free);
  g_clear_pointer (&self->pending, hearth_ssh_host_key_probe_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->known_hosts_file, g_free);

  G_OBJECT_CLASS (hearth_connect_dialog_parent_class)->finalize (object);
}

static void
hearth_connect_dialog_class_init (HearthConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hearth_connect_dialog_dispose;
  object_class->finalize = hearth_connect_dialog_finalize;

  signals[SIGNAL_CONNECT] =
    g_signal_new ("connect", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, HEARTH_TYPE_COLLECTOR_HOST);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hearthprof/Hearth/hearth-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HearthConnectDialog, destination_combo);
  gtk_widget_class_bind_template_child (widget_class, HearthConnectDialog, port_spin);
  gtk_widget_class_bind_template_child (widget_class, HearthConnectDialog, identity_entry);
  gtk_widget_class_bind_template_child (widget_class, HearthConnectDialog, collector_entry);
  gtk_widget_class_bind_template_child (widget_class, HearthConnectDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, HearthConnectDialog, connect_button);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hearth_connect_dialog_init (HearthConnectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->status = g_strdup ("");
  g_signal_connect_swapped (self->connect_button, "clicked", G_CALLBACK (hearth_connect_dialog_connect), self);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->connect_button));
}

HearthConnectDialog *
hearth_connect_dialog_new (GtkWindow *parent,
                           GSettings *settings)
{
  HearthConnectDialog *self;

  self = g_object_new (HEARTH_TYPE_CONNECT_DIALOG, "transient-for", parent, NULL);

  if (settings != NULL)
    {
      g_auto(GStrv) hosts = g_settings_get_strv (settings, "recent-hosts");

      for (guint i = 0; hosts[i] != NULL; i++)
        gtk_combo_box_text_append_text (self->destination_combo, hosts[i]);
      if (hosts[0] != NULL)
        gtk_combo_box_set_active (GTK_COMBO_BOX (self->destination_combo), 0);
    }

  return self;
}

void
hearth_connect_dialog_set_fields (HearthConnectDialog *self,
                                  const char          *destination,
                                  guint                port,
                                  const char          *identity_file,
                                  const char          *collector_path)
{
  GtkWidget *entry;

  g_return_if_fail (HEARTH_IS_CONNECT_DIALOG (self));

  entry = gtk_combo_box_get_child (GTK_COMBO_BOX (self->destination_combo));
  gtk_editable_set_text (GTK_EDITABLE (entry), destination ? destination : "");
  gtk_spin_button_set_value (self->port_spin, port);
  gtk_editable_set_text (GTK_EDITABLE (self->identity_entry), identity_file ? identity_file : "");
  gtk_editable_set_text (GTK_EDITABLE (self->collector_entry), collector_path ? collector_path : "");
}

void
hearth_connect_dialog_set_known_hosts_file (HearthConnectDialog *self,
                                            const char          *path)
{
  g_return_if_fail (HEARTH_IS_CONNECT_DIALOG (self));

  g_free (self->known_hosts_file);
  self->known_hosts_file = g_strdup (path);
}

const char *
hearth_connect_dialog_get_status (HearthConnectDialog *self)
{
  g_return_val_if_fail (HEARTH_IS_CONNECT_DIALOG (self), NULL);
  return self->status;
}

void
hearth_connect_dialog_connect (HearthConnectDialog *self)
{
  g_autoptr(HearthSshDestination) dest = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HEARTH_IS_CONNECT_DIALOG (self));

  if (!(dest = read_destination (self, &error)))
    {
      set_status (self, error->message, TRUE);
      return;
    }

  /* Trust the key just shown, if the destination is still the same. */
  if (self->pending != NULL && self->destination != NULL &&
      g_strcmp0 (dest->destination, self->destination->destination) == 0 &&
      dest->port == self->destination->port)
    {
      g_autoptr(HearthSshHostKeyProbe) probe = g_steal_pointer (&self->pending);

      if (!hearth_ssh_accept_host_key (probe, &error))
        {
          set_status (self, error->message, TRUE);
          return;
        }
      finish_connect (self);
      return;
    }

  g_clear_pointer (&self->pending, hearth_ssh_host_key_probe_free);
  gtk_button_set_label (self->connect_button, _("C_onnect"));
  g_clear_pointer (&self->destination, hearth_ssh_destination_free);
  self->destination = g_steal_pointer (&dest);

  set_status (self, _("Checking the host key…"), FALSE);
  set_busy (self, TRUE);
  hearth_ssh_probe_host_key_async (self->destination, self->cancellable, probe_cb, g_object_ref (self));
}
