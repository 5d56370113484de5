/* gremium-speaker-row.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include <gremium-meeting.h>

G_BEGIN_DECLS

#define GREMIUM_TYPE_SPEAKER_ROW (gremium_speaker_row_get_type ())

G_DECLARE_FINAL_TYPE (GremiumSpeakerRow, gremium_speaker_row, GREMIUM, SPEAKER_ROW, AdwActionRow)

GtkWidget             *gremium_speaker_row_new         (GremiumSpeakerRequest *request,
                                                        const char            *name,
                                                        guint                  position) G_GNUC_WARN_UNUSED_RESULT;
GremiumSpeakerRequest *gremium_speaker_row_get_request (GremiumSpeakerRow     *self);
GtkWidget             *gremium_speaker_row_add_button  (GremiumSpeakerRow     *self,
                                                        const char            *label,
                                                        const char            *accessible_label);

G_END_DECLS
