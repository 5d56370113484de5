/* gremium-call.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gremium-call-peer.h"
#include "gremium-client.h"
#include "gremium-media-source.h"
#include "gremium-sframe.h"

G_BEGIN_DECLS

/* The peer-message types of WebRTC signalling (docs/media.md). */
#define GREMIUM_CALL_MESSAGE_OFFER  "webrtc-offer"
#define GREMIUM_CALL_MESSAGE_ANSWER "webrtc-answer"
#define GREMIUM_CALL_MESSAGE_ICE    "webrtc-ice"

#define GREMIUM_TYPE_CALL (gremium_call_get_type ())

G_DECLARE_FINAL_TYPE (GremiumCall, gremium_call, GREMIUM, CALL, GObject)

GremiumCall           *gremium_call_new                (GremiumClient         *client,
                                                        const char            *meeting_id,
                                                        GremiumMediaSource    *source)
                                                       G_GNUC_WARN_UNUSED_RESULT;
gboolean               gremium_call_start              (GremiumCall           *self,
                                                        GError               **error);
void                   gremium_call_stop               (GremiumCall           *self);
gboolean               gremium_call_get_running        (GremiumCall           *self);
GremiumClient         *gremium_call_get_client         (GremiumCall           *self);
const char            *gremium_call_get_meeting_id     (GremiumCall           *self);
GremiumMediaSource    *gremium_call_get_source         (GremiumCall           *self);
gboolean               gremium_call_get_encrypted      (GremiumCall           *self);
void                   gremium_call_set_sender         (GremiumCall           *self,
                                                        GremiumSFrameSender   *sender);
GremiumSFrameSender   *gremium_call_get_sender         (GremiumCall           *self);
void                   gremium_call_set_receiver       (GremiumCall           *self,
                                                        GremiumSFrameReceiver *receiver);
GremiumSFrameReceiver *gremium_call_get_receiver       (GremiumCall           *self);
void                   gremium_call_set_member_receiver (GremiumCall          *self,
                                                        const char            *member_id,
                                                        GremiumSFrameReceiver *receiver);
void                   gremium_call_set_stun_server    (GremiumCall           *self,
                                                        const char            *uri);
void                   gremium_call_set_turn_servers   (GremiumCall           *self,
                                                        const char * const    *uris);
void                   gremium_call_set_latency        (GremiumCall           *self,
                                                        guint                  latency_ms);
void                   gremium_call_set_audio_latency  (GremiumCall           *self,
                                                        guint                  latency_ms);
void                   gremium_call_set_audio_sink     (GremiumCall           *self,
                                                        const char            *description);
GListModel            *gremium_call_get_peers          (GremiumCall           *self);
GremiumCallPeer       *gremium_call_lookup_peer        (GremiumCall           *self,
                                                        const char            *member_id);
const char            *gremium_call_get_active_speaker (GremiumCall           *self);

G_END_DECLS
