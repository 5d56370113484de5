/* gremium-meetings-page.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gremium-session.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_MEETINGS_PAGE (gremium_meetings_page_get_type ())

G_DECLARE_FINAL_TYPE (GremiumMeetingsPage, gremium_meetings_page, GREMIUM, MEETINGS_PAGE, AdwBin)

void        gremium_meetings_page_set_session (GremiumMeetingsPage *self,
                                               GremiumSession      *session);
void        gremium_meetings_page_reload      (GremiumMeetingsPage *self);
guint       gremium_meetings_page_get_n_meetings (GremiumMeetingsPage *self);
const char *gremium_meetings_page_get_error   (GremiumMeetingsPage *self);
gboolean    gremium_meetings_page_activate_meeting (GremiumMeetingsPage *self,
                                                    const char          *meeting_id);

G_END_DECLS
