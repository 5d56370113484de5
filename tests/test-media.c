/* test-media.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/audio/audio.h>
#include <gst/rtp/rtp.h>
#include <gst/video/video.h>
#include <sodium.h>
#include <string.h>

#include <gremium-call.h>
#include <gremium-call-private.h>
#include <gremium-media.h>
#include <gremium-media-key-agent.h>
#include <gremium-sframe-protect.h>
#include <gremium-sframe-unprotect.h>

#include "gremium-test-utils.h"

/* Media tests: real GStreamer pipelines with test sources, real webrtcbin
 * connections over loopback, signalled through a real server. Every
 * participant sends a solid colour and a sine tone of its own, so a
 * receiver can tell from the decoded pictures and sound whose media it got.
 */

#define MAX_PARTICIPANTS 3
#define KEY_SIZE 32

static const char * const member_ids[MAX_PARTICIPANTS] = { "chair", "m01", "m02" };
/* 0xAARRGGBB; saturated enough to survive VP8 and the YUV round trip. */
static const guint32 colors[MAX_PARTICIPANTS] = { 0xffe02020, 0xff20e020, 0xff2020e0 };
static const double tones[MAX_PARTICIPANTS] = { 440, 660, 990 };

typedef struct _Fixture Fixture;

/* What one participant got from one other participant, filled on
 * streaming threads.
 */
typedef struct
{
  guint64  video_frames;
  guint64  audio_buffers;
  guint8   rgba[4];          /* centre pixel of the last frame */
  guint64  audio_samples;    /* after the first 300 ms */
  guint64  audio_skip;
  guint64  rising;           /* rising zero crossings */
  gint16   last_sample;
} Remote;

typedef struct
{
  Fixture               *f;
  guint                  index;
  GremiumClient         *client;
  GremiumMediaSource    *source;
  GremiumCall           *call;
  GremiumSFrameSender   *sender;
  GremiumSFrameReceiver *receiver;
  GremiumMediaKeyAgent  *agent;
  guint64                kid;
  guint8                 key[KEY_SIZE];
  GMutex                 lock;
  Remote                 remotes[MAX_PARTICIPANTS];
  /* The wire: every packet this participant's protect elements emitted. */
  guint64                packets;
  guint64                packets_checked;
  guint64                leaks;
  guint64                key_frames;
  GPtrArray             *captured;   /* GBytes of recent protected packets */
  gboolean               capture;
} Participant;

struct _Fixture
{
  GremiumTestServer *ts;
  char              *meeting_id;
  guint              n;
  Participant        p[MAX_PARTICIPANTS];
};

static guint
index_of (const char *member_id)
{
  for (guint i = 0; i < MAX_PARTICIPANTS; i++)
    if (g_str_equal (member_ids[i], member_id))
      return i;

  g_assert_not_reached ();
}

/* memmem() is a GNU extension. */
static gboolean
contains (const guint8 *haystack,
          gsize         haystack_len,
          const guint8 *needle,
          gsize         needle_len)
{
  for (gsize i = 0; i + needle_len <= haystack_len; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, needle_len) == 0)
      return TRUE;

  return FALSE;
}

static void
random_key (guint8 key[KEY_SIZE])
{
  randombytes_buf (key, KEY_SIZE);
}

/* A 16-byte window of the clear payload must appear nowhere in the packet
 * on the wire. With a random-looking ciphertext the chance of a false
 * alarm is nil; a payload sent in clear fails at once.
 */
static void
protect_tap (GremiumMediaStream  stream,
             const guint8       *clear,
             gsize               clear_len,
             const guint8       *packet,
             gsize               packet_len,
             gpointer            user_data)
{
  Participant *p = user_data;
  gboolean leak = FALSE, checked = FALSE;
  gboolean key_frame = FALSE;

  if (clear_len >= 16)
    {
      checked = TRUE;
      for (gsize offset = 0; offset + 16 <= clear_len; offset += 16)
        if (contains (packet, packet_len, clear + offset, 16))
          leak = TRUE;
    }

  /* The marker every VP8 key frame carries: its start code 9d 01 2a. */
  if (stream == GREMIUM_MEDIA_STREAM_CAMERA && clear_len >= 10 &&
      clear[3] == 0x9d && clear[4] == 0x01 && clear[5] == 0x2a)
    {
      key_frame = TRUE;
      if (contains (packet, packet_len, clear, 10))
        leak = TRUE;
    }

  g_mutex_lock (&p->lock);
  p->packets++;
  p->packets_checked += checked;
  p->leaks += leak;
  p->key_frames += key_frame;
  if (p->capture && stream == GREMIUM_MEDIA_STREAM_CAMERA && p->captured->len < 50)
    g_ptr_array_add (p->captured, g_bytes_new (packet, packet_len));
  g_mutex_unlock (&p->lock);
}

static void
video_tap (GremiumCallPeer *peer,
           GstBuffer       *buffer,
           GstCaps         *caps,
           gpointer         user_data)
{
  Participant *p = user_data;
  Remote *r = &p->remotes[index_of (gremium_call_peer_get_member_id (peer))];
  GstVideoInfo info;
  GstMapInfo map;

  g_assert_true (gst_video_info_from_caps (&info, caps));
  g_assert_cmpint (GST_VIDEO_INFO_FORMAT (&info), ==, GST_VIDEO_FORMAT_RGBA);
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));

  g_mutex_lock (&p->lock);
  r->video_frames++;
  memcpy (r->rgba, map.data + GST_VIDEO_INFO_HEIGHT (&info) / 2 * GST_VIDEO_INFO_PLANE_STRIDE (&info, 0) +
          GST_VIDEO_INFO_WIDTH (&info) / 2 * 4, 4);
  g_mutex_unlock (&p->lock);

  gst_buffer_unmap (buffer, &map);
}

static void
audio_tap (GremiumCallPeer *peer,
           GstBuffer       *buffer,
           GstCaps         *caps,
           gpointer         user_data)
{
  Participant *p = user_data;
  Remote *r = &p->remotes[index_of (gremium_call_peer_get_member_id (peer))];
  GstAudioInfo info;
  GstMapInfo map;
  const gint16 *samples;
  gsize n_frames;

  g_assert_true (gst_audio_info_from_caps (&info, caps));
  g_assert_cmpint (GST_AUDIO_INFO_FORMAT (&info), ==, GST_AUDIO_FORMAT_S16LE);
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  samples = (const gint16 *) map.data;
  n_frames = map.size / GST_AUDIO_INFO_BPF (&info);

  g_mutex_lock (&p->lock);
  r->audio_buffers++;
  for (gsize i = 0; i < n_frames; i++)
    {
      gint16 s = samples[i * GST_AUDIO_INFO_CHANNELS (&info)];

      /* Skip the encoder's and decoder's start-up. */
      if (r->audio_skip < 48000 * 3 / 10)
        {
          r->audio_skip++;
          r->last_sample = s;
          continue;
        }
      if (r->last_sample < 0 && s >= 0)
        r->rising++;
      r->last_sample = s;
      r->audio_samples++;
    }
  g_mutex_unlock (&p->lock);

  gst_buffer_unmap (buffer, &map);
}

