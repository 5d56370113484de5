/* test-group.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "gremium-batch-private.h"
#include "gremium-crypto.h"
#include "gremium-error.h"
#include "gremium-group-private.h"
#include "gremium-ristretto-private.h"
#include "gremium-transcript-private.h"

/* The group order L = 2^252 + 27742317777372353535851937790883648493,
 * little-endian.
 */
static const guint8 group_order[32] = {
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

/* RFC 9496, appendix A.1: the encodings of 0 B, 1 B, ..., 15 B. */
static const char * const multiples_of_generator[] = {
  "0000000000000000000000000000000000000000000000000000000000000000",
  "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
  "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
  "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
  "da80862773358b466ffadfe0b3293ab3d9fd53c5ea6c955358f568322daf6a57",
  "e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e",
  "f64746d3c92b13050ed8d80236a7f0007c3b3f962f5ba793d19a601ebb1df403",
  "44f53520926ec81fbd5a387845beb7df85a96a24ece18738bdcfa6a7822a176d",
  "903293d8f2287ebe10e2374dc1a53e0bc887e592699f02d077d5263cdd55601c",
  "02622ace8f7303a31cafc63f8fc48fdc16e1c8c8d234b2f0d6685282a9076031",
  "20706fd788b2720a1ed2a5dad4952b01f413bcf0e7564de8cdc816689e2db95f",
  "bce83f8ba5dd2fa572864c24ba1810f9522bc6004afe95877ac73241cafdab42",
  "e4549ee16b9aa03099ca208c67adafcafa4c3f3e4e5303de6026e3ca8ff84460",
  "aa52e000df2e16f55fb1032fc33bc42742dad6bd5a8fc0be0167436c5948501f",
  "46376b80f409b29dc2b5f6f0c52591990896e5716f41477cd30085ab7f10301e",
  "e0c418f7c8d9c4cdd7395b93ea124f3ad99021bb681dfc3302a9d99a2e53e64e",
};

/* RFC 9496, appendix A.2, plus an encoding of the generator with bit 255
 * set, which libsodium 1.0.18 accepts and RFC 9496 forbids.
 */
static const char * const bad_encodings[] = {
  /* non-canonical field encodings */
  "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
  "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "0100000000000000000000000000000000000000000000000000000000000080",
  /* negative field elements */
  "0100000000000000000000000000000000000000000000000000000000000000",
  "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "ed57ffd8c914fb201471d1c3d245ce3c746fcbe63a3679d51b6a516ebebe0e20",
  "c34c4e1826e5d403b78e246e88aa051c36ccf0aafebffe137d148a2bf9104562",
  "c940e5a4404157cfb1628b108db051a8d439e1a421394ec4ebccb9ec92a8ac78",
  "47cfc5497c53dc8e61c91d17fd626ffb1c49e2bca94eed052281b510b1117a24",
  "f1c6165d33367351b0da8f6e4511010c68174a03b6581212c71c0e1d026c3c72",
  "87260f7a2f12495118360f02c26a470f450dadf34a413d21042b43b9d93e1309",
  /* non-square x^2 */
  "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
  "4eac077a713c57b4f4397629a4145982c661f48044dd3f96427d40b147d9742f",
  "de6a7b00deadc788eb6b6c8d20c0ae96c2f2019078fa604fee5b87d6e989ad7b",
  "bcab477be20861e01e4a0e295284146a510150d9817763caf1a6f4b422d67042",
  "2a292df7e32cababbd9de088d1d1abec9fc0440f637ed2fba145094dc14bea08",
  "f4a9e534fc0d216c44b218fa0c42d99635a0127ee2e53c712f70609649fdff22",
  "8268436f8c4126196cf64b3c7ddbda90746a378625f9813dd9b8457077256731",
  "2810e5cbc2cc4d4eece54f61c6f69758e289aa7ab440b3cbeaa21995c2f4232b",
  /* negative xy value */
  "3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e",
  "a45fdc55c76448c049a1ab33f17023edfb2be3581e9c7aade8a6125215e04220",
  "d483fe813c6ba647ebbfd3ec41adca1c6130c2beeee9d9bf065c8d151c5f396e",
  "8a2e1d30050198c65a54483123960ccc38aef6848e1ec8f5f780e8523769ba32",
  "32888462f8b486c68ad7dd9610be5192bbeaf3b443951ac1a8118419d9fa097b",
  "227142501b9d4355ccba290404bde41575b037693cef1f438c47f8fbf35d1165",
  "5c37cc491da847cfeb9281d407efc41e15144c876e0170b499a96a22ed31e01e",
  "445425117cb8c90edcbc7c1cc0e74f747f2c1efa5630a967c64f287792a48a4b",
  /* s = -1, which causes y = 0 */
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  /* the generator with bit 255 set */
  "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2df6",
};

static void
hex_to_bytes (const char *hex,
              guint8      out[32])
{
  gsize len = 0;

  g_assert_cmpint (sodium_hex2bin (out, 32, hex, strlen (hex), NULL, &len, NULL), ==, 0);
  g_assert_cmpuint (len, ==, 32);
}

static void
encode (guint8                       out[32],
        const GremiumRistrettoPoint *p)
{
  _gremium_ristretto_encode_vartime (out, p);
}

static void
decode_ok (GremiumRistrettoPoint *p,
           const guint8           bytes[32])
{
  g_assert_true (_gremium_ristretto_decode_vartime (p, bytes));
}

/* An independent canonical-scalar test: compare with L from the top byte. */
static gboolean
below_group_order (const guint8 s[32])
{
  for (guint i = 32; i-- > 0;)
    {
      if (s[i] != group_order[i])
        return s[i] < group_order[i];
    }

  return FALSE;
}

/* A scalar of one of several shapes, to reach the edges of the windows. */
static void
interesting_scalar (guint8 s[32],
                    guint  kind)
{
  memset (s, 0, 32);

  switch (kind % 6)
    {
    case 0:
      crypto_core_ristretto255_scalar_random (s);
      break;

    case 1:
      randombytes_buf (s, 16);
      break;

    case 2:
      s[0] = (guint8) g_random_int_range (0, 4);
      break;

    case 3:
      memcpy (s, group_order, 32);
      s[0] -= (guint8) g_random_int_range (1, 4);
      break;

    case 4:
      memset (s, 0xff, 31);
      s[31] = 0x0f;
      break;

    default:
      crypto_core_ristretto255_scalar_random (s);
      crypto_core_ristretto255_scalar_negate (s, s);
      break;
    }
}

static void
test_generator_multiples (void)
{
  GremiumRistrettoPoint base;
  GremiumRistrettoPoint sum;
  GremiumRistrettoPoint product;

  _gremium_ristretto_base (&base);
  _gremium_ristretto_identity (&sum);

  for (guint i = 0; i < G_N_ELEMENTS (multiples_of_generator); i++)
    {
      guint8 expected[32];
      guint8 scalar[32];
      guint8 bytes[32];
      GremiumRistrettoPoint decoded;

      hex_to_bytes (multiples_of_generator[i], expected);

      /* Repeated addition in the engine. */
      encode (bytes, &sum);
      g_assert_cmpmem (bytes, 32, expected, 32);

      /* Scalar multiplication in the engine, alone and in a sum. */
      _gremium_scalar_from_uint (scalar, i);
      _gremium_ristretto_scalarmult_vartime (&product, scalar, &base);
      encode (bytes, &product);
      g_assert_cmpmem (bytes, 32, expected, 32);
      _gremium_ristretto_multiscalarmult_vartime (&product, scalar, NULL, NULL, 0);
      encode (bytes, &product);
      g_assert_cmpmem (bytes, 32, expected, 32);

      /* Decoding and encoding again. */
      decode_ok (&decoded, expected);
      encode (bytes, &decoded);
      g_assert_cmpmem (bytes, 32, expected, 32);
      g_assert_true (_gremium_ristretto_equal_vartime (&decoded, &sum));
      g_assert_cmpint (_gremium_ristretto_is_identity_vartime (&decoded), ==, i == 0);

      /* libsodium through the safe wrapper, including 0 B, for which
       * libsodium itself reports failure.
       */
      _gremium_generator_multiple (bytes, i);
      g_assert_cmpmem (bytes, 32, expected, 32);
      g_assert_cmpint (_gremium_point_is_valid (expected, FALSE), ==, i != 0);
      g_assert_true (_gremium_point_is_valid (expected, TRUE));

      _gremium_ristretto_add_vartime (&sum, &sum, &base);
    }

  {
    guint8 generator[32];

    hex_to_bytes (multiples_of_generator[1], generator);
    g_assert_cmpmem (_gremium_group_generator (), 32, generator, 32);
  }
}

static void
test_bad_encodings (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_encodings); i++)
    {
      GremiumRistrettoPoint p;
      guint8 bytes[32];

      hex_to_bytes (bad_encodings[i], bytes);
      g_test_message ("bad encoding %u: %s", i, bad_encodings[i]);
      g_assert_false (_gremium_ristretto_decode_vartime (&p, bytes));
      g_assert_false (_gremium_point_is_valid (bytes, TRUE));
      g_assert_false (_gremium_point_is_valid (bytes, FALSE));
    }
}

