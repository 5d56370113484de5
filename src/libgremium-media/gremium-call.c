/* gremium-call.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gremium-call.h"
#include "gremium-call-private.h"
#include "gremium-media-source-private.h"

#include "gremium-error.h"
#include "gremium-meeting.h"

/* The media of one meeting: one pipeline with the local capture, one
 * encoder per stream behind a tee, and one GremiumCallPeer (a webrtcbin
 * and its branches) per other participant who is present: a mesh.
 *
 *   source ─ video ─ vp8enc ─ tee ─┬─ peer A
 *          └ audio ─ opusenc ─ tee ─┼─ peer B
 *                                   └─ …
 *
 * Who is in the call follows the meeting model's presence: a member who is
 * present (and is not us) gets a peer while we are present ourselves.
 * Signalling goes through the server as peer messages of the types
 * GREMIUM_CALL_MESSAGE_*; other types (media keys) are not ours and are
 * left alone. docs/media.md describes all of it.
 */

#define DEFAULT_LATENCY_MS     50
#define DEFAULT_AUDIO_LATENCY_MS 20
#define RESTART_DELAY_MS       1000
#define SPEAKER_THRESHOLD_DB   -50.0
#define SPEAKER_MARGIN_DB      6.0
#define SPEAKER_HOLD_US        (700 * G_TIME_SPAN_MILLISECOND)

struct _GremiumCall
{
  GObject                parent_instance;

  GremiumClient         *client;
  char                  *meeting_id;
  GremiumMediaSource    *source;
  gboolean               encrypted;
  GremiumSFrameSender   *sender;
  GremiumSFrameReceiver *receiver;
  char                  *stun_server;
  char                 **turn_servers;
  guint                  latency;
  guint                  audio_latency;
  char                  *audio_sink;
  GremiumCallTaps        taps;

  GMainContext          *context;
  GstElement            *pipeline;
  GstElement            *video_tee;
  GstElement            *audio_tee;
  guint                  bus_watch;
  GremiumMeeting        *meeting;
  gulong                 entry_handler;
  gulong                 peer_message_handler;
  gulong                 reconnected_handler;
  GListStore            *peers;
  GHashTable            *peer_by_id;       /* member id → GremiumCallPeer */
  GHashTable            *restarts;         /* member id → source id */
  GHashTable            *member_receivers; /* member id → GremiumSFrameReceiver */
  GremiumCallConfig      config;

  char                  *active_speaker;
  double                 speaker_level;
  gint64                 speaker_since;
};

G_DEFINE_FINAL_TYPE (GremiumCall, gremium_call, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_MEETING_ID,
  PROP_SOURCE,
  PROP_ENCRYPTED,
  PROP_SENDER,
  PROP_RECEIVER,
  PROP_STUN_SERVER,
  PROP_TURN_SERVERS,
  PROP_LATENCY,
  PROP_AUDIO_LATENCY,
  PROP_AUDIO_SINK,
  PROP_RUNNING,
  PROP_ACTIVE_SPEAKER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() is GLib 2.76; Debian 12 has 2.74. */
static gboolean
set_str (char       **slot,
         const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;

  g_free (*slot);
  *slot = g_strdup (value);

  return TRUE;
}

static void
add_peer (GremiumCall *self,
          const char  *member_id)
{
  g_autoptr(GremiumCallPeer) peer = NULL;
  g_autoptr(GError) error = NULL;
  const char *local = gremium_client_get_member_id (self->client);
  GremiumSFrameReceiver *receiver = g_hash_table_lookup (self->member_receivers, member_id);
  GremiumCallConfig config = self->config;

  if (receiver != NULL)
    config.receiver = receiver;

  /* The rule of docs/media.md: the smaller member id offers. */
  peer = _gremium_call_peer_new (self, member_id, strcmp (local, member_id) < 0);
  if (!_gremium_call_peer_start (peer, &config, &error))
    {
      g_warning ("Cannot connect to %s: %s", member_id, error->message);
      _gremium_call_peer_close (peer);
      return;
    }

  g_debug ("Call %s: added %s (%s)", self->meeting_id, member_id,
           gremium_call_peer_get_is_offerer (peer) ? "we offer" : "we answer");
  g_hash_table_insert (self->peer_by_id, g_strdup (member_id), g_object_ref (peer));
  g_list_store_append (self->peers, peer);
}

static void
remove_peer (GremiumCall *self,
             const char  *member_id)
{
  GremiumCallPeer *peer = g_hash_table_lookup (self->peer_by_id, member_id);
  guint position;

  if (peer == NULL)
    return;

  g_debug ("Call %s: removed %s", self->meeting_id, member_id);
  g_object_ref (peer);
  _gremium_call_peer_close (peer);
  if (g_list_store_find (self->peers, peer, &position))
    g_list_store_remove (self->peers, position);
  g_hash_table_remove (self->peer_by_id, member_id);

  if (g_strcmp0 (self->active_speaker, member_id) == 0)
    {
      g_clear_pointer (&self->active_speaker, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_SPEAKER]);
    }
  g_object_unref (peer);
}

