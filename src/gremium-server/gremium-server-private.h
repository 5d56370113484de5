/* gremium-server-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-server.h"
#include "gremium-server-session.h"

G_BEGIN_DECLS

GremiumServerDatabase     *_gremium_server_get_database           (GremiumServer        *self);
GremiumIdentity           *_gremium_server_get_identity           (GremiumServer        *self);
const GremiumServerConfig *_gremium_server_get_config             (GremiumServer        *self);
guint                      _gremium_server_count_member_sessions  (GremiumServer        *self,
                                                                   const char           *member_id);
void                       _gremium_server_session_closed         (GremiumServer        *self,
                                                                   GremiumServerSession *session);
void                       _gremium_server_member_gone            (GremiumServer        *self,
                                                                   GremiumServerSession *session,
                                                                   GremiumServerMeeting *meeting);
void                       _gremium_server_broadcast_entry        (GremiumServer        *self,
                                                                   GremiumServerMeeting *meeting,
                                                                   GremiumRecordEntry   *entry);
gboolean                   _gremium_server_relay_peer             (GremiumServer        *self,
                                                                   GremiumServerMeeting *meeting,
                                                                   const char           *from,
                                                                   const char           *to,
                                                                   const char           *body);
void                       _gremium_server_member_enrolled        (GremiumServer        *self,
                                                                   const char           *member_id,
                                                                   const guint8          key[GREMIUM_PUBLIC_KEY_SIZE]);
GPtrArray                 *_gremium_server_list_member_meetings   (GremiumServer        *self,
                                                                   const char           *member_id);

G_END_DECLS
