/* test-vote.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gremium-server-meeting.h>

#include "gremium-test-council.h"

/* Full votes over the real server, with a council of 25 members, the chair,
 * the minute-taker and a guest, each on their own client. Every client
 * computes every vote from the record alone; a test looks at the result
 * only after every client has reached it, and checks that they all agree.
 *
 * The deputy is on the roster and absent, so there are 27 voting members,
 * 26 of them present and eligible unless a test excludes someone.
 */

#define N_MEMBERS 25

static const char * const yes_no_abstain[] = { "Ja", "Nein", "Enthaltung", NULL };

typedef struct
{
  GremiumTestCouncil *c;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  guint n_attending = GPOINTER_TO_UINT (data);

  f->c = gremium_test_council_new (N_MEMBERS, n_attending ? n_attending : N_MEMBERS);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_pointer (&f->c, gremium_test_council_free);
}

static char *
member_id (guint i)
{
  return g_strdup_printf ("m%02u", i);
}

/* Members m<first> … m<last> choose @choice. */
static void
cast_range (GremiumTestCouncil *c,
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

static void
assert_counts (GremiumTestCouncil *c,
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

static char *
result_text (GremiumTestCouncil *c,
             const char         *vote_id,
             const char         *language)
{
  char *text = gremium_vote_format_result (gremium_test_council_vote (c, "guest", vote_id), language);

  g_assert_nonnull (text);
  g_test_message ("%s", text);
  return text;
}

/* A deep copy: json_node_copy() shares the object. */
static JsonObject *
copy_object (JsonObject *object)
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
static void
refuse_changed_results (GremiumTestCouncil *c,
                        const char         *vote_id)
{
  g_autoptr(JsonObject) result = gremium_vote_build_result (gremium_test_council_vote (c, "chair", vote_id));
  JsonArray *counts = json_object_get_array_member (result, "counts");
  static const char * const integers[] = { "ballots", "members", "entitled", "eligible", "excluded" };
  JsonObject *changed;

  g_assert_nonnull (result);

  for (guint i = 0; i < json_array_get_length (counts); i++)
    {
      for (gint delta = -1; delta <= 1; delta += 2)
        {
          JsonArray *changed_counts;

          if (json_array_get_int_element (counts, i) == 0 && delta < 0)
            continue;
          changed = copy_object (result);
          changed_counts = json_object_get_array_member (changed, "counts");
          json_node_set_int (json_array_get_element (changed_counts, i),
                             json_array_get_int_element (counts, i) + delta);
          gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                                       GREMIUM_ERROR_INVALID_FIELD);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (integers); i++)
    {
      changed = copy_object (result);
      json_object_set_int_member (changed, integers[i], json_object_get_int_member (result, integers[i]) + 1);
      gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                                   GREMIUM_ERROR_INVALID_FIELD);
    }

  /* Another outcome. */
  {
    const char *outcome = json_object_get_string_member (result, "outcome");

    changed = copy_object (result);
    json_object_set_string_member (changed, "outcome",
                                   g_str_equal (outcome, "adopted") ? "rejected" : "adopted");
    gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                                 GREMIUM_ERROR_INVALID_FIELD);
  }

  if (json_object_has_member (result, "elected"))
    {
      changed = copy_object (result);
      json_object_set_int_member (changed, "elected", json_object_get_int_member (result, "elected") ^ 1);
      gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                                   GREMIUM_ERROR_INVALID_FIELD);
    }

  changed = copy_object (result);
  json_object_set_boolean_member (changed, "lot", !json_object_get_boolean_member (result, "lot"));
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed, GREMIUM_ERROR_INVALID_FIELD);

  changed = copy_object (result);
  json_object_set_string_member (changed, "majority", "two-thirds");
  if (g_str_equal (json_object_get_string_member (result, "majority"), "two-thirds"))
    json_object_set_string_member (changed, "majority", "simple");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed, GREMIUM_ERROR_INVALID_FIELD);

  changed = copy_object (result);
  json_object_set_string_member (changed, "type", "named");
  if (g_str_equal (json_object_get_string_member (result, "type"), "named"))
    json_object_set_string_member (changed, "type", "open");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed, GREMIUM_ERROR_INVALID_FIELD);

  /* A changed word in either language, or one extra space. */
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *text;
      const char *de = json_object_get_string_member (json_object_get_object_member (result, "text"), "de");
      const char *en = json_object_get_string_member (json_object_get_object_member (result, "text"), "en");
      g_autofree char *edited = NULL;

      changed = copy_object (result);
      text = json_object_get_object_member (changed, "text");
      if (i == 0)
        json_object_set_string_member (text, "de", (edited = replace_once (de, "Mitglieder", "Ratsmitglieder")));
      else if (i == 1)
        json_object_set_string_member (text, "en", (edited = replace_once (en, "Members", "Councillors")));
      else
        json_object_set_string_member (text, "de", (edited = replace_once (de, " | ", "  | ")));
      gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                                   GREMIUM_ERROR_INVALID_FIELD);
    }

  /* A member more or less. */
  changed = copy_object (result);
  json_object_set_string_member (changed, "note", "einstimmig");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed, GREMIUM_ERROR_INVALID_FIELD);

  changed = copy_object (result);
  json_object_remove_member (changed, "text");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed, GREMIUM_ERROR_INVALID_FIELD);

  /* Nobody but the chair records a result, not even the true one. */
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_RESULT, copy_object (result),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "clerk", GREMIUM_KIND_VOTE_RESULT, copy_object (result),
                               GREMIUM_ERROR_PERMISSION_DENIED);
}

