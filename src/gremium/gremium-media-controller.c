/* gremium-media-controller.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-media-controller"

#include "config.h"

#include "gremium-media-controller.h"
#include "gremium-video-paintable.h"

#include <glib/gi18n.h>

/**
 * GremiumMediaController:
 *
 * The client's audio and video. While the member is present in the joined
 * meeting it runs a #GremiumCall (src/libgremium-media: one webrtcbin per
 * other participant) with this device's #GremiumMediaSource, protected with
 * the keys of the session's #GremiumMediaKeyAgent; on leave, sign-out or
 * window close the call stops. The media follow the keyring's
 * #GremiumMediaKeyring:active: a member who must leave the room for a
 * non-public item (Befangenheit) neither sends (no SFrame sender: every
 * packet is dropped before it leaves) nor decodes anything (no receivers),
 * while the connections stay up for the moment the member returns.
 *
 * For the windows it offers the pictures as #GdkPaintable (Debian 12 has no
 * GTK 4 video sink, so RGBA frames become #GdkMemoryTexture), the audio
 * levels and the active speaker, the microphone and camera switches, the
 * devices of the device monitor (the choice is kept in GSettings) and the
 * device check before joining.
 *
 * The public-room display blocks the output (set_muted_output()): then the
 * receivers are taken away too, so no picture and no sound of the meeting is
 * decoded on this computer at all until the output is released.
 *
 * Built without the media library, it keeps the switches' state, offers no
 * pictures, and the windows show name tiles.
 */

/* Levels in dBFS map to 0…1 over this range for meters and the speaking frame. */
#define LEVEL_FLOOR_DB   -60.0
/* A picture that stops coming (camera off on the far side, connection lost)
 * gives way to the name tile after this long.
 */
#define STALE_US         (1500 * G_TIME_SPAN_MILLISECOND)
#define STALE_CHECK_MS   500
/* Level meters move ten times a second, not at the rate levels arrive. */
#define LEVELS_MS        100

struct _GremiumMediaController
{
  GObject               parent_instance;

  GremiumSession       *session;
  GSettings            *settings;
  gboolean              microphone_on;
  gboolean              camera_on;
  gboolean              output_muted;
  GHashTable           *videos;           /* member id, "" for own → GremiumVideoPaintable */
  GHashTable           *levels;           /* member id, "" for own → double (0…1) */
  char                 *active_speaker;

#ifdef HAVE_GREMIUM_MEDIA
  GremiumMediaSource   *source;
  GremiumMediaKeyAgent *agent;
  GremiumMediaKeyring  *keyring;
  GremiumCall          *call;
  GHashTable           *peers;            /* member id → GremiumCallPeer */
  gboolean              previewing;
  gboolean              encrypted;
  gboolean              has_camera;
  gboolean              devices_applied;
  guint                 stale_id;
  guint                 levels_id;
  guint                 monitor_watch;
#endif
};

G_DEFINE_FINAL_TYPE (GremiumMediaController, gremium_media_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AVAILABLE,
  PROP_MICROPHONE_ON,
  PROP_CAMERA_ON,
  PROP_ENCRYPTED,
  PROP_ACTIVE_SPEAKER,
  PROP_IN_CALL,
  PROP_MUTED_OUTPUT,
  N_PROPS
};

