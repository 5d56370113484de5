/* gremium-meeting.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gremium-agenda-item.h"
#include "gremium-chat-message.h"
#include "gremium-member.h"
#include "gremium-meeting-types.h"
#include "gremium-record-entry.h"
#include "gremium-speaker-request.h"
#include "gremium-vote.h"

G_BEGIN_DECLS

/* Statement kinds of the meeting core; docs/record.md describes each. */
#define GREMIUM_KIND_MEETING_CREATE     "meeting.create"
#define GREMIUM_KIND_MEETING_OPEN       "meeting.open"
#define GREMIUM_KIND_MEETING_CLOSE      "meeting.close"
#define GREMIUM_KIND_ROSTER_KEY_ADD     "roster.key-add"
#define GREMIUM_KIND_ROSTER_KEY_REVOKE  "roster.key-revoke"
#define GREMIUM_KIND_ATTENDANCE_JOIN    "attendance.join"
#define GREMIUM_KIND_ATTENDANCE_LEAVE   "attendance.leave"
#define GREMIUM_KIND_LOBBY_ADMIT        "lobby.admit"
#define GREMIUM_KIND_LOBBY_DENY         "lobby.deny"
#define GREMIUM_KIND_AGENDA_SELECT      "agenda.select"
#define GREMIUM_KIND_AGENDA_VISIBILITY  "agenda.visibility"
#define GREMIUM_KIND_AGENDA_ADD         "agenda.add"
#define GREMIUM_KIND_CONFLICT_DECLARE   "conflict.declare"
#define GREMIUM_KIND_CONFLICT_WITHDRAW  "conflict.withdraw"
#define GREMIUM_KIND_SPEAKERS_REQUEST   "speakers.request"
#define GREMIUM_KIND_SPEAKERS_WITHDRAW  "speakers.withdraw"
#define GREMIUM_KIND_SPEAKERS_GRANT     "speakers.grant"
#define GREMIUM_KIND_SPEAKERS_FINISH    "speakers.finish"
#define GREMIUM_KIND_MUTE_REQUEST       "mute.request"
#define GREMIUM_KIND_QUORUM_CONFIRM     "quorum.confirm"
#define GREMIUM_KIND_CHAT_MESSAGE       "chat.message"

/* How far a statement's own time may lie from the server's time of
 * acceptance. It bounds how long a captured statement could be replayed and
 * tolerates ordinary clock drift.
 */
#define GREMIUM_STATEMENT_TIME_WINDOW (5 * G_TIME_SPAN_MINUTE)

#define GREMIUM_MAX_SPEAKING_TIME_SECONDS 3600
#define GREMIUM_MAX_CHAT_LENGTH 2000
#define GREMIUM_MAX_TITLE_LENGTH 500
#define GREMIUM_MAX_NAME_LENGTH 200
#define GREMIUM_MAX_REASON_LENGTH 500
#define GREMIUM_MAX_ROSTER_SIZE 1000
#define GREMIUM_MAX_AGENDA_SIZE 200
#define GREMIUM_MAX_KEYS_PER_MEMBER 8

/**
 * GremiumQuorum:
 * @members: the number of voting members on the roster
 * @excluded: voting members excluded from the current item (Befangenheit)
 * @present: voting members present and entitled to vote on the current item
 * @required: how many must be present for the quorum
 * @reached: whether @present reaches @required
 *
 * The meeting's quorum (Beschlussfähigkeit) at this moment.
 */
typedef struct
{
  guint    members;
  guint    excluded;
  guint    present;
  guint    required;
  gboolean reached;
} GremiumQuorum;

#define GREMIUM_TYPE_MEETING (gremium_meeting_get_type ())

G_DECLARE_FINAL_TYPE (GremiumMeeting, gremium_meeting, GREMIUM, MEETING, GObject)

GremiumMeeting    *gremium_meeting_new                  (const guint8        server_key[GREMIUM_PUBLIC_KEY_SIZE]) G_GNUC_WARN_UNUSED_RESULT;
gboolean           gremium_meeting_check                (GremiumMeeting     *self,
                                                         GremiumStatement   *statement,
                                                         gint64              entry_time,
                                                         GError            **error);
gboolean           gremium_meeting_apply                (GremiumMeeting     *self,
                                                         GremiumRecordEntry *entry,
                                                         GError            **error);
guint64            gremium_meeting_get_n_entries        (GremiumMeeting     *self);
gint64             gremium_meeting_get_last_time        (GremiumMeeting     *self);
const guint8      *gremium_meeting_get_server_key       (GremiumMeeting     *self);
const char        *gremium_meeting_get_id               (GremiumMeeting     *self);
const char        *gremium_meeting_get_title            (GremiumMeeting     *self);
const char        *gremium_meeting_get_body_name        (GremiumMeeting     *self);
const char        *gremium_meeting_get_place            (GremiumMeeting     *self);
const char        *gremium_meeting_get_server_name      (GremiumMeeting     *self);
gint64             gremium_meeting_get_scheduled        (GremiumMeeting     *self);
gboolean           gremium_meeting_get_opened           (GremiumMeeting     *self);
gboolean           gremium_meeting_get_closed           (GremiumMeeting     *self);
GremiumQuorumBase  gremium_meeting_get_quorum_base      (GremiumMeeting     *self);
GListModel        *gremium_meeting_get_members          (GremiumMeeting     *self);
GremiumMember     *gremium_meeting_lookup_member        (GremiumMeeting     *self,
                                                         const char         *member_id);
gboolean           gremium_meeting_has_chair_powers     (GremiumMeeting     *self,
                                                         const char         *member_id);
GListModel        *gremium_meeting_get_agenda           (GremiumMeeting     *self);
GremiumAgendaItem *gremium_meeting_lookup_item          (GremiumMeeting     *self,
                                                         guint               item_id);
GremiumAgendaItem *gremium_meeting_get_current_item     (GremiumMeeting     *self);
GListModel        *gremium_meeting_get_speakers         (GremiumMeeting     *self);
const char        *gremium_meeting_get_current_speaker  (GremiumMeeting     *self);
gint64             gremium_meeting_get_speaker_since    (GremiumMeeting     *self);
guint              gremium_meeting_get_speaker_limit    (GremiumMeeting     *self);
GListModel        *gremium_meeting_get_chat             (GremiumMeeting     *self);
void               gremium_meeting_get_quorum           (GremiumMeeting     *self,
                                                         GremiumQuorum      *quorum);
char             **gremium_meeting_dup_eligible         (GremiumMeeting     *self) G_GNUC_WARN_UNUSED_RESULT;
GListModel        *gremium_meeting_get_votes            (GremiumMeeting     *self);
GremiumVote       *gremium_meeting_lookup_vote          (GremiumMeeting     *self,
                                                         const char         *vote_id);
GremiumVote       *gremium_meeting_get_current_vote     (GremiumMeeting     *self);

G_END_DECLS
