/* test-vote-attacks.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sodium.h>
#include <string.h>

#include <gremium-group-private.h>
#include <gremium-server-meeting.h>
#include <gremium-tally-private.h>
#include <gremium-teller-key.h>

#include "gremium-test-council.h"
#include "gremium-test-forge.h"

/* Attacks on votes over the real server, by members, guests, staff, the
 * chair and the tellers. Every one must be refused with its own error code
 * and change nothing anywhere: gremium_test_council_refuse() checks the
 * server's record size and every client's whole view before and after.
 *
 * Attacks that need more than an honest client can do (ballots that
 * encrypt 2 or -1, rogue key shares, colluding voters) are built with
 * gremium-test-forge.c, written from docs/voting-crypto.md.
 */

#define N_MEMBERS 25

static const char * const yes_no_abstain[] = { "Ja", "Nein", "Enthaltung", NULL };

typedef struct
{
  GremiumTestCouncil *c;
} Fixture;

/* m25 stays away until a test lets them in; m05 is excluded from item 1. */
static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->c = gremium_test_council_new (N_MEMBERS, N_MEMBERS - 1);
  gremium_test_council_submit (f->c, "m05", GREMIUM_KIND_CONFLICT_DECLARE,
                               gremium_test_data ("item", "#1", "member", "m05", "reason",
                                                  "Eigentümer eines Nachbargrundstücks", NULL));
  gremium_test_council_sync (f->c);
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

/* data of a vote statement that carries a binary document */
static JsonObject *
document_data (const char *vote_id,
               const char *member,
               GBytes     *document)
{
  JsonObject *data = json_object_new ();
  g_autofree char *text = gremium_test_bytes_to_base64 (document);

  json_object_set_string_member (data, "vote", vote_id);
  json_object_set_string_member (data, member, text);
  return data;
}

static JsonObject *
text_data (const char *vote_id,
           const char *member,
           const char *text)
{
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "vote", vote_id);
  json_object_set_string_member (data, member, text);
  return data;
}

/* The decoded binary document of a statement in the record. */
static GBytes *
recorded_document (GremiumTestCouncil *c,
                   const char         *kind,
                   const char         *vote_id,
                   const char         *author,
                   const char         *member)
{
  GremiumStatement *statement = gremium_test_council_find_statement (c, kind, vote_id, author,
                                                                     NULL);
  const char *text = json_object_get_string_member (gremium_statement_get_data (statement), member);
  g_autoptr(GError) error = NULL;
  gsize len;
  guint8 *bytes = gremium_base64_decode (text, &len, &error);

  g_assert_no_error (error);
  return g_bytes_new_take (bytes, len);
}

static GBytes *
string_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* Members m<first> … m<last>, except @skip, choose @choice. */
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
      GremiumVote *vote = gremium_test_council_vote (c, "chair", vote_id);

      if (gremium_vote_is_eligible (vote, id) && !gremium_vote_has_voted (vote, id))
        g_free (gremium_test_council_cast (c, id, vote_id, choice));
    }
}

typedef struct
{
  GremiumTestCouncil *c;
  const char         *vote_id;
  const char * const *tellers;
  gboolean          (*has) (GremiumVote *, const char *);
} TellerWait;

static gboolean
tellers_delivered (gpointer data)
{
  TellerWait *wait = data;

  for (guint i = 0; i < wait->c->clients->len; i++)
    {
      const char *viewer = gremium_client_get_member_id (g_ptr_array_index (wait->c->clients, i));
      GremiumVote *vote = gremium_test_council_vote (wait->c, viewer, wait->vote_id);

      for (guint j = 0; wait->tellers[j] != NULL; j++)
        if (!wait->has (vote, wait->tellers[j]))
          return FALSE;
    }

  return TRUE;
}

static void
wait_tellers (GremiumTestCouncil *c,
              const char         *vote_id,
              const char * const *tellers,
              gboolean          (*has) (GremiumVote *, const char *))
{
  TellerWait wait = { c, vote_id, tellers, has };

  if (!gremium_test_wait_until (tellers_delivered, &wait, 20000))
    g_error ("The tellers' agents did not deliver for vote %s", vote_id);
  gremium_test_council_sync (c);
}

/* A teller the test speaks for by hand: its key and its lot value. */
typedef struct
{
  GremiumTellerKey *key;
  guint8            lot_value[GREMIUM_VOTE_LOT_VALUE_SIZE];
} ManualTeller;

static void
manual_teller_clear (ManualTeller *teller)
{
  g_clear_object (&teller->key);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ManualTeller, manual_teller_clear)

static JsonObject *
teller_key_data (const char *vote_id,
                 GBytes     *share,
                 const char *teller_id,
                 const guint8 lot_value[GREMIUM_VOTE_LOT_VALUE_SIZE])
{
  JsonObject *data = document_data (vote_id, "share", share);
  g_autofree guint8 *commitment = _gremium_vote_lot_commitment (vote_id, teller_id, lot_value);
  g_autofree char *text = gremium_base64_encode (commitment, GREMIUM_HASH_SIZE);

  json_object_set_string_member (data, "commitment", text);
  return data;
}

static void
manual_teller_deliver_key (GremiumTestCouncil *c,
                           ManualTeller       *teller,
                           const char         *vote_id,
                           const char         *teller_id)
{
  teller->key = gremium_teller_key_new (c->meeting_id, vote_id, teller_id);
  gremium_random_bytes (teller->lot_value, sizeof teller->lot_value);
  gremium_test_council_submit (c, teller_id, GREMIUM_KIND_VOTE_TELLER_KEY,
                               teller_key_data (vote_id,
                                                gremium_teller_key_get_public_share (teller->key),
                                                teller_id, teller->lot_value));
}

/* ---- The vote's definition and the chair's powers ---------------------- */

static JsonObject *
open_with_eligible (GremiumTestCouncil *c,
                    const char         *vote_id,
                    void              (*edit) (JsonArray *eligible))
{
  JsonObject *data = gremium_test_council_open_data (c, vote_id, "open", "simple", yes_no_abstain,
                                                     NULL, 0);

  edit (json_object_get_array_member (data, "eligible"));
  return data;
}

static void
leave_out_first (JsonArray *eligible)
{
  json_array_remove_element (eligible, 0);
}

static void
add_guest (JsonArray *eligible)
{
  json_array_add_string_element (eligible, "guest");
}

static void
add_clerk (JsonArray *eligible)
{
  json_array_add_string_element (eligible, "clerk");
}

static void
add_staff (JsonArray *eligible)
{
  json_array_add_string_element (eligible, "staff");
}

static void
add_excluded (JsonArray *eligible)
{
  json_array_add_string_element (eligible, "m05");
}

