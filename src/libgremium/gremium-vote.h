/* gremium-vote.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "gremium-election-key.h"
#include "gremium-tally.h"

G_BEGIN_DECLS

/**
 * GremiumVoteType:
 * @GREMIUM_VOTE_TYPE_OPEN: an open vote (show of hands); every ballot is
 *   signed and public, the minutes show the counts
 * @GREMIUM_VOTE_TYPE_NAMED: a named (roll-call) vote; the minutes show every
 *   member's choice
 * @GREMIUM_VOTE_TYPE_SECRET: a secret vote on a motion, with encrypted ballots
 * @GREMIUM_VOTE_TYPE_ELECTION: a secret election between candidates
 *
 * How a vote is held (ThürKO § 39).
 */
typedef enum
{
  GREMIUM_VOTE_TYPE_OPEN,
  GREMIUM_VOTE_TYPE_NAMED,
  GREMIUM_VOTE_TYPE_SECRET,
  GREMIUM_VOTE_TYPE_ELECTION,
} GremiumVoteType;

/**
 * GremiumMajority:
 * @GREMIUM_MAJORITY_SIMPLE: more approvals than rejections among the votes
 *   cast; abstentions do not count; a tie rejects
 * @GREMIUM_MAJORITY_ABSOLUTE: approvals from more than half of all voting
 *   members on the roster
 * @GREMIUM_MAJORITY_TWO_THIRDS: approvals from at least two thirds of the
 *   approvals and rejections cast
 * @GREMIUM_MAJORITY_ELECTION: the election rule: more than half of the base
 *   (see #GremiumElectionBase), otherwise a runoff between the two best,
 *   a tie in the runoff decided by lot
 *
 * The majority a vote needs.
 */
typedef enum
{
  GREMIUM_MAJORITY_SIMPLE,
  GREMIUM_MAJORITY_ABSOLUTE,
  GREMIUM_MAJORITY_TWO_THIRDS,
  GREMIUM_MAJORITY_ELECTION,
} GremiumMajority;

/**
 * GremiumElectionBase:
 * @GREMIUM_ELECTION_BASE_ELIGIBLE: more than half of the members present and
 *   entitled to vote (the default, after ThürKO § 39)
 * @GREMIUM_ELECTION_BASE_VALID_VOTES: more than half of the ballots that name
 *   a candidate
 *
 * What "more than half" refers to in an election's first round.
 */
typedef enum
{
  GREMIUM_ELECTION_BASE_ELIGIBLE,
  GREMIUM_ELECTION_BASE_VALID_VOTES,
} GremiumElectionBase;

/**
 * GremiumVoteState:
 * @GREMIUM_VOTE_STATE_COLLECTING_KEYS: a secret vote waits for its tellers' key shares
 * @GREMIUM_VOTE_STATE_OPEN: ballots are accepted
 * @GREMIUM_VOTE_STATE_CLOSED: no more ballots; a secret tally waits for decryption shares
 * @GREMIUM_VOTE_STATE_AWAITING_LOT: the counts are known; a tie waits for the tellers' lot values
 * @GREMIUM_VOTE_STATE_DECIDED: the outcome follows from the record
 * @GREMIUM_VOTE_STATE_PUBLISHED: the chair recorded the result statement
 * @GREMIUM_VOTE_STATE_CANCELLED: the chair cancelled the vote
 *
 * Where a vote stands.
 */
typedef enum
{
  GREMIUM_VOTE_STATE_COLLECTING_KEYS,
  GREMIUM_VOTE_STATE_OPEN,
  GREMIUM_VOTE_STATE_CLOSED,
  GREMIUM_VOTE_STATE_AWAITING_LOT,
  GREMIUM_VOTE_STATE_DECIDED,
  GREMIUM_VOTE_STATE_PUBLISHED,
  GREMIUM_VOTE_STATE_CANCELLED,
} GremiumVoteState;

/**
 * GremiumVoteOutcome:
 * @GREMIUM_VOTE_OUTCOME_NONE: not decided (yet)
 * @GREMIUM_VOTE_OUTCOME_ADOPTED: the motion is adopted
 * @GREMIUM_VOTE_OUTCOME_REJECTED: the motion is rejected
 * @GREMIUM_VOTE_OUTCOME_ELECTED: a candidate is elected
 * @GREMIUM_VOTE_OUTCOME_RUNOFF: nobody reached the majority; two candidates go to a runoff
 * @GREMIUM_VOTE_OUTCOME_NOT_ELECTED: nobody is elected and no runoff is possible
 *
 * What a decided vote decided.
 */
typedef enum
{
  GREMIUM_VOTE_OUTCOME_NONE,
  GREMIUM_VOTE_OUTCOME_ADOPTED,
  GREMIUM_VOTE_OUTCOME_REJECTED,
  GREMIUM_VOTE_OUTCOME_ELECTED,
  GREMIUM_VOTE_OUTCOME_RUNOFF,
  GREMIUM_VOTE_OUTCOME_NOT_ELECTED,
} GremiumVoteOutcome;

