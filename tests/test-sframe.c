/* test-sframe.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gremium-error.h"
#include "gremium-hkdf.h"
#include "gremium-sframe.h"
#include "gremium-sframe-private.h"

/* Every AES-GCM implementation the core can pick; the vectors run through
 * each one that works on this CPU, so the portable path is tested even on a
 * machine where the automatic choice is libsodium.
 */
static const GremiumAesGcmBackend backends[] = {
  GREMIUM_AES_GCM_BACKEND_AUTO,
  GREMIUM_AES_GCM_BACKEND_SODIUM,
  GREMIUM_AES_GCM_BACKEND_NETTLE,
};

static const char * const backend_names[] = { "auto", "libsodium", "nettle" };

static const char *test_program;

static const guint8 test_key[32] = {
  0x6b, 0x65, 0x79, 0x20, 0x66, 0x6f, 0x72, 0x20, 0x74, 0x65, 0x73, 0x74, 0x73, 0x20, 0x6f, 0x6e,
  0x6c, 0x79, 0x2c, 0x20, 0x6e, 0x65, 0x76, 0x65, 0x72, 0x20, 0x69, 0x6e, 0x20, 0x75, 0x73, 0x65,
};

static const guint8 other_key[32] = {
  0x61, 0x6e, 0x6f, 0x74, 0x68, 0x65, 0x72, 0x20, 0x6b, 0x65, 0x79, 0x20, 0x66, 0x6f, 0x72, 0x20,
  0x74, 0x65, 0x73, 0x74, 0x73, 0x20, 0x6f, 0x6e, 0x6c, 0x79, 0x2c, 0x20, 0x6e, 0x65, 0x76, 0x65,
};

static gboolean
backend_usable (GremiumAesGcmBackend     backend,
                GremiumSFrameCipherSuite suite)
{
  gsize key_len = gremium_sframe_cipher_suite_get_key_size (suite);

  return _gremium_aes_gcm_backend_is_available (backend, key_len);
}

static guint8 *
hex_decode (const char *hex,
            gsize      *len)
{
  gsize hex_len = strlen (hex);
  guint8 *out;

  g_assert_cmpuint (hex_len % 2, ==, 0);
  out = g_malloc (hex_len / 2 + 1);

  for (gsize i = 0; i < hex_len / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      g_assert_cmpint (hi, >=, 0);
      g_assert_cmpint (lo, >=, 0);
      out[i] = (guint8) (hi << 4 | lo);
    }

  *len = hex_len / 2;
  return out;
}

static gboolean
contains (const guint8 *haystack,
          gsize         haystack_len,
          const guint8 *needle,
          gsize         needle_len)
{
  for (gsize i = 0; i + needle_len <= haystack_len; i++)
    if (memcmp (haystack + i, needle, needle_len) == 0)
      return TRUE;

  return FALSE;
}

static JsonNode *
load_json (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

/* KIDs and CTRs in the vectors go up to 2^64 - 1. json-glib 1.6 reads an
 * integer literal as a 64-bit unsigned value and stores it in a gint64, so
 * casting back gives the exact value; the header vectors would fail loudly
 * if that ever changed.
 */
static guint64
get_u64 (JsonObject *object,
         const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);

  return (guint64) json_node_get_int (node);
}

static guint8 *
get_hex (JsonObject *object,
         const char *member,
         gsize      *len)
{
  const char *hex = json_object_get_string_member (object, member);

  g_assert_nonnull (hex);
  return hex_decode (hex, len);
}

static GremiumSFrameSender *
make_sender (GremiumAesGcmBackend backend,
             guint64              kid,
             const guint8        *key,
             gsize                key_len)
{
  GremiumSFrameSender *sender;
  g_autoptr(GError) error = NULL;

  sender = _gremium_sframe_sender_new_with_backend (GREMIUM_SFRAME_AES_256_GCM_SHA512_128,
                                                    backend);
  g_assert_true (gremium_sframe_sender_set_key (sender, kid, key, key_len, &error));
  g_assert_no_error (error);

  return sender;
}

static GremiumSFrameReceiver *
make_receiver (GremiumAesGcmBackend backend,
               guint64              kid,
               const guint8        *key,
               gsize                key_len)
{
  GremiumSFrameReceiver *receiver;
  g_autoptr(GError) error = NULL;

  receiver = _gremium_sframe_receiver_new_with_backend (GREMIUM_SFRAME_AES_256_GCM_SHA512_128,
                                                        backend);
  g_assert_true (gremium_sframe_receiver_add_key (receiver, kid, key, key_len, &error));
  g_assert_no_error (error);

  return receiver;
}

/* Protects @pt with CTR @ctr and returns the SFrame ciphertext. */
static guint8 *
protect_at (GremiumSFrameSender *sender,
            guint64              ctr,
            const guint8        *metadata,
            gsize                metadata_len,
            const guint8        *pt,
            gsize                pt_len,
            gsize               *len)
{
  gsize size = pt_len + GREMIUM_SFRAME_MAX_OVERHEAD;
  guint8 *out = g_malloc (size);

  _gremium_sframe_sender_set_counter (sender, ctr);
  g_assert_cmpint (gremium_sframe_sender_protect (sender, metadata, metadata_len, pt, pt_len,
                                                  out, size, len),
                   ==, GREMIUM_SFRAME_OK);
  return out;
}

static GremiumSFrameStatus
unprotect (GremiumSFrameReceiver *receiver,
           const guint8          *metadata,
           gsize                  metadata_len,
           const guint8          *data,
           gsize                  len)
{
  g_autofree guint8 *out = g_malloc (len + 1);
  gsize out_len = 0;

  return gremium_sframe_receiver_unprotect (receiver, metadata, metadata_len, data, len,
                                            out, len + 1, &out_len, NULL);
}

