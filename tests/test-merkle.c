/* test-merkle.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gremium-error.h"
#include "gremium-merkle-tree.h"
#include "gremium-merkle-tree-private.h"

/* The reference vectors of RFC 6962 as the Certificate Transparency code
 * bases carry them: the eight leaves, the roots of the trees of size 1 to 8,
 * and a set of inclusion and consistency proofs. Copied from
 * github.com/transparency-dev/merkle, file proof/verify_test.go (variables
 * `leaves`, `roots`, `inclusionProofs`, `consistencyProofs`), which took them
 * from google/certificate-transparency. Leaf numbers there are 1-based; the
 * indices below are 0-based.
 */
static const char * const reference_leaves[] = {
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
};

static const char * const reference_roots[] = {
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

typedef struct
{
  guint64     a;               /* leaf index, or old size */
  guint64     b;               /* tree size, or new size */
  const char *proof[3];
} ReferenceProof;

static const ReferenceProof reference_inclusion[] = {
  { 0, 1, { NULL } },
  { 0, 8, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
  { 5, 8, { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
  { 2, 3, { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" } },
  { 1, 5, { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
};

static const ReferenceProof reference_consistency[] = {
  { 1, 1, { NULL } },
  { 1, 8, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
  { 6, 8, { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
  { 2, 5, { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
  { 6, 7, { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
};

/* SHA-256("") */
static const char empty_root_hex[] =
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

static GBytes *
hex_decode (const char *hex)
{
  gsize len = strlen (hex);
  guint8 *out;

  g_assert (len % 2 == 0);

  out = g_malloc (len / 2 + 1);
  for (gsize i = 0; i < len / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      g_assert (hi >= 0 && lo >= 0);
      out[i] = (guint8) (hi << 4 | lo);
    }

  return g_bytes_new_take (out, len / 2);
}

static void
hex_decode_hash (const char *hex,
                 guint8      out[GREMIUM_HASH_SIZE])
{
  g_autoptr(GBytes) bytes = hex_decode (hex);

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, GREMIUM_HASH_SIZE);
  memcpy (out, g_bytes_get_data (bytes, NULL), GREMIUM_HASH_SIZE);
}

static GBytes *
reference_proof_bytes (const ReferenceProof *vector)
{
  GByteArray *proof = g_byte_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (vector->proof) && vector->proof[i] != NULL; i++)
    {
      guint8 hash[GREMIUM_HASH_SIZE];

      hex_decode_hash (vector->proof[i], hash);
      g_byte_array_append (proof, hash, sizeof hash);
    }

  return g_byte_array_free_to_bytes (proof);
}

static GremiumMerkleTree *
reference_tree (void)
{
  GremiumMerkleTree *tree = gremium_merkle_tree_new ();

  for (guint i = 0; i < G_N_ELEMENTS (reference_leaves); i++)
    {
      g_autoptr(GBytes) entry = hex_decode (reference_leaves[i]);
      gsize len;
      const guint8 *data = g_bytes_get_data (entry, &len);

      g_assert_cmpuint (gremium_merkle_tree_append (tree, data, len), ==, i);
    }

  return tree;
}

static GBytes *
bytes_with_flip (GBytes *bytes,
                 gsize   position)
{
  gsize len;
  guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, &len), g_bytes_get_size (bytes));

  g_assert (position < len);
  copy[position] ^= 0x01;

  return g_bytes_new_take (copy, len);
}

/* A proof with one hash more or less, for the length checks. */
static GBytes *
bytes_resized (GBytes       *bytes,
               const guint8 *prefix,
               gboolean      drop_last)
{
  GByteArray *out = g_byte_array_new ();
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (prefix != NULL)
    g_byte_array_append (out, prefix, GREMIUM_HASH_SIZE);
  if (len > 0)
    g_byte_array_append (out, data, drop_last ? len - GREMIUM_HASH_SIZE : len);

  return g_byte_array_free_to_bytes (out);
}

static GBytes *
bytes_appended (GBytes       *bytes,
                const guint8 *hash)
{
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_byte_array_append (out, hash, GREMIUM_HASH_SIZE);

  return g_byte_array_free_to_bytes (out);
}

static void
assert_rejected (gboolean  ok,
                 GError   *error)
{
  g_assert_false (ok);
  g_assert_nonnull (error);
  g_assert_true (error->domain == GREMIUM_ERROR);
  g_assert_true (error->code == GREMIUM_ERROR_INVALID_FIELD ||
                 error->code == GREMIUM_ERROR_LOG_INCONSISTENT);
}

static gboolean
inclusion_fails (const guint8 *leaf_hash,
                 guint64       index,
                 guint64       size,
                 GBytes       *proof,
                 const guint8 *root)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = gremium_merkle_verify_inclusion (leaf_hash, index, size, proof, root, &error);

  assert_rejected (ok, error);
  return !ok;
}

static gboolean
consistency_fails (guint64       old_size,
                   guint64       new_size,
                   const guint8 *old_root,
                   const guint8 *new_root,
                   GBytes       *proof)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = gremium_merkle_verify_consistency (old_size, new_size, old_root, new_root,
                                                   proof, &error);

  assert_rejected (ok, error);
  return !ok;
}

/* The RFC 6962 definitions, transcribed as directly as possible: MTH, PATH
 * and PROOF/SUBPROOF recompute everything from the leaf hashes. They are the
 * oracle the tree's stored-subtree algorithms are held to.
 */
static guint64
naive_split (guint64 n)
{
  guint64 k = 1;

  while (k * 2 < n)
    k *= 2;

  return k;
}

static void
naive_mth (const guint8 (*leaves)[GREMIUM_HASH_SIZE],
           guint64        start,
           guint64        n,
           guint8         out[GREMIUM_HASH_SIZE])
{
  guint8 left[GREMIUM_HASH_SIZE];
  guint8 right[GREMIUM_HASH_SIZE];
  guint64 k;

  if (n == 0)
    {
      hex_decode_hash (empty_root_hex, out);
      return;
    }

  if (n == 1)
    {
      memcpy (out, leaves[start], GREMIUM_HASH_SIZE);
      return;
    }

  k = naive_split (n);
  naive_mth (leaves, start, k, left);
  naive_mth (leaves, start + k, n - k, right);
  gremium_merkle_node_hash (left, right, out);
}

static void
naive_path (const guint8 (*leaves)[GREMIUM_HASH_SIZE],
            guint64        m,
            guint64        start,
            guint64        n,
            GByteArray    *out)
{
  guint8 hash[GREMIUM_HASH_SIZE];
  guint64 k;

  if (n == 1)
    return;

  k = naive_split (n);
  if (m < k)
    {
      naive_path (leaves, m, start, k, out);
      naive_mth (leaves, start + k, n - k, hash);
    }
  else
    {
      naive_path (leaves, m - k, start + k, n - k, out);
      naive_mth (leaves, start, k, hash);
    }

  g_byte_array_append (out, hash, sizeof hash);
}

static void
naive_subproof (const guint8 (*leaves)[GREMIUM_HASH_SIZE],
                guint64        m,
                guint64        start,
                guint64        n,
                gboolean       b,
                GByteArray    *out)
{
  guint8 hash[GREMIUM_HASH_SIZE];
  guint64 k;

  if (m == n)
    {
      if (!b)
        {
          naive_mth (leaves, start, n, hash);
          g_byte_array_append (out, hash, sizeof hash);
        }
      return;
    }

  k = naive_split (n);
  if (m <= k)
    {
      naive_subproof (leaves, m, start, k, b, out);
      naive_mth (leaves, start + k, n - k, hash);
    }
  else
    {
      naive_subproof (leaves, m - k, start + k, n - k, FALSE, out);
      naive_mth (leaves, start, k, hash);
    }

  g_byte_array_append (out, hash, sizeof hash);
}

static void
test_merkle_hashes (void)
{
  g_autoptr(GremiumMerkleTree) tree = gremium_merkle_tree_new ();
  g_autoptr(GremiumMerkleTree) by_hash = gremium_merkle_tree_new ();
  guint8 expected[GREMIUM_HASH_SIZE];
  guint8 leaf[GREMIUM_HASH_SIZE];
  guint8 node[GREMIUM_HASH_SIZE];
  guint8 root[GREMIUM_HASH_SIZE];
  guint8 other[GREMIUM_HASH_SIZE];

  /* The leaf hash of the empty entry is the root of the one-leaf tree. */
  gremium_merkle_leaf_hash (NULL, 0, leaf);
  hex_decode_hash (reference_roots[0], expected);
  g_assert_cmpmem (leaf, sizeof leaf, expected, sizeof expected);

  /* The empty tree's root is SHA-256 of nothing. */
  g_assert_cmpuint (gremium_merkle_tree_get_size (tree), ==, 0);
  g_assert_true (gremium_merkle_tree_get_root (tree, 0, root));
  hex_decode_hash (empty_root_hex, expected);
  g_assert_cmpmem (root, sizeof root, expected, sizeof expected);
  g_assert_false (gremium_merkle_tree_get_root (tree, 1, root));
  g_assert_false (gremium_merkle_tree_get_leaf_hash (tree, 0, leaf));

  /* The node hash is order-sensitive and domain-separated from leaves: the
   * two-leaf root is not the leaf hash of the two leaf hashes concatenated.
   */
  gremium_merkle_leaf_hash ((const guint8 *) "\x00", 1, other);
  gremium_merkle_leaf_hash (NULL, 0, leaf);
  gremium_merkle_node_hash (leaf, other, node);
  hex_decode_hash (reference_roots[1], expected);
  g_assert_cmpmem (node, sizeof node, expected, sizeof expected);
  gremium_merkle_node_hash (other, leaf, node);
  g_assert_true (memcmp (node, expected, sizeof node) != 0);

  /* Appending an entry and appending its leaf hash build the same tree. */
  for (guint i = 0; i < 5; i++)
    {
      char entry[16];

      g_snprintf (entry, sizeof entry, "entry %u", i);
      gremium_merkle_leaf_hash ((const guint8 *) entry, strlen (entry), leaf);
      g_assert_cmpuint (gremium_merkle_tree_append (tree, (const guint8 *) entry,
                                                    strlen (entry)), ==, i);
      g_assert_cmpuint (gremium_merkle_tree_append_leaf_hash (by_hash, leaf), ==, i);
      g_assert_true (gremium_merkle_tree_get_leaf_hash (tree, i, other));
      g_assert_cmpmem (other, sizeof other, leaf, sizeof leaf);
    }

  g_assert_true (gremium_merkle_tree_get_root (tree, 5, root));
  g_assert_true (gremium_merkle_tree_get_root (by_hash, 5, other));
  g_assert_cmpmem (root, sizeof root, other, sizeof other);

  g_assert_finalize_object (g_steal_pointer (&tree));
  g_assert_finalize_object (g_steal_pointer (&by_hash));
}

static void
test_merkle_reference_roots (void)
{
  g_autoptr(GremiumMerkleTree) tree = gremium_merkle_tree_new ();

  /* Each root is checked as the tree grows and again, as a historical root,
   * once the tree holds all eight leaves.
   */
  for (guint i = 0; i < G_N_ELEMENTS (reference_leaves); i++)
    {
      g_autoptr(GBytes) entry = hex_decode (reference_leaves[i]);
      guint8 expected[GREMIUM_HASH_SIZE];
      guint8 root[GREMIUM_HASH_SIZE];
      gsize len;
      const guint8 *data = g_bytes_get_data (entry, &len);

      gremium_merkle_tree_append (tree, data, len);
      hex_decode_hash (reference_roots[i], expected);
      g_assert_true (gremium_merkle_tree_get_root (tree, i + 1, root));
      g_assert_cmpmem (root, sizeof root, expected, sizeof expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (reference_roots); i++)
    {
      guint8 expected[GREMIUM_HASH_SIZE];
      guint8 root[GREMIUM_HASH_SIZE];

      hex_decode_hash (reference_roots[i], expected);
      g_assert_true (gremium_merkle_tree_get_root (tree, i + 1, root));
      g_assert_cmpmem (root, sizeof root, expected, sizeof expected);
    }

  g_assert_finalize_object (g_steal_pointer (&tree));
}

static void
test_merkle_reference_inclusion (void)
{
  g_autoptr(GremiumMerkleTree) tree = reference_tree ();
  guint8 some_hash[GREMIUM_HASH_SIZE];
  guint8 empty_root[GREMIUM_HASH_SIZE];

  hex_decode_hash ("abacaba000000000000000000000000000000000000000000060061e00123456", some_hash);
  hex_decode_hash (empty_root_hex, empty_root);

  for (guint v = 0; v < G_N_ELEMENTS (reference_inclusion); v++)
    {
      const ReferenceProof *vector = &reference_inclusion[v];
      g_autoptr(GBytes) expected = reference_proof_bytes (vector);
      g_autoptr(GBytes) proof = NULL;
      g_autoptr(GError) error = NULL;
      guint8 leaf[GREMIUM_HASH_SIZE];
      guint8 root[GREMIUM_HASH_SIZE];
      gsize n_hashes = g_bytes_get_size (expected) / GREMIUM_HASH_SIZE;

      g_test_message ("inclusion of leaf %" G_GUINT64_FORMAT " in size %" G_GUINT64_FORMAT,
                      vector->a, vector->b);

      proof = gremium_merkle_tree_prove_inclusion (tree, vector->a, vector->b, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (proof, expected));

      g_assert_true (gremium_merkle_tree_get_leaf_hash (tree, vector->a, leaf));
      hex_decode_hash (reference_roots[vector->b - 1], root);
      g_assert_true (gremium_merkle_verify_inclusion (leaf, vector->a, vector->b, proof, root,
                                                      &error));
      g_assert_no_error (error);

      /* The corruptions that transparency-dev/merkle's verifierCheck tries. */
      if (vector->a > 0)
        g_assert_true (inclusion_fails (leaf, vector->a - 1, vector->b, proof, root));
      g_assert_true (inclusion_fails (leaf, vector->a + 1, vector->b, proof, root));
      g_assert_true (inclusion_fails (leaf, vector->a ^ 2, vector->b, proof, root));
      g_assert_true (inclusion_fails (leaf, vector->a, vector->b * 2, proof, root));
      g_assert_true (inclusion_fails (leaf, vector->a, vector->b / 2, proof, root));
      g_assert_true (inclusion_fails (some_hash, vector->a, vector->b, proof, root));
      g_assert_true (inclusion_fails (leaf, vector->a, vector->b, proof, empty_root));
      g_assert_true (inclusion_fails (leaf, vector->a, vector->b, proof, some_hash));

      {
        g_autoptr(GBytes) trailing = bytes_appended (proof, root);
        g_autoptr(GBytes) preceding = bytes_resized (proof, root, FALSE);

        g_assert_true (inclusion_fails (leaf, vector->a, vector->b, trailing, root));
        g_assert_true (inclusion_fails (leaf, vector->a, vector->b, preceding, root));
      }

      for (gsize i = 0; i < n_hashes; i++)
        {
          g_autoptr(GBytes) flipped = bytes_with_flip (proof, i * GREMIUM_HASH_SIZE);

          g_assert_true (inclusion_fails (leaf, vector->a, vector->b, flipped, root));
        }

      if (n_hashes > 0)
        {
          g_autoptr(GBytes) shorter = bytes_resized (proof, NULL, TRUE);

          g_assert_true (inclusion_fails (leaf, vector->a, vector->b, shorter, root));
        }
    }

  g_assert_finalize_object (g_steal_pointer (&tree));
}

static void
test_merkle_reference_consistency (void)
{
  g_autoptr(GremiumMerkleTree) tree = reference_tree ();
  guint8 some_hash[GREMIUM_HASH_SIZE];

  hex_decode_hash ("abacaba000000000000000000000000000000000000000000060061e00123456", some_hash);

  for (guint v = 0; v < G_N_ELEMENTS (reference_consistency); v++)
    {
      const ReferenceProof *vector = &reference_consistency[v];
      g_autoptr(GBytes) expected = reference_proof_bytes (vector);
      g_autoptr(GBytes) proof = NULL;
      g_autoptr(GError) error = NULL;
      guint8 old_root[GREMIUM_HASH_SIZE];
      guint8 new_root[GREMIUM_HASH_SIZE];
      gsize n_hashes = g_bytes_get_size (expected) / GREMIUM_HASH_SIZE;

      g_test_message ("consistency from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT,
                      vector->a, vector->b);

      proof = gremium_merkle_tree_prove_consistency (tree, vector->a, vector->b, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (proof, expected));

      hex_decode_hash (reference_roots[vector->a - 1], old_root);
      hex_decode_hash (reference_roots[vector->b - 1], new_root);
      g_assert_true (gremium_merkle_verify_consistency (vector->a, vector->b, old_root, new_root,
                                                        proof, &error));
      g_assert_no_error (error);

      if (n_hashes == 0)
        {
          /* Equal sizes: the roots must be equal. */
          g_assert_true (consistency_fails (vector->a, vector->b, old_root, some_hash, proof));
          continue;
        }

      /* The corruptions that transparency-dev/merkle's
       * verifierConsistencyCheck tries.
       */
      g_assert_true (consistency_fails (vector->a - 1, vector->b, old_root, new_root, proof));
      g_assert_true (consistency_fails (vector->a + 1, vector->b, old_root, new_root, proof));
      g_assert_true (consistency_fails (vector->a ^ 2, vector->b, old_root, new_root, proof));
      g_assert_true (consistency_fails (vector->a, vector->b * 2, old_root, new_root, proof));
      g_assert_true (consistency_fails (vector->a, vector->b / 2, old_root, new_root, proof));
      g_assert_true (consistency_fails (vector->a, vector->b, some_hash, new_root, proof));
      g_assert_true (consistency_fails (vector->a, vector->b, old_root, some_hash, proof));
      g_assert_true (consistency_fails (vector->a, vector->b, new_root, old_root, proof));
      g_assert_true (consistency_fails (vector->a, vector->b, old_root, new_root, NULL));

      {
        g_autoptr(GBytes) preceding_old = bytes_resized (proof, old_root, FALSE);
        g_autoptr(GBytes) preceding_new = bytes_resized (proof, new_root, FALSE);
        g_autoptr(GBytes) preceding_first = bytes_resized (proof,
                                                           g_bytes_get_data (proof, NULL),
                                                           FALSE);
        g_autoptr(GBytes) truncated = bytes_resized (proof, NULL, TRUE);

        g_assert_true (consistency_fails (vector->a, vector->b, old_root, new_root,
                                          preceding_old));
        g_assert_true (consistency_fails (vector->a, vector->b, old_root, new_root,
                                          preceding_new));
        g_assert_true (consistency_fails (vector->a, vector->b, old_root, new_root,
                                          preceding_first));
        g_assert_true (consistency_fails (vector->a, vector->b, old_root, new_root, truncated));
      }

      for (gsize i = 0; i < n_hashes; i++)
        {
          g_autoptr(GBytes) flipped = bytes_with_flip (proof, i * GREMIUM_HASH_SIZE);

          g_assert_true (consistency_fails (vector->a, vector->b, old_root, new_root, flipped));
        }
    }

  g_assert_finalize_object (g_steal_pointer (&tree));
}

static void
test_merkle_bad_arguments (void)
{
  g_autoptr(GremiumMerkleTree) tree = reference_tree ();
  g_autoptr(GBytes) proof = NULL;
  g_autoptr(GBytes) odd = g_bytes_new_static ("0123456789012345678901234567890", 31);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GError) error = NULL;
  guint8 empty_root[GREMIUM_HASH_SIZE];
  guint8 root[GREMIUM_HASH_SIZE];
  guint8 root4[GREMIUM_HASH_SIZE];
  guint8 leaf[GREMIUM_HASH_SIZE];

  hex_decode_hash (empty_root_hex, empty_root);
  g_assert_true (gremium_merkle_tree_get_root (tree, 8, root));
  g_assert_true (gremium_merkle_tree_get_root (tree, 4, root4));
  g_assert_true (gremium_merkle_tree_get_leaf_hash (tree, 0, leaf));

  /* Proving beyond the tree, or a leaf outside the requested size. */
  proof = gremium_merkle_tree_prove_inclusion (tree, 0, 9, &error);
  g_assert_null (proof);
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  proof = gremium_merkle_tree_prove_inclusion (tree, 4, 4, &error);
  g_assert_null (proof);
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  proof = gremium_merkle_tree_prove_consistency (tree, 5, 4, &error);
  g_assert_null (proof);
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  proof = gremium_merkle_tree_prove_consistency (tree, 4, 9, &error);
  g_assert_null (proof);
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  /* Empty old trees and equal sizes have empty proofs. */
  for (guint64 size = 0; size <= 8; size++)
    {
      g_autoptr(GBytes) from_empty = gremium_merkle_tree_prove_consistency (tree, 0, size, &error);
      g_autoptr(GBytes) same = gremium_merkle_tree_prove_consistency (tree, size, size, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (from_empty), ==, 0);
      g_assert_cmpuint (g_bytes_get_size (same), ==, 0);
    }

  /* Verification: an index outside the tree, the empty tree, a reversed pair
   * of sizes, and proofs that are not whole hashes or have the wrong count.
   */
  g_assert_false (gremium_merkle_verify_inclusion (leaf, 8, 8, empty, root, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  g_assert_false (gremium_merkle_verify_inclusion (leaf, 0, 0, NULL, empty_root, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  g_assert_false (gremium_merkle_verify_inclusion (leaf, 0, 8, odd, root, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_false (gremium_merkle_verify_inclusion (leaf, 0, 8, empty, root, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_false (gremium_merkle_verify_consistency (5, 4, root, root4, empty, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  g_assert_false (gremium_merkle_verify_consistency (4, 8, root4, root, odd, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  g_assert_false (gremium_merkle_verify_consistency (3, 8, root4, root, empty, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Equal sizes: any non-empty proof is refused, different roots are a fork,
   * and that holds for two empty trees as well.
   */
  g_assert_false (gremium_merkle_verify_consistency (4, 4, root4, root4, odd, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  g_assert_false (gremium_merkle_verify_consistency (4, 4, root4, root, NULL, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_false (gremium_merkle_verify_consistency (0, 0, empty_root, root, NULL, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
  g_clear_error (&error);

  g_assert_true (gremium_merkle_verify_consistency (0, 0, empty_root, empty_root, NULL, &error));
  g_assert_no_error (error);

  /* The empty tree is a prefix of every tree; a proof for it must be empty. */
  g_assert_true (gremium_merkle_verify_consistency (0, 8, empty_root, root, empty, &error));
  g_assert_no_error (error);
  g_assert_false (gremium_merkle_verify_consistency (0, 8, empty_root, root, odd, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  /* Sizes near the top of the range must not overflow any shift. */
  g_assert_false (gremium_merkle_verify_inclusion (leaf, G_MAXUINT64 - 1, G_MAXUINT64, empty,
                                                   root, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_false (gremium_merkle_verify_consistency (G_MAXUINT64 - 1, G_MAXUINT64, root4, root,
                                                     empty, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  g_assert_finalize_object (g_steal_pointer (&tree));
}

#define EXHAUSTIVE_MAX_SIZE 70

typedef struct
{
  GremiumMerkleTree *tree;
  guint8             leaves[EXHAUSTIVE_MAX_SIZE][GREMIUM_HASH_SIZE];
  guint8             roots[EXHAUSTIVE_MAX_SIZE + 1][GREMIUM_HASH_SIZE];
} Exhaustive;

static void
exhaustive_setup (Exhaustive    *fixture,
                  gconstpointer  user_data)
{
  fixture->tree = gremium_merkle_tree_new ();

  for (guint i = 0; i < EXHAUSTIVE_MAX_SIZE; i++)
    {
      g_autofree char *entry = g_strdup_printf ("Tagesordnungspunkt %u", i);

      gremium_merkle_leaf_hash ((const guint8 *) entry, strlen (entry), fixture->leaves[i]);
      g_assert_cmpuint (gremium_merkle_tree_append (fixture->tree, (const guint8 *) entry,
                                                    strlen (entry)), ==, i);
    }

  for (guint n = 0; n <= EXHAUSTIVE_MAX_SIZE; n++)
    {
      guint8 root[GREMIUM_HASH_SIZE];

      naive_mth ((const guint8 (*)[GREMIUM_HASH_SIZE]) fixture->leaves, 0, n, fixture->roots[n]);
      g_assert_true (gremium_merkle_tree_get_root (fixture->tree, n, root));
      g_assert_cmpmem (root, sizeof root, fixture->roots[n], sizeof root);
    }
}

static void
exhaustive_teardown (Exhaustive    *fixture,
                     gconstpointer  user_data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->tree));
}

static void
test_merkle_exhaustive_inclusion (Exhaustive    *fixture,
                                  gconstpointer  user_data)
{
  const guint8 (*leaves)[GREMIUM_HASH_SIZE] = (const guint8 (*)[GREMIUM_HASH_SIZE]) fixture->leaves;

  for (guint64 n = 1; n <= EXHAUSTIVE_MAX_SIZE; n++)
    {
      for (guint64 i = 0; i < n; i++)
        {
          g_autoptr(GByteArray) expected = g_byte_array_new ();
          g_autoptr(GBytes) proof = NULL;
          g_autoptr(GError) error = NULL;
          guint8 wrong[GREMIUM_HASH_SIZE];
          gsize len;

          proof = gremium_merkle_tree_prove_inclusion (fixture->tree, i, n, &error);
          g_assert_no_error (error);

          naive_path (leaves, i, 0, n, expected);
          g_assert_cmpmem (g_bytes_get_data (proof, NULL), g_bytes_get_size (proof),
                           expected->data, expected->len);

          g_assert_true (gremium_merkle_verify_inclusion (leaves[i], i, n, proof,
                                                          fixture->roots[n], &error));
          g_assert_no_error (error);

          /* Any changed byte of the proof leads to another root. */
          len = g_bytes_get_size (proof);
          for (gsize b = 0; b < len; b++)
            {
              g_autoptr(GBytes) flipped = bytes_with_flip (proof, b);

              g_assert_false (gremium_merkle_verify_inclusion (leaves[i], i, n, flipped,
                                                               fixture->roots[n], &error));
              g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
              g_clear_error (&error);
            }

          /* The proof fits no other position in the same tree. */
          for (guint64 j = 0; j < n; j++)
            {
              if (j != i)
                g_assert_true (inclusion_fails (leaves[i], j, n, proof, fixture->roots[n]));
            }

          /* Nor the tree of any other size, checked against that tree's own
           * root: the pair of size and root a checkpoint would sign.
           */
          for (guint64 m = i + 1; m <= EXHAUSTIVE_MAX_SIZE; m++)
            {
              if (m != n)
                g_assert_true (inclusion_fails (leaves[i], i, m, proof, fixture->roots[m]));
            }

          /* Nor another leaf, nor another root. */
          memcpy (wrong, leaves[i], sizeof wrong);
          wrong[i % GREMIUM_HASH_SIZE] ^= 0x80;
          g_assert_true (inclusion_fails (wrong, i, n, proof, fixture->roots[n]));
          if (n > 1)
            g_assert_true (inclusion_fails (leaves[(i + 1) % n], i, n, proof, fixture->roots[n]));

          memcpy (wrong, fixture->roots[n], sizeof wrong);
          wrong[n % GREMIUM_HASH_SIZE] ^= 0x80;
          g_assert_true (inclusion_fails (leaves[i], i, n, proof, wrong));

          /* One hash more or less. */
          {
            g_autoptr(GBytes) longer = bytes_resized (proof, fixture->roots[n], FALSE);

            g_assert_true (inclusion_fails (leaves[i], i, n, longer, fixture->roots[n]));
            if (len > 0)
              {
                g_autoptr(GBytes) shorter = bytes_resized (proof, NULL, TRUE);

                g_assert_true (inclusion_fails (leaves[i], i, n, shorter, fixture->roots[n]));
              }
          }
        }
    }
}

static void
test_merkle_exhaustive_consistency (Exhaustive    *fixture,
                                    gconstpointer  user_data)
{
  const guint8 (*leaves)[GREMIUM_HASH_SIZE] = (const guint8 (*)[GREMIUM_HASH_SIZE]) fixture->leaves;
  guint8 (*roots)[GREMIUM_HASH_SIZE] = fixture->roots;

  for (guint64 n = 1; n <= EXHAUSTIVE_MAX_SIZE; n++)
    {
      for (guint64 m = 0; m <= n; m++)
        {
          g_autoptr(GByteArray) expected = g_byte_array_new ();
          g_autoptr(GBytes) proof = NULL;
          g_autoptr(GError) error = NULL;
          guint8 wrong[GREMIUM_HASH_SIZE];
          gsize len;

          proof = gremium_merkle_tree_prove_consistency (fixture->tree, m, n, &error);
          g_assert_no_error (error);

          if (0 < m && m < n)
            naive_subproof (leaves, m, 0, n, TRUE, expected);
          g_assert_cmpmem (g_bytes_get_data (proof, NULL), g_bytes_get_size (proof),
                           expected->data, expected->len);

          g_assert_true (gremium_merkle_verify_consistency (m, n, roots[m], roots[n], proof,
                                                            &error));
          g_assert_no_error (error);

          memcpy (wrong, roots[n], sizeof wrong);
          wrong[(m + n) % GREMIUM_HASH_SIZE] ^= 0x80;

          if (m == 0)
            {
              /* The empty tree is a prefix of everything: nothing to fail. */
              continue;
            }

          if (m == n)
            {
              g_assert_true (consistency_fails (m, n, roots[m], wrong, proof));
              g_assert_true (consistency_fails (m, n, wrong, roots[n], proof));
              continue;
            }

          len = g_bytes_get_size (proof);
          for (gsize b = 0; b < len; b++)
            {
              g_autoptr(GBytes) flipped = bytes_with_flip (proof, b);

              g_assert_false (gremium_merkle_verify_consistency (m, n, roots[m], roots[n],
                                                                 flipped, &error));
              g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT);
              g_clear_error (&error);
            }

          /* Other old or new sizes, each with its own correct root. */
          for (guint64 k = 0; k <= n; k++)
            {
              if (k != m)
                g_assert_true (consistency_fails (k, n, roots[k], roots[n], proof));
            }
          for (guint64 k = m; k <= EXHAUSTIVE_MAX_SIZE; k++)
            {
              if (k != n)
                g_assert_true (consistency_fails (m, k, roots[m], roots[k], proof));
            }

          /* Wrong or swapped roots. */
          g_assert_true (consistency_fails (m, n, roots[m], wrong, proof));
          g_assert_true (consistency_fails (m, n, wrong, roots[n], proof));
          g_assert_true (consistency_fails (m, n, roots[n], roots[m], proof));

          /* One hash more or less, and no proof at all. */
          {
            g_autoptr(GBytes) longer = bytes_resized (proof, roots[m], FALSE);
            g_autoptr(GBytes) shorter = bytes_resized (proof, NULL, TRUE);

            g_assert_true (consistency_fails (m, n, roots[m], roots[n], longer));
            g_assert_true (consistency_fails (m, n, roots[m], roots[n], shorter));
            g_assert_true (consistency_fails (m, n, roots[m], roots[n], NULL));
          }
        }
    }
}

static guint
ceil_log2 (guint64 n)
{
  guint bits = 0;

  while ((G_GUINT64_CONSTANT (1) << bits) < n)
    bits++;

  return bits;
}

static void
test_merkle_cost (void)
{
  const guint64 n = 100003;
  g_autoptr(GremiumMerkleTree) tree = gremium_merkle_tree_new ();
  guint64 before;

  /* Leaf hashes are made outside the tree so that only its own work counts. */
  for (guint64 i = 0; i < n; i++)
    {
      guint8 leaf[GREMIUM_HASH_SIZE];
      guint8 entry[8];

      for (guint b = 0; b < 8; b++)
        entry[b] = (guint8) (i >> (56 - 8 * b));
      gremium_merkle_leaf_hash (entry, sizeof entry, leaf);
      gremium_merkle_tree_append_leaf_hash (tree, leaf);
    }

  /* Appending costs fewer node hashes than entries in all. */
  g_assert_cmpuint (_gremium_merkle_tree_get_hash_count (tree), <, n);

  /* A root at any size, and proofs at any sizes, take at most log₂(n)
   * hashes; a recomputation from the leaves would take about n.
   */
  for (guint64 size = 1; size <= n; size += 997)
    {
      guint64 sizes[] = { size, n - size + 1 };

      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          guint64 tree_size = sizes[s];
          guint64 index = (tree_size * 7919) % tree_size;
          guint64 old_size = tree_size / 3 + 1;
          g_autoptr(GBytes) inclusion = NULL;
          g_autoptr(GBytes) consistency = NULL;
          g_autoptr(GError) error = NULL;
          guint8 root[GREMIUM_HASH_SIZE];
          guint8 old_root[GREMIUM_HASH_SIZE];
          guint8 leaf[GREMIUM_HASH_SIZE];

          before = _gremium_merkle_tree_get_hash_count (tree);
          g_assert_true (gremium_merkle_tree_get_root (tree, tree_size, root));
          g_assert_cmpuint (_gremium_merkle_tree_get_hash_count (tree) - before, <=,
                            ceil_log2 (tree_size));

          index = (index + tree_size - 1) % tree_size;
          before = _gremium_merkle_tree_get_hash_count (tree);
          inclusion = gremium_merkle_tree_prove_inclusion (tree, index, tree_size, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (_gremium_merkle_tree_get_hash_count (tree) - before, <=,
                            ceil_log2 (tree_size));

          old_size = MIN (old_size, tree_size);
          before = _gremium_merkle_tree_get_hash_count (tree);
          consistency = gremium_merkle_tree_prove_consistency (tree, old_size, tree_size, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (_gremium_merkle_tree_get_hash_count (tree) - before, <=,
                            ceil_log2 (tree_size));

          g_assert_true (gremium_merkle_tree_get_leaf_hash (tree, index, leaf));
          g_assert_true (gremium_merkle_verify_inclusion (leaf, index, tree_size, inclusion,
                                                          root, &error));
          g_assert_no_error (error);
          g_assert_true (gremium_merkle_tree_get_root (tree, old_size, old_root));
          g_assert_true (gremium_merkle_verify_consistency (old_size, tree_size, old_root, root,
                                                            consistency, &error));
          g_assert_no_error (error);
        }
    }

  g_assert_finalize_object (g_steal_pointer (&tree));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Gremium/Merkle/hashes", test_merkle_hashes);
  g_test_add_func ("/Gremium/Merkle/reference-roots", test_merkle_reference_roots);
  g_test_add_func ("/Gremium/Merkle/reference-inclusion", test_merkle_reference_inclusion);
  g_test_add_func ("/Gremium/Merkle/reference-consistency", test_merkle_reference_consistency);
  g_test_add_func ("/Gremium/Merkle/bad-arguments", test_merkle_bad_arguments);
  g_test_add ("/Gremium/Merkle/exhaustive-inclusion", Exhaustive, NULL,
              exhaustive_setup, test_merkle_exhaustive_inclusion, exhaustive_teardown);
  g_test_add ("/Gremium/Merkle/exhaustive-consistency", Exhaustive, NULL,
              exhaustive_setup, test_merkle_exhaustive_consistency, exhaustive_teardown);
  g_test_add_func ("/Gremium/Merkle/cost", test_merkle_cost);

  return g_test_run ();
}
