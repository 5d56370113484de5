/* gremium-security-code.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-security-code"

#include "config.h"

#include "gremium-security-code.h"

#include <sodium.h>
#include <string.h>

/**
 * GremiumSecurityCode:
 *
 * The meeting security code: a short digest of the meeting id and of every
 * identity key of the present participants, shown as 30 digits in six
 * groups of five. The chair reads it aloud and everyone compares it with
 * their screen. If the server had shown anyone a different roster key (a
 * key of its own, to receive the sealed media keys), that person's code
 * would differ.
 *
 * The digest is SHA-256 over an injective encoding (docs/crypto.md):
 *
 * |[
 * LP(GREMIUM_SECURITY_CODE_DOMAIN) || LP(meeting id) || u32(n)
 *   || for each (member id, key), sorted: LP(member id) || key
 * ]|
 *
 * where LP(x) is the length of x as 4 bytes big-endian followed by x, u32 is
 * 4 bytes big-endian, and the pairs are sorted by member id (bytewise), then
 * by key (bytewise), without duplicates. The order keys are added in does
 * not matter, so every client computes the same code.
 */
struct _GremiumSecurityCode
{
  char      *meeting_id;
  GPtrArray *entries;           /* Entry, unsorted */
};

typedef struct
{
  char   *member_id;
  guint8  key[GREMIUM_PUBLIC_KEY_SIZE];
} Entry;

G_DEFINE_BOXED_TYPE (GremiumSecurityCode, gremium_security_code,
                     gremium_security_code_copy, gremium_security_code_free)

static void
entry_free (Entry *entry)
{
  g_free (entry->member_id);
  g_free (entry);
}

static int
entry_compare (gconstpointer a,
               gconstpointer b)
{
  const Entry *x = *(const Entry * const *) a;
  const Entry *y = *(const Entry * const *) b;
  int result = strcmp (x->member_id, y->member_id);

  if (result != 0)
    return result;

  return memcmp (x->key, y->key, GREMIUM_PUBLIC_KEY_SIZE);
}

static void
hash_u32 (crypto_hash_sha256_state *state,
          guint32                   value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  crypto_hash_sha256_update (state, bytes, sizeof bytes);
}

static void
hash_lp (crypto_hash_sha256_state *state,
         const char               *text)
{
  gsize len = strlen (text);

  hash_u32 (state, (guint32) len);
  crypto_hash_sha256_update (state, (const guint8 *) text, len);
}

/**
 * gremium_security_code_new:
 * @meeting_id: the meeting
 *
 * Starts a security code with no keys; add them with
 * gremium_security_code_add_key().
 *
 * Returns: (transfer full): the code
 */
GremiumSecurityCode *
gremium_security_code_new (const char *meeting_id)
{
  GremiumSecurityCode *self;

  g_return_val_if_fail (meeting_id != NULL, NULL);

  self = g_new0 (GremiumSecurityCode, 1);
  self->meeting_id = g_strdup (meeting_id);
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);

  return self;
}

/**
 * gremium_security_code_new_for_meeting:
 * @meeting: a meeting
 *
 * Makes the security code of @meeting as it is now: every roster key of
 * every present participant (presence %GREMIUM_PRESENCE_PRESENT). Since all
 * clients apply the same record, all compute the same code.
 *
 * Returns: (transfer full): the code
 */
GremiumSecurityCode *
gremium_security_code_new_for_meeting (GremiumMeeting *meeting)
{
  GremiumSecurityCode *self;
  GListModel *members;

  g_return_val_if_fail (GREMIUM_IS_MEETING (meeting), NULL);
  g_return_val_if_fail (gremium_meeting_get_id (meeting) != NULL, NULL);

  self = gremium_security_code_new (gremium_meeting_get_id (meeting));
  members = gremium_meeting_get_members (meeting);

  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(GremiumMember) member = g_list_model_get_item (members, i);

      if (gremium_member_get_presence (member) != GREMIUM_PRESENCE_PRESENT)
        continue;

      for (guint k = 0; k < gremium_member_get_n_keys (member); k++)
        gremium_security_code_add_key (self, gremium_member_get_id (member),
                                       gremium_member_get_key (member, k));
    }

  return self;
}

/**
 * gremium_security_code_copy:
 * @self: a code
 *
 * Returns: (transfer full): a copy of @self
 */
GremiumSecurityCode *
gremium_security_code_copy (GremiumSecurityCode *self)
{
  GremiumSecurityCode *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = gremium_security_code_new (self->meeting_id);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      gremium_security_code_add_key (copy, entry->member_id, entry->key);
    }

  return copy;
}

