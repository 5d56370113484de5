/* gremium-log-monitor.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gremium-checkpoint.h"

G_BEGIN_DECLS

#define GREMIUM_TYPE_LOG_MONITOR (gremium_log_monitor_get_type ())

G_DECLARE_FINAL_TYPE (GremiumLogMonitor, gremium_log_monitor, GREMIUM, LOG_MONITOR, GObject)

GremiumLogMonitor *gremium_log_monitor_new              (const char         *origin,
                                                         const char         *key_name,
                                                         const guint8        public_key[GREMIUM_PUBLIC_KEY_SIZE],
                                                         const char         *state_path) G_GNUC_WARN_UNUSED_RESULT;
gboolean           gremium_log_monitor_load             (GremiumLogMonitor  *self,
                                                         GError            **error);
GremiumCheckpoint *gremium_log_monitor_get_latest       (GremiumLogMonitor  *self);
gboolean           gremium_log_monitor_update           (GremiumLogMonitor  *self,
                                                         const char         *checkpoint_text,
                                                         GBytes             *consistency_proof,
                                                         GError            **error);
gboolean           gremium_log_monitor_check_inclusion  (GremiumLogMonitor  *self,
                                                         const guint8        leaf_hash[GREMIUM_HASH_SIZE],
                                                         guint64             index,
                                                         GBytes             *proof,
                                                         GError            **error);

G_END_DECLS
