/* gremium-sframe-unprotect.h
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
 * GremiumSFrameUnprotectStats:
 * @accepted: packets authenticated, decrypted and passed on
 * @invalid: packets dropped because they were not RTP, or their VP8
 *   descriptor was cut off
 * @truncated: packets dropped because they ended inside the SFrame header or tag
 * @malformed: packets dropped for a non-minimal SFrame header
 * @unknown_kid: packets dropped because no key was known for their KID: a
 *   sender we have no key from, or an epoch that was removed or not yet added
 * @auth_failed: packets dropped because the tag did not verify (forged or damaged)
 * @replayed: packets dropped as a repeat of an accepted packet
 * @too_old: packets dropped because their counter was behind the replay window
 * @no_receiver: packets dropped because the element had no receiver
 *
 * Counters of one #GremiumSFrameUnprotect since it was created. Unlike
 * #GremiumSFrameStats, which a receiver keeps over every stream it serves,
 * these count the packets of one stream of one peer.
 */
typedef struct
{
  guint64 accepted;
  guint64 invalid;
  guint64 truncated;
  guint64 malformed;
  guint64 unknown_kid;
  guint64 auth_failed;
  guint64 replayed;
  guint64 too_old;
  guint64 no_receiver;
} GremiumSFrameUnprotectStats;

#define GREMIUM_TYPE_SFRAME_UNPROTECT (gremium_sframe_unprotect_get_type ())

G_DECLARE_FINAL_TYPE (GremiumSFrameUnprotect, gremium_sframe_unprotect, GREMIUM, SFRAME_UNPROTECT,
                      GstBaseTransform)

void                   gremium_sframe_unprotect_set_receiver (GremiumSFrameUnprotect      *self,
                                                              GremiumSFrameReceiver       *receiver);
GremiumSFrameReceiver *gremium_sframe_unprotect_dup_receiver (GremiumSFrameUnprotect      *self)
                                                             G_GNUC_WARN_UNUSED_RESULT;
void                   gremium_sframe_unprotect_get_stats    (GremiumSFrameUnprotect      *self,
                                                              GremiumSFrameUnprotectStats *stats);
guint64                gremium_sframe_unprotect_get_dropped  (GremiumSFrameUnprotect      *self);

G_END_DECLS
