/* gremium-sframe-protect.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gremium-sframe-protect.h"
#include "gremium-media-private.h"

#include <gst/rtp/rtp.h>
#include <gst/video/video.h>
#include <string.h>

/* gremiumsframeprotect: SFrame (RFC 9605) on each RTP packet after the
 * payloader. The RTP header and, for VP8, the payload descriptor stay in
 * clear; the rest of the payload becomes SFrame header || ciphertext || tag:
 *
 *   RTP header | VP8 descriptor | SFrame header | ciphertext | tag
 *
 * Why per packet and not per frame: GStreamer 1.22's rtpvp8pay parses the
 * frame it packetizes and posts an error on an encrypted one, which stops
 * the video (DESIGN §7). After the payloader nothing parses the payload
 * any more. The payloader's MTU is lowered by GREMIUM_SFRAME_MAX_OVERHEAD so
 * that the protected packet fits.
 *
 * A packet the element cannot protect is dropped, never passed on in clear.
 */

struct _GremiumSFrameProtect
{
  GstBaseTransform           parent_instance;

  /* Under the object lock. */
  GremiumSFrameSender       *sender;
  GremiumSFrameProtectStats  stats;
  GremiumPacketTap           tap;
  gpointer                   tap_data;

  /* Streaming thread only. */
  GremiumMediaStream         stream;
  gboolean                   is_vp8;
  gboolean                   have_kid;
  guint64                    last_kid;
};

G_DEFINE_FINAL_TYPE (GremiumSFrameProtect, gremium_sframe_protect, GST_TYPE_BASE_TRANSFORM)

enum {
  PROP_0,
  PROP_SENDER,
  PROP_STREAM,
  PROP_PROTECTED,
  PROP_DROPPED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GstStaticPadTemplate sink_template =
  GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
                           GST_STATIC_CAPS ("application/x-rtp"));
static GstStaticPadTemplate src_template =
  GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
                           GST_STATIC_CAPS ("application/x-rtp"));

static gboolean
gremium_sframe_protect_set_caps (GstBaseTransform *trans,
                                 GstCaps          *incaps,
                                 GstCaps          *outcaps)
{
  GremiumSFrameProtect *self = GREMIUM_SFRAME_PROTECT (trans);
  GstStructure *s = gst_caps_get_structure (incaps, 0);
  const char *encoding = gst_structure_get_string (s, "encoding-name");

  self->is_vp8 = encoding != NULL && g_ascii_strcasecmp (encoding, "VP8") == 0;

  return TRUE;
}

static GstFlowReturn
gremium_sframe_protect_prepare_output_buffer (GstBaseTransform  *trans,
                                              GstBuffer         *input,
                                              GstBuffer        **output)
{
  /* Protection grows the packet by at most the SFrame header and tag; the
   * transform trims the buffer to what it wrote.
   */
  *output = gst_buffer_new_allocate (NULL, gst_buffer_get_size (input) +
                                     GREMIUM_SFRAME_MAX_OVERHEAD, NULL);
  gst_buffer_copy_into (*output, input, GST_BUFFER_COPY_METADATA, 0, -1);

  return GST_FLOW_OK;
}

static GstFlowReturn
drop (GremiumSFrameProtect *self,
      guint64              *counter)
{
  GST_OBJECT_LOCK (self);
  (*counter)++;
  GST_OBJECT_UNLOCK (self);

  return GST_BASE_TRANSFORM_FLOW_DROPPED;
}

