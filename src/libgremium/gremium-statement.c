/* gremium-statement.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-statement"

#include "config.h"

#include "gremium-statement.h"
#include "gremium-error.h"
#include "gremium-json-private.h"

#include <sodium.h>
#include <string.h>

/**
 * GremiumStatement:
 *
 * A signed statement: a DSSE envelope (Dead Simple Signing Envelope) around
 * the exact bytes of a JSON document.
 *
 * The signature covers the pre-authentication encoding
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, so the payload type
 * is bound to the signature and the payload is verified as the exact bytes
 * that were signed. The payload is never re-serialized: it travels base64
 * encoded inside the envelope and is parsed only after the signature holds.
 *
 * Gremium envelopes carry exactly one signature; its `keyid` is the signer's
 * Ed25519 public key in base64.
 *
 * For payloads of type %GREMIUM_PAYLOAD_TYPE_STATEMENT the body has a fixed
 * frame, checked by gremium_statement_parse_body():
 * `{"v":1,"kind":…,"meeting":…,"author":…,"time":…,"nonce":…,"data":{…}}`.
 */
struct _GremiumStatement
{
  GObject     parent_instance;

  char       *payload_type;
  GBytes     *payload;
  guint8      signer_key[GREMIUM_PUBLIC_KEY_SIZE];
  guint8      signature[GREMIUM_SIGNATURE_SIZE];

  /* Filled by gremium_statement_parse_body(). */
  JsonObject *body;
  const char *kind;
  const char *meeting_id;
  const char *author;
  const char *nonce;
  gint64      time;
  JsonObject *data;
};

G_DEFINE_FINAL_TYPE (GremiumStatement, gremium_statement, G_TYPE_OBJECT)

static gboolean
payload_type_is_valid (const char *type)
{
  gsize len;

  if (type == NULL)
    return FALSE;

  len = strlen (type);
  if (len == 0 || len > 128)
    return FALSE;

  /* Restricting the alphabet keeps the envelope's JSON free of escapes, so
   * its serialization is unique.
   */
  for (gsize i = 0; i < len; i++)
    {
      char c = type[i];

      if (!(g_ascii_isalnum (c) || strchr ("/+.-_", c) != NULL))
        return FALSE;
    }

  return TRUE;
}

static void
gremium_statement_finalize (GObject *object)
{
  GremiumStatement *self = (GremiumStatement *) object;

  g_clear_pointer (&self->payload_type, g_free);
  g_clear_pointer (&self->payload, g_bytes_unref);
  g_clear_pointer (&self->body, json_object_unref);

  G_OBJECT_CLASS (gremium_statement_parent_class)->finalize (object);
}

static void
gremium_statement_class_init (GremiumStatementClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_statement_finalize;
}

static void
gremium_statement_init (GremiumStatement *self)
{
}

/**
 * gremium_pae_encode:
 * @payload_type: the DSSE payload type
 * @payload: the payload bytes
 *
 * Computes the DSSE v1 pre-authentication encoding, the exact bytes that are
 * signed: `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, where LEN is
 * the length in bytes as ASCII decimal without leading zeros and SP is one
 * space (0x20).
 *
 * Returns: (transfer full): the encoded bytes
 */
GBytes *
gremium_pae_encode (const char *payload_type,
                    GBytes     *payload)
{
  GByteArray *out;
  g_autofree char *head = NULL;
  gsize payload_len;
  const guint8 *payload_data;

  g_return_val_if_fail (payload_type != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);

  payload_data = g_bytes_get_data (payload, &payload_len);
  head = g_strdup_printf ("DSSEv1 %" G_GSIZE_FORMAT " %s %" G_GSIZE_FORMAT " ",
                          strlen (payload_type), payload_type, payload_len);

  out = g_byte_array_sized_new (strlen (head) + payload_len);
  g_byte_array_append (out, (const guint8 *) head, strlen (head));
  if (payload_len > 0)
    g_byte_array_append (out, payload_data, payload_len);

  return g_byte_array_free_to_bytes (out);
}

/**
 * gremium_statement_new_signed:
 * @identity: the signer
 * @payload_type: the DSSE payload type
 * @payload: the exact bytes to sign
 *
 * Signs @payload as a DSSE envelope.
 *
 * Returns: (transfer full): the statement
 */
