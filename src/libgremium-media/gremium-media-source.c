/* gremium-media-source.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gremium-media-source.h"
#include "gremium-media-source-private.h"
#include "gremium-media-private.h"

#include "gremium-error.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include <math.h>

/* The local camera and microphone, or test sources in their place, as one
 * bin with two pads: "video" (I420 at the configured size and rate) and
 * "audio" (48 kHz mono). The call puts the encoders behind it. Devices come
 * from a GstDeviceMonitor, which on Linux lists V4L2 and PipeWire/PulseAudio
 * devices and on Windows Media Foundation and WASAPI ones, so no platform
 * code is needed here. Camera off closes a valve (nothing is encoded or
 * sent); mute sets the volume to zero (silence is still sent, so the far
 * end's jitter buffer and level meter keep running).
 *
 * With :preview, a third branch behind the camera valve hands the local
 * picture to the application as RGBA (the self view and the device check),
 * at most PREVIEW_FPS frames a second and PREVIEW_MAX_WIDTH pixels wide. A
 * source can also run on its own, without a call
 * (gremium_media_source_start()), for the device check before joining.
 */

#define PREVIEW_FPS       15
#define PREVIEW_MAX_WIDTH 640

struct _GremiumMediaSource
{
  GObject           parent_instance;

  char             *video_source;
  char             *audio_source;
  GstDevice        *video_device;
  GstDevice        *audio_device;
  char             *test_pattern;
  guint32           test_color;
  double            test_frequency;
  guint             width;
  guint             height;
  guint             framerate;
  gboolean          camera_enabled;
  gboolean          muted;
  gboolean          preview;
  double            audio_level;

  GMainContext     *context;
  GMutex            lock;
  GstSample        *pending_frame;    /* lock */
  gboolean          frame_scheduled;  /* lock */

  GstDeviceMonitor *monitor;
  GstElement       *check_pipeline;   /* gremium_media_source_start() */
  guint             check_bus_watch;
  GstElement       *bin;          /* weak: owned by the call's pipeline */
  GstElement       *videotestsrc;
  GstElement       *audiotestsrc;
  GstElement       *valve;
  GstElement       *volume;
};

G_DEFINE_FINAL_TYPE (GremiumMediaSource, gremium_media_source, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VIDEO_SOURCE,
  PROP_AUDIO_SOURCE,
  PROP_VIDEO_DEVICE,
  PROP_AUDIO_DEVICE,
  PROP_TEST_PATTERN,
  PROP_TEST_COLOR,
  PROP_TEST_FREQUENCY,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_FRAMERATE,
  PROP_CAMERA_ENABLED,
  PROP_MUTED,
  PROP_PREVIEW,
  PROP_AUDIO_LEVEL,
  PROP_RUNNING,
  N_PROPS
};

enum {
  VIDEO_FRAME,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
source_from_env (const char *variable)
{
  const char *value = g_getenv (variable);

  if (value != NULL &&
      (g_str_equal (value, GREMIUM_MEDIA_SOURCE_AUTO) ||
       g_str_equal (value, GREMIUM_MEDIA_SOURCE_TEST) ||
       g_str_equal (value, GREMIUM_MEDIA_SOURCE_NONE)))
    return value;

  if (value != NULL)
    g_warning ("%s=%s is not one of auto, test, none; using auto", variable, value);

  return GREMIUM_MEDIA_SOURCE_AUTO;
}

static GstDevice *
first_device (GremiumMediaSource *self,
              const char         *device_class)
{
  GList *devices = gremium_media_source_list_devices (self, device_class);
  GstDevice *device = devices != NULL ? g_object_ref (devices->data) : NULL;

  g_list_free_full (devices, gst_object_unref);

  return device;
}

/* Small capture buffers: what a source holds before it hands a buffer on
 * is delay the far end hears.
 */
static void
tune_audio_capture (GstElement *src)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (src), "latency-time") != NULL)
    g_object_set (src, "latency-time", (gint64) 10000, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (src), "buffer-time") != NULL)
    g_object_set (src, "buffer-time", (gint64) 40000, NULL);
}

static GstElement *
create_video_src (GremiumMediaSource  *self,
                  GError             **error)
{
  g_autoptr(GstDevice) device = NULL;
  const char *kind = self->video_source;
  GstElement *src;

  if (g_str_equal (kind, GREMIUM_MEDIA_SOURCE_AUTO))
    {
      device = self->video_device ? g_object_ref (self->video_device)
                                  : first_device (self, "Video/Source");
      if (device != NULL)
        {
          src = gst_device_create_element (device, "camera");
          if (src != NULL)
            return src;
        }
      g_message ("No camera found; sending black frames");
      kind = GREMIUM_MEDIA_SOURCE_NONE;
    }

  src = _gremium_media_make_element ("videotestsrc", "videotestsrc", error);
  if (src == NULL)
    return NULL;

  g_object_set (src, "is-live", TRUE, NULL);
  if (g_str_equal (kind, GREMIUM_MEDIA_SOURCE_NONE))
    {
      gst_util_set_object_arg (G_OBJECT (src), "pattern", "black");
    }
  else
    {
      gst_util_set_object_arg (G_OBJECT (src), "pattern", self->test_pattern);
      g_object_set (src, "foreground-color", self->test_color, NULL);
      self->videotestsrc = src;
    }

  return src;
}

