/* gremium-call-peer.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gremium-call-peer.h"
#include "gremium-call-private.h"

#include "gremium-error.h"

#include <gst/app/gstappsink.h>
#include <gst/base/gstbasesink.h>
#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>
#include <string.h>

/* One remote participant of a mesh call: a bin holding its webrtcbin, the
 * two send branches fed by the call's encoder tees, and the receive chains
 * that webrtcbin's src pads get when the participant's media arrives:
 *
 *   video tee ─ queue ─ rtpvp8pay ─ gremiumsframeprotect ─ capsfilter ─┐
 *   audio tee ─ queue ─ rtpopuspay ─ gremiumsframeprotect ─ capsfilter ─┤
 *                                                                    webrtcbin
 *   ┌───────────────────────────────────────────────────────────────────┘
 *   ├ gremiumsframeunprotect ─ rtpvp8depay ─ vp8dec ─ videoconvert ─ appsink (RGBA)
 *   └ gremiumsframeunprotect ─ rtpopusdepay ─ opusdec ─ audioconvert ─ level ─ audio sink
 *
 * Signalling follows docs/media.md: the member with the smaller id offers,
 * every message names the offerer's session, ICE candidates trickle in
 * batches, and an offer without answer is sent again, so a participant that
 * started its call late still connects.
 *
 * Threads: webrtcbin calls back on its own threads and streaming threads;
 * everything that touches signalling or GObject state the application sees
 * is moved to the call's main context first.
 */

#define ICE_BATCH_MS        20
#define RESEND_FIRST_MS     2000
#define RESEND_MAX_MS       8000
#define RESEND_MAX_ATTEMPTS 10

struct _GremiumCallPeer
{
  GObject               parent_instance;

  GremiumCall          *call;         /* unowned; NULL once closed */
  GMainContext         *context;
  char                 *member_id;
  gboolean              offerer;
  GremiumCallPeerState  state;
  double                audio_level;
  GremiumCallTaps       taps;
  gboolean              encrypted;
  char                 *audio_sink;
  guint                 audio_latency;

  /* Signalling, main context only. */
  char                 *session;
  gboolean              have_remote;
  char                 *local_type;
  char                 *local_sdp;
  GPtrArray            *local_candidates;   /* JsonObject */
  guint                 n_candidates_sent;
  guint                 ice_batch_id;
  guint                 resend_id;
  guint                 resend_attempts;
  GPtrArray            *pending_remote;     /* JsonObject, with "session" */

  GstElement           *pipeline;
  GstElement           *bin;
  GstElement           *webrtc;
  GstElement           *video_tee;
  GstElement           *audio_tee;
  GstPad               *video_tee_pad;
  GstPad               *audio_tee_pad;
  GstElement           *protect_video;
  GstElement           *protect_audio;
  guint                 n_unlinking;

  /* Streaming threads, under the lock. */
  GMutex                lock;
  GremiumSFrameReceiver *receiver;
  GstElement           *unprotect_video;
  GstElement           *unprotect_audio;
  guint64               video_frames;
  guint64               audio_buffers;
  guint                 width;
  guint                 height;
  GstSample            *pending_frame;
  gboolean              frame_scheduled;
};