/* An open vote: 26 ballots, the last one closes the vote; turnout and
 * choices are visible to everyone; a member has their vote recorded.
 */
static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  GremiumTestCouncil *c = f->c;
  const guint expected[] = { 14, 9, 3 };
  g_autofree char *de = NULL;
  g_autofree char *en = NULL;

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "open", "simple",
                                                               yes_no_abstain, NULL, 0));
  gremium_test_council_wait_state (c, "v1", GREMIUM_VOTE_STATE_OPEN);
  g_assert_cmpuint (g_strv_length ((GStrv) gremium_vote_get_eligible (gremium_test_council_vote (c, "m01", "v1"))),
                    ==, 26);

  cast_range (c, "v1", 1, 14, 0);
  cast_range (c, "v1", 15, 22, 1);
  cast_range (c, "v1", 23, 25, 2);
  gremium_test_council_sync (c);

  /* Everyone sees who voted and how; the vote waits for the chair. */
  for (guint i = 0; i < c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (c, viewer, "v1");

      g_assert_cmpint (gremium_vote_get_state (vote), ==, GREMIUM_VOTE_STATE_OPEN);
      g_assert_cmpuint (gremium_vote_get_n_ballots (vote), ==, 25);
      g_assert_true (gremium_vote_has_voted (vote, "m25"));
      g_assert_false (gremium_vote_has_voted (vote, "chair"));
      g_assert_cmpint (gremium_vote_get_choice (vote, "m14"), ==, 0);
      g_assert_cmpint (gremium_vote_get_choice (vote, "m15"), ==, 1);
      g_assert_cmpint (gremium_vote_get_choice (vote, "m25"), ==, 2);
      g_assert_cmpint (gremium_vote_get_choice (vote, "chair"), ==, -1);
      g_assert_null (gremium_vote_get_counts (vote));
    }

  /* ThürKO § 42: a member may have their own vote recorded, once, and only
   * after voting.
   */
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RECORD_OWN,
                               gremium_test_data ("vote", "v1", NULL), GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse (c, "guest", GREMIUM_KIND_VOTE_RECORD_OWN,
                               gremium_test_data ("vote", "v1", NULL), GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_submit (c, "m07", GREMIUM_KIND_VOTE_RECORD_OWN, gremium_test_data ("vote", "v1", NULL));
  gremium_test_council_refuse (c, "m07", GREMIUM_KIND_VOTE_RECORD_OWN,
                               gremium_test_data ("vote", "v1", NULL), GREMIUM_ERROR_INVALID_STATE);

  /* No result before the vote is decided. */
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT,
                               gremium_test_data ("vote", "v1", NULL), GREMIUM_ERROR_INVALID_STATE);

  /* The last eligible ballot closes the vote by itself. */
  g_free (gremium_test_council_cast (c, "chair", "v1", 1));
  gremium_test_council_wait_state (c, "v1", GREMIUM_VOTE_STATE_DECIDED);
  assert_counts (c, "v1", expected);
  gremium_test_council_assert_agree (c, "v1");

  for (guint i = 0; i < c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (c, viewer, "v1");

      g_assert_cmpint (gremium_vote_get_outcome (vote), ==, GREMIUM_VOTE_OUTCOME_ADOPTED);
      g_assert_true (gremium_vote_wants_recorded (vote, "m07"));
      g_assert_false (gremium_vote_wants_recorded (vote, "m08"));
    }

  de = result_text (c, "v1", "de");
  g_assert_cmpstr (de, ==, "Stimmabgabe: offen | Mitglieder: 27 | Stimmberechtigt: 27 | "
                   "anwesend und stimmberechtigt: 26 | Ja: 14 | Nein: 9 | Enthaltung: 3 | "
                   "nicht abgestimmt: 0 | von der Abstimmung ausgeschlossen (§ 38): 0 | "
                   "Mehrheit: einfache Mehrheit | Ergebnis: angenommen");
  en = result_text (c, "v1", "en");
  g_assert_true (g_str_has_suffix (en, "Majority: simple majority | Result: adopted"));

  /* No ballot after the close. */
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#1", NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  refuse_changed_results (c, "v1");
  gremium_test_council_publish (c, "v1");

  /* Published once only. */
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT,
                               gremium_vote_build_result (gremium_test_council_vote (c, "chair", "v1")),
                               GREMIUM_ERROR_INVALID_STATE);
}

