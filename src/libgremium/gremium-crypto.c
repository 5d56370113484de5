/* gremium-crypto.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-crypto"

#include "config.h"

#include "gremium-crypto.h"
#include "gremium-error.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* A domain prefix keeps fingerprints of identity keys apart from every other
 * SHA-256 the system computes over the same 32 bytes.
 */
#define FINGERPRINT_DOMAIN "gremium fingerprint v1\n"

/**
 * gremium_crypto_init:
 * @error: return location for an error
 *
 * Initialises libsodium. Every entry point that uses cryptography calls this;
 * calling it more than once is cheap.
 *
 * Returns: %TRUE if the cryptographic library is usable
 */
gboolean
gremium_crypto_init (GError **error)
{
  static gsize initialized = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&initialized))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&initialized, 1);
    }

  if (!ok)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED,
                           "The cryptographic library libsodium could not be initialised");
      return FALSE;
    }

  return TRUE;
}

/**
 * gremium_random_bytes:
 * @buf: (out caller-allocates): where to write
 * @len: how many bytes
 *
 * Fills @buf with bytes from the operating system's cryptographic random source.
 */
void
gremium_random_bytes (guint8 *buf,
                      gsize   len)
{
  g_return_if_fail (buf != NULL || len == 0);

  if (!gremium_crypto_init (NULL))
    g_error ("libsodium is unusable; refusing to produce weak randomness");

  randombytes_buf (buf, len);
}

/**
 * gremium_random_token:
 * @n_bytes: number of random bytes
 *
 * Creates a random token, for nonces and challenges.
 *
 * Returns: (transfer full): @n_bytes random bytes in standard base64
 */
char *
gremium_random_token (gsize n_bytes)
{
  g_autofree guint8 *buf = g_malloc (n_bytes);

  gremium_random_bytes (buf, n_bytes);
  return gremium_base64_encode (buf, n_bytes);
}

/**
 * gremium_sha256:
 * @data: bytes to hash
 * @len: length of @data
 * @out: (out caller-allocates): the 32-byte digest
 *
 * Computes SHA-256 of @data.
 */
void
gremium_sha256 (const guint8 *data,
                gsize         len,
                guint8        out[GREMIUM_HASH_SIZE])
{
  g_return_if_fail (data != NULL || len == 0);

  gremium_crypto_init (NULL);
  crypto_hash_sha256 (out, data, len);
}

/**
 * gremium_base64_encode:
 * @data: bytes
 * @len: length of @data
 *
 * Encodes in standard base64 with padding (RFC 4648 §4), the encoding of every
 * binary field on the wire and in the record.
 *
 * Returns: (transfer full): the text
 */
char *
gremium_base64_encode (const guint8 *data,
                       gsize         len)
{
  gsize out_len;
  char *out;

  gremium_crypto_init (NULL);

  out_len = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_ORIGINAL);
  out = g_malloc (out_len);
  sodium_bin2base64 (out, out_len, data, len, sodium_base64_VARIANT_ORIGINAL);

  return out;
}

/**
 * gremium_base64_decode:
 * @text: standard base64 text with padding
 * @out_len: (out): the number of decoded bytes
 * @error: return location for an error
 *
 * Decodes base64 strictly: unlike g_base64_decode() it rejects characters
 * outside the alphabet, missing padding and trailing garbage, so one value has
 * exactly one accepted encoding.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with @error set
 */
guint8 *
gremium_base64_decode (const char *text,
                       gsize      *out_len,
                       GError    **error)
{
  g_autofree guint8 *out = NULL;
  g_autofree char *canonical = NULL;
  const char *end = NULL;
  gsize text_len;
  gsize max_len;
  size_t bin_len = 0;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  gremium_crypto_init (NULL);

  text_len = strlen (text);
  max_len = text_len / 4 * 3 + 3;
  out = g_malloc (max_len);

  if (sodium_base642bin (out, max_len, text, text_len, NULL, &bin_len, &end,
                         sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text + text_len)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "Not valid base64");
      return NULL;
    }

  /* libsodium accepts non-zero bits in the last character's unused part;
   * re-encoding and comparing makes the encoding canonical.
   */
  canonical = gremium_base64_encode (out, bin_len);
  if (strcmp (canonical, text) != 0)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "Not canonical base64");
      return NULL;
    }

  *out_len = bin_len;
  return g_steal_pointer (&out);
}

