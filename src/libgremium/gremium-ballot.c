/* gremium-ballot.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-ballot"

#include "config.h"

#include "gremium-ballot-private.h"
#include "gremium-batch-private.h"
#include "gremium-election-key-private.h"
#include "gremium-error.h"
#include "gremium-json-private.h"
#include "gremium-transcript-private.h"

#include <sodium.h>
#include <string.h>

/**
 * GremiumBallot:
 *
 * An encrypted ballot of a secret vote or election.
 *
 * For each option j the ballot holds an exponential-ElGamal ciphertext
 * (alpha_j, beta_j) = (r_j G, r_j h + m_j G) of the mark m_j under the election
 * key h, with a disjunctive Chaum-Pedersen proof that m_j is 0 or 1. A second
 * disjunctive proof shows that the marks add up to an allowed count (exactly 1
 * for a yes/no/abstain question). Every proof's challenge hashes the meeting,
 * the vote, the election key, the ballot's shape, the voter and the option, so
 * a ballot or a proof cannot be replayed for another voter, option or vote.
 *
 * Proofs carry their commitments, which lets a verifier check all equations
 * of a ballot at once (see gremium-batch-private.h); docs/voting-crypto.md
 * specifies every byte.
 *
 * The ballot's canonical bytes (gremium_ballot_get_bytes()) are what the voter
 * signs inside a statement; their SHA-256 is the voter's tracker. Parsing
 * accepts only that canonical form, so a ballot has exactly one encoding.
 */

typedef struct
{
  guint8 a[32];
  guint8 b[32];
  guint8 c[32];
  guint8 s[32];
} ProofBranch;

typedef struct
{
  guint8      alpha[32];
  guint8      beta[32];
  ProofBranch proof[2];
} BallotOption;

struct _GremiumBallot
{
  GObject                parent_instance;

  GBytes                *bytes;
  char                  *meeting_id;
  char                  *vote_id;
  char                  *voter_id;
  guint                  n_options;
  BallotOption          *options;
  guint                  n_sum_branches;
  ProofBranch           *sum;

  /* Set by a successful verification: the key it held against and, after
   * the fast path, the decoded ciphertexts (alpha_0, beta_0, alpha_1, ...)
   * for the tally.
   */
  GremiumElectionKey    *verified_key;
  GremiumRistrettoPoint *points;
};

G_DEFINE_FINAL_TYPE (GremiumBallot, gremium_ballot, G_TYPE_OBJECT)

/* 1 if a == b, else 0, without a branch: one of the two is the voter's
 * secret choice.
 */
