/* gremium-speakers-panel.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gremium-session.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_SPEAKERS_PANEL (gremium_speakers_panel_get_type ())

G_DECLARE_FINAL_TYPE (GremiumSpeakersPanel, gremium_speakers_panel, GREMIUM, SPEAKERS_PANEL, AdwBin)

void  gremium_speakers_panel_set_session     (GremiumSpeakersPanel *self,
                                              GremiumSession       *session);
void  gremium_speakers_panel_set_chair_mode  (GremiumSpeakersPanel *self,
                                              gboolean              chair_mode);
guint gremium_speakers_panel_get_n_waiting   (GremiumSpeakersPanel *self);
char *gremium_speakers_panel_dup_timer_text  (GremiumSpeakersPanel *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
