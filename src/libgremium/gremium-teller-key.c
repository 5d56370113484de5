/* gremium-teller-key.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-teller-key"

#include "config.h"

#include "gremium-teller-key-private.h"
#include "gremium-election-key-private.h"
#include "gremium-error.h"
#include "gremium-json-private.h"
#include "gremium-tally-private.h"

#include <sodium.h>
#include <string.h>

/**
 * GremiumTellerKey:
 *
 * A teller's secret share x of one vote's election key, held on the
 * teller's own device.
 *
 * The public share Y = x G goes out with a Schnorr proof of knowledge bound to
 * the meeting, the vote and the teller (gremium_teller_key_get_public_share()).
 * After the vote the teller decrypts the tally with
 * gremium_teller_key_decrypt(): D_j = x A_j for every option, each with a
 * Chaum-Pedersen proof that the same x stands behind Y and D_j.
 *
 * The secret lives in guarded memory from sodium_malloc(), read-only between
 * uses and wiped when the object is finalized; it never leaves this object.
 * Only the tally's own sum is ever decrypted, never a ciphertext chosen from
 * outside, so the teller cannot be used to decrypt a single ballot.
 */
struct _GremiumTellerKey
{
  GObject  parent_instance;

  char    *meeting_id;
  char    *vote_id;
  char    *teller_id;
  guint8  *secret;                /* 32 bytes, sodium_malloc() */
  guint8   public_key[32];
  GBytes  *public_share;
};

G_DEFINE_FINAL_TYPE (GremiumTellerKey, gremium_teller_key, G_TYPE_OBJECT)

static void
gremium_teller_key_finalize (GObject *object)
{
  GremiumTellerKey *self = (GremiumTellerKey *) object;

  /* sodium_free() wipes the memory before releasing it. */
  g_clear_pointer (&self->secret, sodium_free);
  g_clear_pointer (&self->meeting_id, g_free);
  g_clear_pointer (&self->vote_id, g_free);
  g_clear_pointer (&self->teller_id, g_free);
  g_clear_pointer (&self->public_share, g_bytes_unref);

  G_OBJECT_CLASS (gremium_teller_key_parent_class)->finalize (object);
}

static void
gremium_teller_key_class_init (GremiumTellerKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_teller_key_finalize;
}

static void
gremium_teller_key_init (GremiumTellerKey *self)
{
}

GremiumTellerKey *
_gremium_teller_key_new_full (const char  *meeting_id,
                              const char  *vote_id,
                              const char  *teller_id,
                              GremiumDrbg *drbg)
{
  g_autoptr(GremiumTellerKey) self = NULL;
  g_autofree char *share = NULL;
  guint8 nonce[32];
  guint8 commitment[32];
  guint8 challenge[32];
  guint8 response[32];
  gsize share_len;

  g_return_val_if_fail (_gremium_id_is_valid (meeting_id), NULL);
  g_return_val_if_fail (_gremium_id_is_valid (vote_id), NULL);
  g_return_val_if_fail (_gremium_id_is_valid (teller_id), NULL);

  if (!gremium_crypto_init (NULL))
    g_error ("libsodium is unusable; cannot create a teller key");

  self = g_object_new (GREMIUM_TYPE_TELLER_KEY, NULL);
  self->meeting_id = g_strdup (meeting_id);
  self->vote_id = g_strdup (vote_id);
  self->teller_id = g_strdup (teller_id);

  self->secret = sodium_malloc (32);
  if (self->secret == NULL)
    g_error ("Out of guarded memory for a teller key");

  _gremium_scalar_random (self->secret, drbg);
  _gremium_scalarmult_base (self->public_key, self->secret);

  /* Schnorr proof of knowledge of x: a = w G, c = H(...), s = w + c x. */
  _gremium_scalar_random (nonce, drbg);
  _gremium_scalarmult_base (commitment, nonce);
  _gremium_teller_share_challenge (meeting_id, vote_id, teller_id, self->public_key,
                                   commitment, NULL, challenge);
  crypto_core_ristretto255_scalar_mul (response, challenge, self->secret);
  crypto_core_ristretto255_scalar_add (response, response, nonce);
  sodium_memzero (nonce, sizeof nonce);

  sodium_mprotect_readonly (self->secret);

  share = _gremium_teller_share_serialize (meeting_id, vote_id, teller_id, self->public_key,
                                           commitment, response);
  share_len = strlen (share);
  self->public_share = g_bytes_new_take (g_steal_pointer (&share), share_len);

  return g_steal_pointer (&self);
}

/**
 * gremium_teller_key_new:
 * @meeting_id: the meeting
 * @vote_id: the vote whose tally this teller helps to decrypt
 * @teller_id: the teller's member id
 *
 * Creates a fresh random key share for one vote.
 *
 * Returns: (transfer full): the teller key
 */
GremiumTellerKey *
gremium_teller_key_new (const char *meeting_id,
                        const char *vote_id,
                        const char *teller_id)
{
  g_return_val_if_fail (_gremium_id_is_valid (meeting_id), NULL);
  g_return_val_if_fail (_gremium_id_is_valid (vote_id), NULL);
  g_return_val_if_fail (_gremium_id_is_valid (teller_id), NULL);

  return _gremium_teller_key_new_full (meeting_id, vote_id, teller_id, NULL);
}

/**
 * gremium_teller_key_get_meeting_id:
 * @self: a teller key
 *
 * Returns: (transfer none): the meeting id
 */
