/* gremium-hkdf.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GremiumHkdfHash:
 * @GREMIUM_HKDF_SHA256: HMAC-SHA-256, 32-byte output blocks
 * @GREMIUM_HKDF_SHA512: HMAC-SHA-512, 64-byte output blocks
 *
 * The hash function under HKDF (RFC 5869).
 */
typedef enum
{
  GREMIUM_HKDF_SHA256,
  GREMIUM_HKDF_SHA512,
} GremiumHkdfHash;

#define GREMIUM_HKDF_MAX_HASH_SIZE 64

gsize    gremium_hkdf_hash_get_size (GremiumHkdfHash  hash) G_GNUC_CONST;
void     gremium_hkdf_extract       (GremiumHkdfHash  hash,
                                     const guint8    *salt,
                                     gsize            salt_len,
                                     const guint8    *ikm,
                                     gsize            ikm_len,
                                     guint8          *prk);
gboolean gremium_hkdf_expand        (GremiumHkdfHash  hash,
                                     const guint8    *prk,
                                     gsize            prk_len,
                                     const guint8    *info,
                                     gsize            info_len,
                                     guint8          *okm,
                                     gsize            okm_len);
gboolean gremium_hkdf               (GremiumHkdfHash  hash,
                                     const guint8    *salt,
                                     gsize            salt_len,
                                     const guint8    *ikm,
                                     gsize            ikm_len,
                                     const guint8    *info,
                                     gsize            info_len,
                                     guint8          *okm,
                                     gsize            okm_len);

G_END_DECLS
