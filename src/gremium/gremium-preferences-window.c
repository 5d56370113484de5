/* gremium-preferences-window.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-preferences-window"

#include "config.h"

#include "gremium-preferences-window.h"

#include <glib/gi18n.h>

/**
 * GremiumPreferencesWindow:
 *
 * The preferences: the devices and how to join, and this device's identity
 * with the fingerprints to read aloud and where the key is kept (the
 * system keyring, or the passphrase-protected file as the fallback).
 */
struct _GremiumPreferencesWindow
{
  AdwPreferencesWindow    parent_instance;

  AdwComboRow            *camera_row;
  AdwComboRow            *microphone_row;
  GtkSwitch              *join_muted_switch;
  GtkSwitch              *join_camera_off_switch;
  AdwActionRow           *member_row;
  AdwActionRow           *server_row;
  AdwActionRow           *device_row;
  AdwActionRow           *server_key_row;
  AdwActionRow           *storage_row;

  GremiumSession         *session;
};

G_DEFINE_FINAL_TYPE (GremiumPreferencesWindow, gremium_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
fill_devices (AdwComboRow *row,
              char       **devices,
              const char  *chosen)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;

  gtk_string_list_append (list, _("Default"));
  for (guint i = 0; devices[i] != NULL; i++)
    {
      gtk_string_list_append (list, devices[i]);
      if (g_strcmp0 (devices[i], chosen) == 0)
        selected = i + 1;
    }

  adw_combo_row_set_model (row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (row, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (row), devices[0] != NULL);
}

/* The setting holds the chosen device's name, or nothing for the default;
 * the media controller applies it to the device check and the next call.
 */
static void
device_chosen_cb (AdwComboRow              *row,
                  GParamSpec               *pspec,
                  GremiumPreferencesWindow *self)
{
  const char *key = row == self->camera_row ? "camera" : "microphone";
  guint selected = adw_combo_row_get_selected (row);
  GtkStringObject *item = selected > 0 ? adw_combo_row_get_selected_item (row) : NULL;

  g_settings_set_string (gremium_session_get_settings (self->session), key,
                         item ? gtk_string_object_get_string (item) : "");
}

static void
gremium_preferences_window_dispose (GObject *object)
{
  GremiumPreferencesWindow *self = (GremiumPreferencesWindow *) object;

  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (gremium_preferences_window_parent_class)->dispose (object);
}

static void
gremium_preferences_window_class_init (GremiumPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumPreferencesWindow, camera_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumPreferencesWindow, microphone_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumPreferencesWindow, join_muted_switch);
  gtk_widget_class_bind_template_child (widget_class, GremiumPreferencesWindow, join_camera_off_switch);
  gtk_widget_class_bind_template_child (widget_class, GremiumPreferencesWindow, member_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumPreferencesWindow, device_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumPreferencesWindow, server_key_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumPreferencesWindow, storage_row);
}

static void
gremium_preferences_window_init (GremiumPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GremiumPreferencesWindow *
gremium_preferences_window_new (GremiumSession         *session,
                                GremiumMediaController *media)
{
  GremiumPreferencesWindow *self;
  GSettings *settings;
  GremiumIdentity *identity;
  GremiumClient *client;
  g_autofree char *device = NULL;
  g_autofree char *server_key = NULL;
  g_autofree char *camera = NULL;
  g_autofree char *microphone = NULL;
  g_auto(GStrv) cameras = NULL;
  g_auto(GStrv) microphones = NULL;

  g_return_val_if_fail (GREMIUM_IS_SESSION (session), NULL);

  self = g_object_new (GREMIUM_TYPE_PREFERENCES_WINDOW, NULL);
  self->session = g_object_ref (session);
  settings = gremium_session_get_settings (session);

  g_settings_bind (settings, "join-muted", self->join_muted_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "join-camera-off", self->join_camera_off_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  cameras = gremium_media_controller_dup_cameras (media);
  microphones = gremium_media_controller_dup_microphones (media);
  camera = g_settings_get_string (settings, "camera");
  microphone = g_settings_get_string (settings, "microphone");
  fill_devices (self->camera_row, cameras, camera);
  fill_devices (self->microphone_row, microphones, microphone);
  g_signal_connect (self->camera_row, "notify::selected", G_CALLBACK (device_chosen_cb), self);
  g_signal_connect (self->microphone_row, "notify::selected", G_CALLBACK (device_chosen_cb), self);

  client = gremium_session_get_client (session);
  identity = gremium_session_get_identity (session);
  device = identity ? gremium_identity_dup_fingerprint (identity) : NULL;
  server_key = gremium_session_dup_server_fingerprint (session);

  adw_action_row_set_subtitle (self->member_row, client ? gremium_client_get_member_id (client)
                                                        : _("Not signed in"));
  adw_action_row_set_subtitle (self->server_row, client ? gremium_client_get_url (client) : "—");
  adw_action_row_set_subtitle (self->device_row, device ? device : "—");
  adw_action_row_set_subtitle (self->server_key_row, server_key ? server_key : "—");
  adw_action_row_set_subtitle (self->storage_row,
                               gremium_identity_store_get_uses_fallback (gremium_session_get_store (session))
                               ? _("A file protected by your passphrase (fallback: this system has no keyring)")
                               : _("The system keyring"));

  return self;
}
