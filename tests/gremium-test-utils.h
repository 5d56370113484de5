/* gremium-test-utils.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include <gremium-auth.h>
#include <gremium-client.h>
#include <gremium-server.h>

G_BEGIN_DECLS

/* A real server on a loopback port with its database in a fresh folder. */
typedef struct
{
  char                  *dir;
  GremiumServerConfig   *config;
  GremiumServerDatabase *db;
  GremiumIdentity       *identity;
  GremiumServer         *server;
  char                  *url;
  GHashTable            *codes;        /* member id → enrolment code */
} GremiumTestServer;

GremiumTestServer *gremium_test_server_new           (void);
void               gremium_test_server_free          (GremiumTestServer *ts);
void               gremium_test_server_add_member    (GremiumTestServer *ts,
                                                      const char        *id,
                                                      const char        *name,
                                                      GremiumRole        role);
char              *gremium_test_server_create_meeting (GremiumTestServer *ts,
                                                      guint              n_public,
                                                      guint              n_nonpublic);
void               gremium_test_server_add_council   (GremiumTestServer *ts,
                                                      guint              n_members);

/* Waiting for asynchronous results in tests. */
gboolean           gremium_test_wait_until           (gboolean         (*condition) (gpointer),
                                                      gpointer           data,
                                                      guint              timeout_ms);
GAsyncResult      *gremium_test_wait_result          (GAsyncResult     **slot);
void               gremium_test_result_cb            (GObject           *object,
                                                      GAsyncResult      *result,
                                                      gpointer           user_data);

/* Synchronous client helpers; each waits on the main loop. */
GremiumClient     *gremium_test_client_enrol         (GremiumTestServer *ts,
                                                      const char        *member_id,
                                                      GError           **error);
gboolean           gremium_test_client_connect       (GremiumClient     *client,
                                                      GError           **error);
GremiumMeeting    *gremium_test_client_join          (GremiumClient     *client,
                                                      const char        *meeting_id,
                                                      GError           **error);
gboolean           gremium_test_client_submit        (GremiumClient     *client,
                                                      const char        *meeting_id,
                                                      const char        *kind,
                                                      JsonObject        *data,
                                                      GError           **error);
gboolean           gremium_test_submit               (GremiumClient     *client,
                                                      const char        *meeting_id,
                                                      const char        *kind,
                                                      JsonObject        *data,
                                                      GError           **error);
JsonObject        *gremium_test_client_request       (GremiumClient     *client,
                                                      JsonObject        *request,
                                                      GError           **error);
gboolean           gremium_test_client_attend        (GremiumClient     *client,
                                                      const char        *meeting_id,
                                                      GError           **error);
void               gremium_test_wait_entries         (GremiumMeeting    *meeting,
                                                      guint64            n_entries);

JsonObject        *gremium_test_data                 (const char        *first_member,
                                                      ...) G_GNUC_NULL_TERMINATED;

guint64            gremium_test_server_get_record_size (GremiumTestServer *ts,
                                                      const char        *meeting_id);
char              *gremium_test_server_new_code      (GremiumTestServer *ts,
                                                      const char        *member_id);
char              *gremium_test_describe_meeting     (GremiumMeeting    *meeting);
void               gremium_test_iterate              (guint              ms);

/* A raw WebSocket connection for speaking the protocol by hand, including
 * everything a well-behaved client never sends.
 */
typedef struct
{
  SoupSession             *session;
  SoupWebsocketConnection *connection;
  GQueue                   messages;     /* JsonObject, in order of arrival */
  JsonObject              *hello;
  char                    *challenge;
  gint64                   next_id;
  gboolean                 closed;
  gushort                  close_code;
} GremiumTestRaw;

GremiumTestRaw    *gremium_test_raw_connect          (const char        *url);
void               gremium_test_raw_free             (GremiumTestRaw    *raw);
void               gremium_test_raw_send_text        (GremiumTestRaw    *raw,
                                                      const char        *text);
void               gremium_test_raw_send_binary      (GremiumTestRaw    *raw,
                                                      gconstpointer      data,
                                                      gsize              len);
void               gremium_test_raw_send             (GremiumTestRaw    *raw,
                                                      JsonObject        *message);
JsonObject        *gremium_test_raw_next             (GremiumTestRaw    *raw,
                                                      guint              timeout_ms);
JsonObject        *gremium_test_raw_request          (GremiumTestRaw    *raw,
                                                      JsonObject        *request);
gboolean           gremium_test_raw_wait_closed      (GremiumTestRaw    *raw,
                                                      guint              timeout_ms);
const char        *gremium_test_raw_get_server_key   (GremiumTestRaw    *raw);
const char        *gremium_test_raw_new_challenge    (GremiumTestRaw    *raw);
GremiumStatement  *gremium_test_raw_proof            (GremiumTestRaw    *raw,
                                                      GremiumIdentity   *identity,
                                                      const char        *purpose,
                                                      const char        *member_id);
JsonObject        *gremium_test_raw_login            (GremiumTestRaw    *raw,
                                                      GremiumIdentity   *identity,
                                                      const char        *member_id);
JsonObject        *gremium_test_raw_submit           (GremiumTestRaw    *raw,
                                                      const char        *meeting_id,
                                                      GremiumStatement  *statement);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GremiumTestRaw, gremium_test_raw_free)

/* Asserts that @answer is an `error` with @code (and, if @re > 0, that it
 * answers request @re).
 */
#define gremium_test_assert_error(answer, code, re) \
  G_STMT_START { \
    JsonObject *__a = (answer); \
    gint64 __re = (re); \
    g_assert_nonnull (__a); \
    g_assert_cmpstr (json_object_get_string_member_with_default (__a, "type", ""), ==, "error"); \
    g_assert_cmpstr (json_object_get_string_member_with_default (__a, "code", ""), ==, (code)); \
    if (__re > 0) \
      g_assert_cmpint (json_object_get_int_member_with_default (__a, "re", 0), ==, __re); \
    else if (__re == 0) \
      g_assert_false (json_object_has_member (__a, "re")); \
  } G_STMT_END

#define gremium_test_assert_result(answer) \
  G_STMT_START { \
    JsonObject *__a = (answer); \
    g_assert_nonnull (__a); \
    if (!g_str_equal (json_object_get_string_member_with_default (__a, "type", ""), "result")) \
      g_error ("Expected a result, got %s: %s", \
               json_object_get_string_member_with_default (__a, "code", "?"), \
               json_object_get_string_member_with_default (__a, "message", "?")); \
  } G_STMT_END

G_END_DECLS
