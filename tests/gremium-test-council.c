/* gremium-test-council.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gremium-test-council.h"

#include <gremium-server-meeting.h>

#include <string.h>

GremiumClient *
gremium_test_council_client (GremiumTestCouncil *c,
                             const char         *member_id)
{
  for (guint i = 0; i < c->clients->len; i++)
    {
      GremiumClient *client = g_ptr_array_index (c->clients, i);

      if (g_str_equal (gremium_client_get_member_id (client), member_id))
        return client;
    }

  g_error ("%s has no client in this test", member_id);
}

GremiumMeeting *
gremium_test_council_view (GremiumTestCouncil *c,
                           const char         *member_id)
{
  return gremium_client_get_meeting (gremium_test_council_client (c, member_id), c->meeting_id);
}

GremiumVote *
gremium_test_council_vote (GremiumTestCouncil *c,
                           const char         *member_id,
                           const char         *vote_id)
{
  GremiumVote *vote = gremium_meeting_lookup_vote (gremium_test_council_view (c, member_id),
                                                   vote_id);

  g_assert_nonnull (vote);
  return vote;
}

GremiumServerMeeting *
gremium_test_council_server_meeting (GremiumTestCouncil *c)
{
  g_autoptr(GError) error = NULL;
  GremiumServerMeeting *meeting = gremium_server_lookup_meeting (c->ts->server, c->meeting_id,
                                                                 &error);

  g_assert_no_error (error);
  return meeting;
}

guint64
gremium_test_council_size (GremiumTestCouncil *c)
{
  return gremium_test_server_get_record_size (c->ts, c->meeting_id);
}

static gboolean
everyone_synced (gpointer data)
{
  GremiumTestCouncil *c = data;
  guint64 size = gremium_test_council_size (c);

  for (guint i = 0; i < c->clients->len; i++)
    {
      GremiumClient *client = g_ptr_array_index (c->clients, i);

      if (gremium_meeting_get_n_entries (gremium_client_get_meeting (client,
                                                                     c->meeting_id)) != size)
        return FALSE;
    }

  return TRUE;
}

/* Waits until every client has applied everything the server recorded. */
void
gremium_test_council_sync (GremiumTestCouncil *c)
{
  if (!gremium_test_wait_until (everyone_synced, c, 20000))
    g_error ("The clients did not catch up with the server's %" G_GUINT64_FORMAT " entries",
             gremium_test_council_size (c));
}

guint64
gremium_test_council_submit (GremiumTestCouncil *c,
                             const char         *who,
                             const char         *kind,
                             JsonObject         *data)
{
  g_autoptr(JsonObject) owned = data;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GremiumClient *client = gremium_test_council_client (c, who);
  guint64 index = 0;

  gremium_client_submit_async (client, c->meeting_id, kind, data, NULL, gremium_test_result_cb,
                               &result);
  if (!gremium_client_submit_finish (client, gremium_test_wait_result (&result), &index, &error))
    g_error ("%s could not submit %s: %s", who, kind, error->message);

  return index;
}

void
gremium_test_council_attend (GremiumTestCouncil *c,
                             const char         *member_id)
{
  g_autoptr(GError) error = NULL;
  GremiumClient *client = gremium_test_client_enrol (c->ts, member_id, &error);
  GremiumMeeting *view;
  GremiumMember *member;

  g_assert_no_error (error);
  g_ptr_array_add (c->clients, client);
  gremium_test_client_attend (client, c->meeting_id, &error);
  g_assert_no_error (error);

  view = gremium_client_get_meeting (client, c->meeting_id);
  member = gremium_meeting_lookup_member (view, member_id);
  if (gremium_member_get_presence (member) == GREMIUM_PRESENCE_LOBBY)
    gremium_test_council_submit (c, "chair", GREMIUM_KIND_LOBBY_ADMIT,
                                 gremium_test_data ("member", member_id, NULL));

  g_hash_table_insert (c->agents, g_strdup (member_id),
                       gremium_teller_agent_new (client, c->meeting_id));
}

/* The chair, the minute-taker, the guest, a member of the administration
 * staff and the first @n_attending of @n_members members take part.
 */