static void entry_applied_cb (GremiumMeeting     *meeting,
                              GremiumRecordEntry *entry,
                              GremiumCall        *self);

/* Brings the set of peers in line with who is present now. */
static void
sync_peers (GremiumCall *self)
{
  GremiumMeeting *meeting = gremium_client_get_meeting (self->client, self->meeting_id);
  const char *local = gremium_client_get_member_id (self->client);
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree gpointer *ids = NULL;
  GremiumMember *me;
  GListModel *members;
  guint n_ids;

  if (self->pipeline == NULL)
    return;

  /* After a reconnect the client may hold a new model of the meeting. */
  if (meeting != self->meeting)
    {
      if (self->meeting != NULL)
        g_clear_signal_handler (&self->entry_handler, self->meeting);
      g_set_object (&self->meeting, meeting);
      if (meeting != NULL)
        self->entry_handler = g_signal_connect (meeting, "entry-applied",
                                                G_CALLBACK (entry_applied_cb), self);
    }

  me = meeting != NULL ? gremium_meeting_lookup_member (meeting, local) : NULL;
  if (me != NULL && gremium_member_get_presence (me) == GREMIUM_PRESENCE_PRESENT)
    {
      members = gremium_meeting_get_members (meeting);
      for (guint i = 0; i < g_list_model_get_n_items (members); i++)
        {
          g_autoptr(GremiumMember) member = g_list_model_get_item (members, i);
          const char *id = gremium_member_get_id (member);

          if (!g_str_equal (id, local) &&
              gremium_member_get_presence (member) == GREMIUM_PRESENCE_PRESENT)
            g_hash_table_add (wanted, (gpointer) id);
        }
    }

  ids = g_hash_table_get_keys_as_array (self->peer_by_id, &n_ids);
  for (guint i = 0; i < n_ids; i++)
    {
      g_autofree char *id = g_strdup (ids[i]);

      if (!g_hash_table_contains (wanted, id))
        {
          g_hash_table_remove (self->restarts, id);
          remove_peer (self, id);
        }
    }

  {
    GHashTableIter iter;
    gpointer id;

    g_hash_table_iter_init (&iter, wanted);
    while (g_hash_table_iter_next (&iter, &id, NULL))
      if (!g_hash_table_contains (self->peer_by_id, id) &&
          !g_hash_table_contains (self->restarts, id))
        add_peer (self, id);
  }
}

static void
entry_applied_cb (GremiumMeeting     *meeting,
                  GremiumRecordEntry *entry,
                  GremiumCall        *self)
{
  sync_peers (self);
}

static void
reconnected_cb (GremiumClient *client,
                GremiumCall   *self)
{
  sync_peers (self);
}

static void
peer_message_cb (GremiumClient *client,
                 const char    *meeting_id,
                 const char    *from,
                 const char    *body,
                 GremiumCall   *self)
{
  g_autoptr(JsonNode) node = NULL;
  GremiumCallPeer *peer;
  JsonObject *object;
  const char *type, *session;

  if (self->pipeline == NULL || g_strcmp0 (meeting_id, self->meeting_id) != 0)
    return;

  node = json_from_string (body, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);
  type = json_object_get_string_member_with_default (object, "type", "");

  /* Media keys and anything else travel the same way; not ours. */
  if (!g_str_equal (type, GREMIUM_CALL_MESSAGE_OFFER) &&
      !g_str_equal (type, GREMIUM_CALL_MESSAGE_ANSWER) &&
      !g_str_equal (type, GREMIUM_CALL_MESSAGE_ICE))
    return;

  session = json_object_get_string_member_with_default (object, "session", NULL);
  if (session == NULL || g_str_equal (from, gremium_client_get_member_id (self->client)))
    return;

  peer = g_hash_table_lookup (self->peer_by_id, from);

  if (g_str_equal (type, GREMIUM_CALL_MESSAGE_OFFER))
    {
      /* A new session of the offerer (it restarted its call or its
       * connection failed): start over with a fresh connection.
       */
      if (peer != NULL && !gremium_call_peer_get_is_offerer (peer) &&
          _gremium_call_peer_has_remote (peer) &&
          g_strcmp0 (_gremium_call_peer_get_session (peer), session) != 0)
        {
          remove_peer (self, from);
          peer = NULL;
        }

      /* The server relays only between present participants, so an offer
       * may arrive before the entry that shows its sender present.
       */
      if (peer == NULL && strcmp (from, gremium_client_get_member_id (self->client)) < 0)
        {
          g_hash_table_remove (self->restarts, from);
          add_peer (self, from);
          peer = g_hash_table_lookup (self->peer_by_id, from);
        }
    }

  if (peer != NULL)
    _gremium_call_peer_handle_signal (peer, type, object);
}

