/* gremium-vote-panel.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gremium-session.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_VOTE_PANEL (gremium_vote_panel_get_type ())

G_DECLARE_FINAL_TYPE (GremiumVotePanel, gremium_vote_panel, GREMIUM, VOTE_PANEL, AdwBin)

/**
 * GremiumVotePanelStep:
 * @GREMIUM_VOTE_PANEL_STEP_NONE: no vote to show
 * @GREMIUM_VOTE_PANEL_STEP_WAITING: a vote exists, this member cannot vote (now)
 * @GREMIUM_VOTE_PANEL_STEP_CHOOSING: the member may vote and has not
 * @GREMIUM_VOTE_PANEL_STEP_CASTING: the ballot is on its way
 * @GREMIUM_VOTE_PANEL_STEP_COUNTED: the ballot is in the signed record, its receipt checked
 * @GREMIUM_VOTE_PANEL_STEP_VERIFIED: the outcome follows from the record, decided by this client
 *
 * What the voting panel shows for the current vote.
 */
typedef enum
{
  GREMIUM_VOTE_PANEL_STEP_NONE,
  GREMIUM_VOTE_PANEL_STEP_WAITING,
  GREMIUM_VOTE_PANEL_STEP_CHOOSING,
  GREMIUM_VOTE_PANEL_STEP_CASTING,
  GREMIUM_VOTE_PANEL_STEP_COUNTED,
  GREMIUM_VOTE_PANEL_STEP_VERIFIED,
} GremiumVotePanelStep;

void                  gremium_vote_panel_set_session        (GremiumVotePanel *self,
                                                             GremiumSession   *session);
GremiumVotePanelStep  gremium_vote_panel_get_step           (GremiumVotePanel *self);
GremiumVote          *gremium_vote_panel_get_vote           (GremiumVotePanel *self);
void                  gremium_vote_panel_select             (GremiumVotePanel *self,
                                                             gint              choice);
AdwMessageDialog     *gremium_vote_panel_get_confirm_dialog (GremiumVotePanel *self);
const char           *gremium_vote_panel_get_tracker        (GremiumVotePanel *self);
const char           *gremium_vote_panel_get_status         (GremiumVotePanel *self);
const char           *gremium_vote_panel_get_result         (GremiumVotePanel *self);
const char           *gremium_vote_panel_get_error          (GremiumVotePanel *self);

G_END_DECLS