static GstElement *
create_audio_src (GremiumMediaSource  *self,
                  GError             **error)
{
  g_autoptr(GstDevice) device = NULL;
  const char *kind = self->audio_source;
  GstElement *src;

  if (g_str_equal (kind, GREMIUM_MEDIA_SOURCE_AUTO))
    {
      device = self->audio_device ? g_object_ref (self->audio_device)
                                  : first_device (self, "Audio/Source");
      if (device != NULL)
        {
          src = gst_device_create_element (device, "microphone");
          if (src != NULL)
            {
              tune_audio_capture (src);
              return src;
            }
        }
      g_message ("No microphone found; sending silence");
      kind = GREMIUM_MEDIA_SOURCE_NONE;
    }

  src = _gremium_media_make_element ("audiotestsrc", "audiotestsrc", error);
  if (src == NULL)
    return NULL;

  /* 10 ms buffers, the Opus frame size. */
  g_object_set (src, "is-live", TRUE, "samplesperbuffer", 480, NULL);
  if (g_str_equal (kind, GREMIUM_MEDIA_SOURCE_NONE))
    {
      gst_util_set_object_arg (G_OBJECT (src), "wave", "silence");
    }
  else
    {
      g_object_set (src, "freq", self->test_frequency, "volume", 0.5, NULL);
      self->audiotestsrc = src;
    }

  return src;
}

static gboolean
add_chain (GstBin      *bin,
           GstElement **elements,
           guint        n_elements,
           const char  *pad_name,
           GError     **error)
{
  g_autoptr(GstPad) target = NULL;

  for (guint i = 0; i < n_elements; i++)
    {
      if (elements[i] == NULL)
        {
          for (guint j = 0; j < n_elements; j++)
            if (elements[j] != NULL)
              gst_object_unref (gst_object_ref_sink (elements[j]));
          return FALSE;
        }
    }

  for (guint i = 0; i < n_elements; i++)
    gst_bin_add (bin, elements[i]);

  for (guint i = 0; i + 1 < n_elements; i++)
    {
      if (!gst_element_link (elements[i], elements[i + 1]))
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED,
                       "Cannot link %s to %s", GST_ELEMENT_NAME (elements[i]),
                       GST_ELEMENT_NAME (elements[i + 1]));
          return FALSE;
        }
    }

  if (pad_name != NULL)
    {
      target = gst_element_get_static_pad (elements[n_elements - 1], "src");
      gst_element_add_pad (GST_ELEMENT (bin), gst_ghost_pad_new (pad_name, target));
    }

  return TRUE;
}

/* The newest preview frame reaches the application in its main context, at
 * most one pending at a time: if painting falls behind, frames are skipped.
 */
static gboolean
deliver_frame_cb (gpointer user_data)
{
  GremiumMediaSource *self = user_data;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint width, height, stride;

  g_mutex_lock (&self->lock);
  sample = g_steal_pointer (&self->pending_frame);
  self->frame_scheduled = FALSE;
  g_mutex_unlock (&self->lock);

  /* A frame that was on its way when capture stopped is not shown. */
  if (sample == NULL || self->bin == NULL)
    return G_SOURCE_REMOVE;

  bytes = _gremium_media_sample_to_frame (sample, &width, &height, &stride);
  if (bytes == NULL)
    return G_SOURCE_REMOVE;

  g_signal_emit (self, signals[VIDEO_FRAME], 0, bytes, width, height, stride);

  return G_SOURCE_REMOVE;
}

/* The preview's streaming thread. The pipeline that holds the appsink never
 * outlives the source (a call keeps a reference on its source; the
 * stand-alone pipeline belongs to the source), so no reference is taken.
 */
static GstFlowReturn
preview_sample_cb (GstAppSink *sink,
                   gpointer    user_data)
{
  GremiumMediaSource *self = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  gboolean schedule;

  if (sample == NULL)
    return GST_FLOW_EOS;

  g_mutex_lock (&self->lock);
  if (self->pending_frame != NULL)
    gst_sample_unref (self->pending_frame);
  self->pending_frame = sample;
  schedule = !self->frame_scheduled;
  self->frame_scheduled = TRUE;
  g_mutex_unlock (&self->lock);

  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, deliver_frame_cb, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[gremium] preview frame");
      g_source_attach (source, self->context);
      g_source_unref (source);
    }

  return GST_FLOW_OK;
}

