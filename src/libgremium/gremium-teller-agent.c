/* gremium-teller-agent.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-teller"

#include "config.h"

#include "gremium-teller-agent.h"
#include "gremium-teller-key.h"
#include "gremium-vote-private.h"

#include <sodium.h>

/**
 * GremiumTellerAgent:
 *
 * Does a teller's part of every secret vote in one meeting, for the member
 * a client acts for: when a vote names the member as a teller, it makes a
 * key share (and a committed lot value) and records it; when the vote
 * closes, it decrypts its share of the tally with a proof and records that;
 * and when a tie needs a lot, it reveals the lot value.
 *
 * The teller's secrets live only in this object's memory, in guarded
 * libsodium memory for the lot values, and are wiped when the vote is done
 * or the agent goes away. A teller who loses them (the program ends before
 * the tally) leaves the vote undecryptable; the chair then repeats the vote.
 * This is the price of n-of-n decryption and is documented in
 * docs/voting.md.
 */
struct _GremiumTellerAgent
{
  GObject         parent_instance;

  GremiumClient  *client;
  char           *meeting_id;
  GremiumMeeting *meeting;
  gulong          entry_handler;
  GHashTable     *secrets;      /* vote id → TellerSecret */
  GHashTable     *elsewhere;    /* vote ids whose teller key another device of ours holds */
};

G_DEFINE_FINAL_TYPE (GremiumTellerAgent, gremium_teller_agent, G_TYPE_OBJECT)

typedef struct
{
  GremiumTellerKey *key;
  guint8           *lot_value;  /* sodium_malloc() */
  gboolean          pending;
} TellerSecret;

static void
teller_secret_free (TellerSecret *secret)
{
  g_clear_object (&secret->key);
  g_clear_pointer (&secret->lot_value, sodium_free);
  g_free (secret);
}

static void act (GremiumTellerAgent *self);

typedef struct
{
  GremiumTellerAgent *self;
  char               *vote_id;
} SubmitData;

static void
submit_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SubmitData *data = user_data;
  g_autoptr(GremiumTellerAgent) self = data->self;
  g_autofree char *vote_id = data->vote_id;
  g_autoptr(GError) error = NULL;
  TellerSecret *secret;

  g_free (data);

  if (!gremium_client_submit_finish (GREMIUM_CLIENT (object), result, NULL, &error))
    {
      GremiumVote *vote = self->meeting ? gremium_meeting_lookup_vote (self->meeting, vote_id) : NULL;

      /* Losing the race against another device of the same teller is fine. */
      if (vote != NULL && gremium_vote_has_teller_key (vote, gremium_client_get_member_id (self->client)))
        g_debug ("Vote %s already has this teller's key share: %s", vote_id, error->message);
      else
        g_warning ("A teller statement for vote %s was refused: %s", vote_id, error->message);
    }

  secret = g_hash_table_lookup (self->secrets, vote_id);
  if (secret != NULL)
    secret->pending = FALSE;

  /* The state may have moved on while we waited. */
  act (self);
}

static void
submit (GremiumTellerAgent *self,
        TellerSecret       *secret,
        GremiumVote        *vote,
        const char         *kind,
        JsonObject         *data)
{
  SubmitData *submit_data = g_new0 (SubmitData, 1);

  submit_data->self = g_object_ref (self);
  submit_data->vote_id = g_strdup (gremium_vote_get_id (vote));
  secret->pending = TRUE;

  gremium_client_submit_async (self->client, self->meeting_id, kind, data, NULL,
                               submit_cb, submit_data);
}

static char *
bytes_to_base64 (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return gremium_base64_encode (data, len);
}

static gboolean
teller_key_is_recorded (GremiumVote  *vote,
                        const char   *me,
                        TellerSecret *secret)
{
  GremiumElectionKey *key = gremium_vote_get_election_key (vote);

  for (guint i = 0; i < gremium_election_key_get_n_tellers (key); i++)
    {
      if (g_str_equal (gremium_election_key_get_teller_id (key, i), me))
        return gremium_memequal (gremium_election_key_get_teller_public_key (key, i),
                                 gremium_teller_key_get_public_key (secret->key),
                                 GREMIUM_SECRET_VOTE_KEY_SIZE);
    }

  return FALSE;
}

