/* gremium-ristretto.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-ristretto"

#include "config.h"

#include "gremium-ristretto-private.h"

#include <string.h>

/* Why this file exists: libsodium 1.0.18 offers ristretto255 only through
 * byte-oriented calls that decode and re-encode on every operation, with
 * constant-time scalar multiplication and no multi-scalar multiplication.
 * Checking a ballot that way costs about 2 ms. Verification handles public
 * data only, so it may run in variable time; this engine keeps points decoded,
 * uses signed sliding windows (wNAF) and evaluates many scalar
 * multiplications with one shared chain of doublings (Straus' method).
 *
 * The arithmetic is the usual one for 2^255 - 19: five limbs of 51 bits with
 * 128-bit products; points on the twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2
 * in extended coordinates with the complete addition formulas of Hisil, Wong,
 * Carter and Dawson ("Twisted Edwards Curves Revisited", 2008). Encoding,
 * decoding and equality follow RFC 9496 section 4.3. Every result is checked
 * against libsodium and the RFC's vectors in tests/test-group.c.
 */

__extension__ typedef unsigned __int128 u128;
typedef guint64 Fe[5];

#define LOW_51_BITS ((G_GUINT64_CONSTANT (1) << 51) - 1)

/* Signed window widths: 5 for points that change with every call (8 table
 * entries), 8 for the generator, whose table is computed once (64 entries).
 */
#define POINT_WINDOW      5
#define POINT_TABLE_SIZE  (1 << (POINT_WINDOW - 2))
#define BASE_WINDOW       8
#define BASE_TABLE_SIZE   (1 << (BASE_WINDOW - 2))

static const Fe fe_one = { 1, 0, 0, 0, 0 };

/* d = -121665/121666 */
static const Fe fe_d = {
  G_GUINT64_CONSTANT (0x34dca135978a3), G_GUINT64_CONSTANT (0x1a8283b156ebd),
  G_GUINT64_CONSTANT (0x5e7a26001c029), G_GUINT64_CONSTANT (0x739c663a03cbb),
  G_GUINT64_CONSTANT (0x52036cee2b6ff),
};

/* 2d */
static const Fe fe_d2 = {
  G_GUINT64_CONSTANT (0x69b9426b2f159), G_GUINT64_CONSTANT (0x35050762add7a),
  G_GUINT64_CONSTANT (0x3cf44c0038052), G_GUINT64_CONSTANT (0x6738cc7407977),
  G_GUINT64_CONSTANT (0x2406d9dc56dff),
};

/* SQRT_M1, the non-negative square root of -1 (RFC 9496 section 4.1) */
static const Fe fe_sqrt_m1 = {
  G_GUINT64_CONSTANT (0x61b274a0ea0b0), G_GUINT64_CONSTANT (0x0d5a5fc8f189d),
  G_GUINT64_CONSTANT (0x7ef5e9cbd0c60), G_GUINT64_CONSTANT (0x78595a6804c9e),
  G_GUINT64_CONSTANT (0x2b8324804fc1d),
};

/* INVSQRT_A_MINUS_D = 1/sqrt(a - d) with a = -1 (RFC 9496 section 4.1) */
static const Fe fe_invsqrt_a_minus_d = {
  G_GUINT64_CONSTANT (0x0fdaa805d40ea), G_GUINT64_CONSTANT (0x2eb482e57d339),
  G_GUINT64_CONSTANT (0x007610274bc58), G_GUINT64_CONSTANT (0x6510b613dc8ff),
  G_GUINT64_CONSTANT (0x786c8905cfaff),
};

/* The ristretto255 generator B (RFC 9496 section 4.4). */
static const guint8 base_encoding[GREMIUM_RISTRETTO_BYTES] = {
  0xe2, 0xf2, 0xae, 0x0a, 0x6a, 0xbc, 0x4e, 0x71, 0xa8, 0x84, 0xa9, 0x61, 0xc5, 0x00, 0x51, 0x5f,
  0x58, 0xe3, 0x0b, 0x6a, 0xa5, 0x82, 0xdd, 0x8d, 0xb6, 0xa6, 0x59, 0x45, 0xe0, 0x8d, 0x2d, 0x76,
};

/* ((X:Z), (Y:T)): the result of an addition or doubling before it is
 * brought back to extended coordinates.
 */
typedef struct
{
  Fe X;
  Fe Y;
  Fe Z;
  Fe T;
} CompletedPoint;

/* (X:Y:Z) without T: enough for doubling. */
typedef struct
{
  Fe X;
  Fe Y;
  Fe Z;
} ProjectivePoint;

/* A point prepared for additions: (Y + X, Y - X, Z, 2dT). */
typedef struct
{
  Fe YplusX;
  Fe YminusX;
  Fe Z;
  Fe T2d;
} CachedPoint;

/* The same with Z = 1, for the generator's table. */
typedef struct
{
  Fe YplusX;
  Fe YminusX;
  Fe T2d;
} AffineCachedPoint;

