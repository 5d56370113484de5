/* gremium-server-session.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-server"

#include "config.h"

#include "gremium-server-session.h"
#include "gremium-server-private.h"

#include <gremium-auth.h>
#include <gremium-error.h>

#include <string.h>

/* The JSON helpers of the core library are internal to it, but the server is
 * part of the same tree and shares its strict parsing.
 */
#include "../libgremium/gremium-json-private.h"

/**
 * GremiumServerSession:
 *
 * One client connection: its authentication, the meetings it joined, its
 * rate limit, and the handling of every request it sends (docs/protocol.md).
 *
 * Nothing a client sends can reach another client or the record without
 * passing the checks here and in the meeting model; a misbehaving client
 * only ever gets errors on its own connection.
 */
struct _GremiumServerSession
{
  GObject                  parent_instance;

  GremiumServer           *server;      /* owns us */
  SoupWebsocketConnection *connection;
  gulong                   message_handler;
  gulong                   closed_handler;

  char                    *challenge;
  gint64                   challenge_expires;
  char                    *member_id;
  guint8                   key[GREMIUM_PUBLIC_KEY_SIZE];
  GHashTable              *joined;      /* meeting id → GremiumServerMeeting */

  double                   tokens;
  gint64                   tokens_updated;
  guint                    rate_drops;
  guint                    login_timeout_id;
  gboolean                 closed;
};

G_DEFINE_FINAL_TYPE (GremiumServerSession, gremium_server_session, G_TYPE_OBJECT)

typedef JsonObject *(*RequestHandler) (GremiumServerSession  *self,
                                       JsonObject            *request,
                                       GError               **error);

static void
send_object (GremiumServerSession *self,
             JsonObject           *object)
{
  g_autofree char *text = _gremium_json_object_to_string (object);

  gremium_server_session_send_text (self, text);
}

static void
send_error (GremiumServerSession *self,
            gint64                re,
            const GError         *error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  GremiumError code = GREMIUM_ERROR_FAILED;

  if (error->domain == GREMIUM_ERROR)
    code = error->code;

  json_object_set_string_member (object, "type", "error");
  if (re > 0)
    json_object_set_int_member (object, "re", re);
  json_object_set_string_member (object, "code", gremium_error_to_wire (code));
  json_object_set_string_member (object, "message", error->message);

  send_object (self, object);
}

static JsonObject *
new_result (void)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "type", "result");
  return object;
}

static void
new_challenge (GremiumServerSession *self)
{
  g_free (self->challenge);
  self->challenge = gremium_random_token (32);
  self->challenge_expires = g_get_real_time () + GREMIUM_SERVER_CHALLENGE_SECONDS * G_USEC_PER_SEC;
}

static gboolean
take_rate_token (GremiumServerSession *self)
{
  gint64 now = g_get_monotonic_time ();

  self->tokens = MIN (GREMIUM_SERVER_RATE_BURST,
                      self->tokens + (now - self->tokens_updated) *
                                     GREMIUM_SERVER_RATE_PER_SECOND / (double) G_USEC_PER_SEC);
  self->tokens_updated = now;

  if (self->tokens < 1.0)
    return FALSE;

  self->tokens -= 1.0;
  return TRUE;
}

static gboolean
require_login (GremiumServerSession  *self,
               GError               **error)
{
  if (self->member_id == NULL)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_NOT_AUTHENTICATED,
                           "Log in first");
      return FALSE;
    }

  return TRUE;
}

static GremiumServerMeeting *
require_joined (GremiumServerSession  *self,
                JsonObject            *request,
                GError               **error)
{
  GremiumServerMeeting *meeting;
  const char *meeting_id;

  if (!require_login (self, error) ||
      !(meeting_id = _gremium_json_get_string (request, "meeting", 64, error)))
    return NULL;

  meeting = g_hash_table_lookup (self->joined, meeting_id);
  if (meeting == NULL)
    g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_NOT_PARTICIPANT,
                 "Join the meeting “%s” first", meeting_id);

  return meeting;
}

static JsonObject *
member_object (GremiumServerMemberInfo *info)
{
  JsonObject *member = json_object_new ();

  json_object_set_string_member (member, "id", info->id);
  json_object_set_string_member (member, "name", info->name);
  json_object_set_string_member (member, "role", gremium_role_to_string (info->role));

  return member;
}

/* Common part of login and enrolment: checks the proof against this
 * connection's challenge, which is spent whatever the outcome.
 */
