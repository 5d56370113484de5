/* gremium-ballot.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gremium-crypto.h"
#include "gremium-election-key.h"

G_BEGIN_DECLS

/* The largest canonical ballot (32 options, any count from 0 to 32) is
 * about 24 KiB, and about 32 KiB in base64 inside a signed statement.
 */
#define GREMIUM_BALLOT_MAX_SIZE (32 * 1024)

/* The tracker is a SHA-256 digest of the ballot's bytes. */
#define GREMIUM_BALLOT_TRACKER_SIZE GREMIUM_HASH_SIZE

#define GREMIUM_TYPE_BALLOT (gremium_ballot_get_type ())

G_DECLARE_FINAL_TYPE (GremiumBallot, gremium_ballot, GREMIUM, BALLOT, GObject)

GremiumBallot *gremium_ballot_encrypt             (GremiumElectionKey  *key,
                                                   const char          *voter_id,
                                                   const guint8        *choices,
                                                   guint                n_choices,
                                                   GError             **error) G_GNUC_WARN_UNUSED_RESULT;
GremiumBallot *gremium_ballot_new_from_bytes      (GBytes              *bytes,
                                                   GError             **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean       gremium_ballot_verify              (GremiumBallot       *self,
                                                   GremiumElectionKey  *key,
                                                   const char          *voter_id,
                                                   GError             **error);
GBytes        *gremium_ballot_get_bytes           (GremiumBallot       *self);
const char    *gremium_ballot_get_meeting_id      (GremiumBallot       *self);
const char    *gremium_ballot_get_vote_id         (GremiumBallot       *self);
const char    *gremium_ballot_get_voter_id        (GremiumBallot       *self);
guint          gremium_ballot_get_n_options       (GremiumBallot       *self);
void           gremium_ballot_get_tracker         (GremiumBallot       *self,
                                                   guint8               tracker[GREMIUM_BALLOT_TRACKER_SIZE]);
char          *gremium_ballot_dup_tracker_string  (GremiumBallot       *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