static void
send_signal_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The offerer sends again; a lost answer is asked for by that. */
  if (!gremium_client_send_peer_finish (GREMIUM_CLIENT (object), result, &error))
    g_debug ("A signalling message was not relayed: %s", error->message);
}

void
_gremium_call_send_signal (GremiumCall *self,
                           const char  *to,
                           JsonObject  *body)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
  g_autofree char *text = json_to_string (node, FALSE);

  gremium_client_send_peer_async (self->client, self->meeting_id, to, text, NULL,
                                  send_signal_cb, NULL);
}

typedef struct
{
  GremiumCall *call;
  char        *member_id;
} Restart;

static void
restart_free (gpointer data)
{
  Restart *restart = data;

  g_object_unref (restart->call);
  g_free (restart->member_id);
  g_free (restart);
}

static gboolean
restart_cb (gpointer user_data)
{
  Restart *restart = user_data;

  g_hash_table_remove (restart->call->restarts, restart->member_id);
  sync_peers (restart->call);

  return G_SOURCE_REMOVE;
}

/* The connection to @peer failed: close it and build a new one a moment
 * later, if the participant is still there.
 */
void
_gremium_call_restart_peer (GremiumCall     *self,
                            GremiumCallPeer *peer)
{
  const char *member_id = gremium_call_peer_get_member_id (peer);
  Restart *restart;
  guint id;

  if (g_hash_table_lookup (self->peer_by_id, member_id) != peer ||
      g_hash_table_contains (self->restarts, member_id))
    return;

  g_message ("The connection to %s failed; trying again", member_id);
  restart = g_new0 (Restart, 1);
  restart->call = g_object_ref (self);
  restart->member_id = g_strdup (member_id);
  id = g_timeout_add_full (G_PRIORITY_DEFAULT, RESTART_DELAY_MS, restart_cb, restart,
                           restart_free);
  g_hash_table_insert (self->restarts, g_strdup (member_id), GUINT_TO_POINTER (id));
  remove_peer (self, restart->member_id);
}

/* The active speaker: the loudest participant above the threshold, who
 * keeps the place until someone else is clearly louder or they fall
 * silent, and for at least SPEAKER_HOLD_US, so the view does not flicker.
 */
static void
update_speaker (GremiumCall *self,
                const char  *member_id,
                double       level)
{
  gint64 now = g_get_monotonic_time ();
  gboolean current = g_strcmp0 (member_id, self->active_speaker) == 0;

  if (current)
    {
      self->speaker_level = level;
      return;
    }

  if (level < SPEAKER_THRESHOLD_DB)
    return;

  if (self->active_speaker == NULL ||
      (now - self->speaker_since > SPEAKER_HOLD_US &&
       (self->speaker_level < SPEAKER_THRESHOLD_DB ||
        level > self->speaker_level + SPEAKER_MARGIN_DB)))
    {
      g_free (self->active_speaker);
      self->active_speaker = g_strdup (member_id);
      self->speaker_level = level;
      self->speaker_since = now;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_SPEAKER]);
    }
}

