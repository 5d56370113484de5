/* gremium-merkle-tree.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-merkle-tree"

#include "config.h"

#include "gremium-merkle-tree.h"
#include "gremium-merkle-tree-private.h"
#include "gremium-error.h"

#include <sodium.h>
#include <string.h>

/**
 * GremiumMerkleTree:
 *
 * The Merkle hash tree of a meeting's transparency log, as RFC 6962 §2.1
 * defines it with SHA-256: a leaf hashes as `SHA-256(0x00 || entry)`, an inner
 * node as `SHA-256(0x01 || left || right)`, and the tree of `n > 1` leaves
 * splits after the largest power of two smaller than `n`. The tree of no
 * leaves has the root `SHA-256("")`.
 *
 * The tree keeps the hash of every complete (perfect) subtree, level by level:
 * level `k` holds one hash per aligned run of `2^k` leaves. Every node of the
 * RFC 6962 tree of any size up to the current one is either such a subtree or
 * a right edge made of at most one subtree per level, so appending costs one
 * leaf hash plus amortised one node hash, and a root at any size, an inclusion
 * proof and a consistency proof each cost at most about log₂(n) hashes. The
 * price is memory: about two hashes (64 bytes) per entry.
 *
 * Proofs are the concatenated 32-byte hashes of RFC 6962 §2.1.1 (PATH) and
 * §2.1.2 (PROOF), in the order those define: from the leaf, or the old tree's
 * edge, towards the root. They verify with the algorithms of RFC 9162
 * §2.1.3.2 and §2.1.4.2, gremium_merkle_verify_inclusion() and
 * gremium_merkle_verify_consistency().
 *
 * A tree is not thread-safe; the server uses one per meeting from one thread.
 */

typedef struct
{
  guint8 bytes[GREMIUM_HASH_SIZE];
} Hash;

struct _GremiumMerkleTree
{
  GObject    parent_instance;

  /* levels[k] is a GArray of Hash: levels[k][i] is the root of the perfect
   * subtree over the leaves [i·2^k, (i+1)·2^k). levels[0] are the leaf hashes.
   */
  GPtrArray *levels;
  guint64    size;
  guint64    n_hashes;
};

G_DEFINE_FINAL_TYPE (GremiumMerkleTree, gremium_merkle_tree, G_TYPE_OBJECT)

/* SHA-256("") */
static const guint8 empty_root[GREMIUM_HASH_SIZE] = {
  0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
  0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
};

static void
node_hash_internal (const guint8 *left,
                    const guint8 *right,
                    guint8       *out)
{
  static const guint8 prefix = 0x01;
  crypto_hash_sha256_state state;

  /* @out may alias @left or @right: both are consumed before it is written. */
  crypto_hash_sha256_init (&state);
  crypto_hash_sha256_update (&state, &prefix, 1);
  crypto_hash_sha256_update (&state, left, GREMIUM_HASH_SIZE);
  crypto_hash_sha256_update (&state, right, GREMIUM_HASH_SIZE);
  crypto_hash_sha256_final (&state, out);
}

static void
tree_node_hash (GremiumMerkleTree *self,
                const guint8      *left,
                const guint8      *right,
                guint8            *out)
{
  self->n_hashes++;
  node_hash_internal (left, right, out);
}

static const guint8 *
subtree_hash (GremiumMerkleTree *self,
              guint              level,
              guint64            index)
{
  GArray *hashes;

  g_assert (level < self->levels->len);

  hashes = g_ptr_array_index (self->levels, level);
  g_assert (index < hashes->len);

  return g_array_index (hashes, Hash, index).bytes;
}

static void
level_append (GremiumMerkleTree *self,
              guint              level,
              const Hash        *hash)
{
  g_assert (level <= self->levels->len);

  if (level == self->levels->len)
    g_ptr_array_add (self->levels, g_array_new (FALSE, FALSE, sizeof (Hash)));

  g_array_append_vals (g_ptr_array_index (self->levels, level), hash, 1);
}

