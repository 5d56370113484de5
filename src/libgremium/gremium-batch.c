/* gremium-batch.c
 *
 * Copyright 2026 The Gremium authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gremium-batch"

#include "config.h"

#include "gremium-batch-private.h"
#include "gremium-crypto.h"
#include "gremium-group-private.h"

#include <sodium.h>
#include <string.h>

/* 128-bit weights: the soundness error of the combined check is 2^-128,
 * and short scalars halve the work their points add to the multiplication.
 */
#define WEIGHT_BYTES 16

typedef guint8 Scalar[32];

typedef struct
{
  guint8                bytes[32];
  gboolean              decoded;
  GremiumRistrettoPoint point;
} BatchPoint;

typedef struct
{
  guint    point;
  gboolean one;
  gboolean negate;
  guint8   scalar[32];
} BatchTerm;

typedef struct
{
  guint tag;
  guint first_term;
  guint n_terms;
} BatchEquation;

struct _GremiumBatch
{
  gboolean  reference;
  GArray   *points;
  GArray   *terms;
  GArray   *equations;
};

GremiumBatch *
_gremium_batch_new (gboolean reference)
{
  GremiumBatch *self = g_new0 (GremiumBatch, 1);
  BatchPoint generator;

  self->reference = reference;
  self->points = g_array_sized_new (FALSE, FALSE, sizeof (BatchPoint), 32);
  self->terms = g_array_sized_new (FALSE, FALSE, sizeof (BatchTerm), 64);
  self->equations = g_array_sized_new (FALSE, FALSE, sizeof (BatchEquation), 16);

  memcpy (generator.bytes, _gremium_group_generator (), 32);
  generator.decoded = TRUE;
  if (!reference)
    _gremium_ristretto_base (&generator.point);
  g_array_append_val (self->points, generator);

  return self;
}

void
_gremium_batch_free (GremiumBatch *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->points);
  g_array_unref (self->terms);
  g_array_unref (self->equations);
  g_free (self);
}

gboolean
_gremium_batch_is_reference (GremiumBatch *self)
{
  g_assert (self != NULL);

  return self->reference;
}

/* Adds a point from untrusted input. Only the identity is refused here;
 * whether the bytes are a valid encoding is for _gremium_batch_decode().
 */
gboolean
_gremium_batch_add_point (GremiumBatch *self,
                          const guint8  bytes[32],
                          gboolean      allow_identity,
                          guint        *index)
{
  BatchPoint entry;

  g_assert (self != NULL);
  g_assert (bytes != NULL);
  g_assert (index != NULL);

  if (_gremium_point_is_identity (bytes) && !allow_identity)
    return FALSE;

  memcpy (entry.bytes, bytes, 32);
  entry.decoded = FALSE;

  *index = self->points->len;
  g_array_append_val (self->points, entry);

  return TRUE;
}

/* Decodes and checks every point added since the last call: the fast path
 * with the variable-time engine, several at a time, the reference path with
 * libsodium alone, so that the two stay independent of each other.
 */
gboolean
_gremium_batch_decode (GremiumBatch *self,
                       guint        *first_invalid)
{
  g_autofree guint *pending = NULL;
  g_autofree guint8 *bytes = NULL;
  g_autofree GremiumRistrettoPoint *points = NULL;
  gsize invalid = 0;
  guint n = 0;

  g_assert (self != NULL);

  pending = g_new (guint, self->points->len);
  for (guint i = 0; i < self->points->len; i++)
    if (!g_array_index (self->points, BatchPoint, i).decoded)
      pending[n++] = i;

  if (n == 0)
    return TRUE;

  if (self->reference)
    {
      for (guint k = 0; k < n; k++)
        {
          BatchPoint *entry = &g_array_index (self->points, BatchPoint, pending[k]);

          if (!_gremium_point_is_valid (entry->bytes, TRUE))
            {
              if (first_invalid != NULL)
                *first_invalid = pending[k];
              return FALSE;
            }
          entry->decoded = TRUE;
        }

      return TRUE;
    }

  bytes = g_malloc (32 * n);
  points = g_new (GremiumRistrettoPoint, n);
  for (guint k = 0; k < n; k++)
    memcpy (bytes + 32 * k, g_array_index (self->points, BatchPoint, pending[k]).bytes, 32);

  if (!_gremium_ristretto_decode_many_vartime (points, bytes, n, &invalid))
    {
      if (first_invalid != NULL)
        *first_invalid = pending[invalid];
      return FALSE;
    }

  for (guint k = 0; k < n; k++)
    {
      BatchPoint *entry = &g_array_index (self->points, BatchPoint, pending[k]);

      entry->point = points[k];
      entry->decoded = TRUE;
    }

  return TRUE;
}

