/* gremium-chat-panel.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gremium-session.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_CHAT_PANEL (gremium_chat_panel_get_type ())

G_DECLARE_FINAL_TYPE (GremiumChatPanel, gremium_chat_panel, GREMIUM, CHAT_PANEL, AdwBin)

void gremium_chat_panel_set_session (GremiumChatPanel *self,
                                     GremiumSession   *session);
void gremium_chat_panel_send        (GremiumChatPanel *self,
                                     const char       *text);

G_END_DECLS