static inline guint
ct_equal (guint a,
          guint b)
{
  guint64 x = (guint64) (a ^ b);

  return (guint) (((x - 1) >> 63) & 1);
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

static void
append_branches (GString           *out,
                 const ProofBranch *branches,
                 guint              n)
{
  g_string_append_c (out, '[');
  for (guint k = 0; k < n; k++)
    {
      if (k > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      append_base64 (out, "a", branches[k].a, FALSE);
      append_base64 (out, "b", branches[k].b, TRUE);
      append_base64 (out, "c", branches[k].c, TRUE);
      append_base64 (out, "s", branches[k].s, TRUE);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

/* The canonical serialization (docs/voting-crypto.md, "Ballot"). Identifiers
 * are restricted to [a-z0-9._-] and the rest is base64, so nothing needs
 * escaping and the member order is fixed here.
 */
static GBytes *
serialize (GremiumBallot *self)
{
  GString *out = g_string_sized_new (256 + self->n_options * 600 + self->n_sum_branches * 200);

  g_string_append_printf (out, "{\"v\":1,\"meeting\":\"%s\",\"vote\":\"%s\",\"voter\":\"%s\","
                          "\"options\":[",
                          self->meeting_id, self->vote_id, self->voter_id);

  for (guint j = 0; j < self->n_options; j++)
    {
      if (j > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      append_base64 (out, "alpha", self->options[j].alpha, FALSE);
      append_base64 (out, "beta", self->options[j].beta, TRUE);
      g_string_append (out, ",\"proof\":");
      append_branches (out, self->options[j].proof, 2);
      g_string_append_c (out, '}');
    }

  g_string_append (out, "],\"sum\":");
  append_branches (out, self->sum, self->n_sum_branches);
  g_string_append_c (out, '}');

  return g_string_free_to_bytes (out);
}

/* Transcript of option j's proof up to its commitments. */
static void
option_transcript_begin (GremiumTranscript  *transcript,
                         GremiumElectionKey *key,
                         const char         *voter_id,
                         guint               option,
                         const guint8        alpha[32],
                         const guint8        beta[32],
                         GByteArray         *record)
{
  _gremium_transcript_init (transcript, GREMIUM_TRANSCRIPT_BALLOT_OPTION, record);
  _gremium_election_key_append_context (key, transcript);
  _gremium_transcript_append_string (transcript, "voter", voter_id);
  _gremium_transcript_append_uint (transcript, "option", option);
  _gremium_transcript_append_point (transcript, "alpha", alpha);
  _gremium_transcript_append_point (transcript, "beta", beta);
  _gremium_transcript_append_uint (transcript, "low", 0);
  _gremium_transcript_append_uint (transcript, "high", 1);
}

/* Transcript of the sum proof up to its commitments: it hashes every
 * ciphertext of the ballot, not only their sum.
 */
static void
sum_transcript_begin (GremiumTranscript  *transcript,
                      GremiumElectionKey *key,
                      const char         *voter_id,
                      const BallotOption *options,
                      guint               n_options,
                      GByteArray         *record)
{
  _gremium_transcript_init (transcript, GREMIUM_TRANSCRIPT_BALLOT_SUM, record);
  _gremium_election_key_append_context (key, transcript);
  _gremium_transcript_append_string (transcript, "voter", voter_id);
  for (guint j = 0; j < n_options; j++)
    {
      _gremium_transcript_append_point (transcript, "alpha", options[j].alpha);
      _gremium_transcript_append_point (transcript, "beta", options[j].beta);
    }
  _gremium_transcript_append_uint (transcript, "low", gremium_election_key_get_min_count (key));
  _gremium_transcript_append_uint (transcript, "high", gremium_election_key_get_max_count (key));
}

/* Proves that (alpha, beta) = (r G, r h + m G) with m in [low, high]: a
 * Cramer-Damgard-Schoenmakers disjunction of Chaum-Pedersen proofs, one branch
 * per value. The branches for the values other than m are simulated with
 * random challenges and responses; the real branch gets what is left of the
 * hashed challenge.
 *
 * m is secret, so every branch runs the same operations; whether a branch is
 * real only decides, by constant-time selection, which scalars it uses. The
 * real branch starts with c = 0 and s = w, which makes a = w G and b = w h.
 */
static void
prove_range (GremiumTranscript *transcript,
             const guint8       h[32],
             const guint8       alpha[32],
             const guint8       beta[32],
             const guint8       r[32],
             guint              m,
             guint              low,
             guint              high,
             GremiumDrbg       *drbg,
             ProofBranch       *branches)
{
  static const guint8 zero[32] = { 0 };
  guint8 w[32];
  guint8 simulated[32];
  guint8 challenge[32];
  guint8 c_sum[32] = { 0 };
  guint8 c_real[32];
  guint8 s_real[32];
  guint8 s_g[32];
  guint8 c_x[32];
  guint8 s_h[32];
  guint8 v_g[32];
  guint8 shifted[32];

  g_assert (low <= high);

  _gremium_scalar_random (w, drbg);

  for (guint k = 0; k <= high - low; k++)
    {
      guint real = ct_equal (low + k, m);
      ProofBranch *branch = &branches[k];

      _gremium_scalar_random (simulated, drbg);
      _gremium_scalar_select (branch->c, simulated, zero, real);
      _gremium_scalar_random (simulated, drbg);
      _gremium_scalar_select (branch->s, simulated, w, real);

      /* a = s G - c alpha */
      _gremium_scalarmult_base (s_g, branch->s);
      _gremium_scalarmult (c_x, branch->c, alpha);
      _gremium_point_sub (branch->a, s_g, c_x);

      /* b = s h - c (beta - v G) */
      _gremium_generator_multiple (v_g, low + k);
      _gremium_point_sub (shifted, beta, v_g);
      _gremium_scalarmult (s_h, branch->s, h);
      _gremium_scalarmult (c_x, branch->c, shifted);
      _gremium_point_sub (branch->b, s_h, c_x);

      crypto_core_ristretto255_scalar_add (c_sum, c_sum, branch->c);
      _gremium_transcript_append_point (transcript, "commit-a", branch->a);
      _gremium_transcript_append_point (transcript, "commit-b", branch->b);
    }

  _gremium_transcript_challenge (transcript, challenge);

  /* c_m = c - (sum of the simulated challenges); s_m = w + c_m r */
  crypto_core_ristretto255_scalar_sub (c_real, challenge, c_sum);
  crypto_core_ristretto255_scalar_mul (s_real, c_real, r);
  crypto_core_ristretto255_scalar_add (s_real, s_real, w);

  for (guint k = 0; k <= high - low; k++)
    {
      guint real = ct_equal (low + k, m);

      _gremium_scalar_select (branches[k].c, branches[k].c, c_real, real);
      _gremium_scalar_select (branches[k].s, branches[k].s, s_real, real);
    }

  sodium_memzero (w, sizeof w);
  sodium_memzero (simulated, sizeof simulated);
  sodium_memzero (s_real, sizeof s_real);
  sodium_memzero (c_real, sizeof c_real);
  sodium_memzero (c_sum, sizeof c_sum);
}

/* Adds the checks of a range proof over the ciphertext
 * (sum of the alpha points, sum of the beta points) to @batch, after
 * recomputing its challenge from @transcript. The branches' commitments are
 * already in the batch at @a_indices and @b_indices. For each value v:
 *
 *   a_v + c_v alpha - s_v G = identity
 *   b_v + c_v beta - (c_v v) G - s_v h = identity
 */
static gboolean
add_range_checks (GremiumBatch       *batch,
                  GremiumTranscript  *transcript,
                  guint               h_index,
                  const guint        *alpha_indices,
                  const guint        *beta_indices,
                  guint               n_terms,
                  const ProofBranch  *branches,
                  const guint        *a_indices,
                  const guint        *b_indices,
                  guint               low,
                  guint               high,
                  guint               tag,
                  const char         *what,
                  GError            **error)
{
  guint8 challenge[32];
  guint8 c_sum[32] = { 0 };

  for (guint k = 0; k <= high - low; k++)
    {
      _gremium_transcript_append_point (transcript, "commit-a", branches[k].a);
      _gremium_transcript_append_point (transcript, "commit-b", branches[k].b);
      crypto_core_ristretto255_scalar_add (c_sum, c_sum, branches[k].c);
    }

  _gremium_transcript_challenge (transcript, challenge);
  if (memcmp (challenge, c_sum, 32) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF,
                   "The proof of %s does not verify (its challenges do not add up)", what);
      return FALSE;
    }

  for (guint k = 0; k <= high - low; k++)
    {
      guint value = low + k;

      _gremium_batch_begin (batch, tag);
      _gremium_batch_term (batch, a_indices[k], NULL, FALSE);
      for (guint t = 0; t < n_terms; t++)
        _gremium_batch_term (batch, alpha_indices[t], branches[k].c, FALSE);
      _gremium_batch_term (batch, GREMIUM_BATCH_GENERATOR, branches[k].s, TRUE);

      _gremium_batch_begin (batch, tag);
      _gremium_batch_term (batch, b_indices[k], NULL, FALSE);
      for (guint t = 0; t < n_terms; t++)
        _gremium_batch_term (batch, beta_indices[t], branches[k].c, FALSE);
      if (value != 0)
        {
          guint8 v[32];
          guint8 cv[32];

          _gremium_scalar_from_uint (v, value);
          crypto_core_ristretto255_scalar_mul (cv, branches[k].c, v);
          _gremium_batch_term (batch, GREMIUM_BATCH_GENERATOR, cv, TRUE);
        }
      _gremium_batch_term (batch, h_index, branches[k].s, TRUE);
    }

  return TRUE;
}

static void
gremium_ballot_finalize (GObject *object)
{
  GremiumBallot *self = (GremiumBallot *) object;

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->meeting_id, g_free);
  g_clear_pointer (&self->vote_id, g_free);
  g_clear_pointer (&self->voter_id, g_free);
  g_clear_pointer (&self->options, g_free);
  g_clear_pointer (&self->sum, g_free);
  g_clear_pointer (&self->points, g_free);
  g_clear_object (&self->verified_key);

  G_OBJECT_CLASS (gremium_ballot_parent_class)->finalize (object);
}

static void
gremium_ballot_class_init (GremiumBallotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_ballot_finalize;
}

static void
gremium_ballot_init (GremiumBallot *self)
{
}

GremiumBallot *
_gremium_ballot_encrypt_full (GremiumElectionKey  *key,
                              const char          *voter_id,
                              const guint8        *choices,
                              guint                n_choices,
                              GremiumDrbg         *drbg,
                              GError             **error)
{
  g_autoptr(GremiumBallot) self = NULL;
  const guint8 *h;
  guint8 *secrets;
  guint8 (*nonces)[32];
  guint8 *r_sum;
  guint8 sum_alpha[32];
  guint8 sum_beta[32];
  guint8 r_h[32];
  guint8 m_g[32];
  guint8 identity[32];
  GremiumTranscript transcript;
  guint n_options;
  guint total = 0;
  gboolean invalid = FALSE;

  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (key), NULL);
  g_return_val_if_fail (voter_id != NULL, NULL);
  g_return_val_if_fail (choices != NULL || n_choices == 0, NULL);

  if (!gremium_crypto_init (error))
    return NULL;

  n_options = gremium_election_key_get_n_options (key);

  if (!_gremium_id_is_valid (voter_id))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The voter id is not a valid identifier");
      return NULL;
    }

  if (n_choices != n_options)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The vote has %u options, not %u", n_options, n_choices);
      return NULL;
    }

  /* Summed without branching on the individual marks. */
  for (guint j = 0; j < n_choices; j++)
    {
      invalid |= choices[j] > 1;
      total += choices[j];
    }

  if (invalid || total < gremium_election_key_get_min_count (key) ||
      total > gremium_election_key_get_max_count (key))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "A ballot marks between %u and %u options, each at most once",
                   gremium_election_key_get_min_count (key),
                   gremium_election_key_get_max_count (key));
      return NULL;
    }

  self = g_object_new (GREMIUM_TYPE_BALLOT, NULL);
  self->meeting_id = g_strdup (gremium_election_key_get_meeting_id (key));
  self->vote_id = g_strdup (gremium_election_key_get_vote_id (key));
  self->voter_id = g_strdup (voter_id);
  self->n_options = n_options;
  self->options = g_new0 (BallotOption, n_options);
  self->n_sum_branches = gremium_election_key_get_max_count (key) -
                         gremium_election_key_get_min_count (key) + 1;
  self->sum = g_new0 (ProofBranch, self->n_sum_branches);

  /* The nonces decrypt the ballot: guarded memory, wiped on the way out. */
  secrets = sodium_malloc ((n_options + 1) * 32);
  if (secrets == NULL)
    g_error ("Out of guarded memory for ballot nonces");
  nonces = (guint8 (*)[32]) secrets;
  r_sum = secrets + n_options * 32;
  memset (r_sum, 0, 32);

  h = gremium_election_key_get_public_key (key);
  _gremium_point_identity (identity);
  _gremium_point_identity (sum_alpha);
  _gremium_point_identity (sum_beta);

  for (guint j = 0; j < n_options; j++)
    {
      BallotOption *option = &self->options[j];

      /* beta is the identity only if r h = -m G, which a uniform r hits with
       * probability 2^-252; verifiers reject it, so draw again.
       */
      do
        {
          _gremium_scalar_random (nonces[j], drbg);
          _gremium_scalarmult_base (option->alpha, nonces[j]);
          _gremium_scalarmult (r_h, nonces[j], h);
          _gremium_point_select (m_g, identity, _gremium_group_generator (), choices[j]);
          _gremium_point_add (option->beta, r_h, m_g);
        }
      while (_gremium_point_is_identity (option->beta));

      option_transcript_begin (&transcript, key, voter_id, j, option->alpha, option->beta, NULL);
      prove_range (&transcript, h, option->alpha, option->beta, nonces[j], choices[j], 0, 1,
                   drbg, option->proof);

      crypto_core_ristretto255_scalar_add (r_sum, r_sum, nonces[j]);
      _gremium_point_add (sum_alpha, sum_alpha, option->alpha);
      _gremium_point_add (sum_beta, sum_beta, option->beta);
    }

  sum_transcript_begin (&transcript, key, voter_id, self->options, n_options, NULL);
  prove_range (&transcript, h, sum_alpha, sum_beta, r_sum, total,
               gremium_election_key_get_min_count (key), gremium_election_key_get_max_count (key),
               drbg, self->sum);

  /* r h and m G each reveal the last mark together with beta. */
  sodium_free (secrets);
  sodium_memzero (r_h, sizeof r_h);
  sodium_memzero (m_g, sizeof m_g);
  sodium_memzero (&total, sizeof total);

  self->bytes = serialize (self);

  return g_steal_pointer (&self);
}