/**
 * gremium_security_code_free:
 * @self: (nullable): a code
 *
 * Frees @self.
 */
void
gremium_security_code_free (GremiumSecurityCode *self)
{
  if (self == NULL)
    return;

  g_free (self->meeting_id);
  g_ptr_array_unref (self->entries);
  g_free (self);
}

/**
 * gremium_security_code_add_key:
 * @self: a code
 * @member_id: a participant
 * @key: (array fixed-size=32): one of their Ed25519 identity keys
 *
 * Adds a participant's key. Adding the same pair twice has no effect.
 */
void
gremium_security_code_add_key (GremiumSecurityCode *self,
                               const char          *member_id,
                               const guint8         key[GREMIUM_PUBLIC_KEY_SIZE])
{
  Entry *entry;

  g_return_if_fail (self != NULL);
  g_return_if_fail (member_id != NULL);
  g_return_if_fail (key != NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *existing = g_ptr_array_index (self->entries, i);

      if (g_str_equal (existing->member_id, member_id) &&
          memcmp (existing->key, key, GREMIUM_PUBLIC_KEY_SIZE) == 0)
        return;
    }

  entry = g_new0 (Entry, 1);
  entry->member_id = g_strdup (member_id);
  memcpy (entry->key, key, GREMIUM_PUBLIC_KEY_SIZE);
  g_ptr_array_add (self->entries, entry);
}

/**
 * gremium_security_code_get_n_keys:
 * @self: a code
 *
 * Returns: how many distinct (member, key) pairs the code covers
 */
guint
gremium_security_code_get_n_keys (GremiumSecurityCode *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->entries->len;
}

/**
 * gremium_security_code_get_digest:
 * @self: a code
 * @digest: (out caller-allocates) (array fixed-size=32): the SHA-256 digest
 *
 * Computes the digest the displayed code is taken from.
 */
void
gremium_security_code_get_digest (GremiumSecurityCode *self,
                                  guint8               digest[GREMIUM_HASH_SIZE])
{
  g_autoptr(GPtrArray) sorted = NULL;
  crypto_hash_sha256_state state;

  g_return_if_fail (self != NULL);
  g_return_if_fail (digest != NULL);

  gremium_crypto_init (NULL);

  sorted = g_ptr_array_sized_new (self->entries->len);
  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (self->entries, i));
  g_ptr_array_sort (sorted, entry_compare);

  crypto_hash_sha256_init (&state);
  hash_lp (&state, GREMIUM_SECURITY_CODE_DOMAIN);
  hash_lp (&state, self->meeting_id);
  hash_u32 (&state, sorted->len);
  for (guint i = 0; i < sorted->len; i++)
    {
      Entry *entry = g_ptr_array_index (sorted, i);

      hash_lp (&state, entry->member_id);
      crypto_hash_sha256_update (&state, entry->key, GREMIUM_PUBLIC_KEY_SIZE);
    }
  crypto_hash_sha256_final (&state, digest);
}

/**
 * gremium_security_code_to_string:
 * @self: a code
 *
 * Formats the code for people to compare aloud: the digest's first 30
 * bytes as six 5-byte big-endian numbers, each reduced modulo 100 000 and
 * written as five digits, separated by spaces (as fingerprints are, see
 * gremium_public_key_fingerprint()).
 *
 * Returns: (transfer full): for example `"89833 47626 01698 16427 26898 03547"`
 */
char *
gremium_security_code_to_string (GremiumSecurityCode *self)
{
  GString *out;
  guint8 digest[GREMIUM_HASH_SIZE];

  g_return_val_if_fail (self != NULL, NULL);

  gremium_security_code_get_digest (self, digest);

  out = g_string_new (NULL);
  for (guint group = 0; group < 6; group++)
    {
      guint64 chunk = 0;

      for (guint i = 0; i < 5; i++)
        chunk = (chunk << 8) | digest[group * 5 + i];

      g_string_append_printf (out, "%s%05u", group > 0 ? " " : "", (guint) (chunk % 100000));
    }

  return g_string_free (out, FALSE);
}

/**
 * gremium_security_code_compute:
 * @meeting: a meeting
 *
 * The security code of @meeting as it is now, formatted; see
 * gremium_security_code_new_for_meeting() and
 * gremium_security_code_to_string().
 *
 * Returns: (transfer full): the code
 */
char *
gremium_security_code_compute (GremiumMeeting *meeting)
{
  g_autoptr(GremiumSecurityCode) code = NULL;

  g_return_val_if_fail (GREMIUM_IS_MEETING (meeting), NULL);

  code = gremium_security_code_new_for_meeting (meeting);

  return gremium_security_code_to_string (code);
}
