/* gremium-client.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-client"

#include "config.h"

#include "gremium-client.h"
#include "gremium-auth.h"
#include "gremium-checkpoint.h"
#include "gremium-error.h"
#include "gremium-json-private.h"
#include "gremium-log-monitor.h"
#include "gremium-merkle-tree.h"

#include <libsoup/soup.h>
#include <string.h>

/**
 * GremiumClient:
 *
 * A member's connection to a Gremium server (docs/protocol.md): it logs in
 * with the device key, mirrors the meetings it joined by applying and
 * verifying every record entry, submits statements and relays peer
 * messages.
 *
 * The client trusts the server for nothing it can check. It pins the
 * server's key on first contact, verifies every entry with the same meeting
 * model the server uses, recomputes the Merkle tree and compares it with
 * every signed checkpoint, keeps the checkpoints it saw to detect a forked
 * or rewritten record, and checks the inclusion proof of every statement it
 * submits.
 *
 * When the connection drops, the client reconnects by itself, logs in again,
 * fetches what it missed (checking consistency with what it saw before) and
 * rejoins the meetings it was attending.
 */
struct _GremiumClient
{
  GObject                  parent_instance;

  char                    *url;
  char                    *member_id;
  GremiumIdentity         *identity;
  char                    *pinned_key;
  char                    *server_name;
  guint8                   server_key[GREMIUM_PUBLIC_KEY_SIZE];
  gboolean                 auto_reconnect;

  SoupSession             *session;
  SoupWebsocketConnection *connection;
  gulong                   message_handler;
  gulong                   closed_handler;
  GremiumClientState       state;
  char                    *challenge;

  GTask                   *connect_task;        /* during CONNECTING */
  char                    *enrol_code;          /* during an enrolment */
  gint64                   next_id;
  GHashTable              *pending;             /* id → GTask */
  GHashTable              *meetings;            /* id → MeetingState */
  guint                    reconnect_id;
  guint                    reconnect_attempt;
  gboolean                 closing;
};

G_DEFINE_FINAL_TYPE (GremiumClient, gremium_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_SERVER_KEY,
  N_PROPS
};

