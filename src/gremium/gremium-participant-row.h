/* gremium-participant-row.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include <gremium-meeting.h>

G_BEGIN_DECLS

#define GREMIUM_TYPE_PARTICIPANT_ROW (gremium_participant_row_get_type ())

G_DECLARE_FINAL_TYPE (GremiumParticipantRow, gremium_participant_row, GREMIUM, PARTICIPANT_ROW, AdwExpanderRow)

GtkWidget     *gremium_participant_row_new        (GremiumMeeting        *meeting,
                                                   GremiumMember         *member) G_GNUC_WARN_UNUSED_RESULT;
GremiumMember *gremium_participant_row_get_member (GremiumParticipantRow *self);
GtkWidget     *gremium_participant_row_add_button (GremiumParticipantRow *self,
                                                   const char            *label,
                                                   const char            *accessible_label);

G_END_DECLS