G_DEFINE_FINAL_TYPE (GremiumCallPeer, gremium_call_peer, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (GremiumCallPeerState, gremium_call_peer_state,
                    G_DEFINE_ENUM_VALUE (GREMIUM_CALL_PEER_STATE_NEW, "new"),
                    G_DEFINE_ENUM_VALUE (GREMIUM_CALL_PEER_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (GREMIUM_CALL_PEER_STATE_CONNECTED, "connected"),
                    G_DEFINE_ENUM_VALUE (GREMIUM_CALL_PEER_STATE_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (GREMIUM_CALL_PEER_STATE_CLOSED, "closed"))

enum {
  PROP_0,
  PROP_MEMBER_ID,
  PROP_STATE,
  PROP_IS_OFFERER,
  PROP_AUDIO_LEVEL,
  N_PROPS
};

enum {
  VIDEO_FRAME,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Runs @func with a reference to the peer in the call's main context. */
static void
run_in_main (GremiumCallPeer *self,
             GSourceFunc      func,
             gpointer         data,
             GDestroyNotify   destroy)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, destroy);
  g_source_set_static_name (source, "[gremium] call peer");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

typedef struct
{
  GremiumCallPeer *peer;
  char            *type;
  char            *text;
  guint            mline;
  int              state;
} PeerEvent;

static PeerEvent *
peer_event_new (GremiumCallPeer *peer)
{
  PeerEvent *event = g_new0 (PeerEvent, 1);

  event->peer = g_object_ref (peer);

  return event;
}

static void
peer_event_free (gpointer data)
{
  PeerEvent *event = data;

  g_object_unref (event->peer);
  g_free (event->type);
  g_free (event->text);
  g_free (event);
}

static void
set_state (GremiumCallPeer      *self,
           GremiumCallPeerState  state)
{
  if (self->state == state)
    return;

  g_debug ("Peer %s: %s → %s", self->member_id,
           g_enum_to_string (GREMIUM_TYPE_CALL_PEER_STATE, self->state),
           g_enum_to_string (GREMIUM_TYPE_CALL_PEER_STATE, state));
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static JsonObject *
new_signal (const char *type,
            const char *session)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "type", type);
  json_object_set_string_member (body, "session", session);

  return body;
}

static gboolean
send_candidates_cb (gpointer user_data)
{
  GremiumCallPeer *self = user_data;
  g_autoptr(JsonObject) body = NULL;
  JsonArray *candidates;

  self->ice_batch_id = 0;

  if (self->call == NULL || self->local_sdp == NULL ||
      self->n_candidates_sent >= self->local_candidates->len)
    return G_SOURCE_REMOVE;

  body = new_signal (GREMIUM_CALL_MESSAGE_ICE, self->session);
  candidates = json_array_new ();
  for (guint i = self->n_candidates_sent; i < self->local_candidates->len; i++)
    json_array_add_object_element (candidates,
                                   json_object_ref (g_ptr_array_index (self->local_candidates, i)));
  json_object_set_array_member (body, "candidates", candidates);
  self->n_candidates_sent = self->local_candidates->len;

  _gremium_call_send_signal (self->call, self->member_id, body);

  return G_SOURCE_REMOVE;
}

static void
schedule_candidates (GremiumCallPeer *self)
{
  GSource *source;

  if (self->ice_batch_id != 0)
    return;

  /* Candidates come in bursts; one message per burst keeps well inside
   * the server's rate limit.
   */
  source = g_timeout_source_new (ICE_BATCH_MS);
  g_source_set_callback (source, send_candidates_cb, self, NULL);
  g_source_set_static_name (source, "[gremium] ice batch");
  self->ice_batch_id = g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
send_local_description (GremiumCallPeer *self)
{
  g_autoptr(JsonObject) body = NULL;

  if (self->call == NULL || self->local_sdp == NULL)
    return;

  body = new_signal (self->local_type, self->session);
  json_object_set_string_member (body, "sdp", self->local_sdp);
  _gremium_call_send_signal (self->call, self->member_id, body);

  /* Everything gathered so far follows the description. */
  self->n_candidates_sent = 0;
  schedule_candidates (self);
}

static gboolean resend_cb (gpointer user_data);

static void
schedule_resend (GremiumCallPeer *self)
{
  GSource *source;
  guint delay = MIN (RESEND_FIRST_MS << MIN (self->resend_attempts, 4), RESEND_MAX_MS);

  g_clear_handle_id (&self->resend_id, g_source_remove);
  if (self->resend_attempts >= RESEND_MAX_ATTEMPTS)
    return;

  source = g_timeout_source_new (delay);
  g_source_set_callback (source, resend_cb, self, NULL);
  g_source_set_static_name (source, "[gremium] offer resend");
  self->resend_id = g_source_attach (source, self->context);
  g_source_unref (source);
}

/* An offer that got no answer: the other side may have started its call
 * after the offer went out, or the message was lost with a connection.
 */
static gboolean
resend_cb (gpointer user_data)
{
  GremiumCallPeer *self = user_data;

  self->resend_id = 0;
  if (self->have_remote || self->call == NULL)
    return G_SOURCE_REMOVE;

  self->resend_attempts++;
  g_debug ("Peer %s: no answer yet, sending the offer again (%u)", self->member_id,
           self->resend_attempts);
  send_local_description (self);
  schedule_resend (self);

  return G_SOURCE_REMOVE;
}

static gboolean
local_description_cb (gpointer user_data)
{
  PeerEvent *event = user_data;
  GremiumCallPeer *self = event->peer;

  if (self->call == NULL)
    return G_SOURCE_REMOVE;

  g_free (self->local_type);
  self->local_type = g_strdup (event->type);
  g_free (self->local_sdp);
  self->local_sdp = g_strdup (event->text);
  set_state (self, GREMIUM_CALL_PEER_STATE_CONNECTING);
  send_local_description (self);

  if (self->offerer)
    schedule_resend (self);

  return G_SOURCE_REMOVE;
}

/* webrtcbin's thread: an offer or answer was created. Send it first, then
 * make it the local description, so that no ICE candidate it starts can
 * overtake it in the main context.
 */
static void
description_created_cb (GstPromise *promise,
                        gpointer    user_data)
{
  GremiumCallPeer *self = user_data;
  const char *field = self->offerer ? "offer" : "answer";
  GstWebRTCSessionDescription *desc = NULL;
  const GstStructure *reply;
  PeerEvent *event;

  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED ||
      (reply = gst_promise_get_reply (promise)) == NULL ||
      !gst_structure_get (reply, field, GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &desc, NULL) ||
      desc == NULL)
    {
      g_warning ("Cannot create the WebRTC %s for %s", field, self->member_id);
      gst_promise_unref (promise);
      return;
    }
  gst_promise_unref (promise);

  event = peer_event_new (self);
  event->type = g_strdup (self->offerer ? GREMIUM_CALL_MESSAGE_OFFER : GREMIUM_CALL_MESSAGE_ANSWER);
  event->text = gst_sdp_message_as_text (desc->sdp);
  run_in_main (self, local_description_cb, event, peer_event_free);

  g_signal_emit_by_name (self->webrtc, "set-local-description", desc, NULL);
  gst_webrtc_session_description_free (desc);
}

static void
create_offer (GremiumCallPeer *self)
{
  GstPromise *promise;
  guint8 random[8];

  g_assert (self->offerer);

  for (guint i = 0; i < sizeof random; i++)
    random[i] = g_random_int_range (0, 256);
  g_free (self->session);
  self->session = g_strdup_printf ("%02x%02x%02x%02x%02x%02x%02x%02x", random[0], random[1],
                                   random[2], random[3], random[4], random[5], random[6], random[7]);

  promise = gst_promise_new_with_change_func (description_created_cb, g_object_ref (self),
                                              g_object_unref);
  g_signal_emit_by_name (self->webrtc, "create-offer", NULL, promise);
}

static gboolean
negotiation_needed_cb (gpointer user_data)
{
  PeerEvent *event = user_data;
  GremiumCallPeer *self = event->peer;

  /* The transceivers are fixed for the life of a connection, so there is
   * one negotiation per session.
   */
  if (self->call != NULL && self->offerer && self->session == NULL)
    create_offer (self);

  return G_SOURCE_REMOVE;
}

static void
on_negotiation_needed (GstElement      *webrtc,
                       GremiumCallPeer *self)
{
  run_in_main (self, negotiation_needed_cb, peer_event_new (self), peer_event_free);
}

static gboolean
local_candidate_cb (gpointer user_data)
{
  PeerEvent *event = user_data;
  GremiumCallPeer *self = event->peer;
  JsonObject *candidate;

  if (self->call == NULL)
    return G_SOURCE_REMOVE;

  candidate = json_object_new ();
  json_object_set_int_member (candidate, "mline", event->mline);
  json_object_set_string_member (candidate, "candidate", event->text);
  g_ptr_array_add (self->local_candidates, candidate);
  schedule_candidates (self);

  return G_SOURCE_REMOVE;
}

static void
on_ice_candidate (GstElement      *webrtc,
                  guint            mline,
                  const char      *candidate,
                  GremiumCallPeer *self)
{
  PeerEvent *event = peer_event_new (self);

  event->mline = mline;
  event->text = g_strdup (candidate);
  run_in_main (self, local_candidate_cb, event, peer_event_free);
}

static void
request_key_frame (GremiumCallPeer *self)
{
  g_autoptr(GstElement) pay = NULL;
  g_autoptr(GstPad) pad = NULL;

  if (self->bin == NULL || (pay = gst_bin_get_by_name (GST_BIN (self->bin), "vp8pay")) == NULL)
    return;

  pad = gst_element_get_static_pad (pay, "sink");
  gst_pad_push_event (pad, gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
                                                                        TRUE, 0));
}

static gboolean
key_frame_cb (gpointer user_data)
{
  GremiumCallPeer *self = user_data;

  /* Before the connection is up, overruns are expected; the key frame
   * comes when it is.
   */
  if (self->call != NULL && self->state == GREMIUM_CALL_PEER_STATE_CONNECTED)
    request_key_frame (self);

  return G_SOURCE_REMOVE;
}

/* The leaky video queue dropped encoded frames: the receiver cannot see
 * that (the payloader numbers what it gets), and the frames after the gap
 * refer to one it never got. A key frame ends that.
 */
static void
video_overrun_cb (GstElement      *queue,
                  GremiumCallPeer *self)
{
  run_in_main (self, key_frame_cb, g_object_ref (self), g_object_unref);
}

static gboolean
connection_state_cb (gpointer user_data)
{
  PeerEvent *event = user_data;
  GremiumCallPeer *self = event->peer;

  if (self->call == NULL)
    return G_SOURCE_REMOVE;

  switch ((GstWebRTCPeerConnectionState) event->state)
    {
    case GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED:
      set_state (self, GREMIUM_CALL_PEER_STATE_CONNECTED);
      /* The shared encoder is somewhere inside a group of pictures; the
       * new receiver needs a key frame to start.
       */
      request_key_frame (self);
      break;

    case GST_WEBRTC_PEER_CONNECTION_STATE_FAILED:
      set_state (self, GREMIUM_CALL_PEER_STATE_FAILED);
      if (self->offerer)
        _gremium_call_restart_peer (self->call, self);
      break;

    case GST_WEBRTC_PEER_CONNECTION_STATE_NEW:
    case GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTING:
    case GST_WEBRTC_PEER_CONNECTION_STATE_DISCONNECTED:
    case GST_WEBRTC_PEER_CONNECTION_STATE_CLOSED:
    default:
      break;
    }

  return G_SOURCE_REMOVE;
}

static void
on_connection_state (GstElement      *webrtc,
                     GParamSpec      *pspec,
                     GremiumCallPeer *self)
{
  PeerEvent *event = peer_event_new (self);
  GstWebRTCPeerConnectionState state;

  g_object_get (webrtc, "connection-state", &state, NULL);
  event->state = state;
  run_in_main (self, connection_state_cb, event, peer_event_free);
}

/* Whether @ssrc is announced for an audio m-line of the remote
 * description ("a=ssrc:<ssrc> …", RFC 5576).
 */
static gboolean
ssrc_is_audio (GstElement *webrtc,
               guint       ssrc)
{
  GstWebRTCSessionDescription *desc = NULL;
  gboolean audio = FALSE;

  g_object_get (webrtc, "remote-description", &desc, NULL);
  if (desc == NULL)
    return FALSE;

  for (guint m = 0; m < gst_sdp_message_medias_len (desc->sdp); m++)
    {
      const GstSDPMedia *media = gst_sdp_message_get_media (desc->sdp, m);

      if (g_strcmp0 (gst_sdp_media_get_media (media), "audio") != 0)
        continue;
      for (guint a = 0; a < gst_sdp_media_attributes_len (media); a++)
        {
          const GstSDPAttribute *attr = gst_sdp_media_get_attribute (media, a);

          if (g_strcmp0 (attr->key, "ssrc") == 0 && attr->value != NULL &&
              g_ascii_strtoull (attr->value, NULL, 10) == ssrc)
            audio = TRUE;
        }
    }
  gst_webrtc_session_description_free (desc);

  return audio;
}

/* rtpbin's thread: a jitter buffer for a new stream of this peer. Audio gets
 * its own, shorter one: the audio sink plays each buffer at its time plus
 * this latency, while video is painted on arrival and its jitter buffer
 * only bounds how long to wait for a missing packet.
 */
static void
on_new_jitterbuffer (GstElement      *rtpbin,
                     GstElement      *jitterbuffer,
                     guint            session,
                     guint            ssrc,
                     GremiumCallPeer *self)
{
  if (ssrc_is_audio (self->webrtc, ssrc))
    g_object_set (jitterbuffer, "latency", self->audio_latency, NULL);
}

static void
on_new_transceiver (GstElement             *webrtc,
                    GstWebRTCRTPTransceiver *transceiver,
                    GremiumCallPeer        *self)
{
  /* NACK feedback and RTX retransmission (RFC 4588) for every stream. */
  g_object_set (transceiver, "do-nack", TRUE, NULL);
}

/* Video frames reach the application in its main context, at most one
 * pending at a time: if painting falls behind, older frames are skipped.
 */
static gboolean
deliver_frame_cb (gpointer user_data)
{
  GremiumCallPeer *self = user_data;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint width, height, stride;

  g_mutex_lock (&self->lock);
  sample = g_steal_pointer (&self->pending_frame);
  self->frame_scheduled = FALSE;
  g_mutex_unlock (&self->lock);

  if (sample == NULL || self->call == NULL)
    return G_SOURCE_REMOVE;

  bytes = _gremium_media_sample_to_frame (sample, &width, &height, &stride);
  if (bytes == NULL)
    return G_SOURCE_REMOVE;

  g_signal_emit (self, signals[VIDEO_FRAME], 0, bytes, width, height, stride);

  return G_SOURCE_REMOVE;
}

static GstFlowReturn
new_sample_cb (GstAppSink *sink,
               gpointer    user_data)
{
  GremiumCallPeer *self = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  GstStructure *s;
  gboolean schedule;
  int width = 0, height = 0;

  if (sample == NULL)
    return GST_FLOW_EOS;

  s = gst_caps_get_structure (gst_sample_get_caps (sample), 0);
  gst_structure_get_int (s, "width", &width);
  gst_structure_get_int (s, "height", &height);

  if (self->taps.video_tap != NULL)
    self->taps.video_tap (self, gst_sample_get_buffer (sample), gst_sample_get_caps (sample),
                          self->taps.user_data);

  g_mutex_lock (&self->lock);
  self->video_frames++;
  self->width = width;
  self->height = height;
  if (self->pending_frame != NULL)
    gst_sample_unref (self->pending_frame);
  self->pending_frame = sample;
  schedule = !self->frame_scheduled;
  self->frame_scheduled = TRUE;
  g_mutex_unlock (&self->lock);

  if (schedule)
    run_in_main (self, deliver_frame_cb, g_object_ref (self), g_object_unref);

  return GST_FLOW_OK;
}

static GstPadProbeReturn
audio_decoded_probe (GstPad          *pad,
                     GstPadProbeInfo *info,
                     gpointer         user_data)
{
  GremiumCallPeer *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  g_mutex_lock (&self->lock);
  self->audio_buffers++;
  g_mutex_unlock (&self->lock);

  if (self->taps.audio_tap != NULL)
    {
      g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);

      self->taps.audio_tap (self, buffer, caps, self->taps.user_data);
    }

  return GST_PAD_PROBE_OK;
}

