/* gremium-tally.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-tally"

#include "config.h"

#include "gremium-tally-private.h"
#include "gremium-ballot-private.h"
#include "gremium-batch-private.h"
#include "gremium-election-key-private.h"
#include "gremium-error.h"
#include "gremium-group-private.h"
#include "gremium-json-private.h"
#include "gremium-transcript-private.h"

#include <sodium.h>
#include <string.h>

/**
 * GremiumTally:
 *
 * The homomorphic tally of a secret vote.
 *
 * Adding the ciphertexts of all valid ballots option by option gives
 * (A_j, B_j) = (R_j G, R_j h + n_j G), an encryption of the count n_j. Each
 * teller i publishes a decryption share D_ij = x_i A_j with a Chaum-Pedersen
 * proof that it used the secret behind its key share Y_i; then
 * B_j - sum_i D_ij = n_j G, and n_j is found by trying 0, 1, ... up to the
 * number of ballots.
 *
 * Only ballots whose proofs hold enter the tally, each voter at most once and
 * no ciphertext twice. Once a teller has decrypted the tally or a share has
 * been added, the tally is closed to further ballots, since the shares
 * decrypt exactly this sum.
 *
 * gremium_tally_new_verified_async() checks a whole vote from the record's
 * bytes (ballots and shares) on all processor cores without showing a thread
 * to the caller.
 */

typedef guint8 Bytes32[32];

typedef struct
{
  gboolean               present;
  Bytes32               *shares;
  GremiumRistrettoPoint *points;
} TellerShares;

struct _GremiumTally
{
  GObject                parent_instance;

  GremiumElectionKey    *key;
  gboolean               reference;
  guint                  n_options;
  guint                  n_ballots;
  GHashTable            *voters;
  GHashTable            *ciphertexts;

  /* Running sums: as points on the fast path, as bytes on the reference
   * path. The fast path fills the bytes when the tally is sealed.
   */
  GremiumRistrettoPoint *sum_alpha;
  GremiumRistrettoPoint *sum_beta;
  Bytes32               *alpha;
  Bytes32               *beta;
  gboolean               sealed;

  TellerShares          *tellers;
  guint                 *counts;
};

G_DEFINE_FINAL_TYPE (GremiumTally, gremium_tally, G_TYPE_OBJECT)

static void
gremium_tally_finalize (GObject *object)
{
  GremiumTally *self = (GremiumTally *) object;

  if (self->tellers != NULL)
    {
      for (guint i = 0; i < gremium_election_key_get_n_tellers (self->key); i++)
        {
          g_free (self->tellers[i].shares);
          g_free (self->tellers[i].points);
        }
      g_free (self->tellers);
    }

  g_clear_pointer (&self->voters, g_hash_table_unref);
  g_clear_pointer (&self->ciphertexts, g_hash_table_unref);
  g_clear_pointer (&self->sum_alpha, g_free);
  g_clear_pointer (&self->sum_beta, g_free);
  g_clear_pointer (&self->alpha, g_free);
  g_clear_pointer (&self->beta, g_free);
  g_clear_pointer (&self->counts, g_free);
  g_clear_object (&self->key);

  G_OBJECT_CLASS (gremium_tally_parent_class)->finalize (object);
}

static void
gremium_tally_class_init (GremiumTallyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_tally_finalize;
}

static void
gremium_tally_init (GremiumTally *self)
{
  self->voters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->ciphertexts = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                             (GDestroyNotify) g_bytes_unref, NULL);
}

GremiumTally *
_gremium_tally_new_full (GremiumElectionKey *key,
                         gboolean            reference)
{
  GremiumTally *self;

  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (key), NULL);

  self = g_object_new (GREMIUM_TYPE_TALLY, NULL);
  self->key = g_object_ref (key);
  self->reference = reference;
  self->n_options = gremium_election_key_get_n_options (key);
  self->sum_alpha = g_new (GremiumRistrettoPoint, self->n_options);
  self->sum_beta = g_new (GremiumRistrettoPoint, self->n_options);
  self->alpha = g_new0 (Bytes32, self->n_options);
  self->beta = g_new0 (Bytes32, self->n_options);
  self->tellers = g_new0 (TellerShares, gremium_election_key_get_n_tellers (key));

  for (guint j = 0; j < self->n_options; j++)
    {
      _gremium_ristretto_identity (&self->sum_alpha[j]);
      _gremium_ristretto_identity (&self->sum_beta[j]);
    }

  return self;
}

/**
 * gremium_tally_new:
 * @key: the vote's election key
 *
 * Creates an empty tally.
 *
 * Returns: (transfer full): the tally
 */
