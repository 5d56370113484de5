/* gremium-hkdf.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-hkdf"

#include "config.h"

#include "gremium-hkdf.h"
#include "gremium-crypto.h"

#include <sodium.h>
#include <string.h>

/* HKDF (RFC 5869) on top of libsodium's HMAC, because libsodium 1.0.18, the
 * version Debian 12 ships, has no HKDF of its own (crypto_kdf_hkdf_* came
 * with 1.0.19). The construction is small enough to be checked line by line
 * against the RFC; tests/test-sframe.c runs it against Project Wycheproof's
 * HKDF-SHA-512 vectors and RFC 5869's HKDF-SHA-256 vectors.
 */

typedef union
{
  crypto_auth_hmacsha256_state sha256;
  crypto_auth_hmacsha512_state sha512;
} HmacState;

static void
hmac_init (GremiumHkdfHash  hash,
           HmacState       *state,
           const guint8    *key,
           gsize            key_len)
{
  g_assert (key != NULL);

  if (hash == GREMIUM_HKDF_SHA256)
    crypto_auth_hmacsha256_init (&state->sha256, key, key_len);
  else
    crypto_auth_hmacsha512_init (&state->sha512, key, key_len);
}

static void
hmac_update (GremiumHkdfHash  hash,
             HmacState       *state,
             const guint8    *data,
             gsize            len)
{
  g_assert (data != NULL || len == 0);

  if (len == 0)
    return;

  if (hash == GREMIUM_HKDF_SHA256)
    crypto_auth_hmacsha256_update (&state->sha256, data, len);
  else
    crypto_auth_hmacsha512_update (&state->sha512, data, len);
}

static void
hmac_final (GremiumHkdfHash  hash,
            HmacState       *state,
            guint8          *out)
{
  if (hash == GREMIUM_HKDF_SHA256)
    crypto_auth_hmacsha256_final (&state->sha256, out);
  else
    crypto_auth_hmacsha512_final (&state->sha512, out);
}

/**
 * gremium_hkdf_hash_get_size:
 * @hash: a hash function
 *
 * Gets HashLen, the output size of @hash: the size of a pseudorandom key and
 * of one output block.
 *
 * Returns: 32 or 64
 */
gsize
gremium_hkdf_hash_get_size (GremiumHkdfHash hash)
{
  return hash == GREMIUM_HKDF_SHA256 ? crypto_auth_hmacsha256_BYTES
                                     : crypto_auth_hmacsha512_BYTES;
}

/**
 * gremium_hkdf_extract:
 * @hash: the hash function
 * @salt: (array length=salt_len) (nullable): the salt; empty means HashLen zero bytes
 * @salt_len: length of @salt
 * @ikm: (array length=ikm_len): the input keying material
 * @ikm_len: length of @ikm
 * @prk: (out caller-allocates): the pseudorandom key, gremium_hkdf_hash_get_size() bytes
 *
 * HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM), RFC 5869 §2.2.
 */
void
gremium_hkdf_extract (GremiumHkdfHash  hash,
                      const guint8    *salt,
                      gsize            salt_len,
                      const guint8    *ikm,
                      gsize            ikm_len,
                      guint8          *prk)
{
  static const guint8 zeros[GREMIUM_HKDF_MAX_HASH_SIZE] = { 0 };
  HmacState state;

  g_return_if_fail (hash == GREMIUM_HKDF_SHA256 || hash == GREMIUM_HKDF_SHA512);
  g_return_if_fail (salt != NULL || salt_len == 0);
  g_return_if_fail (ikm != NULL || ikm_len == 0);
  g_return_if_fail (prk != NULL);

  gremium_crypto_init (NULL);

  /* RFC 5869 turns a missing salt into HashLen zero bytes. HMAC pads short
   * keys with zeros anyway, so this only spells the RFC out.
   */
  if (salt_len == 0)
    hmac_init (hash, &state, zeros, gremium_hkdf_hash_get_size (hash));
  else
    hmac_init (hash, &state, salt, salt_len);

  hmac_update (hash, &state, ikm, ikm_len);
  hmac_final (hash, &state, prk);
  sodium_memzero (&state, sizeof state);
}

