/* gremium-sframe.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-sframe"

#include "config.h"

#include "gremium-sframe.h"
#include "gremium-sframe-private.h"
#include "gremium-crypto.h"
#include "gremium-error.h"
#include "gremium-hkdf.h"

#include <sodium.h>
#include <string.h>

/* SFrame, RFC 9605: end-to-end encryption of media payloads. This file holds
 * the parts that do not depend on how the payload travels: the header
 * (§4.3), the key schedule (§4.4.2), the nonce and AAD (§4.4.3), and a sender
 * and receiver context sized for one call per RTP packet. docs/crypto-sframe.md
 * describes the wire format byte by byte.
 */

#define KEY_LABEL  "SFrame 1.0 Secret key "
#define SALT_LABEL "SFrame 1.0 Secret salt "

/* Base keys come from the key schedule as 32 random bytes or, after an RFC
 * 9605 §5.1 ratchet step, as Nh bytes. Anything shorter than an AES-128 key
 * is a bug in the caller, not a key.
 */
#define MIN_BASE_KEY_SIZE 16
#define MAX_BASE_KEY_SIZE GREMIUM_HKDF_MAX_HASH_SIZE

/* The header plus typical metadata (an RTP header and a VP8 payload
 * descriptor) fit here, so the AAD needs no allocation per packet.
 */
#define AAD_STACK_SIZE 512

#define WINDOW_WORDS (GREMIUM_SFRAME_REPLAY_WINDOW / 64)

G_STATIC_ASSERT (GREMIUM_SFRAME_REPLAY_WINDOW % 64 == 0);
G_STATIC_ASSERT (sizeof KEY_LABEL - 1 + 8 + 2 <= GREMIUM_SFRAME_MAX_LABEL_SIZE);
G_STATIC_ASSERT (sizeof SALT_LABEL - 1 + 8 + 2 == GREMIUM_SFRAME_MAX_LABEL_SIZE);

/* The state of one KID: the expanded AES key, the salt, and on the
 * receiving side the replay window. It lives in sodium_malloc() memory
 * because it holds key material for as long as the key is in use.
 */
typedef struct
{
  GremiumAesGcm *aead;
  gsize          alloc_size;
  guint64        kid;
  guint8         key[GREMIUM_SFRAME_MAX_KEY_SIZE];
  guint8         salt[GREMIUM_SFRAME_NONCE_SIZE];

  /* Bit (ctr % GREMIUM_SFRAME_REPLAY_WINDOW) is set for every accepted CTR
   * in (top - GREMIUM_SFRAME_REPLAY_WINDOW, top].
   */
  gboolean       seen;
  guint64        top;
  guint64        window[WINDOW_WORDS];
} SFrameKey;

struct _GremiumSFrameSender
{
  gatomicrefcount           ref_count;
  GMutex                    mutex;
  GremiumSFrameCipherSuite  suite;
  GremiumAesGcmBackend      backend;
  SFrameKey                *key;
  guint64                   next_ctr;
  gboolean                  exhausted;
};

struct _GremiumSFrameReceiver
{
  gatomicrefcount           ref_count;
  GMutex                    mutex;
  GremiumSFrameCipherSuite  suite;
  GremiumAesGcmBackend      backend;
  GHashTable               *keys;       /* &SFrameKey.kid → SFrameKey */
  GremiumSFrameStats        stats;
};

G_DEFINE_BOXED_TYPE (GremiumSFrameSender, gremium_sframe_sender,
                     gremium_sframe_sender_ref, gremium_sframe_sender_unref)
G_DEFINE_BOXED_TYPE (GremiumSFrameReceiver, gremium_sframe_receiver,
                     gremium_sframe_receiver_ref, gremium_sframe_receiver_unref)

static gboolean
suite_params (GremiumSFrameCipherSuite  suite,
              GremiumHkdfHash          *hash,
              gsize                    *key_len)
{
  switch (suite)
    {
    case GREMIUM_SFRAME_AES_128_GCM_SHA256_128:
      *hash = GREMIUM_HKDF_SHA256;
      *key_len = 16;
      return TRUE;

    case GREMIUM_SFRAME_AES_256_GCM_SHA512_128:
      *hash = GREMIUM_HKDF_SHA512;
      *key_len = 32;
      return TRUE;

    default:
      return FALSE;
    }
}

static guint
value_length (guint64 value)
{
  guint n = 1;

  while (n < 8 && (value >> (8 * n)) != 0)
    n++;

  return n;
}

static void
write_be (guint8  *out,
          guint64  value,
          guint    n)
{
  g_assert (n >= 1 && n <= 8);

  for (guint i = 0; i < n; i++)
    out[i] = (guint8) (value >> (8 * (n - 1 - i)));
}

static guint64
read_be (const guint8 *data,
         guint         n)
{
  guint64 value = 0;

  g_assert (n >= 1 && n <= 8);

  for (guint i = 0; i < n; i++)
    value = (value << 8) | data[i];

  return value;
}

/* Reads one KID or CTR field. @flag is the X or Y bit, @bits the three bits
 * next to it. Values 0-7 must sit in the config byte and longer values must
 * not start with a zero byte (RFC 9605 §4.3); anything else has a second
 * encoding, and accepting it would let one packet take two shapes on the
 * wire.
 */
