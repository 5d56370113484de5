/* gremium-election-key.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Limits of a secret vote. A ballot for the largest vote must still fit into
 * one signed statement (GREMIUM_STATEMENT_MAX_SIZE) after base64 encoding.
 */
#define GREMIUM_SECRET_VOTE_MAX_OPTIONS 32
#define GREMIUM_SECRET_VOTE_MAX_TELLERS 16
#define GREMIUM_SECRET_VOTE_KEY_SIZE    32

#define GREMIUM_TYPE_ELECTION_KEY (gremium_election_key_get_type ())

G_DECLARE_FINAL_TYPE (GremiumElectionKey, gremium_election_key, GREMIUM, ELECTION_KEY, GObject)

GremiumElectionKey *gremium_election_key_new                   (const char         *meeting_id,
                                                                const char         *vote_id,
                                                                guint               n_options,
                                                                guint               min_count,
                                                                guint               max_count,
                                                                GPtrArray          *teller_shares,
                                                                GError            **error) G_GNUC_WARN_UNUSED_RESULT;
const char         *gremium_election_key_get_meeting_id        (GremiumElectionKey *self);
const char         *gremium_election_key_get_vote_id           (GremiumElectionKey *self);
guint               gremium_election_key_get_n_options         (GremiumElectionKey *self);
guint               gremium_election_key_get_min_count         (GremiumElectionKey *self);
guint               gremium_election_key_get_max_count         (GremiumElectionKey *self);
const guint8       *gremium_election_key_get_public_key        (GremiumElectionKey *self);
guint               gremium_election_key_get_n_tellers         (GremiumElectionKey *self);
const char         *gremium_election_key_get_teller_id         (GremiumElectionKey *self,
                                                                guint               index);
const guint8       *gremium_election_key_get_teller_public_key (GremiumElectionKey *self,
                                                                guint               index);

G_END_DECLS
