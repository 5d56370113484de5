/* gremium-transcript-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sodium.h>

G_BEGIN_DECLS

/* The Fiat-Shamir transcript of one proof (docs/voting-crypto.md,
 * "Transcripts"). Every item is written as
 *
 *   u32be(len(label)) || label || u32be(len(value)) || value
 *
 * so that no two different sequences of items produce the same bytes. The
 * first three items are always the proof's domain tag, the group name and
 * the generator. The challenge is BLAKE2b-512 of all items, reduced modulo
 * the group order.
 */
typedef struct
{
  crypto_generichash_blake2b_state state;

  /* When not NULL, every byte that is hashed is also appended here; the
   * known-answer tests and the worked example in the documentation use it.
   */
  GByteArray *record;
} GremiumTranscript;

/* Domain tags: one per kind of proof, so that no proof can be presented as
 * another.
 */
#define GREMIUM_TRANSCRIPT_TELLER_KEY    "gremium/v1/teller-key-proof"
#define GREMIUM_TRANSCRIPT_BALLOT_OPTION "gremium/v1/ballot-option-proof"
#define GREMIUM_TRANSCRIPT_BALLOT_SUM    "gremium/v1/ballot-sum-proof"
#define GREMIUM_TRANSCRIPT_DECRYPTION    "gremium/v1/decryption-proof"

void _gremium_transcript_init          (GremiumTranscript *self,
                                        const char        *domain,
                                        GByteArray        *record);
void _gremium_transcript_append        (GremiumTranscript *self,
                                        const char        *label,
                                        const guint8      *value,
                                        gsize              len);
void _gremium_transcript_append_string (GremiumTranscript *self,
                                        const char        *label,
                                        const char        *value);
void _gremium_transcript_append_uint   (GremiumTranscript *self,
                                        const char        *label,
                                        guint32            value);
void _gremium_transcript_append_point  (GremiumTranscript *self,
                                        const char        *label,
                                        const guint8       point[32]);
void _gremium_transcript_challenge     (GremiumTranscript *self,
                                        guint8             challenge[32]);

G_END_DECLS
