/* gremium-sframe.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* An SFrame header is a config byte plus at most 8 bytes of KID and 8 of CTR. */
#define GREMIUM_SFRAME_MAX_HEADER_SIZE 17
#define GREMIUM_SFRAME_TAG_SIZE        16
#define GREMIUM_SFRAME_NONCE_SIZE      12
#define GREMIUM_SFRAME_MAX_KEY_SIZE    32

/* What protection adds to a payload at most; payloaders leave this much room. */
#define GREMIUM_SFRAME_MAX_OVERHEAD    (GREMIUM_SFRAME_MAX_HEADER_SIZE + GREMIUM_SFRAME_TAG_SIZE)

/* How far behind the newest counter of a KID a packet may arrive. */
#define GREMIUM_SFRAME_REPLAY_WINDOW   1024

/**
 * GremiumSFrameCipherSuite:
 * @GREMIUM_SFRAME_AES_128_GCM_SHA256_128: AES-128-GCM with HKDF-SHA-256, 16-byte tag
 * @GREMIUM_SFRAME_AES_256_GCM_SHA512_128: AES-256-GCM with HKDF-SHA-512, 16-byte
 *   tag; the suite Gremium uses
 *
 * The SFrame cipher suites Gremium implements, by their IANA code point
 * (RFC 9605 §8.1).
 */
typedef enum
{
  GREMIUM_SFRAME_AES_128_GCM_SHA256_128 = 0x0004,
  GREMIUM_SFRAME_AES_256_GCM_SHA512_128 = 0x0005,
} GremiumSFrameCipherSuite;

/**
 * GremiumSFrameStatus:
 * @GREMIUM_SFRAME_OK: the packet was protected or unprotected
 * @GREMIUM_SFRAME_TRUNCATED: the packet ends inside the header or the tag
 * @GREMIUM_SFRAME_MALFORMED: the header does not use the minimal encoding
 * @GREMIUM_SFRAME_UNKNOWN_KID: no key is known for the packet's KID
 * @GREMIUM_SFRAME_AUTH_FAILED: the tag does not verify: wrong key, or the
 *   header, metadata or ciphertext were changed
 * @GREMIUM_SFRAME_REPLAYED: a packet with this KID and CTR was already accepted
 * @GREMIUM_SFRAME_TOO_OLD: the CTR lies further behind the newest accepted one
 *   than the replay window reaches
 * @GREMIUM_SFRAME_NO_KEY: the sender has no key yet
 * @GREMIUM_SFRAME_BUFFER_TOO_SMALL: the output buffer cannot hold the result
 * @GREMIUM_SFRAME_COUNTER_EXHAUSTED: the sender used every CTR of its key
 *
 * The outcome of protecting or unprotecting one packet.
 *
 * Per-packet functions return a status instead of a #GError: they run for
 * every RTP packet, and the media layer drops and counts bad packets rather
 * than reporting them one by one.
 */
typedef enum
{
  GREMIUM_SFRAME_OK,
  GREMIUM_SFRAME_TRUNCATED,
  GREMIUM_SFRAME_MALFORMED,
  GREMIUM_SFRAME_UNKNOWN_KID,
  GREMIUM_SFRAME_AUTH_FAILED,
  GREMIUM_SFRAME_REPLAYED,
  GREMIUM_SFRAME_TOO_OLD,
  GREMIUM_SFRAME_NO_KEY,
  GREMIUM_SFRAME_BUFFER_TOO_SMALL,
  GREMIUM_SFRAME_COUNTER_EXHAUSTED,
} GremiumSFrameStatus;

/**
 * GremiumSFrameStats:
 * @accepted: packets that were authenticated and decrypted
 * @truncated: packets dropped because they were too short
 * @malformed: packets dropped for a non-minimal header
 * @unknown_kid: packets dropped because their KID had no key
 * @auth_failed: packets dropped because their tag did not verify
 * @replayed: packets dropped as a repeat of an accepted one
 * @too_old: packets dropped because their CTR was behind the replay window
 *
 * Counters of a #GremiumSFrameReceiver since it was created.
 */