/* For points that were checked before, such as the election key. */
guint
_gremium_batch_add_trusted_point (GremiumBatch                *self,
                                  const guint8                 bytes[32],
                                  const GremiumRistrettoPoint *point)
{
  BatchPoint entry;
  guint index;

  g_assert (self != NULL);
  g_assert (bytes != NULL);
  g_assert (self->reference || point != NULL);

  memcpy (entry.bytes, bytes, 32);
  entry.decoded = TRUE;
  if (!self->reference)
    entry.point = *point;

  index = self->points->len;
  g_array_append_val (self->points, entry);

  return index;
}

const guint8 *
_gremium_batch_get_bytes (GremiumBatch *self,
                          guint         index)
{
  g_assert (self != NULL);
  g_assert (index < self->points->len);

  return g_array_index (self->points, BatchPoint, index).bytes;
}

const GremiumRistrettoPoint *
_gremium_batch_get_point (GremiumBatch *self,
                          guint         index)
{
  g_assert (self != NULL);
  g_assert (!self->reference);
  g_assert (index < self->points->len);
  g_assert (g_array_index (self->points, BatchPoint, index).decoded);

  return &g_array_index (self->points, BatchPoint, index).point;
}

void
_gremium_batch_begin (GremiumBatch *self,
                      guint         tag)
{
  BatchEquation equation = { tag, self->terms->len, 0 };

  g_assert (self != NULL);

  g_array_append_val (self->equations, equation);
}

/* Adds (negate ? -1 : 1) * (scalar or 1) * point to the current equation. */
void
_gremium_batch_term (GremiumBatch *self,
                     guint         point,
                     const guint8 *scalar,
                     gboolean      negate)
{
  BatchTerm term = { 0 };

  g_assert (self != NULL);
  g_assert (self->equations->len > 0);
  g_assert (point < self->points->len);

  term.point = point;
  term.negate = negate;
  term.one = scalar == NULL;
  if (scalar != NULL)
    {
      g_assert (_gremium_scalar_is_canonical (scalar));
      memcpy (term.scalar, scalar, 32);
    }

  g_array_append_val (self->terms, term);
  g_array_index (self->equations, BatchEquation, self->equations->len - 1).n_terms++;
}

static void
term_value (guint8          out[32],
            const BatchTerm *term,
            const guint8    *weight)
{
  if (weight == NULL && term->one)
    _gremium_scalar_from_uint (out, 1);
  else if (weight == NULL)
    memcpy (out, term->scalar, 32);
  else if (term->one)
    memcpy (out, weight, 32);
  else
    crypto_core_ristretto255_scalar_mul (out, weight, term->scalar);

  if (term->negate)
    crypto_core_ristretto255_scalar_negate (out, out);
}

/* Evaluates sum over the given equations (weighted when @weights is not
 * NULL) with one multi-scalar multiplication and tests for the identity.
 */
static gboolean
check_fast (GremiumBatch  *self,
            guint          first_equation,
            guint          n_equations,
            const guint8 (*weights)[32])
{
  g_autofree Scalar *coefficients = NULL;
  g_autofree Scalar *scalars = NULL;
  g_autofree GremiumRistrettoPoint *points = NULL;
  GremiumRistrettoPoint result;
  guint n_points = self->points->len;
  gsize n_used = 0;

  coefficients = g_new0 (Scalar, n_points);
  scalars = g_new (Scalar, n_points);
  points = g_new (GremiumRistrettoPoint, n_points);

  for (guint e = first_equation; e < first_equation + n_equations; e++)
    {
      const BatchEquation *equation = &g_array_index (self->equations, BatchEquation, e);

      for (guint k = 0; k < equation->n_terms; k++)
        {
          const BatchTerm *term = &g_array_index (self->terms, BatchTerm,
                                                  equation->first_term + k);
          guint8 value[32];

          term_value (value, term, weights != NULL ? weights[e] : NULL);
          crypto_core_ristretto255_scalar_add (coefficients[term->point],
                                               coefficients[term->point], value);
        }
    }

  for (guint i = 1; i < n_points; i++)
    {
      if (sodium_is_zero (coefficients[i], 32))
        continue;

      memcpy (scalars[n_used], coefficients[i], 32);
      points[n_used] = g_array_index (self->points, BatchPoint, i).point;
      n_used++;
    }

  _gremium_ristretto_multiscalarmult_vartime (&result, coefficients[GREMIUM_BATCH_GENERATOR],
                                              (const guint8 (*)[32]) scalars, points, n_used);

  return _gremium_ristretto_is_identity_vartime (&result);
}

