/* gremium-aes-gcm.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-aes-gcm"

#include "config.h"

#include "gremium-aes-gcm-private.h"
#include "gremium-crypto.h"

#include <nettle/aes.h>
#include <nettle/gcm.h>
#include <sodium.h>
#include <string.h>

/* One interface over two AES-GCM implementations (docs/crypto-sframe.md,
 * "AES-GCM without AES-NI").
 *
 * libsodium's crypto_aead_aes256gcm_* is the fastest AES-256-GCM available
 * here, but it exists only on x86 CPUs with AES-NI and PCLMUL and it has no
 * AES-128. Nettle's GCM runs everywhere: with AES-NI and PCLMUL (x86_64) or
 * the ARMv8 crypto extensions it uses the instructions, elsewhere it falls
 * back to table-driven C. So libsodium takes AES-256 where it can and nettle
 * takes the rest, and both produce the same bytes (the tests run the RFC 9605
 * vectors through each).
 *
 * The expanded key lives in sodium_malloc() memory: locked against swapping,
 * guarded, and wiped on free. Encryption and decryption only read it, so one
 * key may serve several threads at once.
 */
struct _GremiumAesGcm
{
  union
  {
    crypto_aead_aes256gcm_state sodium;
    struct
    {
      struct gcm_key key;
      union
      {
        struct aes128_ctx aes128;
        struct aes256_ctx aes256;
      } cipher;
    } nettle;
  } u;

  GremiumAesGcmBackend backend;
  gsize                key_len;
  gsize                alloc_size;
};

static nettle_cipher_func *
nettle_encrypt_func (const GremiumAesGcm *self)
{
  g_assert (self->backend == GREMIUM_AES_GCM_BACKEND_NETTLE);

  return self->key_len == 16 ? (nettle_cipher_func *) nettle_aes128_encrypt
                             : (nettle_cipher_func *) nettle_aes256_encrypt;
}

/*
 * _gremium_aes_gcm_backend_is_available:
 * @backend: a backend, not AUTO
 * @key_len: 16 or 32
 *
 * Returns: %TRUE if @backend can run AES-GCM with @key_len bytes of key on
 *   this CPU
 */
gboolean
_gremium_aes_gcm_backend_is_available (GremiumAesGcmBackend backend,
                                       gsize                key_len)
{
  g_return_val_if_fail (key_len == 16 || key_len == 32, FALSE);

  switch (backend)
    {
    case GREMIUM_AES_GCM_BACKEND_AUTO:
    case GREMIUM_AES_GCM_BACKEND_NETTLE:
      return TRUE;

    case GREMIUM_AES_GCM_BACKEND_SODIUM:
      return key_len == 32 &&
             gremium_crypto_init (NULL) &&
             crypto_aead_aes256gcm_is_available ();

    default:
      return FALSE;
    }
}

/*
 * _gremium_aes_gcm_new:
 * @backend: the implementation, or AUTO for the best available one
 * @key: the AES key
 * @key_len: 16 (AES-128) or 32 (AES-256)
 *
 * Expands @key once, so that each message costs only the cipher itself.
 *
 * Returns: (transfer full) (nullable): the key state, or %NULL if @backend
 *   cannot run here or secure memory is exhausted
 */