/* Computes MTH(D[start : start + count]) for a range that is a node of an
 * RFC 6962 tree: @start is a multiple of a power of two that is at least
 * @count. Such a range is a sequence of perfect subtrees of falling height,
 * and the RFC's split rule (largest power of two first) folds them from the
 * right. It costs one hash less than the number of subtrees, so at most
 * log₂(count).
 */
static void
range_hash (GremiumMerkleTree *self,
            guint64            start,
            guint64            count,
            guint8             out[GREMIUM_HASH_SIZE])
{
  const guint8 *parts[64];
  guint n_parts = 0;
  guint64 offset = start;
  guint level = 64;

  g_assert (count > 0);
  g_assert (start + count <= self->size);

  while (level-- > 0)
    {
      guint64 width = G_GUINT64_CONSTANT (1) << level;

      if ((count & width) == 0)
        continue;

      g_assert (offset % width == 0);
      parts[n_parts++] = subtree_hash (self, level, offset >> level);
      offset += width;
    }

  memcpy (out, parts[n_parts - 1], GREMIUM_HASH_SIZE);
  for (guint i = n_parts - 1; i > 0; i--)
    tree_node_hash (self, parts[i - 1], out, out);
}

/* The number of hashes on the path from the node (@level, @index) up to the
 * root of the tree of @size leaves. Levels where the node is the last one and
 * has no right sibling contribute nothing: RFC 6962 never pairs a node with
 * an empty subtree, so such a node moves up unchanged.
 */
static guint
path_length (guint   level,
             guint64 index,
             guint64 size)
{
  guint n = 0;

  g_assert (size > 0);

  for (; level < 64 && ((size - 1) >> level) > 0; level++, index >>= 1)
    {
      if ((index & 1) != 0 || index < ((size - 1) >> level))
        n++;
    }

  return n;
}

/* Appends the sibling hashes on the path from the node (@level, @index) to
 * the root of the tree of @size leaves, lowest first. Left siblings are
 * always perfect subtrees; only a right sibling on the tree's right edge can
 * be incomplete, and a path meets at most one of those.
 */
static void
append_path (GremiumMerkleTree *self,
             GByteArray        *proof,
             guint              level,
             guint64            index,
             guint64            size)
{
  g_assert (size > 0);
  g_assert (size <= self->size);

  for (; level < 64 && ((size - 1) >> level) > 0; level++, index >>= 1)
    {
      guint64 last = (size - 1) >> level;

      if ((index & 1) != 0)
        {
          g_byte_array_append (proof, subtree_hash (self, level, index - 1), GREMIUM_HASH_SIZE);
        }
      else if (index < last)
        {
          guint64 start = (index + 1) << level;
          guint64 count = MIN (G_GUINT64_CONSTANT (1) << level, size - start);
          Hash sibling;

          range_hash (self, start, count, sibling.bytes);
          g_byte_array_append (proof, sibling.bytes, GREMIUM_HASH_SIZE);
        }
    }
}

/* The old tree of a consistency proof ends with the perfect subtree
 * (@level, @index): the largest one whose right edge is at @old_size.
 */
static void
old_tree_edge (guint64  old_size,
               guint   *level,
               guint64 *index)
{
  g_assert (old_size > 0);

  *level = 0;
  while (((old_size >> *level) & 1) == 0)
    (*level)++;

  *index = (old_size - 1) >> *level;
}

static guint
consistency_proof_length (guint64 old_size,
                          guint64 new_size)
{
  guint level;
  guint64 index;

  g_assert (0 < old_size && old_size < new_size);

  old_tree_edge (old_size, &level, &index);

  /* When the old tree is itself perfect (index 0) the verifier already has
   * its hash, the old root, so the proof leaves it out.
   */
  return (index != 0 ? 1 : 0) + path_length (level, index, new_size);
}

/* Splits @proof (nullable: empty) into its hashes. */
static gboolean
proof_get_hashes (GBytes        *proof,
                  const char    *what,
                  const guint8 **hashes,
                  gsize         *n_hashes,
                  GError       **error)
{
  gsize len = 0;

  *hashes = NULL;
  if (proof != NULL)
    *hashes = g_bytes_get_data (proof, &len);

  if (len % GREMIUM_HASH_SIZE != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The %s proof has %" G_GSIZE_FORMAT " bytes, which is not a sequence of "
                   "32-byte hashes",
                   what, len);
      return FALSE;
    }

  *n_hashes = len / GREMIUM_HASH_SIZE;
  return TRUE;
}