/* camera ─ … ─ valve ─ tee ─┬─ (the "video" pad)
 *                            └─ queue ─ videorate ─ videoscale ─ videoconvert ─ RGBA ─ appsink
 *
 * The preview queue is leaky and holds one frame, so the preview never
 * holds up the encoder, which runs in the capture thread.
 */
static GstElement *
add_preview_branch (GremiumMediaSource  *self,
                    GstBin              *bin,
                    GstElement          *valve,
                    GError             **error)
{
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstPad) tee_src = NULL;
  g_autoptr(GstPad) queue_sink = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = preview_sample_cb };
  guint width = MIN (self->width, PREVIEW_MAX_WIDTH);
  guint height = self->height * width / self->width;
  GstElement *tee, *e[6];

  tee = _gremium_media_make_element ("tee", "preview-tee", error);
  e[0] = _gremium_media_make_element ("queue", NULL, error);
  e[1] = _gremium_media_make_element ("videorate", NULL, error);
  e[2] = _gremium_media_make_element ("videoscale", NULL, error);
  e[3] = _gremium_media_make_element ("videoconvert", NULL, error);
  e[4] = _gremium_media_make_element ("capsfilter", NULL, error);
  e[5] = _gremium_media_make_element ("appsink", "preview", error);
  if (tee == NULL || !add_chain (bin, e, G_N_ELEMENTS (e), NULL, error))
    {
      if (tee != NULL)
        gst_object_unref (gst_object_ref_sink (tee));
      return NULL;
    }

  g_object_set (tee, "allow-not-linked", TRUE, NULL);
  g_object_set (e[0], "leaky", 2 /* downstream */, "max-size-buffers", 1, "max-size-bytes", 0,
                "max-size-time", (guint64) 0, NULL);
  g_object_set (e[1], "drop-only", TRUE, "max-rate", PREVIEW_FPS, NULL);
  caps = gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, "RGBA",
                              "width", G_TYPE_INT, (int) width,
                              "height", G_TYPE_INT, (int) (height & ~1u),
                              NULL);
  g_object_set (e[4], "caps", caps, NULL);
  g_object_set (e[5], "sync", FALSE, "max-buffers", 1, "drop", TRUE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (e[5]), &callbacks, self, NULL);

  gst_bin_add (bin, tee);
  tee_src = gst_element_request_pad_simple (tee, "src_%u");
  queue_sink = gst_element_get_static_pad (e[0], "sink");
  if (!gst_element_link (valve, tee) || gst_pad_link (tee_src, queue_sink) != GST_PAD_LINK_OK)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED, "Cannot link the camera preview");
      return NULL;
    }

  return tee;
}

/* The level element's RMS in dBFS, the loudest channel; −127 for silence. */
typedef struct
{
  GstBuffer  *buffer;
  GstMapInfo  map;
} MappedFrame;

static void
mapped_frame_free (gpointer data)
{
  MappedFrame *frame = data;

  gst_buffer_unmap (frame->buffer, &frame->map);
  gst_buffer_unref (frame->buffer);
  g_free (frame);
}

/*
 * _gremium_media_sample_to_frame:
 * @sample: an RGBA video sample
 * @width: (out): its width
 * @height: (out): its height
 * @stride: (out): bytes per row
 *
 * The pixels of a decoded or captured frame for the application, without a
 * copy: the bytes keep the buffer mapped until the last reference is gone.
 *
 * Returns: (transfer full) (nullable): the pixels, or %NULL if the sample
 *   is not a readable video frame
 */
GBytes *
_gremium_media_sample_to_frame (GstSample *sample,
                                guint     *width,
                                guint     *height,
                                guint     *stride)
{
  MappedFrame *frame;
  GstVideoInfo info;
  GstVideoMeta *meta;
  GstBuffer *buffer = gst_sample_get_buffer (sample);

  if (buffer == NULL || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)))
    return NULL;

  meta = gst_buffer_get_video_meta (buffer);
  *width = GST_VIDEO_INFO_WIDTH (&info);
  *height = GST_VIDEO_INFO_HEIGHT (&info);
  *stride = meta != NULL ? (guint) meta->stride[0] : (guint) GST_VIDEO_INFO_PLANE_STRIDE (&info, 0);

  frame = g_new0 (MappedFrame, 1);
  if (!gst_buffer_map (buffer, &frame->map, GST_MAP_READ))
    {
      g_free (frame);
      return NULL;
    }
  frame->buffer = gst_buffer_ref (buffer);

  return g_bytes_new_with_free_func (frame->map.data, frame->map.size, mapped_frame_free, frame);
}