enum {
  VIDEO_CHANGED,
  LEVELS_CHANGED,
  DEVICES_CHANGED,
  MEDIA_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
key_of (const char *member_id)
{
  return member_id != NULL ? member_id : "";
}

static void
set_level (GremiumMediaController *self,
           const char             *member_id,
           double                  level)
{
  double *slot = g_hash_table_lookup (self->levels, key_of (member_id));

  if (slot == NULL)
    {
      slot = g_new (double, 1);
      g_hash_table_insert (self->levels, g_strdup (key_of (member_id)), slot);
    }
  *slot = level;
}

static void
remove_video (GremiumMediaController *self,
              const char             *member_id)
{
  if (g_hash_table_remove (self->videos, key_of (member_id)))
    g_signal_emit (self, signals[VIDEO_CHANGED], 0, member_id);
}

#ifdef HAVE_GREMIUM_MEDIA

static double
level_from_db (double db)
{
  return CLAMP ((db - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB, 0.0, 1.0);
}

static gboolean
levels_cb (gpointer user_data)
{
  GremiumMediaController *self = user_data;

  self->levels_id = 0;
  g_signal_emit (self, signals[LEVELS_CHANGED], 0);

  return G_SOURCE_REMOVE;
}

static void
levels_changed (GremiumMediaController *self)
{
  if (self->levels_id == 0)
    self->levels_id = g_timeout_add (LEVELS_MS, levels_cb, self);
}

static void
push_video (GremiumMediaController *self,
            const char             *member_id,
            GBytes                 *pixels,
            guint                   width,
            guint                   height,
            guint                   stride)
{
  GremiumVideoPaintable *paintable = g_hash_table_lookup (self->videos, key_of (member_id));
  gboolean appeared = paintable == NULL;

  if (appeared)
    {
      paintable = gremium_video_paintable_new ();
      g_hash_table_insert (self->videos, g_strdup (key_of (member_id)), paintable);
    }

  gremium_video_paintable_push_frame (paintable, pixels, width, height, stride);

  if (appeared)
    g_signal_emit (self, signals[VIDEO_CHANGED], 0, member_id);
}

/* Whether this device may take part in the call's media now: the keyring
 * says whether the member is in the audience (present, and not excluded
 * from the current non-public item).
 */
static gboolean
media_allowed (GremiumMediaController *self)
{
  return self->keyring != NULL && gremium_media_keyring_get_active (self->keyring);
}

static gboolean
receiving (GremiumMediaController *self)
{
  return media_allowed (self) && !self->output_muted;
}

static void
clear_remote (GremiumMediaController *self)
{
  g_autofree gpointer *ids = NULL;
  guint n_ids;

  ids = g_hash_table_get_keys_as_array (self->videos, &n_ids);
  for (guint i = 0; i < n_ids; i++)
    {
      g_autofree char *id = g_strdup (ids[i]);

      if (id[0] != '\0')
        remove_video (self, id);
    }

  g_free (ids);
  ids = g_hash_table_get_keys_as_array (self->levels, &n_ids);
  for (guint i = 0; i < n_ids; i++)
    if (((char *) ids[i])[0] != '\0')
      set_level (self, ids[i], 0.0);
  levels_changed (self);
}

static void
update_encrypted (GremiumMediaController *self)
{
  gboolean encrypted = self->call != NULL && gremium_call_get_running (self->call) &&
                       gremium_call_get_encrypted (self->call) && media_allowed (self) &&
                       gremium_media_keyring_get_epoch (self->keyring, NULL);

  if (encrypted == self->encrypted)
    return;

  self->encrypted = encrypted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCRYPTED]);
}

/* Hands the keyring's sender and per-member receivers to the call, or takes
 * them away. Without a sender the SFrame elements drop every packet before
 * it leaves; without a receiver they drop every packet that arrives, so
 * nothing reaches a decoder.
 */
static void
apply_keys (GremiumMediaController *self)
{
  GremiumMeeting *meeting;
  GListModel *members;
  const char *me;
  gboolean receive = receiving (self);

  if (self->call == NULL)
    return;

  gremium_call_set_sender (self->call, media_allowed (self)
                                       ? gremium_media_keyring_get_sender (self->keyring)
                                       : NULL);

  /* One receiver per member, each holding only that member's keys, so that
   * no participant's packets can pass as another's (docs/media.md §3).
   */
  meeting = gremium_media_keyring_get_meeting (self->keyring);
  members = gremium_meeting_get_members (meeting);
  me = gremium_media_keyring_get_member_id (self->keyring);
  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (members, i);
      const char *id = gremium_member_get_id (member);

      if (g_str_equal (id, me))
        continue;
      gremium_call_set_member_receiver (self->call, id, receive
                                        ? gremium_media_keyring_get_member_receiver (self->keyring, id)
                                        : NULL);
    }

  if (!receive)
    clear_remote (self);

  update_encrypted (self);
}

static void
peer_video_frame_cb (GremiumCallPeer        *peer,
                     GBytes                 *pixels,
                     guint                   width,
                     guint                   height,
                     guint                   stride,
                     GremiumMediaController *self)
{
  /* A frame decoded just before the receivers went away is not shown. */
  if (!receiving (self))
    return;

  push_video (self, gremium_call_peer_get_member_id (peer), pixels, width, height, stride);
}

static void
peer_level_cb (GremiumCallPeer        *peer,
               GParamSpec             *pspec,
               GremiumMediaController *self)
{
  if (!receiving (self))
    return;

  set_level (self, gremium_call_peer_get_member_id (peer),
             level_from_db (gremium_call_peer_get_audio_level (peer)));
  levels_changed (self);
}

