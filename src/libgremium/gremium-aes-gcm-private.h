/* gremium-aes-gcm-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GREMIUM_AES_GCM_NONCE_SIZE 12
#define GREMIUM_AES_GCM_TAG_SIZE   16

/* Which implementation runs AES-GCM. AUTO picks libsodium where it can run
 * (AES-256 on an x86 CPU with AES-NI and PCLMUL) and nettle everywhere else;
 * the other two exist so that tests and the benchmark can pin one.
 */
typedef enum
{
  GREMIUM_AES_GCM_BACKEND_AUTO,
  GREMIUM_AES_GCM_BACKEND_SODIUM,
  GREMIUM_AES_GCM_BACKEND_NETTLE,
} GremiumAesGcmBackend;

typedef struct _GremiumAesGcm GremiumAesGcm;

gboolean       _gremium_aes_gcm_backend_is_available (GremiumAesGcmBackend  backend,
                                                      gsize                 key_len);
GremiumAesGcm *_gremium_aes_gcm_new                  (GremiumAesGcmBackend  backend,
                                                      const guint8         *key,
                                                      gsize                 key_len)
                                                      G_GNUC_WARN_UNUSED_RESULT;
void           _gremium_aes_gcm_free                 (GremiumAesGcm        *self);
void           _gremium_aes_gcm_encrypt (const GremiumAesGcm *self,
                                         const guint8         nonce[GREMIUM_AES_GCM_NONCE_SIZE],
                                         const guint8        *aad,
                                         gsize                aad_len,
                                         const guint8        *plaintext,
                                         gsize                len,
                                         guint8              *out);
gboolean       _gremium_aes_gcm_decrypt (const GremiumAesGcm *self,
                                         const guint8         nonce[GREMIUM_AES_GCM_NONCE_SIZE],
                                         const guint8        *aad,
                                         gsize                aad_len,
                                         const guint8        *ciphertext,
                                         gsize                len,
                                         guint8              *out);
const char    *_gremium_aes_gcm_describe             (GremiumAesGcmBackend  backend,
                                                      gsize                 key_len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GremiumAesGcm, _gremium_aes_gcm_free)

G_END_DECLS
