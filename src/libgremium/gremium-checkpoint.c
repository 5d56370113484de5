/* gremium-checkpoint.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-checkpoint"

#include "config.h"

#include "gremium-checkpoint.h"
#include "gremium-checkpoint-private.h"
#include "gremium-error.h"

#include <sodium.h>
#include <string.h>

/* U+2014 EM DASH and a space begin every signature line. */
#define SIGNATURE_PREFIX     "\xe2\x80\x94 "
#define SIGNATURE_PREFIX_LEN 4

/* The signed-note signature type of Ed25519, the byte that enters the key id. */
#define SIGNATURE_TYPE_ED25519 0x01

#define ED25519_SIGNATURE_BLOB_SIZE (GREMIUM_CHECKPOINT_KEY_ID_SIZE + GREMIUM_SIGNATURE_SIZE)

/**
 * GremiumCheckpoint:
 *
 * A signed statement of a transparency log's state: a C2SP tlog-checkpoint
 * (c2sp.org/tlog-checkpoint) carried in a C2SP signed note
 * (c2sp.org/signed-note) with an Ed25519 signature.
 *
 * The note text is three lines, `<origin>\n<size>\n<base64 root hash>\n`,
 * followed by a blank line and signature lines
 * `— <key name> <base64(key id || signature)>\n`. The key id is the first
 * four bytes of `SHA-256(key name || 0x0A || 0x01 || public key)` and the
 * signature covers the note text including its final newline. The format is
 * byte for byte that of golang.org/x/mod/sumdb/note and the transparency-dev
 * tools, so their verifiers can check Gremium's checkpoints and the other way
 * round; docs/transparency-log.md describes it completely.
 *
 * A parsed checkpoint has always been verified: gremium_checkpoint_parse()
 * returns nothing unless a signature line from the given key holds.
 */
struct _GremiumCheckpoint
{
  GObject  parent_instance;

  char    *origin;
  guint64  size;
  guint8   root[GREMIUM_HASH_SIZE];
  char    *text;
};

G_DEFINE_FINAL_TYPE (GremiumCheckpoint, gremium_checkpoint, G_TYPE_OBJECT)

/* Go's unicode.IsSpace, which decides key names in the reference
 * implementation, also counts U+0085 (NEXT LINE) as a space.
 */
static gboolean
is_unicode_space (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x85;
}

/* A signed note must be valid UTF-8 without ASCII control characters other
 * than the newline (c2sp.org/signed-note, "Format").
 */
static gboolean
note_bytes_are_valid (const char *text,
                      gsize       len)
{
  if (!g_utf8_validate_len (text, len, NULL))
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if ((guchar) text[i] < 0x20 && text[i] != '\n')
        return FALSE;
    }

  return TRUE;
}

static gboolean
key_name_is_valid_len (const char *name,
                       gsize       len)
{
  const char *end = name + len;

  if (len == 0 || !g_utf8_validate_len (name, len, NULL))
    return FALSE;

  for (const char *p = name; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || c == '+' || is_unicode_space (c))
        return FALSE;
    }

  return TRUE;
}

/* We only ever sign origins that follow the specification's advice (no
 * spaces, no '+', no control characters). Besides avoiding collisions this
 * keeps the server key's two uses apart: a DSSE pre-authentication encoding
 * always begins with "DSSEv1 ", so no checkpoint the server signs can be one,
 * and its first line never equals an origin a monitor expects.
 */
static gboolean
origin_is_valid_for_signing (const char *origin)
{
  return origin != NULL && key_name_is_valid_len (origin, strlen (origin));
}

static void
key_id_internal (const char   *key_name,
                 const guint8 *public_key,
                 guint8        out[GREMIUM_CHECKPOINT_KEY_ID_SIZE])
{
  static const guint8 separator[2] = { '\n', SIGNATURE_TYPE_ED25519 };
  crypto_hash_sha256_state state;
  guint8 digest[GREMIUM_HASH_SIZE];

  crypto_hash_sha256_init (&state);
  crypto_hash_sha256_update (&state, (const guint8 *) key_name, strlen (key_name));
  crypto_hash_sha256_update (&state, separator, sizeof separator);
  crypto_hash_sha256_update (&state, public_key, GREMIUM_PUBLIC_KEY_SIZE);
  crypto_hash_sha256_final (&state, digest);

  memcpy (out, digest, GREMIUM_CHECKPOINT_KEY_ID_SIZE);
}

