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
 * the minute-taker, staff and a guest, each on their own client. Every client
 * computes every vote from the record alone; a test looks at the result
 * only after every client has reached it, and checks that they all agree.
 * (test-vote-election.c has the elections and the tellers' failures.)
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

static guint
n_eligible (GremiumTestCouncil *c,
            const char         *viewer,
            const char         *vote_id)
{
  GremiumVote *vote = gremium_test_council_vote (c, viewer, vote_id);

  return g_strv_length ((GStrv) gremium_vote_get_eligible (vote));
}

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
  g_assert_cmpuint (n_eligible (c, "m01", "v1"), ==, 26);

  gremium_test_council_cast_range (c, "v1", 1, 14, 0);
  gremium_test_council_cast_range (c, "v1", 15, 22, 1);
  gremium_test_council_cast_range (c, "v1", 23, 25, 2);
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
  gremium_test_council_submit (c, "m07", GREMIUM_KIND_VOTE_RECORD_OWN,
                               gremium_test_data ("vote", "v1", NULL));
  gremium_test_council_refuse (c, "m07", GREMIUM_KIND_VOTE_RECORD_OWN,
                               gremium_test_data ("vote", "v1", NULL), GREMIUM_ERROR_INVALID_STATE);

  /* No result before the vote is decided. */
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT,
                               gremium_test_data ("vote", "v1", NULL), GREMIUM_ERROR_INVALID_STATE);

  /* The last eligible ballot closes the vote by itself. */
  g_free (gremium_test_council_cast (c, "chair", "v1", 1));
  gremium_test_council_wait_state (c, "v1", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_assert_counts (c, "v1", expected);
  gremium_test_council_assert_agree (c, "v1");

  for (guint i = 0; i < c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (c, viewer, "v1");

      g_assert_cmpint (gremium_vote_get_outcome (vote), ==, GREMIUM_VOTE_OUTCOME_ADOPTED);
      g_assert_true (gremium_vote_wants_recorded (vote, "m07"));
      g_assert_false (gremium_vote_wants_recorded (vote, "m08"));
    }

  de = gremium_test_council_result_text (c, "v1", "de");
  g_assert_cmpstr (de, ==, "Stimmabgabe: offen | Mitglieder: 27 | Stimmberechtigt: 27 | "
                   "anwesend und stimmberechtigt: 26 | Ja: 14 | Nein: 9 | Enthaltung: 3 | "
                   "nicht abgestimmt: 0 | von der Abstimmung ausgeschlossen (§ 38): 0 | "
                   "Mehrheit: einfache Mehrheit | Ergebnis: angenommen");
  en = gremium_test_council_result_text (c, "v1", "en");
  g_assert_true (g_str_has_suffix (en, "Majority: simple majority | Result: adopted"));

  /* No ballot after the close. */
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#1", NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  gremium_test_council_refuse_changed_results (c, "v1");
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
  gremium_test_council_cast_range (c, "n1", 1, 13, 0);
  gremium_test_council_cast_range (c, "n1", 14, 19, 1);
  g_free (gremium_test_council_cast (c, "chair", "n1", 0));

  /* A named vote records everyone by name anyway. */
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_RECORD_OWN,
                               gremium_test_data ("vote", "n1", NULL), GREMIUM_ERROR_INVALID_STATE);

  /* Only the chair closes. */
  gremium_test_council_refuse (c, "m20", GREMIUM_KIND_VOTE_CLOSE,
                               gremium_test_data ("vote", "n1", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "clerk", GREMIUM_KIND_VOTE_CLOSE,
                               gremium_test_data ("vote", "n1", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_sync (c);
  g_assert_cmpint (gremium_vote_get_state (gremium_test_council_vote (c, "m01", "n1")), ==,
                   GREMIUM_VOTE_STATE_OPEN);

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CLOSE,
                               gremium_test_data ("vote", "n1", NULL));
  gremium_test_council_wait_state (c, "n1", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_assert_counts (c, "n1", expected);

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

  de = gremium_test_council_result_text (c, "n1", "de");
  g_assert_cmpstr (de, ==, "Stimmabgabe: namentlich | Mitglieder: 27 | Stimmberechtigt: 27 | "
                   "anwesend und stimmberechtigt: 26 | Ja: 14 | Nein: 6 | Enthaltung: 0 | "
                   "nicht abgestimmt: 6 | von der Abstimmung ausgeschlossen (§ 38): 0 | "
                   "Mehrheit: Mehrheit der Mitglieder | Ergebnis: angenommen");

  /* Those who did not vote cannot any more. */
  gremium_test_council_refuse (c, "m20", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "n1", "choice", "#0", NULL),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_CLOSE,
                               gremium_test_data ("vote", "n1", NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  gremium_test_council_refuse_changed_results (c, "n1");
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

      if (gremium_vote_get_n_ballots (gremium_test_council_vote (wait->c, viewer,
                                                                 wait->vote_id)) < wait->n)
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
  GremiumServerMeeting *server_meeting = gremium_test_council_server_meeting (c);
  GremiumMeeting *server_model = gremium_server_meeting_get_model (server_meeting);
  g_autofree char *de = NULL;

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "s1", "secret", "two-thirds",
                                                               yes_no_abstain, tellers, 0));

  /* The tellers' agents deliver their key shares by themselves. */
  gremium_test_council_wait_state (c, "s1", GREMIUM_VOTE_STATE_OPEN);
  for (guint i = 0; tellers[i] != NULL; i++)
    g_assert_true (gremium_vote_has_teller_key (gremium_test_council_vote (c, "guest", "s1"),
                                                tellers[i]));

  for (guint i = 1; i <= N_MEMBERS; i++)
    {
      g_autofree char *id = member_id (i);
      gint choice = i <= 17 ? 0 : i <= 23 ? 1 : 2;

      g_hash_table_insert (trackers, g_strdup (id),
                           gremium_test_council_cast (c, id, "s1", choice));
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

      GremiumVote *vote = gremium_meeting_lookup_vote (server_model, "s1");

      g_assert_cmpint (gremium_vote_get_choice (vote, id), ==, -1);
    }

  /* Never in a secret vote. */
  gremium_test_council_refuse (c, "m03", GREMIUM_KIND_VOTE_RECORD_OWN,
                               gremium_test_data ("vote", "s1", NULL), GREMIUM_ERROR_INVALID_STATE);

  /* The chair's ballot closes the vote; the tellers decrypt the sum. */
  g_hash_table_insert (trackers, g_strdup ("chair"),
                       gremium_test_council_cast (c, "chair", "s1", 1));
  gremium_test_council_wait_state (c, "s1", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_assert_counts (c, "s1", expected);
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

  de = gremium_test_council_result_text (c, "s1", "de");
  g_assert_cmpstr (de, ==, "Stimmabgabe: geheim | Mitglieder: 27 | Stimmberechtigt: 27 | "
                   "anwesend und stimmberechtigt: 26 | Ja: 17 | Nein: 7 | Enthaltung: 2 | "
                   "nicht abgestimmt: 0 | von der Abstimmung ausgeschlossen (§ 38): 0 | "
                   "Mehrheit: Zweidrittelmehrheit | Ergebnis: angenommen");

  gremium_test_council_refuse_changed_results (c, "s1");
  gremium_test_council_publish (c, "s1");
}

/* Casts ballots for m<first> … m<last> (choice i % 2) as long as the
 * vote takes them, as on a slow machine the time limit may end the vote
 * early, and adds those that made it to @counts.
 */
static void
cast_while_open (GremiumTestCouncil *c,
                 const char         *vote_id,
                 guint               first,
                 guint               last,
                 guint              *counts)
{
  for (guint i = first; i <= last; i++)
    {
      g_autofree char *id = member_id (i);
      GremiumClient *client = gremium_test_council_client (c, id);
      GremiumVote *vote = gremium_test_council_vote (c, id, vote_id);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(JsonObject) data = NULL;
      g_autoptr(GError) error = NULL;

      if (gremium_vote_get_state (vote) != GREMIUM_VOTE_STATE_OPEN)
        return;

      data = gremium_test_council_ballot_data (c, id, vote_id, i % 2, NULL);
      gremium_client_submit_async (client, c->meeting_id, GREMIUM_KIND_VOTE_BALLOT, data, NULL,
                                   gremium_test_result_cb, &result);
      if (!gremium_client_submit_finish (client, gremium_test_wait_result (&result), NULL, &error))
        {
          g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE);
          g_test_message ("The time limit ended the vote before %s voted", id);
          return;
        }
      counts[i % 2]++;
    }
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
  guint open_counts[3] = { 0, 0, 0 };
  guint secret_counts[3] = { 0, 0, 0 };
  g_autoptr(JsonObject) late = NULL;
  g_autofree char *de = NULL;
  g_autofree char *not_voted = NULL;

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "t1", "open", "simple",
                                                               yes_no_abstain, NULL, 2));
  g_assert_cmpint (gremium_vote_get_deadline (gremium_test_council_vote (c, "chair", "t1")), >, 0);
  cast_while_open (c, "t1", 1, 6, open_counts);

  gremium_test_council_wait_state (c, "t1", GREMIUM_VOTE_STATE_DECIDED);
  close = gremium_test_council_find_statement (c, GREMIUM_KIND_VOTE_CLOSE, "t1", NULL, NULL);
  g_assert_cmpstr (gremium_statement_get_author (close), ==, GREMIUM_AUTHOR_SERVER);
  gremium_test_council_assert_counts (c, "t1", open_counts);
  de = gremium_test_council_result_text (c, "t1", "de");
  not_voted = g_strdup_printf ("nicht abgestimmt: %u", 26 - open_counts[0] - open_counts[1]);
  g_assert_nonnull (strstr (de, not_voted));

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

  /* m24 makes a ballot in time but sends it too late. */
  late = gremium_test_council_ballot_data (c, "m24", "t2", 0, NULL);
  cast_while_open (c, "t2", 1, 3, secret_counts);

  gremium_test_council_wait_state (c, "t2", GREMIUM_VOTE_STATE_DECIDED);
  close = gremium_test_council_find_statement (c, GREMIUM_KIND_VOTE_CLOSE, "t2", NULL, NULL);
  g_assert_cmpstr (gremium_statement_get_author (close), ==, GREMIUM_AUTHOR_SERVER);
  gremium_test_council_assert_counts (c, "t2", secret_counts);
  gremium_test_council_assert_agree (c, "t2");

  gremium_test_council_refuse (c, "m24", GREMIUM_KIND_VOTE_BALLOT, g_steal_pointer (&late),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_publish (c, "t2");
}

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
                               gremium_test_council_open_data (c, "q1", "open", "simple",
                                                               yes_no_abstain, NULL, 0),
                               GREMIUM_ERROR_INVALID_STATE);

  /* m13 arrives, but is excluded from the item: still 13. */
  gremium_test_council_attend (c, "m13");
  gremium_test_council_submit (c, "m13", GREMIUM_KIND_CONFLICT_DECLARE,
                               gremium_test_data ("item", "#1", "member", "m13", "reason",
                                                  "Eigentümer", NULL));
  gremium_test_council_sync (c);
  gremium_meeting_get_quorum (gremium_test_council_view (c, "chair"), &quorum);
  g_assert_cmpuint (quorum.present, ==, 13);
  g_assert_false (quorum.reached);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "q1", "open", "simple",
                                                               yes_no_abstain, NULL, 0),
                               GREMIUM_ERROR_INVALID_STATE);

  /* m14 makes the quorum. */
  gremium_test_council_attend (c, "m14");
  gremium_test_council_sync (c);
  gremium_meeting_get_quorum (gremium_test_council_view (c, "guest"), &quorum);
  g_assert_true (quorum.reached);
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "q1", "open", "simple",
                                                               yes_no_abstain, NULL, 0));
  gremium_test_council_wait_state (c, "q1", GREMIUM_VOTE_STATE_OPEN);
  g_assert_false (gremium_vote_is_eligible (gremium_test_council_vote (c, "m13", "q1"), "m13"));
  g_assert_cmpuint (n_eligible (c, "m13", "q1"), ==, 14);
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
                               gremium_test_data ("item", "#1", "member", "m06", "reason", "",
                                                  NULL));
  gremium_test_council_sync (c);

  /* The chair cannot put an excluded member back on the list. */
  with_excluded = gremium_test_council_open_data (c, "b1", "secret", "simple", yes_no_abstain,
                                                  tellers, 0);
  json_array_add_string_element (json_object_get_array_member (with_excluded, "eligible"), "m05");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN, with_excluded,
                               GREMIUM_ERROR_INVALID_FIELD);

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
                               gremium_test_data ("item", "#1", "member", "m07", "reason", "",
                                                  NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  /* The 24 eligible votes close the vote. */
  gremium_test_council_cast_range (c, "b1", 1, 4, 0);
  gremium_test_council_cast_range (c, "b1", 7, 17, 0);
  gremium_test_council_cast_range (c, "b1", 18, 24, 1);
  gremium_test_council_cast_range (c, "b1", 25, 25, 2);
  g_free (gremium_test_council_cast (c, "chair", "b1", 1));
  gremium_test_council_wait_state (c, "b1", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_assert_counts (c, "b1", expected);

  de = gremium_test_council_result_text (c, "b1", "de");
  g_assert_cmpstr (de, ==, "Stimmabgabe: geheim | Mitglieder: 27 | Stimmberechtigt: 25 | "
                   "anwesend und stimmberechtigt: 24 | Ja: 15 | Nein: 8 | Enthaltung: 1 | "
                   "nicht abgestimmt: 0 | von der Abstimmung ausgeschlossen (§ 38): 2 | "
                   "Mehrheit: einfache Mehrheit | Ergebnis: angenommen");
  gremium_test_council_refuse_changed_results (c, "b1");
  gremium_test_council_publish (c, "b1");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/Gremium/Vote/open", Fixture, NULL, setup, test_open, teardown);
  g_test_add ("/Gremium/Vote/named-manual-close", Fixture, NULL, setup, test_named_manual_close,
              teardown);
  g_test_add ("/Gremium/Vote/secret", Fixture, NULL, setup, test_secret, teardown);
  g_test_add ("/Gremium/Vote/time-limit", Fixture, NULL, setup, test_time_limit, teardown);
  g_test_add ("/Gremium/Vote/quorum", Fixture, GUINT_TO_POINTER (12), setup, test_quorum, teardown);
  g_test_add ("/Gremium/Vote/conflict-of-interest", Fixture, NULL, setup, test_conflict_of_interest,
              teardown);

  return g_test_run ();
}
