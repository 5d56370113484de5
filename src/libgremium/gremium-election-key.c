/* gremium-election-key.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-election-key"

#include "config.h"

#include "gremium-election-key-private.h"
#include "gremium-batch-private.h"
#include "gremium-crypto.h"
#include "gremium-error.h"
#include "gremium-group-private.h"
#include "gremium-json-private.h"

#include <sodium.h>
#include <string.h>

/**
 * GremiumElectionKey:
 *
 * The public cryptographic setup of one secret vote or election: the meeting
 * and vote it belongs to, the shape of its ballots (the number of options and
 * how many of them a voter marks) and the tellers' public key shares, each
 * checked against its Schnorr proof of knowledge.
 *
 * The election key h is the sum of the tellers' shares, so every teller must
 * take part in decrypting (n-of-n). A teller who could choose its share after
 * seeing the others (h' = x G - sum of the others) would hold the whole key
 * alone; the proof of knowledge, bound to the meeting, the vote and the
 * teller's id, rules that out.
 *
 * An election key never changes once built; ballots and tallies hold a
 * reference to the key they were checked against.
 */

typedef struct
{
  char                  *id;
  guint8                 key[GREMIUM_SECRET_VOTE_KEY_SIZE];
  GremiumRistrettoPoint  point;
} Teller;

struct _GremiumElectionKey
{
  GObject                parent_instance;

  char                  *meeting_id;
  char                  *vote_id;
  guint                  n_options;
  guint                  min_count;
  guint                  max_count;
  GArray                *tellers;       /* of Teller */
  guint8                 public_key[GREMIUM_SECRET_VOTE_KEY_SIZE];
  GremiumRistrettoPoint  point;
};

G_DEFINE_FINAL_TYPE (GremiumElectionKey, gremium_election_key, G_TYPE_OBJECT)

typedef struct
{
  const char *meeting_id;
  const char *vote_id;
  const char *teller_id;
  guint8      key[32];
  guint8      commitment[32];
  guint8      response[32];
} TellerShare;

static void
teller_clear (gpointer data)
{
  Teller *teller = data;

  g_clear_pointer (&teller->id, g_free);
}

/* Reads a teller's public share. The document must be in its canonical
 * form, so that one share has exactly one byte representation. The strings
 * in @share point into @object.
 */
static gboolean
parse_teller_share (GBytes       *bytes,
                    JsonObject  **object_out,
                    TellerShare  *share,
                    GError      **error)
{
  static const char * const members[] = { "v", "meeting", "vote", "teller", "key", "proof", NULL };
  static const char * const proof_members[] = { "a", "s", NULL };
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *canonical = NULL;
  JsonObject *proof;
  const char *data;
  gsize len;
  gint64 version;

  data = g_bytes_get_data (bytes, &len);
  if (len > GREMIUM_TELLER_SHARE_MAX_SIZE)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TOO_LARGE,
                   "A teller's key share may have at most %d bytes",
                   GREMIUM_TELLER_SHARE_MAX_SIZE);
      return FALSE;
    }

  if (len == 0 || !(object = _gremium_json_parse_object (data, len, error)))
    {
      if (len == 0)
        g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED, "The share is empty");
      return FALSE;
    }

  if (!_gremium_json_check_members (object, "a teller's key share", members, error) ||
      !_gremium_json_get_int (object, "v", 1, G_MAXINT, &version, error))
    return FALSE;

  if (version != 1)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNSUPPORTED_VERSION,
                   "Teller key share version %" G_GINT64_FORMAT " is not supported", version);
      return FALSE;
    }

  if (!(share->meeting_id = _gremium_json_get_string (object, "meeting", 64, error)) ||
      !(share->vote_id = _gremium_json_get_string (object, "vote", 64, error)) ||
      !(share->teller_id = _gremium_json_get_string (object, "teller", 64, error)) ||
      !_gremium_json_get_point (object, "key", share->key, error) ||
      !(proof = _gremium_json_get_object (object, "proof", error)) ||
      !_gremium_json_check_members (proof, "the key share's proof", proof_members, error) ||
      !_gremium_json_get_point (proof, "a", share->commitment, error) ||
      !_gremium_json_get_scalar (proof, "s", share->response, error))
    return FALSE;

  if (!_gremium_id_is_valid (share->meeting_id) || !_gremium_id_is_valid (share->vote_id) ||
      !_gremium_id_is_valid (share->teller_id))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "A teller's key share names an invalid meeting, vote or teller id");
      return FALSE;
    }

  canonical = _gremium_teller_share_serialize (share->meeting_id, share->vote_id,
                                               share->teller_id, share->key,
                                               share->commitment, share->response);
  if (strlen (canonical) != len || memcmp (canonical, data, len) != 0)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "A teller's key share is not in its canonical form");
      return FALSE;
    }

  *object_out = g_steal_pointer (&object);
  return TRUE;
}

