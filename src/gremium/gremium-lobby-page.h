/* gremium-lobby-page.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GREMIUM_TYPE_LOBBY_PAGE (gremium_lobby_page_get_type ())

G_DECLARE_FINAL_TYPE (GremiumLobbyPage, gremium_lobby_page, GREMIUM, LOBBY_PAGE, AdwBin)

void gremium_lobby_page_set_meeting_title (GremiumLobbyPage *self,
                                           const char       *title);

G_END_DECLS