double
_gremium_media_level_from_message (const GstStructure *s)
{
  const GValue *rms = gst_structure_get_value (s, "rms");
  double level = -127;
  GValueArray *array;

  /* The level element's messages still carry a GValueArray in 1.22. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (rms == NULL || !G_VALUE_HOLDS (rms, g_value_array_get_type ()))
    return level;

  array = g_value_get_boxed (rms);
  for (guint i = 0; array != NULL && i < array->n_values; i++)
    level = MAX (level, g_value_get_double (g_value_array_get_nth (array, i)));
  G_GNUC_END_IGNORE_DEPRECATIONS

  return isfinite (level) ? MAX (level, -127) : -127;
}

static gboolean
check_bus_cb (GstBus     *bus,
              GstMessage *message,
              gpointer    user_data)
{
  GremiumMediaSource *self = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT)
    {
      const GstStructure *s = gst_message_get_structure (message);

      if (s != NULL && gst_structure_has_name (s, "level"))
        _gremium_media_source_set_level (self, _gremium_media_level_from_message (s));
    }
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &error, &debug);
      g_warning ("The device check stopped: %s (%s)", error->message, debug ? debug : "");
      self->check_bus_watch = 0;
      gremium_media_source_stop (self);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
gremium_media_source_dispose (GObject *object)
{
  GremiumMediaSource *self = GREMIUM_MEDIA_SOURCE (object);

  gremium_media_source_stop (self);
  if (self->monitor != NULL)
    gst_device_monitor_stop (self->monitor);
  g_clear_object (&self->monitor);
  g_clear_object (&self->video_device);
  g_clear_object (&self->audio_device);
  _gremium_media_source_release (self);

  G_OBJECT_CLASS (gremium_media_source_parent_class)->dispose (object);
}

static void
gremium_media_source_finalize (GObject *object)
{
  GremiumMediaSource *self = GREMIUM_MEDIA_SOURCE (object);

  g_free (self->video_source);
  g_free (self->audio_source);
  g_free (self->test_pattern);
  g_clear_pointer (&self->pending_frame, gst_sample_unref);
  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (gremium_media_source_parent_class)->finalize (object);
}

static void
gremium_media_source_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  GremiumMediaSource *self = GREMIUM_MEDIA_SOURCE (object);

  switch (prop_id)
    {
    case PROP_VIDEO_SOURCE:
      g_value_set_string (value, self->video_source);
      break;
    case PROP_AUDIO_SOURCE:
      g_value_set_string (value, self->audio_source);
      break;
    case PROP_VIDEO_DEVICE:
      g_value_set_object (value, self->video_device);
      break;
    case PROP_AUDIO_DEVICE:
      g_value_set_object (value, self->audio_device);
      break;
    case PROP_TEST_PATTERN:
      g_value_set_string (value, self->test_pattern);
      break;
    case PROP_TEST_COLOR:
      g_value_set_uint (value, self->test_color);
      break;
    case PROP_TEST_FREQUENCY:
      g_value_set_double (value, self->test_frequency);
      break;
    case PROP_WIDTH:
      g_value_set_uint (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_uint (value, self->height);
      break;
    case PROP_FRAMERATE:
      g_value_set_uint (value, self->framerate);
      break;
    case PROP_CAMERA_ENABLED:
      g_value_set_boolean (value, self->camera_enabled);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_PREVIEW:
      g_value_set_boolean (value, self->preview);
      break;
    case PROP_AUDIO_LEVEL:
      g_value_set_double (value, self->audio_level);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->check_pipeline != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_media_source_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  GremiumMediaSource *self = GREMIUM_MEDIA_SOURCE (object);

  switch (prop_id)
    {
    case PROP_VIDEO_SOURCE:
      g_free (self->video_source);
      self->video_source = g_value_dup_string (value);
      if (self->video_source == NULL)
        self->video_source = g_strdup (source_from_env ("GREMIUM_VIDEO_SOURCE"));
      break;
    case PROP_AUDIO_SOURCE:
      g_free (self->audio_source);
      self->audio_source = g_value_dup_string (value);
      if (self->audio_source == NULL)
        self->audio_source = g_strdup (source_from_env ("GREMIUM_AUDIO_SOURCE"));
      break;
    case PROP_VIDEO_DEVICE:
      gremium_media_source_set_video_device (self, g_value_get_object (value));
      break;
    case PROP_AUDIO_DEVICE:
      gremium_media_source_set_audio_device (self, g_value_get_object (value));
      break;
    case PROP_TEST_PATTERN:
      g_free (self->test_pattern);
      self->test_pattern = g_value_dup_string (value);
      break;
    case PROP_TEST_COLOR:
      gremium_media_source_set_test_color (self, g_value_get_uint (value));
      break;
    case PROP_TEST_FREQUENCY:
      gremium_media_source_set_test_frequency (self, g_value_get_double (value));
      break;
    case PROP_WIDTH:
      self->width = g_value_get_uint (value);
      break;
    case PROP_HEIGHT:
      self->height = g_value_get_uint (value);
      break;
    case PROP_FRAMERATE:
      self->framerate = g_value_get_uint (value);
      break;
    case PROP_CAMERA_ENABLED:
      gremium_media_source_set_camera_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_MUTED:
      gremium_media_source_set_muted (self, g_value_get_boolean (value));
      break;
    case PROP_PREVIEW:
      self->preview = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_media_source_class_init (GremiumMediaSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_media_source_dispose;
  object_class->finalize = gremium_media_source_finalize;
  object_class->get_property = gremium_media_source_get_property;
  object_class->set_property = gremium_media_source_set_property;

  /**
   * GremiumMediaSource:video-source:
   *
   * "auto" (a camera), "test" (videotestsrc) or "none" (black frames). The
   * default comes from `GREMIUM_VIDEO_SOURCE`, else "auto". Read when the
   * call starts.
   */
  properties[PROP_VIDEO_SOURCE] =
    g_param_spec_string ("video-source", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * GremiumMediaSource:audio-source:
   *
   * "auto" (a microphone), "test" (audiotestsrc) or "none" (silence). The
   * default comes from `GREMIUM_AUDIO_SOURCE`, else "auto".
   */
  properties[PROP_AUDIO_SOURCE] =
    g_param_spec_string ("audio-source", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIDEO_DEVICE] =
    g_param_spec_object ("video-device", NULL, NULL, GST_TYPE_DEVICE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AUDIO_DEVICE] =
    g_param_spec_object ("audio-device", NULL, NULL, GST_TYPE_DEVICE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumMediaSource:test-pattern:
   *
   * The videotestsrc pattern of the "test" source, by its nick, for example
   * "smpte", "ball" or "solid-color".
   */
  properties[PROP_TEST_PATTERN] =
    g_param_spec_string ("test-pattern", NULL, NULL, "smpte",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * GremiumMediaSource:test-color:
   *
   * The colour (0xAARRGGBB) of the "solid-color" test pattern; tests give
   * every participant its own.
   */
  properties[PROP_TEST_COLOR] =
    g_param_spec_uint ("test-color", NULL, NULL, 0, G_MAXUINT32, 0xffffffff,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                       G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumMediaSource:test-frequency:
   *
   * The frequency in Hz of the "test" audio source's sine tone.
   */
  properties[PROP_TEST_FREQUENCY] =
    g_param_spec_double ("test-frequency", NULL, NULL, 20, 20000, 440,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumMediaSource:width:
   *
   * Width of the sent video: 640 (360p) by default, up to 1280 (720p).
   */
  properties[PROP_WIDTH] =
    g_param_spec_uint ("width", NULL, NULL, 160, 1280, 640,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEIGHT] =
    g_param_spec_uint ("height", NULL, NULL, 90, 720, 360,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRAMERATE] =
    g_param_spec_uint ("framerate", NULL, NULL, 1, 30, 30,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * GremiumMediaSource:camera-enabled:
   *
   * Whether video is captured and sent. Off sends nothing.
   */
  properties[PROP_CAMERA_ENABLED] =
    g_param_spec_boolean ("camera-enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                          G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumMediaSource:muted:
   *
   * Whether the microphone is muted. Muted sends silence.
   */
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                          G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumMediaSource:audio-level:
   *
   * The microphone's RMS level in dBFS (−127 is silence), updated every 50 ms
   * while the call runs: the meter of the device check and the local entry
   * of the active-speaker choice.
   */
  properties[PROP_AUDIO_LEVEL] =
    g_param_spec_double ("audio-level", NULL, NULL, -200, 0, -127,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumMediaSource:preview:
   *
   * Whether the local picture is handed to the application through
   * #GremiumMediaSource::video-frame (the self view, the device check).
   * Read when capture starts; %FALSE by default, which costs nothing.
   */
  properties[PROP_PREVIEW] =
    g_param_spec_boolean ("preview", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * GremiumMediaSource:running:
   *
   * Whether the source captures on its own, without a call
   * (gremium_media_source_start()).
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GremiumMediaSource::video-frame:
   * @self: the source
   * @pixels: the frame, 8-bit RGBA, not premultiplied (GDK_MEMORY_R8G8B8A8)
   * @width: width in pixels
   * @height: height in pixels
   * @stride: bytes from one row to the next
   *
   * The local picture while capture runs and #GremiumMediaSource:preview is
   * set, at most 15 frames a second, in the main context the source was
   * made in. Nothing comes while the camera is off.
   */
  signals[VIDEO_FRAME] =
    g_signal_new ("video-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_BYTES, G_TYPE_UINT, G_TYPE_UINT,
                  G_TYPE_UINT);
}

static void
gremium_media_source_init (GremiumMediaSource *self)
{
  self->audio_level = -127;
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->lock);
}

/**
 * gremium_media_source_new:
 *
 * Creates a media source with the defaults: camera and microphone chosen
 * by `GREMIUM_VIDEO_SOURCE` and `GREMIUM_AUDIO_SOURCE` (else the first
 * devices), 640×360 at 30 frames per second.
 *
 * Returns: (transfer full): a new media source
 */
GremiumMediaSource *
gremium_media_source_new (void)
{
  return g_object_new (GREMIUM_TYPE_MEDIA_SOURCE, NULL);
}

/**
 * gremium_media_source_get_monitor:
 * @self: a media source
 *
 * The device monitor behind gremium_media_source_list_devices(), started on
 * first use. Watch its bus for `GST_MESSAGE_DEVICE_ADDED` and `_REMOVED` to
 * update a device list.
 *
 * Returns: (transfer none): the device monitor
 */
GstDeviceMonitor *
gremium_media_source_get_monitor (GremiumMediaSource *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_SOURCE (self), NULL);

  if (self->monitor == NULL)
    {
      self->monitor = gst_device_monitor_new ();
      gst_device_monitor_add_filter (self->monitor, "Video/Source", NULL);
      gst_device_monitor_add_filter (self->monitor, "Audio/Source", NULL);
      if (!gst_device_monitor_start (self->monitor))
        g_debug ("The device monitor did not start; no devices are listed");
    }

  return self->monitor;
}

/**
 * gremium_media_source_list_devices:
 * @self: a media source
 * @device_class: "Video/Source" for cameras or "Audio/Source" for microphones
 *
 * Lists the capture devices of one class, as the device monitor sees them
 * now.
 *
 * Returns: (transfer full) (element-type GstDevice): the devices
 */
GList *
gremium_media_source_list_devices (GremiumMediaSource *self,
                                   const char         *device_class)
{
  GList *devices, *result = NULL;

  g_return_val_if_fail (GREMIUM_IS_MEDIA_SOURCE (self), NULL);
  g_return_val_if_fail (device_class != NULL, NULL);

  devices = gst_device_monitor_get_devices (gremium_media_source_get_monitor (self));
  for (GList *l = devices; l != NULL; l = l->next)
    {
      if (gst_device_has_classes (l->data, device_class))
        result = g_list_prepend (result, gst_object_ref (l->data));
    }
  g_list_free_full (devices, gst_object_unref);

  return g_list_reverse (result);
}

/**
 * gremium_media_source_set_video_device:
 * @self: a media source
 * @device: (nullable): a camera from gremium_media_source_list_devices()
 *
 * Chooses the camera used by the "auto" video source. Takes effect when the
 * next call starts.
 */
void
gremium_media_source_set_video_device (GremiumMediaSource *self,
                                       GstDevice          *device)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_SOURCE (self));
  g_return_if_fail (device == NULL || GST_IS_DEVICE (device));

  if (g_set_object (&self->video_device, device))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIDEO_DEVICE]);
}

/**
 * gremium_media_source_set_audio_device:
 * @self: a media source
 * @device: (nullable): a microphone from gremium_media_source_list_devices()
 *
 * Chooses the microphone used by the "auto" audio source. Takes effect when
 * the next call starts.
 */
void
gremium_media_source_set_audio_device (GremiumMediaSource *self,
                                       GstDevice          *device)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_SOURCE (self));
  g_return_if_fail (device == NULL || GST_IS_DEVICE (device));

  if (g_set_object (&self->audio_device, device))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_DEVICE]);
}