GremiumStatement *
gremium_statement_new_signed (GremiumIdentity *identity,
                              const char      *payload_type,
                              GBytes          *payload)
{
  g_autoptr(GBytes) pae = NULL;
  GremiumStatement *self;
  gsize pae_len;
  const guint8 *pae_data;

  g_return_val_if_fail (GREMIUM_IS_IDENTITY (identity), NULL);
  g_return_val_if_fail (payload_type_is_valid (payload_type), NULL);
  g_return_val_if_fail (payload != NULL, NULL);

  pae = gremium_pae_encode (payload_type, payload);
  pae_data = g_bytes_get_data (pae, &pae_len);

  self = g_object_new (GREMIUM_TYPE_STATEMENT, NULL);
  self->payload_type = g_strdup (payload_type);
  self->payload = g_bytes_ref (payload);
  memcpy (self->signer_key, gremium_identity_get_public_key (identity), GREMIUM_PUBLIC_KEY_SIZE);
  gremium_identity_sign (identity, pae_data, pae_len, self->signature);

  return self;
}

/**
 * gremium_statement_build:
 * @identity: the signer
 * @kind: the statement kind, for example `"speakers.request"`
 * @meeting_id: the meeting the statement belongs to
 * @author: the member id of the signer, or %GREMIUM_AUTHOR_SERVER
 * @time_usec: the signer's clock, microseconds since the Unix epoch
 * @data: (nullable): the kind-specific fields
 *
 * Builds and signs a meeting statement with a fresh random nonce.
 *
 * Returns: (transfer full): the statement, already parsed
 */
GremiumStatement *
gremium_statement_build (GremiumIdentity *identity,
                         const char      *kind,
                         const char      *meeting_id,
                         const char      *author,
                         gint64           time_usec,
                         JsonObject      *data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *text = NULL;
  g_autofree char *time_text = NULL;
  g_autofree char *nonce = NULL;
  GremiumStatement *self;
  gsize text_len;

  g_return_val_if_fail (GREMIUM_IS_IDENTITY (identity), NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);
  g_return_val_if_fail (author != NULL, NULL);

  time_text = gremium_time_format (time_usec);
  nonce = gremium_random_token (16);

  json_object_set_int_member (body, "v", 1);
  json_object_set_string_member (body, "kind", kind);
  json_object_set_string_member (body, "meeting", meeting_id);
  json_object_set_string_member (body, "author", author);
  json_object_set_string_member (body, "time", time_text);
  json_object_set_string_member (body, "nonce", nonce);
  if (data != NULL)
    json_object_set_object_member (body, "data", json_object_ref (data));
  else
    json_object_set_object_member (body, "data", json_object_new ());

  text = _gremium_json_object_to_string (body);
  text_len = strlen (text);
  payload = g_bytes_new_take (g_steal_pointer (&text), text_len);

  self = gremium_statement_new_signed (identity, GREMIUM_PAYLOAD_TYPE_STATEMENT, payload);
  if (!gremium_statement_parse_body (self, NULL))
    g_critical ("A statement built locally does not parse; kind “%s”", kind);

  return self;
}

/**
 * gremium_statement_new_from_object:
 * @envelope: a parsed DSSE envelope
 * @error: return location for an error
 *
 * Reads a DSSE envelope with exactly one signature. The signature is not
 * verified here; call gremium_statement_verify() with the key that the roster
 * holds for the claimed signer.
 *
 * Returns: (transfer full) (nullable): the statement, or %NULL with @error set
 */
