/* gremium-teller-key-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-teller-key.h"
#include "gremium-group-private.h"

G_BEGIN_DECLS

GremiumTellerKey *_gremium_teller_key_new_full     (const char        *meeting_id,
                                                    const char        *vote_id,
                                                    const char        *teller_id,
                                                    GremiumDrbg       *drbg) G_GNUC_WARN_UNUSED_RESULT;
GBytes           *_gremium_teller_key_decrypt_full (GremiumTellerKey  *self,
                                                    GremiumTally      *tally,
                                                    GremiumDrbg       *drbg,
                                                    GError           **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