static GremiumRistrettoPoint base_point;
static AffineCachedPoint base_table[BASE_TABLE_SIZE];

/* Field arithmetic. Limbs of inputs stay below 2^54 and outputs of
 * multiplication and subtraction below 2^52, which keeps every 128-bit sum
 * of products and every subtraction free of overflow.
 */

static inline void
fe_copy (Fe       h,
         const Fe f)
{
  memcpy (h, f, sizeof (Fe));
}

static inline void
fe_carry (Fe h)
{
  guint64 c;

  c = h[0] >> 51; h[0] &= LOW_51_BITS; h[1] += c;
  c = h[1] >> 51; h[1] &= LOW_51_BITS; h[2] += c;
  c = h[2] >> 51; h[2] &= LOW_51_BITS; h[3] += c;
  c = h[3] >> 51; h[3] &= LOW_51_BITS; h[4] += c;
  c = h[4] >> 51; h[4] &= LOW_51_BITS; h[0] += 19 * c;
}

static inline void
fe_add (Fe       h,
        const Fe f,
        const Fe g)
{
  h[0] = f[0] + g[0];
  h[1] = f[1] + g[1];
  h[2] = f[2] + g[2];
  h[3] = f[3] + g[3];
  h[4] = f[4] + g[4];
}

/* Adds 4p before subtracting so that no limb wraps below zero. */
static inline void
fe_sub (Fe       h,
        const Fe f,
        const Fe g)
{
  h[0] = (f[0] + G_GUINT64_CONSTANT (0x1fffffffffffb4)) - g[0];
  h[1] = (f[1] + G_GUINT64_CONSTANT (0x1ffffffffffffc)) - g[1];
  h[2] = (f[2] + G_GUINT64_CONSTANT (0x1ffffffffffffc)) - g[2];
  h[3] = (f[3] + G_GUINT64_CONSTANT (0x1ffffffffffffc)) - g[3];
  h[4] = (f[4] + G_GUINT64_CONSTANT (0x1ffffffffffffc)) - g[4];
  fe_carry (h);
}

static inline void
fe_neg (Fe       h,
        const Fe f)
{
  static const Fe zero = { 0, 0, 0, 0, 0 };

  fe_sub (h, zero, f);
}

G_ALWAYS_INLINE static inline void
fe_reduce_products (Fe   h,
                    u128 r0,
                    u128 r1,
                    u128 r2,
                    u128 r3,
                    u128 r4)
{
  guint64 c;

  r1 += (guint64) (r0 >> 51);
  r2 += (guint64) (r1 >> 51);
  r3 += (guint64) (r2 >> 51);
  r4 += (guint64) (r3 >> 51);
  c = (guint64) (r4 >> 51);

  h[0] = ((guint64) r0 & LOW_51_BITS) + 19 * c;
  h[1] = (guint64) r1 & LOW_51_BITS;
  h[2] = (guint64) r2 & LOW_51_BITS;
  h[3] = (guint64) r3 & LOW_51_BITS;
  h[4] = (guint64) r4 & LOW_51_BITS;

  h[1] += h[0] >> 51;
  h[0] &= LOW_51_BITS;
}

G_ALWAYS_INLINE static inline void
fe_mul (Fe       h,
        const Fe f,
        const Fe g)
{
  guint64 g1_19 = 19 * g[1];
  guint64 g2_19 = 19 * g[2];
  guint64 g3_19 = 19 * g[3];
  guint64 g4_19 = 19 * g[4];
  u128 r0, r1, r2, r3, r4;

  r0 = (u128) f[0] * g[0] + (u128) f[1] * g4_19 + (u128) f[2] * g3_19 +
       (u128) f[3] * g2_19 + (u128) f[4] * g1_19;
  r1 = (u128) f[0] * g[1] + (u128) f[1] * g[0] + (u128) f[2] * g4_19 +
       (u128) f[3] * g3_19 + (u128) f[4] * g2_19;
  r2 = (u128) f[0] * g[2] + (u128) f[1] * g[1] + (u128) f[2] * g[0] +
       (u128) f[3] * g4_19 + (u128) f[4] * g3_19;
  r3 = (u128) f[0] * g[3] + (u128) f[1] * g[2] + (u128) f[2] * g[1] +
       (u128) f[3] * g[0] + (u128) f[4] * g4_19;
  r4 = (u128) f[0] * g[4] + (u128) f[1] * g[3] + (u128) f[2] * g[2] +
       (u128) f[3] * g[1] + (u128) f[4] * g[0];

  fe_reduce_products (h, r0, r1, r2, r3, r4);
}

