/* gremium-tally-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-tally.h"

G_BEGIN_DECLS

GremiumTally *_gremium_tally_new_full               (GremiumElectionKey *key,
                                                     gboolean            reference) G_GNUC_WARN_UNUSED_RESULT;
void          _gremium_tally_seal                   (GremiumTally       *self);
const guint8 *_gremium_tally_get_alpha              (GremiumTally       *self,
                                                     guint               option);
void          _gremium_tally_decryption_challenge   (GremiumTally       *self,
                                                     const char         *teller_id,
                                                     const guint8        teller_key[32],
                                                     guint               option,
                                                     const guint8        share[32],
                                                     const guint8        commitment_a[32],
                                                     const guint8        commitment_b[32],
                                                     GByteArray         *record,
                                                     guint8              challenge[32]);
GBytes       *_gremium_tally_serialize_share        (GremiumTally       *self,
                                                     const char         *teller_id,
                                                     const guint8       *shares,
                                                     const guint8       *commitments_a,
                                                     const guint8       *commitments_b,
                                                     const guint8       *responses) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