static void
test_hkdf_sha512_wycheproof (void)
{
  g_autoptr(JsonNode) root = load_json ("hkdf-sha512-wycheproof.json");
  JsonObject *doc = json_node_get_object (root);
  JsonArray *tests = json_object_get_array_member (doc, "tests");
  JsonArray *prefix_tests = json_object_get_array_member (doc, "prefixTests");
  guint n_valid = 0;
  guint n_invalid = 0;

  g_assert_cmpstr (json_object_get_string_member (doc, "algorithm"), ==, "HKDF-SHA-512");

  for (guint i = 0; i < json_array_get_length (tests); i++)
    {
      JsonObject *test = json_array_get_object_element (tests, i);
      gsize ikm_len, salt_len, info_len, okm_len;
      g_autofree guint8 *ikm = get_hex (test, "ikm", &ikm_len);
      g_autofree guint8 *salt = get_hex (test, "salt", &salt_len);
      g_autofree guint8 *info = get_hex (test, "info", &info_len);
      g_autofree guint8 *expected = get_hex (test, "okm", &okm_len);
      gsize size = json_object_get_int_member (test, "size");
      g_autofree guint8 *okm = g_malloc0 (size);
      gboolean ok;

      g_test_message ("tcId %" G_GINT64_FORMAT, json_object_get_int_member (test, "tcId"));
      ok = gremium_hkdf (GREMIUM_HKDF_SHA512, salt, salt_len, ikm, ikm_len, info, info_len,
                         okm, size);

      if (g_str_equal (json_object_get_string_member (test, "result"), "valid"))
        {
          g_assert_true (ok);
          g_assert_cmpmem (okm, size, expected, okm_len);
          n_valid++;
        }
      else
        {
          g_assert_false (ok);
          n_invalid++;
        }
    }

  for (guint i = 0; i < json_array_get_length (prefix_tests); i++)
    {
      JsonObject *test = json_array_get_object_element (prefix_tests, i);
      gsize ikm_len, salt_len, info_len, prefix_len;
      g_autofree guint8 *ikm = get_hex (test, "ikm", &ikm_len);
      g_autofree guint8 *salt = get_hex (test, "salt", &salt_len);
      g_autofree guint8 *info = get_hex (test, "info", &info_len);
      g_autofree guint8 *prefix = get_hex (test, "okm", &prefix_len);
      gsize full_size = json_object_get_int_member (test, "fullSize");
      g_autofree guint8 *full = g_malloc0 (full_size);
      g_autofree guint8 *part = g_malloc0 (prefix_len);

      /* Both the maximal output and a multi-block prefix of it. */
      g_assert_true (gremium_hkdf (GREMIUM_HKDF_SHA512, salt, salt_len, ikm, ikm_len,
                                   info, info_len, full, full_size));
      g_assert_cmpmem (full, prefix_len, prefix, prefix_len);
      g_assert_true (gremium_hkdf (GREMIUM_HKDF_SHA512, salt, salt_len, ikm, ikm_len,
                                   info, info_len, part, prefix_len));
      g_assert_cmpmem (part, prefix_len, prefix, prefix_len);
      n_valid++;
    }

  g_assert_cmpuint (n_valid, ==, 31);
  g_assert_cmpuint (n_invalid, ==, 1);
}

static void
test_hkdf_sha256_rfc5869 (void)
{
  g_autoptr(JsonNode) root = load_json ("hkdf-sha256-rfc5869.json");
  JsonArray *tests = json_object_get_array_member (json_node_get_object (root), "tests");

  g_assert_cmpuint (json_array_get_length (tests), ==, 3);

  for (guint i = 0; i < json_array_get_length (tests); i++)
    {
      JsonObject *test = json_array_get_object_element (tests, i);
      gsize ikm_len, salt_len, info_len, prk_len, okm_len;
      g_autofree guint8 *ikm = get_hex (test, "ikm", &ikm_len);
      g_autofree guint8 *salt = get_hex (test, "salt", &salt_len);
      g_autofree guint8 *info = get_hex (test, "info", &info_len);
      g_autofree guint8 *expected_prk = get_hex (test, "prk", &prk_len);
      g_autofree guint8 *expected_okm = get_hex (test, "okm", &okm_len);
      guint8 prk[GREMIUM_HKDF_MAX_HASH_SIZE];
      g_autofree guint8 *okm = g_malloc0 (okm_len);

      g_test_message ("RFC 5869 %s", json_object_get_string_member (test, "case"));
      gremium_hkdf_extract (GREMIUM_HKDF_SHA256, salt, salt_len, ikm, ikm_len, prk);
      g_assert_cmpmem (prk, gremium_hkdf_hash_get_size (GREMIUM_HKDF_SHA256),
                       expected_prk, prk_len);
      g_assert_true (gremium_hkdf_expand (GREMIUM_HKDF_SHA256, prk, prk_len, info, info_len,
                                          okm, okm_len));
      g_assert_cmpmem (okm, okm_len, expected_okm, okm_len);
    }
}

static void
test_hkdf_output_limit (void)
{
  static const GremiumHkdfHash hashes[] = { GREMIUM_HKDF_SHA256, GREMIUM_HKDF_SHA512 };

  for (guint h = 0; h < G_N_ELEMENTS (hashes); h++)
    {
      gsize max = 255 * gremium_hkdf_hash_get_size (hashes[h]);
      g_autofree guint8 *okm = g_malloc (max + 1);
      guint8 prk[GREMIUM_HKDF_MAX_HASH_SIZE] = { 1 };

      g_assert_true (gremium_hkdf_expand (hashes[h], prk, sizeof prk, NULL, 0, okm, max));

      /* One byte more than the RFC allows is refused and writes nothing. */
      memset (okm, 0xa5, max + 1);
      g_assert_false (gremium_hkdf_expand (hashes[h], prk, sizeof prk, NULL, 0, okm, max + 1));
      for (gsize i = 0; i < max + 1; i++)
        g_assert_cmpuint (okm[i], ==, 0xa5);
    }
}

static void
test_header_vectors (void)
{
  g_autoptr(JsonNode) root = load_json ("sframe-test-vectors.json");
  JsonArray *vectors = json_object_get_array_member (json_node_get_object (root), "header");

  /* RFC 9605 Appendix C.1: every combination of 17 KIDs and 17 CTRs. */
  g_assert_cmpuint (json_array_get_length (vectors), ==, 289);

  for (guint i = 0; i < json_array_get_length (vectors); i++)
    {
      JsonObject *vector = json_array_get_object_element (vectors, i);
      guint64 kid = get_u64 (vector, "kid");
      guint64 ctr = get_u64 (vector, "ctr");
      gsize expected_len;
      g_autofree guint8 *expected = get_hex (vector, "encoded", &expected_len);
      guint8 header[GREMIUM_SFRAME_MAX_HEADER_SIZE];
      guint64 parsed_kid = 0;
      guint64 parsed_ctr = 0;
      gsize parsed_len = 0;
      gsize len;

      len = gremium_sframe_header_encode (kid, ctr, header);
      g_assert_cmpmem (header, len, expected, expected_len);

      g_assert_cmpint (gremium_sframe_header_decode (expected, expected_len, &parsed_kid,
                                                     &parsed_ctr, &parsed_len),
                       ==, GREMIUM_SFRAME_OK);
      g_assert_cmpuint (parsed_kid, ==, kid);
      g_assert_cmpuint (parsed_ctr, ==, ctr);
      g_assert_cmpuint (parsed_len, ==, expected_len);

      /* Every shorter prefix ends inside the header. */
      for (gsize cut = 0; cut < expected_len; cut++)
        g_assert_cmpint (gremium_sframe_header_decode (expected, cut, NULL, NULL, NULL),
                         ==, GREMIUM_SFRAME_TRUNCATED);
    }
}

