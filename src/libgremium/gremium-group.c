/* gremium-group.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-group"

#include "config.h"

#include "gremium-group-private.h"
#include "gremium-crypto.h"
#include "gremium-error.h"
#include "gremium-json-private.h"

#include <sodium.h>
#include <string.h>

#define DRBG_DOMAIN "gremium/v1/deterministic-scalar"

/* RFC 9496 section 4.4 */
static const guint8 generator[GREMIUM_POINT_SIZE] = {
  0xe2, 0xf2, 0xae, 0x0a, 0x6a, 0xbc, 0x4e, 0x71, 0xa8, 0x84, 0xa9, 0x61, 0xc5, 0x00, 0x51, 0x5f,
  0x58, 0xe3, 0x0b, 0x6a, 0xa5, 0x82, 0xdd, 0x8d, 0xb6, 0xa6, 0x59, 0x45, 0xe0, 0x8d, 0x2d, 0x76,
};

/* A mask of all ones when @bit is 1 and of zeros when it is 0, computed
 * without a branch because @bit may be secret (the voter's choice).
 */
static inline guint8
mask_from_bit (guint bit)
{
  return (guint8) (0u - (bit & 1u));
}

const guint8 *
_gremium_group_generator (void)
{
  return generator;
}

/* libsodium 1.0.18 has no canonical-scalar check; reducing the scalar padded
 * to 64 bytes changes it exactly when it is not below L.
 */
gboolean
_gremium_scalar_is_canonical (const guint8 s[GREMIUM_SCALAR_SIZE])
{
  guint8 wide[crypto_core_ristretto255_NONREDUCEDSCALARBYTES] = { 0 };
  guint8 reduced[GREMIUM_SCALAR_SIZE];
  gboolean canonical;

  g_assert (s != NULL);

  memcpy (wide, s, GREMIUM_SCALAR_SIZE);
  crypto_core_ristretto255_scalar_reduce (reduced, wide);
  canonical = sodium_memcmp (reduced, s, GREMIUM_SCALAR_SIZE) == 0;

  sodium_memzero (wide, sizeof wide);
  sodium_memzero (reduced, sizeof reduced);

  return canonical;
}

void
_gremium_scalar_from_uint (guint8  s[GREMIUM_SCALAR_SIZE],
                           guint64 value)
{
  g_assert (s != NULL);

  memset (s, 0, GREMIUM_SCALAR_SIZE);
  for (guint i = 0; i < 8; i++)
    s[i] = (guint8) (value >> (8 * i));
}

void
_gremium_scalar_random (guint8       s[GREMIUM_SCALAR_SIZE],
                        GremiumDrbg *drbg)
{
  guint8 counter[8];
  guint8 hash[crypto_generichash_blake2b_BYTES_MAX];
  crypto_generichash_blake2b_state state;

  g_assert (s != NULL);

  if (!gremium_crypto_init (NULL))
    g_error ("libsodium is unusable; refusing to produce weak randomness");

  if (drbg == NULL)
    {
      /* Uniform in [1, L): libsodium rejects zero and non-canonical draws. */
      crypto_core_ristretto255_scalar_random (s);
      return;
    }

  for (guint i = 0; i < 8; i++)
    counter[i] = (guint8) (drbg->counter >> (8 * i));
  drbg->counter++;

  crypto_generichash_blake2b_init (&state, drbg->key, sizeof drbg->key, sizeof hash);
  crypto_generichash_blake2b_update (&state, (const guint8 *) DRBG_DOMAIN, strlen (DRBG_DOMAIN));
  crypto_generichash_blake2b_update (&state, counter, sizeof counter);
  crypto_generichash_blake2b_final (&state, hash, sizeof hash);
  crypto_core_ristretto255_scalar_reduce (s, hash);

  sodium_memzero (hash, sizeof hash);
  sodium_memzero (&state, sizeof state);
}

void
_gremium_scalar_select (guint8       r[GREMIUM_SCALAR_SIZE],
                        const guint8 a[GREMIUM_SCALAR_SIZE],
                        const guint8 b[GREMIUM_SCALAR_SIZE],
                        guint        choose_b)
{
  guint8 mask = mask_from_bit (choose_b);

  g_assert (r != NULL && a != NULL && b != NULL);

  for (guint i = 0; i < GREMIUM_SCALAR_SIZE; i++)
    r[i] = (guint8) ((a[i] & ~mask) | (b[i] & mask));
}

/* BLAKE2b-512 output reduced modulo L: 512 bits leave a bias far below
 * 2^-250, as libsodium's documentation asks for (at least 317 bits).
 */
void
_gremium_hash_to_scalar (guint8       s[GREMIUM_SCALAR_SIZE],
                         const guint8 hash[64])
{
  g_assert (s != NULL && hash != NULL);

  crypto_core_ristretto255_scalar_reduce (s, hash);
}

gboolean
_gremium_point_is_identity (const guint8 p[GREMIUM_POINT_SIZE])
{
  g_assert (p != NULL);

  /* The identity has exactly one canonical encoding. */
  return sodium_is_zero (p, GREMIUM_POINT_SIZE) != 0;
}

gboolean
_gremium_point_is_valid (const guint8 p[GREMIUM_POINT_SIZE],
                         gboolean     allow_identity)
{
  g_assert (p != NULL);

  if (_gremium_point_is_identity (p))
    return allow_identity;

  /* libsodium 1.0.18 ignores bit 255 when it decodes, so without this test
   * every point would have a second, non-canonical encoding that it accepts
   * (RFC 9496 requires rejecting it; later libsodium releases do).
   */
  if ((p[31] & 0x80) != 0)
    return FALSE;

  /* Rejects non-canonical and negative field elements and every encoding
   * that is not a point of the group.
   */
  return crypto_core_ristretto255_is_valid_point (p) == 1;
}