static GremiumSFrameStatus
read_field (const guint8 *data,
            gsize         len,
            gsize        *pos,
            gboolean      flag,
            guint         bits,
            guint64      *value)
{
  guint n;

  g_assert (bits < 8);

  if (!flag)
    {
      *value = bits;
      return GREMIUM_SFRAME_OK;
    }

  n = bits + 1;
  if (len - *pos < n)
    return GREMIUM_SFRAME_TRUNCATED;

  if ((n == 1 && data[*pos] < 8) || (n > 1 && data[*pos] == 0))
    return GREMIUM_SFRAME_MALFORMED;

  *value = read_be (data + *pos, n);
  *pos += n;

  return GREMIUM_SFRAME_OK;
}

static gsize
build_label (const char               *prefix,
             GremiumSFrameCipherSuite  suite,
             guint64                   kid,
             guint8                   *out)
{
  gsize prefix_len = strlen (prefix);

  g_assert (prefix_len + 10 <= GREMIUM_SFRAME_MAX_LABEL_SIZE);

  memcpy (out, prefix, prefix_len);
  write_be (out + prefix_len, kid, 8);
  write_be (out + prefix_len + 8, (guint64) suite, 2);

  return prefix_len + 10;
}

static void
sframe_key_free (SFrameKey *key)
{
  if (key == NULL)
    return;

  g_clear_pointer (&key->aead, _gremium_aes_gcm_free);
  sodium_memzero (key, key->alloc_size);
  sodium_free (key);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SFrameKey, sframe_key_free)

static SFrameKey *
sframe_key_new (GremiumSFrameCipherSuite   suite,
                GremiumAesGcmBackend       backend,
                guint64                    kid,
                const guint8              *base_key,
                gsize                      base_key_len,
                GError                   **error)
{
  g_autoptr(SFrameKey) key = NULL;
  GremiumHkdfHash hash;
  gsize alloc_size;
  gsize key_len;

  g_assert (base_key != NULL);

  if (!suite_params (suite, &hash, &key_len))
    g_assert_not_reached ();

  if (base_key_len < MIN_BASE_KEY_SIZE || base_key_len > MAX_BASE_KEY_SIZE)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                   "An SFrame base key must have %d to %d bytes, not %" G_GSIZE_FORMAT,
                   MIN_BASE_KEY_SIZE, MAX_BASE_KEY_SIZE, base_key_len);
      return NULL;
    }

  /* sodium_malloc() aborts the process if libsodium is not initialised. */
  if (!gremium_crypto_init (error))
    return NULL;

  alloc_size = (sizeof (SFrameKey) + 63) & ~(gsize) 63;
  key = sodium_malloc (alloc_size);
  if (key == NULL)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED,
                           "Out of locked memory for media keys");
      return NULL;
    }

  memset (key, 0, alloc_size);
  key->alloc_size = alloc_size;
  key->kid = kid;

  if (!_gremium_sframe_derive (suite, kid, base_key, base_key_len, NULL, key->key, key->salt))
    g_assert_not_reached ();

  key->aead = _gremium_aes_gcm_new (backend, key->key, key_len);
  if (key->aead == NULL)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED,
                           "Out of locked memory for media keys, or the requested AES-GCM "
                           "implementation cannot run on this computer");
      return NULL;
    }

  return g_steal_pointer (&key);
}

/* Two derivations from the same base key and KID give the same key and salt,
 * so comparing them tells whether a caller hands over a key it already gave.
 */
static gboolean
sframe_key_equal (const SFrameKey *a,
                  const SFrameKey *b)
{
  g_assert (a != NULL && b != NULL);

  return a->kid == b->kid &&
         gremium_memequal (a->key, b->key, sizeof a->key) &&
         gremium_memequal (a->salt, b->salt, sizeof a->salt);
}

static inline gboolean
window_test (const SFrameKey *key,
             guint64          ctr)
{
  guint bit = ctr % GREMIUM_SFRAME_REPLAY_WINDOW;

  return (key->window[bit / 64] >> (bit % 64)) & 1;
}

static inline void
window_assign (SFrameKey *key,
               guint64    ctr,
               gboolean   value)
{
  guint bit = ctr % GREMIUM_SFRAME_REPLAY_WINDOW;

  if (value)
    key->window[bit / 64] |= G_GUINT64_CONSTANT (1) << (bit % 64);
  else
    key->window[bit / 64] &= ~(G_GUINT64_CONSTANT (1) << (bit % 64));
}

/* The replay rule (docs/crypto-sframe.md, "Replay window"): a CTR above every
 * accepted one is new; one at least a window behind the newest is too old to
 * judge and dropped; in between, the bitmap tells whether it was seen.
 */
static GremiumSFrameStatus
replay_check (const SFrameKey *key,
              guint64          ctr)
{
  if (!key->seen || ctr > key->top)
    return GREMIUM_SFRAME_OK;

  if (key->top - ctr >= GREMIUM_SFRAME_REPLAY_WINDOW)
    return GREMIUM_SFRAME_TOO_OLD;

  if (window_test (key, ctr))
    return GREMIUM_SFRAME_REPLAYED;

  return GREMIUM_SFRAME_OK;
}

