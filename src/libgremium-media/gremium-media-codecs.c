/* gremium-media-codecs.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gremium-media-private.h"

#include "gremium-error.h"

#include <string.h>

/* The encoders and the one piece of VP8 RTP syntax the SFrame elements need.
 * The settings are those of a real-time call, not of a recording: no
 * look-ahead, a deadline of one microsecond (libvpx's "realtime" mode), a
 * constant bitrate the network can carry, and recovery from loss by error
 * resilience and key frames on request (PLI) instead of short key-frame
 * intervals. docs/media.md lists each value with its reason.
 */

GstElement *
_gremium_media_make_element (const char  *factory,
                             const char  *name,
                             GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL)
    g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED,
                 "The GStreamer element “%s” is not installed", factory);

  return element;
}

/* libwebrtc's targets for VP8 (video/config/simulcast.cc): 500 kbit/s at
 * 640×360, 2500 kbit/s at 1280×720; in between by pixel count.
 */
guint
_gremium_media_video_bitrate (guint width,
                              guint height)
{
  guint64 pixels = (guint64) width * height;

  if (pixels <= 320 * 180)
    return 150000;
  if (pixels <= 640 * 360)
    return 500000;
  if (pixels <= 960 * 540)
    return 1200000;
  return 2500000;
}

GstElement *
_gremium_media_create_video_encoder (guint    width,
                                     guint    height,
                                     guint    framerate,
                                     GError **error)
{
  GstElement *enc = _gremium_media_make_element ("vp8enc", "vp8enc", error);

  if (enc == NULL)
    return NULL;

  gst_util_set_object_arg (G_OBJECT (enc), "end-usage", "cbr");
  /* "default" error resilience lets the decoder continue after a lost
   * packet; "partitions" makes the token partitions independent.
   */
  gst_util_set_object_arg (G_OBJECT (enc), "error-resilient", "default+partitions");
  g_object_set (enc,
                "deadline", (gint64) 1,
                "cpu-used", 8,
                "target-bitrate", (gint) _gremium_media_video_bitrate (width, height),
                "lag-in-frames", 0,
                "keyframe-max-dist", (gint) (framerate * 10),
                "threads", height > 360 ? 2 : 1,
                "token-partitions", height > 360 ? 1 : 0,
                "buffer-size", 1000,
                "buffer-initial-size", 500,
                "buffer-optimal-size", 600,
                "undershoot", 95,
                "max-quantizer", 56,
                "dropframe-threshold", 30,
                NULL);

  /* Every peer's key-frame requests (PLI) reach this one encoder; in a
   * mesh with a lossy member they would otherwise come in storms.
   */
  g_object_set (enc, "min-force-key-unit-interval", (guint64) 300 * GST_MSECOND, NULL);

  return enc;
}

GstElement *
_gremium_media_create_audio_encoder (GError **error)
{
  GstElement *enc = _gremium_media_make_element ("opusenc", "opusenc", error);

  if (enc == NULL)
    return NULL;

  /* 32 kbit/s full-band speech (RFC 7587 §3.1.1, libwebrtc's default) in
   * 10 ms frames. "restricted-lowdelay" is Opus's CELT-only mode: 5 ms of
   * look-ahead instead of SILK's 26.5 ms, which is most of the difference
   * between a call that feels direct and one that does not. It has no
   * in-band FEC; lost packets come back through NACK/RTX (docs/media.md).
   */
  gst_util_set_object_arg (G_OBJECT (enc), "audio-type", "restricted-lowdelay");
  gst_util_set_object_arg (G_OBJECT (enc), "bitrate-type", "cbr");
  gst_util_set_object_arg (G_OBJECT (enc), "frame-size", "10");
  g_object_set (enc,
                "bitrate", 32000,
                "dtx", FALSE,
                NULL);

  return enc;
}

/* The length of the VP8 payload descriptor at the start of an RTP payload
 * (RFC 7741 §4.2), or 0 if the payload is too short to hold it.
 *
 *     X R N S R PID       first byte
 *     I L T K RSV         if X
 *     M PictureID (7/15)  if I: one byte, or two if M
 *     TL0PICIDX           if L
 *     TID Y KEYIDX        if T or K
 *
 * The descriptor stays in clear (and goes into the SFrame metadata) because
 * the depayloader and an SFU reassemble frames by it.
 */
gsize
_gremium_vp8_descriptor_size (const guint8 *payload,
                              gsize         len)
{
  gsize size = 1;

  if (len < 1)
    return 0;

  if (payload[0] & 0x80)
    {
      guint8 ext;

      if (len < 2)
        return 0;
      ext = payload[1];
      size = 2;

      if (ext & 0x80)
        {
          if (len < size + 1)
            return 0;
          size += (payload[size] & 0x80) ? 2 : 1;
        }
      if (ext & 0x40)
        size += 1;
      if (ext & 0x30)
        size += 1;
    }

  /* A descriptor with nothing after it carries no frame data. */
  if (size >= len)
    return 0;

  return size;
}

/* The SFrame metadata of an RTP packet (docs/media.md, "Per-packet
 * layout"): what the packet carries in clear besides the RTP header, bound
 * to the ciphertext by the tag.
 */
gsize
_gremium_sframe_rtp_metadata (GremiumMediaStream  stream,
                              gboolean            marker,
                              const guint8       *descriptor,
                              gsize               descriptor_len,
                              guint8              out[GREMIUM_SFRAME_RTP_MAX_METADATA])
{
  g_assert (descriptor_len <= GREMIUM_VP8_MAX_DESCRIPTOR_SIZE);

  out[0] = (guint8) stream;
  out[1] = marker ? 1 : 0;
  if (descriptor_len > 0)
    memcpy (out + 2, descriptor, descriptor_len);

  return 2 + descriptor_len;
}