G_ALWAYS_INLINE static inline void
fe_sq (Fe       h,
       const Fe f)
{
  guint64 f0_2 = 2 * f[0];
  guint64 f1_2 = 2 * f[1];
  guint64 f1_38 = 38 * f[1];
  guint64 f2_38 = 38 * f[2];
  guint64 f3_38 = 38 * f[3];
  guint64 f3_19 = 19 * f[3];
  guint64 f4_19 = 19 * f[4];
  u128 r0, r1, r2, r3, r4;

  r0 = (u128) f[0] * f[0] + (u128) f1_38 * f[4] + (u128) f2_38 * f[3];
  r1 = (u128) f0_2 * f[1] + (u128) f2_38 * f[4] + (u128) f3_19 * f[3];
  r2 = (u128) f0_2 * f[2] + (u128) f[1] * f[1] + (u128) f3_38 * f[4];
  r3 = (u128) f0_2 * f[3] + (u128) f1_2 * f[2] + (u128) f4_19 * f[4];
  r4 = (u128) f0_2 * f[4] + (u128) f1_2 * f[3] + (u128) f[2] * f[2];

  fe_reduce_products (h, r0, r1, r2, r3, r4);
}

static void
fe_frombytes (Fe            h,
              const guint8  s[32])
{
  guint64 w[4];

  for (guint i = 0; i < 4; i++)
    {
      w[i] = 0;
      for (guint j = 0; j < 8; j++)
        w[i] |= (guint64) s[8 * i + j] << (8 * j);
    }

  /* The top bit is dropped here; decoding rejects it by re-encoding. */
  h[0] = w[0] & LOW_51_BITS;
  h[1] = ((w[0] >> 51) | (w[1] << 13)) & LOW_51_BITS;
  h[2] = ((w[1] >> 38) | (w[2] << 26)) & LOW_51_BITS;
  h[3] = ((w[2] >> 25) | (w[3] << 39)) & LOW_51_BITS;
  h[4] = (w[3] >> 12) & LOW_51_BITS;
}

/* Writes the unique representative in [0, p). */
static void
fe_tobytes (guint8   s[32],
            const Fe f)
{
  Fe h;
  guint64 q;
  guint64 w[4];

  fe_copy (h, f);
  fe_carry (h);

  /* q = 1 exactly when h >= p, because then h + 19 reaches 2^255. */
  q = (h[0] + 19) >> 51;
  q = (h[1] + q) >> 51;
  q = (h[2] + q) >> 51;
  q = (h[3] + q) >> 51;
  q = (h[4] + q) >> 51;

  h[0] += 19 * q;
  h[1] += h[0] >> 51; h[0] &= LOW_51_BITS;
  h[2] += h[1] >> 51; h[1] &= LOW_51_BITS;
  h[3] += h[2] >> 51; h[2] &= LOW_51_BITS;
  h[4] += h[3] >> 51; h[3] &= LOW_51_BITS;
  h[4] &= LOW_51_BITS;

  w[0] = h[0] | (h[1] << 51);
  w[1] = (h[1] >> 13) | (h[2] << 38);
  w[2] = (h[2] >> 26) | (h[3] << 25);
  w[3] = (h[3] >> 39) | (h[4] << 12);

  for (guint i = 0; i < 4; i++)
    for (guint j = 0; j < 8; j++)
      s[8 * i + j] = (guint8) (w[i] >> (8 * j));
}

static gboolean
fe_is_negative (const Fe f)
{
  guint8 s[32];

  fe_tobytes (s, f);
  return (s[0] & 1) != 0;
}

static gboolean
fe_is_zero (const Fe f)
{
  static const guint8 zero[32] = { 0 };
  guint8 s[32];

  fe_tobytes (s, f);
  return memcmp (s, zero, 32) == 0;
}

static gboolean
fe_equal (const Fe f,
          const Fe g)
{
  guint8 a[32];
  guint8 b[32];

  fe_tobytes (a, f);
  fe_tobytes (b, g);
  return memcmp (a, b, 32) == 0;
}

static void
fe_abs (Fe       h,
        const Fe f)
{
  if (fe_is_negative (f))
    fe_neg (h, f);
  else
    fe_copy (h, f);
}

static inline void
fe_sq_times (Fe       h,
             const Fe f,
             guint    n)
{
  g_assert (n > 0);

  fe_sq (h, f);
  for (guint i = 1; i < n; i++)
    fe_sq (h, h);
}

/* Computes z^(2^250 - 1) and z^11, the common start of the two
 * exponentiations below.
 */
