/* gremium-member.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gremium-crypto.h"
#include "gremium-meeting-types.h"

G_BEGIN_DECLS

/**
 * GremiumAttendance:
 * @joined: when the member was admitted or joined, microseconds since the epoch
 * @left: when the member left, or 0 while the stretch lasts
 *
 * One stretch of time a member was present.
 */
typedef struct
{
  gint64 joined;
  gint64 left;
} GremiumAttendance;

#define GREMIUM_TYPE_MEMBER (gremium_member_get_type ())

G_DECLARE_FINAL_TYPE (GremiumMember, gremium_member, GREMIUM, MEMBER, GObject)

const char      *gremium_member_get_id             (GremiumMember *self);
const char      *gremium_member_get_name           (GremiumMember *self);
GremiumRole      gremium_member_get_role           (GremiumMember *self);
gboolean         gremium_member_can_vote           (GremiumMember *self);
GremiumPresence  gremium_member_get_presence       (GremiumMember *self);
gboolean         gremium_member_get_admitted       (GremiumMember *self);
gint64           gremium_member_get_joined_at      (GremiumMember *self);
gint64           gremium_member_get_left_at        (GremiumMember *self);
const char      *gremium_member_get_leave_reason   (GremiumMember *self);
guint            gremium_member_get_n_keys         (GremiumMember *self);
const guint8    *gremium_member_get_key            (GremiumMember *self,
                                                    guint          position);
gboolean         gremium_member_has_key            (GremiumMember *self,
                                                    const guint8   key[GREMIUM_PUBLIC_KEY_SIZE]);
GArray          *gremium_member_get_attendance     (GremiumMember *self);

G_END_DECLS
