/* gremium-ui-util.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include <gremium-meeting.h>

G_BEGIN_DECLS

char       *gremium_describe_error          (const GError     *error) G_GNUC_WARN_UNUSED_RESULT;
char       *gremium_initials                (const char       *name) G_GNUC_WARN_UNUSED_RESULT;
const char *gremium_role_label              (GremiumRole       role);
const char *gremium_vote_type_label         (GremiumVoteType   type);
const char *gremium_vote_state_label        (GremiumVoteState  state);
const char *gremium_majority_label          (GremiumMajority   majority);
char       *gremium_format_seconds          (gint64            seconds) G_GNUC_WARN_UNUSED_RESULT;
char       *gremium_format_time_of_day      (gint64            unix_usec) G_GNUC_WARN_UNUSED_RESULT;
const char *gremium_ui_language             (void);
const char *gremium_member_name             (GremiumMeeting   *meeting,
                                             const char       *member_id);
char       *gremium_item_label              (GremiumAgendaItem *item) G_GNUC_WARN_UNUSED_RESULT;
gboolean    gremium_widget_save_png         (GtkWidget        *widget,
                                             const char       *path,
                                             GError          **error);
void        gremium_clear_box               (GtkWidget        *box);

G_END_DECLS