/* A named vote that the chair closes while six members have not voted. */
static void
test_named_manual_close (Fixture       *f,
                         gconstpointer  data)
{
  GremiumTestCouncil *c = f->c;
  const guint expected[] = { 14, 6, 0 };
  g_autofree char *de = NULL;

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "n1", "named", "absolute",
                                                               yes_no_abstain, NULL, 0));
  cast_range (c, "n1", 1, 13, 0);
  cast_range (c, "n1", 14, 19, 1);
  g_free (gremium_test_council_cast (c, "chair", "n1", 0));

  /* A named vote records everyone by name anyway. */
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_RECORD_OWN,
                               gremium_test_data ("vote", "n1", NULL), GREMIUM_ERROR_INVALID_STATE);

  /* Only the chair closes. */
  gremium_test_council_refuse (c, "m20", GREMIUM_KIND_VOTE_CLOSE, gremium_test_data ("vote", "n1", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "clerk", GREMIUM_KIND_VOTE_CLOSE, gremium_test_data ("vote", "n1", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_sync (c);
  g_assert_cmpint (gremium_vote_get_state (gremium_test_council_vote (c, "m01", "n1")), ==,
                   GREMIUM_VOTE_STATE_OPEN);

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CLOSE, gremium_test_data ("vote", "n1", NULL));
  gremium_test_council_wait_state (c, "n1", GREMIUM_VOTE_STATE_DECIDED);
  assert_counts (c, "n1", expected);

  /* 2 × 14 > 27 voting members: the absolute majority is reached. */
  for (guint i = 0; i < c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (c, viewer, "n1");

      g_assert_cmpint (gremium_vote_get_outcome (vote), ==, GREMIUM_VOTE_OUTCOME_ADOPTED);
      g_assert_cmpint (gremium_vote_get_choice (vote, "m13"), ==, 0);
      g_assert_cmpint (gremium_vote_get_choice (vote, "m19"), ==, 1);
      g_assert_false (gremium_vote_has_voted (vote, "m20"));
      g_assert_cmpint (gremium_vote_get_choice (vote, "m20"), ==, -1);
    }

  de = result_text (c, "n1", "de");
  g_assert_cmpstr (de, ==, "Stimmabgabe: namentlich | Mitglieder: 27 | Stimmberechtigt: 27 | "
                   "anwesend und stimmberechtigt: 26 | Ja: 14 | Nein: 6 | Enthaltung: 0 | "
                   "nicht abgestimmt: 6 | von der Abstimmung ausgeschlossen (§ 38): 0 | "
                   "Mehrheit: Mehrheit der Mitglieder | Ergebnis: angenommen");

  /* Those who did not vote cannot any more. */
  gremium_test_council_refuse (c, "m20", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "n1", "choice", "#0", NULL),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_CLOSE, gremium_test_data ("vote", "n1", NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  refuse_changed_results (c, "n1");
  gremium_test_council_publish (c, "n1");
}

typedef struct
{
  GremiumTestCouncil *c;
  const char         *vote_id;
  guint               n;
} BallotWait;

static gboolean
everyone_has_ballots (gpointer data)
{
  BallotWait *wait = data;

  for (guint i = 0; i < wait->c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (wait->c->clients, i));

      if (gremium_vote_get_n_ballots (gremium_test_council_vote (wait->c, viewer, wait->vote_id)) < wait->n)
        return FALSE;
    }

  return TRUE;
}

/* A secret vote: turnout is public, no choice is visible to anyone — any
 * client, the server's own model included — and every voter finds their
 * tracker in every client's view.
 */
static void
test_secret (Fixture       *f,
             gconstpointer  data)
{
  static const char * const tellers[] = { "chair", "m01", "m02", NULL };
  GremiumTestCouncil *c = f->c;
  const guint expected[] = { 17, 7, 2 };
  g_autoptr(GHashTable) trackers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GremiumMeeting *server_model = gremium_server_meeting_get_model (gremium_test_council_server_meeting (c));
  g_autofree char *de = NULL;

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "s1", "secret", "two-thirds",
                                                               yes_no_abstain, tellers, 0));

  /* The tellers' agents deliver their key shares by themselves. */
  gremium_test_council_wait_state (c, "s1", GREMIUM_VOTE_STATE_OPEN);
  for (guint i = 0; tellers[i] != NULL; i++)
    g_assert_true (gremium_vote_has_teller_key (gremium_test_council_vote (c, "guest", "s1"), tellers[i]));

  for (guint i = 1; i <= N_MEMBERS; i++)
    {
      g_autofree char *id = member_id (i);
      gint choice = i <= 17 ? 0 : i <= 23 ? 1 : 2;

      g_hash_table_insert (trackers, g_strdup (id), gremium_test_council_cast (c, id, "s1", choice));
    }

  {
    BallotWait wait = { c, "s1", N_MEMBERS };

    g_assert_true (gremium_test_wait_until (everyone_has_ballots, &wait, 20000));
  }

  for (guint i = 0; i < c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (c, viewer, "s1");

      g_assert_cmpint (gremium_vote_get_state (vote), ==, GREMIUM_VOTE_STATE_OPEN);
      g_assert_false (gremium_vote_has_voted (vote, "chair"));
      for (guint j = 1; j <= N_MEMBERS; j++)
        {
          g_autofree char *id = member_id (j);
          g_autofree char *tracker = gremium_vote_dup_tracker (vote, id);

          g_assert_true (gremium_vote_has_voted (vote, id));
          g_assert_cmpint (gremium_vote_get_choice (vote, id), ==, -1);
          g_assert_cmpstr (tracker, ==, g_hash_table_lookup (trackers, id));
        }
    }

  for (guint j = 1; j <= N_MEMBERS; j++)
    {
      g_autofree char *id = member_id (j);

      g_assert_cmpint (gremium_vote_get_choice (gremium_meeting_lookup_vote (server_model, "s1"), id), ==, -1);
    }

  /* Never in a secret vote. */
  gremium_test_council_refuse (c, "m03", GREMIUM_KIND_VOTE_RECORD_OWN,
                               gremium_test_data ("vote", "s1", NULL), GREMIUM_ERROR_INVALID_STATE);

  /* The chair's ballot closes the vote; the tellers decrypt the sum. */
  g_hash_table_insert (trackers, g_strdup ("chair"), gremium_test_council_cast (c, "chair", "s1", 1));
  gremium_test_council_wait_state (c, "s1", GREMIUM_VOTE_STATE_DECIDED);
  assert_counts (c, "s1", expected);
  gremium_test_council_assert_agree (c, "s1");

  for (guint i = 0; i < c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (c, viewer, "s1");

      /* 3 × 17 ≥ 2 × (17 + 7) */
      g_assert_cmpint (gremium_vote_get_outcome (vote), ==, GREMIUM_VOTE_OUTCOME_ADOPTED);
      g_assert_cmpint (gremium_vote_get_choice (vote, "chair"), ==, -1);
      for (guint j = 0; tellers[j] != NULL; j++)
        g_assert_true (gremium_vote_has_decryption (vote, tellers[j]));
    }

  de = result_text (c, "s1", "de");
  g_assert_cmpstr (de, ==, "Stimmabgabe: geheim | Mitglieder: 27 | Stimmberechtigt: 27 | "
                   "anwesend und stimmberechtigt: 26 | Ja: 17 | Nein: 7 | Enthaltung: 2 | "
                   "nicht abgestimmt: 0 | von der Abstimmung ausgeschlossen (§ 38): 0 | "
                   "Mehrheit: Zweidrittelmehrheit | Ergebnis: angenommen");

  refuse_changed_results (c, "s1");
  gremium_test_council_publish (c, "s1");
}

