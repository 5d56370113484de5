/* gremium-media-keyring-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-media-keyring.h"

G_BEGIN_DECLS

/* Every field of a key message, for tests that forge one. %NULL and 0 mean
 * "as an honest sender would": this meeting, the keyring's own member id,
 * the recipient's first roster key, the keyring's record size, now.
 */
typedef struct
{
  const char   *meeting_id;
  const char   *sender;
  const char   *recipient;
  const guint8 *recipient_key;
  const guint8 *seal_to;          /* the Ed25519 key whose X25519 twin seals */
  guint64       epoch;
  guint64       kid;
  guint64       anchor;
  gint64        created;
  const guint8 *key;              /* GREMIUM_MEDIA_KEY_SIZE bytes */
  const guint8 *inner_signer;     /* the signer key inside the seal */
  gboolean      inner_epoch_set;
  guint64       inner_epoch;
} GremiumMediaKeyForgery;

char *_gremium_media_keyring_forge (GremiumMediaKeyring          *self,
                                    const GremiumMediaKeyForgery *forgery) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
