/* gremium-member-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gremium-member.h"

G_BEGIN_DECLS

GremiumMember *_gremium_member_new           (const char      *id,
                                              const char      *name,
                                              GremiumRole      role);
void           _gremium_member_add_key       (GremiumMember   *self,
                                              const guint8     key[GREMIUM_PUBLIC_KEY_SIZE]);
gboolean       _gremium_member_remove_key    (GremiumMember   *self,
                                              const guint8     key[GREMIUM_PUBLIC_KEY_SIZE]);
void           _gremium_member_set_presence  (GremiumMember   *self,
                                              GremiumPresence  presence,
                                              gint64           time,
                                              const char      *leave_reason);
void           _gremium_member_set_admitted  (GremiumMember   *self,
                                              gboolean         admitted);

G_END_DECLS