/**
 * gremium_media_source_set_camera_enabled:
 * @self: a media source
 * @enabled: whether to send video
 *
 * The camera switch. Takes effect at once, also during a call.
 */
void
gremium_media_source_set_camera_enabled (GremiumMediaSource *self,
                                         gboolean            enabled)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_SOURCE (self));

  enabled = !!enabled;
  if (self->camera_enabled == enabled)
    return;

  self->camera_enabled = enabled;
  if (self->valve != NULL)
    g_object_set (self->valve, "drop", !enabled, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_ENABLED]);
}

/**
 * gremium_media_source_get_camera_enabled:
 * @self: a media source
 *
 * Returns: whether video is sent
 */
gboolean
gremium_media_source_get_camera_enabled (GremiumMediaSource *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_SOURCE (self), FALSE);

  return self->camera_enabled;
}

/**
 * gremium_media_source_set_muted:
 * @self: a media source
 * @muted: whether to mute the microphone
 *
 * The mute switch. Takes effect at once, also during a call.
 */
void
gremium_media_source_set_muted (GremiumMediaSource *self,
                                gboolean            muted)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_SOURCE (self));

  muted = !!muted;
  if (self->muted == muted)
    return;

  self->muted = muted;
  if (self->volume != NULL)
    g_object_set (self->volume, "mute", muted, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

/**
 * gremium_media_source_get_muted:
 * @self: a media source
 *
 * Returns: whether the microphone is muted
 */
gboolean
gremium_media_source_get_muted (GremiumMediaSource *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_SOURCE (self), FALSE);

  return self->muted;
}