/* The libsodium 1.0.18 behaviours the wrappers exist for. */
static void
test_libsodium_pitfalls (void)
{
  static const guint8 zero[32] = { 0 };
  guint8 identity[32] = { 0 };
  guint8 scalar[32];
  guint8 point[32];
  guint8 out[32];
  guint8 high_bit[32];
  guint8 wide[64] = { 0 };

  /* 0 G: libsodium returns -1; the wrapper gives the identity. */
  memset (out, 0xaa, 32);
  g_assert_cmpint (crypto_scalarmult_ristretto255_base (out, zero), ==, -1);
  memset (out, 0xaa, 32);
  _gremium_scalarmult_base (out, zero);
  g_assert_cmpmem (out, 32, identity, 32);

  /* 0 P and L-1 times the identity: -1 again, identity again. */
  crypto_core_ristretto255_random (point);
  g_assert_cmpint (crypto_scalarmult_ristretto255 (out, zero, point), ==, -1);
  _gremium_scalarmult (out, zero, point);
  g_assert_cmpmem (out, 32, identity, 32);
  crypto_core_ristretto255_scalar_random (scalar);
  _gremium_scalarmult (out, scalar, identity);
  g_assert_cmpmem (out, 32, identity, 32);

  /* A nonzero product is unaffected. */
  g_assert_cmpint (crypto_scalarmult_ristretto255 (point, scalar, _gremium_group_generator ()), ==, 0);
  _gremium_scalarmult_base (out, scalar);
  g_assert_cmpmem (out, 32, point, 32);

  /* libsodium accepts the identity as a valid point; keys and ciphertexts
   * must not be the identity.
   */
  g_assert_cmpint (crypto_core_ristretto255_is_valid_point (identity), ==, 1);
  g_assert_false (_gremium_point_is_valid (identity, FALSE));
  g_assert_true (_gremium_point_is_valid (identity, TRUE));
  g_assert_true (_gremium_point_is_identity (identity));

  /* libsodium ignores bit 255 when decoding: a second encoding of the same
   * point, which the wrapper refuses.
   */
  memcpy (high_bit, point, 32);
  high_bit[31] |= 0x80;
  g_test_message ("libsodium accepts the encoding with bit 255 set: %d",
                  crypto_core_ristretto255_is_valid_point (high_bit));
  g_assert_true (_gremium_point_is_valid (point, FALSE));
  g_assert_false (_gremium_point_is_valid (high_bit, FALSE));

  /* Scalar multiplication neither reduces nor looks at bit 255, so L + 1 and
   * 1 + 2^255 both act as 1 while being other byte strings. Only canonical
   * scalars are accepted, which makes every proof's encoding unique.
   */
  memcpy (scalar, group_order, 32);
  scalar[0] += 1;
  g_assert_cmpint (crypto_scalarmult_ristretto255_base (out, scalar), ==, 0);
  g_assert_cmpmem (out, 32, _gremium_group_generator (), 32);
  g_assert_false (_gremium_scalar_is_canonical (scalar));

  _gremium_scalar_from_uint (scalar, 1);
  scalar[31] |= 0x80;
  g_assert_cmpint (crypto_scalarmult_ristretto255_base (out, scalar), ==, 0);
  g_assert_cmpmem (out, 32, _gremium_group_generator (), 32);
  g_assert_false (_gremium_scalar_is_canonical (scalar));

  memcpy (wide, group_order, 32);
  wide[0] += 1;
  crypto_core_ristretto255_scalar_reduce (out, wide);
  _gremium_scalar_from_uint (scalar, 1);
  g_assert_cmpmem (out, 32, scalar, 32);
}