/**
 * gremium_ballot_encrypt:
 * @key: the vote's election key
 * @voter_id: the member id of the voter, who signs the ballot
 * @choices: (array length=n_choices): for each option 1 if the voter marks
 *   it, otherwise 0
 * @n_choices: must equal the vote's number of options
 * @error: return location for an error
 *
 * Encrypts a voter's choices and proves that the ballot is well-formed.
 * The computation runs in constant time with respect to @choices and the
 * random nonces, which are wiped afterwards.
 *
 * Returns: (transfer full) (nullable): the ballot, or %NULL with @error set
 *   when @choices does not fit the vote
 */
GremiumBallot *
gremium_ballot_encrypt (GremiumElectionKey  *key,
                        const char          *voter_id,
                        const guint8        *choices,
                        guint                n_choices,
                        GError             **error)
{
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (key), NULL);
  g_return_val_if_fail (voter_id != NULL, NULL);
  g_return_val_if_fail (choices != NULL || n_choices == 0, NULL);

  return _gremium_ballot_encrypt_full (key, voter_id, choices, n_choices, NULL, error);
}

static gboolean
parse_branch (JsonNode     *node,
              ProofBranch  *branch,
              GError      **error)
{
  static const char * const members[] = { "a", "b", "c", "s", NULL };
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "A proof branch must be an object");
      return FALSE;
    }

  object = json_node_get_object (node);
  return _gremium_json_check_members (object, "a proof branch", members, error) &&
         _gremium_json_get_point (object, "a", branch->a, error) &&
         _gremium_json_get_point (object, "b", branch->b, error) &&
         _gremium_json_get_scalar (object, "c", branch->c, error) &&
         _gremium_json_get_scalar (object, "s", branch->s, error);
}