static const char *
member_of_element (GstObject *object)
{
  for (GstObject *o = object; o != NULL; o = GST_OBJECT_PARENT (o))
    {
      const char *id = g_object_get_data (G_OBJECT (o), "gremium-member-id");

      if (id != NULL)
        return id;
    }

  return NULL;
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  GremiumCall *self = user_data;

  /* Only three kinds of message matter; an if chain says so better than a
   * switch over the ~40 message types.
   */
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT)
    {
      const GstStructure *s = gst_message_get_structure (message);
      const char *member_id;
      GremiumCallPeer *peer;
      double level;

      if (s == NULL || !gst_structure_has_name (s, "level"))
        return G_SOURCE_CONTINUE;

      level = _gremium_media_level_from_message (s);
      member_id = member_of_element (GST_MESSAGE_SRC (message));
      if (member_id == NULL)
        {
          _gremium_media_source_set_level (self->source, level);
          update_speaker (self, gremium_client_get_member_id (self->client), level);
        }
      else if ((peer = g_hash_table_lookup (self->peer_by_id, member_id)) != NULL)
        {
          _gremium_call_peer_set_audio_level (peer, level);
          update_speaker (self, member_id, level);
        }
    }
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_LATENCY)
    {
      gst_bin_recalculate_latency (GST_BIN (self->pipeline));
    }
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *debug = NULL;
      const char *member_id = member_of_element (GST_MESSAGE_SRC (message));
      GremiumCallPeer *peer;

      gst_message_parse_error (message, &error, &debug);
      g_warning ("Media error from %s%s%s: %s (%s)", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)),
                 member_id ? " of " : "", member_id ? member_id : "", error->message,
                 debug ? debug : "");

      /* An error inside one peer's branch costs only that connection. */
      if (member_id != NULL &&
          (peer = g_hash_table_lookup (self->peer_by_id, member_id)) != NULL)
        _gremium_call_restart_peer (self, peer);
    }
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_WARNING)
    {
      g_autoptr(GError) error = NULL;

      gst_message_parse_warning (message, &error, NULL);
      g_debug ("Media warning from %s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)),
               error->message);
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
build_encoder (GremiumCall  *self,
               GstElement   *source,
               const char   *pad_name,
               GstElement   *encoder,
               GstElement  **tee,
               GError      **error)
{
  g_autoptr(GstPad) src = gst_element_get_static_pad (source, pad_name);
  g_autoptr(GstPad) sink = NULL;

  if (encoder == NULL)
    return FALSE;

  *tee = _gremium_media_make_element ("tee", NULL, error);
  if (*tee == NULL)
    {
      gst_object_unref (gst_object_ref_sink (encoder));
      return FALSE;
    }

  /* Without peers nothing is linked; that is not an error. */
  g_object_set (*tee, "allow-not-linked", TRUE, NULL);
  gst_bin_add_many (GST_BIN (self->pipeline), encoder, *tee, NULL);

  sink = gst_element_get_static_pad (encoder, "sink");
  if (gst_pad_link (src, sink) != GST_PAD_LINK_OK || !gst_element_link (encoder, *tee))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED, "Cannot link the %s encoder",
                   pad_name);
      return FALSE;
    }

  return TRUE;
}

static void
gremium_call_dispose (GObject *object)
{
  GremiumCall *self = GREMIUM_CALL (object);

  gremium_call_stop (self);

  g_clear_object (&self->client);
  g_clear_object (&self->source);
  g_clear_pointer (&self->sender, gremium_sframe_sender_unref);
  g_clear_pointer (&self->receiver, gremium_sframe_receiver_unref);

  G_OBJECT_CLASS (gremium_call_parent_class)->dispose (object);
}

static void
gremium_call_finalize (GObject *object)
{
  GremiumCall *self = GREMIUM_CALL (object);

  g_free (self->meeting_id);
  g_free (self->stun_server);
  g_strfreev (self->turn_servers);
  g_free (self->audio_sink);
  g_free (self->active_speaker);
  g_clear_object (&self->peers);
  g_hash_table_unref (self->peer_by_id);
  g_hash_table_unref (self->restarts);
  g_hash_table_unref (self->member_receivers);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (gremium_call_parent_class)->finalize (object);
}