static void
test_canonical_scalars (void)
{
  guint8 s[32];

  _gremium_scalar_from_uint (s, 0);
  g_assert_true (_gremium_scalar_is_canonical (s));
  _gremium_scalar_from_uint (s, 1);
  g_assert_true (_gremium_scalar_is_canonical (s));
  memcpy (s, group_order, 32);
  s[0]--;
  g_assert_true (_gremium_scalar_is_canonical (s));
  s[0]++;
  g_assert_false (_gremium_scalar_is_canonical (s));
  memset (s, 0xff, 32);
  g_assert_false (_gremium_scalar_is_canonical (s));

  for (guint i = 0; i < 3000; i++)
    {
      randombytes_buf (s, 32);

      /* Mostly near L, where the two tests could disagree. */
      if (i % 3 == 0)
        s[31] &= 0x1f;
      else if (i % 3 == 1)
        {
          memcpy (s + 16, group_order + 16, 16);
          s[16 + g_random_int_range (0, 16)] ^= (guint8) g_random_int_range (0, 256);
        }

      g_assert_cmpint (_gremium_scalar_is_canonical (s), ==, below_group_order (s));
    }
}

/* The engine against libsodium on thousands of random inputs. */
static void
test_engine_matches_libsodium (void)
{
  for (guint i = 0; i < 2000; i++)
    {
      GremiumRistrettoPoint p, q, r, back;
      guint8 a[32], b[32], scalar[32];
      guint8 expected[32], actual[32];
      guint8 mutated[32];
      guint8 random[32];
      int rc;

      crypto_core_ristretto255_random (a);
      crypto_core_ristretto255_random (b);
      interesting_scalar (scalar, i);

      decode_ok (&p, a);
      decode_ok (&q, b);

      encode (actual, &p);
      g_assert_cmpmem (actual, 32, a, 32);

      g_assert_cmpint (crypto_core_ristretto255_add (expected, a, b), ==, 0);
      _gremium_ristretto_add_vartime (&r, &p, &q);
      encode (actual, &r);
      g_assert_cmpmem (actual, 32, expected, 32);

      /* (P + Q) - Q has other coordinates than P but is the same element. */
      _gremium_ristretto_sub_vartime (&back, &r, &q);
      g_assert_true (_gremium_ristretto_equal_vartime (&back, &p));
      g_assert_false (_gremium_ristretto_equal_vartime (&back, &q));
      encode (actual, &back);
      g_assert_cmpmem (actual, 32, a, 32);

      g_assert_cmpint (crypto_core_ristretto255_sub (expected, a, b), ==, 0);
      _gremium_ristretto_sub_vartime (&r, &p, &q);
      encode (actual, &r);
      g_assert_cmpmem (actual, 32, expected, 32);

      g_assert_cmpint (crypto_core_ristretto255_add (expected, a, a), ==, 0);
      _gremium_ristretto_double_vartime (&r, &p);
      encode (actual, &r);
      g_assert_cmpmem (actual, 32, expected, 32);

      rc = crypto_scalarmult_ristretto255 (expected, scalar, a);
      g_assert_true (rc == 0 || sodium_is_zero (scalar, 32));
      _gremium_ristretto_scalarmult_vartime (&r, scalar, &p);
      encode (actual, &r);
      g_assert_cmpmem (actual, 32, expected, 32);

      rc = crypto_scalarmult_ristretto255_base (expected, scalar);
      _gremium_ristretto_multiscalarmult_vartime (&r, scalar, NULL, NULL, 0);
      encode (actual, &r);
      g_assert_cmpmem (actual, 32, expected, 32);

      /* Decoding agrees with libsodium (with bit 255 handled) on arbitrary
       * bytes and on valid encodings with one bit flipped.
       */
      randombytes_buf (random, 32);
      if (i % 2 == 0)
        random[31] &= 0x7f;
      g_assert_cmpint (_gremium_ristretto_decode_vartime (&r, random), ==,
                       _gremium_point_is_valid (random, TRUE));

      memcpy (mutated, a, 32);
      mutated[g_random_int_range (0, 32)] ^= (guint8) (1u << g_random_int_range (0, 8));
      g_assert_cmpint (_gremium_ristretto_decode_vartime (&r, mutated), ==,
                       _gremium_point_is_valid (mutated, TRUE));
    }
}