static void
fe_pow_2_250_minus_1 (Fe       z_250_0,
                      Fe       z11,
                      const Fe z)
{
  Fe z2, z9, t, z_5_0, z_10_0, z_20_0, z_50_0, z_100_0;

  fe_sq (z2, z);                                  /* z^2 */
  fe_sq_times (t, z2, 2);                         /* z^8 */
  fe_mul (z9, z, t);                              /* z^9 */
  fe_mul (z11, z2, z9);                           /* z^11 */
  fe_sq (t, z11);                                 /* z^22 */
  fe_mul (z_5_0, z9, t);                          /* z^(2^5 - 1) */
  fe_sq_times (t, z_5_0, 5);
  fe_mul (z_10_0, t, z_5_0);                      /* z^(2^10 - 1) */
  fe_sq_times (t, z_10_0, 10);
  fe_mul (z_20_0, t, z_10_0);                     /* z^(2^20 - 1) */
  fe_sq_times (t, z_20_0, 20);
  fe_mul (t, t, z_20_0);                          /* z^(2^40 - 1) */
  fe_sq_times (t, t, 10);
  fe_mul (z_50_0, t, z_10_0);                     /* z^(2^50 - 1) */
  fe_sq_times (t, z_50_0, 50);
  fe_mul (z_100_0, t, z_50_0);                    /* z^(2^100 - 1) */
  fe_sq_times (t, z_100_0, 100);
  fe_mul (t, t, z_100_0);                         /* z^(2^200 - 1) */
  fe_sq_times (t, t, 50);
  fe_mul (z_250_0, t, z_50_0);                    /* z^(2^250 - 1) */
}

/* z^(p - 2) = z^(2^255 - 21) = 1/z */
static void
fe_invert (Fe       h,
           const Fe z)
{
  Fe z_250_0, z11;

  fe_pow_2_250_minus_1 (z_250_0, z11, z);
  fe_sq_times (z_250_0, z_250_0, 5);
  fe_mul (h, z_250_0, z11);
}

/* z^((p - 5) / 8) = z^(2^252 - 3) */
static void
fe_pow22523 (Fe       h,
             const Fe z)
{
  Fe z_250_0, z11;

  fe_pow_2_250_minus_1 (z_250_0, z11, z);
  fe_sq_times (z_250_0, z_250_0, 2);
  fe_mul (h, z_250_0, z);
}

/* SQRT_RATIO_M1 of RFC 9496 section 4.2: r = +sqrt(u/v) when u/v is a
 * square, otherwise +sqrt(SQRT_M1 * u/v); returns whether u/v was a square.
 */
static gboolean
fe_sqrt_ratio_m1 (Fe       r,
                  const Fe u,
                  const Fe v)
{
  Fe v3, v7, t, check, neg_u, neg_u_i;
  gboolean correct_sign;
  gboolean flipped_sign;
  gboolean flipped_sign_i;

  fe_sq (v3, v);
  fe_mul (v3, v3, v);                             /* v^3 */
  fe_sq (v7, v3);
  fe_mul (v7, v7, v);                             /* v^7 */
  fe_mul (t, u, v7);
  fe_pow22523 (t, t);                             /* (u v^7)^((p-5)/8) */
  fe_mul (r, u, v3);
  fe_mul (r, r, t);

  fe_sq (check, r);
  fe_mul (check, check, v);
  fe_neg (neg_u, u);
  fe_mul (neg_u_i, neg_u, fe_sqrt_m1);

  correct_sign = fe_equal (check, u);
  flipped_sign = fe_equal (check, neg_u);
  flipped_sign_i = fe_equal (check, neg_u_i);

  if (flipped_sign || flipped_sign_i)
    fe_mul (r, r, fe_sqrt_m1);

  fe_abs (r, r);

  return correct_sign || flipped_sign;
}

/* Point arithmetic. */

static inline void
completed_to_extended (GremiumRistrettoPoint *r,
                       const CompletedPoint  *p)
{
  fe_mul (r->X, p->X, p->T);
  fe_mul (r->Y, p->Y, p->Z);
  fe_mul (r->Z, p->Z, p->T);
  fe_mul (r->T, p->X, p->Y);
}

static inline void
completed_to_projective (ProjectivePoint      *r,
                         const CompletedPoint *p)
{
  fe_mul (r->X, p->X, p->T);
  fe_mul (r->Y, p->Y, p->Z);
  fe_mul (r->Z, p->Z, p->T);
}

static inline void
extended_to_cached (CachedPoint                 *r,
                    const GremiumRistrettoPoint *p)
{
  fe_add (r->YplusX, p->Y, p->X);
  fe_sub (r->YminusX, p->Y, p->X);
  fe_copy (r->Z, p->Z);
  fe_mul (r->T2d, p->T, fe_d2);
}

/* Doubling needs only X, Y and Z: 2P with x = 2xy / (y^2 - x^2) and
 * y = (y^2 + x^2) / (2 - y^2 + x^2).
 */
static inline void
projective_double (CompletedPoint *r,
                   const Fe        X,
                   const Fe        Y,
                   const Fe        Z)
{
  Fe xx, yy, zz2, xy;

  fe_sq (xx, X);
  fe_sq (yy, Y);
  fe_sq (zz2, Z);
  fe_add (zz2, zz2, zz2);
  fe_add (xy, X, Y);
  fe_sq (xy, xy);

  fe_add (r->Y, yy, xx);
  fe_sub (r->Z, yy, xx);
  fe_sub (r->X, xy, r->Y);
  fe_sub (r->T, zz2, r->Z);
}