/**
 * gremium_hkdf_expand:
 * @hash: the hash function
 * @prk: (array length=prk_len): a pseudorandom key, usually from gremium_hkdf_extract()
 * @prk_len: length of @prk
 * @info: (array length=info_len) (nullable): the context and application specific information
 * @info_len: length of @info
 * @okm: (out caller-allocates) (array length=okm_len): where to write the output keying material
 * @okm_len: how many bytes to derive, at most 255 × gremium_hkdf_hash_get_size()
 *
 * HKDF-Expand(PRK, info, L), RFC 5869 §2.3: the first @okm_len bytes of
 * T(1) || T(2) || … with T(i) = HMAC-Hash(PRK, T(i-1) || info || i).
 *
 * Returns: %TRUE on success; %FALSE, with @okm untouched, if @okm_len is
 *   larger than the RFC allows
 */
gboolean
gremium_hkdf_expand (GremiumHkdfHash  hash,
                     const guint8    *prk,
                     gsize            prk_len,
                     const guint8    *info,
                     gsize            info_len,
                     guint8          *okm,
                     gsize            okm_len)
{
  guint8 block[GREMIUM_HKDF_MAX_HASH_SIZE];
  HmacState keyed;
  HmacState state;
  gsize hash_len;
  gsize done = 0;

  g_return_val_if_fail (hash == GREMIUM_HKDF_SHA256 || hash == GREMIUM_HKDF_SHA512, FALSE);
  g_return_val_if_fail (prk != NULL, FALSE);
  g_return_val_if_fail (info != NULL || info_len == 0, FALSE);
  g_return_val_if_fail (okm != NULL || okm_len == 0, FALSE);

  hash_len = gremium_hkdf_hash_get_size (hash);

  /* The one-byte block counter limits the output; asking for more is an
   * error in RFC 5869, not something to truncate silently.
   */
  if (okm_len > 255 * hash_len)
    return FALSE;

  gremium_crypto_init (NULL);

  /* Keying HMAC hashes the key pads once; every block starts from a copy. */
  hmac_init (hash, &keyed, prk, prk_len);

  for (guint8 i = 1; done < okm_len; i++)
    {
      gsize take = MIN (hash_len, okm_len - done);

      state = keyed;
      if (i > 1)
        hmac_update (hash, &state, block, hash_len);
      hmac_update (hash, &state, info, info_len);
      hmac_update (hash, &state, &i, 1);
      hmac_final (hash, &state, block);

      memcpy (okm + done, block, take);
      done += take;
    }

  sodium_memzero (block, sizeof block);
  sodium_memzero (&keyed, sizeof keyed);
  sodium_memzero (&state, sizeof state);

  return TRUE;
}

/**
 * gremium_hkdf:
 * @hash: the hash function
 * @salt: (array length=salt_len) (nullable): the salt
 * @salt_len: length of @salt
 * @ikm: (array length=ikm_len): the input keying material
 * @ikm_len: length of @ikm
 * @info: (array length=info_len) (nullable): the context information
 * @info_len: length of @info
 * @okm: (out caller-allocates) (array length=okm_len): the output keying material
 * @okm_len: how many bytes to derive
 *
 * HKDF-Expand(HKDF-Extract(salt, IKM), info, L) in one call.
 *
 * Returns: %TRUE on success; %FALSE if @okm_len is too large
 */
gboolean
gremium_hkdf (GremiumHkdfHash  hash,
              const guint8    *salt,
              gsize            salt_len,
              const guint8    *ikm,
              gsize            ikm_len,
              const guint8    *info,
              gsize            info_len,
              guint8          *okm,
              gsize            okm_len)
{
  guint8 prk[GREMIUM_HKDF_MAX_HASH_SIZE];
  gboolean ok;

  g_return_val_if_fail (hash == GREMIUM_HKDF_SHA256 || hash == GREMIUM_HKDF_SHA512, FALSE);

  gremium_hkdf_extract (hash, salt, salt_len, ikm, ikm_len, prk);
  ok = gremium_hkdf_expand (hash, prk, gremium_hkdf_hash_get_size (hash),
                            info, info_len, okm, okm_len);
  sodium_memzero (prk, sizeof prk);

  return ok;
}
