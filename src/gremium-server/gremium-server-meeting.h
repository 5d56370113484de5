/* gremium-server-meeting.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gremium-identity.h>
#include <gremium-meeting.h>
#include <gremium-merkle-tree.h>

#include "gremium-server-database.h"

G_BEGIN_DECLS

/**
 * GremiumServerAgendaItemSpec:
 * @title: the item's title
 * @is_public: whether the item is dealt with in public
 *
 * An agenda item for gremium_server_meeting_create().
 */
typedef struct
{
  const char *title;
  gboolean    is_public;
} GremiumServerAgendaItemSpec;

#define GREMIUM_TYPE_SERVER_MEETING (gremium_server_meeting_get_type ())

G_DECLARE_FINAL_TYPE (GremiumServerMeeting, gremium_server_meeting, GREMIUM, SERVER_MEETING, GObject)

char                 *gremium_server_meeting_create          (GremiumServerDatabase              *db,
                                                              GremiumIdentity                    *server_identity,
                                                              const char                         *server_name,
                                                              const char                         *title,
                                                              const char                         *body_name,
                                                              const char                         *place,
                                                              gint64                              scheduled,
                                                              GremiumQuorumBase                   quorum_base,
                                                              const GremiumServerAgendaItemSpec  *agenda,
                                                              guint                               n_agenda,
                                                              GError                            **error) G_GNUC_WARN_UNUSED_RESULT;
GremiumServerMeeting *gremium_server_meeting_load            (GremiumServerDatabase              *db,
                                                              GremiumIdentity                    *server_identity,
                                                              const char                         *meeting_id,
                                                              GError                            **error) G_GNUC_WARN_UNUSED_RESULT;
GremiumMeeting       *gremium_server_meeting_get_model       (GremiumServerMeeting               *self);
GremiumMerkleTree    *gremium_server_meeting_get_tree        (GremiumServerMeeting               *self);
const char           *gremium_server_meeting_get_id          (GremiumServerMeeting               *self);
guint64               gremium_server_meeting_get_size        (GremiumServerMeeting               *self);
GremiumRecordEntry   *gremium_server_meeting_get_entry       (GremiumServerMeeting               *self,
                                                              guint64                             index);
GremiumRecordEntry   *gremium_server_meeting_submit          (GremiumServerMeeting               *self,
                                                              GremiumStatement                   *statement,
                                                              GError                            **error);
GremiumRecordEntry   *gremium_server_meeting_submit_as_server (GremiumServerMeeting              *self,
                                                              const char                         *kind,
                                                              JsonObject                         *data,
                                                              GError                            **error);
const char           *gremium_server_meeting_get_checkpoint  (GremiumServerMeeting               *self);
char                 *gremium_server_meeting_dup_origin      (GremiumServerMeeting               *self) G_GNUC_WARN_UNUSED_RESULT;
gboolean              gremium_server_meeting_export          (GremiumServerMeeting               *self,
                                                              GOutputStream                      *stream,
                                                              GError                            **error);

G_END_DECLS