GremiumTestCouncil *
gremium_test_council_new (guint n_members,
                          guint n_attending)
{
  GremiumTestCouncil *c = g_new0 (GremiumTestCouncil, 1);

  c->ts = gremium_test_server_new ();
  c->n_members = n_members;
  gremium_test_server_add_council (c->ts, n_members);
  gremium_test_server_add_member (c->ts, "staff", "Volker Verwaltung", GREMIUM_ROLE_STAFF);
  c->meeting_id = gremium_test_server_create_meeting (c->ts, 3, 1);
  c->clients = g_ptr_array_new_with_free_func (g_object_unref);
  c->agents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  gremium_test_council_attend (c, "chair");
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_MEETING_OPEN, NULL);
  gremium_test_council_attend (c, "clerk");
  gremium_test_council_attend (c, "guest");
  gremium_test_council_attend (c, "staff");

  for (guint i = 1; i <= n_attending; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%02u", i);

      gremium_test_council_attend (c, id);
    }

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_AGENDA_SELECT,
                               gremium_test_data ("item", "#1", NULL));
  gremium_test_council_sync (c);

  return c;
}

void
gremium_test_council_free (GremiumTestCouncil *c)
{
  g_clear_pointer (&c->agents, g_hash_table_unref);
  g_clear_pointer (&c->clients, g_ptr_array_unref);
  g_clear_pointer (&c->meeting_id, g_free);
  gremium_test_server_free (c->ts);
  g_free (c);
}

/* The member's teller agent goes away with its secrets, as when a teller's
 * program ends; or, in the attack tests, so that the test speaks for the
 * teller by hand.
 */
void
gremium_test_council_drop_agent (GremiumTestCouncil *c,
                                 const char         *member_id)
{
  g_assert_true (g_hash_table_remove (c->agents, member_id));
}

static void
describe_votes (GString        *s,
                GremiumMeeting *meeting)
{
  GListModel *votes = gremium_meeting_get_votes (meeting);

  for (guint i = 0; i < g_list_model_get_n_items (votes); i++)
    {
      g_autoptr(GremiumVote) vote = g_list_model_get_item (votes, i);
      g_auto(GStrv) voters = gremium_vote_dup_voters (vote);
      g_autofree char *joined = g_strjoinv (",", voters);
      const guint *counts = gremium_vote_get_counts (vote);
      const char * const *tellers = gremium_vote_get_tellers (vote);

      g_string_append_printf (s, "vote %s state=%d ballots=%u voters=%s outcome=%d",
                              gremium_vote_get_id (vote), gremium_vote_get_state (vote),
                              gremium_vote_get_n_ballots (vote), joined,
                              gremium_vote_get_outcome (vote));
      for (guint j = 0; counts != NULL && j < gremium_vote_get_n_options (vote); j++)
        g_string_append_printf (s, " %u", counts[j]);
      for (guint j = 0; tellers[j] != NULL; j++)
        g_string_append_printf (s, " %s:%d%d%d", tellers[j],
                                gremium_vote_has_teller_key (vote, tellers[j]),
                                gremium_vote_has_decryption (vote, tellers[j]),
                                gremium_vote_has_lot_value (vote, tellers[j]));
      g_string_append_c (s, '\n');
    }
}

/* Everything every client sees, so that a refused statement can be shown
 * to have changed nothing anywhere.
 */
char *
gremium_test_council_snapshot (GremiumTestCouncil *c)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "server size=%" G_GUINT64_FORMAT "\n", gremium_test_council_size (c));
  for (guint i = 0; i < c->clients->len; i++)
    {
      GremiumClient *client = g_ptr_array_index (c->clients, i);
      GremiumMeeting *view = gremium_client_get_meeting (client, c->meeting_id);
      g_autofree char *text = gremium_test_describe_meeting (view);

      g_string_append_printf (s, "== %s\n%s", gremium_client_get_member_id (client), text);
      describe_votes (s, view);
    }

  return g_string_free (s, FALSE);
}

