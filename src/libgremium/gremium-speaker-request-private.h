/* gremium-speaker-request-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-speaker-request.h"

G_BEGIN_DECLS

GremiumSpeakerRequest *_gremium_speaker_request_new (const char        *member_id,
                                                     GremiumSpeechKind  kind,
                                                     guint64            entry_index,
                                                     gint64             time);

G_END_DECLS
