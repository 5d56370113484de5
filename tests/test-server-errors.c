/* test-server-errors.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gremium-error.h>
#include <gremium-checkpoint.h>
#include <gremium-merkle-tree.h>
#include <gremium-record-entry.h>

#include "gremium-test-utils.h"

/* Everything a client can get wrong, on purpose, over a raw WebSocket or a
 * real client: each attempt must get its specific error code, change
 * nothing (the record, the meeting, the enrolled devices), and leave every
 * other client working.
 */

typedef struct
{
  GremiumTestServer *ts;
  char              *meeting_id;
  char              *other_meeting_id;
  GremiumClient     *chair;
  GremiumClient     *m01;
  GremiumClient     *m02;
  GremiumTestRaw    *raw;               /* m01's second connection, joined */
  guint              checks;
  guint              alarms;
} Fixture;

typedef struct
{
  guint64  size;
  guint64  other_size;
  char    *view;
  guint    m01_keys;
} Snapshot;

static void
record_alarm_cb (GremiumClient *client,
                 const char    *meeting_id,
                 const char    *message,
                 Fixture       *f)
{
  g_test_message ("Record alarm from %s: %s", gremium_client_get_member_id (client), message);
  f->alarms++;
}

static guint
count_keys (Fixture    *f,
            const char *member_id)
{
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;

  keys = gremium_server_database_list_keys (f->ts->db, member_id, &error);
  g_assert_no_error (error);

  return keys->len;
}

static GremiumMeeting *
chair_view (Fixture *f)
{
  return gremium_client_get_meeting (f->chair, f->meeting_id);
}

static GremiumMember *
chair_sees (Fixture    *f,
            const char *member_id)
{
  return gremium_meeting_lookup_member (chair_view (f), member_id);
}

static void
snapshot_take (Fixture  *f,
               Snapshot *snapshot)
{
  snapshot->size = gremium_test_server_get_record_size (f->ts, f->meeting_id);
  snapshot->other_size = gremium_test_server_get_record_size (f->ts, f->other_meeting_id);
  gremium_test_wait_entries (chair_view (f), snapshot->size);
  snapshot->view = gremium_test_describe_meeting (chair_view (f));
  snapshot->m01_keys = count_keys (f, "m01");
}

/* Nothing changed since @snapshot, and the meeting goes on for everyone else:
 * the chair's statement reaches the other clients.
 */
static void
assert_unchanged_and_others_work (Fixture  *f,
                                  Snapshot *snapshot)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *view = NULL;
  g_autofree char *text = NULL;
  guint64 size;

  gremium_test_iterate (20);
  g_assert_cmpuint (gremium_test_server_get_record_size (f->ts, f->meeting_id), ==, snapshot->size);
  g_assert_cmpuint (gremium_test_server_get_record_size (f->ts, f->other_meeting_id), ==,
                    snapshot->other_size);
  view = gremium_test_describe_meeting (chair_view (f));
  g_assert_cmpstr (view, ==, snapshot->view);
  g_assert_cmpuint (count_keys (f, "m01"), ==, snapshot->m01_keys);
  g_clear_pointer (&snapshot->view, g_free);

  text = g_strdup_printf ("Alles in Ordnung (%u)", ++f->checks);
  gremium_test_submit (f->chair, f->meeting_id, GREMIUM_KIND_CHAT_MESSAGE,
                       gremium_test_data ("text", text, NULL), &error);
  g_assert_no_error (error);
  size = gremium_test_server_get_record_size (f->ts, f->meeting_id);
  g_assert_cmpuint (size, ==, snapshot->size + 1);
  gremium_test_wait_entries (gremium_client_get_meeting (f->m01, f->meeting_id), size);
  gremium_test_wait_entries (gremium_client_get_meeting (f->m02, f->meeting_id), size);
  g_assert_cmpint (gremium_client_get_state (f->m01), ==, GREMIUM_CLIENT_STATE_CONNECTED);
  g_assert_cmpint (gremium_client_get_state (f->m02), ==, GREMIUM_CLIENT_STATE_CONNECTED);
}

static GremiumIdentity *
key_of (GremiumClient *client)
{
  return gremium_client_get_identity (client);
}

/* A statement in @author's name, signed by @signer, made now. */
static GremiumStatement *
build (GremiumIdentity *signer,
       const char      *kind,
       const char      *meeting_id,
       const char      *author,
       JsonObject      *data)
{
  return gremium_statement_build (signer, kind, meeting_id, author, g_get_real_time (), data);
}

static JsonObject *
request_new (const char *type)
{
  JsonObject *request = json_object_new ();

  json_object_set_string_member (request, "type", type);
  return request;
}

static JsonObject *
join_request (const char *meeting_id)
{
  JsonObject *request = request_new ("join");

  json_object_set_string_member (request, "meeting", meeting_id);
  json_object_set_int_member (request, "from", 0);
  return request;
}

/* The raw connection answers a ping with its result. */
static void
assert_raw_works (GremiumTestRaw *raw)
{
  g_autoptr(JsonObject) ping = request_new ("ping");
  g_autoptr(JsonObject) answer = NULL;

  g_assert_false (raw->closed);
  answer = gremium_test_raw_request (raw, ping);
  gremium_test_assert_result (answer);
}

static GremiumClient *
attend (Fixture    *f,
        const char *member_id)
{
  g_autoptr(GError) error = NULL;
  GremiumClient *client = gremium_test_client_enrol (f->ts, member_id, &error);
  GremiumMember *member;

  g_assert_no_error (error);
  g_signal_connect (client, "record-alarm", G_CALLBACK (record_alarm_cb), f);
  gremium_test_client_attend (client, f->meeting_id, &error);
  g_assert_no_error (error);

  gremium_test_wait_entries (chair_view (f),
                             gremium_test_server_get_record_size (f->ts, f->meeting_id));
  member = gremium_meeting_lookup_member (chair_view (f), member_id);
  if (gremium_member_get_presence (member) == GREMIUM_PRESENCE_LOBBY)
    {
      gremium_test_submit (f->chair, f->meeting_id, GREMIUM_KIND_LOBBY_ADMIT,
                           gremium_test_data ("member", member_id, NULL), &error);
      g_assert_no_error (error);
    }

  return client;
}

/* A raw connection logged in as @member_id with @identity. */
static GremiumTestRaw *
raw_login (Fixture         *f,
           GremiumIdentity *identity,
           const char      *member_id)
{
  GremiumTestRaw *raw = gremium_test_raw_connect (f->ts->url);
  g_autoptr(JsonObject) answer = gremium_test_raw_login (raw, identity, member_id);

  gremium_test_assert_result (answer);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer, "member"),
                                                  "id"),
                   ==, member_id);

  return raw;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) join = NULL;
  g_autoptr(JsonObject) answer = NULL;

  f->ts = gremium_test_server_new ();
  gremium_test_server_add_council (f->ts, 4);
  f->meeting_id = gremium_test_server_create_meeting (f->ts, 2, 1);
  f->other_meeting_id = gremium_test_server_create_meeting (f->ts, 1, 0);

  f->chair = gremium_test_client_enrol (f->ts, "chair", &error);
  g_assert_no_error (error);
  g_signal_connect (f->chair, "record-alarm", G_CALLBACK (record_alarm_cb), f);
  gremium_test_client_attend (f->chair, f->meeting_id, &error);
  g_assert_no_error (error);

  f->m01 = attend (f, "m01");
  f->m02 = attend (f, "m02");

  f->raw = raw_login (f, key_of (f->m01), "m01");
  join = join_request (f->meeting_id);
  answer = gremium_test_raw_request (f->raw, join);
  gremium_test_assert_result (answer);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_assert_cmpuint (f->alarms, ==, 0);

  g_clear_pointer (&f->raw, gremium_test_raw_free);
  gremium_client_disconnect (f->chair);
  gremium_client_disconnect (f->m01);
  gremium_client_disconnect (f->m02);
  g_assert_finalize_object (f->chair);
  g_assert_finalize_object (f->m01);
  g_assert_finalize_object (f->m02);
  g_clear_pointer (&f->meeting_id, g_free);
  g_clear_pointer (&f->other_meeting_id, g_free);
  gremium_test_server_free (f->ts);
}

/* Sends @text and expects an error @code without `re`; the connection stays. */
static void
raw_text_fails (GremiumTestRaw *raw,
                const char     *text,
                const char     *code)
{
  g_autoptr(JsonObject) answer = NULL;

  gremium_test_raw_send_text (raw, text);
  answer = gremium_test_raw_next (raw, 5000);
  gremium_test_assert_error (answer, code, 0);
  assert_raw_works (raw);
}

