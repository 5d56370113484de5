/* gremium-group-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The ristretto255 group as libsodium 1.0.18 offers it, with its pitfalls
 * handled in one place (docs/voting-crypto.md, "Group"):
 *
 * - crypto_scalarmult_ristretto255*() return -1 when the product is the
 *   identity, so 0 * P cannot be computed that way; the identity is the 32
 *   zero bytes.
 * - Scalar multiplication clears bit 255 of the scalar and does not reduce it,
 *   so only canonical scalars (below the group order L) may be passed.
 * - crypto_core_ristretto255_is_valid_point() accepts the identity, which
 *   keys and ciphertexts must not be, and it ignores bit 255, so it accepts a
 *   second, non-canonical encoding of every point.
 * - There is no canonical-scalar check; reduce(s || 0^32) == s is one.
 *
 * Everything here that takes a scalar runs in constant time with respect to
 * it, so provers and tellers use these functions for their secrets. Verifiers
 * use the faster variable-time engine in gremium-ristretto-private.h.
 */

#define GREMIUM_SCALAR_SIZE 32
#define GREMIUM_POINT_SIZE  32
#define GREMIUM_GROUP_NAME  "ristretto255"

/* A deterministic source of scalars, only for known-answer tests and the
 * worked example in docs/voting-crypto.md. Real ballots and keys always use
 * the operating system's random source (a NULL GremiumDrbg).
 */
typedef struct
{
  guint8  key[32];
  guint64 counter;
} GremiumDrbg;

const guint8 *_gremium_group_generator      (void);
gboolean      _gremium_scalar_is_canonical  (const guint8  s[GREMIUM_SCALAR_SIZE]);
void          _gremium_scalar_from_uint     (guint8        s[GREMIUM_SCALAR_SIZE],
                                             guint64       value);
void          _gremium_scalar_random        (guint8        s[GREMIUM_SCALAR_SIZE],
                                             GremiumDrbg  *drbg);
void          _gremium_scalar_select        (guint8        r[GREMIUM_SCALAR_SIZE],
                                             const guint8  a[GREMIUM_SCALAR_SIZE],
                                             const guint8  b[GREMIUM_SCALAR_SIZE],
                                             guint         choose_b);
void          _gremium_hash_to_scalar       (guint8        s[GREMIUM_SCALAR_SIZE],
                                             const guint8  hash[64]);
gboolean      _gremium_point_is_identity    (const guint8  p[GREMIUM_POINT_SIZE]);
gboolean      _gremium_point_is_valid       (const guint8  p[GREMIUM_POINT_SIZE],
                                             gboolean      allow_identity);
void          _gremium_point_identity       (guint8        p[GREMIUM_POINT_SIZE]);
void          _gremium_point_add            (guint8        r[GREMIUM_POINT_SIZE],
                                             const guint8  p[GREMIUM_POINT_SIZE],
                                             const guint8  q[GREMIUM_POINT_SIZE]);
void          _gremium_point_sub            (guint8        r[GREMIUM_POINT_SIZE],
                                             const guint8  p[GREMIUM_POINT_SIZE],
                                             const guint8  q[GREMIUM_POINT_SIZE]);
void          _gremium_point_select         (guint8        r[GREMIUM_POINT_SIZE],
                                             const guint8  a[GREMIUM_POINT_SIZE],
                                             const guint8  b[GREMIUM_POINT_SIZE],
                                             guint         choose_b);
void          _gremium_scalarmult           (guint8        q[GREMIUM_POINT_SIZE],
                                             const guint8  n[GREMIUM_SCALAR_SIZE],
                                             const guint8  p[GREMIUM_POINT_SIZE]);
void          _gremium_scalarmult_base      (guint8        q[GREMIUM_POINT_SIZE],
                                             const guint8  n[GREMIUM_SCALAR_SIZE]);
void          _gremium_generator_multiple   (guint8        q[GREMIUM_POINT_SIZE],
                                             guint64       m);

gboolean      _gremium_json_get_point       (JsonObject   *object,
                                             const char   *member,
                                             guint8        p[GREMIUM_POINT_SIZE],
                                             GError      **error);
gboolean      _gremium_json_get_scalar      (JsonObject   *object,
                                             const char   *member,
                                             guint8        s[GREMIUM_SCALAR_SIZE],
                                             GError      **error);

G_END_DECLS