GremiumAesGcm *
_gremium_aes_gcm_new (GremiumAesGcmBackend  backend,
                      const guint8         *key,
                      gsize                 key_len)
{
  GremiumAesGcm *self;
  gsize alloc_size;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (key_len == 16 || key_len == 32, NULL);

  if (!gremium_crypto_init (NULL))
    return NULL;

  if (backend == GREMIUM_AES_GCM_BACKEND_AUTO)
    backend = _gremium_aes_gcm_backend_is_available (GREMIUM_AES_GCM_BACKEND_SODIUM, key_len)
              ? GREMIUM_AES_GCM_BACKEND_SODIUM
              : GREMIUM_AES_GCM_BACKEND_NETTLE;

  if (!_gremium_aes_gcm_backend_is_available (backend, key_len))
    return NULL;

  /* sodium_malloc() places the block right before a guard page, so the
   * pointer is only as aligned as the size; libsodium's state needs 16.
   */
  alloc_size = (sizeof (GremiumAesGcm) + 63) & ~(gsize) 63;
  self = sodium_malloc (alloc_size);
  if (self == NULL)
    return NULL;

  memset (self, 0, alloc_size);
  self->backend = backend;
  self->key_len = key_len;
  self->alloc_size = alloc_size;

  if (backend == GREMIUM_AES_GCM_BACKEND_SODIUM)
    {
      crypto_aead_aes256gcm_beforenm (&self->u.sodium, key);
    }
  else if (key_len == 16)
    {
      nettle_aes128_set_encrypt_key (&self->u.nettle.cipher.aes128, key);
      nettle_gcm_set_key (&self->u.nettle.key, &self->u.nettle.cipher.aes128,
                          (nettle_cipher_func *) nettle_aes128_encrypt);
    }
  else
    {
      nettle_aes256_set_encrypt_key (&self->u.nettle.cipher.aes256, key);
      nettle_gcm_set_key (&self->u.nettle.key, &self->u.nettle.cipher.aes256,
                          (nettle_cipher_func *) nettle_aes256_encrypt);
    }

  return self;
}

/*
 * _gremium_aes_gcm_free:
 * @self: (transfer full) (nullable): a key state
 *
 * Wipes and frees the expanded key.
 */
void
_gremium_aes_gcm_free (GremiumAesGcm *self)
{
  if (self == NULL)
    return;

  sodium_memzero (self, self->alloc_size);
  sodium_free (self);
}

/*
 * _gremium_aes_gcm_encrypt:
 * @self: a key state
 * @nonce: the 12-byte nonce; never twice under one key
 * @aad: additional authenticated data
 * @aad_len: length of @aad
 * @plaintext: the bytes to encrypt
 * @len: length of @plaintext
 * @out: (out caller-allocates): ciphertext || tag, @len + 16 bytes; must not
 *   overlap @plaintext
 */
void
_gremium_aes_gcm_encrypt (const GremiumAesGcm *self,
                          const guint8         nonce[GREMIUM_AES_GCM_NONCE_SIZE],
                          const guint8        *aad,
                          gsize                aad_len,
                          const guint8        *plaintext,
                          gsize                len,
                          guint8              *out)
{
  g_assert (self != NULL);
  g_assert (nonce != NULL);
  g_assert (aad != NULL || aad_len == 0);
  g_assert (plaintext != NULL || len == 0);
  g_assert (out != NULL);

  if (self->backend == GREMIUM_AES_GCM_BACKEND_SODIUM)
    {
      crypto_aead_aes256gcm_encrypt_detached_afternm (out, out + len, NULL,
                                                      plaintext, len, aad, aad_len,
                                                      NULL, nonce, &self->u.sodium);
    }
  else
    {
      nettle_cipher_func *f = nettle_encrypt_func (self);
      struct gcm_ctx ctx;

      nettle_gcm_set_iv (&ctx, &self->u.nettle.key, GREMIUM_AES_GCM_NONCE_SIZE, nonce);
      nettle_gcm_update (&ctx, &self->u.nettle.key, aad_len, aad);
      nettle_gcm_encrypt (&ctx, &self->u.nettle.key, &self->u.nettle.cipher, f,
                          len, out, plaintext);
      nettle_gcm_digest (&ctx, &self->u.nettle.key, &self->u.nettle.cipher, f,
                         GREMIUM_AES_GCM_TAG_SIZE, out + len);
      sodium_memzero (&ctx, sizeof ctx);
    }
}

/*
 * _gremium_aes_gcm_decrypt:
 * @self: a key state
 * @nonce: the 12-byte nonce
 * @aad: additional authenticated data
 * @aad_len: length of @aad
 * @ciphertext: ciphertext || tag
 * @len: length of @ciphertext including the 16-byte tag
 * @out: (out caller-allocates): the plaintext, @len - 16 bytes; must not
 *   overlap @ciphertext
 *
 * Returns: %TRUE if the tag is valid; on %FALSE @out holds zeros, never
 *   unauthenticated plaintext
 */
