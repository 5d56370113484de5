/* gremium-media-source.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Values of GremiumMediaSource:video-source and :audio-source, and of the
 * environment variables GREMIUM_VIDEO_SOURCE and GREMIUM_AUDIO_SOURCE.
 */
#define GREMIUM_MEDIA_SOURCE_AUTO "auto"   /* the chosen device, else the first one */
#define GREMIUM_MEDIA_SOURCE_TEST "test"   /* videotestsrc / audiotestsrc */
#define GREMIUM_MEDIA_SOURCE_NONE "none"   /* black frames and silence */

#define GREMIUM_TYPE_MEDIA_SOURCE (gremium_media_source_get_type ())

G_DECLARE_FINAL_TYPE (GremiumMediaSource, gremium_media_source, GREMIUM, MEDIA_SOURCE, GObject)

GremiumMediaSource *gremium_media_source_new               (void) G_GNUC_WARN_UNUSED_RESULT;
GList              *gremium_media_source_list_devices      (GremiumMediaSource *self,
                                                            const char         *device_class)
                                                           G_GNUC_WARN_UNUSED_RESULT;
GstDeviceMonitor   *gremium_media_source_get_monitor       (GremiumMediaSource *self);
void                gremium_media_source_set_video_device  (GremiumMediaSource *self,
                                                            GstDevice          *device);
void                gremium_media_source_set_audio_device  (GremiumMediaSource *self,
                                                            GstDevice          *device);
void                gremium_media_source_set_camera_enabled (GremiumMediaSource *self,
                                                            gboolean            enabled);
gboolean            gremium_media_source_get_camera_enabled (GremiumMediaSource *self);
void                gremium_media_source_set_muted         (GremiumMediaSource *self,
                                                            gboolean            muted);
gboolean            gremium_media_source_get_muted         (GremiumMediaSource *self);
void                gremium_media_source_set_test_color    (GremiumMediaSource *self,
                                                            guint32             argb);
void                gremium_media_source_set_test_frequency (GremiumMediaSource *self,
                                                            double              hz);
double              gremium_media_source_get_audio_level   (GremiumMediaSource *self);
gboolean            gremium_media_source_start             (GremiumMediaSource *self,
                                                            GError            **error);
void                gremium_media_source_stop              (GremiumMediaSource *self);
gboolean            gremium_media_source_get_running       (GremiumMediaSource *self);

G_END_DECLS
