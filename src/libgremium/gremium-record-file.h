/* gremium-record-file.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gremium-meeting.h>

G_BEGIN_DECLS

#define GREMIUM_TYPE_RECORD_FILE (gremium_record_file_get_type ())

G_DECLARE_FINAL_TYPE (GremiumRecordFile, gremium_record_file, GREMIUM, RECORD_FILE, GObject)

GremiumRecordFile *gremium_record_file_load        (const char        *path,
                                                    const char        *required_server_key,
                                                    GError           **error) G_GNUC_WARN_UNUSED_RESULT;
GremiumRecordFile *gremium_record_file_load_bytes  (GBytes            *contents,
                                                    const char        *required_server_key,
                                                    GError           **error) G_GNUC_WARN_UNUSED_RESULT;
GremiumMeeting    *gremium_record_file_get_meeting (GremiumRecordFile *self);

G_END_DECLS