/* Sinks of received media never wait for a first buffer (preroll): a
 * participant whose media does not arrive (no key yet, camera off, a
 * connection still being set up) would otherwise keep the whole pipeline
 * from PLAYING, and every connection added after that would stay paused.
 * The sinks inside an audio sink bin (autoaudiosink) appear only when it
 * starts, so they are caught as they are added.
 */
static void
on_deep_element_added (GstBin          *bin,
                       GstBin          *sub_bin,
                       GstElement      *element,
                       GremiumCallPeer *self)
{
  if (!GST_IS_BASE_SINK (element) ||
      (self->webrtc != NULL && gst_object_has_as_ancestor (GST_OBJECT (element),
                                                           GST_OBJECT (self->webrtc))))
    return;

  gst_base_sink_set_async_enabled (GST_BASE_SINK (element), FALSE);
}

static gboolean
link_chain (GstBin      *bin,
            GstElement **elements,
            guint        n_elements)
{
  for (guint i = 0; i < n_elements; i++)
    if (elements[i] == NULL)
      {
        for (guint j = 0; j < n_elements; j++)
          if (elements[j] != NULL)
            gst_object_unref (gst_object_ref_sink (elements[j]));
        return FALSE;
      }

  for (guint i = 0; i < n_elements; i++)
    gst_bin_add (bin, elements[i]);
  for (guint i = 0; i + 1 < n_elements; i++)
    if (!gst_element_link (elements[i], elements[i + 1]))
      {
        g_warning ("Cannot link %s to %s", GST_ELEMENT_NAME (elements[i]),
                   GST_ELEMENT_NAME (elements[i + 1]));
        return FALSE;
      }

  return TRUE;
}