static void
gremium_election_key_finalize (GObject *object)
{
  GremiumElectionKey *self = (GremiumElectionKey *) object;

  g_clear_pointer (&self->meeting_id, g_free);
  g_clear_pointer (&self->vote_id, g_free);
  g_clear_pointer (&self->tellers, g_array_unref);

  G_OBJECT_CLASS (gremium_election_key_parent_class)->finalize (object);
}

static void
gremium_election_key_class_init (GremiumElectionKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_election_key_finalize;
}

static void
gremium_election_key_init (GremiumElectionKey *self)
{
  self->tellers = g_array_new (FALSE, TRUE, sizeof (Teller));
  g_array_set_clear_func (self->tellers, teller_clear);
}

/* The canonical serialization of a teller's public key share; see
 * docs/voting-crypto.md, "Teller key shares". Identifiers are restricted to
 * [a-z0-9._-], so nothing needs escaping.
 */
char *
_gremium_teller_share_serialize (const char   *meeting_id,
                                 const char   *vote_id,
                                 const char   *teller_id,
                                 const guint8  key[32],
                                 const guint8  commitment[32],
                                 const guint8  response[32])
{
  g_autofree char *key_text = gremium_base64_encode (key, 32);
  g_autofree char *commitment_text = gremium_base64_encode (commitment, 32);
  g_autofree char *response_text = gremium_base64_encode (response, 32);

  g_assert (_gremium_id_is_valid (meeting_id));
  g_assert (_gremium_id_is_valid (vote_id));
  g_assert (_gremium_id_is_valid (teller_id));

  return g_strdup_printf ("{\"v\":1,\"meeting\":\"%s\",\"vote\":\"%s\",\"teller\":\"%s\","
                          "\"key\":\"%s\",\"proof\":{\"a\":\"%s\",\"s\":\"%s\"}}",
                          meeting_id, vote_id, teller_id, key_text,
                          commitment_text, response_text);
}

/* The challenge of a teller's Schnorr proof (docs/voting-crypto.md,
 * "Teller key proof"). Binding the meeting, vote and teller ids keeps a
 * proof from being copied to another vote or presented by another teller.
 */
void
_gremium_teller_share_challenge (const char   *meeting_id,
                                 const char   *vote_id,
                                 const char   *teller_id,
                                 const guint8  key[32],
                                 const guint8  commitment[32],
                                 GByteArray   *record,
                                 guint8        challenge[32])
{
  GremiumTranscript transcript;

  _gremium_transcript_init (&transcript, GREMIUM_TRANSCRIPT_TELLER_KEY, record);
  _gremium_transcript_append_string (&transcript, "meeting", meeting_id);
  _gremium_transcript_append_string (&transcript, "vote", vote_id);
  _gremium_transcript_append_string (&transcript, "teller", teller_id);
  _gremium_transcript_append_point (&transcript, "key", key);
  _gremium_transcript_append_point (&transcript, "commit-a", commitment);
  _gremium_transcript_challenge (&transcript, challenge);
}