/* Parses a tree size: ASCII decimal without leading zeros, "0" for the empty
 * tree. Refusing other spellings gives every checkpoint exactly one text.
 */
static gboolean
parse_size (const char *text,
            guint64    *out)
{
  gsize len = strlen (text);
  guint64 value = 0;

  if (len == 0 || len > 20 || (text[0] == '0' && len > 1))
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      guint digit;

      if (!g_ascii_isdigit (text[i]))
        return FALSE;

      digit = (guint) (text[i] - '0');
      if (value > (G_MAXUINT64 - digit) / 10)
        return FALSE;

      value = value * 10 + digit;
    }

  *out = value;
  return TRUE;
}

static GremiumCheckpoint *
checkpoint_new_from_note_text (const char  *note_text,
                               GError     **error)
{
  g_autoptr(GremiumCheckpoint) self = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines;
  guint64 size;

  g_assert (g_str_has_suffix (note_text, "\n"));

  /* The final newline leaves an empty last element that ends the text. */
  lines = g_strsplit (note_text, "\n", -1);
  n_lines = g_strv_length (lines) - 1;

  if (n_lines < 3)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                   "A checkpoint has at least three lines (origin, size, root hash), "
                   "this one has %u",
                   n_lines);
      return NULL;
    }

  for (guint i = 0; i < n_lines; i++)
    {
      if (lines[i][0] == '\0')
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                       "Line %u of the checkpoint is empty", i + 1);
          return NULL;
        }
    }

  if (!parse_size (lines[1], &size))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The checkpoint's tree size is not a decimal number without "
                           "leading zeros");
      return NULL;
    }

  self = g_object_new (GREMIUM_TYPE_CHECKPOINT, NULL);

  if (!gremium_base64_decode_exact (lines[2], self->root, GREMIUM_HASH_SIZE, NULL))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The checkpoint's root hash is not 32 bytes in canonical base64");
      return NULL;
    }

  /* Extension lines (n_lines > 3) are allowed and signed, but carry nothing
   * Gremium reads; they stay part of get_text().
   */
  self->origin = g_strdup (lines[0]);
  self->size = size;

  return g_steal_pointer (&self);
}

static void
gremium_checkpoint_finalize (GObject *object)
{
  GremiumCheckpoint *self = (GremiumCheckpoint *) object;

  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (gremium_checkpoint_parent_class)->finalize (object);
}

static void
gremium_checkpoint_class_init (GremiumCheckpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gremium_checkpoint_finalize;
}

static void
gremium_checkpoint_init (GremiumCheckpoint *self)
{
}

/**
 * _gremium_signed_note_sign:
 * @text: the note text: valid UTF-8, no control characters but newlines,
 *   ending in a newline
 * @key_name: the signer's key name, see gremium_checkpoint_key_name_is_valid()
 * @key: the signing key
 *
 * Signs @text as a C2SP signed note with one Ed25519 signature line.
 *
 * Returns: (transfer full): `text || "\n" || "— " || key_name || " " ||
 *   base64(key id || signature) || "\n"`
 */
char *
_gremium_signed_note_sign (const char      *text,
                           const char      *key_name,
                           GremiumIdentity *key)
{
  guint8 blob[ED25519_SIGNATURE_BLOB_SIZE];
  g_autofree char *blob_text = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (gremium_checkpoint_key_name_is_valid (key_name), NULL);
  g_return_val_if_fail (GREMIUM_IS_IDENTITY (key), NULL);

  len = strlen (text);
  g_return_val_if_fail (len > 0 && text[len - 1] == '\n', NULL);
  g_return_val_if_fail (note_bytes_are_valid (text, len), NULL);

  gremium_checkpoint_key_id (key_name, gremium_identity_get_public_key (key), blob);
  gremium_identity_sign (key, (const guint8 *) text, len,
                         blob + GREMIUM_CHECKPOINT_KEY_ID_SIZE);
  blob_text = gremium_base64_encode (blob, sizeof blob);

  return g_strdup_printf ("%s\n" SIGNATURE_PREFIX "%s %s\n", text, key_name, blob_text);
}

/**
 * _gremium_signed_note_open:
 * @note: a signed note
 * @len: length of @note, or -1 if it is NUL-terminated
 * @key_name: the name of the key that must have signed
 * @public_key: that key's Ed25519 public key
 * @error: return location for an error
 *
 * Checks the syntax of a C2SP signed note and verifies it against one known
 * key. As the specification demands, lines from other keys (another name or
 * another key id) are only checked for syntax and otherwise ignored, every
 * line from the known key must verify, and at least one must be present.
 *
 * Returns: (transfer full) (nullable): the note text, up to and including
 *   its final newline, or %NULL with @error set
 */