GremiumStatement *
gremium_statement_new_from_object (JsonObject  *envelope,
                                   GError     **error)
{
  static const char * const envelope_members[] = { "payload", "payloadType", "signatures", NULL };
  static const char * const signature_members[] = { "keyid", "sig", NULL };
  g_autoptr(GremiumStatement) self = NULL;
  g_autofree guint8 *payload = NULL;
  const char *payload_text;
  const char *payload_type;
  const char *keyid;
  const char *sig;
  JsonArray *signatures;
  JsonNode *signature_node;
  JsonObject *signature;
  gsize payload_len = 0;

  g_return_val_if_fail (envelope != NULL, NULL);

  if (!_gremium_json_check_members (envelope, "the envelope", envelope_members, error))
    return NULL;

  if (!(payload_type = _gremium_json_get_string (envelope, "payloadType", 128, error)))
    return NULL;

  if (!payload_type_is_valid (payload_type))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The payload type contains characters outside [A-Za-z0-9/+.-_]");
      return NULL;
    }

  if (!(payload_text = _gremium_json_get_string (envelope, "payload",
                                                 GREMIUM_STATEMENT_MAX_SIZE * 4 / 3 + 4,
                                                 error)))
    return NULL;

  if (!(payload = gremium_base64_decode (payload_text, &payload_len, error)))
    {
      g_prefix_error (error, "The payload: ");
      return NULL;
    }

  if (!(signatures = _gremium_json_get_array (envelope, "signatures", 1, error)))
    return NULL;

  if (json_array_get_length (signatures) != 1)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "A statement carries exactly one signature");
      return NULL;
    }

  signature_node = json_array_get_element (signatures, 0);
  if (!JSON_NODE_HOLDS_OBJECT (signature_node))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "A signature must be an object");
      return NULL;
    }

  signature = json_node_get_object (signature_node);
  if (!_gremium_json_check_members (signature, "the signature", signature_members, error))
    return NULL;

  self = g_object_new (GREMIUM_TYPE_STATEMENT, NULL);

  if (!(keyid = _gremium_json_get_string (signature, "keyid", 64, error)) ||
      !gremium_base64_decode_exact (keyid, self->signer_key, GREMIUM_PUBLIC_KEY_SIZE, error))
    {
      g_prefix_error (error, "The signature's key id: ");
      return NULL;
    }

  if (!(sig = _gremium_json_get_string (signature, "sig", 128, error)) ||
      !gremium_base64_decode_exact (sig, self->signature, GREMIUM_SIGNATURE_SIZE, error))
    {
      g_prefix_error (error, "The signature: ");
      return NULL;
    }

  self->payload_type = g_strdup (payload_type);
  self->payload = g_bytes_new_take (g_steal_pointer (&payload), payload_len);

  return g_steal_pointer (&self);
}

/**
 * gremium_statement_new_from_json:
 * @json: a DSSE envelope as JSON text
 * @len: length of @json, or -1 if it is NUL-terminated
 * @error: return location for an error
 *
 * Parses a DSSE envelope; see gremium_statement_new_from_object().
 *
 * Returns: (transfer full) (nullable): the statement, or %NULL with @error set
 */
GremiumStatement *
gremium_statement_new_from_json (const char  *json,
                                 gssize       len,
                                 GError     **error)
{
  g_autoptr(JsonObject) envelope = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  envelope = _gremium_json_parse_object (json, len, error);
  if (envelope == NULL)
    return NULL;

  return gremium_statement_new_from_object (envelope, error);
}

/**
 * gremium_statement_to_json:
 * @self: a statement
 *
 * Serializes the envelope in its one canonical form, with the members in the
 * order `payload`, `payloadType`, `signatures` and no white space:
 * `{"payload":"…","payloadType":"…","signatures":[{"keyid":"…","sig":"…"}]}`.
 *
 * Returns: (transfer full): the JSON text
 */
char *
gremium_statement_to_json (GremiumStatement *self)
{
  g_autofree char *payload = NULL;
  g_autofree char *keyid = NULL;
  g_autofree char *sig = NULL;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), NULL);

  data = g_bytes_get_data (self->payload, &len);
  payload = gremium_base64_encode (data, len);
  keyid = gremium_base64_encode (self->signer_key, GREMIUM_PUBLIC_KEY_SIZE);
  sig = gremium_base64_encode (self->signature, GREMIUM_SIGNATURE_SIZE);

  /* Base64 and the restricted payload type need no JSON escaping. */
  return g_strdup_printf ("{\"payload\":\"%s\",\"payloadType\":\"%s\","
                          "\"signatures\":[{\"keyid\":\"%s\",\"sig\":\"%s\"}]}",
                          payload, self->payload_type, keyid, sig);
}

/**
 * gremium_statement_to_json_node:
 * @self: a statement
 *
 * Returns: (transfer full): the envelope as a JSON node
 */
