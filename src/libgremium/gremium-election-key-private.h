/* gremium-election-key-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-election-key.h"
#include "gremium-ristretto-private.h"
#include "gremium-transcript-private.h"

G_BEGIN_DECLS

#define GREMIUM_TELLER_SHARE_MAX_SIZE 1024

GremiumElectionKey          *_gremium_election_key_new_full          (const char         *meeting_id,
                                                                      const char         *vote_id,
                                                                      guint               n_options,
                                                                      guint               min_count,
                                                                      guint               max_count,
                                                                      GPtrArray          *teller_shares,
                                                                      gboolean            reference,
                                                                      GError            **error) G_GNUC_WARN_UNUSED_RESULT;
const GremiumRistrettoPoint *_gremium_election_key_get_point         (GremiumElectionKey *self);
const GremiumRistrettoPoint *_gremium_election_key_get_teller_point  (GremiumElectionKey *self,
                                                                      guint               index);
gboolean                     _gremium_election_key_find_teller       (GremiumElectionKey *self,
                                                                      const char         *teller_id,
                                                                      guint              *index);
void                         _gremium_election_key_append_context    (GremiumElectionKey *self,
                                                                      GremiumTranscript  *transcript);

char                        *_gremium_teller_share_serialize         (const char         *meeting_id,
                                                                      const char         *vote_id,
                                                                      const char         *teller_id,
                                                                      const guint8        key[32],
                                                                      const guint8        commitment[32],
                                                                      const guint8        response[32]) G_GNUC_WARN_UNUSED_RESULT;
void                         _gremium_teller_share_challenge         (const char         *meeting_id,
                                                                      const char         *vote_id,
                                                                      const char         *teller_id,
                                                                      const guint8        key[32],
                                                                      const guint8        commitment[32],
                                                                      GByteArray         *record,
                                                                      guint8              challenge[32]);

G_END_DECLS