static void
test_key_derivation_vectors (void)
{
  g_autoptr(JsonNode) root = load_json ("sframe-test-vectors.json");
  JsonArray *vectors = json_object_get_array_member (json_node_get_object (root), "sframe");
  guint n_checked = 0;

  for (guint i = 0; i < json_array_get_length (vectors); i++)
    {
      JsonObject *vector = json_array_get_object_element (vectors, i);
      guint suite = get_u64 (vector, "cipher_suite");
      guint64 kid = get_u64 (vector, "kid");
      guint64 ctr = get_u64 (vector, "ctr");
      gsize base_key_len, key_label_len, salt_label_len, secret_len, key_len, salt_len, nonce_len;
      gsize metadata_len, aad_len;
      g_autofree guint8 *base_key = NULL;
      g_autofree guint8 *key_label = NULL;
      g_autofree guint8 *salt_label = NULL;
      g_autofree guint8 *expected_secret = NULL;
      g_autofree guint8 *expected_key = NULL;
      g_autofree guint8 *expected_salt = NULL;
      g_autofree guint8 *expected_nonce = NULL;
      g_autofree guint8 *metadata = NULL;
      g_autofree guint8 *expected_aad = NULL;
      guint8 label[GREMIUM_SFRAME_MAX_LABEL_SIZE];
      guint8 secret[GREMIUM_HKDF_MAX_HASH_SIZE];
      guint8 key[GREMIUM_SFRAME_MAX_KEY_SIZE];
      guint8 salt[GREMIUM_SFRAME_NONCE_SIZE];
      guint8 nonce[GREMIUM_SFRAME_NONCE_SIZE];
      guint8 aad[GREMIUM_SFRAME_MAX_HEADER_SIZE + 64];
      gsize len;

      /* Suites 1-3 (AES-CTR with HMAC) are not implemented; DESIGN §7. */
      if (!gremium_sframe_cipher_suite_is_supported (suite))
        {
          g_test_message ("skipping cipher suite %u", suite);
          continue;
        }

      base_key = get_hex (vector, "base_key", &base_key_len);
      key_label = get_hex (vector, "sframe_key_label", &key_label_len);
      salt_label = get_hex (vector, "sframe_salt_label", &salt_label_len);
      expected_secret = get_hex (vector, "sframe_secret", &secret_len);
      expected_key = get_hex (vector, "sframe_key", &key_len);
      expected_salt = get_hex (vector, "sframe_salt", &salt_len);
      expected_nonce = get_hex (vector, "nonce", &nonce_len);
      metadata = get_hex (vector, "metadata", &metadata_len);
      expected_aad = get_hex (vector, "aad", &aad_len);

      len = _gremium_sframe_key_label (suite, kid, label);
      g_assert_cmpmem (label, len, key_label, key_label_len);
      len = _gremium_sframe_salt_label (suite, kid, label);
      g_assert_cmpmem (label, len, salt_label, salt_label_len);

      g_assert_true (_gremium_sframe_derive (suite, kid, base_key, base_key_len,
                                             secret, key, salt));
      g_assert_cmpmem (secret, secret_len, expected_secret, secret_len);
      g_assert_cmpuint (secret_len, ==, suite == GREMIUM_SFRAME_AES_256_GCM_SHA512_128 ? 64 : 32);
      g_assert_cmpmem (key, gremium_sframe_cipher_suite_get_key_size (suite),
                       expected_key, key_len);
      g_assert_cmpmem (salt, sizeof salt, expected_salt, salt_len);

      _gremium_sframe_nonce (salt, ctr, nonce);
      g_assert_cmpmem (nonce, sizeof nonce, expected_nonce, nonce_len);

      /* AAD = header || metadata */
      len = gremium_sframe_header_encode (kid, ctr, aad);
      g_assert_cmpuint (len + metadata_len, <=, sizeof aad);
      memcpy (aad + len, metadata, metadata_len);
      g_assert_cmpmem (aad, len + metadata_len, expected_aad, aad_len);

      n_checked++;
    }

  g_assert_cmpuint (n_checked, ==, 2);
}

static void
test_encryption_vectors (void)
{
  g_autoptr(JsonNode) root = load_json ("sframe-test-vectors.json");
  JsonArray *vectors = json_object_get_array_member (json_node_get_object (root), "sframe");
  guint n_checked = 0;

  for (guint i = 0; i < json_array_get_length (vectors); i++)
    {
      JsonObject *vector = json_array_get_object_element (vectors, i);
      guint suite = get_u64 (vector, "cipher_suite");
      guint64 kid = get_u64 (vector, "kid");
      guint64 ctr = get_u64 (vector, "ctr");
      gsize base_key_len, metadata_len, pt_len, ct_len;
      g_autofree guint8 *base_key = NULL;
      g_autofree guint8 *metadata = NULL;
      g_autofree guint8 *pt = NULL;
      g_autofree guint8 *ct = NULL;

      if (!gremium_sframe_cipher_suite_is_supported (suite))
        continue;

      base_key = get_hex (vector, "base_key", &base_key_len);
      metadata = get_hex (vector, "metadata", &metadata_len);
      pt = get_hex (vector, "pt", &pt_len);
      ct = get_hex (vector, "ct", &ct_len);

      g_test_message ("suite %u: %s", suite, gremium_sframe_cipher_suite_get_implementation (suite));

      for (guint b = 0; b < G_N_ELEMENTS (backends); b++)
        {
          g_autoptr(GremiumSFrameSender) sender = NULL;
          g_autoptr(GremiumSFrameReceiver) receiver = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree guint8 *out = g_malloc0 (pt_len + GREMIUM_SFRAME_MAX_OVERHEAD);
          g_autofree guint8 *plain = g_malloc0 (ct_len);
          GremiumSFrameStats stats;
          gsize out_len = 0;
          guint64 out_kid = 0;

          if (!backend_usable (backends[b], suite))
            {
              g_test_message ("suite %u: %s is not available here", suite, backend_names[b]);
              continue;
            }

          sender = _gremium_sframe_sender_new_with_backend (suite, backends[b]);
          g_assert_true (gremium_sframe_sender_set_key (sender, kid, base_key, base_key_len,
                                                        &error));
          g_assert_no_error (error);
          _gremium_sframe_sender_set_counter (sender, ctr);
          g_assert_cmpint (gremium_sframe_sender_protect (sender, metadata, metadata_len,
                                                          pt, pt_len, out,
                                                          pt_len + GREMIUM_SFRAME_MAX_OVERHEAD,
                                                          &out_len),
                           ==, GREMIUM_SFRAME_OK);
          g_assert_cmpmem (out, out_len, ct, ct_len);

          receiver = _gremium_sframe_receiver_new_with_backend (suite, backends[b]);
          g_assert_true (gremium_sframe_receiver_add_key (receiver, kid, base_key, base_key_len,
                                                          &error));
          g_assert_no_error (error);
          g_assert_cmpint (gremium_sframe_receiver_unprotect (receiver, metadata, metadata_len,
                                                              ct, ct_len, plain, ct_len,
                                                              &out_len, &out_kid),
                           ==, GREMIUM_SFRAME_OK);
          g_assert_cmpmem (plain, out_len, pt, pt_len);
          g_assert_cmpuint (out_kid, ==, kid);

          gremium_sframe_receiver_get_stats (receiver, &stats);
          g_assert_cmpuint (stats.accepted, ==, 1);
          n_checked++;
        }
    }

  /* At least AUTO and nettle for each of the two suites. */
  g_assert_cmpuint (n_checked, >=, 4);
}

