/* gremium-call-peer.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gremium-sframe-unprotect.h"

G_BEGIN_DECLS

/**
 * GremiumCallPeerState:
 * @GREMIUM_CALL_PEER_STATE_NEW: created, nothing negotiated yet
 * @GREMIUM_CALL_PEER_STATE_CONNECTING: offer and answer exchanged or under
 *   way, ICE and DTLS running
 * @GREMIUM_CALL_PEER_STATE_CONNECTED: media flows
 * @GREMIUM_CALL_PEER_STATE_FAILED: the connection failed; the call tries again
 * @GREMIUM_CALL_PEER_STATE_CLOSED: the participant left or the call ended
 *
 * The state of the connection to one remote participant.
 */
typedef enum
{
  GREMIUM_CALL_PEER_STATE_NEW,
  GREMIUM_CALL_PEER_STATE_CONNECTING,
  GREMIUM_CALL_PEER_STATE_CONNECTED,
  GREMIUM_CALL_PEER_STATE_FAILED,
  GREMIUM_CALL_PEER_STATE_CLOSED,
} GremiumCallPeerState;

/**
 * GremiumCallPeerStats:
 * @video_frames: video frames decoded from this participant
 * @audio_buffers: audio buffers decoded from this participant
 * @video: the SFrame counters of the participant's video packets
 * @audio: the SFrame counters of the participant's audio packets
 * @width: width of the last decoded frame
 * @height: height of the last decoded frame
 *
 * What arrived from one participant. With an unencrypted call (only for
 * measurements) the SFrame counters stay zero.
 */
typedef struct
{
  guint64                     video_frames;
  guint64                     audio_buffers;
  GremiumSFrameUnprotectStats video;
  GremiumSFrameUnprotectStats audio;
  guint                       width;
  guint                       height;
} GremiumCallPeerStats;

#define GREMIUM_TYPE_CALL_PEER_STATE (gremium_call_peer_state_get_type ())
#define GREMIUM_TYPE_CALL_PEER (gremium_call_peer_get_type ())

GType gremium_call_peer_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (GremiumCallPeer, gremium_call_peer, GREMIUM, CALL_PEER, GObject)

const char           *gremium_call_peer_get_member_id   (GremiumCallPeer      *self);
GremiumCallPeerState  gremium_call_peer_get_state       (GremiumCallPeer      *self);
gboolean              gremium_call_peer_get_is_offerer  (GremiumCallPeer      *self);
double                gremium_call_peer_get_audio_level (GremiumCallPeer      *self);
void                  gremium_call_peer_get_stats       (GremiumCallPeer      *self,
                                                         GremiumCallPeerStats *stats);

G_END_DECLS