static gboolean
parse_option (JsonNode      *node,
              BallotOption  *option,
              GError       **error)
{
  static const char * const members[] = { "alpha", "beta", "proof", NULL };
  JsonObject *object;
  JsonArray *proof;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "An option must be an object");
      return FALSE;
    }

  object = json_node_get_object (node);
  if (!_gremium_json_check_members (object, "an option", members, error) ||
      !_gremium_json_get_point (object, "alpha", option->alpha, error) ||
      !_gremium_json_get_point (object, "beta", option->beta, error) ||
      !(proof = _gremium_json_get_array (object, "proof", 2, error)))
    return FALSE;

  /* The identity as alpha would mean r = 0 and a vote in the clear; as beta
   * it never occurs in an honest ballot. Both are refused as the design
   * requires for every ciphertext component.
   */
  if (_gremium_point_is_identity (option->alpha) || _gremium_point_is_identity (option->beta))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "A ciphertext component is the identity");
      return FALSE;
    }

  if (json_array_get_length (proof) != 2)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "An option's proof has exactly two branches");
      return FALSE;
    }

  for (guint k = 0; k < 2; k++)
    {
      if (!parse_branch (json_array_get_element (proof, k), &option->proof[k], error))
        return FALSE;
    }

  return TRUE;
}

/**
 * gremium_ballot_new_from_bytes:
 * @bytes: a ballot as gremium_ballot_get_bytes() wrote it
 * @error: return location for an error
 *
 * Parses a ballot strictly: well-formed JSON without unknown or repeated
 * members, in exactly the canonical form, with canonical scalars and no
 * identity in a ciphertext. The proofs are not checked here; call
 * gremium_ballot_verify().
 *
 * Returns: (transfer full) (nullable): the ballot, or %NULL with @error set
 */
