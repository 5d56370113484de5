/* gremium-ristretto-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A VARIABLE-TIME implementation of the ristretto255 group (RFC 9496) for
 * checking proofs, which only ever handle public data: ballots, keys, proofs
 * and tallies from the record. Its running time depends on the scalars and
 * points it is given. Never pass it a secret (a key share, a nonce, a vote):
 * everything that touches secrets goes through libsodium's constant-time code
 * (gremium-group-private.h).
 *
 * A point is a representative of its ristretto255 class in extended twisted
 * Edwards coordinates (X:Y:Z:T) with x = X/Z, y = Y/Z, xy = T/Z. Different
 * representatives of one element compare equal with
 * _gremium_ristretto_equal_vartime() and encode to the same bytes.
 */

#define GREMIUM_RISTRETTO_BYTES 32

typedef struct
{
  guint64 X[5];
  guint64 Y[5];
  guint64 Z[5];
  guint64 T[5];
} GremiumRistrettoPoint;

gboolean _gremium_ristretto_decode_vartime          (GremiumRistrettoPoint       *p,
                                                     const guint8                 bytes[GREMIUM_RISTRETTO_BYTES]);
gboolean _gremium_ristretto_decode_many_vartime     (GremiumRistrettoPoint       *points,
                                                     const guint8                *bytes,
                                                     gsize                        n_points,
                                                     gsize                       *first_invalid);
void     _gremium_ristretto_encode_vartime          (guint8                       bytes[GREMIUM_RISTRETTO_BYTES],
                                                     const GremiumRistrettoPoint *p);
void     _gremium_ristretto_identity                (GremiumRistrettoPoint       *p);
void     _gremium_ristretto_base                    (GremiumRistrettoPoint       *p);
gboolean _gremium_ristretto_is_identity_vartime     (const GremiumRistrettoPoint *p);
gboolean _gremium_ristretto_equal_vartime           (const GremiumRistrettoPoint *p,
                                                     const GremiumRistrettoPoint *q);
void     _gremium_ristretto_add_vartime             (GremiumRistrettoPoint       *r,
                                                     const GremiumRistrettoPoint *p,
                                                     const GremiumRistrettoPoint *q);
void     _gremium_ristretto_sub_vartime             (GremiumRistrettoPoint       *r,
                                                     const GremiumRistrettoPoint *p,
                                                     const GremiumRistrettoPoint *q);
void     _gremium_ristretto_double_vartime          (GremiumRistrettoPoint       *r,
                                                     const GremiumRistrettoPoint *p);
void     _gremium_ristretto_scalarmult_vartime      (GremiumRistrettoPoint       *r,
                                                     const guint8                 scalar[32],
                                                     const GremiumRistrettoPoint *p);
void     _gremium_ristretto_multiscalarmult_vartime (GremiumRistrettoPoint       *r,
                                                     const guint8                *base_scalar,
                                                     const guint8               (*scalars)[32],
                                                     const GremiumRistrettoPoint *points,
                                                     gsize                        n_points);
gboolean _gremium_ristretto_small_log_vartime       (const GremiumRistrettoPoint *p,
                                                     guint                        bound,
                                                     guint                       *log);

G_END_DECLS