static void
gremium_merkle_tree_finalize (GObject *object)
{
  GremiumMerkleTree *self = (GremiumMerkleTree *) object;

  g_clear_pointer (&self->levels, g_ptr_array_unref);

  G_OBJECT_CLASS (gremium_merkle_tree_parent_class)->finalize (object);
}

static void
gremium_merkle_tree_class_init (GremiumMerkleTreeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_merkle_tree_finalize;
}

static void
gremium_merkle_tree_init (GremiumMerkleTree *self)
{
  if (!gremium_crypto_init (NULL))
    g_error ("libsodium is unusable");

  self->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
}

/**
 * gremium_merkle_leaf_hash:
 * @entry: (array length=len) (nullable): the entry's bytes
 * @len: length of @entry
 * @out: (out caller-allocates) (array fixed-size=32): the leaf hash
 *
 * Computes the RFC 6962 leaf hash `SHA-256(0x00 || entry)`. The prefix keeps
 * leaves apart from inner nodes, so no entry can pose as a subtree.
 */
void
gremium_merkle_leaf_hash (const guint8 *entry,
                          gsize         len,
                          guint8        out[GREMIUM_HASH_SIZE])
{
  static const guint8 prefix = 0x00;
  crypto_hash_sha256_state state;

  g_return_if_fail (entry != NULL || len == 0);
  g_return_if_fail (out != NULL);

  gremium_crypto_init (NULL);
  crypto_hash_sha256_init (&state);
  crypto_hash_sha256_update (&state, &prefix, 1);
  if (len > 0)
    crypto_hash_sha256_update (&state, entry, len);
  crypto_hash_sha256_final (&state, out);
}

/**
 * gremium_merkle_node_hash:
 * @left: (array fixed-size=32): the left child's hash
 * @right: (array fixed-size=32): the right child's hash
 * @out: (out caller-allocates) (array fixed-size=32): the node hash; may be
 *   the same buffer as @left or @right
 *
 * Computes the RFC 6962 inner node hash `SHA-256(0x01 || left || right)`.
 */
void
gremium_merkle_node_hash (const guint8 left[GREMIUM_HASH_SIZE],
                          const guint8 right[GREMIUM_HASH_SIZE],
                          guint8       out[GREMIUM_HASH_SIZE])
{
  g_return_if_fail (left != NULL);
  g_return_if_fail (right != NULL);
  g_return_if_fail (out != NULL);

  gremium_crypto_init (NULL);
  node_hash_internal (left, right, out);
}

/**
 * gremium_merkle_tree_new:
 *
 * Creates an empty tree.
 *
 * Returns: (transfer full): a new tree
 */
GremiumMerkleTree *
gremium_merkle_tree_new (void)
{
  return g_object_new (GREMIUM_TYPE_MERKLE_TREE, NULL);
}

/**
 * gremium_merkle_tree_append_leaf_hash:
 * @self: a tree
 * @leaf_hash: (array fixed-size=32): the leaf hash of the new entry, see
 *   gremium_merkle_leaf_hash()
 *
 * Appends an entry by its leaf hash, for example when the tree is rebuilt
 * from stored leaf hashes.
 *
 * Returns: the new leaf's index, which is the size before the append
 */
guint64
gremium_merkle_tree_append_leaf_hash (GremiumMerkleTree *self,
                                      const guint8       leaf_hash[GREMIUM_HASH_SIZE])
{
  guint64 index;
  guint64 i;
  guint level = 0;
  Hash node;

  g_return_val_if_fail (GREMIUM_IS_MERKLE_TREE (self), 0);
  g_return_val_if_fail (leaf_hash != NULL, 0);
  /* GArray counts in guint; four billion entries are far beyond a meeting. */
  g_return_val_if_fail (self->size < G_MAXUINT, 0);

  index = self->size;
  memcpy (node.bytes, leaf_hash, GREMIUM_HASH_SIZE);
  level_append (self, 0, &node);

  /* Each time the new node completes a pair, the pair's parent becomes a
   * perfect subtree one level up. Over n appends that is fewer than n node
   * hashes in all.
   */
  for (i = index; (i & 1) != 0; i >>= 1)
    {
      tree_node_hash (self, subtree_hash (self, level, i - 1), node.bytes, node.bytes);
      level++;
      level_append (self, level, &node);
    }

  self->size++;

  return index;
}

