/* gremium-checkpoint.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gremium-identity.h"

G_BEGIN_DECLS

/* A signed note larger than this is refused before it is looked at. It leaves
 * room for the 100 signature lines below with generous key names.
 */
#define GREMIUM_CHECKPOINT_MAX_SIZE (64 * 1024)

/* The most signature lines a note may carry. The signed-note specification
 * asks verifiers to accept at least 16; golang.org/x/mod/sumdb/note refuses
 * more than 100, and so do we.
 */
#define GREMIUM_CHECKPOINT_MAX_SIGNATURES 100

#define GREMIUM_CHECKPOINT_KEY_ID_SIZE 4

#define GREMIUM_TYPE_CHECKPOINT (gremium_checkpoint_get_type ())

G_DECLARE_FINAL_TYPE (GremiumCheckpoint, gremium_checkpoint, GREMIUM, CHECKPOINT, GObject)

GremiumCheckpoint *gremium_checkpoint_new_signed           (const char        *origin,
                                                            guint64            size,
                                                            const guint8       root[GREMIUM_HASH_SIZE],
                                                            const char        *key_name,
                                                            GremiumIdentity   *key) G_GNUC_WARN_UNUSED_RESULT;
GremiumCheckpoint *gremium_checkpoint_parse                (const char        *text,
                                                            gssize             len,
                                                            const char        *key_name,
                                                            const guint8       public_key[GREMIUM_PUBLIC_KEY_SIZE],
                                                            GError           **error) G_GNUC_WARN_UNUSED_RESULT;
const char        *gremium_checkpoint_get_origin           (GremiumCheckpoint *self);
guint64            gremium_checkpoint_get_size             (GremiumCheckpoint *self);
const guint8      *gremium_checkpoint_get_root             (GremiumCheckpoint *self);
const char        *gremium_checkpoint_get_text             (GremiumCheckpoint *self);

gboolean           gremium_checkpoint_key_name_is_valid    (const char        *key_name);
void               gremium_checkpoint_key_id               (const char        *key_name,
                                                            const guint8       public_key[GREMIUM_PUBLIC_KEY_SIZE],
                                                            guint8             out[GREMIUM_CHECKPOINT_KEY_ID_SIZE]);
char              *gremium_checkpoint_format_verifier_key  (const char        *key_name,
                                                            const guint8       public_key[GREMIUM_PUBLIC_KEY_SIZE]) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