static void
open_election (GremiumTestCouncil *c,
               const char         *vote_id,
               const char * const *candidates,
               const char         *runoff_of)
{
  static const char * const tellers[] = { "chair", "m05", "clerk", NULL };
  JsonObject *data = gremium_test_council_open_data (c, vote_id, "election", "election", candidates,
                                                     tellers, 0);

  if (runoff_of != NULL)
    json_object_set_string_member (data, "runoff_of", runoff_of);
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN, data);
  gremium_test_council_wait_state (c, vote_id, GREMIUM_VOTE_STATE_OPEN);
}

static void
assert_runoff (GremiumTestCouncil *c,
               const char         *vote_id,
               guint               first,
               guint               second,
               gboolean            by_lot)
{
  for (guint i = 0; i < c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (c, viewer, vote_id);
      guint a, b;

      g_assert_cmpint (gremium_vote_get_outcome (vote), ==, GREMIUM_VOTE_OUTCOME_RUNOFF);
      g_assert_true (gremium_vote_get_runoff (vote, &a, &b));
      g_assert_cmpuint (a, ==, first);
      g_assert_cmpuint (b, ==, second);
      g_assert_cmpint (gremium_vote_get_elected (vote), ==, -1);
      g_assert_cmpint (gremium_vote_get_decided_by_lot (vote), ==, by_lot);
    }
}

static const char * const four_candidates[] = {
  "Anna Becker", "Bernd Vogel", "Carla Sommer", "Dora Weiß", NULL
};
static const char * const runoff_candidates[] = { "Anna Becker", "Bernd Vogel", NULL };

/* An election in which nobody has more than half of the 26 eligible votes,
 * then the runoff between the two best with a clear winner.
 */
static void
test_election_runoff (Fixture       *f,
                      gconstpointer  data)
{
  GremiumTestCouncil *c = f->c;
  const guint first_round[] = { 10, 8, 5, 2 };
  const guint second_round[] = { 11, 14 };
  g_autofree char *de = NULL;
  g_autofree char *en = NULL;

  open_election (c, "w1", four_candidates, NULL);
  cast_range (c, "w1", 1, 10, 0);
  cast_range (c, "w1", 11, 18, 1);
  cast_range (c, "w1", 19, 23, 2);
  cast_range (c, "w1", 24, 24, 3);
  cast_range (c, "w1", 25, 25, -1);
  g_free (gremium_test_council_cast (c, "chair", "w1", 3));
  gremium_test_council_wait_state (c, "w1", GREMIUM_VOTE_STATE_DECIDED);
  assert_counts (c, "w1", first_round);
  assert_runoff (c, "w1", 0, 1, FALSE);

  de = result_text (c, "w1", "de");
  g_assert_cmpstr (de, ==, "Stimmabgabe: geheime Wahl | Mitglieder: 27 | Stimmberechtigt: 27 | "
                   "anwesend und stimmberechtigt: 26 | Anna Becker: 10 | Bernd Vogel: 8 | "
                   "Carla Sommer: 5 | Dora Weiß: 2 | Enthaltungen: 1 | nicht abgestimmt: 0 | "
                   "von der Abstimmung ausgeschlossen (§ 38): 0 | Mehrheit: mehr als die Hälfte der "
                   "Stimmen der anwesenden Stimmberechtigten | Ergebnis: Stichwahl zwischen "
                   "Anna Becker und Bernd Vogel");
  refuse_changed_results (c, "w1");

  /* No runoff before the first round is published. */
  {
    JsonObject *early = gremium_test_council_open_data (c, "w2", "election", "election",
                                                        runoff_candidates, (const char *[]) { "chair", NULL }, 0);

    json_object_set_string_member (early, "runoff_of", "w1");
    gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN, early, GREMIUM_ERROR_INVALID_STATE);
  }

  gremium_test_council_publish (c, "w1");

  open_election (c, "w2", runoff_candidates, "w1");
  cast_range (c, "w2", 1, 11, 0);
  cast_range (c, "w2", 12, 25, 1);
  g_free (gremium_test_council_cast (c, "chair", "w2", -1));
  gremium_test_council_wait_state (c, "w2", GREMIUM_VOTE_STATE_DECIDED);
  assert_counts (c, "w2", second_round);

  for (guint i = 0; i < c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (c, viewer, "w2");

      g_assert_cmpint (gremium_vote_get_outcome (vote), ==, GREMIUM_VOTE_OUTCOME_ELECTED);
      g_assert_cmpint (gremium_vote_get_elected (vote), ==, 1);
      g_assert_false (gremium_vote_get_decided_by_lot (vote));
    }

  en = result_text (c, "w2", "en");
  g_assert_true (g_str_has_suffix (en, "Anna Becker: 11 | Bernd Vogel: 14 | Abstentions: 1 | "
                                   "Did not vote: 0 | Excluded from the vote (§ 38): 0 | "
                                   "Majority: runoff, most votes | Result: elected: Bernd Vogel"));
  refuse_changed_results (c, "w2");
  gremium_test_council_publish (c, "w2");
}