GremiumBallot *
gremium_ballot_new_from_bytes (GBytes  *bytes,
                               GError **error)
{
  static const char * const members[] = { "v", "meeting", "vote", "voter", "options", "sum", NULL };
  g_autoptr(GremiumBallot) self = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GBytes) canonical = NULL;
  const char *meeting_id;
  const char *vote_id;
  const char *voter_id;
  JsonArray *options;
  JsonArray *sum;
  const char *data;
  gsize len;
  gint64 version;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len > GREMIUM_BALLOT_MAX_SIZE)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TOO_LARGE,
                   "A ballot may have at most %d bytes", GREMIUM_BALLOT_MAX_SIZE);
      return NULL;
    }

  if (len == 0 || !(object = _gremium_json_parse_object (data, len, error)))
    {
      if (len == 0)
        g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED, "The ballot is empty");
      g_prefix_error (error, "The ballot: ");
      return NULL;
    }

  if (!_gremium_json_check_members (object, "the ballot", members, error) ||
      !_gremium_json_get_int (object, "v", 1, G_MAXINT, &version, error))
    return NULL;

  if (version != 1)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNSUPPORTED_VERSION,
                   "Ballot version %" G_GINT64_FORMAT " is not supported", version);
      return NULL;
    }

  if (!(meeting_id = _gremium_json_get_string (object, "meeting", 64, error)) ||
      !(vote_id = _gremium_json_get_string (object, "vote", 64, error)) ||
      !(voter_id = _gremium_json_get_string (object, "voter", 64, error)) ||
      !(options = _gremium_json_get_array (object, "options", GREMIUM_SECRET_VOTE_MAX_OPTIONS,
                                           error)) ||
      !(sum = _gremium_json_get_array (object, "sum", GREMIUM_SECRET_VOTE_MAX_OPTIONS + 1, error)))
    return NULL;

  if (!_gremium_id_is_valid (meeting_id) || !_gremium_id_is_valid (vote_id) ||
      !_gremium_id_is_valid (voter_id))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The ballot names an invalid meeting, vote or voter id");
      return NULL;
    }

  if (json_array_get_length (options) == 0 || json_array_get_length (sum) == 0)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "A ballot has at least one option and a sum proof");
      return NULL;
    }

  self = g_object_new (GREMIUM_TYPE_BALLOT, NULL);
  self->meeting_id = g_strdup (meeting_id);
  self->vote_id = g_strdup (vote_id);
  self->voter_id = g_strdup (voter_id);
  self->n_options = json_array_get_length (options);
  self->options = g_new0 (BallotOption, self->n_options);
  self->n_sum_branches = json_array_get_length (sum);
  self->sum = g_new0 (ProofBranch, self->n_sum_branches);

  for (guint j = 0; j < self->n_options; j++)
    {
      if (!parse_option (json_array_get_element (options, j), &self->options[j], error))
        {
          g_prefix_error (error, "Option %u of the ballot: ", j + 1);
          return NULL;
        }
    }

  for (guint k = 0; k < self->n_sum_branches; k++)
    {
      if (!parse_branch (json_array_get_element (sum, k), &self->sum[k], error))
        {
          g_prefix_error (error, "The ballot's sum proof: ");
          return NULL;
        }
    }

  /* One ballot, one byte string: the tracker and duplicate detection rely on
   * it, and nothing can hide in white space or member order.
   */
  canonical = serialize (self);
  if (!g_bytes_equal (canonical, bytes))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The ballot is not in its canonical form");
      return NULL;
    }

  self->bytes = g_steal_pointer (&canonical);

  return g_steal_pointer (&self);
}

static gboolean
check_context (GremiumBallot       *self,
               GremiumElectionKey  *key,
               const char          *voter_id,
               GError             **error)
{
  guint expected_branches = gremium_election_key_get_max_count (key) -
                            gremium_election_key_get_min_count (key) + 1;

  if (!g_str_equal (self->meeting_id, gremium_election_key_get_meeting_id (key)))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_WRONG_MEETING,
                   "The ballot belongs to meeting “%s”, not “%s”",
                   self->meeting_id, gremium_election_key_get_meeting_id (key));
      return FALSE;
    }

  if (!g_str_equal (self->vote_id, gremium_election_key_get_vote_id (key)))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The ballot belongs to vote “%s”, not “%s”",
                   self->vote_id, gremium_election_key_get_vote_id (key));
      return FALSE;
    }

  if (!g_str_equal (self->voter_id, voter_id))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The ballot was made for voter “%s”, not “%s”", self->voter_id, voter_id);
      return FALSE;
    }

  if (self->n_options != gremium_election_key_get_n_options (key))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The ballot has %u options, the vote has %u",
                   self->n_options, gremium_election_key_get_n_options (key));
      return FALSE;
    }

  if (self->n_sum_branches != expected_branches)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The ballot's sum proof has %u branches, the vote allows %u counts",
                   self->n_sum_branches, expected_branches);
      return FALSE;
    }

  return TRUE;
}

/* Adds every check of the ballot's proofs to @batch, which already holds
 * the election key as point @h_index; the equations of option j get the tag
 * @tag_base + j and those of the sum @tag_base + n. The ciphertexts' indices
 * in the batch go to @alpha_indices and @beta_indices. A malformed ballot
 * leaves nothing behind in the batch.
 *
 * All points are decoded first, so an invalid encoding is reported as such
 * rather than as a failed proof.
 */