static GremiumStatement *
check_proof (GremiumServerSession  *self,
             JsonObject            *request,
             const char            *purpose,
             char                 **member_id,
             GError               **error)
{
  g_autoptr(GremiumStatement) proof = NULL;
  g_autofree char *server_key = NULL;
  g_autofree char *challenge = g_steal_pointer (&self->challenge);
  gint64 expires = self->challenge_expires;
  gint64 now = g_get_real_time ();
  JsonObject *envelope;

  new_challenge (self);

  if (self->member_id != NULL)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE,
                           "This connection is already logged in");
      return NULL;
    }

  if (!(envelope = _gremium_json_get_object (request, "proof", error)) ||
      !(proof = gremium_statement_new_from_object (envelope, error)))
    return NULL;

  if (challenge == NULL || now > expires)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_CHALLENGE_EXPIRED,
                           "The challenge expired; ask for a new one");
      return NULL;
    }

  server_key = gremium_identity_dup_public_key_base64 (_gremium_server_get_identity (self->server));
  *member_id = gremium_auth_proof_verify (proof, purpose, server_key, challenge, now, error);
  if (*member_id == NULL)
    return NULL;

  return g_steal_pointer (&proof);
}

static gboolean
check_connection_limit (GremiumServerSession  *self,
                        const char            *member_id,
                        GError               **error)
{
  const GremiumServerConfig *config = _gremium_server_get_config (self->server);

  if (_gremium_server_count_member_sessions (self->server, member_id) >=
      config->max_connections_per_member)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TOO_MANY_CONNECTIONS,
                   "%s already has %u connections open", member_id,
                   config->max_connections_per_member);
      return FALSE;
    }

  return TRUE;
}

static JsonObject *
finish_login (GremiumServerSession     *self,
              GremiumServerMemberInfo  *info,
              const guint8             *key,
              GError                  **error)
{
  JsonObject *result;

  if (!check_connection_limit (self, info->id, error))
    return NULL;

  self->member_id = g_strdup (info->id);
  memcpy (self->key, key, GREMIUM_PUBLIC_KEY_SIZE);
  g_clear_handle_id (&self->login_timeout_id, g_source_remove);

  g_debug ("%s logged in", info->id);

  result = new_result ();
  json_object_set_object_member (result, "member", member_object (info));
  return result;
}

static JsonObject *
handle_challenge (GremiumServerSession  *self,
                  JsonObject            *request,
                  GError               **error)
{
  static const char * const allowed[] = { "type", "id", NULL };
  g_autofree char *expires = NULL;
  JsonObject *result;

  if (!_gremium_json_check_members (request, "the request", allowed, error))
    return NULL;

  new_challenge (self);
  expires = gremium_time_format (self->challenge_expires);

  result = new_result ();
  json_object_set_string_member (result, "challenge", self->challenge);
  json_object_set_string_member (result, "expires", expires);
  return result;
}

static JsonObject *
handle_login (GremiumServerSession  *self,
              JsonObject            *request,
              GError               **error)
{
  static const char * const allowed[] = { "type", "id", "proof", NULL };
  g_autoptr(GremiumStatement) proof = NULL;
  g_autoptr(GremiumServerMemberInfo) info = NULL;
  g_autofree char *member_id = NULL;
  GremiumServerDatabase *db = _gremium_server_get_database (self->server);

  if (!_gremium_json_check_members (request, "the request", allowed, error) ||
      !(proof = check_proof (self, request, GREMIUM_AUTH_PURPOSE_LOGIN, &member_id, error)) ||
      !(info = gremium_server_database_lookup_member (db, member_id, error)))
    return NULL;

  if (!gremium_server_database_has_key (db, member_id, gremium_statement_get_signer_key (proof)))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNKNOWN_KEY,
                   "This device is not enrolled for %s", member_id);
      return NULL;
    }

  return finish_login (self, info, gremium_statement_get_signer_key (proof), error);
}

