/* bench-media.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The media figures of DESIGN §11 and issue 4, on loopback:
 *
 * 1. CPU of a three-way mesh call with SFrame against the same call without
 *    it (target: at most 5 % more). Three participants run in this process,
 *    each with a 640×360 30 fps moving test picture and a tone, every one
 *    connected to the other two through a real gremium-server (in process)
 *    and real webrtcbin connections. The process CPU time (user + system,
 *    getrusage) is measured over a window after the calls have settled. The
 *    two kinds alternate in rounds so that a busy moment of the machine
 *    hits both alike.
 *
 * 2. Glass-to-glass delay of video and audio (targets: under 100 ms video,
 *    under 60 ms audio). The sender's test picture switches between black
 *    and white, and its tone between silence and sound, every 700 ms. A
 *    probe right behind the capture elements notes when the first frame (or
 *    audio buffer) of each switch leaves capture; a tap behind the
 *    receiver's decoder (after colour conversion, where the application
 *    gets the frame) notes when the first frame (or buffer) of the switch
 *    arrives. The difference covers capture buffering, encoding,
 *    packetization, SFrame, SRTP, the network stack, the jitter buffer,
 *    SFrame again, depacketization and decoding. It leaves out what lies
 *    outside any program: the camera's exposure and the screen's refresh
 *    (or the sound card's buffer), typically 20–50 ms more.
 *
 *   bench-media [--seconds N] [--rounds N] [--latency MS] [--audio-latency MS] [--delay-only]
 */

#include "config.h"

#include "bench-util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <gst/audio/audio.h>
#include <gst/video/video.h>

#include "gremium-call.h"
#include "gremium-call-private.h"
#include "gremium-media.h"
#include "gremium-media-source.h"
#include "gremium-server.h"
#include "gremium-server-database.h"
#include "gremium-server-meeting.h"
#include "gremium-auth.h"

#define N 3
#define KEY_SIZE 32
#define TOGGLE_MS 700
#define MAX_EVENTS 256

static const char * const member_ids[N] = { "chair", "m01", "m02" };

static int seconds = 20;
static int rounds = 2;
static int latency = 50;
static int audio_latency = 20;  /* the call's default */
static gboolean delay_only = FALSE;

typedef struct
{
  GremiumServer         *server;
  GremiumServerDatabase *db;
  GremiumServerConfig   *config;
  GremiumIdentity       *identity;
  char                  *dir;
  char                  *url;
  char                  *meeting_id;
  GHashTable            *codes;
  GremiumClient         *clients[N];
} Setup;

static void
submit (GremiumClient *client,
        const char    *meeting_id,
        const char    *kind,
        JsonObject    *data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gremium_client_submit_async (client, meeting_id, kind, data, NULL, bench_result_cb, &result);
  if (!gremium_client_submit_finish (client, bench_wait_result (&result), NULL, &error))
    g_error ("%s: %s", kind, error->message);
}

/* --- an in-process server with a meeting of three ---------------------- */