static void
act_on_vote (GremiumTellerAgent *self,
             GremiumVote        *vote)
{
  const char *me = gremium_client_get_member_id (self->client);
  const char *vote_id = gremium_vote_get_id (vote);
  TellerSecret *secret = g_hash_table_lookup (self->secrets, vote_id);

  if (!gremium_vote_is_teller (vote, me) || (secret != NULL && secret->pending))
    return;

  /* Another device of the same member may have delivered the recorded key
   * share; then this device's secret is useless and must not be used for a
   * decryption or a lot that would only be refused.
   */
  if (secret != NULL && gremium_vote_get_election_key (vote) != NULL &&
      !teller_key_is_recorded (vote, me, secret))
    {
      g_debug ("Another device of %s is the teller of vote %s", me, vote_id);
      g_hash_table_remove (self->secrets, vote_id);
      g_hash_table_add (self->elsewhere, g_strdup (vote_id));
      return;
    }

  switch (gremium_vote_get_state (vote))
    {
    case GREMIUM_VOTE_STATE_COLLECTING_KEYS:
      if (!gremium_vote_has_teller_key (vote, me))
        {
          g_autoptr(JsonObject) data = json_object_new ();
          g_autofree char *share = NULL;
          g_autofree char *commitment_text = NULL;
          g_autofree guint8 *commitment = NULL;

          if (secret == NULL)
            {
              secret = g_new0 (TellerSecret, 1);
              secret->key = gremium_teller_key_new (self->meeting_id, vote_id, me);
              secret->lot_value = sodium_malloc (GREMIUM_VOTE_LOT_VALUE_SIZE);
              gremium_random_bytes (secret->lot_value, GREMIUM_VOTE_LOT_VALUE_SIZE);
              g_hash_table_insert (self->secrets, g_strdup (vote_id), secret);
            }

          commitment = _gremium_vote_lot_commitment (vote_id, me, secret->lot_value);
          share = bytes_to_base64 (gremium_teller_key_get_public_share (secret->key));
          commitment_text = gremium_base64_encode (commitment, GREMIUM_HASH_SIZE);

          json_object_set_string_member (data, "vote", vote_id);
          json_object_set_string_member (data, "share", share);
          json_object_set_string_member (data, "commitment", commitment_text);
          submit (self, secret, vote, GREMIUM_KIND_VOTE_TELLER_KEY, data);
        }
      break;

    case GREMIUM_VOTE_STATE_CLOSED:
      if (!gremium_vote_has_decryption (vote, me))
        {
          g_autoptr(JsonObject) data = json_object_new ();
          g_autoptr(GBytes) share = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *text = NULL;

          if (secret == NULL)
            {
              if (!g_hash_table_contains (self->elsewhere, vote_id))
                g_warning ("This device does not hold the teller key of vote %s; "
                           "the vote cannot be decrypted and must be repeated", vote_id);
              return;
            }

          share = gremium_teller_key_decrypt (secret->key, gremium_vote_get_tally (vote), &error);
          if (share == NULL)
            {
              g_warning ("Cannot decrypt the tally of vote %s: %s", vote_id, error->message);
              return;
            }

          text = bytes_to_base64 (share);
          json_object_set_string_member (data, "vote", vote_id);
          json_object_set_string_member (data, "share", text);
          submit (self, secret, vote, GREMIUM_KIND_VOTE_DECRYPTION, data);
        }
      break;

    case GREMIUM_VOTE_STATE_AWAITING_LOT:
      if (!gremium_vote_has_lot_value (vote, me) && secret != NULL)
        {
          g_autoptr(JsonObject) data = json_object_new ();
          g_autofree char *text = gremium_base64_encode (secret->lot_value,
                                                         GREMIUM_VOTE_LOT_VALUE_SIZE);

          json_object_set_string_member (data, "vote", vote_id);
          json_object_set_string_member (data, "value", text);
          submit (self, secret, vote, GREMIUM_KIND_VOTE_LOT, data);
        }
      break;

    case GREMIUM_VOTE_STATE_OPEN:
      break;

    case GREMIUM_VOTE_STATE_DECIDED:
    case GREMIUM_VOTE_STATE_PUBLISHED:
    case GREMIUM_VOTE_STATE_CANCELLED:
    default:
      /* The secrets are not needed any more; wipe them. */
      g_hash_table_remove (self->secrets, vote_id);
      break;
    }
}

