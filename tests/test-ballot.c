/* test-ballot.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "gremium-ballot-private.h"
#include "gremium-statement.h"
#include "gremium-election-key-private.h"
#include "gremium-error.h"
#include "gremium-group-private.h"
#include "gremium-tally-private.h"
#include "gremium-teller-key-private.h"

#define MEETING "rat-2026-11"
#define VOTE    "top-7"

/* The worked example of docs/voting-crypto.md (test_known_answer()). */
#define KNOWN_ELECTION_KEY       "5809a301fbdab2066bf545c9cd54ff841721d6b0968cfe72f0c20cbdcbd59b07"
#define KNOWN_TELLER_1_CHALLENGE "d1f820f846f16cda8b6b63adbebdacbcf8437f8c4a705ae1afd47a2827591f00"
#define KNOWN_TRACKER            "2pZxv3CMSQtBPpMnUogS9yxyjByd1Uken1uwjyOTxHY="
#define KNOWN_SHARE_2_SHA256     "d798808c68647aa38f0a0d25f5d75139e6ccbfcb91d3929dcd36679b3b066e2c"

typedef struct
{
  GremiumElectionKey *key;
  GPtrArray          *tellers;
  GPtrArray          *shares;
} Vote;

static void
vote_clear (Vote *vote)
{
  g_clear_object (&vote->key);
  g_clear_pointer (&vote->tellers, g_ptr_array_unref);
  g_clear_pointer (&vote->shares, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Vote, vote_clear)

/* Sets up tellers "teller-1" ... and the election key. With @seed, every
 * teller's secret comes from the deterministic source, so two votes with the
 * same seed share their election key.
 */
static void
vote_setup (Vote       *vote,
            const char *meeting_id,
            const char *vote_id,
            guint       n_options,
            guint       min_count,
            guint       max_count,
            guint       n_tellers,
            guint8      seed)
{
  g_autoptr(GError) error = NULL;

  vote->tellers = g_ptr_array_new_with_free_func (g_object_unref);
  vote->shares = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < n_tellers; i++)
    {
      g_autofree char *teller_id = g_strdup_printf ("teller-%u", i + 1);
      GremiumDrbg drbg = { { seed, (guint8) i }, 0 };
      GremiumTellerKey *teller;

      teller = seed != 0
               ? _gremium_teller_key_new_full (meeting_id, vote_id, teller_id, &drbg)
               : gremium_teller_key_new (meeting_id, vote_id, teller_id);
      g_ptr_array_add (vote->tellers, teller);
      g_ptr_array_add (vote->shares, g_bytes_ref (gremium_teller_key_get_public_share (teller)));
    }

  vote->key = gremium_election_key_new (meeting_id, vote_id, n_options, min_count, max_count,
                                        vote->shares, &error);
  g_assert_no_error (error);
  g_assert_nonnull (vote->key);
}

static GremiumBallot *
reparse (GremiumBallot *ballot)
{
  g_autoptr(GError) error = NULL;
  GremiumBallot *copy = gremium_ballot_new_from_bytes (gremium_ballot_get_bytes (ballot), &error);

  g_assert_no_error (error);
  return copy;
}

static GremiumBallot *
cast (Vote         *vote,
      const char   *voter_id,
      const guint8 *choices)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GremiumBallot) ballot = NULL;

  ballot = gremium_ballot_encrypt (vote->key, voter_id, choices,
                                   gremium_election_key_get_n_options (vote->key), &error);
  g_assert_no_error (error);

  /* Everyone else sees the ballot only as bytes from the record. */
  return reparse (ballot);
}

static gboolean
verify_bytes (GBytes              *bytes,
              GremiumElectionKey  *key,
              const char          *voter_id,
              gboolean             reference,
              GError             **error)
{
  g_autoptr(GremiumBallot) ballot = gremium_ballot_new_from_bytes (bytes, error);

  if (ballot == NULL)
    return FALSE;

  return _gremium_ballot_verify_full (ballot, key, voter_id, reference, error);
}

static char *
random_point_base64 (void)
{
  guint8 p[32];

  crypto_core_ristretto255_random (p);
  return gremium_base64_encode (p, 32);
}

static char *
random_scalar_base64 (void)
{
  guint8 s[32];

  crypto_core_ristretto255_scalar_random (s);
  return gremium_base64_encode (s, 32);
}

/* An independent implementation of the transcript encoding of
 * docs/voting-crypto.md, used by the forger below.
 */
typedef struct
{
  crypto_generichash_blake2b_state state;
} SpecHash;

static void
spec_item (SpecHash     *h,
           const char   *label,
           const guint8 *value,
           gsize         len)
{
  guint8 prefix[4];
  gsize label_len = strlen (label);

  prefix[0] = 0; prefix[1] = 0; prefix[2] = (guint8) (label_len >> 8); prefix[3] = (guint8) label_len;
  crypto_generichash_blake2b_update (&h->state, prefix, 4);
  crypto_generichash_blake2b_update (&h->state, (const guint8 *) label, label_len);
  prefix[2] = (guint8) (len >> 8); prefix[3] = (guint8) len;
  crypto_generichash_blake2b_update (&h->state, prefix, 4);
  crypto_generichash_blake2b_update (&h->state, value, len);
}

static void
spec_string (SpecHash   *h,
             const char *label,
             const char *value)
{
  spec_item (h, label, (const guint8 *) value, strlen (value));
}

static void
spec_u32 (SpecHash   *h,
          const char *label,
          guint32     value)
{
  guint8 be[4] = { (guint8) (value >> 24), (guint8) (value >> 16), (guint8) (value >> 8),
                   (guint8) value };

  spec_item (h, label, be, 4);
}

static void
spec_begin (SpecHash           *h,
            const char         *domain,
            GremiumElectionKey *key,
            const char         *voter_id)
{
  crypto_generichash_blake2b_init (&h->state, NULL, 0, 64);
  spec_string (h, "domain", domain);
  spec_string (h, "group", "ristretto255");
  spec_item (h, "generator", _gremium_group_generator (), 32);
  spec_string (h, "meeting", gremium_election_key_get_meeting_id (key));
  spec_string (h, "vote", gremium_election_key_get_vote_id (key));
  spec_item (h, "election-key", gremium_election_key_get_public_key (key), 32);
  spec_u32 (h, "options", gremium_election_key_get_n_options (key));
  spec_u32 (h, "min", gremium_election_key_get_min_count (key));
  spec_u32 (h, "max", gremium_election_key_get_max_count (key));
  spec_string (h, "voter", voter_id);
}

static void
spec_challenge (SpecHash *h,
                guint8    c[32])
{
  guint8 hash[64];

  crypto_generichash_blake2b_final (&h->state, hash, 64);
  crypto_core_ristretto255_scalar_reduce (c, hash);
}

typedef struct
{
  guint8 a[32], b[32], c[32], s[32];
} Branch;

/* v G for any integer v, negative ones included. */
static void
signed_multiple (guint8 out[32],
                 gint   v)
{
  guint8 scalar[32];

  _gremium_scalar_from_uint (scalar, (guint64) ABS (v));
  if (v < 0)
    crypto_core_ristretto255_scalar_negate (scalar, scalar);
  _gremium_scalarmult_base (out, scalar);
}

/* A disjunctive proof over [low, high] for (alpha, beta) with nonce r in
 * which branch @claim is computed as the real one. When the ciphertext does
 * not encrypt @claim, the challenges still add up but an equation fails.
 */
static void
forge_range (SpecHash     *h,
             const guint8  key[32],
             const guint8  alpha[32],
             const guint8  beta[32],
             const guint8  r[32],
             guint         low,
             guint         high,
             guint         claim,
             Branch       *branches)
{
  guint8 w[32], c[32], c_sum[32] = { 0 }, t1[32], t2[32], shifted[32], vg[32];

  crypto_core_ristretto255_scalar_random (w);
  for (guint v = low; v <= high; v++)
    {
      Branch *br = &branches[v - low];

      if (v == claim)
        {
          _gremium_scalarmult_base (br->a, w);
          _gremium_scalarmult (br->b, w, key);
        }
      else
        {
          crypto_core_ristretto255_scalar_random (br->c);
          crypto_core_ristretto255_scalar_random (br->s);
          _gremium_scalarmult_base (t1, br->s);
          _gremium_scalarmult (t2, br->c, alpha);
          _gremium_point_sub (br->a, t1, t2);
          signed_multiple (vg, (gint) v);
          _gremium_point_sub (shifted, beta, vg);
          _gremium_scalarmult (t1, br->s, key);
          _gremium_scalarmult (t2, br->c, shifted);
          _gremium_point_sub (br->b, t1, t2);
          crypto_core_ristretto255_scalar_add (c_sum, c_sum, br->c);
        }
      spec_item (h, "commit-a", br->a, 32);
      spec_item (h, "commit-b", br->b, 32);
    }

  spec_challenge (h, c);
  crypto_core_ristretto255_scalar_sub (branches[claim - low].c, c, c_sum);
  crypto_core_ristretto255_scalar_mul (branches[claim - low].s, branches[claim - low].c, r);
  crypto_core_ristretto255_scalar_add (branches[claim - low].s, branches[claim - low].s, w);
}

