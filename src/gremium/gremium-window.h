/* gremium-window.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gremium-application.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_WINDOW (gremium_window_get_type ())

G_DECLARE_FINAL_TYPE (GremiumWindow, gremium_window, GREMIUM, WINDOW, AdwApplicationWindow)

GremiumWindow *gremium_window_new              (GremiumApplication *application) G_GNUC_WARN_UNUSED_RESULT;
const char    *gremium_window_get_page         (GremiumWindow      *self);
void           gremium_window_sign_in          (GremiumWindow      *self,
                                                const char         *server,
                                                const char         *member,
                                                const char         *code,
                                                const char         *meeting,
                                                gboolean            open_control,
                                                gboolean            public_fullscreen,
                                                gboolean            open_public);
void           gremium_window_show_toast       (GremiumWindow      *self,
                                                const char         *text);
const char    *gremium_window_get_last_toast   (GremiumWindow      *self);
gboolean       gremium_window_save_screenshots (GremiumWindow      *self,
                                                const char         *folder,
                                                GError            **error);

G_END_DECLS
