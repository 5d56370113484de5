/* gremium-error.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-error"

#include "config.h"

#include "gremium-error.h"

G_DEFINE_QUARK (gremium-error-quark, gremium_error)

/* The wire names are part of the protocol (docs/protocol.md, "Error codes"):
 * never rename one, only add new ones at the end.
 */
static const char * const wire_names[] = {
  [GREMIUM_ERROR_FAILED] = "internal-error",
  [GREMIUM_ERROR_MALFORMED] = "malformed-message",
  [GREMIUM_ERROR_TOO_LARGE] = "message-too-large",
  [GREMIUM_ERROR_UNKNOWN_TYPE] = "unknown-type",
  [GREMIUM_ERROR_UNSUPPORTED_VERSION] = "unsupported-version",
  [GREMIUM_ERROR_INVALID_FIELD] = "invalid-field",
  [GREMIUM_ERROR_BAD_SIGNATURE] = "bad-signature",
  [GREMIUM_ERROR_REPLAYED] = "replayed-statement",
  [GREMIUM_ERROR_STALE] = "stale-statement",
  [GREMIUM_ERROR_CHALLENGE_EXPIRED] = "challenge-expired",
  [GREMIUM_ERROR_ENROLMENT_CODE] = "enrolment-code-invalid",
  [GREMIUM_ERROR_UNKNOWN_MEMBER] = "unknown-member",
  [GREMIUM_ERROR_UNKNOWN_KEY] = "key-not-enrolled",
  [GREMIUM_ERROR_NOT_AUTHENTICATED] = "not-authenticated",
  [GREMIUM_ERROR_PERMISSION_DENIED] = "permission-denied",
  [GREMIUM_ERROR_NOT_PARTICIPANT] = "not-participant",
  [GREMIUM_ERROR_WRONG_MEETING] = "wrong-meeting",
  [GREMIUM_ERROR_UNKNOWN_MEETING] = "unknown-meeting",
  [GREMIUM_ERROR_INVALID_STATE] = "invalid-state",
  [GREMIUM_ERROR_RATE_LIMITED] = "rate-limited",
  [GREMIUM_ERROR_TOO_MANY_CONNECTIONS] = "too-many-connections",
  [GREMIUM_ERROR_SERVER_KEY_CHANGED] = "server-key-changed",
  [GREMIUM_ERROR_LOG_INCONSISTENT] = "log-inconsistent",
  [GREMIUM_ERROR_CONNECTION_LOST] = "connection-lost",
  [GREMIUM_ERROR_STORAGE] = "storage-error",
  [GREMIUM_ERROR_BAD_PROOF] = "bad-proof",
  [GREMIUM_ERROR_TALLY_UNDECRYPTABLE] = "tally-undecryptable",
};

/**
 * gremium_error_to_wire:
 * @code: an error code
 *
 * Gets the name under which @code travels in an `error` message.
 *
 * Returns: (transfer none): a static string such as `"permission-denied"`
 */
const char *
gremium_error_to_wire (GremiumError code)
{
  if ((guint) code >= G_N_ELEMENTS (wire_names) || wire_names[code] == NULL)
    return wire_names[GREMIUM_ERROR_FAILED];

  return wire_names[code];
}

/**
 * gremium_error_from_wire:
 * @wire: an error code as received in an `error` message
 *
 * Maps a wire error name back to its code. Unknown names, for example from a
 * newer server, map to %GREMIUM_ERROR_FAILED.
 *
 * Returns: the error code
 */
GremiumError
gremium_error_from_wire (const char *wire)
{
  g_return_val_if_fail (wire != NULL, GREMIUM_ERROR_FAILED);

  for (guint i = 0; i < G_N_ELEMENTS (wire_names); i++)
    {
      if (wire_names[i] != NULL && g_str_equal (wire_names[i], wire))
        return (GremiumError) i;
    }

  return GREMIUM_ERROR_FAILED;
}