static void
set_sender_key (Participant *p,
                guint64      kid)
{
  g_autoptr(GError) error = NULL;

  p->kid = kid;
  random_key (p->key);
  gremium_sframe_sender_set_key (p->sender, kid, p->key, KEY_SIZE, &error);
  g_assert_no_error (error);
}

static void
give_key (Participant *to,
          Participant *from)
{
  g_autoptr(GError) error = NULL;

  gremium_sframe_receiver_add_key (to->receiver, from->kid, from->key, KEY_SIZE, &error);
  g_assert_no_error (error);
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->n = GPOINTER_TO_UINT (data);
  f->ts = gremium_test_server_new ();
  gremium_test_server_add_member (f->ts, "chair", "Clara Vorsitz", GREMIUM_ROLE_CHAIR);
  gremium_test_server_add_member (f->ts, "m01", "Mitglied 1", GREMIUM_ROLE_MEMBER);
  gremium_test_server_add_member (f->ts, "m02", "Mitglied 2", GREMIUM_ROLE_MEMBER);
  f->meeting_id = gremium_test_server_create_meeting (f->ts, 1, 0);

  for (guint i = 0; i < f->n; i++)
    {
      Participant *p = &f->p[i];
      GremiumCallTaps taps = {
        .protect_tap = protect_tap,
        .video_tap = video_tap,
        .audio_tap = audio_tap,
        .user_data = p,
      };

      p->f = f;
      p->index = i;
      g_mutex_init (&p->lock);
      p->captured = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      p->client = gremium_test_client_enrol (f->ts, member_ids[i], &error);
      g_assert_no_error (error);
      gremium_test_client_attend (p->client, f->meeting_id, &error);
      g_assert_no_error (error);

      if (i == 0)
        gremium_test_client_submit (p->client, f->meeting_id, GREMIUM_KIND_MEETING_OPEN, NULL,
                                    &error);
      else
        gremium_test_submit (f->p[0].client, f->meeting_id, GREMIUM_KIND_LOBBY_ADMIT,
                             gremium_test_data ("member", member_ids[i], NULL), &error);
      g_assert_no_error (error);

      p->source = g_object_new (GREMIUM_TYPE_MEDIA_SOURCE,
                                "video-source", GREMIUM_MEDIA_SOURCE_TEST,
                                "audio-source", GREMIUM_MEDIA_SOURCE_TEST,
                                "test-pattern", "solid-color",
                                "test-color", colors[i],
                                "test-frequency", tones[i],
                                "width", 320,
                                "height", 180,
                                "framerate", 15,
                                NULL);
      p->call = gremium_call_new (p->client, f->meeting_id, p->source);
      _gremium_call_set_taps (p->call, &taps);
      gremium_call_set_audio_sink (p->call, "fakesink sync=false");

      p->sender = gremium_sframe_sender_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
      p->receiver = gremium_sframe_receiver_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
      /* KIDs unique per sender, as the key agent makes them. */
      set_sender_key (p, 0x100 * (i + 1));
      gremium_call_set_sender (p->call, p->sender);
      gremium_call_set_receiver (p->call, p->receiver);
    }

  /* Everyone holds everyone else's key; tests take keys away. */
  for (guint i = 0; i < f->n; i++)
    for (guint j = 0; j < f->n; j++)
      if (i != j)
        give_key (&f->p[i], &f->p[j]);
}

static void
start_calls (Fixture *f)
{
  for (guint i = 0; i < f->n; i++)
    {
      g_autoptr(GError) error = NULL;

      gremium_call_start (f->p[i].call, &error);
      g_assert_no_error (error);
    }
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  for (guint i = 0; i < f->n; i++)
    {
      Participant *p = &f->p[i];

      gremium_call_stop (p->call);
    }
  /* Let the peers' last main-context callbacks run. */
  gremium_test_iterate (50);

  for (guint i = 0; i < f->n; i++)
    {
      Participant *p = &f->p[i];

      g_assert_finalize_object (p->call);
      g_assert_finalize_object (p->source);
      g_clear_object (&p->agent);
      g_clear_pointer (&p->sender, gremium_sframe_sender_unref);
      g_clear_pointer (&p->receiver, gremium_sframe_receiver_unref);
      g_clear_object (&p->client);
      g_ptr_array_unref (p->captured);
      g_mutex_clear (&p->lock);
    }

  g_free (f->meeting_id);
  gremium_test_server_free (f->ts);
}

static Remote
remote_of (Participant *p,
           guint        from)
{
  Remote r;

  g_mutex_lock (&p->lock);
  r = p->remotes[from];
  g_mutex_unlock (&p->lock);

  return r;
}

typedef struct
{
  Fixture *f;
  guint64  video;
  guint64  audio;
} MediaWait;

static gboolean
everyone_decodes (gpointer data)
{
  MediaWait *wait = data;

  for (guint i = 0; i < wait->f->n; i++)
    for (guint j = 0; j < wait->f->n; j++)
      {
        Remote r;

        if (i == j)
          continue;
        r = remote_of (&wait->f->p[i], j);
        if (r.video_frames < wait->video || r.audio_samples < wait->audio)
          return FALSE;
      }

  return TRUE;
}

static void
describe (Fixture *f)
{
  for (guint i = 0; i < f->n; i++)
    for (guint j = 0; j < f->n; j++)
      {
        GremiumCallPeer *peer;
        GremiumCallPeerStats stats = { 0 };
        Remote r;

        if (i == j)
          continue;
        r = remote_of (&f->p[i], j);
        peer = gremium_call_lookup_peer (f->p[i].call, member_ids[j]);
        if (peer != NULL)
          gremium_call_peer_get_stats (peer, &stats);
        g_printerr ("# %s ← %s: state %d, %" G_GUINT64_FORMAT " frames, %" G_GUINT64_FORMAT
                    " audio samples; video accepted %" G_GUINT64_FORMAT " dropped unknown-kid %"
                    G_GUINT64_FORMAT " auth %" G_GUINT64_FORMAT "\n",
                    member_ids[i], member_ids[j],
                    peer ? (int) gremium_call_peer_get_state (peer) : -1,
                    r.video_frames, r.audio_samples, stats.video.accepted,
                    stats.video.unknown_kid, stats.video.auth_failed);
      }
}

static void
wait_media (Fixture *f,
            guint64  video_frames,
            guint64  audio_samples)
{
  MediaWait wait = { f, video_frames, audio_samples };

  if (!gremium_test_wait_until (everyone_decodes, &wait, 30000))
    {
      describe (f);
      g_error ("Not every participant decoded media from every other one");
    }
}

