/* gremium-participants-panel.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gremium-session.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_PARTICIPANTS_PANEL (gremium_participants_panel_get_type ())

G_DECLARE_FINAL_TYPE (GremiumParticipantsPanel, gremium_participants_panel, GREMIUM, PARTICIPANTS_PANEL, AdwBin)

void  gremium_participants_panel_set_session    (GremiumParticipantsPanel *self,
                                                 GremiumSession           *session);
void  gremium_participants_panel_set_chair_mode (GremiumParticipantsPanel *self,
                                                 gboolean                  chair_mode);
char *gremium_participants_panel_dup_quorum_text (GremiumParticipantsPanel *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