static void
forget_peer (GremiumMediaController *self,
             const char             *member_id)
{
  GremiumCallPeer *peer = g_hash_table_lookup (self->peers, member_id);

  if (peer != NULL)
    g_signal_handlers_disconnect_by_data (peer, self);
  g_hash_table_remove (self->peers, member_id);
}

/* The call's list of connections changed: a participant came, left, or a
 * failed connection was made anew. Pictures belong to the member, not to the
 * connection, so a reconnect keeps the tile's picture.
 */
static void
peers_changed_cb (GListModel             *peers,
                  guint                   position,
                  guint                   removed,
                  guint                   added,
                  GremiumMediaController *self)
{
  g_autoptr(GHashTable) now = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree gpointer *known = NULL;
  guint n_known;

  for (guint i = 0; i < g_list_model_get_n_items (peers); i++)
    {
      g_autoptr(GremiumCallPeer) peer = g_list_model_get_item (peers, i);
      const char *id = gremium_call_peer_get_member_id (peer);

      g_hash_table_insert (now, (gpointer) id, peer);
      if (g_hash_table_lookup (self->peers, id) == peer)
        continue;

      forget_peer (self, id);
      g_hash_table_insert (self->peers, g_strdup (id), g_object_ref (peer));
      g_signal_connect (peer, "video-frame", G_CALLBACK (peer_video_frame_cb), self);
      g_signal_connect (peer, "notify::audio-level", G_CALLBACK (peer_level_cb), self);
    }

  known = g_hash_table_get_keys_as_array (self->peers, &n_known);
  for (guint i = 0; i < n_known; i++)
    {
      g_autofree char *id = g_strdup (known[i]);

      if (g_hash_table_contains (now, id))
        continue;
      forget_peer (self, id);
      remove_video (self, id);
      g_hash_table_remove (self->levels, id);
      levels_changed (self);
    }
}

static void
active_speaker_cb (GremiumCall            *call,
                   GParamSpec             *pspec,
                   GremiumMediaController *self)
{
  const char *speaker = gremium_call_get_active_speaker (call);

  if (g_strcmp0 (speaker, self->active_speaker) == 0)
    return;

  g_free (self->active_speaker);
  self->active_speaker = g_strdup (speaker);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_SPEAKER]);
}

/* Outside a call the source only runs for the device check, which shows the
 * camera and the microphone whatever the switches say; nothing is sent then.
 * In a call the switches rule.
 */
static void
update_switches (GremiumMediaController *self)
{
  gboolean in_call = self->call != NULL;

  gremium_media_source_set_camera_enabled (self->source,
                                           self->has_camera && (!in_call || self->camera_on));
  gremium_media_source_set_muted (self->source, in_call && !self->microphone_on);
}

static void
local_frame_cb (GremiumMediaSource     *source,
                GBytes                 *pixels,
                guint                   width,
                guint                   height,
                guint                   stride,
                GremiumMediaController *self)
{
  if (self->has_camera && (self->call == NULL || self->camera_on))
    push_video (self, NULL, pixels, width, height, stride);
}

static void
local_level_cb (GremiumMediaSource     *source,
                GParamSpec             *pspec,
                GremiumMediaController *self)
{
  set_level (self, NULL, level_from_db (gremium_media_source_get_audio_level (source)));
  levels_changed (self);
}

/* Pictures that stopped coming give way to the name tile. */
static gboolean
stale_cb (gpointer user_data)
{
  GremiumMediaController *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autofree gpointer *ids = NULL;
  guint n_ids;

  ids = g_hash_table_get_keys_as_array (self->videos, &n_ids);
  for (guint i = 0; i < n_ids; i++)
    {
      GremiumVideoPaintable *paintable = g_hash_table_lookup (self->videos, ids[i]);
      g_autofree char *id = g_strdup (ids[i]);

      if (now - gremium_video_paintable_get_last_frame_time (paintable) > STALE_US)
        remove_video (self, id[0] != '\0' ? id : NULL);
    }

  return G_SOURCE_CONTINUE;
}

static void
update_stale_timer (GremiumMediaController *self)
{
  gboolean needed = self->call != NULL || self->previewing;

  if (needed && self->stale_id == 0)
    self->stale_id = g_timeout_add (STALE_CHECK_MS, stale_cb, self);
  else if (!needed)
    g_clear_handle_id (&self->stale_id, g_source_remove);
}

