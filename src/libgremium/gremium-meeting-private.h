/* gremium-meeting-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-meeting.h"
#include "gremium-vote.h"

G_BEGIN_DECLS

/* Used by the vote statements, which live in gremium-vote.c. */
GremiumVote         *_gremium_meeting_get_current_vote (GremiumMeeting *self);
void                 _gremium_meeting_add_vote         (GremiumMeeting *self,
                                                        GremiumVote    *vote);
GremiumElectionBase  _gremium_meeting_get_election_base (GremiumMeeting *self);

G_END_DECLS