static void
test_engine_multiscalar (void)
{
  /* Sizes up to what a chunk of ballots gives, thousands of terms in all. */
  for (guint round = 0; round < 130; round++)
    {
      guint n = round < 120 ? round % 30 : 100 + 40 * (round - 120);
      g_autofree GremiumRistrettoPoint *points = g_new (GremiumRistrettoPoint, MAX (n, 1));
      g_autofree guint8 *scalars = g_malloc (32 * MAX (n, 1));
      guint8 base_scalar[32];
      guint8 expected[32] = { 0 };
      guint8 actual[32];
      gboolean with_base = round % 3 != 0;
      GremiumRistrettoPoint r;

      for (guint i = 0; i < n; i++)
        {
          guint8 bytes[32];
          guint8 product[32];

          crypto_core_ristretto255_random (bytes);
          decode_ok (&points[i], bytes);
          interesting_scalar (scalars + 32 * i, round + i);

          _gremium_scalarmult (product, scalars + 32 * i, bytes);
          _gremium_point_add (expected, expected, product);
        }

      if (with_base)
        {
          guint8 product[32];

          interesting_scalar (base_scalar, round * 7);
          _gremium_scalarmult_base (product, base_scalar);
          _gremium_point_add (expected, expected, product);
        }

      _gremium_ristretto_multiscalarmult_vartime (&r, with_base ? base_scalar : NULL,
                                                  (const guint8 (*)[32]) scalars, points, n);
      encode (actual, &r);
      g_assert_cmpmem (actual, 32, expected, 32);
    }
}

