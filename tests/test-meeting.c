/* test-meeting.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gremium-error.h"
#include "gremium-identity.h"
#include "gremium-meeting.h"
#include "gremium-record-entry.h"

/* The meeting model on its own: hand-built, signed statements are applied as
 * record entries, exactly as the server, the clients and the verifier apply
 * them. Every refused statement is checked for its specific error and for
 * leaving the meeting (and every signal) untouched.
 */

#define MEETING_ID "3f9a2c81d4e0"

typedef struct
{
  guint             n_members;
  GremiumQuorumBase quorum_base;
  gboolean          create;
} CouncilSpec;

typedef struct
{
  guint applied;
  guint quorum_notify;
  guint speaker_notify;
  guint item_notify;
  guint opened_notify;
  guint closed_notify;
  guint mute;
  guint confirmed;
} Counters;

typedef struct
{
  const CouncilSpec *spec;
  GremiumIdentity   *server;
  GHashTable        *identities;        /* member id → GremiumIdentity */
  GPtrArray         *roster;            /* member ids in roster order */
  GremiumMeeting    *meeting;
  gint64             now;
  Counters           counters;
  char              *mute_member;
  char              *mute_chair;
} Fixture;

static const CouncilSpec small_council = { 8, GREMIUM_QUORUM_BASE_MEMBERS, TRUE };
static const CouncilSpec empty_council = { 8, GREMIUM_QUORUM_BASE_MEMBERS, FALSE };
static const CouncilSpec council_21 = { 19, GREMIUM_QUORUM_BASE_MEMBERS, TRUE };
static const CouncilSpec council_21_reduced = {
  19, GREMIUM_QUORUM_BASE_MEMBERS_NOT_EXCLUDED, TRUE
};

/* JSON with single quotes, so that the tests stay readable. */
static JsonObject *
obj (const char *json)
{
  g_autofree char *text = g_strdelimit (g_strdup (json), "'", '"');
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_object_ref (json_node_get_object (node));
}

static const char *
or_none (const char *text)
{
  return text != NULL ? text : "-";
}

static char *
describe (GremiumMeeting *meeting)
{
  GString *s = g_string_new (NULL);
  GListModel *members = gremium_meeting_get_members (meeting);
  GListModel *agenda = gremium_meeting_get_agenda (meeting);
  GListModel *speakers = gremium_meeting_get_speakers (meeting);
  GListModel *chat = gremium_meeting_get_chat (meeting);
  GremiumAgendaItem *current = gremium_meeting_get_current_item (meeting);
  GremiumQuorum quorum;

  g_string_append_printf (s, "entries=%" G_GUINT64_FORMAT " last=%" G_GINT64_FORMAT
                          " opened=%d closed=%d item=%u speaker=%s since=%" G_GINT64_FORMAT
                          " limit=%u\n",
                          gremium_meeting_get_n_entries (meeting),
                          gremium_meeting_get_last_time (meeting),
                          gremium_meeting_get_opened (meeting),
                          gremium_meeting_get_closed (meeting),
                          current ? gremium_agenda_item_get_id (current) : 0,
                          or_none (gremium_meeting_get_current_speaker (meeting)),
                          gremium_meeting_get_speaker_since (meeting),
                          gremium_meeting_get_speaker_limit (meeting));

  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (members, i);

      g_string_append_printf (s, "member %s role=%d presence=%d admitted=%d keys=%u"
                              " stretches=%u reason=%s\n",
                              gremium_member_get_id (member),
                              gremium_member_get_role (member),
                              gremium_member_get_presence (member),
                              gremium_member_get_admitted (member),
                              gremium_member_get_n_keys (member),
                              gremium_member_get_attendance (member)->len,
                              or_none (gremium_member_get_leave_reason (member)));
    }

  for (guint i = 0; i < g_list_model_get_n_items (agenda); i++)
    {
      g_autoptr(GremiumAgendaItem) item = g_list_model_get_item (agenda, i);
      g_auto(GStrv) conflicts = gremium_agenda_item_dup_conflicts (item);
      g_autofree char *joined = g_strjoinv (",", conflicts);

      g_string_append_printf (s, "item %u %s public=%d conflicts=%s\n",
                              gremium_agenda_item_get_id (item),
                              gremium_agenda_item_get_title (item),
                              gremium_agenda_item_get_public (item), joined);
    }

  for (guint i = 0; i < g_list_model_get_n_items (speakers); i++)
    {
      g_autoptr(GremiumSpeakerRequest) request = g_list_model_get_item (speakers, i);

      g_string_append_printf (s, "speaker %s kind=%d\n",
                              gremium_speaker_request_get_member_id (request),
                              gremium_speaker_request_get_kind (request));
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

static void
entry_applied_cb (GremiumMeeting     *meeting,
                  GremiumRecordEntry *entry,
                  Fixture            *f)
{
  f->counters.applied++;
}

static void
notify_cb (GremiumMeeting *meeting,
           GParamSpec     *pspec,
           Fixture        *f)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "quorum-reached"))
    f->counters.quorum_notify++;
  else if (g_str_equal (name, "current-speaker"))
    f->counters.speaker_notify++;
  else if (g_str_equal (name, "current-item"))
    f->counters.item_notify++;
  else if (g_str_equal (name, "opened"))
    f->counters.opened_notify++;
  else if (g_str_equal (name, "closed"))
    f->counters.closed_notify++;
}

static void
mute_requested_cb (GremiumMeeting *meeting,
                   const char     *member_id,
                   const char     *chair_id,
                   Fixture        *f)
{
  f->counters.mute++;
  g_free (f->mute_member);
  f->mute_member = g_strdup (member_id);
  g_free (f->mute_chair);
  f->mute_chair = g_strdup (chair_id);
}

static void
quorum_confirmed_cb (GremiumMeeting     *meeting,
                     GremiumRecordEntry *entry,
                     Fixture            *f)
{
  f->counters.confirmed++;
}

static GremiumIdentity *
identity_of (Fixture    *f,
             const char *author)
{
  GremiumIdentity *identity;

  if (g_str_equal (author, GREMIUM_AUTHOR_SERVER))
    return f->server;

  identity = g_hash_table_lookup (f->identities, author);
  g_assert_nonnull (identity);

  return identity;
}

static GremiumStatement *
sign_at (Fixture    *f,
         const char *author,
         const char *kind,
         JsonObject *data,
         gint64      time)
{
  return gremium_statement_build (identity_of (f, author), kind, MEETING_ID, author, time, data);
}

static gboolean
apply_statement (Fixture           *f,
                 GremiumStatement  *statement,
                 GError           **error)
{
  g_autoptr(GremiumRecordEntry) entry = NULL;

  entry = gremium_record_entry_new (gremium_meeting_get_n_entries (f->meeting), f->now, statement);
  if (!gremium_meeting_apply (f->meeting, entry, error))
    return FALSE;

  f->now += 1000;
  return TRUE;
}

/* Applies a statement that must be accepted; takes @data. */
static void
accept (Fixture    *f,
        const char *author,
        const char *kind,
        JsonObject *data)
{
  g_autoptr(JsonObject) owned = data;
  g_autoptr(GremiumStatement) statement = sign_at (f, author, kind, data, f->now);
  g_autoptr(GError) error = NULL;
  guint64 n = gremium_meeting_get_n_entries (f->meeting);

  gremium_meeting_check (f->meeting, statement, f->now, &error);
  g_assert_no_error (error);
  apply_statement (f, statement, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gremium_meeting_get_n_entries (f->meeting), ==, n + 1);
}

/* Offers @entry and requires the refusal @code with nothing changed. */
static void
refuse_entry (Fixture            *f,
              GremiumRecordEntry *entry,
              GremiumError        code)
{
  g_autofree char *before = describe (f->meeting);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  Counters counters = f->counters;

  g_assert_false (gremium_meeting_apply (f->meeting, entry, &error));
  g_assert_error (error, GREMIUM_ERROR, code);

  after = describe (f->meeting);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpmem (&counters, sizeof counters, &f->counters, sizeof f->counters);
}

/* Both the server's check and the mirror's apply must refuse @statement with
 * @code, and neither may change anything.
 */
static void
refuse_statement (Fixture          *f,
                  GremiumStatement *statement,
                  gint64            entry_time,
                  GremiumError      code)
{
  g_autoptr(GremiumRecordEntry) entry = NULL;
  g_autofree char *before = describe (f->meeting);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  Counters counters = f->counters;

  g_assert_false (gremium_meeting_check (f->meeting, statement, entry_time, &error));
  g_assert_error (error, GREMIUM_ERROR, code);

  after = describe (f->meeting);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpmem (&counters, sizeof counters, &f->counters, sizeof f->counters);

  entry = gremium_record_entry_new (gremium_meeting_get_n_entries (f->meeting), entry_time,
                                    statement);
  refuse_entry (f, entry, code);
}

/* Takes @data. */
static void
refuse (Fixture      *f,
        const char   *author,
        const char   *kind,
        JsonObject   *data,
        GremiumError  code)
{
  g_autoptr(JsonObject) owned = data;
  g_autoptr(GremiumStatement) statement = sign_at (f, author, kind, data, f->now);

  refuse_statement (f, statement, f->now, code);
}