static void
assert_color (const guint8 rgba[4],
              guint32      argb)
{
  int expected[3] = { (argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff };

  for (guint c = 0; c < 3; c++)
    if (ABS ((int) rgba[c] - expected[c]) > 40)
      g_error ("Colour %02x%02x%02x is not the sender's %06x", rgba[0], rgba[1], rgba[2],
               argb & 0xffffff);
}

/* Every participant decodes everyone else's picture and tone, and nothing
 * went over the wire in clear.
 */
static void
check_everyone (Fixture *f)
{
  for (guint i = 0; i < f->n; i++)
    {
      Participant *p = &f->p[i];

      for (guint j = 0; j < f->n; j++)
        {
          GremiumCallPeerStats stats;
          double frequency;
          Remote r;

          if (i == j)
            continue;

          r = remote_of (p, j);
          assert_color (r.rgba, colors[j]);
          frequency = r.rising * 48000.0 / r.audio_samples;
          g_test_message ("%s hears %s at %.1f Hz (sent %.0f Hz)", member_ids[i], member_ids[j],
                          frequency, tones[j]);
          g_assert_cmpfloat (ABS (frequency - tones[j]), <, tones[j] * 0.03);

          gremium_call_peer_get_stats (gremium_call_lookup_peer (p->call, member_ids[j]), &stats);
          g_assert_cmpuint (stats.video.accepted, >, 0);
          g_assert_cmpuint (stats.audio.accepted, >, 0);
          g_assert_cmpuint (stats.video.auth_failed + stats.audio.auth_failed, ==, 0);
          g_assert_cmpuint (stats.video.unknown_kid + stats.audio.unknown_kid, ==, 0);
          g_assert_cmpuint (stats.video.invalid + stats.audio.invalid, ==, 0);
          g_assert_cmpuint (stats.width, ==, 320);
          g_assert_cmpuint (stats.height, ==, 180);
        }

      g_mutex_lock (&p->lock);
      g_assert_cmpuint (p->packets_checked, >, 50);
      g_assert_cmpuint (p->key_frames, >, 0);
      g_assert_cmpuint (p->leaks, ==, 0);
      g_mutex_unlock (&p->lock);
    }
}

static void
test_two_way (Fixture       *f,
              gconstpointer  data)
{
  GremiumCallPeer *peer;

  start_calls (f);
  wait_media (f, 20, 48000);
  check_everyone (f);

  /* The smaller member id offers. */
  peer = gremium_call_lookup_peer (f->p[0].call, "m01");
  g_assert_true (gremium_call_peer_get_is_offerer (peer));
  g_assert_cmpint (gremium_call_peer_get_state (peer), ==, GREMIUM_CALL_PEER_STATE_CONNECTED);
  g_assert_false (gremium_call_peer_get_is_offerer (gremium_call_lookup_peer (f->p[1].call,
                                                                                "chair")));
  g_assert_cmpuint (g_list_model_get_n_items (gremium_call_get_peers (f->p[0].call)), ==, 1);
  g_assert_cmpfloat (gremium_call_peer_get_audio_level (peer), >, -30);

  /* A receiver for one member's connection, with only that member's key
   * (the keyring's per-member receiver), takes over from the shared one.
   */
  {
    g_autoptr(GremiumSFrameReceiver) only_chair = gremium_sframe_receiver_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
    g_autoptr(GError) error = NULL;
    GremiumCallPeerStats before, after;
    GremiumCallPeer *chair = gremium_call_lookup_peer (f->p[1].call, "chair");

    gremium_sframe_receiver_add_key (only_chair, f->p[0].kid, f->p[0].key, KEY_SIZE, &error);
    g_assert_no_error (error);
    gremium_call_set_member_receiver (f->p[1].call, "chair", only_chair);
    gremium_call_peer_get_stats (chair, &before);
    gremium_test_iterate (500);
    gremium_call_peer_get_stats (chair, &after);
    g_assert_cmpuint (after.video_frames, >, before.video_frames);
    g_assert_cmpuint (after.audio.accepted, >, before.audio.accepted);

    /* It is the one in use: without the key, nothing more is accepted. */
    gremium_sframe_receiver_remove_key (only_chair, f->p[0].kid);
    gremium_test_iterate (100);
    gremium_call_peer_get_stats (chair, &before);
    gremium_test_iterate (400);
    gremium_call_peer_get_stats (chair, &after);
    g_assert_cmpuint (after.audio.accepted, ==, before.audio.accepted);
    g_assert_cmpuint (after.audio.unknown_kid, >, before.audio.unknown_kid);
  }
}

typedef struct
{
  Participant *p;
  guint        from;
  guint64      target;
} FramesWait;

static gboolean
frames_reached (gpointer data)
{
  FramesWait *wait = data;

  return remote_of (wait->p, wait->from).video_frames >= wait->target;
}

static void
wait_frames (Participant *p,
             guint        from,
             guint64      more)
{
  FramesWait wait = { p, from, remote_of (p, from).video_frames + more };

  if (!gremium_test_wait_until (frames_reached, &wait, 15000))
    {
      describe (p->f);
      g_error ("%s did not decode %" G_GUINT64_FORMAT " more frames from %s", member_ids[p->index],
               more, member_ids[from]);
    }
}

static void
test_three_way (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Participant *leaver = &f->p[2];
  g_autoptr(GPtrArray) after = NULL;
  GremiumCallPeerStats before_stats;

  start_calls (f);
  wait_media (f, 20, 48000);
  check_everyone (f);

  for (guint i = 0; i < f->n; i++)
    g_assert_cmpuint (g_list_model_get_n_items (gremium_call_get_peers (f->p[i].call)), ==, 2);

  /* m02 leaves: the others close their connections to it. */
  gremium_test_submit (leaver->client, f->meeting_id, GREMIUM_KIND_ATTENDANCE_LEAVE,
                       gremium_test_data ("member", "m02", "reason", "left", NULL), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      for (guint k = 0; k < 100 && gremium_call_lookup_peer (f->p[i].call, "m02") != NULL; k++)
        gremium_test_iterate (20);
      g_assert_null (gremium_call_lookup_peer (f->p[i].call, "m02"));
      g_assert_cmpuint (g_list_model_get_n_items (gremium_call_get_peers (f->p[i].call)), ==, 1);
    }
  g_assert_cmpuint (g_list_model_get_n_items (gremium_call_get_peers (leaver->call)), ==, 0);

  /* The remaining senders rotate to fresh keys (what the key agent does
   * after a leave), giving them only to each other.
   */
  gremium_call_peer_get_stats (gremium_call_lookup_peer (f->p[1].call, "chair"), &before_stats);
  for (guint i = 0; i < 2; i++)
    set_sender_key (&f->p[i], f->p[i].kid + 1);
  give_key (&f->p[0], &f->p[1]);
  give_key (&f->p[1], &f->p[0]);

  /* Media goes on between the two on the new keys. */
  wait_frames (&f->p[0], 1, 15);
  wait_frames (&f->p[1], 0, 15);

  /* Packets under the new key, as they went on the wire … */
  g_mutex_lock (&f->p[0].lock);
  f->p[0].capture = TRUE;
  g_mutex_unlock (&f->p[0].lock);
  wait_frames (&f->p[1], 0, 10);
  g_mutex_lock (&f->p[0].lock);
  f->p[0].capture = FALSE;
  after = g_ptr_array_ref (f->p[0].captured);
  g_mutex_unlock (&f->p[0].lock);
  g_assert_cmpuint (after->len, >, 0);

  /* … do not open with anything the departed participant holds. */
  for (guint i = 0; i < after->len; i++)
    {
      GBytes *bytes = g_ptr_array_index (after, i);
      gsize len;
      const guint8 *packet = g_bytes_get_data (bytes, &len);
      g_autofree guint8 *out = g_malloc (len);
      GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
      g_autoptr(GstBuffer) buffer = gst_buffer_new_memdup (packet, len);
      guint8 metadata[GREMIUM_SFRAME_RTP_MAX_METADATA];
      gsize descriptor_len, metadata_len, out_len;
      const guint8 *payload;
      guint64 kid;
      GremiumSFrameStatus status;

      g_assert_true (gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp));
      payload = gst_rtp_buffer_get_payload (&rtp);
      descriptor_len = _gremium_vp8_descriptor_size (payload, gst_rtp_buffer_get_payload_len (&rtp));
      metadata_len = _gremium_sframe_rtp_metadata (GREMIUM_MEDIA_STREAM_CAMERA,
                                                   gst_rtp_buffer_get_marker (&rtp), payload,
                                                   descriptor_len, metadata);
      status = gremium_sframe_receiver_unprotect (leaver->receiver, metadata, metadata_len,
                                                  payload + descriptor_len,
                                                  gst_rtp_buffer_get_payload_len (&rtp) - descriptor_len,
                                                  out, len, &out_len, &kid);
      g_assert_cmpint (status, ==, GREMIUM_SFRAME_UNKNOWN_KID);

      /* The chair's current key, which only the remaining participant
       * holds, opens it.
       */
      {
        g_autoptr(GremiumSFrameReceiver) current = gremium_sframe_receiver_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);

        gremium_sframe_receiver_add_key (current, f->p[0].kid, f->p[0].key, KEY_SIZE, &error);
        g_assert_no_error (error);
        status = gremium_sframe_receiver_unprotect (current, metadata, metadata_len,
                                                    payload + descriptor_len,
                                                    gst_rtp_buffer_get_payload_len (&rtp) - descriptor_len,
                                                    out, len, &out_len, &kid);
        g_assert_cmpint (status, ==, GREMIUM_SFRAME_OK);
        g_assert_cmpuint (kid, ==, f->p[0].kid);
      }
      gst_rtp_buffer_unmap (&rtp);
    }

  /* The rotation itself: the new key was installed at the receivers
   * before the senders switched, so nothing was dropped for it.
   */
  {
    GremiumCallPeerStats stats;

    gremium_call_peer_get_stats (gremium_call_lookup_peer (f->p[1].call, "chair"), &stats);
    g_assert_cmpuint (stats.video.unknown_kid + stats.audio.unknown_kid, ==,
                      before_stats.video.unknown_kid + before_stats.audio.unknown_kid);
    g_assert_cmpuint (stats.video.auth_failed + stats.audio.auth_failed, ==, 0);
  }
}