static GstElement *
create_unprotect (GremiumCallPeer    *self,
                  GremiumMediaStream  stream)
{
  GstElement *unprotect;

  if (!self->encrypted)
    return gst_element_factory_make ("identity", NULL);

  unprotect = gst_element_factory_make ("gremiumsframeunprotect", NULL);
  g_object_set (unprotect, "stream", stream, NULL);

  g_mutex_lock (&self->lock);
  gremium_sframe_unprotect_set_receiver (GREMIUM_SFRAME_UNPROTECT (unprotect), self->receiver);
  if (stream == GREMIUM_MEDIA_STREAM_AUDIO)
    g_set_object (&self->unprotect_audio, unprotect);
  else
    g_set_object (&self->unprotect_video, unprotect);
  g_mutex_unlock (&self->lock);

  if (self->taps.unprotect_tap != NULL)
    _gremium_sframe_unprotect_set_tap (GREMIUM_SFRAME_UNPROTECT (unprotect),
                                       self->taps.unprotect_tap, self->taps.user_data);

  return unprotect;
}

static void
build_video_receiver (GremiumCallPeer *self,
                      GstPad          *src)
{
  g_autoptr(GstCaps) rgba = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "RGBA",
                                                 NULL);
  g_autoptr(GstPad) sink = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = new_sample_cb };
  GstElement *e[6];

  e[0] = create_unprotect (self, GREMIUM_MEDIA_STREAM_CAMERA);
  e[1] = gst_element_factory_make ("rtpvp8depay", NULL);
  e[2] = gst_element_factory_make ("vp8dec", NULL);
  e[3] = gst_element_factory_make ("videoconvert", NULL);
  e[4] = gst_element_factory_make ("capsfilter", NULL);
  e[5] = gst_element_factory_make ("appsink", "video-out");

  if (e[1] != NULL)
    /* After a loss (or packets we dropped) wait for a key frame and ask
     * for one, instead of decoding from a broken reference.
     */
    g_object_set (e[1], "wait-for-keyframe", TRUE, "request-keyframe", TRUE, NULL);
  if (e[4] != NULL)
    g_object_set (e[4], "caps", rgba, NULL);
  if (e[5] != NULL)
    {
      /* Paint on arrival: the jitter buffer already evened out the timing. */
      g_object_set (e[5], "sync", FALSE, "async", FALSE, "max-buffers", 2, "drop", TRUE, NULL);
      gst_app_sink_set_callbacks (GST_APP_SINK (e[5]), &callbacks, g_object_ref (self),
                                  g_object_unref);
    }

  if (!link_chain (GST_BIN (self->bin), e, G_N_ELEMENTS (e)))
    return;

  sink = gst_element_get_static_pad (e[0], "sink");
  if (gst_pad_link (src, sink) != GST_PAD_LINK_OK)
    g_warning ("Cannot link the video of %s", self->member_id);

  for (guint i = G_N_ELEMENTS (e); i > 0; i--)
    gst_element_sync_state_with_parent (e[i - 1]);
}

static void
build_audio_receiver (GremiumCallPeer *self,
                      GstPad          *src)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstPad) sink = NULL;
  g_autoptr(GstPad) decoded = NULL;
  GstElement *e[7];

  e[0] = create_unprotect (self, GREMIUM_MEDIA_STREAM_AUDIO);
  e[1] = gst_element_factory_make ("rtpopusdepay", NULL);
  e[2] = gst_element_factory_make ("opusdec", NULL);
  e[3] = gst_element_factory_make ("audioconvert", NULL);
  e[4] = gst_element_factory_make ("audioresample", NULL);
  e[5] = gst_element_factory_make ("level", "level");
  e[6] = gst_parse_bin_from_description (self->audio_sink, TRUE, &error);

  if (e[6] == NULL)
    {
      g_warning ("Cannot create the audio sink “%s”: %s; using fakesink", self->audio_sink,
                 error->message);
      e[6] = gst_element_factory_make ("fakesink", NULL);
    }
  if (e[2] != NULL)
    g_object_set (e[2], "plc", TRUE, NULL);
  /* Decoding 10 ms of Opus takes microseconds; GstBaseSink's default of
   * 20 ms reserved for it would be 20 ms more delay.
   */
  if (GST_IS_BIN (e[6]))
    {
      g_autoptr(GstIterator) it = gst_bin_iterate_sinks (GST_BIN (e[6]));
      GValue item = G_VALUE_INIT;

      while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
        {
          GObject *child = g_value_get_object (&item);

          if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "processing-deadline"))
            g_object_set (child, "processing-deadline", (guint64) 5 * GST_MSECOND, NULL);
          if (GST_IS_BASE_SINK (child))
            gst_base_sink_set_async_enabled (GST_BASE_SINK (child), FALSE);
          g_value_reset (&item);
        }
      g_value_unset (&item);
    }
  if (e[5] != NULL)
    g_object_set (e[5], "interval", (guint64) 50 * GST_MSECOND, "post-messages", TRUE, NULL);

  if (!link_chain (GST_BIN (self->bin), e, G_N_ELEMENTS (e)))
    return;

  decoded = gst_element_get_static_pad (e[2], "src");
  gst_pad_add_probe (decoded, GST_PAD_PROBE_TYPE_BUFFER, audio_decoded_probe,
                     g_object_ref (self), g_object_unref);

  sink = gst_element_get_static_pad (e[0], "sink");
  if (gst_pad_link (src, sink) != GST_PAD_LINK_OK)
    g_warning ("Cannot link the audio of %s", self->member_id);

  for (guint i = G_N_ELEMENTS (e); i > 0; i--)
    gst_element_sync_state_with_parent (e[i - 1]);
}

/* A streaming thread of webrtcbin: the participant's media arrived. */
static void
on_pad_added (GstElement      *webrtc,
              GstPad          *pad,
              GremiumCallPeer *self)
{
  g_autoptr(GstCaps) caps = NULL;
  const char *media;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;

  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  media = gst_structure_get_string (gst_caps_get_structure (caps, 0), "media");
  g_debug ("Peer %s: new %s stream on %s", self->member_id, media ? media : "unknown",
           GST_PAD_NAME (pad));

  if (g_strcmp0 (media, "video") == 0)
    build_video_receiver (self, pad);
  else if (g_strcmp0 (media, "audio") == 0)
    build_audio_receiver (self, pad);
  else
    g_warning ("Ignoring a stream of unknown kind from %s", self->member_id);
}

