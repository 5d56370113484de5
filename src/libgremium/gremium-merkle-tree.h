/* gremium-merkle-tree.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gremium-crypto.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_MERKLE_TREE (gremium_merkle_tree_get_type ())

G_DECLARE_FINAL_TYPE (GremiumMerkleTree, gremium_merkle_tree, GREMIUM, MERKLE_TREE, GObject)

void               gremium_merkle_leaf_hash                (const guint8       *entry,
                                                            gsize               len,
                                                            guint8              out[GREMIUM_HASH_SIZE]);
void               gremium_merkle_node_hash                (const guint8        left[GREMIUM_HASH_SIZE],
                                                            const guint8        right[GREMIUM_HASH_SIZE],
                                                            guint8              out[GREMIUM_HASH_SIZE]);

GremiumMerkleTree *gremium_merkle_tree_new                 (void) G_GNUC_WARN_UNUSED_RESULT;
guint64            gremium_merkle_tree_append              (GremiumMerkleTree  *self,
                                                            const guint8       *entry,
                                                            gsize               len);
guint64            gremium_merkle_tree_append_leaf_hash    (GremiumMerkleTree  *self,
                                                            const guint8        leaf_hash[GREMIUM_HASH_SIZE]);
guint64            gremium_merkle_tree_get_size            (GremiumMerkleTree  *self);
gboolean           gremium_merkle_tree_get_leaf_hash       (GremiumMerkleTree  *self,
                                                            guint64             index,
                                                            guint8              out[GREMIUM_HASH_SIZE]);
gboolean           gremium_merkle_tree_get_root            (GremiumMerkleTree  *self,
                                                            guint64             size,
                                                            guint8              root[GREMIUM_HASH_SIZE]);
GBytes            *gremium_merkle_tree_prove_inclusion     (GremiumMerkleTree  *self,
                                                            guint64             index,
                                                            guint64             size,
                                                            GError            **error) G_GNUC_WARN_UNUSED_RESULT;
GBytes            *gremium_merkle_tree_prove_consistency   (GremiumMerkleTree  *self,
                                                            guint64             old_size,
                                                            guint64             new_size,
                                                            GError            **error) G_GNUC_WARN_UNUSED_RESULT;

gboolean           gremium_merkle_verify_inclusion         (const guint8        leaf_hash[GREMIUM_HASH_SIZE],
                                                            guint64             index,
                                                            guint64             size,
                                                            GBytes             *proof,
                                                            const guint8        root[GREMIUM_HASH_SIZE],
                                                            GError            **error);
gboolean           gremium_merkle_verify_consistency       (guint64             old_size,
                                                            guint64             new_size,
                                                            const guint8        old_root[GREMIUM_HASH_SIZE],
                                                            const guint8        new_root[GREMIUM_HASH_SIZE],
                                                            GBytes             *proof,
                                                            GError            **error);

G_END_DECLS