GremiumTally *
gremium_tally_new (GremiumElectionKey *key)
{
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (key), NULL);

  return _gremium_tally_new_full (key, FALSE);
}

/**
 * gremium_tally_get_key:
 * @self: a tally
 *
 * Returns: (transfer none): the election key the tally belongs to
 */
GremiumElectionKey *
gremium_tally_get_key (GremiumTally *self)
{
  g_return_val_if_fail (GREMIUM_IS_TALLY (self), NULL);

  return self->key;
}

/**
 * gremium_tally_add_ballot:
 * @self: a tally that no teller has decrypted yet
 * @ballot: a ballot of the vote
 * @error: return location for an error
 *
 * Adds a ballot's ciphertexts to the tally. A ballot that was not verified
 * against the tally's key yet is verified first, bound to the voter it names;
 * the caller must have checked that this voter signed it and may vote.
 *
 * Returns: %TRUE if the ballot was counted; otherwise nothing changed and
 *   @error says why (%GREMIUM_ERROR_REPLAYED for a second ballot of a voter or
 *   a copied ciphertext, %GREMIUM_ERROR_INVALID_STATE once the tally is closed)
 */
gboolean
gremium_tally_add_ballot (GremiumTally   *self,
                          GremiumBallot  *ballot,
                          GError        **error)
{
  const char *voter_id;

  g_return_val_if_fail (GREMIUM_IS_TALLY (self), FALSE);
  g_return_val_if_fail (GREMIUM_IS_BALLOT (ballot), FALSE);

  if (self->sealed)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE,
                           "The tally is closed: its decryption has begun");
      return FALSE;
    }

  voter_id = gremium_ballot_get_voter_id (ballot);
  if (!_gremium_ballot_is_verified_for (ballot, self->key) &&
      !_gremium_ballot_verify_full (ballot, self->key, voter_id, self->reference, error))
    return FALSE;

  if (g_hash_table_contains (self->voters, voter_id))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_REPLAYED,
                   "Voter “%s” already has a ballot in the tally", voter_id);
      return FALSE;
    }

  /* A copied ciphertext cannot carry a valid proof for another voter, but a
   * duplicate is refused outright (Cortier and Smyth, CSF 2011).
   */
  for (guint j = 0; j < self->n_options; j++)
    {
      g_autoptr(GBytes) alpha = g_bytes_new_static (_gremium_ballot_get_alpha (ballot, j), 32);

      if (g_hash_table_contains (self->ciphertexts, alpha))
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_REPLAYED,
                       "The ballot of voter “%s” repeats a ciphertext of another ballot",
                       voter_id);
          return FALSE;
        }
    }

  for (guint j = 0; j < self->n_options; j++)
    {
      GremiumRistrettoPoint alpha;
      GremiumRistrettoPoint beta;

      g_hash_table_add (self->ciphertexts, g_bytes_new (_gremium_ballot_get_alpha (ballot, j), 32));

      if (self->reference)
        {
          _gremium_point_add (self->alpha[j], self->alpha[j], _gremium_ballot_get_alpha (ballot, j));
          _gremium_point_add (self->beta[j], self->beta[j], _gremium_ballot_get_beta (ballot, j));
          continue;
        }

      if (!_gremium_ballot_get_points (ballot, j, &alpha, &beta))
        {
          /* Verified on the reference path: valid, but not decoded yet. */
          if (!_gremium_ristretto_decode_vartime (&alpha, _gremium_ballot_get_alpha (ballot, j)) ||
              !_gremium_ristretto_decode_vartime (&beta, _gremium_ballot_get_beta (ballot, j)))
            g_assert_not_reached ();
        }

      _gremium_ristretto_add_vartime (&self->sum_alpha[j], &self->sum_alpha[j], &alpha);
      _gremium_ristretto_add_vartime (&self->sum_beta[j], &self->sum_beta[j], &beta);
    }

  g_hash_table_add (self->voters, g_strdup (voter_id));
  self->n_ballots++;

  return TRUE;
}

/**
 * gremium_tally_get_n_ballots:
 * @self: a tally
 *
 * Returns: the number of ballots in the tally
 */
guint
gremium_tally_get_n_ballots (GremiumTally *self)
{
  g_return_val_if_fail (GREMIUM_IS_TALLY (self), 0);

  return self->n_ballots;
}

/* Closes the tally to new ballots and fixes the encoded sums that the
 * decryption shares refer to.
 */
void
_gremium_tally_seal (GremiumTally *self)
{
  g_assert (GREMIUM_IS_TALLY (self));

  if (self->sealed)
    return;

  if (!self->reference)
    {
      for (guint j = 0; j < self->n_options; j++)
        {
          _gremium_ristretto_encode_vartime (self->alpha[j], &self->sum_alpha[j]);
          _gremium_ristretto_encode_vartime (self->beta[j], &self->sum_beta[j]);
        }
    }

  self->sealed = TRUE;
}