static void
add_absent_deputy (JsonArray *eligible)
{
  json_array_add_string_element (eligible, "deputy");
}

static void
add_absent_member (JsonArray *eligible)
{
  json_array_add_string_element (eligible, "m25");
}

static void
add_stranger (JsonArray *eligible)
{
  json_array_add_string_element (eligible, "m99");
}

static void
add_twice (JsonArray *eligible)
{
  json_array_add_string_element (eligible, json_array_get_string_element (eligible, 1));
}

static void
swap_two (JsonArray *eligible)
{
  g_autofree char *first = g_strdup (json_array_get_string_element (eligible, 0));

  json_array_remove_element (eligible, 0);
  json_array_add_string_element (eligible, first);
}

static void
clear_all (JsonArray *eligible)
{
  while (json_array_get_length (eligible) > 0)
    json_array_remove_element (eligible, 0);
}

static void
test_definition (Fixture       *f,
                 gconstpointer  data)
{
  static void (*const edits[]) (JsonArray *) = {
    leave_out_first, add_guest, add_clerk, add_staff, add_excluded, add_absent_deputy,
    add_absent_member,
    add_stranger, add_twice, swap_two, clear_all,
  };
  static const char * const tellers[] = { "chair", "m01", NULL };
  static const char * const guest_teller[] = { "chair", "guest", NULL };
  static const char * const absent_teller[] = { "chair", "m25", NULL };
  static const char * const only_yes[] = { "Ja", NULL };
  static const char * const yes_twice[] = { "Ja", "Ja", NULL };
  GremiumTestCouncil *c = f->c;
  GremiumStatement *opened;
  JsonObject *open;
  g_autoptr(JsonObject) result = NULL;

  /* The eligible voters are not the chair's to choose. */
  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                                 open_with_eligible (c, "v1", edits[i]),
                                 GREMIUM_ERROR_INVALID_FIELD);

  /* Nobody but the chair opens a vote. */
  gremium_test_council_refuse (c, "m03", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "open", "simple",
                                                               yes_no_abstain, NULL, 0),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "clerk", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "open", "simple",
                                                               yes_no_abstain, NULL, 0),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "guest", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "open", "simple",
                                                               yes_no_abstain, NULL, 0),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "staff", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "open", "simple",
                                                               yes_no_abstain, NULL, 0),
                               GREMIUM_ERROR_PERMISSION_DENIED);

  /* Definitions that break the rules. */
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "open", "simple",
                                                               yes_no_abstain, tellers, 0),
                               GREMIUM_ERROR_INVALID_FIELD);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "secret", "simple",
                                                               yes_no_abstain, NULL, 0),
                               GREMIUM_ERROR_INVALID_FIELD);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "secret", "simple",
                                                               yes_no_abstain, guest_teller, 0),
                               GREMIUM_ERROR_INVALID_FIELD);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "secret", "simple",
                                                               yes_no_abstain, absent_teller, 0),
                               GREMIUM_ERROR_INVALID_FIELD);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "election", "simple",
                                                               yes_no_abstain,
                                                               tellers, 0),
                               GREMIUM_ERROR_INVALID_FIELD);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "open", "simple", only_yes,
                                                               NULL, 0),
                               GREMIUM_ERROR_INVALID_FIELD);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "open", "simple", yes_twice,
                                                               NULL, 0),
                               GREMIUM_ERROR_INVALID_FIELD);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "open", "simple",
                                                               yes_no_abstain,
                                                               NULL, 24 * 3600 + 1),
                               GREMIUM_ERROR_INVALID_FIELD);
  open = gremium_test_council_open_data (c, "v1", "open", "simple", yes_no_abstain, NULL, 0);
  json_object_set_boolean_member (open, "anonymous", TRUE);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN, open,
                               GREMIUM_ERROR_INVALID_FIELD);

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "open", "simple",
                                                               yes_no_abstain, NULL, 0));
  gremium_test_council_wait_state (c, "v1", GREMIUM_VOTE_STATE_OPEN);

  /* The definition cannot change after the opening: not under the same
   * id, not by replaying the opening, not by opening another vote.
   */
  open = gremium_test_council_open_data (c, "v1", "open", "simple", yes_no_abstain, NULL, 0);
  json_object_set_string_member (open, "question",
                                 "Soll der Bebauungsplan Nr. 7 abgelehnt werden?");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN, open,
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v1", "open", "two-thirds",
                                                               yes_no_abstain, NULL, 0),
                               GREMIUM_ERROR_INVALID_STATE);
  opened = gremium_test_council_find_statement (c, GREMIUM_KIND_VOTE_OPEN, "v1", "chair", NULL);
  gremium_test_council_refuse_statement (c, "chair", opened, GREMIUM_ERROR_REPLAYED);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "v2", "open", "simple",
                                                               yes_no_abstain, NULL, 0),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_AGENDA_SELECT,
                               gremium_test_data ("item", "#2", NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  /* Chair-only actions by anyone else. */
  gremium_test_council_refuse (c, "m03", GREMIUM_KIND_VOTE_CLOSE,
                               gremium_test_data ("vote", "v1", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "guest", GREMIUM_KIND_VOTE_CLOSE,
                               gremium_test_data ("vote", "v1", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "staff", GREMIUM_KIND_VOTE_CLOSE,
                               gremium_test_data ("vote", "v1", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "m03", GREMIUM_KIND_VOTE_CANCEL,
                               gremium_test_data ("vote", "v1", "reason", "Ich bin dagegen", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "clerk", GREMIUM_KIND_VOTE_CANCEL,
                               gremium_test_data ("vote", "v1", "reason", "Versehen", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);

  /* Ballots from those who may not vote. */
  gremium_test_council_refuse (c, "guest", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#0", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "clerk", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#0", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "staff", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#2", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "m05", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#1", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_attend (c, "m25");
  gremium_test_council_refuse (c, "m25", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#1", NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);

  /* Malformed ballots. */
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#3", NULL),
                               GREMIUM_ERROR_INVALID_FIELD);
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#-1", NULL),
                               GREMIUM_ERROR_INVALID_FIELD);
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "0", NULL),
                               GREMIUM_ERROR_INVALID_FIELD);
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#0", "ballot", "AAAA",
                                                  NULL),
                               GREMIUM_ERROR_INVALID_FIELD);
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("choice", "#0", NULL),
                               GREMIUM_ERROR_INVALID_FIELD);
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v9", "choice", "#0", NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  /* One ballot per member: not twice, not replayed, not under another name. */
  gremium_test_council_submit (c, "m01", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#0", NULL));
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#0", NULL),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse (c, "m01", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#1", NULL),
                               GREMIUM_ERROR_INVALID_STATE);
  {
    GremiumStatement *ballot = gremium_test_council_find_statement (c, GREMIUM_KIND_VOTE_BALLOT,
                                                                    "v1", "m01", NULL);
    GremiumClient *m02_client = gremium_test_council_client (c, "m02");
    GremiumIdentity *m02_device = gremium_client_get_identity (m02_client);
    g_autoptr(GremiumStatement) impostor = NULL;

    gremium_test_council_refuse_statement (c, "m01", ballot, GREMIUM_ERROR_REPLAYED);
    gremium_test_council_refuse_statement (c, "m02", ballot, GREMIUM_ERROR_PERMISSION_DENIED);

    /* m02 signs a ballot in m01's name with their own device key. */
    impostor = gremium_statement_build (m02_device, GREMIUM_KIND_VOTE_BALLOT, c->meeting_id, "m01",
                                        g_get_real_time (),
                                        gremium_test_data ("vote", "v1", "choice", "#1", NULL));
    gremium_test_council_refuse_statement (c, "m02", impostor, GREMIUM_ERROR_PERMISSION_DENIED);
  }

  /* Having one's vote recorded needs a vote. */
  gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_RECORD_OWN,
                               gremium_test_data ("vote", "v1", NULL),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse (c, "guest", GREMIUM_KIND_VOTE_RECORD_OWN,
                               gremium_test_data ("vote", "v1", NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  /* The chair closes; nothing is taken after that. */
  gremium_test_council_submit (c, "m02", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#1", NULL));
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CLOSE,
                               gremium_test_data ("vote", "v1", NULL));
  gremium_test_council_wait_state (c, "v1", GREMIUM_VOTE_STATE_DECIDED);
  gremium_test_council_refuse (c, "m03", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#0", NULL),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_data ("vote", "v1", "choice", "#0", NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  /* The result: only the chair, and only the true one. */
  result = gremium_vote_build_result (gremium_test_council_vote (c, "chair", "v1"));
  gremium_test_council_refuse (c, "m03", GREMIUM_KIND_VOTE_RESULT,
                               gremium_test_json_object_copy (result),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  {
    JsonObject *changed = gremium_test_json_object_copy (result);

    /* 1 : 1 rejects under a simple majority; claim it was adopted. */
    g_assert_cmpstr (json_object_get_string_member (result, "outcome"), ==, "rejected");
    json_object_set_string_member (changed, "outcome", "adopted");
    gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                                 GREMIUM_ERROR_INVALID_FIELD);
  }
  gremium_test_council_publish (c, "v1");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_CANCEL,
                               gremium_test_data ("vote", "v1", "reason", "zu spät", NULL),
                               GREMIUM_ERROR_INVALID_STATE);
}

/* ---- Secret ballots, teller keys and decryption shares ----------------- */

static gboolean
has_key (GremiumVote *vote,
         const char  *teller)
{
  return gremium_vote_has_teller_key (vote, teller);
}

static gboolean
has_decryption (GremiumVote *vote,
                const char  *teller)
{
  return gremium_vote_has_decryption (vote, teller);
}

static gboolean
has_lot (GremiumVote *vote,
         const char  *teller)
{
  return gremium_vote_has_lot_value (vote, teller);
}

/* The same document with every branch of option @option's proof taken
 * from @donor.
 */
static GBytes *
with_option_proof_of (GBytes *ballot,
                      GBytes *donor,
                      guint   option,
                      guint   donor_option)
{
  g_autoptr(GBytes) out = g_bytes_ref (ballot);
  static const char * const fields[] = { "a", "b", "c", "s" };

  for (guint branch = 0; branch < 2; branch++)
    for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
      {
        g_autofree char *from = g_strdup_printf ("options/%u/proof/%u/%s", donor_option, branch,
                                                 fields[k]);
        g_autofree char *to = g_strdup_printf ("options/%u/proof/%u/%s", option, branch, fields[k]);
        g_autofree char *value = gremium_test_json_get_string (donor, from);
        g_autoptr(GBytes) next = gremium_test_json_set_string (out, to, value);

        g_bytes_unref (out);
        out = g_steal_pointer (&next);
      }

  return g_steal_pointer (&out);
}

/* A decryption share of @tally made with a secret that is not the one
 * behind @teller_id's published key: its proofs are computed as an honest
 * teller would, and fail.
 */
static GBytes *
share_with_wrong_secret (GremiumTally *tally,
                         const char   *teller_id)
{
  GremiumElectionKey *key = gremium_tally_get_key (tally);
  guint n = gremium_election_key_get_n_options (key);
  g_autofree guint8 *shares = g_malloc (32 * n);
  g_autofree guint8 *commitments_a = g_malloc (32 * n);
  g_autofree guint8 *commitments_b = g_malloc (32 * n);
  g_autofree guint8 *responses = g_malloc (32 * n);
  const guint8 *published = NULL;
  guint8 secret[32];

  for (guint i = 0; i < gremium_election_key_get_n_tellers (key); i++)
    if (g_str_equal (gremium_election_key_get_teller_id (key, i), teller_id))
      published = gremium_election_key_get_teller_public_key (key, i);
  g_assert_nonnull (published);

  crypto_core_ristretto255_scalar_random (secret);
  for (guint j = 0; j < n; j++)
    {
      guint8 nonce[32], challenge[32];

      _gremium_scalarmult (shares + 32 * j, secret, _gremium_tally_get_alpha (tally, j));
      crypto_core_ristretto255_scalar_random (nonce);
      _gremium_scalarmult_base (commitments_a + 32 * j, nonce);
      _gremium_scalarmult (commitments_b + 32 * j, nonce, _gremium_tally_get_alpha (tally, j));
      _gremium_tally_decryption_challenge (tally, teller_id, published, j, shares + 32 * j,
                                           commitments_a + 32 * j, commitments_b + 32 * j, NULL,
                                           challenge);
      crypto_core_ristretto255_scalar_mul (responses + 32 * j, challenge, secret);
      crypto_core_ristretto255_scalar_add (responses + 32 * j, responses + 32 * j, nonce);
    }

  return _gremium_tally_serialize_share (tally, teller_id, shares, commitments_a, commitments_b,
                                         responses);
}

static void
test_secret (Fixture       *f,
             gconstpointer  data)
{
  static const char * const tellers[] = { "chair", "m01", "m02", NULL };
  static const char * const auto_tellers[] = { "chair", "m01", NULL };
  GremiumTestCouncil *c = f->c;
  g_auto(ManualTeller) m02 = { 0 };
  g_autoptr(GBytes) s0_ballot = NULL;
  g_autoptr(GBytes) m03_ballot = NULL;
  g_autoptr(GBytes) m04_ballot = NULL;
  GremiumStatement *m03_statement;
  GremiumElectionKey *key;
  guint expected[3] = { 0, 0, 0 };

  /* A first secret vote, cancelled after m04 voted: its ballot is the one
   * m04 later tries to bring into the repeated vote.
   */
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "s0", "secret", "simple",
                                                               yes_no_abstain, tellers, 0));
  gremium_test_council_wait_state (c, "s0", GREMIUM_VOTE_STATE_OPEN);
  g_free (gremium_test_council_cast (c, "m04", "s0", 0));
  s0_ballot = recorded_document (c, GREMIUM_KIND_VOTE_BALLOT, "s0", "m04", "ballot");
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CANCEL,
                               gremium_test_data ("vote", "s0", "reason", "Frage falsch gestellt",
                                                  NULL));
  gremium_test_council_wait_state (c, "s0", GREMIUM_VOTE_STATE_CANCELLED);

  /* s1: m02's share is delivered by hand. */
  gremium_test_council_drop_agent (c, "m02");
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "s1", "secret", "simple",
                                                               yes_no_abstain, tellers, 0));
  wait_tellers (c, "s1", auto_tellers, has_key);
  g_assert_cmpint (gremium_vote_get_state (gremium_test_council_vote (c, "m09", "s1")), ==,
                   GREMIUM_VOTE_STATE_COLLECTING_KEYS);

  /* No ballots and no decryption before the key is complete. */
  gremium_test_council_refuse (c, "m03", GREMIUM_KIND_VOTE_BALLOT,
                               document_data ("s1", "ballot", s0_ballot),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_DECRYPTION,
                               text_data ("s1", "share", "e30="),
  GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_CLOSE,
                               gremium_test_data ("vote", "s1", NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  /* Rogue and misdirected key shares. */
  {
    guint8 x[32], rogue[32], target[32];
    const guint8 lot_value[GREMIUM_VOTE_LOT_VALUE_SIZE] = { 7 };
    g_autoptr(GBytes) not_teller = NULL;
    g_autoptr(GBytes) bad_proof = NULL;
    g_autoptr(GBytes) rogue_share = NULL;
    g_autoptr(GBytes) chair_share = NULL;
    g_autoptr(GBytes) for_chair = NULL;
    g_autoptr(GBytes) other_vote = NULL;
    g_autoptr(GBytes) other_meeting = NULL;
    g_autoptr(GBytes) honest = NULL;
    JsonObject *short_commitment;

    crypto_core_ristretto255_scalar_random (x);

    not_teller = gremium_test_forge_teller_share (c->meeting_id, "s1", "m03", x, NULL, TRUE);
    gremium_test_council_refuse (c, "m03", GREMIUM_KIND_VOTE_TELLER_KEY,
                                 teller_key_data ("s1", not_teller, "m03", lot_value),
                                 GREMIUM_ERROR_PERMISSION_DENIED);

    bad_proof = gremium_test_forge_teller_share (c->meeting_id, "s1", "m02", x, NULL, FALSE);
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_TELLER_KEY,
                                 teller_key_data ("s1", bad_proof, "m02", lot_value),
                                 GREMIUM_ERROR_BAD_PROOF);

    /* The rogue key cancels the other shares so that m02 alone would hold
     * the election key x·B; m02 cannot prove knowledge of its logarithm.
     */
    _gremium_scalarmult_base (target, x);
    memcpy (rogue, target, 32);
    for (guint i = 0; auto_tellers[i] != NULL; i++)
      {
        g_autoptr(GBytes) share = recorded_document (c, GREMIUM_KIND_VOTE_TELLER_KEY, "s1",
                                                     auto_tellers[i], "share");
        g_autofree char *key_text = gremium_test_json_get_string (share, "key");
        guint8 y[32];

        g_assert_true (gremium_base64_decode_exact (key_text, y, 32, NULL));
        _gremium_point_sub (rogue, rogue, y);
      }
    rogue_share = gremium_test_forge_teller_share (c->meeting_id, "s1", "m02", NULL, rogue, FALSE);
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_TELLER_KEY,
                                 teller_key_data ("s1", rogue_share, "m02", lot_value),
                                 GREMIUM_ERROR_BAD_PROOF);

    /* Another teller's share, copied from the record or made for them. */
    chair_share = recorded_document (c, GREMIUM_KIND_VOTE_TELLER_KEY, "s1", "chair", "share");
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_TELLER_KEY,
                                 teller_key_data ("s1", chair_share, "m02", lot_value),
                                 GREMIUM_ERROR_PERMISSION_DENIED);
    for_chair = gremium_test_forge_teller_share (c->meeting_id, "s1", "chair", x, NULL, TRUE);
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_TELLER_KEY,
                                 teller_key_data ("s1", for_chair, "m02", lot_value),
                                 GREMIUM_ERROR_PERMISSION_DENIED);

    /* A share for another vote or meeting. */
    other_vote = gremium_test_forge_teller_share (c->meeting_id, "s0", "m02", x, NULL, TRUE);
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_TELLER_KEY,
                                 teller_key_data ("s1", other_vote, "m02", lot_value),
                                 GREMIUM_ERROR_INVALID_FIELD);
    other_meeting = gremium_test_forge_teller_share ("another-meeting", "s1", "m02", x, NULL, TRUE);
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_TELLER_KEY,
                                 teller_key_data ("s1", other_meeting, "m02", lot_value),
                                 GREMIUM_ERROR_WRONG_MEETING);

    /* A lot commitment that is no SHA-256 digest. */
    honest = gremium_test_forge_teller_share (c->meeting_id, "s1", "m02", x, NULL, TRUE);
    short_commitment = document_data ("s1", "share", honest);
    json_object_set_string_member (short_commitment, "commitment", "AAAA");
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_TELLER_KEY, short_commitment,
                                 GREMIUM_ERROR_INVALID_FIELD);

    /* A teller delivers once. */
    gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_TELLER_KEY,
                                 teller_key_data ("s1", chair_share, "chair", lot_value),
                                 GREMIUM_ERROR_REPLAYED);
  }

  manual_teller_deliver_key (c, &m02, "s1", "m02");
  gremium_test_council_wait_state (c, "s1", GREMIUM_VOTE_STATE_OPEN);
  key = gremium_vote_get_election_key (gremium_test_council_vote (c, "m03", "s1"));
  gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_TELLER_KEY,
                               teller_key_data ("s1", gremium_teller_key_get_public_share (m02.key),
                                                "m02", m02.lot_value),
                               GREMIUM_ERROR_INVALID_STATE);

  /* Ballots from those who may not vote, honestly made by their clients. */
  gremium_test_council_refuse (c, "guest", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_council_ballot_data (c, "guest", "s1", 0, NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "clerk", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_council_ballot_data (c, "clerk", "s1", 0, NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "staff", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_council_ballot_data (c, "staff", "s1", 2, NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_refuse (c, "m05", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_council_ballot_data (c, "m05", "s1", 1, NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);
  gremium_test_council_attend (c, "m25");
  gremium_test_council_refuse (c, "m25", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_council_ballot_data (c, "m25", "s1", 1, NULL),
                               GREMIUM_ERROR_PERMISSION_DENIED);

  /* Ballots that encrypt something other than one 0-or-1 mark, with proofs
   * that lie about it.
   */
  {
    static const gint attacks[][3] = {
      { 2, -1, 0 }, { -1, 1, 1 }, { 2, 0, 0 }, { 0, 0, 0 }, { 1, 1, 0 }, { 1, 1, -1 }, { 0, 0, 2 },
    };
    const gint honest[3] = { 0, 1, 0 };

    for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
      {
        g_autoptr(GBytes) forged = gremium_test_forge_ballot (key, "m03", attacks[i], NULL);

        gremium_test_council_refuse (c, "m03", GREMIUM_KIND_VOTE_BALLOT,
                                     document_data ("s1", "ballot", forged),
                                     GREMIUM_ERROR_BAD_PROOF);
      }

    /* The same forger, told the truth, makes a ballot that counts: the
     * refusals above were for the values, not for the forger.
     */
    m03_ballot = gremium_test_forge_ballot (key, "m03", honest, NULL);
    gremium_test_council_submit (c, "m03", GREMIUM_KIND_VOTE_BALLOT,
                                 document_data ("s1", "ballot", m03_ballot));
    expected[1]++;
  }

  /* Malformed ballots. */
  {
    g_autoptr(GBytes) garbage = string_bytes ("kein Stimmzettel");
    g_autoptr(GBytes) empty_object = string_bytes ("{}");
    g_autofree char *spaced_text = NULL;
    g_autoptr(GBytes) spaced = NULL;
    g_autoptr(GBytes) huge = NULL;
    g_autofree char *huge_text = NULL;
    JsonObject *both;

    gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                 text_data ("s1", "ballot", "!!!!"),
                                 GREMIUM_ERROR_INVALID_FIELD);
    gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                 document_data ("s1", "ballot", garbage),
                                 GREMIUM_ERROR_MALFORMED);
    gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                 document_data ("s1", "ballot", empty_object),
                                 GREMIUM_ERROR_INVALID_FIELD);

    /* One space makes the document non-canonical: another tracker for the
     * same ballot.
     */
    m04_ballot = gremium_test_forge_ballot (key, "m04", (const gint[]) { 1, 0, 0 }, NULL);
    spaced_text = g_strdup_printf ("%.*s %s", 6, (const char *) g_bytes_get_data (m04_ballot, NULL),
                                   (const char *) g_bytes_get_data (m04_ballot, NULL) + 6);
    spaced = g_bytes_new (spaced_text, g_bytes_get_size (m04_ballot) + 1);
    gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                 document_data ("s1", "ballot", spaced),
                                 GREMIUM_ERROR_MALFORMED);

    huge_text = g_strnfill (GREMIUM_BALLOT_MAX_SIZE + 1, 'x');
    huge = string_bytes (huge_text);
    gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                 document_data ("s1", "ballot", huge),
                                 GREMIUM_ERROR_TOO_LARGE);

    gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                 gremium_test_data ("vote", "s1", NULL),
                                 GREMIUM_ERROR_INVALID_FIELD);
    both = document_data ("s1", "ballot", m04_ballot);
    json_object_set_int_member (both, "choice", 0);
    gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT, both,
                                 GREMIUM_ERROR_INVALID_FIELD);
    gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                 gremium_test_data ("vote", "s1", "choice", "#0", NULL),
                                 GREMIUM_ERROR_INVALID_FIELD);
  }

  /* Reused proofs: m04's honest ciphertexts with a proof taken from m03's
   * recorded ballot, or moved between m04's own options.
   */
  {
    g_autoptr(GBytes) recorded_m03 = recorded_document (c, GREMIUM_KIND_VOTE_BALLOT, "s1", "m03",
                                                        "ballot");
    g_autoptr(GBytes) borrowed = with_option_proof_of (m04_ballot, recorded_m03, 0, 0);
    g_autoptr(GBytes) moved = with_option_proof_of (m04_ballot, m04_ballot, 1, 0);
    g_autoptr(GBytes) sum_borrowed = NULL;
    static const char * const fields[] = { "a", "b", "c", "s" };

    m03_statement = gremium_test_council_find_statement (c, GREMIUM_KIND_VOTE_BALLOT, "s1", "m03",
                                                         NULL);

    gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                 document_data ("s1", "ballot", borrowed),
                                 GREMIUM_ERROR_BAD_PROOF);
    gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                 document_data ("s1", "ballot", moved),
                                 GREMIUM_ERROR_BAD_PROOF);

    sum_borrowed = g_bytes_ref (m04_ballot);
    for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
      {
        g_autofree char *path = g_strdup_printf ("sum/0/%s", fields[k]);
        g_autofree char *value = gremium_test_json_get_string (recorded_m03, path);
        g_autoptr(GBytes) next = gremium_test_json_set_string (sum_borrowed, path, value);

        g_bytes_unref (sum_borrowed);
        sum_borrowed = g_steal_pointer (&next);
      }
    gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                 document_data ("s1", "ballot", sum_borrowed),
                                 GREMIUM_ERROR_BAD_PROOF);

    /* Another voter's ballot, as it is and with the name changed. */
    gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                 document_data ("s1", "ballot", recorded_m03),
                                 GREMIUM_ERROR_INVALID_FIELD);
    {
      g_autoptr(GBytes) renamed = gremium_test_json_set_string (recorded_m03, "voter", "m04");

      gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                   document_data ("s1", "ballot", renamed),
                                   GREMIUM_ERROR_BAD_PROOF);
    }
    gremium_test_council_refuse_statement (c, "m04", m03_statement,
                                           GREMIUM_ERROR_PERMISSION_DENIED);

    /* m04's own ballot of the cancelled vote, as it is and moved over. */
    gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                 document_data ("s1", "ballot", s0_ballot),
                                 GREMIUM_ERROR_INVALID_FIELD);
    {
      g_autoptr(GBytes) moved_vote = gremium_test_json_set_string (s0_ballot, "vote", "s1");

      gremium_test_council_refuse (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                                   document_data ("s1", "ballot", moved_vote),
                                   GREMIUM_ERROR_BAD_PROOF);
    }
  }

  /* m03 has voted: not again, not by replay. */
  gremium_test_council_refuse (c, "m03", GREMIUM_KIND_VOTE_BALLOT,
                               gremium_test_council_ballot_data (c, "m03", "s1", 0, NULL),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_refuse_statement (c, "m03", m03_statement, GREMIUM_ERROR_REPLAYED);

  /* The others vote; the last ballot closes the vote. */
  gremium_test_council_submit (c, "m04", GREMIUM_KIND_VOTE_BALLOT,
                               document_data ("s1", "ballot", m04_ballot));
  expected[0]++;
  for (guint i = 1; i <= N_MEMBERS; i++)
    {
      g_autofree char *id = member_id (i);
      GremiumVote *vote = gremium_test_council_vote (c, "chair", "s1");
      guint choice = i % 3;

      if (gremium_vote_is_eligible (vote, id) && !gremium_vote_has_voted (vote, id))
        {
          g_free (gremium_test_council_cast (c, id, "s1", choice));
          expected[choice]++;
        }
    }

  /* Decryption before the chair's ballot closes the vote. */
  gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_DECRYPTION,
                               text_data ("s1", "share", "e30="),
                               GREMIUM_ERROR_INVALID_STATE);

  g_free (gremium_test_council_cast (c, "chair", "s1", 0));
  expected[0]++;
  wait_tellers (c, "s1", auto_tellers, has_decryption);
  g_assert_cmpint (gremium_vote_get_state (gremium_test_council_vote (c, "m09", "s1")), ==,
                   GREMIUM_VOTE_STATE_CLOSED);

  /* Wrong decryption shares. */
  {
    GremiumTally *tally = gremium_vote_get_tally (gremium_test_council_vote (c, "m02", "s1"));
    g_autoptr(GBytes) chair_share = recorded_document (c, GREMIUM_KIND_VOTE_DECRYPTION, "s1",
                                                       "chair", "share");
    g_autoptr(GBytes) wrong_key = NULL;
    g_autoptr(GBytes) honest = NULL;
    g_autoptr(GBytes) swapped = NULL;
    g_autoptr(GBytes) other_vote = NULL;
    g_autoptr(GBytes) other_meeting = NULL;
    g_autoptr(GBytes) garbage = string_bytes ("[]");
    g_autoptr(GBytes) fewer = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *d1 = NULL;

    gremium_test_council_refuse (c, "m03", GREMIUM_KIND_VOTE_DECRYPTION,
                                 document_data ("s1", "share", chair_share),
                                 GREMIUM_ERROR_PERMISSION_DENIED);
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_DECRYPTION,
                                 document_data ("s1", "share", chair_share),
                                 GREMIUM_ERROR_PERMISSION_DENIED);
    gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_DECRYPTION,
                                 document_data ("s1", "share", chair_share),
                                 GREMIUM_ERROR_REPLAYED);

    /* A share made with a secret that is not behind m02's published key. */
    wrong_key = share_with_wrong_secret (tally, "m02");
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_DECRYPTION,
                                 document_data ("s1", "share", wrong_key),
                                 GREMIUM_ERROR_BAD_PROOF);

    /* m02's honest share with one decrypted value swapped for another. */
    honest = gremium_teller_key_decrypt (m02.key, tally, &error);
    g_assert_no_error (error);
    d1 = gremium_test_json_get_string (honest, "shares/1/d");
    swapped = gremium_test_json_set_string (honest, "shares/0/d", d1);
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_DECRYPTION,
                                 document_data ("s1", "share", swapped),
                                 GREMIUM_ERROR_BAD_PROOF);

    other_vote = gremium_test_json_set_string (honest, "vote", "s0");
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_DECRYPTION,
                                 document_data ("s1", "share", other_vote),
                                 GREMIUM_ERROR_INVALID_FIELD);
    other_meeting = gremium_test_json_set_string (honest, "meeting", "another-meeting");
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_DECRYPTION,
                                 document_data ("s1", "share", other_meeting),
                                 GREMIUM_ERROR_WRONG_MEETING);
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_DECRYPTION,
                                 document_data ("s1", "share", garbage),
                                 GREMIUM_ERROR_MALFORMED);

    /* A share of a tally that leaves out the last ballot. */
    {
      g_autoptr(GremiumTally) partial = gremium_tally_new (key);
      GremiumServerMeeting *meeting = gremium_test_council_server_meeting (c);
      guint added = 0;
      guint total = gremium_vote_get_n_ballots (gremium_test_council_vote (c, "m02", "s1"));

      for (guint64 i = 0; i < gremium_server_meeting_get_size (meeting) && added + 1 < total; i++)
        {
          GremiumRecordEntry *entry = gremium_server_meeting_get_entry (meeting, i);
          GremiumStatement *statement = gremium_record_entry_get_statement (entry);
          JsonObject *statement_data = gremium_statement_get_data (statement);
          g_autoptr(GremiumBallot) ballot = NULL;
          g_autoptr(GBytes) bytes = NULL;
          gsize len;
          guint8 *decoded;

          if (!g_str_equal (gremium_statement_get_kind (statement), GREMIUM_KIND_VOTE_BALLOT) ||
              !g_str_equal (json_object_get_string_member (statement_data, "vote"), "s1"))
            continue;

          decoded = gremium_base64_decode (json_object_get_string_member (statement_data, "ballot"),
                                           &len, NULL);
          bytes = g_bytes_new_take (decoded, len);
          ballot = gremium_ballot_new_from_bytes (bytes, &error);
          g_assert_no_error (error);
          g_assert_true (gremium_tally_add_ballot (partial, ballot, &error));
          added++;
        }

      fewer = gremium_teller_key_decrypt (m02.key, partial, &error);
      g_assert_no_error (error);
      gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_DECRYPTION,
                                   document_data ("s1", "share", fewer),
                                   GREMIUM_ERROR_INVALID_FIELD);
    }

    gremium_test_council_submit (c, "m02", GREMIUM_KIND_VOTE_DECRYPTION,
                                 document_data ("s1", "share", honest));
  }

  gremium_test_council_wait_state (c, "s1", GREMIUM_VOTE_STATE_DECIDED);
  for (guint j = 0; j < 3; j++)
    g_assert_cmpuint (gremium_vote_get_counts (gremium_test_council_vote (c, "guest", "s1"))[j], ==,
                      expected[j]);
  gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_DECRYPTION,
                               text_data ("s1", "share", "e30="),
                               GREMIUM_ERROR_INVALID_STATE);
  gremium_test_council_publish (c, "s1");
}

