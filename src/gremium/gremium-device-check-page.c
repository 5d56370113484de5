/* gremium-device-check-page.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-device-check-page"

#include "config.h"

#include "gremium-device-check-page.h"

#include <glib/gi18n.h>

/**
 * GremiumDeviceCheckPage:
 *
 * Before joining: the camera's picture, the microphone's level, the choice
 * of devices and whether to join with the microphone or camera off.
 *
 * While the page is shown, the media controller captures on its own
 * (nothing is sent); the devices are given back when the page goes. The
 * device lists follow the device monitor, and the choice is kept in
 * GSettings ("camera", "microphone"), where the call reads it.
 */
struct _GremiumDeviceCheckPage
{
  AdwBin        parent_instance;

  AdwWindowTitle *title;
  GtkPicture   *preview;
  GtkWidget    *no_camera;
  GtkLabel     *no_camera_label;
  AdwComboRow  *camera_row;
  AdwComboRow  *microphone_row;
  GtkLevelBar  *level;
  GtkSwitch    *join_muted_switch;
  GtkSwitch    *join_camera_off_switch;

  GremiumMediaController *media;
  GSettings    *settings;
  gboolean      filling;
};

G_DEFINE_FINAL_TYPE (GremiumDeviceCheckPage, gremium_device_check_page, ADW_TYPE_BIN)

enum {
  JOIN_REQUESTED,
  BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
join_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[JOIN_REQUESTED], 0);
}

static void
back_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[BACK], 0);
}

static void
levels_changed_cb (GremiumDeviceCheckPage *self)
{
  gtk_level_bar_set_value (self->level, gremium_media_controller_get_level (self->media, NULL));
}

static void
video_changed_cb (GremiumDeviceCheckPage *self)
{
  GdkPaintable *video = gremium_media_controller_get_video (self->media, NULL);

  gtk_picture_set_paintable (self->preview, video);
  gtk_widget_set_visible (self->no_camera, video == NULL);

  if (!gremium_media_controller_get_available (self->media))
    gtk_label_set_label (self->no_camera_label,
                         _("This version of Gremium has no audio and video yet. You can take "
                           "part in the agenda, the speakers list, the votes and the chat."));
  else if (!gremium_media_controller_get_has_camera (self->media))
    gtk_label_set_label (self->no_camera_label,
                         _("No camera found. The others see your name instead of a picture."));
  else
    gtk_label_set_label (self->no_camera_label, _("No camera picture"));
}

/* A combo row offers "Default" and then every device found; the setting
 * holds the chosen device's name, or nothing for the default.
 */
static void
fill_devices (AdwComboRow *row,
              char       **devices,
              const char  *chosen)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;

  /* Translators: the system's default camera or microphone */
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

static void
device_chosen_cb (AdwComboRow            *row,
                  GParamSpec             *pspec,
                  GremiumDeviceCheckPage *self)
{
  const char *key = row == self->camera_row ? "camera" : "microphone";
  guint selected = adw_combo_row_get_selected (row);
  GtkStringObject *item = selected > 0 ? adw_combo_row_get_selected_item (row) : NULL;

  /* Refilling the lists selects too; that is not the member's choice. */
  if (self->filling)
    return;

  g_settings_set_string (self->settings, key, item ? gtk_string_object_get_string (item) : "");
}

static void
devices_changed_cb (GremiumDeviceCheckPage *self)
{
  g_auto(GStrv) cameras = gremium_media_controller_dup_cameras (self->media);
  g_auto(GStrv) microphones = gremium_media_controller_dup_microphones (self->media);
  g_autofree char *camera = g_settings_get_string (self->settings, "camera");
  g_autofree char *microphone = g_settings_get_string (self->settings, "microphone");

  self->filling = TRUE;
  fill_devices (self->camera_row, cameras, camera);
  fill_devices (self->microphone_row, microphones, microphone);
  self->filling = FALSE;
  video_changed_cb (self);
}