JsonNode *
gremium_statement_to_json_node (GremiumStatement *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), NULL);

  text = gremium_statement_to_json (self);
  return _gremium_json_parse (text, -1, NULL);
}

/**
 * gremium_statement_get_payload_type:
 * @self: a statement
 *
 * Returns: (transfer none): the DSSE payload type
 */
const char *
gremium_statement_get_payload_type (GremiumStatement *self)
{
  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), NULL);

  return self->payload_type;
}

/**
 * gremium_statement_get_payload:
 * @self: a statement
 *
 * Returns: (transfer none): the exact signed payload bytes
 */
GBytes *
gremium_statement_get_payload (GremiumStatement *self)
{
  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), NULL);

  return self->payload;
}

/**
 * gremium_statement_get_signer_key:
 * @self: a statement
 *
 * Gets the public key the envelope names as its signer. It means nothing
 * until gremium_statement_verify() accepted it for the author.
 *
 * Returns: (transfer none) (array fixed-size=32): the key
 */
const guint8 *
gremium_statement_get_signer_key (GremiumStatement *self)
{
  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), NULL);

  return self->signer_key;
}

/**
 * gremium_statement_get_signature:
 * @self: a statement
 *
 * Returns: (transfer none) (array fixed-size=64): the signature
 */
const guint8 *
gremium_statement_get_signature (GremiumStatement *self)
{
  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), NULL);

  return self->signature;
}

/**
 * gremium_statement_verify:
 * @self: a statement
 * @public_key: the key the signer must have
 * @error: return location for an error
 *
 * Verifies that @public_key signed the exact payload bytes under the
 * statement's payload type.
 *
 * Returns: %TRUE if the signature holds
 */
gboolean
gremium_statement_verify (GremiumStatement  *self,
                          const guint8       public_key[GREMIUM_PUBLIC_KEY_SIZE],
                          GError           **error)
{
  g_autoptr(GBytes) pae = NULL;
  const guint8 *pae_data;
  gsize pae_len;

  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), FALSE);
  g_return_val_if_fail (public_key != NULL, FALSE);

  if (!gremium_memequal (public_key, self->signer_key, GREMIUM_PUBLIC_KEY_SIZE))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE,
                           "The statement is signed by a key that does not belong to its author");
      return FALSE;
    }

  pae = gremium_pae_encode (self->payload_type, self->payload);
  pae_data = g_bytes_get_data (pae, &pae_len);

  if (!gremium_signature_verify (public_key, pae_data, pae_len, self->signature))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE,
                           "The statement's signature does not verify");
      return FALSE;
    }

  return TRUE;
}

/**
 * gremium_statement_get_hash:
 * @self: a statement
 * @hash: (out caller-allocates): SHA-256 of the canonical envelope
 *
 * Computes the statement's identity: SHA-256 over its canonical envelope
 * (gremium_statement_to_json()). Two submissions of the same signed statement
 * have the same hash, which is how replays are recognised.
 */
void
gremium_statement_get_hash (GremiumStatement *self,
                            guint8            hash[GREMIUM_HASH_SIZE])
{
  g_autofree char *json = NULL;

  g_return_if_fail (GREMIUM_IS_STATEMENT (self));
  g_return_if_fail (hash != NULL);

  json = gremium_statement_to_json (self);
  gremium_sha256 ((const guint8 *) json, strlen (json), hash);
}

/**
 * gremium_statement_parse_body:
 * @self: a statement of type %GREMIUM_PAYLOAD_TYPE_STATEMENT
 * @error: return location for an error
 *
 * Parses and checks the frame of a meeting statement: version 1, a known
 * shape of kind, meeting, author, time and nonce, and an object `data`.
 * Whether the kind and its data make sense is for the meeting model to say.
 *
 * Returns: %TRUE if the body is well-formed
 */
