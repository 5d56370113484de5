/* gremium-control-window.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gremium-application.h"
#include "gremium-session.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_CONTROL_WINDOW (gremium_control_window_get_type ())

G_DECLARE_FINAL_TYPE (GremiumControlWindow, gremium_control_window, GREMIUM, CONTROL_WINDOW, AdwWindow)

GremiumControlWindow *gremium_control_window_new          (GremiumApplication   *application,
                                                           GremiumSession       *session) G_GNUC_WARN_UNUSED_RESULT;
void                  gremium_control_window_show_page    (GremiumControlWindow *self,
                                                           const char           *name);
GtkWindow            *gremium_control_window_open_wizard  (GremiumControlWindow *self);
const char           *gremium_control_window_get_notice   (GremiumControlWindow *self);

G_END_DECLS