static JsonObject *
handle_enrol (GremiumServerSession  *self,
              JsonObject            *request,
              GError               **error)
{
  static const char * const allowed[] = { "type", "id", "member", "code", "proof", NULL };
  g_autoptr(GremiumStatement) proof = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GremiumServerMemberInfo) info = NULL;
  g_autofree char *member_id = NULL;
  GremiumServerDatabase *db = _gremium_server_get_database (self->server);
  const char *requested_member;
  const char *code;
  JsonObject *result;

  if (!_gremium_json_check_members (request, "the request", allowed, error) ||
      !(requested_member = _gremium_json_get_string (request, "member", 64, error)) ||
      !(code = _gremium_json_get_string (request, "code", 64, error)) ||
      !(proof = check_proof (self, request, GREMIUM_AUTH_PURPOSE_ENROL, &member_id, error)))
    return NULL;

  if (!g_str_equal (requested_member, member_id))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The proof is for another member than the request");
      return NULL;
    }

  /* An unknown member gets the same answer as a wrong code, so that neither
   * member ids nor codes can be probed.
   */
  info = gremium_server_database_lookup_member (db, member_id, NULL);
  if (info == NULL)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_ENROLMENT_CODE,
                           "The enrolment code is not valid");
      return NULL;
    }

  /* Refused later, the login would leave a device enrolled and its code
   * spent but the request failed, and the device's key missing from the
   * rosters; so the limit is checked before anything is stored.
   */
  if (!check_connection_limit (self, member_id, error))
    return NULL;

  /* A roster holds at most GREMIUM_MAX_KEYS_PER_MEMBER keys of a member; a
   * device beyond that would be enrolled but could sign nothing in the
   * member's meetings.
   */
  keys = gremium_server_database_list_keys (db, member_id, error);
  if (keys == NULL)
    return NULL;
  if (keys->len >= GREMIUM_MAX_KEYS_PER_MEMBER)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE,
                   "%s already has %d devices, as many as a meeting's roster holds",
                   member_id, GREMIUM_MAX_KEYS_PER_MEMBER);
      return NULL;
    }

  if (!gremium_server_database_enrol_device (db, member_id, code,
                                             gremium_statement_get_signer_key (proof),
                                             g_get_real_time (), error))
    return NULL;

  g_message ("Enrolled a new device for %s", member_id);

  result = finish_login (self, info, gremium_statement_get_signer_key (proof), error);
  if (result != NULL)
    _gremium_server_member_enrolled (self->server, member_id,
                                     gremium_statement_get_signer_key (proof));

  return result;
}

static JsonObject *
handle_meetings (GremiumServerSession  *self,
                 JsonObject            *request,
                 GError               **error)
{
  static const char * const allowed[] = { "type", "id", NULL };
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  JsonObject *result;

  if (!_gremium_json_check_members (request, "the request", allowed, error) ||
      !require_login (self, error))
    return NULL;

  meetings = _gremium_server_list_member_meetings (self->server, self->member_id);
  for (guint i = 0; i < meetings->len; i++)
    {
      GremiumServerMeeting *meeting = g_ptr_array_index (meetings, i);
      GremiumMeeting *model = gremium_server_meeting_get_model (meeting);
      GremiumMember *member = gremium_meeting_lookup_member (model, self->member_id);
      g_autoptr(JsonObject) object = json_object_new ();
      g_autofree char *scheduled = gremium_time_format (gremium_meeting_get_scheduled (model));

      json_object_set_string_member (object, "id", gremium_meeting_get_id (model));
      json_object_set_string_member (object, "title", gremium_meeting_get_title (model));
      json_object_set_string_member (object, "body", gremium_meeting_get_body_name (model));
      json_object_set_string_member (object, "place", gremium_meeting_get_place (model));
      json_object_set_string_member (object, "scheduled", scheduled);
      json_object_set_string_member (object, "role",
                                     gremium_role_to_string (gremium_member_get_role (member)));
      json_object_set_string_member (object, "state",
                                     gremium_meeting_get_closed (model) ? "closed" :
                                     gremium_meeting_get_opened (model) ? "open" : "scheduled");
      json_object_set_int_member (object, "entries", gremium_server_meeting_get_size (meeting));
      json_array_add_object_element (array, g_steal_pointer (&object));
    }

  result = new_result ();
  json_object_set_array_member (result, "meetings", g_steal_pointer (&array));
  return result;
}

