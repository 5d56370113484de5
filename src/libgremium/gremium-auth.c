/* gremium-auth.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-auth"

#include "config.h"

#include "gremium-auth.h"
#include "gremium-error.h"
#include "gremium-json-private.h"
#include "gremium-meeting.h"

#include <string.h>

/* The login and enrolment proofs of docs/protocol.md §3.2: a DSSE envelope of
 * type GREMIUM_PAYLOAD_TYPE_AUTH over
 * {"v":1,"purpose":…,"server":…,"challenge":…,"member":…,"time":…}.
 *
 * Binding the server's key and a single-use challenge into the signature
 * means a proof can neither be replayed to this server nor relayed to
 * another one by a server that pretends to be it.
 */

/**
 * gremium_auth_proof_new:
 * @identity: the device's identity
 * @purpose: %GREMIUM_AUTH_PURPOSE_LOGIN or %GREMIUM_AUTH_PURPOSE_ENROL
 * @server_key: the server's public key as sent in `hello` (base64)
 * @challenge: the challenge as sent by the server (base64)
 * @member_id: the member the device acts for
 * @time_usec: the device's clock
 *
 * Returns: (transfer full): the signed proof
 */
GremiumStatement *
gremium_auth_proof_new (GremiumIdentity *identity,
                        const char      *purpose,
                        const char      *server_key,
                        const char      *challenge,
                        const char      *member_id,
                        gint64           time_usec)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *time_text = gremium_time_format (time_usec);
  g_autofree char *text = NULL;
  gsize len;

  g_return_val_if_fail (GREMIUM_IS_IDENTITY (identity), NULL);
  g_return_val_if_fail (purpose != NULL, NULL);
  g_return_val_if_fail (server_key != NULL, NULL);
  g_return_val_if_fail (challenge != NULL, NULL);
  g_return_val_if_fail (member_id != NULL, NULL);

  json_object_set_int_member (body, "v", 1);
  json_object_set_string_member (body, "purpose", purpose);
  json_object_set_string_member (body, "server", server_key);
  json_object_set_string_member (body, "challenge", challenge);
  json_object_set_string_member (body, "member", member_id);
  json_object_set_string_member (body, "time", time_text);

  text = _gremium_json_object_to_string (body);
  len = strlen (text);
  payload = g_bytes_new_take (g_steal_pointer (&text), len);

  return gremium_statement_new_signed (identity, GREMIUM_PAYLOAD_TYPE_AUTH, payload);
}

/**
 * gremium_auth_proof_verify:
 * @proof: a proof as received
 * @purpose: the purpose the request needs
 * @server_key: this server's public key (base64)
 * @challenge: the connection's current challenge (base64), still valid
 * @now_usec: the server's clock
 * @error: return location for an error
 *
 * Checks a login or enrolment proof in the order docs/protocol.md §3.2 gives.
 * It does not check whether the key belongs to the member; the caller does
 * that against the directory.
 *
 * Returns: (transfer full) (nullable): the member id the proof is for
 */
char *
gremium_auth_proof_verify (GremiumStatement  *proof,
                           const char        *purpose,
                           const char        *server_key,
                           const char        *challenge,
                           gint64             now_usec,
                           GError           **error)
{
  static const char * const members[] = {
    "v", "purpose", "server", "challenge", "member", "time", NULL
  };
  g_autoptr(JsonObject) body = NULL;
  const char *proof_purpose;
  const char *proof_server;
  const char *proof_challenge;
  const char *member;
  const char *time_text;
  const char *data;
  gint64 version;
  gint64 proof_time;
  gsize len;

  g_return_val_if_fail (GREMIUM_IS_STATEMENT (proof), NULL);
  g_return_val_if_fail (purpose != NULL, NULL);
  g_return_val_if_fail (server_key != NULL, NULL);
  g_return_val_if_fail (challenge != NULL, NULL);

  if (g_strcmp0 (gremium_statement_get_payload_type (proof), GREMIUM_PAYLOAD_TYPE_AUTH) != 0)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The proof has the wrong payload type");
      return NULL;
    }

  data = g_bytes_get_data (gremium_statement_get_payload (proof), &len);
  if (len == 0 || len > 1024 || !(body = _gremium_json_parse_object (data, len, error)))
    {
      if (len == 0 || len > 1024)
        g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                             "The proof's payload is empty or too long");
      else
        g_prefix_error (error, "The proof: ");
      return NULL;
    }

  if (!_gremium_json_check_members (body, "the proof", members, error) ||
      !_gremium_json_get_int (body, "v", 0, G_MAXINT, &version, error))
    return NULL;

  if (version != 1)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_UNSUPPORTED_VERSION,
                           "Only version 1 proofs are supported");
      return NULL;
    }

  if (!(proof_purpose = _gremium_json_get_string (body, "purpose", 16, error)) ||
      !(proof_server = _gremium_json_get_string (body, "server", 64, error)) ||
      !(proof_challenge = _gremium_json_get_string (body, "challenge", 64, error)) ||
      !(member = _gremium_json_get_string (body, "member", 64, error)) ||
      !(time_text = _gremium_json_get_string (body, "time", 32, error)))
    return NULL;

  if (!g_str_equal (proof_purpose, purpose))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The proof is for “%s”, not for “%s”", proof_purpose, purpose);
      return NULL;
    }

  if (!_gremium_id_is_valid (member))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The proof's member is not a valid identifier");
      return NULL;
    }

  if (!g_str_equal (proof_server, server_key))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE,
                           "The proof was made for another server");
      return NULL;
    }

  if (strlen (proof_challenge) != strlen (challenge) ||
      !gremium_memequal ((const guint8 *) proof_challenge, (const guint8 *) challenge,
                         strlen (challenge)))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_CHALLENGE_EXPIRED,
                           "The proof answers another challenge");
      return NULL;
    }

  if (!gremium_time_parse (time_text, &proof_time))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The proof's time is not valid");
      return NULL;
    }

  if (proof_time - now_usec > GREMIUM_STATEMENT_TIME_WINDOW ||
      now_usec - proof_time > GREMIUM_STATEMENT_TIME_WINDOW)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_STALE,
                           "The device's clock is more than five minutes off");
      return NULL;
    }

  if (!gremium_public_key_is_valid (gremium_statement_get_signer_key (proof)))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The device key is not a usable Ed25519 key");
      return NULL;
    }

  if (!gremium_statement_verify (proof, gremium_statement_get_signer_key (proof), error))
    return NULL;

  return g_strdup (member);
}