char *
_gremium_signed_note_open (const char    *note,
                           gssize         len,
                           const char    *key_name,
                           const guint8   public_key[GREMIUM_PUBLIC_KEY_SIZE],
                           GError       **error)
{
  guint8 key_id[GREMIUM_CHECKPOINT_KEY_ID_SIZE];
  const char *signatures;
  const char *end;
  gsize text_len = 0;
  gsize note_len;
  guint n_lines = 0;
  guint line_number = 0;
  gboolean verified = FALSE;

  g_return_val_if_fail (note != NULL, NULL);
  g_return_val_if_fail (gremium_checkpoint_key_name_is_valid (key_name), NULL);
  g_return_val_if_fail (public_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gremium_crypto_init (NULL);

  note_len = len < 0 ? strlen (note) : (gsize) len;

  if (note_len > GREMIUM_CHECKPOINT_MAX_SIZE)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_TOO_LARGE,
                   "A signed note may have at most %d bytes", GREMIUM_CHECKPOINT_MAX_SIZE);
      return NULL;
    }

  if (!note_bytes_are_valid (note, note_len))
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The signed note is not valid UTF-8 or contains control characters");
      return NULL;
    }

  if (note_len == 0 || note[note_len - 1] != '\n')
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The signed note does not end with a newline");
      return NULL;
    }

  /* The text ends at the last blank line: the text itself may contain blank
   * lines, signature lines never are blank.
   */
  for (gsize i = note_len - 1; i > 0; i--)
    {
      if (note[i] == '\n' && note[i - 1] == '\n')
        {
          text_len = i;
          break;
        }
    }

  if (text_len == 0)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The signed note has no blank line before its signatures");
      return NULL;
    }

  signatures = note + text_len + 1;
  end = note + note_len;

  if (signatures == end)
    {
      g_set_error_literal (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                           "The signed note has no signature lines");
      return NULL;
    }

  for (const char *p = signatures; p < end; p++)
    {
      if (*p == '\n')
        n_lines++;
    }

  if (n_lines > GREMIUM_CHECKPOINT_MAX_SIGNATURES)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                   "The signed note has %u signature lines, more than the %d allowed",
                   n_lines, GREMIUM_CHECKPOINT_MAX_SIGNATURES);
      return NULL;
    }

  key_id_internal (key_name, public_key, key_id);

  for (const char *line = signatures; line < end; )
    {
      const char *line_end = memchr (line, '\n', end - line);
      const char *name;
      const char *space;
      g_autofree char *blob_text = NULL;
      g_autofree guint8 *blob = NULL;
      gsize blob_len = 0;

      g_assert (line_end != NULL);
      line_number++;

      if ((gsize) (line_end - line) < SIGNATURE_PREFIX_LEN ||
          memcmp (line, SIGNATURE_PREFIX, SIGNATURE_PREFIX_LEN) != 0)
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                       "Signature line %u does not begin with an em dash and a space",
                       line_number);
          return NULL;
        }

      name = line + SIGNATURE_PREFIX_LEN;
      space = memchr (name, ' ', line_end - name);
      if (space == NULL || !key_name_is_valid_len (name, space - name))
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                       "Signature line %u has no valid key name", line_number);
          return NULL;
        }

      /* A key id and at least one byte of signature, in canonical base64. */
      blob_text = g_strndup (space + 1, line_end - (space + 1));
      blob = gremium_base64_decode (blob_text, &blob_len, NULL);
      if (blob == NULL || blob_len <= GREMIUM_CHECKPOINT_KEY_ID_SIZE)
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED,
                       "Signature line %u does not hold a key id and a signature in "
                       "canonical base64",
                       line_number);
          return NULL;
        }

      line = line_end + 1;

      /* Only name and key id together identify a key; a line that matches
       * in one of them only is someone else's and is ignored.
       */
      if ((gsize) (space - name) != strlen (key_name) ||
          memcmp (name, key_name, space - name) != 0 ||
          memcmp (blob, key_id, GREMIUM_CHECKPOINT_KEY_ID_SIZE) != 0)
        continue;

      if (blob_len != ED25519_SIGNATURE_BLOB_SIZE ||
          !gremium_signature_verify (public_key, (const guint8 *) note, text_len,
                                     blob + GREMIUM_CHECKPOINT_KEY_ID_SIZE))
        {
          g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE,
                       "The signature of key “%s” on the note does not verify", key_name);
          return NULL;
        }

      verified = TRUE;
    }

  if (!verified)
    {
      g_set_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE,
                   "The note carries no signature of key “%s”", key_name);
      return NULL;
    }

  return g_strndup (note, text_len);
}

