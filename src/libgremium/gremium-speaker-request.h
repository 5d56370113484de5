/* gremium-speaker-request.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gremium-meeting-types.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_SPEAKER_REQUEST (gremium_speaker_request_get_type ())

G_DECLARE_FINAL_TYPE (GremiumSpeakerRequest, gremium_speaker_request, GREMIUM, SPEAKER_REQUEST, GObject)

const char            *gremium_speaker_request_get_member_id (GremiumSpeakerRequest *self);
GremiumSpeechKind      gremium_speaker_request_get_kind      (GremiumSpeakerRequest *self);
guint64                gremium_speaker_request_get_entry_index (GremiumSpeakerRequest *self);
gint64                 gremium_speaker_request_get_time      (GremiumSpeakerRequest *self);
int                    gremium_speaker_request_compare       (GremiumSpeakerRequest *a,
                                                             GremiumSpeakerRequest *b);

G_END_DECLS
