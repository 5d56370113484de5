/* test-statement.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "gremium-error.h"
#include "gremium-identity.h"
#include "gremium-statement.h"

static GremiumStatement *
make_statement (GremiumIdentity *identity)
{
  g_autoptr(JsonObject) data = json_object_new ();

  json_object_set_string_member (data, "text", "Guten Tag");
  return gremium_statement_build (identity, "chat.message", "m1", "alice",
                                  g_get_real_time (), data);
}

static void
test_pae_matches_dsse_spec (void)
{
  /* The example from the DSSE v1 protocol description. */
  g_autoptr(GBytes) payload = g_bytes_new_static ("hello world", 11);
  g_autoptr(GBytes) pae = gremium_pae_encode ("http://example.com/HelloWorld", payload);
  const char *expected = "DSSEv1 29 http://example.com/HelloWorld 11 hello world";
  gsize len;
  const char *data = g_bytes_get_data (pae, &len);

  g_assert_cmpmem (data, len, expected, strlen (expected));
}

static void
test_sign_and_verify (void)
{
  g_autoptr(GremiumIdentity) alice = gremium_identity_new ();
  g_autoptr(GremiumIdentity) mallory = gremium_identity_new ();
  g_autoptr(GremiumStatement) statement = make_statement (alice);
  g_autoptr(GremiumStatement) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;

  g_assert_true (gremium_statement_verify (statement, gremium_identity_get_public_key (alice),
                                           &error));
  g_assert_no_error (error);

  json = gremium_statement_to_json (statement);
  parsed = gremium_statement_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (gremium_statement_verify (parsed, gremium_identity_get_public_key (alice),
                                           &error));
  g_assert_true (gremium_statement_parse_body (parsed, &error));
  g_assert_cmpstr (gremium_statement_get_kind (parsed), ==, "chat.message");
  g_assert_cmpstr (gremium_statement_get_meeting_id (parsed), ==, "m1");
  g_assert_cmpstr (gremium_statement_get_author (parsed), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (gremium_statement_get_data (parsed), "text"),
                   ==, "Guten Tag");

  /* The serialization is canonical: parsing and writing again is stable. */
  json_again = gremium_statement_to_json (parsed);
  g_assert_cmpstr (json, ==, json_again);

  /* Another key does not verify, even when the envelope claims it. */
  g_assert_false (gremium_statement_verify (parsed, gremium_identity_get_public_key (mallory),
                                            &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE);

  g_assert_finalize_object (g_steal_pointer (&parsed));
  g_assert_finalize_object (g_steal_pointer (&statement));
}

static void
test_tampered_payload_fails (void)
{
  g_autoptr(GremiumIdentity) alice = gremium_identity_new ();
  g_autoptr(GremiumStatement) statement = make_statement (alice);
  g_autofree char *json = gremium_statement_to_json (statement);
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GremiumStatement) forged = NULL;
  g_autoptr(JsonObject) envelope = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *forged_payload_b64 = NULL;
  g_autofree char *forged_text = NULL;
  const char *original;
  gsize len;
  char *copy;

  /* Flip one character of the signed JSON (the chat text) and re-wrap. */
  payload = gremium_statement_get_payload (statement);
  g_bytes_ref (payload);
  original = g_bytes_get_data (payload, &len);
  copy = g_strndup (original, len);
  g_assert_nonnull (strstr (copy, "Guten Tag"));
  strstr (copy, "Guten Tag")[0] = 'H';
  forged_payload_b64 = gremium_base64_encode ((guint8 *) copy, len);
  g_free (copy);

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  envelope = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  json_object_set_string_member (envelope, "payload", forged_payload_b64);

  forged = gremium_statement_new_from_object (envelope, &error);
  g_assert_no_error (error);
  g_assert_false (gremium_statement_verify (forged, gremium_identity_get_public_key (alice),
                                            &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE);
}

static void
test_payload_type_is_bound (void)
{
  g_autoptr(GremiumIdentity) alice = gremium_identity_new ();
  g_autoptr(GremiumStatement) statement = make_statement (alice);
  g_autofree char *json = gremium_statement_to_json (statement);
  g_autoptr(GremiumStatement) relabelled = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *swapped = NULL;

  /* The same signature presented under another payload type must fail. */
  swapped = g_strjoinv (GREMIUM_PAYLOAD_TYPE_AUTH,
                        (char **) (const char *[]) { NULL, NULL });
  {
    g_auto(GStrv) parts = g_strsplit (json, GREMIUM_PAYLOAD_TYPE_STATEMENT, 2);
    g_free (swapped);
    swapped = g_strjoinv (GREMIUM_PAYLOAD_TYPE_AUTH, parts);
  }

  relabelled = gremium_statement_new_from_json (swapped, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gremium_statement_get_payload_type (relabelled), ==,
                   GREMIUM_PAYLOAD_TYPE_AUTH);
  g_assert_false (gremium_statement_verify (relabelled, gremium_identity_get_public_key (alice),
                                            &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE);
}

static void
test_malformed_envelopes (void)
{
  static const char * const bad[] = {
    "",
    "not json",
    "[]",
    "{\"payload\":\"e30=\",\"payloadType\":\"a\"}",
    "{\"payload\":\"e30=\",\"payloadType\":\"a\",\"signatures\":[]}",
    "{\"payload\":\"e30\",\"payloadType\":\"a\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"\"}]}",
    "{\"payload\":\"e30=\",\"payload\":\"e30=\",\"payloadType\":\"a\",\"signatures\":[]}",
    "{\"payload\":\"e30=\",\"payloadType\":\"a b\",\"signatures\":[]}",
    "{\"payload\":\"e30=\",\"payloadType\":\"a\",\"signatures\":[],\"extra\":1}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GremiumStatement) statement = gremium_statement_new_from_json (bad[i], -1, &error);

      g_test_message ("case %u: %s", i, error ? error->message : "(accepted)");
      g_assert_null (statement);
      g_assert_nonnull (error);
      g_assert_true (error->domain == GREMIUM_ERROR);
    }
}

static void
test_body_frame_is_strict (void)
{
  static const char * const bodies[] = {
    "{\"v\":2,\"kind\":\"x\",\"meeting\":\"m\",\"author\":\"a\",\"time\":\"2026-11-26T15:04:05.123Z\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"data\":{}}",
    "{\"v\":1,\"kind\":\"x\",\"meeting\":\"M!\",\"author\":\"a\",\"time\":\"2026-11-26T15:04:05.123Z\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"data\":{}}",
    "{\"v\":1,\"kind\":\"x\",\"meeting\":\"m\",\"author\":\"a\",\"time\":\"2026-11-26 15:04:05\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"data\":{}}",
    "{\"v\":1,\"kind\":\"x\",\"meeting\":\"m\",\"author\":\"a\",\"time\":\"2026-11-26T15:04:05.123Z\",\"nonce\":\"AAAA\",\"data\":{}}",
    "{\"v\":1,\"kind\":\"x\",\"meeting\":\"m\",\"author\":\"a\",\"time\":\"2026-11-26T15:04:05.123Z\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"data\":[]}",
    "{\"v\":1,\"kind\":\"x\",\"meeting\":\"m\",\"author\":\"a\",\"time\":\"2026-11-26T15:04:05.123Z\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"data\":{},\"more\":1}",
    "{\"v\":1,\"kind\":\"x\",\"kind\":\"y\",\"meeting\":\"m\",\"author\":\"a\",\"time\":\"2026-11-26T15:04:05.123Z\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"data\":{}}",
  };
  g_autoptr(GremiumIdentity) alice = gremium_identity_new ();

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) payload = g_bytes_new_static (bodies[i], strlen (bodies[i]));
      g_autoptr(GremiumStatement) statement =
        gremium_statement_new_signed (alice, GREMIUM_PAYLOAD_TYPE_STATEMENT, payload);
      g_autoptr(GError) error = NULL;

      g_assert_false (gremium_statement_parse_body (statement, &error));
      g_test_message ("case %u: %s", i, error->message);
      g_assert_true (error->domain == GREMIUM_ERROR);
    }
}

