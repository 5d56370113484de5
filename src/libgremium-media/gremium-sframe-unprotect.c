/* gremium-sframe-unprotect.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gremium-sframe-unprotect.h"
#include "gremium-media-private.h"

#include <gst/rtp/rtp.h>
#include <string.h>

/* gremiumsframeunprotect: the inverse of gremiumsframeprotect, placed after
 * webrtcbin (so after SRTP, RTX and the jitter buffer) and before the
 * depayloader. Only packets whose tag verifies leave the element; every
 * other packet is dropped and counted by its reason, so nothing forged,
 * replayed, cut off or under an unknown key ever reaches a depayloader or
 * decoder. Drops leave a gap in the sequence numbers, which the depayloader
 * treats as loss (and, for VP8, answers with a key-frame request).
 */

struct _GremiumSFrameUnprotect
{
  GstBaseTransform             parent_instance;

  /* Under the object lock. */
  GremiumSFrameReceiver       *receiver;
  GremiumSFrameUnprotectStats  stats;
  GremiumPacketTap             tap;
  gpointer                     tap_data;

  /* Streaming thread only. */
  GremiumMediaStream           stream;
  gboolean                     is_vp8;
};

G_DEFINE_FINAL_TYPE (GremiumSFrameUnprotect, gremium_sframe_unprotect, GST_TYPE_BASE_TRANSFORM)