const guint8 *
_gremium_tally_get_alpha (GremiumTally *self,
                          guint         option)
{
  g_assert (GREMIUM_IS_TALLY (self));
  g_assert (self->sealed);
  g_assert (option < self->n_options);

  return self->alpha[option];
}

/* The challenge of a decryption proof (docs/voting-crypto.md, "Decryption
 * proof"). It binds the whole tally, not only the option's ciphertext, so a
 * share fits exactly one set of ballots.
 */
void
_gremium_tally_decryption_challenge (GremiumTally *self,
                                     const char   *teller_id,
                                     const guint8  teller_key[32],
                                     guint         option,
                                     const guint8  share[32],
                                     const guint8  commitment_a[32],
                                     const guint8  commitment_b[32],
                                     GByteArray   *record,
                                     guint8        challenge[32])
{
  GremiumTranscript transcript;

  g_assert (GREMIUM_IS_TALLY (self));
  g_assert (self->sealed);

  _gremium_transcript_init (&transcript, GREMIUM_TRANSCRIPT_DECRYPTION, record);
  _gremium_election_key_append_context (self->key, &transcript);
  _gremium_transcript_append_string (&transcript, "teller", teller_id);
  _gremium_transcript_append_point (&transcript, "teller-key", teller_key);
  _gremium_transcript_append_uint (&transcript, "ballots", self->n_ballots);
  for (guint j = 0; j < self->n_options; j++)
    {
      _gremium_transcript_append_point (&transcript, "tally-alpha", self->alpha[j]);
      _gremium_transcript_append_point (&transcript, "tally-beta", self->beta[j]);
    }
  _gremium_transcript_append_uint (&transcript, "option", option);
  _gremium_transcript_append_point (&transcript, "share", share);
  _gremium_transcript_append_point (&transcript, "commit-a", commitment_a);
  _gremium_transcript_append_point (&transcript, "commit-b", commitment_b);
  _gremium_transcript_challenge (&transcript, challenge);
}

static void
append_base64 (GString      *out,
               const char   *name,
               const guint8 *bytes,
               gboolean      comma)
{
  char text[45];

  sodium_bin2base64 (text, sizeof text, bytes, 32, sodium_base64_VARIANT_ORIGINAL);
  if (comma)
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append (out, "\":\"");
  g_string_append_len (out, text, 44);
  g_string_append_c (out, '"');
}

/* The canonical serialization of a decryption share (docs/voting-crypto.md,
 * "Decryption share"); each array holds 32 bytes per option.
 */