static void
gremium_call_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GremiumCall *self = GREMIUM_CALL (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_MEETING_ID:
      g_value_set_string (value, self->meeting_id);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_ENCRYPTED:
      g_value_set_boolean (value, self->encrypted);
      break;
    case PROP_SENDER:
      g_value_set_boxed (value, self->sender);
      break;
    case PROP_RECEIVER:
      g_value_set_boxed (value, self->receiver);
      break;
    case PROP_STUN_SERVER:
      g_value_set_string (value, self->stun_server);
      break;
    case PROP_TURN_SERVERS:
      g_value_set_boxed (value, self->turn_servers);
      break;
    case PROP_LATENCY:
      g_value_set_uint (value, self->latency);
      break;
    case PROP_AUDIO_LATENCY:
      g_value_set_uint (value, self->audio_latency);
      break;
    case PROP_AUDIO_SINK:
      g_value_set_string (value, self->audio_sink);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, gremium_call_get_running (self));
      break;
    case PROP_ACTIVE_SPEAKER:
      g_value_set_string (value, self->active_speaker);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_call_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  GremiumCall *self = GREMIUM_CALL (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_MEETING_ID:
      self->meeting_id = g_value_dup_string (value);
      break;
    case PROP_SOURCE:
      self->source = g_value_dup_object (value);
      break;
    case PROP_ENCRYPTED:
      self->encrypted = g_value_get_boolean (value);
      break;
    case PROP_SENDER:
      gremium_call_set_sender (self, g_value_get_boxed (value));
      break;
    case PROP_RECEIVER:
      gremium_call_set_receiver (self, g_value_get_boxed (value));
      break;
    case PROP_STUN_SERVER:
      gremium_call_set_stun_server (self, g_value_get_string (value));
      break;
    case PROP_TURN_SERVERS:
      gremium_call_set_turn_servers (self, g_value_get_boxed (value));
      break;
    case PROP_LATENCY:
      gremium_call_set_latency (self, g_value_get_uint (value));
      break;
    case PROP_AUDIO_LATENCY:
      gremium_call_set_audio_latency (self, g_value_get_uint (value));
      break;
    case PROP_AUDIO_SINK:
      gremium_call_set_audio_sink (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_call_constructed (GObject *object)
{
  GremiumCall *self = GREMIUM_CALL (object);

  G_OBJECT_CLASS (gremium_call_parent_class)->constructed (object);

  g_assert (GREMIUM_IS_CLIENT (self->client));
  g_assert (self->meeting_id != NULL);

  if (self->source == NULL)
    self->source = gremium_media_source_new ();
}

static void
gremium_call_class_init (GremiumCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gremium_call_constructed;
  object_class->dispose = gremium_call_dispose;
  object_class->finalize = gremium_call_finalize;
  object_class->get_property = gremium_call_get_property;
  object_class->set_property = gremium_call_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, GREMIUM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEETING_ID] =
    g_param_spec_string ("meeting-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, GREMIUM_TYPE_MEDIA_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * GremiumCall:encrypted:
   *
   * Whether media is protected with SFrame. Always %TRUE in the
   * application; %FALSE exists only so that the benchmark can measure what
   * encryption costs. An encrypted call without a sender key sends nothing.
   */
  properties[PROP_ENCRYPTED] =
    g_param_spec_boolean ("encrypted", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * GremiumCall:sender:
   *
   * The local participant's SFrame sender (from the media key agent). Its
   * key can change at any time; the next packet uses the new key.
   */
  properties[PROP_SENDER] =
    g_param_spec_boxed ("sender", NULL, NULL, GREMIUM_TYPE_SFRAME_SENDER,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumCall:receiver:
   *
   * The SFrame receiver with every remote sender's keys (from the media
   * key agent).
   */
  properties[PROP_RECEIVER] =
    g_param_spec_boxed ("receiver", NULL, NULL, GREMIUM_TYPE_SFRAME_RECEIVER,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumCall:stun-server:
   *
   * A STUN server as `stun://host:port`, or %NULL for none (host
   * candidates only). Used by connections made after the change.
   */
  properties[PROP_STUN_SERVER] =
    g_param_spec_string ("stun-server", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumCall:turn-servers:
   *
   * TURN servers as `turn://user:password@host:port` or `turns://…`
   * (coturn; docs/media.md). Used by connections made after the change.
   */
  properties[PROP_TURN_SERVERS] =
    g_param_spec_boxed ("turn-servers", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumCall:latency:
   *
   * The video jitter buffer in milliseconds (and the default of every
   * stream's). 50 by default: how long a gap may wait for the missing packet
   * or its retransmission (one NACK round trip on nearby networks), far
   * inside the 150 ms one-way budget of ITU-T G.114.
   */
  properties[PROP_LATENCY] =
    g_param_spec_uint ("latency", NULL, NULL, 0, 1000, DEFAULT_LATENCY_MS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumCall:audio-latency:
   *
   * The audio jitter buffer in milliseconds, 30 by default. Received video
   * is painted on arrival, so :latency only bounds how long video waits for
   * a missing packet; the audio sink plays every buffer this much after it
   * arrived, so this is delay the listener hears, traded against the jitter
   * the network may have before sound breaks up.
   */
  properties[PROP_AUDIO_LATENCY] =
    g_param_spec_uint ("audio-latency", NULL, NULL, 0, 1000, DEFAULT_AUDIO_LATENCY_MS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumCall:audio-sink:
   *
   * Where received audio goes, as a gst-launch description such as
   * "autoaudiosink" or "fakesink sync=false". The default comes from
   * `GREMIUM_AUDIO_SINK`, else "autoaudiosink".
   */
  properties[PROP_AUDIO_SINK] =
    g_param_spec_string ("audio-sink", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * GremiumCall:active-speaker:
   *
   * The member id of the participant speaking now (the local one
   * included), or %NULL; from the audio levels, with a short hold so that
   * the view does not flicker.
   */
  properties[PROP_ACTIVE_SPEAKER] =
    g_param_spec_string ("active-speaker", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gremium_call_init (GremiumCall *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->latency = DEFAULT_LATENCY_MS;
  self->audio_latency = DEFAULT_AUDIO_LATENCY_MS;
  self->peers = g_list_store_new (GREMIUM_TYPE_CALL_PEER);
  self->peer_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->restarts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_source_remove);
  self->member_receivers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  (GDestroyNotify) gremium_sframe_receiver_unref);
}

/**
 * gremium_call_new:
 * @client: a connected client that joined the meeting
 * @meeting_id: the meeting
 * @source: (nullable): the local capture, or %NULL for a default one
 *
 * Creates the media call of a meeting. It does nothing until
 * gremium_call_start(). Signals and notifications come in the thread-default
 * main context of the caller.
 *
 * Returns: (transfer full): a new call
 */
GremiumCall *
gremium_call_new (GremiumClient      *client,
                  const char         *meeting_id,
                  GremiumMediaSource *source)
{
  g_return_val_if_fail (GREMIUM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);
  g_return_val_if_fail (source == NULL || GREMIUM_IS_MEDIA_SOURCE (source), NULL);

  return g_object_new (GREMIUM_TYPE_CALL,
                       "client", client,
                       "meeting-id", meeting_id,
                       "source", source,
                       NULL);
}

/**
 * gremium_call_start:
 * @self: a call
 * @error: return location for an error
 *
 * Starts capture and encoding, and connects to every participant who is
 * present, and later to everyone who joins, while the local member is
 * present. The client must have joined the meeting.
 *
 * Returns: %TRUE if the call runs
 */
gboolean
gremium_call_start (GremiumCall  *self,
                    GError      **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *source;
  guint width, height, framerate;

  g_return_val_if_fail (GREMIUM_IS_CALL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->pipeline != NULL)
    return TRUE;

  if (!gremium_media_init (error))
    return FALSE;

  if (gremium_client_get_meeting (self->client, self->meeting_id) == NULL)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_NOT_PARTICIPANT,
                   "Join the meeting before starting its call");
      return FALSE;
    }

  pipeline = gst_object_ref_sink (gst_pipeline_new ("call"));
  self->pipeline = pipeline;

  source = _gremium_media_source_create_bin (self->source, error);
  if (source == NULL)
    goto fail;
  /* The bin comes with a full reference; the pipeline takes its own. */
  gst_bin_add (GST_BIN (pipeline), source);
  gst_object_unref (source);

  _gremium_media_source_get_format (self->source, &width, &height, &framerate);
  if (!build_encoder (self, source, "video",
                      _gremium_media_create_video_encoder (width, height, framerate, error),
                      &self->video_tee, error) ||
      !build_encoder (self, source, "audio", _gremium_media_create_audio_encoder (error),
                      &self->audio_tee, error))
    goto fail;

  bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
  self->bus_watch = gst_bus_add_watch (bus, bus_cb, self);

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED,
                   "Cannot start capturing: is the camera or microphone in use?");
      goto fail;
    }

  self->config = (GremiumCallConfig) {
    .pipeline = pipeline,
    .video_tee = self->video_tee,
    .audio_tee = self->audio_tee,
    .encrypted = self->encrypted,
    .sender = self->sender,
    .receiver = self->receiver,
    .stun_server = self->stun_server,
    .turn_servers = (const char * const *) self->turn_servers,
    .latency = self->latency,
    .audio_latency = self->audio_latency,
    .audio_sink = self->audio_sink,
    .width = width,
    .height = height,
    .framerate = framerate,
  };

  self->peer_message_handler = g_signal_connect (self->client, "peer-message",
                                                 G_CALLBACK (peer_message_cb), self);
  self->reconnected_handler = g_signal_connect (self->client, "reconnected",
                                                G_CALLBACK (reconnected_cb), self);
  g_steal_pointer (&pipeline);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  sync_peers (self);

  return TRUE;

fail:
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  self->pipeline = NULL;
  self->video_tee = NULL;
  self->audio_tee = NULL;
  _gremium_media_source_release (self->source);
  return FALSE;
}

/**
 * gremium_call_stop:
 * @self: a call
 *
 * Closes every connection and stops capture. The call can be started again.
 */
void
gremium_call_stop (GremiumCall *self)
{
  g_autofree gpointer *ids = NULL;
  guint n_ids;

  g_return_if_fail (GREMIUM_IS_CALL (self));

  if (self->pipeline == NULL)
    return;

  g_clear_signal_handler (&self->peer_message_handler, self->client);
  g_clear_signal_handler (&self->reconnected_handler, self->client);
  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_clear_object (&self->meeting);
  g_hash_table_remove_all (self->restarts);

  /* The pipeline stops first, so the peers' bins are taken out at once
   * instead of waiting for idle pads.
   */
  gst_element_set_state (self->pipeline, GST_STATE_NULL);

  ids = g_hash_table_get_keys_as_array (self->peer_by_id, &n_ids);
  for (guint i = 0; i < n_ids; i++)
    {
      g_autofree char *id = g_strdup (ids[i]);

      remove_peer (self, id);
    }

  g_clear_handle_id (&self->bus_watch, g_source_remove);
  g_clear_object (&self->pipeline);
  self->video_tee = NULL;
  self->audio_tee = NULL;
  _gremium_media_source_release (self->source);
  g_clear_pointer (&self->active_speaker, g_free);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/**
 * gremium_call_get_running:
 * @self: a call
 *
 * Returns: whether the call was started and not stopped
 */
gboolean
gremium_call_get_running (GremiumCall *self)
{
  g_return_val_if_fail (GREMIUM_IS_CALL (self), FALSE);

  return self->pipeline != NULL;
}

/**
 * gremium_call_get_client:
 * @self: a call
 *
 * Returns: (transfer none): the client the call signals through
 */
GremiumClient *
gremium_call_get_client (GremiumCall *self)
{
  g_return_val_if_fail (GREMIUM_IS_CALL (self), NULL);

  return self->client;
}

/**
 * gremium_call_get_meeting_id:
 * @self: a call
 *
 * Returns: the meeting's id
 */
const char *
gremium_call_get_meeting_id (GremiumCall *self)
{
  g_return_val_if_fail (GREMIUM_IS_CALL (self), NULL);

  return self->meeting_id;
}

/**
 * gremium_call_get_source:
 * @self: a call
 *
 * The local capture: its switches (camera, mute) work during the call.
 *
 * Returns: (transfer none): the media source
 */
GremiumMediaSource *
gremium_call_get_source (GremiumCall *self)
{
  g_return_val_if_fail (GREMIUM_IS_CALL (self), NULL);

  return self->source;
}

/**
 * gremium_call_get_encrypted:
 * @self: a call
 *
 * Returns: whether media is protected with SFrame
 */
gboolean
gremium_call_get_encrypted (GremiumCall *self)
{
  g_return_val_if_fail (GREMIUM_IS_CALL (self), FALSE);

  return self->encrypted;
}

/**
 * gremium_call_set_sender:
 * @self: a call
 * @sender: (nullable): the local SFrame sender
 *
 * Sets the sender whose key protects everything this participant sends.
 * Without a sender an encrypted call sends nothing.
 */
void
gremium_call_set_sender (GremiumCall         *self,
                         GremiumSFrameSender *sender)
{
  GHashTableIter iter;
  gpointer peer;

  g_return_if_fail (GREMIUM_IS_CALL (self));

  if (self->sender == sender)
    return;

  g_clear_pointer (&self->sender, gremium_sframe_sender_unref);
  self->sender = sender ? gremium_sframe_sender_ref (sender) : NULL;
  self->config.sender = self->sender;

  g_hash_table_iter_init (&iter, self->peer_by_id);
  while (g_hash_table_iter_next (&iter, NULL, &peer))
    _gremium_call_peer_set_sender (peer, sender);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENDER]);
}

/**
 * gremium_call_get_sender:
 * @self: a call
 *
 * Returns: (transfer none) (nullable): the local SFrame sender
 */
GremiumSFrameSender *
gremium_call_get_sender (GremiumCall *self)
{
  g_return_val_if_fail (GREMIUM_IS_CALL (self), NULL);

  return self->sender;
}

/**
 * gremium_call_set_receiver:
 * @self: a call
 * @receiver: (nullable): the SFrame receiver with the remote senders' keys
 *
 * Sets the receiver that authenticates and decrypts what arrives from
 * every peer. Without one, nothing received is decoded.
 */
void
gremium_call_set_receiver (GremiumCall           *self,
                           GremiumSFrameReceiver *receiver)
{
  GHashTableIter iter;
  gpointer id, peer;

  g_return_if_fail (GREMIUM_IS_CALL (self));

  if (self->receiver == receiver)
    return;

  g_clear_pointer (&self->receiver, gremium_sframe_receiver_unref);
  self->receiver = receiver ? gremium_sframe_receiver_ref (receiver) : NULL;
  self->config.receiver = self->receiver;

  g_hash_table_iter_init (&iter, self->peer_by_id);
  while (g_hash_table_iter_next (&iter, &id, &peer))
    if (!g_hash_table_contains (self->member_receivers, id))
      _gremium_call_peer_set_receiver (peer, receiver);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVER]);
}

/**
 * gremium_call_set_member_receiver:
 * @self: a call
 * @member_id: a participant
 * @receiver: (nullable): a receiver holding only @member_id's keys, or %NULL
 *   to use the call's receiver again
 *
 * Sets the receiver for the media of one participant's connection (the
 * key agent's per-member receiver). With it, a participant cannot send
 * packets under another sender's KID on its own connection: they fail as
 * `unknown-kid` instead of disturbing that sender's replay window.
 */
void
gremium_call_set_member_receiver (GremiumCall           *self,
                                  const char            *member_id,
                                  GremiumSFrameReceiver *receiver)
{
  GremiumCallPeer *peer;

  g_return_if_fail (GREMIUM_IS_CALL (self));
  g_return_if_fail (member_id != NULL);

  if (receiver != NULL)
    g_hash_table_replace (self->member_receivers, g_strdup (member_id),
                          gremium_sframe_receiver_ref (receiver));
  else
    g_hash_table_remove (self->member_receivers, member_id);

  if ((peer = g_hash_table_lookup (self->peer_by_id, member_id)) != NULL)
    _gremium_call_peer_set_receiver (peer, receiver != NULL ? receiver : self->receiver);
}

/**
 * gremium_call_get_receiver:
 * @self: a call
 *
 * Returns: (transfer none) (nullable): the SFrame receiver
 */
GremiumSFrameReceiver *
gremium_call_get_receiver (GremiumCall *self)
{
  g_return_val_if_fail (GREMIUM_IS_CALL (self), NULL);

  return self->receiver;
}

/**
 * gremium_call_set_stun_server:
 * @self: a call
 * @uri: (nullable): `stun://host:port`, or %NULL
 *
 * Sets the STUN server for connections made from now on.
 */
void
gremium_call_set_stun_server (GremiumCall *self,
                              const char  *uri)
{
  g_return_if_fail (GREMIUM_IS_CALL (self));

  if (set_str (&self->stun_server, uri))
    {
      self->config.stun_server = self->stun_server;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STUN_SERVER]);
    }
}

/**
 * gremium_call_set_turn_servers:
 * @self: a call
 * @uris: (nullable) (array zero-terminated=1): `turn://user:password@host:port` URIs
 *
 * Sets the TURN servers for connections made from now on.
 */
void
gremium_call_set_turn_servers (GremiumCall        *self,
                               const char * const *uris)
{
  g_return_if_fail (GREMIUM_IS_CALL (self));

  g_strfreev (self->turn_servers);
  self->turn_servers = g_strdupv ((char **) uris);
  self->config.turn_servers = (const char * const *) self->turn_servers;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TURN_SERVERS]);
}