/**
 * gremium_base64_decode_exact:
 * @text: standard base64 text
 * @out: (out caller-allocates): where to write the bytes
 * @expected_len: the number of bytes @text must decode to
 * @error: return location for an error
 *
 * Decodes a fixed-size binary field such as a key, a signature or a hash.
 *
 * Returns: %TRUE if @text is canonical base64 of exactly @expected_len bytes
 */
gboolean
gremium_base64_decode_exact (const char *text,
                             guint8     *out,
                             gsize       expected_len,
                             GError    **error)
{
  g_autofree guint8 *bytes = NULL;
  gsize len = 0;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "Missing base64 value");
      return FALSE;
    }

  bytes = gremium_base64_decode (text, &len, error);
  if (bytes == NULL)
    return FALSE;

  if (len != expected_len)
    {
      sodium_memzero (bytes, len);
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "Expected %" G_GSIZE_FORMAT " bytes, got %" G_GSIZE_FORMAT,
                   expected_len, len);
      return FALSE;
    }

  memcpy (out, bytes, len);
  sodium_memzero (bytes, len);
  return TRUE;
}

/**
 * gremium_hex_encode:
 * @data: bytes
 * @len: length of @data
 *
 * Returns: (transfer full): lower-case hexadecimal text
 */
char *
gremium_hex_encode (const guint8 *data,
                    gsize         len)
{
  char *out = g_malloc (len * 2 + 1);

  gremium_crypto_init (NULL);
  sodium_bin2hex (out, len * 2 + 1, data, len);

  return out;
}

/**
 * gremium_signature_verify:
 * @public_key: an Ed25519 public key
 * @data: the exact signed bytes
 * @len: length of @data
 * @signature: a detached Ed25519 signature
 *
 * Verifies a detached Ed25519 signature.
 *
 * Returns: %TRUE if @signature is valid for @data under @public_key
 */