GBytes *
_gremium_tally_serialize_share (GremiumTally *self,
                                const char   *teller_id,
                                const guint8 *shares,
                                const guint8 *commitments_a,
                                const guint8 *commitments_b,
                                const guint8 *responses)
{
  GString *out = g_string_sized_new (128 + self->n_options * 200);

  g_assert (GREMIUM_IS_TALLY (self));
  g_assert (_gremium_id_is_valid (teller_id));

  g_string_append_printf (out, "{\"v\":1,\"meeting\":\"%s\",\"vote\":\"%s\",\"teller\":\"%s\","
                          "\"ballots\":%u,\"shares\":[",
                          gremium_election_key_get_meeting_id (self->key),
                          gremium_election_key_get_vote_id (self->key),
                          teller_id, self->n_ballots);

  for (guint j = 0; j < self->n_options; j++)
    {
      if (j > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      append_base64 (out, "d", shares + 32 * j, FALSE);
      append_base64 (out, "a", commitments_a + 32 * j, TRUE);
      append_base64 (out, "b", commitments_b + 32 * j, TRUE);
      append_base64 (out, "s", responses + 32 * j, TRUE);
      g_string_append_c (out, '}');
    }

  g_string_append (out, "]}");

  return g_string_free_to_bytes (out);
}

/**
 * gremium_tally_add_decryption_share:
 * @self: a tally
 * @share: a teller's decryption share, as gremium_teller_key_decrypt() made it
 * @error: return location for an error
 *
 * Checks and adds one teller's decryption share. The share must be canonical,
 * come from a teller of the vote who has not delivered one yet, decrypt a
 * tally of exactly this tally's ballots, and every option's proof of correct
 * decryption must hold. The tally is closed to new ballots from here on.
 *
 * Returns: %TRUE if the share was added; otherwise nothing changed and @error
 *   says why (%GREMIUM_ERROR_BAD_PROOF for a wrong share)
 */
gboolean
gremium_tally_add_decryption_share (GremiumTally  *self,
                                    GBytes        *share,
                                    GError       **error)
{
  static const char * const members[] = { "v", "meeting", "vote", "teller", "ballots", "shares",
                                          NULL };
  static const char * const share_members[] = { "d", "a", "b", "s", NULL };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GremiumBatch) batch = NULL;
  g_autoptr(GBytes) canonical = NULL;
  g_autofree Bytes32 *d = NULL;
  g_autofree Bytes32 *a = NULL;
  g_autofree Bytes32 *b = NULL;
  g_autofree Bytes32 *s = NULL;
  g_autofree guint *d_indices = NULL;
  TellerShares *entry;
  const char *meeting_id;
  const char *vote_id;
  const char *teller_id;
  const guint8 *teller_key;
  JsonArray *shares;
  const char *data;
  gsize len;
  gint64 version;
  gint64 n_ballots;
  guint teller;
  guint key_index;
  guint failed = 0;

  g_return_val_if_fail (GREMIUM_IS_TALLY (self), FALSE);
  g_return_val_if_fail (share != NULL, FALSE);

  data = g_bytes_get_data (share, &len);
  if (len > GREMIUM_DECRYPTION_SHARE_MAX_SIZE)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TOO_LARGE,
                   "A decryption share may have at most %d bytes",
                   GREMIUM_DECRYPTION_SHARE_MAX_SIZE);
      return FALSE;
    }

  if (len == 0 || !(object = _gremium_json_parse_object (data, len, error)))
    {
      if (len == 0)
        g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED, "The share is empty");
      g_prefix_error (error, "The decryption share: ");
      return FALSE;
    }

  if (!_gremium_json_check_members (object, "the decryption share", members, error) ||
      !_gremium_json_get_int (object, "v", 1, G_MAXINT, &version, error))
    return FALSE;

  if (version != 1)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNSUPPORTED_VERSION,
                   "Decryption share version %" G_GINT64_FORMAT " is not supported", version);
      return FALSE;
    }

  if (!(meeting_id = _gremium_json_get_string (object, "meeting", 64, error)) ||
      !(vote_id = _gremium_json_get_string (object, "vote", 64, error)) ||
      !(teller_id = _gremium_json_get_string (object, "teller", 64, error)) ||
      !_gremium_json_get_int (object, "ballots", 0, G_MAXINT32, &n_ballots, error) ||
      !(shares = _gremium_json_get_array (object, "shares", GREMIUM_SECRET_VOTE_MAX_OPTIONS, error)))
    return FALSE;

  if (!_gremium_id_is_valid (meeting_id) || !_gremium_id_is_valid (vote_id) ||
      !_gremium_id_is_valid (teller_id))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The decryption share names an invalid meeting, vote or teller id");
      return FALSE;
    }

  if (!g_str_equal (meeting_id, gremium_election_key_get_meeting_id (self->key)))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_WRONG_MEETING,
                   "The decryption share belongs to meeting “%s”", meeting_id);
      return FALSE;
    }

  if (!g_str_equal (vote_id, gremium_election_key_get_vote_id (self->key)))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The decryption share belongs to vote “%s”", vote_id);
      return FALSE;
    }

  if (!_gremium_election_key_find_teller (self->key, teller_id, &teller))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_PERMISSION_DENIED,
                   "“%s” is not a teller of this vote", teller_id);
      return FALSE;
    }

  if (self->tellers[teller].present)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_REPLAYED,
                   "Teller “%s” has already delivered a decryption share", teller_id);
      return FALSE;
    }

  if ((guint) n_ballots != self->n_ballots)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The decryption share of teller “%s” is for %" G_GINT64_FORMAT
                   " ballots, the tally has %u", teller_id, n_ballots, self->n_ballots);
      return FALSE;
    }

  if (json_array_get_length (shares) != self->n_options)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The decryption share of teller “%s” has %u options, the vote has %u",
                   teller_id, json_array_get_length (shares), self->n_options);
      return FALSE;
    }

  d = g_new (Bytes32, self->n_options);
  a = g_new (Bytes32, self->n_options);
  b = g_new (Bytes32, self->n_options);
  s = g_new (Bytes32, self->n_options);

  for (guint j = 0; j < self->n_options; j++)
    {
      JsonNode *node = json_array_get_element (shares, j);
      JsonObject *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                               "A decryption share must be an object");
          return FALSE;
        }

      item = json_node_get_object (node);
      if (!_gremium_json_check_members (item, "a decryption share", share_members, error) ||
          !_gremium_json_get_point (item, "d", d[j], error) ||
          !_gremium_json_get_point (item, "a", a[j], error) ||
          !_gremium_json_get_point (item, "b", b[j], error) ||
          !_gremium_json_get_scalar (item, "s", s[j], error))
        {
          g_prefix_error (error, "Option %u of the decryption share: ", j + 1);
          return FALSE;
        }
    }

  _gremium_tally_seal (self);

  canonical = _gremium_tally_serialize_share (self, teller_id, (const guint8 *) d,
                                              (const guint8 *) a, (const guint8 *) b,
                                              (const guint8 *) s);
  if (!g_bytes_equal (canonical, share))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The decryption share is not in its canonical form");
      return FALSE;
    }

  /* For each option j, with the tally's A_j and the teller's key Y:
   *   a_j + c_j Y - s_j G = identity
   *   b_j + c_j D_j - s_j A_j = identity
   */
  batch = _gremium_batch_new (self->reference);
  teller_key = gremium_election_key_get_teller_public_key (self->key, teller);
  key_index = _gremium_batch_add_trusted_point (batch, teller_key,
                                                _gremium_election_key_get_teller_point (self->key,
                                                                                        teller));
  d_indices = g_new (guint, self->n_options);

  for (guint j = 0; j < self->n_options; j++)
    {
      guint8 challenge[32];
      guint alpha_index;
      guint a_index;
      guint b_index;

      alpha_index = _gremium_batch_add_trusted_point (batch, self->alpha[j],
                                                      self->reference ? NULL : &self->sum_alpha[j]);

      if (!_gremium_batch_add_point (batch, d[j], TRUE, &d_indices[j]) ||
          !_gremium_batch_add_point (batch, a[j], TRUE, &a_index) ||
          !_gremium_batch_add_point (batch, b[j], TRUE, &b_index))
        g_assert_not_reached ();

      _gremium_tally_decryption_challenge (self, teller_id, teller_key, j, d[j], a[j], b[j],
                                           NULL, challenge);

      _gremium_batch_begin (batch, j);
      _gremium_batch_term (batch, a_index, NULL, FALSE);
      _gremium_batch_term (batch, key_index, challenge, FALSE);
      _gremium_batch_term (batch, GREMIUM_BATCH_GENERATOR, s[j], TRUE);

      _gremium_batch_begin (batch, j);
      _gremium_batch_term (batch, b_index, NULL, FALSE);
      _gremium_batch_term (batch, d_indices[j], challenge, FALSE);
      _gremium_batch_term (batch, alpha_index, s[j], TRUE);
    }

  if (!_gremium_batch_decode (batch, NULL))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The decryption share of teller “%s” holds an invalid group element",
                   teller_id);
      return FALSE;
    }

  if (!_gremium_batch_check (batch, &failed))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF,
                   "The decryption share of teller “%s” for option %u does not verify",
                   teller_id, failed + 1);
      return FALSE;
    }

  entry = &self->tellers[teller];
  entry->present = TRUE;
  entry->shares = g_steal_pointer (&d);
  if (!self->reference)
    {
      entry->points = g_new (GremiumRistrettoPoint, self->n_options);
      for (guint j = 0; j < self->n_options; j++)
        entry->points[j] = *_gremium_batch_get_point (batch, d_indices[j]);
    }

  return TRUE;
}