static void
assert_refused (GremiumTestCouncil *c,
                const char         *who,
                const char         *what,
                const GError       *error,
                GremiumError        code,
                guint64             size,
                const char         *before)
{
  g_autofree char *after = NULL;

  if (error == NULL)
    g_error ("%s: %s was accepted", who, what);

  g_test_message ("%s: %s refused: %s", who, what, error->message);
  if (!g_error_matches (error, GREMIUM_ERROR, code))
    g_error ("%s: %s refused with %s (“%s”), expected %s", who, what,
             gremium_error_to_wire (error->code), error->message, gremium_error_to_wire (code));

  /* Nothing was recorded: not by the server, not by any client. */
  g_assert_cmpuint (gremium_test_council_size (c), ==, size);
  gremium_test_iterate (5);
  after = gremium_test_council_snapshot (c);
  g_assert_cmpstr (before, ==, after);
}

/* Submits a statement that must be refused with @code, and checks that it
 * changed nothing on the server or on any client.
 */
void
gremium_test_council_refuse (GremiumTestCouncil *c,
                             const char         *who,
                             const char         *kind,
                             JsonObject         *data,
                             GremiumError        code)
{
  g_autoptr(JsonObject) owned = data;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  GremiumClient *client = gremium_test_council_client (c, who);
  guint64 size;

  gremium_test_council_sync (c);
  size = gremium_test_council_size (c);
  before = gremium_test_council_snapshot (c);

  gremium_client_submit_async (client, c->meeting_id, kind, data, NULL, gremium_test_result_cb,
                               &result);
  gremium_client_submit_finish (client, gremium_test_wait_result (&result), NULL, &error);
  assert_refused (c, who, kind, error, code, size, before);
}

/* A statement signed by @who's device, for submitting by hand. */
GremiumStatement *
gremium_test_council_sign (GremiumTestCouncil *c,
                           const char         *who,
                           const char         *kind,
                           JsonObject         *data)
{
  g_autoptr(JsonObject) owned = data;
  GremiumClient *client = gremium_test_council_client (c, who);

  return gremium_statement_build (gremium_client_get_identity (client), kind, c->meeting_id, who,
                                  g_get_real_time (), data);
}

/* Sends an already signed statement over @who's connection. */
void
gremium_test_council_refuse_statement (GremiumTestCouncil *c,
                                       const char         *who,
                                       GremiumStatement   *statement,
                                       GremiumError        code)
{
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  guint64 size;

  gremium_test_council_sync (c);
  size = gremium_test_council_size (c);
  before = gremium_test_council_snapshot (c);

  json_object_set_string_member (request, "type", "submit");
  json_object_set_string_member (request, "meeting", c->meeting_id);
  json_object_set_member (request, "statement", gremium_statement_to_json_node (statement));
  answer = gremium_test_client_request (gremium_test_council_client (c, who), request, &error);
  assert_refused (c, who, gremium_statement_get_kind (statement), error, code, size, before);
}

/* The last statement of @kind about @vote_id (and by @author, if given)
 * in the server's record.
 */
GremiumStatement *
gremium_test_council_find_statement (GremiumTestCouncil *c,
                                     const char         *kind,
                                     const char         *vote_id,
                                     const char         *author,
                                     guint64            *index)
{
  GremiumServerMeeting *meeting = gremium_test_council_server_meeting (c);

  for (guint64 i = gremium_server_meeting_get_size (meeting); i > 0; i--)
    {
      GremiumRecordEntry *entry = gremium_server_meeting_get_entry (meeting, i - 1);
      GremiumStatement *statement = gremium_record_entry_get_statement (entry);
      JsonObject *data;

      g_assert_true (gremium_statement_parse_body (statement, NULL));
      data = gremium_statement_get_data (statement);
      if (g_str_equal (gremium_statement_get_kind (statement), kind) &&
          g_strcmp0 (json_object_get_string_member_with_default (data, "vote", NULL),
                     vote_id) == 0 &&
          (author == NULL || g_str_equal (gremium_statement_get_author (statement), author)))
        {
          if (index != NULL)
            *index = i - 1;
          return statement;
        }
    }

  g_error ("No %s statement for vote %s in the record", kind, vote_id);
}

static JsonArray *
strv_to_array (const char * const *strv)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);

  return array;
}

