/* test-vote-election.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gremium-server-meeting.h>

#include "gremium-test-council.h"

/* Elections and the tellers' part of secret votes over the real server, with
 * a council of 25 members, the chair, the minute-taker, staff and a guest,
 * each on their own client: runoffs, ties decided by lot, a teller who never
 * decrypts. Every client computes every vote from the record alone; a test
 * looks at the result only after every client has reached it, and checks
 * that they all agree. (test-vote.c has the motions.)
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
  gremium_test_council_cast_range (c, "w1", 1, 10, 0);
  gremium_test_council_cast_range (c, "w1", 11, 18, 1);
  gremium_test_council_cast_range (c, "w1", 19, 23, 2);
  gremium_test_council_cast_range (c, "w1", 24, 24, 3);
  gremium_test_council_cast_range (c, "w1", 25, 25, -1);
  g_free (gremium_test_council_cast (c, "chair", "w1", 3));
  gremium_test_council_wait_state (c, "w1", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_assert_counts (c, "w1", first_round);
  assert_runoff (c, "w1", 0, 1, FALSE);

  de = gremium_test_council_result_text (c, "w1", "de");
  g_assert_cmpstr (de, ==, "Stimmabgabe: geheime Wahl | Mitglieder: 27 | Stimmberechtigt: 27 | "
                   "anwesend und stimmberechtigt: 26 | Anna Becker: 10 | Bernd Vogel: 8 | "
                   "Carla Sommer: 5 | Dora Weiß: 2 | Enthaltungen: 1 | nicht abgestimmt: 0 | "
                   "von der Abstimmung ausgeschlossen (§ 38): 0 | "
                   "Mehrheit: mehr als die Hälfte der Stimmen der anwesenden Stimmberechtigten | "
                   "Ergebnis: Stichwahl zwischen "
                   "Anna Becker und Bernd Vogel");
  gremium_test_council_refuse_changed_results (c, "w1");

  /* No runoff before the first round is published. */
  {
    static const char * const chair_only[] = { "chair", NULL };
    JsonObject *early = gremium_test_council_open_data (c, "w2", "election", "election",
                                                        runoff_candidates, chair_only, 0);

    json_object_set_string_member (early, "runoff_of", "w1");
    gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN, early,
                                 GREMIUM_ERROR_INVALID_STATE);
  }

  gremium_test_council_publish (c, "w1");

  open_election (c, "w2", runoff_candidates, "w1");
  gremium_test_council_cast_range (c, "w2", 1, 11, 0);
  gremium_test_council_cast_range (c, "w2", 12, 25, 1);
  g_free (gremium_test_council_cast (c, "chair", "w2", -1));
  gremium_test_council_wait_state (c, "w2", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_assert_counts (c, "w2", second_round);

  for (guint i = 0; i < c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (c, viewer, "w2");

      g_assert_cmpint (gremium_vote_get_outcome (vote), ==, GREMIUM_VOTE_OUTCOME_ELECTED);
      g_assert_cmpint (gremium_vote_get_elected (vote), ==, 1);
      g_assert_false (gremium_vote_get_decided_by_lot (vote));
    }

  en = gremium_test_council_result_text (c, "w2", "en");
  g_assert_true (g_str_has_suffix (en, "Anna Becker: 11 | Bernd Vogel: 14 | Abstentions: 1 | "
                                   "Did not vote: 0 | Excluded from the vote (§ 38): 0 | "
                                   "Majority: runoff, most votes | Result: elected: Bernd Vogel"));
  gremium_test_council_refuse_changed_results (c, "w2");
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
      GremiumStatement *statement = gremium_test_council_find_statement (c, GREMIUM_KIND_VOTE_LOT,
                                                                         vote_id, tellers[i], NULL);
      JsonObject *data = gremium_statement_get_data (statement);
      const char *text = json_object_get_string_member (data, "value");
      guint8 lot_value[32];

      g_assert_true (gremium_base64_decode_exact (text, lot_value, sizeof lot_value, NULL));
      APPEND_LP (tellers[i]);
      g_byte_array_append (seed_input, lot_value, sizeof lot_value);
    }