/**
 * gremium_call_set_latency:
 * @self: a call
 * @latency_ms: the jitter buffer in milliseconds
 *
 * Sets the jitter buffer for connections made from now on.
 */
void
gremium_call_set_latency (GremiumCall *self,
                          guint        latency_ms)
{
  g_return_if_fail (GREMIUM_IS_CALL (self));

  if (self->latency == latency_ms)
    return;

  self->latency = latency_ms;
  self->config.latency = latency_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY]);
}

/**
 * gremium_call_set_audio_latency:
 * @self: a call
 * @latency_ms: the audio jitter buffer in milliseconds
 *
 * Sets the audio jitter buffer for connections made from now on.
 */
void
gremium_call_set_audio_latency (GremiumCall *self,
                                guint        latency_ms)
{
  g_return_if_fail (GREMIUM_IS_CALL (self));

  if (self->audio_latency == latency_ms)
    return;

  self->audio_latency = latency_ms;
  self->config.audio_latency = latency_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_LATENCY]);
}

/**
 * gremium_call_set_audio_sink:
 * @self: a call
 * @description: (nullable): a gst-launch description of the sink, or %NULL
 *   for `GREMIUM_AUDIO_SINK` or "autoaudiosink"
 *
 * Chooses where received audio is played, for connections made from now on.
 */
