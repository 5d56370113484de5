/* gremium-media-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

#include "gremium-media.h"
#include "gremium-sframe-protect.h"
#include "gremium-sframe-unprotect.h"

G_BEGIN_DECLS

/* RTP payload types Gremium offers. Every Gremium client offers the same
 * numbers, which keeps the SDP of the mesh easy to read; the answerer takes
 * whatever the offer says.
 */
#define GREMIUM_MEDIA_PT_VP8  96
#define GREMIUM_MEDIA_PT_OPUS 97

/* The whole RTP packet, before SRTP, that a payloader may produce once
 * SFrame has added its header and tag: the common WebRTC packet size of
 * 1200 bytes, which fits any path MTU once SRTP, UDP, IP and TURN are added.
 */
#define GREMIUM_MEDIA_RTP_MTU 1200

/* A VP8 payload descriptor (RFC 7741 §4.2) is 1 to 6 bytes. */
#define GREMIUM_VP8_MAX_DESCRIPTOR_SIZE 6

gsize       _gremium_vp8_descriptor_size         (const guint8 *payload,
                                                  gsize         len);

GstElement *_gremium_media_make_element          (const char   *factory,
                                                  const char   *name,
                                                  GError      **error);
GstElement *_gremium_media_create_video_encoder  (guint         width,
                                                  guint         height,
                                                  guint         framerate,
                                                  GError      **error);
GstElement *_gremium_media_create_audio_encoder  (GError      **error);
guint       _gremium_media_video_bitrate         (guint         width,
                                                  guint         height);
double      _gremium_media_level_from_message    (const GstStructure *s);
GBytes     *_gremium_media_sample_to_frame       (GstSample    *sample,
                                                  guint        *width,
                                                  guint        *height,
                                                  guint        *stride);

/* A look at every packet an SFrame element handled, for tests: the
 * payload before protection (or after unprotection) and the packet as it
 * left (or entered) the element. Called on the streaming thread.
 */
typedef void (*GremiumPacketTap) (GremiumMediaStream  stream,
                                  const guint8       *clear_payload,
                                  gsize               clear_len,
                                  const guint8       *packet,
                                  gsize               packet_len,
                                  gpointer            user_data);

G_END_DECLS

G_BEGIN_DECLS

/* stream (1) + marker (1) + the VP8 descriptor (up to 6) */
#define GREMIUM_SFRAME_RTP_MAX_METADATA (2 + GREMIUM_VP8_MAX_DESCRIPTOR_SIZE)

gsize _gremium_sframe_rtp_metadata (GremiumMediaStream  stream,
                                    gboolean            marker,
                                    const guint8       *descriptor,
                                    gsize               descriptor_len,
                                    guint8              out[GREMIUM_SFRAME_RTP_MAX_METADATA]);

void _gremium_sframe_protect_set_tap   (GremiumSFrameProtect   *self,
                                        GremiumPacketTap        tap,
                                        gpointer                user_data);
void _gremium_sframe_unprotect_set_tap (GremiumSFrameUnprotect *self,
                                        GremiumPacketTap        tap,
                                        gpointer                user_data);

G_END_DECLS