static void
report_error (GremiumMediaController *self,
              const GError           *error)
{
  g_autofree char *message = NULL;

  g_message ("Media: %s", error->message);
  message = g_strdup_printf (_("Camera and microphone could not be started. Close other programs "
                               "that use them and join again. (%s)"), error->message);
  g_signal_emit (self, signals[MEDIA_ERROR], 0, message);
}

static void ensure_devices (GremiumMediaController *self);

/* The device check before joining: capture on its own, nothing sent. */
static void
sync_preview (GremiumMediaController *self)
{
  gboolean wanted = self->previewing && self->call == NULL;

  if (wanted && !gremium_media_source_get_running (self->source))
    {
      g_autoptr(GError) error = NULL;

      ensure_devices (self);

      if (!gremium_media_source_start (self->source, &error))
        report_error (self, error);
    }
  else if (!wanted && gremium_media_source_get_running (self->source))
    {
      gremium_media_source_stop (self->source);
    }

  if (!wanted && self->call == NULL)
    {
      remove_video (self, NULL);
      set_level (self, NULL, 0.0);
      levels_changed (self);
    }
  update_stale_timer (self);
}

static void
stop_call (GremiumMediaController *self)
{
  g_autoptr(GremiumCall) call = g_steal_pointer (&self->call);
  g_autofree gpointer *ids = NULL;
  guint n_ids;

  if (call == NULL)
    return;

  g_signal_handlers_disconnect_by_data (call, self);
  g_signal_handlers_disconnect_by_data (gremium_call_get_peers (call), self);
  ids = g_hash_table_get_keys_as_array (self->peers, &n_ids);
  for (guint i = 0; i < n_ids; i++)
    {
      g_autofree char *id = g_strdup (ids[i]);

      forget_peer (self, id);
    }
  gremium_call_stop (call);
  update_switches (self);

  g_clear_pointer (&self->active_speaker, g_free);
  g_hash_table_remove_all (self->videos);
  g_hash_table_remove_all (self->levels);
  g_signal_emit (self, signals[VIDEO_CHANGED], 0, NULL);
  levels_changed (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_SPEAKER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_CALL]);
  update_encrypted (self);
}

static void
start_call (GremiumMediaController *self)
{
  GremiumClient *client = gremium_session_get_client (self->session);
  GremiumMeeting *meeting = gremium_session_get_meeting (self->session);
  g_autoptr(GError) error = NULL;

  g_assert (self->call == NULL);

  /* The device check gives the devices back before the call takes them. */
  gremium_media_source_stop (self->source);
  ensure_devices (self);

  self->call = gremium_call_new (client, gremium_meeting_get_id (meeting), self->source);
  g_signal_connect (gremium_call_get_peers (self->call), "items-changed",
                    G_CALLBACK (peers_changed_cb), self);
  g_signal_connect (self->call, "notify::active-speaker", G_CALLBACK (active_speaker_cb), self);
  update_switches (self);
  apply_keys (self);

  if (!gremium_call_start (self->call, &error))
    {
      g_clear_object (&self->call);
      report_error (self, error);
      return;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_CALL]);
  update_encrypted (self);
}

/* The call runs exactly while this member is present in the joined meeting. */
static void
sync_call (GremiumMediaController *self)
{
  GremiumMember *me = gremium_session_get_me (self->session);
  gboolean wanted = self->keyring != NULL && me != NULL &&
                    gremium_member_get_presence (me) == GREMIUM_PRESENCE_PRESENT;

  if (wanted && self->call == NULL)
    start_call (self);
  else if (!wanted && self->call != NULL)
    stop_call (self);

  sync_preview (self);
}

static void
keyring_active_cb (GremiumMediaController *self)
{
  apply_keys (self);
}

static void
keyring_key_cb (GremiumMediaController *self)
{
  update_encrypted (self);
}

static void
drop_keyring (GremiumMediaController *self)
{
  if (self->keyring != NULL)
    g_signal_handlers_disconnect_by_data (self->keyring, self);
  g_clear_object (&self->keyring);
  g_clear_object (&self->agent);
}

static void
meeting_changed_cb (GremiumMediaController *self)
{
  GremiumMediaKeyAgent *agent = gremium_session_get_media_key_agent (self->session);

  if (agent != self->agent)
    {
      stop_call (self);
      drop_keyring (self);
      if (agent != NULL)
        {
          self->agent = g_object_ref (agent);
          self->keyring = g_object_ref (gremium_media_key_agent_get_keyring (agent));
          g_signal_connect_swapped (self->keyring, "notify::active",
                                    G_CALLBACK (keyring_active_cb), self);
          g_signal_connect_swapped (self->keyring, "sender-key-changed",
                                    G_CALLBACK (keyring_key_cb), self);
        }
    }

  sync_call (self);
}

