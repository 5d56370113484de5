/* gremium-media-key-agent.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-media-keys"

#include "config.h"

#include "gremium-media-key-agent.h"
#include "gremium-peer-body.h"

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_KEYRING,
  PROP_GRACE_PERIOD,
  PROP_ROTATION_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * GremiumMediaKeyAgent:
 *
 * Runs the media key schedule of one member in one meeting over a
 * #GremiumClient: it owns a #GremiumMediaKeyring, sends the key messages
 * the keyring queues through the server's peer relay, hands incoming peer
 * messages of type `"media-key"` to it (and ignores every other type), and
 * keeps the clock the keyring leaves to its owner:
 *
 * - a new sender key is applied #GremiumMediaKeyAgent:grace-period after it
 *   was sent;
 * - another member's superseded keys are retired twice the grace period
 *   after their new key arrived;
 * - the sender rotates to a fresh key every
 *   #GremiumMediaKeyAgent:rotation-interval, counted from its latest fresh
 *   key.
 *
 * Joins, leaves and exclusions need nothing from the agent: the keyring
 * follows the meeting record by itself. Create the agent before submitting
 * `attendance.join`, so that it sees the others' keys arrive.
 */
struct _GremiumMediaKeyAgent
{
  GObject              parent_instance;

  GremiumClient       *client;
  char                *meeting_id;
  GremiumMediaKeyring *keyring;
  gulong               peer_handler;
  guint                grace_period;
  guint                rotation_interval;
  guint                rotation_id;
  GList               *timers;          /* Timer */
};

G_DEFINE_FINAL_TYPE (GremiumMediaKeyAgent, gremium_media_key_agent, G_TYPE_OBJECT)

/* A pending action of the key schedule. The agent removes every timer when
 * it goes away, so a timer never outlives it.
 */
typedef struct
{
  GremiumMediaKeyAgent *self;
  guint                 source_id;
  char                 *member_id;      /* NULL: apply our own pending key */
  guint64               epoch;
} Timer;

static void
timer_destroy (gpointer data)
{
  Timer *timer = data;

  timer->self->timers = g_list_remove (timer->self->timers, timer);
  g_free (timer->member_id);
  g_free (timer);
}

static gboolean
timer_cb (gpointer data)
{
  Timer *timer = data;

  if (timer->member_id == NULL)
    gremium_media_keyring_apply_pending (timer->self->keyring, timer->epoch);
  else
    gremium_media_keyring_retire (timer->self->keyring, timer->member_id, timer->epoch);

  return G_SOURCE_REMOVE;
}

static void
add_timer (GremiumMediaKeyAgent *self,
           guint                 milliseconds,
           const char           *member_id,
           guint64               epoch)
{
  Timer *timer = g_new0 (Timer, 1);

  timer->self = self;
  timer->member_id = g_strdup (member_id);
  timer->epoch = epoch;
  self->timers = g_list_prepend (self->timers, timer);
  timer->source_id = g_timeout_add_full (G_PRIORITY_DEFAULT, milliseconds, timer_cb, timer,
                                         timer_destroy);
}

static void restart_rotation (GremiumMediaKeyAgent *self);

static gboolean
rotation_cb (gpointer data)
{
  GremiumMediaKeyAgent *self = data;

  /* The rotation starts the next period through sender-key-pending. */
  self->rotation_id = 0;
  gremium_media_keyring_rotate (self->keyring);
  if (self->rotation_id == 0)
    restart_rotation (self);

  return G_SOURCE_REMOVE;
}

static void
restart_rotation (GremiumMediaKeyAgent *self)
{
  g_clear_handle_id (&self->rotation_id, g_source_remove);

  if (gremium_media_keyring_get_active (self->keyring) && self->rotation_interval > 0)
    self->rotation_id = g_timeout_add (self->rotation_interval, rotation_cb, self);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autofree char *recipient = user_data;
  g_autoptr(GError) error = NULL;

  /* A recipient who left in the meantime is the usual reason; their keys
   * are of no use to them any more.
   */
  if (!gremium_client_send_peer_finish (GREMIUM_CLIENT (object), result, &error))
    g_debug ("A media key message to %s was not relayed: %s", recipient, error->message);
}

static void
messages_ready_cb (GremiumMediaKeyring  *keyring,
                   GremiumMediaKeyAgent *self)
{
  g_autoptr(GPtrArray) messages = gremium_media_keyring_take_messages (keyring);

  for (guint i = 0; i < messages->len; i++)
    {
      GremiumMediaKeyMessage *message = g_ptr_array_index (messages, i);

      gremium_client_send_peer_async (self->client, self->meeting_id, message->recipient,
                                      message->body, NULL, send_cb, g_strdup (message->recipient));
    }
}

