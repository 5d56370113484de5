/* gremium-identity.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-identity"

#include "config.h"

#include "gremium-identity.h"
#include "gremium-error.h"

#include <sodium.h>
#include <string.h>

/**
 * GremiumIdentity:
 *
 * A device's Ed25519 identity key pair.
 *
 * The secret key lives in memory from sodium_malloc(): guarded pages that are
 * locked against swapping and wiped when the identity is finalized. It never
 * leaves this object except in the two file formats below, and never appears
 * in a log line.
 *
 * The plain file format is meant for the server's own key in its data
 * directory, protected by file permissions like an SSH host key. Clients keep
 * their key in the system secret store; where there is none, they use the
 * passphrase-encrypted file, which is the clearly marked fallback.
 */
struct _GremiumIdentity
{
  GObject parent_instance;

  guint8 *secret_key;           /* crypto_sign_SECRETKEYBYTES, sodium_malloc() */
  guint8  public_key[GREMIUM_PUBLIC_KEY_SIZE];
};

G_DEFINE_FINAL_TYPE (GremiumIdentity, gremium_identity, G_TYPE_OBJECT)

#define KEYFILE_GROUP "Gremium Identity"
#define FORMAT_PLAIN "plain"
#define FORMAT_PASSPHRASE "argon2id13+xsalsa20poly1305"

static GremiumIdentity *
identity_new_from_seed_internal (const guint8 *seed)
{
  GremiumIdentity *self = g_object_new (GREMIUM_TYPE_IDENTITY, NULL);

  crypto_sign_seed_keypair (self->public_key, self->secret_key, seed);
  sodium_mprotect_readonly (self->secret_key);

  return self;
}

static gboolean
write_private_file (const char  *path,
                    const char  *contents,
                    GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_STORAGE,
                   "Cannot create the folder %s: %s", dir, g_strerror (errno));
      return FALSE;
    }

  /* Durable and atomic: a crash leaves either the old or the new key, and the
   * mode is set before the secret is written.
   */
  if (!g_file_set_contents_full (path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    {
      g_prefix_error (error, "Cannot write the key file: ");
      return FALSE;
    }

  return TRUE;
}

static GKeyFile *
load_key_file (const char  *path,
               const char  *expected_format,
               GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *format = NULL;
  int version;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, GREMIUM_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                     ? GREMIUM_ERROR_STORAGE : GREMIUM_ERROR_MALFORMED,
                   "Cannot read the key file %s: %s", path, local_error->message);
      return NULL;
    }

  version = g_key_file_get_integer (key_file, KEYFILE_GROUP, "Version", NULL);
  if (version != 1)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_UNSUPPORTED_VERSION,
                   "The key file %s has an unsupported version", path);
      return NULL;
    }

  format = g_key_file_get_string (key_file, KEYFILE_GROUP, "Format", NULL);
  if (g_strcmp0 (format, expected_format) != 0)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                   "The key file %s is not in the expected format “%s”",
                   path, expected_format);
      return NULL;
    }

  return g_steal_pointer (&key_file);
}

static gboolean
check_public_key (GremiumIdentity  *self,
                  GKeyFile         *key_file,
                  GError          **error)
{
  g_autofree char *stored = g_key_file_get_string (key_file, KEYFILE_GROUP, "PublicKey", NULL);
  guint8 public_key[GREMIUM_PUBLIC_KEY_SIZE];

  /* The public key is stored beside the secret so that a damaged file is
   * detected instead of silently becoming a different identity.
   */
  if (!gremium_base64_decode_exact (stored, public_key, sizeof public_key, NULL) ||
      !gremium_memequal (public_key, self->public_key, sizeof public_key))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The key file is damaged: its public key does not match");
      return FALSE;
    }

  return TRUE;
}