/* Only called once the packet authenticated, so a forged CTR can never move
 * the window and make genuine packets look old.
 */
static void
replay_accept (SFrameKey *key,
               guint64    ctr)
{
  if (!key->seen)
    {
      memset (key->window, 0, sizeof key->window);
      key->top = ctr;
      key->seen = TRUE;
    }
  else if (ctr > key->top)
    {
      guint64 advance = ctr - key->top;

      /* The slots the window slides over still describe CTRs a whole window
       * older; they must read as unseen for the new CTRs they now stand for.
       */
      if (advance >= GREMIUM_SFRAME_REPLAY_WINDOW)
        memset (key->window, 0, sizeof key->window);
      else
        for (guint64 i = 1; i <= advance; i++)
          window_assign (key, key->top + i, FALSE);

      key->top = ctr;
    }

  window_assign (key, ctr, TRUE);
}

/* AAD = SFrame header || metadata (RFC 9605 §4.4.3). Returns the AAD in
 * @stack when it fits, else in a new allocation stored in @heap.
 */
static const guint8 *
build_aad (const guint8  *header,
           gsize          header_len,
           const guint8  *metadata,
           gsize          metadata_len,
           guint8        *stack,
           guint8       **heap,
           gsize         *aad_len)
{
  guint8 *aad = stack;

  g_assert (header_len <= GREMIUM_SFRAME_MAX_HEADER_SIZE);

  if (metadata_len > AAD_STACK_SIZE - header_len)
    aad = *heap = g_malloc (header_len + metadata_len);

  memcpy (aad, header, header_len);
  if (metadata_len > 0)
    memcpy (aad + header_len, metadata, metadata_len);

  *aad_len = header_len + metadata_len;
  return aad;
}

static void
count_drop (GremiumSFrameReceiver *self,
            GremiumSFrameStatus    status)
{
  switch (status)
    {
    case GREMIUM_SFRAME_TRUNCATED:
      self->stats.truncated++;
      break;

    case GREMIUM_SFRAME_MALFORMED:
      self->stats.malformed++;
      break;

    case GREMIUM_SFRAME_UNKNOWN_KID:
      self->stats.unknown_kid++;
      break;

    case GREMIUM_SFRAME_AUTH_FAILED:
      self->stats.auth_failed++;
      break;

    case GREMIUM_SFRAME_REPLAYED:
      self->stats.replayed++;
      break;

    case GREMIUM_SFRAME_TOO_OLD:
      self->stats.too_old++;
      break;

    /* Not the packet's fault: the caller's buffer, or a sender-side state. */
    case GREMIUM_SFRAME_OK:
    case GREMIUM_SFRAME_NO_KEY:
    case GREMIUM_SFRAME_BUFFER_TOO_SMALL:
    case GREMIUM_SFRAME_COUNTER_EXHAUSTED:
    default:
      break;
    }
}

/**
 * gremium_sframe_cipher_suite_is_supported:
 * @suite: an SFrame cipher suite code point
 *
 * Returns: %TRUE if Gremium implements @suite
 */
gboolean
gremium_sframe_cipher_suite_is_supported (guint suite)
{
  GremiumHkdfHash hash;
  gsize key_len;

  return suite_params ((GremiumSFrameCipherSuite) suite, &hash, &key_len);
}

/**
 * gremium_sframe_cipher_suite_get_key_size:
 * @suite: a supported cipher suite
 *
 * Gets Nk, the size of the AEAD key that @suite derives.
 *
 * Returns: 16 or 32
 */
gsize
gremium_sframe_cipher_suite_get_key_size (GremiumSFrameCipherSuite suite)
{
  GremiumHkdfHash hash;
  gsize key_len = 0;

  g_return_val_if_fail (suite_params (suite, &hash, &key_len), 0);

  return key_len;
}

/**
 * gremium_sframe_cipher_suite_get_implementation:
 * @suite: a supported cipher suite
 *
 * Describes which AES-GCM implementation protects media with @suite on this
 * computer, for logs and the about dialog. Without AES-NI the portable
 * implementation is not constant-time; see docs/crypto-sframe.md.
 *
 * Returns: (transfer none): a static string such as
 *   `"libsodium AES-256-GCM (AES-NI, PCLMUL)"`
 */
const char *
gremium_sframe_cipher_suite_get_implementation (GremiumSFrameCipherSuite suite)
{
  GremiumHkdfHash hash;
  gsize key_len = 0;

  g_return_val_if_fail (suite_params (suite, &hash, &key_len), NULL);

  return _gremium_aes_gcm_describe (GREMIUM_AES_GCM_BACKEND_AUTO, key_len);
}

/**
 * gremium_sframe_status_to_string:
 * @status: a status
 *
 * Names @status for log lines.
 *
 * Returns: (transfer none): a static string such as `"replayed"`
 */
