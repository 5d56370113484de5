/* gremium-media-keyring.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gremium-identity.h"
#include "gremium-meeting.h"
#include "gremium-sframe.h"

G_BEGIN_DECLS

/* The DSSE payload type of a signed media key message (docs/crypto.md). */
#define GREMIUM_PAYLOAD_TYPE_MEDIA_KEY "application/vnd.gremium.media-key+json"

/* Every media base key is 32 random or ratcheted bytes. */
#define GREMIUM_MEDIA_KEY_SIZE 32

/* The SFrame cipher suite of every meeting. */
#define GREMIUM_MEDIA_KEY_SUITE GREMIUM_SFRAME_AES_256_GCM_SHA512_128

/* HKDF-SHA-512 info string of one ratchet step (docs/crypto.md, "Ratchet"). */
#define GREMIUM_MEDIA_KEY_RATCHET_LABEL "Gremium 1.0 media key ratchet"

/* How long a sender keeps encrypting with its old key after it sent a new
 * one, so that every receiver has the new key before the first packet.
 */
#define GREMIUM_MEDIA_KEY_GRACE_PERIOD_MS 2000

/* Every sender picks a fresh key at least this often. */
#define GREMIUM_MEDIA_KEY_ROTATION_INTERVAL_MS (15 * 60 * 1000)

/* How far a key message's creation time may lie from the receiver's clock. */
#define GREMIUM_MEDIA_KEY_TIME_WINDOW (5 * G_TIME_SPAN_MINUTE)

/* An epoch is generation × 2^8 + ratchet step. A fresh random key starts a
 * new generation at step 0; a ratchet step adds one to the step.
 */
#define GREMIUM_MEDIA_EPOCH_STEP_BITS 8
#define GREMIUM_MEDIA_EPOCH_MAX_STEP  ((1u << GREMIUM_MEDIA_EPOCH_STEP_BITS) - 1)
#define GREMIUM_MEDIA_EPOCH_GENERATION(epoch) ((guint64) (epoch) >> GREMIUM_MEDIA_EPOCH_STEP_BITS)
#define GREMIUM_MEDIA_EPOCH_STEP(epoch)       ((guint) ((epoch) & GREMIUM_MEDIA_EPOCH_MAX_STEP))
#define GREMIUM_MEDIA_EPOCH(generation, step) \
  (((guint64) (generation) << GREMIUM_MEDIA_EPOCH_STEP_BITS) | ((guint64) (step) & GREMIUM_MEDIA_EPOCH_MAX_STEP))

/* KID = (roster position + 1) × 2^20 + (epoch mod 2^20). */
#define GREMIUM_MEDIA_KID_EPOCH_BITS 20

/* Epochs, anchors and KIDs travel as JSON integers, exact up to 2^53 − 1. */
#define GREMIUM_MEDIA_KEY_MAX_INTEGER G_GINT64_CONSTANT (9007199254740991)

#define GREMIUM_MEDIA_KEY_ERROR (gremium_media_key_error_quark ())

/**
 * GremiumMediaKeyError:
 * @GREMIUM_MEDIA_KEY_ERROR_MALFORMED: the body is not a well-formed media key
 *   message, names an unsupported version or cipher suite, or its KID does
 *   not match its sender and epoch
 * @GREMIUM_MEDIA_KEY_ERROR_WRONG_MEETING: the message names another meeting
 * @GREMIUM_MEDIA_KEY_ERROR_WRONG_RECIPIENT: the message is addressed to another
 *   member, or to a key that is not on this member's roster entry
 * @GREMIUM_MEDIA_KEY_ERROR_OTHER_DEVICE: the message is for another enrolled
 *   device of this member, or comes from one; not an attack, just not for
 *   this device
 * @GREMIUM_MEDIA_KEY_ERROR_BAD_SIGNATURE: the signature does not verify under
 *   any roster key of the claimed sender, or the relay says the message came
 *   from someone other than the claimed sender
 * @GREMIUM_MEDIA_KEY_ERROR_NOT_PARTICIPANT: the sender or this member does not
 *   take part in the meeting's media right now
 * @GREMIUM_MEDIA_KEY_ERROR_STALE: the message was made before the sender or
 *   this member last entered the call, or its creation time lies outside
 *   %GREMIUM_MEDIA_KEY_TIME_WINDOW
 * @GREMIUM_MEDIA_KEY_ERROR_REPLAYED: the key is not newer than the newest key
 *   already accepted from the sender (a replay or a rollback)
 * @GREMIUM_MEDIA_KEY_ERROR_BAD_SEAL: the sealed key does not open with this
 *   device's key, or what it holds is not bound to the signer and epoch
 *
 * Why a media key message was rejected. Every rejection is counted (see
 * gremium_media_keyring_get_n_rejected()) and nothing is installed.
 */
