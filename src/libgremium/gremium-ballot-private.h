/* gremium-ballot-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-ballot.h"
#include "gremium-group-private.h"
#include "gremium-ristretto-private.h"

G_BEGIN_DECLS

GremiumBallot               *_gremium_ballot_encrypt_full     (GremiumElectionKey  *key,
                                                               const char          *voter_id,
                                                               const guint8        *choices,
                                                               guint                n_choices,
                                                               GremiumDrbg         *drbg,
                                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean                     _gremium_ballot_verify_full      (GremiumBallot       *self,
                                                               GremiumElectionKey  *key,
                                                               const char          *voter_id,
                                                               gboolean             reference,
                                                               GError             **error);
gboolean                     _gremium_ballot_verify_many      (GremiumBallot      **ballots,
                                                               guint                n_ballots,
                                                               GremiumElectionKey  *key,
                                                               GError             **errors);
gboolean                     _gremium_ballot_is_verified_for  (GremiumBallot       *self,
                                                               GremiumElectionKey  *key);
const guint8                *_gremium_ballot_get_alpha        (GremiumBallot       *self,
                                                               guint                option);
const guint8                *_gremium_ballot_get_beta         (GremiumBallot       *self,
                                                               guint                option);
gboolean                     _gremium_ballot_get_points       (GremiumBallot       *self,
                                                               guint                option,
                                                               GremiumRistrettoPoint *alpha,
                                                               GremiumRistrettoPoint *beta);

G_END_DECLS
