/* gremium-call-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <gst/gst.h>

#include "gremium-call.h"
#include "gremium-media-private.h"

G_BEGIN_DECLS

/* What a peer needs from its call, fixed while the call runs. */
typedef struct
{
  GstElement            *pipeline;
  GstElement            *video_tee;
  GstElement            *audio_tee;
  gboolean               encrypted;
  GremiumSFrameSender   *sender;
  GremiumSFrameReceiver *receiver;
  const char            *stun_server;
  const char * const    *turn_servers;
  guint                  latency;
  guint                  audio_latency;
  const char            *audio_sink;
  guint                  width;
  guint                  height;
  guint                  framerate;
} GremiumCallConfig;

/* Decoded media from a peer, for tests and measurements, called on the
 * streaming thread: RGBA video frames (with their caps) and 48 kHz audio.
 */
typedef void (*GremiumDecodedTap) (GremiumCallPeer *peer,
                                   GstBuffer       *buffer,
                                   GstCaps         *caps,
                                   gpointer         user_data);

typedef struct
{
  GremiumPacketTap  protect_tap;
  GremiumPacketTap  unprotect_tap;
  GremiumDecodedTap video_tap;
  GremiumDecodedTap audio_tap;
  gpointer          user_data;
} GremiumCallTaps;

/* gremium-call.c, for the peers */
void             _gremium_call_send_signal          (GremiumCall       *self,
                                                     const char        *to,
                                                     JsonObject        *body);
void             _gremium_call_restart_peer         (GremiumCall       *self,
                                                     GremiumCallPeer   *peer);
const GremiumCallTaps *_gremium_call_get_taps       (GremiumCall       *self);

/* Tests: must be set before the peers exist. */
void             _gremium_call_set_taps             (GremiumCall       *self,
                                                     const GremiumCallTaps *taps);
GstElement      *_gremium_call_get_pipeline         (GremiumCall       *self);

/* gremium-call-peer.c, for the call */
GremiumCallPeer *_gremium_call_peer_new             (GremiumCall       *call,
                                                     const char        *member_id,
                                                     gboolean           offerer);
gboolean         _gremium_call_peer_start           (GremiumCallPeer   *self,
                                                     const GremiumCallConfig *config,
                                                     GError           **error);
void             _gremium_call_peer_close           (GremiumCallPeer   *self);
void             _gremium_call_peer_handle_signal   (GremiumCallPeer   *self,
                                                     const char        *type,
                                                     JsonObject        *body);
const char      *_gremium_call_peer_get_session     (GremiumCallPeer   *self);
gboolean         _gremium_call_peer_has_remote      (GremiumCallPeer   *self);
void             _gremium_call_peer_set_sender      (GremiumCallPeer   *self,
                                                     GremiumSFrameSender *sender);
void             _gremium_call_peer_set_receiver    (GremiumCallPeer   *self,
                                                     GremiumSFrameReceiver *receiver);
void             _gremium_call_peer_set_audio_level (GremiumCallPeer   *self,
                                                     double             level);
GstElement      *_gremium_call_peer_get_bin         (GremiumCallPeer   *self);

G_END_DECLS
