/* gremium-media-source-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-media-source.h"

G_BEGIN_DECLS

GstElement *_gremium_media_source_create_bin (GremiumMediaSource *self,
                                              GError            **error);
void        _gremium_media_source_release    (GremiumMediaSource *self);
void        _gremium_media_source_set_level  (GremiumMediaSource *self,
                                              double              level);
void        _gremium_media_source_get_format (GremiumMediaSource *self,
                                              guint              *width,
                                              guint              *height,
                                              guint              *framerate);

G_END_DECLS
