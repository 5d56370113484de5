/* test-server.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gremium-error.h>

#include "gremium-test-utils.h"

/* A real server on a loopback port and several real clients, each with its
 * own device key, mirroring the meeting. What one client does must show up,
 * the same, in every other client's view.
 */

typedef struct
{
  GremiumTestServer *ts;
  char              *meeting_id;
  GHashTable        *clients;           /* member id → GremiumClient */
  GPtrArray         *extra_clients;     /* further devices */
  guint              alarms;
} Fixture;

static void
record_alarm_cb (GremiumClient *client,
                 const char    *meeting_id,
                 const char    *message,
                 Fixture       *f)
{
  g_test_message ("Record alarm from %s: %s", gremium_client_get_member_id (client), message);
  f->alarms++;
}

static void
watch (Fixture       *f,
       GremiumClient *client)
{
  g_signal_connect (client, "record-alarm", G_CALLBACK (record_alarm_cb), f);
}

static GremiumClient *
client_of (Fixture    *f,
           const char *member_id)
{
  GremiumClient *client = g_hash_table_lookup (f->clients, member_id);

  g_assert_nonnull (client);
  return client;
}

static GremiumMeeting *
view_of (Fixture    *f,
         const char *member_id)
{
  GremiumMeeting *view = gremium_client_get_meeting (client_of (f, member_id), f->meeting_id);

  g_assert_nonnull (view);
  return view;
}

static GremiumClient *
enrol (Fixture    *f,
       const char *member_id)
{
  g_autoptr(GError) error = NULL;
  GremiumClient *client = gremium_test_client_enrol (f->ts, member_id, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gremium_client_get_state (client), ==, GREMIUM_CLIENT_STATE_CONNECTED);
  watch (f, client);
  g_hash_table_insert (f->clients, g_strdup (member_id), client);

  return client;
}

static guint64
record_size (Fixture *f)
{
  return gremium_test_server_get_record_size (f->ts, f->meeting_id);
}

/* Waits until every connected client that follows the meeting holds the
 * whole record.
 */
static void
sync_all (Fixture *f)
{
  GHashTableIter iter;
  gpointer value;
  guint64 size = record_size (f);

  g_hash_table_iter_init (&iter, f->clients);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GremiumMeeting *view = gremium_client_get_meeting (value, f->meeting_id);

      if (view != NULL && gremium_client_get_state (value) == GREMIUM_CLIENT_STATE_CONNECTED)
        gremium_test_wait_entries (view, size);
    }
}

/* Every client that holds the whole record sees the same meeting. */
static void
assert_views_agree (Fixture *f)
{
  g_autofree char *reference = NULL;
  GHashTableIter iter;
  gpointer key, value;

  sync_all (f);
  reference = gremium_test_describe_meeting (view_of (f, "chair"));

  g_hash_table_iter_init (&iter, f->clients);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GremiumMeeting *view = gremium_client_get_meeting (value, f->meeting_id);
      g_autofree char *text = NULL;

      if (view == NULL || gremium_client_get_state (value) != GREMIUM_CLIENT_STATE_CONNECTED)
        continue;

      text = gremium_test_describe_meeting (view);
      if (g_strcmp0 (text, reference) != 0)
        g_error ("The view of %s differs from the chair's:\n%s\n--- chair:\n%s", (char *) key, text,
                 reference);
    }
}