/* Sends @request (an id is added) and expects an error @code answering it. */
static void
raw_request_fails (GremiumTestRaw *raw,
                   JsonObject     *request,
                   const char     *code)
{
  g_autoptr(JsonObject) answer = gremium_test_raw_request (raw, request);

  gremium_test_assert_error (answer, code, json_object_get_int_member (request, "id"));
}

static void
test_malformed_json (Fixture       *f,
                     gconstpointer  data)
{
  Snapshot snapshot;
  g_autoptr(GBytes) with_nul = NULL;
  g_autoptr(JsonObject) answer = NULL;
  GString *deep = g_string_new ("{\"type\":\"ping\",\"x\":");
  static const char nul_text[] = "{\"type\":\"ping\",\"id\":5,\"x\":\"a\0b\"}";

  snapshot_take (f, &snapshot);

  raw_text_fails (f->raw, "{\"type\":", "malformed-message");
  raw_text_fails (f->raw, "[1,2,3]", "malformed-message");
  raw_text_fails (f->raw, "\"ping\"", "malformed-message");
  raw_text_fails (f->raw, "", "malformed-message");
  raw_text_fails (f->raw, "{\"type\":\"ping\",\"type\":\"ping\",\"id\":3}", "malformed-message");
  raw_text_fails (f->raw, "{\"type\":\"submit\",\"id\":3,"
                  "\"statement\":{\"payload\":\"a\",\"payload\":\"b\"}}",
                  "malformed-message");

  /* Nesting: 17 levels are too deep. */
  for (guint i = 0; i < 16; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 16; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  raw_text_fails (f->raw, deep->str, "malformed-message");
  g_string_free (deep, TRUE);

  /* A NUL byte inside a text frame. */
  with_nul = g_bytes_new_static (nul_text, sizeof nul_text - 1);
  soup_websocket_connection_send_message (f->raw->connection, SOUP_WEBSOCKET_DATA_TEXT, with_nul);
  answer = gremium_test_raw_next (f->raw, 5000);
  gremium_test_assert_error (answer, "malformed-message", 0);
  g_clear_pointer (&answer, json_object_unref);

  /* The frame is fine, the message is not. */
  gremium_test_raw_send_text (f->raw, "{\"id\":7}");
  answer = gremium_test_raw_next (f->raw, 5000);
  gremium_test_assert_error (answer, "invalid-field", 7);
  g_clear_pointer (&answer, json_object_unref);
  gremium_test_raw_send_text (f->raw, "{\"type\":5,\"id\":8}");
  answer = gremium_test_raw_next (f->raw, 5000);
  gremium_test_assert_error (answer, "invalid-field", 8);
  g_clear_pointer (&answer, json_object_unref);

  /* Ids run from 1 to 2^53 − 1. */
  raw_text_fails (f->raw, "{\"type\":\"ping\",\"id\":0}", "invalid-field");
  raw_text_fails (f->raw, "{\"type\":\"ping\",\"id\":-4}", "invalid-field");
  raw_text_fails (f->raw, "{\"type\":\"ping\",\"id\":9007199254740992}", "invalid-field");
  raw_text_fails (f->raw, "{\"type\":\"ping\",\"id\":\"9\"}", "invalid-field");
  raw_text_fails (f->raw, "{\"type\":\"ping\",\"id\":1.5}", "invalid-field");
  gremium_test_raw_send_text (f->raw, "{\"type\":\"ping\",\"id\":9007199254740991}");
  answer = gremium_test_raw_next (f->raw, 5000);
  gremium_test_assert_result (answer);
  g_assert_cmpint (json_object_get_int_member (answer, "re"), ==,
                   G_GINT64_CONSTANT (9007199254740991));

  assert_unchanged_and_others_work (f, &snapshot);
}

static void
test_binary_frame (Fixture       *f,
                   gconstpointer  data)
{
  static const char ping[] = "{\"type\":\"ping\",\"id\":1}";
  g_autoptr(JsonObject) answer = NULL;
  Snapshot snapshot;

  snapshot_take (f, &snapshot);

  gremium_test_raw_send_binary (f->raw, ping, strlen (ping));
  answer = gremium_test_raw_next (f->raw, 5000);
  gremium_test_assert_error (answer, "malformed-message", 0);
  assert_raw_works (f->raw);

  assert_unchanged_and_others_work (f, &snapshot);
}

/* A ping request padded with white space to exactly @len bytes. */
static char *
padded_ping (gint64 id,
             gsize  len)
{
  g_autofree char *head = g_strdup_printf ("{\"type\":\"ping\",\"id\":%" G_GINT64_FORMAT, id);
  char *text = g_malloc (len + 1);

  g_assert_cmpuint (len, >, strlen (head) + 1);
  memcpy (text, head, strlen (head));
  memset (text + strlen (head), ' ', len - strlen (head) - 1);
  text[len - 1] = '}';
  text[len] = '\0';

  return text;
}

static void
test_oversized (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GremiumTestRaw) big = raw_login (f, key_of (f->m02), "m02");
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *largest = padded_ping (41, GREMIUM_SERVER_MAX_MESSAGE_SIZE);
  g_autofree char *too_large = padded_ping (42, GREMIUM_SERVER_MAX_MESSAGE_SIZE + 1);
  g_autofree char *frame_limit = padded_ping (43, GREMIUM_SERVER_MAX_FRAME_SIZE);
  g_autofree char *too_large_frame = padded_ping (44, GREMIUM_SERVER_MAX_FRAME_SIZE + 1);
  Snapshot snapshot;

  snapshot_take (f, &snapshot);

  /* 64 KiB is the limit of a message: that much is read… */
  gremium_test_raw_send_text (f->raw, largest);
  answer = gremium_test_raw_next (f->raw, 5000);
  gremium_test_assert_result (answer);
  g_assert_cmpint (json_object_get_int_member (answer, "re"), ==, 41);
  g_clear_pointer (&answer, json_object_unref);

  /* …one byte more is dropped with an error, and the connection stays. */
  raw_text_fails (f->raw, too_large, "message-too-large");

  /* Up to 1 MiB the transport carries it, and the message is refused. */
  raw_text_fails (f->raw, frame_limit, "message-too-large");

  /* Beyond, the server drops the connection without reading the frame and
   * without a closing handshake: no close code reaches the client.
   */
  gremium_test_raw_send_text (big, too_large_frame);
  g_assert_true (gremium_test_raw_wait_closed (big, 10000));
  g_assert_cmpuint (big->close_code, ==, 0);

  assert_raw_works (f->raw);
  assert_unchanged_and_others_work (f, &snapshot);
}

static void
test_unknown_type_and_fields (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GremiumStatement) statement = NULL;
  g_autoptr(JsonObject) chat = gremium_test_data ("text", "Hallo", NULL);
  Snapshot snapshot;

  snapshot_take (f, &snapshot);

  raw_request_fails (f->raw, request_new ("vote"), "unknown-type");
  raw_request_fails (f->raw, request_new (""), "unknown-type");
  raw_request_fails (f->raw, request_new ("PING"), "unknown-type");
  raw_request_fails (f->raw, request_new ("a-type-name-that-is-far-too-long-to-be-real"),
                     "invalid-field");

  /* Unknown members are refused, never ignored. */
  {
    JsonObject *ping = request_new ("ping");

    json_object_set_int_member (ping, "extra", 1);
    raw_request_fails (f->raw, ping, "invalid-field");
    json_object_unref (ping);
  }
  {
    JsonObject *meetings = request_new ("meetings");

    json_object_set_boolean_member (meetings, "all", TRUE);
    raw_request_fails (f->raw, meetings, "invalid-field");
    json_object_unref (meetings);
  }
  {
    JsonObject *join = join_request (f->meeting_id);

    json_object_set_string_member (join, "as", "chair");
    raw_request_fails (f->raw, join, "invalid-field");
    json_object_unref (join);
  }
  {
    JsonObject *submit = request_new ("submit");

    statement = build (key_of (f->m01), GREMIUM_KIND_CHAT_MESSAGE, f->meeting_id, "m01", chat);
    json_object_set_string_member (submit, "meeting", f->meeting_id);
    json_object_set_member (submit, "statement", gremium_statement_to_json_node (statement));
    json_object_set_boolean_member (submit, "urgent", TRUE);
    raw_request_fails (f->raw, submit, "invalid-field");
    json_object_unref (submit);
  }
  {
    /* In the statement's data too. */
    g_autoptr(JsonObject) data_with_extra = gremium_test_data ("text", "Hallo", "color", "red",
                                                               NULL);
    g_autoptr(GremiumStatement) extra = NULL;
    g_autoptr(JsonObject) answer = NULL;

    extra = build (key_of (f->m01), GREMIUM_KIND_CHAT_MESSAGE, f->meeting_id, "m01",
                   data_with_extra);
    answer = gremium_test_raw_submit (f->raw, f->meeting_id, extra);
    gremium_test_assert_error (answer, "invalid-field", -1);
  }

  assert_raw_works (f->raw);
  assert_unchanged_and_others_work (f, &snapshot);
}

