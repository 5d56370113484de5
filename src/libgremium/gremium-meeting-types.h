/* gremium-meeting-types.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GremiumRole:
 * @GREMIUM_ROLE_CHAIR: the chairperson (Vorsitz); a voting member
 * @GREMIUM_ROLE_DEPUTY: the deputy chair; a voting member who holds the chair's
 *   powers while no chair is present
 * @GREMIUM_ROLE_MEMBER: a council member (Ratsmitglied); votes
 * @GREMIUM_ROLE_MINUTE_TAKER: the minute-taker (Schriftführer); does not vote
 * @GREMIUM_ROLE_STAFF: administration staff; takes part, does not vote
 * @GREMIUM_ROLE_GUEST: a guest; takes part, does not vote
 *
 * A participant's role in a meeting.
 */
typedef enum
{
  GREMIUM_ROLE_CHAIR,
  GREMIUM_ROLE_DEPUTY,
  GREMIUM_ROLE_MEMBER,
  GREMIUM_ROLE_MINUTE_TAKER,
  GREMIUM_ROLE_STAFF,
  GREMIUM_ROLE_GUEST,
} GremiumRole;

/**
 * GremiumPresence:
 * @GREMIUM_PRESENCE_ABSENT: not in the meeting
 * @GREMIUM_PRESENCE_LOBBY: waiting in the lobby to be admitted
 * @GREMIUM_PRESENCE_PRESENT: taking part
 *
 * Where a participant is.
 */
typedef enum
{
  GREMIUM_PRESENCE_ABSENT,
  GREMIUM_PRESENCE_LOBBY,
  GREMIUM_PRESENCE_PRESENT,
} GremiumPresence;

/**
 * GremiumSpeechKind:
 * @GREMIUM_SPEECH_KIND_SPEECH: an ordinary request to speak
 * @GREMIUM_SPEECH_KIND_POINT_OF_ORDER: a point of order (Antrag zur
 *   Geschäftsordnung), which goes ahead of ordinary requests
 *
 * The kind of a request to speak.
 */
typedef enum
{
  GREMIUM_SPEECH_KIND_SPEECH,
  GREMIUM_SPEECH_KIND_POINT_OF_ORDER,
} GremiumSpeechKind;

/**
 * GremiumQuorumBase:
 * @GREMIUM_QUORUM_BASE_MEMBERS: more than half of all voting members must be
 *   present and entitled to vote (default, after ThürKO § 36)
 * @GREMIUM_QUORUM_BASE_MEMBERS_NOT_EXCLUDED: the base is reduced by the members
 *   excluded for a conflict of interest on the current item, as some states do
 *
 * Which number "more than half" refers to when the quorum is computed.
 */
typedef enum
{
  GREMIUM_QUORUM_BASE_MEMBERS,
  GREMIUM_QUORUM_BASE_MEMBERS_NOT_EXCLUDED,
} GremiumQuorumBase;

const char *gremium_role_to_string         (GremiumRole        role);
gboolean    gremium_role_from_string       (const char        *text,
                                            GremiumRole       *role);
gboolean    gremium_role_can_vote          (GremiumRole        role);
const char *gremium_presence_to_string     (GremiumPresence    presence);
const char *gremium_speech_kind_to_string  (GremiumSpeechKind  kind);
gboolean    gremium_speech_kind_from_string (const char       *text,
                                            GremiumSpeechKind *kind);
const char *gremium_quorum_base_to_string  (GremiumQuorumBase  base);
gboolean    gremium_quorum_base_from_string (const char       *text,
                                            GremiumQuorumBase *base);

G_END_DECLS