/* The lot of docs/voting.md §6, computed here from the record as an
 * independent reader would: the tellers' revealed values from the
 * vote.lot statements and the record's root at the entry that closed the
 * vote.
 */
static guint
recompute_lot (GremiumTestCouncil *c,
               const char         *vote_id,
               guint64             close_index,
               guint               draw,
               guint               n)
{
  GremiumServerMeeting *meeting = gremium_test_council_server_meeting (c);
  GremiumVote *vote = gremium_test_council_vote (c, "guest", vote_id);
  const char * const *tellers = gremium_vote_get_tellers (vote);
  g_autoptr(GByteArray) seed_input = g_byte_array_new ();
  guint8 seed[32], pick[32], root[32];
  guint8 u32[4];
  guint64 value = 0;

#define APPEND_LP(text) G_STMT_START { \
    guint32 __len = strlen (text); \
    guint8 __be[4] = { __len >> 24, __len >> 16, __len >> 8, __len }; \
    g_byte_array_append (seed_input, __be, 4); \
    g_byte_array_append (seed_input, (const guint8 *) (text), __len); \
  } G_STMT_END

  APPEND_LP ("gremium lot v1");
  APPEND_LP (c->meeting_id);
  APPEND_LP (vote_id);
  u32[0] = 0; u32[1] = 0; u32[2] = 0; u32[3] = g_strv_length ((GStrv) tellers);
  g_byte_array_append (seed_input, u32, 4);

  for (guint i = 0; tellers[i] != NULL; i++)
    {
      GremiumStatement *statement = gremium_test_council_find_statement (c, GREMIUM_KIND_VOTE_LOT, vote_id,
                                                                         tellers[i], NULL);
      const char *text = json_object_get_string_member (gremium_statement_get_data (statement), "value");
      guint8 lot_value[32];

      g_assert_true (gremium_base64_decode_exact (text, lot_value, sizeof lot_value, NULL));
      APPEND_LP (tellers[i]);
      g_byte_array_append (seed_input, lot_value, sizeof lot_value);
    }

#undef APPEND_LP

  g_assert_true (gremium_merkle_tree_get_root (gremium_server_meeting_get_tree (meeting), close_index + 1, root));
  g_byte_array_append (seed_input, root, sizeof root);
  gremium_sha256 (seed_input->data, seed_input->len, seed);

  {
    guint8 input[36];

    memcpy (input, seed, 32);
    input[32] = draw >> 24; input[33] = draw >> 16; input[34] = draw >> 8; input[35] = draw;
    gremium_sha256 (input, sizeof input, pick);
  }

  for (guint i = 0; i < 8; i++)
    value = (value << 8) | pick[i];

  return (guint) (value % n);
}

/* A runoff that ends in a tie: the tellers reveal their committed values,
 * every client draws the same lot, and so does a reader of the record.
 */
static void
test_election_runoff_lot (Fixture       *f,
                          gconstpointer  data)
{
  GremiumTestCouncil *c = f->c;
  const guint tie[] = { 12, 12 };
  guint64 close_index;
  guint expected;
  gint elected;
  g_autofree char *de = NULL;

  open_election (c, "w1", four_candidates, NULL);
  cast_range (c, "w1", 1, 11, 0);
  cast_range (c, "w1", 12, 20, 1);
  cast_range (c, "w1", 21, 25, 2);
  g_free (gremium_test_council_cast (c, "chair", "w1", 2));
  gremium_test_council_wait_state (c, "w1", GREMIUM_VOTE_STATE_DECIDED);
  assert_runoff (c, "w1", 0, 1, FALSE);
  gremium_test_council_publish (c, "w1");

  open_election (c, "w2", runoff_candidates, "w1");
  cast_range (c, "w2", 1, 12, 0);
  cast_range (c, "w2", 13, 24, 1);
  cast_range (c, "w2", 25, 25, -1);
  g_free (gremium_test_council_cast (c, "chair", "w2", -1));

  gremium_test_council_wait_state (c, "w2", GREMIUM_VOTE_STATE_DECIDED);
  assert_counts (c, "w2", tie);
  gremium_test_council_assert_agree (c, "w2");

  /* The vote closed with the chair's ballot, the last one. */
  gremium_test_council_find_statement (c, GREMIUM_KIND_VOTE_BALLOT, "w2", "chair", &close_index);
  expected = recompute_lot (c, "w2", close_index, 0, 2);
  elected = gremium_vote_get_elected (gremium_test_council_vote (c, "chair", "w2"));
  g_test_message ("The lot chose candidate %d", elected);
  g_assert_cmpint (elected, ==, (gint) expected);

  for (guint i = 0; i < c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (c, viewer, "w2");

      g_assert_cmpint (gremium_vote_get_outcome (vote), ==, GREMIUM_VOTE_OUTCOME_ELECTED);
      g_assert_cmpint (gremium_vote_get_elected (vote), ==, elected);
      g_assert_true (gremium_vote_get_decided_by_lot (vote));
      g_assert_true (gremium_vote_has_lot_value (vote, "chair"));
      g_assert_true (gremium_vote_has_lot_value (vote, "m05"));
      g_assert_true (gremium_vote_has_lot_value (vote, "clerk"));
    }

  de = result_text (c, "w2", "de");
  g_assert_true (g_str_has_suffix (de, "(durch Los entschieden)"));
  g_assert_nonnull (strstr (de, elected == 0 ? "gewählt ist Anna Becker" : "gewählt ist Bernd Vogel"));

  refuse_changed_results (c, "w2");
  gremium_test_council_publish (c, "w2");
}