static void
write_branches (GString      *out,
                const Branch *branches,
                guint         n)
{
  g_string_append_c (out, '[');
  for (guint k = 0; k < n; k++)
    {
      g_autofree char *a = gremium_base64_encode (branches[k].a, 32);
      g_autofree char *b = gremium_base64_encode (branches[k].b, 32);
      g_autofree char *c = gremium_base64_encode (branches[k].c, 32);
      g_autofree char *s = gremium_base64_encode (branches[k].s, 32);

      g_string_append_printf (out, "%s{\"a\":\"%s\",\"b\":\"%s\",\"c\":\"%s\",\"s\":\"%s\"}",
                              k > 0 ? "," : "", a, b, c, s);
    }
  g_string_append_c (out, ']');
}

/* Builds a ballot from the specification alone, encrypting arbitrary
 * integers. With values in {0, 1} that sum to an allowed count it must be
 * accepted; otherwise the proofs lie about the value.
 */
static GBytes *
forge_ballot (GremiumElectionKey *key,
              const char         *voter_id,
              const gint         *values)
{
  guint n = gremium_election_key_get_n_options (key);
  guint low = gremium_election_key_get_min_count (key);
  guint high = gremium_election_key_get_max_count (key);
  const guint8 *h = gremium_election_key_get_public_key (key);
  g_autofree guint8 *alphas = g_malloc (32 * n);
  g_autofree guint8 *betas = g_malloc (32 * n);
  g_autofree Branch *option_branches = g_new0 (Branch, 2 * n);
  g_autofree Branch *sum_branches = g_new0 (Branch, high - low + 1);
  guint8 r_sum[32] = { 0 }, sum_alpha[32] = { 0 }, sum_beta[32] = { 0 };
  GString *out;
  SpecHash hash;
  gint total = 0;

  for (guint j = 0; j < n; j++)
    {
      guint8 r[32], rh[32], vg[32];
      guint claim = values[j] >= 1 ? 1 : 0;

      crypto_core_ristretto255_scalar_random (r);
      _gremium_scalarmult_base (alphas + 32 * j, r);
      _gremium_scalarmult (rh, r, h);
      signed_multiple (vg, values[j]);
      _gremium_point_add (betas + 32 * j, rh, vg);

      spec_begin (&hash, "gremium/v1/ballot-option-proof", key, voter_id);
      spec_u32 (&hash, "option", j);
      spec_item (&hash, "alpha", alphas + 32 * j, 32);
      spec_item (&hash, "beta", betas + 32 * j, 32);
      spec_u32 (&hash, "low", 0);
      spec_u32 (&hash, "high", 1);
      forge_range (&hash, h, alphas + 32 * j, betas + 32 * j, r, 0, 1, claim,
                   &option_branches[2 * j]);

      crypto_core_ristretto255_scalar_add (r_sum, r_sum, r);
      _gremium_point_add (sum_alpha, sum_alpha, alphas + 32 * j);
      _gremium_point_add (sum_beta, sum_beta, betas + 32 * j);
      total += values[j];
    }

  spec_begin (&hash, "gremium/v1/ballot-sum-proof", key, voter_id);
  for (guint j = 0; j < n; j++)
    {
      spec_item (&hash, "alpha", alphas + 32 * j, 32);
      spec_item (&hash, "beta", betas + 32 * j, 32);
    }
  spec_u32 (&hash, "low", low);
  spec_u32 (&hash, "high", high);
  forge_range (&hash, h, sum_alpha, sum_beta, r_sum, low, high,
               (guint) CLAMP (total, (gint) low, (gint) high), sum_branches);

  out = g_string_new (NULL);
  g_string_append_printf (out, "{\"v\":1,\"meeting\":\"%s\",\"vote\":\"%s\",\"voter\":\"%s\","
                          "\"options\":[", gremium_election_key_get_meeting_id (key),
                          gremium_election_key_get_vote_id (key), voter_id);
  for (guint j = 0; j < n; j++)
    {
      g_autofree char *alpha = gremium_base64_encode (alphas + 32 * j, 32);
      g_autofree char *beta = gremium_base64_encode (betas + 32 * j, 32);

      g_string_append_printf (out, "%s{\"alpha\":\"%s\",\"beta\":\"%s\",\"proof\":",
                              j > 0 ? "," : "", alpha, beta);
      write_branches (out, &option_branches[2 * j], 2);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "],\"sum\":");
  write_branches (out, sum_branches, high - low + 1);
  g_string_append_c (out, '}');

  return g_string_free_to_bytes (out);
}

/* Replaces one member of a JSON document and writes it back in the compact
 * form, which is the canonical one for every document here.
 */
static GBytes *
json_edit (GBytes     *bytes,
           const char *path,
           JsonNode   *value)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  JsonNode *node;
  gsize len;
  char *text;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), NULL));
  node = json_parser_get_root (parser);

  for (guint i = 0; parts[i + 1] != NULL; i++)
    {
      if (JSON_NODE_HOLDS_ARRAY (node))
        node = json_array_get_element (json_node_get_array (node), atoi (parts[i]));
      else
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      g_assert_nonnull (node);
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint index = atoi (parts[g_strv_length (parts) - 1]);
      g_autoptr(JsonArray) copy = json_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy, i == index ? json_node_copy (value)
                                                 : json_node_copy (json_array_get_element (array, i)));
      json_node_set_array (node, copy);
    }
  else
    {
      json_object_set_member (json_node_get_object (node), parts[g_strv_length (parts) - 1],
                              json_node_copy (value));
    }

  json_generator_set_root (generator, json_parser_get_root (parser));
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

static GBytes *
json_edit_string (GBytes     *bytes,
                  const char *path,
                  const char *value)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, value);
  return json_edit (bytes, path, node);
}

static GBytes *
bytes_replace (GBytes     *bytes,
               const char *from,
               const char *to)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto(GStrv) parts = g_strsplit (text, from, -1);
  char *joined;

  g_assert_cmpuint (g_strv_length (parts), >=, 2);
  joined = g_strjoinv (to, parts);
  return g_bytes_new_take (joined, strlen (joined));
}

static void
assert_counts (GremiumTally *tally,
               const guint  *expected,
               guint         n)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint *counts = g_new0 (guint, n);

  g_assert_true (gremium_tally_get_counts (tally, counts, n, &error));
  g_assert_no_error (error);
  for (guint j = 0; j < n; j++)
    g_assert_cmpuint (counts[j], ==, expected[j]);
}

/* A whole vote: every voter casts, the tellers decrypt, then everyone
 * re-verifies the vote from the record's bytes, on the fast path and on the
 * libsodium-only path, and both must agree with the intended counts.
 */