/**
 * gremium_media_source_set_test_color:
 * @self: a media source
 * @argb: a colour as 0xAARRGGBB
 *
 * Sets the colour of the "solid-color" test pattern, also while running.
 */
void
gremium_media_source_set_test_color (GremiumMediaSource *self,
                                     guint32             argb)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_SOURCE (self));

  if (self->test_color == argb)
    return;

  self->test_color = argb;
  if (self->videotestsrc != NULL)
    g_object_set (self->videotestsrc, "foreground-color", argb, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEST_COLOR]);
}

/**
 * gremium_media_source_set_test_frequency:
 * @self: a media source
 * @hz: the frequency of the test tone
 *
 * Sets the frequency of the "test" audio source, also while running.
 */
void
gremium_media_source_set_test_frequency (GremiumMediaSource *self,
                                         double              hz)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_SOURCE (self));

  if (self->test_frequency == hz)
    return;

  self->test_frequency = hz;
  if (self->audiotestsrc != NULL)
    g_object_set (self->audiotestsrc, "freq", hz, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEST_FREQUENCY]);
}

/**
 * gremium_media_source_get_audio_level:
 * @self: a media source
 *
 * Returns: the microphone's RMS level in dBFS, −127 when silent or not running
 */
double
gremium_media_source_get_audio_level (GremiumMediaSource *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_SOURCE (self), -127);

  return self->audio_level;
}

