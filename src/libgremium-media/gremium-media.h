/* gremium-media.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * GremiumMediaStream:
 * @GREMIUM_MEDIA_STREAM_AUDIO: the microphone
 * @GREMIUM_MEDIA_STREAM_CAMERA: the camera
 * @GREMIUM_MEDIA_STREAM_SCREEN: a shared screen
 *
 * Which of a sender's streams an RTP packet belongs to. Its value is the
 * first byte of the SFrame metadata of every packet (docs/media.md), so a
 * packet of one stream cannot be replayed into another stream of the same
 * sender.
 */
typedef enum
{
  GREMIUM_MEDIA_STREAM_AUDIO  = 0,
  GREMIUM_MEDIA_STREAM_CAMERA = 1,
  GREMIUM_MEDIA_STREAM_SCREEN = 2,
} GremiumMediaStream;

#define GREMIUM_TYPE_MEDIA_STREAM (gremium_media_stream_get_type ())

GType    gremium_media_stream_get_type (void) G_GNUC_CONST;
gboolean gremium_media_init            (GError **error);

G_END_DECLS
