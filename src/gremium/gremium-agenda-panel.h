/* gremium-agenda-panel.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include <gremium-meeting.h>

G_BEGIN_DECLS

#define GREMIUM_TYPE_AGENDA_PANEL (gremium_agenda_panel_get_type ())

G_DECLARE_FINAL_TYPE (GremiumAgendaPanel, gremium_agenda_panel, GREMIUM, AGENDA_PANEL, AdwBin)

void gremium_agenda_panel_set_meeting (GremiumAgendaPanel *self,
                                       GremiumMeeting     *meeting);

G_END_DECLS