static gboolean
check_reference (GremiumBatch *self,
                 guint         e)
{
  const BatchEquation *equation = &g_array_index (self->equations, BatchEquation, e);
  guint8 acc[32];

  _gremium_point_identity (acc);

  for (guint k = 0; k < equation->n_terms; k++)
    {
      const BatchTerm *term = &g_array_index (self->terms, BatchTerm, equation->first_term + k);
      guint8 value[32];
      guint8 product[32];

      term_value (value, term, NULL);
      if (term->point == GREMIUM_BATCH_GENERATOR)
        _gremium_scalarmult_base (product, value);
      else
        _gremium_scalarmult (product, value,
                             g_array_index (self->points, BatchPoint, term->point).bytes);
      _gremium_point_add (acc, acc, product);
    }

  return _gremium_point_is_identity (acc);
}

gboolean
_gremium_batch_check (GremiumBatch *self,
                      guint        *failed_tag)
{
  g_autofree Scalar *weights = NULL;
  g_autofree guint8 *random = NULL;
  guint n = self->equations->len;

  g_assert (self != NULL);

  if (n == 0)
    return TRUE;

  for (guint i = 0; i < self->points->len; i++)
    g_assert (g_array_index (self->points, BatchPoint, i).decoded);

  if (self->reference)
    {
      for (guint e = 0; e < n; e++)
        {
          if (!check_reference (self, e))
            {
              if (failed_tag != NULL)
                *failed_tag = g_array_index (self->equations, BatchEquation, e).tag;
              return FALSE;
            }
        }

      return TRUE;
    }

  /* The weights must be unpredictable to whoever made the proofs, so they
   * come from the system's random source at verification time.
   */
  weights = g_new0 (Scalar, n);
  random = g_malloc (n * WEIGHT_BYTES);
  gremium_random_bytes (random, n * WEIGHT_BYTES);
  for (guint e = 0; e < n; e++)
    memcpy (weights[e], random + e * WEIGHT_BYTES, WEIGHT_BYTES);

  if (check_fast (self, 0, n, (const guint8 (*)[32]) weights))
    return TRUE;

  for (guint e = 0; e < n; e++)
    {
      if (!check_fast (self, e, 1, NULL))
        {
          if (failed_tag != NULL)
            *failed_tag = g_array_index (self->equations, BatchEquation, e).tag;
          return FALSE;
        }
    }

  /* Unreachable for a sound engine: a false combination implies a false
   * equation. Fail closed all the same.
   */
  g_warning ("Batch verification failed, but every equation holds on its own");
  if (failed_tag != NULL)
    *failed_tag = G_MAXUINT;

  return FALSE;
}

void
_gremium_batch_mark (GremiumBatch     *self,
                     GremiumBatchMark *mark)
{
  g_assert (self != NULL && mark != NULL);

  mark->n_points = self->points->len;
  mark->n_terms = self->terms->len;
  mark->n_equations = self->equations->len;
}

void
_gremium_batch_rewind (GremiumBatch           *self,
                       const GremiumBatchMark *mark)
{
  g_assert (self != NULL && mark != NULL);
  g_assert (mark->n_points >= 1 && mark->n_points <= self->points->len);
  g_assert (mark->n_terms <= self->terms->len);
  g_assert (mark->n_equations <= self->equations->len);

  g_array_set_size (self->points, mark->n_points);
  g_array_set_size (self->terms, mark->n_terms);
  g_array_set_size (self->equations, mark->n_equations);
}
