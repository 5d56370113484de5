/* gremium-server.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-server"

#include "config.h"

#include "gremium-server.h"
#include "gremium-server-private.h"

#include <gremium-error.h>

#include <gio/gnetworking.h>

#include "../libgremium/gremium-json-private.h"

/* Connections the kernel queues for us while the main loop is busy. GSocket's
 * default of 10 drops the handshakes of a crowd that connects at once (a
 * meeting starting, every client reconnecting after a restart), and each
 * dropped client waits a second or more before TCP tries again. The kernel
 * caps it at net.core.somaxconn.
 */
#define LISTEN_BACKLOG 1024

/**
 * GremiumServer:
 *
 * The reference signalling server: accepts WebSocket connections, admits
 * members, keeps each meeting's state and record, and relays peer messages.
 *
 * Everything runs on one GLib main loop, so requests are handled one at a
 * time in the order they arrive; the meeting model needs no locks and every
 * client sees the same order of entries.
 */
struct _GremiumServer
{
  GObject                parent_instance;

  GremiumServerConfig   *config;
  GremiumServerDatabase *db;
  GremiumIdentity       *identity;
  SoupServer            *soup;
  GHashTable            *meetings;      /* id → GremiumServerMeeting */
  GPtrArray             *sessions;      /* GremiumServerSession */
  GHashTable            *deadlines;     /* "meeting/vote" → timeout source id */
  guint                  port;
};

G_DEFINE_FINAL_TYPE (GremiumServer, gremium_server, G_TYPE_OBJECT)

static GremiumServerConfig *
config_copy (const GremiumServerConfig *config)
{
  GremiumServerConfig *copy = g_new0 (GremiumServerConfig, 1);

  *copy = *config;
  copy->name = g_strdup (config->name);
  copy->listen_address = g_strdup (config->listen_address);
  copy->data_dir = g_strdup (config->data_dir);
  copy->tls_certificate = g_strdup (config->tls_certificate);
  copy->tls_key = g_strdup (config->tls_key);

  return copy;
}

static void
websocket_cb (SoupServer              *soup,
              SoupServerMessage       *message,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  GremiumServer *self = user_data;
  g_autoptr(GremiumServerSession) session = NULL;

  if (self->sessions->len >= self->config->max_connections)
    {
      g_warning ("Refusing a connection: %u connections are open", self->sessions->len);
      soup_websocket_connection_close (connection, 1013 /* try again later */,
                                       "The server is full");
      return;
    }

  session = gremium_server_session_new (self, connection);
  g_ptr_array_add (self->sessions, g_steal_pointer (&session));
}

/* What soup_server_listen() does, with a longer listen queue. */
static GSocket *
listen_socket_new (GSocketAddress  *address,
                   GError         **error)
{
  g_autoptr(GSocket) socket = NULL;
  GSocketFamily family = g_socket_address_get_family (address);

  socket = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (socket == NULL)
    return NULL;

  if (family == G_SOCKET_FAMILY_IPV6 &&
      !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, error))
    return NULL;

  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error))
    return NULL;

  return g_steal_pointer (&socket);
}

typedef struct
{
  GremiumServer *server;
  char          *meeting_id;
  char          *vote_id;
} Deadline;

static void
deadline_free (Deadline *deadline)
{
  g_free (deadline->meeting_id);
  g_free (deadline->vote_id);
  g_free (deadline);
}

/* A vote's time limit is over: only the server witnesses that, so it
 * closes the vote with its own signed statement.
 */
static gboolean
deadline_cb (gpointer user_data)
{
  Deadline *deadline = user_data;
  GremiumServer *self = deadline->server;
  g_autofree char *key = g_strdup_printf ("%s/%s", deadline->meeting_id, deadline->vote_id);
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(GError) error = NULL;
  GremiumServerMeeting *meeting;
  GremiumRecordEntry *entry;
  GremiumVote *vote;

  g_hash_table_steal (self->deadlines, key);

  meeting = g_hash_table_lookup (self->meetings, deadline->meeting_id);
  vote = meeting ? gremium_meeting_lookup_vote (gremium_server_meeting_get_model (meeting),
                                                deadline->vote_id) : NULL;
  if (vote == NULL || gremium_vote_get_state (vote) != GREMIUM_VOTE_STATE_OPEN)
    return G_SOURCE_REMOVE;

  json_object_set_string_member (data, "vote", deadline->vote_id);
  entry = gremium_server_meeting_submit_as_server (meeting, "vote.close", data, &error);
  if (entry == NULL)
    g_warning ("Cannot close vote %s at its time limit: %s", deadline->vote_id, error->message);
  else
    _gremium_server_broadcast_entry (self, meeting, entry);

  return G_SOURCE_REMOVE;
}