static gboolean
check_shape (const char  *meeting_id,
             const char  *vote_id,
             guint        n_options,
             guint        min_count,
             guint        max_count,
             guint        n_tellers,
             GError     **error)
{
  if (!_gremium_id_is_valid (meeting_id) || !_gremium_id_is_valid (vote_id))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The meeting or vote id of a secret vote is not a valid identifier");
      return FALSE;
    }

  if (n_options < 1 || n_options > GREMIUM_SECRET_VOTE_MAX_OPTIONS)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "A secret vote has between 1 and %d options", GREMIUM_SECRET_VOTE_MAX_OPTIONS);
      return FALSE;
    }

  if (min_count > max_count || max_count > n_options)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "A voter cannot mark between %u and %u of %u options",
                   min_count, max_count, n_options);
      return FALSE;
    }

  if (n_tellers < 1 || n_tellers > GREMIUM_SECRET_VOTE_MAX_TELLERS)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "A secret vote needs between 1 and %d tellers", GREMIUM_SECRET_VOTE_MAX_TELLERS);
      return FALSE;
    }

  return TRUE;
}

GremiumElectionKey *
_gremium_election_key_new_full (const char  *meeting_id,
                                const char  *vote_id,
                                guint        n_options,
                                guint        min_count,
                                guint        max_count,
                                GPtrArray   *teller_shares,
                                gboolean     reference,
                                GError     **error)
{
  g_autoptr(GremiumElectionKey) self = NULL;
  g_autoptr(GremiumBatch) batch = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  g_autofree guint *key_indices = NULL;
  g_autofree guint *commitment_indices = NULL;
  GremiumRistrettoPoint sum;
  guint failed = 0;
  guint invalid = 0;

  g_return_val_if_fail (meeting_id != NULL, NULL);
  g_return_val_if_fail (vote_id != NULL, NULL);
  g_return_val_if_fail (teller_shares != NULL, NULL);

  if (!gremium_crypto_init (error))
    return NULL;

  if (!check_shape (meeting_id, vote_id, n_options, min_count, max_count,
                    teller_shares->len, error))
    return NULL;

  self = g_object_new (GREMIUM_TYPE_ELECTION_KEY, NULL);
  self->meeting_id = g_strdup (meeting_id);
  self->vote_id = g_strdup (vote_id);
  self->n_options = n_options;
  self->min_count = min_count;
  self->max_count = max_count;

  batch = _gremium_batch_new (reference);
  key_indices = g_new (guint, teller_shares->len);
  commitment_indices = g_new (guint, teller_shares->len);
  objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  _gremium_ristretto_identity (&sum);
  _gremium_point_identity (self->public_key);

  for (guint i = 0; i < teller_shares->len; i++)
    {
      JsonObject *object = NULL;
      TellerShare share = { 0 };
      Teller teller = { 0 };
      guint8 challenge[32];
      guint commitment_index;

      if (!parse_teller_share (g_ptr_array_index (teller_shares, i), &object, &share, error))
        {
          g_prefix_error (error, "Teller key share %u: ", i + 1);
          return NULL;
        }
      g_ptr_array_add (objects, object);

      if (!g_str_equal (share.meeting_id, meeting_id))
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_WRONG_MEETING,
                       "The key share of teller “%s” belongs to meeting “%s”, not “%s”",
                       share.teller_id, share.meeting_id, meeting_id);
          return NULL;
        }

      if (!g_str_equal (share.vote_id, vote_id))
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                       "The key share of teller “%s” belongs to vote “%s”, not “%s”",
                       share.teller_id, share.vote_id, vote_id);
          return NULL;
        }

      for (guint j = 0; j < self->tellers->len; j++)
        {
          const Teller *other = &g_array_index (self->tellers, Teller, j);

          if (g_str_equal (other->id, share.teller_id))
            {
              g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "Teller “%s” has more than one key share", share.teller_id);
              return NULL;
            }

          /* Two tellers with one key means one copied the other's share. */
          if (memcmp (other->key, share.key, 32) == 0)
            {
              g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "Tellers “%s” and “%s” present the same key",
                           other->id, share.teller_id);
              return NULL;
            }
        }

      if (!_gremium_batch_add_point (batch, share.key, FALSE, &key_indices[i]) ||
          !_gremium_batch_add_point (batch, share.commitment, TRUE, &commitment_index))
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                       "The key share of teller “%s” is the identity", share.teller_id);
          return NULL;
        }
      commitment_indices[i] = commitment_index;

      /* a + c Y - s G = identity */
      _gremium_teller_share_challenge (meeting_id, vote_id, share.teller_id, share.key,
                                       share.commitment, NULL, challenge);
      _gremium_batch_begin (batch, i);
      _gremium_batch_term (batch, commitment_index, NULL, FALSE);
      _gremium_batch_term (batch, key_indices[i], challenge, FALSE);
      _gremium_batch_term (batch, GREMIUM_BATCH_GENERATOR, share.response, TRUE);

      teller.id = g_strdup (share.teller_id);
      memcpy (teller.key, share.key, 32);
      g_array_append_val (self->tellers, teller);
    }

  if (!_gremium_batch_decode (batch, &invalid))
    {
      const char *id = "?";

      for (guint i = 0; i < self->tellers->len; i++)
        if (invalid == key_indices[i] || invalid == commitment_indices[i])
          id = g_array_index (self->tellers, Teller, i).id;

      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The key share of teller “%s” is not a valid group element", id);
      return NULL;
    }

  for (guint i = 0; i < self->tellers->len; i++)
    {
      Teller *teller = &g_array_index (self->tellers, Teller, i);

      if (reference)
        {
          _gremium_point_add (self->public_key, self->public_key, teller->key);
          if (!_gremium_ristretto_decode_vartime (&teller->point, teller->key))
            g_assert_not_reached ();
        }
      else
        {
          teller->point = *_gremium_batch_get_point (batch, key_indices[i]);
          _gremium_ristretto_add_vartime (&sum, &sum, &teller->point);
        }
    }

  if (!_gremium_batch_check (batch, &failed))
    {
      const char *id = failed < self->tellers->len
                       ? g_array_index (self->tellers, Teller, failed).id : "?";

      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF,
                   "The key share of teller “%s” has no valid proof of knowledge", id);
      return NULL;
    }

  if (reference)
    {
      if (!_gremium_ristretto_decode_vartime (&self->point, self->public_key))
        g_assert_not_reached ();
    }
  else
    {
      self->point = sum;
      _gremium_ristretto_encode_vartime (self->public_key, &sum);
    }

  if (_gremium_point_is_identity (self->public_key))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The tellers' key shares add up to the identity");
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * gremium_election_key_new:
 * @meeting_id: the meeting the vote belongs to
 * @vote_id: the vote
 * @n_options: the number of options (or candidates) on the ballot
 * @min_count: the least number of options a voter marks
 * @max_count: the most options a voter marks; 1 together with @min_count 1
 *   for a yes/no/abstain question or a one-vote election
 * @teller_shares: (element-type GBytes): every teller's public key share as
 *   produced by gremium_teller_key_get_public_share()
 * @error: return location for an error
 *
 * Builds the election key of a secret vote from the tellers' public shares.
 * Each share must be canonical, name @meeting_id and @vote_id, and carry a
 * valid proof that its teller knows the secret behind it; teller ids and keys
 * must be distinct.
 *
 * Returns: (transfer full) (nullable): the election key, or %NULL with @error
 *   set (%GREMIUM_ERROR_BAD_PROOF for a share whose proof fails)
 */
