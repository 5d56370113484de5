/* gremium-identity-store.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include <gremium-identity.h>

G_BEGIN_DECLS

#define GREMIUM_IDENTITY_STORE_ERROR (gremium_identity_store_error_quark ())

/**
 * GremiumIdentityStoreError:
 * @GREMIUM_IDENTITY_STORE_ERROR_NEEDS_PASSPHRASE: the fallback file store is in use and a
 *   passphrase is needed
 * @GREMIUM_IDENTITY_STORE_ERROR_WRONG_PASSPHRASE: the passphrase does not open the key file
 * @GREMIUM_IDENTITY_STORE_ERROR_WEAK_PASSPHRASE: a new passphrase is too short
 * @GREMIUM_IDENTITY_STORE_ERROR_FAILED: the key could not be read or written
 *
 * Errors of the identity store; their messages are translated for the user.
 */
typedef enum
{
  GREMIUM_IDENTITY_STORE_ERROR_NEEDS_PASSPHRASE,
  GREMIUM_IDENTITY_STORE_ERROR_WRONG_PASSPHRASE,
  GREMIUM_IDENTITY_STORE_ERROR_WEAK_PASSPHRASE,
  GREMIUM_IDENTITY_STORE_ERROR_FAILED,
} GremiumIdentityStoreError;

/* A passphrase shorter than this is refused for a new key file. */
#define GREMIUM_IDENTITY_STORE_MIN_PASSPHRASE 8

#define GREMIUM_TYPE_IDENTITY_STORE (gremium_identity_store_get_type ())

G_DECLARE_FINAL_TYPE (GremiumIdentityStore, gremium_identity_store, GREMIUM, IDENTITY_STORE, GObject)

GQuark                gremium_identity_store_error_quark   (void) G_GNUC_CONST;
const SecretSchema   *gremium_identity_store_get_schema    (void) G_GNUC_CONST;
GremiumIdentityStore *gremium_identity_store_new           (void) G_GNUC_WARN_UNUSED_RESULT;
gboolean              gremium_identity_store_get_uses_fallback (GremiumIdentityStore *self);
char                 *gremium_identity_store_dup_file_path (GremiumIdentityStore *self,
                                                            const char           *server,
                                                            const char           *member) G_GNUC_WARN_UNUSED_RESULT;
void                  gremium_identity_store_lookup_async  (GremiumIdentityStore *self,
                                                            const char           *server,
                                                            const char           *member,
                                                            const char           *passphrase,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GremiumIdentity      *gremium_identity_store_lookup_finish (GremiumIdentityStore *self,
                                                            GAsyncResult         *result,
                                                            GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void                  gremium_identity_store_save_async    (GremiumIdentityStore *self,
                                                            const char           *server,
                                                            const char           *member,
                                                            GremiumIdentity      *identity,
                                                            const char           *passphrase,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean              gremium_identity_store_save_finish   (GremiumIdentityStore *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

G_END_DECLS