static GremiumPresence
presence (Fixture    *f,
          const char *member_id)
{
  GremiumMember *member = gremium_meeting_lookup_member (f->meeting, member_id);

  g_assert_nonnull (member);
  return gremium_member_get_presence (member);
}

static const char *
leave_reason (Fixture    *f,
              const char *member_id)
{
  GremiumMember *member = gremium_meeting_lookup_member (f->meeting, member_id);

  g_assert_nonnull (member);
  return gremium_member_get_leave_reason (member);
}

static GremiumAgendaItem *
item (Fixture *f,
      guint    id)
{
  GremiumAgendaItem *agenda_item = gremium_meeting_lookup_item (f->meeting, id);

  g_assert_nonnull (agenda_item);
  return agenda_item;
}

static JsonObject *
create_data (Fixture *f)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(JsonObject) rules = json_object_new ();
  g_autoptr(JsonArray) members = json_array_new ();
  g_autoptr(JsonArray) agenda = json_array_new ();
  g_autofree char *scheduled = gremium_time_format (f->now);
  static const struct {
    const char *title;
    gboolean    is_public;
  } items[] = {
    { "Genehmigung der Niederschrift", TRUE },
    { "Bebauungsplan Nr. 12 „Am Anger“", TRUE },
    { "Grundstücksangelegenheiten", FALSE },
  };

  for (guint i = 0; i < f->roster->len; i++)
    {
      const char *id = g_ptr_array_index (f->roster, i);
      g_autoptr(JsonObject) member = json_object_new ();
      g_autoptr(JsonArray) keys = json_array_new ();
      g_autofree char *key = gremium_identity_dup_public_key_base64 (identity_of (f, id));
      g_autofree char *name = g_strdup_printf ("Person %s", id);
      const char *role = "member";

      if (g_str_equal (id, "chair"))
        role = "chair";
      else if (g_str_equal (id, "deputy"))
        role = "deputy";
      else if (g_str_equal (id, "clerk"))
        role = "minute-taker";
      else if (g_str_equal (id, "staff"))
        role = "staff";
      else if (g_str_equal (id, "guest"))
        role = "guest";

      json_array_add_string_element (keys, key);
      json_object_set_string_member (member, "id", id);
      json_object_set_string_member (member, "name", name);
      json_object_set_string_member (member, "role", role);
      json_object_set_array_member (member, "keys", g_steal_pointer (&keys));
      json_array_add_object_element (members, g_steal_pointer (&member));
    }

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(JsonObject) agenda_item = json_object_new ();

      json_object_set_int_member (agenda_item, "id", i + 1);
      json_object_set_string_member (agenda_item, "title", items[i].title);
      json_object_set_boolean_member (agenda_item, "public", items[i].is_public);
      json_array_add_object_element (agenda, g_steal_pointer (&agenda_item));
    }

  json_object_set_string_member (rules, "quorum_base",
                                 gremium_quorum_base_to_string (f->spec->quorum_base));
  json_object_set_string_member (data, "title", "3. Sitzung des Gemeinderates");
  json_object_set_string_member (data, "body", "Gemeinderat Musterstadt");
  json_object_set_string_member (data, "place", "Rathaus, Ratssaal");
  json_object_set_string_member (data, "scheduled", scheduled);
  json_object_set_string_member (data, "server", "localhost");
  json_object_set_object_member (data, "rules", g_steal_pointer (&rules));
  json_object_set_array_member (data, "members", g_steal_pointer (&members));
  json_object_set_array_member (data, "agenda", g_steal_pointer (&agenda));

  return g_steal_pointer (&data);
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  static const char * const officers[] = { "chair", "deputy", "clerk", "staff", "guest" };

  f->spec = data;
  f->server = gremium_identity_new ();
  f->identities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  f->roster = g_ptr_array_new_with_free_func (g_free);
  f->now = g_get_real_time () / 1000 * 1000;

  for (guint i = 0; i < G_N_ELEMENTS (officers); i++)
    g_ptr_array_add (f->roster, g_strdup (officers[i]));
  for (guint i = 1; i <= f->spec->n_members; i++)
    g_ptr_array_add (f->roster, g_strdup_printf ("m%02u", i));
  for (guint i = 0; i < f->roster->len; i++)
    g_hash_table_insert (f->identities, g_strdup (g_ptr_array_index (f->roster, i)),
                         gremium_identity_new ());
  /* Someone who is on no roster. */
  g_hash_table_insert (f->identities, g_strdup ("outsider"), gremium_identity_new ());

  f->meeting = gremium_meeting_new (gremium_identity_get_public_key (f->server));
  g_signal_connect (f->meeting, "entry-applied", G_CALLBACK (entry_applied_cb), f);
  g_signal_connect (f->meeting, "notify", G_CALLBACK (notify_cb), f);
  g_signal_connect (f->meeting, "mute-requested", G_CALLBACK (mute_requested_cb), f);
  g_signal_connect (f->meeting, "quorum-confirmed", G_CALLBACK (quorum_confirmed_cb), f);

  if (f->spec->create)
    accept (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_MEETING_CREATE, create_data (f));
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_assert_finalize_object (f->meeting);
  g_assert_finalize_object (f->server);
  g_clear_pointer (&f->identities, g_hash_table_unref);
  g_clear_pointer (&f->roster, g_ptr_array_unref);
  g_clear_pointer (&f->mute_member, g_free);
  g_clear_pointer (&f->mute_chair, g_free);
}

/* Lets @member_id take part: joins, and is admitted unless they never wait. */
static void
attend (Fixture    *f,
        const char *member_id)
{
  accept (f, member_id, GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  if (presence (f, member_id) == GREMIUM_PRESENCE_LOBBY)
    {
      g_autoptr(JsonObject) data = json_object_new ();
      const char *admitter = presence (f, "chair") == GREMIUM_PRESENCE_PRESENT ? "chair" : "deputy";

      json_object_set_string_member (data, "member", member_id);
      accept (f, admitter, GREMIUM_KIND_LOBBY_ADMIT, g_steal_pointer (&data));
    }
  g_assert_cmpint (presence (f, member_id), ==, GREMIUM_PRESENCE_PRESENT);
}

static JsonObject *
with_member (const char *member_id)
{
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "member", member_id);
  return data;
}

static JsonObject *
agenda_entry (JsonObject *create,
              guint       position)
{
  return json_array_get_object_element (json_object_get_array_member (create, "agenda"), position);
}

static JsonArray *
roster_of (JsonObject *create)
{
  return json_object_get_array_member (create, "members");
}

static JsonObject *
roster_entry (JsonObject *create,
              const char *member_id)
{
  JsonArray *members = roster_of (create);

  for (guint i = 0; i < json_array_get_length (members); i++)
    {
      JsonObject *member = json_array_get_object_element (members, i);

      if (g_str_equal (json_object_get_string_member (member, "id"), member_id))
        return member;
    }

  g_assert_not_reached ();
}

/* Takes @data. */
static void
refuse_create (Fixture      *f,
               JsonObject   *data,
               GremiumError  code)
{
  refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_MEETING_CREATE, data, code);
  g_assert_null (gremium_meeting_get_id (f->meeting));
  g_assert_cmpuint (gremium_meeting_get_n_entries (f->meeting), ==, 0);
}

static void
test_create_valid (Fixture       *f,
                   gconstpointer  data)
{
  GListModel *members;
  GremiumMember *chair;
  GremiumMember *clerk;
  const guint8 *chair_key;

  accept (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_MEETING_CREATE, create_data (f));

  g_assert_cmpstr (gremium_meeting_get_id (f->meeting), ==, MEETING_ID);
  g_assert_cmpstr (gremium_meeting_get_title (f->meeting), ==, "3. Sitzung des Gemeinderates");
  g_assert_cmpstr (gremium_meeting_get_body_name (f->meeting), ==, "Gemeinderat Musterstadt");
  g_assert_cmpstr (gremium_meeting_get_place (f->meeting), ==, "Rathaus, Ratssaal");
  g_assert_cmpstr (gremium_meeting_get_server_name (f->meeting), ==, "localhost");
  g_assert_cmpint (gremium_meeting_get_scheduled (f->meeting), ==, f->now - 1000);
  g_assert_cmpint (gremium_meeting_get_quorum_base (f->meeting), ==, GREMIUM_QUORUM_BASE_MEMBERS);
  g_assert_false (gremium_meeting_get_opened (f->meeting));
  g_assert_cmpuint (f->counters.applied, ==, 1);

  members = gremium_meeting_get_members (f->meeting);
  g_assert_cmpuint (g_list_model_get_n_items (members), ==, 13);
  chair = gremium_meeting_lookup_member (f->meeting, "chair");
  g_assert_cmpint (gremium_member_get_role (chair), ==, GREMIUM_ROLE_CHAIR);
  g_assert_cmpint (gremium_member_get_presence (chair), ==, GREMIUM_PRESENCE_ABSENT);
  chair_key = gremium_identity_get_public_key (identity_of (f, "chair"));
  g_assert_true (gremium_member_has_key (chair, chair_key));
  clerk = gremium_meeting_lookup_member (f->meeting, "clerk");
  g_assert_cmpint (gremium_member_get_role (clerk), ==, GREMIUM_ROLE_MINUTE_TAKER);
  g_assert_null (gremium_meeting_lookup_member (f->meeting, "outsider"));

  g_assert_cmpuint (g_list_model_get_n_items (gremium_meeting_get_agenda (f->meeting)), ==, 3);
  g_assert_true (gremium_agenda_item_get_public (item (f, 1)));
  g_assert_false (gremium_agenda_item_get_public (item (f, 3)));
  g_assert_null (gremium_meeting_lookup_item (f->meeting, 0));
  g_assert_null (gremium_meeting_lookup_item (f->meeting, 4));
  g_assert_null (gremium_meeting_get_current_item (f->meeting));

  /* A record has one beginning. */
  refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_MEETING_CREATE, create_data (f),
          GREMIUM_ERROR_INVALID_STATE);
}