static JsonObject *
entries_result (GremiumServerMeeting  *meeting,
                guint64                from,
                GError               **error)
{
  g_autoptr(JsonArray) entries = json_array_new ();
  guint64 size = gremium_server_meeting_get_size (meeting);
  gsize bytes = 0;
  JsonObject *result;

  if (from > size)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The record has only %" G_GUINT64_FORMAT " entries", size);
      return NULL;
    }

  /* At most 500 entries or about 4 MiB per reply, whichever comes first,
   * but always at least one entry so that paging makes progress.
   */
  for (guint64 i = from; i < size && i - from < GREMIUM_SERVER_MAX_ENTRIES_PER_REPLY; i++)
    {
      GremiumRecordEntry *entry = gremium_server_meeting_get_entry (meeting, i);

      if (i > from && bytes + gremium_record_entry_get_length (entry) > GREMIUM_SERVER_MAX_REPLY_BYTES)
        break;

      bytes += gremium_record_entry_get_length (entry);
      json_array_add_string_element (entries, gremium_record_entry_get_text (entry));
    }

  result = new_result ();
  json_object_set_string_member (result, "meeting", gremium_server_meeting_get_id (meeting));
  json_object_set_int_member (result, "size", size);
  json_object_set_int_member (result, "from", from);
  json_object_set_array_member (result, "entries", g_steal_pointer (&entries));
  json_object_set_string_member (result, "checkpoint", gremium_server_meeting_get_checkpoint (meeting));

  if (from > 0)
    {
      g_autoptr(GBytes) proof = NULL;
      g_autofree char *text = NULL;
      gsize len;
      const guint8 *data;

      proof = gremium_merkle_tree_prove_consistency (gremium_server_meeting_get_tree (meeting),
                                                     from, size, error);
      if (proof == NULL)
        {
          json_object_unref (result);
          return NULL;
        }

      data = g_bytes_get_data (proof, &len);
      text = gremium_base64_encode (data, len);
      json_object_set_string_member (result, "consistency", text);
    }

  return result;
}

static JsonObject *
handle_join (GremiumServerSession  *self,
             JsonObject            *request,
             GError               **error)
{
  static const char * const allowed[] = { "type", "id", "meeting", "from", NULL };
  g_autoptr(GError) local_error = NULL;
  GremiumServerMeeting *meeting;
  const char *meeting_id;
  gint64 from;

  if (!_gremium_json_check_members (request, "the request", allowed, error) ||
      !require_login (self, error) ||
      !(meeting_id = _gremium_json_get_string (request, "meeting", 64, error)) ||
      !_gremium_json_get_int (request, "from", 0, G_MAXINT64, &from, error))
    return NULL;

  /* A meeting the member is not on the roster of is as unknown as one that
   * does not exist.
   */
  meeting = gremium_server_lookup_meeting (self->server, meeting_id, &local_error);
  if (meeting == NULL ||
      gremium_meeting_lookup_member (gremium_server_meeting_get_model (meeting),
                                     self->member_id) == NULL)
    {
      if (local_error != NULL && !g_error_matches (local_error, GREMIUM_ERROR,
                                                   GREMIUM_ERROR_UNKNOWN_MEETING))
        g_warning ("Cannot load meeting %s: %s", meeting_id, local_error->message);

      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNKNOWN_MEETING,
                   "No meeting “%s” for %s", meeting_id, self->member_id);
      return NULL;
    }

  g_hash_table_replace (self->joined, g_strdup (meeting_id), g_object_ref (meeting));

  return entries_result (meeting, (guint64) from, error);
}

static JsonObject *
handle_sync (GremiumServerSession  *self,
             JsonObject            *request,
             GError               **error)
{
  static const char * const allowed[] = { "type", "id", "meeting", "from", NULL };
  GremiumServerMeeting *meeting;
  gint64 from;

  if (!_gremium_json_check_members (request, "the request", allowed, error) ||
      !(meeting = require_joined (self, request, error)) ||
      !_gremium_json_get_int (request, "from", 0, G_MAXINT64, &from, error))
    return NULL;

  return entries_result (meeting, (guint64) from, error);
}

static JsonObject *
handle_leave (GremiumServerSession  *self,
              JsonObject            *request,
              GError               **error)
{
  static const char * const allowed[] = { "type", "id", "meeting", NULL };
  GremiumServerMeeting *meeting;

  if (!_gremium_json_check_members (request, "the request", allowed, error) ||
      !(meeting = require_joined (self, request, error)))
    return NULL;

  /* The table holds a reference; keep the meeting for the check below. */
  g_object_ref (meeting);
  g_hash_table_remove (self->joined, gremium_server_meeting_get_id (meeting));
  _gremium_server_member_gone (self->server, self, meeting);
  g_object_unref (meeting);

  return new_result ();
}