/* Three candidates tie for the first place: the two runoff places are drawn
 * by lot, one after the other (docs/voting.md §6).
 */
static void
test_election_first_round_lot (Fixture       *f,
                               gconstpointer  data)
{
  GremiumTestCouncil *c = f->c;
  const guint counts[] = { 8, 8, 8, 0 };
  g_autoptr(GArray) top = g_array_new (FALSE, FALSE, sizeof (guint));
  guint64 close_index;
  guint places[2];

  open_election (c, "w1", four_candidates, NULL);
  cast_range (c, "w1", 1, 8, 0);
  cast_range (c, "w1", 9, 16, 1);
  cast_range (c, "w1", 17, 24, 2);
  cast_range (c, "w1", 25, 25, -1);
  gremium_test_council_sync (c);
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CLOSE, gremium_test_data ("vote", "w1", NULL));
  gremium_test_council_wait_state (c, "w1", GREMIUM_VOTE_STATE_DECIDED);
  assert_counts (c, "w1", counts);

  /* Draw 0 picks the first place among the three, draw 1 the second among
   * the two left; the runoff lists them in option order.
   */
  gremium_test_council_find_statement (c, GREMIUM_KIND_VOTE_CLOSE, "w1", "chair", &close_index);
  for (guint i = 0; i < 3; i++)
    g_array_append_val (top, i);
  for (guint draw = 0; draw < 2; draw++)
    {
      guint chosen = recompute_lot (c, "w1", close_index, draw, top->len);

      places[draw] = g_array_index (top, guint, chosen);
      g_array_remove_index (top, chosen);
    }

  assert_runoff (c, "w1", MIN (places[0], places[1]), MAX (places[0], places[1]), TRUE);
  gremium_test_council_assert_agree (c, "w1");
  {
    g_autofree char *de = result_text (c, "w1", "de");

    g_assert_nonnull (strstr (de, "nicht abgestimmt: 1"));
    g_assert_true (g_str_has_suffix (de, "(durch Los entschieden)"));
  }
  refuse_changed_results (c, "w1");
  gremium_test_council_publish (c, "w1");
}

/* With a time limit the server closes the vote itself, with a statement
 * signed by its own key, and later ballots are refused.
 */
static void
test_time_limit (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const tellers[] = { "chair", "m01", "m02", NULL };
  GremiumTestCouncil *c = f->c;
  GremiumStatement *close;
  const guint open_counts[] = { 6, 4, 0 };
  const guint secret_counts[] = { 2, 1, 0 };
  g_autoptr(JsonObject) late = NULL;
  g_autofree char *de = NULL;

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "t1", "open", "simple",
                                                               yes_no_abstain, NULL, 1));
  g_assert_cmpint (gremium_vote_get_deadline (gremium_test_council_vote (c, "chair", "t1")), >, 0);
  cast_range (c, "t1", 1, 6, 0);
  cast_range (c, "t1", 7, 10, 1);

  /* Nobody but the server and the chair closes it. */
  gremium_test_council_refuse (c, "m11", GREMIUM_KIND_VOTE_CLOSE, gremium_test_data ("vote", "t1", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);

  gremium_test_council_wait_state (c, "t1", GREMIUM_VOTE_STATE_DECIDED);
  close = gremium_test_council_find_statement (c, GREMIUM_KIND_VOTE_CLOSE, "t1", NULL, NULL);
  g_assert_cmpstr (gremium_statement_get_author (close), ==, GREMIUM_AUTHOR_SERVER);
  assert_counts (c, "t1", open_counts);
  de = result_text (c, "t1", "de");
  g_assert_nonnull (strstr (de, "nicht abgestimmt: 16"));

  gremium_test_council_refuse (c, "m11", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "t1", "choice", "#0", NULL),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_publish (c, "t1");

  /* A secret vote's time runs from the moment its key is complete. */
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "t2", "secret", "simple",
                                                               yes_no_abstain, tellers, 2));
  gremium_test_council_wait_state (c, "t2", GREMIUM_VOTE_STATE_OPEN);
  g_assert_cmpint (gremium_vote_get_deadline (gremium_test_council_vote (c, "m09", "t2")), >, 0);
  cast_range (c, "t2", 1, 2, 0);
  cast_range (c, "t2", 3, 3, 1);

  /* m04 makes a ballot in time but sends it too late. */
  late = gremium_test_council_ballot_data (c, "m04", "t2", 0, NULL);

  gremium_test_council_wait_state (c, "t2", GREMIUM_VOTE_STATE_DECIDED);
  close = gremium_test_council_find_statement (c, GREMIUM_KIND_VOTE_CLOSE, "t2", NULL, NULL);
  g_assert_cmpstr (gremium_statement_get_author (close), ==, GREMIUM_AUTHOR_SERVER);
  assert_counts (c, "t2", secret_counts);
  gremium_test_council_assert_agree (c, "t2");

  gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT, g_steal_pointer (&late),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_publish (c, "t2");
}

