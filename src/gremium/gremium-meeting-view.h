/* gremium-meeting-view.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gremium-media-controller.h"
#include "gremium-session.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_MEETING_VIEW (gremium_meeting_view_get_type ())

G_DECLARE_FINAL_TYPE (GremiumMeetingView, gremium_meeting_view, GREMIUM, MEETING_VIEW, AdwBin)

void        gremium_meeting_view_set_session     (GremiumMeetingView     *self,
                                                  GremiumSession         *session,
                                                  GremiumMediaController *media);
void        gremium_meeting_view_show_panel      (GremiumMeetingView     *self,
                                                  const char             *name);
const char *gremium_meeting_view_get_panel       (GremiumMeetingView     *self);
void        gremium_meeting_view_toggle_sidebar  (GremiumMeetingView     *self);
void        gremium_meeting_view_show_security   (GremiumMeetingView     *self);
void        gremium_meeting_view_show_notice     (GremiumMeetingView     *self,
                                                  const char             *text);
const char *gremium_meeting_view_get_banner      (GremiumMeetingView     *self);
GtkWidget  *gremium_meeting_view_get_vote_panel  (GremiumMeetingView     *self);

G_END_DECLS