/* A key rotation mid-call: receivers get the new key first, the sender
 * switches after the grace period, the old key is removed later. No packet
 * may be dropped, and the picture keeps coming.
 */
static void
test_rotation (Fixture       *f,
               gconstpointer  data)
{
  Participant *sender = &f->p[0], *receiver = &f->p[1];
  GremiumCallPeerStats before, after;
  guint64 old_kid;
  GremiumSFrameProtectStats protect;
  g_autoptr(GstElement) element = NULL;

  start_calls (f);
  wait_media (f, 15, 24000);

  gremium_call_peer_get_stats (gremium_call_lookup_peer (receiver->call, "chair"), &before);
  old_kid = sender->kid;

  {
    g_autoptr(GremiumSFrameSender) next = gremium_sframe_sender_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
    guint8 next_key[KEY_SIZE];
    g_autoptr(GError) error = NULL;

    random_key (next_key);
    gremium_sframe_receiver_add_key (receiver->receiver, old_kid + 1, next_key, KEY_SIZE, &error);
    g_assert_no_error (error);

    /* The grace period, then the switch. */
    gremium_test_iterate (300);
    gremium_sframe_sender_set_key (sender->sender, old_kid + 1, next_key, KEY_SIZE, &error);
    g_assert_no_error (error);
    sender->kid = old_kid + 1;
    memcpy (sender->key, next_key, KEY_SIZE);
  }

  wait_frames (receiver, 0, 30);
  gremium_sframe_receiver_remove_key (receiver->receiver, old_kid);
  wait_frames (receiver, 0, 15);

  gremium_call_peer_get_stats (gremium_call_lookup_peer (receiver->call, "chair"), &after);
  g_assert_cmpuint (after.video.accepted, >, before.video.accepted);
  g_assert_cmpuint (after.audio.accepted, >, before.audio.accepted);
  /* Old-key packets that were still in flight when the old key went
   * count as unknown-kid; with the removal after the switch there are none.
   */
  g_assert_cmpuint (after.video.unknown_kid + after.audio.unknown_kid, ==,
                    before.video.unknown_kid + before.audio.unknown_kid);
  g_assert_cmpuint (after.video.auth_failed + after.audio.auth_failed, ==, 0);

  /* The sender saw the new key and asked its encoder for a key frame. */
  element = gst_bin_get_by_name (GST_BIN (_gremium_call_peer_get_bin (gremium_call_lookup_peer (sender->call, "m01"))), "vp8pay");
  g_assert_nonnull (element);
  {
    g_autoptr(GstPad) pad = gst_element_get_static_pad (element, "src");
    g_autoptr(GstPad) peer_pad = gst_pad_get_peer (pad);
    GstElement *protect_element = gst_pad_get_parent_element (peer_pad);

    gremium_sframe_protect_get_stats (GREMIUM_SFRAME_PROTECT (protect_element), &protect);
    gst_object_unref (protect_element);
  }
  g_assert_cmpuint (protect.key_changes, ==, 1);
  g_assert_cmpuint (protect.no_key + protect.failed + protect.invalid, ==, 0);

  check_everyone (f);
}

/* m01 never got the chair's key: it decodes nothing of the chair, not one
 * frame or sample, while the chair, who has m01's key, decodes m01.
 */
static void
test_no_key (Fixture       *f,
             gconstpointer  data)
{
  Participant *chair = &f->p[0], *m01 = &f->p[1];
  GremiumCallPeerStats stats;
  Remote r;

  gremium_sframe_receiver_remove_key (m01->receiver, chair->kid);
  start_calls (f);

  wait_frames (chair, 1, 30);
  gremium_test_iterate (500);

  r = remote_of (m01, 0);
  g_assert_cmpuint (r.video_frames, ==, 0);
  g_assert_cmpuint (r.audio_buffers, ==, 0);

  gremium_call_peer_get_stats (gremium_call_lookup_peer (m01->call, "chair"), &stats);
  g_assert_cmpuint (stats.video_frames, ==, 0);
  g_assert_cmpuint (stats.audio_buffers, ==, 0);
  g_assert_cmpuint (stats.video.accepted + stats.audio.accepted, ==, 0);
  g_assert_cmpuint (stats.video.unknown_kid, >, 10);
  g_assert_cmpuint (stats.audio.unknown_kid, >, 10);

  /* With the key, media flows from then on (the key frame is requested). */
  give_key (m01, chair);
  wait_frames (m01, 0, 10);
  assert_color (remote_of (m01, 0).rgba, colors[0]);
}

