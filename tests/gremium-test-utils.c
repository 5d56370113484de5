/* gremium-test-utils.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gremium-test-utils.h"

#include <glib/gstdio.h>

static gboolean
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }

  return g_rmdir (path) == 0;
}

GremiumTestServer *
gremium_test_server_new (void)
{
  GremiumTestServer *ts = g_new0 (GremiumTestServer, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;

  ts->dir = g_dir_make_tmp ("gremium-server-XXXXXX", &error);
  g_assert_no_error (error);

  ts->config = gremium_server_config_new_default ();
  g_free (ts->config->data_dir);
  ts->config->data_dir = g_strdup (ts->dir);
  ts->config->port = 0;

  db_path = gremium_server_config_dup_database_path (ts->config);
  ts->db = gremium_server_database_open (db_path, &error);
  g_assert_no_error (error);

  ts->identity = gremium_identity_new ();
  ts->server = gremium_server_new (ts->config, ts->db, ts->identity);
  gremium_server_listen (ts->server, &error);
  g_assert_no_error (error);

  ts->url = gremium_server_dup_url (ts->server);
  ts->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return ts;
}

void
gremium_test_server_free (GremiumTestServer *ts)
{
  gremium_server_shutdown (ts->server);

  /* Let the closing handshakes run so no source outlives the server. */
  for (guint i = 0; i < 50 && gremium_server_get_n_connections (ts->server) > 0; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);

  g_clear_object (&ts->server);
  /* Connections that were still closing finish in the main loop. */
  gremium_test_iterate (20);
  g_clear_object (&ts->db);
  g_clear_object (&ts->identity);
  g_clear_pointer (&ts->config, gremium_server_config_free);
  g_clear_pointer (&ts->codes, g_hash_table_unref);
  remove_tree (ts->dir);
  g_free (ts->dir);
  g_free (ts->url);
  g_free (ts);
}

void
gremium_test_server_add_member (GremiumTestServer *ts,
                                const char        *id,
                                const char        *name,
                                GremiumRole        role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = gremium_enrolment_code_generate ();

  gremium_server_database_add_member (ts->db, id, name, role, &error);
  g_assert_no_error (error);
  gremium_server_database_add_enrolment_code (ts->db, id, code,
                                              g_get_real_time () + G_TIME_SPAN_DAY, &error);
  g_assert_no_error (error);
  g_hash_table_replace (ts->codes, g_strdup (id), g_steal_pointer (&code));
}

/* The council used throughout the tests: a chair "chair", a deputy
 * "deputy", a minute-taker "clerk", a guest "guest" and members m01, m02, …
 */
void
gremium_test_server_add_council (GremiumTestServer *ts,
                                 guint              n_members)
{
  gremium_test_server_add_member (ts, "chair", "Clara Vorsitz", GREMIUM_ROLE_CHAIR);
  gremium_test_server_add_member (ts, "deputy", "Dieter Stellvertreter", GREMIUM_ROLE_DEPUTY);
  gremium_test_server_add_member (ts, "clerk", "Sabine Schrift", GREMIUM_ROLE_MINUTE_TAKER);
  gremium_test_server_add_member (ts, "guest", "Gustav Gast", GREMIUM_ROLE_GUEST);

  for (guint i = 1; i <= n_members; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%02u", i);
      g_autofree char *name = g_strdup_printf ("Mitglied %u", i);

      gremium_test_server_add_member (ts, id, name, GREMIUM_ROLE_MEMBER);
    }
}

