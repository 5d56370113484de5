/* test-vote-flow.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gremium-error.h>
#include <gremium-teller-agent.h>
#include <gremium-vote-private.h>

#include "gremium-test-utils.h"

/* A council of a chair and N members, all present, on a real server. */
typedef struct
{
  GremiumTestServer *ts;
  char              *meeting_id;
  GPtrArray         *clients;     /* chair first, then m01 … */
  GPtrArray         *agents;
} Fixture;

#define N_MEMBERS 8

static GremiumClient *
client_of (Fixture    *f,
           const char *member_id)
{
  for (guint i = 0; i < f->clients->len; i++)
    if (g_str_equal (gremium_client_get_member_id (g_ptr_array_index (f->clients, i)), member_id))
      return g_ptr_array_index (f->clients, i);

  g_assert_not_reached ();
}

static GremiumMeeting *
view_of (Fixture    *f,
         const char *member_id)
{
  return gremium_client_get_meeting (client_of (f, member_id), f->meeting_id);
}

static void
submit_ok (Fixture    *f,
           const char *who,
           const char *kind,
           JsonObject *data)
{
  g_autoptr(GError) error = NULL;

  gremium_test_client_submit (client_of (f, who), f->meeting_id, kind, data, &error);
  g_assert_no_error (error);
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->ts = gremium_test_server_new ();
  gremium_test_server_add_member (f->ts, "chair", "Clara Vorsitz", GREMIUM_ROLE_CHAIR);
  for (guint i = 1; i <= N_MEMBERS; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%02u", i);

      gremium_test_server_add_member (f->ts, id, id, GREMIUM_ROLE_MEMBER);
    }
  f->meeting_id = gremium_test_server_create_meeting (f->ts, 2, 0);
  f->clients = g_ptr_array_new_with_free_func (g_object_unref);
  f->agents = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i <= N_MEMBERS; i++)
    {
      g_autofree char *id = i == 0 ? g_strdup ("chair") : g_strdup_printf ("m%02u", i);
      GremiumClient *client = gremium_test_client_enrol (f->ts, id, &error);

      g_assert_no_error (error);
      gremium_test_client_attend (client, f->meeting_id, &error);
      g_assert_no_error (error);
      g_ptr_array_add (f->clients, client);
      g_ptr_array_add (f->agents, gremium_teller_agent_new (client, f->meeting_id));

      if (i == 0)
        submit_ok (f, "chair", GREMIUM_KIND_MEETING_OPEN, NULL);
      else
        submit_ok (f, "chair", GREMIUM_KIND_LOBBY_ADMIT, gremium_test_data ("member", id, NULL));
    }

  submit_ok (f, "chair", GREMIUM_KIND_AGENDA_SELECT, gremium_test_data ("item", "#1", NULL));
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_pointer (&f->agents, g_ptr_array_unref);
  g_clear_pointer (&f->clients, g_ptr_array_unref);
  g_clear_pointer (&f->meeting_id, g_free);
  gremium_test_server_free (f->ts);
}

static JsonObject *
open_data (Fixture            *f,
           const char         *vote_id,
           const char         *type,
           const char         *majority,
           const char * const *options,
           const char * const *tellers)
{
  JsonObject *data = json_object_new ();
  JsonArray *array;
  g_auto(GStrv) eligible = gremium_meeting_dup_eligible (view_of (f, "chair"));

  json_object_set_string_member (data, "vote", vote_id);
  json_object_set_string_member (data, "type", type);
  json_object_set_string_member (data, "question", "Soll der Bebauungsplan beschlossen werden?");
  array = json_array_new ();
  for (guint i = 0; options[i] != NULL; i++)
    json_array_add_string_element (array, options[i]);
  json_object_set_array_member (data, "options", array);
  array = json_array_new ();
  for (guint i = 0; eligible[i] != NULL; i++)
    json_array_add_string_element (array, eligible[i]);
  json_object_set_array_member (data, "eligible", array);
  json_object_set_string_member (data, "majority", majority);
  array = json_array_new ();
  for (guint i = 0; tellers != NULL && tellers[i] != NULL; i++)
    json_array_add_string_element (array, tellers[i]);
  json_object_set_array_member (data, "tellers", array);
  json_object_set_int_member (data, "limit", 0);

  return data;
}

typedef struct
{
  Fixture          *f;
  const char       *vote_id;
  GremiumVoteState  state;
} StateWait;

static gboolean
everyone_reached (gpointer user_data)
{
  StateWait *wait = user_data;

  for (guint i = 0; i < wait->f->clients->len; i++)
    {
      GremiumMeeting *view = gremium_client_get_meeting (g_ptr_array_index (wait->f->clients, i),
                                                         wait->f->meeting_id);
      GremiumVote *vote = gremium_meeting_lookup_vote (view, wait->vote_id);

      if (vote == NULL || gremium_vote_get_state (vote) != wait->state)
        return FALSE;
    }

  return TRUE;
}