static GstFlowReturn
gremium_sframe_protect_transform (GstBaseTransform *trans,
                                  GstBuffer        *inbuf,
                                  GstBuffer        *outbuf)
{
  GremiumSFrameProtect *self = GREMIUM_SFRAME_PROTECT (trans);
  g_autoptr(GremiumSFrameSender) sender = NULL;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  GstMapInfo out_map;
  GremiumSFrameStatus status;
  GremiumPacketTap tap;
  gpointer tap_data;
  guint8 metadata[GREMIUM_SFRAME_RTP_MAX_METADATA];
  const guint8 *payload;
  gsize metadata_len, header_len, payload_len, descriptor_len = 0, out_len = 0;
  guint64 kid = 0, ctr = 0;
  gsize sframe_header_len = 0;
  gboolean key_changed = FALSE;

  GST_OBJECT_LOCK (self);
  if (self->sender != NULL)
    sender = gremium_sframe_sender_ref (self->sender);
  tap = self->tap;
  tap_data = self->tap_data;
  GST_OBJECT_UNLOCK (self);

  if (sender == NULL)
    return drop (self, &self->stats.no_key);

  if (!gst_rtp_buffer_map (inbuf, GST_MAP_READ, &rtp))
    return drop (self, &self->stats.invalid);

  header_len = gst_rtp_buffer_get_header_len (&rtp);
  payload = gst_rtp_buffer_get_payload (&rtp);
  payload_len = gst_rtp_buffer_get_payload_len (&rtp);

  if (self->is_vp8)
    {
      descriptor_len = _gremium_vp8_descriptor_size (payload, payload_len);
      if (descriptor_len == 0)
        {
          gst_rtp_buffer_unmap (&rtp);
          return drop (self, &self->stats.invalid);
        }
    }

  metadata_len = _gremium_sframe_rtp_metadata (self->stream, gst_rtp_buffer_get_marker (&rtp),
                                               payload, descriptor_len, metadata);

  gst_buffer_map (outbuf, &out_map, GST_MAP_WRITE);
  gst_buffer_extract (inbuf, 0, out_map.data, header_len);
  /* The packet leaves without RTP padding: the payload's length is exact. */
  out_map.data[0] &= ~0x20;
  memcpy (out_map.data + header_len, payload, descriptor_len);

  status = gremium_sframe_sender_protect (sender, metadata, metadata_len,
                                          payload + descriptor_len, payload_len - descriptor_len,
                                          out_map.data + header_len + descriptor_len,
                                          out_map.size - header_len - descriptor_len, &out_len);

  if (status == GREMIUM_SFRAME_OK)
    {
      gremium_sframe_header_decode (out_map.data + header_len + descriptor_len, out_len,
                                    &kid, &ctr, &sframe_header_len);
      if (tap != NULL)
        tap (self->stream, payload + descriptor_len, payload_len - descriptor_len,
             out_map.data, header_len + descriptor_len + out_len, tap_data);
    }

  gst_buffer_unmap (outbuf, &out_map);
  gst_rtp_buffer_unmap (&rtp);

  if (status == GREMIUM_SFRAME_NO_KEY)
    return drop (self, &self->stats.no_key);
  if (status != GREMIUM_SFRAME_OK)
    {
      GST_WARNING_OBJECT (self, "Cannot protect a packet: %s",
                          gremium_sframe_status_to_string (status));
      return drop (self, &self->stats.failed);
    }

  gst_buffer_set_size (outbuf, header_len + descriptor_len + out_len);

  GST_OBJECT_LOCK (self);
  self->stats.protected++;
  if (self->have_kid && kid != self->last_kid)
    {
      self->stats.key_changes++;
      key_changed = TRUE;
    }
  GST_OBJECT_UNLOCK (self);

  self->have_kid = TRUE;
  self->last_kid = kid;

  /* A receiver that joined with the new key can decode only from a key
   * frame on (RFC 9605 §6.2), so ask the encoder for one now.
   */
  if (key_changed && self->stream != GREMIUM_MEDIA_STREAM_AUDIO)
    gst_pad_push_event (GST_BASE_TRANSFORM_SINK_PAD (trans),
                        gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
                                                                     TRUE, 0));

  return GST_FLOW_OK;
}

/* GstBaseTransform marks the buffer after a dropped one DISCONT. That is
 * wrong here: a dropped packet was an extra one (forged, replayed) as often
 * as a lost one, and the depayloader finds real loss from the sequence
 * numbers anyway. A DISCONT would make it throw away the frame it is
 * assembling, so a forged packet could destroy a genuine frame. Dropping
 * is therefore reported as "no output" instead.
 */
static GstFlowReturn
gremium_sframe_protect_generate_output (GstBaseTransform  *trans,
                                        GstBuffer        **outbuf)
{
  GstFlowReturn ret;

  ret = GST_BASE_TRANSFORM_CLASS (gremium_sframe_protect_parent_class)->generate_output (trans, outbuf);
  if (ret == GST_BASE_TRANSFORM_FLOW_DROPPED)
    {
      g_clear_pointer (outbuf, gst_buffer_unref);
      ret = GST_FLOW_OK;
    }

  return ret;
}

static void
gremium_sframe_protect_finalize (GObject *object)
{
  GremiumSFrameProtect *self = GREMIUM_SFRAME_PROTECT (object);

  g_clear_pointer (&self->sender, gremium_sframe_sender_unref);

  G_OBJECT_CLASS (gremium_sframe_protect_parent_class)->finalize (object);
}