/**
 * gremium_checkpoint_new_signed:
 * @origin: the log's identity, for Gremium `<server name>/meeting/<meeting id>`;
 *   non-empty, without spaces, '+' or control characters
 * @size: the number of entries in the log
 * @root: (array fixed-size=32): the root hash of the log at @size
 * @key_name: the signer's key name, for Gremium the server name; see
 *   gremium_checkpoint_key_name_is_valid()
 * @key: the log's signing key
 *
 * Creates and signs a checkpoint. It has no extension lines and one
 * signature line.
 *
 * Returns: (transfer full): the checkpoint
 */
GremiumCheckpoint *
gremium_checkpoint_new_signed (const char      *origin,
                               guint64          size,
                               const guint8     root[GREMIUM_HASH_SIZE],
                               const char      *key_name,
                               GremiumIdentity *key)
{
  GremiumCheckpoint *self;
  g_autofree char *root_text = NULL;
  g_autofree char *note_text = NULL;

  g_return_val_if_fail (origin_is_valid_for_signing (origin), NULL);
  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (gremium_checkpoint_key_name_is_valid (key_name), NULL);
  g_return_val_if_fail (GREMIUM_IS_IDENTITY (key), NULL);

  root_text = gremium_base64_encode (root, GREMIUM_HASH_SIZE);
  note_text = g_strdup_printf ("%s\n%" G_GUINT64_FORMAT "\n%s\n", origin, size, root_text);

  self = g_object_new (GREMIUM_TYPE_CHECKPOINT, NULL);
  self->origin = g_strdup (origin);
  self->size = size;
  memcpy (self->root, root, GREMIUM_HASH_SIZE);
  self->text = _gremium_signed_note_sign (note_text, key_name, key);

  return self;
}

/**
 * gremium_checkpoint_parse:
 * @text: a signed checkpoint note
 * @len: length of @text, or -1 if it is NUL-terminated
 * @key_name: the name of the log's key
 * @public_key: (array fixed-size=32): the log's Ed25519 public key
 * @error: return location for an error
 *
 * Verifies and parses a checkpoint. It needs a valid signature line from
 * exactly this key (name and key id); lines of other keys, such as witness
 * cosignatures, are ignored as the signed-note specification asks. The note
 * is refused if it is malformed in any way (%GREMIUM_ERROR_MALFORMED: not
 * UTF-8, control characters, no final newline, more than
 * %GREMIUM_CHECKPOINT_MAX_SIGNATURES signature lines, a malformed signature
 * line, a size with leading zeros, a root that is not canonical base64 of 32
 * bytes, fewer than three lines or an empty line), larger than
 * %GREMIUM_CHECKPOINT_MAX_SIZE (%GREMIUM_ERROR_TOO_LARGE), or when the key's
 * signature is missing or does not verify (%GREMIUM_ERROR_BAD_SIGNATURE).
 *
 * Whether the origin is the expected one is for the caller to check.
 *
 * Returns: (transfer full) (nullable): the checkpoint, or %NULL with @error set
 */