static void
schedule_deadline (GremiumServer        *self,
                   GremiumServerMeeting *meeting)
{
  GremiumMeeting *model = gremium_server_meeting_get_model (meeting);
  GremiumVote *vote = gremium_meeting_get_current_vote (model);
  g_autofree char *key = NULL;
  Deadline *deadline;
  gint64 delay;

  if (vote == NULL || gremium_vote_get_state (vote) != GREMIUM_VOTE_STATE_OPEN ||
      gremium_vote_get_deadline (vote) == 0)
    return;

  key = g_strdup_printf ("%s/%s", gremium_meeting_get_id (model), gremium_vote_get_id (vote));
  if (g_hash_table_contains (self->deadlines, key))
    return;

  deadline = g_new0 (Deadline, 1);
  deadline->server = self;
  deadline->meeting_id = g_strdup (gremium_meeting_get_id (model));
  deadline->vote_id = g_strdup (gremium_vote_get_id (vote));

  /* A little after the deadline, so that the entry's time is past it. */
  delay = (gremium_vote_get_deadline (vote) - g_get_real_time ()) / 1000 + 50;
  g_hash_table_insert (self->deadlines, g_steal_pointer (&key),
                       GUINT_TO_POINTER (g_timeout_add_full (G_PRIORITY_DEFAULT, MAX (delay, 0),
                                                             deadline_cb, deadline,
                                                             (GDestroyNotify) deadline_free)));
}

static void
remove_source (gpointer data)
{
  g_source_remove (GPOINTER_TO_UINT (data));
}

static void
gremium_server_dispose (GObject *object)
{
  GremiumServer *self = (GremiumServer *) object;

  g_clear_pointer (&self->deadlines, g_hash_table_unref);

  gremium_server_shutdown (self);

  g_clear_object (&self->soup);
  g_clear_pointer (&self->meetings, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_object (&self->db);
  g_clear_object (&self->identity);

  G_OBJECT_CLASS (gremium_server_parent_class)->dispose (object);
}

static void
gremium_server_finalize (GObject *object)
{
  GremiumServer *self = (GremiumServer *) object;

  g_clear_pointer (&self->config, gremium_server_config_free);

  G_OBJECT_CLASS (gremium_server_parent_class)->finalize (object);
}

static void
gremium_server_class_init (GremiumServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_server_dispose;
  object_class->finalize = gremium_server_finalize;
}

static void
gremium_server_init (GremiumServer *self)
{
  self->meetings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  self->deadlines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, remove_source);
}

/**
 * gremium_server_new:
 * @config: the configuration (copied)
 * @db: the database
 * @identity: the server's identity key
 *
 * Returns: (transfer full): a server, not yet listening
 */
GremiumServer *
gremium_server_new (const GremiumServerConfig *config,
                    GremiumServerDatabase     *db,
                    GremiumIdentity           *identity)
{
  GremiumServer *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (GREMIUM_IS_SERVER_DATABASE (db), NULL);
  g_return_val_if_fail (GREMIUM_IS_IDENTITY (identity), NULL);

  self = g_object_new (GREMIUM_TYPE_SERVER, NULL);
  self->config = config_copy (config);
  self->db = g_object_ref (db);
  self->identity = g_object_ref (identity);

  return self;
}

/**
 * gremium_server_listen:
 * @self: a server
 * @error: return location for an error
 *
 * Starts listening on the configured address and port (port 0 picks a free
 * one; see gremium_server_get_port()). Without TLS only a loopback address
 * is accepted.
 *
 * Returns: %TRUE when the server listens
 */