const char *
gremium_sframe_status_to_string (GremiumSFrameStatus status)
{
  switch (status)
    {
    case GREMIUM_SFRAME_OK:
      return "ok";
    case GREMIUM_SFRAME_TRUNCATED:
      return "truncated";
    case GREMIUM_SFRAME_MALFORMED:
      return "malformed";
    case GREMIUM_SFRAME_UNKNOWN_KID:
      return "unknown-kid";
    case GREMIUM_SFRAME_AUTH_FAILED:
      return "auth-failed";
    case GREMIUM_SFRAME_REPLAYED:
      return "replayed";
    case GREMIUM_SFRAME_TOO_OLD:
      return "too-old";
    case GREMIUM_SFRAME_NO_KEY:
      return "no-key";
    case GREMIUM_SFRAME_BUFFER_TOO_SMALL:
      return "buffer-too-small";
    case GREMIUM_SFRAME_COUNTER_EXHAUSTED:
      return "counter-exhausted";
    default:
      return "unknown";
    }
}

/**
 * gremium_sframe_header_encode:
 * @kid: the key id
 * @ctr: the counter
 * @out: (out caller-allocates): at least %GREMIUM_SFRAME_MAX_HEADER_SIZE bytes
 *
 * Writes the SFrame header for @kid and @ctr in its minimal encoding
 * (RFC 9605 §4.3): a config byte `X|K K K|Y|C C C`, then the KID and the CTR as
 * big-endian integers of the fewest bytes, each omitted when its value fits
 * in the config byte's three bits.
 *
 * Returns: the header length, 1 to 17 bytes
 */
gsize
gremium_sframe_header_encode (guint64 kid,
                              guint64 ctr,
                              guint8  out[GREMIUM_SFRAME_MAX_HEADER_SIZE])
{
  guint8 config = 0;
  gsize pos = 1;

  g_return_val_if_fail (out != NULL, 0);

  if (kid < 8)
    {
      config |= (guint8) (kid << 4);
    }
  else
    {
      guint n = value_length (kid);

      config |= 0x80 | (guint8) ((n - 1) << 4);
      write_be (out + pos, kid, n);
      pos += n;
    }

  if (ctr < 8)
    {
      config |= (guint8) ctr;
    }
  else
    {
      guint n = value_length (ctr);

      config |= 0x08 | (guint8) (n - 1);
      write_be (out + pos, ctr, n);
      pos += n;
    }

  out[0] = config;
  return pos;
}

/**
 * gremium_sframe_header_decode:
 * @data: (array length=len): the start of an SFrame ciphertext
 * @len: length of @data
 * @kid: (out) (optional): the key id
 * @ctr: (out) (optional): the counter
 * @header_len: (out) (optional): the header length
 *
 * Parses an SFrame header. Only the minimal encoding is accepted, so that
 * every (KID, CTR) pair has exactly one header.
 *
 * Returns: %GREMIUM_SFRAME_OK, %GREMIUM_SFRAME_TRUNCATED if @data ends inside
 *   the header, or %GREMIUM_SFRAME_MALFORMED for a non-minimal encoding
 */
GremiumSFrameStatus
gremium_sframe_header_decode (const guint8 *data,
                              gsize         len,
                              guint64      *kid,
                              guint64      *ctr,
                              gsize        *header_len)
{
  GremiumSFrameStatus status;
  guint64 kid_value = 0;
  guint64 ctr_value = 0;
  gsize pos = 1;
  guint8 config;

  g_return_val_if_fail (data != NULL || len == 0, GREMIUM_SFRAME_TRUNCATED);

  if (len < 1)
    return GREMIUM_SFRAME_TRUNCATED;

  config = data[0];

  status = read_field (data, len, &pos, (config & 0x80) != 0, (config >> 4) & 0x07, &kid_value);
  if (status != GREMIUM_SFRAME_OK)
    return status;

  status = read_field (data, len, &pos, (config & 0x08) != 0, config & 0x07, &ctr_value);
  if (status != GREMIUM_SFRAME_OK)
    return status;

  if (kid != NULL)
    *kid = kid_value;
  if (ctr != NULL)
    *ctr = ctr_value;
  if (header_len != NULL)
    *header_len = pos;

  return GREMIUM_SFRAME_OK;
}

/*
 * _gremium_sframe_key_label:
 * @suite: the cipher suite
 * @kid: the key id
 * @out: (out caller-allocates): the label
 *
 * Builds `"SFrame 1.0 Secret key " || KID as 8 bytes || suite as 2 bytes`,
 * both big-endian (RFC 9605 §4.4.2).
 *
 * Returns: the label length, 32
 */
gsize
_gremium_sframe_key_label (GremiumSFrameCipherSuite suite,
                           guint64                  kid,
                           guint8                   out[GREMIUM_SFRAME_MAX_LABEL_SIZE])
{
  return build_label (KEY_LABEL, suite, kid, out);
}

/*
 * _gremium_sframe_salt_label:
 *
 * Like _gremium_sframe_key_label() for `"SFrame 1.0 Secret salt "`.
 *
 * Returns: the label length, 33
 */
gsize
_gremium_sframe_salt_label (GremiumSFrameCipherSuite suite,
                            guint64                  kid,
                            guint8                   out[GREMIUM_SFRAME_MAX_LABEL_SIZE])
{
  return build_label (SALT_LABEL, suite, kid, out);
}