/* The encoder's allocation query goes through the tee into every peer's
 * branch, and a queue holds a serialized query until everything before it
 * was pushed. webrtcbin blocks its sink pads until the connection is
 * negotiated, and negotiates only once caps arrived on every pad: one new
 * peer would stall the encoder, and with it every peer. Encoded RTP needs
 * nothing from an allocation query, so it is answered right here.
 */
static GstPadProbeReturn
answer_allocation_probe (GstPad          *pad,
                         GstPadProbeInfo *info,
                         gpointer         user_data)
{
  GstQuery *query = GST_PAD_PROBE_INFO_QUERY (info);

  if (GST_QUERY_TYPE (query) == GST_QUERY_ALLOCATION)
    return GST_PAD_PROBE_HANDLED;

  return GST_PAD_PROBE_OK;
}

static GstElement *
create_protect (GremiumCallPeer          *self,
                const GremiumCallConfig  *config,
                GremiumMediaStream        stream)
{
  GstElement *protect;

  if (!self->encrypted)
    return gst_element_factory_make ("identity", NULL);

  protect = gst_element_factory_make ("gremiumsframeprotect", NULL);
  g_object_set (protect, "stream", stream, "sender", config->sender, NULL);
  if (self->taps.protect_tap != NULL)
    _gremium_sframe_protect_set_tap (GREMIUM_SFRAME_PROTECT (protect), self->taps.protect_tap,
                                     self->taps.user_data);

  return protect;
}

static gboolean
build_sender (GremiumCallPeer          *self,
              const GremiumCallConfig  *config,
              GremiumMediaStream        stream,
              GError                  **error)
{
  gboolean video = stream != GREMIUM_MEDIA_STREAM_AUDIO;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstPad) queue_sink = NULL;
  g_autoptr(GstPad) filter_src = NULL;
  g_autoptr(GstPad) webrtc_sink = NULL;
  GstElement *e[4];
  /* The payloader counts the whole RTP packet; SFrame adds up to its
   * maximal overhead after it.
   */
  guint mtu = GREMIUM_MEDIA_RTP_MTU - (self->encrypted ? GREMIUM_SFRAME_MAX_OVERHEAD : 0);

  if (video)
    caps = gst_caps_new_simple ("application/x-rtp",
                                "media", G_TYPE_STRING, "video",
                                "encoding-name", G_TYPE_STRING, "VP8",
                                "payload", G_TYPE_INT, GREMIUM_MEDIA_PT_VP8,
                                "clock-rate", G_TYPE_INT, 90000,
                                NULL);
  else
    caps = gst_caps_new_simple ("application/x-rtp",
                                "media", G_TYPE_STRING, "audio",
                                "encoding-name", G_TYPE_STRING, "OPUS",
                                "payload", G_TYPE_INT, GREMIUM_MEDIA_PT_OPUS,
                                "clock-rate", G_TYPE_INT, 48000,
                                NULL);

  e[0] = _gremium_media_make_element ("queue", NULL, error);
  e[1] = video ? _gremium_media_make_element ("rtpvp8pay", "vp8pay", error)
               : _gremium_media_make_element ("rtpopuspay", "opuspay", error);
  e[2] = create_protect (self, config, stream);
  e[3] = _gremium_media_make_element ("capsfilter", NULL, error);

  if (e[0] != NULL)
    /* A branch that cannot send (ICE not connected yet, a slow peer) drops
     * its oldest data instead of stalling the tee and every other peer.
     */
    g_object_set (e[0], "leaky", 2, "max-size-buffers", 0, "max-size-bytes", 0,
                  "max-size-time", (guint64) 200 * GST_MSECOND, NULL);
  if (e[0] != NULL && video)
    g_signal_connect_object (e[0], "overrun", G_CALLBACK (video_overrun_cb), self, 0);
  if (e[1] != NULL)
    {
      g_object_set (e[1], "pt", video ? GREMIUM_MEDIA_PT_VP8 : GREMIUM_MEDIA_PT_OPUS,
                    "mtu", mtu, NULL);
      if (video)
        gst_util_set_object_arg (G_OBJECT (e[1]), "picture-id-mode", "15-bit");
    }
  if (e[3] != NULL)
    g_object_set (e[3], "caps", caps, NULL);

  if (!link_chain (GST_BIN (self->bin), e, G_N_ELEMENTS (e)))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED, "Cannot build the send branch");
      return FALSE;
    }

  if (video)
    self->protect_video = self->encrypted ? e[2] : NULL;
  else
    self->protect_audio = self->encrypted ? e[2] : NULL;

  queue_sink = gst_element_get_static_pad (e[0], "sink");
  gst_pad_add_probe (queue_sink, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM, answer_allocation_probe,
                     NULL, NULL);
  gst_element_add_pad (self->bin, gst_ghost_pad_new (video ? "video" : "audio", queue_sink));

  filter_src = gst_element_get_static_pad (e[3], "src");
  webrtc_sink = gst_element_request_pad_simple (self->webrtc, "sink_%u");
  if (webrtc_sink == NULL || gst_pad_link (filter_src, webrtc_sink) != GST_PAD_LINK_OK)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED,
                   "Cannot link the %s stream to webrtcbin", video ? "video" : "audio");
      return FALSE;
    }

  return TRUE;
}

static gboolean
link_tee (GremiumCallPeer  *self,
          GstElement       *tee,
          const char       *ghost,
          GstPad          **tee_pad,
          GError          **error)
{
  g_autoptr(GstPad) sink = gst_element_get_static_pad (self->bin, ghost);

  *tee_pad = gst_element_request_pad_simple (tee, "src_%u");
  if (*tee_pad == NULL || gst_pad_link (*tee_pad, sink) != GST_PAD_LINK_OK)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED, "Cannot link the %s tee", ghost);
      return FALSE;
    }

  return TRUE;
}

static void
add_remote_candidate (GremiumCallPeer *self,
                      JsonObject      *candidate)
{
  gint64 mline = json_object_get_int_member_with_default (candidate, "mline", -1);
  const char *text = json_object_get_string_member_with_default (candidate, "candidate", NULL);

  if (mline < 0 || mline > 16 || text == NULL)
    {
      g_debug ("Peer %s: ignoring a malformed ICE candidate", self->member_id);
      return;
    }

  g_signal_emit_by_name (self->webrtc, "add-ice-candidate", (guint) mline, text);
}

static void
flush_pending_candidates (GremiumCallPeer *self)
{
  for (guint i = 0; i < self->pending_remote->len; i++)
    {
      JsonObject *candidate = g_ptr_array_index (self->pending_remote, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (candidate, "session", NULL),
                     self->session) == 0)
        add_remote_candidate (self, candidate);
    }
  g_ptr_array_set_size (self->pending_remote, 0);
}