static void
wait_state (Fixture          *f,
            const char       *vote_id,
            GremiumVoteState  state)
{
  StateWait wait = { f, vote_id, state };

  if (!gremium_test_wait_until (everyone_reached, &wait, 20000))
    g_error ("Vote %s did not reach state %d everywhere (chair sees %d)", vote_id, state,
             gremium_vote_get_state (gremium_meeting_lookup_vote (view_of (f, "chair"), vote_id)));
}

/* Casts one ballot per member: member i chooses choice_of(i). */
static void
cast_all (Fixture    *f,
          const char *vote_id,
          guint     (*choice_of) (guint member),
          guint       n_options)
{
  for (guint i = 1; i <= N_MEMBERS; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%02u", i);
      GremiumVote *vote = gremium_meeting_lookup_vote (view_of (f, id), vote_id);
      g_autofree guint8 *choices = g_new0 (guint8, n_options);
      g_autoptr(GError) error = NULL;
      g_autofree char *tracker = NULL;
      guint choice = choice_of (i);
      JsonObject *data;

      if (choice < n_options)
        choices[choice] = 1;
      data = gremium_vote_build_ballot (vote, id, choices, n_options, &tracker, &error);
      g_assert_no_error (error);
      submit_ok (f, id, GREMIUM_KIND_VOTE_BALLOT, data);
    }

  /* The chair votes too: always "no" / the first candidate. */
  {
    GremiumVote *vote = gremium_meeting_lookup_vote (view_of (f, "chair"), vote_id);
    g_autofree guint8 *choices = g_new0 (guint8, n_options);
    g_autoptr(GError) error = NULL;
    JsonObject *data;

    choices[gremium_vote_get_vote_type (vote) == GREMIUM_VOTE_TYPE_ELECTION ? 0 : 1] = 1;
    data = gremium_vote_build_ballot (vote, "chair", choices, n_options, NULL, &error);
    g_assert_no_error (error);
    submit_ok (f, "chair", GREMIUM_KIND_VOTE_BALLOT, data);
  }
}

static guint
mostly_yes (guint member)
{
  /* m01–m05 yes, m06–m07 no, m08 abstains */
  return member <= 5 ? 0 : member <= 7 ? 1 : 2;
}

static void
publish (Fixture    *f,
         const char *vote_id)
{
  GremiumVote *vote = gremium_meeting_lookup_vote (view_of (f, "chair"), vote_id);

  submit_ok (f, "chair", GREMIUM_KIND_VOTE_RESULT, gremium_vote_build_result (vote));
  wait_state (f, vote_id, GREMIUM_VOTE_STATE_PUBLISHED);
}

static void
test_open_vote (Fixture       *f,
                gconstpointer  data)
{
  static const char * const options[] = { "Ja", "Nein", "Enthaltung", NULL };
  GremiumVote *vote;
  g_autofree char *text = NULL;

  submit_ok (f, "chair", GREMIUM_KIND_VOTE_OPEN, open_data (f, "v1", "open", "simple", options, NULL));
  wait_state (f, "v1", GREMIUM_VOTE_STATE_OPEN);
  cast_all (f, "v1", mostly_yes, 3);
  wait_state (f, "v1", GREMIUM_VOTE_STATE_DECIDED);

  vote = gremium_meeting_lookup_vote (view_of (f, "m03"), "v1");
  g_assert_cmpuint (gremium_vote_get_counts (vote)[0], ==, 5);
  g_assert_cmpuint (gremium_vote_get_counts (vote)[1], ==, 3);
  g_assert_cmpuint (gremium_vote_get_counts (vote)[2], ==, 1);
  g_assert_cmpint (gremium_vote_get_outcome (vote), ==, GREMIUM_VOTE_OUTCOME_ADOPTED);
  g_assert_cmpint (gremium_vote_get_choice (vote, "m06"), ==, 1);

  publish (f, "v1");
  text = gremium_vote_format_result (vote, "de");
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "Stimmabgabe: offen | Mitglieder: 9 | Stimmberechtigt: 9"));
  g_assert_nonnull (strstr (text, "Ja: 5 | Nein: 3 | Enthaltung: 1"));
  g_assert_true (g_str_has_suffix (text, "Ergebnis: angenommen"));
}