static JsonObject *
handle_submit (GremiumServerSession  *self,
               JsonObject            *request,
               GError               **error)
{
  static const char * const allowed[] = { "type", "id", "meeting", "statement", NULL };
  g_autoptr(GremiumStatement) statement = NULL;
  g_autoptr(GBytes) proof = NULL;
  g_autofree char *leaf = NULL;
  g_autofree char *inclusion = NULL;
  g_autofree char *time_text = NULL;
  GremiumServerMeeting *meeting;
  GremiumRecordEntry *entry;
  JsonObject *envelope;
  JsonObject *result;
  const guint8 *proof_data;
  gsize proof_len;

  if (!_gremium_json_check_members (request, "the request", allowed, error) ||
      !(meeting = require_joined (self, request, error)) ||
      !(envelope = _gremium_json_get_object (request, "statement", error)) ||
      !(statement = gremium_statement_new_from_object (envelope, error)) ||
      !gremium_statement_parse_body (statement, error))
    return NULL;

  /* A connection speaks only for its own member with the key it logged in
   * with; anything else is someone else's statement.
   */
  if (!g_str_equal (gremium_statement_get_author (statement), self->member_id) ||
      !gremium_memequal (gremium_statement_get_signer_key (statement), self->key,
                         GREMIUM_PUBLIC_KEY_SIZE))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_PERMISSION_DENIED,
                           "A statement must be signed by the logged-in member's device");
      return NULL;
    }

  if (!g_str_equal (gremium_statement_get_meeting_id (statement),
                    gremium_server_meeting_get_id (meeting)))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_WRONG_MEETING,
                           "The statement names another meeting");
      return NULL;
    }

  /* The operator may have revoked the device since it logged in. */
  if (!gremium_server_database_has_key (_gremium_server_get_database (self->server),
                                        self->member_id, self->key))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_UNKNOWN_KEY,
                           "This device key was revoked");
      return NULL;
    }

  entry = gremium_server_meeting_submit (meeting, statement, error);
  if (entry == NULL)
    return NULL;

  _gremium_server_broadcast_entry (self->server, meeting, entry);

  proof = gremium_merkle_tree_prove_inclusion (gremium_server_meeting_get_tree (meeting),
                                               gremium_record_entry_get_index (entry),
                                               gremium_server_meeting_get_size (meeting), error);
  if (proof == NULL)
    return NULL;

  proof_data = g_bytes_get_data (proof, &proof_len);
  inclusion = gremium_base64_encode (proof_data, proof_len);
  leaf = gremium_base64_encode (gremium_record_entry_get_leaf_hash (entry), GREMIUM_HASH_SIZE);
  time_text = gremium_time_format (gremium_record_entry_get_time (entry));

  result = new_result ();
  json_object_set_int_member (result, "index", gremium_record_entry_get_index (entry));
  json_object_set_string_member (result, "time", time_text);
  json_object_set_string_member (result, "leaf", leaf);
  json_object_set_string_member (result, "checkpoint", gremium_server_meeting_get_checkpoint (meeting));
  json_object_set_string_member (result, "inclusion", inclusion);
  return result;
}

static JsonObject *
proof_result (GBytes  *proof,
              GError **error)
{
  g_autofree char *text = NULL;
  const guint8 *data;
  gsize len;
  JsonObject *result;

  if (proof == NULL)
    {
      if (error != NULL && *error != NULL)
        (*error)->code = GREMIUM_ERROR_INVALID_FIELD;
      return NULL;
    }

  data = g_bytes_get_data (proof, &len);
  text = gremium_base64_encode (data, len);

  result = new_result ();
  json_object_set_string_member (result, "proof", text);
  return result;
}

static JsonObject *
handle_inclusion_proof (GremiumServerSession  *self,
                        JsonObject            *request,
                        GError               **error)
{
  static const char * const allowed[] = { "type", "id", "meeting", "index", "size", NULL };
  g_autoptr(GBytes) proof = NULL;
  GremiumServerMeeting *meeting;
  gint64 index, size;

  if (!_gremium_json_check_members (request, "the request", allowed, error) ||
      !(meeting = require_joined (self, request, error)) ||
      !_gremium_json_get_int (request, "size", 1, gremium_server_meeting_get_size (meeting),
                              &size, error) ||
      !_gremium_json_get_int (request, "index", 0, size - 1, &index, error))
    return NULL;

  proof = gremium_merkle_tree_prove_inclusion (gremium_server_meeting_get_tree (meeting),
                                               index, size, error);
  return proof_result (proof, error);
}