static GstDevice *
find_device (GremiumMediaController *self,
             const char             *device_class,
             const char             *name)
{
  GList *devices;
  GstDevice *found = NULL;

  if (name == NULL || name[0] == '\0')
    return NULL;

  devices = gremium_media_source_list_devices (self->source, device_class);
  for (GList *l = devices; l != NULL && found == NULL; l = l->next)
    {
      g_autofree char *display_name = gst_device_get_display_name (l->data);

      if (g_strcmp0 (display_name, name) == 0)
        found = gst_object_ref (l->data);
    }
  g_list_free_full (devices, gst_object_unref);

  return found;
}

static gboolean
source_is (GremiumMediaController *self,
           const char             *property,
           const char             *kind)
{
  g_autofree char *value = NULL;

  g_object_get (self->source, property, &value, NULL);
  return g_strcmp0 (value, kind) == 0;
}

/* The devices chosen in the settings (the default when the chosen one is not
 * plugged in). The media library reads them when capture starts: a running
 * device check starts again, a running call keeps its devices until the
 * next one (docs/media.md §8).
 */
static void
apply_devices (GremiumMediaController *self)
{
  g_autofree char *camera_name = g_settings_get_string (self->settings, "camera");
  g_autofree char *microphone_name = g_settings_get_string (self->settings, "microphone");
  g_autoptr(GstDevice) camera = find_device (self, "Video/Source", camera_name);
  g_autoptr(GstDevice) microphone = find_device (self, "Audio/Source", microphone_name);
  GList *cameras;
  gboolean has_camera;

  gremium_media_source_set_video_device (self->source, camera);
  gremium_media_source_set_audio_device (self->source, microphone);

  /* Without a camera the "auto" source would send black frames; send
   * nothing instead, and the others see the name tile.
   */
  if (source_is (self, "video-source", GREMIUM_MEDIA_SOURCE_TEST))
    has_camera = TRUE;
  else if (source_is (self, "video-source", GREMIUM_MEDIA_SOURCE_NONE))
    has_camera = FALSE;
  else
    {
      cameras = gremium_media_source_list_devices (self->source, "Video/Source");
      has_camera = cameras != NULL;
      g_list_free_full (cameras, gst_object_unref);
    }
  self->has_camera = has_camera;
  self->devices_applied = TRUE;
  update_switches (self);

  if (gremium_media_source_get_running (self->source))
    {
      gremium_media_source_stop (self->source);
      sync_preview (self);
    }
}

static void
settings_changed_cb (GremiumMediaController *self)
{
  if (self->devices_applied)
    apply_devices (self);
}

/* The device monitor starts the first time devices matter (the device
 * check, a call, a list of devices), not when the program starts.
 */
static void
ensure_devices (GremiumMediaController *self)
{
  if (!self->devices_applied)
    apply_devices (self);
}

static gboolean
monitor_bus_cb (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  GremiumMediaController *self = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_DEVICE_ADDED ||
      GST_MESSAGE_TYPE (message) == GST_MESSAGE_DEVICE_REMOVED)
    {
      apply_devices (self);
      g_signal_emit (self, signals[DEVICES_CHANGED], 0);
    }

  return G_SOURCE_CONTINUE;
}

static void
watch_devices (GremiumMediaController *self)
{
  g_autoptr(GstBus) bus = NULL;

  if (self->monitor_watch != 0)
    return;

  bus = gst_device_monitor_get_bus (gremium_media_source_get_monitor (self->source));
  self->monitor_watch = gst_bus_add_watch (bus, monitor_bus_cb, self);
}

static char **
dup_devices (GremiumMediaController *self,
             const char             *device_class)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GList *devices;

  ensure_devices (self);
  watch_devices (self);
  devices = gremium_media_source_list_devices (self->source, device_class);
  for (GList *l = devices; l != NULL; l = l->next)
    {
      g_autofree char *name = gst_device_get_display_name (l->data);

      g_strv_builder_add (builder, name);
    }
  g_list_free_full (devices, gst_object_unref);

  return g_strv_builder_end (builder);
}

#endif /* HAVE_GREMIUM_MEDIA */

