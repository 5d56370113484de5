/* gremium-identity-store.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-identity-store"

#include "config.h"

#include "gremium-identity-store.h"

#include <glib/gi18n.h>
#include <sodium.h>

#include <gremium-crypto.h>
#include <gremium-error.h>

#include <errno.h>
#include <string.h>

/**
 * GremiumIdentityStore:
 *
 * Keeps this device's identity keys, one per server and member: in the
 * system's secret store through libsecret (GNOME Keyring, KWallet), and on a
 * system without a secret service in a file encrypted with a passphrase
 * (libsodium `crypto_pwhash`, gremium_identity_save_encrypted()). The
 * fallback is visible to the user: the store says when it is in use, and the
 * join page asks for the passphrase and says why.
 *
 * `GREMIUM_SECRET_STORE=file` forces the fallback (tests, kiosks);
 * `GREMIUM_SECRET_STORE=keyring` forces the secret service.
 */
struct _GremiumIdentityStore
{
  GObject   parent_instance;

  gboolean  uses_fallback;
};

G_DEFINE_FINAL_TYPE (GremiumIdentityStore, gremium_identity_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_USES_FALLBACK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (gremium-identity-store-error-quark, gremium_identity_store_error)

/**
 * gremium_identity_store_get_schema:
 *
 * The libsecret schema of Gremium's identity keys: one secret (the key's
 * 32-byte seed, base64) per server address and member id.
 *
 * Returns: (transfer none): the schema
 */
const SecretSchema *
gremium_identity_store_get_schema (void)
{
  /* Matching by attributes only keeps items found when the schema name is
   * not stored, as happens with a keyring that was locked on creation (the
   * same reason GNOME Calls gives).
   */
  static const SecretSchema schema = {
    "io.github.gremium.Gremium.Identity", SECRET_SCHEMA_DONT_MATCH_NAME,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "member", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
set_uses_fallback (GremiumIdentityStore *self,
                   gboolean              uses_fallback)
{
  if (self->uses_fallback == uses_fallback)
    return;

  self->uses_fallback = uses_fallback;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USES_FALLBACK]);
}

/* A missing secret service shows as a D-Bus error (no such name, no bus)
 * or as libsecret's "no such object"; anything else (a locked keyring the
 * user did not open) is a real error.
 */
static gboolean
is_service_missing (const GError *error)
{
  return error->domain == G_DBUS_ERROR ||
         (error->domain == G_IO_ERROR && error->code != G_IO_ERROR_CANCELLED) ||
         (error->domain == SECRET_ERROR && error->code == SECRET_ERROR_NO_SUCH_OBJECT);
}

typedef struct
{
  char     *server;
  char     *member;
  char     *passphrase;
  char     *path;
  GremiumIdentity *identity;
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_free (data->server);
  g_free (data->member);
  if (data->passphrase != NULL)
    {
      sodium_memzero (data->passphrase, strlen (data->passphrase));
      g_free (data->passphrase);
    }
  g_free (data->path);
  g_clear_object (&data->identity);
  g_free (data);
}

static gboolean
check_passphrase (const char  *passphrase,
                  GError     **error)
{
  if (passphrase == NULL || passphrase[0] == '\0')
    {
      g_set_error_literal (error, GREMIUM_IDENTITY_STORE_ERROR,
                           GREMIUM_IDENTITY_STORE_ERROR_NEEDS_PASSPHRASE,
                           _("No system keyring is available, so your key is kept in a file "
                             "protected by a passphrase. Enter the passphrase."));
      return FALSE;
    }

  return TRUE;
}

static void
lookup_file_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  StoreData *data = task_data;
  g_autoptr(GremiumIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (data->path, G_FILE_TEST_EXISTS))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  identity = gremium_identity_load_encrypted (data->path, data->passphrase, &error);
  if (identity == NULL)
    {
      g_task_return_new_error (task, GREMIUM_IDENTITY_STORE_ERROR,
                               GREMIUM_IDENTITY_STORE_ERROR_WRONG_PASSPHRASE,
                               _("The passphrase does not open the key file %s."), data->path);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&identity), g_object_unref);
}

