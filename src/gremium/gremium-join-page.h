/* gremium-join-page.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gremium-session.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_JOIN_PAGE (gremium_join_page_get_type ())

G_DECLARE_FINAL_TYPE (GremiumJoinPage, gremium_join_page, GREMIUM, JOIN_PAGE, AdwBin)

void        gremium_join_page_set_session    (GremiumJoinPage *self,
                                              GremiumSession  *session);
void        gremium_join_page_fill           (GremiumJoinPage *self,
                                              const char      *server,
                                              const char      *member,
                                              const char      *code);
void        gremium_join_page_set_passphrase (GremiumJoinPage *self,
                                              const char      *passphrase);
void        gremium_join_page_sign_in        (GremiumJoinPage *self);
const char *gremium_join_page_get_error      (GremiumJoinPage *self);
gboolean    gremium_join_page_get_busy       (GremiumJoinPage *self);

G_END_DECLS