static void
gremium_identity_finalize (GObject *object)
{
  GremiumIdentity *self = (GremiumIdentity *) object;

  /* sodium_free() wipes the memory before releasing it. */
  g_clear_pointer (&self->secret_key, sodium_free);

  G_OBJECT_CLASS (gremium_identity_parent_class)->finalize (object);
}

static void
gremium_identity_class_init (GremiumIdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_identity_finalize;
}

static void
gremium_identity_init (GremiumIdentity *self)
{
  if (!gremium_crypto_init (NULL))
    g_error ("libsodium is unusable");

  self->secret_key = sodium_malloc (crypto_sign_SECRETKEYBYTES);
  if (self->secret_key == NULL)
    g_error ("Out of secure memory for an identity key");
}

/**
 * gremium_identity_new:
 *
 * Creates a new random identity.
 *
 * Returns: (transfer full): a new identity
 */
GremiumIdentity *
gremium_identity_new (void)
{
  GremiumIdentity *self;
  guint8 seed[GREMIUM_SEED_SIZE];

  gremium_random_bytes (seed, sizeof seed);
  self = identity_new_from_seed_internal (seed);
  sodium_memzero (seed, sizeof seed);

  return self;
}

/**
 * gremium_identity_new_from_seed:
 * @seed: 32 secret bytes
 *
 * Creates the identity that @seed determines. The caller wipes @seed.
 *
 * Returns: (transfer full): a new identity
 */
GremiumIdentity *
gremium_identity_new_from_seed (const guint8 seed[GREMIUM_SEED_SIZE])
{
  g_return_val_if_fail (seed != NULL, NULL);

  return identity_new_from_seed_internal (seed);
}

/**
 * gremium_identity_load:
 * @path: a key file written by gremium_identity_save()
 * @error: return location for an error
 *
 * Loads an unencrypted identity, as used for the server's own key.
 *
 * Returns: (transfer full) (nullable): the identity, or %NULL with @error set
 */