typedef struct
{
  GremiumTestCouncil *c;
  const char         *vote_id;
  const char         *teller;
} DecryptionWait;

static gboolean
others_decrypted (gpointer data)
{
  DecryptionWait *wait = data;

  for (guint i = 0; i < wait->c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (wait->c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (wait->c, viewer, wait->vote_id);
      const char * const *tellers = gremium_vote_get_tellers (vote);

      for (guint j = 0; tellers[j] != NULL; j++)
        if (!g_str_equal (tellers[j], wait->teller) && !gremium_vote_has_decryption (vote, tellers[j]))
          return FALSE;
    }

  return TRUE;
}

/* A teller whose program ends before the tally leaves the vote
 * undecryptable; every client sees that and the chair repeats the vote.
 */
static void
test_missing_teller (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const tellers[] = { "chair", "m01", "m02", NULL };
  static const char * const other_tellers[] = { "chair", "m01", "m03", NULL };
  GremiumTestCouncil *c = f->c;
  const guint repeated[] = { 20, 6, 0 };
  DecryptionWait wait = { c, "s1", "m02" };

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "s1", "secret", "simple",
                                                               yes_no_abstain, tellers, 0));
  gremium_test_council_wait_state (c, "s1", GREMIUM_VOTE_STATE_OPEN);
  gremium_test_council_drop_agent (c, "m02");

  cast_range (c, "s1", 1, 20, 0);
  cast_range (c, "s1", 21, 25, 1);
  g_free (gremium_test_council_cast (c, "chair", "s1", 1));

  /* The other two deliver; the vote stays closed and cannot be decrypted. */
  gremium_test_council_wait_state (c, "s1", GREMIUM_VOTE_STATE_CLOSED);
  g_assert_true (gremium_test_wait_until (others_decrypted, &wait, 20000));
  gremium_test_iterate (200);
  gremium_test_council_sync (c);

  for (guint i = 0; i < c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (c, viewer, "s1");
      g_autoptr(GError) error = NULL;
      guint counts[3];

      g_assert_cmpint (gremium_vote_get_state (vote), ==, GREMIUM_VOTE_STATE_CLOSED);
      g_assert_false (gremium_vote_has_decryption (vote, "m02"));
      g_assert_false (gremium_tally_get_counts (gremium_vote_get_tally (vote), counts, 3, &error));
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TALLY_UNDECRYPTABLE);
      g_assert_nonnull (strstr (error->message, "m02"));
      g_assert_null (gremium_vote_get_counts (vote));
      g_assert_cmpint (gremium_vote_get_outcome (vote), ==, GREMIUM_VOTE_OUTCOME_NONE);
      g_assert_null (gremium_vote_build_result (vote));
    }

  /* Nothing can be published, and nothing else can be voted on. */
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, gremium_test_data ("vote", "s1", NULL),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "s2", "secret", "simple",
                                                               yes_no_abstain, other_tellers, 0),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_CANCEL,
                               gremium_test_data ("vote", "s1", "reason", "Abbruch", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CANCEL,
                               gremium_test_data ("vote", "s1", "reason",
                                                  "Ein Stimmzähler ist ausgefallen; die Wahl wird wiederholt.",
                                                  NULL));
  gremium_test_council_wait_state (c, "s1", GREMIUM_VOTE_STATE_CANCELLED);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_CANCEL,
                               gremium_test_data ("vote", "s1", "reason", "noch einmal", NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  /* The repeated vote, with another teller. */
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "s2", "secret", "simple",
                                                               yes_no_abstain, other_tellers, 0));
  gremium_test_council_wait_state (c, "s2", GREMIUM_VOTE_STATE_OPEN);
  cast_range (c, "s2", 1, 20, 0);
  cast_range (c, "s2", 21, 25, 1);
  g_free (gremium_test_council_cast (c, "chair", "s2", 1));
  gremium_test_council_wait_state (c, "s2", GREMIUM_VOTE_STATE_DECIDED);
  assert_counts (c, "s2", repeated);
  gremium_test_council_publish (c, "s2");
}

/* The council cannot decide without a quorum: more than half of the 27
 * voting members present and not excluded.
 */
static void
test_quorum (Fixture       *f,
             gconstpointer  data)
{
  GremiumTestCouncil *c = f->c;
  GremiumQuorum quorum;

  /* The chair and m01 … m12: 13 of 27 present, 14 needed. */
  gremium_meeting_get_quorum (gremium_test_council_view (c, "m01"), &quorum);
  g_assert_cmpuint (quorum.members, ==, 27);
  g_assert_cmpuint (quorum.present, ==, 13);
  g_assert_cmpuint (quorum.required, ==, 14);
  g_assert_false (quorum.reached);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "q1", "open", "simple", yes_no_abstain, NULL, 0),
                               GREMIUM_ERROR_INVALID_STATE);

  /* m13 arrives, but is excluded from the item: still 13. */
  gremium_test_council_attend (c, "m13");
  gremium_test_council_submit (c, "m13", GREMIUM_KIND_CONFLICT_DECLARE,
                               gremium_test_data ("item", "#1", "member", "m13", "reason", "Eigentümer", NULL));
  gremium_test_council_sync (c);
  gremium_meeting_get_quorum (gremium_test_council_view (c, "chair"), &quorum);
  g_assert_cmpuint (quorum.present, ==, 13);
  g_assert_false (quorum.reached);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "q1", "open", "simple", yes_no_abstain, NULL, 0),
                               GREMIUM_ERROR_INVALID_STATE);

  /* m14 makes the quorum. */
  gremium_test_council_attend (c, "m14");
  gremium_test_council_sync (c);
  gremium_meeting_get_quorum (gremium_test_council_view (c, "guest"), &quorum);
  g_assert_true (quorum.reached);
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "q1", "open", "simple", yes_no_abstain, NULL, 0));
  gremium_test_council_wait_state (c, "q1", GREMIUM_VOTE_STATE_OPEN);
  g_assert_false (gremium_vote_is_eligible (gremium_test_council_vote (c, "m13", "q1"), "m13"));
  g_assert_cmpuint (g_strv_length ((GStrv) gremium_vote_get_eligible (gremium_test_council_vote (c, "m13", "q1"))),
                    ==, 14);
}