static void
run_flow (guint     n_options,
          guint     min_count,
          guint     max_count,
          guint     n_voters,
          guint8 *(*choose) (guint voter, guint n_options))
{
  g_auto(Vote) vote = { 0 };
  g_autoptr(GPtrArray) ballots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) bytes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_auto(GStrv) voter_ids = g_new0 (char *, n_voters + 1);
  g_autoptr(GPtrArray) decryptions = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GremiumTally) tally = NULL;
  g_autoptr(GremiumTally) verified = NULL;
  g_autoptr(GremiumTally) reference = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint *expected = g_new0 (guint, n_options);

  vote_setup (&vote, MEETING, VOTE, n_options, min_count, max_count, 3, 0);

  for (guint i = 0; i < n_voters; i++)
    {
      g_autofree char *voter_id = g_strdup_printf ("member-%02u", i);
      g_autofree guint8 *choices = choose (i, n_options);

      for (guint j = 0; j < n_options; j++)
        expected[j] += choices[j];
      g_ptr_array_add (ballots, cast (&vote, voter_id, choices));
      g_ptr_array_add (bytes, g_bytes_ref (gremium_ballot_get_bytes (g_ptr_array_index (ballots, i))));
      voter_ids[i] = g_strdup (voter_id);
    }

  /* The tellers' view: verify, sum, decrypt. */
  tally = gremium_tally_new_verified (vote.key, bytes, (const char * const *) voter_ids, NULL,
                                      NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gremium_tally_get_n_ballots (tally), ==, n_voters);
  for (guint i = 0; i < vote.tellers->len; i++)
    {
      GBytes *share = gremium_teller_key_decrypt (g_ptr_array_index (vote.tellers, i), tally, &error);

      g_assert_no_error (error);
      g_ptr_array_add (decryptions, share);
    }

  /* Everyone's view, from the record's bytes. */
  verified = gremium_tally_new_verified (vote.key, bytes, (const char * const *) voter_ids,
                                         decryptions, NULL, &error);
  g_assert_no_error (error);
  assert_counts (verified, expected, n_options);

  /* The naive libsodium-only path reaches the same result. */
  reference = _gremium_tally_new_full (vote.key, TRUE);
  for (guint i = 0; i < ballots->len; i++)
    {
      g_autoptr(GremiumBallot) copy = reparse (g_ptr_array_index (ballots, i));

      g_assert_true (gremium_tally_add_ballot (reference, copy, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < decryptions->len; i++)
    {
      g_assert_true (gremium_tally_add_decryption_share (reference,
                                                         g_ptr_array_index (decryptions, i),
                                                         &error));
      g_assert_no_error (error);
    }
  assert_counts (reference, expected, n_options);

  g_assert_finalize_object (g_steal_pointer (&reference));
  g_assert_finalize_object (g_steal_pointer (&verified));
}

/* 11 yes, 9 no, 5 abstentions among 25. */
static guint8 *
choose_yes_no_abstain (guint voter,
                       guint n_options)
{
  guint8 *choices = g_new0 (guint8, n_options);

  choices[voter < 11 ? 0 : voter < 20 ? 1 : 2] = 1;
  return choices;
}

static guint8 *
choose_candidate (guint voter,
                  guint n_options)
{
  guint8 *choices = g_new0 (guint8, n_options);

  choices[(voter * 7 + voter / 3) % n_options] = 1;
  return choices;
}

/* Up to two of four, blank ballots included. */
static guint8 *
choose_up_to_two (guint voter,
                  guint n_options)
{
  guint8 *choices = g_new0 (guint8, n_options);

  if (voter % 3 >= 1)
    choices[voter % n_options] = 1;
  if (voter % 3 == 2)
    choices[(voter + 1) % n_options] = 1;
  return choices;
}

static void
test_flow_yes_no_abstain (void)
{
  run_flow (3, 1, 1, 25, choose_yes_no_abstain);
}

static void
test_flow_election (void)
{
  run_flow (4, 1, 1, 25, choose_candidate);
}

static void
test_flow_multiple_marks (void)
{
  run_flow (4, 0, 2, 12, choose_up_to_two);
}

static void
test_roundtrip_and_tracker (void)
{
  g_auto(Vote) vote = { 0 };
  g_autoptr(GremiumBallot) ballot = NULL;
  g_autoptr(GremiumBallot) copy = NULL;
  g_autoptr(GremiumBallot) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tracker_text = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *generated = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  guint8 tracker[32];
  guint8 expected[32];
  const guint8 choices[] = { 0, 1, 0 };

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 3, 0);
  ballot = gremium_ballot_encrypt (vote.key, "alice", choices, 3, &error);
  g_assert_no_error (error);
  g_assert_true (gremium_ballot_verify (ballot, vote.key, "alice", &error));
  g_assert_no_error (error);

  copy = gremium_ballot_new_from_bytes (gremium_ballot_get_bytes (ballot), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (gremium_ballot_get_bytes (copy), gremium_ballot_get_bytes (ballot)));
  g_assert_cmpstr (gremium_ballot_get_meeting_id (copy), ==, MEETING);
  g_assert_cmpstr (gremium_ballot_get_vote_id (copy), ==, VOTE);
  g_assert_cmpstr (gremium_ballot_get_voter_id (copy), ==, "alice");
  g_assert_cmpuint (gremium_ballot_get_n_options (copy), ==, 3);
  g_assert_true (gremium_ballot_verify (copy, vote.key, "alice", &error));

  /* The tracker is SHA-256 of the exact bytes. */
  gremium_ballot_get_tracker (copy, tracker);
  crypto_hash_sha256 (expected, g_bytes_get_data (gremium_ballot_get_bytes (copy), NULL),
                      g_bytes_get_size (gremium_ballot_get_bytes (copy)));
  g_assert_cmpmem (tracker, 32, expected, 32);
  tracker_text = gremium_ballot_dup_tracker_string (copy);
  expected_text = gremium_base64_encode (expected, 32);
  g_assert_cmpstr (tracker_text, ==, expected_text);

  /* The same choices encrypt differently every time. */
  other = gremium_ballot_encrypt (vote.key, "alice", choices, 3, &error);
  g_assert_false (g_bytes_equal (gremium_ballot_get_bytes (other), gremium_ballot_get_bytes (ballot)));

  /* The canonical form is json-glib's compact form, so a standard JSON
   * library reproduces it; the tampering tests rely on that.
   */
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (gremium_ballot_get_bytes (ballot), NULL),
                                             g_bytes_get_size (gremium_ballot_get_bytes (ballot)), NULL));
  json_generator_set_root (generator, json_parser_get_root (parser));
  generated = json_generator_to_data (generator, NULL);
  g_assert_cmpmem (generated, strlen (generated), g_bytes_get_data (gremium_ballot_get_bytes (ballot), NULL),
                   g_bytes_get_size (gremium_ballot_get_bytes (ballot)));

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&ballot));
}

/* The largest vote: 32 options, any number of marks. Its ballot still fits
 * into one signed statement.
 */
static void
test_largest_ballot (void)
{
  g_auto(Vote) vote = { 0 };
  g_autoptr(GremiumBallot) ballot = NULL;
  g_autoptr(GError) error = NULL;
  guint8 choices[GREMIUM_SECRET_VOTE_MAX_OPTIONS] = { 0 };
  gsize len;

  for (guint j = 0; j < GREMIUM_SECRET_VOTE_MAX_OPTIONS; j += 3)
    choices[j] = 1;

  vote_setup (&vote, MEETING, VOTE, GREMIUM_SECRET_VOTE_MAX_OPTIONS, 0,
              GREMIUM_SECRET_VOTE_MAX_OPTIONS, 2, 0);
  ballot = cast (&vote, "alice", choices);
  len = g_bytes_get_size (gremium_ballot_get_bytes (ballot));
  g_test_message ("largest ballot: %" G_GSIZE_FORMAT " bytes", len);
  g_assert_cmpuint (len, <=, GREMIUM_BALLOT_MAX_SIZE);
  g_assert_cmpuint ((len + 2) / 3 * 4 + 512, <=, GREMIUM_STATEMENT_MAX_SIZE);
  g_assert_true (gremium_ballot_verify (ballot, vote.key, "alice", &error));
  g_assert_no_error (error);

  /* One more option is refused when the vote is set up. */
  {
    g_autoptr(GremiumElectionKey) too_many = NULL;

    too_many = gremium_election_key_new (MEETING, VOTE, GREMIUM_SECRET_VOTE_MAX_OPTIONS + 1, 1, 1,
                                         vote.shares, &error);
    g_assert_null (too_many);
    g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  }
}

static void
test_encrypt_rejects_bad_choices (void)
{
  g_auto(Vote) vote = { 0 };
  struct {
    guint8 choices[4];
    guint  n;
    const char *voter;
  } cases[] = {
    { { 2, 0, 0 }, 3, "alice" },
    { { 1, 1, 0 }, 3, "alice" },
    { { 0, 0, 0 }, 3, "alice" },
    { { 1, 0, 0, 0 }, 4, "alice" },
    { { 1, 0 }, 2, "alice" },
    { { 1, 0, 0 }, 3, "Alice!" },
  };

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 2, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GremiumBallot) ballot = gremium_ballot_encrypt (vote.key, cases[i].voter,
                                                                cases[i].choices, cases[i].n, &error);

      g_assert_null (ballot);
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
    }
}

/* A ballot built from the specification alone verifies; so the document and
 * the code agree on every byte that is hashed and serialized.
 */
static void
test_spec_conformance (void)
{
  g_auto(Vote) vote = { 0 };
  g_auto(Vote) range = { 0 };
  const gint honest[] = { 0, 0, 1 };
  const gint two[] = { 1, 0, 1, 0 };
  const gint blank[] = { 0, 0, 0, 0 };

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 3, 0);
  vote_setup (&range, MEETING, "top-8", 4, 0, 2, 2, 0);

  for (guint reference = 0; reference < 2; reference++)
    {
      g_autoptr(GBytes) a = forge_ballot (vote.key, "alice", honest);
      g_autoptr(GBytes) b = forge_ballot (range.key, "bob", two);
      g_autoptr(GBytes) c = forge_ballot (range.key, "carol", blank);
      g_autoptr(GError) error = NULL;

      g_assert_true (verify_bytes (a, vote.key, "alice", reference, &error));
      g_assert_no_error (error);
      g_assert_true (verify_bytes (b, range.key, "bob", reference, &error));
      g_assert_no_error (error);
      g_assert_true (verify_bytes (c, range.key, "carol", reference, &error));
      g_assert_no_error (error);
    }
}