GremiumCheckpoint *
gremium_checkpoint_parse (const char    *text,
                          gssize         len,
                          const char    *key_name,
                          const guint8   public_key[GREMIUM_PUBLIC_KEY_SIZE],
                          GError       **error)
{
  g_autoptr(GremiumCheckpoint) self = NULL;
  g_autofree char *note_text = NULL;
  gsize text_len;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (gremium_checkpoint_key_name_is_valid (key_name), NULL);
  g_return_val_if_fail (public_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text_len = len < 0 ? strlen (text) : (gsize) len;

  /* The text means nothing until the signature holds, so it is read only
   * afterwards.
   */
  note_text = _gremium_signed_note_open (text, text_len, key_name, public_key, error);
  if (note_text == NULL)
    return NULL;

  self = checkpoint_new_from_note_text (note_text, error);
  if (self == NULL)
    return NULL;

  self->text = g_strndup (text, text_len);

  return g_steal_pointer (&self);
}

/**
 * gremium_checkpoint_get_origin:
 * @self: a checkpoint
 *
 * Returns: (transfer none): the log's origin line
 */
const char *
gremium_checkpoint_get_origin (GremiumCheckpoint *self)
{
  g_return_val_if_fail (GREMIUM_IS_CHECKPOINT (self), NULL);

  return self->origin;
}

/**
 * gremium_checkpoint_get_size:
 * @self: a checkpoint
 *
 * Returns: the number of entries in the log
 */
guint64
gremium_checkpoint_get_size (GremiumCheckpoint *self)
{
  g_return_val_if_fail (GREMIUM_IS_CHECKPOINT (self), 0);

  return self->size;
}

/**
 * gremium_checkpoint_get_root:
 * @self: a checkpoint
 *
 * Returns: (transfer none) (array fixed-size=32): the root hash
 */
const guint8 *
gremium_checkpoint_get_root (GremiumCheckpoint *self)
{
  g_return_val_if_fail (GREMIUM_IS_CHECKPOINT (self), NULL);

  return self->root;
}

/**
 * gremium_checkpoint_get_text:
 * @self: a checkpoint
 *
 * Gets the complete signed note, the exact bytes that were parsed or signed,
 * with all signature lines. This is what a client stores and passes on as
 * evidence.
 *
 * Returns: (transfer none): the signed note
 */
const char *
gremium_checkpoint_get_text (GremiumCheckpoint *self)
{
  g_return_val_if_fail (GREMIUM_IS_CHECKPOINT (self), NULL);

  return self->text;
}

/**
 * gremium_checkpoint_key_name_is_valid:
 * @key_name: (nullable): a key name
 *
 * Checks a signed-note key name: non-empty UTF-8 without Unicode spaces,
 * '+' or control characters (including the newline).
 *
 * Returns: %TRUE if @key_name can name a signing key
 */
gboolean
gremium_checkpoint_key_name_is_valid (const char *key_name)
{
  return key_name != NULL && key_name_is_valid_len (key_name, strlen (key_name));
}

/**
 * gremium_checkpoint_key_id:
 * @key_name: a key name
 * @public_key: (array fixed-size=32): an Ed25519 public key
 * @out: (out caller-allocates) (array fixed-size=4): the key id
 *
 * Computes the signed-note key id of an Ed25519 key: the first four bytes of
 * `SHA-256(key name || 0x0A || 0x01 || public key)`. It is an identifier, not
 * a fingerprint: it only tells a verifier which of its known keys to try.
 */
void
gremium_checkpoint_key_id (const char   *key_name,
                           const guint8  public_key[GREMIUM_PUBLIC_KEY_SIZE],
                           guint8        out[GREMIUM_CHECKPOINT_KEY_ID_SIZE])
{
  g_return_if_fail (gremium_checkpoint_key_name_is_valid (key_name));
  g_return_if_fail (public_key != NULL);
  g_return_if_fail (out != NULL);

  gremium_crypto_init (NULL);
  key_id_internal (key_name, public_key, out);
}

/**
 * gremium_checkpoint_format_verifier_key:
 * @key_name: a key name
 * @public_key: (array fixed-size=32): an Ed25519 public key
 *
 * Formats a key the way golang.org/x/mod/sumdb/note and the transparency-dev
 * tools configure verifiers: `<name>+<key id in 8 lower-case hex
 * digits>+<base64(0x01 || public key)>`, for example
 * `PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW`.
 *
 * Returns: (transfer full): the verifier key
 */
char *
gremium_checkpoint_format_verifier_key (const char   *key_name,
                                        const guint8  public_key[GREMIUM_PUBLIC_KEY_SIZE])
{
  guint8 key_id[GREMIUM_CHECKPOINT_KEY_ID_SIZE];
  guint8 typed_key[1 + GREMIUM_PUBLIC_KEY_SIZE];
  g_autofree char *key_id_text = NULL;
  g_autofree char *key_text = NULL;

  g_return_val_if_fail (gremium_checkpoint_key_name_is_valid (key_name), NULL);
  g_return_val_if_fail (public_key != NULL, NULL);

  gremium_checkpoint_key_id (key_name, public_key, key_id);
  typed_key[0] = SIGNATURE_TYPE_ED25519;
  memcpy (typed_key + 1, public_key, GREMIUM_PUBLIC_KEY_SIZE);

  key_id_text = gremium_hex_encode (key_id, sizeof key_id);
  key_text = gremium_base64_encode (typed_key, sizeof typed_key);

  return g_strdup_printf ("%s+%s+%s", key_name, key_id_text, key_text);
}