char *
gremium_test_server_create_meeting (GremiumTestServer *ts,
                                    guint              n_public,
                                    guint              n_nonpublic)
{
  g_autoptr(GArray) agenda = g_array_new (FALSE, FALSE, sizeof (GremiumServerAgendaItemSpec));
  g_autoptr(GError) error = NULL;
  char *id;

  for (guint i = 0; i < n_public + n_nonpublic; i++)
    {
      GremiumServerAgendaItemSpec spec = {
        .title = i < n_public ? "Öffentlicher Punkt" : "Nichtöffentlicher Punkt",
        .is_public = i < n_public,
      };

      g_array_append_val (agenda, spec);
    }

  id = gremium_server_meeting_create (ts->db, ts->identity, ts->config->name, "Testsitzung",
                                      "Gemeinderat Teststadt", "Rathaus", g_get_real_time (),
                                      GREMIUM_QUORUM_BASE_MEMBERS,
                                      (GremiumServerAgendaItemSpec *) (gpointer) agenda->data,
                                      agenda->len, &error);
  g_assert_no_error (error);

  return id;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
gremium_test_wait_until (gboolean (*condition) (gpointer),
                         gpointer   data,
                         guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return condition (data);
}

static gboolean
slot_filled (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

void
gremium_test_result_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
gremium_test_wait_result (GAsyncResult **slot)
{
  if (!gremium_test_wait_until (slot_filled, slot, 10000))
    g_error ("Timed out waiting for an asynchronous result");

  return *slot;
}

GremiumClient *
gremium_test_client_enrol (GremiumTestServer  *ts,
                           const char         *member_id,
                           GError            **error)
{
  g_autoptr(GremiumIdentity) identity = gremium_identity_new ();
  g_autoptr(GremiumClient) client = gremium_client_new (ts->url, identity, member_id);
  g_autoptr(GAsyncResult) result = NULL;
  const char *code = g_hash_table_lookup (ts->codes, member_id);

  g_assert_nonnull (code);
  gremium_client_enrol_async (client, code, NULL, gremium_test_result_cb, &result);
  if (!gremium_client_enrol_finish (client, gremium_test_wait_result (&result), error))
    return NULL;

  return g_steal_pointer (&client);
}

gboolean
gremium_test_client_connect (GremiumClient  *client,
                             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gremium_client_connect_async (client, NULL, gremium_test_result_cb, &result);
  return gremium_client_connect_finish (client, gremium_test_wait_result (&result), error);
}

GremiumMeeting *
gremium_test_client_join (GremiumClient  *client,
                          const char     *meeting_id,
                          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GremiumMeeting) meeting = NULL;

  gremium_client_join_meeting_async (client, meeting_id, NULL, gremium_test_result_cb, &result);
  meeting = gremium_client_join_meeting_finish (client, gremium_test_wait_result (&result), error);

  /* The client keeps the meeting; hand out a borrowed pointer. */
  return meeting;
}

gboolean
gremium_test_client_submit (GremiumClient  *client,
                            const char     *meeting_id,
                            const char     *kind,
                            JsonObject     *data,
                            GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gremium_client_submit_async (client, meeting_id, kind, data, NULL, gremium_test_result_cb,
                               &result);
  return gremium_client_submit_finish (client, gremium_test_wait_result (&result), NULL, error);
}

/* Like gremium_test_client_submit(), but takes @data, so that it can be
 * built in the call.
 */
gboolean
gremium_test_submit (GremiumClient  *client,
                     const char     *meeting_id,
                     const char     *kind,
                     JsonObject     *data,
                     GError        **error)
{
  g_autoptr(JsonObject) owned = data;

  return gremium_test_client_submit (client, meeting_id, kind, data, error);
}

JsonObject *
gremium_test_client_request (GremiumClient  *client,
                             JsonObject     *request,
                             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gremium_client_request_async (client, request, NULL, gremium_test_result_cb, &result);
  return gremium_client_request_finish (client, gremium_test_wait_result (&result), error);
}

gboolean
gremium_test_client_attend (GremiumClient  *client,
                            const char     *meeting_id,
                            GError        **error)
{
  if (gremium_test_client_join (client, meeting_id, error) == NULL)
    return FALSE;

  return gremium_test_client_submit (client, meeting_id, GREMIUM_KIND_ATTENDANCE_JOIN, NULL, error);
}

typedef struct
{
  GremiumMeeting *meeting;
  guint64         n_entries;
} EntriesWait;

static gboolean
has_entries (gpointer data)
{
  EntriesWait *wait = data;

  return gremium_meeting_get_n_entries (wait->meeting) >= wait->n_entries;
}

void
gremium_test_wait_entries (GremiumMeeting *meeting,
                           guint64         n_entries)
{
  EntriesWait wait = { meeting, n_entries };

  if (!gremium_test_wait_until (has_entries, &wait, 10000))
    g_error ("Timed out waiting for entry %" G_GUINT64_FORMAT " (have %" G_GUINT64_FORMAT ")",
             n_entries, gremium_meeting_get_n_entries (meeting));
}

/* gremium_test_data ("member", "m01", "limit", GINT_TO_POINTER (60) …) is
 * too clever; instead: pairs of member name and a string value, where a
 * value starting with '#' is an integer and "true"/"false" are booleans.
 */
JsonObject *
gremium_test_data (const char *first_member,
                   ...)
{
  JsonObject *data = json_object_new ();
  va_list args;
  const char *name = first_member;

  va_start (args, first_member);
  while (name != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value[0] == '#')
        json_object_set_int_member (data, name, g_ascii_strtoll (value + 1, NULL, 10));
      else if (g_str_equal (value, "true") || g_str_equal (value, "false"))
        json_object_set_boolean_member (data, name, g_str_equal (value, "true"));
      else
        json_object_set_string_member (data, name, value);

      name = va_arg (args, const char *);
    }
  va_end (args);

  return data;
}