void
gremium_call_set_audio_sink (GremiumCall *self,
                             const char  *description)
{
  g_return_if_fail (GREMIUM_IS_CALL (self));

  if (description == NULL)
    description = g_getenv ("GREMIUM_AUDIO_SINK");
  if (description == NULL || *description == '\0')
    description = "autoaudiosink";

  if (set_str (&self->audio_sink, description))
    {
      self->config.audio_sink = self->audio_sink;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_SINK]);
    }
}

/**
 * gremium_call_get_peers:
 * @self: a call
 *
 * The connections to the other participants, in the order they were made.
 *
 * Returns: (transfer none): a list model of #GremiumCallPeer
 */
GListModel *
gremium_call_get_peers (GremiumCall *self)
{
  g_return_val_if_fail (GREMIUM_IS_CALL (self), NULL);

  return G_LIST_MODEL (self->peers);
}

/**
 * gremium_call_lookup_peer:
 * @self: a call
 * @member_id: a participant
 *
 * Returns: (transfer none) (nullable): the connection to @member_id
 */
GremiumCallPeer *
gremium_call_lookup_peer (GremiumCall *self,
                          const char  *member_id)
{
  g_return_val_if_fail (GREMIUM_IS_CALL (self), NULL);
  g_return_val_if_fail (member_id != NULL, NULL);

  return g_hash_table_lookup (self->peer_by_id, member_id);
}

/**
 * gremium_call_get_active_speaker:
 * @self: a call
 *
 * Returns: (nullable): the member id of the participant speaking now
 */
const char *
gremium_call_get_active_speaker (GremiumCall *self)
{
  g_return_val_if_fail (GREMIUM_IS_CALL (self), NULL);

  return self->active_speaker;
}

const GremiumCallTaps *
_gremium_call_get_taps (GremiumCall *self)
{
  return &self->taps;
}

void
_gremium_call_set_taps (GremiumCall           *self,
                        const GremiumCallTaps *taps)
{
  self->taps = *taps;
}

GstElement *
_gremium_call_get_pipeline (GremiumCall *self)
{
  return self->pipeline;
}