static JsonObject *
handle_consistency_proof (GremiumServerSession  *self,
                          JsonObject            *request,
                          GError               **error)
{
  static const char * const allowed[] = { "type", "id", "meeting", "from", "size", NULL };
  g_autoptr(GBytes) proof = NULL;
  GremiumServerMeeting *meeting;
  gint64 from, size;

  if (!_gremium_json_check_members (request, "the request", allowed, error) ||
      !(meeting = require_joined (self, request, error)) ||
      !_gremium_json_get_int (request, "size", 0, gremium_server_meeting_get_size (meeting),
                              &size, error) ||
      !_gremium_json_get_int (request, "from", 0, size, &from, error))
    return NULL;

  proof = gremium_merkle_tree_prove_consistency (gremium_server_meeting_get_tree (meeting),
                                                 from, size, error);
  return proof_result (proof, error);
}

static JsonObject *
handle_peer (GremiumServerSession  *self,
             JsonObject            *request,
             GError               **error)
{
  static const char * const allowed[] = { "type", "id", "meeting", "to", "body", NULL };
  GremiumServerMeeting *meeting;
  GremiumMember *sender;
  const char *to;
  const char *body;

  if (!_gremium_json_check_members (request, "the request", allowed, error) ||
      !(meeting = require_joined (self, request, error)) ||
      !(to = _gremium_json_get_string (request, "to", 64, error)))
    return NULL;

  /* The body is opaque to the server; only its size is checked. */
  if (!json_object_has_member (request, "body") ||
      json_object_get_member (request, "body") == NULL ||
      !JSON_NODE_HOLDS_VALUE (json_object_get_member (request, "body")) ||
      json_node_get_value_type (json_object_get_member (request, "body")) != G_TYPE_STRING)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The field “body” must be a string");
      return NULL;
    }

  body = json_object_get_string_member (request, "body");
  if (strlen (body) > GREMIUM_SERVER_MAX_PEER_BODY)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TOO_LARGE,
                   "A peer message may have at most %d bytes", GREMIUM_SERVER_MAX_PEER_BODY);
      return NULL;
    }

  sender = gremium_meeting_lookup_member (gremium_server_meeting_get_model (meeting), self->member_id);
  if (sender == NULL || gremium_member_get_presence (sender) != GREMIUM_PRESENCE_PRESENT)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_NOT_PARTICIPANT,
                           "Join the meeting as a participant before sending peer messages");
      return NULL;
    }

  if (!_gremium_server_relay_peer (self->server, meeting, self->member_id, to, body))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_NOT_PARTICIPANT,
                   "“%s” is not present in the meeting", to);
      return NULL;
    }

  return new_result ();
}

static JsonObject *
handle_ping (GremiumServerSession  *self,
             JsonObject            *request,
             GError               **error)
{
  static const char * const allowed[] = { "type", "id", NULL };

  if (!_gremium_json_check_members (request, "the request", allowed, error))
    return NULL;

  return new_result ();
}

static const struct {
  const char     *type;
  RequestHandler  handler;
} handlers[] = {
  { "challenge", handle_challenge },
  { "login", handle_login },
  { "enrol", handle_enrol },
  { "meetings", handle_meetings },
  { "join", handle_join },
  { "sync", handle_sync },
  { "leave", handle_leave },
  { "submit", handle_submit },
  { "inclusion-proof", handle_inclusion_proof },
  { "consistency-proof", handle_consistency_proof },
  { "peer", handle_peer },
  { "ping", handle_ping },
};