static gboolean
add_ballot_checks (GremiumBallot       *self,
                   GremiumElectionKey  *key,
                   GremiumBatch        *batch,
                   guint                h_index,
                   guint                tag_base,
                   guint               *alpha_indices,
                   guint               *beta_indices,
                   GError             **error)
{
  g_autofree guint *a_indices = NULL;
  g_autofree guint *b_indices = NULL;
  GremiumTranscript transcript;
  GremiumBatchMark mark;
  guint n = self->n_options;
  guint min_count = gremium_election_key_get_min_count (key);
  guint max_count = gremium_election_key_get_max_count (key);
  guint n_branches = 2 * n + self->n_sum_branches;
  guint invalid = 0;

  _gremium_batch_mark (batch, &mark);
  a_indices = g_new (guint, n_branches);
  b_indices = g_new (guint, n_branches);

  /* Option j's branches sit at 2j and 2j + 1, the sum's from 2n on. */
  for (guint j = 0; j < n; j++)
    {
      if (!_gremium_batch_add_point (batch, self->options[j].alpha, FALSE, &alpha_indices[j]) ||
          !_gremium_batch_add_point (batch, self->options[j].beta, FALSE, &beta_indices[j]))
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                       "The ciphertext of option %u contains the identity", j + 1);
          goto failed;
        }

      for (guint k = 0; k < 2; k++)
        {
          if (!_gremium_batch_add_point (batch, self->options[j].proof[k].a, TRUE,
                                         &a_indices[2 * j + k]) ||
              !_gremium_batch_add_point (batch, self->options[j].proof[k].b, TRUE,
                                         &b_indices[2 * j + k]))
            g_assert_not_reached ();
        }
    }

  for (guint k = 0; k < self->n_sum_branches; k++)
    {
      if (!_gremium_batch_add_point (batch, self->sum[k].a, TRUE, &a_indices[2 * n + k]) ||
          !_gremium_batch_add_point (batch, self->sum[k].b, TRUE, &b_indices[2 * n + k]))
        g_assert_not_reached ();
    }

  if (!_gremium_batch_decode (batch, &invalid))
    {
      for (guint j = 0; j < n; j++)
        {
          if (invalid == alpha_indices[j] || invalid == beta_indices[j])
            {
              g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The ciphertext of option %u is not a valid group element", j + 1);
              goto failed;
            }
        }

      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "A commitment in the ballot's proofs is not a valid group element");
      goto failed;
    }

  for (guint j = 0; j < n; j++)
    {
      g_autofree char *what = g_strdup_printf ("option %u", j + 1);

      option_transcript_begin (&transcript, key, self->voter_id, j,
                               self->options[j].alpha, self->options[j].beta, NULL);
      if (!add_range_checks (batch, &transcript, h_index, &alpha_indices[j], &beta_indices[j], 1,
                             self->options[j].proof, &a_indices[2 * j], &b_indices[2 * j],
                             0, 1, tag_base + j, what, error))
        goto failed;
    }

  sum_transcript_begin (&transcript, key, self->voter_id, self->options, n, NULL);
  if (_gremium_batch_is_reference (batch))
    {
      /* The naive path multiplies the summed ciphertext once per equation. */
      guint8 sum_alpha[32];
      guint8 sum_beta[32];
      guint sum_alpha_index;
      guint sum_beta_index;

      _gremium_point_identity (sum_alpha);
      _gremium_point_identity (sum_beta);
      for (guint j = 0; j < n; j++)
        {
          _gremium_point_add (sum_alpha, sum_alpha, self->options[j].alpha);
          _gremium_point_add (sum_beta, sum_beta, self->options[j].beta);
        }
      sum_alpha_index = _gremium_batch_add_trusted_point (batch, sum_alpha, NULL);
      sum_beta_index = _gremium_batch_add_trusted_point (batch, sum_beta, NULL);

      if (!add_range_checks (batch, &transcript, h_index, &sum_alpha_index, &sum_beta_index, 1,
                             self->sum, &a_indices[2 * n], &b_indices[2 * n],
                             min_count, max_count, tag_base + n, "the sum", error))
        goto failed;
    }
  else
    {
      /* The sum's terms fold into the coefficients of the ciphertexts, which
       * the multi-scalar multiplication handles anyway: no extra points.
       */
      if (!add_range_checks (batch, &transcript, h_index, alpha_indices, beta_indices, n,
                             self->sum, &a_indices[2 * n], &b_indices[2 * n],
                             min_count, max_count, tag_base + n, "the sum", error))
        goto failed;
    }

  return TRUE;

failed:
  _gremium_batch_rewind (batch, &mark);
  return FALSE;
}

/* Marks the ballot as verified against @key and keeps its decoded
 * ciphertexts (fast path only) for the tally.
 */