const char *
gremium_teller_key_get_meeting_id (GremiumTellerKey *self)
{
  g_return_val_if_fail (GREMIUM_IS_TELLER_KEY (self), NULL);

  return self->meeting_id;
}

/**
 * gremium_teller_key_get_vote_id:
 * @self: a teller key
 *
 * Returns: (transfer none): the vote id
 */
const char *
gremium_teller_key_get_vote_id (GremiumTellerKey *self)
{
  g_return_val_if_fail (GREMIUM_IS_TELLER_KEY (self), NULL);

  return self->vote_id;
}

/**
 * gremium_teller_key_get_teller_id:
 * @self: a teller key
 *
 * Returns: (transfer none): the teller's member id
 */
const char *
gremium_teller_key_get_teller_id (GremiumTellerKey *self)
{
  g_return_val_if_fail (GREMIUM_IS_TELLER_KEY (self), NULL);

  return self->teller_id;
}

/**
 * gremium_teller_key_get_public_key:
 * @self: a teller key
 *
 * Returns: (transfer none) (array fixed-size=32): the public share Y = x G
 */
const guint8 *
gremium_teller_key_get_public_key (GremiumTellerKey *self)
{
  g_return_val_if_fail (GREMIUM_IS_TELLER_KEY (self), NULL);

  return self->public_key;
}

/**
 * gremium_teller_key_get_public_share:
 * @self: a teller key
 *
 * Gets the teller's public key share with its proof of knowledge, in the
 * canonical form gremium_election_key_new() reads. The teller signs it in a
 * statement.
 *
 * Returns: (transfer none): the canonical JSON document
 */
GBytes *
gremium_teller_key_get_public_share (GremiumTellerKey *self)
{
  g_return_val_if_fail (GREMIUM_IS_TELLER_KEY (self), NULL);

  return self->public_share;
}

GBytes *
_gremium_teller_key_decrypt_full (GremiumTellerKey  *self,
                                  GremiumTally      *tally,
                                  GremiumDrbg       *drbg,
                                  GError           **error)
{
  GremiumElectionKey *key;
  g_autofree guint8 *shares = NULL;
  g_autofree guint8 *commitments_a = NULL;
  g_autofree guint8 *commitments_b = NULL;
  g_autofree guint8 *responses = NULL;
  GBytes *result;
  guint8 nonce[32];
  guint8 challenge[32];
  guint n_options;
  guint teller;

  g_return_val_if_fail (GREMIUM_IS_TELLER_KEY (self), NULL);
  g_return_val_if_fail (GREMIUM_IS_TALLY (tally), NULL);

  key = gremium_tally_get_key (tally);

  if (!g_str_equal (gremium_election_key_get_meeting_id (key), self->meeting_id) ||
      !g_str_equal (gremium_election_key_get_vote_id (key), self->vote_id) ||
      !_gremium_election_key_find_teller (key, self->teller_id, &teller) ||
      memcmp (gremium_election_key_get_teller_public_key (key, teller), self->public_key, 32) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE,
                   "The key of teller “%s” is not part of the election key of vote “%s”",
                   self->teller_id, gremium_election_key_get_vote_id (key));
      return NULL;
    }

  _gremium_tally_seal (tally);

  n_options = gremium_election_key_get_n_options (key);
  shares = g_malloc (32 * n_options);
  commitments_a = g_malloc (32 * n_options);
  commitments_b = g_malloc (32 * n_options);
  responses = g_malloc (32 * n_options);

  for (guint j = 0; j < n_options; j++)
    {
      const guint8 *alpha = _gremium_tally_get_alpha (tally, j);

      /* D = x A; a = w G, b = w A; s = w + c x. With no ballots A is the
       * identity, and so are D and b; libsodium's -1 for that case is
       * handled by _gremium_scalarmult().
       */
      _gremium_scalarmult (shares + 32 * j, self->secret, alpha);
      _gremium_scalar_random (nonce, drbg);
      _gremium_scalarmult_base (commitments_a + 32 * j, nonce);
      _gremium_scalarmult (commitments_b + 32 * j, nonce, alpha);
      _gremium_tally_decryption_challenge (tally, self->teller_id, self->public_key, j,
                                           shares + 32 * j, commitments_a + 32 * j,
                                           commitments_b + 32 * j, NULL, challenge);
      crypto_core_ristretto255_scalar_mul (responses + 32 * j, challenge, self->secret);
      crypto_core_ristretto255_scalar_add (responses + 32 * j, responses + 32 * j, nonce);
    }

  sodium_memzero (nonce, sizeof nonce);

  result = _gremium_tally_serialize_share (tally, self->teller_id, shares, commitments_a,
                                           commitments_b, responses);
  return result;
}

/**
 * gremium_teller_key_decrypt:
 * @self: a teller key
 * @tally: the tally of the vote, with every valid ballot added
 * @error: return location for an error
 *
 * Computes the teller's decryption share of @tally with proofs of correct
 * decryption. The tally is closed to further ballots. The teller signs the
 * result in a statement; everyone adds it with
 * gremium_tally_add_decryption_share().
 *
 * Returns: (transfer full) (nullable): the canonical decryption share, or
 *   %NULL with @error set when this key is not one of the tally's tellers
 */
GBytes *
gremium_teller_key_decrypt (GremiumTellerKey  *self,
                            GremiumTally      *tally,
                            GError           **error)
{
  g_return_val_if_fail (GREMIUM_IS_TELLER_KEY (self), NULL);
  g_return_val_if_fail (GREMIUM_IS_TALLY (tally), NULL);

  return _gremium_teller_key_decrypt_full (self, tally, NULL, error);
}