GremiumElectionKey *
gremium_election_key_new (const char  *meeting_id,
                          const char  *vote_id,
                          guint        n_options,
                          guint        min_count,
                          guint        max_count,
                          GPtrArray   *teller_shares,
                          GError     **error)
{
  g_return_val_if_fail (meeting_id != NULL, NULL);
  g_return_val_if_fail (vote_id != NULL, NULL);
  g_return_val_if_fail (teller_shares != NULL, NULL);

  return _gremium_election_key_new_full (meeting_id, vote_id, n_options, min_count, max_count,
                                         teller_shares, FALSE, error);
}

const GremiumRistrettoPoint *
_gremium_election_key_get_point (GremiumElectionKey *self)
{
  g_assert (GREMIUM_IS_ELECTION_KEY (self));

  return &self->point;
}

const GremiumRistrettoPoint *
_gremium_election_key_get_teller_point (GremiumElectionKey *self,
                                        guint               index)
{
  g_assert (GREMIUM_IS_ELECTION_KEY (self));
  g_assert (index < self->tellers->len);

  return &g_array_index (self->tellers, Teller, index).point;
}

gboolean
_gremium_election_key_find_teller (GremiumElectionKey *self,
                                   const char         *teller_id,
                                   guint              *index)
{
  g_assert (GREMIUM_IS_ELECTION_KEY (self));
  g_assert (teller_id != NULL);

  for (guint i = 0; i < self->tellers->len; i++)
    {
      if (g_str_equal (g_array_index (self->tellers, Teller, i).id, teller_id))
        {
          if (index != NULL)
            *index = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* The statement every ballot proof starts from (docs/voting-crypto.md,
 * "Ballot context"): which vote, under which key, with which ballot shape.
 */
void
_gremium_election_key_append_context (GremiumElectionKey *self,
                                      GremiumTranscript  *transcript)
{
  g_assert (GREMIUM_IS_ELECTION_KEY (self));

  _gremium_transcript_append_string (transcript, "meeting", self->meeting_id);
  _gremium_transcript_append_string (transcript, "vote", self->vote_id);
  _gremium_transcript_append_point (transcript, "election-key", self->public_key);
  _gremium_transcript_append_uint (transcript, "options", self->n_options);
  _gremium_transcript_append_uint (transcript, "min", self->min_count);
  _gremium_transcript_append_uint (transcript, "max", self->max_count);
}

/**
 * gremium_election_key_get_meeting_id:
 * @self: an election key
 *
 * Returns: (transfer none): the meeting id
 */
const char *
gremium_election_key_get_meeting_id (GremiumElectionKey *self)
{
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (self), NULL);

  return self->meeting_id;
}

/**
 * gremium_election_key_get_vote_id:
 * @self: an election key
 *
 * Returns: (transfer none): the vote id
 */
const char *
gremium_election_key_get_vote_id (GremiumElectionKey *self)
{
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (self), NULL);

  return self->vote_id;
}

/**
 * gremium_election_key_get_n_options:
 * @self: an election key
 *
 * Returns: the number of options on a ballot
 */
guint
gremium_election_key_get_n_options (GremiumElectionKey *self)
{
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (self), 0);

  return self->n_options;
}