/**
 * gremium_tally_has_decryption_share:
 * @self: a tally
 * @teller_id: a teller of the vote
 *
 * Returns: %TRUE if @teller_id's decryption share was added
 */
gboolean
gremium_tally_has_decryption_share (GremiumTally *self,
                                    const char   *teller_id)
{
  guint teller;

  g_return_val_if_fail (GREMIUM_IS_TALLY (self), FALSE);
  g_return_val_if_fail (teller_id != NULL, FALSE);

  return _gremium_election_key_find_teller (self->key, teller_id, &teller) &&
         self->tellers[teller].present;
}

/* n_j from B_j - sum_i D_ij = n_j G by trying every n_j from 0 to the number
 * of ballots, the most any option can get.
 */
static gboolean
find_count (GremiumTally *self,
            guint         option,
            guint        *count)
{
  guint n_tellers = gremium_election_key_get_n_tellers (self->key);

  if (self->reference)
    {
      guint8 m[32];
      guint8 candidate[32];

      memcpy (m, self->beta[option], 32);
      for (guint i = 0; i < n_tellers; i++)
        _gremium_point_sub (m, m, self->tellers[i].shares[option]);

      for (guint k = 0; k <= self->n_ballots; k++)
        {
          _gremium_generator_multiple (candidate, k);
          if (memcmp (candidate, m, 32) == 0)
            {
              *count = k;
              return TRUE;
            }
        }
    }
  else
    {
      GremiumRistrettoPoint m = self->sum_beta[option];

      for (guint i = 0; i < n_tellers; i++)
        _gremium_ristretto_sub_vartime (&m, &m, &self->tellers[i].points[option]);

      return _gremium_ristretto_small_log_vartime (&m, self->n_ballots, count);
    }

  return FALSE;
}