/* ---- The lot ------------------------------------------------------------ */

static void
test_lot (Fixture       *f,
          gconstpointer  data)
{
  static const char * const candidates[] = { "Anna Becker", "Bernd Vogel", "Carla Sommer", NULL };
  static const char * const runoff[] = { "Anna Becker", "Bernd Vogel", NULL };
  static const char * const swapped[] = { "Bernd Vogel", "Anna Becker", NULL };
  static const char * const third[] = { "Anna Becker", "Carla Sommer", NULL };
  static const char * const tellers[] = { "chair", "m01", "m02", NULL };
  static const char * const auto_tellers[] = { "chair", "m01", NULL };
  GremiumTestCouncil *c = f->c;
  g_auto(ManualTeller) m02 = { 0 };
  JsonObject *open;

  /* The first round: a runoff between A and B. */
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "w1", "election", "election",
                                                               candidates, tellers, 0));
  gremium_test_council_wait_state (c, "w1", GREMIUM_VOTE_STATE_OPEN);
  /* m05 is excluded and m25 away: A 10, B 9, C 5. */
  cast_range (c, "w1", 1, 11, 0);
  cast_range (c, "w1", 12, 20, 1);
  cast_range (c, "w1", 21, 24, 2);
  g_free (gremium_test_council_cast (c, "chair", "w1", 2));
  gremium_test_council_wait_state (c, "w1", GREMIUM_VOTE_STATE_DECIDED);
  g_assert_cmpint (gremium_vote_get_outcome (gremium_test_council_vote (c, "m01", "w1")), ==,
                   GREMIUM_VOTE_OUTCOME_RUNOFF);
  gremium_test_council_publish (c, "w1");

  /* The runoff's candidates are not the chair's to choose either. */
  open = gremium_test_council_open_data (c, "w2", "election", "election", swapped, tellers, 0);
  json_object_set_string_member (open, "runoff_of", "w1");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN, open,
                               GREMIUM_ERROR_INVALID_FIELD);
  open = gremium_test_council_open_data (c, "w2", "election", "election", third, tellers, 0);
  json_object_set_string_member (open, "runoff_of", "w1");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN, open,
                               GREMIUM_ERROR_INVALID_FIELD);
  open = gremium_test_council_open_data (c, "w2", "election", "election", candidates, tellers, 0);
  json_object_set_string_member (open, "runoff_of", "w1");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN, open,
                               GREMIUM_ERROR_INVALID_FIELD);
  open = gremium_test_council_open_data (c, "w2", "election", "election", runoff, tellers, 0);
  json_object_set_string_member (open, "runoff_of", "w0");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN, open,
                               GREMIUM_ERROR_INVALID_STATE);
  open = gremium_test_council_open_data (c, "w2", "secret", "simple", runoff, tellers, 0);
  json_object_set_string_member (open, "runoff_of", "w1");
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_OPEN, open,
                               GREMIUM_ERROR_INVALID_STATE);

  /* The runoff, with m02's key share and lot value by hand. */
  gremium_test_council_drop_agent (c, "m02");
  open = gremium_test_council_open_data (c, "w2", "election", "election", runoff, tellers, 0);
  json_object_set_string_member (open, "runoff_of", "w1");
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN, open);
  wait_tellers (c, "w2", auto_tellers, has_key);
  manual_teller_deliver_key (c, &m02, "w2", "m02");
  gremium_test_council_wait_state (c, "w2", GREMIUM_VOTE_STATE_OPEN);

  /* No lot while the vote is open. */
  {
    g_autofree char *value = gremium_base64_encode (m02.lot_value, sizeof m02.lot_value);

    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_LOT, text_data ("w2", "value", value),
                                 GREMIUM_ERROR_INVALID_STATE);
  }

  /* 12 : 12 among the 24 eligible. */
  cast_range (c, "w2", 1, 13, 0);
  cast_range (c, "w2", 14, 24, 1);
  g_free (gremium_test_council_cast (c, "chair", "w2", 1));
  wait_tellers (c, "w2", auto_tellers, has_decryption);
  {
    g_autoptr(GError) error = NULL;
    GremiumTally *tally = gremium_vote_get_tally (gremium_test_council_vote (c, "m02", "w2"));
    g_autoptr(GBytes) share = gremium_teller_key_decrypt (m02.key, tally, &error);

    g_assert_no_error (error);
    gremium_test_council_submit (c, "m02", GREMIUM_KIND_VOTE_DECRYPTION,
                                 document_data ("w2", "share", share));
  }
  gremium_test_council_wait_state (c, "w2", GREMIUM_VOTE_STATE_AWAITING_LOT);
  wait_tellers (c, "w2", auto_tellers, has_lot);
  g_assert_cmpint (gremium_vote_get_state (gremium_test_council_vote (c, "m09", "w2")), ==,
                   GREMIUM_VOTE_STATE_AWAITING_LOT);
  g_assert_null (gremium_vote_build_result (gremium_test_council_vote (c, "chair", "w2")));
  gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT,
                               gremium_test_data ("vote", "w2", NULL),
                               GREMIUM_ERROR_INVALID_STATE);

  /* Lot values that do not match the commitment made before the vote. */
  {
    guint8 other[GREMIUM_VOTE_LOT_VALUE_SIZE];
    g_autofree char *other_text = NULL;
    g_autofree char *short_text = gremium_base64_encode (m02.lot_value, sizeof m02.lot_value - 1);
    g_autofree char *right_text = gremium_base64_encode (m02.lot_value, sizeof m02.lot_value);
    GremiumStatement *chair_lot = gremium_test_council_find_statement (c, GREMIUM_KIND_VOTE_LOT,
                                                                       "w2", "chair", NULL);
    const char *chair_value = json_object_get_string_member (gremium_statement_get_data (chair_lot),
                                                             "value");

    memcpy (other, m02.lot_value, sizeof other);
    other[31] ^= 1;
    other_text = gremium_base64_encode (other, sizeof other);
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_LOT,
                                 text_data ("w2", "value", other_text),
                                 GREMIUM_ERROR_BAD_PROOF);
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_LOT,
                                 text_data ("w2", "value", chair_value),
                                 GREMIUM_ERROR_BAD_PROOF);
    gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_LOT,
                                 text_data ("w2", "value", short_text),
                                 GREMIUM_ERROR_INVALID_FIELD);
    gremium_test_council_refuse (c, "m03", GREMIUM_KIND_VOTE_LOT,
                                 text_data ("w2", "value", right_text),
                                 GREMIUM_ERROR_PERMISSION_DENIED);
    gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_LOT,
                                 text_data ("w2", "value", chair_value),
                                 GREMIUM_ERROR_REPLAYED);

    gremium_test_council_submit (c, "m02", GREMIUM_KIND_VOTE_LOT,
                                 text_data ("w2", "value", right_text));
  }

  gremium_test_council_wait_state (c, "w2", GREMIUM_VOTE_STATE_DECIDED);
  g_assert_true (gremium_vote_get_decided_by_lot (gremium_test_council_vote (c, "guest", "w2")));

  /* The chair cannot turn the lot around. */
  {
    g_autoptr(JsonObject) result = gremium_vote_build_result (gremium_test_council_vote (c, "chair",
                                                                                         "w2"));
    JsonObject *changed = gremium_test_json_object_copy (result);
    gint elected = json_object_get_int_member (result, "elected");

    json_object_set_int_member (changed, "elected", elected ^ 1);
    gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                                 GREMIUM_ERROR_INVALID_FIELD);
    changed = gremium_test_json_object_copy (result);
    json_object_set_boolean_member (changed, "lot", FALSE);
    gremium_test_council_refuse (c, "chair", GREMIUM_KIND_VOTE_RESULT, changed,
                                 GREMIUM_ERROR_INVALID_FIELD);
  }
  gremium_test_council_publish (c, "w2");
}