/**
 * gremium_media_source_start:
 * @self: a media source
 * @error: return location for an error
 *
 * Captures without a call, for the device check before joining: the
 * microphone level (#GremiumMediaSource:audio-level) and, with
 * #GremiumMediaSource:preview, the picture come as during a call; nothing is
 * encoded or sent. A call cannot use the source while it runs this way;
 * stop it first. Device and format changes apply at the next start.
 *
 * Returns: %TRUE if capture runs
 */
gboolean
gremium_media_source_start (GremiumMediaSource  *self,
                            GError             **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *bin, *video_sink, *audio_sink;

  g_return_val_if_fail (GREMIUM_IS_MEDIA_SOURCE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->check_pipeline != NULL)
    return TRUE;

  if (!gremium_media_init (error))
    return FALSE;

  bin = _gremium_media_source_create_bin (self, error);
  if (bin == NULL)
    return FALSE;

  pipeline = gst_object_ref_sink (gst_pipeline_new ("capture-check"));
  gst_bin_add (GST_BIN (pipeline), bin);
  gst_object_unref (bin);

  video_sink = _gremium_media_make_element ("fakesink", NULL, NULL);
  audio_sink = _gremium_media_make_element ("fakesink", NULL, NULL);
  g_object_set (video_sink, "sync", FALSE, "async", FALSE, NULL);
  g_object_set (audio_sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add_many (GST_BIN (pipeline), video_sink, audio_sink, NULL);
  if (!gst_element_link_pads (bin, "video", video_sink, "sink") ||
      !gst_element_link_pads (bin, "audio", audio_sink, "sink"))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED, "Cannot link the device check");
      gst_element_set_state (pipeline, GST_STATE_NULL);
      _gremium_media_source_release (self);
      return FALSE;
    }

  bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
  self->check_bus_watch = gst_bus_add_watch (bus, check_bus_cb, self);
  self->check_pipeline = g_steal_pointer (&pipeline);

  if (gst_element_set_state (self->check_pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED,
                   "Cannot start capturing: is the camera or microphone in use?");
      gremium_media_source_stop (self);
      return FALSE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  return TRUE;
}

/**
 * gremium_media_source_stop:
 * @self: a media source
 *
 * Stops what gremium_media_source_start() started; the devices are free
 * again when this returns. Does nothing if the source does not run on its own.
 */
void
gremium_media_source_stop (GremiumMediaSource *self)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_SOURCE (self));

  if (self->check_pipeline == NULL)
    return;

  g_clear_handle_id (&self->check_bus_watch, g_source_remove);
  gst_element_set_state (self->check_pipeline, GST_STATE_NULL);
  g_clear_object (&self->check_pipeline);
  _gremium_media_source_release (self);
  _gremium_media_source_set_level (self, -127);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/**
 * gremium_media_source_get_running:
 * @self: a media source
 *
 * Returns: whether the source captures on its own (gremium_media_source_start())
 */