static void
handle_text (GremiumServerSession *self,
             const char           *data,
             gsize                 len)
{
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *type;
  gint64 id = 0;

  if (len > GREMIUM_SERVER_MAX_MESSAGE_SIZE)
    {
      g_set_error (&error, GREMIUM_ERROR, GREMIUM_ERROR_TOO_LARGE,
                   "A message may have at most %d bytes", GREMIUM_SERVER_MAX_MESSAGE_SIZE);
      send_error (self, 0, error);
      return;
    }

  if (!(request = _gremium_json_parse_object (data, len, &error)))
    {
      send_error (self, 0, error);
      return;
    }

  if (json_object_has_member (request, "id") &&
      !_gremium_json_get_int (request, "id", 1, (G_GINT64_CONSTANT (1) << 53) - 1, &id, &error))
    {
      send_error (self, 0, error);
      return;
    }

  if (!(type = _gremium_json_get_string (request, "type", 32, &error)))
    {
      send_error (self, id, error);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    {
      if (!g_str_equal (handlers[i].type, type))
        continue;

      /* Keep ourselves alive: a handler may close the connection. */
      g_object_ref (self);
      result = handlers[i].handler (self, request, &error);
      if (result == NULL)
        {
          g_assert (error != NULL);
          send_error (self, id, error);
        }
      else if (id > 0)
        {
          json_object_set_int_member (result, "re", id);
          send_object (self, result);
        }
      g_object_unref (self);
      return;
    }

  g_set_error (&error, GREMIUM_ERROR, GREMIUM_ERROR_UNKNOWN_TYPE,
               "Unknown message type “%s”", type);
  send_error (self, id, error);
}

/* The id of a request that is dropped for its rate, so that the error can
 * answer it (docs/protocol.md §2): a client waiting for that answer learns
 * that its request failed instead of waiting forever. Parsing is bounded by
 * the message size limit, and a flood is closed after a fixed number of
 * drops.
 */
static gint64
peek_request_id (SoupWebsocketDataType  type,
                 GBytes                *message)
{
  g_autoptr(JsonObject) request = NULL;
  const char *data;
  gsize len;
  gint64 id = 0;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return 0;

  data = g_bytes_get_data (message, &len);
  if (len > GREMIUM_SERVER_MAX_MESSAGE_SIZE ||
      !(request = _gremium_json_parse_object (data, len, NULL)) ||
      !json_object_has_member (request, "id") ||
      !_gremium_json_get_int (request, "id", 1, (G_GINT64_CONSTANT (1) << 53) - 1, &id, NULL))
    return 0;

  return id;
}

static void
message_cb (SoupWebsocketConnection *connection,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            GremiumServerSession    *self)
{
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize len;

  g_assert (GREMIUM_IS_SERVER_SESSION (self));

  if (!take_rate_token (self))
    {
      if (++self->rate_drops >= GREMIUM_SERVER_MAX_RATE_DROPS)
        {
          g_message ("Closing a connection (%s) that keeps flooding",
                     self->member_id ? self->member_id : "not logged in");
          gremium_server_session_close (self, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                        "Too many messages");
          return;
        }

      g_set_error_literal (&error, GREMIUM_ERROR, GREMIUM_ERROR_RATE_LIMITED,
                           "Too many messages; slow down");
      send_error (self, peek_request_id (type, message), error);
      return;
    }

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_set_error_literal (&error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "Messages are JSON text frames");
      send_error (self, 0, error);
      return;
    }

  data = g_bytes_get_data (message, &len);
  handle_text (self, data, len);
}

static void
closed_cb (SoupWebsocketConnection *connection,
           GremiumServerSession    *self)
{
  g_assert (GREMIUM_IS_SERVER_SESSION (self));

  if (self->closed)
    return;

  self->closed = TRUE;
  g_clear_handle_id (&self->login_timeout_id, g_source_remove);
  _gremium_server_session_closed (self->server, self);
}

static gboolean
login_timeout_cb (gpointer user_data)
{
  GremiumServerSession *self = user_data;

  self->login_timeout_id = 0;
  gremium_server_session_close (self, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                "Log in within 30 seconds");

  return G_SOURCE_REMOVE;
}

static void
gremium_server_session_dispose (GObject *object)
{
  GremiumServerSession *self = (GremiumServerSession *) object;

  g_clear_handle_id (&self->login_timeout_id, g_source_remove);
  if (self->connection != NULL)
    {
      g_clear_signal_handler (&self->message_handler, self->connection);
      g_clear_signal_handler (&self->closed_handler, self->connection);
    }
  g_clear_object (&self->connection);
  g_clear_pointer (&self->joined, g_hash_table_unref);

  G_OBJECT_CLASS (gremium_server_session_parent_class)->dispose (object);
}

static void
gremium_server_session_finalize (GObject *object)
{
  GremiumServerSession *self = (GremiumServerSession *) object;

  g_clear_pointer (&self->challenge, g_free);
  g_clear_pointer (&self->member_id, g_free);

  G_OBJECT_CLASS (gremium_server_session_parent_class)->finalize (object);
}