#undef APPEND_LP

  g_assert_true (gremium_merkle_tree_get_root (gremium_server_meeting_get_tree (meeting),
                                               close_index + 1, root));
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
  gremium_test_council_cast_range (c, "w1", 1, 11, 0);
  gremium_test_council_cast_range (c, "w1", 12, 20, 1);
  gremium_test_council_cast_range (c, "w1", 21, 25, 2);
  g_free (gremium_test_council_cast (c, "chair", "w1", 2));
  gremium_test_council_wait_state (c, "w1", GREMIUM_VOTE_STATE_DECIDED);
  assert_runoff (c, "w1", 0, 1, FALSE);
  gremium_test_council_publish (c, "w1");

  open_election (c, "w2", runoff_candidates, "w1");
  gremium_test_council_cast_range (c, "w2", 1, 12, 0);
  gremium_test_council_cast_range (c, "w2", 13, 24, 1);
  gremium_test_council_cast_range (c, "w2", 25, 25, -1);
  g_free (gremium_test_council_cast (c, "chair", "w2", -1));

  gremium_test_council_wait_state (c, "w2", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_assert_counts (c, "w2", tie);
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

  de = gremium_test_council_result_text (c, "w2", "de");
  g_assert_true (g_str_has_suffix (de, "(durch Los entschieden)"));
  g_assert_nonnull (strstr (de,
                            elected == 0 ? "gewählt ist Anna Becker" : "gewählt ist Bernd Vogel"));

  gremium_test_council_refuse_changed_results (c, "w2");
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
  gremium_test_council_cast_range (c, "w1", 1, 8, 0);
  gremium_test_council_cast_range (c, "w1", 9, 16, 1);
  gremium_test_council_cast_range (c, "w1", 17, 24, 2);
  gremium_test_council_cast_range (c, "w1", 25, 25, -1);
  gremium_test_council_sync (c);
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CLOSE,
                               gremium_test_data ("vote", "w1", NULL));
  gremium_test_council_wait_state (c, "w1", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_assert_counts (c, "w1", counts);

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
    g_autofree char *de = gremium_test_council_result_text (c, "w1", "de");

    g_assert_nonnull (strstr (de, "nicht abgestimmt: 1"));
    g_assert_true (g_str_has_suffix (de, "(durch Los entschieden)"));
  }
  gremium_test_council_refuse_changed_results (c, "w1");
  gremium_test_council_publish (c, "w1");
}

/* With a time limit the server closes the vote itself, with a statement
 * signed by its own key, and later ballots are refused.
 */

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
        if (!g_str_equal (tellers[j],
                          wait->teller) && !gremium_vote_has_decryption (vote, tellers[j]))
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

  gremium_test_council_cast_range (c, "s1", 1, 20, 0);
  gremium_test_council_cast_range (c, "s1", 21, 25, 1);
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
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT,
                               gremium_test_data ("vote", "s1", NULL),
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
                                                  "Ein Stimmzähler ist ausgefallen; "
                                                  "die Wahl wird wiederholt.", NULL));
  gremium_test_council_wait_state (c, "s1", GREMIUM_VOTE_STATE_CANCELLED);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_CANCEL,
                               gremium_test_data ("vote", "s1", "reason", "noch einmal", NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  /* The repeated vote, with another teller. */
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "s2", "secret", "simple",
                                                               yes_no_abstain, other_tellers, 0));
  gremium_test_council_wait_state (c, "s2", GREMIUM_VOTE_STATE_OPEN);
  gremium_test_council_cast_range (c, "s2", 1, 20, 0);
  gremium_test_council_cast_range (c, "s2", 21, 25, 1);
  g_free (gremium_test_council_cast (c, "chair", "s2", 1));
  gremium_test_council_wait_state (c, "s2", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_assert_counts (c, "s2", repeated);
  gremium_test_council_publish (c, "s2");
}

/* The council cannot decide without a quorum: more than half of the 27
 * voting members present and not excluded.
 */

/* Votes closed before anyone voted: the tellers decrypt an empty tally (the
 * identity everywhere, which libsodium's scalar multiplication reports as
 * an error) and every count is 0.
 */
static void
test_no_ballots (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const tellers[] = { "chair", "m01", "m02", NULL };
  GremiumTestCouncil *c = f->c;
  const guint zero_motion[] = { 0, 0, 0 };
  const guint zero_election[] = { 0, 0, 0, 0 };
  g_autofree char *de = NULL;

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "e1", "secret", "simple",
                                                               yes_no_abstain, tellers, 0));
  gremium_test_council_wait_state (c, "e1", GREMIUM_VOTE_STATE_OPEN);
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CLOSE, gremium_test_data ("vote", "e1", NULL));
  gremium_test_council_wait_state (c, "e1", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_assert_counts (c, "e1", zero_motion);
  g_assert_cmpint (gremium_vote_get_outcome (gremium_test_council_vote (c, "m09", "e1")), ==,
                   GREMIUM_VOTE_OUTCOME_REJECTED);
  de = gremium_test_council_result_text (c, "e1", "de");
  g_assert_nonnull (strstr (de, "nicht abgestimmt: 26"));
  gremium_test_council_publish (c, "e1");

  open_election (c, "e2", four_candidates, NULL);
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CLOSE, gremium_test_data ("vote", "e2", NULL));
  gremium_test_council_wait_state (c, "e2", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_assert_counts (c, "e2", zero_election);
  g_assert_cmpint (gremium_vote_get_outcome (gremium_test_council_vote (c, "m09", "e2")), ==,
                   GREMIUM_VOTE_OUTCOME_NOT_ELECTED);
  gremium_test_council_publish (c, "e2");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/Gremium/VoteElection/runoff", Fixture, NULL, setup, test_election_runoff, teardown);
  g_test_add ("/Gremium/VoteElection/runoff-lot", Fixture, NULL, setup, test_election_runoff_lot,
              teardown);
  g_test_add ("/Gremium/VoteElection/first-round-lot", Fixture, NULL, setup,
              test_election_first_round_lot,
              teardown);
  g_test_add ("/Gremium/VoteElection/missing-teller", Fixture, NULL, setup, test_missing_teller,
              teardown);
  g_test_add ("/Gremium/VoteElection/no-ballots", Fixture, NULL, setup, test_no_ballots, teardown);

  return g_test_run ();
}