static inline void
add_cached (CompletedPoint              *r,
            const GremiumRistrettoPoint *p,
            const CachedPoint           *q,
            gboolean                     subtract)
{
  Fe a, b, c, d, ypx, ymx;

  fe_add (ypx, p->Y, p->X);
  fe_sub (ymx, p->Y, p->X);

  /* Subtracting is adding -Q = (-x, y): Y + X and Y - X swap, T flips. */
  fe_mul (a, ymx, subtract ? q->YplusX : q->YminusX);
  fe_mul (b, ypx, subtract ? q->YminusX : q->YplusX);
  fe_mul (c, p->T, q->T2d);
  fe_mul (d, p->Z, q->Z);
  fe_add (d, d, d);

  fe_sub (r->X, b, a);
  fe_add (r->Y, b, a);
  if (subtract)
    {
      fe_sub (r->Z, d, c);
      fe_add (r->T, d, c);
    }
  else
    {
      fe_add (r->Z, d, c);
      fe_sub (r->T, d, c);
    }
}

static inline void
add_affine_cached (CompletedPoint              *r,
                   const GremiumRistrettoPoint *p,
                   const AffineCachedPoint     *q,
                   gboolean                     subtract)
{
  Fe a, b, c, d, ypx, ymx;

  fe_add (ypx, p->Y, p->X);
  fe_sub (ymx, p->Y, p->X);

  fe_mul (a, ymx, subtract ? q->YplusX : q->YminusX);
  fe_mul (b, ypx, subtract ? q->YminusX : q->YplusX);
  fe_mul (c, p->T, q->T2d);
  fe_add (d, p->Z, p->Z);

  fe_sub (r->X, b, a);
  fe_add (r->Y, b, a);
  if (subtract)
    {
      fe_sub (r->Z, d, c);
      fe_add (r->T, d, c);
    }
  else
    {
      fe_add (r->Z, d, c);
      fe_sub (r->T, d, c);
    }
}

/* Signed sliding-window form: digits that are zero or odd with
 * |digit| < 2^(width-1), and at least width - 1 zeros after each nonzero
 * digit. The scalar must be below 2^253 so that the final carry still fits.
 */
static void
compute_naf (gint8         naf[256],
             const guint8  scalar[32],
             guint         width)
{
  guint64 x[5] = { 0 };
  guint64 window_mask = (G_GUINT64_CONSTANT (1) << width) - 1;
  guint64 carry = 0;
  guint pos = 0;

  g_assert (width >= 2 && width <= 8);
  g_assert (scalar[31] < 0x20);

  for (guint i = 0; i < 4; i++)
    for (guint j = 0; j < 8; j++)
      x[i] |= (guint64) scalar[8 * i + j] << (8 * j);

  memset (naf, 0, 256);

  while (pos < 256)
    {
      guint idx = pos / 64;
      guint bit = pos % 64;
      guint64 bits;
      guint64 window;

      if (bit < 64 - width)
        bits = x[idx] >> bit;
      else
        bits = (x[idx] >> bit) | (x[idx + 1] << (64 - bit));

      window = carry + (bits & window_mask);

      /* An even window means the current position is zero (a pending carry
       * moves on with it).
       */
      if ((window & 1) == 0)
        {
          pos += 1;
          continue;
        }

      if (window < (G_GUINT64_CONSTANT (1) << (width - 1)))
        {
          carry = 0;
          naf[pos] = (gint8) window;
        }
      else
        {
          carry = 1;
          naf[pos] = (gint8) ((gint64) window - (gint64) (G_GUINT64_CONSTANT (1) << width));
        }

      pos += width;
    }
}

/* table[i] = (2i + 1) P */
static void
build_odd_multiples (CachedPoint                 *table,
                     guint                        size,
                     const GremiumRistrettoPoint *p)
{
  GremiumRistrettoPoint current = *p;
  GremiumRistrettoPoint doubled;
  CachedPoint doubled_cached;
  CompletedPoint t;

  extended_to_cached (&table[0], p);
  if (size == 1)
    return;

  projective_double (&t, p->X, p->Y, p->Z);
  completed_to_extended (&doubled, &t);
  extended_to_cached (&doubled_cached, &doubled);

  for (guint i = 1; i < size; i++)
    {
      add_cached (&t, &current, &doubled_cached, FALSE);
      completed_to_extended (&current, &t);
      extended_to_cached (&table[i], &current);
    }
}