/* The classic attack: (2, -1, 0) adds up to 1, so the sum proof alone
 * would accept it; the 0/1 proofs must not.
 */
static void
test_out_of_range_votes (void)
{
  g_auto(Vote) vote = { 0 };
  const gint attacks[][3] = {
    { 2, -1, 0 },
    { -1, 2, 0 },
    { 2, 0, 0 },
    { 0, 0, -1 },
    { 1, 1, -1 },
    { 3, -1, -1 },
  };

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 3, 0);

  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_autoptr(GBytes) forged = forge_ballot (vote.key, "mallory", attacks[i]);

      for (guint reference = 0; reference < 2; reference++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GremiumTally) tally = _gremium_tally_new_full (vote.key, reference);
          g_autoptr(GremiumBallot) ballot = gremium_ballot_new_from_bytes (forged, &error);

          g_assert_no_error (error);
          g_assert_false (_gremium_ballot_verify_full (ballot, vote.key, "mallory", reference,
                                                       &error));
          g_test_message ("attack %u (%s): %s", i, reference ? "reference" : "fast",
                          error->message);
          g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
          g_clear_error (&error);

          /* And the tally will not take it either. */
          g_assert_false (gremium_tally_add_ballot (tally, ballot, &error));
          g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
          g_assert_cmpuint (gremium_tally_get_n_ballots (tally), ==, 0);
        }
    }
}

static void
test_replay_for_other_voter (void)
{
  g_auto(Vote) vote = { 0 };
  const guint8 choices[] = { 1, 0, 0 };
  g_autoptr(GremiumBallot) ballot = NULL;
  g_autoptr(GBytes) relabelled = NULL;
  g_autoptr(GError) error = NULL;

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 3, 0);
  ballot = cast (&vote, "alice", choices);

  /* Bob submits Alice's ballot as it is. */
  g_assert_false (verify_bytes (gremium_ballot_get_bytes (ballot), vote.key, "bob", FALSE, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  /* Bob relabels it as his own: the proofs are bound to Alice. */
  relabelled = json_edit_string (gremium_ballot_get_bytes (ballot), "voter", "bob");
  for (guint reference = 0; reference < 2; reference++)
    {
      g_assert_false (verify_bytes (relabelled, vote.key, "bob", reference, &error));
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
      g_clear_error (&error);
    }
}

/* Two votes whose tellers reuse their secrets have the same election key,
 * so only the meeting and vote ids inside every hash keep a ballot from
 * being copied from one vote to the other.
 */
static void
test_copy_to_other_vote (void)
{
  g_auto(Vote) first = { 0 };
  g_auto(Vote) second = { 0 };
  g_auto(Vote) elsewhere = { 0 };
  const guint8 choices[] = { 0, 1, 0 };
  g_autoptr(GremiumBallot) ballot = NULL;
  g_autoptr(GBytes) copied = NULL;
  g_autoptr(GBytes) moved = NULL;
  g_autoptr(GError) error = NULL;

  vote_setup (&first, MEETING, VOTE, 3, 1, 1, 3, 42);
  vote_setup (&second, MEETING, "top-9", 3, 1, 1, 3, 42);
  vote_setup (&elsewhere, "rat-2026-12", VOTE, 3, 1, 1, 3, 42);
  g_assert_cmpmem (gremium_election_key_get_public_key (first.key), 32,
                   gremium_election_key_get_public_key (second.key), 32);
  g_assert_cmpmem (gremium_election_key_get_public_key (first.key), 32,
                   gremium_election_key_get_public_key (elsewhere.key), 32);

  ballot = cast (&first, "alice", choices);

  g_assert_false (verify_bytes (gremium_ballot_get_bytes (ballot), second.key, "alice", FALSE,
                                &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_false (verify_bytes (gremium_ballot_get_bytes (ballot), elsewhere.key, "alice", FALSE,
                                &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_WRONG_MEETING);
  g_clear_error (&error);

  copied = json_edit_string (gremium_ballot_get_bytes (ballot), "vote", "top-9");
  moved = json_edit_string (gremium_ballot_get_bytes (ballot), "meeting", "rat-2026-12");
  for (guint reference = 0; reference < 2; reference++)
    {
      g_assert_false (verify_bytes (copied, second.key, "alice", reference, &error));
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
      g_clear_error (&error);
      g_assert_false (verify_bytes (moved, elsewhere.key, "alice", reference, &error));
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
      g_clear_error (&error);
    }
}

/* Proofs are bound to their option index. */
static void
test_moved_options_and_proofs (void)
{
  g_auto(Vote) vote = { 0 };
  const guint8 choices[] = { 1, 0, 0 };
  g_autoptr(GremiumBallot) ballot = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *options;
  g_autoptr(GBytes) swapped_options = NULL;
  g_autoptr(GBytes) swapped_proofs = NULL;
  g_autoptr(GBytes) swapped_sum = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *option0;
  JsonNode *option1;

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 2, 0);
  ballot = cast (&vote, "alice", choices);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (gremium_ballot_get_bytes (ballot), NULL),
                                             g_bytes_get_size (gremium_ballot_get_bytes (ballot)), NULL));
  options = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "options");
  option0 = json_array_get_element (options, 0);
  option1 = json_array_get_element (options, 1);

  /* Whole options swapped: every ciphertext keeps its proof, at another index. */
  {
    g_autoptr(GBytes) step = json_edit (gremium_ballot_get_bytes (ballot), "options/0", option1);

    swapped_options = json_edit (step, "options/1", option0);
  }

  /* Only the proofs swapped. */
  {
    g_autoptr(GBytes) step = json_edit (gremium_ballot_get_bytes (ballot), "options/0/proof",
                                        json_object_get_member (json_node_get_object (option1), "proof"));

    swapped_proofs = json_edit (step, "options/1/proof",
                                json_object_get_member (json_node_get_object (option0), "proof"));
  }

  /* An option's 0/1 proof presented as the sum proof. */
  {
    g_autoptr(JsonNode) branch = json_node_copy (json_array_get_element (
        json_object_get_array_member (json_node_get_object (option0), "proof"), 1));

    swapped_sum = json_edit (gremium_ballot_get_bytes (ballot), "sum/0", branch);
  }

  for (guint reference = 0; reference < 2; reference++)
    {
      g_assert_false (verify_bytes (swapped_options, vote.key, "alice", reference, &error));
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
      g_clear_error (&error);
      g_assert_false (verify_bytes (swapped_proofs, vote.key, "alice", reference, &error));
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
      g_clear_error (&error);
      g_assert_false (verify_bytes (swapped_sum, vote.key, "alice", reference, &error));
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
      g_clear_error (&error);
    }
}

static void
test_wrong_option_count (void)
{
  g_auto(Vote) three = { 0 };
  g_auto(Vote) four = { 0 };
  g_auto(Vote) range = { 0 };
  const guint8 choices[] = { 1, 0, 0 };
  g_autoptr(GremiumBallot) ballot = NULL;
  g_autoptr(GBytes) shortened = NULL;
  g_autoptr(GError) error = NULL;

  vote_setup (&three, MEETING, VOTE, 3, 1, 1, 2, 7);
  vote_setup (&four, MEETING, VOTE, 4, 1, 1, 2, 7);
  vote_setup (&range, MEETING, VOTE, 3, 0, 2, 2, 7);
  ballot = cast (&three, "alice", choices);

  /* Same meeting, vote and key, other shape. */
  g_assert_false (gremium_ballot_verify (ballot, four.key, "alice", &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_false (gremium_ballot_verify (ballot, range.key, "alice", &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  /* An option dropped from the ballot. */
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (gremium_ballot_get_bytes (ballot), NULL),
                                       g_bytes_get_size (gremium_ballot_get_bytes (ballot)));
    char *second = strstr (text, ",{\"alpha\"");
    char *end = strstr (second + 1, "]},");
    g_autofree char *head = NULL;
    g_autofree char *cut = NULL;

    g_assert_nonnull (second);
    g_assert_nonnull (end);
    head = g_strndup (text, second - text);
    cut = g_strconcat (head, end + 2, NULL);
    shortened = g_bytes_new (cut, strlen (cut));
  }
  g_assert_false (verify_bytes (shortened, three.key, "alice", FALSE, &error));
  g_test_message ("shortened: %s", error->message);
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
}

/* Every single-bit change anywhere in the ballot's bytes is refused. */
static void
test_tamper_every_byte (void)
{
  g_auto(Vote) vote = { 0 };
  const guint8 choices[] = { 0, 0, 1 };
  g_autoptr(GremiumBallot) ballot = NULL;
  const guint8 *data;
  gsize len;

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 3, 0);
  ballot = cast (&vote, "alice", choices);
  data = g_bytes_get_data (gremium_ballot_get_bytes (ballot), &len);

  for (gsize i = 0; i < len; i++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, len);
      g_autoptr(GBytes) tampered = NULL;
      g_autoptr(GError) error = NULL;

      copy[i] ^= (guint8) (1u << (i % 7));
      tampered = g_bytes_new (copy, len);
      if (verify_bytes (tampered, vote.key, "alice", FALSE, &error))
        g_error ("A ballot with byte %" G_GSIZE_FORMAT " changed was accepted", i);
      g_assert_nonnull (error);
      g_assert_true (error->domain == GREMIUM_ERROR);
    }
}