static void
test_secret_vote (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const options[] = { "Ja", "Nein", "Enthaltung", NULL };
  static const char * const tellers[] = { "chair", "m01", "m02", NULL };
  GremiumVote *vote;
  g_autofree char *tracker = NULL;

  submit_ok (f, "chair", GREMIUM_KIND_VOTE_OPEN,
             open_data (f, "v2", "secret", "two-thirds", options, tellers));

  /* The tellers' agents deliver their key shares by themselves. */
  wait_state (f, "v2", GREMIUM_VOTE_STATE_OPEN);
  cast_all (f, "v2", mostly_yes, 3);

  /* Closed by the last ballot; the tellers decrypt. */
  wait_state (f, "v2", GREMIUM_VOTE_STATE_DECIDED);
  vote = gremium_meeting_lookup_vote (view_of (f, "m08"), "v2");
  g_assert_cmpuint (gremium_vote_get_counts (vote)[0], ==, 5);
  g_assert_cmpuint (gremium_vote_get_counts (vote)[1], ==, 3);
  g_assert_cmpint (gremium_vote_get_outcome (vote), ==, GREMIUM_VOTE_OUTCOME_REJECTED);

  /* Nobody can see how anyone voted; the tracker is public. */
  g_assert_cmpint (gremium_vote_get_choice (vote, "m06"), ==, -1);
  tracker = gremium_vote_dup_tracker (vote, "m06");
  g_assert_nonnull (tracker);

  publish (f, "v2");
}

static guint
three_way (guint member)
{
  /* Candidates A (chair + m01–m03 = 4), B (m04–m06 = 3), C (m07 = 1); m08 abstains. */
  return member <= 3 ? 0 : member <= 6 ? 1 : member == 7 ? 2 : 3;
}

static guint
runoff_tie (guint member)
{
  /* With the chair on A: A gets chair + m01–m03 = 4, B gets m04–m07 = 4, m08 abstains. */
  return member <= 3 ? 0 : member <= 7 ? 1 : 2;
}

static void
test_election_runoff_lot (Fixture       *f,
                          gconstpointer  data)
{
  static const char * const candidates[] = { "Anna Becker", "Bernd Vogel", "Carla Sommer", NULL };
  static const char * const tellers[] = { "chair", "m01", "m02", NULL };
  GremiumVote *vote;
  guint a, b;
  JsonObject *runoff;
  const char * const runoff_candidates[] = { "Anna Becker", "Bernd Vogel", NULL };

  submit_ok (f, "chair", GREMIUM_KIND_VOTE_OPEN,
             open_data (f, "w1", "election", "election", candidates, tellers));
  wait_state (f, "w1", GREMIUM_VOTE_STATE_OPEN);
  cast_all (f, "w1", three_way, 3);
  wait_state (f, "w1", GREMIUM_VOTE_STATE_DECIDED);

  vote = gremium_meeting_lookup_vote (view_of (f, "m05"), "w1");
  g_assert_cmpint (gremium_vote_get_outcome (vote), ==, GREMIUM_VOTE_OUTCOME_RUNOFF);
  g_assert_true (gremium_vote_get_runoff (vote, &a, &b));
  g_assert_cmpuint (a, ==, 0);
  g_assert_cmpuint (b, ==, 1);
  publish (f, "w1");

  runoff = open_data (f, "w2", "election", "election", runoff_candidates, tellers);
  json_object_set_string_member (runoff, "runoff_of", "w1");
  submit_ok (f, "chair", GREMIUM_KIND_VOTE_OPEN, runoff);
  wait_state (f, "w2", GREMIUM_VOTE_STATE_OPEN);
  cast_all (f, "w2", runoff_tie, 2);

  /* A tie in the runoff: the tellers reveal their committed values and
   * every client draws the same lot.
   */
  wait_state (f, "w2", GREMIUM_VOTE_STATE_DECIDED);
  vote = gremium_meeting_lookup_vote (view_of (f, "chair"), "w2");
  g_assert_cmpint (gremium_vote_get_outcome (vote), ==, GREMIUM_VOTE_OUTCOME_ELECTED);
  g_assert_true (gremium_vote_get_decided_by_lot (vote));

  for (guint i = 1; i <= N_MEMBERS; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%02u", i);

      g_assert_cmpint (gremium_vote_get_elected (gremium_meeting_lookup_vote (view_of (f, id), "w2")),
                       ==, gremium_vote_get_elected (vote));
    }

  publish (f, "w2");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/Gremium/VoteFlow/open", Fixture, NULL, setup, test_open_vote, teardown);
  g_test_add ("/Gremium/VoteFlow/secret", Fixture, NULL, setup, test_secret_vote, teardown);
  g_test_add ("/Gremium/VoteFlow/election-runoff-lot", Fixture, NULL, setup,
              test_election_runoff_lot, teardown);

  return g_test_run ();
}