typedef enum
{
  GREMIUM_MEDIA_KEY_ERROR_MALFORMED,
  GREMIUM_MEDIA_KEY_ERROR_WRONG_MEETING,
  GREMIUM_MEDIA_KEY_ERROR_WRONG_RECIPIENT,
  GREMIUM_MEDIA_KEY_ERROR_OTHER_DEVICE,
  GREMIUM_MEDIA_KEY_ERROR_BAD_SIGNATURE,
  GREMIUM_MEDIA_KEY_ERROR_NOT_PARTICIPANT,
  GREMIUM_MEDIA_KEY_ERROR_STALE,
  GREMIUM_MEDIA_KEY_ERROR_REPLAYED,
  GREMIUM_MEDIA_KEY_ERROR_BAD_SEAL,
} GremiumMediaKeyError;

#define GREMIUM_MEDIA_KEY_N_ERRORS (GREMIUM_MEDIA_KEY_ERROR_BAD_SEAL + 1)

/**
 * GremiumMediaKeyMessage:
 * @recipient: the member id to send @body to
 * @body: the peer message body, a JSON object of type `"media-key"`
 *
 * One outgoing media key message, ready for gremium_client_send_peer_async().
 */
typedef struct
{
  char *recipient;
  char *body;
} GremiumMediaKeyMessage;

#define GREMIUM_TYPE_MEDIA_KEY_MESSAGE (gremium_media_key_message_get_type ())

GQuark                  gremium_media_key_error_quark      (void) G_GNUC_CONST;
const char             *gremium_media_key_error_to_string  (GremiumMediaKeyError    code);

GType                   gremium_media_key_message_get_type (void) G_GNUC_CONST;
GremiumMediaKeyMessage *gremium_media_key_message_copy     (const GremiumMediaKeyMessage *message)
                                                           G_GNUC_WARN_UNUSED_RESULT;
void                    gremium_media_key_message_free     (GremiumMediaKeyMessage *message);

guint64                 gremium_media_kid_new              (guint                   roster_position,
                                                            guint64                 epoch);
gboolean                gremium_media_kid_get_position     (guint64                 kid,
                                                            guint                  *roster_position);
void                    gremium_media_key_ratchet          (const guint8            key[GREMIUM_MEDIA_KEY_SIZE],
                                                            guint8                  next[GREMIUM_MEDIA_KEY_SIZE]);

#define GREMIUM_TYPE_MEDIA_KEYRING (gremium_media_keyring_get_type ())

G_DECLARE_FINAL_TYPE (GremiumMediaKeyring, gremium_media_keyring, GREMIUM, MEDIA_KEYRING, GObject)

GremiumMediaKeyring   *gremium_media_keyring_new               (GremiumIdentity      *identity,
                                                                const char           *member_id,
                                                                GremiumMeeting       *meeting) G_GNUC_WARN_UNUSED_RESULT;
GremiumMeeting        *gremium_media_keyring_get_meeting       (GremiumMediaKeyring  *self);
const char            *gremium_media_keyring_get_member_id     (GremiumMediaKeyring  *self);

gboolean               gremium_media_keyring_get_active        (GremiumMediaKeyring  *self);
gboolean               gremium_media_keyring_is_in_audience    (GremiumMediaKeyring  *self,
                                                                const char           *member_id);
char                 **gremium_media_keyring_dup_audience      (GremiumMediaKeyring  *self) G_GNUC_WARN_UNUSED_RESULT;

GremiumSFrameSender   *gremium_media_keyring_get_sender        (GremiumMediaKeyring  *self);
GremiumSFrameReceiver *gremium_media_keyring_get_receiver      (GremiumMediaKeyring  *self);
GremiumSFrameReceiver *gremium_media_keyring_get_member_receiver (GremiumMediaKeyring *self,
                                                                const char           *member_id);
const char            *gremium_media_keyring_lookup_kid        (GremiumMediaKeyring  *self,
                                                                guint64               kid);

gboolean               gremium_media_keyring_get_epoch         (GremiumMediaKeyring  *self,
                                                                guint64              *epoch);
gboolean               gremium_media_keyring_get_pending_epoch (GremiumMediaKeyring  *self,
                                                                guint64              *epoch);
gboolean               gremium_media_keyring_get_member_epoch  (GremiumMediaKeyring  *self,
                                                                const char           *member_id,
                                                                guint64              *epoch);

GPtrArray             *gremium_media_keyring_take_messages     (GremiumMediaKeyring  *self) G_GNUC_WARN_UNUSED_RESULT;
gboolean               gremium_media_keyring_handle_message    (GremiumMediaKeyring  *self,
                                                                const char           *from,
                                                                const char           *body,
                                                                GError              **error);

void                   gremium_media_keyring_rotate            (GremiumMediaKeyring  *self);
gboolean               gremium_media_keyring_apply_pending     (GremiumMediaKeyring  *self,
                                                                guint64               epoch);
guint                  gremium_media_keyring_retire            (GremiumMediaKeyring  *self,
                                                                const char           *member_id,
                                                                guint64               epoch);
void                   gremium_media_keyring_remove_member     (GremiumMediaKeyring  *self,
                                                                const char           *member_id);

guint64                gremium_media_keyring_get_n_accepted    (GremiumMediaKeyring  *self);
guint64                gremium_media_keyring_get_n_rejected    (GremiumMediaKeyring  *self,
                                                                GremiumMediaKeyError  reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GremiumMediaKeyMessage, gremium_media_key_message_free)

G_END_DECLS