/* Every field replaced by another well-formed value is refused, proofs and
 * ciphertexts with a failed proof.
 */
static void
test_tamper_every_field (void)
{
  g_auto(Vote) vote = { 0 };
  const guint8 choices[] = { 0, 1, 0 };
  g_autoptr(GremiumBallot) ballot = NULL;
  GBytes *bytes;
  const char * const points[] = { "alpha", "beta", "a", "b" };
  const char * const scalars[] = { "c", "s" };

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 3, 0);
  ballot = cast (&vote, "alice", choices);
  bytes = gremium_ballot_get_bytes (ballot);

  for (guint j = 0; j < 3; j++)
    {
      for (guint f = 0; f < 2; f++)
        {
          g_autofree char *path = g_strdup_printf ("options/%u/%s", j, points[f]);
          g_autofree char *value = random_point_base64 ();
          g_autoptr(GBytes) tampered = json_edit_string (bytes, path, value);
          g_autoptr(GError) error = NULL;

          g_assert_false (verify_bytes (tampered, vote.key, "alice", FALSE, &error));
          g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
        }

      for (guint k = 0; k < 2; k++)
        {
          for (guint f = 0; f < 4; f++)
            {
              const char *name = f < 2 ? points[f + 2] : scalars[f - 2];
              g_autofree char *path = g_strdup_printf ("options/%u/proof/%u/%s", j, k, name);
              g_autofree char *value = f < 2 ? random_point_base64 () : random_scalar_base64 ();
              g_autoptr(GBytes) tampered = json_edit_string (bytes, path, value);
              g_autoptr(GError) error = NULL;

              g_assert_false (verify_bytes (tampered, vote.key, "alice", FALSE, &error));
              g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
            }
        }
    }

  for (guint f = 0; f < 4; f++)
    {
      const char *name = f < 2 ? points[f + 2] : scalars[f - 2];
      g_autofree char *path = g_strdup_printf ("sum/0/%s", name);
      g_autofree char *value = f < 2 ? random_point_base64 () : random_scalar_base64 ();
      g_autoptr(GBytes) tampered = json_edit_string (bytes, path, value);
      g_autoptr(GError) error = NULL;

      g_assert_false (verify_bytes (tampered, vote.key, "alice", FALSE, &error));
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
    }

  {
    g_autoptr(JsonNode) two = json_node_new (JSON_NODE_VALUE);
    g_autoptr(GBytes) tampered = NULL;
    g_autoptr(GError) error = NULL;

    json_node_set_int (two, 2);
    tampered = json_edit (bytes, "v", two);
    g_assert_false (verify_bytes (tampered, vote.key, "alice", FALSE, &error));
    g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNSUPPORTED_VERSION);
  }
}

/* The identity and non-canonical encodings, where libsodium alone would
 * accept what RFC 9496 and this protocol refuse.
 */
static void
test_identity_and_non_canonical (void)
{
  g_auto(Vote) vote = { 0 };
  const guint8 choices[] = { 0, 1, 0 };
  g_autoptr(GremiumBallot) ballot = NULL;
  g_autofree char *identity = NULL;
  GBytes *bytes;
  guint8 raw[32];
  guint8 scalar[32];
  guint8 order[32];

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 3, 0);
  ballot = cast (&vote, "alice", choices);
  bytes = gremium_ballot_get_bytes (ballot);
  memset (raw, 0, 32);
  identity = gremium_base64_encode (raw, 32);

  /* The identity as a ciphertext component. */
  for (guint f = 0; f < 2; f++)
    {
      g_autoptr(GBytes) tampered = json_edit_string (bytes, f == 0 ? "options/1/alpha"
                                                                   : "options/1/beta", identity);
      g_autoptr(GError) error = NULL;

      g_assert_false (verify_bytes (tampered, vote.key, "alice", FALSE, &error));
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
    }

  /* A commitment with bit 255 set: the same point to libsodium 1.0.18, but
   * another byte string, which would give one ballot many trackers.
   */
  for (guint reference = 0; reference < 2; reference++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GBytes) tampered = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *high = NULL;
      const char *a;
      JsonObject *branch;

      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes), NULL));
      branch = json_array_get_object_element (json_object_get_array_member (
        json_array_get_object_element (json_object_get_array_member (
          json_node_get_object (json_parser_get_root (parser)), "options"), 0), "proof"), 0);
      a = json_object_get_string_member (branch, "a");
      g_assert_true (gremium_base64_decode_exact (a, raw, 32, NULL));
      raw[31] |= 0x80;
      high = gremium_base64_encode (raw, 32);
      tampered = json_edit_string (bytes, "options/0/proof/0/a", high);

      g_assert_false (verify_bytes (tampered, vote.key, "alice", reference, &error));
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
    }

  /* A response s + L: the same scalar modulo L, refused as non-canonical. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GBytes) tampered = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;
    JsonObject *branch;
    guint carry = 0;

    static const guint8 l[32] = {
      0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    };

    memcpy (order, l, 32);
    g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                               g_bytes_get_size (bytes), NULL));
    branch = json_array_get_object_element (json_object_get_array_member (
      json_node_get_object (json_parser_get_root (parser)), "sum"), 0);
    g_assert_true (gremium_base64_decode_exact (json_object_get_string_member (branch, "s"),
                                                scalar, 32, NULL));
    for (guint i = 0; i < 32; i++)
      {
        guint v = scalar[i] + order[i] + carry;

        scalar[i] = (guint8) v;
        carry = v >> 8;
      }
    g_assert_cmpuint (carry, ==, 0);
    text = gremium_base64_encode (scalar, 32);
    tampered = json_edit_string (bytes, "sum/0/s", text);

    g_assert_false (verify_bytes (tampered, vote.key, "alice", FALSE, &error));
    g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  }
}

static void
test_non_canonical_json (void)
{
  g_auto(Vote) vote = { 0 };
  const guint8 choices[] = { 0, 1, 0 };
  g_autoptr(GremiumBallot) ballot = NULL;
  GBytes *bytes;
  g_autoptr(GBytes) spaced = NULL;
  g_autoptr(GBytes) reordered = NULL;
  g_autoptr(GBytes) duplicated = NULL;
  g_autoptr(GBytes) unknown = NULL;
  g_autoptr(GBytes) escaped = NULL;

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 2, 0);
  ballot = cast (&vote, "alice", choices);
  bytes = gremium_ballot_get_bytes (ballot);

  spaced = bytes_replace (bytes, "\"voter\":", "\"voter\": ");
  reordered = bytes_replace (bytes, "\"meeting\":\"" MEETING "\",\"vote\":\"" VOTE "\"",
                             "\"vote\":\"" VOTE "\",\"meeting\":\"" MEETING "\"");
  duplicated = bytes_replace (bytes, "\"voter\":\"alice\"", "\"voter\":\"alice\",\"voter\":\"bob\"");
  unknown = bytes_replace (bytes, "\"voter\":\"alice\"", "\"voter\":\"alice\",\"note\":\"x\"");
  escaped = bytes_replace (bytes, "\"voter\":\"alice\"", "\"voter\":\"\\u0061lice\"");

  {
    GBytes *cases[] = { spaced, reordered, duplicated, unknown, escaped };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GremiumBallot) parsed = gremium_ballot_new_from_bytes (cases[i], &error);

        g_test_message ("case %u: %s", i, error ? error->message : "(accepted)");
        g_assert_null (parsed);
        g_assert_nonnull (error);
        g_assert_true (error->domain == GREMIUM_ERROR);
      }
  }
}

/* The fast engine and the libsodium-only path agree on valid and forged
 * ballots alike.
 */
