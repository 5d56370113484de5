/* test-server-config.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include <gremium-error.h>
#include <gremium-server-config.h>
#include <gremium-server-database.h>

static char *
write_config (const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("gremium-config-XXXXXX.conf", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));

  return path;
}

static void
test_example_loads (void)
{
  g_autoptr(GremiumServerConfig) config = gremium_server_config_new_default ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                 "gremium-server.conf.example", NULL);

  /* The example every operator starts from must be valid as shipped. */
  g_assert_true (gremium_server_config_load (config, path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (config->name, ==, "rat.example.org");
  g_assert_cmpuint (config->port, ==, 8443);
  g_assert_cmpstr (config->tls_certificate, ==, "/etc/gremium/tls/fullchain.pem");
  g_assert_cmpint (config->quorum_base, ==, GREMIUM_QUORUM_BASE_MEMBERS);
  g_assert_false (gremium_server_config_is_loopback (config));
}

static void
test_bad_configs (void)
{
  static const char * const bad[] = {
    /* A misspelt setting must not silently keep its default. */
    "[server]\nmax-conections=10\n",
    /* Plain ws:// beyond loopback would expose enrolment codes. */
    "[server]\nlisten=0.0.0.0\n",
    "[server]\nlisten=::\ntls-certificate=/tmp/c.pem\n",
    "[server]\nport=70000\n",
    "[server]\nport=eighty\n",
    "[server]\nname=two words\n",
    "[server]\nname=a+b\n",
    "[server]\nlisten=not-an-address\n",
    "[server]\nquorum-base=majority\n",
    "[server]\nmax-connections-per-member=0\n",
    "not a key file",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GremiumServerConfig) config = gremium_server_config_new_default ();
      g_autoptr(GError) error = NULL;
      g_autofree char *path = write_config (bad[i]);

      g_assert_false (gremium_server_config_load (config, path, &error));
      g_test_message ("case %u: %s", i, error->message);
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
      g_unlink (path);
    }
}

static void
test_enrolment_codes (void)
{
  g_autofree char *code = gremium_enrolment_code_generate ();
  g_autofree char *normalized = gremium_enrolment_code_normalize (code);
  g_autofree char *typed = NULL;
  g_autofree char *typed_normalized = NULL;

  g_assert_cmpuint (strlen (code), ==, 14);
  g_assert_cmpint (code[4], ==, '-');
  g_assert_cmpint (code[9], ==, '-');
  g_assert_cmpuint (strlen (normalized), ==, 12);

  /* People type codes in lower case and with spaces. */
  typed = g_ascii_strdown (code, -1);
  typed[4] = ' ';
  typed_normalized = gremium_enrolment_code_normalize (typed);
  g_assert_cmpstr (typed_normalized, ==, normalized);

  /* 0/O and 1/I are not in the alphabet, so they cannot be confused. */
  g_assert_null (gremium_enrolment_code_normalize ("ABCD-EFGH-JK0M"));
  g_assert_null (gremium_enrolment_code_normalize ("ABCD-EFGH-JK"));
  g_assert_null (gremium_enrolment_code_normalize ("ABCD-EFGH-JKLMN"));
  g_assert_null (gremium_enrolment_code_normalize (""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Gremium/ServerConfig/example-loads", test_example_loads);
  g_test_add_func ("/Gremium/ServerConfig/bad", test_bad_configs);
  g_test_add_func ("/Gremium/ServerConfig/enrolment-codes", test_enrolment_codes);

  return g_test_run ();
}