static void
test_small_log (void)
{
  GremiumRistrettoPoint p;
  guint8 bytes[32];
  guint log = 0;

  for (guint m = 0; m < 40; m += 7)
    {
      _gremium_generator_multiple (bytes, m);
      decode_ok (&p, bytes);
      g_assert_true (_gremium_ristretto_small_log_vartime (&p, 40, &log));
      g_assert_cmpuint (log, ==, m);

      /* Beyond the bound: a clean failure, not a wrong answer. */
      if (m > 0)
        g_assert_false (_gremium_ristretto_small_log_vartime (&p, m - 1, &log));
    }

  crypto_core_ristretto255_random (bytes);
  decode_ok (&p, bytes);
  g_assert_false (_gremium_ristretto_small_log_vartime (&p, 1000, &log));
}

/* The transcript encoding, rebuilt by hand from docs/voting-crypto.md. */
static void
test_transcript_encoding (void)
{
  g_autoptr(GByteArray) record = g_byte_array_new ();
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  GremiumTranscript transcript;
  guint8 challenge[32];
  guint8 hash[64];
  guint8 reduced[32];
  static const guint8 item_domain[] = { 0, 0, 0, 6, 'd', 'o', 'm', 'a', 'i', 'n', 0, 0, 0, 4,
                                        't', 'e', 's', 't' };
  static const guint8 item_group[] = { 0, 0, 0, 5, 'g', 'r', 'o', 'u', 'p', 0, 0, 0, 12,
                                       'r', 'i', 's', 't', 'r', 'e', 't', 't', 'o', '2', '5', '5' };
  static const guint8 generator_head[] = { 0, 0, 0, 9, 'g', 'e', 'n', 'e', 'r', 'a', 't', 'o', 'r',
                                           0, 0, 0, 32 };
  static const guint8 item_option[] = { 0, 0, 0, 6, 'o', 'p', 't', 'i', 'o', 'n', 0, 0, 0, 4,
                                        0x01, 0x02, 0x03, 0x04 };
  static const guint8 item_empty[] = { 0, 0, 0, 5, 'e', 'm', 'p', 't', 'y', 0, 0, 0, 0 };

  _gremium_transcript_init (&transcript, "test", record);
  _gremium_transcript_append_uint (&transcript, "option", 0x01020304);
  _gremium_transcript_append (&transcript, "empty", NULL, 0);
  _gremium_transcript_challenge (&transcript, challenge);

  g_byte_array_append (expected, item_domain, sizeof item_domain);
  g_byte_array_append (expected, item_group, sizeof item_group);
  g_byte_array_append (expected, generator_head, sizeof generator_head);
  g_byte_array_append (expected, _gremium_group_generator (), 32);
  g_byte_array_append (expected, item_option, sizeof item_option);
  g_byte_array_append (expected, item_empty, sizeof item_empty);
  g_assert_cmpmem (record->data, record->len, expected->data, expected->len);

  crypto_generichash_blake2b (hash, sizeof hash, expected->data, expected->len, NULL, 0);
  crypto_core_ristretto255_scalar_reduce (reduced, hash);
  g_assert_cmpmem (challenge, 32, reduced, 32);
}