gboolean
_gremium_aes_gcm_decrypt (const GremiumAesGcm *self,
                          const guint8         nonce[GREMIUM_AES_GCM_NONCE_SIZE],
                          const guint8        *aad,
                          gsize                aad_len,
                          const guint8        *ciphertext,
                          gsize                len,
                          guint8              *out)
{
  guint8 tag[GREMIUM_AES_GCM_TAG_SIZE];
  nettle_cipher_func *f;
  struct gcm_ctx ctx;
  gsize body_len;
  gboolean ok;

  g_assert (self != NULL);
  g_assert (nonce != NULL);
  g_assert (aad != NULL || aad_len == 0);
  g_assert (ciphertext != NULL);
  g_assert (len >= GREMIUM_AES_GCM_TAG_SIZE);
  g_assert (out != NULL);

  body_len = len - GREMIUM_AES_GCM_TAG_SIZE;

  if (self->backend == GREMIUM_AES_GCM_BACKEND_SODIUM)
    {
      /* libsodium wipes its output on a bad tag already; the second wipe
       * keeps the promise below independent of that detail.
       */
      ok = crypto_aead_aes256gcm_decrypt_detached_afternm (out, NULL, ciphertext, body_len,
                                                           ciphertext + body_len,
                                                           aad, aad_len, nonce,
                                                           &self->u.sodium) == 0;
      if (!ok)
        sodium_memzero (out, body_len);

      return ok;
    }

  /* Nettle decrypts and authenticates in one pass, so the plaintext exists
   * before the tag is known to be good; it is wiped if the tag is bad.
   */
  memcpy (tag, ciphertext + body_len, sizeof tag);
  f = nettle_encrypt_func (self);
  nettle_gcm_set_iv (&ctx, &self->u.nettle.key, GREMIUM_AES_GCM_NONCE_SIZE, nonce);
  nettle_gcm_update (&ctx, &self->u.nettle.key, aad_len, aad);
  nettle_gcm_decrypt (&ctx, &self->u.nettle.key, &self->u.nettle.cipher, f,
                      body_len, out, ciphertext);

  {
    guint8 expected[GREMIUM_AES_GCM_TAG_SIZE];

    nettle_gcm_digest (&ctx, &self->u.nettle.key, &self->u.nettle.cipher, f,
                       sizeof expected, expected);
    ok = sodium_memcmp (expected, tag, sizeof tag) == 0;
    sodium_memzero (expected, sizeof expected);
  }

  if (!ok)
    sodium_memzero (out, body_len);
  sodium_memzero (&ctx, sizeof ctx);

  return ok;
}

/*
 * _gremium_aes_gcm_describe:
 * @backend: a backend, AUTO for the one _gremium_aes_gcm_new() would pick
 * @key_len: 16 or 32
 *
 * Describes the implementation for logs and the about dialog, including
 * whether it runs on hardware AES.
 *
 * Returns: (transfer none): a static string
 */
const char *
_gremium_aes_gcm_describe (GremiumAesGcmBackend backend,
                           gsize                key_len)
{
  g_return_val_if_fail (key_len == 16 || key_len == 32, NULL);

  if (backend == GREMIUM_AES_GCM_BACKEND_AUTO)
    backend = _gremium_aes_gcm_backend_is_available (GREMIUM_AES_GCM_BACKEND_SODIUM, key_len)
              ? GREMIUM_AES_GCM_BACKEND_SODIUM
              : GREMIUM_AES_GCM_BACKEND_NETTLE;

  if (backend == GREMIUM_AES_GCM_BACKEND_SODIUM)
    return "libsodium AES-256-GCM (AES-NI, PCLMUL)";

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
  /* libsodium's CPU probe tells whether nettle's x86 code can use the
   * instructions; without them nettle runs table-driven C.
   */
  if (!gremium_crypto_init (NULL) || !sodium_runtime_has_aesni () || !sodium_runtime_has_pclmul ())
    return key_len == 16 ? "nettle AES-128-GCM (no AES-NI: table-driven C, not constant-time)"
                         : "nettle AES-256-GCM (no AES-NI: table-driven C, not constant-time)";

  return key_len == 16 ? "nettle AES-128-GCM (AES-NI, PCLMUL)"
                       : "nettle AES-256-GCM (AES-NI, PCLMUL)";
#else
  return key_len == 16 ? "nettle AES-128-GCM (CPU crypto extensions where nettle detects them)"
                       : "nettle AES-256-GCM (CPU crypto extensions where nettle detects them)";
#endif
}