static void
setup_server (Setup *s)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  GremiumServerAgendaItemSpec item = { .title = "Bericht", .is_public = TRUE };

  s->dir = g_dir_make_tmp ("gremium-bench-media-XXXXXX", &error);
  g_assert_no_error (error);
  s->config = gremium_server_config_new_default ();
  g_free (s->config->data_dir);
  s->config->data_dir = g_strdup (s->dir);
  s->config->port = 0;
  db_path = gremium_server_config_dup_database_path (s->config);
  s->db = gremium_server_database_open (db_path, &error);
  g_assert_no_error (error);
  s->identity = gremium_identity_new ();
  s->server = gremium_server_new (s->config, s->db, s->identity);
  gremium_server_listen (s->server, &error);
  g_assert_no_error (error);
  s->url = gremium_server_dup_url (s->server);

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *code = gremium_enrolment_code_generate ();

      gremium_server_database_add_member (s->db, member_ids[i], member_ids[i],
                                          i == 0 ? GREMIUM_ROLE_CHAIR : GREMIUM_ROLE_MEMBER,
                                          &error);
      g_assert_no_error (error);
      gremium_server_database_add_enrolment_code (s->db, member_ids[i], code,
                                                  g_get_real_time () + G_TIME_SPAN_HOUR, &error);
      g_assert_no_error (error);

      {
        g_autoptr(GremiumIdentity) identity = gremium_identity_new ();
        g_autoptr(GAsyncResult) result = NULL;

        s->clients[i] = gremium_client_new (s->url, identity, member_ids[i]);
        gremium_client_enrol_async (s->clients[i], code, NULL, bench_result_cb, &result);
        if (!gremium_client_enrol_finish (s->clients[i], bench_wait_result (&result), &error))
          g_error ("Enrolment: %s", error->message);
      }
    }

  s->meeting_id = gremium_server_meeting_create (s->db, s->identity, s->config->name,
                                                 "Benchmark", "Gemeinderat", "Loopback",
                                                 g_get_real_time (), GREMIUM_QUORUM_BASE_MEMBERS,
                                                 &item, 1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GremiumMeeting) meeting = NULL;

      gremium_client_join_meeting_async (s->clients[i], s->meeting_id, NULL, bench_result_cb, &result);
      meeting = gremium_client_join_meeting_finish (s->clients[i], bench_wait_result (&result), &error);
      g_assert_no_error (error);
      submit (s->clients[i], s->meeting_id, GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
      if (i == 0)
        {
          submit (s->clients[0], s->meeting_id, GREMIUM_KIND_MEETING_OPEN, NULL);
        }
      else
        {
          JsonObject *data = json_object_new ();

          json_object_set_string_member (data, "member", member_ids[i]);
          submit (s->clients[0], s->meeting_id, GREMIUM_KIND_LOBBY_ADMIT, data);
        }
    }
  bench_iterate (200);
}

/* --- one call of three -------------------------------------------------- */

typedef struct
{
  GremiumCall           *calls[N];
  GremiumMediaSource    *sources[N];
  GremiumSFrameSender   *senders[N];
  GremiumSFrameReceiver *receivers[N];
  gint                   frames;          /* decoded video frames, all pairs */

  /* Glass-to-glass: event times in µs (monotonic). */
  GMutex                 lock;
  gboolean               capture_white;
  gboolean               capture_sound;
  gboolean               seen_white;
  gboolean               seen_sound;
  gint64                 video_sent[MAX_EVENTS];
  gint64                 video_seen[MAX_EVENTS];
  guint                  n_video_sent;
  guint                  n_video_seen;
  gint64                 audio_sent[MAX_EVENTS];
  gint64                 audio_seen[MAX_EVENTS];
  guint                  n_audio_sent;
  guint                  n_audio_seen;
  gboolean               played_sound;
  gint64                 audio_played[MAX_EVENTS];
  guint                  n_audio_played;
} Call;