static void
gremium_device_check_page_map (GtkWidget *widget)
{
  GremiumDeviceCheckPage *self = GREMIUM_DEVICE_CHECK_PAGE (widget);

  GTK_WIDGET_CLASS (gremium_device_check_page_parent_class)->map (widget);

  /* The device monitor and the devices are only touched while shown. */
  if (self->media != NULL)
    {
      devices_changed_cb (self);
      gremium_media_controller_set_previewing (self->media, TRUE);
    }
}

static void
gremium_device_check_page_unmap (GtkWidget *widget)
{
  GremiumDeviceCheckPage *self = GREMIUM_DEVICE_CHECK_PAGE (widget);

  if (self->media != NULL)
    gremium_media_controller_set_previewing (self->media, FALSE);

  GTK_WIDGET_CLASS (gremium_device_check_page_parent_class)->unmap (widget);
}

static void
gremium_device_check_page_dispose (GObject *object)
{
  GremiumDeviceCheckPage *self = (GremiumDeviceCheckPage *) object;

  if (self->media != NULL)
    g_signal_handlers_disconnect_by_data (self->media, self);
  g_clear_object (&self->media);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), GREMIUM_TYPE_DEVICE_CHECK_PAGE);

  G_OBJECT_CLASS (gremium_device_check_page_parent_class)->dispose (object);
}

static void
gremium_device_check_page_class_init (GremiumDeviceCheckPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gremium_device_check_page_dispose;
  widget_class->map = gremium_device_check_page_map;
  widget_class->unmap = gremium_device_check_page_unmap;

  /**
   * GremiumDeviceCheckPage::join-requested:
   * @self: the page
   */
  signals[JOIN_REQUESTED] =
    g_signal_new ("join-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * GremiumDeviceCheckPage::back:
   * @self: the page
   */
  signals[BACK] =
    g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gremium/Gremium/gremium-device-check-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GremiumDeviceCheckPage, title);
  gtk_widget_class_bind_template_child (widget_class, GremiumDeviceCheckPage, preview);
  gtk_widget_class_bind_template_child (widget_class, GremiumDeviceCheckPage, no_camera);
  gtk_widget_class_bind_template_child (widget_class, GremiumDeviceCheckPage, no_camera_label);
  gtk_widget_class_bind_template_child (widget_class, GremiumDeviceCheckPage, camera_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumDeviceCheckPage, microphone_row);
  gtk_widget_class_bind_template_child (widget_class, GremiumDeviceCheckPage, level);
  gtk_widget_class_bind_template_child (widget_class, GremiumDeviceCheckPage, join_muted_switch);
  gtk_widget_class_bind_template_child (widget_class, GremiumDeviceCheckPage, join_camera_off_switch);

  gtk_widget_class_install_action (widget_class, "device.join", NULL, join_action_cb);
  gtk_widget_class_install_action (widget_class, "device.back", NULL, back_action_cb);
}

static void
gremium_device_check_page_init (GremiumDeviceCheckPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
gremium_device_check_page_set_media (GremiumDeviceCheckPage *self,
                                     GremiumMediaController *media,
                                     GSettings              *settings)
{
  g_return_if_fail (GREMIUM_IS_DEVICE_CHECK_PAGE (self));
  g_return_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (media));

  g_set_object (&self->media, media);
  g_set_object (&self->settings, settings);

  g_settings_bind (settings, "join-muted", self->join_muted_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "join-camera-off", self->join_camera_off_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  g_signal_connect (self->camera_row, "notify::selected", G_CALLBACK (device_chosen_cb), self);
  g_signal_connect (self->microphone_row, "notify::selected", G_CALLBACK (device_chosen_cb), self);
  g_signal_connect_swapped (media, "levels-changed", G_CALLBACK (levels_changed_cb), self);
  g_signal_connect_swapped (media, "video-changed", G_CALLBACK (video_changed_cb), self);
  g_signal_connect_swapped (media, "devices-changed", G_CALLBACK (devices_changed_cb), self);

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      devices_changed_cb (self);
      gremium_media_controller_set_previewing (media, TRUE);
    }
}

void
gremium_device_check_page_set_meeting_title (GremiumDeviceCheckPage *self,
                                             const char             *title)
{
  g_return_if_fail (GREMIUM_IS_DEVICE_CHECK_PAGE (self));

  adw_window_title_set_subtitle (self->title, title ? title : "");
}
