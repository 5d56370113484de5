/* gremium-video-paintable.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GREMIUM_TYPE_VIDEO_PAINTABLE (gremium_video_paintable_get_type ())

G_DECLARE_FINAL_TYPE (GremiumVideoPaintable, gremium_video_paintable, GREMIUM, VIDEO_PAINTABLE, GObject)

GremiumVideoPaintable *gremium_video_paintable_new         (void) G_GNUC_WARN_UNUSED_RESULT;
void                   gremium_video_paintable_push_frame  (GremiumVideoPaintable *self,
                                                            GBytes                *pixels,
                                                            guint                  width,
                                                            guint                  height,
                                                            guint                  stride);
GdkTexture            *gremium_video_paintable_get_texture (GremiumVideoPaintable *self);
guint64                gremium_video_paintable_get_n_frames (GremiumVideoPaintable *self);
gint64                 gremium_video_paintable_get_last_frame_time (GremiumVideoPaintable *self);

G_END_DECLS