/**
 * gremium_merkle_tree_append:
 * @self: a tree
 * @entry: (array length=len) (nullable): the entry's exact bytes
 * @len: length of @entry
 *
 * Appends an entry.
 *
 * Returns: the new leaf's index, which is the size before the append
 */
guint64
gremium_merkle_tree_append (GremiumMerkleTree *self,
                            const guint8      *entry,
                            gsize              len)
{
  guint8 leaf_hash[GREMIUM_HASH_SIZE];

  g_return_val_if_fail (GREMIUM_IS_MERKLE_TREE (self), 0);
  g_return_val_if_fail (entry != NULL || len == 0, 0);

  gremium_merkle_leaf_hash (entry, len, leaf_hash);
  self->n_hashes++;

  return gremium_merkle_tree_append_leaf_hash (self, leaf_hash);
}

/**
 * gremium_merkle_tree_get_size:
 * @self: a tree
 *
 * Returns: the number of entries
 */
guint64
gremium_merkle_tree_get_size (GremiumMerkleTree *self)
{
  g_return_val_if_fail (GREMIUM_IS_MERKLE_TREE (self), 0);

  return self->size;
}

/**
 * gremium_merkle_tree_get_leaf_hash:
 * @self: a tree
 * @index: a leaf index
 * @out: (out caller-allocates) (array fixed-size=32): the leaf hash
 *
 * Returns: %TRUE if @index is less than the tree's size
 */
gboolean
gremium_merkle_tree_get_leaf_hash (GremiumMerkleTree *self,
                                   guint64            index,
                                   guint8             out[GREMIUM_HASH_SIZE])
{
  g_return_val_if_fail (GREMIUM_IS_MERKLE_TREE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (index >= self->size)
    return FALSE;

  memcpy (out, subtree_hash (self, 0, index), GREMIUM_HASH_SIZE);
  return TRUE;
}

/**
 * gremium_merkle_tree_get_root:
 * @self: a tree
 * @size: the size of the tree whose root is wanted, at most the current size
 * @root: (out caller-allocates) (array fixed-size=32): the root hash
 *
 * Computes the root hash of the tree of the first @size entries, the value a
 * checkpoint of that size signs. The root of the empty tree is `SHA-256("")`.
 *
 * Returns: %TRUE if @size is not larger than the tree
 */
gboolean
gremium_merkle_tree_get_root (GremiumMerkleTree *self,
                              guint64            size,
                              guint8             root[GREMIUM_HASH_SIZE])
{
  g_return_val_if_fail (GREMIUM_IS_MERKLE_TREE (self), FALSE);
  g_return_val_if_fail (root != NULL, FALSE);

  if (size > self->size)
    return FALSE;

  if (size == 0)
    memcpy (root, empty_root, GREMIUM_HASH_SIZE);
  else
    range_hash (self, 0, size, root);

  return TRUE;
}

/**
 * gremium_merkle_tree_prove_inclusion:
 * @self: a tree
 * @index: the index of the leaf to prove
 * @size: the size of the tree to prove it in, at most the current size
 * @error: return location for an error
 *
 * Computes the audit path of RFC 6962 §2.1.1, `PATH(index, D[0:size])`: the
 * sibling hashes from the leaf up to the root, each 32 bytes, concatenated.
 * The path for the only leaf of a tree of size 1 is empty.
 *
 * Returns: (transfer full) (nullable): the proof, or %NULL with @error set if
 *   @index is not less than @size or @size exceeds the tree
 */
GBytes *
gremium_merkle_tree_prove_inclusion (GremiumMerkleTree  *self,
                                     guint64             index,
                                     guint64             size,
                                     GError            **error)
{
  GByteArray *proof;

  g_return_val_if_fail (GREMIUM_IS_MERKLE_TREE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (size > self->size)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The log has %" G_GUINT64_FORMAT " entries, so it cannot prove a tree of "
                   "size %" G_GUINT64_FORMAT,
                   self->size, size);
      return NULL;
    }

  if (index >= size)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "Entry %" G_GUINT64_FORMAT " is not in a tree of size %" G_GUINT64_FORMAT,
                   index, size);
      return NULL;
    }

  proof = g_byte_array_sized_new (path_length (0, index, size) * GREMIUM_HASH_SIZE);
  append_path (self, proof, 0, index, size);

  return g_byte_array_free_to_bytes (proof);
}

