/* gremium-server-session.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _GremiumServer GremiumServer;

#define GREMIUM_TYPE_SERVER_SESSION (gremium_server_session_get_type ())

G_DECLARE_FINAL_TYPE (GremiumServerSession, gremium_server_session, GREMIUM, SERVER_SESSION, GObject)

GremiumServerSession *gremium_server_session_new          (GremiumServer           *server,
                                                           SoupWebsocketConnection *connection) G_GNUC_WARN_UNUSED_RESULT;
const char           *gremium_server_session_get_member_id (GremiumServerSession   *self);
gboolean              gremium_server_session_has_joined   (GremiumServerSession    *self,
                                                           const char              *meeting_id);
GPtrArray            *gremium_server_session_dup_joined   (GremiumServerSession    *self) G_GNUC_WARN_UNUSED_RESULT;
void                  gremium_server_session_send_text    (GremiumServerSession    *self,
                                                           const char              *text);
void                  gremium_server_session_close        (GremiumServerSession    *self,
                                                           gushort                  code,
                                                           const char              *reason);

G_END_DECLS