static void
init_base_table (void)
{
  CachedPoint table[BASE_TABLE_SIZE];
  Fe prefix[BASE_TABLE_SIZE];
  Fe inverse, z_inv;

  if (!_gremium_ristretto_decode_vartime (&base_point, base_encoding))
    g_error ("The ristretto255 generator does not decode");

  build_odd_multiples (table, BASE_TABLE_SIZE, &base_point);

  /* Bring every entry to Z = 1 with one inversion (Montgomery's trick). In
   * cached form Y + X and Y - X keep the same Z as the point.
   */
  fe_copy (prefix[0], table[0].Z);
  for (guint i = 1; i < BASE_TABLE_SIZE; i++)
    fe_mul (prefix[i], prefix[i - 1], table[i].Z);

  fe_invert (inverse, prefix[BASE_TABLE_SIZE - 1]);

  for (guint i = BASE_TABLE_SIZE; i-- > 0;)
    {
      if (i > 0)
        {
          fe_mul (z_inv, inverse, prefix[i - 1]);
          fe_mul (inverse, inverse, table[i].Z);
        }
      else
        {
          fe_copy (z_inv, inverse);
        }

      fe_mul (base_table[i].YplusX, table[i].YplusX, z_inv);
      fe_mul (base_table[i].YminusX, table[i].YminusX, z_inv);
      fe_mul (base_table[i].T2d, table[i].T2d, z_inv);
    }
}

static void
ensure_initialized (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      init_base_table ();
      g_once_init_leave (&initialized, 1);
    }
}

/* Decoding (RFC 9496 section 4.3.1). */
gboolean
_gremium_ristretto_decode_vartime (GremiumRistrettoPoint *p,
                                   const guint8           bytes[GREMIUM_RISTRETTO_BYTES])
{
  Fe s, ss, u1, u2, u2_sqr, v, t, invsqrt, den_x, den_y, x, y;
  guint8 check[32];
  gboolean was_square;

  g_assert (p != NULL);
  g_assert (bytes != NULL);

  /* Canonical and non-negative: re-encoding must give the same bytes (this
   * also rejects s >= p and a set top bit), and the low bit must be clear.
   */
  fe_frombytes (s, bytes);
  fe_tobytes (check, s);
  if (memcmp (check, bytes, 32) != 0 || (check[0] & 1) != 0)
    return FALSE;

  fe_sq (ss, s);
  fe_sub (u1, fe_one, ss);                        /* 1 + a s^2 */
  fe_add (u2, fe_one, ss);                        /* 1 - a s^2 */
  fe_sq (u2_sqr, u2);

  fe_sq (t, u1);
  fe_mul (t, t, fe_d);
  fe_neg (t, t);
  fe_sub (v, t, u2_sqr);                          /* -(d u1^2) - u2^2 */

  fe_mul (t, v, u2_sqr);
  was_square = fe_sqrt_ratio_m1 (invsqrt, fe_one, t);

  fe_mul (den_x, invsqrt, u2);
  fe_mul (den_y, invsqrt, den_x);
  fe_mul (den_y, den_y, v);

  fe_add (x, s, s);
  fe_mul (x, x, den_x);
  fe_abs (x, x);
  fe_mul (y, u1, den_y);
  fe_mul (t, x, y);

  if (!was_square || fe_is_negative (t) || fe_is_zero (y))
    return FALSE;

  fe_copy (p->X, x);
  fe_copy (p->Y, y);
  fe_copy (p->Z, fe_one);
  fe_copy (p->T, t);

  return TRUE;
}

/*
 * _gremium_ristretto_decode_many_vartime:
 * @points: (out caller-allocates): @n_points decoded points
 * @bytes: @n_points encodings, 32 bytes each
 * @n_points: how many
 * @first_invalid: (out) (optional): the index of the first encoding that is
 *   not valid
 *
 * Returns: %TRUE if every encoding is valid
 */
gboolean
_gremium_ristretto_decode_many_vartime (GremiumRistrettoPoint *points,
                                        const guint8          *bytes,
                                        gsize                  n_points,
                                        gsize                 *first_invalid)
{
  g_assert (points != NULL || n_points == 0);
  g_assert (bytes != NULL || n_points == 0);

  for (gsize i = 0; i < n_points; i++)
    {
      if (!_gremium_ristretto_decode_vartime (&points[i], bytes + 32 * i))
        {
          if (first_invalid != NULL)
            *first_invalid = i;
          return FALSE;
        }
    }

  return TRUE;
}

/* Encoding (RFC 9496 section 4.3.2). */
void
_gremium_ristretto_encode_vartime (guint8                       bytes[GREMIUM_RISTRETTO_BYTES],
                                   const GremiumRistrettoPoint *p)
{
  Fe u1, u2, t, invsqrt, den1, den2, z_inv, ix0, iy0, enchanted, s;
  const Fe *x;
  const Fe *den_inv;
  Fe y;

  g_assert (p != NULL);
  g_assert (bytes != NULL);

  fe_add (t, p->Z, p->Y);
  fe_sub (u1, p->Z, p->Y);
  fe_mul (u1, t, u1);                             /* (Z + Y)(Z - Y) */
  fe_mul (u2, p->X, p->Y);

  fe_sq (t, u2);
  fe_mul (t, t, u1);
  fe_sqrt_ratio_m1 (invsqrt, fe_one, t);

  fe_mul (den1, invsqrt, u1);
  fe_mul (den2, invsqrt, u2);
  fe_mul (z_inv, den1, den2);
  fe_mul (z_inv, z_inv, p->T);

  fe_mul (ix0, p->X, fe_sqrt_m1);
  fe_mul (iy0, p->Y, fe_sqrt_m1);
  fe_mul (enchanted, den1, fe_invsqrt_a_minus_d);

  fe_mul (t, p->T, z_inv);
  if (fe_is_negative (t))
    {
      x = &iy0;
      fe_copy (y, ix0);
      den_inv = &enchanted;
    }
  else
    {
      x = &p->X;
      fe_copy (y, p->Y);
      den_inv = &den2;
    }

  fe_mul (t, *x, z_inv);
  if (fe_is_negative (t))
    fe_neg (y, y);

  fe_sub (t, p->Z, y);
  fe_mul (s, *den_inv, t);
  fe_abs (s, s);
  fe_tobytes (bytes, s);
}