typedef struct
{
  guint64 accepted;
  guint64 truncated;
  guint64 malformed;
  guint64 unknown_kid;
  guint64 auth_failed;
  guint64 replayed;
  guint64 too_old;
} GremiumSFrameStats;

typedef struct _GremiumSFrameSender   GremiumSFrameSender;
typedef struct _GremiumSFrameReceiver GremiumSFrameReceiver;

#define GREMIUM_TYPE_SFRAME_SENDER   (gremium_sframe_sender_get_type ())
#define GREMIUM_TYPE_SFRAME_RECEIVER (gremium_sframe_receiver_get_type ())

gboolean     gremium_sframe_cipher_suite_is_supported       (guint                    suite);
gsize        gremium_sframe_cipher_suite_get_key_size       (GremiumSFrameCipherSuite suite);
const char  *gremium_sframe_cipher_suite_get_implementation (GremiumSFrameCipherSuite suite);
const char  *gremium_sframe_status_to_string                (GremiumSFrameStatus      status);

gsize               gremium_sframe_header_encode (guint64      kid,
                                                  guint64      ctr,
                                                  guint8       out[GREMIUM_SFRAME_MAX_HEADER_SIZE]);
GremiumSFrameStatus gremium_sframe_header_decode (const guint8 *data,
                                                  gsize        len,
                                                  guint64     *kid,
                                                  guint64     *ctr,
                                                  gsize       *header_len);

GType                gremium_sframe_sender_get_type (void) G_GNUC_CONST;
GremiumSFrameSender *gremium_sframe_sender_new      (GremiumSFrameCipherSuite   suite)
                                                    G_GNUC_WARN_UNUSED_RESULT;
GremiumSFrameSender *gremium_sframe_sender_ref      (GremiumSFrameSender       *self);
void                 gremium_sframe_sender_unref    (GremiumSFrameSender       *self);
gboolean             gremium_sframe_sender_set_key  (GremiumSFrameSender       *self,
                                                     guint64                    kid,
                                                     const guint8              *base_key,
                                                     gsize                      base_key_len,
                                                     GError                   **error);
gboolean             gremium_sframe_sender_get_kid  (GremiumSFrameSender       *self,
                                                     guint64                   *kid);
GremiumSFrameStatus  gremium_sframe_sender_protect  (GremiumSFrameSender       *self,
                                                     const guint8              *metadata,
                                                     gsize                      metadata_len,
                                                     const guint8              *plaintext,
                                                     gsize                      plaintext_len,
                                                     guint8                    *out,
                                                     gsize                      out_size,
                                                     gsize                     *out_len);

GType                  gremium_sframe_receiver_get_type   (void) G_GNUC_CONST;
GremiumSFrameReceiver *gremium_sframe_receiver_new        (GremiumSFrameCipherSuite suite)
                                                          G_GNUC_WARN_UNUSED_RESULT;
GremiumSFrameReceiver *gremium_sframe_receiver_ref        (GremiumSFrameReceiver   *self);
void                   gremium_sframe_receiver_unref      (GremiumSFrameReceiver   *self);
gboolean               gremium_sframe_receiver_add_key    (GremiumSFrameReceiver   *self,
                                                           guint64                  kid,
                                                           const guint8            *base_key,
                                                           gsize                    base_key_len,
                                                           GError                 **error);
gboolean               gremium_sframe_receiver_remove_key (GremiumSFrameReceiver   *self,
                                                           guint64                  kid);
gboolean               gremium_sframe_receiver_has_key    (GremiumSFrameReceiver   *self,
                                                           guint64                  kid);
GremiumSFrameStatus    gremium_sframe_receiver_unprotect  (GremiumSFrameReceiver   *self,
                                                           const guint8            *metadata,
                                                           gsize                    metadata_len,
                                                           const guint8            *data,
                                                           gsize                    len,
                                                           guint8                  *out,
                                                           gsize                    out_size,
                                                           gsize                   *out_len,
                                                           guint64                 *out_kid);
void                   gremium_sframe_receiver_get_stats  (GremiumSFrameReceiver   *self,
                                                           GremiumSFrameStats      *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GremiumSFrameSender, gremium_sframe_sender_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GremiumSFrameReceiver, gremium_sframe_receiver_unref)

G_END_DECLS