/**
 * gremium_tally_get_counts:
 * @self: a tally with every teller's decryption share
 * @counts: (out caller-allocates) (array length=n_counts): the number of
 *   ballots that mark each option
 * @n_counts: the number of options of the vote
 * @error: return location for an error
 *
 * Decrypts the tally.
 *
 * Returns: %TRUE with @counts filled in; %FALSE with
 *   %GREMIUM_ERROR_TALLY_UNDECRYPTABLE when a teller's share is missing or a
 *   count lies outside 0 to the number of ballots. Either way the vote has to
 *   be repeated, as no one can decrypt it.
 */
gboolean
gremium_tally_get_counts (GremiumTally  *self,
                          guint         *counts,
                          guint          n_counts,
                          GError       **error)
{
  g_autoptr(GString) missing = NULL;
  guint n_tellers;

  g_return_val_if_fail (GREMIUM_IS_TALLY (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);
  g_return_val_if_fail (n_counts == self->n_options, FALSE);

  n_tellers = gremium_election_key_get_n_tellers (self->key);
  for (guint i = 0; i < n_tellers; i++)
    {
      if (self->tellers[i].present)
        continue;

      if (missing == NULL)
        missing = g_string_new (NULL);
      else
        g_string_append (missing, ", ");
      g_string_append_printf (missing, "“%s”", gremium_election_key_get_teller_id (self->key, i));
    }

  if (missing != NULL)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TALLY_UNDECRYPTABLE,
                   "The tally cannot be decrypted: the decryption share of %s is missing. "
                   "Without every teller's share the vote has to be repeated.", missing->str);
      return FALSE;
    }

  if (self->counts == NULL)
    {
      g_autofree guint *found = g_new0 (guint, self->n_options);

      for (guint j = 0; j < self->n_options; j++)
        {
          if (!find_count (self, j, &found[j]))
            {
              g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TALLY_UNDECRYPTABLE,
                           "The decrypted count of option %u is not between 0 and %u; "
                           "the tally cannot be decrypted", j + 1, self->n_ballots);
              return FALSE;
            }
        }

      self->counts = g_steal_pointer (&found);
    }

  memcpy (counts, self->counts, self->n_options * sizeof (guint));
  return TRUE;
}

/* Whole-vote verification on all cores. The calling thread takes part in the
 * work, so progress never depends on a pool thread being free; helpers that
 * start late find nothing left and leave.
 */

typedef struct
{
  gint                ref_count;
  GremiumElectionKey *key;
  GPtrArray          *bytes;
  char              **voter_ids;
  GremiumBallot     **ballots;
  GError            **errors;
  GCancellable       *cancellable;
  guint               chunk;
  gint                next;
  guint               done;
  GMutex              mutex;
  GCond               cond;
} VerifyJob;

static void
verify_job_unref (VerifyJob *job)
{
  if (!g_atomic_int_dec_and_test (&job->ref_count))
    return;

  for (guint i = 0; i < job->bytes->len; i++)
    {
      g_clear_error (&job->errors[i]);
      g_clear_object (&job->ballots[i]);
    }
  g_free (job->errors);
  g_free (job->ballots);
  g_strfreev (job->voter_ids);
  g_ptr_array_unref (job->bytes);
  g_object_unref (job->key);
  g_clear_object (&job->cancellable);
  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  g_free (job);
}

/* Parses the ballots of one chunk, binds each to the member who signed it
 * and checks the chunk's proofs with one combined multi-scalar
 * multiplication, which shares its doublings among the chunk's ballots.
 */
static void
verify_chunk (VerifyJob *job,
              guint      start,
              guint      count)
{
  g_autofree GremiumBallot **parsed = g_new (GremiumBallot *, count);
  g_autofree GError **errors = g_new0 (GError *, count);
  g_autofree guint *positions = g_new (guint, count);
  guint n_parsed = 0;

  for (guint i = start; i < start + count; i++)
    {
      GremiumBallot *ballot = gremium_ballot_new_from_bytes (g_ptr_array_index (job->bytes, i),
                                                             &job->errors[i]);

      if (ballot == NULL)
        continue;

      job->ballots[i] = ballot;
      if (!g_str_equal (gremium_ballot_get_voter_id (ballot), job->voter_ids[i]))
        {
          g_set_error (&job->errors[i], GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                       "The ballot was made for voter “%s”, not for its signer",
                       gremium_ballot_get_voter_id (ballot));
          continue;
        }

      parsed[n_parsed] = ballot;
      positions[n_parsed] = i;
      n_parsed++;
    }

  _gremium_ballot_verify_many (parsed, n_parsed, job->key, errors);
  for (guint k = 0; k < n_parsed; k++)
    if (errors[k] != NULL)
      g_propagate_error (&job->errors[positions[k]], errors[k]);
}

