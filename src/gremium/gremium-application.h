/* gremium-application.h
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

#define GREMIUM_TYPE_APPLICATION (gremium_application_get_type ())

G_DECLARE_FINAL_TYPE (GremiumApplication, gremium_application, GREMIUM, APPLICATION, AdwApplication)

GremiumApplication *gremium_application_new                 (void) G_GNUC_WARN_UNUSED_RESULT;
GremiumSession     *gremium_application_get_session         (GremiumApplication *self);
GremiumMediaController       *gremium_application_get_media           (GremiumApplication *self);
GSettings          *gremium_application_get_settings        (GremiumApplication *self);
GtkWindow          *gremium_application_get_main_window     (GremiumApplication *self);
GtkWindow          *gremium_application_show_control_window (GremiumApplication *self);
GtkWindow          *gremium_application_show_public_display (GremiumApplication *self,
                                                             gboolean            fullscreen);
gboolean            gremium_application_save_screenshots    (GremiumApplication *self,
                                                             const char         *folder,
                                                             GError            **error);

G_END_DECLS
