/* gremium-batch-private.h
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "gremium-ristretto-private.h"

G_BEGIN_DECLS

/* A set of linear equations sum_k scalar_k * P_k == identity over public
 * points, the form every Schnorr and Chaum-Pedersen verification equation
 * takes once its commitments are part of the proof.
 *
 * _gremium_batch_check() checks all of them at once: it multiplies equation
 * e by a fresh random 128-bit weight z_e, adds everything up and evaluates the
 * one resulting multi-scalar multiplication. If any equation is false, the
 * sum is the identity with probability at most 2^-128 (the group has prime
 * order). When the combined check fails, each equation is checked on its own
 * to name the first false one.
 *
 * Points from untrusted input are added with _gremium_batch_add_point() and
 * decoded together by _gremium_batch_decode(), which must succeed before the
 * check; decoding several points at once is much cheaper than one by one.
 *
 * A batch made with @reference set does the same work with libsodium only,
 * one scalar multiplication per term and one equation at a time: the naive
 * path, kept for the benchmark and as an independent oracle in the tests.
 */

typedef struct _GremiumBatch GremiumBatch;

/* A position in a batch, to take back what one proof added when it turns out
 * to be malformed before the combined check.
 */
typedef struct
{
  guint n_points;
  guint n_terms;
  guint n_equations;
} GremiumBatchMark;

/* The generator is always point 0. */
#define GREMIUM_BATCH_GENERATOR 0u

GremiumBatch                *_gremium_batch_new               (gboolean                     reference);
void                         _gremium_batch_free              (GremiumBatch                *self);
gboolean                     _gremium_batch_is_reference      (GremiumBatch                *self);
gboolean                     _gremium_batch_add_point         (GremiumBatch                *self,
                                                               const guint8                 bytes[32],
                                                               gboolean                     allow_identity,
                                                               guint                       *index);
gboolean                     _gremium_batch_decode            (GremiumBatch                *self,
                                                               guint                       *first_invalid);
guint                        _gremium_batch_add_trusted_point (GremiumBatch                *self,
                                                               const guint8                 bytes[32],
                                                               const GremiumRistrettoPoint *point);
const guint8                *_gremium_batch_get_bytes         (GremiumBatch                *self,
                                                               guint                        index);
const GremiumRistrettoPoint *_gremium_batch_get_point         (GremiumBatch                *self,
                                                               guint                        index);
void                         _gremium_batch_begin             (GremiumBatch                *self,
                                                               guint                        tag);
void                         _gremium_batch_term              (GremiumBatch                *self,
                                                               guint                        point,
                                                               const guint8                *scalar,
                                                               gboolean                     negate);
gboolean                     _gremium_batch_check             (GremiumBatch                *self,
                                                               guint                       *failed_tag);
void                         _gremium_batch_mark              (GremiumBatch                *self,
                                                               GremiumBatchMark            *mark);
void                         _gremium_batch_rewind            (GremiumBatch                *self,
                                                               const GremiumBatchMark      *mark);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GremiumBatch, _gremium_batch_free)

G_END_DECLS
