/* gremium-vote-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-meeting.h"
#include "gremium-merkle-tree.h"
#include "gremium-vote.h"

G_BEGIN_DECLS

/* A validated vote statement, ready to be applied; applying cannot fail. */
typedef struct _GremiumVoteChange GremiumVoteChange;

gboolean           _gremium_vote_is_vote_kind       (const char          *kind);
GremiumVoteChange *_gremium_vote_change_prepare     (GremiumMeeting      *meeting,
                                                     GremiumStatement    *statement,
                                                     GremiumMember       *author,
                                                     gint64               entry_time,
                                                     GError             **error);
void               _gremium_vote_change_apply       (GremiumVoteChange   *change,
                                                     GremiumMeeting      *meeting,
                                                     GremiumRecordEntry  *entry,
                                                     GremiumMerkleTree   *tree);
void               _gremium_vote_change_free        (GremiumVoteChange   *change);
gboolean           _gremium_vote_is_in_progress     (GremiumVote         *self);
guint8            *_gremium_vote_lot_commitment     (const char          *vote_id,
                                                     const char          *teller_id,
                                                     const guint8         value[GREMIUM_VOTE_LOT_VALUE_SIZE]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GremiumVoteChange, _gremium_vote_change_free)

G_END_DECLS
