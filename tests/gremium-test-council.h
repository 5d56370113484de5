/* gremium-test-council.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gremium-error.h>
#include <gremium-teller-agent.h>
#include <gremium-vote-private.h>

#include "gremium-test-utils.h"

G_BEGIN_DECLS

/* A whole council on a real server for the vote tests: the chair "chair",
 * the minute-taker "clerk", the guest "guest", "staff" of the
 * administration and members m01 … mNN, each with their own client and
 * teller agent. The deputy "deputy" is on the
 * roster but never attends, so the minutes always have an absent member.
 * The meeting is open and agenda item 1 is current.
 */
typedef struct
{
  GremiumTestServer *ts;
  char              *meeting_id;
  guint              n_members;
  GPtrArray         *clients;      /* GremiumClient of everyone who attended */
  GHashTable        *agents;       /* member id → GremiumTellerAgent */
} GremiumTestCouncil;

GremiumTestCouncil *gremium_test_council_new          (guint                n_members,
                                                       guint                n_attending);
void                gremium_test_council_free         (GremiumTestCouncil  *c);
void                gremium_test_council_attend       (GremiumTestCouncil  *c,
                                                       const char          *member_id);
GremiumClient      *gremium_test_council_client       (GremiumTestCouncil  *c,
                                                       const char          *member_id);
GremiumMeeting     *gremium_test_council_view         (GremiumTestCouncil  *c,
                                                       const char          *member_id);
GremiumVote        *gremium_test_council_vote         (GremiumTestCouncil  *c,
                                                       const char          *member_id,
                                                       const char          *vote_id);
GremiumServerMeeting *gremium_test_council_server_meeting (GremiumTestCouncil *c);
guint64             gremium_test_council_size         (GremiumTestCouncil  *c);
void                gremium_test_council_sync         (GremiumTestCouncil  *c);
void                gremium_test_council_drop_agent   (GremiumTestCouncil  *c,
                                                       const char          *member_id);

guint64             gremium_test_council_submit       (GremiumTestCouncil  *c,
                                                       const char          *who,
                                                       const char          *kind,
                                                       JsonObject          *data);
void                gremium_test_council_refuse       (GremiumTestCouncil  *c,
                                                       const char          *who,
                                                       const char          *kind,
                                                       JsonObject          *data,
                                                       GremiumError         code);
GremiumStatement   *gremium_test_council_sign         (GremiumTestCouncil  *c,
                                                       const char          *who,
                                                       const char          *kind,
                                                       JsonObject          *data) G_GNUC_WARN_UNUSED_RESULT;
void                gremium_test_council_refuse_statement (GremiumTestCouncil *c,
                                                       const char          *who,
                                                       GremiumStatement    *statement,
                                                       GremiumError         code);
GremiumStatement   *gremium_test_council_find_statement (GremiumTestCouncil *c,
                                                       const char          *kind,
                                                       const char          *vote_id,
                                                       const char          *author,
                                                       guint64             *index);
char               *gremium_test_council_snapshot     (GremiumTestCouncil  *c) G_GNUC_WARN_UNUSED_RESULT;

JsonObject         *gremium_test_council_open_data    (GremiumTestCouncil  *c,
                                                       const char          *vote_id,
                                                       const char          *type,
                                                       const char          *majority,
                                                       const char * const  *options,
                                                       const char * const  *tellers,
                                                       guint                limit) G_GNUC_WARN_UNUSED_RESULT;
void                gremium_test_council_wait_state   (GremiumTestCouncil  *c,
                                                       const char          *vote_id,
                                                       GremiumVoteState     state);
JsonObject         *gremium_test_council_ballot_data  (GremiumTestCouncil  *c,
                                                       const char          *voter,
                                                       const char          *vote_id,
                                                       gint                 choice,
                                                       char               **tracker) G_GNUC_WARN_UNUSED_RESULT;
char               *gremium_test_council_cast         (GremiumTestCouncil  *c,
                                                       const char          *voter,
                                                       const char          *vote_id,
                                                       gint                 choice);
void                gremium_test_council_assert_agree (GremiumTestCouncil  *c,
                                                       const char          *vote_id);
void                gremium_test_council_publish      (GremiumTestCouncil  *c,
                                                       const char          *vote_id);

void                gremium_test_council_cast_range   (GremiumTestCouncil  *c,
                                                       const char          *vote_id,
                                                       guint                first,
                                                       guint                last,
                                                       gint                 choice);
void                gremium_test_council_assert_counts (GremiumTestCouncil *c,
                                                       const char          *vote_id,
                                                       const guint         *expected);
char               *gremium_test_council_result_text  (GremiumTestCouncil  *c,
                                                       const char          *vote_id,
                                                       const char          *language) G_GNUC_WARN_UNUSED_RESULT;
void                gremium_test_council_refuse_changed_results (GremiumTestCouncil *c,
                                                       const char          *vote_id);
JsonObject         *gremium_test_json_object_copy     (JsonObject          *object) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
