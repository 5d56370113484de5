/* gremium-sframe-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-aes-gcm-private.h"
#include "gremium-sframe.h"

G_BEGIN_DECLS

/* "SFrame 1.0 Secret salt " (23 bytes) + KID (8) + cipher suite (2) */
#define GREMIUM_SFRAME_MAX_LABEL_SIZE 33

gsize    _gremium_sframe_key_label  (GremiumSFrameCipherSuite  suite,
                                     guint64                   kid,
                                     guint8                    out[GREMIUM_SFRAME_MAX_LABEL_SIZE]);
gsize    _gremium_sframe_salt_label (GremiumSFrameCipherSuite  suite,
                                     guint64                   kid,
                                     guint8                    out[GREMIUM_SFRAME_MAX_LABEL_SIZE]);
gboolean _gremium_sframe_derive     (GremiumSFrameCipherSuite  suite,
                                     guint64                   kid,
                                     const guint8             *base_key,
                                     gsize                     base_key_len,
                                     guint8                   *secret,
                                     guint8                    key[GREMIUM_SFRAME_MAX_KEY_SIZE],
                                     guint8                    salt[GREMIUM_SFRAME_NONCE_SIZE]);
void     _gremium_sframe_nonce      (const guint8              salt[GREMIUM_SFRAME_NONCE_SIZE],
                                     guint64                   ctr,
                                     guint8                    nonce[GREMIUM_SFRAME_NONCE_SIZE]);

GremiumSFrameSender   *_gremium_sframe_sender_new_with_backend   (GremiumSFrameCipherSuite suite,
                                                                  GremiumAesGcmBackend     backend)
                                                                  G_GNUC_WARN_UNUSED_RESULT;
void                   _gremium_sframe_sender_set_counter        (GremiumSFrameSender     *self,
                                                                  guint64                  ctr);
GremiumSFrameReceiver *_gremium_sframe_receiver_new_with_backend (GremiumSFrameCipherSuite suite,
                                                                  GremiumAesGcmBackend     backend)
                                                                  G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