/* The data of a vote.open with the eligible voters as the chair's client
 * computes them.
 */
JsonObject *
gremium_test_council_open_data (GremiumTestCouncil *c,
                                const char         *vote_id,
                                const char         *type,
                                const char         *majority,
                                const char * const *options,
                                const char * const *tellers,
                                guint               limit)
{
  JsonObject *data = json_object_new ();
  g_auto(GStrv) eligible = gremium_meeting_dup_eligible (gremium_test_council_view (c, "chair"));

  json_object_set_string_member (data, "vote", vote_id);
  json_object_set_string_member (data, "type", type);
  json_object_set_string_member (data, "question",
                                 "Soll der Bebauungsplan Nr. 7 beschlossen werden?");
  json_object_set_array_member (data, "options", strv_to_array (options));
  json_object_set_array_member (data, "eligible", strv_to_array ((const char * const *) eligible));
  json_object_set_string_member (data, "majority", majority);
  json_object_set_array_member (data, "tellers", strv_to_array (tellers));
  json_object_set_int_member (data, "limit", limit);

  return data;
}

typedef struct
{
  GremiumTestCouncil *c;
  const char         *vote_id;
  GremiumVoteState    state;
} StateWait;

static gboolean
everyone_reached (gpointer user_data)
{
  StateWait *wait = user_data;

  for (guint i = 0; i < wait->c->clients->len; i++)
    {
      GremiumClient *client = g_ptr_array_index (wait->c->clients, i);
      GremiumMeeting *view = gremium_client_get_meeting (client, wait->c->meeting_id);
      GremiumVote *vote = gremium_meeting_lookup_vote (view, wait->vote_id);

      if (vote == NULL || gremium_vote_get_state (vote) != wait->state)
        return FALSE;
    }

  return TRUE;
}

/* Waits until every client, from the record alone, has the vote in @state. */
void
gremium_test_council_wait_state (GremiumTestCouncil *c,
                                 const char         *vote_id,
                                 GremiumVoteState    state)
{
  StateWait wait = { c, vote_id, state };

  if (!gremium_test_wait_until (everyone_reached, &wait, 30000))
    {
      GremiumVote *vote = gremium_meeting_lookup_vote (gremium_test_council_view (c, "chair"),
                                                       vote_id);

      g_error ("Vote %s did not reach state %d on every client (the chair sees %d)", vote_id, state,
               vote ? (gint) gremium_vote_get_state (vote) : -1);
    }
}

/* A ballot for option @choice (-1: no candidate) built by @voter's own
 * client from its own view of the vote.
 */
JsonObject *
gremium_test_council_ballot_data (GremiumTestCouncil  *c,
                                  const char          *voter,
                                  const char          *vote_id,
                                  gint                 choice,
                                  char               **tracker)
{
  GremiumVote *vote = gremium_test_council_vote (c, voter, vote_id);
  guint n = gremium_vote_get_n_options (vote);
  g_autofree guint8 *choices = g_new0 (guint8, n);
  g_autoptr(GError) error = NULL;
  JsonObject *data;

  if (choice >= 0)
    choices[choice] = 1;
  data = gremium_vote_build_ballot (vote, voter, choices, n, tracker, &error);
  g_assert_no_error (error);

  return data;
}

/* Casts a ballot; returns the tracker of a secret ballot. The client's
 * submit checks the receipt (the inclusion proof) before it reports success.
 */
char *
gremium_test_council_cast (GremiumTestCouncil *c,
                           const char         *voter,
                           const char         *vote_id,
                           gint                choice)
{
  char *tracker = NULL;
  JsonObject *data = gremium_test_council_ballot_data (c, voter, vote_id, choice, &tracker);

  gremium_test_council_submit (c, voter, GREMIUM_KIND_VOTE_BALLOT, data);
  return tracker;
}

/* Every client computed the same counts, outcome and result object from
 * the record alone.
 */