gboolean
gremium_server_listen (GremiumServer  *self,
                       GError        **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GSocket) socket = NULL;
  SoupServerListenOptions options = 0;
  GSList *uris;

  g_return_val_if_fail (GREMIUM_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->soup == NULL, FALSE);

  if (!gremium_server_config_validate (self->config, error))
    return FALSE;

  if (self->config->tls_certificate != NULL)
    {
      certificate = g_tls_certificate_new_from_files (self->config->tls_certificate,
                                                      self->config->tls_key, error);
      if (certificate == NULL)
        {
          g_prefix_error (error, "Cannot load the TLS certificate: ");
          return FALSE;
        }
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  self->soup = soup_server_new ("server-header", "gremium-server/" PACKAGE_VERSION,
                                "tls-certificate", certificate,
                                NULL);
  soup_server_add_websocket_handler (self->soup, "/gremium/v1", NULL, NULL,
                                     websocket_cb, self, NULL);

  inet = g_inet_address_new_from_string (self->config->listen_address);
  address = g_inet_socket_address_new (inet, self->config->port);

  socket = listen_socket_new (address, error);
  if (socket == NULL || !soup_server_listen_socket (self->soup, socket, options, error))
    {
      g_prefix_error (error, "Cannot listen on %s port %u: ", self->config->listen_address,
                      self->config->port);
      g_clear_object (&self->soup);
      return FALSE;
    }

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return TRUE;
}

/**
 * gremium_server_get_port:
 * @self: a server
 *
 * Returns: the port the server listens on, or 0
 */
guint
gremium_server_get_port (GremiumServer *self)
{
  g_return_val_if_fail (GREMIUM_IS_SERVER (self), 0);

  return self->port;
}

/**
 * gremium_server_dup_url:
 * @self: a listening server
 *
 * Returns: (transfer full): the WebSocket URL clients connect to
 */
char *
gremium_server_dup_url (GremiumServer *self)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (GREMIUM_IS_SERVER (self), NULL);

  inet = g_inet_address_new_from_string (self->config->listen_address);
  host = g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6
    ? g_strdup_printf ("[%s]", self->config->listen_address)
    : g_strdup (self->config->listen_address);

  return g_strdup_printf ("%s://%s:%u/gremium/v1",
                          self->config->tls_certificate ? "wss" : "ws", host, self->port);
}

/**
 * gremium_server_shutdown:
 * @self: a server
 *
 * Stops listening and closes every connection.
 */
void
gremium_server_shutdown (GremiumServer *self)
{
  g_return_if_fail (GREMIUM_IS_SERVER (self));

  if (self->sessions != NULL)
    {
      g_autoptr(GPtrArray) sessions = g_ptr_array_copy (self->sessions, (GCopyFunc) g_object_ref, NULL);

      g_ptr_array_set_free_func (sessions, g_object_unref);
      for (guint i = 0; i < sessions->len; i++)
        gremium_server_session_close (g_ptr_array_index (sessions, i),
                                      SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "The server shuts down");
    }

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}

/**
 * gremium_server_get_n_connections:
 * @self: a server
 *
 * Returns: the number of open connections
 */
guint
gremium_server_get_n_connections (GremiumServer *self)
{
  g_return_val_if_fail (GREMIUM_IS_SERVER (self), 0);

  return self->sessions->len;
}

/**
 * gremium_server_lookup_meeting:
 * @self: a server
 * @meeting_id: a meeting id
 * @error: return location for an error
 *
 * Finds a meeting, loading and verifying its record on first use.
 *
 * Returns: (transfer none) (nullable): the meeting
 */
/* A meeting loaded from disk has no connections yet: after a restart or a
 * crash, everyone the record shows as present or waiting lost their
 * connection. Record that, as for any lost connection, so that the quorum
 * does not count people who may be gone; their clients take their seats
 * again when they reconnect.
 */
static void
record_lost_presence (GremiumServerMeeting *meeting)
{
  GremiumMeeting *model = gremium_server_meeting_get_model (meeting);
  GListModel *members = gremium_meeting_get_members (model);

  if (gremium_meeting_get_closed (model))
    return;

  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (members, i);
      g_autoptr(JsonObject) data = NULL;
      g_autoptr(GError) error = NULL;

      if (gremium_member_get_presence (member) == GREMIUM_PRESENCE_ABSENT)
        continue;

      data = json_object_new ();
      json_object_set_string_member (data, "member", gremium_member_get_id (member));
      json_object_set_string_member (data, "reason", "connection-lost");
      if (gremium_server_meeting_submit_as_server (meeting, GREMIUM_KIND_ATTENDANCE_LEAVE,
                                                   data, &error) == NULL)
        g_warning ("Cannot record the lost connection of %s: %s",
                   gremium_member_get_id (member), error->message);
    }
}

