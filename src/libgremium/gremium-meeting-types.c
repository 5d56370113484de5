/* gremium-meeting-types.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-meeting"

#include "config.h"

#include "gremium-meeting-types.h"

/* These spellings are part of the record format (docs/record.md); never
 * change one.
 */
static const char * const role_names[] = {
  [GREMIUM_ROLE_CHAIR] = "chair",
  [GREMIUM_ROLE_DEPUTY] = "deputy",
  [GREMIUM_ROLE_MEMBER] = "member",
  [GREMIUM_ROLE_MINUTE_TAKER] = "minute-taker",
  [GREMIUM_ROLE_STAFF] = "staff",
  [GREMIUM_ROLE_GUEST] = "guest",
};

static const char * const presence_names[] = {
  [GREMIUM_PRESENCE_ABSENT] = "absent",
  [GREMIUM_PRESENCE_LOBBY] = "lobby",
  [GREMIUM_PRESENCE_PRESENT] = "present",
};

static const char * const speech_kind_names[] = {
  [GREMIUM_SPEECH_KIND_SPEECH] = "speech",
  [GREMIUM_SPEECH_KIND_POINT_OF_ORDER] = "point-of-order",
};

static const char * const quorum_base_names[] = {
  [GREMIUM_QUORUM_BASE_MEMBERS] = "members",
  [GREMIUM_QUORUM_BASE_MEMBERS_NOT_EXCLUDED] = "members-not-excluded",
};

static gboolean
lookup (const char * const *names,
        guint               n_names,
        const char         *text,
        guint              *out)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (g_str_equal (names[i], text))
        {
          *out = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * gremium_role_to_string:
 * @role: a role
 *
 * Returns: (transfer none): the role's name in the record, e.g. `"minute-taker"`
 */
const char *
gremium_role_to_string (GremiumRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);

  return role_names[role];
}

/**
 * gremium_role_from_string:
 * @text: a role's name in the record
 * @role: (out): the role
 *
 * Returns: %TRUE if @text names a role
 */
gboolean
gremium_role_from_string (const char  *text,
                          GremiumRole *role)
{
  guint value;

  g_return_val_if_fail (role != NULL, FALSE);

  if (!lookup (role_names, G_N_ELEMENTS (role_names), text, &value))
    return FALSE;

  *role = (GremiumRole) value;
  return TRUE;
}

/**
 * gremium_role_can_vote:
 * @role: a role
 *
 * Chair, deputy and members are the council's voting members; they count
 * for the quorum. Minute-taker, staff and guests never vote.
 *
 * Returns: %TRUE if participants with @role are voting members
 */
gboolean
gremium_role_can_vote (GremiumRole role)
{
  switch (role)
    {
    case GREMIUM_ROLE_CHAIR:
    case GREMIUM_ROLE_DEPUTY:
    case GREMIUM_ROLE_MEMBER:
      return TRUE;

    case GREMIUM_ROLE_MINUTE_TAKER:
    case GREMIUM_ROLE_STAFF:
    case GREMIUM_ROLE_GUEST:
    default:
      return FALSE;
    }
}

/**
 * gremium_presence_to_string:
 * @presence: a presence
 *
 * Returns: (transfer none): the presence's name on the wire
 */
const char *
gremium_presence_to_string (GremiumPresence presence)
{
  g_return_val_if_fail ((guint) presence < G_N_ELEMENTS (presence_names), NULL);

  return presence_names[presence];
}

/**
 * gremium_speech_kind_to_string:
 * @kind: a kind of request to speak
 *
 * Returns: (transfer none): the kind's name in the record
 */
const char *
gremium_speech_kind_to_string (GremiumSpeechKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (speech_kind_names), NULL);

  return speech_kind_names[kind];
}

/**
 * gremium_speech_kind_from_string:
 * @text: a kind's name in the record
 * @kind: (out): the kind
 *
 * Returns: %TRUE if @text names a kind of request to speak
 */
gboolean
gremium_speech_kind_from_string (const char        *text,
                                 GremiumSpeechKind *kind)
{
  guint value;

  g_return_val_if_fail (kind != NULL, FALSE);

  if (!lookup (speech_kind_names, G_N_ELEMENTS (speech_kind_names), text, &value))
    return FALSE;

  *kind = (GremiumSpeechKind) value;
  return TRUE;
}

/**
 * gremium_quorum_base_to_string:
 * @base: a quorum base
 *
 * Returns: (transfer none): the base's name in the record
 */
const char *
gremium_quorum_base_to_string (GremiumQuorumBase base)
{
  g_return_val_if_fail ((guint) base < G_N_ELEMENTS (quorum_base_names), NULL);

  return quorum_base_names[base];
}

/**
 * gremium_quorum_base_from_string:
 * @text: a base's name in the record
 * @base: (out): the base
 *
 * Returns: %TRUE if @text names a quorum base
 */
gboolean
gremium_quorum_base_from_string (const char        *text,
                                 GremiumQuorumBase *base)
{
  guint value;

  g_return_val_if_fail (base != NULL, FALSE);

  if (!lookup (quorum_base_names, G_N_ELEMENTS (quorum_base_names), text, &value))
    return FALSE;

  *base = (GremiumQuorumBase) value;
  return TRUE;
}