void
_gremium_ristretto_identity (GremiumRistrettoPoint *p)
{
  static const Fe zero = { 0, 0, 0, 0, 0 };

  g_assert (p != NULL);

  fe_copy (p->X, zero);
  fe_copy (p->Y, fe_one);
  fe_copy (p->Z, fe_one);
  fe_copy (p->T, zero);
}

void
_gremium_ristretto_base (GremiumRistrettoPoint *p)
{
  g_assert (p != NULL);

  ensure_initialized ();
  *p = base_point;
}

/* The identity class is the 4-torsion {(0, 1), (0, -1), (i, 0), (-i, 0)}. */
gboolean
_gremium_ristretto_is_identity_vartime (const GremiumRistrettoPoint *p)
{
  g_assert (p != NULL);

  return fe_is_zero (p->X) || fe_is_zero (p->Y);
}

/* RFC 9496 section 4.3.3: X1 Y2 == Y1 X2 or Y1 Y2 == X1 X2. */
gboolean
_gremium_ristretto_equal_vartime (const GremiumRistrettoPoint *p,
                                  const GremiumRistrettoPoint *q)
{
  Fe a, b;

  g_assert (p != NULL);
  g_assert (q != NULL);

  fe_mul (a, p->X, q->Y);
  fe_mul (b, p->Y, q->X);
  if (fe_equal (a, b))
    return TRUE;

  fe_mul (a, p->Y, q->Y);
  fe_mul (b, p->X, q->X);
  return fe_equal (a, b);
}

void
_gremium_ristretto_add_vartime (GremiumRistrettoPoint       *r,
                                const GremiumRistrettoPoint *p,
                                const GremiumRistrettoPoint *q)
{
  CachedPoint cached;
  CompletedPoint t;

  g_assert (r != NULL && p != NULL && q != NULL);

  extended_to_cached (&cached, q);
  add_cached (&t, p, &cached, FALSE);
  completed_to_extended (r, &t);
}

void
_gremium_ristretto_sub_vartime (GremiumRistrettoPoint       *r,
                                const GremiumRistrettoPoint *p,
                                const GremiumRistrettoPoint *q)
{
  CachedPoint cached;
  CompletedPoint t;

  g_assert (r != NULL && p != NULL && q != NULL);

  extended_to_cached (&cached, q);
  add_cached (&t, p, &cached, TRUE);
  completed_to_extended (r, &t);
}

void
_gremium_ristretto_double_vartime (GremiumRistrettoPoint       *r,
                                   const GremiumRistrettoPoint *p)
{
  CompletedPoint t;

  g_assert (r != NULL && p != NULL);

  projective_double (&t, p->X, p->Y, p->Z);
  completed_to_extended (r, &t);
}

void
_gremium_ristretto_scalarmult_vartime (GremiumRistrettoPoint       *r,
                                       const guint8                 scalar[32],
                                       const GremiumRistrettoPoint *p)
{
  _gremium_ristretto_multiscalarmult_vartime (r, NULL, (const guint8 (*)[32]) scalar, p, 1);
}

/* One nonzero digit of one point's scalar: at its position in the chain of
 * doublings, add (digit > 0) or subtract the table entry |digit| / 2.
 */
typedef struct
{
  guint32 point;
  gint32  digit;
} Digit;

/*
 * _gremium_ristretto_multiscalarmult_vartime:
 * @r: (out): base_scalar B + sum of scalars[i] points[i]
 * @base_scalar: (nullable): the generator's scalar
 * @scalars: one scalar per point, each below 2^253 (canonical scalars are)
 * @points: the points
 * @n_points: how many
 *
 * Straus' method: one chain of doublings from the highest nonzero digit, and
 * at each position one table addition per nonzero digit. The nonzero digits
 * are sorted by position first, so the chain never scans the points whose
 * digit is zero there; short scalars (the 128-bit weights of batch
 * verification) cost proportionally fewer additions.
 */