GremiumServerMeeting *
gremium_server_lookup_meeting (GremiumServer  *self,
                               const char     *meeting_id,
                               GError        **error)
{
  GremiumServerMeeting *meeting;

  g_return_val_if_fail (GREMIUM_IS_SERVER (self), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  meeting = g_hash_table_lookup (self->meetings, meeting_id);
  if (meeting != NULL)
    return meeting;

  if (!_gremium_id_is_valid (meeting_id))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNKNOWN_MEETING, "No meeting “%s”", meeting_id);
      return NULL;
    }

  meeting = gremium_server_meeting_load (self->db, self->identity, meeting_id, error);
  if (meeting == NULL)
    return NULL;

  g_hash_table_insert (self->meetings, g_strdup (meeting_id), meeting);
  record_lost_presence (meeting);
  schedule_deadline (self, meeting);
  return meeting;
}

GremiumServerDatabase *
_gremium_server_get_database (GremiumServer *self)
{
  return self->db;
}

GremiumIdentity *
_gremium_server_get_identity (GremiumServer *self)
{
  return self->identity;
}

const GremiumServerConfig *
_gremium_server_get_config (GremiumServer *self)
{
  return self->config;
}

guint
_gremium_server_count_member_sessions (GremiumServer *self,
                                       const char    *member_id)
{
  guint count = 0;

  for (guint i = 0; i < self->sessions->len; i++)
    {
      GremiumServerSession *session = g_ptr_array_index (self->sessions, i);

      if (g_strcmp0 (gremium_server_session_get_member_id (session), member_id) == 0)
        count++;
    }

  return count;
}

static gboolean
member_has_other_session (GremiumServer        *self,
                          GremiumServerSession *except,
                          const char           *member_id,
                          const char           *meeting_id)
{
  for (guint i = 0; i < self->sessions->len; i++)
    {
      GremiumServerSession *session = g_ptr_array_index (self->sessions, i);

      if (session != except &&
          g_strcmp0 (gremium_server_session_get_member_id (session), member_id) == 0 &&
          gremium_server_session_has_joined (session, meeting_id))
        return TRUE;
    }

  return FALSE;
}

/* When a member's last connection to a meeting goes while they take part or
 * wait in the lobby, the server records that it saw the connection go.
 * Otherwise the member would count towards the quorum while gone. A
 * connection goes when it closes, or when it stops following the meeting
 * with `leave`: either way nothing of the meeting reaches the member any
 * more.
 */
void
_gremium_server_member_gone (GremiumServer        *self,
                             GremiumServerSession *session,
                             GremiumServerMeeting *meeting)
{
  GremiumMeeting *model = gremium_server_meeting_get_model (meeting);
  const char *member_id = gremium_server_session_get_member_id (session);
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;
  GremiumRecordEntry *entry;
  GremiumMember *member;

  if (member_id == NULL)
    return;

  member = gremium_meeting_lookup_member (model, member_id);
  if (member == NULL ||
      gremium_member_get_presence (member) == GREMIUM_PRESENCE_ABSENT ||
      gremium_meeting_get_closed (model) ||
      member_has_other_session (self, session, member_id, gremium_meeting_get_id (model)))
    return;

  data = json_object_new ();
  json_object_set_string_member (data, "member", member_id);
  json_object_set_string_member (data, "reason", "connection-lost");

  entry = gremium_server_meeting_submit_as_server (meeting, GREMIUM_KIND_ATTENDANCE_LEAVE, data, &error);
  if (entry == NULL)
    g_warning ("Cannot record that %s lost the connection: %s", member_id, error->message);
  else
    _gremium_server_broadcast_entry (self, meeting, entry);
}

void
_gremium_server_session_closed (GremiumServer        *self,
                                GremiumServerSession *session)
{
  g_autoptr(GremiumServerSession) hold = g_object_ref (session);
  g_autoptr(GPtrArray) joined = gremium_server_session_dup_joined (session);

  g_ptr_array_remove (self->sessions, session);

  for (guint i = 0; i < joined->len; i++)
    _gremium_server_member_gone (self, session, g_ptr_array_index (joined, i));
}

void
_gremium_server_broadcast_entry (GremiumServer        *self,
                                 GremiumServerMeeting *meeting,
                                 GremiumRecordEntry   *entry)
{
  g_autoptr(JsonObject) event = json_object_new ();
  g_autofree char *text = NULL;
  const char *meeting_id = gremium_server_meeting_get_id (meeting);

  json_object_set_string_member (event, "type", "entry");
  json_object_set_string_member (event, "meeting", meeting_id);
  json_object_set_string_member (event, "entry", gremium_record_entry_get_text (entry));
  json_object_set_string_member (event, "checkpoint", gremium_server_meeting_get_checkpoint (meeting));
  text = _gremium_json_object_to_string (event);

  for (guint i = 0; i < self->sessions->len; i++)
    {
      GremiumServerSession *session = g_ptr_array_index (self->sessions, i);

      if (gremium_server_session_has_joined (session, meeting_id))
        gremium_server_session_send_text (session, text);
    }

  /* A vote that just opened with a time limit gets its timer. */
  schedule_deadline (self, meeting);
}