static void
test_base64_is_strict (void)
{
  guint8 out[4];
  g_autoptr(GError) error = NULL;

  g_assert_true (gremium_base64_decode_exact ("AAECAw==", out, 4, &error));
  g_assert_cmpint (out[3], ==, 3);
  g_assert_false (gremium_base64_decode_exact ("AAECAw=", out, 4, NULL));
  g_assert_false (gremium_base64_decode_exact ("AAECAx==", out, 4, NULL));
  g_assert_false (gremium_base64_decode_exact ("AAEC Aw==", out, 4, NULL));
  g_assert_false (gremium_base64_decode_exact ("AAECAwQ=", out, 4, NULL));
  g_assert_false (gremium_base64_decode_exact ("AAECAw==\n", out, 4, NULL));
}

static void
test_time_format_roundtrip (void)
{
  gint64 now = g_get_real_time () / 1000 * 1000;
  g_autofree char *text = gremium_time_format (now);
  gint64 parsed = 0;

  g_assert_true (gremium_time_parse (text, &parsed));
  g_assert_cmpint (parsed, ==, now);
  g_assert_true (gremium_time_parse ("2026-11-26T15:04:05.123Z", &parsed));
  g_assert_cmpint (parsed, ==, G_GINT64_CONSTANT (1795705445123000));
  g_assert_false (gremium_time_parse ("2026-11-26T15:04:05Z", &parsed));
  g_assert_false (gremium_time_parse ("2026-13-26T15:04:05.123Z", &parsed));
  g_assert_false (gremium_time_parse ("2026-11-26T15:04:05.123+01:00", &parsed));
}

