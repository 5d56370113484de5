/* gremium-transcript.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-transcript"

#include "config.h"

#include "gremium-transcript-private.h"
#include "gremium-group-private.h"

#include <string.h>

/* Strong Fiat-Shamir: each challenge hashes the whole statement (the group,
 * the keys, the meeting, vote, voter and option, the ciphertexts) and all
 * commitments, not the commitments alone. Hashing only the commitments is the
 * "weak" variant that let provers forge Helios proofs (Bernhard, Pereira and
 * Warinschi, ASIACRYPT 2012).
 */

static void
absorb (GremiumTranscript *self,
        const guint8      *data,
        gsize              len)
{
  g_assert (self != NULL);

  if (len == 0)
    return;

  crypto_generichash_blake2b_update (&self->state, data, len);
  if (self->record != NULL)
    g_byte_array_append (self->record, data, len);
}

static void
absorb_length (GremiumTranscript *self,
               gsize              len)
{
  guint8 prefix[4];

  /* Items are at most a few hundred bytes; anything near 2^32 is a bug. */
  g_assert (len <= G_MAXUINT32);

  prefix[0] = (guint8) (len >> 24);
  prefix[1] = (guint8) (len >> 16);
  prefix[2] = (guint8) (len >> 8);
  prefix[3] = (guint8) len;
  absorb (self, prefix, sizeof prefix);
}

void
_gremium_transcript_init (GremiumTranscript *self,
                          const char        *domain,
                          GByteArray        *record)
{
  g_assert (self != NULL);
  g_assert (domain != NULL);

  crypto_generichash_blake2b_init (&self->state, NULL, 0, crypto_generichash_blake2b_BYTES_MAX);
  self->record = record;

  _gremium_transcript_append_string (self, "domain", domain);
  _gremium_transcript_append_string (self, "group", GREMIUM_GROUP_NAME);
  _gremium_transcript_append_point (self, "generator", _gremium_group_generator ());
}

void
_gremium_transcript_append (GremiumTranscript *self,
                            const char        *label,
                            const guint8      *value,
                            gsize              len)
{
  gsize label_len;

  g_assert (self != NULL);
  g_assert (label != NULL);
  g_assert (value != NULL || len == 0);

  label_len = strlen (label);
  absorb_length (self, label_len);
  absorb (self, (const guint8 *) label, label_len);
  absorb_length (self, len);
  absorb (self, value, len);
}

void
_gremium_transcript_append_string (GremiumTranscript *self,
                                   const char        *label,
                                   const char        *value)
{
  g_assert (value != NULL);

  _gremium_transcript_append (self, label, (const guint8 *) value, strlen (value));
}

void
_gremium_transcript_append_uint (GremiumTranscript *self,
                                 const char        *label,
                                 guint32            value)
{
  guint8 bytes[4];

  bytes[0] = (guint8) (value >> 24);
  bytes[1] = (guint8) (value >> 16);
  bytes[2] = (guint8) (value >> 8);
  bytes[3] = (guint8) value;
  _gremium_transcript_append (self, label, bytes, sizeof bytes);
}

void
_gremium_transcript_append_point (GremiumTranscript *self,
                                  const char        *label,
                                  const guint8       point[32])
{
  _gremium_transcript_append (self, label, point, 32);
}

void
_gremium_transcript_challenge (GremiumTranscript *self,
                               guint8             challenge[32])
{
  guint8 hash[crypto_generichash_blake2b_BYTES_MAX];

  g_assert (self != NULL);
  g_assert (challenge != NULL);

  crypto_generichash_blake2b_final (&self->state, hash, sizeof hash);
  _gremium_hash_to_scalar (challenge, hash);
  sodium_memzero (&self->state, sizeof self->state);
}