enum {
  PROP_0,
  PROP_RECEIVER,
  PROP_STREAM,
  PROP_ACCEPTED,
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
gremium_sframe_unprotect_set_caps (GstBaseTransform *trans,
                                   GstCaps          *incaps,
                                   GstCaps          *outcaps)
{
  GremiumSFrameUnprotect *self = GREMIUM_SFRAME_UNPROTECT (trans);
  GstStructure *s = gst_caps_get_structure (incaps, 0);
  const char *encoding = gst_structure_get_string (s, "encoding-name");

  self->is_vp8 = encoding != NULL && g_ascii_strcasecmp (encoding, "VP8") == 0;

  return TRUE;
}

static GstFlowReturn
gremium_sframe_unprotect_prepare_output_buffer (GstBaseTransform  *trans,
                                                GstBuffer         *input,
                                                GstBuffer        **output)
{
  *output = gst_buffer_new_allocate (NULL, gst_buffer_get_size (input), NULL);
  gst_buffer_copy_into (*output, input, GST_BUFFER_COPY_METADATA, 0, -1);

  return GST_FLOW_OK;
}

static guint64 *
counter_for_status (GremiumSFrameUnprotect *self,
                    GremiumSFrameStatus     status)
{
  switch (status)
    {
    case GREMIUM_SFRAME_OK:
      return &self->stats.accepted;
    case GREMIUM_SFRAME_TRUNCATED:
      return &self->stats.truncated;
    case GREMIUM_SFRAME_MALFORMED:
      return &self->stats.malformed;
    case GREMIUM_SFRAME_UNKNOWN_KID:
      return &self->stats.unknown_kid;
    case GREMIUM_SFRAME_AUTH_FAILED:
      return &self->stats.auth_failed;
    case GREMIUM_SFRAME_REPLAYED:
      return &self->stats.replayed;
    case GREMIUM_SFRAME_TOO_OLD:
      return &self->stats.too_old;
    /* Set by the transform for packets that are not RTP or lack their
     * VP8 descriptor; the SFrame receiver itself never returns these. */
    case GREMIUM_SFRAME_NO_KEY:
    case GREMIUM_SFRAME_BUFFER_TOO_SMALL:
    case GREMIUM_SFRAME_COUNTER_EXHAUSTED:
    default:
      return &self->stats.invalid;
    }
}

static GstFlowReturn
gremium_sframe_unprotect_transform (GstBaseTransform *trans,
                                    GstBuffer        *inbuf,
                                    GstBuffer        *outbuf)
{
  GremiumSFrameUnprotect *self = GREMIUM_SFRAME_UNPROTECT (trans);
  g_autoptr(GremiumSFrameReceiver) receiver = NULL;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  GstMapInfo out_map;
  GremiumSFrameStatus status;
  GremiumPacketTap tap;
  gpointer tap_data;
  guint8 metadata[GREMIUM_SFRAME_RTP_MAX_METADATA];
  const guint8 *payload;
  gsize metadata_len, header_len, payload_len, descriptor_len = 0, out_len = 0;
  guint64 kid = 0;

  GST_OBJECT_LOCK (self);
  if (self->receiver != NULL)
    receiver = gremium_sframe_receiver_ref (self->receiver);
  tap = self->tap;
  tap_data = self->tap_data;
  GST_OBJECT_UNLOCK (self);

  /* Not RTP at all, or a VP8 descriptor cut off: counted as "invalid". */
  if (!gst_rtp_buffer_map (inbuf, GST_MAP_READ, &rtp))
    {
      status = GREMIUM_SFRAME_BUFFER_TOO_SMALL;
      goto out;
    }

  if (receiver == NULL)
    {
      gst_rtp_buffer_unmap (&rtp);
      GST_OBJECT_LOCK (self);
      self->stats.no_receiver++;
      GST_OBJECT_UNLOCK (self);
      return GST_BASE_TRANSFORM_FLOW_DROPPED;
    }

  header_len = gst_rtp_buffer_get_header_len (&rtp);
  payload = gst_rtp_buffer_get_payload (&rtp);
  payload_len = gst_rtp_buffer_get_payload_len (&rtp);

  if (self->is_vp8)
    {
      descriptor_len = _gremium_vp8_descriptor_size (payload, payload_len);
      if (descriptor_len == 0)
        {
          gst_rtp_buffer_unmap (&rtp);
          status = GREMIUM_SFRAME_BUFFER_TOO_SMALL;
          goto out;
        }
    }

  metadata_len = _gremium_sframe_rtp_metadata (self->stream, gst_rtp_buffer_get_marker (&rtp),
                                               payload, descriptor_len, metadata);

  gst_buffer_map (outbuf, &out_map, GST_MAP_WRITE);
  gst_buffer_extract (inbuf, 0, out_map.data, header_len);
  out_map.data[0] &= ~0x20;
  memcpy (out_map.data + header_len, payload, descriptor_len);

  status = gremium_sframe_receiver_unprotect (receiver, metadata, metadata_len,
                                              payload + descriptor_len,
                                              payload_len - descriptor_len,
                                              out_map.data + header_len + descriptor_len,
                                              out_map.size - header_len - descriptor_len,
                                              &out_len, &kid);

  if (status == GREMIUM_SFRAME_OK && tap != NULL)
    tap (self->stream, out_map.data + header_len + descriptor_len, out_len,
         payload - header_len, header_len + payload_len, tap_data);

  gst_buffer_unmap (outbuf, &out_map);
  gst_rtp_buffer_unmap (&rtp);

  if (status == GREMIUM_SFRAME_OK)
    gst_buffer_set_size (outbuf, header_len + descriptor_len + out_len);

out:
  GST_OBJECT_LOCK (self);
  (*counter_for_status (self, status))++;
  GST_OBJECT_UNLOCK (self);

  if (status != GREMIUM_SFRAME_OK)
    {
      GST_LOG_OBJECT (self, "Dropped a packet: %s", gremium_sframe_status_to_string (status));
      return GST_BASE_TRANSFORM_FLOW_DROPPED;
    }

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
gremium_sframe_unprotect_generate_output (GstBaseTransform  *trans,
                                          GstBuffer        **outbuf)
{
  GstFlowReturn ret;

  ret = GST_BASE_TRANSFORM_CLASS (gremium_sframe_unprotect_parent_class)->generate_output (trans, outbuf);
  if (ret == GST_BASE_TRANSFORM_FLOW_DROPPED)
    {
      g_clear_pointer (outbuf, gst_buffer_unref);
      ret = GST_FLOW_OK;
    }

  return ret;
}

static void
gremium_sframe_unprotect_finalize (GObject *object)
{
  GremiumSFrameUnprotect *self = GREMIUM_SFRAME_UNPROTECT (object);

  g_clear_pointer (&self->receiver, gremium_sframe_receiver_unref);

  G_OBJECT_CLASS (gremium_sframe_unprotect_parent_class)->finalize (object);
}

static void
gremium_sframe_unprotect_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  GremiumSFrameUnprotect *self = GREMIUM_SFRAME_UNPROTECT (object);
  GremiumSFrameUnprotectStats stats;

  switch (prop_id)
    {
    case PROP_RECEIVER:
      g_value_take_boxed (value, gremium_sframe_unprotect_dup_receiver (self));
      break;

    case PROP_STREAM:
      g_value_set_enum (value, self->stream);
      break;

    case PROP_ACCEPTED:
      gremium_sframe_unprotect_get_stats (self, &stats);
      g_value_set_uint64 (value, stats.accepted);
      break;

    case PROP_DROPPED:
      g_value_set_uint64 (value, gremium_sframe_unprotect_get_dropped (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_sframe_unprotect_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  GremiumSFrameUnprotect *self = GREMIUM_SFRAME_UNPROTECT (object);

  switch (prop_id)
    {
    case PROP_RECEIVER:
      gremium_sframe_unprotect_set_receiver (self, g_value_get_boxed (value));
      break;

    case PROP_STREAM:
      self->stream = g_value_get_enum (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_sframe_unprotect_class_init (GremiumSFrameUnprotectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  object_class->finalize = gremium_sframe_unprotect_finalize;
  object_class->get_property = gremium_sframe_unprotect_get_property;
  object_class->set_property = gremium_sframe_unprotect_set_property;

  trans_class->set_caps = gremium_sframe_unprotect_set_caps;
  trans_class->prepare_output_buffer = gremium_sframe_unprotect_prepare_output_buffer;
  trans_class->transform = gremium_sframe_unprotect_transform;
  trans_class->generate_output = gremium_sframe_unprotect_generate_output;
  trans_class->passthrough_on_same_caps = FALSE;

  /**
   * GremiumSFrameUnprotect:receiver:
   *
   * The SFrame receiver holding the keys the packets may use. Without one,
   * every packet is dropped.
   */
  properties[PROP_RECEIVER] =
    g_param_spec_boxed ("receiver", NULL, NULL, GREMIUM_TYPE_SFRAME_RECEIVER,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * GremiumSFrameUnprotect:stream:
   *
   * Which stream the packets must belong to; a packet protected for another
   * stream fails authentication.
   */
  properties[PROP_STREAM] =
    g_param_spec_enum ("stream", NULL, NULL, GREMIUM_TYPE_MEDIA_STREAM,
                       GREMIUM_MEDIA_STREAM_CAMERA,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCEPTED] =
    g_param_spec_uint64 ("accepted", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DROPPED] =
    g_param_spec_uint64 ("dropped", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Gremium SFrame unprotect",
                                         "Filter/Network/RTP/Decryptor",
                                         "Authenticates and decrypts SFrame-protected RTP payloads",
                                         "The Gremium authors");
}

static void
gremium_sframe_unprotect_init (GremiumSFrameUnprotect *self)
{
  self->stream = GREMIUM_MEDIA_STREAM_CAMERA;
}

/**
 * gremium_sframe_unprotect_set_receiver:
 * @self: an unprotect element
 * @receiver: (nullable): the receiver context, or %NULL to drop every packet
 *
 * Sets the receiver whose keys authenticate the following packets. The
 * element keeps a reference; keys added to or removed from the receiver
 * take effect with the next packet.
 */
void
gremium_sframe_unprotect_set_receiver (GremiumSFrameUnprotect *self,
                                       GremiumSFrameReceiver  *receiver)
{
  GremiumSFrameReceiver *old;

  g_return_if_fail (GREMIUM_IS_SFRAME_UNPROTECT (self));

  GST_OBJECT_LOCK (self);
  old = self->receiver;
  self->receiver = receiver != NULL ? gremium_sframe_receiver_ref (receiver) : NULL;
  GST_OBJECT_UNLOCK (self);

  g_clear_pointer (&old, gremium_sframe_receiver_unref);
}

/**
 * gremium_sframe_unprotect_dup_receiver:
 * @self: an unprotect element
 *
 * Returns: (transfer full) (nullable): the receiver, or %NULL
 */
GremiumSFrameReceiver *
gremium_sframe_unprotect_dup_receiver (GremiumSFrameUnprotect *self)
{
  GremiumSFrameReceiver *receiver = NULL;

  g_return_val_if_fail (GREMIUM_IS_SFRAME_UNPROTECT (self), NULL);

  GST_OBJECT_LOCK (self);
  if (self->receiver != NULL)
    receiver = gremium_sframe_receiver_ref (self->receiver);
  GST_OBJECT_UNLOCK (self);

  return receiver;
}

/**
 * gremium_sframe_unprotect_get_stats:
 * @self: an unprotect element
 * @stats: (out caller-allocates): the counters
 *
 * Reads the element's counters. Safe from any thread.
 */
void
gremium_sframe_unprotect_get_stats (GremiumSFrameUnprotect      *self,
                                    GremiumSFrameUnprotectStats *stats)
{
  g_return_if_fail (GREMIUM_IS_SFRAME_UNPROTECT (self));
  g_return_if_fail (stats != NULL);

  GST_OBJECT_LOCK (self);
  *stats = self->stats;
  GST_OBJECT_UNLOCK (self);
}

/**
 * gremium_sframe_unprotect_get_dropped:
 * @self: an unprotect element
 *
 * Returns: the number of packets dropped for any reason
 */
guint64
gremium_sframe_unprotect_get_dropped (GremiumSFrameUnprotect *self)
{
  GremiumSFrameUnprotectStats s;

  g_return_val_if_fail (GREMIUM_IS_SFRAME_UNPROTECT (self), 0);

  gremium_sframe_unprotect_get_stats (self, &s);

  return s.invalid + s.truncated + s.malformed + s.unknown_kid + s.auth_failed + s.replayed +
         s.too_old + s.no_receiver;
}

void
_gremium_sframe_unprotect_set_tap (GremiumSFrameUnprotect *self,
                                   GremiumPacketTap        tap,
                                   gpointer                user_data)
{
  g_return_if_fail (GREMIUM_IS_SFRAME_UNPROTECT (self));

  GST_OBJECT_LOCK (self);
  self->tap = tap;
  self->tap_data = user_data;
  GST_OBJECT_UNLOCK (self);
}
