/* gremium-media-controller.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gremium-session.h"

#ifdef HAVE_GREMIUM_MEDIA
# include <gremium-call.h>
# include <gremium-media-source.h>
#endif

G_BEGIN_DECLS

#define GREMIUM_TYPE_MEDIA_CONTROLLER (gremium_media_controller_get_type ())

G_DECLARE_FINAL_TYPE (GremiumMediaController, gremium_media_controller, GREMIUM, MEDIA_CONTROLLER, GObject)

GremiumMediaController *gremium_media_controller_new               (GremiumSession         *session) G_GNUC_WARN_UNUSED_RESULT;
gboolean      gremium_media_controller_get_available      (GremiumMediaController *self);
gboolean      gremium_media_controller_get_microphone_on  (GremiumMediaController *self);
void          gremium_media_controller_set_microphone_on  (GremiumMediaController *self,
                                                           gboolean                on);
gboolean      gremium_media_controller_get_camera_on      (GremiumMediaController *self);
void          gremium_media_controller_set_camera_on      (GremiumMediaController *self,
                                                           gboolean                on);
gboolean      gremium_media_controller_get_has_camera     (GremiumMediaController *self);
GdkPaintable *gremium_media_controller_get_video          (GremiumMediaController *self,
                                                           const char             *member_id);
double        gremium_media_controller_get_level          (GremiumMediaController *self,
                                                           const char             *member_id);
const char   *gremium_media_controller_get_active_speaker (GremiumMediaController *self);
char        **gremium_media_controller_dup_cameras        (GremiumMediaController *self) G_GNUC_WARN_UNUSED_RESULT;
char        **gremium_media_controller_dup_microphones    (GremiumMediaController *self) G_GNUC_WARN_UNUSED_RESULT;
void          gremium_media_controller_set_previewing     (GremiumMediaController *self,
                                                           gboolean                previewing);
void          gremium_media_controller_set_muted_output   (GremiumMediaController *self,
                                                           gboolean                muted);
gboolean      gremium_media_controller_get_muted_output   (GremiumMediaController *self);
gboolean      gremium_media_controller_get_in_call        (GremiumMediaController *self);
gboolean      gremium_media_controller_get_encrypted      (GremiumMediaController *self);

#ifdef HAVE_GREMIUM_MEDIA
GremiumMediaSource *gremium_media_controller_get_source   (GremiumMediaController *self);
GremiumCall        *gremium_media_controller_get_call     (GremiumMediaController *self);
#endif

G_END_DECLS