static void
test_create_invalid (Fixture       *f,
                     gconstpointer  data)
{
  JsonObject *create;
  g_autoptr(GremiumIdentity) impostor = gremium_identity_new ();
  g_autoptr(GremiumStatement) forged = NULL;
  g_autoptr(JsonObject) forged_data = NULL;

  /* The record must begin with the meeting's creation. */
  refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ATTENDANCE_LEAVE,
          obj ("{'member':'m01','reason':'connection-lost'}"), GREMIUM_ERROR_INVALID_STATE);

  /* Exactly one chair. */
  create = create_data (f);
  json_object_set_string_member (roster_entry (create, "chair"), "role", "member");
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_object_set_string_member (roster_entry (create, "deputy"), "role", "chair");
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  /* Agenda items are numbered 1, 2, 3… in order. */
  create = create_data (f);
  json_object_set_int_member (agenda_entry (create, 1), "id", 3);
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_object_set_int_member (agenda_entry (create, 0), "id", 0);
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_object_set_int_member (agenda_entry (create, 0), "id", 2);
  json_object_set_int_member (agenda_entry (create, 1), "id", 1);
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  /* Keys: not base64 of 32 bytes, not a usable point, not a string, too many. */
  {
    static const char * const bad_keys[] = {
      "AAAA",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",     /* 32 zero bytes: small order */
      "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",     /* the neutral element */
      "not base64 at all!",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad_keys); i++)
      {
        JsonArray *keys = json_array_new ();

        json_array_add_string_element (keys, bad_keys[i]);
        create = create_data (f);
        json_object_set_array_member (roster_entry (create, "m01"), "keys", keys);
        refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);
      }
  }

  create = create_data (f);
  json_array_add_int_element (json_object_get_array_member (roster_entry (create, "m02"), "keys"),
                              5);
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  for (guint i = 0; i < GREMIUM_MAX_KEYS_PER_MEMBER; i++)
    {
      g_autoptr(GremiumIdentity) device = gremium_identity_new ();
      g_autofree char *key = gremium_identity_dup_public_key_base64 (device);

      JsonArray *keys = json_object_get_array_member (roster_entry (create, "m03"), "keys");

      json_array_add_string_element (keys, key);
    }
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  /* Duplicate and invalid member ids, unknown roles. */
  create = create_data (f);
  json_array_add_object_element (roster_of (create),
                                 obj ("{'id':'m01','name':'Zweite','role':'member','keys':[]}"));
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_object_set_string_member (roster_entry (create, "m04"), "id", "M04");
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_object_set_string_member (roster_entry (create, "m04"), "id", GREMIUM_AUTHOR_SERVER);
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_object_set_string_member (roster_entry (create, "m05"), "role", "president");
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_array_add_string_element (roster_of (create), "m99");
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  /* Unknown fields anywhere, missing or malformed ones. */
  create = create_data (f);
  json_object_set_string_member (create, "chairperson", "chair");
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_object_set_string_member (roster_entry (create, "m06"), "email", "m06@example.org");
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_object_set_int_member (agenda_entry (create, 2), "minutes", 30);
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_object_set_string_member (json_object_get_object_member (create, "rules"), "majority",
                                 "simple");
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_object_set_string_member (json_object_get_object_member (create, "rules"), "quorum_base",
                                 "all");
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_object_remove_member (create, "title");
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_object_set_string_member (create, "title", "");
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  create = create_data (f);
  json_object_set_string_member (create, "scheduled", "morgen um fünf");
  refuse_create (f, create, GREMIUM_ERROR_INVALID_FIELD);

  /* Only the server's key creates a meeting; a member cannot, since before
   * the creation there is no roster to know them by.
   */
  forged_data = create_data (f);
  forged = gremium_statement_build (impostor, GREMIUM_KIND_MEETING_CREATE, MEETING_ID,
                                    GREMIUM_AUTHOR_SERVER, f->now, forged_data);
  refuse_statement (f, forged, f->now, GREMIUM_ERROR_BAD_SIGNATURE);
  refuse (f, "chair", GREMIUM_KIND_MEETING_CREATE, create_data (f), GREMIUM_ERROR_UNKNOWN_MEMBER);

  /* After all that, the valid creation still goes through. */
  g_assert_cmpuint (f->counters.applied, ==, 0);
  accept (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_MEETING_CREATE, create_data (f));
  g_assert_cmpstr (gremium_meeting_get_id (f->meeting), ==, MEETING_ID);
}