guint64
gremium_test_server_get_record_size (GremiumTestServer *ts,
                                     const char        *meeting_id)
{
  g_autoptr(GError) error = NULL;
  GremiumServerMeeting *meeting;

  meeting = gremium_server_lookup_meeting (ts->server, meeting_id, &error);
  g_assert_no_error (error);

  return gremium_server_meeting_get_size (meeting);
}

/* Runs the main loop for @ms milliseconds, for things that must not happen. */
void
gremium_test_iterate (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
raw_message_cb (SoupWebsocketConnection *connection,
                SoupWebsocketDataType    type,
                GBytes                  *message,
                GremiumTestRaw          *raw)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);

  node = json_from_string (data, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  g_queue_push_tail (&raw->messages, json_object_ref (json_node_get_object (node)));
}

static void
raw_closed_cb (SoupWebsocketConnection *connection,
               GremiumTestRaw          *raw)
{
  raw->closed = TRUE;
  raw->close_code = soup_websocket_connection_get_close_code (connection);
}

static gboolean
raw_is_closed (gpointer data)
{
  return ((GremiumTestRaw *) data)->closed;
}

static gboolean
raw_has_message (gpointer data)
{
  GremiumTestRaw *raw = data;

  return raw->messages.length > 0 || raw->closed;
}

GremiumTestRaw *
gremium_test_raw_connect (const char *url)
{
  GremiumTestRaw *raw = g_new0 (GremiumTestRaw, 1);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_queue_init (&raw->messages);
  raw->next_id = 1;
  raw->session = soup_session_new ();
  soup_session_websocket_connect_async (raw->session, message, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        gremium_test_result_cb, &result);
  gremium_test_wait_result (&result);
  raw->connection = soup_session_websocket_connect_finish (raw->session, result, &error);
  g_assert_no_error (error);

  /* The server may answer with a lot (a long record). */
  soup_websocket_connection_set_max_incoming_payload_size (raw->connection, 64 * 1024 * 1024);
  g_signal_connect (raw->connection, "message", G_CALLBACK (raw_message_cb), raw);
  g_signal_connect (raw->connection, "closed", G_CALLBACK (raw_closed_cb), raw);

  raw->hello = gremium_test_raw_next (raw, 5000);
  g_assert_nonnull (raw->hello);
  g_assert_cmpstr (json_object_get_string_member (raw->hello, "type"), ==, "hello");
  raw->challenge = g_strdup (json_object_get_string_member (raw->hello, "challenge"));

  return raw;
}

