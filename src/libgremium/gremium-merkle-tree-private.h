/* gremium-merkle-tree-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-merkle-tree.h"

G_BEGIN_DECLS

/* The number of SHA-256 computations the tree has made so far. The tests use
 * it to hold the tree to its cost bounds without timing anything.
 */
guint64 _gremium_merkle_tree_get_hash_count (GremiumMerkleTree *self);

G_END_DECLS