gboolean
gremium_signature_verify (const guint8  public_key[GREMIUM_PUBLIC_KEY_SIZE],
                          const guint8 *data,
                          gsize         len,
                          const guint8  signature[GREMIUM_SIGNATURE_SIZE])
{
  g_return_val_if_fail (public_key != NULL, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (!gremium_crypto_init (NULL))
    return FALSE;

  return crypto_sign_verify_detached (signature, data, len, public_key) == 0;
}

/**
 * gremium_public_key_is_valid:
 * @public_key: 32 bytes
 *
 * Checks that @public_key is a usable Ed25519 public key: a point on the curve
 * in the main subgroup that is not of small order. Keys are checked when they
 * enter the system (enrolment, roster), not only when a signature fails.
 *
 * Returns: %TRUE if the key is acceptable
 */
gboolean
gremium_public_key_is_valid (const guint8 public_key[GREMIUM_PUBLIC_KEY_SIZE])
{
  guint8 x25519[crypto_scalarmult_curve25519_BYTES];

  g_return_val_if_fail (public_key != NULL, FALSE);

  if (!gremium_crypto_init (NULL))
    return FALSE;

  /* The conversion fails for points that are not on the curve or have small
   * order; such keys could never be used for key wrapping either.
   */
  return crypto_sign_ed25519_pk_to_curve25519 (x25519, public_key) == 0;
}

/**
 * gremium_public_key_fingerprint:
 * @public_key: an Ed25519 public key
 *
 * Formats a key's fingerprint for people to compare aloud: 30 decimal digits
 * in six groups of five, derived from SHA-256 over a domain prefix and the key
 * (in the manner of Signal's safety numbers). About 99 bits survive the
 * reduction to digits.
 *
 * Returns: (transfer full): for example `"03187 55021 90412 33870 10264 77519"`
 */
char *
gremium_public_key_fingerprint (const guint8 public_key[GREMIUM_PUBLIC_KEY_SIZE])
{
  GString *out = g_string_new (NULL);
  guint8 digest[GREMIUM_HASH_SIZE];
  crypto_hash_sha256_state state;

  g_return_val_if_fail (public_key != NULL, NULL);

  gremium_crypto_init (NULL);
  crypto_hash_sha256_init (&state);
  crypto_hash_sha256_update (&state, (const guint8 *) FINGERPRINT_DOMAIN,
                             strlen (FINGERPRINT_DOMAIN));
  crypto_hash_sha256_update (&state, public_key, GREMIUM_PUBLIC_KEY_SIZE);
  crypto_hash_sha256_final (&state, digest);

  for (guint group = 0; group < 6; group++)
    {
      guint64 chunk = 0;

      for (guint i = 0; i < 5; i++)
        chunk = (chunk << 8) | digest[group * 5 + i];

      g_string_append_printf (out, "%s%05u", group > 0 ? " " : "",
                              (guint) (chunk % 100000));
    }

  return g_string_free (out, FALSE);
}

/**
 * gremium_memequal:
 * @a: bytes
 * @b: bytes
 * @len: how many bytes to compare
 *
 * Compares in constant time, for secrets and authenticators.
 *
 * Returns: %TRUE if the bytes are equal
 */
gboolean
gremium_memequal (const guint8 *a,
                  const guint8 *b,
                  gsize         len)
{
  g_return_val_if_fail (a != NULL || len == 0, FALSE);
  g_return_val_if_fail (b != NULL || len == 0, FALSE);

  return sodium_memcmp (a, b, len) == 0;
}

/**
 * gremium_time_format:
 * @unix_usec: microseconds since the Unix epoch
 *
 * Formats a point in time as the record writes it: RFC 3339 in UTC with
 * millisecond precision, for example `2026-11-26T15:04:05.123Z`.
 *
 * Returns: (transfer full): the text
 */
char *
gremium_time_format (gint64 unix_usec)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *base = NULL;
  gint64 seconds = unix_usec / G_USEC_PER_SEC;
  gint64 rest = unix_usec % G_USEC_PER_SEC;

  if (rest < 0)
    {
      rest += G_USEC_PER_SEC;
      seconds -= 1;
    }

  dt = g_date_time_new_from_unix_utc (seconds);
  g_return_val_if_fail (dt != NULL, NULL);

  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, (int) (rest / 1000));
}

/**
 * gremium_time_parse:
 * @text: a time as written by gremium_time_format()
 * @unix_usec: (out): microseconds since the Unix epoch
 *
 * Parses exactly the format gremium_time_format() writes; other RFC 3339
 * spellings are rejected so that every time has one representation.
 *
 * Returns: %TRUE on success
 */
gboolean
gremium_time_parse (const char *text,
                    gint64     *unix_usec)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = NULL;
  int year, month, day, hour, minute, second, milli;
  char tail;

  g_return_val_if_fail (unix_usec != NULL, FALSE);

  if (text == NULL || strlen (text) != 24)
    return FALSE;

  for (guint i = 0; i < 24; i++)
    {
      static const char pattern[] = "dddd-dd-ddTdd:dd:dd.dddZ";

      if (pattern[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != pattern[i])
        return FALSE;
    }

  if (sscanf (text, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c",
              &year, &month, &day, &hour, &minute, &second, &milli, &tail) != 8)
    return FALSE;

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new (utc, year, month, day, hour, minute, second);
  if (dt == NULL)
    return FALSE;

  *unix_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + (gint64) milli * 1000;
  return TRUE;
}