static void
test_lobby (Fixture       *f,
            gconstpointer  data)
{
  GremiumMember *m01 = gremium_meeting_lookup_member (f->meeting, "m01");
  GArray *stretches;

  /* The chair and the deputy never wait; everyone else does. */
  accept (f, "chair", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  g_assert_cmpint (presence (f, "chair"), ==, GREMIUM_PRESENCE_PRESENT);
  accept (f, "deputy", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  g_assert_cmpint (presence (f, "deputy"), ==, GREMIUM_PRESENCE_PRESENT);

  accept (f, "m01", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  g_assert_cmpint (presence (f, "m01"), ==, GREMIUM_PRESENCE_LOBBY);
  g_assert_cmpuint (gremium_member_get_attendance (m01)->len, ==, 0);
  accept (f, "clerk", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  g_assert_cmpint (presence (f, "clerk"), ==, GREMIUM_PRESENCE_LOBBY);
  accept (f, "guest", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  g_assert_cmpint (presence (f, "guest"), ==, GREMIUM_PRESENCE_LOBBY);

  /* Joining twice, admitting someone not waiting, a member admitting. */
  refuse (f, "m01", GREMIUM_KIND_ATTENDANCE_JOIN, NULL, GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, with_member ("m02"), GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, with_member ("deputy"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, with_member ("nobody"),
          GREMIUM_ERROR_UNKNOWN_MEMBER);
  refuse (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, obj ("{'member':'m01','note':'x'}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, NULL, GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "m01", GREMIUM_KIND_LOBBY_ADMIT, with_member ("m01"), GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "clerk", GREMIUM_KIND_LOBBY_ADMIT, with_member ("m01"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  /* The deputy has no chair powers while the chair is present. */
  refuse (f, "deputy", GREMIUM_KIND_LOBBY_ADMIT, with_member ("m01"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  /* The server witnesses only lost connections. */
  refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_LOBBY_ADMIT, with_member ("m01"),
          GREMIUM_ERROR_PERMISSION_DENIED);

  accept (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, with_member ("m01"));
  g_assert_cmpint (presence (f, "m01"), ==, GREMIUM_PRESENCE_PRESENT);
  g_assert_true (gremium_member_get_admitted (m01));
  stretches = gremium_member_get_attendance (m01);
  g_assert_cmpuint (stretches->len, ==, 1);
  g_assert_cmpint (g_array_index (stretches, GremiumAttendance, 0).left, ==, 0);

  accept (f, "chair", GREMIUM_KIND_LOBBY_DENY, with_member ("guest"));
  g_assert_cmpint (presence (f, "guest"), ==, GREMIUM_PRESENCE_ABSENT);
  g_assert_cmpstr (leave_reason (f, "guest"), ==, "denied");
  /* A denied guest may ask again, and waits again. */
  accept (f, "guest", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  g_assert_cmpint (presence (f, "guest"), ==, GREMIUM_PRESENCE_LOBBY);

  /* Leaving: only oneself, only with the reason "left". */
  refuse (f, "m01", GREMIUM_KIND_ATTENDANCE_LEAVE, obj ("{'member':'m02','reason':'left'}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "chair", GREMIUM_KIND_ATTENDANCE_LEAVE, obj ("{'member':'m01','reason':'left'}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "m01", GREMIUM_KIND_ATTENDANCE_LEAVE,
          obj ("{'member':'m01','reason':'connection-lost'}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "m01", GREMIUM_KIND_ATTENDANCE_LEAVE, obj ("{'member':'m01'}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ATTENDANCE_LEAVE,
          obj ("{'member':'m01','reason':'left'}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "m02", GREMIUM_KIND_ATTENDANCE_LEAVE, obj ("{'member':'m02','reason':'left'}"),
          GREMIUM_ERROR_INVALID_STATE);

  accept (f, "m01", GREMIUM_KIND_ATTENDANCE_LEAVE, obj ("{'member':'m01','reason':'left'}"));
  g_assert_cmpint (presence (f, "m01"), ==, GREMIUM_PRESENCE_ABSENT);
  g_assert_cmpstr (gremium_member_get_leave_reason (m01), ==, "left");
  g_assert_cmpint (g_array_index (stretches, GremiumAttendance, 0).left, ==, f->now - 1000);

  /* Admitted once, back directly. */
  accept (f, "m01", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  g_assert_cmpint (presence (f, "m01"), ==, GREMIUM_PRESENCE_PRESENT);
  g_assert_cmpuint (gremium_member_get_attendance (m01)->len, ==, 2);
  g_assert_null (gremium_member_get_leave_reason (m01));

  /* The server records a lost connection, also for someone in the lobby. */
  accept (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ATTENDANCE_LEAVE,
          obj ("{'member':'guest','reason':'connection-lost'}"));
  g_assert_cmpint (presence (f, "guest"), ==, GREMIUM_PRESENCE_ABSENT);
  g_assert_cmpstr (leave_reason (f, "guest"), ==, "connection-lost");

  /* A chair who is not present cannot admit. */
  accept (f, "chair", GREMIUM_KIND_ATTENDANCE_LEAVE, obj ("{'member':'chair','reason':'left'}"));
  accept (f, "chair", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  accept (f, "chair", GREMIUM_KIND_ATTENDANCE_LEAVE, obj ("{'member':'chair','reason':'left'}"));
  refuse (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, with_member ("clerk"),
          GREMIUM_ERROR_NOT_PARTICIPANT);
}

static void
test_deputy (Fixture       *f,
             gconstpointer  data)
{
  /* Nobody present: the deputy holds the powers, the chair keeps them. */
  g_assert_true (gremium_meeting_has_chair_powers (f->meeting, "chair"));
  g_assert_true (gremium_meeting_has_chair_powers (f->meeting, "deputy"));
  g_assert_false (gremium_meeting_has_chair_powers (f->meeting, "m01"));
  g_assert_false (gremium_meeting_has_chair_powers (f->meeting, "nobody"));

  accept (f, "deputy", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  accept (f, "m01", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  accept (f, "m02", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);

  /* The chair is absent, so the deputy runs the meeting. */
  accept (f, "deputy", GREMIUM_KIND_LOBBY_ADMIT, with_member ("m01"));
  accept (f, "deputy", GREMIUM_KIND_MEETING_OPEN, NULL);
  accept (f, "deputy", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':1}"));

  /* The chair arrives and takes over. */
  accept (f, "chair", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  g_assert_false (gremium_meeting_has_chair_powers (f->meeting, "deputy"));
  refuse (f, "deputy", GREMIUM_KIND_LOBBY_ADMIT, with_member ("m02"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "deputy", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':2}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "deputy", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m01','limit':0}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  accept (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, with_member ("m02"));

  /* The chair's connection is lost: the deputy again. */
  accept (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ATTENDANCE_LEAVE,
          obj ("{'member':'chair','reason':'connection-lost'}"));
  g_assert_true (gremium_meeting_has_chair_powers (f->meeting, "deputy"));
  accept (f, "deputy", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':2}"));
  g_assert_cmpuint (gremium_agenda_item_get_id (gremium_meeting_get_current_item (f->meeting)), ==,
                    2);

  /* A member never, whoever is absent. */
  refuse (f, "m01", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':3}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
}

static void
test_agenda (Fixture       *f,
             gconstpointer  data)
{
  attend (f, "chair");
  attend (f, "m01");

  /* An item is called only in an open meeting. */
  refuse (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':1}"), GREMIUM_ERROR_INVALID_STATE);
  accept (f, "chair", GREMIUM_KIND_MEETING_OPEN, NULL);
  g_assert_cmpuint (f->counters.opened_notify, ==, 1);

  refuse (f, "m01", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':1}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':0}"), GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':4}"), GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':'1'}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':1,'public':true}"),
          GREMIUM_ERROR_INVALID_FIELD);

  accept (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':1}"));
  g_assert_cmpuint (f->counters.item_notify, ==, 1);
  g_assert_true (gremium_meeting_get_current_item (f->meeting) == item (f, 1));
  refuse (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':1}"), GREMIUM_ERROR_INVALID_STATE);
  accept (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':3}"));
  g_assert_cmpuint (f->counters.item_notify, ==, 2);

  /* Public and non-public. */
  refuse (f, "m01", GREMIUM_KIND_AGENDA_VISIBILITY, obj ("{'item':3,'public':true}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "chair", GREMIUM_KIND_AGENDA_VISIBILITY, obj ("{'item':3,'public':false}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_AGENDA_VISIBILITY, obj ("{'item':3}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "chair", GREMIUM_KIND_AGENDA_VISIBILITY, obj ("{'item':9,'public':true}"),
          GREMIUM_ERROR_INVALID_STATE);
  accept (f, "chair", GREMIUM_KIND_AGENDA_VISIBILITY, obj ("{'item':3,'public':true}"));
  g_assert_true (gremium_agenda_item_get_public (item (f, 3)));
  accept (f, "chair", GREMIUM_KIND_AGENDA_VISIBILITY, obj ("{'item':1,'public':false}"));
  g_assert_false (gremium_agenda_item_get_public (item (f, 1)));

  /* Adding an item gives it the next number. */
  refuse (f, "m01", GREMIUM_KIND_AGENDA_ADD, obj ("{'title':'Dringlichkeitsantrag','public':true}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "chair", GREMIUM_KIND_AGENDA_ADD, obj ("{'title':'','public':true}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "chair", GREMIUM_KIND_AGENDA_ADD, obj ("{'title':'Antrag'}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "chair", GREMIUM_KIND_AGENDA_ADD, obj ("{'id':4,'title':'Antrag','public':true}"),
          GREMIUM_ERROR_INVALID_FIELD);
  accept (f, "chair", GREMIUM_KIND_AGENDA_ADD,
          obj ("{'title':'Dringlichkeitsantrag','public':false}"));
  g_assert_cmpuint (g_list_model_get_n_items (gremium_meeting_get_agenda (f->meeting)), ==, 4);
  g_assert_cmpstr (gremium_agenda_item_get_title (item (f, 4)), ==, "Dringlichkeitsantrag");
  g_assert_false (gremium_agenda_item_get_public (item (f, 4)));
  accept (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':4}"));
}

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_auto(GStrv) conflicts = NULL;

  attend (f, "chair");
  attend (f, "m01");
  attend (f, "m02");
  attend (f, "guest");
  accept (f, "m03", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);

  /* A member declares their own interest. */
  accept (f, "m01", GREMIUM_KIND_CONFLICT_DECLARE,
          obj ("{'item':2,'member':'m01','reason':'Grundstück im Plangebiet'}"));
  g_assert_true (gremium_agenda_item_has_conflict (item (f, 2), "m01"));
  g_assert_cmpstr (gremium_agenda_item_get_conflict_reason (item (f, 2), "m01"), ==,
                   "Grundstück im Plangebiet");
  g_assert_false (gremium_agenda_item_has_conflict (item (f, 1), "m01"));
  refuse (f, "m01", GREMIUM_KIND_CONFLICT_DECLARE,
          obj ("{'item':2,'member':'m01','reason':'again'}"),
          GREMIUM_ERROR_INVALID_STATE);

  /* Only the chair marks others, and only the chair lifts an exclusion. */
  refuse (f, "m02", GREMIUM_KIND_CONFLICT_DECLARE, obj ("{'item':2,'member':'m01','reason':'x'}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "m02", GREMIUM_KIND_CONFLICT_DECLARE, obj ("{'item':2,'member':'m04','reason':'x'}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "m01", GREMIUM_KIND_CONFLICT_WITHDRAW, obj ("{'item':2,'member':'m01'}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  accept (f, "chair", GREMIUM_KIND_CONFLICT_DECLARE,
          obj ("{'item':2,'member':'m04','reason':'Verwandter des Antragstellers'}"));
  g_assert_true (gremium_agenda_item_has_conflict (item (f, 2), "m04"));

  /* Only voting members can be excluded. */
  refuse (f, "chair", GREMIUM_KIND_CONFLICT_DECLARE,
          obj ("{'item':2,'member':'guest','reason':'x'}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_CONFLICT_DECLARE,
          obj ("{'item':2,'member':'clerk','reason':'x'}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "guest", GREMIUM_KIND_CONFLICT_DECLARE,
          obj ("{'item':2,'member':'guest','reason':'x'}"),
          GREMIUM_ERROR_INVALID_STATE);

  /* Malformed or out of place. */
  refuse (f, "m02", GREMIUM_KIND_CONFLICT_DECLARE, obj ("{'item':2,'member':'m02'}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "m02", GREMIUM_KIND_CONFLICT_DECLARE, obj ("{'item':7,'member':'m02','reason':'x'}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "m02", GREMIUM_KIND_CONFLICT_DECLARE,
          obj ("{'item':2,'member':'nobody','reason':'x'}"),
          GREMIUM_ERROR_UNKNOWN_MEMBER);
  refuse (f, "m03", GREMIUM_KIND_CONFLICT_DECLARE, obj ("{'item':2,'member':'m03','reason':'x'}"),
          GREMIUM_ERROR_NOT_PARTICIPANT);
  refuse (f, "chair", GREMIUM_KIND_CONFLICT_WITHDRAW, obj ("{'item':2,'member':'m02'}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_CONFLICT_WITHDRAW,
          obj ("{'item':2,'member':'m01','reason':'x'}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_CONFLICT_DECLARE,
          obj ("{'item':2,'member':'m02','reason':'x'}"), GREMIUM_ERROR_PERMISSION_DENIED);

  accept (f, "chair", GREMIUM_KIND_CONFLICT_WITHDRAW, obj ("{'item':2,'member':'m01'}"));
  conflicts = gremium_agenda_item_dup_conflicts (item (f, 2));
  g_assert_cmpstrv (conflicts, ((const char * const[]) { "m04", NULL }));
}

/* The voting members m01… present with the chair and the deputy. */
static void
attend_members (Fixture *f,
                guint    n)
{
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%02u", i);

      attend (f, id);
    }
}

static void
assert_quorum (Fixture  *f,
               guint     members,
               guint     excluded,
               guint     present,
               guint     required,
               gboolean  reached)
{
  GremiumQuorum quorum;
  gboolean property;

  gremium_meeting_get_quorum (f->meeting, &quorum);
  g_assert_cmpuint (quorum.members, ==, members);
  g_assert_cmpuint (quorum.excluded, ==, excluded);
  g_assert_cmpuint (quorum.present, ==, present);
  g_assert_cmpuint (quorum.required, ==, required);
  g_assert_cmpint (quorum.reached, ==, reached);

  g_object_get (f->meeting, "quorum-reached", &property, NULL);
  g_assert_cmpint (property, ==, reached);
}

static void
test_quorum_boundary (Fixture       *f,
                      gconstpointer  data)
{
  /* 21 voting members (chair, deputy, 19 members); 11 are needed. Staff,
   * guests and the minute-taker do not count.
   */
  assert_quorum (f, 21, 0, 0, 11, FALSE);

  attend (f, "chair");
  attend (f, "clerk");
  attend (f, "staff");
  attend (f, "guest");
  attend_members (f, 9);
  assert_quorum (f, 21, 0, 10, 11, FALSE);
  g_assert_cmpuint (f->counters.quorum_notify, ==, 0);

  attend (f, "m10");
  assert_quorum (f, 21, 0, 11, 11, TRUE);
  g_assert_cmpuint (f->counters.quorum_notify, ==, 1);

  /* More members do not notify again; one leaving at the edge does. */
  attend (f, "deputy");
  assert_quorum (f, 21, 0, 12, 11, TRUE);
  g_assert_cmpuint (f->counters.quorum_notify, ==, 1);

  accept (f, "deputy", GREMIUM_KIND_ATTENDANCE_LEAVE, obj ("{'member':'deputy','reason':'left'}"));
  accept (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ATTENDANCE_LEAVE,
          obj ("{'member':'m10','reason':'connection-lost'}"));
  assert_quorum (f, 21, 0, 10, 11, FALSE);
  g_assert_cmpuint (f->counters.quorum_notify, ==, 2);

  /* A member in the lobby is not present. */
  accept (f, "m11", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  assert_quorum (f, 21, 0, 10, 11, FALSE);
  accept (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, with_member ("m11"));
  assert_quorum (f, 21, 0, 11, 11, TRUE);
  g_assert_cmpuint (f->counters.quorum_notify, ==, 3);
}

static void
test_quorum_conflict (Fixture       *f,
                      gconstpointer  data)
{
  gboolean reduced = f->spec->quorum_base == GREMIUM_QUORUM_BASE_MEMBERS_NOT_EXCLUDED;

  attend (f, "chair");
  attend_members (f, 11);
  accept (f, "chair", GREMIUM_KIND_MEETING_OPEN, NULL);
  accept (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':1}"));
  assert_quorum (f, 21, 0, 12, 11, TRUE);

  /* Befangenheit on an item that is not under discussion changes nothing. */
  accept (f, "m01", GREMIUM_KIND_CONFLICT_DECLARE, obj ("{'item':2,'member':'m01','reason':'x'}"));
  accept (f, "chair", GREMIUM_KIND_CONFLICT_DECLARE,
          obj ("{'item':2,'member':'m02','reason':'x'}"));
  /* An absent member's exclusion still counts as an exclusion. */
  accept (f, "chair", GREMIUM_KIND_CONFLICT_DECLARE,
          obj ("{'item':2,'member':'m19','reason':'x'}"));
  assert_quorum (f, 21, 0, 12, 11, TRUE);
  g_assert_cmpuint (f->counters.quorum_notify, ==, 1);

  /* On item 2 three are excluded, two of them present: 10 remain. With the
   * default rule 11 of 21 are still needed; with the reduced base 18, so
   * 10 suffice.
   */
  accept (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':2}"));
  if (reduced)
    {
      assert_quorum (f, 21, 3, 10, 10, TRUE);
      g_assert_cmpuint (f->counters.quorum_notify, ==, 1);
    }
  else
    {
      assert_quorum (f, 21, 3, 10, 11, FALSE);
      g_assert_cmpuint (f->counters.quorum_notify, ==, 2);
    }

  /* One more present member excluded. */
  accept (f, "m03", GREMIUM_KIND_CONFLICT_DECLARE, obj ("{'item':2,'member':'m03','reason':'x'}"));
  if (reduced)
    {
      /* Base 17, 9 needed, 9 present. */
      assert_quorum (f, 21, 4, 9, 9, TRUE);
      g_assert_cmpuint (f->counters.quorum_notify, ==, 1);
    }
  else
    assert_quorum (f, 21, 4, 9, 11, FALSE);

  accept (f, "m04", GREMIUM_KIND_CONFLICT_DECLARE, obj ("{'item':2,'member':'m04','reason':'x'}"));
  if (reduced)
    {
      /* Base 16, 9 needed, 8 present. */
      assert_quorum (f, 21, 5, 8, 9, FALSE);
      g_assert_cmpuint (f->counters.quorum_notify, ==, 2);
    }
  else
    assert_quorum (f, 21, 5, 8, 11, FALSE);

  /* The chair lifts three exclusions; back to item 1, where nobody is. */
  accept (f, "chair", GREMIUM_KIND_CONFLICT_WITHDRAW, obj ("{'item':2,'member':'m01'}"));
  accept (f, "chair", GREMIUM_KIND_CONFLICT_WITHDRAW, obj ("{'item':2,'member':'m02'}"));
  accept (f, "chair", GREMIUM_KIND_CONFLICT_WITHDRAW, obj ("{'item':2,'member':'m03'}"));
  if (reduced)
    assert_quorum (f, 21, 2, 11, 10, TRUE);
  else
    assert_quorum (f, 21, 2, 11, 11, TRUE);

  accept (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':1}"));
  assert_quorum (f, 21, 0, 12, 11, TRUE);
}

static void
test_quorum_confirm (Fixture       *f,
                     gconstpointer  data)
{
  attend (f, "chair");
  attend_members (f, 5);
  accept (f, "chair", GREMIUM_KIND_MEETING_OPEN, NULL);

  /* 10 voting members, 6 present, 6 required. */
  assert_quorum (f, 10, 0, 6, 6, TRUE);

  refuse (f, "m01", GREMIUM_KIND_QUORUM_CONFIRM,
          obj ("{'members':10,'present':6,'required':6,'reached':true}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "chair", GREMIUM_KIND_QUORUM_CONFIRM,
          obj ("{'members':11,'present':6,'required':6,'reached':true}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_QUORUM_CONFIRM,
          obj ("{'members':10,'present':7,'required':6,'reached':true}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_QUORUM_CONFIRM,
          obj ("{'members':10,'present':6,'required':5,'reached':true}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_QUORUM_CONFIRM,
          obj ("{'members':10,'present':6,'required':6,'reached':false}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_QUORUM_CONFIRM,
          obj ("{'members':10,'present':6,'required':6}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "chair", GREMIUM_KIND_QUORUM_CONFIRM,
          obj ("{'members':10,'present':6,'required':6,'reached':true,'excluded':0}"),
          GREMIUM_ERROR_INVALID_FIELD);

  accept (f, "chair", GREMIUM_KIND_QUORUM_CONFIRM,
          obj ("{'members':10,'present':6,'required':6,'reached':true}"));
  g_assert_cmpuint (f->counters.confirmed, ==, 1);

  /* The chair may also record that the quorum is missing. */
  accept (f, "m05", GREMIUM_KIND_ATTENDANCE_LEAVE, obj ("{'member':'m05','reason':'left'}"));
  refuse (f, "chair", GREMIUM_KIND_QUORUM_CONFIRM,
          obj ("{'members':10,'present':6,'required':6,'reached':true}"),
          GREMIUM_ERROR_INVALID_STATE);
  accept (f, "chair", GREMIUM_KIND_QUORUM_CONFIRM,
          obj ("{'members':10,'present':5,'required':6,'reached':false}"));
  g_assert_cmpuint (f->counters.confirmed, ==, 2);
}

static void
assert_speakers (Fixture           *f,
                 const char * const *expected)
{
  GListModel *speakers = gremium_meeting_get_speakers (f->meeting);
  guint n = g_list_model_get_n_items (speakers);

  g_assert_cmpuint (n, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < n; i++)
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
#define NO_SPEAKERS ((const char * const[]) { NULL })

static void
test_speakers (Fixture       *f,
               gconstpointer  data)
{
  attend (f, "chair");
  attend_members (f, 5);
  accept (f, "m06", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  accept (f, "chair", GREMIUM_KIND_MEETING_OPEN, NULL);
  accept (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':1}"));

  accept (f, "m01", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'speech'}"));
  accept (f, "m02", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'speech'}"));
  accept (f, "m03", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'point-of-order'}"));
  accept (f, "m04", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'speech'}"));
  accept (f, "m05", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'point-of-order'}"));
  /* The same member may hold one request of each kind. */
  accept (f, "m01", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'point-of-order'}"));

  /* Points of order first, each kind in order of request. */
  assert_speakers (f, SPEAKERS ("m03!", "m05!", "m01!", "m01", "m02", "m04"));

  refuse (f, "m02", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'speech'}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "m02", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'shout'}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "m02", GREMIUM_KIND_SPEAKERS_REQUEST, NULL, GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "m06", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'speech'}"),
          GREMIUM_ERROR_NOT_PARTICIPANT);
  refuse (f, "m07", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'speech'}"),
          GREMIUM_ERROR_NOT_PARTICIPANT);
  refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'speech'}"),
          GREMIUM_ERROR_PERMISSION_DENIED);

  /* Withdrawing: one's own, or anyone's by the chair. */
  refuse (f, "m02", GREMIUM_KIND_SPEAKERS_WITHDRAW, obj ("{'member':'m04','type':'speech'}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "m02", GREMIUM_KIND_SPEAKERS_WITHDRAW,
          obj ("{'member':'m02','type':'point-of-order'}"),
          GREMIUM_ERROR_INVALID_STATE);
  accept (f, "m05", GREMIUM_KIND_SPEAKERS_WITHDRAW,
          obj ("{'member':'m05','type':'point-of-order'}"));
  accept (f, "chair", GREMIUM_KIND_SPEAKERS_WITHDRAW, obj ("{'member':'m04','type':'speech'}"));
  assert_speakers (f, SPEAKERS ("m03!", "m01!", "m01", "m02"));

  /* Granting the floor answers the request, the point of order first. */
  refuse (f, "m01", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m01','limit':0}"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m06','limit':0}"),
          GREMIUM_ERROR_NOT_PARTICIPANT);
  refuse (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m03','limit':3601}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m03','limit':-1}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m03'}"),
          GREMIUM_ERROR_INVALID_FIELD);
  g_assert_cmpuint (f->counters.speaker_notify, ==, 0);

  accept (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m03','limit':120}"));
  g_assert_cmpstr (gremium_meeting_get_current_speaker (f->meeting), ==, "m03");
  g_assert_cmpuint (gremium_meeting_get_speaker_limit (f->meeting), ==, 120);
  g_assert_cmpint (gremium_meeting_get_speaker_since (f->meeting), ==, f->now - 1000);
  g_assert_cmpuint (f->counters.speaker_notify, ==, 1);
  assert_speakers (f, SPEAKERS ("m01!", "m01", "m02"));

  accept (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m01','limit':0}"));
  assert_speakers (f, SPEAKERS ("m01", "m02"));
  g_assert_cmpuint (f->counters.speaker_notify, ==, 2);

  /* Finishing: the speaker or the chair, nobody else. */
  refuse (f, "m02", GREMIUM_KIND_SPEAKERS_FINISH, NULL, GREMIUM_ERROR_PERMISSION_DENIED);
  accept (f, "m01", GREMIUM_KIND_SPEAKERS_FINISH, NULL);
  g_assert_null (gremium_meeting_get_current_speaker (f->meeting));
  g_assert_cmpuint (gremium_meeting_get_speaker_limit (f->meeting), ==, 0);
  g_assert_cmpuint (f->counters.speaker_notify, ==, 3);
  refuse (f, "chair", GREMIUM_KIND_SPEAKERS_FINISH, NULL, GREMIUM_ERROR_INVALID_STATE);

  accept (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m01','limit':60}"));
  assert_speakers (f, SPEAKERS ("m02"));
  accept (f, "chair", GREMIUM_KIND_SPEAKERS_FINISH, NULL);
  g_assert_null (gremium_meeting_get_current_speaker (f->meeting));

  /* A speaker who leaves loses the floor and their requests. */
  accept (f, "m03", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'speech'}"));
  accept (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m02','limit':0}"));
  accept (f, "m02", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'point-of-order'}"));
  assert_speakers (f, SPEAKERS ("m02!", "m03"));
  accept (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ATTENDANCE_LEAVE,
          obj ("{'member':'m02','reason':'connection-lost'}"));
  g_assert_null (gremium_meeting_get_current_speaker (f->meeting));
  assert_speakers (f, SPEAKERS ("m03"));

  /* A new item starts with an empty list and nobody speaking. */
  accept (f, "m04", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'point-of-order'}"));
  accept (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m05','limit':0}"));
  accept (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':2}"));
  assert_speakers (f, NO_SPEAKERS);
  g_assert_null (gremium_meeting_get_current_speaker (f->meeting));
}

static void
test_chat (Fixture       *f,
           gconstpointer  data)
{
  GListModel *chat = gremium_meeting_get_chat (f->meeting);
  g_autoptr(GremiumChatMessage) message = NULL;
  g_autoptr(JsonObject) long_text = json_object_new ();
  g_autoptr(JsonObject) longest = json_object_new ();
  GString *text = g_string_new (NULL);

  attend (f, "chair");
  attend (f, "m01");
  accept (f, "m02", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);

  accept (f, "m01", GREMIUM_KIND_CHAT_MESSAGE, obj ("{'text':'Die Vorlage fehlt mir.'}"));
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 1);
  message = g_list_model_get_item (chat, 0);
  g_assert_cmpstr (gremium_chat_message_get_author_id (message), ==, "m01");
  g_assert_cmpstr (gremium_chat_message_get_text (message), ==, "Die Vorlage fehlt mir.");
  g_assert_cmpint (gremium_chat_message_get_time (message), ==, f->now - 1000);
  g_assert_cmpuint (gremium_chat_message_get_entry_index (message), ==,
                    gremium_meeting_get_n_entries (f->meeting) - 1);

  /* 2000 characters is the limit, counted in characters, not bytes. */
  for (guint i = 0; i < GREMIUM_MAX_CHAT_LENGTH; i++)
    g_string_append (text, "ü");
  json_object_set_string_member (longest, "text", text->str);
  accept (f, "chair", GREMIUM_KIND_CHAT_MESSAGE, json_object_ref (longest));
  g_string_append (text, "ü");
  json_object_set_string_member (long_text, "text", text->str);
  refuse (f, "chair", GREMIUM_KIND_CHAT_MESSAGE, json_object_ref (long_text),
          GREMIUM_ERROR_INVALID_FIELD);
  g_string_free (text, TRUE);

  refuse (f, "m01", GREMIUM_KIND_CHAT_MESSAGE, obj ("{'text':''}"), GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "m01", GREMIUM_KIND_CHAT_MESSAGE, obj ("{'text':'a\\u0007b'}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "m01", GREMIUM_KIND_CHAT_MESSAGE, obj ("{'text':'\\u202egnilleps'}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "m01", GREMIUM_KIND_CHAT_MESSAGE, obj ("{'text':'x','to':'m02'}"),
          GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "m01", GREMIUM_KIND_CHAT_MESSAGE, obj ("{'text':5}"), GREMIUM_ERROR_INVALID_FIELD);
  refuse (f, "m02", GREMIUM_KIND_CHAT_MESSAGE, obj ("{'text':'aus der Lobby'}"),
          GREMIUM_ERROR_NOT_PARTICIPANT);
  refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_CHAT_MESSAGE, obj ("{'text':'Wartung'}"),
          GREMIUM_ERROR_PERMISSION_DENIED);

  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 2);
}

static void
test_mute (Fixture       *f,
           gconstpointer  data)
{
  attend (f, "chair");
  attend (f, "m01");

  refuse (f, "m01", GREMIUM_KIND_MUTE_REQUEST, with_member ("chair"),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "chair", GREMIUM_KIND_MUTE_REQUEST, with_member ("m02"),
          GREMIUM_ERROR_NOT_PARTICIPANT);
  refuse (f, "chair", GREMIUM_KIND_MUTE_REQUEST, with_member ("nobody"),
          GREMIUM_ERROR_UNKNOWN_MEMBER);
  refuse (f, "chair", GREMIUM_KIND_MUTE_REQUEST, obj ("{'member':'m01','all':true}"),
          GREMIUM_ERROR_INVALID_FIELD);
  g_assert_cmpuint (f->counters.mute, ==, 0);

  accept (f, "chair", GREMIUM_KIND_MUTE_REQUEST, with_member ("m01"));
  g_assert_cmpuint (f->counters.mute, ==, 1);
  g_assert_cmpstr (f->mute_member, ==, "m01");
  g_assert_cmpstr (f->mute_chair, ==, "chair");

  /* Everyone but the chair. */
  accept (f, "chair", GREMIUM_KIND_MUTE_REQUEST, NULL);
  g_assert_cmpuint (f->counters.mute, ==, 2);
  g_assert_null (f->mute_member);
}

static void
test_open_close (Fixture       *f,
                 gconstpointer  data)
{
  GremiumMember *m02;

  attend (f, "chair");
  attend (f, "m01");
  attend (f, "m02");
  accept (f, "m03", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);

  refuse (f, "m01", GREMIUM_KIND_MEETING_OPEN, NULL, GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "chair", GREMIUM_KIND_MEETING_CLOSE, NULL, GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_MEETING_OPEN, obj ("{'at':'now'}"), GREMIUM_ERROR_INVALID_FIELD);
  accept (f, "chair", GREMIUM_KIND_MEETING_OPEN, NULL);
  g_assert_true (gremium_meeting_get_opened (f->meeting));
  refuse (f, "chair", GREMIUM_KIND_MEETING_OPEN, NULL, GREMIUM_ERROR_INVALID_STATE);

  accept (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':1}"));
  accept (f, "m01", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'speech'}"));
  accept (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m02','limit':0}"));

  refuse (f, "m01", GREMIUM_KIND_MEETING_CLOSE, NULL, GREMIUM_ERROR_PERMISSION_DENIED);
  accept (f, "chair", GREMIUM_KIND_MEETING_CLOSE, NULL);
  g_assert_true (gremium_meeting_get_closed (f->meeting));
  g_assert_cmpuint (f->counters.closed_notify, ==, 1);
  g_assert_null (gremium_meeting_get_current_speaker (f->meeting));
  assert_speakers (f, NO_SPEAKERS);

  /* The record of a closed meeting is final: nobody changes anything. */
  refuse (f, "chair", GREMIUM_KIND_MEETING_CLOSE, NULL, GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_MEETING_OPEN, NULL, GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "m04", GREMIUM_KIND_ATTENDANCE_JOIN, NULL, GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "m01", GREMIUM_KIND_CHAT_MESSAGE, obj ("{'text':'Noch etwas'}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "m01", GREMIUM_KIND_ATTENDANCE_LEAVE, obj ("{'member':'m01','reason':'left'}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ATTENDANCE_LEAVE,
          obj ("{'member':'m01','reason':'connection-lost'}"), GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, with_member ("m03"), GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_AGENDA_SELECT, obj ("{'item':2}"), GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m01','limit':0}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "m02", GREMIUM_KIND_CONFLICT_DECLARE, obj ("{'item':1,'member':'m02','reason':'x'}"),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, "chair", GREMIUM_KIND_QUORUM_CONFIRM,
          obj ("{'members':10,'present':3,'required':6,'reached':false}"),
          GREMIUM_ERROR_INVALID_STATE);

  {
    g_autoptr(GremiumIdentity) device = gremium_identity_new ();
    g_autoptr(JsonObject) key_data = json_object_new ();
    g_autofree char *key = gremium_identity_dup_public_key_base64 (device);

    json_object_set_string_member (key_data, "member", "m02");
    json_object_set_string_member (key_data, "key", key);
    refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ROSTER_KEY_ADD, json_object_ref (key_data),
            GREMIUM_ERROR_INVALID_STATE);
  }

  /* Attendance stays as it was at the close. */
  m02 = gremium_meeting_lookup_member (f->meeting, "m02");
  g_assert_cmpint (gremium_member_get_presence (m02), ==, GREMIUM_PRESENCE_PRESENT);
}

static JsonObject *
key_data (const char      *member_id,
          GremiumIdentity *device)
{
  JsonObject *data = json_object_new ();
  g_autofree char *key = gremium_identity_dup_public_key_base64 (device);

  json_object_set_string_member (data, "member", member_id);
  json_object_set_string_member (data, "key", key);
  return data;
}

static void
test_signatures (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GremiumIdentity) stranger = gremium_identity_new ();
  g_autoptr(GremiumIdentity) device = gremium_identity_new ();
  g_autoptr(GremiumStatement) statement = NULL;
  g_autoptr(GremiumStatement) tampered = NULL;
  g_autoptr(JsonObject) chat = obj ("{'text':'Ich stimme zu'}");
  g_autoptr(JsonNode) envelope = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *tampered_json = NULL;
  g_autofree guint8 *sig = NULL;
  g_autofree char *sig_text = NULL;
  JsonObject *signature;
  JsonArray *signatures;
  gsize sig_len;

  attend (f, "chair");
  attend (f, "m01");
  attend (f, "m02");

  /* A key that is on no roster. */
  statement = gremium_statement_build (stranger, GREMIUM_KIND_CHAT_MESSAGE, MEETING_ID, "m01",
                                       f->now, chat);
  refuse_statement (f, statement, f->now, GREMIUM_ERROR_UNKNOWN_KEY);
  g_clear_object (&statement);

  /* Another member's key: m02 cannot speak for m01. */
  statement = gremium_statement_build (identity_of (f, "m02"), GREMIUM_KIND_CHAT_MESSAGE,
                                       MEETING_ID,
                                       "m01", f->now, chat);
  refuse_statement (f, statement, f->now, GREMIUM_ERROR_UNKNOWN_KEY);
  g_clear_object (&statement);

  /* Someone not on the roster at all. */
  statement = gremium_statement_build (identity_of (f, "outsider"), GREMIUM_KIND_CHAT_MESSAGE,
                                       MEETING_ID,
                                       "outsider", f->now, chat);
  refuse_statement (f, statement, f->now, GREMIUM_ERROR_UNKNOWN_MEMBER);
  g_clear_object (&statement);

  /* A statement in the server's name signed by another key. */
  {
    g_autoptr(JsonObject) leave = obj ("{'member':'m01','reason':'connection-lost'}");

    statement = gremium_statement_build (identity_of (f, "chair"), GREMIUM_KIND_ATTENDANCE_LEAVE,
                                         MEETING_ID,
                                         GREMIUM_AUTHOR_SERVER, f->now, leave);
    refuse_statement (f, statement, f->now, GREMIUM_ERROR_BAD_SIGNATURE);
    g_clear_object (&statement);
  }

  /* A signature with one bit flipped, on the member's own key. */
  statement = sign_at (f, "m01", GREMIUM_KIND_CHAT_MESSAGE, chat, f->now);
  json = gremium_statement_to_json (statement);
  envelope = json_from_string (json, &error);
  g_assert_no_error (error);
  signatures = json_object_get_array_member (json_node_get_object (envelope), "signatures");
  signature = json_array_get_object_element (signatures, 0);
  sig = gremium_base64_decode (json_object_get_string_member (signature, "sig"), &sig_len, &error);
  g_assert_no_error (error);
  sig[17] ^= 0x04;
  sig_text = gremium_base64_encode (sig, sig_len);
  json_object_set_string_member (signature, "sig", sig_text);
  tampered_json = json_to_string (envelope, FALSE);
  tampered = gremium_statement_new_from_json (tampered_json, -1, &error);
  g_assert_no_error (error);
  refuse_statement (f, tampered, f->now, GREMIUM_ERROR_BAD_SIGNATURE);

  /* The untampered original is fine. */
  apply_statement (f, statement, &error);
  g_assert_no_error (error);

  /* A second device of m01 joins the roster through the server. */
  refuse (f, "chair", GREMIUM_KIND_ROSTER_KEY_ADD, key_data ("m01", device),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, "m01", GREMIUM_KIND_ROSTER_KEY_ADD, key_data ("m01", device),
          GREMIUM_ERROR_PERMISSION_DENIED);
  refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ROSTER_KEY_ADD, key_data ("nobody", device),
          GREMIUM_ERROR_UNKNOWN_MEMBER);
  refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ROSTER_KEY_ADD,
          key_data ("m01", identity_of (f, "m01")),
          GREMIUM_ERROR_INVALID_STATE);
  refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ROSTER_KEY_ADD,
          obj ("{'member':'m01','key':'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='}"),
          GREMIUM_ERROR_INVALID_FIELD);
  g_clear_object (&statement);
  statement = gremium_statement_build (device, GREMIUM_KIND_CHAT_MESSAGE, MEETING_ID, "m01", f->now,
                                       chat);
  refuse_statement (f, statement, f->now, GREMIUM_ERROR_UNKNOWN_KEY);

  accept (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ROSTER_KEY_ADD, key_data ("m01", device));
  g_assert_cmpuint (gremium_member_get_n_keys (gremium_meeting_lookup_member (f->meeting, "m01")),
                    ==, 2);
  g_clear_object (&statement);
  statement = gremium_statement_build (device, GREMIUM_KIND_CHAT_MESSAGE, MEETING_ID, "m01", f->now,
                                       chat);
  apply_statement (f, statement, &error);
  g_assert_no_error (error);

  /* Revoked, it signs nothing more. */
  accept (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ROSTER_KEY_REVOKE, key_data ("m01", device));
  refuse (f, GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ROSTER_KEY_REVOKE, key_data ("m01", device),
          GREMIUM_ERROR_INVALID_STATE);
  g_clear_object (&statement);
  statement = gremium_statement_build (device, GREMIUM_KIND_CHAT_MESSAGE, MEETING_ID, "m01", f->now,
                                       chat);
  refuse_statement (f, statement, f->now, GREMIUM_ERROR_UNKNOWN_KEY);
}

static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonObject) chat = obj ("{'text':'Einmal'}");
  g_autoptr(GremiumStatement) statement = NULL;
  g_autoptr(GremiumStatement) again = NULL;
  g_autoptr(GremiumStatement) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  attend (f, "chair");
  attend (f, "m01");

  statement = sign_at (f, "m01", GREMIUM_KIND_CHAT_MESSAGE, chat, f->now);
  apply_statement (f, statement, &error);
  g_assert_no_error (error);

  /* The same statement, and the same bytes parsed afresh. */
  refuse_statement (f, statement, f->now, GREMIUM_ERROR_REPLAYED);
  json = gremium_statement_to_json (statement);
  again = gremium_statement_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  refuse_statement (f, again, f->now, GREMIUM_ERROR_REPLAYED);

  /* A fresh nonce makes the same text a new statement. */
  other = sign_at (f, "m01", GREMIUM_KIND_CHAT_MESSAGE, chat, f->now);
  apply_statement (f, other, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (gremium_meeting_get_chat (f->meeting)), ==, 2);
}

static void
test_stale (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonObject) chat = obj ("{'text':'Zeit'}");
  g_autoptr(GError) error = NULL;
  gint64 window = GREMIUM_STATEMENT_TIME_WINDOW;

  attend (f, "chair");

  /* More than five minutes off in either direction. */
  {
    g_autoptr(GremiumStatement) old = sign_at (f, "chair", GREMIUM_KIND_CHAT_MESSAGE, chat,
                                               f->now - window - 1000);
    g_autoptr(GremiumStatement) future = sign_at (f, "chair", GREMIUM_KIND_CHAT_MESSAGE, chat,
                                                  f->now + window + 1000);

    refuse_statement (f, old, f->now, GREMIUM_ERROR_STALE);
    refuse_statement (f, future, f->now, GREMIUM_ERROR_STALE);
  }

  /* Five minutes exactly are tolerated. */
  {
    g_autoptr(GremiumStatement) old = sign_at (f, "chair", GREMIUM_KIND_CHAT_MESSAGE, chat,
                                               f->now - window);
    g_autoptr(GremiumStatement) future = NULL;

    apply_statement (f, old, &error);
    g_assert_no_error (error);
    future = sign_at (f, "chair", GREMIUM_KIND_CHAT_MESSAGE, chat, f->now + window);
    apply_statement (f, future, &error);
    g_assert_no_error (error);
  }
}

static void
test_entry_order (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) chat = obj ("{'text':'Reihenfolge'}");
  g_autoptr(GremiumStatement) statement = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n;
  gint64 last;

  attend (f, "chair");
  n = gremium_meeting_get_n_entries (f->meeting);
  last = gremium_meeting_get_last_time (f->meeting);
  statement = sign_at (f, "chair", GREMIUM_KIND_CHAT_MESSAGE, chat, f->now);

  /* A gap, a repeated index, and time running backwards. */
  {
    g_autoptr(GremiumRecordEntry) ahead = gremium_record_entry_new (n + 1, f->now, statement);
    g_autoptr(GremiumRecordEntry) behind = gremium_record_entry_new (n - 1, f->now, statement);
    g_autoptr(GremiumRecordEntry) earlier = gremium_record_entry_new (n, last - 1000, statement);

    refuse_entry (f, ahead, GREMIUM_ERROR_LOG_INCONSISTENT);
    refuse_entry (f, behind, GREMIUM_ERROR_LOG_INCONSISTENT);
    refuse_entry (f, earlier, GREMIUM_ERROR_LOG_INCONSISTENT);
  }

  /* The same time as the entry before is fine. */
  {
    g_autoptr(GremiumRecordEntry) same = gremium_record_entry_new (n, last, statement);

    gremium_meeting_apply (f->meeting, same, &error);
    g_assert_no_error (error);
  }
}

static void
test_unknown_kind_and_meeting (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(JsonObject) chat = obj ("{'text':'Hallo'}");
  g_autoptr(GremiumStatement) elsewhere = NULL;

  attend (f, "chair");

  refuse (f, "chair", "meeting.teleport", obj ("{'to':'Mond'}"), GREMIUM_ERROR_UNKNOWN_TYPE);
  refuse (f, "chair", "chat", obj ("{'text':'x'}"), GREMIUM_ERROR_UNKNOWN_TYPE);

  elsewhere = gremium_statement_build (identity_of (f, "chair"), GREMIUM_KIND_CHAT_MESSAGE,
                                       "0000aaaa1111",
                                       "chair", f->now, chat);
  refuse_statement (f, elsewhere, f->now, GREMIUM_ERROR_WRONG_MEETING);
}

static void
test_unknown_fields (Fixture       *f,
                     gconstpointer  data)
{
  static const struct {
    const char *author;
    const char *kind;
    const char *data;
  } cases[] = {
    { "m01", GREMIUM_KIND_ATTENDANCE_JOIN, "{'late':true}" },
    { "m01", GREMIUM_KIND_ATTENDANCE_LEAVE, "{'member':'m01','reason':'left','back':'soon'}" },
    { "chair", GREMIUM_KIND_LOBBY_DENY, "{'member':'m02','why':'x'}" },
    { "chair", GREMIUM_KIND_AGENDA_VISIBILITY, "{'item':1,'public':false,'reason':'x'}" },
    { "m01", GREMIUM_KIND_CONFLICT_DECLARE, "{'item':1,'member':'m01','reason':'x','since':1}" },
    { "m01", GREMIUM_KIND_SPEAKERS_REQUEST, "{'type':'speech','topic':'x'}" },
    { "m01", GREMIUM_KIND_SPEAKERS_WITHDRAW, "{'member':'m01','type':'speech','x':1}" },
    { "chair", GREMIUM_KIND_SPEAKERS_GRANT, "{'member':'m01','limit':0,'mic':true}" },
    { "chair", GREMIUM_KIND_SPEAKERS_FINISH, "{'member':'m01'}" },
    { "chair", GREMIUM_KIND_MEETING_CLOSE, "{'at':1}" },
    { GREMIUM_AUTHOR_SERVER, GREMIUM_KIND_ROSTER_KEY_ADD,
      "{'member':'m01','key':'x','role':'chair'}" },
  };

  attend (f, "chair");
  attend (f, "m01");
  accept (f, "m02", GREMIUM_KIND_ATTENDANCE_JOIN, NULL);
  accept (f, "m01", GREMIUM_KIND_SPEAKERS_REQUEST, obj ("{'type':'speech'}"));
  accept (f, "chair", GREMIUM_KIND_SPEAKERS_GRANT, obj ("{'member':'m01','limit':0}"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s %s", cases[i].kind, cases[i].data);
      refuse (f, cases[i].author, cases[i].kind, obj (cases[i].data), GREMIUM_ERROR_INVALID_FIELD);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (gremium_crypto_init (NULL));

#define ADD(path, spec, func) \
  g_test_add ("/Gremium/Meeting/" path, Fixture, &spec, setup, func, teardown)

  ADD ("create-valid", empty_council, test_create_valid);
  ADD ("create-invalid", empty_council, test_create_invalid);
  ADD ("lobby", small_council, test_lobby);
  ADD ("deputy", small_council, test_deputy);
  ADD ("agenda", small_council, test_agenda);
  ADD ("conflict", small_council, test_conflict);
  ADD ("quorum-boundary", council_21, test_quorum_boundary);
  ADD ("quorum-conflict-members", council_21, test_quorum_conflict);
  ADD ("quorum-conflict-reduced-base", council_21_reduced, test_quorum_conflict);
  ADD ("quorum-confirm", small_council, test_quorum_confirm);
  ADD ("speakers", small_council, test_speakers);
  ADD ("chat", small_council, test_chat);
  ADD ("mute", small_council, test_mute);
  ADD ("open-close", small_council, test_open_close);
  ADD ("signatures", small_council, test_signatures);
  ADD ("replay", small_council, test_replay);
  ADD ("stale", small_council, test_stale);
  ADD ("entry-order", small_council, test_entry_order);
  ADD ("unknown-kind-and-meeting", small_council, test_unknown_kind_and_meeting);
  ADD ("unknown-fields", small_council, test_unknown_fields);

#undef ADD

  return g_test_run ();
}