/**
 * gremium_merkle_tree_prove_consistency:
 * @self: a tree
 * @old_size: the size of the older tree
 * @new_size: the size of the newer tree, at most the current size
 * @error: return location for an error
 *
 * Computes the consistency proof of RFC 6962 §2.1.2,
 * `PROOF(old_size, D[0:new_size])`, concatenated 32-byte hashes. It is empty
 * when @old_size is 0 or equal to @new_size: an empty tree is a prefix of
 * every tree, and equal sizes need equal roots, not a proof.
 *
 * Returns: (transfer full) (nullable): the proof, or %NULL with @error set if
 *   @old_size exceeds @new_size or @new_size exceeds the tree
 */
GBytes *
gremium_merkle_tree_prove_consistency (GremiumMerkleTree  *self,
                                       guint64             old_size,
                                       guint64             new_size,
                                       GError            **error)
{
  GByteArray *proof;
  guint level;
  guint64 index;

  g_return_val_if_fail (GREMIUM_IS_MERKLE_TREE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (new_size > self->size)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The log has %" G_GUINT64_FORMAT " entries, so it cannot prove a tree of "
                   "size %" G_GUINT64_FORMAT,
                   self->size, new_size);
      return NULL;
    }

  if (old_size > new_size)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "A tree of size %" G_GUINT64_FORMAT " cannot be a prefix of one of size %"
                   G_GUINT64_FORMAT,
                   old_size, new_size);
      return NULL;
    }

  if (old_size == 0 || old_size == new_size)
    return g_bytes_new (NULL, 0);

  proof = g_byte_array_sized_new (consistency_proof_length (old_size, new_size) *
                                  GREMIUM_HASH_SIZE);

  /* This is SUBPROOF(old_size, D[0:new_size], true) read bottom-up: the old
   * tree's last perfect subtree, then its path to the new root. Each step of
   * that path is either a left sibling, which lies inside the old tree, or a
   * right sibling, which holds only new entries.
   */
  old_tree_edge (old_size, &level, &index);
  if (index != 0)
    g_byte_array_append (proof, subtree_hash (self, level, index), GREMIUM_HASH_SIZE);
  append_path (self, proof, level, index, new_size);

  return g_byte_array_free_to_bytes (proof);
}

/**
 * gremium_merkle_verify_inclusion:
 * @leaf_hash: (array fixed-size=32): the leaf hash of the entry
 * @index: the entry's claimed index
 * @size: the size of the tree that @root belongs to
 * @proof: (nullable): the audit path from gremium_merkle_tree_prove_inclusion();
 *   %NULL is the same as an empty proof
 * @root: (array fixed-size=32): the root hash of the tree of @size entries,
 *   usually from a verified checkpoint
 * @error: return location for an error
 *
 * Verifies that the entry with @leaf_hash is at @index in the tree of @size
 * entries with @root, with the algorithm of RFC 9162 §2.1.3.2.
 *
 * A proof binds the pair of @size and @root as a checkpoint signs them; it
 * says nothing about a root taken from a tree of another size.
 *
 * Returns: %TRUE if the proof holds. Otherwise %FALSE with
 *   %GREMIUM_ERROR_INVALID_FIELD when the arguments cannot describe a proof
 *   (@index not below @size, a proof length that is not a multiple of 32 or
 *   not the number of hashes this index and size need) or
 *   %GREMIUM_ERROR_LOG_INCONSISTENT when the proof does not lead to @root
 */