static void
gremium_media_controller_dispose (GObject *object)
{
  GremiumMediaController *self = (GremiumMediaController *) object;

#ifdef HAVE_GREMIUM_MEDIA
  stop_call (self);
  drop_keyring (self);
  g_clear_handle_id (&self->stale_id, g_source_remove);
  g_clear_handle_id (&self->levels_id, g_source_remove);
  g_clear_handle_id (&self->monitor_watch, g_source_remove);
  if (self->source != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->source, self);
      gremium_media_source_stop (self->source);
    }
  g_clear_object (&self->source);
#endif

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gremium_media_controller_parent_class)->dispose (object);
}

static void
gremium_media_controller_finalize (GObject *object)
{
  GremiumMediaController *self = (GremiumMediaController *) object;

  g_clear_pointer (&self->videos, g_hash_table_unref);
  g_clear_pointer (&self->levels, g_hash_table_unref);
#ifdef HAVE_GREMIUM_MEDIA
  g_clear_pointer (&self->peers, g_hash_table_unref);
#endif
  g_free (self->active_speaker);

  G_OBJECT_CLASS (gremium_media_controller_parent_class)->finalize (object);
}

static void
gremium_media_controller_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  GremiumMediaController *self = GREMIUM_MEDIA_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, gremium_media_controller_get_available (self));
      break;

    case PROP_MICROPHONE_ON:
      g_value_set_boolean (value, self->microphone_on);
      break;

    case PROP_CAMERA_ON:
      g_value_set_boolean (value, self->camera_on);
      break;

    case PROP_ENCRYPTED:
      g_value_set_boolean (value, gremium_media_controller_get_encrypted (self));
      break;

    case PROP_ACTIVE_SPEAKER:
      g_value_set_string (value, self->active_speaker);
      break;

    case PROP_IN_CALL:
      g_value_set_boolean (value, gremium_media_controller_get_in_call (self));
      break;

    case PROP_MUTED_OUTPUT:
      g_value_set_boolean (value, self->output_muted);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_media_controller_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  GremiumMediaController *self = GREMIUM_MEDIA_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_MICROPHONE_ON:
      gremium_media_controller_set_microphone_on (self, g_value_get_boolean (value));
      break;

    case PROP_CAMERA_ON:
      gremium_media_controller_set_camera_on (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_media_controller_class_init (GremiumMediaControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_media_controller_dispose;
  object_class->finalize = gremium_media_controller_finalize;
  object_class->get_property = gremium_media_controller_get_property;
  object_class->set_property = gremium_media_controller_set_property;

  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MICROPHONE_ON] =
    g_param_spec_boolean ("microphone-on", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAMERA_ON] =
    g_param_spec_boolean ("camera-on", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumMediaController:encrypted:
   *
   * Whether this device takes part in the call with its own SFrame key:
   * media flows end-to-end encrypted.
   */
  properties[PROP_ENCRYPTED] =
    g_param_spec_boolean ("encrypted", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumMediaController:active-speaker:
   *
   * The member heard loudest now (this member included), from the audio
   * levels with a short hold, or %NULL.
   */
  properties[PROP_ACTIVE_SPEAKER] =
    g_param_spec_string ("active-speaker", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumMediaController:in-call:
   *
   * Whether the call of the joined meeting runs.
   */
  properties[PROP_IN_CALL] =
    g_param_spec_boolean ("in-call", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumMediaController:muted-output:
   *
   * Whether the public-room display blocks every picture and sound of the
   * others on this computer (gremium_media_controller_set_muted_output()).
   */
  properties[PROP_MUTED_OUTPUT] =
    g_param_spec_boolean ("muted-output", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GremiumMediaController::video-changed:
   * @self: the media
   * @member_id: (nullable): whose picture appeared or went away; %NULL for
   *   this device's own, or for everyone's when the call ended
   *
   * New frames of a picture do not emit this: the #GdkPaintable of
   * gremium_media_controller_get_video() invalidates itself.
   */
  signals[VIDEO_CHANGED] =
    g_signal_new ("video-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * GremiumMediaController::levels-changed:
   * @self: the media
   *
   * The audio levels changed (at most ten times a second).
   */
  signals[LEVELS_CHANGED] =
    g_signal_new ("levels-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  /**
   * GremiumMediaController::devices-changed:
   * @self: the media
   *
   * A camera or microphone was plugged in or removed.
   */
  signals[DEVICES_CHANGED] =
    g_signal_new ("devices-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  /**
   * GremiumMediaController::media-error:
   * @self: the media
   * @message: what went wrong and what to do, translated
   */
  signals[MEDIA_ERROR] =
    g_signal_new ("media-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gremium_media_controller_init (GremiumMediaController *self)
{
  self->videos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->levels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
#ifdef HAVE_GREMIUM_MEDIA
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
#endif
}

/**
 * gremium_media_controller_new:
 * @session: the session whose meeting to take part in
 *
 * Returns: (transfer full): the media of the application
 */
GremiumMediaController *
gremium_media_controller_new (GremiumSession *session)
{
  GremiumMediaController *self;

  g_return_val_if_fail (GREMIUM_IS_SESSION (session), NULL);

  self = g_object_new (GREMIUM_TYPE_MEDIA_CONTROLLER, NULL);
  self->session = g_object_ref (session);
  self->settings = g_object_ref (gremium_session_get_settings (session));

#ifdef HAVE_GREMIUM_MEDIA
  {
    g_autoptr(GError) error = NULL;

    if (!gremium_media_init (&error))
      g_message ("No audio and video: %s", error->message);
  }

  /* The sources follow GREMIUM_VIDEO_SOURCE and GREMIUM_AUDIO_SOURCE (test
   * pictures and tones for the demo and the tests); the microphone starts
   * muted and the camera off until the member joins.
   */
  self->source = g_object_new (GREMIUM_TYPE_MEDIA_SOURCE,
                               "preview", TRUE,
                               "muted", TRUE,
                               "camera-enabled", FALSE,
                               NULL);
  g_signal_connect (self->source, "video-frame", G_CALLBACK (local_frame_cb), self);
  g_signal_connect (self->source, "notify::audio-level", G_CALLBACK (local_level_cb), self);
  g_signal_connect_swapped (self->settings, "changed::camera", G_CALLBACK (settings_changed_cb), self);
  g_signal_connect_swapped (self->settings, "changed::microphone", G_CALLBACK (settings_changed_cb),
                            self);
  g_signal_connect_swapped (session, "notify::meeting", G_CALLBACK (meeting_changed_cb), self);
  g_signal_connect_swapped (session, "notify::presence", G_CALLBACK (sync_call), self);
  meeting_changed_cb (self);
#endif

  return self;
}

/**
 * gremium_media_controller_get_available:
 * @self: a media object
 *
 * Returns: whether audio and video work in this build
 */
gboolean
gremium_media_controller_get_available (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), FALSE);

#ifdef HAVE_GREMIUM_MEDIA
  return TRUE;
#else
  return FALSE;
#endif
}

gboolean
gremium_media_controller_get_microphone_on (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), FALSE);

  return self->microphone_on;
}

/**
 * gremium_media_controller_set_microphone_on:
 * @self: a media object
 * @on: whether the others hear this member
 *
 * The microphone switch. Off sends silence (docs/media.md §2).
 */
void
gremium_media_controller_set_microphone_on (GremiumMediaController *self,
                                            gboolean                on)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self));

  on = !!on;
  if (self->microphone_on == on)
    return;

  self->microphone_on = on;
#ifdef HAVE_GREMIUM_MEDIA
  update_switches (self);
#endif
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MICROPHONE_ON]);
}

gboolean
gremium_media_controller_get_camera_on (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), FALSE);

  return self->camera_on;
}