void
gremium_test_council_assert_agree (GremiumTestCouncil *c,
                                   const char         *vote_id)
{
  GremiumVote *reference = gremium_test_council_vote (c, "chair", vote_id);
  g_autoptr(JsonObject) expected = gremium_vote_build_result (reference);
  g_autoptr(JsonNode) expected_node = json_node_init_object (json_node_alloc (), expected);
  g_autofree char *expected_text = json_to_string (expected_node, FALSE);

  g_assert_nonnull (expected);
  for (guint i = 0; i < c->clients->len; i++)
    {
      GremiumClient *client = g_ptr_array_index (c->clients, i);
      GremiumVote *vote = gremium_test_council_vote (c, gremium_client_get_member_id (client),
                                                     vote_id);
      g_autoptr(JsonObject) result = gremium_vote_build_result (vote);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      g_assert_nonnull (result);
      node = json_node_init_object (json_node_alloc (), result);
      text = json_to_string (node, FALSE);
      g_assert_cmpstr (text, ==, expected_text);
      g_assert_cmpint (gremium_vote_get_outcome (vote), ==, gremium_vote_get_outcome (reference));
      g_assert_cmpint (gremium_vote_get_elected (vote), ==, gremium_vote_get_elected (reference));
      g_assert_cmpint (gremium_vote_get_decided_by_lot (vote), ==,
                       gremium_vote_get_decided_by_lot (reference));
    }
}

/* The chair records the result its client computed; every client accepts it. */
void
gremium_test_council_publish (GremiumTestCouncil *c,
                              const char         *vote_id)
{
  GremiumVote *vote = gremium_test_council_vote (c, "chair", vote_id);

  gremium_test_council_assert_agree (c, vote_id);
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_RESULT,
                               gremium_vote_build_result (vote));
  gremium_test_council_wait_state (c, vote_id, GREMIUM_VOTE_STATE_PUBLISHED);
}

static char *
member_id (guint i)
{
  return g_strdup_printf ("m%02u", i);
}

/* Members m<first> … m<last> choose @choice (-1: no candidate). */
void
gremium_test_council_cast_range (GremiumTestCouncil *c,
                                 const char         *vote_id,
                                 guint               first,
                                 guint               last,
                                 gint                choice)
{
  for (guint i = first; i <= last; i++)
    {
      g_autofree char *id = member_id (i);
      g_autofree char *tracker = gremium_test_council_cast (c, id, vote_id, choice);
    }
}