static void
remember_verified (GremiumBallot      *self,
                   GremiumElectionKey *key,
                   GremiumBatch       *batch,
                   const guint        *alpha_indices,
                   const guint        *beta_indices)
{
  g_clear_pointer (&self->points, g_free);
  if (!_gremium_batch_is_reference (batch))
    {
      self->points = g_new (GremiumRistrettoPoint, 2 * self->n_options);
      for (guint j = 0; j < self->n_options; j++)
        {
          self->points[2 * j] = *_gremium_batch_get_point (batch, alpha_indices[j]);
          self->points[2 * j + 1] = *_gremium_batch_get_point (batch, beta_indices[j]);
        }
    }

  g_set_object (&self->verified_key, key);
}

gboolean
_gremium_ballot_verify_full (GremiumBallot       *self,
                             GremiumElectionKey  *key,
                             const char          *voter_id,
                             gboolean             reference,
                             GError             **error)
{
  g_autoptr(GremiumBatch) batch = NULL;
  g_autofree guint *alpha_indices = NULL;
  g_autofree guint *beta_indices = NULL;
  guint h_index;
  guint failed = 0;
  guint n;

  g_return_val_if_fail (GREMIUM_IS_BALLOT (self), FALSE);
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (key), FALSE);
  g_return_val_if_fail (voter_id != NULL, FALSE);

  if (!gremium_crypto_init (error))
    return FALSE;

  if (!check_context (self, key, voter_id, error))
    return FALSE;

  if (self->verified_key == key)
    return TRUE;

  n = self->n_options;
  batch = _gremium_batch_new (reference);
  alpha_indices = g_new (guint, n);
  beta_indices = g_new (guint, n);
  h_index = _gremium_batch_add_trusted_point (batch, gremium_election_key_get_public_key (key),
                                              _gremium_election_key_get_point (key));

  if (!add_ballot_checks (self, key, batch, h_index, 0, alpha_indices, beta_indices, error))
    return FALSE;

  if (!_gremium_batch_check (batch, &failed))
    {
      if (failed < n)
        g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF,
                     "The proof of option %u does not verify", failed + 1);
      else
        g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF,
                             "The proof of the ballot's sum does not verify");
      return FALSE;
    }

  remember_verified (self, key, batch, alpha_indices, beta_indices);

  return TRUE;
}

/* Verifies several ballots, each bound to the voter it names, with one
 * combined check: the chain of doublings and the generator's and the
 * election key's terms are shared by all of them. errors[i] receives ballot
 * i's error. Only when the combined check fails are the ballots checked one
 * by one, to tell the bad ones from the good.
 */
gboolean
_gremium_ballot_verify_many (GremiumBallot      **ballots,
                             guint                n_ballots,
                             GremiumElectionKey  *key,
                             GError             **errors)
{
  g_autoptr(GremiumBatch) batch = NULL;
  g_autofree guint *alpha_indices = NULL;
  g_autofree guint *beta_indices = NULL;
  g_autofree gboolean *pending = NULL;
  guint n_options;
  guint h_index;
  guint n_pending = 0;
  gboolean all_valid = TRUE;

  g_return_val_if_fail (ballots != NULL || n_ballots == 0, FALSE);
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (key), FALSE);
  g_return_val_if_fail (errors != NULL, FALSE);

  if (!gremium_crypto_init (NULL))
    g_error ("libsodium is unusable");

  n_options = gremium_election_key_get_n_options (key);
  batch = _gremium_batch_new (FALSE);
  alpha_indices = g_new (guint, n_ballots * n_options);
  beta_indices = g_new (guint, n_ballots * n_options);
  pending = g_new0 (gboolean, n_ballots);
  h_index = _gremium_batch_add_trusted_point (batch, gremium_election_key_get_public_key (key),
                                              _gremium_election_key_get_point (key));

  for (guint i = 0; i < n_ballots; i++)
    {
      GremiumBallot *ballot = ballots[i];

      g_return_val_if_fail (GREMIUM_IS_BALLOT (ballot), FALSE);

      if (!check_context (ballot, key, ballot->voter_id, &errors[i]))
        {
          all_valid = FALSE;
          continue;
        }

      if (ballot->verified_key == key)
        continue;

      if (!add_ballot_checks (ballot, key, batch, h_index, i * (n_options + 1),
                              alpha_indices + i * n_options, beta_indices + i * n_options,
                              &errors[i]))
        {
          all_valid = FALSE;
          continue;
        }

      pending[i] = TRUE;
      n_pending++;
    }

  if (n_pending == 0)
    return all_valid;

  if (_gremium_batch_check (batch, NULL))
    {
      for (guint i = 0; i < n_ballots; i++)
        if (pending[i])
          remember_verified (ballots[i], key, batch, alpha_indices + i * n_options,
                             beta_indices + i * n_options);
      return all_valid;
    }

  for (guint i = 0; i < n_ballots; i++)
    {
      if (pending[i] &&
          !_gremium_ballot_verify_full (ballots[i], key, ballots[i]->voter_id, FALSE, &errors[i]))
        all_valid = FALSE;
    }

  return all_valid;
}

/**
 * gremium_ballot_verify:
 * @self: a ballot
 * @key: the election key of the vote the ballot was cast in
 * @voter_id: the member who signed the ballot
 * @error: return location for an error
 *
 * Checks that the ballot belongs to @key's meeting and vote and to
 * @voter_id, has the vote's shape, and that every proof holds: each option
 * encrypts 0 or 1 and the marks add up to an allowed count.
 *
 * The check runs in variable time on public data only. The result is
 * remembered, so checking the same ballot against the same key again is cheap.
 *
 * Returns: %TRUE if the ballot is valid; otherwise @error says why, with
 *   %GREMIUM_ERROR_BAD_PROOF for a proof that fails
 */