/* webrtcbin's thread: the offer is the remote description; answer it. */
static void
remote_offer_set_cb (GstPromise *promise,
                     gpointer    user_data)
{
  GremiumCallPeer *self = user_data;
  GstPromise *answer;

  gst_promise_unref (promise);

  answer = gst_promise_new_with_change_func (description_created_cb, g_object_ref (self),
                                             g_object_unref);
  g_signal_emit_by_name (self->webrtc, "create-answer", NULL, answer);
}

static gboolean
set_remote_description (GremiumCallPeer *self,
                        GstWebRTCSDPType type,
                        const char      *text)
{
  GstWebRTCSessionDescription *desc;
  GstSDPMessage *sdp = NULL;
  GstPromise *promise = NULL;

  if (gst_sdp_message_new_from_text (text, &sdp) != GST_SDP_OK || sdp == NULL ||
      gst_sdp_message_medias_len (sdp) == 0)
    {
      g_debug ("Peer %s: ignoring an unreadable SDP", self->member_id);
      if (sdp != NULL)
        gst_sdp_message_free (sdp);
      return FALSE;
    }

  desc = gst_webrtc_session_description_new (type, sdp);
  if (type == GST_WEBRTC_SDP_TYPE_OFFER)
    promise = gst_promise_new_with_change_func (remote_offer_set_cb, g_object_ref (self),
                                                g_object_unref);
  g_signal_emit_by_name (self->webrtc, "set-remote-description", desc, promise);
  gst_webrtc_session_description_free (desc);

  self->have_remote = TRUE;
  /* webrtcbin runs its operations in order, so these come after the
   * description.
   */
  flush_pending_candidates (self);

  return TRUE;
}

static void
handle_offer (GremiumCallPeer *self,
              const char      *session,
              JsonObject      *body)
{
  const char *sdp = json_object_get_string_member_with_default (body, "sdp", NULL);

  if (self->offerer || sdp == NULL)
    {
      g_debug ("Peer %s: ignoring an offer (we offer to this peer)", self->member_id);
      return;
    }

  /* The same offer again: our answer was lost or came too early. */
  if (self->have_remote && g_strcmp0 (self->session, session) == 0)
    {
      send_local_description (self);
      return;
    }

  /* A new session replaces the peer in the call before we get here. */
  g_return_if_fail (!self->have_remote);

  g_free (self->session);
  self->session = g_strdup (session);
  set_state (self, GREMIUM_CALL_PEER_STATE_CONNECTING);
  set_remote_description (self, GST_WEBRTC_SDP_TYPE_OFFER, sdp);
}

static void
handle_answer (GremiumCallPeer *self,
               const char      *session,
               JsonObject      *body)
{
  const char *sdp = json_object_get_string_member_with_default (body, "sdp", NULL);

  if (!self->offerer || sdp == NULL || g_strcmp0 (self->session, session) != 0)
    {
      g_debug ("Peer %s: ignoring an answer for another session", self->member_id);
      return;
    }
  if (self->have_remote)
    return;

  if (set_remote_description (self, GST_WEBRTC_SDP_TYPE_ANSWER, sdp))
    g_clear_handle_id (&self->resend_id, g_source_remove);
}

static void
handle_ice (GremiumCallPeer *self,
            const char      *session,
            JsonObject      *body)
{
  JsonArray *candidates;

  if (!json_object_has_member (body, "candidates") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, "candidates")))
    return;

  candidates = json_object_get_array_member (body, "candidates");
  for (guint i = 0; i < json_array_get_length (candidates) && i < 64; i++)
    {
      JsonNode *node = json_array_get_element (candidates, i);
      JsonObject *candidate;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      candidate = json_node_get_object (node);

      if (self->have_remote && g_strcmp0 (session, self->session) == 0)
        {
          add_remote_candidate (self, candidate);
        }
      else if (self->pending_remote->len < 256)
        {
          /* Before the offer (or answer) is applied; kept for its session. */
          JsonObject *copy = json_object_new ();

          json_object_set_int_member (copy, "mline",
                                      json_object_get_int_member_with_default (candidate, "mline", -1));
          json_object_set_string_member (copy, "candidate",
                                         json_object_get_string_member_with_default (candidate, "candidate", ""));
          json_object_set_string_member (copy, "session", session);
          g_ptr_array_add (self->pending_remote, copy);
        }
    }
}

static gboolean
finish_close_cb (gpointer user_data)
{
  GremiumCallPeer *self = user_data;

  if (self->video_tee_pad != NULL)
    gst_element_release_request_pad (self->video_tee, self->video_tee_pad);
  if (self->audio_tee_pad != NULL)
    gst_element_release_request_pad (self->audio_tee, self->audio_tee_pad);
  g_clear_object (&self->video_tee_pad);
  g_clear_object (&self->audio_tee_pad);

  if (self->bin != NULL)
    {
      gst_element_set_state (self->bin, GST_STATE_NULL);
      if (GST_OBJECT_PARENT (self->bin) == GST_OBJECT (self->pipeline))
        gst_bin_remove (GST_BIN (self->pipeline), self->bin);
    }

  g_mutex_lock (&self->lock);
  g_clear_object (&self->unprotect_video);
  g_clear_object (&self->unprotect_audio);
  g_mutex_unlock (&self->lock);

  /* The bin's elements hold references to us (callbacks, probes); letting
   * go of the bin breaks that cycle.
   */
  g_clear_object (&self->bin);
  g_clear_object (&self->video_tee);
  g_clear_object (&self->audio_tee);
  g_clear_object (&self->pipeline);

  return G_SOURCE_REMOVE;
}

/* A tee's src pad is idle: no buffer in flight towards this peer. */
static GstPadProbeReturn
unlink_tee_probe (GstPad          *pad,
                  GstPadProbeInfo *info,
                  gpointer         user_data)
{
  GremiumCallPeer *self = user_data;
  g_autoptr(GstPad) peer = gst_pad_get_peer (pad);

  if (peer != NULL)
    gst_pad_unlink (pad, peer);

  if (g_atomic_int_dec_and_test (&self->n_unlinking))
    run_in_main (self, finish_close_cb, g_object_ref (self), g_object_unref);

  return GST_PAD_PROBE_REMOVE;
}

static void
gremium_call_peer_dispose (GObject *object)
{
  GremiumCallPeer *self = GREMIUM_CALL_PEER (object);

  g_clear_handle_id (&self->ice_batch_id, g_source_remove);
  g_clear_handle_id (&self->resend_id, g_source_remove);
  g_clear_object (&self->webrtc);
  g_clear_object (&self->bin);
  g_clear_object (&self->video_tee_pad);
  g_clear_object (&self->audio_tee_pad);
  g_clear_object (&self->video_tee);
  g_clear_object (&self->audio_tee);
  g_clear_object (&self->pipeline);
  g_clear_object (&self->unprotect_video);
  g_clear_object (&self->unprotect_audio);
  g_clear_pointer (&self->pending_frame, gst_sample_unref);
  g_clear_pointer (&self->receiver, gremium_sframe_receiver_unref);

  G_OBJECT_CLASS (gremium_call_peer_parent_class)->dispose (object);
}