void
_gremium_ristretto_multiscalarmult_vartime (GremiumRistrettoPoint       *r,
                                            const guint8                *base_scalar,
                                            const guint8               (*scalars)[32],
                                            const GremiumRistrettoPoint *points,
                                            gsize                        n_points)
{
  g_autofree CachedPoint *tables = NULL;
  g_autofree Digit *digits = NULL;
  g_autofree gint8 *nafs = NULL;
  guint first[257] = { 0 };
  guint fill[256];
  gint8 base_naf[256];
  ProjectivePoint acc;
  CompletedPoint t;
  GremiumRistrettoPoint u;
  gsize n_digits = 0;
  int top = -1;

  g_assert (r != NULL);
  g_assert (n_points == 0 || (scalars != NULL && points != NULL));
  g_assert (n_points < G_MAXUINT32);

  ensure_initialized ();

  /* A scalar below 2^253 has at most 253 / POINT_WINDOW + 1 nonzero digits. */
  tables = g_new (CachedPoint, MAX (n_points, 1) * POINT_TABLE_SIZE);
  digits = g_new (Digit, MAX (n_points, 1) * (256 / POINT_WINDOW + 2));
  nafs = g_new (gint8, MAX (n_points, 1) * 256);

  /* Count the nonzero digits per position, then place them (a counting
   * sort), so that position pos owns digits[first[pos] .. first[pos + 1]).
   */
  for (gsize i = 0; i < n_points; i++)
    {
      gint8 *naf = nafs + i * 256;

      compute_naf (naf, scalars[i], POINT_WINDOW);
      for (int pos = 0; pos < 256; pos++)
        {
          if (naf[pos] != 0)
            {
              first[pos + 1]++;
              top = MAX (top, pos);
            }
        }
      build_odd_multiples (tables + i * POINT_TABLE_SIZE, POINT_TABLE_SIZE, &points[i]);
    }

  for (int pos = 0; pos < 256; pos++)
    {
      first[pos + 1] += first[pos];
      fill[pos] = first[pos];
    }
  n_digits = first[256];

  for (gsize i = 0; i < n_points; i++)
    {
      const gint8 *naf = nafs + i * 256;

      for (int pos = 0; pos < 256; pos++)
        {
          if (naf[pos] != 0)
            {
              Digit *digit = &digits[fill[pos]++];

              digit->point = (guint32) i;
              digit->digit = naf[pos];
            }
        }
    }
  g_assert (n_digits <= MAX (n_points, 1) * (256 / POINT_WINDOW + 2));

  if (base_scalar != NULL)
    {
      compute_naf (base_naf, base_scalar, BASE_WINDOW);
      for (int pos = 255; pos > top; pos--)
        {
          if (base_naf[pos] != 0)
            {
              top = pos;
              break;
            }
        }
    }

  if (top < 0)
    {
      _gremium_ristretto_identity (r);
      return;
    }

  _gremium_ristretto_identity (&u);
  fe_copy (acc.X, u.X);
  fe_copy (acc.Y, u.Y);
  fe_copy (acc.Z, u.Z);

  for (int pos = top; pos >= 0; pos--)
    {
      projective_double (&t, acc.X, acc.Y, acc.Z);

      if (base_scalar != NULL && base_naf[pos] != 0)
        {
          int digit = base_naf[pos];

          completed_to_extended (&u, &t);
          if (digit > 0)
            add_affine_cached (&t, &u, &base_table[digit / 2], FALSE);
          else
            add_affine_cached (&t, &u, &base_table[-digit / 2], TRUE);
        }

      for (guint k = first[pos]; k < first[pos + 1]; k++)
        {
          const Digit *digit = &digits[k];
          const CachedPoint *table = tables + (gsize) digit->point * POINT_TABLE_SIZE;

          completed_to_extended (&u, &t);
          if (digit->digit > 0)
            add_cached (&t, &u, &table[digit->digit / 2], FALSE);
          else
            add_cached (&t, &u, &table[-digit->digit / 2], TRUE);
        }

      if (pos > 0)
        completed_to_projective (&acc, &t);
    }

  completed_to_extended (r, &t);
}

/* Finds m in [0, bound] with p = m B by stepping through 0, B, 2B, ...
 * Counts in a tally never exceed the number of voters, so a linear search is
 * enough; it compares without encoding.
 */
gboolean
_gremium_ristretto_small_log_vartime (const GremiumRistrettoPoint *p,
                                      guint                        bound,
                                      guint                       *log)
{
  GremiumRistrettoPoint candidate;
  CachedPoint base_cached;
  CompletedPoint t;

  g_assert (p != NULL);
  g_assert (log != NULL);

  ensure_initialized ();
  extended_to_cached (&base_cached, &base_point);
  _gremium_ristretto_identity (&candidate);

  for (guint m = 0; m <= bound; m++)
    {
      if (_gremium_ristretto_equal_vartime (&candidate, p))
        {
          *log = m;
          return TRUE;
        }

      add_cached (&t, &candidate, &base_cached, FALSE);
      completed_to_extended (&candidate, &t);
    }

  return FALSE;
}
