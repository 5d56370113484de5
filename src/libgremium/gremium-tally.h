/* gremium-tally.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gremium-ballot.h"
#include "gremium-election-key.h"

G_BEGIN_DECLS

#define GREMIUM_DECRYPTION_SHARE_MAX_SIZE (8 * 1024)

#define GREMIUM_TYPE_TALLY (gremium_tally_get_type ())

G_DECLARE_FINAL_TYPE (GremiumTally, gremium_tally, GREMIUM, TALLY, GObject)

GremiumTally       *gremium_tally_new                    (GremiumElectionKey   *key) G_GNUC_WARN_UNUSED_RESULT;
GremiumElectionKey *gremium_tally_get_key                (GremiumTally         *self);
gboolean            gremium_tally_add_ballot             (GremiumTally         *self,
                                                          GremiumBallot        *ballot,
                                                          GError              **error);
guint               gremium_tally_get_n_ballots          (GremiumTally         *self);
gboolean            gremium_tally_add_decryption_share   (GremiumTally         *self,
                                                          GBytes               *share,
                                                          GError              **error);
gboolean            gremium_tally_has_decryption_share   (GremiumTally         *self,
                                                          const char           *teller_id);
gboolean            gremium_tally_get_counts             (GremiumTally         *self,
                                                          guint                *counts,
                                                          guint                 n_counts,
                                                          GError              **error);

GremiumTally       *gremium_tally_new_verified           (GremiumElectionKey   *key,
                                                          GPtrArray            *ballots,
                                                          const char * const   *voter_ids,
                                                          GPtrArray            *shares,
                                                          GCancellable         *cancellable,
                                                          GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void                gremium_tally_new_verified_async     (GremiumElectionKey   *key,
                                                          GPtrArray            *ballots,
                                                          const char * const   *voter_ids,
                                                          GPtrArray            *shares,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GremiumTally       *gremium_tally_new_verified_finish    (GAsyncResult         *result,
                                                          GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