/* Takes @data. */
static void
submit_ok (Fixture    *f,
           const char *member_id,
           const char *kind,
           JsonObject *data)
{
  g_autoptr(JsonObject) owned = data;
  g_autoptr(GError) error = NULL;
  guint64 size = record_size (f);

  gremium_test_client_submit (client_of (f, member_id), f->meeting_id, kind, data, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (record_size (f), ==, size + 1);
  sync_all (f);
}

/* Takes @data. */
static void
submit_fails (Fixture      *f,
              const char   *member_id,
              const char   *kind,
              JsonObject   *data,
              GremiumError  code)
{
  g_autoptr(JsonObject) owned = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = gremium_test_describe_meeting (view_of (f, "chair"));
  g_autofree char *after = NULL;
  guint64 size = record_size (f);

  g_assert_false (gremium_test_client_submit (client_of (f, member_id), f->meeting_id, kind, data,
                                              &error));
  g_assert_error (error, GREMIUM_ERROR, code);
  g_assert_cmpuint (record_size (f), ==, size);

  after = gremium_test_describe_meeting (view_of (f, "chair"));
  g_assert_cmpstr (before, ==, after);
}

static GremiumMember *
member_in (GremiumMeeting *view,
           const char     *member_id)
{
  GremiumMember *member = gremium_meeting_lookup_member (view, member_id);

  g_assert_nonnull (member);
  return member;
}

static GremiumPresence
presence_in (GremiumMeeting *view,
             const char     *member_id)
{
  GremiumMember *member = gremium_meeting_lookup_member (view, member_id);

  g_assert_nonnull (member);
  return gremium_member_get_presence (member);
}

static void
join (Fixture    *f,
      const char *member_id)
{
  g_autoptr(GError) error = NULL;

  if (!g_hash_table_contains (f->clients, member_id))
    enrol (f, member_id);

  g_assert_nonnull (gremium_test_client_join (client_of (f, member_id), f->meeting_id, &error));
  g_assert_no_error (error);
}

/* Enrols (if needed), joins, attends and, from the lobby, is admitted. */
static void
attend (Fixture    *f,
        const char *member_id)
{
  join (f, member_id);
  submit_ok (f, member_id, GREMIUM_KIND_ATTENDANCE_JOIN, NULL);

  if (presence_in (view_of (f, "chair"), member_id) == GREMIUM_PRESENCE_LOBBY)
    submit_ok (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, gremium_test_data ("member", member_id, NULL));

  g_assert_cmpint (presence_in (view_of (f, member_id), member_id), ==, GREMIUM_PRESENCE_PRESENT);
}

static void
open_meeting (Fixture *f,
              guint    item)
{
  g_autofree char *item_text = g_strdup_printf ("#%u", item);

  submit_ok (f, "chair", GREMIUM_KIND_MEETING_OPEN, NULL);
  submit_ok (f, "chair", GREMIUM_KIND_AGENDA_SELECT, gremium_test_data ("item", item_text, NULL));
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->ts = gremium_test_server_new ();
  gremium_test_server_add_council (f->ts, 8);
  f->meeting_id = gremium_test_server_create_meeting (f->ts, 2, 1);
  f->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->extra_clients = g_ptr_array_new ();

  attend (f, "chair");
}

static void
finalize_client (GremiumClient *client)
{
  gremium_client_disconnect (client);
  g_assert_finalize_object (client);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  GHashTableIter iter;
  gpointer value;

  g_assert_cmpuint (f->alarms, ==, 0);

  g_hash_table_iter_init (&iter, f->clients);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    finalize_client (value);
  g_ptr_array_foreach (f->extra_clients, (GFunc) finalize_client, NULL);

  g_clear_pointer (&f->clients, g_hash_table_unref);
  g_clear_pointer (&f->extra_clients, g_ptr_array_unref);
  g_clear_pointer (&f->meeting_id, g_free);
  gremium_test_server_free (f->ts);
}

static JsonArray *
list_meetings (GremiumClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *meetings;

  gremium_client_list_meetings_async (client, NULL, gremium_test_result_cb, &result);
  meetings = gremium_client_list_meetings_finish (client, gremium_test_wait_result (&result),
                                                  &error);
  g_assert_no_error (error);

  return meetings;
}

static JsonObject *
find_meeting (JsonArray  *meetings,
              const char *meeting_id)
{
  for (guint i = 0; i < json_array_get_length (meetings); i++)
    {
      JsonObject *meeting = json_array_get_object_element (meetings, i);

      if (g_str_equal (json_object_get_string_member (meeting, "id"), meeting_id))
        return meeting;
    }

  return NULL;
}

static void
test_enrol_login_meetings (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GremiumClient) again = NULL;
  g_autoptr(GremiumClient) impostor_pin = NULL;
  g_autoptr(GremiumIdentity) other_server = gremium_identity_new ();
  g_autoptr(JsonArray) meetings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_key = gremium_identity_dup_public_key_base64 (f->ts->identity);
  g_autofree char *other_key = gremium_identity_dup_public_key_base64 (other_server);
  g_autofree char *second_id = NULL;
  g_autofree char *third_id = NULL;
  GremiumClient *m01;
  GremiumMember *member;
  JsonObject *meeting;
  const guint8 *m01_key;
  guint64 size;

  /* Enrolling logs in, pins the server's key and puts the device key on the
   * roster of every meeting the member belongs to.
   */
  size = record_size (f);
  m01 = enrol (f, "m01");
  g_assert_cmpstr (gremium_client_get_server_key (m01), ==, server_key);
  g_assert_cmpstr (gremium_client_get_server_name (m01), ==, "localhost");
  g_assert_cmpuint (record_size (f), ==, size + 1);
  sync_all (f);
  member = gremium_meeting_lookup_member (view_of (f, "chair"), "m01");
  g_assert_cmpuint (gremium_member_get_n_keys (member), ==, 1);
  m01_key = gremium_identity_get_public_key (gremium_client_get_identity (m01));
  g_assert_true (gremium_member_has_key (member, m01_key));

  /* Logging in again adds nothing to the record. */
  gremium_client_disconnect (m01);
  g_assert_cmpint (gremium_client_get_state (m01), ==, GREMIUM_CLIENT_STATE_DISCONNECTED);
  gremium_test_client_connect (m01, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gremium_client_get_state (m01), ==, GREMIUM_CLIENT_STATE_CONNECTED);

  again = gremium_client_new (f->ts->url, gremium_client_get_identity (m01), "m01");
  gremium_client_set_pinned_server_key (again, server_key);
  gremium_test_client_connect (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (record_size (f), ==, size + 1);

  /* A client that pinned another key refuses the server. */
  impostor_pin = gremium_client_new (f->ts->url, gremium_client_get_identity (m01), "m01");
  gremium_client_set_pinned_server_key (impostor_pin, other_key);
  g_assert_false (gremium_test_client_connect (impostor_pin, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_SERVER_KEY_CHANGED);
  g_clear_error (&error);
  g_assert_cmpint (gremium_client_get_state (impostor_pin), ==, GREMIUM_CLIENT_STATE_DISCONNECTED);

  /* The member's meetings. */
  meetings = list_meetings (m01);
  g_assert_cmpuint (json_array_get_length (meetings), ==, 1);
  meeting = find_meeting (meetings, f->meeting_id);
  g_assert_nonnull (meeting);
  g_assert_cmpstr (json_object_get_string_member (meeting, "title"), ==, "Testsitzung");
  g_assert_cmpstr (json_object_get_string_member (meeting, "body"), ==, "Gemeinderat Teststadt");
  g_assert_cmpstr (json_object_get_string_member (meeting, "place"), ==, "Rathaus");
  g_assert_cmpstr (json_object_get_string_member (meeting, "role"), ==, "member");
  g_assert_cmpstr (json_object_get_string_member (meeting, "state"), ==, "scheduled");
  g_assert_cmpint (json_object_get_int_member (meeting, "entries"), ==, record_size (f));
  g_clear_pointer (&meetings, json_array_unref);

  submit_ok (f, "chair", GREMIUM_KIND_MEETING_OPEN, NULL);
  second_id = gremium_test_server_create_meeting (f->ts, 1, 0);
  meetings = list_meetings (client_of (f, "chair"));
  g_assert_cmpuint (json_array_get_length (meetings), ==, 2);
  meeting = find_meeting (meetings, f->meeting_id);
  g_assert_cmpstr (json_object_get_string_member (meeting, "state"), ==, "open");
  g_assert_cmpstr (json_object_get_string_member (meeting, "role"), ==, "chair");
  g_assert_nonnull (find_meeting (meetings, second_id));
  g_clear_pointer (&meetings, json_array_unref);

  /* Someone added later is on neither roster, but on the next meeting's. */
  gremium_test_server_add_member (f->ts, "late", "Lena Spät", GREMIUM_ROLE_MEMBER);
  enrol (f, "late");
  meetings = list_meetings (client_of (f, "late"));
  g_assert_cmpuint (json_array_get_length (meetings), ==, 0);
  g_clear_pointer (&meetings, json_array_unref);

  third_id = gremium_test_server_create_meeting (f->ts, 1, 0);
  meetings = list_meetings (client_of (f, "late"));
  g_assert_cmpuint (json_array_get_length (meetings), ==, 1);
  g_assert_nonnull (find_meeting (meetings, third_id));

  gremium_client_disconnect (again);
  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&impostor_pin));
}