/* Parses a statement's envelope so that a test can change its parts. */
static JsonObject *
envelope_of (GremiumStatement *statement)
{
  g_autoptr(JsonNode) node = gremium_statement_to_json_node (statement);

  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
envelope_signature (JsonObject *envelope)
{
  return json_array_get_object_element (json_object_get_array_member (envelope, "signatures"), 0);
}

static JsonObject *
submit_envelope (GremiumTestRaw *raw,
                 const char     *meeting_id,
                 JsonObject     *envelope)
{
  g_autoptr(JsonObject) request = request_new ("submit");

  json_object_set_string_member (request, "meeting", meeting_id);
  json_object_set_object_member (request, "statement", json_object_ref (envelope));

  return gremium_test_raw_request (raw, request);
}

static void
test_bad_signature (Fixture       *f,
                    gconstpointer  data)
{
  GremiumIdentity *m01_key = key_of (f->m01);
  g_autoptr(GremiumIdentity) stranger = gremium_identity_new ();
  g_autoptr(JsonObject) chat = gremium_test_data ("text", "Signiert", NULL);
  g_autoptr(JsonObject) other_chat = gremium_test_data ("text", "Untergeschoben", NULL);
  g_autofree char *m01_key_text = gremium_identity_dup_public_key_base64 (m01_key);
  Snapshot snapshot;

  snapshot_take (f, &snapshot);

  /* One bit of the signature flipped. */
  {
    g_autoptr(GremiumStatement) statement = build (m01_key, GREMIUM_KIND_CHAT_MESSAGE,
                                                   f->meeting_id, "m01", chat);
    g_autoptr(JsonObject) envelope = envelope_of (statement);
    g_autoptr(JsonObject) answer = NULL;
    g_autofree guint8 *sig = NULL;
    g_autofree char *sig_text = NULL;
    gsize len;

    sig = gremium_base64_decode (json_object_get_string_member (envelope_signature (envelope),
                                                                "sig"), &len, NULL);
    sig[3] ^= 0x80;
    sig_text = gremium_base64_encode (sig, len);
    json_object_set_string_member (envelope_signature (envelope), "sig", sig_text);
    answer = submit_envelope (f->raw, f->meeting_id, envelope);
    gremium_test_assert_error (answer, "bad-signature", -1);
  }

  /* Another payload under the signature. */
  {
    g_autoptr(GremiumStatement) signed_one = build (m01_key, GREMIUM_KIND_CHAT_MESSAGE,
                                                    f->meeting_id, "m01", chat);
    g_autoptr(GremiumStatement) other = build (stranger, GREMIUM_KIND_CHAT_MESSAGE, f->meeting_id,
                                               "m01", other_chat);
    g_autoptr(JsonObject) envelope = envelope_of (signed_one);
    g_autoptr(JsonObject) other_envelope = envelope_of (other);
    g_autoptr(JsonObject) answer = NULL;

    json_object_set_string_member (envelope, "payload",
                                   json_object_get_string_member (other_envelope, "payload"));
    answer = submit_envelope (f->raw, f->meeting_id, envelope);
    gremium_test_assert_error (answer, "bad-signature", -1);
  }

  /* Signed by someone else, claiming to be m01's key. */
  {
    g_autoptr(GremiumStatement) forged = build (stranger, GREMIUM_KIND_CHAT_MESSAGE, f->meeting_id,
                                                "m01", chat);
    g_autoptr(JsonObject) envelope = envelope_of (forged);
    g_autoptr(JsonObject) answer = NULL;

    json_object_set_string_member (envelope_signature (envelope), "keyid", m01_key_text);
    answer = submit_envelope (f->raw, f->meeting_id, envelope);
    gremium_test_assert_error (answer, "bad-signature", -1);
  }

  /* The payload type is part of what is signed. */
  {
    g_autoptr(GremiumStatement) statement = build (m01_key, GREMIUM_KIND_CHAT_MESSAGE,
                                                   f->meeting_id, "m01", chat);
    g_autoptr(JsonObject) envelope = envelope_of (statement);
    g_autoptr(JsonObject) answer = NULL;

    json_object_set_string_member (envelope, "payloadType", GREMIUM_PAYLOAD_TYPE_AUTH);
    answer = submit_envelope (f->raw, f->meeting_id, envelope);
    gremium_test_assert_error (answer, "invalid-field", -1);
  }

  /* Two signatures. */
  {
    g_autoptr(GremiumStatement) statement = build (m01_key, GREMIUM_KIND_CHAT_MESSAGE,
                                                   f->meeting_id, "m01", chat);
    g_autoptr(JsonObject) envelope = envelope_of (statement);
    g_autoptr(JsonObject) answer = NULL;
    JsonArray *signatures = json_object_get_array_member (envelope, "signatures");

    json_array_add_object_element (signatures, json_object_ref (envelope_signature (envelope)));
    answer = submit_envelope (f->raw, f->meeting_id, envelope);
    gremium_test_assert_error (answer, "invalid-field", -1);
  }

  assert_raw_works (f->raw);
  assert_unchanged_and_others_work (f, &snapshot);
}

static void
test_replayed (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonObject) chat = gremium_test_data ("text", "Nur einmal", NULL);
  g_autoptr(GremiumStatement) statement = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) elsewhere = NULL;
  Snapshot snapshot;

  statement = build (key_of (f->m01), GREMIUM_KIND_CHAT_MESSAGE, f->meeting_id, "m01", chat);
  first = gremium_test_raw_submit (f->raw, f->meeting_id, statement);
  gremium_test_assert_result (first);
  g_assert_cmpint (json_object_get_int_member (first, "index"), ==,
                   gremium_test_server_get_record_size (f->ts, f->meeting_id) - 1);

  snapshot_take (f, &snapshot);

  /* The same signed statement again, on the same or another connection. */
  second = gremium_test_raw_submit (f->raw, f->meeting_id, statement);
  gremium_test_assert_error (second, "replayed-statement", -1);
  {
    g_autoptr(GremiumTestRaw) other = raw_login (f, key_of (f->m01), "m01");
    g_autoptr(JsonObject) join = join_request (f->meeting_id);
    g_autoptr(JsonObject) joined = gremium_test_raw_request (other, join);

    gremium_test_assert_result (joined);
    elsewhere = gremium_test_raw_submit (other, f->meeting_id, statement);
    gremium_test_assert_error (elsewhere, "replayed-statement", -1);
  }

  assert_unchanged_and_others_work (f, &snapshot);
}

static void
test_other_members_key (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) chat = gremium_test_data ("text", "Im fremden Namen", NULL);
  g_autoptr(GremiumIdentity) unenrolled = gremium_identity_new ();
  Snapshot snapshot;

  snapshot_take (f, &snapshot);

  /* m02's key on a statement in m01's name, sent on m01's connection. */
  {
    g_autoptr(GremiumStatement) statement = build (key_of (f->m02), GREMIUM_KIND_CHAT_MESSAGE,
                                                   f->meeting_id, "m01", chat);
    g_autoptr(JsonObject) answer = gremium_test_raw_submit (f->raw, f->meeting_id, statement);

    gremium_test_assert_error (answer, "permission-denied", -1);
  }

  /* m02's own, valid statement, sent on m01's connection. */
  {
    g_autoptr(GremiumStatement) statement = build (key_of (f->m02), GREMIUM_KIND_CHAT_MESSAGE,
                                                   f->meeting_id, "m02", chat);
    g_autoptr(JsonObject) answer = gremium_test_raw_submit (f->raw, f->meeting_id, statement);

    gremium_test_assert_error (answer, "permission-denied", -1);
  }

  /* A key that is not enrolled at all. */
  {
    g_autoptr(GremiumStatement) statement = build (unenrolled, GREMIUM_KIND_CHAT_MESSAGE,
                                                   f->meeting_id, "m01", chat);
    g_autoptr(JsonObject) answer = gremium_test_raw_submit (f->raw, f->meeting_id, statement);

    gremium_test_assert_error (answer, "permission-denied", -1);
  }

  /* The chair's statement, in the chair's name, from m01's connection. */
  {
    g_autoptr(JsonObject) admit = gremium_test_data ("member", "m03", NULL);
    g_autoptr(GremiumStatement) statement = build (key_of (f->chair), GREMIUM_KIND_LOBBY_ADMIT,
                                                   f->meeting_id, "chair", admit);
    g_autoptr(JsonObject) answer = gremium_test_raw_submit (f->raw, f->meeting_id, statement);

    gremium_test_assert_error (answer, "permission-denied", -1);
  }

  assert_unchanged_and_others_work (f, &snapshot);
}