/*
 * _gremium_sframe_derive:
 * @suite: the cipher suite
 * @kid: the key id
 * @base_key: the base key
 * @base_key_len: its length
 * @secret: (out caller-allocates) (optional): sframe_secret, Nh bytes
 * @key: (out caller-allocates): sframe_key, Nk bytes
 * @salt: (out caller-allocates): sframe_salt, 12 bytes
 *
 * The key schedule of RFC 9605 §4.4.2:
 *   sframe_secret = HKDF-Extract("", base_key)
 *   sframe_key    = HKDF-Expand(sframe_secret, key label, Nk)
 *   sframe_salt   = HKDF-Expand(sframe_secret, salt label, Nn)
 *
 * Returns: %FALSE only for an unsupported @suite
 */
gboolean
_gremium_sframe_derive (GremiumSFrameCipherSuite  suite,
                        guint64                   kid,
                        const guint8             *base_key,
                        gsize                     base_key_len,
                        guint8                   *secret,
                        guint8                    key[GREMIUM_SFRAME_MAX_KEY_SIZE],
                        guint8                    salt[GREMIUM_SFRAME_NONCE_SIZE])
{
  guint8 prk[GREMIUM_HKDF_MAX_HASH_SIZE];
  guint8 label[GREMIUM_SFRAME_MAX_LABEL_SIZE];
  GremiumHkdfHash hash;
  gsize hash_len;
  gsize key_len;
  gsize label_len;

  g_return_val_if_fail (base_key != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (salt != NULL, FALSE);

  if (!suite_params (suite, &hash, &key_len))
    return FALSE;

  hash_len = gremium_hkdf_hash_get_size (hash);
  gremium_hkdf_extract (hash, NULL, 0, base_key, base_key_len, prk);

  label_len = _gremium_sframe_key_label (suite, kid, label);
  gremium_hkdf_expand (hash, prk, hash_len, label, label_len, key, key_len);

  label_len = _gremium_sframe_salt_label (suite, kid, label);
  gremium_hkdf_expand (hash, prk, hash_len, label, label_len, salt, GREMIUM_SFRAME_NONCE_SIZE);

  if (secret != NULL)
    memcpy (secret, prk, hash_len);

  sodium_memzero (prk, sizeof prk);
  return TRUE;
}

/*
 * _gremium_sframe_nonce:
 * @salt: sframe_salt
 * @ctr: the counter
 * @nonce: (out caller-allocates): sframe_salt XOR CTR as a 12-byte big-endian integer
 */
void
_gremium_sframe_nonce (const guint8 salt[GREMIUM_SFRAME_NONCE_SIZE],
                       guint64      ctr,
                       guint8       nonce[GREMIUM_SFRAME_NONCE_SIZE])
{
  /* A 64-bit CTR leaves the first four bytes of the salt as they are. */
  memcpy (nonce, salt, GREMIUM_SFRAME_NONCE_SIZE);
  for (guint i = 0; i < 8; i++)
    nonce[4 + i] ^= (guint8) (ctr >> (56 - 8 * i));
}

GremiumSFrameSender *
_gremium_sframe_sender_new_with_backend (GremiumSFrameCipherSuite suite,
                                         GremiumAesGcmBackend     backend)
{
  GremiumSFrameSender *self;

  g_return_val_if_fail (gremium_sframe_cipher_suite_is_supported (suite), NULL);

  self = g_new0 (GremiumSFrameSender, 1);
  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->mutex);
  self->suite = suite;
  self->backend = backend;

  return self;
}

/*
 * _gremium_sframe_sender_set_counter:
 *
 * Moves the next CTR, for the RFC test vectors and for tests of counter
 * exhaustion. Production code never sets a counter: that is how nonces repeat.
 */
void
_gremium_sframe_sender_set_counter (GremiumSFrameSender *self,
                                    guint64              ctr)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->next_ctr = ctr;
  self->exhausted = FALSE;
  g_mutex_unlock (&self->mutex);
}

/**
 * GremiumSFrameSender:
 *
 * The sending side of SFrame: the current KID with its derived key and the
 * counter that makes each nonce unique.
 *
 * One sender belongs to one participant's outgoing media; its base key must
 * never be used for encryption by anybody else (RFC 9605 §4.4.1). The
 * expanded AES key is computed once per KID, so protecting a packet costs
 * the AES-GCM pass and a few bytes of copying, with no allocation.
 *
 * A sender may be used from several threads: the streaming thread protects
 * packets while the key schedule changes keys from the main thread.
 */

/**
 * gremium_sframe_sender_new:
 * @suite: the cipher suite
 *
 * Creates a sender without a key; gremium_sframe_sender_protect() reports
 * %GREMIUM_SFRAME_NO_KEY until gremium_sframe_sender_set_key() was called.
 *
 * Returns: (transfer full): a new sender
 */
GremiumSFrameSender *
gremium_sframe_sender_new (GremiumSFrameCipherSuite suite)
{
  g_return_val_if_fail (gremium_sframe_cipher_suite_is_supported (suite), NULL);

  return _gremium_sframe_sender_new_with_backend (suite, GREMIUM_AES_GCM_BACKEND_AUTO);
}

/**
 * gremium_sframe_sender_ref:
 * @self: a sender
 *
 * Returns: (transfer full): @self
 */
