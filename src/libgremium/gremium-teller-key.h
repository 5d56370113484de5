/* gremium-teller-key.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gremium-tally.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_TELLER_KEY (gremium_teller_key_get_type ())

G_DECLARE_FINAL_TYPE (GremiumTellerKey, gremium_teller_key, GREMIUM, TELLER_KEY, GObject)

GremiumTellerKey *gremium_teller_key_new              (const char        *meeting_id,
                                                       const char        *vote_id,
                                                       const char        *teller_id) G_GNUC_WARN_UNUSED_RESULT;
const char       *gremium_teller_key_get_meeting_id   (GremiumTellerKey  *self);
const char       *gremium_teller_key_get_vote_id      (GremiumTellerKey  *self);
const char       *gremium_teller_key_get_teller_id    (GremiumTellerKey  *self);
const guint8     *gremium_teller_key_get_public_key   (GremiumTellerKey  *self);
GBytes           *gremium_teller_key_get_public_share (GremiumTellerKey  *self);
GBytes           *gremium_teller_key_decrypt          (GremiumTellerKey  *self,
                                                       GremiumTally      *tally,
                                                       GError           **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