/* ---- Colluders ---------------------------------------------------------- */

/* Two tellers who collude publish key shares with valid proofs that add up
 * to the identity, or the same key twice. That must be refused like any
 * other bad share; it must not bring down the server or the clients.
 */
static void
test_colluding_tellers (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const tellers[] = { "m01", "m02", NULL };
  GremiumTestCouncil *c = f->c;
  const guint8 lot_value[GREMIUM_VOTE_LOT_VALUE_SIZE] = { 1 };
  g_auto(ManualTeller) m02 = { 0 };
  guint8 x[32], minus_x[32];
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) same = NULL;
  g_autoptr(GBytes) opposite = NULL;

  gremium_test_council_drop_agent (c, "m01");
  gremium_test_council_drop_agent (c, "m02");
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "k1", "secret", "simple",
                                                               yes_no_abstain, tellers, 0));

  crypto_core_ristretto255_scalar_random (x);
  crypto_core_ristretto255_scalar_negate (minus_x, x);
  first = gremium_test_forge_teller_share (c->meeting_id, "k1", "m01", x, NULL, TRUE);
  same = gremium_test_forge_teller_share (c->meeting_id, "k1", "m02", x, NULL, TRUE);
  opposite = gremium_test_forge_teller_share (c->meeting_id, "k1", "m02", minus_x, NULL, TRUE);

  gremium_test_council_submit (c, "m01", GREMIUM_KIND_VOTE_TELLER_KEY,
                               teller_key_data ("k1", first, "m01", lot_value));
  gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_TELLER_KEY,
                               teller_key_data ("k1", same, "m02", lot_value),
                               GREMIUM_ERROR_INVALID_FIELD);
  gremium_test_council_refuse (c, "m02", GREMIUM_KIND_VOTE_TELLER_KEY,
                               teller_key_data ("k1", opposite, "m02", lot_value),
                               GREMIUM_ERROR_INVALID_FIELD);

  /* An honest share completes the key. */
  manual_teller_deliver_key (c, &m02, "k1", "m02");
  gremium_test_council_wait_state (c, "k1", GREMIUM_VOTE_STATE_OPEN);
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CANCEL,
                               gremium_test_data ("vote", "k1", "reason", "Test beendet", NULL));
}