/* Every client counted @expected. */
void
gremium_test_council_assert_counts (GremiumTestCouncil *c,
                                    const char         *vote_id,
                                    const guint        *expected)
{
  for (guint i = 0; i < c->clients->len; i++)
    {
      const char *id = gremium_client_get_member_id (g_ptr_array_index (c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (c, id, vote_id);
      const guint *counts = gremium_vote_get_counts (vote);

      g_assert_nonnull (counts);
      for (guint j = 0; j < gremium_vote_get_n_options (vote); j++)
        g_assert_cmpuint (counts[j], ==, expected[j]);
    }
}

/* The result as the minutes state it, as the guest's client computed it. */
char *
gremium_test_council_result_text (GremiumTestCouncil *c,
                                  const char         *vote_id,
                                  const char         *language)
{
  char *text = gremium_vote_format_result (gremium_test_council_vote (c, "guest", vote_id),
                                           language);

  g_assert_nonnull (text);
  g_test_message ("%s", text);
  return text;
}

/* A deep copy: json_node_copy() shares the object. */
JsonObject *
gremium_test_json_object_copy (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(JsonNode) copy = json_from_string (text, NULL);

  return json_object_ref (json_node_get_object (copy));
}

static char *
replace_once (const char *text,
              const char *from,
              const char *to)
{
  const char *at = strstr (text, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

/* The chair's result statement must say exactly what the record says: any
 * changed figure, outcome or word is refused, and nothing is recorded.
 */
void
gremium_test_council_refuse_changed_results (GremiumTestCouncil *c,
                                             const char         *vote_id)
{
  GremiumVote *vote = gremium_test_council_vote (c, "chair", vote_id);
  g_autoptr(JsonObject) result = gremium_vote_build_result (vote);
  JsonArray *counts = json_object_get_array_member (result, "counts");
  static const char * const integers[] = {
    "ballots", "members", "entitled", "eligible", "excluded"
  };
  JsonObject *changed;

  g_assert_nonnull (result);

  for (guint i = 0; i < json_array_get_length (counts); i++)
    {
      for (gint delta = -1; delta <= 1; delta += 2)
        {
          JsonArray *changed_counts;

          if (json_array_get_int_element (counts, i) == 0 && delta < 0)
            continue;
          changed = gremium_test_json_object_copy (result);
          changed_counts = json_object_get_array_member (changed, "counts");
          json_node_set_int (json_array_get_element (changed_counts, i),
                             json_array_get_int_element (counts, i) + delta);
          gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                                       GREMIUM_ERROR_INVALID_FIELD);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (integers); i++)
    {
      changed = gremium_test_json_object_copy (result);
      json_object_set_int_member (changed, integers[i],
                                  json_object_get_int_member (result, integers[i]) + 1);
      gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                                   GREMIUM_ERROR_INVALID_FIELD);
    }

  /* Another outcome. */
  {
    const char *outcome = json_object_get_string_member (result, "outcome");

    changed = gremium_test_json_object_copy (result);
    json_object_set_string_member (changed, "outcome",
                                   g_str_equal (outcome, "adopted") ? "rejected" : "adopted");
    gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                                 GREMIUM_ERROR_INVALID_FIELD);
  }

  if (json_object_has_member (result, "elected"))
    {
      changed = gremium_test_json_object_copy (result);
      json_object_set_int_member (changed, "elected",
                                  json_object_get_int_member (result, "elected") ^ 1);
      gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                                   GREMIUM_ERROR_INVALID_FIELD);
    }

  changed = gremium_test_json_object_copy (result);
  json_object_set_boolean_member (changed, "lot", !json_object_get_boolean_member (result, "lot"));
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                               GREMIUM_ERROR_INVALID_FIELD);

  changed = gremium_test_json_object_copy (result);
  json_object_set_string_member (changed, "majority", "two-thirds");
  if (g_str_equal (json_object_get_string_member (result, "majority"), "two-thirds"))
    json_object_set_string_member (changed, "majority", "simple");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                               GREMIUM_ERROR_INVALID_FIELD);

  changed = gremium_test_json_object_copy (result);
  json_object_set_string_member (changed, "type", "named");
  if (g_str_equal (json_object_get_string_member (result, "type"), "named"))
    json_object_set_string_member (changed, "type", "open");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                               GREMIUM_ERROR_INVALID_FIELD);

  /* A changed word in either language, or one extra space. */
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *text;
      JsonObject *wording = json_object_get_object_member (result, "text");
      const char *de = json_object_get_string_member (wording, "de");
      const char *en = json_object_get_string_member (wording, "en");
      g_autofree char *edited = NULL;

      changed = gremium_test_json_object_copy (result);
      text = json_object_get_object_member (changed, "text");
      if (i == 0)
        json_object_set_string_member (text, "de",
                                       (edited = replace_once (de, "Mitglieder",
                                                               "Ratsmitglieder")));
      else if (i == 1)
        json_object_set_string_member (text, "en",
                                       (edited = replace_once (en, "Members", "Councillors")));
      else
        json_object_set_string_member (text, "de", (edited = replace_once (de, " | ", "  | ")));
      gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                                   GREMIUM_ERROR_INVALID_FIELD);
    }

  /* A member more or less. */
  changed = gremium_test_json_object_copy (result);
  json_object_set_string_member (changed, "note", "einstimmig");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                               GREMIUM_ERROR_INVALID_FIELD);

  changed = gremium_test_json_object_copy (result);
  json_object_remove_member (changed, "text");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                               GREMIUM_ERROR_INVALID_FIELD);

  /* Nobody but the chair records a result, not even the true one. */
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_RESULT,
                               gremium_test_json_object_copy (result),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "clerk", GREMIUM_KIND_VOTE_RESULT,
                               gremium_test_json_object_copy (result),
                               GREMIUM_ERROR_PERMISSION_DENIED);
}

/* An open vote: 26 ballots, the last one closes the vote; turnout and
 * choices are visible to everyone; a member has their vote recorded.
 */