GremiumSFrameSender *
gremium_sframe_sender_ref (GremiumSFrameSender *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * gremium_sframe_sender_unref:
 * @self: (transfer full): a sender
 *
 * Drops a reference; the last one wipes the key.
 */
void
gremium_sframe_sender_unref (GremiumSFrameSender *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->key, sframe_key_free);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

/**
 * gremium_sframe_sender_set_key:
 * @self: a sender
 * @kid: the key id receivers will find @base_key under
 * @base_key: (array length=base_key_len): the sender's base key, 16 to 64 bytes
 * @base_key_len: length of @base_key
 * @error: return location for an error
 *
 * Switches to a new key. Packets from now on carry @kid, and the counter
 * starts again at 0, which is safe because the derived key is new.
 *
 * Setting the key that is already current changes nothing, so a repeated
 * call can never restart the counter under the same key. The caller must
 * still never come back to a base key it switched away from: its counter
 * values were used already. The key schedule guarantees that by using a
 * fresh random or ratcheted base key for every KID.
 *
 * Returns: %TRUE on success
 */
gboolean
gremium_sframe_sender_set_key (GremiumSFrameSender  *self,
                               guint64               kid,
                               const guint8         *base_key,
                               gsize                 base_key_len,
                               GError              **error)
{
  g_autoptr(SFrameKey) key = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (base_key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Deriving before taking the lock keeps the key schedule's HKDF and the
   * AES key expansion off the streaming thread's critical path.
   */
  key = sframe_key_new (self->suite, self->backend, kid, base_key, base_key_len, error);
  if (key == NULL)
    return FALSE;

  g_mutex_lock (&self->mutex);
  if (self->key == NULL || !sframe_key_equal (self->key, key))
    {
      g_clear_pointer (&self->key, sframe_key_free);
      self->key = g_steal_pointer (&key);
      self->next_ctr = 0;
      self->exhausted = FALSE;
    }
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

/**
 * gremium_sframe_sender_get_kid:
 * @self: a sender
 * @kid: (out) (optional): the current key id
 *
 * Returns: %TRUE if the sender has a key
 */
gboolean
gremium_sframe_sender_get_kid (GremiumSFrameSender *self,
                               guint64             *kid)
{
  gboolean has_key;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  has_key = self->key != NULL;
  if (has_key && kid != NULL)
    *kid = self->key->kid;
  g_mutex_unlock (&self->mutex);

  return has_key;
}

/**
 * gremium_sframe_sender_protect:
 * @self: a sender with a key
 * @metadata: (array length=metadata_len) (nullable): bytes that travel in
 *   clear but must be authenticated, such as the RTP header fields and the
 *   VP8 payload descriptor in front of the SFrame ciphertext
 * @metadata_len: length of @metadata
 * @plaintext: (array length=plaintext_len): the payload to encrypt
 * @plaintext_len: length of @plaintext
 * @out: (out caller-allocates) (array length=out_size): where the SFrame
 *   ciphertext goes: header || encrypted payload || tag; must not overlap
 *   @plaintext or @metadata
 * @out_size: size of @out; @plaintext_len + %GREMIUM_SFRAME_MAX_OVERHEAD
 *   is always enough
 * @out_len: (out): the number of bytes written to @out
 *
 * Encrypts one payload under the current KID and the next counter, with the
 * SFrame header and @metadata as AAD (RFC 9605 §4.4.3). The receiver must
 * pass the same @metadata to gremium_sframe_receiver_unprotect().
 *
 * Returns: %GREMIUM_SFRAME_OK, or %GREMIUM_SFRAME_NO_KEY,
 *   %GREMIUM_SFRAME_BUFFER_TOO_SMALL or %GREMIUM_SFRAME_COUNTER_EXHAUSTED
 *   with nothing written and the counter unchanged
 */
GremiumSFrameStatus
gremium_sframe_sender_protect (GremiumSFrameSender *self,
                               const guint8        *metadata,
                               gsize                metadata_len,
                               const guint8        *plaintext,
                               gsize                plaintext_len,
                               guint8              *out,
                               gsize                out_size,
                               gsize               *out_len)
{
  guint8 header[GREMIUM_SFRAME_MAX_HEADER_SIZE];
  guint8 nonce[GREMIUM_SFRAME_NONCE_SIZE];
  guint8 aad_stack[AAD_STACK_SIZE];
  g_autofree guint8 *aad_heap = NULL;
  GremiumSFrameStatus status = GREMIUM_SFRAME_OK;
  const guint8 *aad;
  gsize header_len;
  gsize aad_len;
  guint64 ctr;

  g_return_val_if_fail (self != NULL, GREMIUM_SFRAME_NO_KEY);
  g_return_val_if_fail (metadata != NULL || metadata_len == 0, GREMIUM_SFRAME_NO_KEY);
  g_return_val_if_fail (plaintext != NULL || plaintext_len == 0, GREMIUM_SFRAME_NO_KEY);
  g_return_val_if_fail (out != NULL, GREMIUM_SFRAME_NO_KEY);
  g_return_val_if_fail (out_len != NULL, GREMIUM_SFRAME_NO_KEY);

  *out_len = 0;

  g_mutex_lock (&self->mutex);

  if (self->key == NULL)
    {
      status = GREMIUM_SFRAME_NO_KEY;
      goto out;
    }

  if (self->exhausted)
    {
      status = GREMIUM_SFRAME_COUNTER_EXHAUSTED;
      goto out;
    }

  ctr = self->next_ctr;
  header_len = gremium_sframe_header_encode (self->key->kid, ctr, header);

  if (plaintext_len > G_MAXSIZE - GREMIUM_SFRAME_MAX_OVERHEAD ||
      out_size < header_len + plaintext_len + GREMIUM_SFRAME_TAG_SIZE)
    {
      status = GREMIUM_SFRAME_BUFFER_TOO_SMALL;
      goto out;
    }

  aad = build_aad (header, header_len, metadata, metadata_len, aad_stack, &aad_heap, &aad_len);
  _gremium_sframe_nonce (self->key->salt, ctr, nonce);

  memcpy (out, header, header_len);
  _gremium_aes_gcm_encrypt (self->key->aead, nonce, aad, aad_len,
                            plaintext, plaintext_len, out + header_len);

  /* The last CTR is usable once; after it the key must change. */
  if (ctr == G_MAXUINT64)
    self->exhausted = TRUE;
  else
    self->next_ctr = ctr + 1;

  *out_len = header_len + plaintext_len + GREMIUM_SFRAME_TAG_SIZE;

out:
  g_mutex_unlock (&self->mutex);
  return status;
}

GremiumSFrameReceiver *
_gremium_sframe_receiver_new_with_backend (GremiumSFrameCipherSuite suite,
                                           GremiumAesGcmBackend     backend)
{
  GremiumSFrameReceiver *self;

  g_return_val_if_fail (gremium_sframe_cipher_suite_is_supported (suite), NULL);

  self = g_new0 (GremiumSFrameReceiver, 1);
  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->mutex);
  self->suite = suite;
  self->backend = backend;
  self->keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                      (GDestroyNotify) sframe_key_free);

  return self;
}

/**
 * GremiumSFrameReceiver:
 *
 * The receiving side of SFrame: the keys of the KIDs it accepts, each with a
 * replay window of %GREMIUM_SFRAME_REPLAY_WINDOW counters, and counters of
 * the packets it dropped and why.
 *
 * A receiver may be used from several threads: the streaming thread
 * unprotects packets while the key schedule adds and removes keys.
 */

/**
 * gremium_sframe_receiver_new:
 * @suite: the cipher suite
 *
 * Creates a receiver that knows no keys yet.
 *
 * Returns: (transfer full): a new receiver
 */
GremiumSFrameReceiver *
gremium_sframe_receiver_new (GremiumSFrameCipherSuite suite)
{
  g_return_val_if_fail (gremium_sframe_cipher_suite_is_supported (suite), NULL);

  return _gremium_sframe_receiver_new_with_backend (suite, GREMIUM_AES_GCM_BACKEND_AUTO);
}

/**
 * gremium_sframe_receiver_ref:
 * @self: a receiver
 *
 * Returns: (transfer full): @self
 */
GremiumSFrameReceiver *
gremium_sframe_receiver_ref (GremiumSFrameReceiver *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * gremium_sframe_receiver_unref:
 * @self: (transfer full): a receiver
 *
 * Drops a reference; the last one wipes all keys.
 */
void
gremium_sframe_receiver_unref (GremiumSFrameReceiver *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->keys, g_hash_table_unref);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

/**
 * gremium_sframe_receiver_add_key:
 * @self: a receiver
 * @kid: the key id
 * @base_key: (array length=base_key_len): the base key, 16 to 64 bytes
 * @base_key_len: length of @base_key
 * @error: return location for an error
 *
 * Accepts packets under @kid from now on.
 *
 * Adding the key a KID already has keeps its replay window. A different key
 * under a known KID replaces the old one with a fresh window: the old key's
 * packets no longer authenticate, so they cannot be replayed into it. For the
 * same reason a removed key must not be added again.
 *
 * Returns: %TRUE on success
 */
gboolean
gremium_sframe_receiver_add_key (GremiumSFrameReceiver  *self,
                                 guint64                 kid,
                                 const guint8           *base_key,
                                 gsize                   base_key_len,
                                 GError                **error)
{
  g_autoptr(SFrameKey) key = NULL;
  SFrameKey *existing;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (base_key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  key = sframe_key_new (self->suite, self->backend, kid, base_key, base_key_len, error);
  if (key == NULL)
    return FALSE;

  g_mutex_lock (&self->mutex);
  existing = g_hash_table_lookup (self->keys, &kid);
  if (existing == NULL || !sframe_key_equal (existing, key))
    {
      SFrameKey *stolen = g_steal_pointer (&key);

      g_hash_table_replace (self->keys, &stolen->kid, stolen);
    }
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

/**
 * gremium_sframe_receiver_remove_key:
 * @self: a receiver
 * @kid: a key id
 *
 * Forgets the key of @kid and wipes it; its packets are dropped as
 * %GREMIUM_SFRAME_UNKNOWN_KID from now on.
 *
 * Returns: %TRUE if @kid had a key
 */
gboolean
gremium_sframe_receiver_remove_key (GremiumSFrameReceiver *self,
                                    guint64                kid)
{
  gboolean removed;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  removed = g_hash_table_remove (self->keys, &kid);
  g_mutex_unlock (&self->mutex);

  return removed;
}

/**
 * gremium_sframe_receiver_has_key:
 * @self: a receiver
 * @kid: a key id
 *
 * Returns: %TRUE if @kid has a key
 */
gboolean
gremium_sframe_receiver_has_key (GremiumSFrameReceiver *self,
                                 guint64                kid)
{
  gboolean found;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  found = g_hash_table_contains (self->keys, &kid);
  g_mutex_unlock (&self->mutex);

  return found;
}

/**
 * gremium_sframe_receiver_unprotect:
 * @self: a receiver
 * @metadata: (array length=metadata_len) (nullable): the same metadata the
 *   sender authenticated
 * @metadata_len: length of @metadata
 * @data: (array length=len): an SFrame ciphertext: header || ciphertext || tag
 * @len: length of @data
 * @out: (out caller-allocates) (array length=out_size): where the plaintext
 *   goes; must not overlap @data or @metadata
 * @out_size: size of @out; @len is always enough
 * @out_len: (out): the plaintext length
 * @out_kid: (out) (optional): the KID the packet was protected under, so the
 *   caller can tell which key (and with it which sender) it came from
 *
 * Authenticates and decrypts one payload. A packet is accepted at most once
 * per KID and CTR, and only if its CTR is less than
 * %GREMIUM_SFRAME_REPLAY_WINDOW behind the newest accepted one. Every
 * dropped packet is counted by its reason; see
 * gremium_sframe_receiver_get_stats().
 *
 * Returns: %GREMIUM_SFRAME_OK with the plaintext in @out, or the reason the
 *   packet was dropped; then @out holds no plaintext and the replay window
 *   is unchanged
 */
GremiumSFrameStatus
gremium_sframe_receiver_unprotect (GremiumSFrameReceiver *self,
                                   const guint8          *metadata,
                                   gsize                  metadata_len,
                                   const guint8          *data,
                                   gsize                  len,
                                   guint8                *out,
                                   gsize                  out_size,
                                   gsize                 *out_len,
                                   guint64               *out_kid)
{
  guint8 nonce[GREMIUM_SFRAME_NONCE_SIZE];
  guint8 aad_stack[AAD_STACK_SIZE];
  g_autofree guint8 *aad_heap = NULL;
  GremiumSFrameStatus status;
  const guint8 *aad;
  SFrameKey *key;
  gsize header_len = 0;
  gsize body_len;
  gsize aad_len;
  guint64 kid = 0;
  guint64 ctr = 0;

  g_return_val_if_fail (self != NULL, GREMIUM_SFRAME_UNKNOWN_KID);
  g_return_val_if_fail (metadata != NULL || metadata_len == 0, GREMIUM_SFRAME_UNKNOWN_KID);
  g_return_val_if_fail (data != NULL || len == 0, GREMIUM_SFRAME_UNKNOWN_KID);
  g_return_val_if_fail (out != NULL, GREMIUM_SFRAME_UNKNOWN_KID);
  g_return_val_if_fail (out_len != NULL, GREMIUM_SFRAME_UNKNOWN_KID);

  *out_len = 0;

  status = gremium_sframe_header_decode (data, len, &kid, &ctr, &header_len);

  g_mutex_lock (&self->mutex);

  if (status != GREMIUM_SFRAME_OK)
    goto out;

  if (len - header_len < GREMIUM_SFRAME_TAG_SIZE)
    {
      status = GREMIUM_SFRAME_TRUNCATED;
      goto out;
    }

  key = g_hash_table_lookup (self->keys, &kid);
  if (key == NULL)
    {
      status = GREMIUM_SFRAME_UNKNOWN_KID;
      goto out;
    }

  /* Checked before decryption to spend no AES on a known replay, and
   * recorded only after it, so a forgery cannot move the window.
   */
  status = replay_check (key, ctr);
  if (status != GREMIUM_SFRAME_OK)
    goto out;

  body_len = len - header_len - GREMIUM_SFRAME_TAG_SIZE;
  if (out_size < body_len)
    {
      status = GREMIUM_SFRAME_BUFFER_TOO_SMALL;
      goto out;
    }

  aad = build_aad (data, header_len, metadata, metadata_len, aad_stack, &aad_heap, &aad_len);
  _gremium_sframe_nonce (key->salt, ctr, nonce);

  if (!_gremium_aes_gcm_decrypt (key->aead, nonce, aad, aad_len,
                                 data + header_len, len - header_len, out))
    {
      status = GREMIUM_SFRAME_AUTH_FAILED;
      goto out;
    }

  replay_accept (key, ctr);
  self->stats.accepted++;
  *out_len = body_len;
  if (out_kid != NULL)
    *out_kid = kid;

out:
  count_drop (self, status);
  g_mutex_unlock (&self->mutex);

  return status;
}

/**
 * gremium_sframe_receiver_get_stats:
 * @self: a receiver
 * @stats: (out caller-allocates): the counters
 *
 * Reads the counters of accepted and dropped packets.
 */
void
gremium_sframe_receiver_get_stats (GremiumSFrameReceiver *self,
                                   GremiumSFrameStats    *stats)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (stats != NULL);

  g_mutex_lock (&self->mutex);
  *stats = self->stats;
  g_mutex_unlock (&self->mutex);
}