/* Befangenheit (ThürKO § 38): excluded members are not eligible, their
 * ballots are refused, and the minutes count them.
 */
static void
test_conflict_of_interest (Fixture       *f,
                           gconstpointer  data)
{
  static const char * const tellers[] = { "chair", "m01", "m02", NULL };
  GremiumTestCouncil *c = f->c;
  const guint expected[] = { 15, 8, 1 };
  g_autofree char *de = NULL;
  JsonObject *with_excluded;

  gremium_test_council_submit (c, "m05", GREMIUM_KIND_CONFLICT_DECLARE,
                               gremium_test_data ("item", "#1", "member", "m05", "reason",
                                                  "Grundstücksnachbar", NULL));
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_CONFLICT_DECLARE,
                               gremium_test_data ("item", "#1", "member", "m06", "reason", "", NULL));
  gremium_test_council_sync (c);

  /* The chair cannot put an excluded member back on the list. */
  with_excluded = gremium_test_council_open_data (c, "b1", "secret", "simple", yes_no_abstain, tellers, 0);
  json_array_add_string_element (json_object_get_array_member (with_excluded, "eligible"), "m05");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN, with_excluded, GREMIUM_ERROR_INVALID_FIELD);

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "b1", "secret", "simple",
                                                               yes_no_abstain, tellers, 0));
  gremium_test_council_wait_state (c, "b1", GREMIUM_VOTE_STATE_OPEN);
  for (guint i = 0; i < c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (c, viewer, "b1");

      g_assert_false (gremium_vote_is_eligible (vote, "m05"));
      g_assert_false (gremium_vote_is_eligible (vote, "m06"));
      g_assert_true (gremium_vote_is_eligible (vote, "m07"));
      g_assert_cmpuint (g_strv_length ((GStrv) gremium_vote_get_eligible (vote)), ==, 24);
    }

  /* Their ballots are refused, and the exclusion cannot change now. */
  gremium_test_council_refuse (c, "m05", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_council_ballot_data (c, "m05", "b1", 0, NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "m06", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_council_ballot_data (c, "m06", "b1", 1, NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_CONFLICT_WITHDRAW,
                               gremium_test_data ("item", "#1", "member", "m05", NULL),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse (c, "m07", GREMIUM_KIND_CONFLICT_DECLARE,
                               gremium_test_data ("item", "#1", "member", "m07", "reason", "", NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  /* The 24 eligible votes close the vote. */
  cast_range (c, "b1", 1, 4, 0);
  cast_range (c, "b1", 7, 17, 0);
  cast_range (c, "b1", 18, 24, 1);
  cast_range (c, "b1", 25, 25, 2);
  g_free (gremium_test_council_cast (c, "chair", "b1", 1));
  gremium_test_council_wait_state (c, "b1", GREMIUM_VOTE_STATE_DECIDED);
  assert_counts (c, "b1", expected);

  de = result_text (c, "b1", "de");
  g_assert_cmpstr (de, ==, "Stimmabgabe: geheim | Mitglieder: 27 | Stimmberechtigt: 25 | "
                   "anwesend und stimmberechtigt: 24 | Ja: 15 | Nein: 8 | Enthaltung: 1 | "
                   "nicht abgestimmt: 0 | von der Abstimmung ausgeschlossen (§ 38): 2 | "
                   "Mehrheit: einfache Mehrheit | Ergebnis: angenommen");
  refuse_changed_results (c, "b1");
  gremium_test_council_publish (c, "b1");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/Gremium/Vote/open", Fixture, NULL, setup, test_open, teardown);
  g_test_add ("/Gremium/Vote/named-manual-close", Fixture, NULL, setup, test_named_manual_close, teardown);
  g_test_add ("/Gremium/Vote/secret", Fixture, NULL, setup, test_secret, teardown);
  g_test_add ("/Gremium/Vote/election-runoff", Fixture, NULL, setup, test_election_runoff, teardown);
  g_test_add ("/Gremium/Vote/election-runoff-lot", Fixture, NULL, setup, test_election_runoff_lot, teardown);
  g_test_add ("/Gremium/Vote/election-first-round-lot", Fixture, NULL, setup,
              test_election_first_round_lot, teardown);
  g_test_add ("/Gremium/Vote/time-limit", Fixture, NULL, setup, test_time_limit, teardown);
  g_test_add ("/Gremium/Vote/missing-teller", Fixture, NULL, setup, test_missing_teller, teardown);
  g_test_add ("/Gremium/Vote/quorum", Fixture, GUINT_TO_POINTER (12), setup, test_quorum, teardown);
  g_test_add ("/Gremium/Vote/conflict-of-interest", Fixture, NULL, setup, test_conflict_of_interest, teardown);

  return g_test_run ();
}