gboolean
gremium_media_source_get_running (GremiumMediaSource *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_SOURCE (self), FALSE);

  return self->check_pipeline != NULL;
}

/* Builds the capture bin. A source serves one call at a time. */
GstElement *
_gremium_media_source_create_bin (GremiumMediaSource  *self,
                                  GError             **error)
{
  g_autoptr(GstCaps) video_caps = NULL;
  g_autoptr(GstCaps) audio_caps = NULL;
  g_autoptr(GstElement) bin = NULL;
  GstElement *video[6], *audio[6];

  g_assert (GREMIUM_IS_MEDIA_SOURCE (self));

  if (self->bin != NULL)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE,
                   "The media source is already used by a call");
      return NULL;
    }

  bin = gst_object_ref_sink (gst_bin_new ("source"));

  video_caps = gst_caps_new_simple ("video/x-raw",
                                    "format", G_TYPE_STRING, "I420",
                                    "width", G_TYPE_INT, (int) self->width,
                                    "height", G_TYPE_INT, (int) self->height,
                                    "framerate", GST_TYPE_FRACTION, (int) self->framerate, 1,
                                    "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                                    NULL);
  video[0] = create_video_src (self, error);
  video[1] = _gremium_media_make_element ("videoconvert", NULL, error);
  video[2] = _gremium_media_make_element ("videoscale", NULL, error);
  video[3] = _gremium_media_make_element ("videorate", NULL, error);
  video[4] = _gremium_media_make_element ("capsfilter", NULL, error);
  video[5] = _gremium_media_make_element ("valve", "camera-valve", error);
  if (video[3] != NULL)
    g_object_set (video[3], "drop-only", TRUE, NULL);
  if (video[4] != NULL)
    g_object_set (video[4], "caps", video_caps, NULL);
  if (video[5] != NULL)
    g_object_set (video[5], "drop", !self->camera_enabled ||
                  g_str_equal (self->video_source, GREMIUM_MEDIA_SOURCE_NONE), NULL);
  self->valve = video[5];
  if (!add_chain (GST_BIN (bin), video, G_N_ELEMENTS (video), self->preview ? NULL : "video",
                  error))
    goto fail;

  if (self->preview)
    {
      g_autoptr(GstPad) target = NULL;
      GstElement *tee = add_preview_branch (self, GST_BIN (bin), video[5], error);

      if (tee == NULL)
        goto fail;
      target = gst_element_request_pad_simple (tee, "src_%u");
      gst_element_add_pad (bin, gst_ghost_pad_new ("video", target));
    }

  audio_caps = gst_caps_new_simple ("audio/x-raw",
                                    "rate", G_TYPE_INT, 48000,
                                    "channels", G_TYPE_INT, 1,
                                    NULL);
  audio[0] = create_audio_src (self, error);
  audio[1] = _gremium_media_make_element ("audioconvert", NULL, error);
  audio[2] = _gremium_media_make_element ("audioresample", NULL, error);
  audio[3] = _gremium_media_make_element ("capsfilter", NULL, error);
  audio[4] = _gremium_media_make_element ("volume", "mute", error);
  audio[5] = _gremium_media_make_element ("level", "local-level", error);
  if (audio[3] != NULL)
    g_object_set (audio[3], "caps", audio_caps, NULL);
  if (audio[4] != NULL)
    g_object_set (audio[4], "mute", self->muted, NULL);
  if (audio[5] != NULL)
    g_object_set (audio[5], "interval", (guint64) 50 * GST_MSECOND, "post-messages", TRUE, NULL);
  self->volume = audio[4];
  if (!add_chain (GST_BIN (bin), audio, G_N_ELEMENTS (audio), "audio", error))
    goto fail;

  self->bin = bin;
  g_object_add_weak_pointer (G_OBJECT (bin), (gpointer *) &self->bin);

  return g_steal_pointer (&bin);

fail:
  self->valve = NULL;
  self->volume = NULL;
  self->videotestsrc = NULL;
  self->audiotestsrc = NULL;
  return NULL;
}

/* The call is done with the bin. */
void
_gremium_media_source_release (GremiumMediaSource *self)
{
  if (self->bin != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->bin), (gpointer *) &self->bin);
  self->bin = NULL;
  self->valve = NULL;
  self->volume = NULL;
  self->videotestsrc = NULL;
  self->audiotestsrc = NULL;
  self->audio_level = -127;
}

void
_gremium_media_source_set_level (GremiumMediaSource *self,
                                 double              level)
{
  self->audio_level = level;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_LEVEL]);
}

void
_gremium_media_source_get_format (GremiumMediaSource *self,
                                  guint              *width,
                                  guint              *height,
                                  guint              *framerate)
{
  *width = self->width;
  *height = self->height;
  *framerate = self->framerate;
}