static gboolean
bright_i420 (GstBuffer *buffer,
             GstCaps   *caps)
{
  GstVideoInfo info;
  GstMapInfo map;
  gboolean bright;

  if (!gst_video_info_from_caps (&info, caps) || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return FALSE;
  /* The luma of the centre pixel. */
  bright = map.data[GST_VIDEO_INFO_PLANE_OFFSET (&info, 0) +
                    GST_VIDEO_INFO_HEIGHT (&info) / 2 * GST_VIDEO_INFO_PLANE_STRIDE (&info, 0) +
                    GST_VIDEO_INFO_WIDTH (&info) / 2] > 128;
  gst_buffer_unmap (buffer, &map);

  return bright;
}

static gboolean
loud (GstBuffer *buffer,
      GstCaps   *caps)
{
  GstAudioInfo info;
  GstMapInfo map;
  gboolean result = FALSE;

  if (!gst_audio_info_from_caps (&info, caps) || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return FALSE;
  if (GST_AUDIO_INFO_FORMAT (&info) == GST_AUDIO_FORMAT_S16LE)
    {
      const gint16 *s = (const gint16 *) map.data;

      for (gsize i = 0; i < map.size / 2; i++)
        if (ABS (s[i]) > 4000)
          result = TRUE;
    }
  else if (GST_AUDIO_INFO_FORMAT (&info) == GST_AUDIO_FORMAT_F32LE)
    {
      const float *s = (const float *) map.data;

      for (gsize i = 0; i < map.size / 4; i++)
        if (ABS (s[i]) > 0.12f)
          result = TRUE;
    }
  gst_buffer_unmap (buffer, &map);

  return result;
}

static GstPadProbeReturn
capture_video_probe (GstPad          *pad,
                     GstPadProbeInfo *info,
                     gpointer         user_data)
{
  Call *call = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  gboolean white = caps != NULL && bright_i420 (GST_PAD_PROBE_INFO_BUFFER (info), caps);

  g_mutex_lock (&call->lock);
  if (white != call->capture_white && call->n_video_sent < MAX_EVENTS)
    call->video_sent[call->n_video_sent++] = g_get_monotonic_time ();
  call->capture_white = white;
  g_mutex_unlock (&call->lock);

  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
capture_audio_probe (GstPad          *pad,
                     GstPadProbeInfo *info,
                     gpointer         user_data)
{
  Call *call = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  gboolean sound = caps != NULL && loud (GST_PAD_PROBE_INFO_BUFFER (info), caps);

  g_mutex_lock (&call->lock);
  if (sound != call->capture_sound && call->n_audio_sent < MAX_EVENTS)
    call->audio_sent[call->n_audio_sent++] = g_get_monotonic_time ();
  call->capture_sound = sound;
  g_mutex_unlock (&call->lock);

  return GST_PAD_PROBE_OK;
}

/* Only m01's view of the chair counts for the delay; every decoded frame
 * counts for "is the call running".
 */
static void
video_tap (GremiumCallPeer *peer,
           GstBuffer       *buffer,
           GstCaps         *caps,
           gpointer         user_data)
{
  Call *call = user_data;
  GstVideoInfo info;
  GstMapInfo map;
  gboolean white;

  g_atomic_int_inc (&call->frames);
  if (!g_str_equal (gremium_call_peer_get_member_id (peer), "chair") ||
      !gst_video_info_from_caps (&info, caps) || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return;
  white = map.data[GST_VIDEO_INFO_HEIGHT (&info) / 2 * GST_VIDEO_INFO_PLANE_STRIDE (&info, 0) +
                   GST_VIDEO_INFO_WIDTH (&info) / 2 * 4] > 128;
  gst_buffer_unmap (buffer, &map);

  g_mutex_lock (&call->lock);
  if (white != call->seen_white && call->n_video_seen < MAX_EVENTS)
    call->video_seen[call->n_video_seen++] = g_get_monotonic_time ();
  call->seen_white = white;
  g_mutex_unlock (&call->lock);
}

static void
audio_tap (GremiumCallPeer *peer,
           GstBuffer       *buffer,
           GstCaps         *caps,
           gpointer         user_data)
{
  Call *call = user_data;
  gboolean sound;

  if (!g_str_equal (gremium_call_peer_get_member_id (peer), "chair"))
    return;
  sound = loud (buffer, caps);

  g_mutex_lock (&call->lock);
  if (sound != call->seen_sound && call->n_audio_seen < MAX_EVENTS)
    call->audio_seen[call->n_audio_seen++] = g_get_monotonic_time ();
  call->seen_sound = sound;
  g_mutex_unlock (&call->lock);
}

/* The audio sink plays a buffer at its time plus the pipeline's latency
 * (the jitter buffer's, mostly); "handoff" comes at that moment.
 */
static void
handoff_cb (GstElement *sink,
            GstBuffer  *buffer,
            GstPad     *pad,
            gpointer    user_data)
{
  Call *call = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  gboolean sound = caps != NULL && loud (buffer, caps);

  g_mutex_lock (&call->lock);
  if (sound != call->played_sound && call->n_audio_played < MAX_EVENTS)
    call->audio_played[call->n_audio_played++] = g_get_monotonic_time ();
  call->played_sound = sound;
  g_mutex_unlock (&call->lock);
}

static void
call_start (Setup    *s,
            Call     *call,
            gboolean  encrypted,
            gboolean  flashing)
{
  guint8 keys[N][KEY_SIZE];

  memset (call, 0, sizeof *call);
  g_mutex_init (&call->lock);

  for (guint i = 0; i < N; i++)
    {
      g_autoptr(GError) error = NULL;

      randombytes_buf (keys[i], KEY_SIZE);
      call->senders[i] = gremium_sframe_sender_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
      call->receivers[i] = gremium_sframe_receiver_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
      gremium_sframe_sender_set_key (call->senders[i], i + 1, keys[i], KEY_SIZE, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < N; i++)
    for (guint j = 0; j < N; j++)
      if (i != j)
        gremium_sframe_receiver_add_key (call->receivers[i], j + 1, keys[j], KEY_SIZE, NULL);

  for (guint i = 0; i < N; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean flash = flashing && i == 0;
      GremiumCallTaps taps = {
        .video_tap = video_tap,
        .audio_tap = audio_tap,
        .user_data = call,
      };

      call->sources[i] = g_object_new (GREMIUM_TYPE_MEDIA_SOURCE,
                                       "video-source", GREMIUM_MEDIA_SOURCE_TEST,
                                       "audio-source", GREMIUM_MEDIA_SOURCE_TEST,
                                       "test-pattern", flash ? "solid-color" : "ball",
                                       "test-color", flash ? 0xff000000 : 0xffffffff,
                                       "test-frequency", 440.0 + 110 * i,
                                       NULL);
      call->calls[i] = g_object_new (GREMIUM_TYPE_CALL,
                                     "client", s->clients[i],
                                     "meeting-id", s->meeting_id,
                                     "source", call->sources[i],
                                     "encrypted", encrypted,
                                     "audio-sink", flashing ? "fakesink sync=true signal-handoffs=true"
                                                            : "fakesink sync=false",
                                     "latency", (guint) latency,
                                     "audio-latency", (guint) audio_latency,
                                     NULL);
      _gremium_call_set_taps (call->calls[i], &taps);
      gremium_call_set_sender (call->calls[i], call->senders[i]);
      gremium_call_set_receiver (call->calls[i], call->receivers[i]);
      if (flash)
        gremium_media_source_set_muted (call->sources[i], TRUE);
      if (!gremium_call_start (call->calls[i], &error))
        g_error ("Cannot start the call: %s", error->message);

      if (flash)
        {
          GstElement *pipeline = _gremium_call_get_pipeline (call->calls[i]);
          g_autoptr(GstElement) bin = gst_bin_get_by_name (GST_BIN (pipeline), "source");
          g_autoptr(GstPad) video = gst_element_get_static_pad (bin, "video");
          g_autoptr(GstPad) audio = gst_element_get_static_pad (bin, "audio");

          gst_pad_add_probe (video, GST_PAD_PROBE_TYPE_BUFFER, capture_video_probe, call, NULL);
          gst_pad_add_probe (audio, GST_PAD_PROBE_TYPE_BUFFER, capture_audio_probe, call, NULL);
        }
    }

  /* Until every participant shows every other one's picture. */
  for (guint k = 0; k < 300; k++)
    {
      guint connected = 0;

      for (guint i = 0; i < N; i++)
        {
          GListModel *peers = gremium_call_get_peers (call->calls[i]);

          for (guint p = 0; p < g_list_model_get_n_items (peers); p++)
            {
              g_autoptr(GremiumCallPeer) peer = g_list_model_get_item (peers, p);
              GremiumCallPeerStats stats;

              gremium_call_peer_get_stats (peer, &stats);
              connected += stats.video_frames > 10 && stats.audio_buffers > 10;
            }
        }
      if (connected == N * (N - 1))
        return;
      bench_iterate (100);
    }
  g_error ("The three-way call did not come up");
}

static void
call_stop (Call *call)
{
  for (guint i = 0; i < N; i++)
    {
      gremium_call_stop (call->calls[i]);
      g_clear_object (&call->calls[i]);
      g_clear_object (&call->sources[i]);
      g_clear_pointer (&call->senders[i], gremium_sframe_sender_unref);
      g_clear_pointer (&call->receivers[i], gremium_sframe_receiver_unref);
    }
  bench_iterate (300);
  g_mutex_clear (&call->lock);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* CPU per wall-clock second, in percent of one core, over @secs. */
static double
measure_cpu (Setup    *s,
             gboolean  encrypted,
             guint64  *frames)
{
  Call call;
  double cpu0, cpu1;
  gint64 t0, t1;

  call_start (s, &call, encrypted, FALSE);
  bench_iterate (2000);     /* settle: key frames, bitrate, jitter buffers */

  g_atomic_int_set (&call.frames, 0);
  cpu0 = cpu_seconds ();
  t0 = g_get_monotonic_time ();
  bench_iterate (seconds * 1000);
  cpu1 = cpu_seconds ();
  t1 = g_get_monotonic_time ();
  *frames = g_atomic_int_get (&call.frames);

  call_stop (&call);

  return 100.0 * (cpu1 - cpu0) / ((t1 - t0) / 1e6);
}

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Pairs each switch seen at the receiver with the latest switch sent
 * before it and prints median and maximum.
 */
static void
report_delay (const char   *what,
              const gint64 *sent,
              guint         n_sent,
              const gint64 *seen,
              guint         n_seen,
              double       *median_ms)
{
  gint64 delays[MAX_EVENTS];
  guint n = 0;

  for (guint i = 0; i < n_seen; i++)
    {
      gint64 best = -1;

      for (guint j = 0; j < n_sent; j++)
        if (sent[j] <= seen[i])
          best = sent[j];
      if (best >= 0 && seen[i] - best < TOGGLE_MS * 1000 / 2)
        delays[n++] = seen[i] - best;
    }

  if (n == 0)
    {
      printf ("  %-6s no switch was seen at the receiver\n", what);
      *median_ms = -1;
      return;
    }

  qsort (delays, n, sizeof delays[0], compare_gint64);
  *median_ms = delays[n / 2] / 1000.0;
  printf ("  %-6s %3u switches: median %6.1f ms, min %6.1f ms, max %6.1f ms\n", what, n,
          *median_ms, delays[0] / 1000.0, delays[n - 1] / 1000.0);
}

typedef struct
{
  Call    *call;
  gboolean on;
} Flash;

static gboolean
flash_cb (gpointer data)
{
  Flash *flash = data;

  flash->on = !flash->on;
  gremium_media_source_set_test_color (flash->call->sources[0],
                                       flash->on ? 0xffffffff : 0xff000000);
  gremium_media_source_set_muted (flash->call->sources[0], !flash->on);

  return G_SOURCE_CONTINUE;
}

static void
measure_delay (Setup  *s,
               double *video_ms,
               double *audio_ms)
{
  Call call;
  Flash flash = { &call, FALSE };
  guint id;

  call_start (s, &call, TRUE, TRUE);

  /* m01's audio sink for the chair. */
  {
    GstElement *bin = _gremium_call_peer_get_bin (gremium_call_lookup_peer (call.calls[1], "chair"));
    g_autoptr(GstIterator) it = gst_bin_iterate_recurse (GST_BIN (bin));
    GValue item = G_VALUE_INIT;
    gboolean found = FALSE;

    while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
      {
        GstElement *element = g_value_get_object (&item);
        GstElementFactory *factory = gst_element_get_factory (element);

        if (factory != NULL && g_str_equal (GST_OBJECT_NAME (factory), "fakesink"))
          {
            g_signal_connect (element, "handoff", G_CALLBACK (handoff_cb), &call);
            found = TRUE;
          }
        g_value_reset (&item);
      }
    g_value_unset (&item);
    if (!found)
      g_error ("No audio sink found");
  }
  bench_iterate (1000);

  g_mutex_lock (&call.lock);
  call.n_video_sent = call.n_video_seen = call.n_audio_sent = call.n_audio_seen = 0;
  call.n_audio_played = 0;
  g_mutex_unlock (&call.lock);

  {
    GstQuery *query = gst_query_new_latency ();
    GstClockTime min = 0, max = 0;
    gboolean live = FALSE;

    if (gst_element_query (_gremium_call_get_pipeline (call.calls[1]), query))
      gst_query_parse_latency (query, &live, &min, &max);
    gst_query_unref (query);
    printf ("  (receiver pipeline latency: %s, %.1f ms)\n", live ? "live" : "not live",
            min / 1e6);
  }

  id = g_timeout_add (TOGGLE_MS, flash_cb, &flash);
  bench_iterate (MAX (seconds / 2, 10) * 1000);
  g_source_remove (id);

  g_mutex_lock (&call.lock);
  report_delay ("video", call.video_sent, call.n_video_sent, call.video_seen, call.n_video_seen,
                video_ms);
  report_delay ("audio", call.audio_sent, call.n_audio_sent, call.audio_seen, call.n_audio_seen,
                audio_ms);
  printf ("  and to the moment a synchronized audio sink plays it (jitter buffer included):\n");
  report_delay ("played", call.audio_sent, call.n_audio_sent, call.audio_played,
                call.n_audio_played, audio_ms);
  g_mutex_unlock (&call.lock);

  call_stop (&call);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  GOptionEntry entries[] = {
    { "seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "Measure each kind of call this long (20)", "N" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Alternate encrypted and clear this often (2)", "N" },
    { "latency", 'l', 0, G_OPTION_ARG_INT, &latency, "Video jitter buffer in ms (50)", "MS" },
    { "audio-latency", 'a', 0, G_OPTION_ARG_INT, &audio_latency, "Audio jitter buffer in ms (20)", "MS" },
    { "delay-only", 'd', 0, G_OPTION_ARG_NONE, &delay_only, "Measure only the delay", NULL },
    { NULL }
  };
  double cpu_e2ee = 0, cpu_clear = 0, video_ms, audio_ms;
  guint64 frames_e2ee = 0, frames_clear = 0;
  Setup s = { 0 };

  context = g_option_context_new ("— CPU and glass-to-glass delay of a mesh call");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (sodium_init () < 0 || !gremium_media_init (&error))
    g_error ("Cannot initialize: %s", error ? error->message : "libsodium");

  setup_server (&s);

  printf ("Three-way mesh call on loopback, 640x360 at 30 fps (VP8) and Opus 32 kbit/s per\n"
          "participant, all three participants in this process; %d s per measurement,\n"
          "%d round(s), jitter buffers %d ms (video) and %d ms (audio).\n\n", seconds, rounds,
          latency, audio_latency);

  for (int r = 0; r < rounds && !delay_only; r++)
    {
      guint64 frames;
      double cpu;

      cpu = measure_cpu (&s, TRUE, &frames);
      printf ("  round %d  with SFrame:    %6.1f %% of one core, %" G_GUINT64_FORMAT " frames decoded\n",
              r + 1, cpu, frames);
      cpu_e2ee += cpu;
      frames_e2ee += frames;
      cpu = measure_cpu (&s, FALSE, &frames);
      printf ("  round %d  without SFrame: %6.1f %% of one core, %" G_GUINT64_FORMAT " frames decoded\n",
              r + 1, cpu, frames);
      cpu_clear += cpu;
      frames_clear += frames;
    }
  cpu_e2ee /= rounds;
  cpu_clear /= rounds;

  if (!delay_only)
  {

  printf ("\nCPU, whole process (three participants):\n");
  printf ("  with SFrame      %6.1f %% of one core\n", cpu_e2ee);
  printf ("  without SFrame   %6.1f %% of one core\n", cpu_clear);
  printf ("  E2EE costs       %+6.1f %% (target: at most +5 %%)\n",
          100.0 * (cpu_e2ee - cpu_clear) / cpu_clear);
  /* The moving picture costs the encoder more or less from run to run; per
   * decoded frame evens that out.
   */
  printf ("  per decoded frame: %.3f ms with, %.3f ms without SFrame (%+.1f %%)\n",
          10.0 * cpu_e2ee * seconds * rounds / frames_e2ee,
          10.0 * cpu_clear * seconds * rounds / frames_clear,
          100.0 * (cpu_e2ee / frames_e2ee - cpu_clear / frames_clear) /
          (cpu_clear / frames_clear));
  }

  printf ("\nGlass-to-glass on loopback with SFrame, from leaving capture to the decoded\n"
          "frame reaching the application (video) and the decoded sound leaving the decoder:\n");
  measure_delay (&s, &video_ms, &audio_ms);
  printf ("  targets: video under 100 ms, audio under 60 ms\n");

  for (guint i = 0; i < N; i++)
    g_clear_object (&s.clients[i]);
  gremium_server_shutdown (s.server);
  bench_iterate (100);
  g_clear_object (&s.server);

  return 0;
}