/* Every single-bit change of anything authenticated must be rejected, in
 * the header, the ciphertext, the tag and the metadata; afterwards the
 * untouched packet must still be accepted, so no rejection moved the window.
 */
static void
test_bit_flips (void)
{
  static const guint8 metadata[] = {
    0x80, 0xe0, 0x12, 0x34, 0x00, 0x00, 0x56, 0x78, 0xca, 0xfe, 0xba, 0xbe, 0x90, 0x80, 0x2a,
  };
  guint8 pt[64];

  for (gsize i = 0; i < sizeof pt; i++)
    pt[i] = (guint8) i;

  for (guint b = 0; b < G_N_ELEMENTS (backends); b++)
    {
      g_autoptr(GremiumSFrameSender) sender = NULL;
      g_autoptr(GremiumSFrameReceiver) receiver = NULL;
      g_autofree guint8 *packet = NULL;
      g_autofree guint8 *copy = NULL;
      guint8 meta_copy[sizeof metadata];
      GremiumSFrameStats stats;
      gsize len;
      guint n_flips = 0;

      if (!backend_usable (backends[b], GREMIUM_SFRAME_AES_256_GCM_SHA512_128))
        continue;

      sender = make_sender (backends[b], 0x123, test_key, sizeof test_key);
      receiver = make_receiver (backends[b], 0x123, test_key, sizeof test_key);
      packet = protect_at (sender, 0x4567, metadata, sizeof metadata, pt, sizeof pt, &len);
      copy = g_memdup2 (packet, len);

      for (gsize bit = 0; bit < len * 8; bit++)
        {
          GremiumSFrameStatus status;

          copy[bit / 8] ^= 1 << (bit % 8);
          status = unprotect (receiver, metadata, sizeof metadata, copy, len);
          copy[bit / 8] ^= 1 << (bit % 8);

          if (status == GREMIUM_SFRAME_OK)
            g_error ("%s: flipping bit %" G_GSIZE_FORMAT " was accepted", backend_names[b], bit);
          n_flips++;
        }

      memcpy (meta_copy, metadata, sizeof metadata);
      for (gsize bit = 0; bit < sizeof metadata * 8; bit++)
        {
          meta_copy[bit / 8] ^= 1 << (bit % 8);
          g_assert_cmpint (unprotect (receiver, meta_copy, sizeof meta_copy, packet, len),
                           ==, GREMIUM_SFRAME_AUTH_FAILED);
          meta_copy[bit / 8] ^= 1 << (bit % 8);
          n_flips++;
        }

      /* Missing or extra metadata is a change as well. */
      g_assert_cmpint (unprotect (receiver, NULL, 0, packet, len), ==, GREMIUM_SFRAME_AUTH_FAILED);
      g_assert_cmpint (unprotect (receiver, metadata, sizeof metadata - 1, packet, len),
                       ==, GREMIUM_SFRAME_AUTH_FAILED);

      gremium_sframe_receiver_get_stats (receiver, &stats);
      g_assert_cmpuint (stats.accepted, ==, 0);
      g_assert_cmpuint (stats.auth_failed + stats.unknown_kid + stats.malformed + stats.truncated,
                        ==, n_flips + 2);
      g_assert_cmpuint (stats.auth_failed, >=, (len - 5) * 8 + sizeof metadata * 8 + 2);

      g_assert_cmpint (unprotect (receiver, metadata, sizeof metadata, packet, len),
                       ==, GREMIUM_SFRAME_OK);
    }
}

static void
test_truncated (void)
{
  static const guint8 pt[] = "a short frame";
  g_autoptr(GremiumSFrameSender) sender = make_sender (GREMIUM_AES_GCM_BACKEND_AUTO, 9,
                                                       test_key, sizeof test_key);
  g_autoptr(GremiumSFrameReceiver) receiver = make_receiver (GREMIUM_AES_GCM_BACKEND_AUTO, 9,
                                                             test_key, sizeof test_key);
  g_autofree guint8 *packet = NULL;
  GremiumSFrameStats stats;
  gsize header_len;
  gsize len;

  packet = protect_at (sender, 300, NULL, 0, pt, sizeof pt, &len);
  g_assert_cmpint (gremium_sframe_header_decode (packet, len, NULL, NULL, &header_len),
                   ==, GREMIUM_SFRAME_OK);
  g_assert_cmpuint (header_len, ==, 4);

  for (gsize cut = 0; cut < len; cut++)
    {
      GremiumSFrameStatus status = unprotect (receiver, NULL, 0, packet, cut);

      /* Too short for header and tag: truncated. Long enough, but cut in
       * the payload: the tag is read from the wrong place and fails.
       */
      if (cut < header_len + GREMIUM_SFRAME_TAG_SIZE)
        g_assert_cmpint (status, ==, GREMIUM_SFRAME_TRUNCATED);
      else
        g_assert_cmpint (status, ==, GREMIUM_SFRAME_AUTH_FAILED);
    }

  gremium_sframe_receiver_get_stats (receiver, &stats);
  g_assert_cmpuint (stats.truncated, ==, header_len + GREMIUM_SFRAME_TAG_SIZE);
  g_assert_cmpuint (stats.auth_failed, ==, len - header_len - GREMIUM_SFRAME_TAG_SIZE);
  g_assert_cmpuint (stats.accepted, ==, 0);

  g_assert_cmpint (unprotect (receiver, NULL, 0, packet, len), ==, GREMIUM_SFRAME_OK);
}

static void
test_unknown_kid (void)
{
  static const guint8 pt[] = "frame";
  g_autoptr(GremiumSFrameSender) sender = make_sender (GREMIUM_AES_GCM_BACKEND_AUTO, 7,
                                                       test_key, sizeof test_key);
  g_autoptr(GremiumSFrameReceiver) receiver = make_receiver (GREMIUM_AES_GCM_BACKEND_AUTO, 8,
                                                             test_key, sizeof test_key);
  g_autofree guint8 *packet = NULL;
  GremiumSFrameStats stats;
  gsize len;

  packet = protect_at (sender, 0, NULL, 0, pt, sizeof pt, &len);
  g_assert_cmpint (unprotect (receiver, NULL, 0, packet, len), ==, GREMIUM_SFRAME_UNKNOWN_KID);

  gremium_sframe_receiver_get_stats (receiver, &stats);
  g_assert_cmpuint (stats.unknown_kid, ==, 1);
  g_assert_cmpuint (stats.accepted, ==, 0);

  /* Once the key arrives the same packet decrypts: the caller may buffer. */
  g_assert_true (gremium_sframe_receiver_add_key (receiver, 7, test_key, sizeof test_key, NULL));
  g_assert_cmpint (unprotect (receiver, NULL, 0, packet, len), ==, GREMIUM_SFRAME_OK);
}