/**
 * gremium_media_controller_set_camera_on:
 * @self: a media object
 * @on: whether the others see this member
 *
 * The camera switch. Off sends no video at all, and the own tile shows the
 * name.
 */
void
gremium_media_controller_set_camera_on (GremiumMediaController *self,
                                        gboolean                on)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self));

  on = !!on;
  if (self->camera_on == on)
    return;

  self->camera_on = on;
#ifdef HAVE_GREMIUM_MEDIA
  update_switches (self);
  if (!on && self->call != NULL)
    remove_video (self, NULL);
#endif
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_ON]);
}

/**
 * gremium_media_controller_get_has_camera:
 * @self: a media object
 *
 * Returns: whether there is a camera (or a test picture) to send
 */
gboolean
gremium_media_controller_get_has_camera (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), FALSE);

#ifdef HAVE_GREMIUM_MEDIA
  ensure_devices (self);
  return self->has_camera;
#else
  return FALSE;
#endif
}

/**
 * gremium_media_controller_get_video:
 * @self: a media object
 * @member_id: (nullable): a participant, or %NULL for this device's own camera
 *
 * Returns: (transfer none) (nullable): the participant's picture while it
 *   comes; a #GremiumVideoPaintable
 */
GdkPaintable *
gremium_media_controller_get_video (GremiumMediaController *self,
                                    const char             *member_id)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), NULL);

  return g_hash_table_lookup (self->videos, key_of (member_id));
}