static void
gremium_sframe_protect_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  GremiumSFrameProtect *self = GREMIUM_SFRAME_PROTECT (object);
  GremiumSFrameProtectStats stats;

  switch (prop_id)
    {
    case PROP_SENDER:
      g_value_take_boxed (value, gremium_sframe_protect_dup_sender (self));
      break;

    case PROP_STREAM:
      g_value_set_enum (value, self->stream);
      break;

    case PROP_PROTECTED:
      gremium_sframe_protect_get_stats (self, &stats);
      g_value_set_uint64 (value, stats.protected);
      break;

    case PROP_DROPPED:
      gremium_sframe_protect_get_stats (self, &stats);
      g_value_set_uint64 (value, stats.no_key + stats.invalid + stats.failed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_sframe_protect_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  GremiumSFrameProtect *self = GREMIUM_SFRAME_PROTECT (object);

  switch (prop_id)
    {
    case PROP_SENDER:
      gremium_sframe_protect_set_sender (self, g_value_get_boxed (value));
      break;

    case PROP_STREAM:
      self->stream = g_value_get_enum (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_sframe_protect_class_init (GremiumSFrameProtectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  object_class->finalize = gremium_sframe_protect_finalize;
  object_class->get_property = gremium_sframe_protect_get_property;
  object_class->set_property = gremium_sframe_protect_set_property;

  trans_class->set_caps = gremium_sframe_protect_set_caps;
  trans_class->prepare_output_buffer = gremium_sframe_protect_prepare_output_buffer;
  trans_class->transform = gremium_sframe_protect_transform;
  trans_class->generate_output = gremium_sframe_protect_generate_output;
  trans_class->passthrough_on_same_caps = FALSE;

  /**
   * GremiumSFrameProtect:sender:
   *
   * The SFrame sender whose current key protects the packets. Without one,
   * every packet is dropped.
   */
  properties[PROP_SENDER] =
    g_param_spec_boxed ("sender", NULL, NULL, GREMIUM_TYPE_SFRAME_SENDER,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * GremiumSFrameProtect:stream:
   *
   * Which stream the packets belong to; bound into every packet's metadata.
   */
  properties[PROP_STREAM] =
    g_param_spec_enum ("stream", NULL, NULL, GREMIUM_TYPE_MEDIA_STREAM,
                       GREMIUM_MEDIA_STREAM_CAMERA,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROTECTED] =
    g_param_spec_uint64 ("protected", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DROPPED] =
    g_param_spec_uint64 ("dropped", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Gremium SFrame protect",
                                         "Filter/Network/RTP/Encryptor",
                                         "Protects each RTP payload with SFrame (RFC 9605)",
                                         "The Gremium authors");
}

static void
gremium_sframe_protect_init (GremiumSFrameProtect *self)
{
  self->stream = GREMIUM_MEDIA_STREAM_CAMERA;
}

/**
 * gremium_sframe_protect_set_sender:
 * @self: a protect element
 * @sender: (nullable): the sender context, or %NULL to drop every packet
 *
 * Sets the sender whose current key protects the following packets. The
 * element keeps a reference. The key agent changes the sender's key in place;
 * a new sender object is only needed for a new participant identity.
 */
void
gremium_sframe_protect_set_sender (GremiumSFrameProtect *self,
                                   GremiumSFrameSender  *sender)
{
  GremiumSFrameSender *old;

  g_return_if_fail (GREMIUM_IS_SFRAME_PROTECT (self));

  GST_OBJECT_LOCK (self);
  old = self->sender;
  self->sender = sender != NULL ? gremium_sframe_sender_ref (sender) : NULL;
  GST_OBJECT_UNLOCK (self);

  g_clear_pointer (&old, gremium_sframe_sender_unref);
}

/**
 * gremium_sframe_protect_dup_sender:
 * @self: a protect element
 *
 * Returns: (transfer full) (nullable): the sender, or %NULL
 */
GremiumSFrameSender *
gremium_sframe_protect_dup_sender (GremiumSFrameProtect *self)
{
  GremiumSFrameSender *sender = NULL;

  g_return_val_if_fail (GREMIUM_IS_SFRAME_PROTECT (self), NULL);

  GST_OBJECT_LOCK (self);
  if (self->sender != NULL)
    sender = gremium_sframe_sender_ref (self->sender);
  GST_OBJECT_UNLOCK (self);

  return sender;
}

/**
 * gremium_sframe_protect_get_stats:
 * @self: a protect element
 * @stats: (out caller-allocates): the counters
 *
 * Reads the element's counters. Safe from any thread.
 */
void
gremium_sframe_protect_get_stats (GremiumSFrameProtect      *self,
                                  GremiumSFrameProtectStats *stats)
{
  g_return_if_fail (GREMIUM_IS_SFRAME_PROTECT (self));
  g_return_if_fail (stats != NULL);

  GST_OBJECT_LOCK (self);
  *stats = self->stats;
  GST_OBJECT_UNLOCK (self);
}

void
_gremium_sframe_protect_set_tap (GremiumSFrameProtect *self,
                                 GremiumPacketTap      tap,
                                 gpointer              user_data)
{
  g_return_if_fail (GREMIUM_IS_SFRAME_PROTECT (self));

  GST_OBJECT_LOCK (self);
  self->tap = tap;
  self->tap_data = user_data;
  GST_OBJECT_UNLOCK (self);
}