/* Signs a statement body given as text, exactly as written. */
static GremiumStatement *
sign_body (GremiumIdentity *identity,
           const char      *body)
{
  g_autoptr(GBytes) payload = g_bytes_new (body, strlen (body));

  return gremium_statement_new_signed (identity, GREMIUM_PAYLOAD_TYPE_STATEMENT, payload);
}

static void
test_statement_frame (Fixture       *f,
                      gconstpointer  data)
{
  GremiumIdentity *m01_key = key_of (f->m01);
  g_autofree char *now = gremium_time_format (g_get_real_time ());
  g_autofree char *nonce = gremium_random_token (16);
  Snapshot snapshot;
  /* Bodies in single quotes; @M is the meeting, @T the time @minutes from
   * now, @N a nonce.
   */
  static const struct {
    const char *body;
    int         minutes;
    const char *code;
  } cases[] = {
    { "{'v':2,'kind':'chat.message','meeting':'@M','author':'m01','time':'@T','nonce':'@N',"
      "'data':{'text':'x'}}", 0, "unsupported-version" },
    { "{'v':1,'kind':'meeting.teleport','meeting':'@M','author':'m01','time':'@T','nonce':'@N',"
      "'data':{}}", 0, "unknown-type" },
    { "{'v':1,'kind':'chat.message','meeting':'@M','author':'m01','time':'@T','nonce':'@N',"
      "'data':{'text':'zu spät'}}", -6, "stale-statement" },
    { "{'v':1,'kind':'chat.message','meeting':'@M','author':'m01','time':'@T','nonce':'@N',"
      "'data':{'text':'zu früh'}}", 6, "stale-statement" },
    { "{'v':1,'kind':'chat.message','meeting':'@M','author':'m01','time':'@T',"
      "'data':{'text':'ohne nonce'}}", 0, "invalid-field" },
    { "{'v':1,'kind':'chat.message','meeting':'@M','author':'m01','time':'gestern','nonce':'@N',"
      "'data':{'text':'x'}}", 0, "invalid-field" },
    { "{'v':1,'kind':'chat.message','meeting':'@M','author':'m01','time':'@T','nonce':'@N',"
      "'data':{'text':'x'},'sig':''}", 0, "invalid-field" },
    { "{'v':1,'kind':'chat.message','meeting':'@M','author':'m01','time':'@T','nonce':'@N',"
      "'data':{'text':'x'}", 0, "malformed-message" },
  };

  snapshot_take (f, &snapshot);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) body = g_string_new (cases[i].body);
      g_autofree char *time = gremium_time_format (g_get_real_time () +
                                                   cases[i].minutes * G_TIME_SPAN_MINUTE);
      g_autoptr(GremiumStatement) statement = NULL;
      g_autoptr(JsonObject) answer = NULL;

      g_strdelimit (body->str, "'", '"');
      g_string_replace (body, "@M", f->meeting_id, 0);
      g_string_replace (body, "@T", time, 0);
      g_string_replace (body, "@N", nonce, 0);
      g_test_message ("%s", body->str);

      statement = sign_body (m01_key, body->str);
      answer = gremium_test_raw_submit (f->raw, f->meeting_id, statement);
      gremium_test_assert_error (answer, cases[i].code, -1);
    }

  /* A statement too big to fit a message. */
  {
    g_autofree char *text = g_strnfill (GREMIUM_SERVER_MAX_MESSAGE_SIZE + 1024, 'a');
    g_autofree char *body = g_strdup_printf ("{\"v\":1,\"kind\":\"chat.message\","
                                             "\"meeting\":\"%s\",\"author\":\"m01\","
                                             "\"time\":\"%s\",\"nonce\":\"%s\","
                                             "\"data\":{\"text\":\"%s\"}}",
                                             f->meeting_id, now, nonce, text);
    g_autoptr(GremiumStatement) statement = sign_body (m01_key, body);
    g_autoptr(JsonObject) request = request_new ("submit");
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *request_text = NULL;
    g_autoptr(JsonObject) answer = NULL;

    json_object_set_int_member (request, "id", 77);
    json_object_set_string_member (request, "meeting", f->meeting_id);
    json_object_set_member (request, "statement", gremium_statement_to_json_node (statement));
    node = json_node_init_object (json_node_alloc (), request);
    request_text = json_to_string (node, FALSE);
    g_assert_cmpuint (strlen (request_text), >, GREMIUM_SERVER_MAX_MESSAGE_SIZE);
    gremium_test_raw_send_text (f->raw, request_text);
    answer = gremium_test_raw_next (f->raw, 5000);
    gremium_test_assert_error (answer, "message-too-large", 0);
  }

  /* A chat message of 2001 characters fits a message but not the rules. */
  {
    g_autofree char *text = g_strnfill (GREMIUM_MAX_CHAT_LENGTH + 1, 'a');
    g_autoptr(JsonObject) chat = gremium_test_data ("text", text, NULL);
    g_autoptr(GremiumStatement) statement = build (m01_key, GREMIUM_KIND_CHAT_MESSAGE,
                                                   f->meeting_id, "m01", chat);
    g_autoptr(JsonObject) answer = gremium_test_raw_submit (f->raw, f->meeting_id, statement);

    gremium_test_assert_error (answer, "invalid-field", -1);
  }

  assert_raw_works (f->raw);
  assert_unchanged_and_others_work (f, &snapshot);
}

static gboolean
enrol_with (Fixture         *f,
            GremiumIdentity *identity,
            const char      *member_id,
            const char      *code,
            GError         **error)
{
  g_autoptr(GremiumClient) client = gremium_client_new (f->ts->url, identity, member_id);
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  gremium_client_enrol_async (client, code, NULL, gremium_test_result_cb, &result);
  ok = gremium_client_enrol_finish (client, gremium_test_wait_result (&result), error);
  g_clear_object (&result);
  gremium_client_disconnect (client);
  g_assert_finalize_object (g_steal_pointer (&client));

  return ok;
}

