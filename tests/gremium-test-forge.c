/* gremium-test-forge.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gremium-test-forge.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include <gremium-crypto.h>
#include <gremium-group-private.h>

/* The transcript of docs/voting-crypto.md §4, written again here (as in
 * tests/test-ballot.c) so that a forgery does not lean on the code it attacks.
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

  prefix[0] = 0;
  prefix[1] = 0;
  prefix[2] = (guint8) (label_len >> 8);
  prefix[3] = (guint8) label_len;
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
spec_common (SpecHash   *h,
             const char *domain)
{
  crypto_generichash_blake2b_init (&h->state, NULL, 0, 64);
  spec_string (h, "domain", domain);
  spec_string (h, "group", "ristretto255");
  spec_item (h, "generator", _gremium_group_generator (), 32);
}

static void
spec_begin (SpecHash           *h,
            const char         *domain,
            GremiumElectionKey *key,
            const char         *voter_id)
{
  spec_common (h, domain);
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

/* A disjunctive proof over [low, high] whose real branch is @claim. When the
 * ciphertext does not encrypt @claim, the challenges still add up but an
 * equation fails: the proof lies.
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

/**
 * gremium_test_forge_ballot:
 * @key: the vote's election key
 * @voter_id: who the ballot claims to be from
 * @values: the integer encrypted for each option, anything at all
 * @nonces: (nullable): 32 bytes per option, the encryption nonces; %NULL
 *   for random ones
 *
 * With values in {0, 1} that sum to an allowed count the ballot is honest
 * and must be accepted; otherwise its proofs lie about the values.
 *
 * Returns: (transfer full): the ballot document
 */
GBytes *
gremium_test_forge_ballot (GremiumElectionKey *key,
                           const char         *voter_id,
                           const gint         *values,
                           const guint8       *nonces)
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

      if (nonces != NULL)
        memcpy (r, nonces + 32 * j, 32);
      else
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

/**
 * gremium_test_forge_teller_share:
 * @meeting_id: the meeting
 * @vote_id: the vote
 * @teller_id: the teller the share claims to be from
 * @secret: (nullable): the teller's secret x, or %NULL to publish @key
 *   without knowing its logarithm (a rogue key)
 * @key: (nullable): with @secret %NULL, the public key Y to publish
 * @honest_proof: whether the Schnorr proof is computed properly (it can
 *   only be with @secret)
 *
 * Returns: (transfer full): a key-share document (docs/voting-crypto.md §5)
 */
GBytes *
gremium_test_forge_teller_share (const char   *meeting_id,
                                 const char   *vote_id,
                                 const char   *teller_id,
                                 const guint8  secret[32],
                                 const guint8  key[32],
                                 gboolean      honest_proof)
{
  guint8 y[32], w[32], a[32], c[32], s[32];
  g_autofree char *y_text = NULL;
  g_autofree char *a_text = NULL;
  g_autofree char *s_text = NULL;
  SpecHash hash;
  char *text;

  g_assert (secret != NULL || (key != NULL && !honest_proof));

  if (secret != NULL)
    _gremium_scalarmult_base (y, secret);
  else
    memcpy (y, key, 32);

  crypto_core_ristretto255_scalar_random (w);
  _gremium_scalarmult_base (a, w);

  spec_common (&hash, "gremium/v1/teller-key-proof");
  spec_string (&hash, "meeting", meeting_id);
  spec_string (&hash, "vote", vote_id);
  spec_string (&hash, "teller", teller_id);
  spec_item (&hash, "key", y, 32);
  spec_item (&hash, "commit-a", a, 32);
  spec_challenge (&hash, c);

  if (honest_proof)
    {
      crypto_core_ristretto255_scalar_mul (s, c, secret);
      crypto_core_ristretto255_scalar_add (s, s, w);
    }
  else
    {
      /* Without the secret the best a forger has is a guess. */
      crypto_core_ristretto255_scalar_random (s);
    }

  y_text = gremium_base64_encode (y, 32);
  a_text = gremium_base64_encode (a, 32);
  s_text = gremium_base64_encode (s, 32);
  text = g_strdup_printf ("{\"v\":1,\"meeting\":\"%s\",\"vote\":\"%s\",\"teller\":\"%s\","
                          "\"key\":\"%s\","
                          "\"proof\":{\"a\":\"%s\",\"s\":\"%s\"}}",
                          meeting_id, vote_id, teller_id, y_text, a_text, s_text);

  return g_bytes_new_take (text, strlen (text));
}

char *
gremium_test_bytes_to_base64 (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return gremium_base64_encode (data, len);
}

static JsonNode *
walk (JsonNode   *root,
      const char *path,
      char      **last)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i + 1] != NULL; i++)
    {
      if (JSON_NODE_HOLDS_ARRAY (node))
        node = json_array_get_element (json_node_get_array (node), atoi (parts[i]));
      else
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      g_assert_nonnull (node);
    }

  *last = g_strdup (parts[g_strv_length (parts) - 1]);
  return node;
}

/* Replaces one string in a JSON document (path like "options/0/proof/1/c")
 * and writes it back compactly, which is the canonical form of every
 * document of docs/voting-crypto.md.
 */
GBytes *
gremium_test_json_set_string (GBytes     *document,
                              const char *path,
                              const char *value)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *last = NULL;
  JsonNode *node;
  gsize len;
  char *text;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (document, NULL),
                                             g_bytes_get_size (document), NULL));
  node = walk (json_parser_get_root (parser), path, &last);

  if (JSON_NODE_HOLDS_ARRAY (node))
    json_node_set_string (json_array_get_element (json_node_get_array (node), atoi (last)), value);
  else
    json_object_set_string_member (json_node_get_object (node), last, value);

  json_generator_set_root (generator, json_parser_get_root (parser));
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

char *
gremium_test_json_get_string (GBytes     *document,
                              const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *last = NULL;
  JsonNode *node;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (document, NULL),
                                             g_bytes_get_size (document), NULL));
  node = walk (json_parser_get_root (parser), path, &last);

  if (JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup (json_array_get_string_element (json_node_get_array (node), atoi (last)));

  return g_strdup (json_object_get_string_member (json_node_get_object (node), last));
}