static void
gremium_call_peer_finalize (GObject *object)
{
  GremiumCallPeer *self = GREMIUM_CALL_PEER (object);

  g_free (self->member_id);
  g_free (self->session);
  g_free (self->local_type);
  g_free (self->local_sdp);
  g_free (self->audio_sink);
  g_ptr_array_unref (self->local_candidates);
  g_ptr_array_unref (self->pending_remote);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (gremium_call_peer_parent_class)->finalize (object);
}

static void
gremium_call_peer_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GremiumCallPeer *self = GREMIUM_CALL_PEER (object);

  switch (prop_id)
    {
    case PROP_MEMBER_ID:
      g_value_set_string (value, self->member_id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_IS_OFFERER:
      g_value_set_boolean (value, self->offerer);
      break;
    case PROP_AUDIO_LEVEL:
      g_value_set_double (value, self->audio_level);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_call_peer_class_init (GremiumCallPeerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_call_peer_dispose;
  object_class->finalize = gremium_call_peer_finalize;
  object_class->get_property = gremium_call_peer_get_property;

  properties[PROP_MEMBER_ID] =
    g_param_spec_string ("member-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, GREMIUM_TYPE_CALL_PEER_STATE,
                       GREMIUM_CALL_PEER_STATE_NEW,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IS_OFFERER] =
    g_param_spec_boolean ("is-offerer", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * GremiumCallPeer:audio-level:
   *
   * The RMS level of the participant's decoded audio in dBFS, −127 when
   * silent; updated every 50 ms.
   */
  properties[PROP_AUDIO_LEVEL] =
    g_param_spec_double ("audio-level", NULL, NULL, -200, 0, -127,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GremiumCallPeer::video-frame:
   * @self: the peer
   * @pixels: the frame, 8-bit RGBA, not premultiplied (GDK_MEMORY_R8G8B8A8)
   * @width: width in pixels
   * @height: height in pixels
   * @stride: bytes from one row to the next
   *
   * Emitted in the call's main context for the newest decoded video frame
   * of this participant. When painting falls behind, frames in between are
   * skipped, never queued.
   */
  signals[VIDEO_FRAME] =
    g_signal_new ("video-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_BYTES, G_TYPE_UINT, G_TYPE_UINT,
                  G_TYPE_UINT);
}

static void
gremium_call_peer_init (GremiumCallPeer *self)
{
  g_mutex_init (&self->lock);
  self->audio_level = -127;
  self->local_candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->pending_remote = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

/**
 * gremium_call_peer_get_member_id:
 * @self: a peer
 *
 * Returns: the remote participant's member id
 */
const char *
gremium_call_peer_get_member_id (GremiumCallPeer *self)
{
  g_return_val_if_fail (GREMIUM_IS_CALL_PEER (self), NULL);

  return self->member_id;
}

/**
 * gremium_call_peer_get_state:
 * @self: a peer
 *
 * Returns: the state of the connection
 */
GremiumCallPeerState
gremium_call_peer_get_state (GremiumCallPeer *self)
{
  g_return_val_if_fail (GREMIUM_IS_CALL_PEER (self), GREMIUM_CALL_PEER_STATE_CLOSED);

  return self->state;
}

/**
 * gremium_call_peer_get_is_offerer:
 * @self: a peer
 *
 * Returns: whether the local side sends the offer to this peer (its member
 *   id sorts first)
 */
gboolean
gremium_call_peer_get_is_offerer (GremiumCallPeer *self)
{
  g_return_val_if_fail (GREMIUM_IS_CALL_PEER (self), FALSE);

  return self->offerer;
}

/**
 * gremium_call_peer_get_audio_level:
 * @self: a peer
 *
 * Returns: the participant's audio level in dBFS, −127 when silent
 */
double
gremium_call_peer_get_audio_level (GremiumCallPeer *self)
{
  g_return_val_if_fail (GREMIUM_IS_CALL_PEER (self), -127);

  return self->audio_level;
}

/**
 * gremium_call_peer_get_stats:
 * @self: a peer
 * @stats: (out caller-allocates): what arrived from the participant
 *
 * Reads the counters of decoded media and of dropped packets by reason.
 */
void
gremium_call_peer_get_stats (GremiumCallPeer      *self,
                             GremiumCallPeerStats *stats)
{
  g_autoptr(GstElement) video = NULL;
  g_autoptr(GstElement) audio = NULL;

  g_return_if_fail (GREMIUM_IS_CALL_PEER (self));
  g_return_if_fail (stats != NULL);

  memset (stats, 0, sizeof *stats);

  g_mutex_lock (&self->lock);
  stats->video_frames = self->video_frames;
  stats->audio_buffers = self->audio_buffers;
  stats->width = self->width;
  stats->height = self->height;
  if (self->unprotect_video != NULL)
    video = g_object_ref (self->unprotect_video);
  if (self->unprotect_audio != NULL)
    audio = g_object_ref (self->unprotect_audio);
  g_mutex_unlock (&self->lock);

  if (video != NULL)
    gremium_sframe_unprotect_get_stats (GREMIUM_SFRAME_UNPROTECT (video), &stats->video);
  if (audio != NULL)
    gremium_sframe_unprotect_get_stats (GREMIUM_SFRAME_UNPROTECT (audio), &stats->audio);
}

GremiumCallPeer *
_gremium_call_peer_new (GremiumCall *call,
                        const char  *member_id,
                        gboolean     offerer)
{
  GremiumCallPeer *self = g_object_new (GREMIUM_TYPE_CALL_PEER, NULL);

  self->call = call;
  self->context = g_main_context_ref_thread_default ();
  self->member_id = g_strdup (member_id);
  self->offerer = offerer;
  self->taps = *_gremium_call_get_taps (call);

  return self;
}

gboolean
_gremium_call_peer_start (GremiumCallPeer          *self,
                          const GremiumCallConfig  *config,
                          GError                  **error)
{
  g_autofree char *name = NULL;
  g_autoptr(GObject) agent = NULL;
  static guint serial;

  g_assert (self->bin == NULL);

  self->encrypted = config->encrypted;
  self->audio_sink = g_strdup (config->audio_sink);
  self->audio_latency = config->audio_latency;
  self->receiver = config->receiver ? gremium_sframe_receiver_ref (config->receiver) : NULL;
  self->pipeline = g_object_ref (config->pipeline);
  self->video_tee = g_object_ref (config->video_tee);
  self->audio_tee = g_object_ref (config->audio_tee);

  name = g_strdup_printf ("peer-%s-%u", self->member_id, ++serial);
  self->bin = g_object_ref_sink (gst_bin_new (name));
  g_object_set_data_full (G_OBJECT (self->bin), "gremium-member-id", g_strdup (self->member_id),
                          g_free);
  g_signal_connect (self->bin, "deep-element-added", G_CALLBACK (on_deep_element_added), self);

  self->webrtc = _gremium_media_make_element ("webrtcbin", "webrtc", error);
  if (self->webrtc == NULL)
    return FALSE;
  g_object_ref_sink (self->webrtc);
  gst_bin_add (GST_BIN (self->bin), self->webrtc);

  gst_util_set_object_arg (G_OBJECT (self->webrtc), "bundle-policy", "max-bundle");
  g_object_set (self->webrtc, "latency", config->latency, NULL);
  if (config->stun_server != NULL)
    g_object_set (self->webrtc, "stun-server", config->stun_server, NULL);
  for (guint i = 0; config->turn_servers != NULL && config->turn_servers[i] != NULL; i++)
    {
      gboolean added = FALSE;

      g_signal_emit_by_name (self->webrtc, "add-turn-server", config->turn_servers[i], &added);
      if (!added)
        g_warning ("Ignoring the TURN server “%s”: not a valid turn: or turns: URI",
                   config->turn_servers[i]);
    }

  /* No lip sync: rtpbin would delay each participant's audio until it
   * lines up with their video, which takes longer to encode. In a meeting
   * the delay of the voice matters more than lips in step, and the picture
   * is shown on arrival anyway. Offsets larger than 1 ns are ignored.
   */
  {
    g_autoptr(GstElement) rtpbin = gst_bin_get_by_name (GST_BIN (self->webrtc), "rtpbin");

    if (rtpbin != NULL)
      {
        g_object_set (rtpbin, "max-ts-offset", (gint64) 1, NULL);
        g_signal_connect_object (rtpbin, "new-jitterbuffer", G_CALLBACK (on_new_jitterbuffer),
                                 self, 0);
      }
  }

  /* UDP host, server-reflexive and relay candidates; ICE-TCP only adds
   * candidates (and signalling) that a TURN server reached over TCP covers.
   */
  g_object_get (self->webrtc, "ice-agent", &agent, NULL);
  if (agent != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (agent), "ice-tcp"))
    g_object_set (agent, "ice-tcp", FALSE, NULL);

  g_signal_connect (self->webrtc, "on-negotiation-needed", G_CALLBACK (on_negotiation_needed), self);
  g_signal_connect (self->webrtc, "on-ice-candidate", G_CALLBACK (on_ice_candidate), self);
  g_signal_connect (self->webrtc, "on-new-transceiver", G_CALLBACK (on_new_transceiver), self);
  g_signal_connect (self->webrtc, "notify::connection-state", G_CALLBACK (on_connection_state),
                    self);
  g_signal_connect (self->webrtc, "pad-added", G_CALLBACK (on_pad_added), self);

  if (!build_sender (self, config, GREMIUM_MEDIA_STREAM_CAMERA, error) ||
      !build_sender (self, config, GREMIUM_MEDIA_STREAM_AUDIO, error))
    return FALSE;

  /* Running before it is linked: a tee pushing into a branch that is still
   * stopped gets FLUSHING back, and a live source that sees FLUSHING stops
   * for good, for every peer.
   */
  gst_bin_add (GST_BIN (self->pipeline), self->bin);
  if (gst_element_set_state (self->bin, GST_STATE_TARGET (self->pipeline)) ==
      GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED,
                   "Cannot start the connection to %s", self->member_id);
      return FALSE;
    }

  return link_tee (self, self->video_tee, "video", &self->video_tee_pad, error) &&
         link_tee (self, self->audio_tee, "audio", &self->audio_tee_pad, error);
}

/* Takes the peer out of the call: unlinks it from the tees when no buffer
 * is in flight, then stops and removes its bin in the main context.
 */
void
_gremium_call_peer_close (GremiumCallPeer *self)
{
  g_return_if_fail (GREMIUM_IS_CALL_PEER (self));

  if (self->call == NULL)
    return;

  self->call = NULL;
  g_clear_handle_id (&self->ice_batch_id, g_source_remove);
  g_clear_handle_id (&self->resend_id, g_source_remove);
  if (self->webrtc != NULL)
    g_signal_handlers_disconnect_by_data (self->webrtc, self);
  set_state (self, GREMIUM_CALL_PEER_STATE_CLOSED);

  if (self->bin == NULL)
    return;

  if (GST_STATE (self->pipeline) != GST_STATE_PLAYING ||
      self->video_tee_pad == NULL || self->audio_tee_pad == NULL)
    {
      finish_close_cb (self);
      return;
    }

  g_atomic_int_set (&self->n_unlinking, 2);
  gst_pad_add_probe (self->video_tee_pad, GST_PAD_PROBE_TYPE_IDLE, unlink_tee_probe,
                     g_object_ref (self), g_object_unref);
  gst_pad_add_probe (self->audio_tee_pad, GST_PAD_PROBE_TYPE_IDLE, unlink_tee_probe,
                     g_object_ref (self), g_object_unref);
}

void
_gremium_call_peer_handle_signal (GremiumCallPeer *self,
                                  const char      *type,
                                  JsonObject      *body)
{
  const char *session = json_object_get_string_member_with_default (body, "session", NULL);

  if (self->call == NULL || session == NULL)
    return;

  if (g_str_equal (type, GREMIUM_CALL_MESSAGE_OFFER))
    handle_offer (self, session, body);
  else if (g_str_equal (type, GREMIUM_CALL_MESSAGE_ANSWER))
    handle_answer (self, session, body);
  else if (g_str_equal (type, GREMIUM_CALL_MESSAGE_ICE))
    handle_ice (self, session, body);
}

const char *
_gremium_call_peer_get_session (GremiumCallPeer *self)
{
  return self->session;
}

gboolean
_gremium_call_peer_has_remote (GremiumCallPeer *self)
{
  return self->have_remote;
}

void
_gremium_call_peer_set_sender (GremiumCallPeer     *self,
                               GremiumSFrameSender *sender)
{
  if (self->protect_video != NULL)
    gremium_sframe_protect_set_sender (GREMIUM_SFRAME_PROTECT (self->protect_video), sender);
  if (self->protect_audio != NULL)
    gremium_sframe_protect_set_sender (GREMIUM_SFRAME_PROTECT (self->protect_audio), sender);
}

void
_gremium_call_peer_set_receiver (GremiumCallPeer       *self,
                                 GremiumSFrameReceiver *receiver)
{
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->receiver, gremium_sframe_receiver_unref);
  self->receiver = receiver ? gremium_sframe_receiver_ref (receiver) : NULL;
  if (self->unprotect_video != NULL)
    gremium_sframe_unprotect_set_receiver (GREMIUM_SFRAME_UNPROTECT (self->unprotect_video),
                                           receiver);
  if (self->unprotect_audio != NULL)
    gremium_sframe_unprotect_set_receiver (GREMIUM_SFRAME_UNPROTECT (self->unprotect_audio),
                                           receiver);
  g_mutex_unlock (&self->lock);
}

void
_gremium_call_peer_set_audio_level (GremiumCallPeer *self,
                                    double           level)
{
  self->audio_level = level;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_LEVEL]);
}

GstElement *
_gremium_call_peer_get_bin (GremiumCallPeer *self)
{
  return self->bin;
}
