/* gremium-vote-wizard.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gremium-session.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_VOTE_WIZARD (gremium_vote_wizard_get_type ())

G_DECLARE_FINAL_TYPE (GremiumVoteWizard, gremium_vote_wizard, GREMIUM, VOTE_WIZARD, AdwWindow)

GremiumVoteWizard *gremium_vote_wizard_new           (GremiumSession    *session) G_GNUC_WARN_UNUSED_RESULT;
void               gremium_vote_wizard_set_type      (GremiumVoteWizard *self,
                                                      GremiumVoteType    type);
void               gremium_vote_wizard_set_question  (GremiumVoteWizard *self,
                                                      const char        *question);
void               gremium_vote_wizard_set_options   (GremiumVoteWizard *self,
                                                      const char * const *options);
void               gremium_vote_wizard_set_majority  (GremiumVoteWizard *self,
                                                      GremiumMajority    majority);
void               gremium_vote_wizard_set_tellers   (GremiumVoteWizard *self,
                                                      const char * const *tellers);
void               gremium_vote_wizard_set_limit     (GremiumVoteWizard *self,
                                                      guint              minutes);
guint              gremium_vote_wizard_get_n_eligible (GremiumVoteWizard *self);
guint              gremium_vote_wizard_get_n_excluded (GremiumVoteWizard *self);
const char        *gremium_vote_wizard_get_error     (GremiumVoteWizard *self);

G_END_DECLS