/* Moving a byte from one item to the next changes the challenge. */
static void
test_transcript_injective (void)
{
  GremiumTranscript t1, t2;
  guint8 c1[32], c2[32];

  _gremium_transcript_init (&t1, "test", NULL);
  _gremium_transcript_append_string (&t1, "x", "ab");
  _gremium_transcript_append_string (&t1, "x", "c");
  _gremium_transcript_challenge (&t1, c1);

  _gremium_transcript_init (&t2, "test", NULL);
  _gremium_transcript_append_string (&t2, "x", "a");
  _gremium_transcript_append_string (&t2, "x", "bc");
  _gremium_transcript_challenge (&t2, c2);
  g_assert_true (memcmp (c1, c2, 32) != 0);

  _gremium_transcript_init (&t2, "test", NULL);
  _gremium_transcript_append_string (&t2, "xa", "b");
  _gremium_transcript_append_string (&t2, "x", "c");
  _gremium_transcript_challenge (&t2, c2);
  g_assert_true (memcmp (c1, c2, 32) != 0);

  _gremium_transcript_init (&t2, "test2", NULL);
  _gremium_transcript_append_string (&t2, "x", "ab");
  _gremium_transcript_append_string (&t2, "x", "c");
  _gremium_transcript_challenge (&t2, c2);
  g_assert_true (memcmp (c1, c2, 32) != 0);

  _gremium_transcript_init (&t2, "test", NULL);
  _gremium_transcript_append_string (&t2, "x", "ab");
  _gremium_transcript_append_string (&t2, "x", "c");
  _gremium_transcript_challenge (&t2, c2);
  g_assert_cmpmem (c1, 32, c2, 32);
}

static void
test_deterministic_scalars (void)
{
  GremiumDrbg a = { { 1 }, 0 };
  GremiumDrbg b = { { 1 }, 0 };
  GremiumDrbg c = { { 2 }, 0 };
  guint8 sa[32], sb[32], sc[32], random1[32], random2[32];

  _gremium_scalar_random (sa, &a);
  _gremium_scalar_random (sb, &b);
  _gremium_scalar_random (sc, &c);
  g_assert_cmpmem (sa, 32, sb, 32);
  g_assert_true (memcmp (sa, sc, 32) != 0);
  g_assert_true (_gremium_scalar_is_canonical (sa));
  _gremium_scalar_random (sb, &b);
  g_assert_true (memcmp (sa, sb, 32) != 0);

  _gremium_scalar_random (random1, NULL);
  _gremium_scalar_random (random2, NULL);
  g_assert_true (memcmp (random1, random2, 32) != 0);
  g_assert_true (_gremium_scalar_is_canonical (random1));
  g_assert_false (sodium_is_zero (random1, 32));
}

/* Builds x G = X, checked as X - x G = identity, for a random x. */
static void
add_schnorr_like_equation (GremiumBatch *batch,
                           guint         tag,
                           gboolean      make_false)
{
  guint8 x[32];
  guint8 point[32];
  guint index;

  crypto_core_ristretto255_scalar_random (x);
  _gremium_scalarmult_base (point, x);
  if (make_false)
    crypto_core_ristretto255_scalar_random (x);

  g_assert_true (_gremium_batch_add_point (batch, point, FALSE, &index));
  _gremium_batch_begin (batch, tag);
  _gremium_batch_term (batch, index, NULL, FALSE);
  _gremium_batch_term (batch, GREMIUM_BATCH_GENERATOR, x, TRUE);
}

