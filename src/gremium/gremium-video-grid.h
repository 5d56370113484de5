/* gremium-video-grid.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include <gremium-meeting.h>

#include "gremium-media-controller.h"
#include "gremium-video-tile.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_VIDEO_GRID (gremium_video_grid_get_type ())

G_DECLARE_FINAL_TYPE (GremiumVideoGrid, gremium_video_grid, GREMIUM, VIDEO_GRID, GtkWidget)

void        gremium_video_grid_set_meeting   (GremiumVideoGrid        *self,
                                              GremiumMeeting          *meeting,
                                              GremiumMediaController  *media,
                                              const char              *own_member_id);
void        gremium_video_grid_set_featured_only (GremiumVideoGrid    *self,
                                              gboolean                 featured_only);
guint       gremium_video_grid_get_n_tiles   (GremiumVideoGrid        *self);
const char *gremium_video_grid_get_featured  (GremiumVideoGrid        *self);
GremiumVideoTile *gremium_video_grid_lookup_tile (GremiumVideoGrid  *self,
                                              const char              *member_id);

G_END_DECLS
