/* gremium-test-forge.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gremium-election-key.h>

G_BEGIN_DECLS

/* Builders of ballots and teller key shares written from
 * docs/voting-crypto.md alone, for attacks that an honest client cannot
 * make: ballots that encrypt any integer with proofs that lie about it, and
 * key shares with any secret and a right or wrong proof of knowledge.
 */

GBytes *gremium_test_forge_ballot       (GremiumElectionKey *key,
                                         const char         *voter_id,
                                         const gint         *values,
                                         const guint8       *nonces) G_GNUC_WARN_UNUSED_RESULT;
GBytes *gremium_test_forge_teller_share (const char         *meeting_id,
                                         const char         *vote_id,
                                         const char         *teller_id,
                                         const guint8        secret[32],
                                         const guint8        key[32],
                                         gboolean            honest_proof) G_GNUC_WARN_UNUSED_RESULT;
char   *gremium_test_bytes_to_base64    (GBytes             *bytes) G_GNUC_WARN_UNUSED_RESULT;
GBytes *gremium_test_json_set_string    (GBytes             *document,
                                         const char         *path,
                                         const char         *value) G_GNUC_WARN_UNUSED_RESULT;
char   *gremium_test_json_get_string    (GBytes             *document,
                                         const char         *path) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