static void
act (GremiumTellerAgent *self)
{
  GListModel *votes;

  if (self->meeting == NULL)
    return;

  votes = gremium_meeting_get_votes (self->meeting);
  for (guint i = 0; i < g_list_model_get_n_items (votes); i++)
    {
      g_autoptr(GremiumVote) vote = g_list_model_get_item (votes, i);

      act_on_vote (self, vote);
    }
}

static void
entry_applied_cb (GremiumMeeting     *meeting,
                  GremiumRecordEntry *entry,
                  GremiumTellerAgent *self)
{
  act (self);
}

static void
gremium_teller_agent_dispose (GObject *object)
{
  GremiumTellerAgent *self = (GremiumTellerAgent *) object;

  if (self->meeting != NULL)
    g_clear_signal_handler (&self->entry_handler, self->meeting);
  g_clear_object (&self->meeting);
  g_clear_object (&self->client);
  g_clear_pointer (&self->secrets, g_hash_table_unref);
  g_clear_pointer (&self->elsewhere, g_hash_table_unref);

  G_OBJECT_CLASS (gremium_teller_agent_parent_class)->dispose (object);
}

static void
gremium_teller_agent_finalize (GObject *object)
{
  GremiumTellerAgent *self = (GremiumTellerAgent *) object;

  g_free (self->meeting_id);

  G_OBJECT_CLASS (gremium_teller_agent_parent_class)->finalize (object);
}

static void
gremium_teller_agent_class_init (GremiumTellerAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gremium_teller_agent_dispose;
  object_class->finalize = gremium_teller_agent_finalize;
}

static void
gremium_teller_agent_init (GremiumTellerAgent *self)
{
  self->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) teller_secret_free);
  self->elsewhere = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * gremium_teller_agent_new:
 * @client: a client that joined @meeting_id
 * @meeting_id: the meeting
 *
 * Starts doing the teller's part for @client's member in every secret vote
 * of the meeting that names them.
 *
 * Returns: (transfer full): the agent
 */
GremiumTellerAgent *
gremium_teller_agent_new (GremiumClient *client,
                          const char    *meeting_id)
{
  GremiumTellerAgent *self;
  GremiumMeeting *meeting;

  g_return_val_if_fail (GREMIUM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  meeting = gremium_client_get_meeting (client, meeting_id);
  g_return_val_if_fail (meeting != NULL, NULL);

  self = g_object_new (GREMIUM_TYPE_TELLER_AGENT, NULL);
  self->client = g_object_ref (client);
  self->meeting_id = g_strdup (meeting_id);
  self->meeting = g_object_ref (meeting);
  self->entry_handler = g_signal_connect (meeting, "entry-applied", G_CALLBACK (entry_applied_cb), self);

  act (self);
  return self;
}

/**
 * gremium_teller_agent_holds_secret:
 * @self: an agent
 * @vote_id: a vote
 *
 * Returns: %TRUE if the agent holds the teller secrets of the vote
 */
gboolean
gremium_teller_agent_holds_secret (GremiumTellerAgent *self,
                                   const char         *vote_id)
{
  g_return_val_if_fail (GREMIUM_IS_TELLER_AGENT (self), FALSE);

  return g_hash_table_contains (self->secrets, vote_id);
}