gboolean
gremium_statement_parse_body (GremiumStatement  *self,
                              GError           **error)
{
  static const char * const body_members[] = {
    "v", "kind", "meeting", "author", "time", "nonce", "data", NULL
  };
  g_autoptr(JsonObject) body = NULL;
  guint8 nonce[16];
  const char *data;
  const char *time_text;
  const char *kind;
  gsize len;
  gint64 version;

  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), FALSE);

  if (self->body != NULL)
    return TRUE;

  if (g_strcmp0 (self->payload_type, GREMIUM_PAYLOAD_TYPE_STATEMENT) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "Expected a statement, got payload type “%s”", self->payload_type);
      return FALSE;
    }

  data = g_bytes_get_data (self->payload, &len);
  if (len > GREMIUM_STATEMENT_MAX_SIZE)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TOO_LARGE,
                   "A statement may have at most %d bytes", GREMIUM_STATEMENT_MAX_SIZE);
      return FALSE;
    }

  if (len == 0 || !(body = _gremium_json_parse_object (data, len, error)))
    {
      if (len == 0)
        g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                             "The statement is empty");
      g_prefix_error (error, "The statement body: ");
      return FALSE;
    }

  if (!_gremium_json_check_members (body, "the statement", body_members, error) ||
      !_gremium_json_get_int (body, "v", 1, G_MAXINT, &version, error))
    return FALSE;

  if (version != 1)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNSUPPORTED_VERSION,
                   "Statement version %" G_GINT64_FORMAT " is not supported", version);
      return FALSE;
    }

  if (!(kind = _gremium_json_get_string (body, "kind", 64, error)) ||
      !(self->meeting_id = _gremium_json_get_string (body, "meeting", 64, error)) ||
      !(self->author = _gremium_json_get_string (body, "author", 64, error)) ||
      !(time_text = _gremium_json_get_string (body, "time", 32, error)) ||
      !(self->nonce = _gremium_json_get_string (body, "nonce", 32, error)) ||
      !(self->data = _gremium_json_get_object (body, "data", error)))
    return FALSE;

  if (!_gremium_id_is_valid (self->meeting_id))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The field “meeting” is not a valid identifier");
      return FALSE;
    }

  if (!_gremium_id_is_valid (self->author) &&
      g_strcmp0 (self->author, GREMIUM_AUTHOR_SERVER) != 0)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The field “author” is not a valid member identifier");
      return FALSE;
    }

  if (!gremium_time_parse (time_text, &self->time))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The field “time” is not a time of the form 2026-11-26T15:04:05.123Z");
      return FALSE;
    }

  if (!gremium_base64_decode_exact (self->nonce, nonce, sizeof nonce, NULL))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The field “nonce” must be 16 bytes in base64");
      return FALSE;
    }

  self->kind = kind;
  self->body = g_steal_pointer (&body);

  return TRUE;
}

/**
 * gremium_statement_get_kind:
 * @self: a parsed statement
 *
 * Returns: (transfer none) (nullable): the kind, or %NULL before
 *   gremium_statement_parse_body() succeeded
 */
const char *
gremium_statement_get_kind (GremiumStatement *self)
{
  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), NULL);

  return self->kind;
}

/**
 * gremium_statement_get_meeting_id:
 * @self: a parsed statement
 *
 * Returns: (transfer none) (nullable): the meeting id
 */
const char *
gremium_statement_get_meeting_id (GremiumStatement *self)
{
  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), NULL);

  return self->meeting_id;
}

/**
 * gremium_statement_get_author:
 * @self: a parsed statement
 *
 * Returns: (transfer none) (nullable): the author's member id or
 *   %GREMIUM_AUTHOR_SERVER
 */
const char *
gremium_statement_get_author (GremiumStatement *self)
{
  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), NULL);

  return self->author;
}

/**
 * gremium_statement_get_time:
 * @self: a parsed statement
 *
 * Returns: the signer's time in microseconds since the Unix epoch
 */
gint64
gremium_statement_get_time (GremiumStatement *self)
{
  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), 0);

  return self->time;
}

/**
 * gremium_statement_get_nonce:
 * @self: a parsed statement
 *
 * Returns: (transfer none) (nullable): the nonce in base64
 */
const char *
gremium_statement_get_nonce (GremiumStatement *self)
{
  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), NULL);

  return self->nonce;
}

/**
 * gremium_statement_get_data:
 * @self: a parsed statement
 *
 * Returns: (transfer none) (nullable): the kind-specific fields
 */
JsonObject *
gremium_statement_get_data (GremiumStatement *self)
{
  g_return_val_if_fail (GREMIUM_IS_STATEMENT (self), NULL);

  return self->data;
}