static void
test_engines_agree (void)
{
  g_auto(Vote) vote = { 0 };
  const gint cases[][3] = {
    { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 2, -1, 0 }, { 1, 1, -1 }, { 0, 0, 0 }, { 1, 1, 0 },
  };

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 3, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) forged = forge_ballot (vote.key, "alice", cases[i]);
      g_autoptr(GError) fast_error = NULL;
      g_autoptr(GError) reference_error = NULL;
      gboolean fast = verify_bytes (forged, vote.key, "alice", FALSE, &fast_error);
      gboolean reference = verify_bytes (forged, vote.key, "alice", TRUE, &reference_error);
      gboolean valid = i < 3;

      g_assert_cmpint (fast, ==, valid);
      g_assert_cmpint (reference, ==, valid);
      if (!valid)
        {
          g_assert_error (fast_error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
          g_assert_error (reference_error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
        }
    }
}

/* Known answers from fixed seeds: they pin every byte of the format and are
 * the worked example in docs/voting-crypto.md.
 */
static void
test_known_answer (void)
{
  g_autoptr(GPtrArray) tellers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) public_shares = g_ptr_array_new ();
  g_autoptr(GremiumElectionKey) key = NULL;
  g_autoptr(GremiumBallot) ballot = NULL;
  g_autoptr(GremiumTally) tally = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_hex = NULL;
  g_autofree char *tracker = NULL;
  g_autoptr(GByteArray) record = g_byte_array_new ();
  g_autofree char *record_hex = NULL;
  GremiumDrbg voter_drbg = { { 'v', 'o', 't', 'e', 'r' }, 0 };
  const guint8 choices[] = { 1, 0, 0 };
  const guint expected[] = { 1, 0, 0 };
  guint8 challenge[32];
  g_autofree char *challenge_hex = NULL;

  for (guint i = 0; i < 2; i++)
    {
      GremiumDrbg drbg = { { 't', 'e', 'l', 'l', 'e', 'r', (guint8) ('1' + i) }, 0 };
      g_autofree char *teller_id = g_strdup_printf ("teller-%u", i + 1);
      GremiumTellerKey *teller = _gremium_teller_key_new_full ("rat-2026-11", "top-7", teller_id,
                                                               &drbg);

      g_ptr_array_add (tellers, teller);
      g_ptr_array_add (public_shares, gremium_teller_key_get_public_share (teller));
      g_test_message ("teller share %u: %.*s", i + 1,
                      (int) g_bytes_get_size (gremium_teller_key_get_public_share (teller)),
                      (const char *) g_bytes_get_data (gremium_teller_key_get_public_share (teller), NULL));
    }

  key = gremium_election_key_new ("rat-2026-11", "top-7", 3, 1, 1, public_shares, &error);
  g_assert_no_error (error);
  key_hex = gremium_hex_encode (gremium_election_key_get_public_key (key), 32);
  g_test_message ("election key: %s", key_hex);

  /* The transcript of teller 1's proof, byte by byte. */
  {
    const guint8 *y = gremium_election_key_get_teller_public_key (key, 0);
    g_autoptr(JsonParser) parser = json_parser_new ();
    guint8 commitment[32];

    g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (g_ptr_array_index (public_shares, 0), NULL),
                                               g_bytes_get_size (g_ptr_array_index (public_shares, 0)), NULL));
    g_assert_true (gremium_base64_decode_exact (json_object_get_string_member (
      json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "proof"),
      "a"), commitment, 32, NULL));
    _gremium_teller_share_challenge ("rat-2026-11", "top-7", "teller-1", y, commitment, record,
                                     challenge);
    record_hex = gremium_hex_encode (record->data, record->len);
    challenge_hex = gremium_hex_encode (challenge, 32);
    g_test_message ("teller-1 transcript (%u bytes): %s", record->len, record_hex);
    g_test_message ("teller-1 challenge: %s", challenge_hex);
  }

  ballot = _gremium_ballot_encrypt_full (key, "alice", choices, 3, &voter_drbg, &error);
  g_assert_no_error (error);
  tracker = gremium_ballot_dup_tracker_string (ballot);
  g_test_message ("ballot: %.*s", (int) g_bytes_get_size (gremium_ballot_get_bytes (ballot)),
                  (const char *) g_bytes_get_data (gremium_ballot_get_bytes (ballot), NULL));
  g_test_message ("tracker: %s", tracker);

  tally = gremium_tally_new (key);
  g_assert_true (gremium_tally_add_ballot (tally, ballot, &error));
  for (guint i = 0; i < 2; i++)
    {
      GremiumDrbg drbg = { { 'd', 'e', 'c', 'r', 'y', 'p', 't', (guint8) ('1' + i) }, 0 };
      g_autoptr(GBytes) share = _gremium_teller_key_decrypt_full (g_ptr_array_index (tellers, i),
                                                                  tally, &drbg, &error);
      g_autofree char *digest = NULL;
      guint8 hash[32];

      g_assert_no_error (error);
      g_test_message ("decryption share %u: %.*s", i + 1, (int) g_bytes_get_size (share),
                      (const char *) g_bytes_get_data (share, NULL));
      g_assert_true (gremium_tally_add_decryption_share (tally, share, &error));
      g_assert_no_error (error);

      crypto_hash_sha256 (hash, g_bytes_get_data (share, NULL), g_bytes_get_size (share));
      digest = gremium_hex_encode (hash, 32);
      g_test_message ("decryption share %u sha256: %s", i + 1, digest);
      if (i == 1)
        g_assert_cmpstr (digest, ==, KNOWN_SHARE_2_SHA256);
    }
  assert_counts (tally, expected, 3);

  g_assert_cmpstr (key_hex, ==, KNOWN_ELECTION_KEY);
  g_assert_cmpstr (challenge_hex, ==, KNOWN_TELLER_1_CHALLENGE);
  g_assert_cmpstr (tracker, ==, KNOWN_TRACKER);
}

static void
test_missing_teller_share (void)
{
  g_auto(Vote) vote = { 0 };
  g_autoptr(GremiumTally) tally = NULL;
  g_autoptr(GError) error = NULL;
  guint counts[3];
  const guint expected[] = { 2, 1, 0 };

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 3, 0);
  tally = gremium_tally_new (vote.key);

  for (guint i = 0; i < 3; i++)
    {
      const guint8 choices[] = { i != 1, i == 1, 0 };
      g_autofree char *voter_id = g_strdup_printf ("member-%u", i);
      g_autoptr(GremiumBallot) ballot = cast (&vote, voter_id, choices);

      g_assert_true (gremium_tally_add_ballot (tally, ballot, &error));
      g_assert_no_error (error);
    }

  /* Tellers 1 and 3 decrypt, teller 2 stays away. */
  for (guint i = 0; i < 3; i += 2)
    {
      g_autoptr(GBytes) share = gremium_teller_key_decrypt (g_ptr_array_index (vote.tellers, i),
                                                            tally, &error);

      g_assert_no_error (error);
      g_assert_true (gremium_tally_add_decryption_share (tally, share, &error));
      g_assert_no_error (error);
    }

  g_assert_true (gremium_tally_has_decryption_share (tally, "teller-1"));
  g_assert_false (gremium_tally_has_decryption_share (tally, "teller-2"));
  g_assert_false (gremium_tally_get_counts (tally, counts, 3, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TALLY_UNDECRYPTABLE);
  g_assert_nonnull (strstr (error->message, "teller-2"));
  g_clear_error (&error);

  /* The late share completes it. */
  {
    g_autoptr(GBytes) share = gremium_teller_key_decrypt (g_ptr_array_index (vote.tellers, 1),
                                                          tally, &error);

    g_assert_true (gremium_tally_add_decryption_share (tally, share, &error));
    g_assert_no_error (error);
  }
  assert_counts (tally, expected, 3);
}

static GremiumTally *
tally_of (Vote          *vote,
          GremiumBallot **ballots,
          guint          n)
{
  g_autoptr(GError) error = NULL;
  GremiumTally *tally = gremium_tally_new (vote->key);

  for (guint i = 0; i < n; i++)
    {
      g_assert_true (gremium_tally_add_ballot (tally, ballots[i], &error));
      g_assert_no_error (error);
    }

  return tally;
}