static void
test_lobby (Fixture       *f,
            gconstpointer  data)
{
  join (f, "m01");
  join (f, "m02");
  join (f, "clerk");

  submit_ok (f, "m01", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  submit_ok (f, "m02", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  submit_ok (f, "clerk", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  assert_views_agree (f);
  g_assert_cmpint (presence_in (view_of (f, "m02"), "m01"), ==, GREMIUM_PRESENCE_LOBBY);
  g_assert_cmpint (presence_in (view_of (f, "m01"), "m02"), ==, GREMIUM_PRESENCE_LOBBY);

  /* Only the chair admits. */
  submit_fails (f, "m01", GREMIUM_KIND_LOBBY_ADMIT, gremium_test_data ("member", "m02", NULL),
                GREMIUM_ERROR_PERMISSION_DENIED);
  submit_fails (f, "clerk", GREMIUM_KIND_LOBBY_ADMIT, gremium_test_data ("member", "m02", NULL),
                GREMIUM_ERROR_PERMISSION_DENIED);

  submit_ok (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, gremium_test_data ("member", "m01", NULL));
  submit_ok (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, gremium_test_data ("member", "clerk", NULL));
  submit_ok (f, "chair", GREMIUM_KIND_LOBBY_DENY, gremium_test_data ("member", "m02", NULL));
  assert_views_agree (f);
  g_assert_cmpint (presence_in (view_of (f, "m02"), "m01"), ==, GREMIUM_PRESENCE_PRESENT);
  g_assert_cmpint (presence_in (view_of (f, "m02"), "m02"), ==, GREMIUM_PRESENCE_ABSENT);
  g_assert_cmpstr (gremium_member_get_leave_reason (member_in (view_of (f, "m01"), "m02")), ==,
                   "denied");

  /* Asking again means waiting again; the deputy never waits. */
  submit_ok (f, "m02", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  g_assert_cmpint (presence_in (view_of (f, "m01"), "m02"), ==, GREMIUM_PRESENCE_LOBBY);
  join (f, "deputy");
  submit_ok (f, "deputy", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  g_assert_cmpint (presence_in (view_of (f, "m01"), "deputy"), ==, GREMIUM_PRESENCE_PRESENT);
  assert_views_agree (f);
}

static void
test_agenda (Fixture       *f,
             gconstpointer  data)
{
  GremiumAgendaItem *item;
  GremiumMeeting *m02_view;

  attend (f, "m01");
  join (f, "m02");
  m02_view = view_of (f, "m02");

  submit_fails (f, "chair", GREMIUM_KIND_AGENDA_SELECT, gremium_test_data ("item", "#1", NULL),
                GREMIUM_ERROR_INVALID_STATE);
  open_meeting (f, 1);
  assert_views_agree (f);
  item = gremium_meeting_get_current_item (view_of (f, "m02"));
  g_assert_nonnull (item);
  g_assert_cmpuint (gremium_agenda_item_get_id (item), ==, 1);

  submit_fails (f, "m01", GREMIUM_KIND_AGENDA_SELECT, gremium_test_data ("item", "#2", NULL),
                GREMIUM_ERROR_PERMISSION_DENIED);
  submit_fails (f, "m01", GREMIUM_KIND_AGENDA_VISIBILITY,
                gremium_test_data ("item", "#3", "public", "true",
                                   NULL), GREMIUM_ERROR_PERMISSION_DENIED);
  submit_fails (f, "m01", GREMIUM_KIND_AGENDA_ADD,
                gremium_test_data ("title", "Antrag der Fraktion", "public", "true", NULL),
                GREMIUM_ERROR_PERMISSION_DENIED);

  /* The non-public item goes public, a new item is added and called. */
  g_assert_false (gremium_agenda_item_get_public (gremium_meeting_lookup_item (m02_view, 3)));
  submit_ok (f, "chair", GREMIUM_KIND_AGENDA_VISIBILITY,
             gremium_test_data ("item", "#3", "public", "true", NULL));
  submit_ok (f, "chair", GREMIUM_KIND_AGENDA_ADD,
             gremium_test_data ("title", "Dringlichkeitsantrag", "public", "false", NULL));
  submit_ok (f, "chair", GREMIUM_KIND_AGENDA_SELECT, gremium_test_data ("item", "#4", NULL));
  assert_views_agree (f);

  g_assert_true (gremium_agenda_item_get_public (gremium_meeting_lookup_item (m02_view, 3)));
  item = gremium_meeting_get_current_item (view_of (f, "m01"));
  g_assert_cmpuint (gremium_agenda_item_get_id (item), ==, 4);
  g_assert_cmpstr (gremium_agenda_item_get_title (item), ==, "Dringlichkeitsantrag");
  g_assert_false (gremium_agenda_item_get_public (item));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
assert_speakers (GremiumMeeting     *view,
                 const char * const *expected)
{
  GListModel *speakers = gremium_meeting_get_speakers (view);

  g_assert_cmpuint (g_list_model_get_n_items (speakers), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    {
      g_autoptr(GremiumSpeakerRequest) request = g_list_model_get_item (speakers, i);
      g_autofree char *text = g_strdup_printf ("%s%s",
                                               gremium_speaker_request_get_member_id (request),
                                               gremium_speaker_request_get_kind (request) ==
                                               GREMIUM_SPEECH_KIND_POINT_OF_ORDER ? "!" : "");

      g_assert_cmpstr (text, ==, expected[i]);
    }
}

#define SPEAKERS(...) ((const char * const[]) { __VA_ARGS__, NULL })

static void
test_speakers (Fixture       *f,
               gconstpointer  data)
{
  guint speaker_notifies = 0;
  const char * const everyone[] = { "chair", "m01", "m02", "m03", NULL };

  attend (f, "m01");
  attend (f, "m02");
  attend (f, "m03");
  open_meeting (f, 1);
  g_signal_connect (view_of (f, "m02"), "notify::current-speaker", G_CALLBACK (count_notify_cb),
                    &speaker_notifies);

  submit_ok (f, "m01", GREMIUM_KIND_SPEAKERS_REQUEST, gremium_test_data ("type", "speech", NULL));
  submit_ok (f, "m02", GREMIUM_KIND_SPEAKERS_REQUEST, gremium_test_data ("type", "speech", NULL));
  submit_ok (f, "m03", GREMIUM_KIND_SPEAKERS_REQUEST,
             gremium_test_data ("type", "point-of-order", NULL));
  submit_fails (f, "m03", GREMIUM_KIND_SPEAKERS_REQUEST,
                gremium_test_data ("type", "point-of-order", NULL),
                GREMIUM_ERROR_INVALID_STATE);
  assert_views_agree (f);

  /* The point of order goes ahead, in every client. */
  for (guint i = 0; everyone[i] != NULL; i++)
    assert_speakers (view_of (f, everyone[i]), SPEAKERS ("m03!", "m01", "m02"));

  submit_fails (f, "m01", GREMIUM_KIND_SPEAKERS_GRANT,
                gremium_test_data ("member", "m01", "limit", "#0", NULL),
                GREMIUM_ERROR_PERMISSION_DENIED);
  submit_ok (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT,
             gremium_test_data ("member", "m03", "limit", "#60", NULL));
  g_assert_cmpuint (speaker_notifies, ==, 1);
  g_assert_cmpstr (gremium_meeting_get_current_speaker (view_of (f, "m02")), ==, "m03");
  g_assert_cmpuint (gremium_meeting_get_speaker_limit (view_of (f, "m01")), ==, 60);
  assert_speakers (view_of (f, "m02"), SPEAKERS ("m01", "m02"));

  submit_fails (f, "m01", GREMIUM_KIND_SPEAKERS_FINISH, NULL, GREMIUM_ERROR_PERMISSION_DENIED);
  submit_ok (f, "m03", GREMIUM_KIND_SPEAKERS_FINISH, NULL);
  g_assert_cmpuint (speaker_notifies, ==, 2);
  g_assert_null (gremium_meeting_get_current_speaker (view_of (f, "m01")));

  submit_ok (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT,
             gremium_test_data ("member", "m01", "limit", "#0", NULL));
  submit_ok (f, "m02", GREMIUM_KIND_SPEAKERS_WITHDRAW,
             gremium_test_data ("member", "m02", "type", "speech", NULL));
  assert_views_agree (f);
  assert_speakers (view_of (f, "m03"), SPEAKERS (NULL));

  /* The next item starts afresh. */
  submit_ok (f, "m02", GREMIUM_KIND_SPEAKERS_REQUEST, gremium_test_data ("type", "speech", NULL));
  submit_ok (f, "chair", GREMIUM_KIND_AGENDA_SELECT, gremium_test_data ("item", "#2", NULL));
  assert_views_agree (f);
  assert_speakers (view_of (f, "m01"), SPEAKERS (NULL));
  g_assert_null (gremium_meeting_get_current_speaker (view_of (f, "m02")));
  g_assert_cmpuint (speaker_notifies, ==, 4);
}

static void
assert_quorum_everywhere (Fixture    *f,
                          const char * const *members,
                          guint       present,
                          guint       required,
                          gboolean    reached)
{
  sync_all (f);

  for (guint i = 0; members[i] != NULL; i++)
    {
      GremiumQuorum quorum;

      gremium_meeting_get_quorum (view_of (f, members[i]), &quorum);
      g_assert_cmpuint (quorum.members, ==, 10);
      g_assert_cmpuint (quorum.present, ==, present);
      g_assert_cmpuint (quorum.required, ==, required);
      g_assert_cmpint (quorum.reached, ==, reached);
    }
}

static void
test_conflict_quorum (Fixture       *f,
                      gconstpointer  data)
{
  const char * const everyone[] = { "chair", "m01", "m02", "m03", "m04", "m05", "guest", NULL };
  guint notifies[G_N_ELEMENTS (everyone)] = { 0 };
  GremiumQuorum quorum;
  g_autofree char *present = NULL;

  /* 10 voting members (chair, deputy, m01…m08): 6 are needed. */
  attend (f, "m01");
  attend (f, "m02");
  attend (f, "m03");
  attend (f, "m04");
  attend (f, "guest");
  open_meeting (f, 1);
  assert_quorum_everywhere (f, (const char * const[]) { "chair", "m01", NULL }, 5, 6, FALSE);

  attend (f, "m05");
  for (guint i = 0; everyone[i] != NULL; i++)
    g_signal_connect (view_of (f, everyone[i]), "notify::quorum-reached",
                      G_CALLBACK (count_notify_cb),
                      &notifies[i]);
  assert_quorum_everywhere (f, everyone, 6, 6, TRUE);

  /* A member declares Befangenheit on the current item: every client sees
   * the quorum fall.
   */
  submit_ok (f, "m05", GREMIUM_KIND_CONFLICT_DECLARE,
             gremium_test_data ("item", "#1", "member", "m05", "reason", "Antragsteller", NULL));
  assert_quorum_everywhere (f, everyone, 5, 6, FALSE);
  for (guint i = 0; everyone[i] != NULL; i++)
    g_assert_cmpuint (notifies[i], ==, 1);

  /* Only the chair lifts it. */
  submit_fails (f, "m05", GREMIUM_KIND_CONFLICT_WITHDRAW,
                gremium_test_data ("item", "#1", "member", "m05", NULL),
                GREMIUM_ERROR_PERMISSION_DENIED);
  submit_fails (f, "m01", GREMIUM_KIND_CONFLICT_DECLARE,
                gremium_test_data ("item", "#1", "member", "m02", "reason", "x", NULL),
                GREMIUM_ERROR_PERMISSION_DENIED);
  submit_ok (f, "chair", GREMIUM_KIND_CONFLICT_WITHDRAW,
             gremium_test_data ("item", "#1", "member", "m05", NULL));
  assert_quorum_everywhere (f, everyone, 6, 6, TRUE);
  for (guint i = 0; everyone[i] != NULL; i++)
    g_assert_cmpuint (notifies[i], ==, 2);

  /* The chair marks someone, on an item not yet under discussion. */
  submit_ok (f, "chair", GREMIUM_KIND_CONFLICT_DECLARE,
             gremium_test_data ("item", "#2", "member", "m04", "reason", "Grundstücksnachbar",
                                NULL));
  assert_quorum_everywhere (f, everyone, 6, 6, TRUE);
  submit_ok (f, "chair", GREMIUM_KIND_AGENDA_SELECT, gremium_test_data ("item", "#2", NULL));
  assert_quorum_everywhere (f, everyone, 5, 6, FALSE);
  assert_views_agree (f);

  /* The chair records the finding; numbers that differ are refused. */
  gremium_meeting_get_quorum (view_of (f, "chair"), &quorum);
  present = g_strdup_printf ("#%u", quorum.present);
  submit_fails (f, "chair", GREMIUM_KIND_QUORUM_CONFIRM,
                gremium_test_data ("members", "#10", "present", "#6", "required", "#6", "reached",
                                   "true", NULL),
                GREMIUM_ERROR_INVALID_STATE);
  submit_ok (f, "chair", GREMIUM_KIND_QUORUM_CONFIRM,
             gremium_test_data ("members", "#10", "present", present, "required", "#6", "reached",
                                "false", NULL));
}

static void
test_chat (Fixture       *f,
           gconstpointer  data)
{
  const char * const everyone[] = { "chair", "m01", "m02", NULL };

  attend (f, "m01");
  join (f, "m02");
  submit_ok (f, "m02", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);

  submit_ok (f, "m01", GREMIUM_KIND_CHAT_MESSAGE,
             gremium_test_data ("text", "Können alle die Vorlage sehen?", NULL));
  submit_ok (f, "chair", GREMIUM_KIND_CHAT_MESSAGE,
             gremium_test_data ("text", "Ja – Seite 3.", NULL));
  submit_fails (f, "m02", GREMIUM_KIND_CHAT_MESSAGE,
                gremium_test_data ("text", "Aus der Lobby", NULL),
                GREMIUM_ERROR_NOT_PARTICIPANT);
  submit_fails (f, "m01", GREMIUM_KIND_CHAT_MESSAGE, gremium_test_data ("text", "", NULL),
                GREMIUM_ERROR_INVALID_FIELD);
  assert_views_agree (f);

  for (guint i = 0; everyone[i] != NULL; i++)
    {
      GListModel *chat = gremium_meeting_get_chat (view_of (f, everyone[i]));
      g_autoptr(GremiumChatMessage) first = NULL;
      g_autoptr(GremiumChatMessage) second = NULL;

      g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 2);
      first = g_list_model_get_item (chat, 0);
      second = g_list_model_get_item (chat, 1);
      g_assert_cmpstr (gremium_chat_message_get_author_id (first), ==, "m01");
      g_assert_cmpstr (gremium_chat_message_get_text (first), ==,
                       "Können alle die Vorlage sehen?");
      g_assert_cmpstr (gremium_chat_message_get_author_id (second), ==, "chair");
      g_assert_cmpstr (gremium_chat_message_get_text (second), ==, "Ja – Seite 3.");
    }
}

static gboolean
has_chat (GremiumMeeting *view,
          const char     *text)
{
  GListModel *chat = gremium_meeting_get_chat (view);

  for (guint i = 0; i < g_list_model_get_n_items (chat); i++)
    {
      g_autoptr(GremiumChatMessage) message = g_list_model_get_item (chat, i);

      if (g_str_equal (gremium_chat_message_get_text (message), text))
        return TRUE;
    }

  return FALSE;
}

static void
test_leave_rejoin (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GremiumClient *m01;
  GremiumMeeting *m01_view;
  guint64 seen;

  attend (f, "m01");
  attend (f, "m02");
  open_meeting (f, 1);
  m01 = client_of (f, "m01");
  m01_view = view_of (f, "m01");

  /* m01 leaves properly and closes the client. */
  submit_ok (f, "m01", GREMIUM_KIND_ATTENDANCE_LEAVE,
             gremium_test_data ("member", "m01", "reason", "left", NULL));
  gremium_client_disconnect (m01);
  seen = gremium_meeting_get_n_entries (m01_view);

  /* Meanwhile the meeting goes on. */
  submit_ok (f, "chair", GREMIUM_KIND_CHAT_MESSAGE,
             gremium_test_data ("text", "Weiter mit TOP 2", NULL));
  submit_ok (f, "chair", GREMIUM_KIND_AGENDA_SELECT, gremium_test_data ("item", "#2", NULL));
  submit_ok (f, "m02", GREMIUM_KIND_SPEAKERS_REQUEST, gremium_test_data ("type", "speech", NULL));
  g_assert_cmpuint (gremium_meeting_get_n_entries (m01_view), ==, seen);

  /* Back: it fetches what it missed (proved consistent with what it had)
   * and, admitted once, takes its seat without the lobby.
   */
  gremium_test_client_connect (m01, &error);
  g_assert_no_error (error);
  g_assert_true (gremium_test_client_join (m01, f->meeting_id, &error) == m01_view);
  g_assert_no_error (error);
  g_assert_cmpuint (gremium_meeting_get_n_entries (m01_view), ==, record_size (f));
  g_assert_true (has_chat (m01_view, "Weiter mit TOP 2"));
  g_assert_cmpuint (gremium_agenda_item_get_id (gremium_meeting_get_current_item (m01_view)), ==,
                    2);

  submit_ok (f, "m01", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  g_assert_cmpint (presence_in (view_of (f, "chair"), "m01"), ==, GREMIUM_PRESENCE_PRESENT);
  g_assert_cmpuint (gremium_member_get_attendance (member_in (m01_view, "m01"))->len, ==, 2);
  assert_views_agree (f);
}

typedef struct
{
  GremiumMeeting *view;
  const char     *member_id;
  GremiumPresence presence;
} PresenceWait;

static gboolean
presence_is (gpointer data)
{
  PresenceWait *wait = data;

  return presence_in (wait->view, wait->member_id) == wait->presence;
}

static void
wait_presence (GremiumMeeting  *view,
               const char      *member_id,
               GremiumPresence  presence)
{
  PresenceWait wait = { view, member_id, presence };

  if (!gremium_test_wait_until (presence_is, &wait, 10000))
    g_error ("%s did not become %s", member_id, gremium_presence_to_string (presence));
}

static void
count_cb (GObject *object,
          guint   *count)
{
  (*count)++;
}

static gboolean
count_reached (gpointer data)
{
  return *(guint *) data > 0;
}

static void
test_connection_loss (Fixture       *f,
                      gconstpointer  data)
{
  GremiumClient *m01;
  GremiumMeeting *m01_view;
  GremiumMeeting *chair_view;
  GremiumMember *member;
  guint reconnected = 0;
  guint64 seen;

  attend (f, "m01");
  attend (f, "m02");
  open_meeting (f, 1);
  submit_ok (f, "m01", GREMIUM_KIND_SPEAKERS_REQUEST, gremium_test_data ("type", "speech", NULL));

  m01 = client_of (f, "m01");
  m01_view = view_of (f, "m01");
  chair_view = view_of (f, "chair");
  g_signal_connect (m01, "reconnected", G_CALLBACK (count_cb), &reconnected);
  seen = gremium_meeting_get_n_entries (m01_view);

  /* The network fails under m01. The server records it, and the request to
   * speak goes with the member.
   */
  gremium_client_drop_connection (m01);
  wait_presence (chair_view, "m01", GREMIUM_PRESENCE_ABSENT);
  member = gremium_meeting_lookup_member (chair_view, "m01");
  g_assert_cmpstr (gremium_member_get_leave_reason (member), ==, "connection-lost");
  assert_speakers (chair_view, SPEAKERS (NULL));

  /* Others carry on while m01 is away. */
  g_assert_true (gremium_test_submit (client_of (f, "chair"), f->meeting_id,
                                      GREMIUM_KIND_CHAT_MESSAGE,
                                      gremium_test_data ("text", "Frau M01 ist kurz weg", NULL),
                                      NULL));
  g_assert_true (gremium_test_submit (client_of (f, "m02"), f->meeting_id,
                                      GREMIUM_KIND_SPEAKERS_REQUEST,
                                      gremium_test_data ("type", "speech", NULL), NULL));
  g_assert_true (gremium_test_submit (client_of (f, "chair"), f->meeting_id,
                                      GREMIUM_KIND_SPEAKERS_GRANT,
                                      gremium_test_data ("member", "m02", "limit", "#0", NULL),
                                      NULL));
  g_assert_cmpstr (gremium_meeting_get_current_speaker (chair_view), ==, "m02");

  /* m01 really missed these; it has to catch up by itself. */
  g_assert_cmpint (gremium_client_get_state (m01), ==, GREMIUM_CLIENT_STATE_RECONNECTING);
  g_assert_cmpuint (gremium_meeting_get_n_entries (m01_view), ==, seen);

  if (!gremium_test_wait_until (count_reached, &reconnected, 10000))
    g_error ("The client did not reconnect");
  g_assert_cmpint (gremium_client_get_state (m01), ==, GREMIUM_CLIENT_STATE_CONNECTED);

  /* It takes its seat again, straight from the lost connection. */
  wait_presence (chair_view, "m01", GREMIUM_PRESENCE_PRESENT);
  assert_views_agree (f);
  g_assert_true (has_chat (m01_view, "Frau M01 ist kurz weg"));
  g_assert_cmpstr (gremium_meeting_get_current_speaker (m01_view), ==, "m02");
  member = gremium_meeting_lookup_member (m01_view, "m01");
  g_assert_cmpint (gremium_member_get_presence (member), ==, GREMIUM_PRESENCE_PRESENT);
  g_assert_cmpuint (gremium_member_get_attendance (member)->len, ==, 2);

  /* And it works as before. */
  submit_ok (f, "m01", GREMIUM_KIND_CHAT_MESSAGE, gremium_test_data ("text", "Wieder da", NULL));
  g_assert_true (has_chat (view_of (f, "m02"), "Wieder da"));
  g_assert_cmpuint (reconnected, ==, 1);
}

static void
test_unsubscribe_then_close (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  GremiumClient *m01;

  attend (f, "m01");
  attend (f, "m02");
  m01 = client_of (f, "m01");

  /* m01 stops following the meeting without leaving it, then goes. The
   * server must not keep counting a member it can no longer reach.
   */
  json_object_set_string_member (request, "type", "leave");
  json_object_set_string_member (request, "meeting", f->meeting_id);
  reply = gremium_test_client_request (m01, request, &error);
  g_assert_no_error (error);

  submit_fails (f, "m01", GREMIUM_KIND_CHAT_MESSAGE, gremium_test_data ("text", "x", NULL),
                GREMIUM_ERROR_NOT_PARTICIPANT);
  g_hash_table_steal (f->clients, "m01");
  g_ptr_array_add (f->extra_clients, m01);
  gremium_client_disconnect (m01);

  wait_presence (view_of (f, "chair"), "m01", GREMIUM_PRESENCE_ABSENT);
  g_assert_cmpstr (gremium_member_get_leave_reason (member_in (view_of (f, "chair"), "m01")), ==,
                   "connection-lost");
  assert_views_agree (f);
}

typedef struct
{
  const char *member_id;
  guint       count;
  char       *meeting_id;
  char       *from;
  char       *body;
} PeerInbox;

static void
peer_message_cb (GremiumClient *client,
                 const char    *meeting_id,
                 const char    *from,
                 const char    *body,
                 PeerInbox     *inbox)
{
  inbox->count++;
  g_free (inbox->meeting_id);
  inbox->meeting_id = g_strdup (meeting_id);
  g_free (inbox->from);
  inbox->from = g_strdup (from);
  g_free (inbox->body);
  inbox->body = g_strdup (body);
}

static void
peer_inbox_clear (PeerInbox *inbox)
{
  g_clear_pointer (&inbox->meeting_id, g_free);
  g_clear_pointer (&inbox->from, g_free);
  g_clear_pointer (&inbox->body, g_free);
}

static gboolean
send_peer (GremiumClient  *client,
           const char     *meeting_id,
           const char     *to,
           const char     *body,
           GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gremium_client_send_peer_async (client, meeting_id, to, body, NULL, gremium_test_result_cb,
                                  &result);
  return gremium_client_send_peer_finish (client, gremium_test_wait_result (&result), error);
}

static void
peer_fails (GremiumClient *client,
            const char    *meeting_id,
            const char    *to,
            const char    *body,
            GremiumError   code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (send_peer (client, meeting_id, to, body, &error));
  g_assert_error (error, GREMIUM_ERROR, code);
}

static void
test_peer_relay (Fixture       *f,
                 gconstpointer  data)
{
  const char * const ids[] = { "chair", "m01", "m02", "m03", "m04", "m05", NULL };
  PeerInbox inboxes[G_N_ELEMENTS (ids)] = { { 0 } };
  g_autoptr(GError) error = NULL;
  g_autofree char *other_meeting = NULL;
  g_autofree char *largest = NULL;
  g_autofree char *too_large = NULL;
  guint64 size;

  attend (f, "m01");
  attend (f, "m02");
  join (f, "m03");
  submit_ok (f, "m03", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);     /* waits in the lobby */
  join (f, "m04");                                              /* follows, does not attend */

  /* m05 takes part in another meeting only. */
  other_meeting = gremium_test_server_create_meeting (f->ts, 1, 0);
  enrol (f, "m05");
  g_assert_nonnull (gremium_test_client_join (client_of (f, "m05"), other_meeting, &error));
  g_assert_nonnull (gremium_test_client_join (client_of (f, "chair"), other_meeting, &error));
  g_assert_true (gremium_test_client_submit (client_of (f, "chair"), other_meeting,
                                             GREMIUM_KIND_ATTENDANCE_JOIN, NULL, &error));
  g_assert_true (gremium_test_client_submit (client_of (f, "m05"), other_meeting,
                                             GREMIUM_KIND_ATTENDANCE_JOIN, NULL, &error));
  g_assert_true (gremium_test_submit (client_of (f, "chair"), other_meeting,
                                      GREMIUM_KIND_LOBBY_ADMIT,
                                      gremium_test_data ("member", "m05", NULL), &error));
  g_assert_no_error (error);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      inboxes[i].member_id = ids[i];
      g_signal_connect (client_of (f, ids[i]), "peer-message", G_CALLBACK (peer_message_cb),
                        &inboxes[i]);
    }

  size = record_size (f);

  /* Between two present participants of the same meeting. */
  g_assert_true (send_peer (client_of (f, "m01"), f->meeting_id, "m02", "{\"sdp\":\"offer\"}",
                            &error));
  g_assert_no_error (error);
  gremium_test_iterate (100);
  g_assert_cmpuint (inboxes[2].count, ==, 1);
  g_assert_cmpstr (inboxes[2].meeting_id, ==, f->meeting_id);
  g_assert_cmpstr (inboxes[2].from, ==, "m01");
  g_assert_cmpstr (inboxes[2].body, ==, "{\"sdp\":\"offer\"}");

  /* Nobody else: not the lobby, not someone following, not elsewhere. */
  peer_fails (client_of (f, "m01"), f->meeting_id, "m03", "x", GREMIUM_ERROR_NOT_PARTICIPANT);
  peer_fails (client_of (f, "m03"), f->meeting_id, "m01", "x", GREMIUM_ERROR_NOT_PARTICIPANT);
  peer_fails (client_of (f, "m01"), f->meeting_id, "m04", "x", GREMIUM_ERROR_NOT_PARTICIPANT);
  peer_fails (client_of (f, "m04"), f->meeting_id, "m01", "x", GREMIUM_ERROR_NOT_PARTICIPANT);
  peer_fails (client_of (f, "m01"), f->meeting_id, "m05", "x", GREMIUM_ERROR_NOT_PARTICIPANT);
  peer_fails (client_of (f, "m05"), other_meeting, "m01", "x", GREMIUM_ERROR_NOT_PARTICIPANT);
  peer_fails (client_of (f, "m01"), other_meeting, "m05", "x", GREMIUM_ERROR_NOT_PARTICIPANT);
  peer_fails (client_of (f, "m01"), f->meeting_id, "nobody", "x", GREMIUM_ERROR_NOT_PARTICIPANT);

  /* In the other meeting, between its participants. */
  g_assert_true (send_peer (client_of (f, "m05"), other_meeting, "chair", "key", &error));
  g_assert_no_error (error);

  /* The body's size limit, exactly. */
  largest = g_strnfill (GREMIUM_SERVER_MAX_PEER_BODY, 'k');
  too_large = g_strnfill (GREMIUM_SERVER_MAX_PEER_BODY + 1, 'k');
  peer_fails (client_of (f, "m01"), f->meeting_id, "m02", too_large, GREMIUM_ERROR_TOO_LARGE);
  g_assert_true (send_peer (client_of (f, "m01"), f->meeting_id, "m02", largest, &error));
  g_assert_no_error (error);

  gremium_test_iterate (100);
  g_assert_cmpuint (inboxes[0].count, ==, 1);
  g_assert_cmpstr (inboxes[0].meeting_id, ==, other_meeting);
  g_assert_cmpstr (inboxes[0].from, ==, "m05");
  g_assert_cmpuint (inboxes[1].count, ==, 0);
  g_assert_cmpuint (inboxes[2].count, ==, 2);
  g_assert_cmpstr (inboxes[2].body, ==, largest);
  g_assert_cmpuint (inboxes[3].count, ==, 0);
  g_assert_cmpuint (inboxes[4].count, ==, 0);
  g_assert_cmpuint (inboxes[5].count, ==, 0);

  /* After leaving, a member is out of reach. */
  submit_ok (f, "m02", GREMIUM_KIND_ATTENDANCE_LEAVE,
             gremium_test_data ("member", "m02", "reason", "left", NULL));
  peer_fails (client_of (f, "m01"), f->meeting_id, "m02", "x", GREMIUM_ERROR_NOT_PARTICIPANT);
  peer_fails (client_of (f, "m02"), f->meeting_id, "m01", "x", GREMIUM_ERROR_NOT_PARTICIPANT);

  /* Peer messages are not part of the record. */
  g_assert_cmpuint (record_size (f), ==, size + 1);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_signal_handlers_disconnect_by_data (client_of (f, ids[i]), &inboxes[i]);
      peer_inbox_clear (&inboxes[i]);
    }
}

static void
test_second_device (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GremiumIdentity) tablet_key = gremium_identity_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  GremiumClient *laptop;
  GremiumClient *tablet;
  GremiumMeeting *tablet_view;
  PeerInbox laptop_inbox = { 0 }, tablet_inbox = { 0 };
  guint64 size;

  attend (f, "m01");
  attend (f, "m02");
  laptop = client_of (f, "m01");

  /* The operator issues another code; the tablet enrols with it. */
  code = gremium_test_server_new_code (f->ts, "m01");
  tablet = gremium_client_new (f->ts->url, tablet_key, "m01");
  watch (f, tablet);
  g_ptr_array_add (f->extra_clients, tablet);
  size = record_size (f);
  gremium_client_enrol_async (tablet, code, NULL, gremium_test_result_cb, &result);
  gremium_client_enrol_finish (tablet, gremium_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (record_size (f), ==, size + 1);

  sync_all (f);
  g_assert_cmpuint (gremium_member_get_n_keys (member_in (view_of (f, "m02"), "m01")), ==, 2);

  tablet_view = gremium_test_client_join (tablet, f->meeting_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (presence_in (tablet_view, "m01"), ==, GREMIUM_PRESENCE_PRESENT);

  /* The member is present once, whatever the number of devices. */
  g_assert_false (gremium_test_client_submit (tablet, f->meeting_id, GREMIUM_KIND_ATTENDANCE_JOIN,
                                              NULL, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* Either device speaks for the member. */
  g_assert_true (gremium_test_submit (tablet, f->meeting_id, GREMIUM_KIND_CHAT_MESSAGE,
                                      gremium_test_data ("text", "Vom Tablet", NULL), &error));
  g_assert_no_error (error);
  sync_all (f);
  g_assert_true (has_chat (view_of (f, "m01"), "Vom Tablet"));
  gremium_test_wait_entries (tablet_view, record_size (f));

  /* Peer messages reach both devices. */
  g_signal_connect (laptop, "peer-message", G_CALLBACK (peer_message_cb), &laptop_inbox);
  g_signal_connect (tablet, "peer-message", G_CALLBACK (peer_message_cb), &tablet_inbox);
  g_assert_true (send_peer (client_of (f, "m02"), f->meeting_id, "m01", "candidate", &error));
  g_assert_no_error (error);
  gremium_test_iterate (100);
  g_assert_cmpuint (laptop_inbox.count, ==, 1);
  g_assert_cmpuint (tablet_inbox.count, ==, 1);
  g_signal_handlers_disconnect_by_data (laptop, &laptop_inbox);
  g_signal_handlers_disconnect_by_data (tablet, &tablet_inbox);
  peer_inbox_clear (&laptop_inbox);
  peer_inbox_clear (&tablet_inbox);

  /* Closing the laptop leaves the member present through the tablet… */
  size = record_size (f);
  gremium_client_disconnect (laptop);
  gremium_test_iterate (200);
  g_assert_cmpuint (record_size (f), ==, size);
  g_assert_cmpint (presence_in (view_of (f, "chair"), "m01"), ==, GREMIUM_PRESENCE_PRESENT);

  /* …and closing the tablet too is the member's connection lost. */
  gremium_client_disconnect (tablet);
  wait_presence (view_of (f, "chair"), "m01", GREMIUM_PRESENCE_ABSENT);
  g_assert_cmpuint (record_size (f), ==, size + 1);
}

static gboolean
has_one_ref (gpointer data)
{
  return g_atomic_int_get (&G_OBJECT (data)->ref_count) == 1;
}

static gboolean
is_reconnecting (gpointer data)
{
  return gremium_client_get_state (data) == GREMIUM_CLIENT_STATE_RECONNECTING;
}

static void
test_client_disconnect (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GremiumClient *m01;
  GremiumClient *early;
  guint64 size;

  attend (f, "m01");
  m01 = client_of (f, "m01");

  /* Disconnecting while the client reconnects by itself stops it for good,
   * and quietly.
   */
  gremium_client_drop_connection (m01);
  if (!gremium_test_wait_until (is_reconnecting, m01, 5000))
    g_error ("The client did not notice the lost connection");
  gremium_client_disconnect (m01);
  g_assert_cmpint (gremium_client_get_state (m01), ==, GREMIUM_CLIENT_STATE_DISCONNECTED);
  gremium_test_iterate (1200);
  g_assert_cmpint (gremium_client_get_state (m01), ==, GREMIUM_CLIENT_STATE_DISCONNECTED);
  wait_presence (view_of (f, "chair"), "m01", GREMIUM_PRESENCE_ABSENT);

  /* Disconnecting during the first connect ends the connect. */
  early = gremium_client_new (f->ts->url, gremium_client_get_identity (m01), "m01");
  gremium_client_connect_async (early, NULL, gremium_test_result_cb, &result);
  gremium_client_disconnect (early);
  g_assert_false (gremium_client_connect_finish (early, gremium_test_wait_result (&result),
                                                 &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_CONNECTION_LOST);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpint (gremium_client_get_state (early), ==, GREMIUM_CLIENT_STATE_DISCONNECTED);
  if (!gremium_test_wait_until (has_one_ref, early, 5000))
    g_error ("The abandoned connect still holds the client");
  g_assert_finalize_object (early);

  /* A disconnected client connects again at once, and is not disturbed by
   * the end of its old connection.
   */
  size = record_size (f);
  gremium_test_client_connect (m01, &error);
  g_assert_no_error (error);
  gremium_client_disconnect (m01);
  gremium_test_client_connect (m01, &error);
  g_assert_no_error (error);
  gremium_test_iterate (200);
  g_assert_cmpint (gremium_client_get_state (m01), ==, GREMIUM_CLIENT_STATE_CONNECTED);
  g_assert_nonnull (gremium_test_client_join (m01, f->meeting_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (gremium_meeting_get_n_entries (view_of (f, "m01")), ==, size);
  submit_ok (f, "m01", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  assert_views_agree (f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (gremium_crypto_init (NULL));

#define ADD(path, func) \
  g_test_add ("/Gremium/Server/" path, Fixture, NULL, setup, func, teardown)

  ADD ("enrol-login-meetings", test_enrol_login_meetings);
  ADD ("lobby", test_lobby);
  ADD ("agenda", test_agenda);
  ADD ("speakers-point-of-order", test_speakers);
  ADD ("conflict-quorum", test_conflict_quorum);
  ADD ("chat", test_chat);
  ADD ("leave-rejoin", test_leave_rejoin);
  ADD ("connection-loss", test_connection_loss);
  ADD ("unsubscribe-then-close", test_unsubscribe_then_close);
  ADD ("peer-relay", test_peer_relay);
  ADD ("second-device", test_second_device);
  ADD ("client-disconnect", test_client_disconnect);

#undef ADD

  return g_test_run ();
}