static void
verify_job_run (VerifyJob *job)
{
  for (;;)
    {
      guint start = (guint) g_atomic_int_add (&job->next, (gint) job->chunk);
      guint count;

      if (start >= job->bytes->len)
        break;

      count = MIN (job->chunk, job->bytes->len - start);
      if (!g_cancellable_is_cancelled (job->cancellable))
        verify_chunk (job, start, count);

      g_mutex_lock (&job->mutex);
      job->done += count;
      if (job->done == job->bytes->len)
        g_cond_broadcast (&job->cond);
      g_mutex_unlock (&job->mutex);
    }
}

static void
verify_job_pool_cb (gpointer data,
                    gpointer user_data)
{
  VerifyJob *job = data;

  verify_job_run (job);
  verify_job_unref (job);
}

static GThreadPool *
get_verify_pool (void)
{
  static GThreadPool *pool = NULL;

  if (g_once_init_enter (&pool))
    {
      gint helpers = MAX ((gint) g_get_num_processors () - 1, 1);

      g_once_init_leave (&pool, g_thread_pool_new (verify_job_pool_cb, NULL, helpers, FALSE, NULL));
    }

  return pool;
}

/* Parses and verifies every ballot on all cores; on success @parsed holds
 * the verified ballots in order.
 */
static gboolean
verify_ballots (GremiumElectionKey   *key,
                GPtrArray            *bytes,
                const char * const   *voter_ids,
                GPtrArray            *parsed,
                GCancellable         *cancellable,
                GError              **error)
{
  VerifyJob *job;
  guint threads;
  guint helpers;
  gboolean ok = TRUE;

  if (bytes->len == 0)
    return TRUE;

  job = g_new0 (VerifyJob, 1);
  job->ref_count = 1;
  job->key = g_object_ref (key);
  job->bytes = g_ptr_array_ref (bytes);
  job->voter_ids = g_new0 (char *, bytes->len + 1);
  for (guint i = 0; i < bytes->len; i++)
    job->voter_ids[i] = g_strdup (voter_ids[i]);
  job->ballots = g_new0 (GremiumBallot *, bytes->len);
  job->errors = g_new0 (GError *, bytes->len);
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);

  /* About four chunks per thread keeps the threads evenly busy; more than
   * 16 ballots in one multiplication gain little and cost cache.
   */
  threads = MAX (g_get_num_processors (), 1);
  job->chunk = CLAMP ((bytes->len + 4 * threads - 1) / (4 * threads), 1, 16);
  helpers = MIN (threads - 1, (bytes->len - 1) / job->chunk);
  for (guint h = 0; h < helpers; h++)
    {
      g_atomic_int_inc (&job->ref_count);
      g_thread_pool_push (get_verify_pool (), job, NULL);
    }

  verify_job_run (job);

  g_mutex_lock (&job->mutex);
  while (job->done < bytes->len)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      ok = FALSE;
    }
  else
    {
      for (guint i = 0; i < bytes->len; i++)
        {
          if (job->errors[i] != NULL)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&job->errors[i]),
                                          "Ballot %u (voter “%s”): ", i + 1, voter_ids[i]);
              ok = FALSE;
              break;
            }
        }
    }

  if (ok)
    {
      for (guint i = 0; i < bytes->len; i++)
        g_ptr_array_add (parsed, g_steal_pointer (&job->ballots[i]));
    }

  verify_job_unref (job);
  return ok;
}

/**
 * gremium_tally_new_verified:
 * @key: the vote's election key
 * @ballots: (element-type GBytes): the vote's ballots as the record holds
 *   them (the canonical bytes each voter signed)
 * @voter_ids: (array zero-terminated=0): for each ballot, the member who
 *   signed it; the caller has checked the signature and that the member may
 *   vote
 * @shares: (element-type GBytes) (nullable): the tellers' decryption shares
 *   published so far
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Checks a whole secret vote: parses every ballot, binds it to its signer,
 * checks every proof, admits one ballot per voter, and checks every
 * decryption share against the sum of the ballots. The ballots are parsed
 * and checked on all processor cores. This blocks; a user interface calls
 * gremium_tally_new_verified_async() instead.
 *
 * Returns: (transfer full) (nullable): the verified tally, from which
 *   gremium_tally_get_counts() reads the result once all shares are in; or
 *   %NULL with @error naming the first ballot or share that fails
 */
