/* gremium-record-entry.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "gremium-statement.h"

G_BEGIN_DECLS

/* An entry holds one statement and a small frame; this bounds a whole line
 * of an exported record.
 */
#define GREMIUM_RECORD_ENTRY_MAX_SIZE (1100 * 1024)

#define GREMIUM_TYPE_RECORD_ENTRY (gremium_record_entry_get_type ())

G_DECLARE_FINAL_TYPE (GremiumRecordEntry, gremium_record_entry, GREMIUM, RECORD_ENTRY, GObject)

GremiumRecordEntry *gremium_record_entry_new            (guint64             index,
                                                         gint64              time_usec,
                                                         GremiumStatement   *statement) G_GNUC_WARN_UNUSED_RESULT;
GremiumRecordEntry *gremium_record_entry_new_from_bytes (const char         *data,
                                                         gsize               len,
                                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;
guint64             gremium_record_entry_get_index      (GremiumRecordEntry *self);
gint64              gremium_record_entry_get_time       (GremiumRecordEntry *self);
GremiumStatement   *gremium_record_entry_get_statement  (GremiumRecordEntry *self);
const char         *gremium_record_entry_get_text       (GremiumRecordEntry *self);
gsize               gremium_record_entry_get_length     (GremiumRecordEntry *self);
const guint8       *gremium_record_entry_get_leaf_hash  (GremiumRecordEntry *self);

G_END_DECLS
