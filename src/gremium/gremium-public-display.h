/* gremium-public-display.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gremium-application.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_PUBLIC_DISPLAY (gremium_public_display_get_type ())

G_DECLARE_FINAL_TYPE (GremiumPublicDisplay, gremium_public_display, GREMIUM, PUBLIC_DISPLAY, AdwWindow)

GremiumPublicDisplay *gremium_public_display_new        (GremiumApplication     *application,
                                                         GremiumSession         *session,
                                                         GremiumMediaController *media) G_GNUC_WARN_UNUSED_RESULT;
gboolean              gremium_public_display_get_blanked (GremiumPublicDisplay  *self);
guint                 gremium_public_display_get_n_tiles (GremiumPublicDisplay  *self);

G_END_DECLS