/**
 * gremium_media_controller_get_level:
 * @self: a media object
 * @member_id: (nullable): a participant, or %NULL for this device's microphone
 *
 * Returns: the audio level from 0 (silence, −60 dBFS and below) to 1 (0 dBFS)
 */
double
gremium_media_controller_get_level (GremiumMediaController *self,
                                    const char             *member_id)
{
  double *level;

  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), 0.0);

  level = g_hash_table_lookup (self->levels, key_of (member_id));
  return level ? *level : 0.0;
}

/**
 * gremium_media_controller_get_active_speaker:
 * @self: a media object
 *
 * Returns: (nullable): the member heard loudest now, this one included
 */
const char *
gremium_media_controller_get_active_speaker (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), NULL);

  return self->active_speaker;
}

/**
 * gremium_media_controller_dup_cameras:
 * @self: a media object
 *
 * Returns: (transfer full): the names of the cameras found
 */
char **
gremium_media_controller_dup_cameras (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), NULL);

#ifdef HAVE_GREMIUM_MEDIA
  return dup_devices (self, "Video/Source");
#else
  return g_new0 (char *, 1);
#endif
}

/**
 * gremium_media_controller_dup_microphones:
 * @self: a media object
 *
 * Returns: (transfer full): the names of the microphones found
 */
char **
gremium_media_controller_dup_microphones (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), NULL);

#ifdef HAVE_GREMIUM_MEDIA
  return dup_devices (self, "Audio/Source");
#else
  return g_new0 (char *, 1);
#endif
}

/**
 * gremium_media_controller_set_previewing:
 * @self: a media object
 * @previewing: whether the device check is shown
 *
 * Outside a call, captures the camera and the microphone for the device
 * check (the own picture and level), and gives the devices back when
 * @previewing is %FALSE. During a call the picture and level come anyway.
 */
void
gremium_media_controller_set_previewing (GremiumMediaController *self,
                                         gboolean                previewing)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self));

#ifdef HAVE_GREMIUM_MEDIA
  self->previewing = !!previewing;
  sync_preview (self);
#endif
}

/**
 * gremium_media_controller_set_muted_output:
 * @self: a media object
 * @muted: whether no picture and no sound of the others may be played
 *
 * The public-room display blocks the output during non-public items: the
 * call keeps its connections but decodes nothing (the receivers are taken
 * away), so neither picture nor sound of the meeting reaches this computer's
 * screen or speakers.
 */
void
gremium_media_controller_set_muted_output (GremiumMediaController *self,
                                           gboolean                muted)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self));

  muted = !!muted;
  if (self->output_muted == muted)
    return;

  self->output_muted = muted;
#ifdef HAVE_GREMIUM_MEDIA
  apply_keys (self);
#endif
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED_OUTPUT]);
}

/**
 * gremium_media_controller_get_muted_output:
 * @self: a media object
 *
 * Returns: whether the output is blocked (gremium_media_controller_set_muted_output())
 */
gboolean
gremium_media_controller_get_muted_output (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), FALSE);

  return self->output_muted;
}

/**
 * gremium_media_controller_get_in_call:
 * @self: a media object
 *
 * Returns: whether the call of the joined meeting runs
 */
gboolean
gremium_media_controller_get_in_call (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), FALSE);

#ifdef HAVE_GREMIUM_MEDIA
  return self->call != NULL;
#else
  return FALSE;
#endif
}

/**
 * gremium_media_controller_get_encrypted:
 * @self: a media object
 *
 * Returns: whether media flows end-to-end encrypted (SFrame) right now
 */
gboolean
gremium_media_controller_get_encrypted (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), FALSE);

#ifdef HAVE_GREMIUM_MEDIA
  return self->encrypted;
#else
  return FALSE;
#endif
}

#ifdef HAVE_GREMIUM_MEDIA
/**
 * gremium_media_controller_get_source:
 * @self: a media object
 *
 * Returns: (transfer none): this device's capture; its format may be set
 *   before a call starts
 */
GremiumMediaSource *
gremium_media_controller_get_source (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), NULL);

  return self->source;
}

/**
 * gremium_media_controller_get_call:
 * @self: a media object
 *
 * Returns: (transfer none) (nullable): the running call, for tests and
 *   diagnostics
 */
GremiumCall *
gremium_media_controller_get_call (GremiumMediaController *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_CONTROLLER (self), NULL);

  return self->call;
}
#endif