/* m01 cannot decrypt the chair (no key yet), so its sinks for the chair
 * never receive a buffer. m02 comes later: m01 must still connect to it and
 * decode it. (A sink waiting for its first buffer used to hold m01's whole
 * pipeline back from PLAYING, and every connection made after that stayed
 * paused: a later participant never got through.)
 */
static void
test_late_joiner (Fixture       *f,
                  gconstpointer  data)
{
  Participant *chair = &f->p[0], *m01 = &f->p[1], *m02 = &f->p[2];
  g_autoptr(GError) error = NULL;

  gremium_sframe_receiver_remove_key (m01->receiver, chair->kid);
  gremium_call_start (chair->call, &error);
  g_assert_no_error (error);
  gremium_call_start (m01->call, &error);
  g_assert_no_error (error);

  wait_frames (chair, 1, 30);
  g_assert_cmpuint (remote_of (m01, 0).video_frames, ==, 0);

  gremium_call_start (m02->call, &error);
  g_assert_no_error (error);

  wait_frames (m01, 2, 30);
  wait_frames (m02, 1, 30);
  wait_frames (chair, 2, 30);
  wait_frames (m02, 0, 30);
  assert_color (remote_of (m01, 2).rgba, colors[2]);
  g_assert_cmpuint (remote_of (m01, 0).video_frames, ==, 0);
}

/* The camera switch stops the picture; the mute switch the sound. */
static void
test_switches (Fixture       *f,
               gconstpointer  data)
{
  Participant *chair = &f->p[0], *m01 = &f->p[1];
  GremiumCallPeer *peer;
  guint64 frames;

  start_calls (f);
  wait_media (f, 10, 24000);

  gremium_media_source_set_camera_enabled (chair->source, FALSE);
  gremium_test_iterate (400);
  frames = remote_of (m01, 0).video_frames;
  gremium_test_iterate (600);
  g_assert_cmpuint (remote_of (m01, 0).video_frames, ==, frames);

  gremium_media_source_set_camera_enabled (chair->source, TRUE);
  wait_frames (m01, 0, 10);

  peer = gremium_call_lookup_peer (m01->call, "chair");
  g_assert_cmpfloat (gremium_call_peer_get_audio_level (peer), >, -30);
  g_assert_cmpstr (gremium_call_get_active_speaker (m01->call), !=, NULL);
  gremium_media_source_set_muted (chair->source, TRUE);
  gremium_test_iterate (800);
  g_assert_cmpfloat (gremium_call_peer_get_audio_level (peer), <, -80);
  g_assert_true (gremium_media_source_get_muted (chair->source));
  g_assert_cmpfloat (gremium_media_source_get_audio_level (m01->source), >, -30);
}

/* --- Bad input, at the element ---------------------------------------- */

/* Real VP8 RTP packets, protected, from a small pipeline. */
static GPtrArray *
make_protected_packets (GremiumSFrameSender *sender,
                        GremiumMediaStream   stream,
                        guint                n_frames,
                        GPtrArray          **clear_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstElement) protect = NULL;
  g_autoptr(GstElement) clear = NULL;
  GPtrArray *packets = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  g_autofree char *description = g_strdup_printf (
    "videotestsrc num-buffers=%u pattern=ball ! video/x-raw,width=160,height=120,framerate=30/1 ! "
    "vp8enc deadline=1 keyframe-max-dist=10 ! rtpvp8pay mtu=400 picture-id-mode=15-bit ! "
    "tee name=t ! queue ! gremiumsframeprotect name=protect ! appsink name=sink sync=false "
    "t. ! queue ! appsink name=clear sync=false", n_frames);
  GstSample *sample;

  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  protect = gst_bin_get_by_name (GST_BIN (pipeline), "protect");
  g_object_set (protect, "sender", sender, "stream", stream, NULL);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  clear = gst_bin_get_by_name (GST_BIN (pipeline), "clear");
  *clear_out = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL)
    {
      g_ptr_array_add (packets, gst_buffer_ref (gst_sample_get_buffer (sample)));
      gst_sample_unref (sample);
    }
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (clear))) != NULL)
    {
      g_ptr_array_add (*clear_out, gst_buffer_ref (gst_sample_get_buffer (sample)));
      gst_sample_unref (sample);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);

  return packets;
}

typedef struct
{
  GstElement *pipeline;
  GstElement *src;
  GstElement *unprotect;
  guint64     at_depayloader;
  guint64     decoded;
} Receiver;

static GstPadProbeReturn
count_probe (GstPad          *pad,
             GstPadProbeInfo *info,
             gpointer         user_data)
{
  g_atomic_int_inc ((gint *) user_data);
  return GST_PAD_PROBE_OK;
}

static void
receiver_start (Receiver              *r,
                GremiumSFrameReceiver *receiver)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) depay = NULL;
  g_autoptr(GstElement) dec = NULL;
  g_autoptr(GstPad) depay_sink = NULL;
  g_autoptr(GstPad) dec_src = NULL;

  r->pipeline = gst_parse_launch (
    "appsrc name=src format=time "
    "caps=application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000 ! "
    "gremiumsframeunprotect name=unprotect ! rtpvp8depay name=depay ! vp8dec name=dec ! "
    "fakesink sync=false", &error);
  g_assert_no_error (error);
  r->src = gst_bin_get_by_name (GST_BIN (r->pipeline), "src");
  r->unprotect = gst_bin_get_by_name (GST_BIN (r->pipeline), "unprotect");
  g_object_set (r->unprotect, "receiver", receiver, NULL);

  depay = gst_bin_get_by_name (GST_BIN (r->pipeline), "depay");
  depay_sink = gst_element_get_static_pad (depay, "sink");
  gst_pad_add_probe (depay_sink, GST_PAD_PROBE_TYPE_BUFFER, count_probe, &r->at_depayloader, NULL);
  dec = gst_bin_get_by_name (GST_BIN (r->pipeline), "dec");
  dec_src = gst_element_get_static_pad (dec, "src");
  gst_pad_add_probe (dec_src, GST_PAD_PROBE_TYPE_BUFFER, count_probe, &r->decoded, NULL);

  gst_element_set_state (r->pipeline, GST_STATE_PLAYING);
}

static void
receiver_push (Receiver  *r,
               GstBuffer *buffer)
{
  g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (r->src), gst_buffer_ref (buffer)), ==,
                   GST_FLOW_OK);
}

static void
receiver_push_bytes (Receiver     *r,
                     const guint8 *data,
                     gsize         len)
{
  g_autoptr(GstBuffer) buffer = gst_buffer_new_memdup (data, len);

  receiver_push (r, buffer);
}

static void
receiver_finish (Receiver *r)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (r->pipeline);
  g_autoptr(GstMessage) message = NULL;

  gst_app_src_end_of_stream (GST_APP_SRC (r->src));
  message = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gst_message_parse_error (message, &error, NULL);
      g_error ("The receiving pipeline failed: %s", error->message);
    }
  gst_element_set_state (r->pipeline, GST_STATE_NULL);
}

