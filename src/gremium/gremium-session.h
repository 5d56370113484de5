/* gremium-session.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include <gremium-client.h>
#include <gremium-media-key-agent.h>
#include <gremium-meeting.h>

#include "gremium-identity-store.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_SESSION (gremium_session_get_type ())

G_DECLARE_FINAL_TYPE (GremiumSession, gremium_session, GREMIUM, SESSION, GObject)

GremiumSession       *gremium_session_new                (GSettings            *settings,
                                                          GremiumIdentityStore *store) G_GNUC_WARN_UNUSED_RESULT;
GSettings            *gremium_session_get_settings       (GremiumSession       *self);
GremiumIdentityStore *gremium_session_get_store          (GremiumSession       *self);
void                  gremium_session_set_identity       (GremiumSession       *self,
                                                          GremiumIdentity      *identity);
GremiumIdentity      *gremium_session_get_identity       (GremiumSession       *self);
char                 *gremium_session_normalize_url      (const char           *text,
                                                          GError              **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean              gremium_session_is_enrolled        (GremiumSession       *self,
                                                          const char           *url,
                                                          const char           *member_id);
void                  gremium_session_sign_in_async      (GremiumSession       *self,
                                                          const char           *url,
                                                          const char           *member_id,
                                                          const char           *code,
                                                          const char           *passphrase,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean              gremium_session_sign_in_finish     (GremiumSession       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void                  gremium_session_sign_out           (GremiumSession       *self);
void                  gremium_session_list_meetings_async (GremiumSession      *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
JsonArray            *gremium_session_list_meetings_finish (GremiumSession     *self,
                                                          GAsyncResult         *result,
                                                          GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void                  gremium_session_join_async         (GremiumSession       *self,
                                                          const char           *meeting_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean              gremium_session_join_finish        (GremiumSession       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void                  gremium_session_leave              (GremiumSession       *self);
void                  gremium_session_submit_async       (GremiumSession       *self,
                                                          const char           *kind,
                                                          JsonObject           *data,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean              gremium_session_submit_finish      (GremiumSession       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void                  gremium_session_cast_ballot_async  (GremiumSession       *self,
                                                          GremiumVote          *vote,
                                                          gint                  choice,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
char                 *gremium_session_cast_ballot_finish (GremiumSession       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject           *gremium_session_build_vote_open    (GremiumSession       *self,
                                                          GremiumVoteType       type,
                                                          const char           *question,
                                                          const char * const   *options,
                                                          GremiumMajority       majority,
                                                          const char * const   *tellers,
                                                          guint                 limit,
                                                          const char           *runoff_of,
                                                          GError              **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject           *gremium_session_build_quorum_confirm (GremiumSession     *self) G_GNUC_WARN_UNUSED_RESULT;
GremiumClient        *gremium_session_get_client         (GremiumSession       *self);
GremiumMeeting       *gremium_session_get_meeting        (GremiumSession       *self);
const char           *gremium_session_get_member_id      (GremiumSession       *self);
GremiumMember        *gremium_session_get_me             (GremiumSession       *self);
GremiumMediaKeyAgent *gremium_session_get_media_key_agent (GremiumSession     *self);
gboolean              gremium_session_get_is_chair       (GremiumSession       *self);
gboolean              gremium_session_get_may_chair      (GremiumSession       *self);
char                 *gremium_session_dup_server_fingerprint (GremiumSession   *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