/* Statement kinds of votes; docs/voting.md describes each. */
#define GREMIUM_KIND_VOTE_OPEN        "vote.open"
#define GREMIUM_KIND_VOTE_TELLER_KEY  "vote.teller-key"
#define GREMIUM_KIND_VOTE_BALLOT      "vote.ballot"
#define GREMIUM_KIND_VOTE_CLOSE       "vote.close"
#define GREMIUM_KIND_VOTE_DECRYPTION  "vote.decryption"
#define GREMIUM_KIND_VOTE_LOT         "vote.lot"
#define GREMIUM_KIND_VOTE_RESULT      "vote.result"
#define GREMIUM_KIND_VOTE_CANCEL      "vote.cancel"
#define GREMIUM_KIND_VOTE_RECORD_OWN  "vote.record-own"

#define GREMIUM_VOTE_MAX_OPTIONS 32
#define GREMIUM_VOTE_MAX_TELLERS 16
#define GREMIUM_VOTE_MAX_QUESTION_LENGTH 1000
#define GREMIUM_VOTE_MAX_OPTION_LENGTH 200
#define GREMIUM_VOTE_MAX_TIME_LIMIT_SECONDS (24 * 3600)
#define GREMIUM_VOTE_LOT_VALUE_SIZE 32

#define GREMIUM_TYPE_VOTE (gremium_vote_get_type ())

G_DECLARE_FINAL_TYPE (GremiumVote, gremium_vote, GREMIUM, VOTE, GObject)

const char          *gremium_vote_type_to_string      (GremiumVoteType     type);
gboolean             gremium_vote_type_from_string    (const char         *text,
                                                       GremiumVoteType    *type);
const char          *gremium_majority_to_string       (GremiumMajority     majority);
gboolean             gremium_majority_from_string     (const char         *text,
                                                       GremiumMajority    *majority);
const char          *gremium_election_base_to_string  (GremiumElectionBase base);
gboolean             gremium_election_base_from_string (const char        *text,
                                                       GremiumElectionBase *base);
const char          *gremium_vote_outcome_to_string   (GremiumVoteOutcome  outcome);

const char          *gremium_vote_get_id              (GremiumVote        *self);
GremiumVoteType      gremium_vote_get_vote_type       (GremiumVote        *self);
gboolean             gremium_vote_is_secret           (GremiumVote        *self);
const char          *gremium_vote_get_question        (GremiumVote        *self);
guint                gremium_vote_get_item            (GremiumVote        *self);
guint                gremium_vote_get_n_options       (GremiumVote        *self);
const char          *gremium_vote_get_option          (GremiumVote        *self,
                                                       guint               index);
const char * const  *gremium_vote_get_eligible        (GremiumVote        *self);
gboolean             gremium_vote_is_eligible         (GremiumVote        *self,
                                                       const char         *member_id);
const char * const  *gremium_vote_get_tellers         (GremiumVote        *self);
gboolean             gremium_vote_is_teller           (GremiumVote        *self,
                                                       const char         *member_id);
GremiumMajority      gremium_vote_get_majority        (GremiumVote        *self);
const char          *gremium_vote_get_runoff_of       (GremiumVote        *self);
gint64               gremium_vote_get_deadline        (GremiumVote        *self);
GremiumVoteState     gremium_vote_get_state           (GremiumVote        *self);
gboolean             gremium_vote_has_voted           (GremiumVote        *self,
                                                       const char         *member_id);
guint                gremium_vote_get_n_ballots       (GremiumVote        *self);
char               **gremium_vote_dup_voters          (GremiumVote        *self) G_GNUC_WARN_UNUSED_RESULT;
gint                 gremium_vote_get_choice          (GremiumVote        *self,
                                                       const char         *member_id);
char                *gremium_vote_dup_tracker         (GremiumVote        *self,
                                                       const char         *member_id) G_GNUC_WARN_UNUSED_RESULT;
gboolean             gremium_vote_has_teller_key      (GremiumVote        *self,
                                                       const char         *teller_id);
gboolean             gremium_vote_has_decryption      (GremiumVote        *self,
                                                       const char         *teller_id);
gboolean             gremium_vote_has_lot_value       (GremiumVote        *self,
                                                       const char         *teller_id);
GremiumElectionKey  *gremium_vote_get_election_key    (GremiumVote        *self);
GremiumTally        *gremium_vote_get_tally           (GremiumVote        *self);
const guint         *gremium_vote_get_counts          (GremiumVote        *self);
GremiumVoteOutcome   gremium_vote_get_outcome         (GremiumVote        *self);
gint                 gremium_vote_get_elected         (GremiumVote        *self);
gboolean             gremium_vote_get_runoff          (GremiumVote        *self,
                                                       guint              *first,
                                                       guint              *second);
gboolean             gremium_vote_get_decided_by_lot  (GremiumVote        *self);
gboolean             gremium_vote_wants_recorded      (GremiumVote        *self,
                                                       const char         *member_id);
JsonObject          *gremium_vote_build_result        (GremiumVote        *self) G_GNUC_WARN_UNUSED_RESULT;
char                *gremium_vote_format_result       (GremiumVote        *self,
                                                       const char         *language) G_GNUC_WARN_UNUSED_RESULT;
JsonObject          *gremium_vote_build_ballot        (GremiumVote        *self,
                                                       const char         *voter_id,
                                                       const guint8       *choices,
                                                       guint               n_choices,
                                                       char              **tracker,
                                                       GError            **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