static void
receiver_clear (Receiver *r)
{
  gst_clear_object (&r->src);
  gst_clear_object (&r->unprotect);
  gst_clear_object (&r->pipeline);
}

static GstBuffer *
modified_copy (GstBuffer *buffer,
               gssize     offset,
               guint8     xor_mask,
               gsize      new_size)
{
  GstBuffer *copy = gst_buffer_copy_deep (buffer);
  GstMapInfo map;

  gst_buffer_map (copy, &map, GST_MAP_WRITE);
  if (offset < 0)
    offset = map.size + offset;
  if (xor_mask != 0)
    map.data[offset] ^= xor_mask;
  gst_buffer_unmap (copy, &map);
  if (new_size > 0)
    gst_buffer_set_size (copy, new_size);

  return copy;
}

static void
test_bad_input (void)
{
  g_autoptr(GremiumSFrameSender) sender = gremium_sframe_sender_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
  g_autoptr(GremiumSFrameSender) stranger = gremium_sframe_sender_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
  g_autoptr(GremiumSFrameSender) audio_sender = gremium_sframe_sender_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
  g_autoptr(GremiumSFrameReceiver) receiver = gremium_sframe_receiver_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
  g_autoptr(GPtrArray) good = NULL;
  g_autoptr(GPtrArray) clear = NULL;
  g_autoptr(GPtrArray) foreign = NULL;
  g_autoptr(GPtrArray) foreign_clear = NULL;
  g_autoptr(GPtrArray) other_stream = NULL;
  g_autoptr(GPtrArray) other_clear = NULL;
  g_autoptr(GError) error = NULL;
  GremiumSFrameUnprotectStats stats;
  Receiver baseline = { 0 }, attacked = { 0 };
  guint8 key[KEY_SIZE], stranger_key[KEY_SIZE];
  guint64 expected_invalid = 0, expected_truncated = 0, expected_auth = 0, expected_replayed = 0;
  guint64 expected_unknown = 0;

  random_key (key);
  random_key (stranger_key);
  gremium_sframe_sender_set_key (sender, 7, key, KEY_SIZE, &error);
  g_assert_no_error (error);
  /* The same KID's next epoch, which the receiver never got. */
  gremium_sframe_sender_set_key (stranger, 8, stranger_key, KEY_SIZE, &error);
  g_assert_no_error (error);
  gremium_sframe_sender_set_key (audio_sender, 7, key, KEY_SIZE, &error);
  g_assert_no_error (error);
  gremium_sframe_receiver_add_key (receiver, 7, key, KEY_SIZE, &error);
  g_assert_no_error (error);

  good = make_protected_packets (sender, GREMIUM_MEDIA_STREAM_CAMERA, 40, &clear);
  foreign = make_protected_packets (stranger, GREMIUM_MEDIA_STREAM_CAMERA, 10, &foreign_clear);
  other_stream = make_protected_packets (audio_sender, GREMIUM_MEDIA_STREAM_SCREEN, 5, &other_clear);
  g_assert_cmpuint (good->len, >, 40);
  g_assert_cmpuint (good->len, ==, clear->len);

  /* What the genuine stream decodes to on its own. */
  {
    g_autoptr(GremiumSFrameReceiver) fresh = gremium_sframe_receiver_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);

    gremium_sframe_receiver_add_key (fresh, 7, key, KEY_SIZE, &error);
    g_assert_no_error (error);
    receiver_start (&baseline, fresh);
    for (guint i = 0; i < good->len; i++)
      receiver_push (&baseline, g_ptr_array_index (good, i));
    receiver_finish (&baseline);
    g_assert_cmpuint (baseline.decoded, ==, 40);
    receiver_clear (&baseline);
  }

  /* The same stream with every kind of bad packet mixed in. */
  receiver_start (&attacked, receiver);
  for (guint i = 0; i < good->len; i++)
    {
      GstBuffer *packet = g_ptr_array_index (good, i);
      gsize size = gst_buffer_get_size (packet);
      GstBuffer *bad;

      /* The right key and KID, but protected for another stream (the
       * screen): the stream byte in the metadata fails the tag. Sent before
       * the genuine packet of the same CTR, which would make it a replay.
       */
      if (i < other_stream->len)
        {
          receiver_push (&attacked, g_ptr_array_index (other_stream, i));
          expected_auth++;
        }

      /* Forged: a flipped bit in the ciphertext, in the tag, in the clear
       * VP8 descriptor, and the RTP marker bit.
       */
      if (i % 5 == 0)
        {
          bad = modified_copy (packet, -17, 0x01, 0);          /* last ciphertext byte */
          receiver_push (&attacked, bad);
          gst_buffer_unref (bad);
          bad = modified_copy (packet, -1, 0x80, 0);           /* tag */
          receiver_push (&attacked, bad);
          gst_buffer_unref (bad);
          bad = modified_copy (packet, 12, 0x10, 0);           /* VP8 descriptor: S bit */
          receiver_push (&attacked, bad);
          gst_buffer_unref (bad);
          bad = modified_copy (packet, 1, 0x80, 0);            /* RTP marker */
          receiver_push (&attacked, bad);
          gst_buffer_unref (bad);
          expected_auth += 4;
        }

      /* Truncated: inside the tag, inside the SFrame header, the RTP header
       * alone, and a few bytes that are not RTP at all.
       */
      if (i % 7 == 0)
        {
          /* Short by 5: the tag fails, or the rest is shorter than a tag. */
          bad = modified_copy (packet, 0, 0, size - 5);
          receiver_push (&attacked, bad);
          gst_buffer_unref (bad);
          bad = modified_copy (packet, 0, 0, 12 + 4 + 2);
          receiver_push (&attacked, bad);
          gst_buffer_unref (bad);
          expected_truncated++;
          bad = modified_copy (packet, 0, 0, 12);
          receiver_push (&attacked, bad);
          gst_buffer_unref (bad);
          expected_invalid++;
          receiver_push_bytes (&attacked, (const guint8 *) "\x80\x60\x00", 3);
          expected_invalid++;
        }

      receiver_push (&attacked, packet);

      /* Replayed: the previous packet again, and now and then an old one. */
      if (i > 0 && i % 3 == 0)
        {
          receiver_push (&attacked, g_ptr_array_index (good, i - 1));
          expected_replayed++;
        }

      /* Wrong epoch / unknown KID, and the right key on another stream. */
      if (i < foreign->len)
        {
          receiver_push (&attacked, g_ptr_array_index (foreign, i));
          expected_unknown++;
        }
    }
  receiver_finish (&attacked);

  gremium_sframe_unprotect_get_stats (GREMIUM_SFRAME_UNPROTECT (attacked.unprotect), &stats);
  g_test_message ("accepted %" G_GUINT64_FORMAT " invalid %" G_GUINT64_FORMAT " truncated %"
                  G_GUINT64_FORMAT " auth %" G_GUINT64_FORMAT " replayed %" G_GUINT64_FORMAT
                  " unknown %" G_GUINT64_FORMAT, stats.accepted, stats.invalid, stats.truncated,
                  stats.auth_failed, stats.replayed, stats.unknown_kid);

  /* Exactly the genuine packets passed, once each … */
  g_assert_cmpuint (stats.accepted, ==, good->len);
  g_assert_cmpuint (attacked.at_depayloader, ==, good->len);
  /* … and the decoder saw just the genuine frames. */
  g_assert_cmpuint (attacked.decoded, ==, 40);

  /* Every bad packet was dropped and counted by its reason. */
  g_assert_cmpuint (stats.replayed, ==, expected_replayed);
  g_assert_cmpuint (stats.unknown_kid, ==, expected_unknown);
  g_assert_cmpuint (stats.invalid, ==, expected_invalid);
  g_assert_cmpuint (stats.truncated, >=, expected_truncated);
  g_assert_cmpuint (stats.auth_failed, >=, expected_auth);
  g_assert_cmpuint (stats.malformed + stats.too_old + stats.no_receiver, ==, 0);
  {
    guint n_forged = (good->len + 4) / 5;
    guint n_cut = (good->len + 6) / 7;
    guint64 total_bad = n_forged * 4 + n_cut * 4 + expected_replayed + expected_unknown +
                        other_stream->len;

    g_assert_cmpuint (gremium_sframe_unprotect_get_dropped (GREMIUM_SFRAME_UNPROTECT (attacked.unprotect)),
                      ==, total_bad);
  }

  /* The clear payloads of what went out never show in the protected
   * packets.
   */
  for (guint i = 0; i < good->len; i++)
    {
      GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
      GstMapInfo map;
      const guint8 *payload;
      gsize len;

      g_assert_true (gst_rtp_buffer_map (g_ptr_array_index (clear, i), GST_MAP_READ, &rtp));
      payload = gst_rtp_buffer_get_payload (&rtp);
      len = gst_rtp_buffer_get_payload_len (&rtp);
      gst_buffer_map (g_ptr_array_index (good, i), &map, GST_MAP_READ);
      for (gsize o = 6; o + 12 <= len; o += 12)
        g_assert_false (contains (map.data, map.size, payload + o, 12));
      gst_buffer_unmap (g_ptr_array_index (good, i), &map);
      gst_rtp_buffer_unmap (&rtp);
    }

  receiver_clear (&attacked);
}