static void
lookup_file (GTask *task)
{
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Without a key file there is nothing to open yet: the caller creates an
   * identity and saves it with a new passphrase.
   */
  if (!g_file_test (data->path, G_FILE_TEST_EXISTS))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  if (!check_passphrase (data->passphrase, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Argon2id takes a few hundred milliseconds and much memory. */
  g_task_run_in_thread (task, lookup_file_thread);
}

static void
password_lookup_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GremiumIdentityStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  guint8 seed[GREMIUM_SEED_SIZE];
  char *secret;
  gboolean ok;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      if (is_service_missing (error))
        {
          g_message ("No secret service (%s); using the passphrase-protected key file",
                     error->message);
          set_uses_fallback (self, TRUE);
          lookup_file (g_steal_pointer (&task));
          return;
        }

      g_task_return_new_error (task, GREMIUM_IDENTITY_STORE_ERROR,
                               GREMIUM_IDENTITY_STORE_ERROR_FAILED,
                               _("The key cannot be read from the system keyring: %s"),
                               error->message);
      return;
    }

  if (secret == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  ok = gremium_base64_decode_exact (secret, seed, sizeof seed, NULL);
  secret_password_free (secret);
  if (!ok)
    {
      g_task_return_new_error (task, GREMIUM_IDENTITY_STORE_ERROR,
                               GREMIUM_IDENTITY_STORE_ERROR_FAILED,
                               _("The key in the system keyring is damaged."));
      return;
    }

  g_task_return_pointer (task, gremium_identity_new_from_seed (seed), g_object_unref);
  sodium_memzero (seed, sizeof seed);
}

static void
gremium_identity_store_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  GremiumIdentityStore *self = GREMIUM_IDENTITY_STORE (object);

  switch (prop_id)
    {
    case PROP_USES_FALLBACK:
      g_value_set_boolean (value, self->uses_fallback);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gremium_identity_store_class_init (GremiumIdentityStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gremium_identity_store_get_property;

  /**
   * GremiumIdentityStore:uses-fallback:
   *
   * Whether keys are kept in the passphrase-protected file because there is
   * no system secret service.
   */
  properties[PROP_USES_FALLBACK] =
    g_param_spec_boolean ("uses-fallback", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gremium_identity_store_init (GremiumIdentityStore *self)
{
  const char *forced = g_getenv ("GREMIUM_SECRET_STORE");

  /* Without a session bus there is no secret service to ask; say so at once
   * instead of after a failed lookup.
   */
  if (g_strcmp0 (forced, "file") == 0)
    self->uses_fallback = TRUE;
  else if (g_strcmp0 (forced, "keyring") == 0)
    self->uses_fallback = FALSE;
  else
    self->uses_fallback = g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL;
}

GremiumIdentityStore *
gremium_identity_store_new (void)
{
  return g_object_new (GREMIUM_TYPE_IDENTITY_STORE, NULL);
}

/**
 * gremium_identity_store_get_uses_fallback:
 * @self: a store
 *
 * Returns: whether the passphrase-protected file is used instead of the
 *   system keyring
 */
gboolean
gremium_identity_store_get_uses_fallback (GremiumIdentityStore *self)
{
  g_return_val_if_fail (GREMIUM_IS_IDENTITY_STORE (self), FALSE);

  return self->uses_fallback;
}

/**
 * gremium_identity_store_dup_file_path:
 * @self: a store
 * @server: the server address
 * @member: the member id
 *
 * Returns: (transfer full): the fallback key file for @server and @member
 */
char *
gremium_identity_store_dup_file_path (GremiumIdentityStore *self,
                                      const char           *server,
                                      const char           *member)
{
  g_autofree char *name = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *key = NULL;
  guint8 digest[32];

  g_return_val_if_fail (GREMIUM_IS_IDENTITY_STORE (self), NULL);
  g_return_val_if_fail (server != NULL && member != NULL, NULL);

  /* The address may hold any character; a hash makes a safe file name. */
  key = g_strconcat (server, "\n", member, NULL);
  gremium_sha256 ((const guint8 *) key, strlen (key), digest);
  hex = gremium_hex_encode (digest, 8);
  name = g_strdup_printf ("%s-%s.key", member, hex);

  return g_build_filename (g_get_user_data_dir (), "gremium", "identities", name, NULL);
}

/**
 * gremium_identity_store_lookup_async:
 * @self: a store
 * @server: the server address
 * @member: the member id
 * @passphrase: (nullable): the passphrase of the fallback file
 * @cancellable: (nullable): a cancellable
 * @callback: called with the identity
 * @user_data: data for @callback
 *
 * Looks up the identity kept for @server and @member.
 */
void
gremium_identity_store_lookup_async (GremiumIdentityStore *self,
                                     const char           *server,
                                     const char           *member,
                                     const char           *passphrase,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreData *data;

  g_return_if_fail (GREMIUM_IS_IDENTITY_STORE (self));
  g_return_if_fail (server != NULL && member != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gremium_identity_store_lookup_async);

  data = g_new0 (StoreData, 1);
  data->server = g_strdup (server);
  data->member = g_strdup (member);
  data->passphrase = g_strdup (passphrase);
  data->path = gremium_identity_store_dup_file_path (self, server, member);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);

  if (self->uses_fallback)
    {
      lookup_file (g_steal_pointer (&task));
      return;
    }

  secret_password_lookup (gremium_identity_store_get_schema (), cancellable,
                          password_lookup_cb, g_steal_pointer (&task),
                          "server", server,
                          "member", member,
                          NULL);
}

/**
 * gremium_identity_store_lookup_finish:
 * @self: a store
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the identity, or %NULL with no error
 *   set when none is kept yet
 */
GremiumIdentity *
gremium_identity_store_lookup_finish (GremiumIdentityStore  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
save_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  StoreData *data = task_data;
  g_autofree char *dir = g_path_get_dirname (data->path);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !gremium_identity_save_encrypted (data->identity, data->path, data->passphrase, &error))
    {
      g_task_return_new_error (task, GREMIUM_IDENTITY_STORE_ERROR,
                               GREMIUM_IDENTITY_STORE_ERROR_FAILED,
                               _("The key file %s cannot be written: %s"), data->path,
                               error ? error->message : g_strerror (errno));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
save_file (GTask *task)
{
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!check_passphrase (data->passphrase, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_utf8_strlen (data->passphrase, -1) < GREMIUM_IDENTITY_STORE_MIN_PASSPHRASE)
    {
      g_task_return_new_error (task, GREMIUM_IDENTITY_STORE_ERROR,
                               GREMIUM_IDENTITY_STORE_ERROR_WEAK_PASSPHRASE,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "Choose a passphrase of at least %d character.",
                                            "Choose a passphrase of at least %d characters.",
                                            GREMIUM_IDENTITY_STORE_MIN_PASSPHRASE),
                               GREMIUM_IDENTITY_STORE_MIN_PASSPHRASE);
      return;
    }

  g_task_run_in_thread (task, save_file_thread);
}

static void
password_store_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GremiumIdentityStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (is_service_missing (error))
        {
          g_message ("No secret service (%s); using the passphrase-protected key file",
                     error->message);
          set_uses_fallback (self, TRUE);
          save_file (g_steal_pointer (&task));
          return;
        }

      g_task_return_new_error (task, GREMIUM_IDENTITY_STORE_ERROR,
                               GREMIUM_IDENTITY_STORE_ERROR_FAILED,
                               _("The key cannot be stored in the system keyring: %s"),
                               error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * gremium_identity_store_save_async:
 * @self: a store
 * @server: the server address
 * @member: the member id
 * @identity: the identity to keep
 * @passphrase: (nullable): the passphrase for the fallback file
 * @cancellable: (nullable): a cancellable
 * @callback: called when stored
 * @user_data: data for @callback
 *
 * Keeps @identity for @server and @member.
 */
void
gremium_identity_store_save_async (GremiumIdentityStore *self,
                                   const char           *server,
                                   const char           *member,
                                   GremiumIdentity      *identity,
                                   const char           *passphrase,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  g_autofree char *secret = NULL;
  StoreData *data;
  guint8 seed[GREMIUM_SEED_SIZE];

  g_return_if_fail (GREMIUM_IS_IDENTITY_STORE (self));
  g_return_if_fail (server != NULL && member != NULL);
  g_return_if_fail (GREMIUM_IS_IDENTITY (identity));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gremium_identity_store_save_async);

  data = g_new0 (StoreData, 1);
  data->server = g_strdup (server);
  data->member = g_strdup (member);
  data->passphrase = g_strdup (passphrase);
  data->path = gremium_identity_store_dup_file_path (self, server, member);
  data->identity = g_object_ref (identity);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);

  if (self->uses_fallback)
    {
      save_file (g_steal_pointer (&task));
      return;
    }

  gremium_identity_copy_seed (identity, seed);
  secret = gremium_base64_encode (seed, sizeof seed);
  sodium_memzero (seed, sizeof seed);

  /* Translators: the label of the key in the keyring manager (Seahorse);
   * %s are the member id and the server address
   */
  label = g_strdup_printf (_("Gremium device key of %s at %s"), member, server);
  secret_password_store (gremium_identity_store_get_schema (), SECRET_COLLECTION_DEFAULT, label,
                         secret, cancellable, password_store_cb, g_steal_pointer (&task),
                         "server", server,
                         "member", member,
                         NULL);
  sodium_memzero (secret, strlen (secret));
}

gboolean
gremium_identity_store_save_finish (GremiumIdentityStore  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
