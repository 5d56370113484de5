/* gremium-client.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gremium-identity.h"
#include "gremium-meeting.h"

G_BEGIN_DECLS

/**
 * GremiumClientState:
 * @GREMIUM_CLIENT_STATE_DISCONNECTED: not connected
 * @GREMIUM_CLIENT_STATE_CONNECTING: connecting and logging in
 * @GREMIUM_CLIENT_STATE_CONNECTED: logged in
 * @GREMIUM_CLIENT_STATE_RECONNECTING: the connection was lost; trying again
 *
 * The state of a client's connection.
 */
typedef enum
{
  GREMIUM_CLIENT_STATE_DISCONNECTED,
  GREMIUM_CLIENT_STATE_CONNECTING,
  GREMIUM_CLIENT_STATE_CONNECTED,
  GREMIUM_CLIENT_STATE_RECONNECTING,
} GremiumClientState;

#define GREMIUM_TYPE_CLIENT (gremium_client_get_type ())

G_DECLARE_FINAL_TYPE (GremiumClient, gremium_client, GREMIUM, CLIENT, GObject)

GremiumClient     *gremium_client_new                  (const char           *url,
                                                        GremiumIdentity      *identity,
                                                        const char           *member_id) G_GNUC_WARN_UNUSED_RESULT;
const char        *gremium_client_get_url              (GremiumClient        *self);
const char        *gremium_client_get_member_id        (GremiumClient        *self);
GremiumIdentity   *gremium_client_get_identity         (GremiumClient        *self);
GremiumClientState gremium_client_get_state            (GremiumClient        *self);
void               gremium_client_set_pinned_server_key (GremiumClient       *self,
                                                        const char           *server_key);
const char        *gremium_client_get_server_key       (GremiumClient        *self);
const char        *gremium_client_get_server_name      (GremiumClient        *self);
void               gremium_client_set_auto_reconnect   (GremiumClient        *self,
                                                        gboolean              auto_reconnect);
void               gremium_client_set_tls_database     (GremiumClient        *self,
                                                        GTlsDatabase         *database);
void               gremium_client_connect_async        (GremiumClient        *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean           gremium_client_connect_finish       (GremiumClient        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void               gremium_client_enrol_async          (GremiumClient        *self,
                                                        const char           *code,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean           gremium_client_enrol_finish         (GremiumClient        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void               gremium_client_request_async        (GremiumClient        *self,
                                                        JsonObject           *request,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
JsonObject        *gremium_client_request_finish       (GremiumClient        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void               gremium_client_list_meetings_async  (GremiumClient        *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
JsonArray         *gremium_client_list_meetings_finish (GremiumClient        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void               gremium_client_join_meeting_async   (GremiumClient        *self,
                                                        const char           *meeting_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GremiumMeeting    *gremium_client_join_meeting_finish  (GremiumClient        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
GremiumMeeting    *gremium_client_get_meeting          (GremiumClient        *self,
                                                        const char           *meeting_id);
void               gremium_client_submit_async         (GremiumClient        *self,
                                                        const char           *meeting_id,
                                                        const char           *kind,
                                                        JsonObject           *data,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean           gremium_client_submit_finish        (GremiumClient        *self,
                                                        GAsyncResult         *result,
                                                        guint64              *index,
                                                        GError              **error);
void               gremium_client_send_peer_async      (GremiumClient        *self,
                                                        const char           *meeting_id,
                                                        const char           *to,
                                                        const char           *body,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean           gremium_client_send_peer_finish     (GremiumClient        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void               gremium_client_disconnect           (GremiumClient        *self);
void               gremium_client_drop_connection      (GremiumClient        *self);

G_END_DECLS