static void
gremium_server_session_class_init (GremiumServerSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_server_session_dispose;
  object_class->finalize = gremium_server_session_finalize;
}

static void
gremium_server_session_init (GremiumServerSession *self)
{
  self->joined = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->tokens = GREMIUM_SERVER_RATE_BURST;
  self->tokens_updated = g_get_monotonic_time ();
}

/**
 * gremium_server_session_new:
 * @server: the server
 * @connection: the client's WebSocket connection
 *
 * Starts a session: sends `hello` with a fresh challenge and waits for the
 * client to log in.
 *
 * Returns: (transfer full): the session
 */
GremiumServerSession *
gremium_server_session_new (GremiumServer           *server,
                            SoupWebsocketConnection *connection)
{
  GremiumServerSession *self;
  g_autoptr(JsonObject) hello = json_object_new ();
  g_autoptr(JsonObject) server_object = json_object_new ();
  g_autofree char *key = NULL;
  g_autofree char *expires = NULL;

  g_return_val_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection), NULL);

  self = g_object_new (GREMIUM_TYPE_SERVER_SESSION, NULL);
  self->server = server;
  self->connection = g_object_ref (connection);

  soup_websocket_connection_set_max_incoming_payload_size (connection, GREMIUM_SERVER_MAX_FRAME_SIZE);
  soup_websocket_connection_set_keepalive_interval (connection, 30);

  self->message_handler = g_signal_connect (connection, "message", G_CALLBACK (message_cb), self);
  self->closed_handler = g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), self);
  self->login_timeout_id = g_timeout_add_seconds (GREMIUM_SERVER_LOGIN_TIMEOUT_SECONDS,
                                                  login_timeout_cb, self);

  new_challenge (self);
  key = gremium_identity_dup_public_key_base64 (_gremium_server_get_identity (server));
  expires = gremium_time_format (self->challenge_expires);

  json_object_set_string_member (server_object, "name", _gremium_server_get_config (server)->name);
  json_object_set_string_member (server_object, "key", key);
  json_object_set_string_member (hello, "type", "hello");
  json_object_set_int_member (hello, "protocol", 1);
  json_object_set_object_member (hello, "server", g_steal_pointer (&server_object));
  json_object_set_string_member (hello, "challenge", self->challenge);
  json_object_set_string_member (hello, "expires", expires);
  send_object (self, hello);

  return self;
}

/**
 * gremium_server_session_get_member_id:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): the logged-in member
 */
const char *
gremium_server_session_get_member_id (GremiumServerSession *self)
{
  g_return_val_if_fail (GREMIUM_IS_SERVER_SESSION (self), NULL);

  return self->member_id;
}

/**
 * gremium_server_session_has_joined:
 * @self: a session
 * @meeting_id: a meeting
 *
 * Returns: %TRUE if the session receives the meeting's events
 */
gboolean
gremium_server_session_has_joined (GremiumServerSession *self,
                                   const char           *meeting_id)
{
  g_return_val_if_fail (GREMIUM_IS_SERVER_SESSION (self), FALSE);

  return self->joined != NULL && g_hash_table_contains (self->joined, meeting_id);
}

/**
 * gremium_server_session_dup_joined:
 * @self: a session
 *
 * Returns: (transfer full) (element-type GremiumServerMeeting): the joined meetings
 */
GPtrArray *
gremium_server_session_dup_joined (GremiumServerSession *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (GREMIUM_IS_SERVER_SESSION (self), out);

  if (self->joined == NULL)
    return out;

  g_hash_table_iter_init (&iter, self->joined);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (out, g_object_ref (value));

  return out;
}

/**
 * gremium_server_session_send_text:
 * @self: a session
 * @text: a JSON message
 *
 * Sends a message if the connection is still open.
 */
void
gremium_server_session_send_text (GremiumServerSession *self,
                                  const char           *text)
{
  g_return_if_fail (GREMIUM_IS_SERVER_SESSION (self));

  if (self->connection != NULL &&
      soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (self->connection, text);
}

/**
 * gremium_server_session_close:
 * @self: a session
 * @code: a WebSocket close code
 * @reason: the reason sent to the client
 *
 * Closes the connection.
 */
void
gremium_server_session_close (GremiumServerSession *self,
                              gushort               code,
                              const char           *reason)
{
  g_return_if_fail (GREMIUM_IS_SERVER_SESSION (self));

  if (self->connection != NULL &&
      soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->connection, code, reason);
}