static void
sender_key_pending_cb (GremiumMediaKeyring  *keyring,
                       guint64               epoch,
                       GremiumMediaKeyAgent *self)
{
  add_timer (self, self->grace_period, NULL, epoch);
  restart_rotation (self);
}

static void
key_installed_cb (GremiumMediaKeyring  *keyring,
                  const char           *member_id,
                  guint64               epoch,
                  GremiumMediaKeyAgent *self)
{
  /* The sender switches one grace period after sending; one more covers
   * the time the message travelled and the packets still in flight.
   */
  add_timer (self, 2 * self->grace_period, member_id, epoch);
}

static void
active_changed_cb (GremiumMediaKeyring  *keyring,
                   GParamSpec           *pspec,
                   GremiumMediaKeyAgent *self)
{
  restart_rotation (self);
}

static void
peer_message_cb (GremiumClient        *client,
                 const char           *meeting_id,
                 const char           *from,
                 const char           *body,
                 GremiumMediaKeyAgent *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (meeting_id, self->meeting_id) ||
      !gremium_peer_body_has_type (body, GREMIUM_PEER_TYPE_MEDIA_KEY))
    return;

  /* The keyring counts and signals rejections; the reason is all we log. */
  if (!gremium_media_keyring_handle_message (self->keyring, from, body, &error))
    g_debug ("Media key message from %s not accepted: %s", from, error->message);
}

static void
gremium_media_key_agent_dispose (GObject *object)
{
  GremiumMediaKeyAgent *self = (GremiumMediaKeyAgent *) object;

  while (self->timers != NULL)
    g_source_remove (((Timer *) self->timers->data)->source_id);
  g_clear_handle_id (&self->rotation_id, g_source_remove);

  if (self->client != NULL)
    g_clear_signal_handler (&self->peer_handler, self->client);
  if (self->keyring != NULL)
    g_signal_handlers_disconnect_by_data (self->keyring, self);

  g_clear_object (&self->keyring);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (gremium_media_key_agent_parent_class)->dispose (object);
}

static void
gremium_media_key_agent_finalize (GObject *object)
{
  GremiumMediaKeyAgent *self = (GremiumMediaKeyAgent *) object;

  g_free (self->meeting_id);

  G_OBJECT_CLASS (gremium_media_key_agent_parent_class)->finalize (object);
}