GremiumIdentity *
gremium_identity_load (const char  *path,
                       GError     **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GremiumIdentity) self = NULL;
  g_autofree char *seed_text = NULL;
  guint8 seed[GREMIUM_SEED_SIZE];
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);

  key_file = load_key_file (path, FORMAT_PLAIN, error);
  if (key_file == NULL)
    return NULL;

  seed_text = g_key_file_get_string (key_file, KEYFILE_GROUP, "Seed", NULL);
  ok = gremium_base64_decode_exact (seed_text, seed, sizeof seed, NULL);
  if (seed_text != NULL)
    sodium_memzero (seed_text, strlen (seed_text));
  if (!ok)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                   "The key file %s has no valid seed", path);
      return NULL;
    }

  self = identity_new_from_seed_internal (seed);
  sodium_memzero (seed, sizeof seed);

  if (!check_public_key (self, key_file, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * gremium_identity_save:
 * @self: an identity
 * @path: where to write
 * @error: return location for an error
 *
 * Writes the identity unencrypted, readable by the owner only (mode 0600),
 * atomically and durably.
 *
 * Returns: %TRUE on success
 */
gboolean
gremium_identity_save (GremiumIdentity  *self,
                       const char       *path,
                       GError          **error)
{
  g_autofree char *seed_text = NULL;
  g_autofree char *public_text = NULL;
  g_autofree char *contents = NULL;
  gboolean ok;

  g_return_val_if_fail (GREMIUM_IS_IDENTITY (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* The first 32 bytes of a libsodium Ed25519 secret key are the seed. */
  seed_text = gremium_base64_encode (self->secret_key, GREMIUM_SEED_SIZE);
  public_text = gremium_base64_encode (self->public_key, GREMIUM_PUBLIC_KEY_SIZE);
  contents = g_strdup_printf ("[" KEYFILE_GROUP "]\n"
                              "# The secret identity key of this Gremium installation.\n"
                              "# Keep this file private; anyone who has it can act as its owner.\n"
                              "Version=1\n"
                              "Format=" FORMAT_PLAIN "\n"
                              "Seed=%s\n"
                              "PublicKey=%s\n",
                              seed_text, public_text);

  ok = write_private_file (path, contents, error);

  sodium_memzero (seed_text, strlen (seed_text));
  sodium_memzero (contents, strlen (contents));

  return ok;
}

/**
 * gremium_identity_save_encrypted:
 * @self: an identity
 * @path: where to write
 * @passphrase: the passphrase that protects the key
 * @error: return location for an error
 *
 * Writes the identity encrypted under a key derived from @passphrase with
 * Argon2id (libsodium `crypto_pwhash`, "moderate" limits) and sealed with
 * XSalsa20-Poly1305. This is the fallback for systems without a secret store.
 *
 * This is CPU- and memory-heavy (a few hundred milliseconds); call it from a
 * worker thread in interactive programs.
 *
 * Returns: %TRUE on success
 */
gboolean
gremium_identity_save_encrypted (GremiumIdentity  *self,
                                 const char       *path,
                                 const char       *passphrase,
                                 GError          **error)
{
  guint8 salt[crypto_pwhash_SALTBYTES];
  guint8 nonce[crypto_secretbox_NONCEBYTES];
  guint8 ciphertext[GREMIUM_SEED_SIZE + crypto_secretbox_MACBYTES];
  guint8 *key;
  g_autofree char *salt_text = NULL;
  g_autofree char *nonce_text = NULL;
  g_autofree char *ciphertext_text = NULL;
  g_autofree char *public_text = NULL;
  g_autofree char *contents = NULL;
  const unsigned long long opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
  const gsize memlimit = crypto_pwhash_MEMLIMIT_MODERATE;

  g_return_val_if_fail (GREMIUM_IS_IDENTITY (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);

  if (strlen (passphrase) < 8)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD,
                           "The passphrase must be at least 8 characters long");
      return FALSE;
    }

  key = sodium_malloc (crypto_secretbox_KEYBYTES);
  gremium_random_bytes (salt, sizeof salt);
  gremium_random_bytes (nonce, sizeof nonce);

  if (crypto_pwhash (key, crypto_secretbox_KEYBYTES, passphrase, strlen (passphrase), salt,
                     opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      sodium_free (key);
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED,
                           "Not enough memory to derive the key from the passphrase");
      return FALSE;
    }

  crypto_secretbox_easy (ciphertext, self->secret_key, GREMIUM_SEED_SIZE, nonce, key);
  sodium_free (key);

  salt_text = gremium_base64_encode (salt, sizeof salt);
  nonce_text = gremium_base64_encode (nonce, sizeof nonce);
  ciphertext_text = gremium_base64_encode (ciphertext, sizeof ciphertext);
  public_text = gremium_base64_encode (self->public_key, GREMIUM_PUBLIC_KEY_SIZE);
  contents = g_strdup_printf ("[" KEYFILE_GROUP "]\n"
                              "# A Gremium identity key, encrypted with a passphrase.\n"
                              "# This is the fallback for systems without a secret store.\n"
                              "Version=1\n"
                              "Format=" FORMAT_PASSPHRASE "\n"
                              "OpsLimit=%llu\n"
                              "MemLimit=%" G_GSIZE_FORMAT "\n"
                              "Salt=%s\n"
                              "Nonce=%s\n"
                              "Ciphertext=%s\n"
                              "PublicKey=%s\n",
                              opslimit, memlimit, salt_text, nonce_text,
                              ciphertext_text, public_text);

  return write_private_file (path, contents, error);
}

/**
 * gremium_identity_load_encrypted:
 * @path: a key file written by gremium_identity_save_encrypted()
 * @passphrase: the passphrase
 * @error: return location for an error
 *
 * Loads a passphrase-protected identity. A wrong passphrase gives
 * %GREMIUM_ERROR_BAD_SIGNATURE (the authenticator does not verify). Like
 * saving, this is slow by design.
 *
 * Returns: (transfer full) (nullable): the identity, or %NULL with @error set
 */
GremiumIdentity *
gremium_identity_load_encrypted (const char  *path,
                                 const char  *passphrase,
                                 GError     **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GremiumIdentity) self = NULL;
  g_autofree char *salt_text = NULL;
  g_autofree char *nonce_text = NULL;
  g_autofree char *ciphertext_text = NULL;
  guint8 salt[crypto_pwhash_SALTBYTES];
  guint8 nonce[crypto_secretbox_NONCEBYTES];
  guint8 ciphertext[GREMIUM_SEED_SIZE + crypto_secretbox_MACBYTES];
  guint8 *key;
  guint8 *seed;
  guint64 opslimit;
  guint64 memlimit;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);

  key_file = load_key_file (path, FORMAT_PASSPHRASE, error);
  if (key_file == NULL)
    return NULL;

  opslimit = g_key_file_get_uint64 (key_file, KEYFILE_GROUP, "OpsLimit", NULL);
  memlimit = g_key_file_get_uint64 (key_file, KEYFILE_GROUP, "MemLimit", NULL);
  salt_text = g_key_file_get_string (key_file, KEYFILE_GROUP, "Salt", NULL);
  nonce_text = g_key_file_get_string (key_file, KEYFILE_GROUP, "Nonce", NULL);
  ciphertext_text = g_key_file_get_string (key_file, KEYFILE_GROUP, "Ciphertext", NULL);

  /* Bounds on the stored limits stop a planted file from making us allocate
   * unbounded memory or accept trivially weak parameters.
   */
  if (opslimit < crypto_pwhash_OPSLIMIT_INTERACTIVE ||
      opslimit > crypto_pwhash_OPSLIMIT_SENSITIVE ||
      memlimit < crypto_pwhash_MEMLIMIT_INTERACTIVE ||
      memlimit > crypto_pwhash_MEMLIMIT_SENSITIVE ||
      !gremium_base64_decode_exact (salt_text, salt, sizeof salt, NULL) ||
      !gremium_base64_decode_exact (nonce_text, nonce, sizeof nonce, NULL) ||
      !gremium_base64_decode_exact (ciphertext_text, ciphertext, sizeof ciphertext, NULL))
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                   "The key file %s is damaged", path);
      return NULL;
    }

  key = sodium_malloc (crypto_secretbox_KEYBYTES);
  seed = sodium_malloc (GREMIUM_SEED_SIZE);

  if (crypto_pwhash (key, crypto_secretbox_KEYBYTES, passphrase, strlen (passphrase), salt,
                     opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      sodium_free (key);
      sodium_free (seed);
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_FAILED,
                           "Not enough memory to derive the key from the passphrase");
      return NULL;
    }

  rc = crypto_secretbox_open_easy (seed, ciphertext, sizeof ciphertext, nonce, key);
  sodium_free (key);

  if (rc != 0)
    {
      sodium_free (seed);
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE,
                           "Wrong passphrase, or the key file was altered");
      return NULL;
    }

  self = identity_new_from_seed_internal (seed);
  sodium_free (seed);

  if (!check_public_key (self, key_file, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * gremium_identity_copy_seed:
 * @self: an identity
 * @seed: (out caller-allocates): where to copy the 32 secret bytes
 *
 * Copies the secret seed, so that an application can keep the identity in
 * the system's secret store (libsecret, Windows Credential Manager) rather
 * than in a file. The caller wipes @seed with sodium_memzero() after use.
 */
void
gremium_identity_copy_seed (GremiumIdentity *self,
                            guint8           seed[GREMIUM_SEED_SIZE])
{
  g_return_if_fail (GREMIUM_IS_IDENTITY (self));
  g_return_if_fail (seed != NULL);

  /* The first 32 bytes of a libsodium Ed25519 secret key are the seed. */
  memcpy (seed, self->secret_key, GREMIUM_SEED_SIZE);
}

/**
 * gremium_identity_get_public_key:
 * @self: an identity
 *
 * Returns: (transfer none) (array fixed-size=32): the Ed25519 public key
 */
const guint8 *
gremium_identity_get_public_key (GremiumIdentity *self)
{
  g_return_val_if_fail (GREMIUM_IS_IDENTITY (self), NULL);

  return self->public_key;
}

/**
 * gremium_identity_dup_public_key_base64:
 * @self: an identity
 *
 * Returns: (transfer full): the public key in standard base64
 */
char *
gremium_identity_dup_public_key_base64 (GremiumIdentity *self)
{
  g_return_val_if_fail (GREMIUM_IS_IDENTITY (self), NULL);

  return gremium_base64_encode (self->public_key, sizeof self->public_key);
}

/**
 * gremium_identity_dup_fingerprint:
 * @self: an identity
 *
 * Returns: (transfer full): the fingerprint for display, see
 *   gremium_public_key_fingerprint()
 */
char *
gremium_identity_dup_fingerprint (GremiumIdentity *self)
{
  g_return_val_if_fail (GREMIUM_IS_IDENTITY (self), NULL);

  return gremium_public_key_fingerprint (self->public_key);
}

/**
 * gremium_identity_sign:
 * @self: an identity
 * @data: the exact bytes to sign
 * @len: length of @data
 * @signature: (out caller-allocates): the detached Ed25519 signature
 *
 * Signs @data. Callers sign only domain-separated encodings (see
 * gremium_pae_encode()), never raw user data.
 */
void
gremium_identity_sign (GremiumIdentity *self,
                       const guint8    *data,
                       gsize            len,
                       guint8           signature[GREMIUM_SIGNATURE_SIZE])
{
  g_return_if_fail (GREMIUM_IS_IDENTITY (self));
  g_return_if_fail (data != NULL || len == 0);
  g_return_if_fail (signature != NULL);

  crypto_sign_detached (signature, NULL, data, len, self->secret_key);
}

/**
 * gremium_identity_derive_x25519:
 * @self: an identity
 * @public_key: (out caller-allocates): the X25519 public key
 * @secret_key: (out caller-allocates): the X25519 secret key; wipe it after use
 *
 * Derives the X25519 key pair used to seal messages to this identity
 * (birational map from Ed25519, as in libsodium's `crypto_sign_ed25519_*_to_curve25519`).
 *
 * Returns: %TRUE on success
 */
gboolean
gremium_identity_derive_x25519 (GremiumIdentity *self,
                                guint8           public_key[GREMIUM_X25519_KEY_SIZE],
                                guint8           secret_key[GREMIUM_X25519_KEY_SIZE])
{
  g_return_val_if_fail (GREMIUM_IS_IDENTITY (self), FALSE);
  g_return_val_if_fail (public_key != NULL, FALSE);
  g_return_val_if_fail (secret_key != NULL, FALSE);

  if (crypto_sign_ed25519_pk_to_curve25519 (public_key, self->public_key) != 0)
    return FALSE;

  return crypto_sign_ed25519_sk_to_curve25519 (secret_key, self->secret_key) == 0;
}

/**
 * gremium_public_key_to_x25519:
 * @public_key: an Ed25519 public key of another participant
 * @x25519_public: (out caller-allocates): the X25519 public key to seal to
 *
 * Returns: %TRUE if @public_key is a valid key that converts
 */
gboolean
gremium_public_key_to_x25519 (const guint8 public_key[GREMIUM_PUBLIC_KEY_SIZE],
                              guint8       x25519_public[GREMIUM_X25519_KEY_SIZE])
{
  g_return_val_if_fail (public_key != NULL, FALSE);
  g_return_val_if_fail (x25519_public != NULL, FALSE);

  if (!gremium_crypto_init (NULL))
    return FALSE;

  return crypto_sign_ed25519_pk_to_curve25519 (x25519_public, public_key) == 0;
}
