/* gremium-preferences-window.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gremium-media-controller.h"
#include "gremium-session.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_PREFERENCES_WINDOW (gremium_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (GremiumPreferencesWindow, gremium_preferences_window, GREMIUM, PREFERENCES_WINDOW, AdwPreferencesWindow)

GremiumPreferencesWindow *gremium_preferences_window_new (GremiumSession         *session,
                                                          GremiumMediaController *media) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