void
gremium_test_raw_free (GremiumTestRaw *raw)
{
  if (raw == NULL)
    return;

  g_signal_handlers_disconnect_by_data (raw->connection, raw);
  if (soup_websocket_connection_get_state (raw->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (raw->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&raw->connection);
  g_clear_object (&raw->session);
  g_queue_clear_full (&raw->messages, (GDestroyNotify) json_object_unref);
  g_clear_pointer (&raw->hello, json_object_unref);
  g_free (raw->challenge);
  g_free (raw);
}

void
gremium_test_raw_send_text (GremiumTestRaw *raw,
                            const char     *text)
{
  g_assert_false (raw->closed);
  soup_websocket_connection_send_text (raw->connection, text);
}

void
gremium_test_raw_send_binary (GremiumTestRaw *raw,
                              gconstpointer   data,
                              gsize           len)
{
  g_assert_false (raw->closed);
  soup_websocket_connection_send_binary (raw->connection, data, len);
}

void
gremium_test_raw_send (GremiumTestRaw *raw,
                       JsonObject     *message)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), message);
  g_autofree char *text = json_to_string (node, FALSE);

  gremium_test_raw_send_text (raw, text);
}

/* Returns the next message, or %NULL if none came in time or the connection
 * closed.
 */
JsonObject *
gremium_test_raw_next (GremiumTestRaw *raw,
                       guint           timeout_ms)
{
  gremium_test_wait_until (raw_has_message, raw, timeout_ms);

  return g_queue_pop_head (&raw->messages);
}

typedef struct
{
  GremiumTestRaw *raw;
  gint64          id;
  JsonObject     *answer;
} RawWait;

static gboolean
raw_has_answer (gpointer data)
{
  RawWait *wait = data;

  if (wait->answer != NULL)
    return TRUE;

  for (GList *l = wait->raw->messages.head; l != NULL; l = l->next)
    {
      JsonObject *message = l->data;

      if (json_object_get_int_member_with_default (message, "re", 0) == wait->id)
        {
          wait->answer = message;
          g_queue_delete_link (&wait->raw->messages, l);
          return TRUE;
        }
    }

  return wait->raw->closed;
}

/* Sends @request with a fresh id and waits for the answer to it; other
 * messages stay queued.
 */
JsonObject *
gremium_test_raw_request (GremiumTestRaw *raw,
                          JsonObject     *request)
{
  RawWait wait = { raw, raw->next_id++, NULL };

  json_object_set_int_member (request, "id", wait.id);
  gremium_test_raw_send (raw, request);

  if (!gremium_test_wait_until (raw_has_answer, &wait, 10000) || wait.answer == NULL)
    g_error ("No answer to request %" G_GINT64_FORMAT " (%s)", wait.id,
             json_object_get_string_member_with_default (request, "type", "?"));

  return wait.answer;
}

gboolean
gremium_test_raw_wait_closed (GremiumTestRaw *raw,
                              guint           timeout_ms)
{
  return gremium_test_wait_until (raw_is_closed, raw, timeout_ms);
}

const char *
gremium_test_raw_get_server_key (GremiumTestRaw *raw)
{
  return json_object_get_string_member (json_object_get_object_member (raw->hello, "server"),
                                        "key");
}

const char *
gremium_test_raw_new_challenge (GremiumTestRaw *raw)
{
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;

  json_object_set_string_member (request, "type", "challenge");
  answer = gremium_test_raw_request (raw, request);
  gremium_test_assert_result (answer);

  g_free (raw->challenge);
  raw->challenge = g_strdup (json_object_get_string_member (answer, "challenge"));
  return raw->challenge;
}

GremiumStatement *
gremium_test_raw_proof (GremiumTestRaw  *raw,
                        GremiumIdentity *identity,
                        const char      *purpose,
                        const char      *member_id)
{
  return gremium_auth_proof_new (identity, purpose, gremium_test_raw_get_server_key (raw),
                                 raw->challenge, member_id, g_get_real_time ());
}

/* Logs in with the connection's current challenge; returns the answer. */
JsonObject *
gremium_test_raw_login (GremiumTestRaw  *raw,
                        GremiumIdentity *identity,
                        const char      *member_id)
{
  g_autoptr(GremiumStatement) proof = gremium_test_raw_proof (raw, identity,
                                                              GREMIUM_AUTH_PURPOSE_LOGIN,
                                                              member_id);
  g_autoptr(JsonObject) request = json_object_new ();

  json_object_set_string_member (request, "type", "login");
  json_object_set_member (request, "proof", gremium_statement_to_json_node (proof));

  return gremium_test_raw_request (raw, request);
}

