/* test-server-flow.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gremium-error.h>

#include "gremium-test-utils.h"

typedef struct
{
  GremiumTestServer *ts;
  char              *meeting_id;
  GremiumClient     *chair;
  GremiumMeeting    *chair_view;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->ts = gremium_test_server_new ();
  gremium_test_server_add_council (f->ts, 8);
  f->meeting_id = gremium_test_server_create_meeting (f->ts, 2, 1);

  f->chair = gremium_test_client_enrol (f->ts, "chair", &error);
  g_assert_no_error (error);
  g_assert_true (gremium_test_client_attend (f->chair, f->meeting_id, &error));
  g_assert_no_error (error);
  f->chair_view = gremium_client_get_meeting (f->chair, f->meeting_id);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->chair);
  g_clear_pointer (&f->meeting_id, g_free);
  gremium_test_server_free (f->ts);
}

static void
test_lobby_admission (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GremiumClient) member = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) admit = NULL;
  GremiumMeeting *member_view;
  GremiumMember *m01;

  member = gremium_test_client_enrol (f->ts, "m01", &error);
  g_assert_no_error (error);
  g_assert_true (gremium_test_client_attend (member, f->meeting_id, &error));
  member_view = gremium_client_get_meeting (member, f->meeting_id);

  /* A member waits in the lobby until the chair admits them. */
  gremium_test_wait_entries (f->chair_view, gremium_meeting_get_n_entries (member_view));
  m01 = gremium_meeting_lookup_member (f->chair_view, "m01");
  g_assert_cmpint (gremium_member_get_presence (m01), ==, GREMIUM_PRESENCE_LOBBY);

  /* A member cannot admit anyone. */
  admit = gremium_test_data ("member", "m01", NULL);
  g_assert_false (gremium_test_client_submit (member, f->meeting_id, GREMIUM_KIND_LOBBY_ADMIT,
                                              admit, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  g_assert_true (gremium_test_client_submit (f->chair, f->meeting_id, GREMIUM_KIND_LOBBY_ADMIT,
                                             admit, &error));
  g_assert_no_error (error);

  gremium_test_wait_entries (member_view, gremium_meeting_get_n_entries (f->chair_view));
  g_assert_cmpint (gremium_member_get_presence (gremium_meeting_lookup_member (member_view, "m01")),
                   ==, GREMIUM_PRESENCE_PRESENT);
}

/* A server with a certificate speaks wss://; a client accepts it only when
 * the certificate chains to an authority it trusts.
 */
static void
test_tls (void)
{
  g_autoptr(GremiumServerConfig) config = gremium_server_config_new_default ();
  g_autoptr(GremiumServerDatabase) db = NULL;
  g_autoptr(GremiumIdentity) server_identity = gremium_identity_new ();
  g_autoptr(GremiumServer) server = NULL;
  g_autoptr(GTlsDatabase) authorities = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gremium-tls-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (dir, "gremium.sqlite", NULL);
  g_autofree char *ca = g_test_build_filename (G_TEST_DIST, "data", "tls", "ca.pem", NULL);
  g_autofree char *url = NULL;
  g_autofree char *code = gremium_enrolment_code_generate ();

  g_free (config->data_dir);
  config->data_dir = g_strdup (dir);
  config->port = 0;
  config->tls_certificate = g_test_build_filename (G_TEST_DIST, "data", "tls", "server.pem", NULL);
  config->tls_key = g_test_build_filename (G_TEST_DIST, "data", "tls", "server.key", NULL);

  db = gremium_server_database_open (db_path, &error);
  g_assert_no_error (error);
  gremium_server_database_add_member (db, "chair", "Clara Vorsitz", GREMIUM_ROLE_CHAIR, &error);
  g_assert_no_error (error);
  gremium_server_database_add_enrolment_code (db, "chair", code,
                                              g_get_real_time () + G_TIME_SPAN_HOUR, &error);
  g_assert_no_error (error);

  server = gremium_server_new (config, db, server_identity);
  g_assert_true (gremium_server_listen (server, &error));
  g_assert_no_error (error);
  url = gremium_server_dup_url (server);
  g_assert_true (g_str_has_prefix (url, "wss://127.0.0.1:"));

  /* Without the council's authority the certificate is not trusted. */
  {
    g_autoptr(GremiumIdentity) identity = gremium_identity_new ();
    g_autoptr(GremiumClient) client = gremium_client_new (url, identity, "chair");
    g_autoptr(GAsyncResult) result = NULL;

    gremium_client_enrol_async (client, code, NULL, gremium_test_result_cb, &result);
    g_assert_false (gremium_client_enrol_finish (client, gremium_test_wait_result (&result), &error));
    g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_CONNECTION_LOST);
    g_clear_error (&error);
  }

  authorities = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);

  {
    g_autoptr(GremiumIdentity) identity = gremium_identity_new ();
    g_autoptr(GremiumClient) client = gremium_client_new (url, identity, "chair");
    g_autoptr(GAsyncResult) result = NULL;

    gremium_client_set_tls_database (client, authorities);
    gremium_client_enrol_async (client, code, NULL, gremium_test_result_cb, &result);
    g_assert_true (gremium_client_enrol_finish (client, gremium_test_wait_result (&result), &error));
    g_assert_no_error (error);
    g_assert_cmpint (gremium_client_get_state (client), ==, GREMIUM_CLIENT_STATE_CONNECTED);
    gremium_client_disconnect (client);
  }

  gremium_server_shutdown (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/Gremium/Server/lobby-admission", Fixture, NULL, setup, test_lobby_admission, teardown);
  g_test_add_func ("/Gremium/Server/tls", test_tls);

  return g_test_run ();
}