static void
test_fingerprint_format (void)
{
  guint8 seed[GREMIUM_SEED_SIZE] = { 0 };
  g_autoptr(GremiumIdentity) identity = gremium_identity_new_from_seed (seed);
  g_autoptr(GremiumIdentity) again = gremium_identity_new_from_seed (seed);
  g_autoptr(GremiumIdentity) other = gremium_identity_new ();
  g_autofree char *fingerprint = gremium_identity_dup_fingerprint (identity);
  g_autofree char *fingerprint_again = gremium_identity_dup_fingerprint (again);
  g_autofree char *fingerprint_other = gremium_identity_dup_fingerprint (other);

  g_assert_cmpuint (strlen (fingerprint), ==, 35);
  for (guint i = 0; i < 35; i++)
    g_assert_true ((i % 6 == 5) ? fingerprint[i] == ' ' : g_ascii_isdigit (fingerprint[i]));
  g_assert_cmpstr (fingerprint, ==, fingerprint_again);
  g_assert_cmpstr (fingerprint, !=, fingerprint_other);
  g_assert_true (gremium_public_key_is_valid (gremium_identity_get_public_key (identity)));
}

static void
test_identity_files (void)
{
  g_autoptr(GremiumIdentity) identity = gremium_identity_new ();
  g_autoptr(GremiumIdentity) loaded = NULL;
  g_autoptr(GremiumIdentity) decrypted = NULL;
  g_autoptr(GremiumIdentity) wrong = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gremium-test-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "server.key", NULL);
  g_autofree char *sealed = g_build_filename (dir, "device.key", NULL);
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_true (gremium_identity_save (identity, plain, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (plain, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  loaded = gremium_identity_load (plain, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (gremium_identity_get_public_key (loaded), 32,
                   gremium_identity_get_public_key (identity), 32);

  g_assert_true (gremium_identity_save_encrypted (identity, sealed, "correct horse", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (sealed, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "Seed"));

  wrong = gremium_identity_load_encrypted (sealed, "wrong horse", &error);
  g_assert_null (wrong);
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);

  decrypted = gremium_identity_load_encrypted (sealed, "correct horse", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (gremium_identity_get_public_key (decrypted), 32,
                   gremium_identity_get_public_key (identity), 32);

  /* A damaged public key line is detected instead of yielding another key. */
  g_assert_true (g_file_set_contents (plain,
                                      "[Gremium Identity]\nVersion=1\nFormat=plain\n"
                                      "Seed=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
                                      "PublicKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
                                      -1, NULL));
  g_clear_object (&loaded);
  loaded = gremium_identity_load (plain, &error);
  g_assert_null (loaded);
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_MALFORMED);

  g_unlink (plain);
  g_unlink (sealed);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Gremium/Statement/pae", test_pae_matches_dsse_spec);
  g_test_add_func ("/Gremium/Statement/sign-verify", test_sign_and_verify);
  g_test_add_func ("/Gremium/Statement/tampered", test_tampered_payload_fails);
  g_test_add_func ("/Gremium/Statement/payload-type-bound", test_payload_type_is_bound);
  g_test_add_func ("/Gremium/Statement/malformed", test_malformed_envelopes);
  g_test_add_func ("/Gremium/Statement/body-strict", test_body_frame_is_strict);
  g_test_add_func ("/Gremium/Crypto/base64-strict", test_base64_is_strict);
  g_test_add_func ("/Gremium/Crypto/time", test_time_format_roundtrip);
  g_test_add_func ("/Gremium/Identity/fingerprint", test_fingerprint_format);
  g_test_add_func ("/Gremium/Identity/files", test_identity_files);

  return g_test_run ();
}