static void
test_replay (void)
{
  static const guint8 pt[] = "frame";
  g_autoptr(GremiumSFrameSender) sender = make_sender (GREMIUM_AES_GCM_BACKEND_AUTO, 1,
                                                       test_key, sizeof test_key);
  g_autoptr(GremiumSFrameReceiver) receiver = make_receiver (GREMIUM_AES_GCM_BACKEND_AUTO, 1,
                                                             test_key, sizeof test_key);
  const guint64 W = GREMIUM_SFRAME_REPLAY_WINDOW;
  g_autofree guint8 *p0 = NULL;
  g_autofree guint8 *p5 = NULL;
  g_autofree guint8 *p3 = NULL;
  g_autofree guint8 *p_far = NULL;
  g_autofree guint8 *p_edge = NULL;
  g_autofree guint8 *p_behind = NULL;
  GremiumSFrameStats stats;
  gsize len0, len5, len3, len_far, len_edge, len_behind;

  p0 = protect_at (sender, 0, NULL, 0, pt, sizeof pt, &len0);
  p5 = protect_at (sender, 5, NULL, 0, pt, sizeof pt, &len5);
  p3 = protect_at (sender, 3, NULL, 0, pt, sizeof pt, &len3);
  p_far = protect_at (sender, 5 + W, NULL, 0, pt, sizeof pt, &len_far);
  p_edge = protect_at (sender, 6, NULL, 0, pt, sizeof pt, &len_edge);
  p_behind = protect_at (sender, 5, NULL, 0, pt, sizeof pt, &len_behind);

  g_assert_cmpint (unprotect (receiver, NULL, 0, p0, len0), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (unprotect (receiver, NULL, 0, p0, len0), ==, GREMIUM_SFRAME_REPLAYED);
  g_assert_cmpint (unprotect (receiver, NULL, 0, p5, len5), ==, GREMIUM_SFRAME_OK);

  /* Out of order but inside the window: accepted once. */
  g_assert_cmpint (unprotect (receiver, NULL, 0, p3, len3), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (unprotect (receiver, NULL, 0, p3, len3), ==, GREMIUM_SFRAME_REPLAYED);
  g_assert_cmpint (unprotect (receiver, NULL, 0, p5, len5), ==, GREMIUM_SFRAME_REPLAYED);

  /* Jumping a whole window ahead: CTR 5 is now exactly W behind, too old
   * to tell; CTR 6 is the oldest one the window still covers.
   */
  g_assert_cmpint (unprotect (receiver, NULL, 0, p_far, len_far), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (unprotect (receiver, NULL, 0, p_behind, len_behind), ==, GREMIUM_SFRAME_TOO_OLD);
  g_assert_cmpint (unprotect (receiver, NULL, 0, p0, len0), ==, GREMIUM_SFRAME_TOO_OLD);
  g_assert_cmpint (unprotect (receiver, NULL, 0, p_edge, len_edge), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (unprotect (receiver, NULL, 0, p_edge, len_edge), ==, GREMIUM_SFRAME_REPLAYED);
  g_assert_cmpint (unprotect (receiver, NULL, 0, p_far, len_far), ==, GREMIUM_SFRAME_REPLAYED);

  gremium_sframe_receiver_get_stats (receiver, &stats);
  g_assert_cmpuint (stats.accepted, ==, 5);
  g_assert_cmpuint (stats.replayed, ==, 5);
  g_assert_cmpuint (stats.too_old, ==, 2);
  g_assert_cmpuint (stats.auth_failed, ==, 0);
}

/* A forged packet with a far-ahead CTR must not move the window: otherwise
 * one forgery would make every genuine packet look too old.
 */
static void
test_forgery_keeps_window (void)
{
  static const guint8 pt[] = "frame";
  g_autoptr(GremiumSFrameSender) sender = make_sender (GREMIUM_AES_GCM_BACKEND_AUTO, 1,
                                                       test_key, sizeof test_key);
  g_autoptr(GremiumSFrameSender) forger = make_sender (GREMIUM_AES_GCM_BACKEND_AUTO, 1,
                                                       other_key, sizeof other_key);
  g_autoptr(GremiumSFrameReceiver) receiver = make_receiver (GREMIUM_AES_GCM_BACKEND_AUTO, 1,
                                                             test_key, sizeof test_key);
  g_autofree guint8 *genuine = NULL;
  g_autofree guint8 *forged = NULL;
  gsize genuine_len, forged_len;

  genuine = protect_at (sender, 10, NULL, 0, pt, sizeof pt, &genuine_len);
  forged = protect_at (forger, 1000000, NULL, 0, pt, sizeof pt, &forged_len);

  g_assert_cmpint (unprotect (receiver, NULL, 0, forged, forged_len), ==, GREMIUM_SFRAME_AUTH_FAILED);
  g_assert_cmpint (unprotect (receiver, NULL, 0, genuine, genuine_len), ==, GREMIUM_SFRAME_OK);
}

/* The window against a plain model: a set of accepted CTRs and their
 * maximum, over a long random sequence with reordering, duplicates and
 * jumps of more than a window.
 */
static void
test_replay_window_model (void)
{
  static const guint8 pt[] = "x";
  const guint64 W = GREMIUM_SFRAME_REPLAY_WINDOW;
  g_autoptr(GremiumSFrameSender) sender = make_sender (GREMIUM_AES_GCM_BACKEND_AUTO, 2,
                                                       test_key, sizeof test_key);
  g_autoptr(GremiumSFrameReceiver) receiver = make_receiver (GREMIUM_AES_GCM_BACKEND_AUTO, 2,
                                                             test_key, sizeof test_key);
  g_autoptr(GHashTable) accepted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gboolean seen = FALSE;
  guint64 top = 0;
  guint64 base = 0;
  guint n_ok = 0, n_replayed = 0, n_old = 0;

  for (guint step = 0; step < 20000; step++)
    {
      GremiumSFrameStatus expected;
      GremiumSFrameStatus status;
      g_autofree guint8 *packet = NULL;
      guint64 ctr;
      gsize len;
      guint dice = g_test_rand_int_range (0, 100);
      guint64 behind = g_test_rand_int_range (0, (gint32) W + 64);

      if (dice < 2)
        base += g_test_rand_int_range ((gint32) W, (gint32) (3 * W));   /* a long gap */
      else if (dice < 60)
        base += 1;                                                  /* in order */

      if (dice >= 60 && dice < 97)
        ctr = base - MIN (base, behind);                            /* late or repeated */
      else
        ctr = base + g_test_rand_int_range (0, 4);                  /* slightly early */

      if (seen && ctr <= top && top - ctr >= W)
        expected = GREMIUM_SFRAME_TOO_OLD;
      else if (g_hash_table_contains (accepted, &ctr))
        expected = GREMIUM_SFRAME_REPLAYED;
      else
        expected = GREMIUM_SFRAME_OK;

      packet = protect_at (sender, ctr, NULL, 0, pt, sizeof pt, &len);
      status = unprotect (receiver, NULL, 0, packet, len);
      if (status != expected)
        g_error ("step %u, ctr %" G_GUINT64_FORMAT ", top %" G_GUINT64_FORMAT ": got %s, expected %s",
                 step, ctr, top, gremium_sframe_status_to_string (status),
                 gremium_sframe_status_to_string (expected));

      if (status == GREMIUM_SFRAME_OK)
        {
          g_hash_table_add (accepted, g_memdup2 (&ctr, sizeof ctr));
          top = seen ? MAX (top, ctr) : ctr;
          seen = TRUE;
          n_ok++;
        }
      else if (status == GREMIUM_SFRAME_REPLAYED)
        n_replayed++;
      else
        n_old++;
    }

  g_test_message ("accepted %u, replayed %u, too old %u", n_ok, n_replayed, n_old);
  g_assert_cmpuint (n_ok, >, 1000);
  g_assert_cmpuint (n_replayed, >, 100);
  g_assert_cmpuint (n_old, >, 100);
}

static void
test_non_minimal_header (void)
{
  static const struct {
    const char *hex;
    GremiumSFrameStatus status;
  } cases[] = {
    { "8005", GREMIUM_SFRAME_MALFORMED },           /* KID 5 in an extra byte */
    { "9000ff", GREMIUM_SFRAME_MALFORMED },         /* KID 255 in two bytes */
    { "0803", GREMIUM_SFRAME_MALFORMED },           /* CTR 3 in an extra byte */
    { "090001", GREMIUM_SFRAME_MALFORMED },         /* CTR 1 in two bytes */
    { "ff00000000000000000000000000000001", GREMIUM_SFRAME_MALFORMED },
    { "80", GREMIUM_SFRAME_TRUNCATED },
    { "9f0100ffffffffffffff", GREMIUM_SFRAME_TRUNCATED },
    { "8008", GREMIUM_SFRAME_OK },                  /* KID 8: the smallest extended one */
    { "0808", GREMIUM_SFRAME_OK },
    { "77", GREMIUM_SFRAME_OK },
  };
  g_autoptr(JsonNode) root = load_json ("sframe-test-vectors.json");
  JsonObject *vector = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (root), "sframe"), 4);
  g_autoptr(GremiumSFrameReceiver) receiver = NULL;
  GremiumSFrameStats stats;
  gsize base_key_len, metadata_len, ct_len;
  g_autofree guint8 *base_key = get_hex (vector, "base_key", &base_key_len);
  g_autofree guint8 *metadata = get_hex (vector, "metadata", &metadata_len);
  g_autofree guint8 *ct = get_hex (vector, "ct", &ct_len);
  g_autofree guint8 *reencoded = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len;
      g_autofree guint8 *header = hex_decode (cases[i].hex, &len);

      g_test_message ("header %s", cases[i].hex);
      g_assert_cmpint (gremium_sframe_header_decode (header, len, NULL, NULL, NULL),
                       ==, cases[i].status);
    }

  /* The RFC's suite 5 vector (KID 0x123, CTR 0x4567) with its header
   * re-encoded as KID in three bytes 00 01 23: the same numbers, a second
   * shape on the wire. It must fail before any key is involved.
   */
  g_assert_cmpuint (get_u64 (vector, "cipher_suite"), ==, GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
  receiver = _gremium_sframe_receiver_new_with_backend (GREMIUM_SFRAME_AES_256_GCM_SHA512_128,
                                                        GREMIUM_AES_GCM_BACKEND_AUTO);
  g_assert_true (gremium_sframe_receiver_add_key (receiver, 0x123, base_key, base_key_len, NULL));

  g_assert_cmpuint (ct[0], ==, 0x99);
  reencoded = g_malloc (ct_len + 1);
  reencoded[0] = 0xa9;
  reencoded[1] = 0x00;
  memcpy (reencoded + 2, ct + 1, ct_len - 1);
  g_assert_cmpint (unprotect (receiver, metadata, metadata_len, reencoded, ct_len + 1),
                   ==, GREMIUM_SFRAME_MALFORMED);

  gremium_sframe_receiver_get_stats (receiver, &stats);
  g_assert_cmpuint (stats.malformed, ==, 1);

  g_assert_cmpint (unprotect (receiver, metadata, metadata_len, ct, ct_len), ==, GREMIUM_SFRAME_OK);
}

static void
test_key_removal (void)
{
  static const guint8 pt[] = "frame";
  g_autoptr(GremiumSFrameSender) sender = make_sender (GREMIUM_AES_GCM_BACKEND_AUTO, 42,
                                                       test_key, sizeof test_key);
  g_autoptr(GremiumSFrameReceiver) receiver = make_receiver (GREMIUM_AES_GCM_BACKEND_AUTO, 42,
                                                             test_key, sizeof test_key);
  g_autofree guint8 *p1 = NULL;
  g_autofree guint8 *p2 = NULL;
  g_autofree guint8 *p3 = NULL;
  GremiumSFrameStats stats;
  gsize len1, len2, len3;

  p1 = protect_at (sender, 1, NULL, 0, pt, sizeof pt, &len1);
  p2 = protect_at (sender, 2, NULL, 0, pt, sizeof pt, &len2);
  p3 = protect_at (sender, 3, NULL, 0, pt, sizeof pt, &len3);

  g_assert_cmpint (unprotect (receiver, NULL, 0, p1, len1), ==, GREMIUM_SFRAME_OK);

  /* Adding the same key again keeps the window: the replay is still caught. */
  g_assert_true (gremium_sframe_receiver_add_key (receiver, 42, test_key, sizeof test_key, NULL));
  g_assert_cmpint (unprotect (receiver, NULL, 0, p1, len1), ==, GREMIUM_SFRAME_REPLAYED);

  g_assert_true (gremium_sframe_receiver_remove_key (receiver, 42));
  g_assert_false (gremium_sframe_receiver_has_key (receiver, 42));
  g_assert_false (gremium_sframe_receiver_remove_key (receiver, 42));
  g_assert_cmpint (unprotect (receiver, NULL, 0, p2, len2), ==, GREMIUM_SFRAME_UNKNOWN_KID);

  /* Another key under the same KID: the old key's packets fail. */
  g_assert_true (gremium_sframe_receiver_add_key (receiver, 42, other_key, sizeof other_key, NULL));
  g_assert_true (gremium_sframe_receiver_has_key (receiver, 42));
  g_assert_cmpint (unprotect (receiver, NULL, 0, p3, len3), ==, GREMIUM_SFRAME_AUTH_FAILED);

  gremium_sframe_receiver_get_stats (receiver, &stats);
  g_assert_cmpuint (stats.accepted, ==, 1);
  g_assert_cmpuint (stats.replayed, ==, 1);
  g_assert_cmpuint (stats.unknown_kid, ==, 1);
  g_assert_cmpuint (stats.auth_failed, ==, 1);
}

static void
test_sender_states (void)
{
  static const guint8 pt[] = "frame";
  g_autoptr(GremiumSFrameSender) sender = gremium_sframe_sender_new (GREMIUM_SFRAME_AES_256_GCM_SHA512_128);
  g_autoptr(GError) error = NULL;
  guint8 out[sizeof pt + GREMIUM_SFRAME_MAX_OVERHEAD];
  guint64 kid = 0;
  guint64 ctr = 0;
  gsize len = 99;

  g_assert_false (gremium_sframe_sender_get_kid (sender, &kid));
  g_assert_cmpint (gremium_sframe_sender_protect (sender, NULL, 0, pt, sizeof pt, out, sizeof out, &len),
                   ==, GREMIUM_SFRAME_NO_KEY);
  g_assert_cmpuint (len, ==, 0);

  /* Base keys of the wrong size are refused with a clear error. */
  g_assert_false (gremium_sframe_sender_set_key (sender, 1, test_key, 15, &error));
  g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  {
    guint8 long_key[65] = { 0 };

    g_assert_false (gremium_sframe_sender_set_key (sender, 1, long_key, sizeof long_key, &error));
    g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
    g_clear_error (&error);
  }
  g_assert_false (gremium_sframe_sender_get_kid (sender, NULL));

  g_assert_true (gremium_sframe_sender_set_key (sender, 300, test_key, sizeof test_key, &error));
  g_assert_no_error (error);
  g_assert_true (gremium_sframe_sender_get_kid (sender, &kid));
  g_assert_cmpuint (kid, ==, 300);

  /* A buffer one byte short writes nothing and uses no counter value. */
  g_assert_cmpint (gremium_sframe_sender_protect (sender, NULL, 0, pt, sizeof pt, out,
                                                  3 + sizeof pt + GREMIUM_SFRAME_TAG_SIZE - 1, &len),
                   ==, GREMIUM_SFRAME_BUFFER_TOO_SMALL);
  g_assert_cmpint (gremium_sframe_sender_protect (sender, NULL, 0, pt, sizeof pt, out, sizeof out, &len),
                   ==, GREMIUM_SFRAME_OK);
  g_assert_cmpuint (len, ==, 3 + sizeof pt + GREMIUM_SFRAME_TAG_SIZE);
  g_assert_cmpint (gremium_sframe_header_decode (out, len, &kid, &ctr, NULL), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpuint (kid, ==, 300);
  g_assert_cmpuint (ctr, ==, 0);

  g_assert_cmpint (gremium_sframe_sender_protect (sender, NULL, 0, pt, sizeof pt, out, sizeof out, &len),
                   ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (gremium_sframe_header_decode (out, len, NULL, &ctr, NULL), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpuint (ctr, ==, 1);

  /* Setting the current key again must not restart the counter: that
   * would repeat nonces under the same key.
   */
  g_assert_true (gremium_sframe_sender_set_key (sender, 300, test_key, sizeof test_key, NULL));
  g_assert_cmpint (gremium_sframe_sender_protect (sender, NULL, 0, pt, sizeof pt, out, sizeof out, &len),
                   ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (gremium_sframe_header_decode (out, len, NULL, &ctr, NULL), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpuint (ctr, ==, 2);

  /* A new key starts at 0. */
  g_assert_true (gremium_sframe_sender_set_key (sender, 301, other_key, sizeof other_key, NULL));
  g_assert_cmpint (gremium_sframe_sender_protect (sender, NULL, 0, pt, sizeof pt, out, sizeof out, &len),
                   ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (gremium_sframe_header_decode (out, len, &kid, &ctr, NULL), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpuint (kid, ==, 301);
  g_assert_cmpuint (ctr, ==, 0);

  /* The last counter value is used once, then the key is exhausted. */
  _gremium_sframe_sender_set_counter (sender, G_MAXUINT64);
  g_assert_cmpint (gremium_sframe_sender_protect (sender, NULL, 0, pt, sizeof pt, out, sizeof out, &len),
                   ==, GREMIUM_SFRAME_OK);
  g_assert_cmpint (gremium_sframe_header_decode (out, len, NULL, &ctr, NULL), ==, GREMIUM_SFRAME_OK);
  g_assert_cmpuint (ctr, ==, G_MAXUINT64);
  g_assert_cmpint (gremium_sframe_sender_protect (sender, NULL, 0, pt, sizeof pt, out, sizeof out, &len),
                   ==, GREMIUM_SFRAME_COUNTER_EXHAUSTED);
}

/* Both implementations must produce the same bytes for every length, and
 * each must open what the other sealed. Metadata beyond the stack buffer
 * takes the allocating path and is covered here as well.
 */
static void
test_backends_agree (void)
{
  static const gsize lengths[] = { 0, 1, 15, 16, 17, 63, 64, 65, 255, 1200, 1400 };
  static const gsize metadata_lengths[] = { 0, 12, 40, 495, 496, 2000 };

  if (!backend_usable (GREMIUM_AES_GCM_BACKEND_SODIUM, GREMIUM_SFRAME_AES_256_GCM_SHA512_128))
    {
      g_test_skip ("libsodium AES-256-GCM needs AES-NI and PCLMUL");
      return;
    }

  for (guint m = 0; m < G_N_ELEMENTS (metadata_lengths); m++)
    for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
      {
        g_autoptr(GremiumSFrameSender) fast = make_sender (GREMIUM_AES_GCM_BACKEND_SODIUM, 77,
                                                           test_key, sizeof test_key);
        g_autoptr(GremiumSFrameSender) portable = make_sender (GREMIUM_AES_GCM_BACKEND_NETTLE, 77,
                                                               test_key, sizeof test_key);
        g_autoptr(GremiumSFrameReceiver) fast_rx = make_receiver (GREMIUM_AES_GCM_BACKEND_SODIUM, 77,
                                                                  test_key, sizeof test_key);
        g_autoptr(GremiumSFrameReceiver) portable_rx = make_receiver (GREMIUM_AES_GCM_BACKEND_NETTLE, 77,
                                                                      test_key, sizeof test_key);
        g_autofree guint8 *pt = g_malloc (lengths[i] + 1);
        g_autofree guint8 *metadata = g_malloc (metadata_lengths[m] + 1);
        g_autofree guint8 *a = NULL;
        g_autofree guint8 *b = NULL;
        gsize a_len, b_len;

        for (gsize k = 0; k < lengths[i]; k++)
          pt[k] = (guint8) g_test_rand_int ();
        for (gsize k = 0; k < metadata_lengths[m]; k++)
          metadata[k] = (guint8) g_test_rand_int ();

        a = protect_at (fast, 1000 + i, metadata, metadata_lengths[m], pt, lengths[i], &a_len);
        b = protect_at (portable, 1000 + i, metadata, metadata_lengths[m], pt, lengths[i], &b_len);
        g_assert_cmpmem (a, a_len, b, b_len);

        /* The last metadata byte is authenticated too, however long. */
        if (metadata_lengths[m] > 0)
          {
            metadata[metadata_lengths[m] - 1] ^= 0x80;
            g_assert_cmpint (unprotect (portable_rx, metadata, metadata_lengths[m], a, a_len),
                             ==, GREMIUM_SFRAME_AUTH_FAILED);
            g_assert_cmpint (unprotect (fast_rx, metadata, metadata_lengths[m], b, b_len),
                             ==, GREMIUM_SFRAME_AUTH_FAILED);
            metadata[metadata_lengths[m] - 1] ^= 0x80;
          }

        g_assert_cmpint (unprotect (portable_rx, metadata, metadata_lengths[m], a, a_len),
                         ==, GREMIUM_SFRAME_OK);
        g_assert_cmpint (unprotect (fast_rx, metadata, metadata_lengths[m], b, b_len),
                         ==, GREMIUM_SFRAME_OK);
      }
}

/* A round trip that returns the plaintext, and an authentication failure
 * that returns none of it.
 */
static void
test_roundtrip_and_wipe (void)
{
  static const guint8 metadata[] = { 0x90, 0x80, 0x2a };
  guint8 pt[1200];

  for (gsize i = 0; i < sizeof pt; i++)
    pt[i] = (guint8) (i * 7);

  for (guint b = 0; b < G_N_ELEMENTS (backends); b++)
    {
      g_autoptr(GremiumSFrameSender) sender = NULL;
      g_autoptr(GremiumSFrameReceiver) receiver = NULL;
      g_autofree guint8 *packet = NULL;
      guint8 out[sizeof pt];
      gsize len, out_len = 1;

      if (!backend_usable (backends[b], GREMIUM_SFRAME_AES_256_GCM_SHA512_128))
        continue;

      sender = make_sender (backends[b], 5, test_key, sizeof test_key);
      receiver = make_receiver (backends[b], 5, test_key, sizeof test_key);
      packet = protect_at (sender, 99, metadata, sizeof metadata, pt, sizeof pt, &len);

      /* The payload must not appear in clear. */
      g_assert_false (contains (packet, len, pt + 100, 16));

      packet[len - 1] ^= 1;
      memset (out, 0xee, sizeof out);
      g_assert_cmpint (gremium_sframe_receiver_unprotect (receiver, metadata, sizeof metadata,
                                                          packet, len, out, sizeof out,
                                                          &out_len, NULL),
                       ==, GREMIUM_SFRAME_AUTH_FAILED);
      g_assert_cmpuint (out_len, ==, 0);
      g_assert_false (contains (out, sizeof out, pt + 100, 16));

      packet[len - 1] ^= 1;

      /* A buffer too small is refused without counting a drop. */
      g_assert_cmpint (gremium_sframe_receiver_unprotect (receiver, metadata, sizeof metadata,
                                                          packet, len, out, sizeof out - 1,
                                                          &out_len, NULL),
                       ==, GREMIUM_SFRAME_BUFFER_TOO_SMALL);

      g_assert_cmpint (gremium_sframe_receiver_unprotect (receiver, metadata, sizeof metadata,
                                                          packet, len, out, sizeof out,
                                                          &out_len, NULL),
                       ==, GREMIUM_SFRAME_OK);
      g_assert_cmpmem (out, out_len, pt, sizeof pt);
    }
}

/* On x86_64, nettle picks AES-NI and PCLMUL code at load time, so on this
 * machine the tests above may never reach the table-driven C that a CPU
 * without AES-NI runs. Nettle's fat builds read NETTLE_FAT_OVERRIDE before
 * main(); running the vector and cross-check tests again in a child with it
 * set to "none" covers that path on every machine. Where nettle is not a fat
 * build the variable is ignored and the child simply repeats the tests.
 */
static void
test_portable_nettle (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_ok = 0;

  if (g_getenv ("NETTLE_FAT_OVERRIDE") != NULL)
    {
      g_test_skip ("NETTLE_FAT_OVERRIDE is set already");
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "NETTLE_FAT_OVERRIDE", "none", TRUE);
  g_subprocess_launcher_setenv (launcher, "NETTLE_FAT_VERBOSE", "1", TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, test_program, "--tap",
                                       "-p", "/Gremium/SFrame/encryption-vectors",
                                       "-p", "/Gremium/SFrame/bit-flips",
                                       "-p", "/Gremium/SFrame/backends-agree",
                                       NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (child, NULL, NULL, &output, NULL, &error));
  g_assert_no_error (error);

  lines = g_strsplit (output, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "libnettle:") || g_str_has_prefix (lines[i], "not ok"))
        g_test_message ("child: %s", lines[i]);
      if (g_str_has_prefix (lines[i], "ok "))
        n_ok++;
    }

  g_assert_true (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);
  g_assert_cmpuint (n_ok, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  test_program = argv[0];
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Gremium/Hkdf/sha512-wycheproof", test_hkdf_sha512_wycheproof);
  g_test_add_func ("/Gremium/Hkdf/sha256-rfc5869", test_hkdf_sha256_rfc5869);
  g_test_add_func ("/Gremium/Hkdf/output-limit", test_hkdf_output_limit);
  g_test_add_func ("/Gremium/SFrame/header-vectors", test_header_vectors);
  g_test_add_func ("/Gremium/SFrame/key-derivation-vectors", test_key_derivation_vectors);
  g_test_add_func ("/Gremium/SFrame/encryption-vectors", test_encryption_vectors);
  g_test_add_func ("/Gremium/SFrame/bit-flips", test_bit_flips);
  g_test_add_func ("/Gremium/SFrame/truncated", test_truncated);
  g_test_add_func ("/Gremium/SFrame/unknown-kid", test_unknown_kid);
  g_test_add_func ("/Gremium/SFrame/replay", test_replay);
  g_test_add_func ("/Gremium/SFrame/forgery-keeps-window", test_forgery_keeps_window);
  g_test_add_func ("/Gremium/SFrame/replay-window-model", test_replay_window_model);
  g_test_add_func ("/Gremium/SFrame/non-minimal-header", test_non_minimal_header);
  g_test_add_func ("/Gremium/SFrame/key-removal", test_key_removal);
  g_test_add_func ("/Gremium/SFrame/sender-states", test_sender_states);
  g_test_add_func ("/Gremium/SFrame/backends-agree", test_backends_agree);
  g_test_add_func ("/Gremium/SFrame/roundtrip-and-wipe", test_roundtrip_and_wipe);
  g_test_add_func ("/Gremium/SFrame/portable-nettle", test_portable_nettle);

  return g_test_run ();
}