enum {
  PEER_MESSAGE,
  RECORD_ALARM,
  RECONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The client's copy of one meeting. */
typedef struct
{
  char              *id;
  GremiumMeeting    *model;
  GremiumMerkleTree *tree;
  GremiumLogMonitor *monitor;
  GHashTable        *early;         /* index → entry text that arrived ahead of its turn */
  gboolean           joined;        /* the server sends us its events */
  gboolean           attending;     /* we submitted attendance.join and did not leave */
  gboolean           broken;        /* the record failed verification; stop trusting it */
} MeetingState;

static void
meeting_state_free (MeetingState *state)
{
  g_free (state->id);
  g_clear_object (&state->model);
  g_clear_object (&state->tree);
  g_clear_object (&state->monitor);
  g_clear_pointer (&state->early, g_hash_table_unref);
  g_free (state);
}

static void connect_websocket (GremiumClient *self);
static void rejoin_meetings (GremiumClient *self);

static void
set_state (GremiumClient      *self,
           GremiumClientState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
raise_alarm (GremiumClient *self,
       MeetingState  *meeting,
       const char    *message)
{
  g_warning ("The record of meeting %s cannot be trusted: %s", meeting->id, message);
  meeting->broken = TRUE;
  g_signal_emit (self, signals[RECORD_ALARM], 0, meeting->id, message);
}

static void
send_object (GremiumClient *self,
             JsonObject    *object)
{
  g_autofree char *text = _gremium_json_object_to_string (object);

  if (self->connection != NULL &&
      soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (self->connection, text);
}

/* Sends @request (adding an id) and completes @task with the result object
 * or the server's error.
 */
static void
send_request (GremiumClient *self,
              JsonObject    *request,
              GTask         *task)
{
  gint64 id = ++self->next_id;

  if (self->connection == NULL ||
      soup_websocket_connection_get_state (self->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    {
      g_task_return_new_error (task, GREMIUM_ERROR, GREMIUM_ERROR_CONNECTION_LOST,
                               "Not connected to the server");
      g_object_unref (task);
      return;
    }

  json_object_set_int_member (request, "id", id);
  g_hash_table_insert (self->pending, g_memdup2 (&id, sizeof id), task);
  send_object (self, request);
}

static void
fail_pending (GremiumClient *self,
              const char    *message)
{
  g_autoptr(GHashTable) pending = g_steal_pointer (&self->pending);
  GHashTableIter iter;
  gpointer value;

  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_hash_table_iter_init (&iter, pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GTask *task = value;

      g_task_return_new_error (task, GREMIUM_ERROR, GREMIUM_ERROR_CONNECTION_LOST, "%s", message);
      g_object_unref (task);
    }
}

static gboolean
verify_checkpoint (GremiumClient  *self,
                   MeetingState   *meeting,
                   const char     *checkpoint_text,
                   GError        **error)
{
  g_autoptr(GremiumCheckpoint) checkpoint = NULL;
  g_autoptr(GBytes) proof = NULL;
  GremiumCheckpoint *latest;
  guint8 root[GREMIUM_HASH_SIZE];

  checkpoint = gremium_checkpoint_parse (checkpoint_text, -1, self->server_name,
                                         self->server_key, error);
  if (checkpoint == NULL)
    return FALSE;

  /* A checkpoint for a size we have not reached yet is checked when the
   * entries arrive; one for our size must match the tree we computed.
   */
  if (gremium_checkpoint_get_size (checkpoint) != gremium_merkle_tree_get_size (meeting->tree))
    return TRUE;

  gremium_merkle_tree_get_root (meeting->tree, gremium_checkpoint_get_size (checkpoint), root);
  if (!gremium_memequal (root, gremium_checkpoint_get_root (checkpoint), GREMIUM_HASH_SIZE))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                           "The server's signed checkpoint does not match the entries it sent");
      return FALSE;
    }

  /* We hold every entry, so we can prove consistency with the previous
   * checkpoint ourselves; the monitor keeps the evidence.
   */
  latest = gremium_log_monitor_get_latest (meeting->monitor);
  if (latest != NULL && gremium_checkpoint_get_size (latest) < gremium_checkpoint_get_size (checkpoint))
    {
      proof = gremium_merkle_tree_prove_consistency (meeting->tree, gremium_checkpoint_get_size (latest),
                                                     gremium_checkpoint_get_size (checkpoint), error);
      if (proof == NULL)
        return FALSE;
    }

  return gremium_log_monitor_update (meeting->monitor, checkpoint_text, proof, error);
}

static gboolean
apply_entry_text (GremiumClient  *self,
                  MeetingState   *meeting,
                  const char     *text,
                  GError        **error)
{
  g_autoptr(GremiumRecordEntry) entry = NULL;
  guint64 expected = gremium_meeting_get_n_entries (meeting->model);

  entry = gremium_record_entry_new_from_bytes (text, strlen (text), error);
  if (entry == NULL)
    return FALSE;

  if (gremium_record_entry_get_index (entry) < expected)
    {
      guint8 leaf[GREMIUM_HASH_SIZE];

      /* Seen already (an event and a sync overlapped); it must be the same. */
      gremium_merkle_tree_get_leaf_hash (meeting->tree, gremium_record_entry_get_index (entry), leaf);
      if (!gremium_memequal (leaf, gremium_record_entry_get_leaf_hash (entry), GREMIUM_HASH_SIZE))
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                       "The server sent two different entries %" G_GUINT64_FORMAT,
                       gremium_record_entry_get_index (entry));
          return FALSE;
        }
      return TRUE;
    }

  if (gremium_record_entry_get_index (entry) > expected)
    {
      g_hash_table_insert (meeting->early,
                           g_memdup2 (&(guint64) { gremium_record_entry_get_index (entry) }, sizeof (guint64)),
                           g_strdup (text));
      return TRUE;
    }

  if (!gremium_meeting_apply (meeting->model, entry, error))
    return FALSE;

  gremium_merkle_tree_append (meeting->tree, (const guint8 *) gremium_record_entry_get_text (entry),
                              gremium_record_entry_get_length (entry));

  /* Entries that came early can follow now. */
  for (;;)
    {
      guint64 next = gremium_meeting_get_n_entries (meeting->model);
      g_autofree char *early = NULL;
      g_autofree gpointer early_key = NULL;

      /* Stealing hands over the key too; it must be freed here. */
      if (!g_hash_table_steal_extended (meeting->early, &next, &early_key, (gpointer *) &early))
        break;

      if (!apply_entry_text (self, meeting, early, error))
        return FALSE;
    }

  return TRUE;
}

static void
handle_entry_event (GremiumClient *self,
                    JsonObject    *event)
{
  g_autoptr(GError) error = NULL;
  const char *meeting_id = _gremium_json_get_string (event, "meeting", 64, NULL);
  const char *text = _gremium_json_get_string (event, "entry", G_MAXSIZE, NULL);
  const char *checkpoint = _gremium_json_get_string (event, "checkpoint", 4096, NULL);
  MeetingState *meeting;

  if (meeting_id == NULL || text == NULL || checkpoint == NULL)
    return;

  meeting = g_hash_table_lookup (self->meetings, meeting_id);
  if (meeting == NULL || meeting->broken)
    return;

  if (!apply_entry_text (self, meeting, text, &error) ||
      !verify_checkpoint (self, meeting, checkpoint, &error))
    raise_alarm (self, meeting, error->message);
}

static void
handle_peer_event (GremiumClient *self,
                   JsonObject    *event)
{
  const char *meeting_id = _gremium_json_get_string (event, "meeting", 64, NULL);
  const char *from = _gremium_json_get_string (event, "from", 64, NULL);
  JsonNode *body = json_object_get_member (event, "body");

  if (meeting_id == NULL || from == NULL || body == NULL ||
      json_node_get_value_type (body) != G_TYPE_STRING)
    return;

  g_signal_emit (self, signals[PEER_MESSAGE], 0, meeting_id, from, json_node_get_string (body));
}

static void
login_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GremiumClient *self = GREMIUM_CLIENT (object);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) connect_task = g_steal_pointer (&self->connect_task);
  gboolean was_reconnecting = self->state == GREMIUM_CLIENT_STATE_RECONNECTING;

  reply = gremium_client_request_finish (self, result, &error);
  g_clear_pointer (&self->enrol_code, g_free);

  /* A connection lost in the middle of a reconnect's login is no answer to
   * the login: the connection's end schedules the next attempt (or the
   * client was disconnected, and nobody waits for this login).
   */
  if (reply == NULL && was_reconnecting && connect_task == NULL &&
      g_error_matches (error, GREMIUM_ERROR, GREMIUM_ERROR_CONNECTION_LOST))
    {
      g_debug ("Reconnecting was interrupted: %s", error->message);
      return;
    }

  if (reply == NULL)
    {
      /* A rejected login will not succeed by retrying; stop here. */
      self->closing = TRUE;
      if (self->connection != NULL)
        soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      set_state (self, GREMIUM_CLIENT_STATE_DISCONNECTED);
      if (connect_task != NULL)
        g_task_return_error (connect_task, g_steal_pointer (&error));
      else
        g_warning ("Reconnecting failed: %s", error->message);
      return;
    }

  self->reconnect_attempt = 0;
  set_state (self, GREMIUM_CLIENT_STATE_CONNECTED);

  if (was_reconnecting)
    rejoin_meetings (self);

  if (connect_task != NULL)
    g_task_return_boolean (connect_task, TRUE);
}

static void
send_login (GremiumClient *self)
{
  g_autoptr(GremiumStatement) proof = NULL;
  g_autoptr(JsonObject) request = json_object_new ();
  g_autofree char *server_key = gremium_base64_encode (self->server_key, GREMIUM_PUBLIC_KEY_SIZE);
  const char *purpose = self->enrol_code ? GREMIUM_AUTH_PURPOSE_ENROL : GREMIUM_AUTH_PURPOSE_LOGIN;

  proof = gremium_auth_proof_new (self->identity, purpose, server_key, self->challenge,
                                  self->member_id, g_get_real_time ());

  json_object_set_string_member (request, "type", purpose);
  if (self->enrol_code != NULL)
    {
      json_object_set_string_member (request, "member", self->member_id);
      json_object_set_string_member (request, "code", self->enrol_code);
    }
  json_object_set_member (request, "proof", gremium_statement_to_json_node (proof));

  gremium_client_request_async (self, request, NULL, login_ready_cb, NULL);
}