/**
 * gremium_election_key_get_min_count:
 * @self: an election key
 *
 * Returns: the least number of options a ballot marks
 */
guint
gremium_election_key_get_min_count (GremiumElectionKey *self)
{
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (self), 0);

  return self->min_count;
}

/**
 * gremium_election_key_get_max_count:
 * @self: an election key
 *
 * Returns: the most options a ballot marks
 */
guint
gremium_election_key_get_max_count (GremiumElectionKey *self)
{
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (self), 0);

  return self->max_count;
}

/**
 * gremium_election_key_get_public_key:
 * @self: an election key
 *
 * Gets the election key h, the sum of the tellers' shares, that ballots are
 * encrypted to.
 *
 * Returns: (transfer none) (array fixed-size=32): the encoded group element
 */
const guint8 *
gremium_election_key_get_public_key (GremiumElectionKey *self)
{
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (self), NULL);

  return self->public_key;
}

/**
 * gremium_election_key_get_n_tellers:
 * @self: an election key
 *
 * Returns: the number of tellers, all of whom must decrypt
 */
guint
gremium_election_key_get_n_tellers (GremiumElectionKey *self)
{
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (self), 0);

  return self->tellers->len;
}

/**
 * gremium_election_key_get_teller_id:
 * @self: an election key
 * @index: a teller's position, below gremium_election_key_get_n_tellers()
 *
 * Returns: (transfer none): the teller's member id
 */
const char *
gremium_election_key_get_teller_id (GremiumElectionKey *self,
                                    guint               index)
{
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (self), NULL);
  g_return_val_if_fail (index < self->tellers->len, NULL);

  return g_array_index (self->tellers, Teller, index).id;
}

/**
 * gremium_election_key_get_teller_public_key:
 * @self: an election key
 * @index: a teller's position, below gremium_election_key_get_n_tellers()
 *
 * Returns: (transfer none) (array fixed-size=32): the teller's public share
 */
const guint8 *
gremium_election_key_get_teller_public_key (GremiumElectionKey *self,
                                            guint               index)
{
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (self), NULL);
  g_return_val_if_fail (index < self->tellers->len, NULL);

  return g_array_index (self->tellers, Teller, index).key;
}
