/* gremium-sframe-protect.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/base/gstbasetransform.h>

#include "gremium-media.h"
#include "gremium-sframe.h"

G_BEGIN_DECLS

/**
 * GremiumSFrameProtectStats:
 * @protected: packets that left the element protected
 * @no_key: packets dropped because the sender had no key yet
 * @invalid: packets dropped because they were not RTP or had no payload
 *   after the VP8 descriptor
 * @failed: packets dropped for any other reason (counter exhausted)
 * @key_changes: how often the sender's KID changed while packets flowed
 *
 * Counters of a #GremiumSFrameProtect since it was created.
 */
typedef struct
{
  guint64 protected;
  guint64 no_key;
  guint64 invalid;
  guint64 failed;
  guint64 key_changes;
} GremiumSFrameProtectStats;

#define GREMIUM_TYPE_SFRAME_PROTECT (gremium_sframe_protect_get_type ())

G_DECLARE_FINAL_TYPE (GremiumSFrameProtect, gremium_sframe_protect, GREMIUM, SFRAME_PROTECT,
                      GstBaseTransform)

void                 gremium_sframe_protect_set_sender (GremiumSFrameProtect      *self,
                                                        GremiumSFrameSender       *sender);
GremiumSFrameSender *gremium_sframe_protect_dup_sender (GremiumSFrameProtect      *self)
                                                       G_GNUC_WARN_UNUSED_RESULT;
void                 gremium_sframe_protect_get_stats  (GremiumSFrameProtect      *self,
                                                        GremiumSFrameProtectStats *stats);

G_END_DECLS