static void
test_wrong_decryption_share (void)
{
  g_auto(Vote) vote = { 0 };
  g_autoptr(GremiumBallot) b1 = NULL;
  g_autoptr(GremiumBallot) b2 = NULL;
  g_autoptr(GremiumBallot) b3 = NULL;
  g_autoptr(GremiumTally) tally = NULL;
  g_autoptr(GremiumTally) other = NULL;
  g_autoptr(GremiumTally) smaller = NULL;
  g_autoptr(GBytes) good = NULL;
  g_autoptr(GBytes) foreign = NULL;
  g_autoptr(GBytes) fewer = NULL;
  g_autoptr(GBytes) changed_d = NULL;
  g_autoptr(GBytes) changed_s = NULL;
  g_autoptr(GBytes) changed_teller = NULL;
  g_autoptr(GBytes) outsider = NULL;
  g_autoptr(GremiumTellerKey) stranger = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *point = random_point_base64 ();
  g_autofree char *scalar = random_scalar_base64 ();
  const guint8 yes[] = { 1, 0, 0 };
  const guint8 no[] = { 0, 1, 0 };

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 3, 0);
  b1 = cast (&vote, "member-1", yes);
  b2 = cast (&vote, "member-2", no);
  b3 = cast (&vote, "member-3", yes);

  tally = tally_of (&vote, (GremiumBallot *[]) { b1, b2 }, 2);
  other = tally_of (&vote, (GremiumBallot *[]) { b1, b3 }, 2);
  smaller = tally_of (&vote, (GremiumBallot *[]) { b1 }, 1);

  good = gremium_teller_key_decrypt (g_ptr_array_index (vote.tellers, 0), tally, &error);
  g_assert_no_error (error);
  foreign = gremium_teller_key_decrypt (g_ptr_array_index (vote.tellers, 1), other, &error);
  g_assert_no_error (error);
  fewer = gremium_teller_key_decrypt (g_ptr_array_index (vote.tellers, 1), smaller, &error);
  g_assert_no_error (error);
  changed_d = json_edit_string (good, "shares/1/d", point);
  changed_s = json_edit_string (good, "shares/2/s", scalar);
  changed_teller = json_edit_string (good, "teller", "teller-2");

  /* A teller key that is not part of the election key. */
  stranger = gremium_teller_key_new (MEETING, VOTE, "teller-9");
  g_assert_null (gremium_teller_key_decrypt (stranger, tally, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE);
  g_clear_error (&error);
  outsider = json_edit_string (good, "teller", "teller-9");

  {
    struct {
      GBytes *share;
      gint    code;
    } cases[] = {
      { foreign, GREMIUM_ERROR_BAD_PROOF },
      { fewer, GREMIUM_ERROR_INVALID_FIELD },
      { changed_d, GREMIUM_ERROR_BAD_PROOF },
      { changed_s, GREMIUM_ERROR_BAD_PROOF },
      { changed_teller, GREMIUM_ERROR_BAD_PROOF },
      { outsider, GREMIUM_ERROR_PERMISSION_DENIED },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_assert_false (gremium_tally_add_decryption_share (tally, cases[i].share, &error));
        g_test_message ("case %u: %s", i, error->message);
        g_assert_error (error, GREMIUM_ERROR, cases[i].code);
        g_clear_error (&error);
      }
  }

  g_assert_false (gremium_tally_has_decryption_share (tally, "teller-1"));
  g_assert_true (gremium_tally_add_decryption_share (tally, good, &error));
  g_assert_no_error (error);
  g_assert_false (gremium_tally_add_decryption_share (tally, good, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_REPLAYED);
  g_clear_error (&error);

  /* The tally is closed now. */
  g_assert_false (gremium_tally_add_ballot (tally, b3, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_STATE);
  g_assert_cmpuint (gremium_tally_get_n_ballots (tally), ==, 2);
}

static void
test_rogue_teller_key (void)
{
  g_autoptr(GremiumTellerKey) t1 = gremium_teller_key_new (MEETING, VOTE, "teller-1");
  g_autoptr(GremiumTellerKey) t2 = gremium_teller_key_new (MEETING, VOTE, "teller-2");
  g_autoptr(GremiumTellerKey) t3 = gremium_teller_key_new (MEETING, VOTE, "teller-3");
  g_autoptr(GremiumTellerKey) elsewhere = gremium_teller_key_new (MEETING, "top-9", "teller-3");
  GBytes *s1 = gremium_teller_key_get_public_share (t1);
  GBytes *s2 = gremium_teller_key_get_public_share (t2);
  GBytes *s3 = gremium_teller_key_get_public_share (t3);
  g_autoptr(GBytes) rogue = NULL;
  g_autoptr(GBytes) stolen = NULL;
  g_autoptr(GBytes) bad_response = NULL;
  g_autoptr(GBytes) identity_key = NULL;
  g_autofree char *rogue_text = NULL;
  g_autofree char *zero_text = NULL;
  g_autofree char *scalar_text = random_scalar_base64 ();
  guint8 x[32], xg[32], rogue_key[32], zero[32] = { 0 };

  /* Teller 3 chooses Y3 = x G - Y1 - Y2 after seeing the others, so the
   * election key would be x G, known to teller 3 alone. It keeps its old
   * proof, as it cannot make a new one.
   */
  crypto_core_ristretto255_scalar_random (x);
  _gremium_scalarmult_base (xg, x);
  _gremium_point_sub (rogue_key, xg, gremium_teller_key_get_public_key (t1));
  _gremium_point_sub (rogue_key, rogue_key, gremium_teller_key_get_public_key (t2));
  rogue_text = gremium_base64_encode (rogue_key, 32);
  rogue = json_edit_string (s3, "key", rogue_text);

  stolen = json_edit_string (s1, "teller", "teller-3");
  bad_response = json_edit_string (s3, "proof/s", scalar_text);
  zero_text = gremium_base64_encode (zero, 32);
  identity_key = json_edit_string (s3, "key", zero_text);

  {
    struct {
      GBytes *shares[3];
      gint    code;
    } cases[] = {
      { { s1, s2, rogue }, GREMIUM_ERROR_BAD_PROOF },
      { { s2, stolen, NULL }, GREMIUM_ERROR_BAD_PROOF },
      { { s1, s2, bad_response }, GREMIUM_ERROR_BAD_PROOF },
      { { s1, s2, identity_key }, GREMIUM_ERROR_INVALID_FIELD },
      { { s1, s2, gremium_teller_key_get_public_share (elsewhere) }, GREMIUM_ERROR_INVALID_FIELD },
      { { s1, s2, s1 }, GREMIUM_ERROR_INVALID_FIELD },
      { { s1, s3, stolen }, GREMIUM_ERROR_INVALID_FIELD },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        for (guint reference = 0; reference < 2; reference++)
          {
            g_autoptr(GPtrArray) shares = g_ptr_array_new ();
            g_autoptr(GremiumElectionKey) key = NULL;
            g_autoptr(GError) error = NULL;

            for (guint k = 0; k < 3 && cases[i].shares[k] != NULL; k++)
              g_ptr_array_add (shares, cases[i].shares[k]);
            key = _gremium_election_key_new_full (MEETING, VOTE, 3, 1, 1, shares, reference, &error);
            g_test_message ("case %u: %s", i, error ? error->message : "(accepted)");
            g_assert_null (key);
            g_assert_error (error, GREMIUM_ERROR, cases[i].code);
          }
      }
  }

  /* The honest set works on both paths and gives the same key. */
  {
    g_autoptr(GPtrArray) shares = g_ptr_array_new ();
    g_autoptr(GremiumElectionKey) fast = NULL;
    g_autoptr(GremiumElectionKey) reference = NULL;
    g_autoptr(GError) error = NULL;
    guint8 sum[32];

    g_ptr_array_add (shares, s1);
    g_ptr_array_add (shares, s2);
    g_ptr_array_add (shares, s3);
    fast = gremium_election_key_new (MEETING, VOTE, 3, 1, 1, shares, &error);
    g_assert_no_error (error);
    reference = _gremium_election_key_new_full (MEETING, VOTE, 3, 1, 1, shares, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (gremium_election_key_get_public_key (fast), 32,
                     gremium_election_key_get_public_key (reference), 32);

    _gremium_point_add (sum, gremium_teller_key_get_public_key (t1),
                        gremium_teller_key_get_public_key (t2));
    _gremium_point_add (sum, sum, gremium_teller_key_get_public_key (t3));
    g_assert_cmpmem (gremium_election_key_get_public_key (fast), 32, sum, 32);
    g_assert_cmpuint (gremium_election_key_get_n_tellers (fast), ==, 3);
    g_assert_cmpstr (gremium_election_key_get_teller_id (fast, 2), ==, "teller-3");
  }
}

static void
test_duplicate_ballots (void)
{
  g_auto(Vote) vote = { 0 };
  g_autoptr(GremiumBallot) first = NULL;
  g_autoptr(GremiumBallot) second = NULL;
  g_autoptr(GremiumBallot) copy = NULL;
  g_autoptr(GremiumTally) tally = NULL;
  g_autoptr(GremiumTally) none = NULL;
  g_autoptr(GPtrArray) twice = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const guint8 yes[] = { 1, 0, 0 };
  const guint8 no[] = { 0, 1, 0 };

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 2, 0);
  first = cast (&vote, "alice", yes);
  second = cast (&vote, "alice", no);
  copy = reparse (first);

  tally = gremium_tally_new (vote.key);
  g_assert_true (gremium_tally_add_ballot (tally, first, &error));
  g_assert_false (gremium_tally_add_ballot (tally, second, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_REPLAYED);
  g_clear_error (&error);
  g_assert_false (gremium_tally_add_ballot (tally, copy, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_REPLAYED);
  g_clear_error (&error);
  g_assert_cmpuint (gremium_tally_get_n_ballots (tally), ==, 1);

  /* The same ballot twice in the record. */
  g_ptr_array_add (twice, gremium_ballot_get_bytes (first));
  g_ptr_array_add (twice, gremium_ballot_get_bytes (first));
  none = gremium_tally_new_verified (vote.key, twice, (const char * const []) { "alice", "alice" },
                                     NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_REPLAYED);
  g_assert_nonnull (strstr (error->message, "Ballot 2"));
  g_clear_error (&error);

  /* Alice's ballot presented as signed by bob. */
  g_ptr_array_set_size (twice, 1);
  none = gremium_tally_new_verified (vote.key, twice, (const char * const []) { "bob" },
                                     NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
}

static void
test_no_ballots (void)
{
  g_auto(Vote) vote = { 0 };
  g_autoptr(GremiumTally) tally = NULL;
  g_autoptr(GError) error = NULL;
  const guint expected[] = { 0, 0, 0, 0 };

  vote_setup (&vote, MEETING, VOTE, 4, 1, 1, 3, 0);
  tally = gremium_tally_new (vote.key);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GBytes) share = gremium_teller_key_decrypt (g_ptr_array_index (vote.tellers, i),
                                                            tally, &error);

      g_assert_no_error (error);
      g_assert_true (gremium_tally_add_decryption_share (tally, share, &error));
      g_assert_no_error (error);
    }
  assert_counts (tally, expected, 4);
}

typedef struct
{
  GMainLoop    *loop;
  GremiumTally *tally;
  GError       *error;
} AsyncResult;

static void
verified_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncResult *data = user_data;

  data->tally = gremium_tally_new_verified_finish (result, &data->error);
  g_main_loop_quit (data->loop);
}

static void
test_async_verification (void)
{
  g_auto(Vote) vote = { 0 };
  g_autoptr(GPtrArray) ballots = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) shares = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_auto(GStrv) voter_ids = g_new0 (char *, 11);
  g_autoptr(GremiumTally) tally = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  AsyncResult result = { loop, NULL, NULL };
  const guint expected[] = { 4, 3, 3 };

  vote_setup (&vote, MEETING, VOTE, 3, 1, 1, 3, 0);
  for (guint i = 0; i < 10; i++)
    {
      const guint8 choices[] = { i < 4, i >= 4 && i < 7, i >= 7 };
      g_autoptr(GremiumBallot) ballot = NULL;

      voter_ids[i] = g_strdup_printf ("member-%u", i);
      ballot = cast (&vote, voter_ids[i], choices);
      g_ptr_array_add (ballots, g_bytes_ref (gremium_ballot_get_bytes (ballot)));
    }

  tally = gremium_tally_new_verified (vote.key, ballots, (const char * const *) voter_ids, NULL,
                                      NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (shares, gremium_teller_key_decrypt (g_ptr_array_index (vote.tellers, i), tally,
                                                         &error));
  g_clear_object (&tally);

  /* A client verifies everything without blocking its main loop. */
  gremium_tally_new_verified_async (vote.key, ballots, (const char * const *) voter_ids, shares,
                                    NULL, verified_cb, &result);
  g_main_loop_run (loop);
  g_assert_no_error (result.error);
  assert_counts (result.tally, expected, 3);
  g_assert_finalize_object (g_steal_pointer (&result.tally));

  /* One forged ballot among them is named. */
  {
    g_autoptr(GPtrArray) forged_ballots = g_ptr_array_new ();
    const gint forged_values[] = { 2, -1, 0 };
    g_autoptr(GBytes) forged = forge_ballot (vote.key, "member-6", forged_values);

    for (guint i = 0; i < ballots->len; i++)
      g_ptr_array_add (forged_ballots, i == 6 ? forged : g_ptr_array_index (ballots, i));
    gremium_tally_new_verified_async (vote.key, forged_ballots, (const char * const *) voter_ids,
                                      shares, NULL, verified_cb, &result);
    g_main_loop_run (loop);
    g_assert_null (result.tally);
    g_assert_error (result.error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_PROOF);
    g_assert_nonnull (strstr (result.error->message, "Ballot 7"));
    g_assert_nonnull (strstr (result.error->message, "member-6"));
    g_clear_error (&result.error);
  }

  /* A ballot that does not parse is named as well. */
  {
    g_autoptr(GPtrArray) broken_ballots = g_ptr_array_new ();
    g_autoptr(GBytes) broken = g_bytes_new_static ("{\"v\":1}", 7);

    for (guint i = 0; i < ballots->len; i++)
      g_ptr_array_add (broken_ballots, i == 2 ? broken : g_ptr_array_index (ballots, i));
    gremium_tally_new_verified_async (vote.key, broken_ballots, (const char * const *) voter_ids,
                                      NULL, NULL, verified_cb, &result);
    g_main_loop_run (loop);
    g_assert_null (result.tally);
    g_assert_nonnull (result.error);
    g_assert_nonnull (strstr (result.error->message, "Ballot 3"));
    g_clear_error (&result.error);
  }

  /* Cancelled before it starts. */
  g_cancellable_cancel (cancellable);
  gremium_tally_new_verified_async (vote.key, ballots, (const char * const *) voter_ids, shares,
                                    cancellable, verified_cb, &result);
  g_main_loop_run (loop);
  g_assert_null (result.tally);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&result.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_assert_true (gremium_crypto_init (NULL));

  g_test_add_func ("/Gremium/Ballot/roundtrip-tracker", test_roundtrip_and_tracker);
  g_test_add_func ("/Gremium/Ballot/flow-yes-no-abstain", test_flow_yes_no_abstain);
  g_test_add_func ("/Gremium/Ballot/flow-election", test_flow_election);
  g_test_add_func ("/Gremium/Ballot/flow-multiple-marks", test_flow_multiple_marks);
  g_test_add_func ("/Gremium/Ballot/largest", test_largest_ballot);
  g_test_add_func ("/Gremium/Ballot/encrypt-rejects-bad-choices", test_encrypt_rejects_bad_choices);
  g_test_add_func ("/Gremium/Ballot/spec-conformance", test_spec_conformance);
  g_test_add_func ("/Gremium/Ballot/out-of-range-votes", test_out_of_range_votes);
  g_test_add_func ("/Gremium/Ballot/replay-other-voter", test_replay_for_other_voter);
  g_test_add_func ("/Gremium/Ballot/copy-other-vote", test_copy_to_other_vote);
  g_test_add_func ("/Gremium/Ballot/moved-options-proofs", test_moved_options_and_proofs);
  g_test_add_func ("/Gremium/Ballot/wrong-option-count", test_wrong_option_count);
  g_test_add_func ("/Gremium/Ballot/tamper-every-byte", test_tamper_every_byte);
  g_test_add_func ("/Gremium/Ballot/tamper-every-field", test_tamper_every_field);
  g_test_add_func ("/Gremium/Ballot/identity-non-canonical", test_identity_and_non_canonical);
  g_test_add_func ("/Gremium/Ballot/non-canonical-json", test_non_canonical_json);
  g_test_add_func ("/Gremium/Ballot/engines-agree", test_engines_agree);
  g_test_add_func ("/Gremium/Ballot/known-answer", test_known_answer);
  g_test_add_func ("/Gremium/Tally/missing-teller-share", test_missing_teller_share);
  g_test_add_func ("/Gremium/Tally/wrong-decryption-share", test_wrong_decryption_share);
  g_test_add_func ("/Gremium/Tally/rogue-teller-key", test_rogue_teller_key);
  g_test_add_func ("/Gremium/Tally/duplicate-ballots", test_duplicate_ballots);
  g_test_add_func ("/Gremium/Tally/no-ballots", test_no_ballots);
  g_test_add_func ("/Gremium/Tally/async", test_async_verification);

  return g_test_run ();
}
