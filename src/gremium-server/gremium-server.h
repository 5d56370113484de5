/* gremium-server.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gremium-identity.h>

#include "gremium-server-config.h"
#include "gremium-server-database.h"
#include "gremium-server-meeting.h"

G_BEGIN_DECLS

/* Limits of the protocol; docs/protocol.md §1 lists them for clients. */
#define GREMIUM_SERVER_MAX_MESSAGE_SIZE      65536
#define GREMIUM_SERVER_MAX_FRAME_SIZE        (1024 * 1024)
#define GREMIUM_SERVER_RATE_BURST            200
#define GREMIUM_SERVER_RATE_PER_SECOND       50
#define GREMIUM_SERVER_MAX_RATE_DROPS        1000
#define GREMIUM_SERVER_LOGIN_TIMEOUT_SECONDS 30
#define GREMIUM_SERVER_CHALLENGE_SECONDS     60
#define GREMIUM_SERVER_MAX_PEER_BODY         65000
#define GREMIUM_SERVER_MAX_ENTRIES_PER_REPLY 500
#define GREMIUM_SERVER_MAX_REPLY_BYTES       (4 * 1024 * 1024)

#define GREMIUM_TYPE_SERVER (gremium_server_get_type ())

G_DECLARE_FINAL_TYPE (GremiumServer, gremium_server, GREMIUM, SERVER, GObject)

GremiumServer        *gremium_server_new             (const GremiumServerConfig  *config,
                                                      GremiumServerDatabase      *db,
                                                      GremiumIdentity            *identity) G_GNUC_WARN_UNUSED_RESULT;
gboolean              gremium_server_listen          (GremiumServer              *self,
                                                      GError                    **error);
guint                 gremium_server_get_port        (GremiumServer              *self);
char                 *gremium_server_dup_url         (GremiumServer              *self) G_GNUC_WARN_UNUSED_RESULT;
void                  gremium_server_shutdown        (GremiumServer              *self);
guint                 gremium_server_get_n_connections (GremiumServer            *self);
GremiumServerMeeting *gremium_server_lookup_meeting  (GremiumServer              *self,
                                                      const char                 *meeting_id,
                                                      GError                    **error);

G_END_DECLS