gboolean
gremium_merkle_verify_inclusion (const guint8   leaf_hash[GREMIUM_HASH_SIZE],
                                 guint64        index,
                                 guint64        size,
                                 GBytes        *proof,
                                 const guint8   root[GREMIUM_HASH_SIZE],
                                 GError       **error)
{
  const guint8 *hashes;
  gsize n_hashes;
  guint expected;
  guint64 fn;
  guint64 sn;
  guint8 r[GREMIUM_HASH_SIZE];

  g_return_val_if_fail (leaf_hash != NULL, FALSE);
  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  gremium_crypto_init (NULL);

  if (index >= size)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "Entry %" G_GUINT64_FORMAT " cannot be in a tree of size %" G_GUINT64_FORMAT,
                   index, size);
      return FALSE;
    }

  if (!proof_get_hashes (proof, "inclusion", &hashes, &n_hashes, error))
    return FALSE;

  /* The length is a function of index and size alone; checking it first
   * gives a clear message instead of a root mismatch.
   */
  expected = path_length (0, index, size);
  if (n_hashes != expected)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The inclusion proof has %" G_GSIZE_FORMAT " hashes, but entry %"
                   G_GUINT64_FORMAT " of a tree of size %" G_GUINT64_FORMAT " needs %u",
                   n_hashes, index, size, expected);
      return FALSE;
    }

  /* RFC 9162 §2.1.3.2. fn is the node's index at the current level, sn the
   * index of the last node there; fn == sn with fn even means the node has no
   * right sibling and rises unchanged until it is a right child.
   */
  fn = index;
  sn = size - 1;
  memcpy (r, leaf_hash, GREMIUM_HASH_SIZE);

  for (gsize i = 0; i < n_hashes; i++)
    {
      const guint8 *p = hashes + i * GREMIUM_HASH_SIZE;

      if (sn == 0)
        {
          g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                               "The inclusion proof is longer than the path to the root");
          return FALSE;
        }

      if ((fn & 1) != 0 || fn == sn)
        {
          node_hash_internal (p, r, r);
          while ((fn & 1) == 0 && fn != 0)
            {
              fn >>= 1;
              sn >>= 1;
            }
        }
      else
        {
          node_hash_internal (r, p, r);
        }

      fn >>= 1;
      sn >>= 1;
    }

  if (sn != 0)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The inclusion proof is shorter than the path to the root");
      return FALSE;
    }

  if (memcmp (r, root, GREMIUM_HASH_SIZE) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                   "The inclusion proof does not lead to the root hash: the entry is not at "
                   "index %" G_GUINT64_FORMAT " of this tree of size %" G_GUINT64_FORMAT,
                   index, size);
      return FALSE;
    }

  return TRUE;
}

/**
 * gremium_merkle_verify_consistency:
 * @old_size: the size of the older tree
 * @new_size: the size of the newer tree
 * @old_root: (array fixed-size=32): the root hash of the older tree
 * @new_root: (array fixed-size=32): the root hash of the newer tree
 * @proof: (nullable): the proof from gremium_merkle_tree_prove_consistency();
 *   %NULL is the same as an empty proof
 * @error: return location for an error
 *
 * Verifies that the tree of @new_size entries with @new_root extends the
 * tree of @old_size entries with @old_root, with the algorithm of RFC 9162
 * §2.1.4.2: the log only appended, it rewrote nothing.
 *
 * An empty old tree is consistent with every tree and takes an empty proof.
 * Equal sizes take an empty proof and need equal roots.
 *
 * Returns: %TRUE if the proof holds. Otherwise %FALSE with
 *   %GREMIUM_ERROR_INVALID_FIELD when the arguments cannot describe a proof
 *   (@old_size above @new_size, a proof length that is not a multiple of 32
 *   or not the number of hashes these sizes need) or
 *   %GREMIUM_ERROR_LOG_INCONSISTENT when the roots do not fit the proof
 */