static void
fail_connect (GremiumClient *self,
              GError        *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);

  self->closing = TRUE;
  if (self->connection != NULL)
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  set_state (self, GREMIUM_CLIENT_STATE_DISCONNECTED);

  if (task != NULL)
    g_task_return_error (task, error);
  else
    {
      g_warning ("Cannot reconnect: %s", error->message);
      g_error_free (error);
    }
}

static void
handle_hello (GremiumClient *self,
              JsonObject    *hello)
{
  g_autoptr(GError) error = NULL;
  const char *key_text;
  const char *name;
  const char *challenge;
  JsonObject *server;
  gint64 protocol;

  if (!_gremium_json_get_int (hello, "protocol", 1, G_MAXINT, &protocol, &error) ||
      !(server = _gremium_json_get_object (hello, "server", &error)) ||
      !(key_text = _gremium_json_get_string (server, "key", 64, &error)) ||
      !(name = _gremium_json_get_string (server, "name", 253, &error)) ||
      !(challenge = _gremium_json_get_string (hello, "challenge", 64, &error)) ||
      !gremium_base64_decode_exact (key_text, self->server_key, GREMIUM_PUBLIC_KEY_SIZE, &error))
    {
      g_prefix_error (&error, "The server's greeting is malformed: ");
      fail_connect (self, g_steal_pointer (&error));
      return;
    }

  if (protocol != 1)
    {
      fail_connect (self, g_error_new (GREMIUM_ERROR, GREMIUM_ERROR_UNSUPPORTED_VERSION,
                                       "The server speaks protocol version %" G_GINT64_FORMAT,
                                       protocol));
      return;
    }

  /* Trust on first use, then never silently again. */
  if (self->pinned_key != NULL && !g_str_equal (self->pinned_key, key_text))
    {
      fail_connect (self, g_error_new (GREMIUM_ERROR, GREMIUM_ERROR_SERVER_KEY_CHANGED,
                                       "The server presented a different key than before"));
      return;
    }

  if (self->pinned_key == NULL)
    {
      self->pinned_key = g_strdup (key_text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_KEY]);
    }

  g_free (self->server_name);
  self->server_name = g_strdup (name);
  g_free (self->challenge);
  self->challenge = g_strdup (challenge);

  send_login (self);
}

static void
handle_reply (GremiumClient *self,
              JsonObject    *reply,
              gboolean       is_error)
{
  gint64 re;
  GTask *task;

  if (!json_object_has_member (reply, "re") ||
      !_gremium_json_get_int (reply, "re", 1, G_MAXINT64, &re, NULL))
    {
      if (is_error)
        g_warning ("The server reports: %s (%s)",
                   json_object_get_string_member_with_default (reply, "message", ""),
                   json_object_get_string_member_with_default (reply, "code", ""));
      return;
    }

  /* The table owns the key and not the task: removing frees the key. */
  task = g_hash_table_lookup (self->pending, &re);
  if (task == NULL)
    return;

  g_hash_table_remove (self->pending, &re);

  if (is_error)
    {
      const char *code = json_object_get_string_member_with_default (reply, "code", "internal-error");
      const char *message = json_object_get_string_member_with_default (reply, "message", code);

      g_task_return_new_error (task, GREMIUM_ERROR, gremium_error_from_wire (code), "%s", message);
    }
  else
    {
      g_task_return_pointer (task, json_object_ref (reply), (GDestroyNotify) json_object_unref);
    }

  g_object_unref (task);
}

static void
message_cb (SoupWebsocketConnection *connection,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            GremiumClient           *self)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  const char *kind;
  const char *data;
  gsize len;

  g_object_ref (self);

  data = g_bytes_get_data (message, &len);
  if (type != SOUP_WEBSOCKET_DATA_TEXT ||
      !(object = _gremium_json_parse_object (data, len, &error)) ||
      !(kind = _gremium_json_get_string (object, "type", 32, &error)))
    {
      g_warning ("Ignoring a malformed message from the server: %s",
                 error ? error->message : "binary frame");
      g_object_unref (self);
      return;
    }

  if (g_str_equal (kind, "hello"))
    handle_hello (self, object);
  else if (g_str_equal (kind, "result"))
    handle_reply (self, object, FALSE);
  else if (g_str_equal (kind, "error"))
    handle_reply (self, object, TRUE);
  else if (g_str_equal (kind, "entry"))
    handle_entry_event (self, object);
  else if (g_str_equal (kind, "peer"))
    handle_peer_event (self, object);

  g_object_unref (self);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  GremiumClient *self = user_data;

  self->reconnect_id = 0;
  connect_websocket (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (GremiumClient *self)
{
  /* 250 ms, 500 ms, 1 s, 2 s, then every 4 s: quick after a blip, gentle
   * on a server that is down.
   */
  guint delay = 250u << MIN (self->reconnect_attempt, 4u);

  self->reconnect_attempt++;
  set_state (self, GREMIUM_CLIENT_STATE_RECONNECTING);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  self->reconnect_id = g_timeout_add (delay, reconnect_cb, self);
}

static void
closed_cb (SoupWebsocketConnection *connection,
           GremiumClient           *self)
{
  gboolean expected = self->closing;
  GHashTableIter iter;
  gpointer value;

  g_object_ref (self);

  g_clear_signal_handler (&self->message_handler, connection);
  g_clear_signal_handler (&self->closed_handler, connection);
  if (self->connection == connection)
    g_clear_object (&self->connection);

  fail_pending (self, "The connection to the server was lost");

  g_hash_table_iter_init (&iter, self->meetings);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((MeetingState *) value)->joined = FALSE;

  if (self->connect_task != NULL && self->state == GREMIUM_CLIENT_STATE_CONNECTING)
    {
      fail_connect (self, g_error_new (GREMIUM_ERROR, GREMIUM_ERROR_CONNECTION_LOST,
                                       "The server closed the connection (%u %s)",
                                       soup_websocket_connection_get_close_code (connection),
                                       soup_websocket_connection_get_close_data (connection)
                                         ? soup_websocket_connection_get_close_data (connection) : ""));
    }
  else if (!expected && self->auto_reconnect &&
           (self->state == GREMIUM_CLIENT_STATE_CONNECTED ||
            self->state == GREMIUM_CLIENT_STATE_RECONNECTING))
    {
      g_message ("The connection to %s was lost; reconnecting", self->url);
      schedule_reconnect (self);
    }
  else
    {
      set_state (self, GREMIUM_CLIENT_STATE_DISCONNECTED);
    }

  g_object_unref (self);
}

static void
websocket_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GremiumClient) self = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (connection == NULL)
    {
      /* Disconnected while this attempt was under way: nobody waits for it. */
      if (self->closing && self->connect_task == NULL)
        return;

      if (self->state == GREMIUM_CLIENT_STATE_RECONNECTING && self->auto_reconnect && !self->closing)
        {
          schedule_reconnect (self);
          return;
        }

      g_prefix_error (&error, "Cannot connect to %s: ", self->url);
      if (!g_error_matches (error, GREMIUM_ERROR, error->code))
        {
          GError *wrapped = g_error_new (GREMIUM_ERROR, GREMIUM_ERROR_CONNECTION_LOST,
                                         "%s", error->message);
          fail_connect (self, wrapped);
        }
      else
        {
          fail_connect (self, g_steal_pointer (&error));
        }
      return;
    }

  if (self->closing)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (connection);
      return;
    }

  self->connection = connection;
  /* Joining a long meeting returns up to 500 entries at once. */
  soup_websocket_connection_set_max_incoming_payload_size (connection, 16 * 1024 * 1024);
  soup_websocket_connection_set_keepalive_interval (connection, 20);
  self->message_handler = g_signal_connect (connection, "message", G_CALLBACK (message_cb), self);
  self->closed_handler = g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), self);
  /* The server speaks first: its hello drives the rest of the login. */
}