/* A receiver without a receiver object, and a sender without a key, drop
 * everything; nothing is ever passed on in clear.
 */
static void
test_no_context (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) protect = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  GremiumSFrameProtectStats stats;
  g_autoptr(GremiumSFrameSender) keyless = gremium_sframe_sender_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
  guint64 received = 0;
  g_autoptr(GstPad) pad = NULL;

  pipeline = gst_parse_launch ("audiotestsrc num-buffers=50 ! opusenc ! rtpopuspay ! "
                               "gremiumsframeprotect name=protect stream=audio ! fakesink name=sink",
                               &error);
  g_assert_no_error (error);
  protect = gst_bin_get_by_name (GST_BIN (pipeline), "protect");
  g_object_set (protect, "sender", keyless, NULL);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_probe, &received, NULL);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  gremium_sframe_protect_get_stats (GREMIUM_SFRAME_PROTECT (protect), &stats);
  g_assert_cmpuint (received, ==, 0);
  g_assert_cmpuint (stats.protected, ==, 0);
  g_assert_cmpuint (stats.no_key, >=, 50);
}

static void
test_descriptor (void)
{
  /* RFC 7741 §4.2: the descriptor's length from its flags. */
  static const struct { guint8 bytes[8]; gsize len; gsize expected; } cases[] = {
    { { 0x10, 0xaa }, 2, 1 },                           /* S, no extension */
    { { 0x90, 0x80, 0x05, 0xaa }, 4, 3 },               /* I, 7-bit PictureID */
    { { 0x90, 0x80, 0x85, 0x01, 0xaa }, 5, 4 },         /* I, 15-bit PictureID */
    { { 0x90, 0xe0, 0x85, 0x01, 0x07, 0x40, 0xaa }, 7, 6 }, /* I, L, T */
    { { 0x90, 0x10, 0x40, 0xaa }, 4, 3 },               /* K only */
    { { 0x90, 0x80, 0x85 }, 3, 0 },                     /* PictureID cut off */
    { { 0x90 }, 1, 0 },                                 /* extension byte missing */
    { { 0x10 }, 1, 0 },                                 /* no frame data */
    { { 0 }, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpuint (_gremium_vp8_descriptor_size (cases[i].bytes, cases[i].len), ==,
                      cases[i].expected);
}

/* --- With the real media key agent --------------------------------------- */

#define GRACE_MS 300

static void
setup_agents (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->n = 3;
  f->ts = gremium_test_server_new ();
  gremium_test_server_add_member (f->ts, "chair", "Clara Vorsitz", GREMIUM_ROLE_CHAIR);
  gremium_test_server_add_member (f->ts, "m01", "Mitglied 1", GREMIUM_ROLE_MEMBER);
  gremium_test_server_add_member (f->ts, "m02", "Mitglied 2", GREMIUM_ROLE_MEMBER);
  f->meeting_id = gremium_test_server_create_meeting (f->ts, 1, 0);

  for (guint i = 0; i < f->n; i++)
    {
      Participant *p = &f->p[i];
      GremiumMediaKeyring *keyring;
      GremiumCallTaps taps = {
        .protect_tap = protect_tap,
        .video_tap = video_tap,
        .audio_tap = audio_tap,
        .user_data = p,
      };

      p->f = f;
      p->index = i;
      g_mutex_init (&p->lock);
      p->captured = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      p->client = gremium_test_client_enrol (f->ts, member_ids[i], &error);
      g_assert_no_error (error);
      gremium_test_client_join (p->client, f->meeting_id, &error);
      g_assert_no_error (error);

      /* The agent first, then attendance, as the application does. */
      p->agent = gremium_media_key_agent_new (p->client, f->meeting_id);
      gremium_media_key_agent_set_grace_period (p->agent, GRACE_MS);
      gremium_media_key_agent_set_rotation_interval (p->agent, 0);
      gremium_test_client_submit (p->client, f->meeting_id, GREMIUM_KIND_ATTENDANCE_JOIN, NULL,
                                  &error);
      g_assert_no_error (error);
      if (i == 0)
        gremium_test_client_submit (p->client, f->meeting_id, GREMIUM_KIND_MEETING_OPEN, NULL,
                                    &error);
      else
        gremium_test_submit (f->p[0].client, f->meeting_id, GREMIUM_KIND_LOBBY_ADMIT,
                             gremium_test_data ("member", member_ids[i], NULL), &error);
      g_assert_no_error (error);

      p->source = g_object_new (GREMIUM_TYPE_MEDIA_SOURCE,
                                "video-source", GREMIUM_MEDIA_SOURCE_TEST,
                                "audio-source", GREMIUM_MEDIA_SOURCE_TEST,
                                "test-pattern", "solid-color",
                                "test-color", colors[i],
                                "test-frequency", tones[i],
                                "width", 320,
                                "height", 180,
                                "framerate", 15,
                                NULL);
      p->call = gremium_call_new (p->client, f->meeting_id, p->source);
      _gremium_call_set_taps (p->call, &taps);
      gremium_call_set_audio_sink (p->call, "fakesink sync=false");

      keyring = gremium_media_key_agent_get_keyring (p->agent);
      p->sender = gremium_sframe_sender_ref (gremium_media_keyring_get_sender (keyring));
      p->receiver = gremium_sframe_receiver_ref (gremium_media_keyring_get_receiver (keyring));
      gremium_call_set_sender (p->call, p->sender);
      gremium_call_set_receiver (p->call, p->receiver);
    }

  /* Each connection gets the receiver with only that member's keys. */
  for (guint i = 0; i < f->n; i++)
    for (guint j = 0; j < f->n; j++)
      if (i != j)
        gremium_call_set_member_receiver (
          f->p[i].call, member_ids[j],
          gremium_media_keyring_get_member_receiver (gremium_media_key_agent_get_keyring (f->p[i].agent),
                                                     member_ids[j]));
}

typedef struct
{
  GremiumMediaKeyring *keyring;
  guint64              past;
} EpochWait;

static gboolean
epoch_passed (gpointer data)
{
  EpochWait *wait = data;
  guint64 epoch;

  return gremium_media_keyring_get_epoch (wait->keyring, &epoch) && epoch > wait->past;
}

/* Media keys from the real agent: sealed, signed and relayed through the
 * server; everyone decodes everyone; after a leave the agent rotates and
 * the departed participant's keyring does not open what is sent next.
 */
static void
test_key_agent (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GremiumMediaKeyring *chair_keys = gremium_media_key_agent_get_keyring (f->p[0].agent);
  GremiumMediaKeyring *leaver_keys = gremium_media_key_agent_get_keyring (f->p[2].agent);
  GremiumSFrameReceiver *leaver_view_of_chair;
  g_autoptr(GPtrArray) after = NULL;
  EpochWait wait = { chair_keys, 0 };

  start_calls (f);
  wait_media (f, 20, 48000);
  for (guint i = 0; i < f->n; i++)
    for (guint j = 0; j < f->n; j++)
      if (i != j)
        assert_color (remote_of (&f->p[i], j).rgba, colors[j]);
  for (guint i = 0; i < f->n; i++)
    {
      g_mutex_lock (&f->p[i].lock);
      g_assert_cmpuint (f->p[i].leaks, ==, 0);
      g_mutex_unlock (&f->p[i].lock);
    }

  /* m02 leaves; after the grace period the chair sends under a new key. */
  g_assert_true (gremium_media_keyring_get_epoch (chair_keys, &wait.past));
  leaver_view_of_chair = gremium_sframe_receiver_ref (
    gremium_media_keyring_get_member_receiver (leaver_keys, "chair"));
  gremium_test_submit (f->p[2].client, f->meeting_id, GREMIUM_KIND_ATTENDANCE_LEAVE,
                       gremium_test_data ("member", "m02", "reason", "left", NULL), &error);
  g_assert_no_error (error);
  if (!gremium_test_wait_until (epoch_passed, &wait, 15000))
    g_error ("The chair did not rotate its key after m02 left");

  /* The picture goes on for m01 across the rotation. */
  wait_frames (&f->p[1], 0, 15);

  g_mutex_lock (&f->p[0].lock);
  g_ptr_array_set_size (f->p[0].captured, 0);
  f->p[0].capture = TRUE;
  g_mutex_unlock (&f->p[0].lock);
  wait_frames (&f->p[1], 0, 10);
  g_mutex_lock (&f->p[0].lock);
  f->p[0].capture = FALSE;
  after = g_ptr_array_ref (f->p[0].captured);
  g_mutex_unlock (&f->p[0].lock);
  g_assert_cmpuint (after->len, >, 0);

  for (guint i = 0; i < after->len; i++)
    {
      gsize len;
      const guint8 *packet = g_bytes_get_data (g_ptr_array_index (after, i), &len);
      g_autoptr(GstBuffer) buffer = gst_buffer_new_memdup (packet, len);
      g_autofree guint8 *out = g_malloc (len);
      GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
      guint8 metadata[GREMIUM_SFRAME_RTP_MAX_METADATA];
      const guint8 *payload;
      gsize payload_len, descriptor_len, metadata_len, out_len;
      guint64 kid;

      g_assert_true (gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp));
      payload = gst_rtp_buffer_get_payload (&rtp);
      payload_len = gst_rtp_buffer_get_payload_len (&rtp);
      descriptor_len = _gremium_vp8_descriptor_size (payload, payload_len);
      metadata_len = _gremium_sframe_rtp_metadata (GREMIUM_MEDIA_STREAM_CAMERA,
                                                   gst_rtp_buffer_get_marker (&rtp), payload,
                                                   descriptor_len, metadata);
      g_assert_cmpint (gremium_sframe_receiver_unprotect (leaver_view_of_chair, metadata,
                                                          metadata_len, payload + descriptor_len,
                                                          payload_len - descriptor_len, out, len,
                                                          &out_len, &kid),
                       ==, GREMIUM_SFRAME_UNKNOWN_KID);
      gst_rtp_buffer_unmap (&rtp);
    }
  gremium_sframe_receiver_unref (leaver_view_of_chair);

  g_assert_null (gremium_call_lookup_peer (f->p[0].call, "m02"));
  g_assert_nonnull (gremium_call_lookup_peer (f->p[0].call, "m01"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  /* Headless: test sources, no sound card. */
  g_setenv ("GREMIUM_VIDEO_SOURCE", "test", TRUE);
  g_setenv ("GREMIUM_AUDIO_SOURCE", "test", TRUE);
  g_setenv ("GREMIUM_AUDIO_SINK", "fakesink sync=false", TRUE);

  if (sodium_init () < 0 || !gremium_media_init (&error))
    g_error ("Cannot initialize: %s", error ? error->message : "libsodium");

  g_test_add_func ("/Gremium/Media/vp8-descriptor", test_descriptor);
  g_test_add_func ("/Gremium/Media/no-context", test_no_context);
  g_test_add_func ("/Gremium/Media/bad-input", test_bad_input);
  g_test_add ("/Gremium/Media/two-way", Fixture, GUINT_TO_POINTER (2), setup, test_two_way,
              teardown);
  g_test_add ("/Gremium/Media/three-way-leave", Fixture, GUINT_TO_POINTER (3), setup,
              test_three_way, teardown);
  g_test_add ("/Gremium/Media/rotation", Fixture, GUINT_TO_POINTER (2), setup, test_rotation,
              teardown);
  g_test_add ("/Gremium/Media/no-key", Fixture, GUINT_TO_POINTER (2), setup, test_no_key,
              teardown);
  g_test_add ("/Gremium/Media/late-joiner", Fixture, GUINT_TO_POINTER (3), setup,
              test_late_joiner, teardown);
  g_test_add ("/Gremium/Media/switches", Fixture, GUINT_TO_POINTER (2), setup, test_switches,
              teardown);
  g_test_add ("/Gremium/Media/key-agent", Fixture, NULL, setup_agents, test_key_agent, teardown);

  return g_test_run ();
}