gboolean
gremium_merkle_verify_consistency (guint64        old_size,
                                   guint64        new_size,
                                   const guint8   old_root[GREMIUM_HASH_SIZE],
                                   const guint8   new_root[GREMIUM_HASH_SIZE],
                                   GBytes        *proof,
                                   GError       **error)
{
  const guint8 *hashes;
  gsize n_hashes;
  gsize first;
  guint expected;
  guint64 fn;
  guint64 sn;
  guint8 fr[GREMIUM_HASH_SIZE];
  guint8 sr[GREMIUM_HASH_SIZE];

  g_return_val_if_fail (old_root != NULL, FALSE);
  g_return_val_if_fail (new_root != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  gremium_crypto_init (NULL);

  if (old_size > new_size)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "A tree of size %" G_GUINT64_FORMAT " cannot be a prefix of one of size %"
                   G_GUINT64_FORMAT,
                   old_size, new_size);
      return FALSE;
    }

  if (!proof_get_hashes (proof, "consistency", &hashes, &n_hashes, error))
    return FALSE;

  expected = (old_size == 0 || old_size == new_size)
             ? 0 : consistency_proof_length (old_size, new_size);
  if (n_hashes != expected)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The consistency proof has %" G_GSIZE_FORMAT " hashes, but one from size %"
                   G_GUINT64_FORMAT " to size %" G_GUINT64_FORMAT " needs %u",
                   n_hashes, old_size, new_size, expected);
      return FALSE;
    }

  /* Equal sizes come first so that two empty trees must agree as well. */
  if (old_size == new_size)
    {
      if (memcmp (old_root, new_root, GREMIUM_HASH_SIZE) != 0)
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                       "The log has two different roots for size %" G_GUINT64_FORMAT,
                       old_size);
          return FALSE;
        }

      return TRUE;
    }

  if (old_size == 0)
    return TRUE;

  /* RFC 9162 §2.1.4.2. The proof omits the old root when the old tree is
   * perfect; the algorithm then starts from the old root itself. fr rebuilds
   * the old root from the hashes inside the old tree, sr the new root from
   * all of them.
   */
  if ((old_size & (old_size - 1)) == 0)
    {
      memcpy (fr, old_root, GREMIUM_HASH_SIZE);
      first = 0;
    }
  else
    {
      memcpy (fr, hashes, GREMIUM_HASH_SIZE);
      first = 1;
    }
  memcpy (sr, fr, GREMIUM_HASH_SIZE);

  fn = old_size - 1;
  sn = new_size - 1;
  while ((fn & 1) != 0)
    {
      fn >>= 1;
      sn >>= 1;
    }

  for (gsize i = first; i < n_hashes; i++)
    {
      const guint8 *c = hashes + i * GREMIUM_HASH_SIZE;

      if (sn == 0)
        {
          g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                               "The consistency proof is longer than the path to the root");
          return FALSE;
        }

      if ((fn & 1) != 0 || fn == sn)
        {
          node_hash_internal (c, fr, fr);
          node_hash_internal (c, sr, sr);
          while ((fn & 1) == 0 && fn != 0)
            {
              fn >>= 1;
              sn >>= 1;
            }
        }
      else
        {
          node_hash_internal (sr, c, sr);
        }

      fn >>= 1;
      sn >>= 1;
    }

  if (sn != 0)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The consistency proof is shorter than the path to the root");
      return FALSE;
    }

  if (memcmp (fr, old_root, GREMIUM_HASH_SIZE) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                   "The consistency proof does not lead to the old root: the tree of size %"
                   G_GUINT64_FORMAT " is not a prefix of the tree of size %" G_GUINT64_FORMAT,
                   old_size, new_size);
      return FALSE;
    }

  if (memcmp (sr, new_root, GREMIUM_HASH_SIZE) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_LOG_INCONSISTENT,
                   "The consistency proof does not lead to the new root: the tree of size %"
                   G_GUINT64_FORMAT " does not extend the tree of size %" G_GUINT64_FORMAT,
                   new_size, old_size);
      return FALSE;
    }

  return TRUE;
}

guint64
_gremium_merkle_tree_get_hash_count (GremiumMerkleTree *self)
{
  g_return_val_if_fail (GREMIUM_IS_MERKLE_TREE (self), 0);

  return self->n_hashes;
}