static void
connect_websocket (GremiumClient *self)
{
  g_autoptr(SoupMessage) message = NULL;

  message = soup_message_new (SOUP_METHOD_GET, self->url);
  if (message == NULL)
    {
      fail_connect (self, g_error_new (GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                                       "“%s” is not a server address", self->url));
      return;
    }

  soup_session_websocket_connect_async (self->session, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->connect_task ? g_task_get_cancellable (self->connect_task) : NULL,
                                        websocket_ready_cb, g_object_ref (self));
}

static void
start_connect (GremiumClient       *self,
               const char          *enrol_code,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GUri) uri = NULL;

  g_task_set_source_tag (task, source_tag);

  if (self->state != GREMIUM_CLIENT_STATE_DISCONNECTED)
    {
      g_task_return_new_error (task, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE,
                               "The client is already connected or connecting");
      return;
    }

  uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "ws") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "wss") != 0) ||
      g_uri_get_host (uri) == NULL)
    {
      g_task_return_new_error (task, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                               "“%s” is not a server address (wss://host:port/gremium/v1)",
                               self->url);
      return;
    }

  g_free (self->enrol_code);
  self->enrol_code = g_strdup (enrol_code);
  self->closing = FALSE;
  self->connect_task = g_steal_pointer (&task);
  set_state (self, GREMIUM_CLIENT_STATE_CONNECTING);
  connect_websocket (self);
}

static void
gremium_client_dispose (GObject *object)
{
  GremiumClient *self = (GremiumClient *) object;

  /* The connection may outlive us while its closing handshake runs; it must
   * not call back into a finalized client.
   */
  self->closing = TRUE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  if (self->connection != NULL)
    {
      g_clear_signal_handler (&self->message_handler, self->connection);
      g_clear_signal_handler (&self->closed_handler, self->connection);
      if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&self->connection);
    }
  if (self->pending != NULL)
    fail_pending (self, "The client was closed");
  g_clear_object (&self->session);

  G_OBJECT_CLASS (gremium_client_parent_class)->dispose (object);
}

static void
gremium_client_finalize (GObject *object)
{
  GremiumClient *self = (GremiumClient *) object;

  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->member_id, g_free);
  g_clear_object (&self->identity);
  g_clear_pointer (&self->pinned_key, g_free);
  g_clear_pointer (&self->server_name, g_free);
  g_clear_pointer (&self->challenge, g_free);
  g_clear_pointer (&self->enrol_code, g_free);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->meetings, g_hash_table_unref);

  G_OBJECT_CLASS (gremium_client_parent_class)->finalize (object);
}

