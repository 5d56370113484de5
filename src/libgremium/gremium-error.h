/* gremium-error.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GREMIUM_ERROR (gremium_error_quark ())

/**
 * GremiumError:
 * @GREMIUM_ERROR_FAILED: an internal failure that is not the caller's fault
 * @GREMIUM_ERROR_MALFORMED: a message or file is not well-formed JSON or lacks its structure
 * @GREMIUM_ERROR_TOO_LARGE: a message exceeds its size limit
 * @GREMIUM_ERROR_UNKNOWN_TYPE: a message or statement type is not known
 * @GREMIUM_ERROR_UNSUPPORTED_VERSION: a protocol or format version is not supported
 * @GREMIUM_ERROR_INVALID_FIELD: a field is missing or has a wrong type or value
 * @GREMIUM_ERROR_BAD_SIGNATURE: a signature does not verify or is signed by the wrong key
 * @GREMIUM_ERROR_REPLAYED: a statement was already accepted once
 * @GREMIUM_ERROR_STALE: a statement's time lies outside the accepted window
 * @GREMIUM_ERROR_CHALLENGE_EXPIRED: the login challenge expired or was already used
 * @GREMIUM_ERROR_ENROLMENT_CODE: the enrolment code is unknown, used or expired
 * @GREMIUM_ERROR_UNKNOWN_MEMBER: the member is not known
 * @GREMIUM_ERROR_UNKNOWN_KEY: the device key is not enrolled for the member
 * @GREMIUM_ERROR_NOT_AUTHENTICATED: the request needs a login first
 * @GREMIUM_ERROR_PERMISSION_DENIED: the member's role does not allow the action
 * @GREMIUM_ERROR_NOT_PARTICIPANT: the member is not a (present) participant of the meeting
 * @GREMIUM_ERROR_WRONG_MEETING: a statement names a different meeting than the one it was sent to
 * @GREMIUM_ERROR_UNKNOWN_MEETING: the meeting does not exist
 * @GREMIUM_ERROR_INVALID_STATE: the action does not fit the meeting's current state
 * @GREMIUM_ERROR_RATE_LIMITED: too many messages in a short time
 * @GREMIUM_ERROR_TOO_MANY_CONNECTIONS: the member has too many connections open
 * @GREMIUM_ERROR_SERVER_KEY_CHANGED: the server presented a key other than the pinned one
 * @GREMIUM_ERROR_LOG_INCONSISTENT: the meeting record forked or a proof does not verify
 * @GREMIUM_ERROR_CONNECTION_LOST: the connection to the server was lost
 * @GREMIUM_ERROR_STORAGE: reading or writing durable storage failed
 * @GREMIUM_ERROR_BAD_PROOF: a zero-knowledge proof (ballot, teller key or decryption) does not verify
 * @GREMIUM_ERROR_TALLY_UNDECRYPTABLE: a secret tally cannot be decrypted: a teller's share is
 *   missing or the count lies outside its possible range; the vote has to be repeated
 *
 * Errors of the Gremium core library, the server and the client connection.
 *
 * Most codes travel over the wire as the `code` of an `error` message; see
 * gremium_error_to_wire() and docs/protocol.md.
 */
typedef enum
{
  GREMIUM_ERROR_FAILED,
  GREMIUM_ERROR_MALFORMED,
  GREMIUM_ERROR_TOO_LARGE,
  GREMIUM_ERROR_UNKNOWN_TYPE,
  GREMIUM_ERROR_UNSUPPORTED_VERSION,
  GREMIUM_ERROR_INVALID_FIELD,
  GREMIUM_ERROR_BAD_SIGNATURE,
  GREMIUM_ERROR_REPLAYED,
  GREMIUM_ERROR_STALE,
  GREMIUM_ERROR_CHALLENGE_EXPIRED,
  GREMIUM_ERROR_ENROLMENT_CODE,
  GREMIUM_ERROR_UNKNOWN_MEMBER,
  GREMIUM_ERROR_UNKNOWN_KEY,
  GREMIUM_ERROR_NOT_AUTHENTICATED,
  GREMIUM_ERROR_PERMISSION_DENIED,
  GREMIUM_ERROR_NOT_PARTICIPANT,
  GREMIUM_ERROR_WRONG_MEETING,
  GREMIUM_ERROR_UNKNOWN_MEETING,
  GREMIUM_ERROR_INVALID_STATE,
  GREMIUM_ERROR_RATE_LIMITED,
  GREMIUM_ERROR_TOO_MANY_CONNECTIONS,
  GREMIUM_ERROR_SERVER_KEY_CHANGED,
  GREMIUM_ERROR_LOG_INCONSISTENT,
  GREMIUM_ERROR_CONNECTION_LOST,
  GREMIUM_ERROR_STORAGE,
  GREMIUM_ERROR_BAD_PROOF,
  GREMIUM_ERROR_TALLY_UNDECRYPTABLE,
} GremiumError;

GQuark       gremium_error_quark     (void) G_GNUC_CONST;
const char  *gremium_error_to_wire   (GremiumError  code);
GremiumError gremium_error_from_wire (const char   *wire);

G_END_DECLS