gboolean
_gremium_server_relay_peer (GremiumServer        *self,
                            GremiumServerMeeting *meeting,
                            const char           *from,
                            const char           *to,
                            const char           *body)
{
  g_autoptr(JsonObject) event = NULL;
  g_autofree char *text = NULL;
  GremiumMember *recipient;
  const char *meeting_id = gremium_server_meeting_get_id (meeting);
  gboolean delivered = FALSE;

  recipient = gremium_meeting_lookup_member (gremium_server_meeting_get_model (meeting), to);
  if (recipient == NULL || gremium_member_get_presence (recipient) != GREMIUM_PRESENCE_PRESENT)
    return FALSE;

  event = json_object_new ();
  json_object_set_string_member (event, "type", "peer");
  json_object_set_string_member (event, "meeting", meeting_id);
  json_object_set_string_member (event, "from", from);
  json_object_set_string_member (event, "body", body);
  text = _gremium_json_object_to_string (event);

  for (guint i = 0; i < self->sessions->len; i++)
    {
      GremiumServerSession *session = g_ptr_array_index (self->sessions, i);

      if (g_strcmp0 (gremium_server_session_get_member_id (session), to) == 0 &&
          gremium_server_session_has_joined (session, meeting_id))
        {
          gremium_server_session_send_text (session, text);
          delivered = TRUE;
        }
    }

  return delivered;
}

GPtrArray *
_gremium_server_list_member_meetings (GremiumServer *self,
                                      const char    *member_id)
{
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *out = g_ptr_array_new ();

  infos = gremium_server_database_list_meetings (self->db, &error);
  if (infos == NULL)
    {
      g_warning ("Cannot list meetings: %s", error->message);
      return out;
    }

  for (guint i = 0; i < infos->len; i++)
    {
      GremiumServerMeetingInfo *info = g_ptr_array_index (infos, i);
      GremiumServerMeeting *meeting;

      g_clear_error (&error);
      meeting = gremium_server_lookup_meeting (self, info->id, &error);
      if (meeting == NULL)
        {
          g_warning ("Cannot load meeting %s: %s", info->id, error->message);
          continue;
        }

      if (gremium_meeting_lookup_member (gremium_server_meeting_get_model (meeting), member_id) != NULL)
        g_ptr_array_add (out, meeting);
    }

  return out;
}

/* A device enrolled while meetings are under way joins their rosters, so
 * that its statements verify for everyone.
 */
void
_gremium_server_member_enrolled (GremiumServer *self,
                                 const char    *member_id,
                                 const guint8   key[GREMIUM_PUBLIC_KEY_SIZE])
{
  g_autoptr(GPtrArray) meetings = _gremium_server_list_member_meetings (self, member_id);
  g_autofree char *key_text = gremium_base64_encode (key, GREMIUM_PUBLIC_KEY_SIZE);

  for (guint i = 0; i < meetings->len; i++)
    {
      GremiumServerMeeting *meeting = g_ptr_array_index (meetings, i);
      GremiumMeeting *model = gremium_server_meeting_get_model (meeting);
      GremiumMember *member = gremium_meeting_lookup_member (model, member_id);
      g_autoptr(JsonObject) data = NULL;
      g_autoptr(GError) error = NULL;
      GremiumRecordEntry *entry;

      if (gremium_meeting_get_closed (model) || gremium_member_has_key (member, key))
        continue;

      data = json_object_new ();
      json_object_set_string_member (data, "member", member_id);
      json_object_set_string_member (data, "key", key_text);

      entry = gremium_server_meeting_submit_as_server (meeting, GREMIUM_KIND_ROSTER_KEY_ADD,
                                                       data, &error);
      if (entry == NULL)
        g_warning ("Cannot add the new key of %s to meeting %s: %s", member_id,
                   gremium_meeting_get_id (model), error->message);
      else
        _gremium_server_broadcast_entry (self, meeting, entry);
    }
}