gboolean
gremium_ballot_verify (GremiumBallot       *self,
                       GremiumElectionKey  *key,
                       const char          *voter_id,
                       GError             **error)
{
  g_return_val_if_fail (GREMIUM_IS_BALLOT (self), FALSE);
  g_return_val_if_fail (GREMIUM_IS_ELECTION_KEY (key), FALSE);
  g_return_val_if_fail (voter_id != NULL, FALSE);

  return _gremium_ballot_verify_full (self, key, voter_id, FALSE, error);
}

gboolean
_gremium_ballot_is_verified_for (GremiumBallot      *self,
                                 GremiumElectionKey *key)
{
  g_assert (GREMIUM_IS_BALLOT (self));

  return self->verified_key != NULL && self->verified_key == key;
}

const guint8 *
_gremium_ballot_get_alpha (GremiumBallot *self,
                           guint          option)
{
  g_assert (GREMIUM_IS_BALLOT (self));
  g_assert (option < self->n_options);

  return self->options[option].alpha;
}

const guint8 *
_gremium_ballot_get_beta (GremiumBallot *self,
                          guint          option)
{
  g_assert (GREMIUM_IS_BALLOT (self));
  g_assert (option < self->n_options);

  return self->options[option].beta;
}

/* The decoded ciphertext of @option, if a fast verification kept it. */
gboolean
_gremium_ballot_get_points (GremiumBallot         *self,
                            guint                  option,
                            GremiumRistrettoPoint *alpha,
                            GremiumRistrettoPoint *beta)
{
  g_assert (GREMIUM_IS_BALLOT (self));
  g_assert (option < self->n_options);

  if (self->points == NULL)
    return FALSE;

  *alpha = self->points[2 * option];
  *beta = self->points[2 * option + 1];
  return TRUE;
}

/**
 * gremium_ballot_get_bytes:
 * @self: a ballot
 *
 * Gets the ballot's canonical bytes: what the voter signs and the record
 * keeps.
 *
 * Returns: (transfer none): the canonical JSON document
 */
GBytes *
gremium_ballot_get_bytes (GremiumBallot *self)
{
  g_return_val_if_fail (GREMIUM_IS_BALLOT (self), NULL);

  return self->bytes;
}

/**
 * gremium_ballot_get_meeting_id:
 * @self: a ballot
 *
 * Returns: (transfer none): the meeting the ballot claims to belong to
 */
const char *
gremium_ballot_get_meeting_id (GremiumBallot *self)
{
  g_return_val_if_fail (GREMIUM_IS_BALLOT (self), NULL);

  return self->meeting_id;
}

/**
 * gremium_ballot_get_vote_id:
 * @self: a ballot
 *
 * Returns: (transfer none): the vote the ballot claims to belong to
 */
const char *
gremium_ballot_get_vote_id (GremiumBallot *self)
{
  g_return_val_if_fail (GREMIUM_IS_BALLOT (self), NULL);

  return self->vote_id;
}

/**
 * gremium_ballot_get_voter_id:
 * @self: a ballot
 *
 * Gets the voter the ballot's proofs are bound to. It must equal the member
 * who signed the ballot; gremium_ballot_verify() checks that.
 *
 * Returns: (transfer none): the voter's member id
 */
const char *
gremium_ballot_get_voter_id (GremiumBallot *self)
{
  g_return_val_if_fail (GREMIUM_IS_BALLOT (self), NULL);

  return self->voter_id;
}

/**
 * gremium_ballot_get_n_options:
 * @self: a ballot
 *
 * Returns: the number of encrypted options
 */
guint
gremium_ballot_get_n_options (GremiumBallot *self)
{
  g_return_val_if_fail (GREMIUM_IS_BALLOT (self), 0);

  return self->n_options;
}

/**
 * gremium_ballot_get_tracker:
 * @self: a ballot
 * @tracker: (out caller-allocates) (array fixed-size=32): SHA-256 of the
 *   ballot's canonical bytes
 *
 * Computes the voter's tracker, with which the voter finds the ballot in the
 * meeting record.
 */
void
gremium_ballot_get_tracker (GremiumBallot *self,
                            guint8         tracker[GREMIUM_BALLOT_TRACKER_SIZE])
{
  const guint8 *data;
  gsize len;

  g_return_if_fail (GREMIUM_IS_BALLOT (self));
  g_return_if_fail (tracker != NULL);

  data = g_bytes_get_data (self->bytes, &len);
  gremium_sha256 (data, len, tracker);
}

/**
 * gremium_ballot_dup_tracker_string:
 * @self: a ballot
 *
 * Formats the tracker as the record and the voting panel show it.
 *
 * Returns: (transfer full): the tracker in standard base64 (44 characters)
 */
char *
gremium_ballot_dup_tracker_string (GremiumBallot *self)
{
  guint8 tracker[GREMIUM_BALLOT_TRACKER_SIZE];

  g_return_val_if_fail (GREMIUM_IS_BALLOT (self), NULL);

  gremium_ballot_get_tracker (self, tracker);
  return gremium_base64_encode (tracker, sizeof tracker);
}