static void
test_batch (void)
{
  for (guint reference = 0; reference < 2; reference++)
    {
      for (guint bad = 0; bad <= 6; bad++)
        {
          g_autoptr(GremiumBatch) batch = _gremium_batch_new (reference);
          guint failed = 0;

          /* bad == 6 means every equation holds. */
          for (guint e = 0; e < 6; e++)
            add_schnorr_like_equation (batch, 100 + e, e == bad);
          g_assert_true (_gremium_batch_decode (batch, NULL));

          if (bad == 6)
            {
              g_assert_true (_gremium_batch_check (batch, &failed));
            }
          else
            {
              g_assert_false (_gremium_batch_check (batch, &failed));
              g_assert_cmpuint (failed, ==, 100 + bad);
            }
        }
    }

  /* The identity is refused where it is not allowed, invalid encodings when
   * decoding, on both paths; the first invalid point is named.
   */
  for (guint reference = 0; reference < 2; reference++)
    {
      g_autoptr(GremiumBatch) batch = _gremium_batch_new (reference);
      guint8 bytes[32] = { 0 };
      guint8 valid[32];
      guint index = 0;
      guint invalid = 0;
      guint bad_index = 0;

      g_assert_false (_gremium_batch_add_point (batch, bytes, FALSE, &index));
      g_assert_true (_gremium_batch_add_point (batch, bytes, TRUE, &index));
      crypto_core_ristretto255_random (valid);
      g_assert_true (_gremium_batch_add_point (batch, valid, FALSE, &index));
      g_assert_true (_gremium_batch_decode (batch, NULL));

      for (guint i = 0; i < 6; i++)
        {
          crypto_core_ristretto255_random (valid);
          if (i == 3)
            {
              hex_to_bytes (bad_encodings[i * 5], bytes);
              g_assert_true (_gremium_batch_add_point (batch, bytes, TRUE, &bad_index));
            }
          else
            g_assert_true (_gremium_batch_add_point (batch, valid, TRUE, &index));
        }
      g_assert_false (_gremium_batch_decode (batch, &invalid));
      g_assert_cmpuint (invalid, ==, bad_index);
    }
}

/* Group elements and scalars in JSON: exactly 44 characters of canonical
 * base64, scalars below L.
 */
static void
test_json_fields (void)
{
  const char * const bad_points[] = {
    "4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY",     /* no padding */
    "4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXZ=",    /* unused bits set */
    "4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY==",   /* too long */
    "4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLX*=",    /* outside the alphabet */
    "4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCN\nXY=",  /* a control character */
    "AAAA",
    "",
  };
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *order = gremium_base64_encode (group_order, 32);
  guint8 out[32];
  guint8 generator[32];

  hex_to_bytes (multiples_of_generator[1], generator);

  json_object_set_string_member (object, "p", "4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY=");
  g_assert_true (_gremium_json_get_point (object, "p", out, NULL));
  g_assert_cmpmem (out, 32, generator, 32);

  for (guint i = 0; i < G_N_ELEMENTS (bad_points); i++)
    {
      g_autoptr(GError) error = NULL;

      json_object_set_string_member (object, "p", bad_points[i]);
      g_assert_false (_gremium_json_get_point (object, "p", out, &error));
      g_assert_error (error, GREMIUM_ERROR, GREMIUM_ERROR_INVALID_FIELD);
    }

  json_object_set_int_member (object, "p", 7);
  g_assert_false (_gremium_json_get_point (object, "p", out, NULL));

  json_object_set_string_member (object, "s", order);
  g_assert_true (_gremium_json_get_point (object, "s", out, NULL));
  g_assert_false (_gremium_json_get_scalar (object, "s", out, NULL));
  json_object_set_string_member (object, "s", "4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY=");
  g_assert_false (_gremium_json_get_scalar (object, "s", out, NULL));
  json_object_set_string_member (object, "s", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  g_assert_true (_gremium_json_get_scalar (object, "s", out, NULL));
  g_assert_cmpint (out[0], ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_assert_true (gremium_crypto_init (NULL));

  g_test_add_func ("/Gremium/Group/rfc9496-multiples", test_generator_multiples);
  g_test_add_func ("/Gremium/Group/rfc9496-bad-encodings", test_bad_encodings);
  g_test_add_func ("/Gremium/Group/libsodium-pitfalls", test_libsodium_pitfalls);
  g_test_add_func ("/Gremium/Group/canonical-scalars", test_canonical_scalars);
  g_test_add_func ("/Gremium/Group/engine-matches-libsodium", test_engine_matches_libsodium);
  g_test_add_func ("/Gremium/Group/engine-multiscalar", test_engine_multiscalar);
  g_test_add_func ("/Gremium/Group/small-log", test_small_log);
  g_test_add_func ("/Gremium/Group/transcript-encoding", test_transcript_encoding);
  g_test_add_func ("/Gremium/Group/transcript-injective", test_transcript_injective);
  g_test_add_func ("/Gremium/Group/deterministic-scalars", test_deterministic_scalars);
  g_test_add_func ("/Gremium/Group/batch", test_batch);
  g_test_add_func ("/Gremium/Group/json-fields", test_json_fields);

  return g_test_run ();
}
