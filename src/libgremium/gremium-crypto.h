/* gremium-crypto.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GREMIUM_PUBLIC_KEY_SIZE 32
#define GREMIUM_SIGNATURE_SIZE  64
#define GREMIUM_HASH_SIZE       32

gboolean  gremium_crypto_init                (GError       **error);
void      gremium_random_bytes               (guint8        *buf,
                                              gsize          len);
char     *gremium_random_token               (gsize          n_bytes) G_GNUC_WARN_UNUSED_RESULT;
void      gremium_sha256                     (const guint8  *data,
                                              gsize          len,
                                              guint8         out[GREMIUM_HASH_SIZE]);
char     *gremium_base64_encode              (const guint8  *data,
                                              gsize          len) G_GNUC_WARN_UNUSED_RESULT;
guint8   *gremium_base64_decode              (const char    *text,
                                              gsize         *out_len,
                                              GError       **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean  gremium_base64_decode_exact        (const char    *text,
                                              guint8        *out,
                                              gsize          expected_len,
                                              GError       **error);
char     *gremium_hex_encode                 (const guint8  *data,
                                              gsize          len) G_GNUC_WARN_UNUSED_RESULT;
gboolean  gremium_signature_verify           (const guint8   public_key[GREMIUM_PUBLIC_KEY_SIZE],
                                              const guint8  *data,
                                              gsize          len,
                                              const guint8   signature[GREMIUM_SIGNATURE_SIZE]);
gboolean  gremium_public_key_is_valid        (const guint8   public_key[GREMIUM_PUBLIC_KEY_SIZE]);
char     *gremium_public_key_fingerprint     (const guint8   public_key[GREMIUM_PUBLIC_KEY_SIZE]) G_GNUC_WARN_UNUSED_RESULT;
gboolean  gremium_memequal                   (const guint8  *a,
                                              const guint8  *b,
                                              gsize          len);

char     *gremium_time_format                (gint64         unix_usec) G_GNUC_WARN_UNUSED_RESULT;
gboolean  gremium_time_parse                 (const char    *text,
                                              gint64        *unix_usec);

G_END_DECLS
