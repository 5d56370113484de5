/* gremium-security-code.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gremium-crypto.h"
#include "gremium-meeting.h"

G_BEGIN_DECLS

/* Domain separation tag at the start of the hashed input (docs/crypto.md). */
#define GREMIUM_SECURITY_CODE_DOMAIN "Gremium meeting security code v1"

typedef struct _GremiumSecurityCode GremiumSecurityCode;

#define GREMIUM_TYPE_SECURITY_CODE (gremium_security_code_get_type ())

GType                gremium_security_code_get_type     (void) G_GNUC_CONST;
GremiumSecurityCode *gremium_security_code_new          (const char          *meeting_id) G_GNUC_WARN_UNUSED_RESULT;
GremiumSecurityCode *gremium_security_code_new_for_meeting (GremiumMeeting   *meeting) G_GNUC_WARN_UNUSED_RESULT;
GremiumSecurityCode *gremium_security_code_copy         (GremiumSecurityCode *self) G_GNUC_WARN_UNUSED_RESULT;
void                 gremium_security_code_free         (GremiumSecurityCode *self);
void                 gremium_security_code_add_key      (GremiumSecurityCode *self,
                                                         const char          *member_id,
                                                         const guint8         key[GREMIUM_PUBLIC_KEY_SIZE]);
guint                gremium_security_code_get_n_keys   (GremiumSecurityCode *self);
void                 gremium_security_code_get_digest   (GremiumSecurityCode *self,
                                                         guint8               digest[GREMIUM_HASH_SIZE]);
char                *gremium_security_code_to_string    (GremiumSecurityCode *self) G_GNUC_WARN_UNUSED_RESULT;
char                *gremium_security_code_compute      (GremiumMeeting      *meeting) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GremiumSecurityCode, gremium_security_code_free)

G_END_DECLS
