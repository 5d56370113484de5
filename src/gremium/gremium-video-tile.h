/* gremium-video-tile.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GREMIUM_TYPE_VIDEO_TILE (gremium_video_tile_get_type ())

G_DECLARE_FINAL_TYPE (GremiumVideoTile, gremium_video_tile, GREMIUM, VIDEO_TILE, GtkWidget)

GtkWidget  *gremium_video_tile_new            (const char       *member_id,
                                               const char       *name) G_GNUC_WARN_UNUSED_RESULT;
const char *gremium_video_tile_get_member_id  (GremiumVideoTile *self);
void        gremium_video_tile_set_paintable  (GremiumVideoTile *self,
                                               GdkPaintable     *paintable);
GdkPaintable *gremium_video_tile_get_paintable (GremiumVideoTile *self);
gboolean    gremium_video_tile_get_speaking   (GremiumVideoTile *self);
void        gremium_video_tile_set_speaking   (GremiumVideoTile *self,
                                               gboolean          speaking);
void        gremium_video_tile_set_has_floor  (GremiumVideoTile *self,
                                               gboolean          has_floor);
void        gremium_video_tile_set_muted      (GremiumVideoTile *self,
                                               gboolean          muted);
void        gremium_video_tile_set_featured   (GremiumVideoTile *self,
                                               gboolean          featured);
void        gremium_video_tile_set_detail     (GremiumVideoTile *self,
                                               const char       *detail);

G_END_DECLS