JsonObject *
gremium_test_raw_submit (GremiumTestRaw   *raw,
                         const char       *meeting_id,
                         GremiumStatement *statement)
{
  g_autoptr(JsonObject) request = json_object_new ();

  json_object_set_string_member (request, "type", "submit");
  json_object_set_string_member (request, "meeting", meeting_id);
  json_object_set_member (request, "statement", gremium_statement_to_json_node (statement));

  return gremium_test_raw_request (raw, request);
}

/* Issues another enrolment code for @member_id, e.g. for a second device. */
char *
gremium_test_server_new_code (GremiumTestServer *ts,
                              const char        *member_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = gremium_enrolment_code_generate ();

  gremium_server_database_add_enrolment_code (ts->db, member_id, code,
                                              g_get_real_time () + G_TIME_SPAN_DAY, &error);
  g_assert_no_error (error);
  g_hash_table_replace (ts->codes, g_strdup (member_id), g_strdup (code));

  return g_steal_pointer (&code);
}

static const char *
or_none (const char *text)
{
  return text != NULL ? text : "-";
}

/* Everything a participant sees of a meeting, as text, so that the views of
 * several clients (and a view before and after a refused request) can be
 * compared in one assertion.
 */
char *
gremium_test_describe_meeting (GremiumMeeting *meeting)
{
  GString *s = g_string_new (NULL);
  GListModel *members = gremium_meeting_get_members (meeting);
  GListModel *agenda = gremium_meeting_get_agenda (meeting);
  GListModel *speakers = gremium_meeting_get_speakers (meeting);
  GListModel *chat = gremium_meeting_get_chat (meeting);
  GremiumAgendaItem *current = gremium_meeting_get_current_item (meeting);
  GremiumQuorum quorum;

  g_string_append_printf (s,
                          "entries=%" G_GUINT64_FORMAT " opened=%d closed=%d item=%u speaker=%s\n",
                          gremium_meeting_get_n_entries (meeting),
                          gremium_meeting_get_opened (meeting),
                          gremium_meeting_get_closed (meeting),
                          current ? gremium_agenda_item_get_id (current) : 0,
                          or_none (gremium_meeting_get_current_speaker (meeting)));

  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (members, i);

      g_string_append_printf (s, "member %s presence=%d keys=%u stretches=%u reason=%s\n",
                              gremium_member_get_id (member),
                              gremium_member_get_presence (member),
                              gremium_member_get_n_keys (member),
                              gremium_member_get_attendance (member)->len,
                              or_none (gremium_member_get_leave_reason (member)));
    }

  for (guint i = 0; i < g_list_model_get_n_items (agenda); i++)
    {
      g_autoptr(GremiumAgendaItem) item = g_list_model_get_item (agenda, i);
      g_auto(GStrv) conflicts = gremium_agenda_item_dup_conflicts (item);
      g_autofree char *joined = g_strjoinv (",", conflicts);

      g_string_append_printf (s, "item %u public=%d conflicts=%s\n",
                              gremium_agenda_item_get_id (item),
                              gremium_agenda_item_get_public (item), joined);
    }

  for (guint i = 0; i < g_list_model_get_n_items (speakers); i++)
    {
      g_autoptr(GremiumSpeakerRequest) request = g_list_model_get_item (speakers, i);

      gboolean point_of_order = gremium_speaker_request_get_kind (request) ==
                                GREMIUM_SPEECH_KIND_POINT_OF_ORDER;

      g_string_append_printf (s, "speaker %s%s\n", gremium_speaker_request_get_member_id (request),
                              point_of_order ? "!" : "");
    }

  for (guint i = 0; i < g_list_model_get_n_items (chat); i++)
    {
      g_autoptr(GremiumChatMessage) message = g_list_model_get_item (chat, i);

      g_string_append_printf (s, "chat %s: %s\n", gremium_chat_message_get_author_id (message),
                              gremium_chat_message_get_text (message));
    }

  gremium_meeting_get_quorum (meeting, &quorum);
  g_string_append_printf (s, "quorum %u/%u/%u/%u/%d\n", quorum.members, quorum.excluded,
                          quorum.present, quorum.required, quorum.reached);

  return g_string_free (s, FALSE);
}