static void
test_enrolment_codes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GremiumIdentity) m03_key = gremium_identity_new ();
  g_autoptr(GremiumIdentity) thief_key = gremium_identity_new ();
  g_autoptr(GremiumIdentity) deputy_key = gremium_identity_new ();
  g_autoptr(GremiumIdentity) m04_key = gremium_identity_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *m03_code = g_strdup (g_hash_table_lookup (f->ts->codes, "m03"));
  g_autofree char *m04_code = g_strdup (g_hash_table_lookup (f->ts->codes, "m04"));
  g_autofree char *deputy_code = g_strdup (g_hash_table_lookup (f->ts->codes, "deputy"));
  g_autofree char *typed = NULL;
  Snapshot snapshot;
  guint64 size;

  /* A code works once. */
  g_assert_true (enrol_with (f, m03_key, "m03", m03_code, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_keys (f, "m03"), ==, 1);

  snapshot_take (f, &snapshot);

  g_assert_false (enrol_with (f, thief_key, "m03", m03_code, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_ENROLMENT_CODE);
  g_clear_error (&error);

  /* Another member's code, an unknown member, a code that is no code: all
   * get the same answer, so that neither can be probed.
   */
  g_assert_false (enrol_with (f, thief_key, "m03", m04_code, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_ENROLMENT_CODE);
  g_clear_error (&error);
  g_assert_false (enrol_with (f, thief_key, "nobody", m04_code, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_ENROLMENT_CODE);
  g_clear_error (&error);
  g_assert_false (enrol_with (f, thief_key, "m04", "!!!!-????", &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_ENROLMENT_CODE);
  g_clear_error (&error);

  /* A key enrolled for someone else cannot be enrolled again. */
  g_assert_false (enrol_with (f, key_of (f->m01), "deputy", deputy_code, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  g_assert_cmpuint (count_keys (f, "m03"), ==, 1);
  g_assert_cmpuint (count_keys (f, "m04"), ==, 0);
  g_assert_cmpuint (count_keys (f, "deputy"), ==, 0);
  assert_unchanged_and_others_work (f, &snapshot);

  /* None of the failures spent a code; case and hyphens do not matter. */
  size = gremium_test_server_get_record_size (f->ts, f->meeting_id);
  g_assert_true (enrol_with (f, m04_key, "m04", m04_code, &error));
  g_assert_no_error (error);
  typed = g_ascii_strdown (deputy_code, -1);
  g_strdelimit (typed, "-", ' ');
  g_assert_true (enrol_with (f, deputy_key, "deputy", typed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_keys (f, "deputy"), ==, 1);
  g_assert_cmpuint (gremium_test_server_get_record_size (f->ts, f->meeting_id), ==, size + 2);
}

static void
test_challenge (Fixture       *f,
                gconstpointer  data)
{
  GremiumIdentity *m01_key = key_of (f->m01);
  g_autoptr(GremiumTestRaw) raw = gremium_test_raw_connect (f->ts->url);
  g_autoptr(GremiumTestRaw) other = gremium_test_raw_connect (f->ts->url);
  g_autoptr(GremiumIdentity) unenrolled = gremium_identity_new ();
  g_autoptr(GremiumIdentity) other_server = gremium_identity_new ();
  Snapshot snapshot;

  snapshot_take (f, &snapshot);

  /* A challenge that was replaced by a fresh one is no longer valid. */
  {
    g_autoptr(GremiumStatement) proof = gremium_test_raw_proof (raw, m01_key,
                                                                GREMIUM_AUTH_PURPOSE_LOGIN, "m01");
    g_autoptr(JsonObject) login = request_new ("login");
    g_autoptr(JsonObject) answer = NULL;

    gremium_test_raw_new_challenge (raw);
    json_object_set_member (login, "proof", gremium_statement_to_json_node (proof));
    answer = gremium_test_raw_request (raw, login);
    gremium_test_assert_error (answer, "challenge-expired", -1);
  }

  /* A challenge is used once, whatever the outcome. */
  {
    g_autoptr(GremiumStatement) proof = NULL;
    g_autoptr(JsonObject) login = request_new ("login");
    g_autoptr(JsonObject) again = request_new ("login");
    g_autoptr(JsonObject) answer = NULL;
    g_autoptr(JsonObject) second = NULL;

    gremium_test_raw_new_challenge (raw);
    proof = gremium_test_raw_proof (raw, m01_key, GREMIUM_AUTH_PURPOSE_LOGIN, "nobody");
    json_object_set_member (login, "proof", gremium_statement_to_json_node (proof));
    answer = gremium_test_raw_request (raw, login);
    gremium_test_assert_error (answer, "unknown-member", -1);

    g_clear_object (&proof);
    proof = gremium_test_raw_proof (raw, m01_key, GREMIUM_AUTH_PURPOSE_LOGIN, "m01");
    json_object_set_member (again, "proof", gremium_statement_to_json_node (proof));
    second = gremium_test_raw_request (raw, again);
    gremium_test_assert_error (second, "challenge-expired", -1);
  }

  /* Another connection's challenge. */
  {
    g_autoptr(GremiumStatement) proof = gremium_test_raw_proof (other, m01_key,
                                                                GREMIUM_AUTH_PURPOSE_LOGIN, "m01");
    g_autoptr(JsonObject) login = request_new ("login");
    g_autoptr(JsonObject) answer = NULL;

    gremium_test_raw_new_challenge (raw);
    json_object_set_member (login, "proof", gremium_statement_to_json_node (proof));
    answer = gremium_test_raw_request (raw, login);
    gremium_test_assert_error (answer, "challenge-expired", -1);
  }

  /* Made for another server, out of time, for another purpose, tampered. */
  {
    g_autofree char *other_key = gremium_identity_dup_public_key_base64 (other_server);
    g_autoptr(GremiumStatement) proof = NULL;
    g_autoptr(JsonObject) login = request_new ("login");
    g_autoptr(JsonObject) answer = NULL;

    gremium_test_raw_new_challenge (raw);
    proof = gremium_auth_proof_new (m01_key, GREMIUM_AUTH_PURPOSE_LOGIN, other_key, raw->challenge,
                                    "m01",
                                    g_get_real_time ());
    json_object_set_member (login, "proof", gremium_statement_to_json_node (proof));
    answer = gremium_test_raw_request (raw, login);
    gremium_test_assert_error (answer, "bad-signature", -1);
  }
  {
    g_autoptr(GremiumStatement) proof = NULL;
    g_autoptr(JsonObject) login = request_new ("login");
    g_autoptr(JsonObject) answer = NULL;

    gremium_test_raw_new_challenge (raw);
    proof = gremium_auth_proof_new (m01_key, GREMIUM_AUTH_PURPOSE_LOGIN,
                                    gremium_test_raw_get_server_key (raw), raw->challenge, "m01",
                                    g_get_real_time () - 10 * G_TIME_SPAN_MINUTE);
    json_object_set_member (login, "proof", gremium_statement_to_json_node (proof));
    answer = gremium_test_raw_request (raw, login);
    gremium_test_assert_error (answer, "stale-statement", -1);
  }
  {
    g_autoptr(GremiumStatement) proof = NULL;
    g_autoptr(JsonObject) login = request_new ("login");
    g_autoptr(JsonObject) answer = NULL;

    gremium_test_raw_new_challenge (raw);
    proof = gremium_test_raw_proof (raw, m01_key, GREMIUM_AUTH_PURPOSE_ENROL, "m01");
    json_object_set_member (login, "proof", gremium_statement_to_json_node (proof));
    answer = gremium_test_raw_request (raw, login);
    gremium_test_assert_error (answer, "invalid-field", -1);
  }
  {
    g_autoptr(GremiumStatement) proof = NULL;
    g_autoptr(JsonObject) login = request_new ("login");
    g_autoptr(JsonObject) answer = NULL;
    g_autoptr(JsonObject) envelope = NULL;
    g_autofree guint8 *sig = NULL;
    g_autofree char *sig_text = NULL;
    gsize len;

    gremium_test_raw_new_challenge (raw);
    proof = gremium_test_raw_proof (raw, m01_key, GREMIUM_AUTH_PURPOSE_LOGIN, "m01");
    envelope = envelope_of (proof);
    sig = gremium_base64_decode (json_object_get_string_member (envelope_signature (envelope),
                                                                "sig"), &len, NULL);
    sig[0] ^= 1;
    sig_text = gremium_base64_encode (sig, len);
    json_object_set_string_member (envelope_signature (envelope), "sig", sig_text);
    json_object_set_object_member (login, "proof", g_steal_pointer (&envelope));
    answer = gremium_test_raw_request (raw, login);
    gremium_test_assert_error (answer, "bad-signature", -1);
  }
  {
    g_autofree char *now = gremium_time_format (g_get_real_time ());
    g_autofree char *body = g_strdup_printf ("{\"v\":2,\"purpose\":\"login\",\"server\":\"%s\","
                                             "\"challenge\":\"%s\",\"member\":\"m01\","
                                             "\"time\":\"%s\"}",
                                             gremium_test_raw_get_server_key (raw),
                                             gremium_test_raw_new_challenge (raw), now);
    g_autoptr(GBytes) payload = g_bytes_new (body, strlen (body));
    g_autoptr(GremiumStatement) proof = NULL;
    g_autoptr(JsonObject) login = request_new ("login");
    g_autoptr(JsonObject) answer = NULL;

    proof = gremium_statement_new_signed (m01_key, GREMIUM_PAYLOAD_TYPE_AUTH, payload);
    json_object_set_member (login, "proof", gremium_statement_to_json_node (proof));
    answer = gremium_test_raw_request (raw, login);
    gremium_test_assert_error (answer, "unsupported-version", -1);
  }

  /* A key that was never enrolled. */
  {
    g_autoptr(JsonObject) answer = NULL;

    gremium_test_raw_new_challenge (raw);
    answer = gremium_test_raw_login (raw, unenrolled, "m01");
    gremium_test_assert_error (answer, "key-not-enrolled", -1);
  }

  /* After all that, the same connection logs in properly, once. */
  {
    g_autoptr(JsonObject) answer = NULL;
    g_autoptr(JsonObject) again = NULL;

    gremium_test_raw_new_challenge (raw);
    answer = gremium_test_raw_login (raw, m01_key, "m01");
    gremium_test_assert_result (answer);
    gremium_test_raw_new_challenge (raw);
    again = gremium_test_raw_login (raw, m01_key, "m01");
    gremium_test_assert_error (again, "invalid-state", -1);
  }

  assert_unchanged_and_others_work (f, &snapshot);
}

static void
test_not_authenticated (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GremiumTestRaw) raw = gremium_test_raw_connect (f->ts->url);
  g_autoptr(JsonObject) chat = gremium_test_data ("text", "Anonym", NULL);
  g_autoptr(GremiumStatement) statement = build (key_of (f->m01), GREMIUM_KIND_CHAT_MESSAGE,
                                                 f->meeting_id, "m01", chat);
  Snapshot snapshot;
  JsonObject *request;

  snapshot_take (f, &snapshot);

  request = request_new ("meetings");
  raw_request_fails (raw, request, "not-authenticated");
  json_object_unref (request);

  request = join_request (f->meeting_id);
  raw_request_fails (raw, request, "not-authenticated");
  json_object_unref (request);

  request = join_request (f->meeting_id);
  json_object_set_string_member (request, "type", "sync");
  raw_request_fails (raw, request, "not-authenticated");
  json_object_unref (request);

  request = request_new ("leave");
  json_object_set_string_member (request, "meeting", f->meeting_id);
  raw_request_fails (raw, request, "not-authenticated");
  json_object_unref (request);

  request = request_new ("submit");
  json_object_set_string_member (request, "meeting", f->meeting_id);
  json_object_set_member (request, "statement", gremium_statement_to_json_node (statement));
  raw_request_fails (raw, request, "not-authenticated");
  json_object_unref (request);

  request = request_new ("inclusion-proof");
  json_object_set_string_member (request, "meeting", f->meeting_id);
  json_object_set_int_member (request, "index", 0);
  json_object_set_int_member (request, "size", 1);
  raw_request_fails (raw, request, "not-authenticated");
  json_object_unref (request);

  request = request_new ("consistency-proof");
  json_object_set_string_member (request, "meeting", f->meeting_id);
  json_object_set_int_member (request, "from", 0);
  json_object_set_int_member (request, "size", 1);
  raw_request_fails (raw, request, "not-authenticated");
  json_object_unref (request);

  request = request_new ("peer");
  json_object_set_string_member (request, "meeting", f->meeting_id);
  json_object_set_string_member (request, "to", "m01");
  json_object_set_string_member (request, "body", "hallo");
  raw_request_fails (raw, request, "not-authenticated");
  json_object_unref (request);

  /* An unauthenticated connection still gets pings and challenges answered. */
  assert_raw_works (raw);
  gremium_test_raw_new_challenge (raw);

  assert_unchanged_and_others_work (f, &snapshot);
}

static void
submit_denied (Fixture      *f,
               const char   *kind,
               JsonObject   *data,
               GremiumError  code)
{
  g_autoptr(JsonObject) owned = data;
  g_autoptr(GError) error = NULL;
  Snapshot snapshot;

  snapshot_take (f, &snapshot);
  g_test_message ("m01 tries %s", kind);
  g_assert_false (gremium_test_client_submit (f->m01, f->meeting_id, kind, data, &error));
  g_assert_error (error, GREMIUM_ERROR, code);
  assert_unchanged_and_others_work (f, &snapshot);
}

static void
test_chair_actions (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GremiumClient *m03;

  /* Someone waits in the lobby, m02 asks to speak. */
  m03 = gremium_test_client_enrol (f->ts, "m03", &error);
  g_assert_no_error (error);
  gremium_test_client_attend (m03, f->meeting_id, &error);
  g_assert_no_error (error);
  gremium_test_submit (f->m02, f->meeting_id, GREMIUM_KIND_SPEAKERS_REQUEST,
                       gremium_test_data ("type", "speech", NULL), &error);
  g_assert_no_error (error);

  submit_denied (f, GREMIUM_KIND_MEETING_OPEN, NULL, GREMIUM_ERROR_PERMISSION_DENIED);
  submit_denied (f, GREMIUM_KIND_LOBBY_ADMIT, gremium_test_data ("member", "m03", NULL),
                 GREMIUM_ERROR_PERMISSION_DENIED);
  submit_denied (f, GREMIUM_KIND_LOBBY_DENY, gremium_test_data ("member", "m03", NULL),
                 GREMIUM_ERROR_PERMISSION_DENIED);

  gremium_test_client_submit (f->chair, f->meeting_id, GREMIUM_KIND_MEETING_OPEN, NULL, &error);
  g_assert_no_error (error);
  gremium_test_submit (f->chair, f->meeting_id, GREMIUM_KIND_AGENDA_SELECT,
                       gremium_test_data ("item", "#1", NULL), &error);
  g_assert_no_error (error);

  submit_denied (f, GREMIUM_KIND_AGENDA_SELECT, gremium_test_data ("item", "#2", NULL),
                 GREMIUM_ERROR_PERMISSION_DENIED);
  submit_denied (f, GREMIUM_KIND_AGENDA_VISIBILITY,
                 gremium_test_data ("item", "#3", "public", "true", NULL),
                 GREMIUM_ERROR_PERMISSION_DENIED);
  submit_denied (f, GREMIUM_KIND_AGENDA_ADD,
                 gremium_test_data ("title", "Eigener Punkt", "public", "true", NULL),
                 GREMIUM_ERROR_PERMISSION_DENIED);
  submit_denied (f, GREMIUM_KIND_SPEAKERS_GRANT,
                 gremium_test_data ("member", "m01", "limit", "#0", NULL),
                 GREMIUM_ERROR_PERMISSION_DENIED);
  submit_denied (f, GREMIUM_KIND_SPEAKERS_WITHDRAW,
                 gremium_test_data ("member", "m02", "type", "speech", NULL),
                 GREMIUM_ERROR_PERMISSION_DENIED);
  submit_denied (f, GREMIUM_KIND_CONFLICT_DECLARE,
                 gremium_test_data ("item", "#1", "member", "m02", "reason", "x", NULL),
                 GREMIUM_ERROR_PERMISSION_DENIED);
  submit_denied (f, GREMIUM_KIND_MUTE_REQUEST, gremium_test_data ("member", "m02", NULL),
                 GREMIUM_ERROR_PERMISSION_DENIED);
  submit_denied (f, GREMIUM_KIND_MUTE_REQUEST, NULL, GREMIUM_ERROR_PERMISSION_DENIED);
  submit_denied (f, GREMIUM_KIND_QUORUM_CONFIRM,
                 gremium_test_data ("members", "#6", "present", "#3", "required", "#4", "reached",
                                    "false", NULL),
                 GREMIUM_ERROR_PERMISSION_DENIED);
  submit_denied (f, GREMIUM_KIND_MEETING_CLOSE, NULL, GREMIUM_ERROR_PERMISSION_DENIED);

  /* Lifting an exclusion, even one's own. */
  gremium_test_submit (f->m01, f->meeting_id, GREMIUM_KIND_CONFLICT_DECLARE,
                       gremium_test_data ("item", "#2", "member", "m01", "reason", "Nachbar",
                                          NULL), &error);
  g_assert_no_error (error);
  submit_denied (f, GREMIUM_KIND_CONFLICT_WITHDRAW,
                 gremium_test_data ("item", "#2", "member", "m01", NULL),
                 GREMIUM_ERROR_PERMISSION_DENIED);

  /* Finishing someone else's speech. */
  gremium_test_submit (f->chair, f->meeting_id, GREMIUM_KIND_SPEAKERS_GRANT,
                       gremium_test_data ("member", "m02", "limit", "#0", NULL), &error);
  g_assert_no_error (error);
  submit_denied (f, GREMIUM_KIND_SPEAKERS_FINISH, NULL, GREMIUM_ERROR_PERMISSION_DENIED);

  /* Statements only the server makes. */
  submit_denied (f, GREMIUM_KIND_ATTENDANCE_LEAVE,
                 gremium_test_data ("member", "m02", "reason", "connection-lost", NULL),
                 GREMIUM_ERROR_PERMISSION_DENIED);
  submit_denied (f, GREMIUM_KIND_ROSTER_KEY_ADD,
                 gremium_test_data ("member", "m01", "key",
                                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", NULL),
                 GREMIUM_ERROR_PERMISSION_DENIED);

  gremium_client_disconnect (m03);
  g_assert_finalize_object (m03);
}

static void
test_wrong_and_unknown_meeting (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(JsonObject) chat = gremium_test_data ("text", "Falsche Sitzung", NULL);
  g_autoptr(GremiumStatement) for_other = build (key_of (f->m01), GREMIUM_KIND_CHAT_MESSAGE,
                                                 f->other_meeting_id, "m01", chat);
  g_autoptr(GremiumStatement) for_this = build (key_of (f->m01), GREMIUM_KIND_CHAT_MESSAGE,
                                                f->meeting_id, "m01", chat);
  g_autoptr(GError) error = NULL;
  g_autoptr(GremiumTestRaw) late_raw = NULL;
  GremiumClient *late;
  Snapshot snapshot;
  JsonObject *request;
  guint64 size = gremium_test_server_get_record_size (f->ts, f->meeting_id);

  snapshot_take (f, &snapshot);

  /* A statement for meeting B submitted to meeting A. */
  {
    g_autoptr(JsonObject) answer = gremium_test_raw_submit (f->raw, f->meeting_id, for_other);

    gremium_test_assert_error (answer, "wrong-meeting", -1);
  }

  /* A meeting this connection did not join. */
  {
    g_autoptr(JsonObject) answer = gremium_test_raw_submit (f->raw, f->other_meeting_id, for_this);

    gremium_test_assert_error (answer, "not-participant", -1);
  }
  request = join_request (f->other_meeting_id);
  json_object_set_string_member (request, "type", "sync");
  raw_request_fails (f->raw, request, "not-participant");
  json_object_unref (request);

  /* No such meeting, a malformed id, beyond the record. */
  request = join_request ("000000000000");
  raw_request_fails (f->raw, request, "unknown-meeting");
  json_object_unref (request);
  request = join_request ("../../etc/passwd");
  raw_request_fails (f->raw, request, "unknown-meeting");
  json_object_unref (request);
  request = join_request (f->meeting_id);
  json_object_set_int_member (request, "from", size + 1);
  raw_request_fails (f->raw, request, "invalid-field");
  json_object_unref (request);
  request = join_request (f->meeting_id);
  json_object_set_int_member (request, "from", -1);
  raw_request_fails (f->raw, request, "invalid-field");
  json_object_unref (request);

  /* Proofs only within the record. */
  request = request_new ("inclusion-proof");
  json_object_set_string_member (request, "meeting", f->meeting_id);
  json_object_set_int_member (request, "index", 0);
  json_object_set_int_member (request, "size", size + 1);
  raw_request_fails (f->raw, request, "invalid-field");
  json_object_set_int_member (request, "index", size);
  json_object_set_int_member (request, "size", size);
  raw_request_fails (f->raw, request, "invalid-field");
  json_object_unref (request);
  request = request_new ("consistency-proof");
  json_object_set_string_member (request, "meeting", f->meeting_id);
  json_object_set_int_member (request, "from", 2);
  json_object_set_int_member (request, "size", 1);
  raw_request_fails (f->raw, request, "invalid-field");
  json_object_unref (request);

  /* A valid inclusion proof verifies against the entry and the checkpoint. */
  {
    g_autoptr(JsonObject) proof_request = request_new ("inclusion-proof");
    g_autoptr(JsonObject) join = join_request (f->meeting_id);
    g_autoptr(JsonObject) joined = NULL;
    g_autoptr(JsonObject) answer = NULL;
    g_autoptr(GremiumRecordEntry) entry = NULL;
    g_autoptr(GremiumCheckpoint) checkpoint = NULL;
    g_autoptr(GBytes) proof = NULL;
    g_autofree guint8 *proof_bytes = NULL;
    const guint8 *server_key;
    const guint8 *root;
    const char *entry_text;
    gsize len;

    joined = gremium_test_raw_request (f->raw, join);
    gremium_test_assert_result (joined);
    entry_text = json_array_get_string_element (json_object_get_array_member (joined, "entries"),
                                                2);
    entry = gremium_record_entry_new_from_bytes (entry_text, strlen (entry_text), &error);
    g_assert_no_error (error);
    server_key = gremium_identity_get_public_key (f->ts->identity);
    checkpoint = gremium_checkpoint_parse (json_object_get_string_member (joined, "checkpoint"), -1,
                                           "localhost", server_key, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (gremium_checkpoint_get_size (checkpoint), ==, size);

    json_object_set_string_member (proof_request, "meeting", f->meeting_id);
    json_object_set_int_member (proof_request, "index", 2);
    json_object_set_int_member (proof_request, "size", size);
    answer = gremium_test_raw_request (f->raw, proof_request);
    gremium_test_assert_result (answer);
    proof_bytes = gremium_base64_decode (json_object_get_string_member (answer, "proof"), &len,
                                         &error);
    g_assert_no_error (error);
    proof = g_bytes_new_take (g_steal_pointer (&proof_bytes), len);
    root = gremium_checkpoint_get_root (checkpoint);
    g_assert_true (gremium_merkle_verify_inclusion (gremium_record_entry_get_leaf_hash (entry), 2,
                                                    size, proof, root, &error));
    g_assert_no_error (error);
  }

  /* A member who is not on a meeting's roster gets the same answer as for a
   * meeting that does not exist.
   */
  gremium_test_server_add_member (f->ts, "late", "Lena Spät", GREMIUM_ROLE_MEMBER);
  late = gremium_test_client_enrol (f->ts, "late", &error);
  g_assert_no_error (error);
  g_assert_null (gremium_test_client_join (late, f->meeting_id, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNKNOWN_MEETING);
  g_clear_error (&error);
  late_raw = raw_login (f, key_of (late), "late");
  request = join_request (f->meeting_id);
  raw_request_fails (late_raw, request, "unknown-meeting");
  json_object_unref (request);

  assert_raw_works (f->raw);
  assert_unchanged_and_others_work (f, &snapshot);

  gremium_client_disconnect (late);
  g_assert_finalize_object (late);
}

typedef struct
{
  guint results;
  guint rate_limited;
  guint other;
  guint done;
} FloodCount;

static void
flood_request_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FloodCount *count = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = gremium_client_request_finish (GREMIUM_CLIENT (object), result, &error);
  if (reply != NULL)
    count->results++;
  else if (g_error_matches (error, GREMIUM_ERROR, GREMIUM_ERROR_RATE_LIMITED))
    count->rate_limited++;
  else
    count->other++;
  count->done++;
}

static gboolean
flood_done (gpointer data)
{
  FloodCount *count = data;

  return count->done == 400;
}

/* Sends @n pings with ids 1000… without waiting; counts the answers. */
static void
raw_flood (GremiumTestRaw *raw,
           guint           n,
           FloodCount     *count)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"type\":\"ping\",\"id\":%u}", 1000 + i);

      gremium_test_raw_send_text (raw, text);
    }

  for (;;)
    {
      g_autoptr(JsonObject) answer = gremium_test_raw_next (raw, 3000);
      const char *type;

      if (answer == NULL)
        break;

      type = json_object_get_string_member (answer, "type");
      if (g_str_equal (type, "result"))
        count->results++;
      else if (g_str_equal (type, "error") &&
               g_str_equal (json_object_get_string_member (answer, "code"), "rate-limited"))
        {
          gint64 re = json_object_get_int_member_with_default (answer, "re", 0);

          /* The answer says which request was dropped (docs/protocol.md §2). */
          g_assert_cmpint (re, >=, 1000);
          g_assert_cmpint (re, <, 1000 + n);
          count->rate_limited++;
        }
      else
        count->other++;

      if (count->results + count->rate_limited + count->other == n)
        break;
    }
}

static void
test_flood (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GremiumTestRaw) flooder = raw_login (f, key_of (f->m01), "m01");
  g_autoptr(JsonObject) join = join_request (f->meeting_id);
  g_autoptr(JsonObject) joined = gremium_test_raw_request (flooder, join);
  FloodCount burst = { 0 }, sustained = { 0 }, client_flood = { 0 };
  Snapshot snapshot;
  gint64 started;
  double elapsed;

  gremium_test_assert_result (joined);
  snapshot_take (f, &snapshot);

  /* A burst beyond the bucket: the rest is dropped with an answer each, and
   * the connection stays.
   */
  started = g_get_monotonic_time ();
  raw_flood (f->raw, 400, &burst);
  elapsed = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_test_message ("burst: %u results, %u rate-limited in %.2f s", burst.results, burst.rate_limited,
                  elapsed);
  g_assert_cmpuint (burst.results + burst.rate_limited, ==, 400);
  g_assert_cmpuint (burst.other, ==, 0);
  /* The connection used a few tokens to log in and join; the bucket refills
   * while the burst is read.
   */
  g_assert_cmpuint (burst.results, >=, GREMIUM_SERVER_RATE_BURST - 10);
  g_assert_cmpuint (burst.results, <=,
                    GREMIUM_SERVER_RATE_BURST + 5 + GREMIUM_SERVER_RATE_PER_SECOND * elapsed);
  g_assert_cmpuint (burst.rate_limited, >, 0);
  g_assert_false (f->raw->closed);

  /* The bucket refills at 50 per second. */
  gremium_test_iterate (1100);
  assert_raw_works (f->raw);

  /* A real client that sends too much gets its requests refused, each one
   * answered, and is not disconnected.
   */
  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(JsonObject) ping = request_new ("ping");

      gremium_client_request_async (f->m02, ping, NULL, flood_request_cb, &client_flood);
    }
  if (!gremium_test_wait_until (flood_done, &client_flood, 10000))
    g_error ("Only %u of 400 requests were answered (%u results, %u rate-limited)",
             client_flood.done, client_flood.results, client_flood.rate_limited);
  g_assert_cmpuint (client_flood.other, ==, 0);
  g_assert_cmpuint (client_flood.rate_limited, >, 0);
  g_assert_cmpint (gremium_client_get_state (f->m02), ==, GREMIUM_CLIENT_STATE_CONNECTED);
  gremium_test_iterate (1100);

  /* Sustained flooding: after 1000 dropped messages the server closes the
   * connection (1008); the member's other connections carry on.
   */
  raw_flood (flooder, 2000, &sustained);
  g_test_message ("sustained: %u results, %u rate-limited", sustained.results,
                  sustained.rate_limited);
  g_assert_true (gremium_test_raw_wait_closed (flooder, 5000));
  g_assert_cmpuint (flooder->close_code, ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
  g_assert_cmpuint (sustained.rate_limited, ==, GREMIUM_SERVER_MAX_RATE_DROPS - 1);
  g_assert_cmpuint (sustained.results, >=, GREMIUM_SERVER_RATE_BURST - 10);

  /* m01 stays present through its other connections. */
  assert_raw_works (f->raw);
  assert_unchanged_and_others_work (f, &snapshot);
  g_assert_cmpint (gremium_member_get_presence (chair_sees (f, "m01")), ==,
                   GREMIUM_PRESENCE_PRESENT);
}

static void
test_too_many_connections (Fixture       *f,
                           gconstpointer  data)
{
  GremiumIdentity *m01_key = key_of (f->m01);
  g_autoptr(GremiumTestRaw) third = NULL;
  g_autoptr(GremiumTestRaw) fourth = NULL;
  g_autoptr(GremiumTestRaw) fifth = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) accepted = NULL;
  g_autoptr(JsonObject) meetings = request_new ("meetings");
  Snapshot snapshot;

  snapshot_take (f, &snapshot);

  /* m01 has its client and the raw connection; two more are allowed. */
  third = raw_login (f, m01_key, "m01");
  fourth = raw_login (f, m01_key, "m01");
  fifth = gremium_test_raw_connect (f->ts->url);
  refused = gremium_test_raw_login (fifth, m01_key, "m01");
  gremium_test_assert_error (refused, "too-many-connections", -1);

  /* The connection stays, not logged in. */
  raw_request_fails (fifth, meetings, "not-authenticated");
  g_assert_false (fifth->closed);

  /* Other members are not limited by m01's connections. */
  {
    g_autoptr(GremiumTestRaw) m02_raw = raw_login (f, key_of (f->m02), "m02");
  }

  /* Once one closes, the waiting connection gets in. */
  g_clear_pointer (&third, gremium_test_raw_free);
  gremium_test_iterate (100);
  gremium_test_raw_new_challenge (fifth);
  accepted = gremium_test_raw_login (fifth, m01_key, "m01");
  gremium_test_assert_result (accepted);

  assert_unchanged_and_others_work (f, &snapshot);
}

static void
test_too_many_connections_enrol (Fixture       *f,
                                 gconstpointer  data)
{
  GremiumIdentity *m01_key = key_of (f->m01);
  g_autoptr(GremiumTestRaw) third = raw_login (f, m01_key, "m01");
  g_autoptr(GremiumTestRaw) fourth = raw_login (f, m01_key, "m01");
  g_autoptr(GremiumIdentity) tablet = gremium_identity_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *code = gremium_test_server_new_code (f->ts, "m01");
  Snapshot snapshot;

  snapshot_take (f, &snapshot);

  /* A fifth device cannot enrol while four connections are open; its code
   * is not spent and its key not half-enrolled.
   */
  g_assert_false (enrol_with (f, tablet, "m01", code, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TOO_MANY_CONNECTIONS);
  g_clear_error (&error);
  assert_unchanged_and_others_work (f, &snapshot);

  g_clear_pointer (&third, gremium_test_raw_free);
  gremium_test_iterate (100);
  g_assert_true (enrol_with (f, tablet, "m01", code, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_keys (f, "m01"), ==, 2);
  gremium_test_wait_entries (chair_view (f),
                             gremium_test_server_get_record_size (f->ts, f->meeting_id));
  g_assert_cmpuint (gremium_member_get_n_keys (chair_sees (f, "m01")), ==, 2);
}

static void
test_device_limit (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GremiumIdentity) ninth = gremium_identity_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  Snapshot snapshot;

  /* m01 enrols devices up to what a roster holds for one member. */
  for (guint i = count_keys (f, "m01"); i < GREMIUM_MAX_KEYS_PER_MEMBER; i++)
    {
      g_autoptr(GremiumIdentity) device = gremium_identity_new ();
      g_autofree char *device_code = gremium_test_server_new_code (f->ts, "m01");

      g_assert_true (enrol_with (f, device, "m01", device_code, &error));
      g_assert_no_error (error);
    }
  gremium_test_wait_entries (chair_view (f),
                             gremium_test_server_get_record_size (f->ts, f->meeting_id));
  g_assert_cmpuint (gremium_member_get_n_keys (chair_sees (f, "m01")), ==,
                    GREMIUM_MAX_KEYS_PER_MEMBER);

  /* One more would be enrolled but could sign nothing in the meetings. */
  snapshot_take (f, &snapshot);
  code = gremium_test_server_new_code (f->ts, "m01");
  g_assert_false (enrol_with (f, ninth, "m01", code, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE);
  g_clear_error (&error);
  assert_unchanged_and_others_work (f, &snapshot);
}

static void
test_login_timeout (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GremiumTestRaw) idle = gremium_test_raw_connect (f->ts->url);
  g_autoptr(GremiumTestRaw) busy = gremium_test_raw_connect (f->ts->url);
  g_autoptr(JsonObject) login = NULL;
  Snapshot snapshot;

  snapshot_take (f, &snapshot);

  /* One connection logs in, the other only pings. */
  login = gremium_test_raw_login (busy, key_of (f->m02), "m02");
  gremium_test_assert_result (login);
  assert_raw_works (idle);

  gremium_test_iterate ((GREMIUM_SERVER_LOGIN_TIMEOUT_SECONDS - 2) * 1000);
  g_assert_false (idle->closed);

  g_assert_true (gremium_test_raw_wait_closed (idle, 4000));
  g_assert_cmpuint (idle->close_code, ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);

  assert_raw_works (busy);
  assert_raw_works (f->raw);
  assert_unchanged_and_others_work (f, &snapshot);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (gremium_crypto_init (NULL));

#define ADD(path, func) \
  g_test_add ("/Gremium/ServerErrors/" path, Fixture, NULL, setup, func, teardown)

  ADD ("malformed-json", test_malformed_json);
  ADD ("binary-frame", test_binary_frame);
  ADD ("oversized", test_oversized);
  ADD ("unknown-type-and-fields", test_unknown_type_and_fields);
  ADD ("bad-signature", test_bad_signature);
  ADD ("replayed", test_replayed);
  ADD ("other-members-key", test_other_members_key);
  ADD ("statement-frame", test_statement_frame);
  ADD ("enrolment-codes", test_enrolment_codes);
  ADD ("challenge", test_challenge);
  ADD ("not-authenticated", test_not_authenticated);
  ADD ("chair-actions", test_chair_actions);
  ADD ("wrong-and-unknown-meeting", test_wrong_and_unknown_meeting);
  ADD ("flood", test_flood);
  ADD ("too-many-connections", test_too_many_connections);
  ADD ("too-many-connections-enrol", test_too_many_connections_enrol);
  ADD ("device-limit", test_device_limit);
  ADD ("login-timeout", test_login_timeout);

#undef ADD

  return g_test_run ();
}