static void
gremium_media_key_agent_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  GremiumMediaKeyAgent *self = GREMIUM_MEDIA_KEY_AGENT (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_KEYRING:
      g_value_set_object (value, self->keyring);
      break;

    case PROP_GRACE_PERIOD:
      g_value_set_uint (value, self->grace_period);
      break;

    case PROP_ROTATION_INTERVAL:
      g_value_set_uint (value, self->rotation_interval);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_media_key_agent_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  GremiumMediaKeyAgent *self = GREMIUM_MEDIA_KEY_AGENT (object);

  switch (prop_id)
    {
    case PROP_GRACE_PERIOD:
      gremium_media_key_agent_set_grace_period (self, g_value_get_uint (value));
      break;

    case PROP_ROTATION_INTERVAL:
      gremium_media_key_agent_set_rotation_interval (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_media_key_agent_class_init (GremiumMediaKeyAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_media_key_agent_dispose;
  object_class->finalize = gremium_media_key_agent_finalize;
  object_class->get_property = gremium_media_key_agent_get_property;
  object_class->set_property = gremium_media_key_agent_set_property;

  /**
   * GremiumMediaKeyAgent:client:
   *
   * The client the agent sends and receives through.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, GREMIUM_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * GremiumMediaKeyAgent:keyring:
   *
   * The keyring whose sender and receivers the media layer uses.
   */
  properties[PROP_KEYRING] =
    g_param_spec_object ("keyring", NULL, NULL, GREMIUM_TYPE_MEDIA_KEYRING,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * GremiumMediaKeyAgent:grace-period:
   *
   * Milliseconds between sending a fresh key and encrypting with it.
   */
  properties[PROP_GRACE_PERIOD] =
    g_param_spec_uint ("grace-period", NULL, NULL, 0, 60 * 1000,
                       GREMIUM_MEDIA_KEY_GRACE_PERIOD_MS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * GremiumMediaKeyAgent:rotation-interval:
   *
   * Milliseconds after which the sender rotates to a fresh key even if
   * nobody left; 0 turns the forced rotation off (for tests only).
   */
  properties[PROP_ROTATION_INTERVAL] =
    g_param_spec_uint ("rotation-interval", NULL, NULL, 0, G_MAXUINT,
                       GREMIUM_MEDIA_KEY_ROTATION_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gremium_media_key_agent_init (GremiumMediaKeyAgent *self)
{
  self->grace_period = GREMIUM_MEDIA_KEY_GRACE_PERIOD_MS;
  self->rotation_interval = GREMIUM_MEDIA_KEY_ROTATION_INTERVAL_MS;
}

/**
 * gremium_media_key_agent_new:
 * @client: a client that joined @meeting_id (gremium_client_join_meeting_async())
 * @meeting_id: the meeting
 *
 * Starts the media key schedule of @client's member in the meeting.
 *
 * Returns: (transfer full): the agent
 */
GremiumMediaKeyAgent *
gremium_media_key_agent_new (GremiumClient *client,
                             const char    *meeting_id)
{
  GremiumMediaKeyAgent *self;
  GremiumMeeting *meeting;

  g_return_val_if_fail (GREMIUM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  meeting = gremium_client_get_meeting (client, meeting_id);
  g_return_val_if_fail (meeting != NULL, NULL);

  self = g_object_new (GREMIUM_TYPE_MEDIA_KEY_AGENT, NULL);
  self->client = g_object_ref (client);
  self->meeting_id = g_strdup (meeting_id);
  self->keyring = gremium_media_keyring_new (gremium_client_get_identity (client),
                                             gremium_client_get_member_id (client), meeting);

  g_signal_connect (self->keyring, "messages-ready", G_CALLBACK (messages_ready_cb), self);
  g_signal_connect (self->keyring, "sender-key-pending", G_CALLBACK (sender_key_pending_cb), self);
  g_signal_connect (self->keyring, "key-installed", G_CALLBACK (key_installed_cb), self);
  g_signal_connect (self->keyring, "notify::active", G_CALLBACK (active_changed_cb), self);
  self->peer_handler = g_signal_connect (client, "peer-message", G_CALLBACK (peer_message_cb), self);

  /* The member may be in the call already; send what the keyring queued. */
  messages_ready_cb (self->keyring, self);
  restart_rotation (self);

  return self;
}

/**
 * gremium_media_key_agent_get_client:
 * @self: an agent
 *
 * Returns: (transfer none): the client
 */
GremiumClient *
gremium_media_key_agent_get_client (GremiumMediaKeyAgent *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEY_AGENT (self), NULL);

  return self->client;
}

/**
 * gremium_media_key_agent_get_keyring:
 * @self: an agent
 *
 * Returns: (transfer none): the keyring, for its SFrame sender and receivers
 */
GremiumMediaKeyring *
gremium_media_key_agent_get_keyring (GremiumMediaKeyAgent *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEY_AGENT (self), NULL);

  return self->keyring;
}

/**
 * gremium_media_key_agent_get_grace_period:
 * @self: an agent
 *
 * Returns: the grace period in milliseconds
 */
guint
gremium_media_key_agent_get_grace_period (GremiumMediaKeyAgent *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEY_AGENT (self), 0);

  return self->grace_period;
}

/**
 * gremium_media_key_agent_set_grace_period:
 * @self: an agent
 * @milliseconds: the new grace period
 *
 * Sets how long a fresh key is sent ahead of its use. Keys already waiting
 * keep the period they started with.
 */
void
gremium_media_key_agent_set_grace_period (GremiumMediaKeyAgent *self,
                                          guint                 milliseconds)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_KEY_AGENT (self));

  if (self->grace_period == milliseconds)
    return;

  self->grace_period = milliseconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRACE_PERIOD]);
}

/**
 * gremium_media_key_agent_get_rotation_interval:
 * @self: an agent
 *
 * Returns: the forced rotation interval in milliseconds
 */
guint
gremium_media_key_agent_get_rotation_interval (GremiumMediaKeyAgent *self)
{
  g_return_val_if_fail (GREMIUM_IS_MEDIA_KEY_AGENT (self), 0);

  return self->rotation_interval;
}

/**
 * gremium_media_key_agent_set_rotation_interval:
 * @self: an agent
 * @milliseconds: the new interval; 0 turns the forced rotation off
 *
 * Sets how often the sender rotates to a fresh key on its own, counted
 * from now.
 */
void
gremium_media_key_agent_set_rotation_interval (GremiumMediaKeyAgent *self,
                                               guint                 milliseconds)
{
  g_return_if_fail (GREMIUM_IS_MEDIA_KEY_AGENT (self));

  if (self->rotation_interval == milliseconds)
    return;

  self->rotation_interval = milliseconds;
  restart_rotation (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROTATION_INTERVAL]);
}
