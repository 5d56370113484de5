/* gremium-checkpoint-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-checkpoint.h"

G_BEGIN_DECLS

/* The C2SP signed-note layer under the checkpoint, for any note text. The
 * tests use it to reproduce the published signed-note vectors, whose text is
 * not a checkpoint.
 */
char *_gremium_signed_note_sign (const char       *text,
                                 const char       *key_name,
                                 GremiumIdentity  *key) G_GNUC_WARN_UNUSED_RESULT;
char *_gremium_signed_note_open (const char       *note,
                                 gssize            len,
                                 const char       *key_name,
                                 const guint8      public_key[GREMIUM_PUBLIC_KEY_SIZE],
                                 GError          **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