/* Two voters who collude: m07 knows the nonce of m06's first ciphertext and
 * makes a ballot with valid proofs around the same ciphertext. The tally
 * refuses a repeated ciphertext (Cortier and Smyth); that must be a
 * refusal, not a crash.
 */
static void
test_copied_ciphertext (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const tellers[] = { "chair", "m01", "m02", NULL };
  GremiumTestCouncil *c = f->c;
  GremiumElectionKey *key;
  guint8 nonces_m06[3 * 32], nonces_m07[3 * 32];
  g_autoptr(GBytes) m06 = NULL;
  g_autoptr(GBytes) m07 = NULL;
  g_autoptr(GBytes) m07_honest = NULL;

  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_OPEN,
                               gremium_test_council_open_data (c, "c1", "secret", "simple",
                                                               yes_no_abstain, tellers, 0));
  gremium_test_council_wait_state (c, "c1", GREMIUM_VOTE_STATE_OPEN);
  key = gremium_vote_get_election_key (gremium_test_council_vote (c, "m06", "c1"));

  for (guint j = 0; j < 3; j++)
    {
      crypto_core_ristretto255_scalar_random (nonces_m06 + 32 * j);
      crypto_core_ristretto255_scalar_random (nonces_m07 + 32 * j);
    }
  memcpy (nonces_m07, nonces_m06, 32);

  m06 = gremium_test_forge_ballot (key, "m06", (const gint[]) { 1, 0, 0 }, nonces_m06);
  m07 = gremium_test_forge_ballot (key, "m07", (const gint[]) { 0, 1, 0 }, nonces_m07);
  {
    g_autofree char *alpha_m06 = gremium_test_json_get_string (m06, "options/0/alpha");
    g_autofree char *alpha_m07 = gremium_test_json_get_string (m07, "options/0/alpha");

    g_assert_cmpstr (alpha_m06, ==, alpha_m07);
  }

  gremium_test_council_submit (c, "m06", GREMIUM_KIND_VOTE_BALLOT,
                               document_data ("c1", "ballot", m06));
  gremium_test_council_refuse (c, "m07", GREMIUM_KIND_VOTE_BALLOT,
                               document_data ("c1", "ballot", m07),
                               GREMIUM_ERROR_REPLAYED);

  /* m07 can still vote with a ballot of their own. */
  m07_honest = gremium_test_forge_ballot (key, "m07", (const gint[]) { 0, 1, 0 }, NULL);
  gremium_test_council_submit (c, "m07", GREMIUM_KIND_VOTE_BALLOT,
                               document_data ("c1", "ballot", m07_honest));
  gremium_test_council_submit (c, "chair", GREMIUM_KIND_VOTE_CLOSE,
                               gremium_test_data ("vote", "c1", NULL));
  gremium_test_council_wait_state (c, "c1", GREMIUM_VOTE_STATE_DECIDED);
  g_assert_cmpuint (gremium_vote_get_counts (gremium_test_council_vote (c, "m08", "c1"))[0], ==, 1);
  g_assert_cmpuint (gremium_vote_get_counts (gremium_test_council_vote (c, "m08", "c1"))[1], ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/Gremium/VoteAttack/definition", Fixture, NULL, setup, test_definition, teardown);
  g_test_add ("/Gremium/VoteAttack/secret", Fixture, NULL, setup, test_secret, teardown);
  g_test_add ("/Gremium/VoteAttack/lot", Fixture, NULL, setup, test_lot, teardown);
  g_test_add ("/Gremium/VoteAttack/colluding-tellers", Fixture, NULL, setup, test_colluding_tellers,
              teardown);
  g_test_add ("/Gremium/VoteAttack/copied-ciphertext", Fixture, NULL, setup, test_copied_ciphertext,
              teardown);

  return g_test_run ();
}