GremiumTally *
gremium_tally_new_verified (GremiumElectionKey  *key,
                            GPtrArray           *ballots,
                            const char * const  *voter_ids,
                            GPtrArray           *shares,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_autoptr(GremiumTally) self = NULL;
  g_autoptr(GPtrArray) parsed = NULL;

  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (key), NULL);
  g_return_val_if_fail (ballots != NULL, NULL);
  g_return_val_if_fail (voter_ids != NULL || ballots->len == 0, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  if (!gremium_crypto_init (error))
    return NULL;

  parsed = g_ptr_array_new_with_free_func (g_object_unref);
  if (!verify_ballots (key, ballots, voter_ids, parsed, cancellable, error))
    return NULL;

  self = gremium_tally_new (key);

  for (guint i = 0; i < parsed->len; i++)
    {
      if (!gremium_tally_add_ballot (self, g_ptr_array_index (parsed, i), error))
        {
          g_prefix_error (error, "Ballot %u (voter “%s”): ", i + 1, voter_ids[i]);
          return NULL;
        }
    }

  for (guint i = 0; shares != NULL && i < shares->len; i++)
    {
      if (!gremium_tally_add_decryption_share (self, g_ptr_array_index (shares, i), error))
        {
          g_prefix_error (error, "Decryption share %u: ", i + 1);
          return NULL;
        }
    }

  /* Decrypt here, off the caller's thread, when every share is in. */
  if (shares != NULL && shares->len == gremium_election_key_get_n_tellers (key))
    {
      g_autofree guint *counts = g_new (guint, self->n_options);

      if (!gremium_tally_get_counts (self, counts, self->n_options, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

typedef struct
{
  GremiumElectionKey  *key;
  GPtrArray           *ballots;
  char               **voter_ids;
  GPtrArray           *shares;
} VerifyTaskData;

static gpointer
copy_bytes (gconstpointer src,
            gpointer      user_data)
{
  return g_bytes_ref ((GBytes *) src);
}

static GPtrArray *
copy_bytes_array (GPtrArray *array)
{
  GPtrArray *copy = g_ptr_array_copy (array, copy_bytes, NULL);

  g_ptr_array_set_free_func (copy, (GDestroyNotify) g_bytes_unref);
  return copy;
}

static void
verify_task_data_free (VerifyTaskData *data)
{
  g_clear_object (&data->key);
  g_clear_pointer (&data->ballots, g_ptr_array_unref);
  g_clear_pointer (&data->voter_ids, g_strfreev);
  g_clear_pointer (&data->shares, g_ptr_array_unref);
  g_free (data);
}

static void
verify_task_thread_cb (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  VerifyTaskData *data = task_data;
  GError *error = NULL;
  GremiumTally *tally;

  tally = gremium_tally_new_verified (data->key, data->ballots,
                                      (const char * const *) data->voter_ids, data->shares,
                                      cancellable, &error);
  if (tally == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tally, g_object_unref);
}

/**
 * gremium_tally_new_verified_async:
 * @key: the vote's election key
 * @ballots: (element-type GBytes): the vote's ballots as the record holds them
 * @voter_ids: (array zero-terminated=0): for each ballot, the member who
 *   signed it
 * @shares: (element-type GBytes) (nullable): the decryption shares so far
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the verification is done
 * @user_data: data for @callback
 *
 * Starts gremium_tally_new_verified() without blocking the caller. The
 * arguments are copied, so the caller may change or free them at once.
 */
void
gremium_tally_new_verified_async (GremiumElectionKey  *key,
                                  GPtrArray           *ballots,
                                  const char * const  *voter_ids,
                                  GPtrArray           *shares,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  VerifyTaskData *data;

  g_return_if_fail (GREMIUM_IS_ELECTION_KEY (key));
  g_return_if_fail (ballots != NULL);
  g_return_if_fail (voter_ids != NULL || ballots->len == 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (VerifyTaskData, 1);
  data->key = g_object_ref (key);
  data->ballots = copy_bytes_array (ballots);
  data->voter_ids = g_new0 (char *, ballots->len + 1);
  for (guint i = 0; i < ballots->len; i++)
    data->voter_ids[i] = g_strdup (voter_ids[i]);
  if (shares != NULL)
    data->shares = copy_bytes_array (shares);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gremium_tally_new_verified_async);
  g_task_set_task_data (task, data, (GDestroyNotify) verify_task_data_free);
  g_task_run_in_thread (task, verify_task_thread_cb);
}

/**
 * gremium_tally_new_verified_finish:
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes gremium_tally_new_verified_async().
 *
 * Returns: (transfer full) (nullable): the verified tally, or %NULL with
 *   @error set
 */
GremiumTally *
gremium_tally_new_verified_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gremium_tally_new_verified_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