void
_gremium_point_identity (guint8 p[GREMIUM_POINT_SIZE])
{
  g_assert (p != NULL);

  memset (p, 0, GREMIUM_POINT_SIZE);
}

void
_gremium_point_add (guint8       r[GREMIUM_POINT_SIZE],
                    const guint8 p[GREMIUM_POINT_SIZE],
                    const guint8 q[GREMIUM_POINT_SIZE])
{
  int ret;

  g_assert (r != NULL && p != NULL && q != NULL);

  ret = crypto_core_ristretto255_add (r, p, q);
  g_assert (ret == 0);
}

void
_gremium_point_sub (guint8       r[GREMIUM_POINT_SIZE],
                    const guint8 p[GREMIUM_POINT_SIZE],
                    const guint8 q[GREMIUM_POINT_SIZE])
{
  int ret;

  g_assert (r != NULL && p != NULL && q != NULL);

  ret = crypto_core_ristretto255_sub (r, p, q);
  g_assert (ret == 0);
}

void
_gremium_point_select (guint8       r[GREMIUM_POINT_SIZE],
                       const guint8 a[GREMIUM_POINT_SIZE],
                       const guint8 b[GREMIUM_POINT_SIZE],
                       guint        choose_b)
{
  guint8 mask = mask_from_bit (choose_b);

  g_assert (r != NULL && a != NULL && b != NULL);

  for (guint i = 0; i < GREMIUM_POINT_SIZE; i++)
    r[i] = (guint8) ((a[i] & ~mask) | (b[i] & mask));
}

/* libsodium reports an identity product with -1 after writing it (32 zero
 * bytes) to @q. Because the inputs were checked first, -1 can mean nothing
 * else; the result is cleared to the identity through a mask rather than a
 * branch, since whether the product is the identity may depend on a secret
 * scalar (a prover's zero challenge placeholder, for instance).
 */
static void
clear_if_identity (guint8 q[GREMIUM_POINT_SIZE],
                   int    ret)
{
  guint8 mask = (guint8) (ret & 0xff);

  g_assert (ret == 0 || ret == -1);

  for (guint i = 0; i < GREMIUM_POINT_SIZE; i++)
    q[i] &= (guint8) ~mask;
}

void
_gremium_scalarmult (guint8       q[GREMIUM_POINT_SIZE],
                     const guint8 n[GREMIUM_SCALAR_SIZE],
                     const guint8 p[GREMIUM_POINT_SIZE])
{
  g_assert (q != NULL && n != NULL && p != NULL);
  g_assert (_gremium_scalar_is_canonical (n));
  g_assert (_gremium_point_is_valid (p, TRUE));

  clear_if_identity (q, crypto_scalarmult_ristretto255 (q, n, p));
}

void
_gremium_scalarmult_base (guint8       q[GREMIUM_POINT_SIZE],
                          const guint8 n[GREMIUM_SCALAR_SIZE])
{
  g_assert (q != NULL && n != NULL);
  g_assert (_gremium_scalar_is_canonical (n));

  clear_if_identity (q, crypto_scalarmult_ristretto255_base (q, n));
}

/* g^m for a small public m, for example a count in the tally. */
void
_gremium_generator_multiple (guint8  q[GREMIUM_POINT_SIZE],
                             guint64 m)
{
  guint8 scalar[GREMIUM_SCALAR_SIZE];

  g_assert (q != NULL);

  _gremium_scalar_from_uint (scalar, m);
  _gremium_scalarmult_base (q, scalar);
}

/* Strict base64 of exactly 32 bytes: 44 characters ending in one '=' whose
 * last data character leaves its two unused bits zero, so every value has
 * exactly one accepted text. This is the hot path of ballot parsing, hence
 * without the allocation and re-encoding of gremium_base64_decode().
 */
static gboolean
decode_base64_32 (const char *text,
                  guint8      out[32])
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const char *last;
  const char *end = NULL;
  size_t len = 0;

  if (strlen (text) != 44 || text[43] != '=')
    return FALSE;

  last = strchr (alphabet, text[42]);
  if (text[42] == '\0' || last == NULL || ((last - alphabet) & 3) != 0)
    return FALSE;

  return sodium_base642bin (out, 32, text, 44, NULL, &len, &end,
                            sodium_base64_VARIANT_ORIGINAL) == 0 &&
         len == 32 && end == text + 44;
}

/* Reads a group element field: canonical base64 of exactly 32 bytes. Whether
 * the bytes encode a point is for the caller to check, with the engine that
 * fits (libsodium or the verification engine).
 */
gboolean
_gremium_json_get_point (JsonObject  *object,
                         const char  *member,
                         guint8       p[GREMIUM_POINT_SIZE],
                         GError     **error)
{
  const char *text;

  g_assert (object != NULL && member != NULL && p != NULL);

  if (!(text = _gremium_json_get_string (object, member, 44, error)))
    return FALSE;

  if (!decode_base64_32 (text, p))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The field “%s” must be 32 bytes in canonical base64", member);
      return FALSE;
    }

  return TRUE;
}

/* Reads a scalar field and insists on the canonical encoding (below L), so
 * that a proof has exactly one representation.
 */
gboolean
_gremium_json_get_scalar (JsonObject  *object,
                          const char  *member,
                          guint8       s[GREMIUM_SCALAR_SIZE],
                          GError     **error)
{
  if (!_gremium_json_get_point (object, member, s, error))
    return FALSE;

  if (!_gremium_scalar_is_canonical (s))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "The field “%s” is not a canonical scalar (it must be below the group order)",
                   member);
      return FALSE;
    }

  return TRUE;
}
