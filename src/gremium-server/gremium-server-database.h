/* gremium-server-database.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include <gremium-crypto.h>
#include <gremium-meeting-types.h>

G_BEGIN_DECLS

typedef struct
{
  char        *id;
  char        *name;
  GremiumRole  role;
} GremiumServerMemberInfo;

typedef struct
{
  char   *id;
  char   *title;
  gint64  scheduled;
  gint64  created;
} GremiumServerMeetingInfo;

void gremium_server_member_info_free  (GremiumServerMemberInfo  *info);
void gremium_server_meeting_info_free (GremiumServerMeetingInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GremiumServerMemberInfo, gremium_server_member_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GremiumServerMeetingInfo, gremium_server_meeting_info_free)

#define GREMIUM_TYPE_SERVER_DATABASE (gremium_server_database_get_type ())

G_DECLARE_FINAL_TYPE (GremiumServerDatabase, gremium_server_database, GREMIUM, SERVER_DATABASE, GObject)

GremiumServerDatabase *gremium_server_database_open            (const char             *path,
                                                                GError                **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean               gremium_server_database_add_member      (GremiumServerDatabase  *self,
                                                                const char             *id,
                                                                const char             *name,
                                                                GremiumRole             role,
                                                                GError                **error);
gboolean               gremium_server_database_remove_member   (GremiumServerDatabase  *self,
                                                                const char             *id,
                                                                GError                **error);
GremiumServerMemberInfo *gremium_server_database_lookup_member (GremiumServerDatabase  *self,
                                                                const char             *id,
                                                                GError                **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray             *gremium_server_database_list_members    (GremiumServerDatabase  *self,
                                                                GError                **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean               gremium_server_database_add_enrolment_code (GremiumServerDatabase *self,
                                                                const char             *member_id,
                                                                const char             *code,
                                                                gint64                  expires,
                                                                GError                **error);
gboolean               gremium_server_database_enrol_device    (GremiumServerDatabase  *self,
                                                                const char             *member_id,
                                                                const char             *code,
                                                                const guint8            key[GREMIUM_PUBLIC_KEY_SIZE],
                                                                gint64                  now,
                                                                GError                **error);
GPtrArray             *gremium_server_database_list_keys       (GremiumServerDatabase  *self,
                                                                const char             *member_id,
                                                                GError                **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean               gremium_server_database_has_key         (GremiumServerDatabase  *self,
                                                                const char             *member_id,
                                                                const guint8            key[GREMIUM_PUBLIC_KEY_SIZE]);
gboolean               gremium_server_database_add_meeting     (GremiumServerDatabase  *self,
                                                                const char             *id,
                                                                const char             *title,
                                                                gint64                  scheduled,
                                                                const char             *first_entry,
                                                                gsize                   first_entry_len,
                                                                GError                **error);
GPtrArray             *gremium_server_database_list_meetings   (GremiumServerDatabase  *self,
                                                                GError                **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean               gremium_server_database_append_entry    (GremiumServerDatabase  *self,
                                                                const char             *meeting_id,
                                                                guint64                 index,
                                                                const char             *data,
                                                                gsize                   len,
                                                                GError                **error);
GPtrArray             *gremium_server_database_load_entries    (GremiumServerDatabase  *self,
                                                                const char             *meeting_id,
                                                                GError                **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean               gremium_server_database_backup          (GremiumServerDatabase  *self,
                                                                const char             *path,
                                                                GError                **error);

char                  *gremium_enrolment_code_generate         (void) G_GNUC_WARN_UNUSED_RESULT;
char                  *gremium_enrolment_code_normalize        (const char             *code) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
