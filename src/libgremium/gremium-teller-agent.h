/* gremium-teller-agent.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-client.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_TELLER_AGENT (gremium_teller_agent_get_type ())

G_DECLARE_FINAL_TYPE (GremiumTellerAgent, gremium_teller_agent, GREMIUM, TELLER_AGENT, GObject)

GremiumTellerAgent *gremium_teller_agent_new          (GremiumClient      *client,
                                                       const char         *meeting_id) G_GNUC_WARN_UNUSED_RESULT;
gboolean            gremium_teller_agent_holds_secret (GremiumTellerAgent *self,
                                                       const char         *vote_id);

G_END_DECLS