static void
gremium_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GremiumClient *self = GREMIUM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    case PROP_SERVER_KEY:
      g_value_set_string (value, self->pinned_key);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_client_class_init (GremiumClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_client_dispose;
  object_class->finalize = gremium_client_finalize;
  object_class->get_property = gremium_client_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, GREMIUM_CLIENT_STATE_RECONNECTING,
                      GREMIUM_CLIENT_STATE_DISCONNECTED,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SERVER_KEY] =
    g_param_spec_string ("server-key", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GremiumClient::peer-message:
   * @self: the client
   * @meeting_id: the meeting
   * @from: the sending member
   * @body: the opaque message
   *
   * Emitted for every peer message relayed to this member.
   */
  signals[PEER_MESSAGE] =
    g_signal_new ("peer-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * GremiumClient::record-alarm:
   * @self: the client
   * @meeting_id: the meeting
   * @message: what failed
   *
   * Emitted when a meeting's record fails verification: an entry that does
   * not verify, a checkpoint that does not match, or a fork. The client
   * stops applying that meeting's entries; the user must be told.
   */
  signals[RECORD_ALARM] =
    g_signal_new ("record-alarm", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * GremiumClient::reconnected:
   * @self: the client
   *
   * Emitted after the client reconnected by itself and caught up with every
   * meeting it had joined.
   */
  signals[RECONNECTED] =
    g_signal_new ("reconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
gremium_client_init (GremiumClient *self)
{
  self->auto_reconnect = TRUE;
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->meetings = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) meeting_state_free);
  self->session = soup_session_new_with_options ("timeout", 30, NULL);
}

/**
 * gremium_client_new:
 * @url: the server's address, e.g. `wss://rat.example.org/gremium/v1`
 * @identity: this device's identity
 * @member_id: the member this device acts for
 *
 * Returns: (transfer full): a client, not yet connected
 */
GremiumClient *
gremium_client_new (const char      *url,
                    GremiumIdentity *identity,
                    const char      *member_id)
{
  GremiumClient *self;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (GREMIUM_IS_IDENTITY (identity), NULL);
  g_return_val_if_fail (member_id != NULL, NULL);

  self = g_object_new (GREMIUM_TYPE_CLIENT, NULL);
  self->url = g_strdup (url);
  self->identity = g_object_ref (identity);
  self->member_id = g_strdup (member_id);

  return self;
}

/**
 * gremium_client_get_url:
 * @self: a client
 *
 * Returns: (transfer none): the server's address
 */
const char *
gremium_client_get_url (GremiumClient *self)
{
  g_return_val_if_fail (GREMIUM_IS_CLIENT (self), NULL);

  return self->url;
}

/**
 * gremium_client_get_member_id:
 * @self: a client
 *
 * Returns: (transfer none): the member this client acts for
 */
const char *
gremium_client_get_member_id (GremiumClient *self)
{
  g_return_val_if_fail (GREMIUM_IS_CLIENT (self), NULL);

  return self->member_id;
}

/**
 * gremium_client_get_identity:
 * @self: a client
 *
 * Returns: (transfer none): the device identity
 */
GremiumIdentity *
gremium_client_get_identity (GremiumClient *self)
{
  g_return_val_if_fail (GREMIUM_IS_CLIENT (self), NULL);

  return self->identity;
}

/**
 * gremium_client_get_state:
 * @self: a client
 *
 * Returns: the connection state
 */
GremiumClientState
gremium_client_get_state (GremiumClient *self)
{
  g_return_val_if_fail (GREMIUM_IS_CLIENT (self), GREMIUM_CLIENT_STATE_DISCONNECTED);

  return self->state;
}

/**
 * gremium_client_set_pinned_server_key:
 * @self: a client
 * @server_key: (nullable): the server key seen before (base64), or %NULL to
 *   trust the key presented on first contact
 *
 * Pins the server's key. The application stores the key after the first
 * connection (see the `server-key` property) and passes it here afterwards.
 */
void
gremium_client_set_pinned_server_key (GremiumClient *self,
                                      const char    *server_key)
{
  g_return_if_fail (GREMIUM_IS_CLIENT (self));

  g_free (self->pinned_key);
  self->pinned_key = g_strdup (server_key);
}

/**
 * gremium_client_get_server_key:
 * @self: a client
 *
 * Returns: (transfer none) (nullable): the pinned server key (base64)
 */
const char *
gremium_client_get_server_key (GremiumClient *self)
{
  g_return_val_if_fail (GREMIUM_IS_CLIENT (self), NULL);

  return self->pinned_key;
}

/**
 * gremium_client_get_server_name:
 * @self: a client
 *
 * Returns: (transfer none) (nullable): the server's name from its greeting
 */
const char *
gremium_client_get_server_name (GremiumClient *self)
{
  g_return_val_if_fail (GREMIUM_IS_CLIENT (self), NULL);

  return self->server_name;
}

/**
 * gremium_client_set_auto_reconnect:
 * @self: a client
 * @auto_reconnect: whether to reconnect after a lost connection
 *
 * Reconnecting is on by default.
 */
void
gremium_client_set_auto_reconnect (GremiumClient *self,
                                   gboolean       auto_reconnect)
{
  g_return_if_fail (GREMIUM_IS_CLIENT (self));

  self->auto_reconnect = !!auto_reconnect;
}

/**
 * gremium_client_set_tls_database:
 * @self: a client
 * @database: (nullable): the certificate authorities to trust, or %NULL for
 *   the system's
 *
 * Replaces the certificate authorities used to check a `wss://` server, for
 * councils that run their own authority (and for tests).
 */
void
gremium_client_set_tls_database (GremiumClient *self,
                                 GTlsDatabase  *database)
{
  g_autoptr(GTlsDatabase) system_database = NULL;

  g_return_if_fail (GREMIUM_IS_CLIENT (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  if (database == NULL)
    database = system_database = g_tls_backend_get_default_database (g_tls_backend_get_default ());

  g_object_set (self->session, "tls-database", database, NULL);
}

/**
 * gremium_client_connect_async:
 * @self: a client
 * @cancellable: (nullable): a cancellable
 * @callback: called when connected and logged in, or failed
 * @user_data: data for @callback
 *
 * Connects, checks the server's key against the pinned one and logs in with
 * the device key.
 */
void
gremium_client_connect_async (GremiumClient       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (GREMIUM_IS_CLIENT (self));

  start_connect (self, NULL, cancellable, callback, user_data, gremium_client_connect_async);
}

/**
 * gremium_client_connect_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the client is logged in
 */
gboolean
gremium_client_connect_finish (GremiumClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gremium_client_enrol_async:
 * @self: a client
 * @code: the one-time enrolment code from the operator
 * @cancellable: (nullable): a cancellable
 * @callback: called when enrolled and logged in, or failed
 * @user_data: data for @callback
 *
 * Connects and enrols this device's key for the member with @code. After
 * success the client is logged in.
 */
void
gremium_client_enrol_async (GremiumClient       *self,
                            const char          *code,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (GREMIUM_IS_CLIENT (self));
  g_return_if_fail (code != NULL);

  start_connect (self, code, cancellable, callback, user_data, gremium_client_enrol_async);
}

/**
 * gremium_client_enrol_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the device is enrolled and logged in
 */
gboolean
gremium_client_enrol_finish (GremiumClient  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gremium_client_request_async:
 * @self: a client
 * @request: a protocol request without `id`
 * @cancellable: (nullable): a cancellable
 * @callback: called with the server's answer
 * @user_data: data for @callback
 *
 * Sends a raw protocol request. The other methods cover the protocol; this
 * one exists for tests and tools.
 */
void
gremium_client_request_async (GremiumClient       *self,
                              JsonObject          *request,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GREMIUM_IS_CLIENT (self));
  g_return_if_fail (request != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gremium_client_request_async);
  send_request (self, request, task);
}

/**
 * gremium_client_request_finish:
 * @self: a client
 * @result: the result
 * @error: return location for the server's error
 *
 * Returns: (transfer full) (nullable): the `result` message
 */
JsonObject *
gremium_client_request_finish (GremiumClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
list_meetings_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *meetings;

  reply = gremium_client_request_finish (GREMIUM_CLIENT (object), result, &error);
  if (reply == NULL ||
      !(meetings = _gremium_json_get_array (reply, "meetings", 10000, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, json_array_ref (meetings), (GDestroyNotify) json_array_unref);
}

/**
 * gremium_client_list_meetings_async:
 * @self: a logged-in client
 * @cancellable: (nullable): a cancellable
 * @callback: called with the meetings
 * @user_data: data for @callback
 *
 * Lists the member's meetings (docs/protocol.md §4.1).
 */
void
gremium_client_list_meetings_async (GremiumClient       *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonObject) request = json_object_new ();
  GTask *task;

  g_return_if_fail (GREMIUM_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gremium_client_list_meetings_async);

  json_object_set_string_member (request, "type", "meetings");
  gremium_client_request_async (self, request, cancellable, list_meetings_cb, task);
}

/**
 * gremium_client_list_meetings_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the meetings as JSON objects with the
 *   members of docs/protocol.md §4.1
 */
JsonArray *
gremium_client_list_meetings_finish (GremiumClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  MeetingState *meeting;        /* borrowed from self->meetings */
  char         *meeting_id;
  gboolean      first_page;
} JoinData;

static void
join_data_free (JoinData *data)
{
  g_free (data->meeting_id);
  g_free (data);
}

static void join_page_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
request_page (GremiumClient *self,
              GTask         *task,
              const char    *type)
{
  JoinData *data = g_task_get_task_data (task);
  g_autoptr(JsonObject) request = json_object_new ();

  json_object_set_string_member (request, "type", type);
  json_object_set_string_member (request, "meeting", data->meeting_id);
  json_object_set_int_member (request, "from", gremium_meeting_get_n_entries (data->meeting->model));
  gremium_client_request_async (self, request, g_task_get_cancellable (task), join_page_cb, task);
}

static void
join_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GremiumClient *self = GREMIUM_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  JoinData *data = g_task_get_task_data (task);
  MeetingState *meeting;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *checkpoint;
  const char *consistency;
  JsonArray *entries;
  gint64 size;
  gint64 from;

  reply = gremium_client_request_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The meeting state may have gone (client disposed or disconnected). */
  meeting = g_hash_table_lookup (self->meetings, data->meeting_id);
  if (meeting == NULL || meeting != data->meeting)
    {
      g_task_return_new_error (task, GREMIUM_ERROR, GREMIUM_ERROR_CONNECTION_LOST,
                               "The meeting was left while joining");
      return;
    }

  if (!_gremium_json_get_int (reply, "size", 0, G_MAXINT64, &size, &error) ||
      !_gremium_json_get_int (reply, "from", 0, size, &from, &error) ||
      !(entries = _gremium_json_get_array (reply, "entries", 100000, &error)) ||
      !(checkpoint = _gremium_json_get_string (reply, "checkpoint", 4096, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* After a reconnect the server proves that the record only grew since the
   * last checkpoint we accepted.
   */
  consistency = _gremium_json_get_optional_string (reply, "consistency", 65536, NULL);
  if (data->first_page && from > 0)
    {
      g_autofree guint8 *proof_bytes = NULL;
      g_autoptr(GBytes) proof = NULL;
      gsize proof_len = 0;

      if (consistency != NULL && consistency[0] != '\0')
        proof_bytes = gremium_base64_decode (consistency, &proof_len, &error);
      if (consistency != NULL && consistency[0] != '\0' && proof_bytes == NULL)
        {
          raise_alarm (self, meeting, error->message);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      proof = g_bytes_new_take (g_steal_pointer (&proof_bytes), proof_len);
      if ((guint64) from == gremium_merkle_tree_get_size (meeting->tree) &&
          gremium_log_monitor_get_latest (meeting->monitor) != NULL &&
          !gremium_log_monitor_update (meeting->monitor, checkpoint, proof, &error))
        {
          raise_alarm (self, meeting, error->message);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  data->first_page = FALSE;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);

      if (json_node_get_value_type (node) != G_TYPE_STRING ||
          !apply_entry_text (self, meeting, json_node_get_string (node), &error))
        {
          if (error == NULL)
            g_set_error_literal (&error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                                 "An entry is not a string");
          raise_alarm (self, meeting, error->message);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if ((gint64) gremium_meeting_get_n_entries (meeting->model) < size)
    {
      request_page (self, g_steal_pointer (&task), "sync");
      return;
    }

  if (!verify_checkpoint (self, meeting, checkpoint, &error))
    {
      raise_alarm (self, meeting, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  meeting->joined = TRUE;
  g_task_return_pointer (task, g_object_ref (meeting->model), g_object_unref);
}

static MeetingState *
ensure_meeting (GremiumClient *self,
                const char    *meeting_id)
{
  MeetingState *meeting = g_hash_table_lookup (self->meetings, meeting_id);

  if (meeting == NULL)
    {
      g_autofree char *origin = NULL;

      meeting = g_new0 (MeetingState, 1);
      meeting->id = g_strdup (meeting_id);
      meeting->model = gremium_meeting_new (self->server_key);
      meeting->tree = gremium_merkle_tree_new ();
      meeting->early = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      origin = g_strdup_printf ("%s/meeting/%s", self->server_name, meeting_id);
      meeting->monitor = gremium_log_monitor_new (origin, self->server_name, self->server_key, NULL);
      g_hash_table_insert (self->meetings, meeting->id, meeting);
    }

  return meeting;
}

/**
 * gremium_client_join_meeting_async:
 * @self: a logged-in client
 * @meeting_id: the meeting
 * @cancellable: (nullable): a cancellable
 * @callback: called when the meeting is mirrored and verified
 * @user_data: data for @callback
 *
 * Subscribes to a meeting and fetches its record, verifying every entry and
 * the signed checkpoint. This does not make the member attend; submit an
 * `attendance.join` statement for that.
 */
void
gremium_client_join_meeting_async (GremiumClient       *self,
                                   const char          *meeting_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JoinData *data;

  g_return_if_fail (GREMIUM_IS_CLIENT (self));
  g_return_if_fail (meeting_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gremium_client_join_meeting_async);

  if (self->state != GREMIUM_CLIENT_STATE_CONNECTED)
    {
      g_task_return_new_error (task, GREMIUM_ERROR, GREMIUM_ERROR_NOT_AUTHENTICATED,
                               "Connect and log in first");
      return;
    }

  data = g_new0 (JoinData, 1);
  data->meeting_id = g_strdup (meeting_id);
  data->meeting = ensure_meeting (self, meeting_id);
  data->first_page = TRUE;
  g_task_set_task_data (task, data, (GDestroyNotify) join_data_free);

  if (data->meeting->broken)
    {
      g_task_return_new_error (task, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                               "The record of this meeting failed verification before");
      return;
    }

  request_page (self, g_steal_pointer (&task), "join");
}

/**
 * gremium_client_join_meeting_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the meeting, kept up to date by the client
 */
GremiumMeeting *
gremium_client_join_meeting_finish (GremiumClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gremium_client_get_meeting:
 * @self: a client
 * @meeting_id: a meeting
 *
 * Returns: (transfer none) (nullable): the mirrored meeting, if joined once
 */
GremiumMeeting *
gremium_client_get_meeting (GremiumClient *self,
                            const char    *meeting_id)
{
  MeetingState *meeting;

  g_return_val_if_fail (GREMIUM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  meeting = g_hash_table_lookup (self->meetings, meeting_id);
  return meeting ? meeting->model : NULL;
}

typedef struct
{
  char    *meeting_id;
  char    *kind;
} SubmitData;

static void
submit_data_free (SubmitData *data)
{
  g_free (data->meeting_id);
  g_free (data->kind);
  g_free (data);
}

static void
submit_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GremiumClient *self = GREMIUM_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  SubmitData *data = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GremiumCheckpoint) checkpoint = NULL;
  g_autoptr(GBytes) proof = NULL;
  g_autofree guint8 *proof_bytes = NULL;
  MeetingState *meeting;
  const char *leaf_text;
  const char *checkpoint_text;
  const char *inclusion;
  guint8 leaf[GREMIUM_HASH_SIZE];
  guint8 own_leaf[GREMIUM_HASH_SIZE];
  gsize proof_len = 0;
  gint64 index;

  reply = gremium_client_request_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  meeting = g_hash_table_lookup (self->meetings, data->meeting_id);

  if (!_gremium_json_get_int (reply, "index", 0, G_MAXINT64, &index, &error) ||
      !(leaf_text = _gremium_json_get_string (reply, "leaf", 64, &error)) ||
      !(checkpoint_text = _gremium_json_get_string (reply, "checkpoint", 4096, &error)) ||
      !(inclusion = _gremium_json_get_string (reply, "inclusion", 8192, &error)) ||
      !gremium_base64_decode_exact (leaf_text, leaf, sizeof leaf, &error) ||
      !(checkpoint = gremium_checkpoint_parse (checkpoint_text, -1, self->server_name,
                                               self->server_key, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (inclusion[0] != '\0' && !(proof_bytes = gremium_base64_decode (inclusion, &proof_len, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  proof = g_bytes_new_take (g_steal_pointer (&proof_bytes), proof_len);

  /* The receipt: the entry we hold at that index is the one the server
   * proved to be in its signed log.
   */
  if (meeting == NULL ||
      !gremium_merkle_tree_get_leaf_hash (meeting->tree, index, own_leaf) ||
      !gremium_memequal (own_leaf, leaf, GREMIUM_HASH_SIZE) ||
      !gremium_merkle_verify_inclusion (leaf, index, gremium_checkpoint_get_size (checkpoint), proof,
                                        gremium_checkpoint_get_root (checkpoint), &error))
    {
      if (error == NULL)
        g_set_error (&error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                     "The server's receipt for entry %" G_GINT64_FORMAT " does not match the record",
                     index);
      if (meeting != NULL)
        raise_alarm (self, meeting, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_str_equal (data->kind, GREMIUM_KIND_ATTENDANCE_JOIN))
    meeting->attending = TRUE;
  else if (g_str_equal (data->kind, GREMIUM_KIND_ATTENDANCE_LEAVE))
    meeting->attending = FALSE;

  g_task_return_int (task, index);
}

/**
 * gremium_client_submit_async:
 * @self: a logged-in client
 * @meeting_id: a joined meeting
 * @kind: the statement kind (see docs/record.md)
 * @data: (nullable): the statement's data
 * @cancellable: (nullable): a cancellable
 * @callback: called with the receipt checked
 * @user_data: data for @callback
 *
 * Signs a statement with the device key and submits it. The callback runs
 * when the server accepted it and the client checked the inclusion proof of
 * the entry in the signed log.
 */
void
gremium_client_submit_async (GremiumClient       *self,
                             const char          *meeting_id,
                             const char          *kind,
                             JsonObject          *data,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GremiumStatement) statement = NULL;
  g_autoptr(JsonObject) request = json_object_new ();
  SubmitData *submit_data;
  GTask *task;

  g_return_if_fail (GREMIUM_IS_CLIENT (self));
  g_return_if_fail (meeting_id != NULL);
  g_return_if_fail (kind != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gremium_client_submit_async);

  submit_data = g_new0 (SubmitData, 1);
  submit_data->meeting_id = g_strdup (meeting_id);
  submit_data->kind = g_strdup (kind);
  g_task_set_task_data (task, submit_data, (GDestroyNotify) submit_data_free);

  statement = gremium_statement_build (self->identity, kind, meeting_id, self->member_id,
                                       g_get_real_time (), data);

  json_object_set_string_member (request, "type", "submit");
  json_object_set_string_member (request, "meeting", meeting_id);
  json_object_set_member (request, "statement", gremium_statement_to_json_node (statement));

  gremium_client_request_async (self, request, cancellable, submit_cb, task);
}

/**
 * gremium_client_submit_finish:
 * @self: a client
 * @result: the result
 * @index: (out) (optional): the statement's index in the record
 * @error: return location for an error
 *
 * Returns: %TRUE if the statement is in the record and its receipt verified
 */
gboolean
gremium_client_submit_finish (GremiumClient  *self,
                              GAsyncResult   *result,
                              guint64        *index,
                              GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  value = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (index != NULL)
    *index = (guint64) value;

  return TRUE;
}

static void
peer_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = gremium_client_request_finish (GREMIUM_CLIENT (object), result, &error);
  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * gremium_client_send_peer_async:
 * @self: a logged-in client
 * @meeting_id: a joined meeting
 * @to: the recipient member
 * @body: the opaque message, at most 65 000 bytes
 * @cancellable: (nullable): a cancellable
 * @callback: called when the server relayed or refused the message
 * @user_data: data for @callback
 *
 * Sends a peer message (WebRTC signalling, a sealed key) through the server.
 */
void
gremium_client_send_peer_async (GremiumClient       *self,
                                const char          *meeting_id,
                                const char          *to,
                                const char          *body,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonObject) request = json_object_new ();
  GTask *task;

  g_return_if_fail (GREMIUM_IS_CLIENT (self));
  g_return_if_fail (meeting_id != NULL);
  g_return_if_fail (to != NULL);
  g_return_if_fail (body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gremium_client_send_peer_async);

  json_object_set_string_member (request, "type", "peer");
  json_object_set_string_member (request, "meeting", meeting_id);
  json_object_set_string_member (request, "to", to);
  json_object_set_string_member (request, "body", body);
  gremium_client_request_async (self, request, cancellable, peer_cb, task);
}

/**
 * gremium_client_send_peer_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the server relayed the message
 */
gboolean
gremium_client_send_peer_finish (GremiumClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
rejoin_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GremiumMeeting) model = NULL;
  g_autoptr(GError) error = NULL;
  GremiumClient *self = GREMIUM_CLIENT (object);
  MeetingState *meeting;
  GremiumMember *member;

  model = gremium_client_join_meeting_finish (self, result, &error);
  if (model == NULL)
    {
      /* Lost again while catching up: the next reconnect rejoins. */
      if (g_error_matches (error, GREMIUM_ERROR, GREMIUM_ERROR_CONNECTION_LOST))
        g_debug ("Rejoining a meeting was interrupted: %s", error->message);
      else
        g_warning ("Cannot rejoin a meeting after reconnecting: %s", error->message);
      return;
    }

  meeting = g_hash_table_lookup (self->meetings, gremium_meeting_get_id (model));
  member = gremium_meeting_lookup_member (model, self->member_id);

  /* The server recorded our lost connection; take our seat again. */
  if (meeting != NULL && meeting->attending && member != NULL &&
      gremium_member_get_presence (member) == GREMIUM_PRESENCE_ABSENT &&
      !gremium_meeting_get_closed (model))
    gremium_client_submit_async (self, meeting->id, GREMIUM_KIND_ATTENDANCE_JOIN, NULL, NULL,
                                 NULL, NULL);

  g_signal_emit (self, signals[RECONNECTED], 0);
}

static void
rejoin_meetings (GremiumClient *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->meetings);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      MeetingState *meeting = value;

      if (!meeting->broken)
        gremium_client_join_meeting_async (self, meeting->id, NULL, rejoin_done_cb, NULL);
    }
}

/**
 * gremium_client_disconnect:
 * @self: a client
 *
 * Closes the connection without reconnecting. Pending requests, and a
 * connect or enrolment under way, fail with %GREMIUM_ERROR_CONNECTION_LOST.
 * The client is disconnected when this returns and may connect again.
 */
void
gremium_client_disconnect (GremiumClient *self)
{
  g_autoptr(GTask) connect_task = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (GREMIUM_IS_CLIENT (self));

  self->closing = TRUE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);

  /* The closing handshake finishes without us (libsoup keeps the connection
   * alive until then). Letting go of it now means that the client is
   * disconnected as soon as this returns, that a connect right after it is
   * not disturbed when the old connection reports its end, and that a
   * disposed client is never called back.
   */
  if (self->connection != NULL)
    {
      if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_signal_handler (&self->message_handler, self->connection);
      g_clear_signal_handler (&self->closed_handler, self->connection);
      g_clear_object (&self->connection);
    }

  if (self->meetings != NULL)
    {
      g_hash_table_iter_init (&iter, self->meetings);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        ((MeetingState *) value)->joined = FALSE;
    }

  if (self->pending != NULL)
    fail_pending (self, "Disconnected");

  /* A connect or enrolment still under way ends here too. */
  connect_task = g_steal_pointer (&self->connect_task);
  g_clear_pointer (&self->enrol_code, g_free);
  set_state (self, GREMIUM_CLIENT_STATE_DISCONNECTED);

  if (connect_task != NULL)
    g_task_return_new_error (connect_task, GREMIUM_ERROR, GREMIUM_ERROR_CONNECTION_LOST,
                             "Disconnected before the login completed");
}

/**
 * gremium_client_drop_connection:
 * @self: a client
 *
 * Breaks the connection abruptly, as a network failure would, so that the
 * client's recovery can be exercised. For tests and diagnostics.
 */
void
gremium_client_drop_connection (GremiumClient *self)
{
  GIOStream *stream;

  g_return_if_fail (GREMIUM_IS_CLIENT (self));

  if (self->connection == NULL)
    return;

  stream = soup_websocket_connection_get_io_stream (self->connection);
  g_io_stream_close (stream, NULL, NULL);
}
