/* gremium-media.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gremium-media.h"
#include "gremium-sframe-protect.h"
#include "gremium-sframe-unprotect.h"

#include "gremium-error.h"

#include <string.h>

G_DEFINE_ENUM_TYPE (GremiumMediaStream, gremium_media_stream,
                    G_DEFINE_ENUM_VALUE (GREMIUM_MEDIA_STREAM_AUDIO, "audio"),
                    G_DEFINE_ENUM_VALUE (GREMIUM_MEDIA_STREAM_CAMERA, "camera"),
                    G_DEFINE_ENUM_VALUE (GREMIUM_MEDIA_STREAM_SCREEN, "screen"))

/* The GStreamer elements a call cannot work without, with the Debian 12
 * package that ships each, so that a missing one is a clear error before
 * the call starts instead of a pipeline that never runs.
 */
static const struct
{
  const char *factory;
  const char *package;
} required_elements[] = {
  { "webrtcbin", "gstreamer1.0-plugins-bad" },
  { "nicesrc", "gstreamer1.0-nice" },
  { "dtlssrtpenc", "gstreamer1.0-plugins-bad" },
  { "vp8enc", "gstreamer1.0-plugins-good" },
  { "vp8dec", "gstreamer1.0-plugins-good" },
  { "rtpvp8pay", "gstreamer1.0-plugins-good" },
  { "rtpvp8depay", "gstreamer1.0-plugins-good" },
  { "rtpopuspay", "gstreamer1.0-plugins-good" },
  { "rtpopusdepay", "gstreamer1.0-plugins-good" },
  { "level", "gstreamer1.0-plugins-good" },
  { "opusenc", "gstreamer1.0-plugins-base" },
  { "opusdec", "gstreamer1.0-plugins-base" },
  { "videotestsrc", "gstreamer1.0-plugins-base" },
  { "audiotestsrc", "gstreamer1.0-plugins-base" },
  { "videoconvert", "gstreamer1.0-plugins-base" },
  { "appsink", "gstreamer1.0-plugins-base" },
};

static gpointer
init_once (gpointer data)
{
  GError **error = data;
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GString) packages = g_string_new (NULL);

  if (!gst_init_check (NULL, NULL, error))
    return GINT_TO_POINTER (FALSE);

  /* Registered without a plugin file: the elements live in this library. */
  if (!gst_element_register (NULL, "gremiumsframeprotect", GST_RANK_NONE,
                             GREMIUM_TYPE_SFRAME_PROTECT) ||
      !gst_element_register (NULL, "gremiumsframeunprotect", GST_RANK_NONE,
                             GREMIUM_TYPE_SFRAME_UNPROTECT))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED,
                   "Cannot register the SFrame elements with GStreamer");
      return GINT_TO_POINTER (FALSE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (required_elements); i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (required_elements[i].factory);

      if (factory != NULL)
        continue;

      g_string_append_printf (missing, "%s%s", missing->len ? ", " : "",
                              required_elements[i].factory);
      if (strstr (packages->str, required_elements[i].package) == NULL)
        g_string_append_printf (packages, "%s%s", packages->len ? " " : "",
                                required_elements[i].package);
    }

  if (missing->len > 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED,
                   "GStreamer elements are missing (%s); install %s",
                   missing->str, packages->str);
      return GINT_TO_POINTER (FALSE);
    }

  return GINT_TO_POINTER (TRUE);
}

/**
 * gremium_media_init:
 * @error: return location for an error
 *
 * Initializes GStreamer, registers Gremium's own elements
 * (`gremiumsframeprotect`, `gremiumsframeunprotect`) and checks that every
 * element a call needs is installed. Safe to call more than once; only the
 * first call does the work, later calls return its outcome.
 *
 * Returns: %TRUE if media can be used
 */
gboolean
gremium_media_init (GError **error)
{
  static GOnce once = G_ONCE_INIT;
  static GError *init_error = NULL;

  g_once (&once, init_once, &init_error);

  if (!GPOINTER_TO_INT (once.retval))
    {
      if (error != NULL && init_error != NULL)
        *error = g_error_copy (init_error);
      return FALSE;
    }

  return TRUE;
}
