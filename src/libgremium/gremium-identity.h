/* gremium-identity.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gremium-crypto.h"

G_BEGIN_DECLS

#define GREMIUM_SEED_SIZE 32
#define GREMIUM_X25519_KEY_SIZE 32

#define GREMIUM_TYPE_IDENTITY (gremium_identity_get_type ())

G_DECLARE_FINAL_TYPE (GremiumIdentity, gremium_identity, GREMIUM, IDENTITY, GObject)

GremiumIdentity *gremium_identity_new                  (void) G_GNUC_WARN_UNUSED_RESULT;
GremiumIdentity *gremium_identity_new_from_seed        (const guint8     seed[GREMIUM_SEED_SIZE]) G_GNUC_WARN_UNUSED_RESULT;
GremiumIdentity *gremium_identity_load                 (const char      *path,
                                                        GError         **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean         gremium_identity_save                 (GremiumIdentity *self,
                                                        const char      *path,
                                                        GError         **error);
GremiumIdentity *gremium_identity_load_encrypted       (const char      *path,
                                                        const char      *passphrase,
                                                        GError         **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean         gremium_identity_save_encrypted       (GremiumIdentity *self,
                                                        const char      *path,
                                                        const char      *passphrase,
                                                        GError         **error);
void             gremium_identity_copy_seed            (GremiumIdentity *self,
                                                        guint8           seed[GREMIUM_SEED_SIZE]);
const guint8    *gremium_identity_get_public_key       (GremiumIdentity *self);
char            *gremium_identity_dup_public_key_base64 (GremiumIdentity *self) G_GNUC_WARN_UNUSED_RESULT;
char            *gremium_identity_dup_fingerprint      (GremiumIdentity *self) G_GNUC_WARN_UNUSED_RESULT;
void             gremium_identity_sign                 (GremiumIdentity *self,
                                                        const guint8    *data,
                                                        gsize            len,
                                                        guint8           signature[GREMIUM_SIGNATURE_SIZE]);
gboolean         gremium_identity_derive_x25519        (GremiumIdentity *self,
                                                        guint8           public_key[GREMIUM_X25519_KEY_SIZE],
                                                        guint8           secret_key[GREMIUM_X25519_KEY_SIZE]);
gboolean         gremium_public_key_to_x25519          (const guint8     public_key[GREMIUM_PUBLIC_KEY_SIZE],
                                                        guint8           x25519_public[GREMIUM_X25519_KEY_SIZE]);

G_END_DECLS
